#include "chat/transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

Message makeMessage(ChatMessage::Role role, const QString &content,
                    Message::State state = Message::State::Completed)
{
    Message m;
    m.role = role;
    m.content = content;
    m.state = state;
    return m;
}

QList<int> rolesOf(const QList<QVariant> &dataChangedArgs)
{
    return dataChangedArgs.at(2).value<QList<int>>();
}

} // namespace

class tst_TranscriptModel : public QObject
{
    Q_OBJECT

private:
    // Every test gets a model with QAbstractItemModelTester attached.
    struct Fixture
    {
        TranscriptModel model;
        std::unique_ptr<QAbstractItemModelTester> tester;
        Fixture()
        {
            tester = std::make_unique<QAbstractItemModelTester>(
                &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QList<int>>();
    }

    void emptyModel()
    {
        Fixture f;
        QCOMPARE(f.model.rowCount(), 0);
        QVERIFY(!f.model.data(f.model.index(0), TranscriptModel::TextRole).isValid());
        QCOMPARE(f.model.rowCount(f.model.index(0)), 0);
    }

    void appendMessage()
    {
        Fixture f;
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QCOMPARE(f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"Hi"_s)), 0);
        QCOMPARE(f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"Hello"_s)), 1);
        QCOMPARE(f.model.rowCount(), 2);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 1);
        QCOMPARE(inserted.at(1).at(2).toInt(), 1);
        QCOMPARE(f.model.message(1).content, u"Hello"_s);
    }

    void data_data()
    {
        QTest::addColumn<int>("role");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("display is the text") << int(Qt::DisplayRole) << QVariant(u"**answer**"_s);
        QTest::newRow("text") << int(TranscriptModel::TextRole) << QVariant(u"**answer**"_s);
        QTest::newRow("reasoning") << int(TranscriptModel::ReasoningRole) << QVariant(u"think"_s);
        QTest::newRow("message role") << int(TranscriptModel::MessageRoleRole)
                                      << QVariant(int(ChatMessage::Role::Assistant));
        QTest::newRow("state") << int(TranscriptModel::StateRole) << QVariant(int(Message::State::Stopped));
        QTest::newRow("model") << int(TranscriptModel::ModelRole) << QVariant(u"gpt-4o-mini"_s);
        QTest::newRow("error") << int(TranscriptModel::ErrorRole) << QVariant(u"You stopped it."_s);
        QTest::newRow("finish reason") << int(TranscriptModel::FinishReasonRole) << QVariant(u"length"_s);
        QTest::newRow("cost") << int(TranscriptModel::CostRole) << QVariant(0.25);
        QTest::newRow("id") << int(TranscriptModel::IdRole) << QVariant(qint64(42));
        QTest::newRow("unknown role") << int(Qt::UserRole + 500) << QVariant();
    }

    void data()
    {
        QFETCH(int, role);
        QFETCH(QVariant, expected);
        Fixture f;
        Message m = makeMessage(ChatMessage::Role::Assistant, u"**answer**"_s, Message::State::Stopped);
        m.reasoning = u"think"_s;
        m.model = u"gpt-4o-mini"_s;
        m.errorText = u"You stopped it."_s;
        m.finishReason = u"length"_s;
        m.costUsd = 0.25;
        m.id = 42;
        f.model.appendMessage(m);
        QCOMPARE(f.model.data(f.model.index(0), role), expected);
    }

    void costInvalidWithoutPrice()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"x"_s));
        QVERIFY(!f.model.data(f.model.index(0), TranscriptModel::CostRole).isValid());
        QVERIFY(f.model.data(f.model.index(0), TranscriptModel::MetricsRole).value<MessageMetrics>().isEmpty());
    }

    void roleNames()
    {
        Fixture f;
        const auto names = f.model.roleNames();
        QCOMPARE(names.value(TranscriptModel::TextRole), QByteArray("text"));
        QCOMPARE(names.value(TranscriptModel::ReasoningRole), QByteArray("reasoning"));
        QCOMPARE(names.value(TranscriptModel::StateRole), QByteArray("state"));
    }

    void setMessagesResets()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"old"_s));
        QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
        f.model.setMessages({makeMessage(ChatMessage::Role::User, u"a"_s),
                             makeMessage(ChatMessage::Role::Assistant, u"b"_s),
                             makeMessage(ChatMessage::Role::User, u"c"_s)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(f.model.rowCount(), 3);
        QCOMPARE(f.model.message(2).content, u"c"_s);
        f.model.clear();
        QCOMPARE(reset.count(), 2);
        QCOMPARE(f.model.rowCount(), 0);
    }

    void setMessagesDropsPendingUpdate()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u""_s, Message::State::Streaming));
        f.model.appendContent(0, u"tok"_s);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.setMessages({makeMessage(ChatMessage::Role::User, u"other conversation"_s)});
        f.model.flush();
        QTest::qWait(40);
        QCOMPARE(changed.count(), 0);
    }

    void prependMessages()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"newest"_s));
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        f.model.prependMessages({makeMessage(ChatMessage::Role::User, u"older 1"_s),
                                 makeMessage(ChatMessage::Role::Assistant, u"older 2"_s)});
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(f.model.rowCount(), 3);
        QCOMPARE(f.model.message(0).content, u"older 1"_s);
        QCOMPARE(f.model.message(2).content, u"newest"_s);
        f.model.prependMessages({});
        QCOMPARE(inserted.count(), 1);
    }

    void removeFrom_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("expectedRows");
        QTest::addColumn<bool>("signalled");
        QTest::newRow("from the middle") << 2 << 2 << true;
        QTest::newRow("the last row") << 4 << 4 << true;
        QTest::newRow("everything") << 0 << 0 << true;
        QTest::newRow("past the end") << 5 << 5 << false;
        QTest::newRow("negative") << -1 << 5 << false;
    }

    void removeFrom()
    {
        QFETCH(int, row);
        QFETCH(int, expectedRows);
        QFETCH(bool, signalled);
        Fixture f;
        for (int i = 0; i < 5; ++i)
            f.model.appendMessage(makeMessage(i % 2 ? ChatMessage::Role::Assistant : ChatMessage::Role::User,
                                              QString::number(i)));
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        f.model.removeFrom(row);
        QCOMPARE(f.model.rowCount(), expectedRows);
        QCOMPARE(removed.count(), signalled ? 1 : 0);
        if (signalled) {
            QCOMPARE(removed.at(0).at(1).toInt(), row);
            QCOMPARE(removed.at(0).at(2).toInt(), 4);
        }
    }

    void updateMessage()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"q"_s));
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"partial"_s, Message::State::Streaming));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        Message m = f.model.message(1);
        m.state = Message::State::Truncated;
        m.errorText = u"Connection lost"_s;
        f.model.updateMessage(1, m);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
        QVERIFY(rolesOf(changed.at(0)).isEmpty()); // everything may have changed
        QCOMPARE(f.model.data(f.model.index(1), TranscriptModel::StateRole).toInt(), int(Message::State::Truncated));
        f.model.updateMessage(7, m); // out of range: ignored
        QCOMPARE(changed.count(), 1);
    }

    void messageRefThenUpdate()
    {
        Fixture f;
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"a"_s));
        f.model.messageRef(0).model = u"m"_s;
        QCOMPARE(f.model.data(f.model.index(0), TranscriptModel::ModelRole).toString(), u"m"_s);
    }

    // Streaming: data() is current at once, the view hears about it once per frame,
    // only for the streaming row and only for the role that changed.
    void streamingIsCoalesced()
    {
        Fixture f;
        f.model.setCoalesceInterval(16);
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"question"_s));
        const int row = f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QString expected;
        for (int i = 0; i < 200; ++i) {
            const QString token = u"tok%1 "_s.arg(i);
            f.model.appendContent(row, token);
            expected += token;
            // data() is never behind, even before the notification
            QCOMPARE(f.model.data(f.model.index(row), TranscriptModel::TextRole).toString(), expected);
        }
        QCOMPARE(changed.count(), 0);
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), row);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), row);
        QCOMPARE(rolesOf(changed.at(0)), QList<int>{TranscriptModel::TextRole});
        QTest::qWait(50);
        QCOMPARE(changed.count(), 1); // nothing more without new text
    }

    void reasoningOnlySignalsReasoning()
    {
        Fixture f;
        const int row = f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.appendReasoning(row, u"Let me think"_s);
        f.model.appendReasoning(row, u" about it."_s);
        f.model.flush();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(rolesOf(changed.at(0)), QList<int>{TranscriptModel::ReasoningRole});
        QCOMPARE(f.model.message(row).reasoning, u"Let me think about it."_s);
        QVERIFY(f.model.message(row).content.isEmpty());

        f.model.appendReasoning(row, u" Done."_s);
        f.model.appendContent(row, u"Answer"_s);
        f.model.flush();
        QCOMPARE(changed.count(), 2);
        const QList<int> roles = rolesOf(changed.at(1));
        QCOMPARE(roles.size(), 2);
        QVERIFY(roles.contains(TranscriptModel::ReasoningRole));
        QVERIFY(roles.contains(TranscriptModel::TextRole));
    }

    void flushSendsPendingOnce()
    {
        Fixture f;
        f.model.setCoalesceInterval(10000); // only flush() may deliver
        const int row = f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        for (int i = 0; i < 50; ++i)
            f.model.appendContent(row, u"x"_s);
        QCOMPARE(changed.count(), 0);
        f.model.flush();
        QCOMPARE(changed.count(), 1);
        f.model.flush();
        QCOMPARE(changed.count(), 1);
    }

    void emptyAndOutOfRangeAppendsIgnored()
    {
        Fixture f;
        f.model.setCoalesceInterval(10000);
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"a"_s));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.appendContent(0, QString());
        f.model.appendContent(3, u"x"_s);
        f.model.appendContent(-1, u"x"_s);
        f.model.appendReasoning(3, u"x"_s);
        f.model.flush();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(f.model.message(0).content, u"a"_s);
    }

    void otherRowFlushesPendingFirst()
    {
        Fixture f;
        f.model.setCoalesceInterval(10000);
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.appendContent(0, u"first"_s);
        f.model.appendContent(1, u"second"_s);
        QCOMPARE(changed.count(), 1); // row 0 was told before row 1 became pending
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        f.model.flush();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 1);
    }

    void structuralChangesFlushFirst()
    {
        Fixture f;
        f.model.setCoalesceInterval(10000);
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        QList<QString> order;
        connect(&f.model, &QAbstractItemModel::dataChanged, this, [&] { order << u"changed"_s; });
        connect(&f.model, &QAbstractItemModel::rowsInserted, this, [&] { order << u"inserted"_s; });
        connect(&f.model, &QAbstractItemModel::rowsRemoved, this, [&] { order << u"removed"_s; });
        f.model.appendContent(0, u"tail"_s);
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"next"_s));
        f.model.appendContent(0, u" more"_s);
        f.model.removeFrom(1);
        f.model.appendContent(0, u" and more"_s);
        f.model.prependMessages({makeMessage(ChatMessage::Role::User, u"older"_s)});
        QCOMPARE(order, (QList<QString>{u"changed"_s, u"inserted"_s, u"changed"_s, u"removed"_s, u"changed"_s,
                                        u"inserted"_s}));
        QCOMPARE(f.model.message(1).content, u"tail more and more"_s);
    }

    void pendingRowRemovedIsNotSignalled()
    {
        Fixture f;
        f.model.setCoalesceInterval(10000);
        f.model.appendMessage(makeMessage(ChatMessage::Role::User, u"q"_s));
        f.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        f.model.removeFrom(1); // flushes first, then removes
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.flush();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(f.model.rowCount(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_TranscriptModel)
#include "tst_transcriptmodel.moc"
