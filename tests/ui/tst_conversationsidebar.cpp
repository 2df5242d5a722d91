// Tests of ConversationSidebar, ConversationDelegate and the search results
// (offscreen, real SQLite in a temporary folder): the list and its keys,
// search with highlighted matches (painted and checked pixel by pixel),
// inline rename, delete with Undo and with the undo time running out,
// export → import round trips through the file functions, copy as Markdown.

#include "conversationdelegate.h"
#include "conversationsidebar.h"
#include "messagebanner.h"
#include "searchresults.h"

#include "chat/chatsession.h"
#include "chat/conversationlistmodel.h"
#include "store/conversationexport.h"
#include "store/historystore.h"

#include <QAbstractItemModelTester>
#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLoggingCategory>
#include <QMenu>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// 1 June (this test's "now" is fixed where it matters).
QDateTime daysAgo(int days, int hour = 10)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime at = QDateTime(now.date().addDays(-days), QTime(hour, 0)).toUTC();
    // "Today at 10:00" is still in the future early in the day: never later
    // than a few minutes ago (minus the hour, so the order of messages stays).
    const QDateTime latest = QDateTime::currentDateTimeUtc().addSecs(-3600 + 60 * (hour - 9));
    return days == 0 ? std::min(at, latest) : at;
}

struct Seed
{
    QString title;
    QString model;
    QStringList messages; // user, assistant, user, ...
    int daysAgo;
};

QList<Seed> seeds()
{
    return {
        {u"Trip to Lisbon"_s, u"gpt-4o-mini"_s,
         {u"Plan three days in Lisbon with a tram ride."_s,
          u"Day one: ride tram 28 through Alfama, then pastéis de nata in Belém."_s},
         5},
        {u"Rust lifetimes"_s, u"claude-3-5-haiku"_s,
         {u"Explain lifetimes in Rust with an example."_s,
          u"A lifetime names how long a borrow is valid: fn longest<'a>(x: &'a str, y: &'a str) -> &'a str."_s},
         3},
        {u"Sourdough starter"_s, u"gpt-4o"_s,
         {u"My starter smells like nail polish."_s,
          u"That acetone smell means it is hungry: feed it twice a day at a 1:1:1 ratio."_s},
         2},
        {u"Quarterly report"_s, u"gpt-4o-mini"_s,
         {u"Summarise the quarterly numbers in a table."_s, u"| Quarter | Revenue |\n|---|---|\n| Q1 | 1.2 M |"_s},
         1},
        {u"Weekend hike"_s, u"llama3.1:8b"_s, {u"A short hike near Sintra for a rainy day?"_s}, 0},
    };
}

// Pixels of a painted row that are clearly amber (the search marker) or blue (the accent).
int amberPixels(const QImage &image)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.red() - c.blue() > 50 && c.green() - c.blue() > 25)
                ++count;
        }
    return count;
}

int bluePixels(const QImage &image, int fromX)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = fromX; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.blue() - c.red() > 60)
                ++count;
        }
    return count;
}

QImage paintRow(QAbstractItemDelegate *delegate, QWidget *view, const QModelIndex &index, int width = 300)
{
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.state = QStyle::State_Enabled;
    option.font = view->font();
    option.palette = view->palette();
    const QSize size(width, delegate->sizeHint(option, index).height());
    option.rect = QRect(QPoint(0, 0), size);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(view->palette().color(QPalette::Window));
    QPainter painter(&image);
    delegate->paint(&painter, option, index);
    painter.end();
    return image;
}

} // namespace

class tst_ConversationSidebar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void listShowsNewestFirst();
    void accessibleNames();
    void relativeTime_data();
    void relativeTime();
    void suggestedFileName_data();
    void suggestedFileName();
    void parseSnippet_data();
    void parseSnippet();

    void clickActivates();
    void keyboardBetweenSearchAndList();
    void searchShowsHighlightedHits();
    void searchIsDebounced();
    void searchWithoutHits();
    void activatingHitEmitsMessageId();
    void escapeClearsSearch();

    void renameInline();
    void renameToEmptyKeepsTitle();
    void deleteAndUndo();
    void deleteCommittedAfterTimeout();
    void deleteSeveralCommittedOnQuit();
    void destructorCommitsPendingDeletes();
    void deletedConversationLeavesSearchResults();

    void exportImportRoundTrip();
    void exportMarkdownFile();
    void importRejectsBadFiles();
    void copyAsMarkdown();
    void copyWithKeyboard();

    void listFetchesMoreWhenScrolled();
    void streamingDot();
    void contextMenu();
    void resultsMenuOpensAtMessage();
    void setCurrentConversationLoadsOlderPages();
    void trackedSessionMovesUp();

private:
    void makeSidebar();
    qint64 idOf(const QString &title) const { return m_ids.value(title, -1); }
    QModelIndex rowOf(const QString &title) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<ConversationSidebar> m_sidebar;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QHash<QString, qint64> m_ids;
};

void tst_ConversationSidebar::initTestCase()
{
    QLoggingCategory::setFilterRules(u"sluice.store.debug=false"_s);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    // A fixed style and palette: the pixel checks must not depend on the desktop.
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QApplication::setPalette(QApplication::style()->standardPalette());
}

void tst_ConversationSidebar::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(m_dir->filePath(u"history.sqlite3"_s)), qPrintable(m_store->lastError()));
    m_ids.clear();
    for (const Seed &seed : seeds()) {
        Conversation c;
        c.title = seed.title;
        c.model = seed.model;
        c.endpoint = u"https://api.example.com/v1"_s;
        c.created = daysAgo(seed.daysAgo, 9);
        c.updated = c.created;
        const qint64 id = m_store->createConversation(c);
        QVERIFY(id > 0);
        int k = 0;
        for (const QString &text : seed.messages) {
            Message m;
            m.conversationId = id;
            m.role = k % 2 ? ChatMessage::Role::Assistant : ChatMessage::Role::User;
            m.model = k % 2 ? seed.model : QString();
            m.content = text;
            m.created = daysAgo(seed.daysAgo, 10 + k);
            m.updated = m.created;
            QVERIFY(m_store->addMessage(m) > 0);
            ++k;
        }
        m_ids.insert(seed.title, id);
    }
    makeSidebar();
}

void tst_ConversationSidebar::makeSidebar()
{
    m_tester.reset();
    m_sidebar = std::make_unique<ConversationSidebar>(m_store.get());
    m_sidebar->setSearchDelay(10);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_sidebar->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_sidebar->resize(320, 640);
    m_sidebar->show();
    m_sidebar->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_sidebar.get()));
}

void tst_ConversationSidebar::cleanup()
{
    m_tester.reset();
    m_sidebar.reset();
    m_store.reset();
    m_dir.reset();
}

QModelIndex tst_ConversationSidebar::rowOf(const QString &title) const
{
    return m_sidebar->model()->indexOf(idOf(title));
}

// --- The list ------------------------------------------------------------------------

void tst_ConversationSidebar::listShowsNewestFirst()
{
    const ConversationListModel *model = m_sidebar->model();
    QCOMPARE(model->rowCount(), 5);
    QStringList titles;
    for (int row = 0; row < model->rowCount(); ++row)
        titles << model->index(row).data().toString();
    QCOMPARE(titles, (QStringList{u"Weekend hike"_s, u"Quarterly report"_s, u"Sourdough starter"_s,
                                  u"Rust lifetimes"_s, u"Trip to Lisbon"_s}));
    QVERIFY(!m_sidebar->isSearchActive());
    QCOMPARE(m_sidebar->searchField()->placeholderText(), u"Search all messages"_s);
    QVERIFY(m_sidebar->searchField()->isClearButtonEnabled());

    // Compact rows: two lines, not more.
    const int height = m_sidebar->listView()->visualRect(model->index(0)).height();
    QVERIFY2(height < 3 * m_sidebar->fontMetrics().height() + 8, qPrintable(QString::number(height)));
}

void tst_ConversationSidebar::accessibleNames()
{
    QCOMPARE(m_sidebar->searchField()->accessibleName(), u"Search all messages"_s);
    QCOMPARE(m_sidebar->listView()->accessibleName(), u"Conversations"_s);
    QCOMPARE(m_sidebar->resultsView()->accessibleName(), u"Search results"_s);
    const auto *newButton = m_sidebar->findChild<QToolButton *>(u"NewConversationButton"_s);
    QVERIFY(newButton);
    QCOMPARE(newButton->accessibleName(), u"New conversation"_s);
    QCOMPARE(m_sidebar->undoButton()->accessibleName(), u"Undo delete"_s);
    QVERIFY(!m_sidebar->undoBar()->accessibleName().isEmpty());
}

void tst_ConversationSidebar::relativeTime_data()
{
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("expected");

    const QDateTime now(QDate(2024, 6, 14), QTime(15, 30)); // a Friday, local time
    QTest::newRow("seconds ago") << now.addSecs(-20) << now << u"now"_s;
    QTest::newRow("a little in the future") << now.addSecs(30) << now << u"now"_s;
    QTest::newRow("minutes") << now.addSecs(-5 * 60) << now << u"5 min"_s;
    QTest::newRow("59 minutes") << now.addSecs(-59 * 60 - 59) << now << u"59 min"_s;
    QTest::newRow("earlier today") << QDateTime(now.date(), QTime(9, 5)) << now << u"09:05"_s;
    QTest::newRow("yesterday") << QDateTime(now.date().addDays(-1), QTime(23, 50)) << now << u"Yesterday"_s;
    QTest::newRow("this week") << QDateTime(now.date().addDays(-3), QTime(8, 0)) << now << u"Tue"_s;
    QTest::newRow("this year") << QDateTime(QDate(2024, 3, 2), QTime(8, 0)) << now << u"2 Mar"_s;
    QTest::newRow("last year") << QDateTime(QDate(2023, 11, 20), QTime(8, 0)) << now << u"20/11/2023"_s;
    QTest::newRow("in UTC, shown local") << QDateTime(now.date(), QTime(9, 5)).toUTC() << now << u"09:05"_s;
    QTest::newRow("invalid") << QDateTime() << now << QString();
}

void tst_ConversationSidebar::relativeTime()
{
    QFETCH(QDateTime, when);
    QFETCH(QDateTime, now);
    QFETCH(QString, expected);
    QCOMPARE(ConversationDelegate::relativeTime(when, now), expected);
}

void tst_ConversationSidebar::suggestedFileName_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"Trip to Lisbon"_s << u"Trip to Lisbon.md"_s;
    QTest::newRow("slashes and colons") << u"a/b\\c: d?"_s << u"a b c d.md"_s;
    QTest::newRow("control characters") << u"one\ntwo\tthree"_s << u"one two three.md"_s;
    QTest::newRow("dots at the ends") << u"..hidden."_s << u"hidden.md"_s;
    QTest::newRow("empty") << QString() << u"conversation.md"_s;
    QTest::newRow("only forbidden") << u"***"_s << u"conversation.md"_s;
    QTest::newRow("reserved on Windows") << u"CON"_s << u"conversation-CON.md"_s;
    QTest::newRow("long") << QString(200, u'x') << QString(80, u'x') + u".md"_s;
    QTest::newRow("chinese") << u"周末计划"_s << u"周末计划.md"_s;
}

void tst_ConversationSidebar::suggestedFileName()
{
    QFETCH(QString, title);
    QFETCH(QString, expected);
    QCOMPARE(ConversationSidebar::suggestedFileName(title, ConversationSidebar::ExportFormat::Markdown), expected);
    QCOMPARE(ConversationSidebar::suggestedFileName(title, ConversationSidebar::ExportFormat::Json),
             expected.chopped(3) + u".json"_s);
}

void tst_ConversationSidebar::parseSnippet_data()
{
    QTest::addColumn<QString>("marked");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("matches"); // start, length, start, length ...

    QTest::newRow("no marks") << u"plain text"_s << u"plain text"_s << QList<int>{};
    QTest::newRow("one") << u"ride \x02tram\x03 28"_s << u"ride tram 28"_s << QList<int>{5, 4};
    QTest::newRow("two") << u"\x02Rust\x03 and \x02lifetimes\x03"_s << u"Rust and lifetimes"_s
                         << QList<int>{0, 4, 9, 9};
    QTest::newRow("unclosed") << u"a \x02" "b"_s << u"a b"_s << QList<int>{};
    QTest::newRow("stray end") << u"a\x03" " b"_s << u"a b"_s << QList<int>{};
    QTest::newRow("empty mark") << u"a\x02\x03" "b"_s << u"ab"_s << QList<int>{};
    const QString lead = u"word "_s.repeated(30); // 150 characters before the match
    QTest::newRow("long lead is cut") << lead + u"\x02match\x03 end"_s << u"…word word word word word match end"_s
                                      << QList<int>{26, 5};
}

void tst_ConversationSidebar::parseSnippet()
{
    QFETCH(QString, marked);
    QFETCH(QString, text);
    QFETCH(QList<int>, matches);
    const SearchResultsDelegate::Snippet s = SearchResultsDelegate::parseSnippet(marked);
    QCOMPARE(s.text, text);
    QList<int> flat;
    for (const auto &m : s.matches)
        flat << m.first << m.second;
    QCOMPARE(flat, matches);
    for (const auto &m : s.matches)
        QVERIFY(m.first + m.second <= s.text.size());
}

// --- Activation and keys ------------------------------------------------------------------

void tst_ConversationSidebar::clickActivates()
{
    QSignalSpy activated(m_sidebar.get(), &ConversationSidebar::conversationActivated);
    QListView *list = m_sidebar->listView();
    const QModelIndex index = rowOf(u"Rust lifetimes"_s);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), idOf(u"Rust lifetimes"_s));
    QCOMPARE(activated.at(0).at(1).toLongLong(), -1);
    QCOMPARE(m_sidebar->currentConversation(), idOf(u"Rust lifetimes"_s));

    // Enter on the current row opens it too.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Down);
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.at(1).at(0).toLongLong(), idOf(u"Trip to Lisbon"_s));

    QSignalSpy newRequested(m_sidebar.get(), &ConversationSidebar::newConversationRequested);
    QTest::mouseClick(m_sidebar->findChild<QToolButton *>(u"NewConversationButton"_s), Qt::LeftButton);
    QCOMPARE(newRequested.size(), 1);
}

void tst_ConversationSidebar::keyboardBetweenSearchAndList()
{
    m_sidebar->focusSearch();
    QTRY_VERIFY(m_sidebar->searchField()->hasFocus());
    QTest::keyClick(m_sidebar->searchField(), Qt::Key_Down);
    QTRY_VERIFY(m_sidebar->listView()->hasFocus());
    QCOMPARE(m_sidebar->listView()->currentIndex().row(), 0);
    QTest::keyClick(m_sidebar->listView(), Qt::Key_Up);
    QTRY_VERIFY(m_sidebar->searchField()->hasFocus());
}

// --- Search ---------------------------------------------------------------------------------

void tst_ConversationSidebar::searchShowsHighlightedHits()
{
    QTest::keyClicks(m_sidebar->searchField(), u"tram"_s);
    QVERIFY(m_sidebar->isSearchActive());
    QTRY_VERIFY(m_sidebar->resultsView()->isVisible());
    QVERIFY(!m_sidebar->listView()->isVisible());

    const SearchResultsModel *results = m_sidebar->resultsModel();
    QAbstractItemModelTester tester(m_sidebar->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(results->rowCount(), 2); // the question and the answer about Lisbon
    for (int row = 0; row < results->rowCount(); ++row) {
        const QModelIndex index = results->index(row);
        QCOMPARE(index.data(SearchResultsModel::ConversationIdRole).toLongLong(), idOf(u"Trip to Lisbon"_s));
        QCOMPARE(index.data(SearchResultsModel::TitleRole).toString(), u"Trip to Lisbon"_s);
        QVERIFY(index.data(SearchResultsModel::SnippetRole).toString().contains(u"\x02tram\x03"_s));
        QVERIFY(!index.data(Qt::DisplayRole).toString().contains(QChar(0x02)));
        QVERIFY(index.data(Qt::AccessibleTextRole).toString().startsWith(u"Trip to Lisbon: "_s));
    }

    // Painted: the match sits on the marker colour, bold.
    const QModelIndex hit = results->index(0);
    const QImage painted = paintRow(m_sidebar->resultsDelegate(), m_sidebar->resultsView(), hit);
    QVERIFY2(amberPixels(painted) > 40, "no highlighted match painted");
    const SearchResultsDelegate::Snippet snippet =
        SearchResultsDelegate::parseSnippet(hit.data(SearchResultsModel::SnippetRole).toString());
    const QList<QTextLayout::FormatRange> formats =
        SearchResultsDelegate::highlightFormats(snippet, m_sidebar->resultsView()->palette());
    QCOMPARE(formats.size(), 1);
    QCOMPARE(snippet.text.mid(formats.at(0).start, formats.at(0).length), u"tram"_s);
    QCOMPARE(formats.at(0).format.fontWeight(), int(QFont::Bold));
    QCOMPARE(formats.at(0).format.background().color(),
             SearchResultsDelegate::highlightColor(m_sidebar->resultsView()->palette()));

    // A row of the plain list has no marker colour at all.
    const QImage plain = paintRow(m_sidebar->conversationDelegate(), m_sidebar->listView(),
                                  m_sidebar->model()->index(0));
    QCOMPARE(amberPixels(plain), 0);
    m_sidebar->grab().save(m_dir->filePath(u"search.png"_s));
}

void tst_ConversationSidebar::searchIsDebounced()
{
    m_sidebar->setSearchDelay(150);
    QSignalSpy resets(m_sidebar->resultsModel(), &QAbstractItemModel::modelReset);
    QTest::keyClicks(m_sidebar->searchField(), u"starter"_s); // seven keys, no pause
    QCOMPARE(resets.size(), 0);
    QTRY_COMPARE(resets.size(), 1);
    QTest::qWait(200);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_sidebar->resultsModel()->rowCount(), 2); // the title and the question
    QCOMPARE(m_sidebar->resultsModel()->index(0).data(SearchResultsModel::MessageIdRole).toLongLong(), -1);
}

void tst_ConversationSidebar::searchWithoutHits()
{
    QTest::keyClicks(m_sidebar->searchField(), u"zanzibar"_s);
    QTRY_VERIFY(m_sidebar->resultsView()->isVisible());
    QCOMPARE(m_sidebar->resultsModel()->rowCount(), 0);
    QCOMPARE(static_cast<QListView *>(m_sidebar->resultsView())->model()->rowCount(), 0);
}

void tst_ConversationSidebar::activatingHitEmitsMessageId()
{
    QSignalSpy activated(m_sidebar.get(), &ConversationSidebar::conversationActivated);
    QTest::keyClicks(m_sidebar->searchField(), u"acetone"_s);
    QTRY_COMPARE(m_sidebar->resultsModel()->rowCount(), 1);
    const QList<Message> messages = m_store->messages(idOf(u"Sourdough starter"_s));
    const qint64 answerId = messages.at(1).id;

    QListView *results = m_sidebar->resultsView();
    QTest::mouseClick(results->viewport(), Qt::LeftButton, {},
                      results->visualRect(m_sidebar->resultsModel()->index(0)).center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), idOf(u"Sourdough starter"_s));
    QCOMPARE(activated.at(0).at(1).toLongLong(), answerId);

    // Enter in the search field opens the first hit.
    m_sidebar->searchField()->setFocus();
    QTest::keyClick(m_sidebar->searchField(), Qt::Key_Return);
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.at(1).at(1).toLongLong(), answerId);
    QCOMPARE(m_sidebar->currentConversation(), idOf(u"Sourdough starter"_s));
}

void tst_ConversationSidebar::escapeClearsSearch()
{
    QTest::keyClicks(m_sidebar->searchField(), u"rust"_s);
    QTRY_VERIFY(m_sidebar->resultsView()->isVisible());
    QTest::keyClick(m_sidebar->searchField(), Qt::Key_Escape);
    QVERIFY(m_sidebar->searchField()->text().isEmpty());
    QVERIFY(!m_sidebar->isSearchActive());
    QVERIFY(m_sidebar->listView()->isVisible());
    QCOMPARE(m_sidebar->resultsModel()->rowCount(), 0);
}

// --- Rename -----------------------------------------------------------------------------------

void tst_ConversationSidebar::renameInline()
{
    QListView *list = m_sidebar->listView();
    const qint64 id = idOf(u"Rust lifetimes"_s);
    list->setFocus();
    list->setCurrentIndex(rowOf(u"Rust lifetimes"_s));
    QTRY_VERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_F2);
    QLineEdit *editor = nullptr;
    QTRY_VERIFY((editor = list->findChild<QLineEdit *>(u"RenameEditor"_s)) && editor->isVisible());
    QCOMPARE(editor->text(), u"Rust lifetimes"_s);
    QCOMPARE(editor->selectedText(), u"Rust lifetimes"_s);
    QCOMPARE(editor->accessibleName(), u"Conversation title"_s);
    QTest::keyClicks(editor, u"Borrow checker notes"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(m_store->conversation(id)->title, u"Borrow checker notes"_s);
    QCOMPARE(m_sidebar->model()->indexOf(id).data().toString(), u"Borrow checker notes"_s);
    QCOMPARE(m_sidebar->model()->rowOf(id), 3); // a rename keeps the order

    // From the API (the menu's Rename…) too.
    m_sidebar->renameConversation(idOf(u"Trip to Lisbon"_s));
    QTRY_VERIFY((editor = list->findChild<QLineEdit *>(u"RenameEditor"_s)) && editor->isVisible()
                && editor->text() == u"Trip to Lisbon"_s);
    QTest::keyClick(editor, Qt::Key_Escape); // cancels
    QTRY_VERIFY(!list->findChild<QLineEdit *>(u"RenameEditor"_s) || !editor->isVisible());
    QCOMPARE(m_store->conversation(idOf(u"Trip to Lisbon"_s))->title, u"Trip to Lisbon"_s);
}

void tst_ConversationSidebar::renameToEmptyKeepsTitle()
{
    const qint64 id = idOf(u"Weekend hike"_s);
    m_sidebar->renameConversation(id);
    QLineEdit *editor = nullptr;
    QTRY_VERIFY((editor = m_sidebar->listView()->findChild<QLineEdit *>(u"RenameEditor"_s)) && editor->isVisible());
    editor->clear();
    QTest::keyClicks(editor, u"   "_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTest::qWait(20);
    QCOMPARE(m_store->conversation(id)->title, u"Weekend hike"_s);
}

// --- Delete, undo ---------------------------------------------------------------------------

void tst_ConversationSidebar::deleteAndUndo()
{
    QSignalSpy deleted(m_sidebar.get(), &ConversationSidebar::conversationDeleted);
    QSignalSpy pending(m_sidebar.get(), &ConversationSidebar::deletePendingChanged);
    QListView *list = m_sidebar->listView();
    const qint64 id = idOf(u"Sourdough starter"_s);
    list->setFocus();
    list->setCurrentIndex(rowOf(u"Sourdough starter"_s));
    QTRY_VERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_Delete);

    QCOMPARE(m_sidebar->model()->rowOf(id), -1);
    QCOMPARE(m_sidebar->model()->rowCount(), 4);
    QVERIFY(m_sidebar->undoBar()->isVisible());
    QVERIFY(m_sidebar->findChild<QLabel *>(u"UndoLabel"_s)->text().contains(u"Sourdough starter"_s));
    QVERIFY(m_store->conversation(id).has_value()); // not yet
    QCOMPARE(m_sidebar->pendingDeletes(), QList<qint64>{id});
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.at(0).at(1).toBool(), true);
    // The row that took its place is the one Del would act on next.
    QCOMPARE(list->currentIndex().data().toString(), u"Rust lifetimes"_s);

    QTest::mouseClick(m_sidebar->undoButton(), Qt::LeftButton);
    QVERIFY(!m_sidebar->undoBar()->isVisible());
    QCOMPARE(m_sidebar->model()->rowOf(id), 2);
    QVERIFY(m_sidebar->pendingDeletes().isEmpty());
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending.at(1).at(1).toBool(), false);

    // Nothing is deleted later either.
    m_sidebar->setUndoTimeout(30);
    QTest::qWait(80);
    QCOMPARE(deleted.size(), 0);
    QVERIFY(m_store->conversation(id).has_value());
}

void tst_ConversationSidebar::deleteCommittedAfterTimeout()
{
    m_sidebar->setUndoTimeout(100);
    QSignalSpy deleted(m_sidebar.get(), &ConversationSidebar::conversationDeleted);
    const qint64 id = idOf(u"Quarterly report"_s);
    m_sidebar->deleteConversation(id);
    QVERIFY(m_sidebar->undoBar()->isVisible());
    QVERIFY(m_store->conversation(id).has_value());
    QTRY_COMPARE(deleted.size(), 1);
    QCOMPARE(deleted.at(0).at(0).toLongLong(), id);
    QVERIFY(!m_store->conversation(id).has_value());
    QCOMPARE(m_store->messageCount(id), 0);
    QVERIFY(!m_sidebar->undoBar()->isVisible());
    QCOMPARE(m_sidebar->model()->rowOf(id), -1);
    QVERIFY(!m_sidebar->model()->isHidden(id));
    QCOMPARE(m_sidebar->model()->rowCount(), 4);
}

void tst_ConversationSidebar::deleteSeveralCommittedOnQuit()
{
    QSignalSpy deleted(m_sidebar.get(), &ConversationSidebar::conversationDeleted);
    m_sidebar->deleteConversation(idOf(u"Weekend hike"_s));
    m_sidebar->deleteConversation(idOf(u"Trip to Lisbon"_s));
    m_sidebar->deleteConversation(idOf(u"Trip to Lisbon"_s)); // twice: once
    QCOMPARE(m_sidebar->pendingDeletes().size(), 2);
    QCOMPARE(m_sidebar->findChild<QLabel *>(u"UndoLabel"_s)->text(), u"Deleted 2 conversations"_s);
    QCOMPARE(m_sidebar->model()->rowCount(), 3);

    m_sidebar->commitPendingDeletes();
    QCOMPARE(deleted.size(), 2);
    QVERIFY(!m_store->conversation(idOf(u"Weekend hike"_s)));
    QVERIFY(!m_store->conversation(idOf(u"Trip to Lisbon"_s)));
    QCOMPARE(m_store->conversationCount(), 3);
    QVERIFY(!m_sidebar->undoBar()->isVisible());
}

void tst_ConversationSidebar::destructorCommitsPendingDeletes()
{
    const qint64 id = idOf(u"Rust lifetimes"_s);
    m_sidebar->deleteConversation(id);
    m_tester.reset();
    m_sidebar.reset();
    QVERIFY(!m_store->conversation(id));
    QCOMPARE(m_store->conversationCount(), 4);
}

void tst_ConversationSidebar::deletedConversationLeavesSearchResults()
{
    QTest::keyClicks(m_sidebar->searchField(), u"lisbon"_s);
    QTRY_VERIFY(m_sidebar->resultsModel()->rowCount() >= 2);
    m_sidebar->deleteConversation(idOf(u"Trip to Lisbon"_s));
    QCOMPARE(m_sidebar->resultsModel()->rowCount(), 0);
    // Undo brings the hits back.
    m_sidebar->undoDelete();
    QVERIFY(m_sidebar->resultsModel()->rowCount() >= 2);
}

// --- Files, clipboard ------------------------------------------------------------------------

void tst_ConversationSidebar::exportImportRoundTrip()
{
    const qint64 id = idOf(u"Rust lifetimes"_s);
    const QString path = m_dir->filePath(u"rust.json"_s);
    QSignalSpy status(m_sidebar.get(), &ConversationSidebar::statusMessage);
    QString error;
    QVERIFY2(m_sidebar->exportConversation(id, path, ConversationSidebar::ExportFormat::Json, &error),
             qPrintable(error));
    QCOMPARE(status.size(), 1);
    QVERIFY(status.at(0).at(0).toString().startsWith(u"Exported to "_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray exported = file.readAll();
    file.close();
    QCOMPARE(exported, ConversationExport::toJson(*m_store->conversation(id), m_store->messages(id)));

    QSignalSpy imported(m_sidebar.get(), &ConversationSidebar::conversationImported);
    QSignalSpy activated(m_sidebar.get(), &ConversationSidebar::conversationActivated);
    const qint64 newId = m_sidebar->importConversation(path, &error);
    QVERIFY2(newId > 0, qPrintable(error));
    QVERIFY(newId != id);
    QCOMPARE(imported.size(), 1);
    QCOMPARE(imported.at(0).at(0).toLongLong(), newId);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), newId);

    // In the list at its place (it keeps its times), selected.
    QCOMPARE(m_sidebar->model()->rowCount(), 6);
    QVERIFY(m_sidebar->model()->rowOf(newId) >= 0);
    QCOMPARE(m_sidebar->listView()->currentIndex().data(ConversationListModel::IdRole).toLongLong(), newId);
    QCOMPARE(m_sidebar->model()->indexOf(newId).data(ConversationListModel::MessageCountRole).toInt(), 2);

    // The same conversation: exporting the import gives the same bytes.
    const QString again = m_dir->filePath(u"rust-again.json"_s);
    QVERIFY(m_sidebar->exportConversation(newId, again, ConversationSidebar::ExportFormat::Json, &error));
    QFile second(again);
    QVERIFY(second.open(QIODevice::ReadOnly));
    QCOMPARE(second.readAll(), exported);
}

void tst_ConversationSidebar::exportMarkdownFile()
{
    const qint64 id = idOf(u"Quarterly report"_s);
    const QString path = m_dir->filePath(u"report.md"_s);
    QString error;
    QVERIFY2(m_sidebar->exportConversation(id, path, ConversationSidebar::ExportFormat::Markdown, &error),
             qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(file.readAll());
    QCOMPARE(markdown, ConversationExport::toMarkdown(*m_store->conversation(id), m_store->messages(id)));
    QVERIFY(markdown.contains(u"| Q1 | 1.2 M |"_s));

    // A folder that does not exist: a plain sentence, no file.
    const QString bad = m_dir->filePath(u"missing/folder/report.md"_s);
    QVERIFY(!m_sidebar->exportConversation(id, bad, ConversationSidebar::ExportFormat::Markdown, &error));
    QVERIFY(error.contains(u"Could not write"_s));
    // A conversation that is gone.
    QVERIFY(!m_sidebar->exportConversation(987654, path, ConversationSidebar::ExportFormat::Json, &error));
    QVERIFY(!error.isEmpty());
}

void tst_ConversationSidebar::importRejectsBadFiles()
{
    QString error;
    QCOMPARE(m_sidebar->importConversation(m_dir->filePath(u"nope.json"_s), &error), -1);
    QVERIFY(error.startsWith(u"Could not open"_s));

    const QString garbage = m_dir->filePath(u"garbage.json"_s);
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"something-else\"}");
    file.close();
    QSignalSpy imported(m_sidebar.get(), &ConversationSidebar::conversationImported);
    QCOMPARE(m_sidebar->importConversation(garbage, &error), -1);
    QVERIFY(error.startsWith(u"Could not import garbage.json: "_s));
    QCOMPARE(imported.size(), 0);
    QCOMPARE(m_store->conversationCount(), 5);
    QCOMPARE(m_sidebar->model()->rowCount(), 5);
}

void tst_ConversationSidebar::copyAsMarkdown()
{
    const qint64 id = idOf(u"Trip to Lisbon"_s);
    QSignalSpy status(m_sidebar.get(), &ConversationSidebar::statusMessage);
    QVERIFY(m_sidebar->copyAsMarkdown(id));
    const QString expected = ConversationExport::toMarkdown(*m_store->conversation(id), m_store->messages(id));
    QCOMPARE(QApplication::clipboard()->text(), expected);
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(mime->data(u"text/markdown"_s), expected.toUtf8());
    QVERIFY(expected.contains(u"tram 28"_s));
    QCOMPARE(status.size(), 1);
    QCOMPARE(status.at(0).at(0).toString(), u"Copied “Trip to Lisbon” as Markdown"_s);

    QVERIFY(!m_sidebar->copyAsMarkdown(424242));
    QVERIFY(m_sidebar->banner()->isVisible());
}

void tst_ConversationSidebar::copyWithKeyboard()
{
    QApplication::clipboard()->clear();
    QListView *list = m_sidebar->listView();
    list->setFocus();
    list->setCurrentIndex(rowOf(u"Sourdough starter"_s));
    QTRY_VERIFY(list->hasFocus());
    QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
    QTRY_VERIFY(QApplication::clipboard()->text().contains(u"acetone"_s));
}

// --- Streaming, menu, current ------------------------------------------------------------------

void tst_ConversationSidebar::listFetchesMoreWhenScrolled()
{
    for (int i = 0; i < 1200; ++i) {
        Conversation c;
        c.title = u"Filler %1"_s.arg(i);
        c.model = u"gpt-4o-mini"_s;
        c.updated = QDateTime::currentDateTimeUtc().addSecs(-60LL * i);
        QVERIFY(m_store->createConversation(c) > 0);
    }
    QElapsedTimer timer;
    timer.start();
    makeSidebar();
    qInfo("sidebar over %d conversations shown in %lld ms", m_store->conversationCount(), timer.elapsed());
    QListView *list = m_sidebar->listView();
    const int first = m_sidebar->model()->rowCount();
    QVERIFY(first < m_store->conversationCount()); // lazy
    QScrollBar *bar = list->verticalScrollBar();
    for (int i = 0; i < 30 && m_sidebar->model()->canFetchMore(QModelIndex()); ++i) {
        bar->setValue(bar->maximum());
        QCoreApplication::processEvents();
    }
    QTRY_COMPARE(m_sidebar->model()->rowCount(), 1205);
    QCOMPARE(list->model()->index(1204, 0).data().toString(), u"Trip to Lisbon"_s);
}

void tst_ConversationSidebar::streamingDot()
{
    ConversationListModel *model = m_sidebar->model();
    const qint64 id = idOf(u"Rust lifetimes"_s);
    const QModelIndex index = model->indexOf(id);
    const int dotArea = 300 - 40; // the dot sits at the right end of the second line
    QCOMPARE(bluePixels(paintRow(m_sidebar->conversationDelegate(), m_sidebar->listView(), index), dotArea), 0);
    m_sidebar->setStreaming(id, true);
    QVERIFY(index.data(ConversationListModel::StreamingRole).toBool());
    QVERIFY(bluePixels(paintRow(m_sidebar->conversationDelegate(), m_sidebar->listView(), index), dotArea) > 10);
    m_sidebar->setStreaming(id, false);
    QCOMPARE(bluePixels(paintRow(m_sidebar->conversationDelegate(), m_sidebar->listView(), index), dotArea), 0);
}

void tst_ConversationSidebar::contextMenu()
{
    QListView *list = m_sidebar->listView();
    const QModelIndex index = rowOf(u"Weekend hike"_s);
    Q_EMIT list->customContextMenuRequested(list->visualRect(index).center());
    QMenu *menu = m_sidebar->contextMenu();
    QTRY_VERIFY(menu->isVisible());
    QStringList texts;
    const QList<QAction *> actions = menu->actions();
    for (const QAction *a : actions)
        if (!a->isSeparator() && a->isVisible()) {
            texts << a->text();
            if (a->text() != u"New Conversation"_s && a->text() != u"Import JSON…"_s)
                QVERIFY2(a->isEnabled(), qPrintable(a->text()));
        }
    QCOMPARE(texts, (QStringList{u"Open"_s, u"New Conversation"_s, u"Rename…"_s, u"Copy as Markdown"_s,
                                 u"Export as Markdown…"_s, u"Export as JSON…"_s, u"Import JSON…"_s, u"Delete"_s}));

    // Delete from the menu acts on the row the menu was opened on.
    QAction *deleteAction = nullptr;
    for (QAction *a : actions)
        if (a->text() == u"Delete"_s)
            deleteAction = a;
    menu->hide();
    deleteAction->trigger();
    QCOMPARE(m_sidebar->pendingDeletes(), QList<qint64>{idOf(u"Weekend hike"_s)});
    m_sidebar->undoDelete();

    // On empty space: only what needs no row.
    Q_EMIT list->customContextMenuRequested(QPoint(10, list->viewport()->height() - 5));
    QTRY_VERIFY(menu->isVisible());
    for (const QAction *a : actions) {
        if (a->text() == u"Delete"_s || a->text() == u"Rename…"_s)
            QVERIFY(!a->isEnabled());
        if (a->text() == u"Import JSON…"_s)
            QVERIFY(a->isEnabled());
    }
    menu->hide();
}

void tst_ConversationSidebar::resultsMenuOpensAtMessage()
{
    QTest::keyClicks(m_sidebar->searchField(), u"acetone"_s);
    QTRY_COMPARE(m_sidebar->resultsModel()->rowCount(), 1);
    QListView *results = m_sidebar->resultsView();
    Q_EMIT results->customContextMenuRequested(results->visualRect(m_sidebar->resultsModel()->index(0)).center());
    QMenu *menu = m_sidebar->contextMenu();
    QTRY_VERIFY(menu->isVisible());
    QAction *open = nullptr;
    QAction *rename = nullptr;
    const QList<QAction *> actions = menu->actions();
    for (QAction *a : actions) {
        if (a->text() == u"Open"_s)
            open = a;
        if (a->text() == u"Rename…"_s)
            rename = a;
    }
    QVERIFY(open && rename);
    QVERIFY(!rename->isVisible()); // renaming happens in the list
    QSignalSpy activated(m_sidebar.get(), &ConversationSidebar::conversationActivated);
    menu->hide();
    open->trigger();
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), idOf(u"Sourdough starter"_s));
    QCOMPARE(activated.at(0).at(1).toLongLong(), m_store->messages(idOf(u"Sourdough starter"_s)).at(1).id);
}

void tst_ConversationSidebar::setCurrentConversationLoadsOlderPages()
{
    // 150 more, all newer than the seeds: the seeds are beyond the first page.
    for (int i = 0; i < 150; ++i) {
        Conversation c;
        c.title = u"Filler %1"_s.arg(i);
        c.updated = QDateTime::currentDateTimeUtc().addSecs(-i);
        QVERIFY(m_store->createConversation(c) > 0);
    }
    m_sidebar->model()->refresh();
    const qint64 id = idOf(u"Trip to Lisbon"_s);
    QCOMPARE(m_sidebar->model()->rowOf(id), -1);
    m_sidebar->setCurrentConversation(id);
    QCOMPARE(m_sidebar->listView()->currentIndex().data(ConversationListModel::IdRole).toLongLong(), id);
    QVERIFY(m_sidebar->listView()->selectionModel()->isSelected(m_sidebar->listView()->currentIndex()));

    m_sidebar->setCurrentConversation(-1);
    QVERIFY(!m_sidebar->listView()->selectionModel()->hasSelection());
}

void tst_ConversationSidebar::trackedSessionMovesUp()
{
    QNetworkAccessManager nam;
    ChatSession session(&nam, m_store.get());
    m_sidebar->trackSession(&session);
    const qint64 id = idOf(u"Trip to Lisbon"_s);
    QCOMPARE(m_sidebar->model()->rowOf(id), 4);

    // A message arrived (written by the session's store calls); the session says so.
    Message m;
    m.conversationId = id;
    m.content = u"And a fourth day?"_s;
    QVERIFY(m_store->addMessage(m) > 0);
    QVERIFY(session.load(id)); // emits conversationChanged
    QCOMPARE(m_sidebar->model()->rowOf(id), 0);
    QCOMPARE(m_sidebar->model()->indexOf(id).data(ConversationListModel::MessageCountRole).toInt(), 3);
}

QTEST_MAIN(tst_ConversationSidebar)

#include "tst_conversationsidebar.moc"
