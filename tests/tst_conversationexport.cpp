// Tests of ConversationExport: Markdown and JSON content, endpoint and
// settings sanitising (no key ever leaves in an export), JSON import into a
// real HistoryStore (round trip with the settings, older files, validation of
// bad files).

#include "historyfixture.h"
#include "store/conversationexport.h"
#include "store/conversationsettings.h"
#include "store/historystore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace HistoryFixture;

namespace {

QJsonObject exportedObject(const Conversation &c, const QList<Message> &messages,
                           const QJsonObject &settings = {})
{
    return QJsonDocument::fromJson(ConversationExport::toJson(c, messages, settings)).object();
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
    void secretSettings_data();
    void secretSettings();
    void importRoundTrip();
    void importMinimalFile();
    void importOlderExportWithoutSettings();
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
    QVERIFY(!md.contains(u"Settings"_s)); // none chosen
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

    // The conversation's own settings: one line in the header, each as a code span.
    const QString withSettings = ConversationExport::toMarkdown(sampleConversation(), sampleMessages(), sampleSettings());
    QVERIFY2(withSettings.contains(u"- **Max tokens:** 1024\n- **Settings:** `reasoning_effort: \"high\"`, "
                                   "`stop: [\"\\n\\n\"]`, `top_p: 0.9`\n\n"_s),
             qPrintable(withSettings));
    QCOMPARE(withSettings.count(u"Settings"_s), 1);
    const QString tick = ConversationExport::toMarkdown(bare, {}, QJsonObject{{u"stop"_s, u"```"_s}});
    QVERIFY2(tick.contains(u"- **Settings:** `` stop: \"```\" ``\n"_s), qPrintable(tick));

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
    m.role = ChatMessage::Role::Assistant;
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
    QVERIFY(o.value(u"settings"_s).isObject());
    QVERIFY(o.value(u"settings"_s).toObject().isEmpty());
    QCOMPARE(exportedObject(sampleConversation(), sampleMessages(), sampleSettings()).value(u"settings"_s).toObject(),
             sampleSettings());
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
    QCOMPARE(reply.value(u"created"_s).toString(), u"2024-05-01T10:00:05.123Z"_s);
    QCOMPARE(reply.value(u"updated"_s).toString(), u"2024-05-01T10:00:07.456Z"_s);
    QCOMPARE(reply.value(u"cost_usd"_s).toDouble(), 0.00123);
    const QJsonObject usage = reply.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), 42);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 128);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 170);
    QCOMPARE(usage.value(u"reasoning_tokens"_s).toInt(), 16);
    QCOMPARE(usage.value(u"cached_prompt_tokens"_s).toInt(), 8);
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
    QVERIFY(failed.value(u"usage"_s).toObject().isEmpty()); // not reported: left out

    Conversation bare;
    const QJsonObject empty = exportedObject(bare, {});
    QVERIFY(empty.value(u"temperature"_s).isNull());
    QVERIFY(empty.value(u"max_tokens"_s).isNull());
    QCOMPARE(empty.value(u"settings"_s).toObject(), QJsonObject());
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
    // Settings a future feature might fill carelessly (extra headers, a relay URL).
    QJsonObject settings = sampleSettings();
    settings.insert(u"extra_headers"_s, QJsonObject{{u"x-api-key"_s, u"secret"_s}, {u"X-Title"_s, u"Sluice"_s}});
    settings.insert(u"relay"_s, endpoint);
    settings.insert(u"api_key"_s, u"secret"_s);
    const QByteArray json = ConversationExport::toJson(c, sampleMessages(), settings);
    const QString md = ConversationExport::toMarkdown(c, sampleMessages(), settings);
    QVERIFY2(!json.contains("secret"), json.constData());
    QVERIFY2(!md.contains(u"secret"_s), qPrintable(md));
    QCOMPARE(QJsonDocument::fromJson(json).object().value(u"endpoint"_s).toString(),
             u"https://api.example.com/v1"_s);
    const QJsonObject exportedSettings = QJsonDocument::fromJson(json).object().value(u"settings"_s).toObject();
    QCOMPARE(exportedSettings.value(u"relay"_s).toString(), u"https://api.example.com/v1"_s);
    QCOMPARE(exportedSettings.value(u"extra_headers"_s).toObject(), QJsonObject({{u"X-Title"_s, u"Sluice"_s}}));
    QCOMPARE(exportedSettings.value(u"top_p"_s).toDouble(), 0.9);
    // Through the store and back out: still nothing.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"credentials were not stored"_s));
    const qint64 id = m_store->importConversation(c, sampleMessages(), settings);
    QVERIFY(id > 0);
    const QByteArray again = ConversationExport::toJson(*m_store->conversation(id), m_store->messages(id),
                                                        *m_store->conversationSettings(id));
    QVERIFY2(!again.contains("secret"), again.constData());
    QVERIFY(again.contains("X-Title"));
    // A hand-edited file with a key in the endpoint or the settings: the key is not imported either.
    QJsonObject edited = QJsonDocument::fromJson(json).object();
    edited.insert(u"endpoint"_s, endpoint);
    edited.insert(u"settings"_s, settings);
    QString error;
    const auto imported = ConversationExport::fromJson(QJsonDocument(edited).toJson(), &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(!imported->conversation.endpoint.contains(u"secret"_s));
    QCOMPARE(imported->settings, exportedSettings);
    const qint64 editedId = ConversationExport::importJson(*m_store, QJsonDocument(edited).toJson(), &error);
    QVERIFY2(editedId > 0, qPrintable(error));
    QCOMPARE(m_store->conversationSettings(editedId), std::optional<QJsonObject>(exportedSettings));
}

// What ConversationSettings::withoutSecrets() keeps and drops (the store and
// both formats use it).
void tst_ConversationExport::secretSettings_data()
{
    QTest::addColumn<QJsonObject>("settings");
    QTest::addColumn<QJsonObject>("kept");
    QTest::addColumn<QStringList>("dropped");
    const QJsonObject plain = sampleSettings();
    QTest::newRow("request parameters stay") << plain << plain << QStringList{};
    QJsonObject counts{{u"max_tokens"_s, 100}, {u"max_completion_tokens"_s, 50}, {u"top_k"_s, 40},
                       {u"keywords"_s, QJsonArray{u"a"_s}}, {u"language"_s, u"sk-SK"_s},
                       {u"author"_s, u"me"_s}, {u"docs"_s, u"https://example.com/docs/v1/"_s}};
    QTest::newRow("counts and look-alikes stay") << counts << counts << QStringList{};
    for (const QString &name : {u"api_key"_s, u"apiKey"_s, u"X-API-KEY"_s, u"openai_key"_s, u"key"_s,
                                u"Authorization"_s, u"auth"_s, u"token"_s, u"access_token"_s, u"client_secret"_s,
                                u"password"_s, u"passphrase"_s, u"credentials"_s, u"Cookie"_s, u"private_key"_s}) {
        QTest::newRow(qPrintable(u"name "_s + name))
            << QJsonObject{{name, u"x"_s}, {u"top_p"_s, 1}} << QJsonObject{{u"top_p"_s, 1}} << QStringList{name};
    }
    for (const QString &value : {u"Bearer abcdefgh12345678"_s, u"sk-proj-abcdefghijklmnop1234"_s,
                                 u"sk-ant-api03-abcdefghijklmnop"_s, u"AIzaSyAbcdefghijklmnop1234"_s,
                                 u" sk-or-v1-0123456789abcdef0123 "_s}) {
        QTest::newRow(qPrintable(u"value "_s + value.trimmed().left(12)))
            << QJsonObject{{u"note"_s, value}} << QJsonObject{} << QStringList{u"note"_s};
    }
    QTest::newRow("nested, in arrays")
        << QJsonObject{{u"headers"_s, QJsonObject{{u"X-Goog-Api-Key"_s, u"x"_s}, {u"Accept"_s, u"json"_s}}},
                       {u"stop"_s, QJsonArray{u"END"_s, u"Bearer abcdefgh12345678"_s}}}
        << QJsonObject{{u"headers"_s, QJsonObject{{u"Accept"_s, u"json"_s}}}, {u"stop"_s, QJsonArray{u"END"_s}}}
        << QStringList{u"headers.X-Goog-Api-Key"_s, u"stop[1]"_s};
    QTest::newRow("URL with user info and query")
        << QJsonObject{{u"relay"_s, u"https://me:pw@relay.example:8443/v1?key=k#frag"_s}}
        << QJsonObject{{u"relay"_s, u"https://relay.example:8443/v1"_s}} << QStringList{u"relay (user info, query)"_s};
}

void tst_ConversationExport::secretSettings()
{
    QFETCH(QJsonObject, settings);
    QFETCH(QJsonObject, kept);
    QFETCH(QStringList, dropped);
    QStringList got;
    QCOMPARE(ConversationSettings::withoutSecrets(settings, &got), kept);
    QCOMPARE(got, dropped);
    QCOMPARE(ConversationSettings::withoutSecrets(settings), kept); // no list: fine
}

void tst_ConversationExport::importRoundTrip()
{
    // Into the store the normal way, out, in again, out again.
    const qint64 original = m_store->createConversation(sampleConversation());
    for (Message m : sampleMessages()) {
        m.conversationId = original;
        QVERIFY(m_store->addMessage(m) > 0);
    }
    QVERIFY(m_store->setConversationSettings(original, sampleSettings()));
    const QList<Message> stored = m_store->messages(original);
    const QByteArray first = ConversationExport::toJson(*m_store->conversation(original), stored,
                                                        *m_store->conversationSettings(original));
    QCOMPARE(QJsonDocument::fromJson(first).object().value(u"settings"_s).toObject(), sampleSettings());

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
    QCOMPARE(m_store->conversationCount(), 2);
    QCOMPARE(m_store->conversationSettings(copy), std::optional<QJsonObject>(sampleSettings()));
    QCOMPARE(QString::fromUtf8(ConversationExport::toJson(*m_store->conversation(copy), copied,
                                                          *m_store->conversationSettings(copy))),
             QString::fromUtf8(first));

    // The imported text is searchable like any other.
    QCOMPARE(m_store->search(u"回滚"_s).size(), 2);

    // Markdown of the copy is the Markdown of the original, settings included.
    const QString markdown = ConversationExport::toMarkdown(*m_store->conversation(copy), copied,
                                                            *m_store->conversationSettings(copy));
    QVERIFY(markdown.contains(u"`top_p: 0.9`"_s));
    QCOMPARE(markdown, ConversationExport::toMarkdown(*m_store->conversation(original), stored, sampleSettings()));
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
    QVERIFY(imported->settings.isEmpty());
    const qint64 id = ConversationExport::importJson(*m_store, json, &error);
    QVERIFY2(id > 0, qPrintable(error));
    QCOMPARE(m_store->messageCount(id), 2);
    QVERIFY(m_store->conversation(id)->created.isValid()); // "now" when the file has none
}

// A file exported before the settings were part of the format: everything
// else comes in, the settings are empty, and it exports again with an empty
// "settings" object.
void tst_ConversationExport::importOlderExportWithoutSettings()
{
    QJsonObject older = exportedObject(sampleConversation(), sampleMessages());
    older.remove(u"settings"_s);
    QCOMPARE(older.value(u"version"_s).toInt(), 1);
    QString error;
    const qint64 id = ConversationExport::importJson(*m_store, QJsonDocument(older).toJson(), &error);
    QVERIFY2(id > 0, qPrintable(error));
    QCOMPARE(m_store->conversationSettings(id), std::optional<QJsonObject>(QJsonObject()));
    QCOMPARE(m_store->messageCount(id), int(sampleMessages().size()));
    QCOMPARE(m_store->conversation(id)->temperature, std::optional<double>(0.7));
    const QJsonObject again = exportedObject(*m_store->conversation(id), m_store->messages(id),
                                             *m_store->conversationSettings(id));
    QCOMPARE(again.value(u"settings"_s).toObject(), QJsonObject());
    older.insert(u"settings"_s, QJsonObject());
    QCOMPARE(again, older);
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
    QTest::newRow("settings a list") << QByteArray(head + R"("settings": [1], "messages": []})")
                                     << u"“settings” must be an object"_s;
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
