// Tests of HistoryStore on real SQLite files in a temporary folder: round
// trips, windows, deletes, migrations from the fixture of every earlier schema
// version (tests/data/history/), errors (damaged, read-only, locked, full,
// newer), and search (prefix, several words, CJK, hostile input).
//
// The fixtures are written by writeFixtures() below; see
// tests/data/history/README.md.

#include "historyfixture.h"
#include "store/historyschema.h"
#include "store/historysearch.h"
#include "store/historystore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace HistoryFixture;

namespace {

QString dataDir()
{
    QString dir = qEnvironmentVariable("SLUICE_TEST_DATA");
    if (dir.isEmpty())
        dir = QFINDTESTDATA("data");
    return dir + u"/history"_s;
}

// Qt binds a null QString as NULL.
QString nn(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

QByteArray sha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

// A QSQLITE connection of the test's own (another "program" on the same
// file), removed again when it goes out of scope.
class RawDb
{
public:
    explicit RawDb(const QString &path, const QString &options = QString())
    {
        static int counter = 0;
        m_name = u"tst-raw-%1"_s.arg(++counter);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        m_open = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_open; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql, QString *error = nullptr) const
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (!ok && error)
            *error = q.lastError().text();
        return ok;
    }
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    QStringList column(const QString &sql) const
    {
        QSqlQuery q(db());
        QStringList out;
        if (q.exec(sql))
            while (q.next())
                out << q.value(0).toString();
        return out;
    }

private:
    QString m_name;
    bool m_open = false;
};

void compareMessages(const Message &a, const Message &b)
{
    QCOMPARE(a.conversationId, b.conversationId);
    QCOMPARE(a.role, b.role);
    QCOMPARE(a.state, b.state);
    QCOMPARE(a.content, b.content);
    QCOMPARE(a.reasoning, b.reasoning);
    QCOMPARE(a.model, b.model);
    QCOMPARE(a.finishReason, b.finishReason);
    QCOMPARE(a.errorText, b.errorText);
    QCOMPARE(a.usage.promptTokens, b.usage.promptTokens);
    QCOMPARE(a.usage.completionTokens, b.usage.completionTokens);
    QCOMPARE(a.usage.totalTokens, b.usage.totalTokens);
    QCOMPARE(a.usage.reasoningTokens, b.usage.reasoningTokens);
    QCOMPARE(a.usage.cachedPromptTokens, b.usage.cachedPromptTokens);
    QCOMPARE(a.metrics.ttftMs, b.metrics.ttftMs);
    QCOMPARE(a.metrics.elapsedMs, b.metrics.elapsedMs);
    QCOMPARE(a.metrics.tokens, b.metrics.tokens);
    QCOMPARE(a.metrics.tokenSource, b.metrics.tokenSource);
    QCOMPARE(a.metrics.tokensPerSecond, b.metrics.tokensPerSecond);
    QCOMPARE(a.metrics.gapP50Ms, b.metrics.gapP50Ms);
    QCOMPARE(a.metrics.gapP99Ms, b.metrics.gapP99Ms);
    QCOMPARE(a.metrics.bytes, b.metrics.bytes);
    QCOMPARE(a.metrics.retries, b.metrics.retries);
    QCOMPARE(a.metrics.malformedEvents, b.metrics.malformedEvents);
    QCOMPARE(a.costUsd, b.costUsd);
    QCOMPARE(a.created, b.created);
    QCOMPARE(a.updated, b.updated);
}

// The data every fixture holds (in the columns its version has).
struct FixtureMessage
{
    int conversation; // index into fixtureConversations()
    ChatMessage::Role role;
    Message::State state;
    QString content;
    QString reasoning;
};

QList<Conversation> fixtureConversations()
{
    Conversation a = sampleConversation(u"Database migrations"_s);
    Conversation b = sampleConversation(u"数据库迁移"_s);
    b.endpoint = u"http://localhost:11434/v1"_s;
    b.model = u"qwen2.5"_s;
    b.systemPrompt.clear();
    b.temperature.reset();
    b.maxTokens.reset();
    b.created = at(u"2024-05-02T08:00:00.000Z"_s);
    b.updated = at(u"2024-05-02T08:01:00.000Z"_s);
    Conversation c = sampleConversation(u"Cut off"_s);
    c.created = at(u"2024-05-03T09:00:00.000Z"_s);
    c.updated = at(u"2024-05-03T09:00:30.000Z"_s);
    return {a, b, c};
}

QList<FixtureMessage> fixtureMessages()
{
    using R = ChatMessage::Role;
    using S = Message::State;
    return {
        {0, R::User, S::Completed, u"How do SQLite migrations work?"_s, QString()},
        {0, R::Assistant, S::Completed,
         u"Use PRAGMA user_version and run each migration step inside a transaction."_s,
         u"The user asks about schema versioning."_s},
        {1, R::User, S::Completed, u"如何迁移数据库？"_s, QString()},
        {1, R::Assistant, S::Completed, u"先备份文件，然后在事务中执行每个迁移步骤。"_s, QString()},
        {2, R::User, S::Completed, u"Write a long story"_s, QString()},
        {2, R::Assistant, S::Streaming, u"Once upon a time"_s, QString()},
    };
}

} // namespace

class tst_HistoryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void schemaVersionMatchesSteps();
    void openCreatesSchema();
    void defaultPath();
    void connectionsAreNamedAndRemoved();
    void closedStoreFailsPolitely();

    void conversationRoundTrip_data();
    void conversationRoundTrip();
    void messageRoundTrip_data();
    void messageRoundTrip();
    void updateMessage();
    void ordering();
    void windows_data();
    void windows();
    void deleteMessagesFrom();
    void cascadeDelete();
    void renameCountsAndPaging();
    void markInterrupted();
    void settings();
    void indexesAreUsed();

    void migrateFixture_data();
    void migrateFixture();
    void fixtureMatchesSteps_data();
    void fixtureMatchesSteps();
    void failedMigrationLeavesOriginal();
    void newerVersionRefused();

    void corruptFile_data();
    void corruptFile();
    void readOnlyMode();
    void readOnlyFile();
    void locked();
    void diskFull();

    void search_data();
    void search();
    void searchSnippetsAndOrder();
    void searchNewestFirstWhateverTheWriteOrder();
    void searchHostileInput_data();
    void searchHostileInput();
    void searchQueryParsing_data();
    void searchQueryParsing();
    void grams_data();
    void grams();

    void writeFixtures();

private:
    QString path(const QString &name = u"history.sqlite3"_s) const { return m_dir->filePath(name); }
    QString copyFixture(const QString &name, const QString &target = u"history.sqlite3"_s);
    QHash<qint64, QString> fillSearchCorpus(HistoryStore &store);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_HistoryStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QLoggingCategory::setFilterRules(u"sluice.store.debug=false"_s);
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
}

void tst_HistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // A QSqlDatabase left behind would make removeDatabase() warn.
    QTest::failOnWarning(QRegularExpression(u"still in use"_s));
}

void tst_HistoryStore::cleanup()
{
    m_dir.reset();
}

QString tst_HistoryStore::copyFixture(const QString &name, const QString &targetName)
{
    const QString source = dataDir() + u'/' + name;
    const QString target = path(targetName);
    if (!QFile::exists(source))
        return {};
    QFile::remove(target);
    if (!QFile::copy(source, target))
        return {};
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    return target;
}

// --- opening -----------------------------------------------------------------

void tst_HistoryStore::schemaVersionMatchesSteps()
{
    QCOMPARE(HistorySchema::latestVersion(), HistoryStore::SchemaVersion);
    const QList<HistorySchema::Step> &steps = HistorySchema::steps();
    for (int i = 0; i < steps.size(); ++i) {
        QCOMPARE(steps.at(i).toVersion, i + 1);
        QVERIFY(!steps.at(i).statements.isEmpty());
    }
}

void tst_HistoryStore::openCreatesSchema()
{
    const QString file = path(u"sub/dir/history.sqlite3"_s);
    HistoryStore store;
    QVERIFY2(store.open(file), qPrintable(store.lastError()));
    QVERIFY(store.isOpen());
    QCOMPARE(store.path(), file);
    QVERIFY(store.backupPath().isEmpty()); // nothing to back up in a new file
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::None);
    {
        QSqlQuery q(QSqlDatabase::database(store.connectionName(), false));
        QVERIFY(q.exec(u"PRAGMA foreign_keys"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QVERIFY(q.exec(u"PRAGMA synchronous"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 1); // NORMAL
    }
    RawDb raw(file);
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), HistoryStore::SchemaVersion);
    QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    const QStringList tables = raw.column(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
    QVERIFY(tables.contains(u"conversations"_s));
    QVERIFY(tables.contains(u"messages"_s));
    QVERIFY(tables.contains(u"messages_fts"_s));
    QVERIFY(QFile::exists(file + u"-wal"_s));
}

void tst_HistoryStore::defaultPath()
{
    const QString file = HistoryStore::defaultPath();
    QVERIFY(file.endsWith(u"/history.sqlite3"_s));
    QVERIFY(file.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QDir(QFileInfo(file).absolutePath()).removeRecursively();
    {
        HistoryStore store;
        QVERIFY2(store.open(), qPrintable(store.lastError()));
        QCOMPARE(store.path(), file);
        QVERIFY(QFile::exists(file));
    }
    QDir(QFileInfo(file).absolutePath()).removeRecursively();
}

void tst_HistoryStore::connectionsAreNamedAndRemoved()
{
    QString first;
    QString second;
    {
        HistoryStore a;
        HistoryStore b;
        QVERIFY(a.open(path()));
        QVERIFY(b.open(path())); // two connections on one file
        first = a.connectionName();
        second = b.connectionName();
        QVERIFY(first != second);
        QVERIFY(QSqlDatabase::contains(first));
        QVERIFY(QSqlDatabase::contains(second));
        a.close();
        QVERIFY(!a.isOpen());
        QVERIFY(!QSqlDatabase::contains(first));
        a.close(); // twice is fine
        // b still works after a closed.
        QVERIFY(b.createConversation(sampleConversation()) > 0);
        // Reopening gives a fresh connection.
        QVERIFY(a.open(path()));
        QCOMPARE(a.conversationCount(), 1);
    }
    QVERIFY(!QSqlDatabase::contains(second)); // the destructor removed it
    QVERIFY(QSqlDatabase::connectionNames().filter(u"sluice-history"_s).isEmpty());
}

void tst_HistoryStore::closedStoreFailsPolitely()
{
    HistoryStore store;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    QVERIFY(!store.isOpen());
    QCOMPARE(store.createConversation(sampleConversation()), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::CannotOpen);
    QVERIFY(!store.lastError().isEmpty());
    QVERIFY(store.conversations().isEmpty());
    QVERIFY(store.search(u"anything"_s).isEmpty());
    QCOMPARE(store.markInterrupted(), -1);
    QVERIFY(!store.conversation(1));
    QCOMPARE(errors.size(), 5);
}

// --- round trips ---------------------------------------------------------------

void tst_HistoryStore::conversationRoundTrip_data()
{
    QTest::addColumn<Conversation>("conversation");
    QTest::newRow("every field") << sampleConversation();
    Conversation bare;
    bare.created = at(u"2023-01-01T00:00:00.000Z"_s);
    bare.updated = at(u"2023-01-02T00:00:00.001Z"_s);
    QTest::newRow("no title, no settings") << bare;
    Conversation unicode = sampleConversation(u"Ünïcödé 数据库 🚀 \"quotes\" 'and' ; DROP TABLE"_s);
    unicode.systemPrompt = u"Multi\nline\n\tprompt with emoji 🙂"_s;
    unicode.temperature = 0.0;
    unicode.maxTokens = 0;
    QTest::newRow("unicode and zeros") << unicode;
    Conversation local = sampleConversation();
    local.created = QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), QTimeZone(3600 * 9));
    local.updated = local.created.addSecs(60);
    QTest::newRow("times with an offset") << local;
}

void tst_HistoryStore::conversationRoundTrip()
{
    QFETCH(Conversation, conversation);
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 id = store.createConversation(conversation);
    QVERIFY2(id > 0, qPrintable(store.lastError()));
    const std::optional<Conversation> read = store.conversation(id);
    QVERIFY(read);
    QCOMPARE(read->id, id);
    QCOMPARE(read->title, conversation.title);
    QCOMPARE(read->created, conversation.created);
    QCOMPARE(read->updated, conversation.updated);
    QCOMPARE(read->endpoint, conversation.endpoint);
    QCOMPARE(read->model, conversation.model);
    QCOMPARE(read->systemPrompt, conversation.systemPrompt);
    QCOMPARE(read->temperature, conversation.temperature);
    QCOMPARE(read->maxTokens, conversation.maxTokens);

    // Reopening reads the same from disk.
    store.close();
    QVERIFY(store.open(path()));
    QCOMPARE(store.conversation(id)->title, conversation.title);

    // updateConversation changes everything but id and created.
    Conversation changed = *read;
    changed.title = u"Changed"_s;
    changed.model = u"other-model"_s;
    changed.endpoint = u"http://127.0.0.1:8080/v1"_s;
    changed.systemPrompt = u"Be verbose."_s;
    changed.temperature = 1.5;
    changed.maxTokens.reset();
    changed.created = at(u"1999-01-01T00:00:00.000Z"_s);
    changed.updated = at(u"2025-01-01T00:00:00.000Z"_s);
    QVERIFY(store.updateConversation(changed));
    const std::optional<Conversation> again = store.conversation(id);
    QCOMPARE(again->title, changed.title);
    QCOMPARE(again->model, changed.model);
    QCOMPARE(again->endpoint, changed.endpoint);
    QCOMPARE(again->systemPrompt, changed.systemPrompt);
    QCOMPARE(again->temperature, changed.temperature);
    QCOMPARE(again->maxTokens, std::optional<int>());
    QCOMPARE(again->created, conversation.created);
    QCOMPARE(again->updated, changed.updated);

    // A stale copy (an older `updated`) does not move the conversation back in the list.
    Conversation stale = changed;
    stale.updated = at(u"2000-01-01T00:00:00.000Z"_s);
    stale.title = u"Stale copy"_s;
    QVERIFY(store.updateConversation(stale));
    QCOMPARE(store.conversation(id)->title, u"Stale copy"_s);
    QCOMPARE(store.conversation(id)->updated, changed.updated);

    changed.id = id + 1000;
    QVERIFY(!store.updateConversation(changed));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
}

void tst_HistoryStore::messageRoundTrip_data()
{
    QTest::addColumn<Message>("message");
    Message user = message(0, ChatMessage::Role::User, u"Hello"_s);
    user.created = at(u"2024-05-01T10:00:01.000Z"_s);
    user.updated = user.created;
    QTest::newRow("user, plain") << user;
    QTest::newRow("assistant, every field") << fullAssistantMessage(0);
    Message failed = fullAssistantMessage(0);
    failed.state = Message::State::Failed;
    failed.errorText = u"The server said: model overloaded (HTTP 529)."_s;
    failed.usage = Usage();
    failed.metrics = MessageMetrics();
    failed.costUsd.reset();
    QTest::newRow("failed, no usage") << failed;
    Message cjk = message(0, ChatMessage::Role::Assistant, QString());
    cjk.content = QString(u"数据库迁移 🚀 データ 🙂 "_s) + QChar(0x2028) + u"end"_s;
    cjk.created = at(u"2024-05-01T10:00:02.000Z"_s);
    cjk.updated = cjk.created;
    QTest::newRow("unicode") << cjk;
    Message empty = message(0, ChatMessage::Role::Assistant, QString(), Message::State::Stopped);
    empty.created = at(u"2024-05-01T10:00:03.000Z"_s);
    empty.updated = empty.created;
    QTest::newRow("empty, stopped") << empty;
    Message system = message(0, ChatMessage::Role::System, u"You are terse."_s);
    system.created = at(u"2024-05-01T10:00:00.000Z"_s);
    system.updated = system.created;
    QTest::newRow("system") << system;
    for (Message::State s : {Message::State::Streaming, Message::State::Truncated,
                             Message::State::Interrupted}) {
        Message m = fullAssistantMessage(0);
        m.state = s;
        QTest::newRow(qPrintable(u"state "_s + Message::stateName(s))) << m;
    }
    Message big = fullAssistantMessage(0);
    big.content = QString(u"x"_s).repeated(2 * 1024 * 1024);
    QTest::newRow("2 MB answer") << big;
}

void tst_HistoryStore::messageRoundTrip()
{
    QFETCH(Message, message);
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    message.conversationId = c;
    const qint64 id = store.addMessage(message);
    QVERIFY2(id > 0, qPrintable(store.lastError()));
    QCOMPARE(message.id, id);
    const QList<Message> read = store.messages(c);
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().id, id);
    compareMessages(read.first(), message);
    // The conversation moved forward to the message's time.
    QCOMPARE(store.conversation(c)->updated, std::max(sampleConversation().updated, message.updated));
}

void tst_HistoryStore::updateMessage()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    Conversation fresh = sampleConversation();
    fresh.updated = fresh.created; // new: every message moves it forward
    const qint64 c = store.createConversation(fresh);
    Message reply = message(c, ChatMessage::Role::Assistant, QString(), Message::State::Streaming);
    reply.created = at(u"2024-05-01T10:00:05.000Z"_s);
    QVERIFY(store.addMessage(reply) > 0);
    QCOMPARE(reply.updated, reply.created); // filled in by addMessage

    reply.content = u"Once upon"_s;
    reply.updated = at(u"2024-05-01T10:00:05.500Z"_s);
    QVERIFY(store.updateMessage(reply)); // a checkpoint
    QCOMPARE(store.messages(c).first().content, u"Once upon"_s);
    QCOMPARE(store.search(u"upon"_s).size(), 1);
    reply.content = u"Once upon a time 从前有一座山"_s;
    QVERIFY(store.updateMessage(reply)); // the search index follows every checkpoint
    QCOMPARE(store.search(u"一座"_s).size(), 1);
    QCOMPARE(store.search(u"time 山"_s).size(), 1);

    Message done = fullAssistantMessage(c);
    done.id = reply.id;
    done.created = reply.created; // created is never changed by updateMessage
    QVERIFY(store.updateMessage(done));
    compareMessages(store.messages(c).first(), done);
    QCOMPARE(store.conversation(c)->updated, done.updated);

    Message noTime = done;
    noTime.updated = QDateTime();
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QVERIFY(store.updateMessage(noTime));
    QVERIFY(store.messages(c).first().updated >= before);

    QVERIFY(store.search(u"一座"_s).isEmpty()); // the old text left the index
    QVERIFY(store.search(u"upon"_s).isEmpty());
    {
        RawDb raw(path());
        QVERIFY(raw.exec(u"INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"_s));
    }

    Message ghost = done;
    ghost.id = done.id + 100;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    QVERIFY(!store.updateMessage(ghost));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
    QCOMPARE(errors.size(), 1);

    Message orphan = message(c + 100, ChatMessage::Role::User, u"nobody home"_s);
    QCOMPARE(store.addMessage(orphan), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
    QCOMPARE(orphan.id, -1);
}

void tst_HistoryStore::ordering()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 a = store.createConversation(sampleConversation(u"a"_s));
    const qint64 b = store.createConversation(sampleConversation(u"b"_s));
    // Interleaved, with times that go backwards: order is the order of adding.
    const QDateTime t0 = at(u"2024-05-01T12:00:00.000Z"_s);
    for (int i = 0; i < 10; ++i) {
        Message m = message(i % 2 ? b : a, i % 4 < 2 ? ChatMessage::Role::User : ChatMessage::Role::Assistant,
                            u"message %1"_s.arg(i));
        m.created = t0.addSecs(-i);
        QVERIFY(store.addMessage(m) > 0);
    }
    const QList<Message> list = store.messages(a);
    QCOMPARE(list.size(), 5);
    for (int i = 0; i < list.size(); ++i) {
        QCOMPARE(list.at(i).content, u"message %1"_s.arg(2 * i));
        if (i > 0)
            QVERIFY(list.at(i).id > list.at(i - 1).id);
    }
    QCOMPARE(store.messageCount(a), 5);
    QCOMPARE(store.messageCount(b), 5);
    QCOMPARE(store.messageCount(b + 100), 0);
}

void tst_HistoryStore::windows_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("offsetFromEnd");
    QTest::addColumn<QList<int>>("expected"); // indexes of the 10 messages
    QTest::newRow("all") << -1 << 0 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QTest::newRow("last 3") << 3 << 0 << QList<int>{7, 8, 9};
    QTest::newRow("3 before the last 3") << 3 << 3 << QList<int>{4, 5, 6};
    QTest::newRow("window reaching the start") << 5 << 7 << QList<int>{0, 1, 2};
    QTest::newRow("larger than the conversation") << 50 << 0 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QTest::newRow("limit 0") << 0 << 0 << QList<int>{};
    QTest::newRow("offset past the start") << 3 << 10 << QList<int>{};
    QTest::newRow("all but the last 2") << -1 << 2 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7};
    QTest::newRow("negative offset is 0") << 2 << -5 << QList<int>{8, 9};
}

void tst_HistoryStore::windows()
{
    QFETCH(int, limit);
    QFETCH(int, offsetFromEnd);
    QFETCH(QList<int>, expected);
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    const qint64 other = store.createConversation(sampleConversation(u"other"_s));
    for (int i = 0; i < 10; ++i) {
        Message m = message(c, ChatMessage::Role::User, u"m%1"_s.arg(i));
        QVERIFY(store.addMessage(m) > 0);
        Message noise = message(other, ChatMessage::Role::User, u"noise"_s);
        QVERIFY(store.addMessage(noise) > 0);
    }
    const QList<Message> window = store.messages(c, limit, offsetFromEnd);
    QStringList got;
    for (const Message &m : window)
        got << m.content;
    QStringList want;
    for (int i : expected)
        want << u"m%1"_s.arg(i);
    QCOMPARE(got, want);
}

void tst_HistoryStore::deleteMessagesFrom()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    const qint64 other = store.createConversation(sampleConversation(u"other"_s));
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i) {
        Message m = message(c, ChatMessage::Role::User, u"turn%1 zebra%1"_s.arg(i));
        ids << store.addMessage(m);
    }
    Message keep = message(other, ChatMessage::Role::User, u"zebra in another conversation"_s);
    QVERIFY(store.addMessage(keep) > 0);
    QCOMPARE(store.search(u"zebra3"_s).size(), 1);

    QVERIFY(store.deleteMessagesFrom(c, ids.at(3)));
    const QList<Message> left = store.messages(c);
    QCOMPARE(left.size(), 3);
    QCOMPARE(left.last().id, ids.at(2));
    QCOMPARE(store.messageCount(other), 1);
    QVERIFY(store.search(u"zebra3"_s).isEmpty()); // gone from the index too
    QCOMPARE(store.search(u"zebra2"_s).size(), 1);

    // Regenerate: the next message goes after what is left.
    Message again = message(c, ChatMessage::Role::Assistant, u"regenerated"_s);
    QVERIFY(store.addMessage(again) > 0);
    QCOMPARE(store.messages(c).last().content, u"regenerated"_s);
    QCOMPARE(store.messages(c, 2).first().id, ids.at(2));

    // A message of another conversation, or one already deleted: nothing happens.
    QVERIFY(!store.deleteMessagesFrom(c, keep.id));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
    QVERIFY(!store.deleteMessagesFrom(c, ids.at(4)));
    QCOMPARE(store.messageCount(other), 1);
    QCOMPARE(store.messageCount(c), 4);

    // From the first message: all of them.
    QVERIFY(store.deleteMessagesFrom(c, ids.at(0)));
    QCOMPARE(store.messageCount(c), 0);
}

void tst_HistoryStore::cascadeDelete()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    const qint64 other = store.createConversation(sampleConversation(u"other"_s));
    for (int i = 0; i < 5; ++i) {
        Message m = message(c, ChatMessage::Role::User, u"walrus number %1"_s.arg(i));
        QVERIFY(store.addMessage(m) > 0);
    }
    Message m = message(other, ChatMessage::Role::User, u"survivor"_s);
    QVERIFY(store.addMessage(m) > 0);
    QCOMPARE(store.search(u"walrus"_s).size(), 5);

    QVERIFY(store.deleteConversation(c));
    QVERIFY(!store.conversation(c));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
    QCOMPARE(store.messageCount(c), 0);
    QCOMPARE(store.conversationCount(), 1);
    QVERIFY(store.search(u"walrus"_s).isEmpty());
    QCOMPARE(store.search(u"survivor"_s).size(), 1);
    {
        RawDb raw(path());
        QCOMPARE(raw.value(u"SELECT count(*) FROM messages"_s).toInt(), 1);
        // The external-content index is consistent with its table.
        QVERIFY(raw.exec(u"INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"_s));
    }
    QVERIFY(!store.deleteConversation(c));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
}

void tst_HistoryStore::renameCountsAndPaging()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    QCOMPARE(store.conversationCount(), 0);
    QVERIFY(store.conversations().isEmpty());
    QList<qint64> ids;
    const QDateTime t0 = at(u"2024-01-01T00:00:00.000Z"_s);
    for (int i = 0; i < 7; ++i) {
        Conversation c = sampleConversation(u"conversation %1"_s.arg(i));
        c.created = t0.addDays(i);
        c.updated = c.created;
        ids << store.createConversation(c);
        for (int j = 0; j < i; ++j) {
            Message m = message(ids.last(), ChatMessage::Role::User, u"x"_s);
            m.created = c.created; // does not move `updated`
            QVERIFY(store.addMessage(m) > 0);
        }
    }
    QCOMPARE(store.conversationCount(), 7);
    const QList<HistoryStore::ConversationSummary> all = store.conversations();
    QCOMPARE(all.size(), 7);
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(all.at(i).id, ids.at(6 - i)); // newest first
        QCOMPARE(all.at(i).messageCount, 6 - i);
        QCOMPARE(all.at(i).title, u"conversation %1"_s.arg(6 - i));
        QCOMPARE(all.at(i).model, u"gpt-4o-mini"_s);
        QCOMPARE(all.at(i).created, t0.addDays(6 - i));
        QCOMPARE(all.at(i).updated, t0.addDays(6 - i));
    }
    const QList<HistoryStore::ConversationSummary> page = store.conversations(3, 2);
    QCOMPARE(page.size(), 3);
    QCOMPARE(page.first().id, ids.at(4));
    QCOMPARE(store.conversations(3, 6).size(), 1);
    QCOMPARE(store.conversations(0).size(), 0);

    // Rename keeps the order; a new message moves a conversation to the top.
    QVERIFY(store.renameConversation(ids.at(0), u"Renamed ✓"_s));
    QCOMPARE(store.conversation(ids.at(0))->title, u"Renamed ✓"_s);
    QCOMPARE(store.conversations().last().id, ids.at(0));
    Message late = message(ids.at(0), ChatMessage::Role::User, u"late"_s);
    late.created = t0.addYears(1);
    QVERIFY(store.addMessage(late) > 0);
    QCOMPARE(store.conversations(1).first().id, ids.at(0));
    QCOMPARE(store.conversations(1).first().messageCount, 1);
    QVERIFY(!store.renameConversation(12345, u"nothing"_s));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
}

void tst_HistoryStore::markInterrupted()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 a = store.createConversation(sampleConversation());
    const qint64 b = store.createConversation(sampleConversation(u"b"_s));
    Message done = message(a, ChatMessage::Role::Assistant, u"done"_s);
    Message cut1 = message(a, ChatMessage::Role::Assistant, u"half"_s, Message::State::Streaming);
    Message cut2 = message(b, ChatMessage::Role::Assistant, u"also half"_s, Message::State::Streaming);
    Message stopped = message(b, ChatMessage::Role::Assistant, u"stopped"_s, Message::State::Stopped);
    for (Message *m : {&done, &cut1, &cut2, &stopped})
        QVERIFY(store.addMessage(*m) > 0);
    store.close();

    QVERIFY(store.open(path())); // "the next start"
    QCOMPARE(store.markInterrupted(), 2);
    QCOMPARE(store.messages(a).at(0).state, Message::State::Completed);
    QCOMPARE(store.messages(a).at(1).state, Message::State::Interrupted);
    QCOMPARE(store.messages(a).at(1).content, u"half"_s);
    QCOMPARE(store.messages(b).at(0).state, Message::State::Interrupted);
    QCOMPARE(store.messages(b).at(1).state, Message::State::Stopped);
    QVERIFY(store.messages(b).at(0).isRetryable());
    QCOMPARE(store.markInterrupted(), 0);
}

void tst_HistoryStore::settings()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    QCOMPARE(store.conversationSettings(c), std::optional<QJsonObject>(QJsonObject()));
    const QJsonObject s = sampleSettings();
    QVERIFY(store.setConversationSettings(c, s));
    QCOMPARE(store.conversationSettings(c), std::optional<QJsonObject>(s));
    QVERIFY(!store.setConversationSettings(c + 1, s));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NotFound);
    QVERIFY(!store.conversationSettings(c + 1));

    // Never a credential, whoever hands one over: not written ...
    QJsonObject risky = s;
    risky.insert(u"api_key"_s, u"sk-proj-secretsecretsecret"_s);
    risky.insert(u"headers"_s, QJsonObject{{u"Authorization"_s, u"Bearer secretsecret"_s}, {u"X-Title"_s, u"Sluice"_s}});
    risky.insert(u"base_url"_s, u"https://me:secret@relay.example/v1?key=secret"_s);
    risky.insert(u"fallbacks"_s, QJsonArray{QJsonObject{{u"model"_s, u"gpt-4o"_s}, {u"token"_s, u"secret"_s}}});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"credentials were not stored"_s));
    QVERIFY(store.setConversationSettings(c, risky));
    QJsonObject expected = s;
    expected.insert(u"headers"_s, QJsonObject{{u"X-Title"_s, u"Sluice"_s}});
    expected.insert(u"base_url"_s, u"https://relay.example/v1"_s);
    expected.insert(u"fallbacks"_s, QJsonArray{QJsonObject{{u"model"_s, u"gpt-4o"_s}}});
    QCOMPARE(store.conversationSettings(c), std::optional<QJsonObject>(expected));
    RawDb raw(path());
    const QString column = raw.value(u"SELECT settings FROM conversations"_s).toString();
    QVERIFY2(!column.contains(u"secret"_s), qPrintable(column));
    QVERIFY(column.contains(u"X-Title"_s));

    // ... nor read back from a file another program wrote.
    QSqlQuery q(raw.db());
    QVERIFY(q.prepare(u"UPDATE conversations SET settings = ? WHERE id = ?"_s));
    q.addBindValue(u"{\"top_p\": 0.5, \"x-api-key\": \"secret\"}"_s);
    q.addBindValue(c);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QCOMPARE(store.conversationSettings(c), std::optional<QJsonObject>(QJsonObject{{u"top_p"_s, 0.5}}));

    // Imported with the conversation, in the same transaction, filtered the same way.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"credentials were not stored"_s));
    const qint64 imported = store.importConversation(sampleConversation(), sampleMessages(), risky);
    QVERIFY(imported > 0);
    QCOMPARE(store.conversationSettings(imported), std::optional<QJsonObject>(expected));
}

// The sidebar and the conversation window must not sort or scan.
void tst_HistoryStore::indexesAreUsed()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    store.close();
    RawDb raw(path());
    auto plan = [&](const QString &sql) {
        QSqlQuery q(raw.db());
        QStringList steps;
        if (q.exec(u"EXPLAIN QUERY PLAN "_s + sql))
            while (q.next())
                steps << q.value(3).toString(); // the "detail" column
        return steps.join(u" | "_s);
    };
    const QString sidebar = plan(u"SELECT c.id, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) "
                                 "FROM conversations c ORDER BY c.updated DESC, c.id DESC LIMIT 50"_s);
    QVERIFY2(sidebar.contains(u"conversations_by_updated"_s), qPrintable(sidebar));
    QVERIFY2(sidebar.contains(u"messages_by_position"_s), qPrintable(sidebar));
    QVERIFY2(!sidebar.contains(u"TEMP B-TREE"_s), qPrintable(sidebar));
    const QString window = plan(u"SELECT id FROM messages WHERE conversation_id = 1 "
                                "ORDER BY position DESC LIMIT 50"_s);
    QVERIFY2(window.contains(u"messages_by_position"_s), qPrintable(window));
    QVERIFY2(!window.contains(u"TEMP B-TREE"_s), qPrintable(window));
    const QString interrupted = plan(u"UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'"_s);
    QVERIFY2(interrupted.contains(u"messages_streaming"_s), qPrintable(interrupted));
    // Search hits newest first: messages_by_updated, walked backwards, is
    // enough to pick them (no sort of every match, no row read).
    const QString search = plan(u"SELECT id FROM messages WHERE +id IN (SELECT rowid FROM messages_fts "
                                "WHERE messages_fts MATCH 'x') ORDER BY updated DESC, id DESC LIMIT 50"_s);
    QVERIFY2(search.contains(u"COVERING INDEX messages_by_updated"_s), qPrintable(search));
    QVERIFY2(!search.contains(u"TEMP B-TREE"_s), qPrintable(search));
}

// --- migrations ------------------------------------------------------------------

void tst_HistoryStore::migrateFixture_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("fromVersion");
    // One row per schema version there ever was; version 0 is a new, empty file.
    QTest::newRow("v0: empty file") << QString() << 0;
    for (int v = 1; v <= HistoryStore::SchemaVersion; ++v)
        QTest::newRow(qPrintable(u"v%1"_s.arg(v))) << u"v%1.sqlite3"_s.arg(v) << v;
}

void tst_HistoryStore::migrateFixture()
{
    QFETCH(QString, fixture);
    QFETCH(int, fromVersion);
    QString file;
    if (fixture.isEmpty()) {
        file = path();
        QFile empty(file);
        QVERIFY(empty.open(QIODevice::WriteOnly));
    } else {
        file = copyFixture(fixture);
        QVERIFY2(!file.isEmpty(), qPrintable(u"missing fixture "_s + fixture));
        RawDb raw(file);
        QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), fromVersion);
    }

    HistoryStore store;
    QVERIFY2(store.open(file), qPrintable(store.lastError()));
    {
        RawDb raw(file);
        QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), HistoryStore::SchemaVersion);
        QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(raw.value(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
        QCOMPARE(raw.value(u"PRAGMA foreign_key_check"_s), QVariant());
        if (HistoryStore::SchemaVersion >= 2) {
            QString error;
            QVERIFY2(raw.exec(u"INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"_s, &error),
                     qPrintable(error));
        }
    }
    const bool migrated = fromVersion > 0 && fromVersion < HistoryStore::SchemaVersion;
    const QString backup = file + u".bak-v%1"_s.arg(fromVersion);
    QCOMPARE(store.backupPath(), migrated ? backup : QString());
    QCOMPARE(QFile::exists(backup), migrated);
    if (migrated) {
        RawDb old(backup);
        QCOMPARE(old.value(u"PRAGMA user_version"_s).toInt(), fromVersion);
        QCOMPARE(old.value(u"SELECT count(*) FROM messages"_s).toInt(), int(fixtureMessages().size()));
    }
    if (fixture.isEmpty()) {
        QCOMPARE(store.conversationCount(), 0);
        return;
    }

    // Every conversation and message survived, in order.
    const QList<Conversation> conversations = fixtureConversations();
    const QList<HistoryStore::ConversationSummary> list = store.conversations();
    QCOMPARE(list.size(), conversations.size());
    for (int i = 0; i < conversations.size(); ++i) {
        const HistoryStore::ConversationSummary &s = list.at(conversations.size() - 1 - i);
        const Conversation expected = conversations.at(i);
        const Conversation c = *store.conversation(s.id);
        QCOMPARE(c.title, expected.title);
        QCOMPARE(c.created, expected.created);
        QCOMPARE(c.endpoint, expected.endpoint);
        QCOMPARE(c.model, expected.model);
        QCOMPARE(c.systemPrompt, expected.systemPrompt);
        QCOMPARE(c.temperature, expected.temperature);
        QCOMPARE(c.maxTokens, expected.maxTokens);
        QStringList want;
        for (const FixtureMessage &m : fixtureMessages())
            if (m.conversation == i)
                want << m.content;
        QStringList got;
        for (const Message &m : store.messages(s.id))
            got << m.content;
        QCOMPARE(got, want);
    }
    const QList<Message> first = store.messages(list.last().id);
    QCOMPARE(first.at(1).reasoning, u"The user asks about schema versioning."_s);
    QCOMPARE(first.at(1).role, ChatMessage::Role::Assistant);
    if (fromVersion >= 2) {
        QCOMPARE(first.at(1).usage.totalTokens, qint64(170));
        QVERIFY(first.at(1).costUsd);
    } else {
        QCOMPARE(first.at(1).usage.totalTokens, qint64(-1)); // columns added by the migration
        QVERIFY(!first.at(1).costUsd);
        QVERIFY(first.at(1).metrics.isEmpty());
    }

    // Old text is searchable (the index was filled), new writes work.
    QCOMPARE(store.search(u"transaction"_s).size(), 1);
    QCOMPARE(store.search(u"迁移步骤"_s).size(), 1);
    QCOMPARE(store.markInterrupted(), 1);
    Message more = message(list.first().id, ChatMessage::Role::User, u"Continue"_s);
    QVERIFY(store.addMessage(more) > 0);
    QCOMPARE(store.search(u"continue"_s).size(), 1);
}

void tst_HistoryStore::fixtureMatchesSteps_data()
{
    QTest::addColumn<int>("version");
    for (int v = 1; v <= HistoryStore::SchemaVersion; ++v)
        QTest::newRow(qPrintable(u"v%1"_s.arg(v))) << v;
}

// A fixture is what that version of Sluice wrote: the schema the steps up to
// it create, exactly. This catches an edit to a step that has shipped.
void tst_HistoryStore::fixtureMatchesSteps()
{
    QFETCH(int, version);
    const QString file = copyFixture(u"v%1.sqlite3"_s.arg(version));
    QVERIFY(!file.isEmpty());
    const QString fresh = path(u"fresh.sqlite3"_s);
    {
        RawDb raw(fresh);
        for (int v = 0; v < version; ++v)
            for (const QString &sql : HistorySchema::steps().at(v).statements) {
                QString error;
                QVERIFY2(raw.exec(sql, &error), qPrintable(error));
            }
    }
    const QString schema = u"SELECT type || ' ' || name || ': ' || coalesce(sql, '') "
                           "FROM sqlite_master ORDER BY type, name"_s;
    RawDb a(file);
    RawDb b(fresh);
    QCOMPARE(a.column(schema), b.column(schema));
}

void tst_HistoryStore::failedMigrationLeavesOriginal()
{
    // A v1 file that also holds a table named like one step 1 → 2 creates.
    const QString file = copyFixture(u"v1-conflict.sqlite3"_s);
    QVERIFY(!file.isEmpty());
    const QByteArray before = sha256(file);
    int messagesBefore = 0;
    {
        RawDb raw(file);
        messagesBefore = raw.value(u"SELECT count(*) FROM messages"_s).toInt();
        QVERIFY(messagesBefore > 0);
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        HistoryStore store;
        QSignalSpy errors(&store, &HistoryStore::errorOccurred);
        QVERIFY(!store.open(file));
        QVERIFY(!store.isOpen());
        QCOMPARE(errors.size(), 1);
        QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::Other);
        QVERIFY2(store.lastError().contains(u"from version 1 to 2"_s), qPrintable(store.lastError()));
        QVERIFY2(store.lastError().contains(u"left as it was"_s), qPrintable(store.lastError()));
        QVERIFY(store.conversations().isEmpty());
        QVERIFY(QFile::exists(file + u".bak-v1"_s));
    }
    QCOMPARE(sha256(file), before); // not one byte changed
    RawDb raw(file);
    QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), 1);
    QCOMPARE(raw.value(u"SELECT count(*) FROM messages"_s).toInt(), messagesBefore);
    QVERIFY(!raw.column(u"SELECT name FROM sqlite_master"_s).contains(u"messages_fts_insert"_s));
}

void tst_HistoryStore::newerVersionRefused()
{
    const QString file = path();
    {
        HistoryStore store;
        QVERIFY(store.open(file));
        QVERIFY(store.createConversation(sampleConversation()) > 0);
    }
    {
        RawDb raw(file);
        QVERIFY(raw.exec(u"PRAGMA user_version = %1"_s.arg(HistoryStore::SchemaVersion + 7)));
        QVERIFY(raw.exec(u"CREATE TABLE from_the_future (x)"_s));
    }
    const QByteArray before = sha256(file);
    HistoryStore store;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    QVERIFY(!store.open(file));
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NewerSchema);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(store.lastError().contains(u"newer version of Sluice"_s), qPrintable(store.lastError()));
    QVERIFY(store.lastError().contains(QString::number(HistoryStore::SchemaVersion + 7)));
    QVERIFY(store.connectionName().isEmpty()); // nothing stays open
    QVERIFY(store.backupPath().isEmpty());
    QVERIFY(QDir(m_dir->path()).entryList({u"*.bak-*"_s}).isEmpty());
    QCOMPARE(sha256(file), before);
    QVERIFY(!store.open(file, HistoryStore::OpenMode::ReadOnly));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::NewerSchema);
    RawDb raw(file);
    QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), HistoryStore::SchemaVersion + 7);
}

// --- errors ----------------------------------------------------------------------

void tst_HistoryStore::corruptFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("failsOnOpen");
    QTest::newRow("garbage bytes") << u"garbage"_s << true;
    QTest::newRow("a text file") << u"text"_s << true;
    QTest::newRow("damaged pages") << u"pages"_s << false;
}

void tst_HistoryStore::corruptFile()
{
    QFETCH(QString, kind);
    QFETCH(bool, failsOnOpen);
    const QString file = path();
    if (kind == u"pages") {
        {
            HistoryStore store;
            QVERIFY(store.open(file));
            for (int i = 0; i < 20; ++i) {
                const qint64 c = store.createConversation(sampleConversation(u"c%1"_s.arg(i)));
                Message m = message(c, ChatMessage::Role::User, QString(u"text "_s).repeated(500));
                QVERIFY(store.addMessage(m) > 0);
            }
        } // closed: the WAL is checkpointed into the file
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(size > 8 * 4096);
        QVERIFY(f.seek(4096)); // keep page 1 (header and schema), wreck the rest
        QByteArray junk(size - 4096, '\0');
        for (char &c : junk)
            c = char(QRandomGenerator::global()->bounded(256));
        f.write(junk);
    } else {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        if (kind == u"text") {
            f.write("These are my notes, not a database.\n");
        } else {
            QByteArray junk(16384, '\0');
            for (char &c : junk)
                c = char(QRandomGenerator::global()->bounded(256));
            f.write(junk);
        }
    }
    const QByteArray before = sha256(file);

    HistoryStore store;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    const bool opened = store.open(file);
    if (failsOnOpen)
        QVERIFY(!opened);
    if (opened) {
        // Damage shows on the first read of a damaged page; every call fails politely.
        QVERIFY(store.conversations().isEmpty() || store.search(u"text"_s).isEmpty());
        const qint64 c = store.createConversation(sampleConversation());
        Q_UNUSED(c);
    }
    QVERIFY(errors.size() >= 1);
    QCOMPARE(errors.first().first().toString().isEmpty(), false);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::Corrupt);
    QVERIFY2(store.lastError().contains(u"damaged"_s), qPrintable(store.lastError()));
    QVERIFY2(!store.lastError().contains(u"Unable to"_s), qPrintable(store.lastError()));
    if (failsOnOpen) {
        QCOMPARE(sha256(file), before); // never "repaired" by overwriting
        QVERIFY(QDir(m_dir->path()).entryList({u"*.bak-*"_s}).isEmpty());
    }
}

void tst_HistoryStore::readOnlyMode()
{
    const QString file = path();
    qint64 c = -1;
    {
        HistoryStore store;
        QVERIFY(store.open(file));
        c = store.createConversation(sampleConversation());
        Message m = message(c, ChatMessage::Role::User, u"read me"_s);
        QVERIFY(store.addMessage(m) > 0);
    }
    const QByteArray before = sha256(file);
    HistoryStore store;
    QVERIFY2(store.open(file, HistoryStore::OpenMode::ReadOnly), qPrintable(store.lastError()));
    QCOMPARE(store.messages(c).size(), 1);
    QCOMPARE(store.search(u"read"_s).size(), 1);

    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    Message m = message(c, ChatMessage::Role::Assistant, u"cannot be saved"_s);
    QCOMPARE(store.addMessage(m), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::ReadOnly);
    QVERIFY2(store.lastError().contains(u"read-only"_s), qPrintable(store.lastError()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(!store.renameConversation(c, u"x"_s));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::ReadOnly);
    QCOMPARE(store.markInterrupted(), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::ReadOnly);
    // Still usable for reading.
    QCOMPARE(store.conversations().size(), 1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::None);
    store.close();
    QCOMPARE(sha256(file), before);

    // An old file cannot be upgraded read-only: refused, untouched.
    const QString old = copyFixture(u"v1.sqlite3"_s, u"old.sqlite3"_s);
    QVERIFY(!old.isEmpty());
    const QByteArray oldBefore = sha256(old);
    QVERIFY(!store.open(old, HistoryStore::OpenMode::ReadOnly));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::ReadOnly);
    QVERIFY2(store.lastError().contains(u"needs an upgrade"_s), qPrintable(store.lastError()));
    QVERIFY(!store.isOpen());
    QCOMPARE(sha256(old), oldBefore);
    QVERIFY(!QFile::exists(old + u".bak-v1"_s));

    // A missing file is not created in read-only mode.
    QVERIFY(!store.open(path(u"missing.sqlite3"_s), HistoryStore::OpenMode::ReadOnly));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::CannotOpen);
    QVERIFY(!QFile::exists(path(u"missing.sqlite3"_s)));
}

void tst_HistoryStore::readOnlyFile()
{
    const QString file = path();
    qint64 c = -1;
    {
        HistoryStore store;
        QVERIFY(store.open(file));
        c = store.createConversation(sampleConversation());
    }
    QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    {
        QFile probe(file);
        if (probe.open(QIODevice::ReadWrite)) {
            QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
            QSKIP("File permissions are not enforced for this user (running as root?); "
                  "readOnlyMode() covers the read-only path with SQLITE_OPEN_READONLY.");
        }
    }
    HistoryStore store;
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    if (store.open(file)) {
        QCOMPARE(store.conversations().size(), 1); // reading works
        Message m = message(c, ChatMessage::Role::User, u"cannot be saved"_s);
        QCOMPARE(store.addMessage(m), -1);
    }
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(errors.size() >= 1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::ReadOnly);
    QVERIFY2(store.lastError().contains(u"read-only"_s), qPrintable(store.lastError()));
}

void tst_HistoryStore::locked()
{
    const QString file = path();
    HistoryStore store;
    store.setBusyTimeout(50);
    QVERIFY(store.open(file));
    const qint64 c = store.createConversation(sampleConversation());
    QVERIFY(c > 0);

    RawDb other(file); // another program holding the write lock
    QVERIFY(other.exec(u"BEGIN IMMEDIATE"_s));
    QVERIFY(other.exec(u"INSERT INTO conversations (title, created, updated) VALUES ('other', 0, 0)"_s));

    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    QElapsedTimer timer;
    timer.start();
    Message m = message(c, ChatMessage::Role::User, u"blocked"_s);
    QCOMPARE(store.addMessage(m), -1);
    QVERIFY2(timer.elapsed() < 2000, "the busy timeout was not honoured");
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::Locked);
    QVERIFY2(store.lastError().contains(u"locked"_s), qPrintable(store.lastError()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(!store.deleteConversation(c));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::Locked);
    QCOMPARE(store.messageCount(c), 0); // nothing half-done

    // Reading goes on (WAL), and another store cannot open a file needing no migration... it can.
    QCOMPARE(store.conversations().size(), 1);

    QVERIFY(other.exec(u"COMMIT"_s));
    QVERIFY(store.addMessage(m) > 0); // the session goes on
    QCOMPARE(store.conversationCount(), 2);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::None);

    // A migration waiting for a lock: refused, file left as it was.
    const QString old = copyFixture(u"v1.sqlite3"_s, u"old.sqlite3"_s);
    QVERIFY(!old.isEmpty());
    store.close();
    RawDb holder(old);
    QVERIFY(holder.exec(u"BEGIN IMMEDIATE"_s));
    HistoryStore migrating;
    migrating.setBusyTimeout(50);
    QVERIFY(!migrating.open(old));
    QCOMPARE(migrating.lastErrorKind(), HistoryStore::ErrorKind::Locked);
    QVERIFY(holder.exec(u"ROLLBACK"_s));
    QCOMPARE(holder.value(u"PRAGMA user_version"_s).toInt(), 1);
    QVERIFY2(migrating.open(old), qPrintable(migrating.lastError()));
}

void tst_HistoryStore::diskFull()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const qint64 c = store.createConversation(sampleConversation());
    const int conversations = store.conversationCount();
    {
        // SQLite's own limit on the file size behaves exactly like a full disk.
        QSqlQuery q(QSqlDatabase::database(store.connectionName(), false));
        QVERIFY(q.exec(u"PRAGMA max_page_count = 1"_s)); // clamps to the current size
    }
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    Message big = message(c, ChatMessage::Role::Assistant, QString(u"y"_s).repeated(256 * 1024));
    QCOMPARE(store.addMessage(big), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::DiskFull);
    QVERIFY2(store.lastError().contains(u"disk is full"_s), qPrintable(store.lastError()));
    QCOMPARE(errors.size(), 1);
    // A multi-row write fails as a whole.
    QList<Message> many;
    for (int i = 0; i < 50; ++i)
        many << message(-1, ChatMessage::Role::User, QString(u"z"_s).repeated(10000));
    QCOMPARE(store.importConversation(sampleConversation(u"import"_s), many), -1);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::DiskFull);
    QCOMPARE(store.conversationCount(), conversations);
    QCOMPARE(store.messageCount(c), 0);
    {
        QSqlQuery q(QSqlDatabase::database(store.connectionName(), false));
        QVERIFY(q.exec(u"PRAGMA max_page_count = 1073741823"_s));
    }
    QVERIFY(store.addMessage(big) > 0); // space again: the session goes on
    QVERIFY(store.importConversation(sampleConversation(u"import"_s), many) > 0);
}

// --- search ----------------------------------------------------------------------

QHash<qint64, QString> tst_HistoryStore::fillSearchCorpus(HistoryStore &store)
{
    QHash<qint64, QString> keys;
    auto add = [&](qint64 c, const QString &key, ChatMessage::Role role, const QString &content) {
        Message m = message(c, role, content);
        keys.insert(store.addMessage(m), key);
    };
    using R = ChatMessage::Role;
    const qint64 a = store.createConversation(sampleConversation(u"Quarterly report"_s));
    add(a, u"a1"_s, R::User, u"How do database migrations work in SQLite?"_s);
    add(a, u"a2"_s, R::Assistant,
        u"Use PRAGMA user_version and run each migration step in a transaction; WAL mode keeps readers going."_s);
    add(a, u"a3"_s, R::User, u"NEAR the AND gate (really) \"quoted\" 100% done_deal"_s);
    const qint64 b = store.createConversation(sampleConversation(u"数据库 notes"_s));
    add(b, u"b1"_s, R::User, u"请解释数据库迁移的步骤"_s);
    add(b, u"b2"_s, R::Assistant, u"SQLite 数据库使用 WAL 模式。"_s);
    add(b, u"b3"_s, R::Assistant, u"データベースの移行"_s);
    const qint64 c = store.createConversation(sampleConversation(u"Café talk"_s));
    add(c, u"c1"_s, R::User, u"Un café crème, s'il vous plaît"_s);
    add(c, u"c2"_s, R::Assistant, u"```cpp\nint migrationCount = 0; // migration helper\n```"_s);
    return keys;
}

void tst_HistoryStore::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("messages"); // keys, any order
    QTest::addColumn<QStringList>("titles");
    QTest::newRow("prefix") << u"migr"_s << QStringList{u"a1"_s, u"a2"_s, u"c2"_s} << QStringList{};
    QTest::newRow("all words must match") << u"migration transaction"_s << QStringList{u"a2"_s} << QStringList{};
    QTest::newRow("any case") << u"SQLITE"_s << QStringList{u"a1"_s, u"b2"_s} << QStringList{};
    QTest::newRow("diacritics folded") << u"cafe creme"_s << QStringList{u"c1"_s} << QStringList{};
    QTest::newRow("chinese inside a sentence") << u"数据库"_s << QStringList{u"b1"_s, u"b2"_s}
                                               << QStringList{u"数据库 notes"_s};
    QTest::newRow("chinese, two characters") << u"迁移"_s << QStringList{u"b1"_s} << QStringList{};
    QTest::newRow("chinese, one character") << u"库"_s << QStringList{u"b1"_s, u"b2"_s}
                                            << QStringList{u"数据库 notes"_s};
    QTest::newRow("chinese and latin") << u"sqlite 数据库"_s << QStringList{u"b2"_s} << QStringList{};
    QTest::newRow("japanese") << u"データ"_s << QStringList{u"b3"_s} << QStringList{};
    QTest::newRow("no match") << u"zebra"_s << QStringList{} << QStringList{};
    QTest::newRow("operators are words") << u"NEAR AND"_s << QStringList{u"a3"_s} << QStringList{};
    QTest::newRow("quotes") << u"\"quoted\""_s << QStringList{u"a3"_s} << QStringList{};
    QTest::newRow("percent") << u"100%"_s << QStringList{u"a3"_s} << QStringList{};
    QTest::newRow("underscore") << u"done_deal"_s << QStringList{u"a3"_s} << QStringList{};
    QTest::newRow("a LIKE wildcard is literal") << u"数据%"_s << QStringList{} << QStringList{};
    QTest::newRow("title only") << u"quarterly"_s << QStringList{} << QStringList{u"Quarterly report"_s};
    QTest::newRow("title, second word") << u"talk"_s << QStringList{} << QStringList{u"Café talk"_s};
    QTest::newRow("only punctuation") << u"*** (( ))"_s << QStringList{} << QStringList{};
    QTest::newRow("empty") << QString() << QStringList{} << QStringList{};
}

void tst_HistoryStore::search()
{
    QFETCH(QString, query);
    QFETCH(QStringList, messages);
    QFETCH(QStringList, titles);
    HistoryStore store;
    QVERIFY(store.open(path()));
    const QHash<qint64, QString> keys = fillSearchCorpus(store);
    const QList<HistoryStore::SearchHit> hits = store.search(query);
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::None);
    QStringList gotMessages;
    QStringList gotTitles;
    bool titlesFirst = true;
    for (const HistoryStore::SearchHit &hit : hits) {
        QVERIFY(hit.conversationId > 0);
        QVERIFY(!hit.conversationTitle.isEmpty());
        QVERIFY(hit.updated.isValid());
        QVERIFY2(hit.snippet.contains(HistorySnippet::Begin), qPrintable(hit.snippet));
        QVERIFY(!hit.snippet.contains(u'\n'));
        if (hit.messageId < 0) {
            QVERIFY(titlesFirst);
            gotTitles << hit.conversationTitle;
        } else {
            titlesFirst = false;
            gotMessages << keys.value(hit.messageId);
        }
    }
    gotMessages.sort();
    messages.sort();
    QCOMPARE(gotMessages, messages);
    QCOMPARE(gotTitles, titles);
}

void tst_HistoryStore::searchSnippetsAndOrder()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const QHash<qint64, QString> keys = fillSearchCorpus(store);
    const QChar b = HistorySnippet::Begin;
    const QChar e = HistorySnippet::End;

    // Newest first.
    QList<HistoryStore::SearchHit> hits = store.search(u"migr"_s);
    QCOMPARE(hits.size(), 3);
    QCOMPARE(keys.value(hits.at(0).messageId), u"c2"_s);
    QCOMPARE(keys.value(hits.at(1).messageId), u"a2"_s);
    QCOMPARE(keys.value(hits.at(2).messageId), u"a1"_s);
    QCOMPARE(hits.at(1).conversationTitle, u"Quarterly report"_s);
    QVERIFY2(hits.at(1).snippet.contains(b + u"migration"_s + e), qPrintable(hits.at(1).snippet));
    QVERIFY2(hits.at(2).snippet.contains(b + u"migrations"_s + e), qPrintable(hits.at(2).snippet));

    hits = store.search(u"sqlite 数据库"_s);
    QCOMPARE(hits.size(), 1);
    QVERIFY2(hits.first().snippet.contains(b + u"SQLite"_s + e), qPrintable(hits.first().snippet));
    QVERIFY2(hits.first().snippet.contains(b + u"数据库"_s + e), qPrintable(hits.first().snippet));

    hits = store.search(u"迁移"_s);
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits.first().snippet, u"请解释数据库"_s + b + u"迁移"_s + e + u"的步骤"_s);

    hits = store.search(u"数据库"_s);
    QCOMPARE(hits.first().messageId, -1);
    QCOMPARE(hits.first().snippet, b + u"数据库"_s + e + u" notes"_s);

    // The limit counts titles and messages; a long message gives a short snippet.
    QCOMPARE(store.search(u"数据库"_s, 2).size(), 2);
    QVERIFY(store.search(u"migr"_s, 0).isEmpty());
    const qint64 c = store.createConversation(sampleConversation(u"long"_s));
    Message longOne = message(c, ChatMessage::Role::Assistant,
                              QString(u"lorem ipsum "_s).repeated(500) + u"needle"_s
                                  + QString(u" dolor sit"_s).repeated(500));
    QVERIFY(store.addMessage(longOne) > 0);
    hits = store.search(u"needle"_s);
    QCOMPARE(hits.size(), 1);
    QVERIFY(hits.first().snippet.size() < 200);
    QVERIFY(hits.first().snippet.contains(b + u"needle"_s + e));
    Message longCjk = message(c, ChatMessage::Role::Assistant,
                              QString(u"很长的文本"_s).repeated(400) + u"针"_s + QString(u"更多"_s).repeated(400));
    QVERIFY(store.addMessage(longCjk) > 0);
    hits = store.search(u"针"_s);
    QCOMPARE(hits.size(), 1);
    QVERIFY(hits.first().snippet.size() < 200);
    QVERIFY(hits.first().snippet.startsWith(u'…'));
    QVERIFY(hits.first().snippet.endsWith(u'…'));
    QVERIFY(hits.first().snippet.contains(b + u"针"_s + e));
}

// Hits are ordered by the messages' own time, not by the order rows were
// written in: a conversation imported today from an old export, or a message
// that arrives with an older time, takes its place in time.
void tst_HistoryStore::searchNewestFirstWhateverTheWriteOrder()
{
    HistoryStore store;
    QVERIFY(store.open(path()));
    const QDateTime now = at(u"2024-06-01T12:00:00.000Z"_s);
    auto timed = [&](qint64 c, const QString &content, const QDateTime &time) {
        Message m = message(c, ChatMessage::Role::User, content);
        m.created = time;
        m.updated = time;
        return m;
    };
    // Written first: this week's conversation.
    const qint64 recent = store.createConversation(sampleConversation(u"Recent"_s));
    Message one = timed(recent, u"walrus one"_s, now.addSecs(-3600));
    Message two = timed(recent, u"walrus two"_s, now);
    QVERIFY(store.addMessage(one) > 0);
    QVERIFY(store.addMessage(two) > 0);
    // Written later: a conversation from an export of last year.
    const qint64 old = store.importConversation(
        sampleConversation(u"Imported"_s), {timed(-1, u"walrus old one"_s, now.addDays(-365)),
                                            timed(-1, u"walrus old two"_s, now.addDays(-364))});
    QVERIFY(old > 0);
    // Written last, with a time between the two of this week (a slow reply
    // saved after the next question, a clock set back).
    Message between = timed(recent, u"walrus between"_s, now.addSecs(-1800));
    QVERIFY(store.addMessage(between) > 0);
    // Same time as `two`, a larger id: first of the two.
    Message tie = timed(recent, u"walrus tie"_s, now);
    QVERIFY(store.addMessage(tie) > 0);

    auto contents = [&](int limit) {
        QStringList list;
        for (const HistoryStore::SearchHit &hit : store.search(u"walrus"_s, limit))
            list << QString(hit.snippet).remove(HistorySnippet::Begin).remove(HistorySnippet::End);
        return list;
    };
    const QStringList newestFirst{u"walrus tie"_s, u"walrus two"_s, u"walrus between"_s, u"walrus one"_s,
                                  u"walrus old two"_s, u"walrus old one"_s};
    QCOMPARE(contents(50), newestFirst);
    // The limit keeps the newest, not the last written.
    QCOMPARE(contents(3), newestFirst.mid(0, 3));
    // Each hit says when it was, and the list goes back in time.
    const QList<HistoryStore::SearchHit> hits = store.search(u"walrus"_s);
    QCOMPARE(hits.first().updated, now);
    QCOMPARE(hits.last().updated, now.addDays(-365));
    for (qsizetype i = 1; i < hits.size(); ++i)
        QVERIFY(hits.at(i - 1).updated >= hits.at(i).updated);

    // The same for words matched through the character pairs (CJK), and
    // for words that also need a LIKE.
    Message oldCjk = timed(old, u"旧的Qt数据库"_s, now.addDays(-300));
    Message newCjk = timed(recent, u"新的Qt数据库"_s, now.addSecs(-60));
    QVERIFY(store.addMessage(newCjk) > 0);
    QVERIFY(store.addMessage(oldCjk) > 0); // written last, older
    const QList<HistoryStore::SearchHit> cjk = store.search(u"数据库"_s);
    QCOMPARE(cjk.size(), 2);
    QCOMPARE(cjk.at(0).messageId, newCjk.id);
    QCOMPARE(cjk.at(1).messageId, oldCjk.id);
    const QList<HistoryStore::SearchHit> mixed = store.search(u"Qt数据库"_s, 1);
    QCOMPARE(mixed.size(), 1);
    QCOMPARE(mixed.at(0).messageId, newCjk.id);
}

void tst_HistoryStore::searchHostileInput_data()
{
    QTest::addColumn<QString>("query");
    const QStringList queries{
        u"\""_s, u"\"\""_s, u"\"unclosed"_s, u"'"_s, u"''"_s, u"*"_s, u"a*"_s, u"*a"_s,
        u"AND"_s, u"OR"_s, u"NOT"_s, u"NEAR"_s, u"NEAR(a b, 3)"_s, u"a AND OR NOT b"_s,
        u"("_s, u")"_s, u"a) OR (b"_s, u"content:x"_s, u"messages_fts:x"_s, u"{content}: x"_s,
        u"^start"_s, u"-minus"_s, u"+plus"_s, u"%"_s, u"_"_s, u"\\"_s, u"\\%"_s,
        u"'; DROP TABLE messages; --"_s, u"\"; DROP TABLE messages; --"_s, u"[]"_s, u"a:b:c"_s,
        u"🚀"_s, u"数据\"库"_s, u"数据%_\\库"_s, u"\0"_s, u"x\0y"_s, u"\t\n\r"_s, u"\x1b[0m"_s,
        u"a\"*\"b"_s, u"NEAR/3"_s, u"x - y"_s, u"col : term"_s,
    };
    for (const QString &q : queries)
        QTest::newRow(q.toUtf8().toPercentEncoding(" ()'\"*:;-+{}[]^\\").constData()) << q;
    QTest::newRow("a thousand words") << QString(u"word AND \"quote "_s).repeated(1000);
    QTest::newRow("one very long word") << QString(u"x"_s).repeated(100000);
}

void tst_HistoryStore::searchHostileInput()
{
    QFETCH(QString, query);
    HistoryStore store;
    QVERIFY(store.open(path()));
    fillSearchCorpus(store);
    QSignalSpy errors(&store, &HistoryStore::errorOccurred);
    const QList<HistoryStore::SearchHit> hits = store.search(query);
    Q_UNUSED(hits);
    QVERIFY2(errors.isEmpty(), qPrintable(store.lastError()));
    QCOMPARE(store.lastErrorKind(), HistoryStore::ErrorKind::None);
    QCOMPARE(store.conversationCount(), 3); // nothing dropped
    QCOMPARE(store.search(u"migr"_s).size(), 3);
}

void tst_HistoryStore::searchQueryParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("fts");
    QTest::addColumn<QStringList>("substrings");
    QTest::newRow("words") << u"  sqlite   wal "_s << u"content : \"sqlite\"* content : \"wal\"*"_s
                           << QStringList{};
    QTest::newRow("quotes doubled") << u"say \"hi\""_s << u"content : \"say\"* content : \"\"\"hi\"\"\"*"_s
                                    << QStringList{};
    QTest::newRow("operators quoted") << u"a AND b"_s
                                      << u"content : \"a\"* content : \"AND\"* content : \"b\"*"_s
                                      << QStringList{};
    QTest::newRow("punctuation dropped") << u"( * ) c++"_s << u"content : \"c++\"*"_s << QStringList{};
    QTest::newRow("duplicates dropped") << u"x x X"_s << u"content : \"x\"* content : \"X\"*"_s
                                        << QStringList{};
    QTest::newRow("chinese: pairs as a phrase") << u"数据库"_s << u"grams : \"数据 据库\""_s << QStringList{};
    QTest::newRow("chinese: two characters") << u"迁移"_s << u"grams : \"迁移\""_s << QStringList{};
    QTest::newRow("chinese: one character is a prefix") << u"库"_s << u"grams : \"库\"*"_s << QStringList{};
    QTest::newRow("scripts side by side") << u"SQLite 数据库 データ"_s
                                          << u"content : \"SQLite\"* grams : \"数据 据库\" grams : \"デー ータ\""_s
                                          << QStringList{};
    QTest::newRow("mixed word also by LIKE") << u"Qt数据库 数据%"_s
                                             << u"grams : \"数据 据库\" grams : \"数据\""_s
                                             << QStringList{u"Qt数据库"_s, u"数据%"_s};
    QTest::newRow("thai") << u"ภาษา"_s << u"grams : \"ภา าษ ษา\""_s << QStringList{};
    QTest::newRow("hangul stays with content") << u"데이터베이스"_s << u"content : \"데이터베이스\"*"_s
                                               << QStringList{};
    QTest::newRow("surrogate pairs") << u"𠀀𠀁"_s << u"grams : \"𠀀𠀁\""_s << QStringList{};
}

void tst_HistoryStore::searchQueryParsing()
{
    QFETCH(QString, text);
    QFETCH(QString, fts);
    QFETCH(QStringList, substrings);
    const HistorySearchQuery q = HistorySearchQuery::parse(text);
    QCOMPARE(q.ftsExpression, fts);
    QCOMPARE(q.matchesContent, fts.contains(u"content :"_s));
    QCOMPARE(q.substringTerms, substrings);
    QCOMPARE(HistorySearchQuery::likePattern(u"50%_a\\b"_s), u"%50\\%\\_a\\\\b%"_s);
}

void tst_HistoryStore::grams_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("grams");
    QTest::newRow("latin only") << u"Hello, world"_s << QString();
    QTest::newRow("one run") << u"数据库"_s << u"数据 据库 库"_s;
    QTest::newRow("runs split by other text") << u"用 SQLite 的数据库。好"_s << u"用 的数 数据 据库 库 好"_s;
    QTest::newRow("single characters") << u"a数b据"_s << u"数 据"_s;
    QTest::newRow("kana") << u"データ"_s << u"デー ータ タ"_s;
    QTest::newRow("surrogate pairs") << u"𠀀𠀁x"_s << u"𠀀𠀁 𠀁"_s;
    QTest::newRow("empty") << QString() << QString();
}

void tst_HistoryStore::grams()
{
    QFETCH(QString, text);
    QFETCH(QString, grams);
    QCOMPARE(HistorySearchQuery::grams(text), grams);
}

// --- fixtures --------------------------------------------------------------------

// Writes the fixture databases that are missing in $SLUICE_WRITE_FIXTURES
// (never overwrites one: a shipped version's fixture is frozen). Run:
//   SLUICE_WRITE_FIXTURES=$PWD/tests/data/history build/.../tst_historystore writeFixtures
void tst_HistoryStore::writeFixtures()
{
    const QString dir = qEnvironmentVariable("SLUICE_WRITE_FIXTURES");
    if (dir.isEmpty())
        QSKIP("Set SLUICE_WRITE_FIXTURES=<dir> to write the fixture databases.");
    QVERIFY(QDir().mkpath(dir));
    const QList<Conversation> conversations = fixtureConversations();
    const QList<FixtureMessage> messages = fixtureMessages();

    // v1: the steps up to 1 and rows in the v1 columns, as Sluice with schema 1 wrote them.
    auto writeV1 = [&](const QString &file, bool conflict) {
        RawDb raw(file);
        QVERIFY(raw.isOpen());
        QVERIFY(raw.exec(u"PRAGMA journal_mode = WAL"_s));
        QVERIFY(raw.exec(u"BEGIN"_s));
        for (const QString &sql : HistorySchema::steps().at(0).statements)
            QVERIFY(raw.exec(sql));
        QVERIFY(raw.exec(u"PRAGMA user_version = 1"_s));
        for (const Conversation &c : conversations) {
            QSqlQuery q(raw.db());
            QVERIFY(q.prepare(u"INSERT INTO conversations (title, created, updated, endpoint, model, "
                              "system_prompt, temperature, max_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s));
            q.addBindValue(nn(c.title));
            q.addBindValue(c.created.toMSecsSinceEpoch());
            q.addBindValue(c.updated.toMSecsSinceEpoch());
            q.addBindValue(nn(c.endpoint));
            q.addBindValue(nn(c.model));
            q.addBindValue(nn(c.systemPrompt));
            q.addBindValue(c.temperature ? QVariant(*c.temperature) : QVariant(QMetaType::fromType<double>()));
            q.addBindValue(c.maxTokens ? QVariant(*c.maxTokens) : QVariant(QMetaType::fromType<int>()));
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        int position = 0;
        int previous = -1;
        for (const FixtureMessage &m : messages) {
            position = m.conversation == previous ? position + 1 : 0;
            previous = m.conversation;
            const qint64 time = conversations.at(m.conversation).created.addSecs(position).toMSecsSinceEpoch();
            QSqlQuery q(raw.db());
            QVERIFY(q.prepare(u"INSERT INTO messages (conversation_id, position, role, content, reasoning, "
                              "model, state, finish_reason, created, updated) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s));
            q.addBindValue(m.conversation + 1);
            q.addBindValue(position);
            q.addBindValue(ChatMessage::roleName(m.role));
            q.addBindValue(nn(m.content));
            q.addBindValue(nn(m.reasoning));
            q.addBindValue(m.role == ChatMessage::Role::Assistant ? conversations.at(m.conversation).model : u""_s);
            q.addBindValue(Message::stateName(m.state));
            q.addBindValue(m.state == Message::State::Completed && m.role == ChatMessage::Role::Assistant
                               ? u"stop"_s : u""_s);
            q.addBindValue(time);
            q.addBindValue(time);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        if (conflict)
            QVERIFY(raw.exec(u"CREATE TABLE messages_fts (note TEXT)"_s));
        QVERIFY(raw.exec(u"COMMIT"_s));
        QVERIFY(raw.exec(u"VACUUM"_s));
    };
    auto writeCurrent = [&](const QString &file) {
        HistoryStore store;
        QVERIFY(store.open(file));
        QList<qint64> ids;
        for (const Conversation &c : conversations)
            ids << store.createConversation(c);
        int position = 0;
        int previous = -1;
        for (const FixtureMessage &f : messages) {
            position = f.conversation == previous ? position + 1 : 0;
            previous = f.conversation;
            Message m = f.conversation == 0 && position == 1 ? fullAssistantMessage(ids.at(0))
                                                              : message(ids.at(f.conversation), f.role, f.content, f.state);
            m.content = f.content;
            m.reasoning = f.reasoning;
            m.created = conversations.at(f.conversation).created.addSecs(position);
            m.updated = m.created;
            QVERIFY(store.addMessage(m) > 0);
        }
        QVERIFY(store.setConversationSettings(ids.at(0), QJsonObject{{u"top_p"_s, 0.9}}));
    };

    int written = 0;
    for (int v = 1; v <= HistoryStore::SchemaVersion; ++v) {
        const QString file = dir + u"/v%1.sqlite3"_s.arg(v);
        if (QFile::exists(file))
            continue;
        if (v == 1)
            writeV1(file, false);
        else if (v == HistoryStore::SchemaVersion)
            writeCurrent(file);
        else
            QFAIL("An old fixture is missing; restore it from git (it cannot be regenerated).");
        ++written;
        qInfo("wrote %s", qPrintable(file));
    }
    const QString conflict = dir + u"/v1-conflict.sqlite3"_s;
    if (!QFile::exists(conflict)) {
        writeV1(conflict, true);
        ++written;
        qInfo("wrote %s", qPrintable(conflict));
    }
    if (written == 0)
        qInfo("all fixtures exist; delete one to write it again");
}

QTEST_GUILESS_MAIN(tst_HistoryStore)
#include "tst_historystore.moc"
