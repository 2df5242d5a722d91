// bench_history: how fast the history is with a big, realistic database.
//
//     bench_history [--conversations N] [--messages M] [--keep FILE] [--write-only]
//
// Writes N conversations × M messages (default 1 000 × 50: short questions,
// prose answers, some long code answers, some Chinese) plus one long
// conversation of 2 000 messages into a temporary SQLite file, reopens it and
// times what the UI does: open + sidebar, open the largest conversation
// (windows of 50 / 200, all), searches (as many hits as the sidebar asks
// for). Prints file size and RSS, and each figure against its target. Not a
// test: figures vary by machine and cache.
//
// --keep FILE writes the database to FILE (replacing it) and keeps it;
// --write-only stops after writing. bench/bench_startup.sh --history FILE
// then starts the real app on that history (the window, the sidebar, opening
// the largest conversation and a search, with their RSS). The line
// "largest-conversation-id N" says which conversation is the long one.

#include "store/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {

const QStringList words = u"the a to of and in is that for it with as on this be are you can your "
    "use when from not by if or will an which all one more there should some what about so "
    "database migration query index table transaction connection stream token model reply "
    "request server client network latency throughput memory thread signal slot widget "
    "layout window sidebar message conversation history search result error timeout retry "
    "buffer parser event schema version backup restore commit rollback cursor page cache "
    "performance benchmark function value type string list map vector pointer reference "
    "compile build test debug release option setting endpoint key secret proxy certificate"_s
        .split(u' ');

const QStringList codeSnippets = {
    uR"(```cpp
#include <QSqlDatabase>
#include <QSqlQuery>

bool openHistory(const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"history"_s);
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    QSqlQuery q(db);
    q.exec(u"PRAGMA journal_mode = WAL"_s);
    return true;
}
```
)"_s,
    uR"(```python
def migrate(conn, steps):
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    with conn:
        for step in steps[version:]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {len(steps)}")
```
)"_s,
    uR"(```sql
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    content TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_by_position ON messages(conversation_id, position);
```
)"_s,
};

const QString chinese = u"数据库迁移需要先备份文件然后在事务中执行每个步骤如果失败就回滚保持原始文件不变"
                        "我们使用全文搜索索引来查找消息内容模型回答的速度很快流式输出的每个令牌都会更新界面"_s;

class Generator
{
public:
    explicit Generator(quint32 seed) : m_random(seed) { }

    QString prose(int minWords, int maxWords)
    {
        const int n = int(m_random.bounded(minWords, maxWords + 1));
        QString text;
        text.reserve(n * 8);
        for (int i = 0; i < n; ++i) {
            if (i > 0)
                text += (i % 17 == 0) ? u".\n\n"_s : (i % 9 == 0 ? u", "_s : u" "_s);
            text += words.at(int(m_random.bounded(int(words.size()))));
        }
        return text + u'.';
    }

    QString chineseText(int minChars, int maxChars)
    {
        const int n = int(m_random.bounded(minChars, maxChars + 1));
        const int start = int(m_random.bounded(int(chinese.size())));
        QString text;
        for (int i = 0; i < n; ++i)
            text += chinese.at((start + i) % chinese.size());
        return text + u'。';
    }

    Message message(int index)
    {
        Message m;
        m.role = index % 2 == 0 ? ChatMessage::Role::User : ChatMessage::Role::Assistant;
        const quint32 dice = m_random.bounded(100u);
        if (m.role == ChatMessage::Role::User) {
            m.content = dice < 10 ? chineseText(10, 60) : prose(8, 60);
        } else {
            m.model = u"gpt-4o-mini"_s;
            m.finishReason = u"stop"_s;
            if (dice < 10) {
                m.content = chineseText(100, 600);
            } else if (dice < 25) { // a long code answer, 3-12 KB
                m.content = prose(30, 80);
                const int blocks = int(m_random.bounded(5, 20));
                for (int b = 0; b < blocks; ++b)
                    m.content += u"\n\n"_s + codeSnippets.at(int(m_random.bounded(int(codeSnippets.size()))))
                        + prose(10, 40);
            } else {
                m.content = prose(60, 400);
            }
            if (dice % 3 == 0)
                m.reasoning = prose(20, 120);
            m.usage.promptTokens = m_random.bounded(50, 4000);
            m.usage.completionTokens = m.content.size() / 4;
            m.usage.totalTokens = m.usage.promptTokens + m.usage.completionTokens;
            m.metrics.ttftMs = m_random.bounded(150, 900);
            m.metrics.elapsedMs = m.metrics.ttftMs + m.usage.completionTokens * 15.0;
            m.metrics.tokens = m.usage.completionTokens;
            m.metrics.tokenSource = u"usage"_s;
            m.metrics.tokensPerSecond = 66.0;
            m.metrics.bytes = m.content.size() * 3;
            m.costUsd = m.usage.totalTokens * 0.0000006;
        }
        return m;
    }

private:
    QRandomGenerator m_random;
};

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// Runs `f` once cold(ish) and `repeat` more times; returns {first, median of the rest}.
std::pair<double, double> timeIt(const std::function<void()> &f, int repeat = 5)
{
    QElapsedTimer timer;
    timer.start();
    f();
    const double first = msSince(timer);
    QList<double> times;
    for (int i = 0; i < repeat; ++i) {
        timer.restart();
        f();
        times << msSince(timer);
    }
    std::sort(times.begin(), times.end());
    return {first, times.isEmpty() ? first : times.at(times.size() / 2)};
}

QString procStatus(const char *field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return u"n/a"_s;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(prefix)) {
            const qint64 kb = line.mid(prefix.size()).trimmed().split(' ').first().toLongLong();
            return QString::number(double(kb) / 1024.0, 'f', 1) + u" MB"_s;
        }
    return u"n/a"_s;
}

double procStatusMb(const char *field)
{
    const QString s = procStatus(field);
    return s.endsWith(u" MB"_s) ? s.chopped(3).toDouble() : -1;
}

// `text` padded to `width` terminal columns (CJK characters take two).
QByteArray padded(const QString &text, int width)
{
    int columns = 0;
    for (const uint c : text.toUcs4())
        columns += (c >= 0x1100 && QChar::script(char32_t(c)) != QChar::Script_Latin) ? 2 : 1;
    return (text + QString(qMax(0, width - columns), u' ')).toUtf8();
}

void row(const QString &what, double first, double median, double target, const QString &extra = {})
{
    const bool ok = target <= 0 || median <= target;
    std::printf("%s %9.2f %9.2f %8s  %-4s %s\n", padded(what, 46).constData(), first, median,
                target > 0 ? qPrintable(u"< %1"_s.arg(target)) : "", target > 0 ? (ok ? "ok" : "SLOW") : "",
                qPrintable(extra));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_history"_s);
    QLoggingCategory::setFilterRules(u"sluice.store.debug=false\nsluice.store.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Times the SQLite history with a large database."_s);
    parser.addHelpOption();
    QCommandLineOption conversationsOption(u"conversations"_s, u"Number of conversations."_s, u"N"_s, u"1000"_s);
    QCommandLineOption messagesOption(u"messages"_s, u"Messages per conversation."_s, u"M"_s, u"50"_s);
    QCommandLineOption keepOption(u"keep"_s, u"Write the database to FILE and keep it."_s, u"FILE"_s);
    QCommandLineOption writeOnlyOption(u"write-only"_s, u"Write the database, time nothing."_s);
    parser.addOptions({conversationsOption, messagesOption, keepOption, writeOnlyOption});
    parser.process(app);
    const int conversationCount = parser.value(conversationsOption).toInt();
    const int messagesPer = parser.value(messagesOption).toInt();
    const int longConversation = 2000;

    QTemporaryDir dir;
    const QString file = parser.isSet(keepOption) ? parser.value(keepOption) : dir.filePath(u"history.sqlite3"_s);
    QFile::remove(file);
    QFile::remove(file + u"-wal"_s);
    QFile::remove(file + u"-shm"_s);

    // --- write --------------------------------------------------------------------
    Generator generator(20240501);
    qint64 largestId = -1;
    qint64 typicalId = -1;
    qint64 totalMessages = 0;
    qint64 totalChars = 0;
    QElapsedTimer timer;
    timer.start();
    {
        HistoryStore store;
        if (!store.open(file)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-conversationCount);
        for (int c = 0; c <= conversationCount; ++c) {
            const bool isLong = c == conversationCount / 2;
            const int count = isLong ? longConversation : messagesPer;
            Conversation conversation;
            conversation.title = isLong ? u"The long one"_s : generator.prose(2, 6).chopped(1);
            conversation.model = u"gpt-4o-mini"_s;
            conversation.endpoint = u"https://api.example.com/v1"_s;
            conversation.created = start.addSecs(qint64(c) * 86400 / 2);
            QList<Message> messages;
            messages.reserve(count);
            for (int m = 0; m < count; ++m) {
                Message message = generator.message(m);
                message.created = conversation.created.addSecs(m * 30);
                message.updated = message.created.addSecs(5);
                totalChars += message.content.size() + message.reasoning.size();
                messages << message;
            }
            conversation.updated = messages.last().updated;
            const qint64 id = store.importConversation(conversation, messages);
            if (id < 0) {
                std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
                return 1;
            }
            totalMessages += count;
            if (isLong)
                largestId = id;
            else if (typicalId < 0)
                typicalId = id;
        }
    }
    const double writeMs = msSince(timer);

    auto fileSize = [&](const QString &f) { return QFileInfo(f).size(); };
    std::printf("bench_history: %d conversations x %d messages + 1 x %d  (%lld messages, %.1f M characters)\n",
                conversationCount, messagesPer, longConversation, totalMessages, double(totalChars) / 1e6);
    std::printf("written in %.1f s (%.0f messages/s, one transaction per conversation)\n",
                writeMs / 1000, double(totalMessages) / (writeMs / 1000));
    std::printf("file %s: %.1f MB\n", qPrintable(file), double(fileSize(file)) / 1e6);
    std::printf("largest-conversation-id %lld\n\n", largestId);
    if (parser.isSet(writeOnlyOption))
        return 0;

    std::printf("%-46s %9s %9s %8s\n", "operation", "first ms", "median", "target");
    std::printf("%s\n", QByteArray(80, '-').constData());

    // --- open + sidebar -----------------------------------------------------------
    {
        QElapsedTimer t;
        t.start();
        HistoryStore store;
        if (!store.open(file)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        store.markInterrupted();
        const double openMs = msSince(t);
        const QList<HistoryStore::ConversationSummary> page = store.conversations(50);
        const double firstPageMs = msSince(t);
        row(u"open store + markInterrupted"_s, openMs, openMs, 0);
        row(u"open store + sidebar, first 50"_s, firstPageMs, firstPageMs, 300,
            u"%1 rows"_s.arg(page.size()));
    }
    HistoryStore store;
    if (!store.open(file))
        return 1;
    {
        int rows = 0;
        auto [first, median] = timeIt([&] { rows = int(store.conversations(50).size()); });
        row(u"sidebar, first page (50)"_s, first, median, 300, u"%1 rows"_s.arg(rows));
        std::tie(first, median) = timeIt([&] { rows = int(store.conversations().size()); });
        row(u"sidebar, all conversations"_s, first, median, 300, u"%1 rows"_s.arg(rows));
    }

    // --- open a conversation ------------------------------------------------------
    for (const auto &[label, conversation] : {std::pair{u"largest"_s, largestId}, std::pair{u"typical"_s, typicalId}}) {
        const qint64 id = conversation; // lambdas cannot capture a structured binding in C++17
        int rows = 0;
        auto [first, median] = timeIt([&] { rows = int(store.messages(id, 50).size()); });
        row(u"%1 conversation, last 50"_s.arg(label), first, median, 100, u"%1 msgs"_s.arg(rows));
        if (label == u"typical"_s)
            continue;
        std::tie(first, median) = timeIt([&] { rows = int(store.messages(id, 200).size()); });
        row(u"%1 conversation, last 200"_s.arg(label), first, median, 100, u"%1 msgs"_s.arg(rows));
        std::tie(first, median) = timeIt([&] { rows = int(store.messages(id).size()); });
        row(u"%1 conversation, all"_s.arg(label), first, median, 100, u"%1 msgs"_s.arg(rows));
    }

    // --- search -------------------------------------------------------------------
    // As many hits as the sidebar asks for (ConversationSidebar::SearchLimit).
    constexpr int searchLimit = 200;
    const QStringList queries{
        u"migration"_s, u"QSqlDatabase"_s, u"rollback transaction"_s, u"wal"_s, u"the"_s,
        u"zyzzyva"_s, u"数据库"_s, u"回滚"_s, u"不存在的词"_s, u"stream 令牌"_s,
    };
    for (const QString &q : queries) {
        int hits = 0;
        auto [first, median] = timeIt([&] { hits = int(store.search(q, searchLimit).size()); });
        row(u"search \"%1\""_s.arg(q), first, median, 50, u"%1 hits"_s.arg(hits));
    }

    std::printf("%s\n", QByteArray(80, '-').constData());
    const double rss = procStatusMb("VmRSS");
    std::printf("%-46s %9.1f MB (peak %s)  %-8s %s\n", "RSS", rss, qPrintable(procStatus("VmHWM")),
                "< 150", rss >= 0 && rss < 150 ? "ok" : "HIGH");
    std::printf("%-46s %9.1f MB (+ WAL %.1f MB)\n", "file size", double(fileSize(file)) / 1e6,
                double(fileSize(file + u"-wal"_s)) / 1e6);
    if (store.lastErrorKind() != HistoryStore::ErrorKind::None)
        std::printf("last error: %s\n", qPrintable(store.lastError()));
    return 0;
}
