// The built-in offline demo endpoint, through the real ChatClient and ModelCatalog.
#include "demo/demoserver.h"
#include "net/chatclient.h"
#include "net/modelcatalog.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_DemoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersAreLoaded();
    void tokenizeJoinsBack_data();
    void tokenizeJoinsBack();
    void tokenizeSplitsSensibly();
    void matchAnswer_data();
    void matchAnswer();
    void fullReply();
    void reasoningPhase();
    void rotatesWithoutKeywords();
    void maxTokensCutsTheReply();
    void stopMidReply();
    void keepAliveServesSeveralRequests();
    void models();
    void unknownPathIs404();
    void realisticPacing();

private:
    struct Reply
    {
        ChatResult result;
        QString content;
        QString reasoning;
        std::optional<Usage> usage;
        int deltas = 0;
    };
    Reply chat(DemoServer &server, const QString &prompt, std::optional<int> maxTokens = std::nullopt);

    QNetworkAccessManager m_nam;
};

static int answerIndex(const QString &name)
{
    const auto &answers = DemoServer::answers();
    for (int i = 0; i < answers.size(); ++i) {
        if (answers.at(i).name == name)
            return i;
    }
    return -2;
}

tst_DemoServer::Reply tst_DemoServer::chat(DemoServer &server, const QString &prompt, std::optional<int> maxTokens)
{
    Reply reply;
    ChatClient client(&m_nam);
    connect(&client, &ChatClient::deltaReceived, this, [&](const StreamDelta &d) {
        reply.content += d.content;
        reply.reasoning += d.reasoning;
        if (d.usage)
            reply.usage = d.usage;
        if (d.hasText())
            ++reply.deltas;
    });
    QSignalSpy finished(&client, &ChatClient::finished);
    ChatRequest request;
    request.baseUrl = server.baseUrl();
    request.model = u"sluice-demo"_s;
    request.messages = {{ChatMessage::Role::User, prompt}};
    request.maxTokens = maxTokens;
    client.start(request);
    if (!finished.wait(20'000))
        return reply;
    reply.result = finished.first().first().value<ChatResult>();
    return reply;
}

void tst_DemoServer::answersAreLoaded()
{
    const auto &answers = DemoServer::answers();
    QVERIFY2(answers.size() >= 4 && answers.size() <= 8, qPrintable(QString::number(answers.size())));
    bool code = false, table = false, list = false, cjk = false, thinking = false;
    for (const DemoServer::Answer &a : answers) {
        QVERIFY2(!a.content.trimmed().isEmpty(), qPrintable(a.name));
        QVERIFY2(!a.keywords.isEmpty(), qPrintable(a.name));
        QVERIFY2(!a.content.contains(u"<!--"_s), qPrintable(a.name)); // the header comments are not part of the answer
        code = code || a.content.contains(u"```"_s);
        table = table || a.content.contains(u"|---|"_s);
        list = list || a.content.contains(u"\n- "_s) || a.content.contains(u"\n1. "_s);
        cjk = cjk || a.content.contains(u"流式"_s);
        thinking = thinking || !a.thinking.isEmpty();
    }
    QVERIFY(code);
    QVERIFY(table);
    QVERIFY(list);
    QVERIFY(cjk);
    QVERIFY(thinking);
}

void tst_DemoServer::tokenizeJoinsBack_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("words") << u"Hello, world! How are you?"_s;
    QTest::newRow("leading and trailing space") << u"  spaced out  "_s;
    QTest::newRow("newlines") << u"a\n\nb\nc\n"_s;
    QTest::newRow("code fence") << u"```python\nprint('x')\n```\n"_s;
    QTest::newRow("table") << u"| a | b |\n|---|---|\n| 1 | 2 |"_s;
    QTest::newRow("chinese") << u"你好！这是 Sluice 内置的离线演示端点。"_s;
    QTest::newRow("emoji") << u"Hi 👋 there ✔"_s;
    QTest::newRow("long word") << u"internationalization antidisestablishmentarianism"_s;
    for (const DemoServer::Answer &a : DemoServer::answers()) {
        QTest::newRow(qPrintable(u"answer "_s + a.name)) << a.content;
        QTest::newRow(qPrintable(u"thinking "_s + a.name)) << a.thinking;
    }
}

void tst_DemoServer::tokenizeJoinsBack()
{
    QFETCH(QString, text);
    const QStringList tokens = DemoServer::tokenize(text);
    QCOMPARE(tokens.join(QString()), text);
    for (const QString &t : tokens) {
        QVERIFY(!t.isEmpty());
        QVERIFY2(!t.back().isHighSurrogate(), "a surrogate pair was split");
    }
}

void tst_DemoServer::tokenizeSplitsSensibly()
{
    QCOMPARE(DemoServer::tokenize(u"Hello world"_s), QStringList({u"Hello"_s, u" world"_s}));
    // CJK: one or two characters a token.
    const QStringList cjk = DemoServer::tokenize(u"流式输出是怎么工作的"_s);
    QVERIFY(cjk.size() >= 5);
    for (const QString &t : cjk)
        QVERIFY(t.size() <= 2);
    // Long words are split like BPE pieces.
    QVERIFY(DemoServer::tokenize(u"antidisestablishmentarianism"_s).size() >= 3);
    // A realistic answer has a few hundred tokens.
    const int tokens = int(DemoServer::tokenize(DemoServer::answers().first().content).size());
    QVERIFY2(tokens > 50 && tokens < 2000, qPrintable(QString::number(tokens)));
}

void tst_DemoServer::matchAnswer_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("answer");
    QTest::newRow("code") << u"Show me some Python code please"_s << u"02-code"_s;
    QTest::newRow("table") << u"Compare native and Electron apps in a table"_s << u"03-table"_s;
    QTest::newRow("tips") << u"Give me tips for writing better prompts"_s << u"04-tips"_s;
    QTest::newRow("chinese by script") << u"用中文介绍一下流式输出"_s << u"05-chinese"_s;
    QTest::newRow("reasoning") << u"Solve a logic puzzle and show your thinking"_s << u"06-reasoning"_s;
    QTest::newRow("hello") << u"hello there"_s << u"01-welcome"_s;
    QTest::newRow("no words inside words") << u"this is something else entirely"_s << QString();
    QTest::newRow("nothing") << u"zzz"_s << QString();
}

void tst_DemoServer::matchAnswer()
{
    QFETCH(QString, prompt);
    QFETCH(QString, answer);
    const int index = DemoServer::matchAnswer(prompt);
    if (answer.isEmpty())
        QCOMPARE(index, -1);
    else
        QCOMPARE(index, answerIndex(answer));
}

void tst_DemoServer::fullReply()
{
    DemoServer server;
    server.setSpeedFactor(40);
    QVERIFY(server.start());
    QCOMPARE(server.baseUrl().host(), u"127.0.0.1"_s);
    QSignalSpy started(&server, &DemoServer::streamStarted);
    QSignalSpy ended(&server, &DemoServer::streamFinished);

    const Reply reply = chat(server, u"Show me some Python code"_s);
    QCOMPARE(reply.result.status, ChatResult::Status::Completed);
    QCOMPARE(reply.result.finishReason, u"stop"_s);
    const DemoServer::Answer &expected = DemoServer::answers().at(answerIndex(u"02-code"_s));
    QCOMPARE(reply.content, expected.content);
    QVERIFY(reply.reasoning.isEmpty());
    QCOMPARE(reply.deltas, int(DemoServer::tokenize(expected.content).size()));
    QVERIFY(reply.usage);
    QCOMPARE(reply.usage->completionTokens, qint64(reply.deltas));
    QVERIFY(reply.usage->promptTokens > 0);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.first().first().toString(), u"02-code"_s);
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(ended.first().first().toBool(), true);
    QCOMPARE(server.activeStreams(), 0);
}

void tst_DemoServer::reasoningPhase()
{
    DemoServer server;
    server.setSpeedFactor(40);
    QVERIFY(server.start());
    const Reply reply = chat(server, u"Can you solve a puzzle?"_s);
    QCOMPARE(reply.result.status, ChatResult::Status::Completed);
    const DemoServer::Answer &expected = DemoServer::answers().at(answerIndex(u"06-reasoning"_s));
    QCOMPARE(reply.reasoning, expected.thinking);
    QCOMPARE(reply.content, expected.content);
    QVERIFY(reply.usage);
    QVERIFY(reply.usage->reasoningTokens > 0);
}

void tst_DemoServer::rotatesWithoutKeywords()
{
    DemoServer server;
    server.setSpeedFactor(200);
    QVERIFY(server.start());
    const Reply first = chat(server, u"zzz"_s);
    const Reply second = chat(server, u"zzz"_s);
    QCOMPARE(first.result.status, ChatResult::Status::Completed);
    QCOMPARE(second.result.status, ChatResult::Status::Completed);
    QCOMPARE(first.content, DemoServer::answers().at(0).content);
    QCOMPARE(second.content, DemoServer::answers().at(1).content);
}

void tst_DemoServer::maxTokensCutsTheReply()
{
    DemoServer server;
    server.setSpeedFactor(40);
    QVERIFY(server.start());
    const Reply reply = chat(server, u"hello"_s, 5);
    QCOMPARE(reply.result.status, ChatResult::Status::Completed);
    QCOMPARE(reply.result.finishReason, u"length"_s);
    QCOMPARE(reply.deltas, 5);
}

void tst_DemoServer::stopMidReply()
{
    DemoServer server; // realistic pacing: a reply takes several seconds
    QVERIFY(server.start());
    QSignalSpy ended(&server, &DemoServer::streamFinished);

    ChatClient client(&m_nam);
    QString content;
    connect(&client, &ChatClient::deltaReceived, this, [&](const StreamDelta &d) { content += d.content; });
    QSignalSpy finished(&client, &ChatClient::finished);
    ChatRequest request;
    request.baseUrl = server.baseUrl();
    request.model = u"sluice-demo"_s;
    request.messages = {{ChatMessage::Role::User, u"Compare these in a table"_s}};
    client.start(request);
    QTRY_VERIFY_WITH_TIMEOUT(content.size() > 20, 10'000);
    QCOMPARE(server.activeStreams(), 1);

    client.cancel();
    QCOMPARE(finished.size(), 1); // at once, from cancel() itself
    QCOMPARE(finished.first().first().value<ChatResult>().status, ChatResult::Status::Stopped);
    // The server notices the disconnect and stops writing.
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 5'000);
    QCOMPARE(ended.first().first().toBool(), false);
    QCOMPARE(server.activeStreams(), 0);
    const QString stoppedAt = content;
    QTest::qWait(200);
    QCOMPARE(content, stoppedAt);
}

void tst_DemoServer::keepAliveServesSeveralRequests()
{
    DemoServer server;
    server.setSpeedFactor(200);
    QVERIFY(server.start());
    for (int i = 0; i < 3; ++i) {
        const Reply reply = chat(server, u"hello"_s);
        QCOMPARE(reply.result.status, ChatResult::Status::Completed);
        QVERIFY(!reply.content.isEmpty());
    }
}

void tst_DemoServer::models()
{
    DemoServer server;
    QVERIFY(server.start());
    ModelCatalog catalog(&m_nam);
    QSignalSpy finished(&catalog, &ModelCatalog::finished);
    catalog.fetch(server.baseUrl(), QString());
    QVERIFY(finished.wait(5'000));
    QCOMPARE(finished.first().at(0).toStringList(), QStringList{DemoServer::modelId()});
    QCOMPARE(finished.first().at(1).toString(), QString());
}

void tst_DemoServer::unknownPathIs404()
{
    DemoServer server;
    QVERIFY(server.start());
    QUrl url = server.baseUrl();
    url.setPath(u"/v1/embeddings"_s);
    QNetworkReply *reply = m_nam.get(QNetworkRequest(url));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5'000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QVERIFY(reply->readAll().contains("\"error\""));
    reply->deleteLater();
}

void tst_DemoServer::realisticPacing()
{
    // At speed 1 the first token comes after a short pause and the text flows
    // at tens of tokens a second: check the first half second only.
    DemoServer server;
    QVERIFY(server.start());
    ChatClient client(&m_nam);
    int deltas = 0;
    connect(&client, &ChatClient::deltaReceived, this, [&](const StreamDelta &d) { deltas += d.hasText() ? 1 : 0; });
    ChatRequest request;
    request.baseUrl = server.baseUrl();
    request.model = u"sluice-demo"_s;
    request.messages = {{ChatMessage::Role::User, u"hello"_s}};
    client.start(request);
    QTest::qWait(150);
    QCOMPARE(deltas, 0); // still "thinking"
    QTRY_VERIFY_WITH_TIMEOUT(deltas > 0, 2'000);
    QTest::qWait(1'000);
    // Tens of tokens a second: neither a trickle nor everything at once
    // (generous bounds: a loaded CI machine delays timers).
    QVERIFY2(deltas > 10 && deltas < 90, qPrintable(QString::number(deltas)));
    const StreamMetrics::Snapshot s = client.metrics().snapshot(client.now());
    QVERIFY2(s.ttftMs > 200 && s.ttftMs < 1500, qPrintable(QString::number(s.ttftMs)));
    client.cancel();
}

QTEST_GUILESS_MAIN(tst_DemoServer)
#include "tst_demoserver.moc"
