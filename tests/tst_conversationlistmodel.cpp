// Tests of ConversationListModel on a real SQLite history in a temporary
// folder, with QAbstractItemModelTester attached to every model: paging
// through 1 000+ conversations, moves to the top, new and imported
// conversations, renames, streaming dots, hidden (pending delete) rows, and
// that paging after any of these neither skips nor repeats a conversation.
//
// The tester calls fetchMore() itself whenever the model signals, so how many
// pages are loaded at a given moment is its business; the tests check what
// must always hold: the rows are exactly the newest conversations of the
// store (less the hidden ones), in the store's order.

#include "chat/conversationlistmodel.h"
#include "store/historystore.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QDateTime base = QDateTime::fromString(u"2024-03-01T09:00:00.000Z"_s, Qt::ISODateWithMs);

// Conversation i was last updated i minutes after `base`: the highest i is the newest.
QDateTime minute(int i)
{
    return base.addSecs(60LL * i);
}

QList<qint64> ids(const QAbstractItemModel &model)
{
    QList<qint64> list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row, 0).data(ConversationListModel::IdRole).toLongLong();
    return list;
}

void fetchAll(ConversationListModel &model)
{
    while (model.canFetchMore(QModelIndex()))
        model.fetchMore(QModelIndex());
}

} // namespace

class tst_ConversationListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void firstPageOnly();
    void emptyStore();
    void noStore();
    void roles();
    void pagesThroughThousandConversations();
    void viewStyleFetching();
    void updatedConversationMovesToTop();
    void oldConversationBeyondPagesMovesIn();
    void newConversationAppearsOnTop();
    void importedConversationTakesItsPlace();
    void renameThroughSetData();
    void renameRefusesEmptyTitle();
    void streamingRole();
    void hiddenRowComesBack();
    void hiddenBeforeLoadedIsSkipped();
    void removedAfterHiding();
    void removedVisibleRow();
    void updatedButDeletedLosesRow();
    void refreshKeepsHidden();
    void ensureLoadedPagesOn();

private:
    // `count` conversations, conversation i updated at minute(i); returns
    // their ids in creation order.
    QList<qint64> populate(int count, int messagesEach = 0);
    std::unique_ptr<ConversationListModel> makeModel(int pageSize);
    // The ids the store lists, newest first, less `hidden`.
    QList<qint64> storeOrder(const QSet<qint64> &hidden = {}) const;
    // What the loaded rows must be: the first rowCount() of storeOrder().
    QList<qint64> expectedRows(const QAbstractItemModel &model, const QSet<qint64> &hidden = {}) const
    {
        return storeOrder(hidden).mid(0, model.rowCount());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_ConversationListModel::initTestCase()
{
    QLoggingCategory::setFilterRules(u"sluice.store.debug=false"_s);
}

void tst_ConversationListModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(m_dir->filePath(u"history.sqlite3"_s)), qPrintable(m_store->lastError()));
}

void tst_ConversationListModel::cleanup()
{
    m_tester.reset();
    m_store.reset();
    m_dir.reset();
}

QList<qint64> tst_ConversationListModel::populate(int count, int messagesEach)
{
    QList<qint64> list;
    list.reserve(count);
    for (int i = 0; i < count; ++i) {
        Conversation c;
        c.title = u"Conversation %1"_s.arg(i);
        c.model = i % 2 ? u"gpt-4o-mini"_s : u"claude-3-5-haiku"_s;
        c.created = minute(i);
        c.updated = minute(i);
        const qint64 id = m_store->createConversation(c);
        if (id < 0)
            qFatal("createConversation failed: %s", qPrintable(m_store->lastError()));
        for (int k = 0; k < messagesEach; ++k) {
            Message m;
            m.conversationId = id;
            m.role = k % 2 ? ChatMessage::Role::Assistant : ChatMessage::Role::User;
            m.content = u"message %1 of %2"_s.arg(k).arg(i);
            m.created = minute(i);
            m.updated = minute(i);
            m_store->addMessage(m);
        }
        list << id;
    }
    return list;
}

std::unique_ptr<ConversationListModel> tst_ConversationListModel::makeModel(int pageSize)
{
    auto model = std::make_unique<ConversationListModel>(m_store.get());
    model->setPageSize(pageSize);
    model->refresh();
    m_tester = std::make_unique<QAbstractItemModelTester>(model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    return model;
}

QList<qint64> tst_ConversationListModel::storeOrder(const QSet<qint64> &hidden) const
{
    QList<qint64> list;
    const QList<HistoryStore::ConversationSummary> all = m_store->conversations();
    for (const HistoryStore::ConversationSummary &s : all)
        if (!hidden.contains(s.id))
            list << s.id;
    return list;
}

void tst_ConversationListModel::firstPageOnly()
{
    // No tester here: it would fetch more on its own.
    populate(250);
    ConversationListModel model(m_store.get());
    QCOMPARE(model.pageSize(), ConversationListModel::DefaultPageSize);
    QCOMPARE(model.rowCount(), ConversationListModel::DefaultPageSize);
    QVERIFY(model.canFetchMore(QModelIndex()));
    QVERIFY(!model.canFetchMore(model.index(0)));
    QCOMPARE(ids(model), storeOrder().mid(0, 100));
    model.setPageSize(30);
    model.refresh();
    QCOMPARE(model.rowCount(), 30);
}

void tst_ConversationListModel::emptyStore()
{
    auto model = makeModel(100);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(!model->canFetchMore(QModelIndex()));
    model->conversationUpdated(12345); // unknown: nothing happens
    QCOMPARE(model->rowCount(), 0);
}

void tst_ConversationListModel::noStore()
{
    ConversationListModel model(nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore(QModelIndex()));
    model.refresh();
    model.conversationUpdated(1);
    QVERIFY(!model.rename(1, u"x"_s));
    QCOMPARE(model.rowCount(), 0);
}

void tst_ConversationListModel::roles()
{
    const QList<qint64> created = populate(3, 4);
    Conversation untitled;
    untitled.model = u"local-llama"_s;
    untitled.updated = minute(10);
    const qint64 untitledId = m_store->createConversation(untitled);
    QVERIFY(untitledId > 0);

    auto model = makeModel(100);
    QCOMPARE(model->rowCount(), 4);

    const QModelIndex top = model->index(0);
    QCOMPARE(top.data(ConversationListModel::IdRole).toLongLong(), untitledId);
    QCOMPARE(top.data(Qt::DisplayRole).toString(), u"New conversation"_s);
    QCOMPARE(top.data(Qt::EditRole).toString(), QString());
    QCOMPARE(top.data(ConversationListModel::TitleRole).toString(), QString());
    QCOMPARE(top.data(ConversationListModel::ModelRole).toString(), u"local-llama"_s);
    QCOMPARE(top.data(ConversationListModel::MessageCountRole).toInt(), 0);

    const QModelIndex second = model->index(1);
    QCOMPARE(second.data(ConversationListModel::IdRole).toLongLong(), created.at(2));
    QCOMPARE(second.data(Qt::DisplayRole).toString(), u"Conversation 2"_s);
    QCOMPARE(second.data(ConversationListModel::UpdatedRole).toDateTime(), minute(2));
    QCOMPARE(second.data(ConversationListModel::CreatedRole).toDateTime(), minute(2));
    QCOMPARE(second.data(ConversationListModel::ModelRole).toString(), u"claude-3-5-haiku"_s);
    QCOMPARE(second.data(ConversationListModel::MessageCountRole).toInt(), 4);
    QCOMPARE(second.data(ConversationListModel::StreamingRole).toBool(), false);
    QVERIFY(second.data(Qt::ToolTipRole).toString().contains(u"4 messages"_s));
    QCOMPARE(second.data(Qt::AccessibleDescriptionRole).toString(), u"claude-3-5-haiku, 4 messages"_s);
    model->setStreaming(created.at(2), true);
    QCOMPARE(second.data(Qt::AccessibleDescriptionRole).toString(), u"claude-3-5-haiku, 4 messages, replying"_s);
    QVERIFY(second.flags() & Qt::ItemIsEditable);

    QCOMPARE(model->roleNames().value(ConversationListModel::StreamingRole), QByteArray("streaming"));
    QCOMPARE(model->idAt(1), created.at(2));
    QCOMPARE(model->idAt(99), -1);
    QCOMPARE(model->rowOf(created.at(0)), 3);
    QCOMPARE(model->summaryAt(3).title, u"Conversation 0"_s);
}

void tst_ConversationListModel::pagesThroughThousandConversations()
{
    const int total = 1234;
    populate(total);
    QCOMPARE(m_store->conversationCount(), total);

    QElapsedTimer timer;
    timer.start();
    auto model = makeModel(100);
    const qint64 firstPagesMs = timer.elapsed();
    QVERIFY(model->rowCount() >= 100);
    QCOMPARE(model->rowCount() % 100, 0);
    QVERIFY(model->canFetchMore(QModelIndex()));
    QCOMPARE(ids(*model), expectedRows(*model));

    // Each fetchMore() brings exactly one page (the last one the rest).
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    while (model->canFetchMore(QModelIndex())) {
        const int before = model->rowCount();
        inserted.clear();
        model->fetchMore(QModelIndex());
        const int expected = qMin(100, total - before);
        QCOMPARE(model->rowCount(), before + expected);
        if (expected > 0) {
            QCOMPARE(inserted.size(), 1);
            QCOMPARE(inserted.at(0).at(1).toInt(), before);
            QCOMPARE(inserted.at(0).at(2).toInt(), before + expected - 1);
        }
    }
    QCOMPARE(model->rowCount(), total);
    QCOMPARE(ids(*model), storeOrder());

    // Newest first, strictly.
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->index(row - 1).data(ConversationListModel::UpdatedRole).toDateTime()
                > model->index(row).data(ConversationListModel::UpdatedRole).toDateTime());
    qInfo("first pages of %d in %lld ms", total, firstPagesMs);
}

void tst_ConversationListModel::viewStyleFetching()
{
    // Exactly a multiple of the page size: the last, empty page ends it.
    populate(200);
    auto model = makeModel(100);
    int fetches = 0;
    while (model->canFetchMore(QModelIndex()) && fetches < 10) {
        model->fetchMore(QModelIndex());
        ++fetches;
    }
    QCOMPARE(model->rowCount(), 200);
    QVERIFY(!model->canFetchMore(QModelIndex()));
    model->fetchMore(QModelIndex()); // harmless
    QCOMPARE(model->rowCount(), 200);
}

void tst_ConversationListModel::updatedConversationMovesToTop()
{
    const QList<qint64> created = populate(250);
    auto model = makeModel(100);
    const qint64 id = created.at(249 - 40); // row 40
    QCOMPARE(model->rowOf(id), 40);

    Message m;
    m.conversationId = id;
    m.content = u"a new question"_s;
    m.created = minute(1000);
    m.updated = minute(1000);
    QVERIFY(m_store->addMessage(m) > 0);

    QSignalSpy moved(model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
    model->conversationUpdated(id);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.at(0).at(1).toInt(), 40);
    QCOMPARE(moved.at(0).at(4).toInt(), 0);
    QCOMPARE(model->rowOf(id), 0);
    QCOMPARE(ids(*model), expectedRows(*model));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model->index(0).data(ConversationListModel::MessageCountRole).toInt(), 1);
    QCOMPARE(model->index(0).data(ConversationListModel::UpdatedRole).toDateTime(), minute(1000));

    // Updated again without a new time (a rename elsewhere): stays, no move.
    moved.clear();
    model->conversationUpdated(id);
    QCOMPARE(moved.size(), 0);

    fetchAll(*model);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::oldConversationBeyondPagesMovesIn()
{
    const QList<qint64> created = populate(350);
    auto model = makeModel(100);
    const qint64 old = created.at(5); // row 344, far beyond the first page
    QCOMPARE(model->rowOf(old), -1);

    Message m;
    m.conversationId = old;
    m.content = u"back to this one"_s;
    m.updated = minute(2000);
    m.created = minute(2000);
    QVERIFY(m_store->addMessage(m) > 0);

    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    model->conversationUpdated(old);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(model->rowOf(old), 0);
    QCOMPARE(ids(*model), expectedRows(*model));

    fetchAll(*model);
    QCOMPARE(model->rowCount(), 350);
    QCOMPARE(ids(*model), storeOrder()); // nothing twice, nothing skipped
}

void tst_ConversationListModel::newConversationAppearsOnTop()
{
    populate(150);
    auto model = makeModel(100);
    Conversation c;
    c.title = u"Brand new"_s;
    c.updated = minute(5000);
    const qint64 id = m_store->createConversation(c);
    QVERIFY(id > 0);
    model->conversationUpdated(id);
    QCOMPARE(model->rowOf(id), 0);
    QCOMPARE(model->index(0).data().toString(), u"Brand new"_s);
    fetchAll(*model);
    QCOMPARE(model->rowCount(), 151);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::importedConversationTakesItsPlace()
{
    const QList<qint64> created = populate(300);
    auto model = makeModel(25);

    // Older than everything loaded: it comes with its page, not now.
    Conversation old;
    old.title = u"Imported, old"_s;
    old.created = minute(3);
    old.updated = minute(3);
    const qint64 oldId = m_store->importConversation(old, {});
    QVERIFY(oldId > 0);
    QVERIFY(model->rowCount() < 297);
    model->conversationUpdated(oldId);
    QCOMPARE(model->rowOf(oldId), -1);
    QCOMPARE(ids(*model), expectedRows(*model));

    // Between loaded rows: it goes right there.
    Conversation middle;
    middle.title = u"Imported, middle"_s;
    middle.updated = minute(280).addSecs(30); // between conversations 280 and 281
    const qint64 middleId = m_store->importConversation(middle, {});
    QVERIFY(middleId > 0);
    model->conversationUpdated(middleId);
    QCOMPARE(model->rowOf(middleId), 299 - 280);
    QCOMPARE(model->rowOf(created.at(280)), 299 - 280 + 1);
    QCOMPARE(ids(*model), expectedRows(*model));

    fetchAll(*model);
    QCOMPARE(model->rowCount(), 302);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::renameThroughSetData()
{
    const QList<qint64> created = populate(3);
    auto model = makeModel(100);
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(model->setData(model->index(1), u"  Trip   to Lisbon "_s, Qt::EditRole));
    QCOMPARE(model->index(1).data().toString(), u"Trip to Lisbon"_s);
    QCOMPARE(m_store->conversation(created.at(1))->title, u"Trip to Lisbon"_s);
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(ConversationListModel::TitleRole));
    // A rename keeps the order.
    QCOMPARE(model->rowOf(created.at(1)), 1);
    QCOMPARE(m_store->conversation(created.at(1))->updated, minute(1));
}

void tst_ConversationListModel::renameRefusesEmptyTitle()
{
    const QList<qint64> created = populate(2);
    auto model = makeModel(100);
    QVERIFY(!model->setData(model->index(0), u"   "_s, Qt::EditRole));
    QVERIFY(!model->setData(model->index(0), u"x"_s, Qt::DisplayRole));
    QCOMPARE(m_store->conversation(created.at(1))->title, u"Conversation 1"_s);
}

void tst_ConversationListModel::streamingRole()
{
    const QList<qint64> created = populate(5);
    auto model = makeModel(100);
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);

    model->setStreaming(created.at(3), true);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(ConversationListModel::StreamingRole));
    QVERIFY(!changed.at(0).at(2).value<QList<int>>().contains(Qt::DisplayRole));
    QVERIFY(model->index(1).data(ConversationListModel::StreamingRole).toBool());
    QVERIFY(model->isStreaming(created.at(3)));

    model->setStreaming(created.at(3), true); // no change, no signal
    QCOMPARE(changed.size(), 1);

    model->setStreamingIds({created.at(0), created.at(1)});
    QCOMPARE(changed.size(), 4); // off for 3, on for 0 and 1
    QVERIFY(!model->index(1).data(ConversationListModel::StreamingRole).toBool());
    QVERIFY(model->index(4).data(ConversationListModel::StreamingRole).toBool());
    QCOMPARE(model->streamingIds(), (QSet<qint64>{created.at(0), created.at(1)}));

    // An id not loaded (yet) keeps its state for when it comes.
    model->setStreaming(999, true);
    QVERIFY(model->isStreaming(999));
}

void tst_ConversationListModel::hiddenRowComesBack()
{
    const QList<qint64> created = populate(120);
    auto model = makeModel(50);
    const qint64 id = created.at(119 - 7);
    QCOMPARE(model->rowOf(id), 7);

    QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
    model->setHidden(id, true);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model->rowOf(id), -1);
    QCOMPARE(ids(*model), expectedRows(*model, {id}));
    QVERIFY(model->isHidden(id));
    QCOMPARE(model->ensureLoaded(id), -1);

    // Paging on while it is hidden skips it, repeats nothing.
    fetchAll(*model);
    QCOMPARE(model->rowCount(), 119);
    QCOMPARE(ids(*model), storeOrder({id}));

    // It got a message while hidden (a background reply): still hidden.
    Message m;
    m.conversationId = id;
    m.content = u"late"_s;
    m.updated = minute(900);
    m.created = minute(900);
    QVERIFY(m_store->addMessage(m) > 0);
    model->conversationUpdated(id);
    QCOMPARE(model->rowOf(id), -1);
    QCOMPARE(ids(*model), storeOrder({id}));

    model->setHidden(id, false);
    QCOMPARE(model->rowOf(id), 0); // its new place
    fetchAll(*model);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::hiddenBeforeLoadedIsSkipped()
{
    const QList<qint64> created = populate(150);
    auto model = makeModel(20);
    const qint64 far = created.at(10); // row 139, not loaded
    QCOMPARE(model->rowOf(far), -1);
    model->setHidden(far, true);
    fetchAll(*model);
    QCOMPARE(model->rowCount(), 149);
    QCOMPARE(ids(*model), storeOrder({far}));
    model->setHidden(far, false);
    QCOMPARE(model->rowOf(far), 139);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::removedAfterHiding()
{
    const QList<qint64> created = populate(230);
    auto model = makeModel(100);
    const qint64 a = created.at(229 - 3);
    const qint64 b = created.at(229 - 60);
    model->setHidden(a, true);
    model->setHidden(b, true);
    QCOMPARE(ids(*model), expectedRows(*model, {a, b}));

    QVERIFY(m_store->deleteConversation(a));
    model->conversationRemoved(a);
    QVERIFY(!model->isHidden(a));
    QCOMPARE(ids(*model), expectedRows(*model, {b}));

    fetchAll(*model);
    QCOMPARE(ids(*model), storeOrder({b}));

    QVERIFY(m_store->deleteConversation(b));
    model->conversationRemoved(b);
    QCOMPARE(ids(*model), storeOrder());
    QCOMPARE(model->rowCount(), 228);
}

void tst_ConversationListModel::removedVisibleRow()
{
    const QList<qint64> created = populate(150);
    auto model = makeModel(100);
    const qint64 id = created.at(149 - 20);
    QVERIFY(m_store->deleteConversation(id));
    QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
    model->conversationRemoved(id);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model->rowOf(id), -1);
    QCOMPARE(ids(*model), expectedRows(*model));
    model->conversationRemoved(id); // twice: harmless
    QCOMPARE(removed.size(), 1);
    fetchAll(*model);
    QCOMPARE(ids(*model), storeOrder());
    QCOMPARE(model->rowCount(), 149);
}

void tst_ConversationListModel::updatedButDeletedLosesRow()
{
    const QList<qint64> created = populate(3);
    auto model = makeModel(100);
    QVERIFY(m_store->deleteConversation(created.at(1)));
    model->conversationUpdated(created.at(1));
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(ids(*model), storeOrder());
}

void tst_ConversationListModel::refreshKeepsHidden()
{
    const QList<qint64> created = populate(10);
    auto model = makeModel(100);
    model->setHidden(created.at(4), true);
    model->setStreaming(created.at(2), true);

    // Changed behind the model's back: refresh() picks it up.
    Conversation c;
    c.title = u"From elsewhere"_s;
    c.updated = minute(100);
    const qint64 id = m_store->createConversation(c);
    QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
    model->refresh();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model->rowOf(id), 0);
    QCOMPARE(model->rowOf(created.at(4)), -1);
    QCOMPARE(ids(*model), storeOrder({created.at(4)}));
    QVERIFY(model->index(model->rowOf(created.at(2))).data(ConversationListModel::StreamingRole).toBool());
}

void tst_ConversationListModel::ensureLoadedPagesOn()
{
    const QList<qint64> created = populate(420);
    auto model = makeModel(100);
    QCOMPARE(model->ensureLoaded(created.at(0)), 419);
    QCOMPARE(model->rowCount(), 420);
    QCOMPARE(model->ensureLoaded(created.at(419)), 0);
    QCOMPARE(model->ensureLoaded(424242), -1);
}

QTEST_GUILESS_MAIN(tst_ConversationListModel)

#include "tst_conversationlistmodel.moc"
