// Tests of ConversationExport: Markdown and JSON content, endpoint
// sanitising (no key ever leaves in an export), JSON import into a real
// HistoryStore (round trip, validation of bad files).

#include "store/conversationexport.h"
#include "store/historystore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QDateTime at(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs);
}

Conversation sampleConversation()
{
    Conversation c;
    c.title = u"Database migrations"_s;
    c.created = at(u"2024-05-01T10:00:00.000Z"_s);
    c.updated = at(u"2024-05-01T10:05:00.250Z"_s);
    c.endpoint = u"https://api.example.com/v1"_s;
    c.model = u"gpt-4o-mini"_s;
    c.systemPrompt = u"You are terse."_s;
    c.temperature = 0.7;
    c.maxTokens = 1024;
    return c;
}

QList<Message> sampleMessages()
{
    Message user;
    user.role = Message::Role::User;
    user.content = u"How do SQLite migrations work?"_s;
    user.created = at(u"2024-05-01T10:00:01.000Z"_s);
    user.updated = user.created;

    Message reply;
    reply.role = Message::Role::Assistant;
    reply.content = u"Use `PRAGMA user_version`:\n\n```sql\nPRAGMA user_version = 2;\n```"_s;
    reply.reasoning = u"The user asks about schema versioning.\nKeep it short."_s;
    reply.model = u"gpt-4o-mini-2024-07-18"_s;
    reply.finishReason = u"stop"_s;
    reply.usage.promptTokens = 42;
    reply.usage.completionTokens = 128;
    reply.usage.totalTokens = 170;
    reply.usage.reasoningTokens = 16;
    reply.metrics.ttftMs = 312.5;
    reply.metrics.elapsedMs = 2400;
    reply.metrics.tokens = 128;
    reply.metrics.tokenSource = u"usage"_s;
    reply.metrics.tokensPerSecond = 61.25;
    reply.metrics.gapP50Ms = 14.5;
    reply.metrics.gapP99Ms = 80.25;
    reply.metrics.bytes = 20480;
    reply.metrics.retries = 1;
    reply.costUsd = 0.00123;
    reply.created = at(u"2024-05-01T10:00:02.000Z"_s);
    reply.updated = at(u"2024-05-01T10:00:04.500Z"_s);

    Message again;
    again.role = Message::Role::User;
    again.content = u"数据库迁移怎么回滚？"_s;
    again.created = at(u"2024-05-01T10:04:00.000Z"_s);
    again.updated = again.created;

    Message failed;
    failed.role = Message::Role::Assistant;
    failed.state = Message::State::Failed;
    failed.model = u"gpt-4o-mini"_s;
    failed.content = u"Partial answ"_s;
    failed.errorText = u"The server is overloaded (HTTP 529)."_s;
    failed.created = at(u"2024-05-01T10:04:01.000Z"_s);
    failed.updated = at(u"2024-05-01T10:05:00.250Z"_s);
    return {user, reply, again, failed};
}

QJsonObject exportedObject(const Conversation &c, const QList<Message> &messages)
{
    return QJsonDocument::fromJson(ConversationExport::toJson(c, messages)).object();
}

} // namespace

class tst_ConversationExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void markdown();
    void markdownStates_data();
    void markdownStates();
    void json();
    void sanitizedEndpoint_data();
    void sanitizedEndpoint();
    void exportsCarryNoSecret_data();
    void exportsCarryNoSecret();
    void importRoundTrip();
    void importMinimalFile();
    void importStreamingBecomesInterrupted();
    void importBadFiles_data();
    void importBadFiles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

void tst_ConversationExport::initTestCase()
{
    QLoggingCategory::setFilterRules(u"sluice.store.debug=false"_s);
}

void tst_ConversationExport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(m_dir->filePath(u"history.sqlite3"_s)), qPrintable(m_store->lastError()));
}

void tst_ConversationExport::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void tst_ConversationExport::markdown()
{
    const QString md = ConversationExport::toMarkdown(sampleConversation(), sampleMessages());
    QVERIFY2(md.startsWith(u"# Database migrations\n\n"_s), qPrintable(md));
    QVERIFY(md.contains(u"- **Model:** gpt-4o-mini\n"_s));
    QVERIFY(md.contains(u"- **Created:** 2024-05-01 10:00 UTC\n"_s));
    QVERIFY(md.contains(u"- **Updated:** 2024-05-01 10:05 UTC\n"_s));
    QVERIFY(md.contains(u"- **Temperature:** 0.7\n"_s));
    QVERIFY(md.contains(u"- **Max tokens:** 1024\n"_s));
    QVERIFY(md.contains(u"## System prompt\n\nYou are terse.\n"_s));
    QVERIFY(md.contains(u"## User — 2024-05-01 10:00 UTC\n\nHow do SQLite migrations work?\n"_s));
    QVERIFY(md.contains(u"## Assistant (gpt-4o-mini-2024-07-18) — 2024-05-01 10:00 UTC\n"_s));
    // Reasoning folds away; the answer's code block survives as it is.
    QVERIFY(md.contains(u"<details>\n<summary>Reasoning</summary>\n\nThe user asks about schema "
                        "versioning.\nKeep it short.\n\n</details>\n\n"_s));
    QVERIFY(md.contains(u"```sql\nPRAGMA user_version = 2;\n```\n"_s));
    QVERIFY(md.indexOf(u"<details>"_s) < md.indexOf(u"```sql"_s));
    QCOMPARE(md.count(u"<details>"_s), 1); // only the message with reasoning
    QVERIFY(md.contains(u"42 prompt + 128 completion tokens"_s));
    QVERIFY(md.contains(u"61.2 tokens/s"_s) || md.contains(u"61.3 tokens/s"_s));
    QVERIFY(md.contains(u"$0.0012"_s));
    QVERIFY(md.contains(u"数据库迁移怎么回滚？"_s));
    QVERIFY(md.contains(u"*Failed. The server is overloaded (HTTP 529).*"_s));
    // In order.
    QVERIFY(md.indexOf(u"How do SQLite"_s) < md.indexOf(u"PRAGMA user_version ="_s));
    QVERIFY(md.indexOf(u"PRAGMA user_version ="_s) < md.indexOf(u"数据库迁移"_s));

    Conversation bare;
    const QString empty = ConversationExport::toMarkdown(bare, {});
    QVERIFY(empty.startsWith(u"# Untitled conversation\n"_s));
    QVERIFY(!empty.contains(u"System prompt"_s));
    QVERIFY(!empty.contains(u"Temperature"_s));

    // A reasoning text cannot close the <details> block early.
    QList<Message> tricky{sampleMessages().at(1)};
    tricky.first().reasoning = u"a </details> b"_s;
    QCOMPARE(ConversationExport::toMarkdown(bare, tricky).count(u"</details>"_s), 1);
}

void tst_ConversationExport::markdownStates_data()
{
    QTest::addColumn<Message::State>("state");
    QTest::addColumn<QString>("note");
    QTest::newRow("completed") << Message::State::Completed << QString();
    QTest::newRow("stopped") << Message::State::Stopped << u"*Stopped by the user.*"_s;
    QTest::newRow("truncated") << Message::State::Truncated
                               << u"*The connection ended before the reply was complete.*"_s;
    QTest::newRow("interrupted") << Message::State::Interrupted
                                 << u"*Interrupted: Sluice ended while this reply was arriving.*"_s;
    QTest::newRow("streaming") << Message::State::Streaming << u"*Still arriving when this was exported.*"_s;
}

void tst_ConversationExport::markdownStates()
{
    QFETCH(Message::State, state);
    QFETCH(QString, note);
    Message m;
    m.role = Message::Role::Assistant;
    m.state = state;
    m.content = u"text"_s;
    const QString md = ConversationExport::toMarkdown(sampleConversation(), {m});
    if (note.isEmpty())
        QVERIFY(!md.contains(u"\n*"_s));
    else
        QVERIFY2(md.contains(note), qPrintable(md));
}

void tst_ConversationExport::json()
{
    const QJsonObject o = exportedObject(sampleConversation(), sampleMessages());
    QCOMPARE(o.value(u"format"_s).toString(), u"sluice-conversation"_s);
    QCOMPARE(o.value(u"version"_s).toInt(), ConversationExport::FormatVersion);
    QVERIFY(o.value(u"application"_s).toString().startsWith(u"Sluice "_s));
    QCOMPARE(o.value(u"title"_s).toString(), u"Database migrations"_s);
    QCOMPARE(o.value(u"created"_s).toString(), u"2024-05-01T10:00:00.000Z"_s);
    QCOMPARE(o.value(u"updated"_s).toString(), u"2024-05-01T10:05:00.250Z"_s);
    QCOMPARE(o.value(u"endpoint"_s).toString(), u"https://api.example.com/v1"_s);
    QCOMPARE(o.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(o.value(u"system_prompt"_s).toString(), u"You are terse."_s);
    QCOMPARE(o.value(u"temperature"_s).toDouble(), 0.7);
    QCOMPARE(o.value(u"max_tokens"_s).toInt(), 1024);
    QVERIFY(!o.contains(u"id"_s));

    const QJsonArray messages = o.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 4);
    const QJsonObject reply = messages.at(1).toObject();
    QCOMPARE(reply.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(reply.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(reply.value(u"content"_s).toString(), sampleMessages().at(1).content);
    QCOMPARE(reply.value(u"reasoning"_s).toString(), sampleMessages().at(1).reasoning);
    QCOMPARE(reply.value(u"model"_s).toString(), u"gpt-4o-mini-2024-07-18"_s);
    QCOMPARE(reply.value(u"finish_reason"_s).toString(), u"stop"_s);
    QCOMPARE(reply.value(u"created"_s).toString(), u"2024-05-01T10:00:02.000Z"_s);
    QCOMPARE(reply.value(u"updated"_s).toString(), u"2024-05-01T10:00:04.500Z"_s);
    QCOMPARE(reply.value(u"cost_usd"_s).toDouble(), 0.00123);
    const QJsonObject usage = reply.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), 42);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 128);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 170);
    QCOMPARE(usage.value(u"reasoning_tokens"_s).toInt(), 16);
    QVERIFY(!usage.contains(u"cached_prompt_tokens"_s)); // not reported: left out
    const QJsonObject metrics = reply.value(u"metrics"_s).toObject();
    QCOMPARE(metrics.value(u"ttft_ms"_s).toDouble(), 312.5);
    QCOMPARE(metrics.value(u"tokens_per_second"_s).toDouble(), 61.25);
    QCOMPARE(metrics.value(u"token_source"_s).toString(), u"usage"_s);
    QCOMPARE(metrics.value(u"bytes"_s).toInt(), 20480);
    QCOMPARE(metrics.value(u"retries"_s).toInt(), 1);

    const QJsonObject user = messages.at(0).toObject();
    QCOMPARE(user.value(u"role"_s).toString(), u"user"_s);
    QVERIFY(!user.contains(u"metrics"_s));
    QVERIFY(user.value(u"cost_usd"_s).isNull());
    QVERIFY(user.value(u"usage"_s).toObject().isEmpty());
    QCOMPARE(messages.at(2).toObject().value(u"content"_s).toString(), u"数据库迁移怎么回滚？"_s);
    const QJsonObject failed = messages.at(3).toObject();
    QCOMPARE(failed.value(u"state"_s).toString(), u"failed"_s);
    QCOMPARE(failed.value(u"error_text"_s).toString(), u"The server is overloaded (HTTP 529)."_s);

    Conversation bare;
    const QJsonObject empty = exportedObject(bare, {});
    QVERIFY(empty.value(u"temperature"_s).isNull());
    QVERIFY(empty.value(u"max_tokens"_s).isNull());
    QVERIFY(empty.value(u"messages"_s).toArray().isEmpty());
}

void tst_ConversationExport::sanitizedEndpoint_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"https://api.example.com/v1"_s << u"https://api.example.com/v1"_s;
    QTest::newRow("port and path") << u"http://127.0.0.1:11434/v1/"_s << u"http://127.0.0.1:11434/v1/"_s;
    QTest::newRow("user and password") << u"https://user:secret@api.example.com/v1"_s
                                       << u"https://api.example.com/v1"_s;
    QTest::newRow("user only") << u"https://sk-secret@api.example.com/v1"_s << u"https://api.example.com/v1"_s;
    QTest::newRow("key in the query") << u"https://generativelanguage.googleapis.com/v1beta?key=secret"_s
                                      << u"https://generativelanguage.googleapis.com/v1beta"_s;
    QTest::newRow("everything") << u"https://u:secret@host.example:8443/v1?api-key=secret&x=1#secret"_s
                                << u"https://host.example:8443/v1"_s;
    QTest::newRow("empty query") << u"https://host.example/v1?"_s << u"https://host.example/v1"_s;
    QTest::newRow("spaces around") << u"  https://host.example/v1  "_s << u"https://host.example/v1"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("not a URL") << u"secret"_s << QString();
    QTest::newRow("no scheme") << u"user:secret@host/v1"_s << QString();
}

void tst_ConversationExport::sanitizedEndpoint()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);
    QCOMPARE(ConversationExport::sanitizedEndpoint(endpoint), expected);
}

void tst_ConversationExport::exportsCarryNoSecret_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::newRow("userinfo") << u"https://user:secret@api.example.com/v1"_s;
    QTest::newRow("query key") << u"https://api.example.com/v1?key=secret"_s;
    QTest::newRow("both") << u"https://secret:secret@api.example.com/v1?api_key=secret#secret"_s;
}

void tst_ConversationExport::exportsCarryNoSecret()
{
    QFETCH(QString, endpoint);
    Conversation c = sampleConversation();
    c.endpoint = endpoint;
    const QByteArray json = ConversationExport::toJson(c, sampleMessages());
    const QString md = ConversationExport::toMarkdown(c, sampleMessages());
    QVERIFY2(!json.contains("secret"), json.constData());
    QVERIFY(!md.contains(u"secret"_s));
    QCOMPARE(QJsonDocument::fromJson(json).object().value(u"endpoint"_s).toString(),
             u"https://api.example.com/v1"_s);
    // Through the store and back out: still nothing.
    const qint64 id = m_store->createConversation(c);
    QVERIFY(id > 0);
    const QByteArray again = ConversationExport::toJson(*m_store->conversation(id), m_store->messages(id));
    QVERIFY(!again.contains("secret"));
    // A hand-edited file with a key in the endpoint: the key is not imported either.
    QJsonObject edited = QJsonDocument::fromJson(json).object();
    edited.insert(u"endpoint"_s, endpoint);
    QString error;
    const auto imported = ConversationExport::fromJson(QJsonDocument(edited).toJson(), &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(!imported->conversation.endpoint.contains(u"secret"_s));
}

void tst_ConversationExport::importRoundTrip()
{
    // Into the store the normal way, out, in again, out again.
    const qint64 original = m_store->createConversation(sampleConversation());
    for (Message m : sampleMessages()) {
        m.conversationId = original;
        QVERIFY(m_store->addMessage(m) > 0);
    }
    const QList<Message> stored = m_store->messages(original);
    const QByteArray first = ConversationExport::toJson(*m_store->conversation(original), stored);

    QString error;
    const qint64 copy = ConversationExport::importJson(*m_store, first, &error);
    QVERIFY2(copy > 0, qPrintable(error));
    QVERIFY(copy != original);
    const QList<Message> copied = m_store->messages(copy);
    QCOMPARE(copied.size(), stored.size());
    for (int i = 0; i < copied.size(); ++i) {
        QVERIFY(copied.at(i).id != stored.at(i).id); // new ids
        QCOMPARE(copied.at(i).conversationId, copy);
    }
    const QByteArray second = ConversationExport::toJson(*m_store->conversation(copy), copied);
    QCOMPARE(QString::fromUtf8(second), QString::fromUtf8(first));
    QCOMPARE(m_store->conversationCount(), 2);

    // The imported text is searchable like any other.
    QCOMPARE(m_store->search(u"回滚"_s).size(), 2);

    // Markdown of the copy is the Markdown of the original.
    QCOMPARE(ConversationExport::toMarkdown(*m_store->conversation(copy), copied),
             ConversationExport::toMarkdown(*m_store->conversation(original), stored));
}

void tst_ConversationExport::importMinimalFile()
{
    const QByteArray json = R"({"format": "sluice-conversation", "version": 1,
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant"}]})";
    QString error;
    const auto imported = ConversationExport::fromJson(json, &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(imported->messages.size(), 2);
    QCOMPARE(imported->messages.at(0).content, u"hi"_s);
    QCOMPARE(imported->messages.at(1).state, Message::State::Completed);
    QCOMPARE(imported->messages.at(1).usage.totalTokens, qint64(-1));
    QVERIFY(!imported->conversation.temperature);
    const qint64 id = ConversationExport::importJson(*m_store, json, &error);
    QVERIFY2(id > 0, qPrintable(error));
    QCOMPARE(m_store->messageCount(id), 2);
    QVERIFY(m_store->conversation(id)->created.isValid()); // "now" when the file has none
}

void tst_ConversationExport::importStreamingBecomesInterrupted()
{
    QList<Message> messages = sampleMessages();
    messages.last().state = Message::State::Streaming;
    const QByteArray json = ConversationExport::toJson(sampleConversation(), messages);
    QString error;
    const qint64 id = ConversationExport::importJson(*m_store, json, &error);
    QVERIFY2(id > 0, qPrintable(error));
    QCOMPARE(m_store->messages(id).last().state, Message::State::Interrupted);
}

void tst_ConversationExport::importBadFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason"); // a part of the expected sentence
    const QByteArray head = R"({"format": "sluice-conversation", "version": 1, )";
    QTest::newRow("empty file") << QByteArray() << u"not valid JSON"_s;
    QTest::newRow("not JSON") << QByteArray("# Markdown, not JSON") << u"not valid JSON"_s;
    QTest::newRow("cut off") << QByteArray(head + R"("messages": [{"role": "us)") << u"not valid JSON"_s;
    QTest::newRow("an array") << QByteArray("[1, 2]") << u"not a conversation exported by Sluice"_s;
    QTest::newRow("another program's JSON")
        << QByteArray(R"({"model": "gpt-4o", "messages": []})") << u"not a conversation exported by Sluice"_s;
    QTest::newRow("no version") << QByteArray(R"({"format": "sluice-conversation", "messages": []})")
                                << u"no valid format version"_s;
    QTest::newRow("version as text")
        << QByteArray(R"({"format": "sluice-conversation", "version": "1", "messages": []})")
        << u"no valid format version"_s;
    QTest::newRow("newer version")
        << QByteArray(R"({"format": "sluice-conversation", "version": 99, "messages": []})")
        << u"newer version of Sluice"_s;
    QTest::newRow("no messages") << QByteArray(head + R"("title": "x"})") << u"no list of messages"_s;
    QTest::newRow("messages not a list") << QByteArray(head + R"("messages": {}})") << u"no list of messages"_s;
    QTest::newRow("message not an object") << QByteArray(head + R"("messages": ["hi"]})")
                                           << u"message 1 is not an object"_s;
    QTest::newRow("no role") << QByteArray(head + R"("messages": [{"content": "hi"}]})")
                             << u"message 1: unknown role"_s;
    QTest::newRow("unknown role")
        << QByteArray(head + R"("messages": [{"role": "user"}, {"role": "robot"}]})")
        << u"message 2: unknown role “robot”"_s;
    QTest::newRow("unknown state")
        << QByteArray(head + R"("messages": [{"role": "assistant", "state": "exploded"}]})")
        << u"unknown state “exploded”"_s;
    QTest::newRow("content a number") << QByteArray(head + R"("messages": [{"role": "user", "content": 5}]})")
                                      << u"“content” must be text"_s;
    QTest::newRow("bad date")
        << QByteArray(head + R"("messages": [{"role": "user", "created": "yesterday"}]})")
        << u"“created” is not a date and time"_s;
    QTest::newRow("title an object") << QByteArray(head + R"("title": {}, "messages": []})")
                                     << u"“title” must be text"_s;
    QTest::newRow("temperature as text") << QByteArray(head + R"("temperature": "hot", "messages": []})")
                                         << u"“temperature” must be a number"_s;
    QTest::newRow("max_tokens a fraction") << QByteArray(head + R"("max_tokens": 10.5, "messages": []})")
                                           << u"“max_tokens” must be a whole number"_s;
    QTest::newRow("usage a list")
        << QByteArray(head + R"("messages": [{"role": "user", "usage": [1]}]})") << u"“usage” must be an object"_s;
}

void tst_ConversationExport::importBadFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!ConversationExport::fromJson(json, &error));
    QVERIFY2(error.startsWith(u"The file cannot be imported: "_s), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY(error.endsWith(u'.'));
    error.clear();
    QCOMPARE(ConversationExport::importJson(*m_store, json, &error), -1);
    QVERIFY(error.contains(reason));
    QCOMPARE(m_store->conversationCount(), 0); // nothing half-imported
    QVERIFY(!ConversationExport::fromJson(json, nullptr)); // no error sink: still fine
}

QTEST_GUILESS_MAIN(tst_ConversationExport)
#include "tst_conversationexport.moc"
