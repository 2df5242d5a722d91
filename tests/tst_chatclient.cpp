// Integration tests of ChatClient over real loopback HTTP against SseTestServer.
// No mocked QNetworkReply: every case goes through QNetworkAccessManager.

#include "net/chatclient.h"
#include "net/streamnetworkaccess.h"
#include "ssetestserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHstsPolicy>
#include <QPointer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QAuthenticator>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kApiKey = u"sk-test-0123456789abcdef"_s;
const QString kChatPath = u"/v1/chat/completions"_s;
constexpr int kFinishTimeoutMs = 20'000;
constexpr int kSettleMs = 150; // after finished(): time for a wrong second one to show up

using Status = ChatResult::Status;
using Response = SseTestServer::Response;

// Collects everything one client says.
struct Run
{
    explicit Run(ChatClient *c)
        : client(c)
        , finishedSpy(c, &ChatClient::finished)
        , retrySpy(c, &ChatClient::retryScheduled)
        , attemptSpy(c, &ChatClient::attemptStarted)
    {
        QObject::connect(c, &ChatClient::deltaReceived, c, [this](const StreamDelta &delta) {
            deltas.append(delta);
            content += delta.content;
            reasoning += delta.reasoning;
            if (finishedSpy.count() > 0)
                deltaAfterFinished = true;
        });
        QObject::connect(c, &ChatClient::bytesReceived, c, [this](qint64 total) { lastBytesTotal = total; });
    }

    ChatResult result() const { return qvariant_cast<ChatResult>(finishedSpy.at(0).at(0)); }
    int retryDelay(int i) const { return retrySpy.at(i).at(1).toInt(); }

    ChatClient *client;
    QSignalSpy finishedSpy;
    QSignalSpy retrySpy;
    QSignalSpy attemptSpy;
    QList<StreamDelta> deltas;
    QString content;
    QString reasoning;
    qint64 lastBytesTotal = 0;
    bool deltaAfterFinished = false;
};

// Waits for finished(), then a little longer to make sure it came exactly once.
#define WAIT_FINISHED(run)                                                               \
    do {                                                                                 \
        QTRY_VERIFY_WITH_TIMEOUT((run).finishedSpy.count() > 0, kFinishTimeoutMs);       \
        QTest::qWait(kSettleMs);                                                         \
        QCOMPARE((run).finishedSpy.count(), 1);                                          \
        QVERIFY(!(run).deltaAfterFinished);                                              \
        QVERIFY(!(run).client->isRunning());                                             \
    } while (false)

QByteArray bodyBytes(const Response &response)
{
    QByteArray all;
    for (const SseTestServer::Step &step : response.steps)
        all += step.bytes;
    return all;
}

} // namespace

class tst_ChatClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void normalStream();
    void requestHeadersAndBody();
    void noAuthorizationWithoutKey();
    void reasoningAndContent();
    void metrics_data();
    void metrics();
    void stopMidStream_data();
    void stopMidStream();
    void stopWhileSilent_data();
    void stopWhileSilent();
    void streamEndings_data();
    void streamEndings();
    void noRetryOnceTextDelivered();
    void idleTimeout();
    void connectTimeout_data();
    void connectTimeout();
    void connectTimeoutDuringTlsHandshake();
    void unauthorizedWithProviderMessage();
    void clientErrorsAreNotRetried_data();
    void clientErrorsAreNotRetried();
    void retryAfter_data();
    void retryAfter();
    void retryAfterIsCapped();
    void retryThenSuccess_data();
    void retryThenSuccess();
    void closedBeforeResponse();
    void retriesExhausted();
    void cancelDuringBackoff();
    void connectionRefused();
    void splitUtf8_data();
    void splitUtf8();
    void lineEnds_data();
    void lineEnds();
    void commentsAndKeepAlive();
    void largeEvent();
    void eventOverLimit();
    void readBufferHoldsWhileThisThreadIsBusy();
    void nonStreamBody_data();
    void nonStreamBody();
    void inStreamError();
    void errorBodyIsCapped();
    void honoursTheNamProxy();
    void proxyChangeReachesTheNextRequest();
    void proxyAuthenticationIsAskedOnTheSharedNam();
    void managerPerSchemeAndIdleRelease();
    void crossOriginRedirect_data();
    void crossOriginRedirect();
    void sameOriginRedirect();
    void unusableRedirects_data();
    void unusableRedirects();
    void invalidBaseUrl();
    void restartWhileRunning();
    void restartFromFinishedSlot();
    void destroyWhileRunning();

private:
    ChatRequest request(const QString &key = kApiKey) const;
    std::unique_ptr<ChatClient> newClient() const;
    ChatClient::Options fastOptions() const;

    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<SseTestServer> m_server;
};

void tst_ChatClient::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
}

void tst_ChatClient::cleanup()
{
    m_server.reset();
    m_nam.reset();
}

ChatRequest tst_ChatClient::request(const QString &key) const
{
    ChatRequest r;
    r.baseUrl = m_server->baseUrl();
    r.apiKey = key;
    r.model = u"test-model"_s;
    r.messages = {{ChatMessage::Role::System, u"Be brief."_s}, {ChatMessage::Role::User, u"Say hello."_s}};
    r.temperature = 0.5;
    r.maxTokens = 64;
    return r;
}

ChatClient::Options tst_ChatClient::fastOptions() const
{
    ChatClient::Options o;
    o.connectTimeoutMs = 5'000;
    o.idleTimeoutMs = 5'000;
    o.maxRetries = 3;
    o.backoffBaseMs = 50;
    o.maxBackoffMs = 2'000;
    return o;
}

std::unique_ptr<ChatClient> tst_ChatClient::newClient() const
{
    auto client = std::make_unique<ChatClient>(m_nam.get());
    client->setOptions(fastOptions());
    return client;
}

// ---------------------------------------------------------------------------

void tst_ChatClient::normalStream()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Hello"_s, u", "_s, u"world"_s, u"!"_s}, 10));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    QVERIFY(client->isRunning());
    WAIT_FINISHED(run);

    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Completed);
    QVERIFY(result.isSuccess());
    QCOMPARE(result.httpStatus, 200);
    QCOMPARE(result.finishReason, u"stop"_s);
    QCOMPARE(result.retries, 0);
    QVERIFY(result.receivedContent);
    QVERIFY(result.message.isEmpty());
    QCOMPARE(run.content, u"Hello, world!"_s);
    QCOMPARE(run.attemptSpy.count(), 1);
    QCOMPARE(run.retrySpy.count(), 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::requestHeadersAndBody()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"ok"_s}));
    auto client = newClient();
    Run run(client.get());
    ChatRequest r = request(kApiKey + u"\n"_s); // a pasted key with a line end
    client->start(r);
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);

    QCOMPARE(m_server->requestCount(), 1);
    const SseTestServer::RecordedRequest sent = m_server->requests().first();
    QCOMPARE(sent.method, "POST");
    QCOMPARE(sent.path, kChatPath);
    QCOMPARE(sent.header("authorization"), QByteArray("Bearer " + kApiKey.toLatin1()));
    QVERIFY(sent.header("content-type").startsWith("application/json"));
    QCOMPARE(sent.header("accept"), "text/event-stream");
    QCOMPARE(sent.header("user-agent"), QByteArray("Sluice/" SLUICE_VERSION));

    const QJsonObject body = sent.json();
    QCOMPARE(body.value(u"model"_s).toString(), u"test-model"_s);
    QCOMPARE(body.value(u"stream"_s).toBool(), true);
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.5);
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 64);
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
    QCOMPARE(messages.at(1).toObject().value(u"role"_s).toString(), u"user"_s);
    QCOMPARE(messages.at(1).toObject().value(u"content"_s).toString(), u"Say hello."_s);
}

void tst_ChatClient::noAuthorizationWithoutKey()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"local"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request(QString()));
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"local"_s);
    QVERIFY(!m_server->requests().first().hasHeader("authorization"));
}

void tst_ChatClient::reasoningAndContent()
{
    m_server->enqueue(kChatPath, Response::sse({
                                     SseTestServer::openAiReasoningChunk(u"Think"_s),
                                     SseTestServer::openAiReasoningChunk(u"ing."_s),
                                     SseTestServer::openAiChunk(u"Answer"_s),
                                     SseTestServer::openAiFinishChunk(),
                                     SseTestServer::openAiDone(),
                                 }));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.reasoning, u"Thinking."_s);
    QCOMPARE(run.content, u"Answer"_s);
}

void tst_ChatClient::metrics_data()
{
    QTest::addColumn<bool>("withUsage");
    QTest::newRow("tokens counted from deltas") << false;
    QTest::newRow("tokens from the usage chunk") << true;
}

void tst_ChatClient::metrics()
{
    QFETCH(bool, withUsage);
    const QStringList pieces{u"one"_s, u" two"_s, u" three"_s, u" four"_s};
    const Response response = SseTestServer::openAiStream(pieces, 60, withUsage ? 42 : -1);
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);

    const StreamMetrics::Snapshot s = client->metrics().snapshot(client->now());
    QVERIFY(s.ended);
    // The first token came after at least the scripted delay (a lower bound only).
    QVERIFY2(s.ttftMs >= 50, qPrintable(QString::number(s.ttftMs)));
    QVERIFY(s.elapsedMs >= s.ttftMs);
    QCOMPARE(s.deltas, qint64(pieces.size()));
    QCOMPARE(s.tokens, withUsage ? qint64(42) : qint64(pieces.size()));
    QCOMPARE(s.tokenSource, withUsage ? StreamMetrics::TokenSource::Usage : StreamMetrics::TokenSource::Deltas);
    if (withUsage)
        QCOMPARE(s.promptTokens, qint64(12));
    const qint64 bodySize = bodyBytes(response).size();
    QCOMPARE(s.bytes, bodySize);
    QCOMPARE(run.lastBytesTotal, bodySize);
    QCOMPARE(s.retries, 0);
    QVERIFY(s.gapP50Ms >= 0);
}

void tst_ChatClient::stopMidStream_data()
{
    QTest::addColumn<bool>("fromDeltaSlot");
    QTest::newRow("cancel() inside deltaReceived") << true;
    QTest::newRow("cancel() from a timer") << false;
}

void tst_ChatClient::stopMidStream()
{
    QFETCH(bool, fromDeltaSlot);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"A"_s, u"B"_s, u"C"_s, u"D"_s}, 200));
    auto client = newClient();
    Run run(client.get());
    QObject::connect(client.get(), &ChatClient::deltaReceived, client.get(), [&] {
        if (run.deltas.size() != 2)
            return;
        if (fromDeltaSlot) {
            client->cancel();
            QCOMPARE(run.finishedSpy.count(), 1); // synchronous
        } else {
            QTimer::singleShot(10, client.get(), [&] { client->cancel(); });
        }
    });
    client->start(request());
    WAIT_FINISHED(run);
    QTest::qWait(300); // the server would have sent more by now

    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Stopped);
    QCOMPARE(run.content, u"AB"_s);
    QCOMPARE(run.deltas.size(), 2);
    QVERIFY(result.receivedContent);
    QCOMPARE(result.retries, 0);
    QTRY_COMPARE(m_server->connectionsClosed(), 1); // the reply was aborted
}

void tst_ChatClient::stopWhileSilent_data()
{
    QTest::addColumn<bool>("afterFirstToken");
    QTest::newRow("before the response headers") << false;
    QTest::newRow("after a token, server silent") << true;
}

void tst_ChatClient::stopWhileSilent()
{
    QFETCH(bool, afterFirstToken);
    if (afterFirstToken)
        m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Hi"_s, u" there"_s}).silentAfter(1));
    else
        m_server->enqueue(kChatPath, Response::silent());
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    if (afterFirstToken)
        QTRY_COMPARE(run.deltas.size(), 1);
    else
        QTRY_COMPARE(m_server->requestCount(), 1);
    QTest::qWait(100);
    QCOMPARE(run.finishedSpy.count(), 0);

    QElapsedTimer timer;
    timer.start();
    client->cancel();
    QCOMPARE(run.finishedSpy.count(), 1); // at once, not after a network round trip
    QVERIFY(timer.elapsed() < 1000);
    client->cancel(); // a second cancel() is a no-op
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Stopped);
    QCOMPARE(run.content, afterFirstToken ? u"Hi"_s : QString());
    QCOMPARE(result.receivedContent, afterFirstToken);
    QTRY_COMPARE(m_server->connectionsClosed(), 1);
}

void tst_ChatClient::streamEndings_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("content");

    const QByteArray a = SseTestServer::openAiChunk(u"Par"_s);
    const QByteArray b = SseTestServer::openAiChunk(u"tial"_s);
    const QByteArray finish = SseTestServer::openAiFinishChunk();
    const QByteArray done = SseTestServer::openAiDone();

    QTest::newRow("[DONE] after finish_reason") << Response::sse({a, b, finish, done}, 5) << Status::Completed
                                                << u"Partial"_s;
    QTest::newRow("[DONE] without finish_reason") << Response::sse({a, b, done}, 5) << Status::Completed
                                                  << u"Partial"_s;
    QTest::newRow("finish_reason, then the body ends") << Response::sse({a, b, finish}, 5) << Status::Completed
                                                       << u"Partial"_s;
    QTest::newRow("finish_reason, then the connection drops")
        << Response::sse({a, b, finish, done}, 5).dropAfter(3) << Status::Completed << u"Partial"_s;
    QTest::newRow("connection dropped mid-stream") << Response::sse({a, b, finish, done}, 5).dropAfter(2)
                                                   << Status::Truncated << u"Partial"_s;
    QTest::newRow("body ended cleanly without [DONE]") << Response::sse({a, b}, 5) << Status::Truncated
                                                       << u"Partial"_s;
    QTest::newRow("body ended in the middle of an event")
        << Response::sse({a, b, finish.left(finish.size() / 2)}, 5) << Status::Truncated << u"Partial"_s;
    Response untilClose = Response::sse({a, b}, 5);
    untilClose.framing = Response::Framing::UntilClose;
    QTest::newRow("no framing, server closes without [DONE]") << untilClose << Status::Truncated << u"Partial"_s;
    Response fixedLength = Response::sse({a, b, finish, done}, 5);
    fixedLength.framing = Response::Framing::ContentLength;
    QTest::newRow("Content-Length body") << fixedLength << Status::Completed << u"Partial"_s;
    Response noType = Response::sse({a, b, finish, done}, 5);
    noType.headers.clear();
    QTest::newRow("no Content-Type at all") << noType << Status::Completed << u"Partial"_s;
}

void tst_ChatClient::streamEndings()
{
    QFETCH(Response, response);
    QFETCH(Status, status);
    QFETCH(QString, content);
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, status);
    QCOMPARE(run.content, content);
    QCOMPARE(result.retries, 0);
    QCOMPARE(m_server->requestCount(), 1);
    if (status != Status::Completed)
        QVERIFY(!result.message.isEmpty());
}

void tst_ChatClient::noRetryOnceTextDelivered()
{
    // Dropped right after the first token: retrying would show "Hello" twice.
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Hello"_s, u" again"_s}, 10).dropAfter(1));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QTest::qWait(300); // no late retry either
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(run.content, u"Hello"_s);
    QCOMPARE(result.retries, 0);
    QCOMPARE(run.retrySpy.count(), 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::idleTimeout()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Slow"_s, u" server"_s}).silentAfter(1));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.idleTimeoutMs = 300;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Timeout);
    QCOMPARE(run.content, u"Slow"_s);
    QCOMPARE(result.retries, 0);
    QVERIFY(!result.message.isEmpty());
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::connectTimeout_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<int>("maxRetries");
    QTest::newRow("never answers, one retry") << Response::silent() << 1;
    QTest::newRow("headers come too late, no retry")
        << SseTestServer::openAiStream({u"late"_s}).withHeaderDelay(3'000) << 0;
}

void tst_ChatClient::connectTimeout()
{
    QFETCH(Response, response);
    QFETCH(int, maxRetries);
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.connectTimeoutMs = 300;
    options.maxRetries = maxRetries;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Timeout);
    QCOMPARE(result.retries, maxRetries);
    QCOMPARE(result.httpStatus, 0);
    QVERIFY(result.message.contains(m_server->hostPort()));
    QCOMPARE(m_server->requestCount(), maxRetries + 1);
    QVERIFY(run.content.isEmpty());
}

void tst_ChatClient::connectTimeoutDuringTlsHandshake()
{
    // The connect timeout starts when Qt starts connecting for the request,
    // not when the request is sent: a server that accepts the TCP connection
    // and never answers the TLS handshake still "did not answer".
#if QT_CONFIG(ssl)
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QTcpServer mute;
    QVERIFY(mute.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> accepted; // kept open, never read
    connect(&mute, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = mute.nextPendingConnection())
            accepted.append(socket);
    });
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.connectTimeoutMs = 300;
    options.maxRetries = 0;
    client->setOptions(options);
    Run run(client.get());
    ChatRequest r = request();
    r.baseUrl = QUrl(u"https://127.0.0.1:%1/v1"_s.arg(mute.serverPort()));
    QElapsedTimer timer;
    timer.start();
    client->start(r);
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Timeout);
    QVERIFY2(result.message.contains(u"127.0.0.1:%1"_s.arg(mute.serverPort())), qPrintable(result.message));
    QVERIFY(!accepted.isEmpty()); // the TCP connection was made: the handshake is what hung
    QVERIFY2(timer.elapsed() < 5'000, qPrintable(QString::number(timer.elapsed())));
#else
    QSKIP("Qt was built without TLS");
#endif
}

void tst_ChatClient::unauthorizedWithProviderMessage()
{
    // The provider echoes the key; it must not reach the message.
    m_server->enqueue(kChatPath,
                      SseTestServer::openAiError(401, u"Invalid authentication token: %1"_s.arg(kApiKey),
                                                 u"invalid_request_error"_s, u"invalid_api_key"_s));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, 401);
    QVERIFY2(result.message.contains(u"Invalid authentication token"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"401"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"API key"_s, Qt::CaseInsensitive), qPrintable(result.message));
    QVERIFY2(!result.message.contains(kApiKey), qPrintable(result.message));
    QVERIFY(result.apiError.has_value());
    QCOMPARE(result.apiError->code, u"invalid_api_key"_s);
    QVERIFY(!result.apiError->message.contains(kApiKey));
    QCOMPARE(result.retries, 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::clientErrorsAreNotRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("400") << 400;
    QTest::newRow("403") << 403;
    QTest::newRow("404") << 404;
    QTest::newRow("422") << 422;
    QTest::newRow("501") << 501;
}

void tst_ChatClient::clientErrorsAreNotRetried()
{
    QFETCH(int, status);
    m_server->enqueue(kChatPath, SseTestServer::openAiError(status, u"Nope: the model does not exist"_s));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"never"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, status);
    QVERIFY2(result.message.contains(u"Nope: the model does not exist"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(QString::number(status)), qPrintable(result.message));
    QCOMPARE(result.retries, 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::retryAfter_data()
{
    QTest::addColumn<bool>("httpDate");
    QTest::newRow("Retry-After: 1 (seconds)") << false;
    QTest::newRow("Retry-After: HTTP-date") << true;
}

void tst_ChatClient::retryAfter()
{
    QFETCH(bool, httpDate);
    QByteArray retryAfter = "1";
    if (httpDate) {
        const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(2);
        retryAfter = QLocale::c().toString(when, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    }
    m_server->enqueue(kChatPath, SseTestServer::openAiError(429, u"Rate limit reached"_s, u"rate_limit_exceeded"_s)
                                     .withHeader("Retry-After", retryAfter));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Finally"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Completed);
    QCOMPARE(run.content, u"Finally"_s);
    QCOMPARE(result.retries, 1);
    QCOMPARE(run.retrySpy.count(), 1);
    QCOMPARE(run.retrySpy.at(0).at(0).toInt(), 1);
    if (httpDate) {
        // The date has one-second resolution: somewhere in (1 s, 2 s], minus the time the 429 took.
        QVERIFY2(run.retryDelay(0) >= 500 && run.retryDelay(0) <= 2'000, qPrintable(QString::number(run.retryDelay(0))));
    } else {
        QCOMPARE(run.retryDelay(0), 1'000);
    }
    QVERIFY(!run.retrySpy.at(0).at(2).toString().isEmpty());
    QCOMPARE(m_server->requestCount(), 2);
    const qint64 waited = m_server->requests().at(1).receivedAtMs - m_server->requests().at(0).receivedAtMs;
    QVERIFY2(waited >= run.retryDelay(0) - 50, qPrintable(QString::number(waited)));
    QCOMPARE(run.attemptSpy.count(), 2);
    QCOMPARE(client->metrics().snapshot(client->now()).retries, 1);
}

void tst_ChatClient::retryAfterIsCapped()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiError(503, u"Down for maintenance"_s).withHeader("Retry-After", "3600"));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"back"_s}));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.maxBackoffMs = 300;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.retrySpy.count(), 1);
    QCOMPARE(run.retryDelay(0), 300);
}

void tst_ChatClient::retryThenSuccess_data()
{
    QTest::addColumn<Response>("failure");
    QTest::newRow("500") << SseTestServer::openAiError(500, u"Internal error"_s, u"server_error"_s);
    QTest::newRow("502 HTML page") << Response::fixed(502, "text/html", "<html><body>Bad gateway</body></html>");
    QTest::newRow("503") << SseTestServer::openAiError(503, u"Overloaded"_s);
    QTest::newRow("504") << SseTestServer::openAiError(504, u"Gateway timeout"_s);
    QTest::newRow("408") << SseTestServer::openAiError(408, u"Request timeout"_s);
    QTest::newRow("409") << SseTestServer::openAiError(409, u"Conflict"_s);
}

void tst_ChatClient::retryThenSuccess()
{
    QFETCH(Response, failure);
    m_server->enqueue(kChatPath, failure);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Second"_s, u" time"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::Completed);
    QCOMPARE(run.content, u"Second time"_s);
    QCOMPARE(result.retries, 1);
    QCOMPARE(run.retrySpy.count(), 1);
    QCOMPARE(m_server->requestCount(), 2);
    // The same request went out again.
    QCOMPARE(m_server->requests().at(1).body, m_server->requests().at(0).body);
    QCOMPARE(m_server->requests().at(1).header("authorization"), m_server->requests().at(0).header("authorization"));
}

void tst_ChatClient::closedBeforeResponse()
{
    // Qt itself may send the request again once when a connection closes
    // before the response; ChatClient's own retries come on top of that.
    m_server->enqueue(kChatPath, Response::closeImmediately());
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.maxRetries = 2;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::NetworkError);
    QCOMPARE(result.retries, 2);
    QCOMPARE(result.httpStatus, 0);
    QVERIFY2(result.message.contains(m_server->hostPort()), qPrintable(result.message));
    QVERIFY(m_server->requestCount() >= 3);
    QCOMPARE(run.attemptSpy.count(), 3);
}

void tst_ChatClient::retriesExhausted()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiError(503, u"Service unavailable, try later"_s));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, 503);
    QCOMPARE(result.retries, 3);
    QVERIFY2(result.message.contains(u"Service unavailable, try later"_s), qPrintable(result.message));
    QCOMPARE(m_server->requestCount(), 4);
    QCOMPARE(run.attemptSpy.count(), 4);
    QCOMPARE(run.retrySpy.count(), 3);
    // Exponential backoff from 50 ms: 50, 100, 200 (+/- 20 %).
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(run.retrySpy.at(i).at(0).toInt(), i + 1);
        const int nominal = 50 << i;
        QVERIFY2(run.retryDelay(i) >= nominal * 0.8 - 1 && run.retryDelay(i) <= nominal * 1.2 + 1,
                 qPrintable(QString::number(run.retryDelay(i))));
    }
}

void tst_ChatClient::cancelDuringBackoff()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiError(503, u"Busy"_s));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.backoffBaseMs = 5'000;
    options.maxBackoffMs = 10'000;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    QTRY_COMPARE(run.retrySpy.count(), 1);
    QCOMPARE(run.finishedSpy.count(), 0);
    client->cancel();
    QCOMPARE(run.finishedSpy.count(), 1);
    WAIT_FINISHED(run);
    QTest::qWait(200);
    QCOMPARE(run.result().status, Status::Stopped);
    QCOMPARE(run.result().retries, 1);
    QCOMPARE(m_server->requestCount(), 1);
}

void tst_ChatClient::connectionRefused()
{
    // A port nobody listens on: take a free one and close it again.
    SseTestServer gone;
    QVERIFY(gone.listen());
    const QString where = gone.hostPort();
    ChatRequest r = request();
    r.baseUrl = gone.baseUrl();
    gone.close();

    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.maxRetries = 2;
    client->setOptions(options);
    Run run(client.get());
    client->start(r);
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::NetworkError);
    QCOMPARE(result.retries, 2);
    QCOMPARE(result.httpStatus, 0);
    QCOMPARE(run.retrySpy.count(), 2);
    QVERIFY2(result.message.contains(where), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"refused"_s), qPrintable(result.message));
}

void tst_ChatClient::splitUtf8_data()
{
    QTest::addColumn<QList<QByteArray>>("parts");
    QTest::addColumn<QString>("text");

    const QString text = u"你好，世界！👋🏽 ok"_s;
    const QByteArray event = SseTestServer::openAiChunk(text);
    const qsizetype cjk = event.indexOf(QByteArray("你"));
    const qsizetype emoji = event.indexOf(QByteArray("\xF0\x9F\x91\x8B"));
    QVERIFY(cjk > 0 && emoji > 0);

    for (int offset : {1, 2}) {
        QTest::addRow("inside a CJK character, after byte %d", offset)
            << QList<QByteArray>{event.left(cjk + offset), event.mid(cjk + offset)} << text;
    }
    for (int offset : {1, 2, 3}) {
        QTest::addRow("inside the emoji, after byte %d", offset)
            << QList<QByteArray>{event.left(emoji + offset), event.mid(emoji + offset)} << text;
    }
    QList<QByteArray> bytes;
    for (char c : event)
        bytes.append(QByteArray(1, c));
    QTest::newRow("one byte per write") << bytes << text;
}

void tst_ChatClient::splitUtf8()
{
    QFETCH(QList<QByteArray>, parts);
    QFETCH(QString, text);
    // Two parts: far enough apart to be separate TCP reads. Byte by byte: as they come.
    Response response = Response::sse(parts, parts.size() < 5 ? 40 : 1);
    response.withStep(SseTestServer::openAiFinishChunk(), 5).withStep(SseTestServer::openAiDone(), 5);
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, text);
    QVERIFY(!run.content.contains(QChar::ReplacementCharacter));
}

void tst_ChatClient::lineEnds_data()
{
    QTest::addColumn<QByteArray>("eol");
    QTest::addColumn<bool>("splitEol");
    QTest::newRow("LF") << QByteArray("\n") << false;
    QTest::newRow("CRLF") << QByteArray("\r\n") << false;
    QTest::newRow("CRLF, CR and LF in separate writes") << QByteArray("\r\n") << true;
    QTest::newRow("CR") << QByteArray("\r") << false;
}

void tst_ChatClient::lineEnds()
{
    QFETCH(QByteArray, eol);
    QFETCH(bool, splitEol);
    QList<QByteArray> events;
    const QStringList pieces{u"line"_s, u" ends"_s, u" work"_s};
    for (const QString &piece : pieces)
        events.append(SseTestServer::openAiChunk(piece));
    events.append(SseTestServer::openAiFinishChunk());
    events.append(SseTestServer::openAiDone());

    QList<QByteArray> parts;
    for (QByteArray event : std::as_const(events)) {
        event.replace("\n", eol);
        if (splitEol) {
            // "...}\r" | "\n\r" | "\n": every CR at the end of one write, its LF in the next.
            const QList<QByteArray> halves = event.split('\n');
            QByteArray carry;
            for (qsizetype i = 0; i < halves.size(); ++i) {
                if (i > 0)
                    carry = "\n";
                const QByteArray part = carry + halves.at(i);
                if (!part.isEmpty())
                    parts.append(part);
            }
        } else {
            parts.append(event);
        }
    }
    m_server->enqueue(kChatPath, Response::sse(parts, splitEol ? 15 : 5));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"line ends work"_s);
    QCOMPARE(run.result().finishReason, u"stop"_s);
}

void tst_ChatClient::commentsAndKeepAlive()
{
    m_server->enqueue(kChatPath, Response::sse({
                                     ": OPENROUTER PROCESSING\n\n",
                                     ":\n",
                                     SseTestServer::openAiChunk(u"kept"_s),
                                     ": keep-alive\n\n",
                                     QByteArray("event: message\nid: 7\n" + SseTestServer::openAiChunk(u" alive"_s)),
                                     ": ping\r\n\r\n",
                                     "retry: 3000\n\n",
                                     SseTestServer::openAiFinishChunk(),
                                     SseTestServer::openAiDone(),
                                 },
                                 10));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"kept alive"_s);
    QCOMPARE(run.deltas.size(), 3); // two texts and the finish reason
}

void tst_ChatClient::largeEvent()
{
    const QString big(5 * 1024 * 1024, u'x');
    m_server->enqueue(kChatPath, Response::sse({
                                     SseTestServer::openAiChunk(u"start:"_s),
                                     SseTestServer::openAiChunk(big),
                                     SseTestServer::openAiChunk(u":end"_s),
                                     SseTestServer::openAiFinishChunk(),
                                     SseTestServer::openAiDone(),
                                 }));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content.size(), big.size() + 10);
    QVERIFY(run.content.startsWith(u"start:x"_s));
    QVERIFY(run.content.endsWith(u"x:end"_s));
}

void tst_ChatClient::eventOverLimit()
{
    m_server->enqueue(kChatPath, Response::sse({
                                     SseTestServer::openAiChunk(u"small"_s),
                                     SseTestServer::openAiChunk(QString(4096, u'y')),
                                     SseTestServer::openAiFinishChunk(),
                                     SseTestServer::openAiDone(),
                                 },
                                 20));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.maxEventBytes = 1024;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::ProtocolError);
    QCOMPARE(run.content, u"small"_s);
    QVERIFY(!result.message.isEmpty());
    QCOMPARE(result.retries, 0);
}

void tst_ChatClient::readBufferHoldsWhileThisThreadIsBusy()
{
    // Back-pressure: however long this thread is busy between two reads, Qt's
    // network thread must not hold more than ChatClient::ReadBufferBytes of
    // the body for it; the rest waits in the kernel, where TCP slows the
    // server down. Here every read is followed by 20 ms of work, as a slow
    // GUI frame would be, while the kernel holds megabytes of a 12 MiB event
    // (over the 8 MiB limit set here).
    Response response = Response::sse({SseTestServer::openAiChunk(u"start "_s)});
    response.withStep(R"(data: {"choices":[{"index":0,"delta":{"content":")");
    response.withRepeatedStep(QByteArray(64 * 1024, 'x'), 192);
    response.withStep("\"}}]}\n\n");
    response.withStep(SseTestServer::openAiDone());
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.maxEventBytes = 8 * 1024 * 1024;
    client->setOptions(options);
    Run run(client.get());
    qint64 previous = 0;
    qint64 largestRead = 0;
    int reads = 0;
    connect(client.get(), &ChatClient::bytesReceived, this, [&](qint64 total) {
        largestRead = std::max(largestRead, total - previous);
        previous = total;
        ++reads;
        QThread::msleep(20); // busy
    });
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::ProtocolError);
    QCOMPARE(run.content, u"start "_s);
    qInfo("%d reads, the largest %lld KiB", reads, largestRead / 1024);
    QVERIFY2(largestRead <= ChatClient::ReadBufferBytes,
             qPrintable(u"one read brought %1 KiB"_s.arg(largestRead / 1024)));
    QVERIFY(reads >= 8);
}

void tst_ChatClient::nonStreamBody_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<QString>("expected");
    QTest::newRow("HTML page with 200")
        << Response::fixed(200, "text/html; charset=utf-8",
                           "<!doctype html><html><head><title>Captive portal</title></head><body>Log in</body></html>")
        << u"text/html"_s;
    QTest::newRow("JSON error with 200")
        << Response::json(200, R"({"error":{"message":"Model test-model is not available","type":"invalid_request_error"}})")
        << u"Model test-model is not available"_s;
}

void tst_ChatClient::nonStreamBody()
{
    QFETCH(Response, response);
    QFETCH(QString, expected);
    m_server->enqueue(kChatPath, response);
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, 200);
    QVERIFY2(result.message.contains(expected), qPrintable(result.message));
    QVERIFY(run.content.isEmpty());
    QCOMPARE(result.retries, 0);
}

void tst_ChatClient::inStreamError()
{
    // The server keeps the connection open after the error: the client must not wait for it.
    m_server->enqueue(kChatPath, Response::sse({
                                     SseTestServer::openAiChunk(u"Hel"_s),
                                     SseTestServer::openAiErrorEvent(u"Upstream provider overloaded"_s,
                                                                     u"server_error"_s),
                                     SseTestServer::openAiChunk(u"lo"_s),
                                 },
                                 20)
                                     .silentAfter(2));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.idleTimeoutMs = 60'000;
    client->setOptions(options);
    Run run(client.get());
    QElapsedTimer timer;
    timer.start();
    client->start(request());
    WAIT_FINISHED(run);
    QVERIFY(timer.elapsed() < 30'000);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, 200);
    QCOMPARE(run.content, u"Hel"_s);
    QVERIFY(result.receivedContent);
    QVERIFY2(result.message.contains(u"Upstream provider overloaded"_s), qPrintable(result.message));
    QVERIFY(result.apiError.has_value());
    QCOMPARE(result.retries, 0);
    QTRY_COMPARE(m_server->connectionsClosed(), 1); // aborted at once
}

void tst_ChatClient::errorBodyIsCapped()
{
    // A huge error page that never ends: the client reads what explains it and stops.
    const QByteArray page = "<html><body>" + QByteArray(2 * 1024 * 1024, 'z') + "</body></html>";
    m_server->enqueue(kChatPath, Response::fixed(400, "text/html", page)
                                     .withHeader("Content-Length", QByteArray::number(100 * page.size()))
                                     .silentAfter(1));
    auto client = newClient();
    ChatClient::Options options = fastOptions();
    options.idleTimeoutMs = 60'000;
    client->setOptions(options);
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, 400);
    QVERIFY(result.message.contains(u"400"_s));
    QVERIFY(run.lastBytesTotal <= options.maxErrorBodyBytes);
    QCOMPARE(result.retries, 0);
    QTRY_COMPARE(m_server->connectionsClosed(), 1); // the rest is not downloaded
}

void tst_ChatClient::honoursTheNamProxy()
{
    // The test server doubles as a plain HTTP proxy: the request must go through it.
    m_nam->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, m_server->port()));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"via"_s, u" proxy"_s}));
    auto client = newClient();
    Run run(client.get());
    ChatRequest r = request();
    r.baseUrl = QUrl(u"http://api.example.invalid/v1"_s);
    client->start(r);
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"via proxy"_s);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->requests().first().target, "http://api.example.invalid/v1/chat/completions");
}

void tst_ChatClient::proxyChangeReachesTheNextRequest()
{
    // Plain http goes through a manager of the client's own: a proxy set on
    // the shared NAM after the client was made, or changed between two
    // requests, must still be used (as ProxyConfig::applyProxy() sets it).
    SseTestServer proxy;
    QVERIFY(proxy.listen());
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"direct"_s}));
    proxy.enqueue(kChatPath, SseTestServer::openAiStream({u"via proxy"_s}));
    auto client = newClient();

    Run first(client.get());
    client->start(request());
    WAIT_FINISHED(first);
    QCOMPARE(first.result().status, Status::Completed);
    QCOMPARE(first.content, u"direct"_s);

    m_nam->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, proxy.port()));
    Run second(client.get());
    client->start(request());
    WAIT_FINISHED(second);
    QCOMPARE(second.result().status, Status::Completed);
    QCOMPARE(second.content, u"via proxy"_s);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(proxy.requestCount(), 1);
    QCOMPARE(proxy.requests().first().target, m_server->url(kChatPath).toEncoded());

    m_nam->setProxy(QNetworkProxy::NoProxy);
    Run third(client.get());
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"direct again"_s}));
    client->start(request());
    WAIT_FINISHED(third);
    QCOMPARE(third.content, u"direct again"_s);
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(proxy.requestCount(), 1);
}

void tst_ChatClient::proxyAuthenticationIsAskedOnTheSharedNam()
{
    // The application answers proxyAuthenticationRequired() on the NAM it
    // gave the client; that holds for the client's own manager too.
    m_nam->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, m_server->port()));
    m_server->enqueue(kChatPath,
                      Response::fixed(407, "text/plain", "Proxy Authentication Required\n")
                          .withHeader("Proxy-Authenticate", "Basic realm=\"sluice-test\""));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"let"_s, u" in"_s}));
    int asked = 0;
    connect(m_nam.get(), &QNetworkAccessManager::proxyAuthenticationRequired, this,
            [&](const QNetworkProxy &, QAuthenticator *authenticator) {
                ++asked;
                authenticator->setUser(u"proxyuser"_s);
                authenticator->setPassword(u"proxypass"_s);
            });
    auto client = newClient();
    Run run(client.get());
    ChatRequest r = request();
    r.baseUrl = QUrl(u"http://api.example.invalid/v1"_s);
    client->start(r);
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"let in"_s);
    QCOMPARE(asked, 1);
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(!m_server->requests().at(0).hasHeader("proxy-authorization"));
    QCOMPARE(m_server->requests().at(1).header("proxy-authorization"),
             "Basic " + QByteArray("proxyuser:proxypass").toBase64());
}

void tst_ChatClient::managerPerSchemeAndIdleRelease()
{
    StreamNetworkAccess access(m_nam.get());
    access.setIdleReleaseMs(200);
    QCOMPARE(access.managerFor(QUrl(u"https://api.example.com/v1"_s)), m_nam.get());
    QCOMPARE(access.ownManager(), nullptr);

    m_nam->setProxy(QNetworkProxy(QNetworkProxy::Socks5Proxy, u"proxy.example"_s, 1080, u"u"_s, u"p"_s));
    m_nam->setTransferTimeout(12'345);
    m_nam->setStrictTransportSecurityEnabled(true);
    m_nam->addStrictTransportSecurityHosts({QHstsPolicy(QDateTime::currentDateTimeUtc().addDays(1),
                                                        QHstsPolicy::IncludeSubDomains, u"hsts.example"_s)});
    access.setBusy(true);
    QNetworkAccessManager *own = access.managerFor(QUrl(u"http://127.0.0.1:11434/v1"_s));
    QVERIFY(own && own != m_nam.get());
    QCOMPARE(access.managerFor(QUrl(u"HTTP://localhost/v1"_s)), own); // one per client, kept
    QCOMPARE(own->proxy(), m_nam->proxy());
    QCOMPARE(own->proxy().password(), u"p"_s);
    QCOMPARE(own->transferTimeout(), 12'345);
    QVERIFY(own->isStrictTransportSecurityEnabled());
    QCOMPARE(own->strictTransportSecurityHosts().size(), 1);

    // Busy: kept. Idle for the release time: gone, and made again when needed.
    QTest::qWait(400);
    QCOMPARE(access.ownManager(), own);
    QPointer<QNetworkAccessManager> watched(own);
    access.setBusy(false);
    QTRY_VERIFY_WITH_TIMEOUT(watched.isNull(), 5'000);
    QCOMPARE(access.ownManager(), nullptr);
    QVERIFY(access.managerFor(QUrl(u"http://127.0.0.1:11434/v1"_s)));
}

void tst_ChatClient::crossOriginRedirect_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("307") << 307;
    QTest::newRow("308") << 308;
    QTest::newRow("301") << 301;
    QTest::newRow("302") << 302;
}

void tst_ChatClient::crossOriginRedirect()
{
    QFETCH(int, status);
    SseTestServer other; // another port: another origin
    QVERIFY(other.listen());
    other.enqueue(kChatPath, SseTestServer::openAiStream({u"from"_s, u" elsewhere"_s}));
    m_server->enqueue(kChatPath, Response::redirect(status, other.url(kChatPath)));

    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"from elsewhere"_s);
    QCOMPARE(run.result().retries, 0);

    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->requests().first().header("authorization"), QByteArray("Bearer " + kApiKey.toLatin1()));
    QCOMPARE(other.requestCount(), 1);
    const SseTestServer::RecordedRequest redirected = other.requests().first();
    QCOMPARE(redirected.method, "POST");
    QVERIFY2(!redirected.hasHeader("authorization"), redirected.header("authorization").constData());
    QCOMPARE(redirected.body, m_server->requests().first().body);
    QCOMPARE(redirected.header("accept"), "text/event-stream");
}

void tst_ChatClient::sameOriginRedirect()
{
    QUrl relative;
    relative.setPath(u"/v2/chat/completions"_s);
    m_server->enqueue(kChatPath, Response::redirect(307, relative));
    m_server->enqueue(u"/v2/chat/completions"_s, SseTestServer::openAiStream({u"moved"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::Completed);
    QCOMPARE(run.content, u"moved"_s);
    QCOMPARE(m_server->requestCount(), 2);
    const QByteArray bearer = "Bearer " + kApiKey.toLatin1();
    QCOMPARE(m_server->requests().at(0).header("authorization"), bearer);
    QCOMPARE(m_server->requests().at(1).path, u"/v2/chat/completions"_s);
    QCOMPARE(m_server->requests().at(1).header("authorization"), bearer);
    QCOMPARE(m_server->requests().at(1).body, m_server->requests().at(0).body);
}

void tst_ChatClient::unusableRedirects_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("location"); // relative to the server
    QTest::addColumn<int>("expectedRequests");
    QTest::newRow("303 See Other") << 303 << u"/v1/elsewhere"_s << 1;
    QTest::newRow("redirect loop") << 307 << kChatPath << 6; // the first request and 5 redirects
    QTest::newRow("not http") << 307 << u"ftp://127.0.0.1/v1/chat/completions"_s << 1;
}

void tst_ChatClient::unusableRedirects()
{
    QFETCH(int, status);
    QFETCH(QString, location);
    QFETCH(int, expectedRequests);
    m_server->enqueue(kChatPath, Response::redirect(status, QUrl(location)));
    m_server->enqueue(u"/v1/elsewhere"_s, SseTestServer::openAiStream({u"never"_s}));
    auto client = newClient();
    Run run(client.get());
    client->start(request());
    WAIT_FINISHED(run);
    const ChatResult result = run.result();
    QCOMPARE(result.status, Status::HttpError);
    QCOMPARE(result.httpStatus, status);
    QVERIFY(!result.message.isEmpty());
    QCOMPARE(m_server->requestCount(), expectedRequests);
    QVERIFY(run.content.isEmpty());
}

void tst_ChatClient::invalidBaseUrl()
{
    auto client = newClient();
    Run run(client.get());
    ChatRequest r = request();
    r.baseUrl = QUrl(u"ftp://example.invalid/v1"_s);
    client->start(r);
    QCOMPARE(run.finishedSpy.count(), 0); // never from inside start()
    WAIT_FINISHED(run);
    QCOMPARE(run.result().status, Status::NetworkError);
    QVERIFY(!run.result().message.isEmpty());
}

void tst_ChatClient::restartWhileRunning()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"first"_s, u" run"_s}).silentAfter(1));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"second"_s}));
    auto client = newClient();
    QList<ChatResult> results;
    QString content;
    connect(client.get(), &ChatClient::finished, this, [&](const ChatResult &r) { results.append(r); });
    connect(client.get(), &ChatClient::deltaReceived, this, [&](const StreamDelta &d) { content += d.content; });
    client->start(request());
    QTRY_COMPARE(content, u"first"_s);
    client->start(request());
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.at(0).status, Status::Stopped);
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, kFinishTimeoutMs);
    QTest::qWait(kSettleMs);
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(1).status, Status::Completed);
    QCOMPARE(content, u"firstsecond"_s);
}

void tst_ChatClient::restartFromFinishedSlot()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"one"_s}));
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"two"_s}));
    auto client = newClient();
    QList<ChatResult> results;
    QString content;
    connect(client.get(), &ChatClient::deltaReceived, this, [&](const StreamDelta &d) { content += d.content; });
    connect(client.get(), &ChatClient::finished, this, [&](const ChatResult &r) {
        results.append(r);
        if (results.size() == 1)
            client->start(request()); // e.g. "regenerate" right away
    });
    client->start(request());
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, kFinishTimeoutMs);
    QTest::qWait(kSettleMs);
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0).status, Status::Completed);
    QCOMPARE(results.at(1).status, Status::Completed);
    QCOMPARE(content, u"onetwo"_s);
    QCOMPARE(m_server->requestCount(), 2);
}

void tst_ChatClient::destroyWhileRunning()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"bye"_s, u" now"_s}).silentAfter(1));
    auto client = newClient();
    int finishedCount = 0;
    QString content;
    connect(client.get(), &ChatClient::finished, this, [&] { ++finishedCount; });
    connect(client.get(), &ChatClient::deltaReceived, this, [&](const StreamDelta &d) { content += d.content; });
    client->start(request());
    QTRY_COMPARE(content, u"bye"_s);
    client.reset();
    QCOMPARE(finishedCount, 0);
    QTRY_COMPARE(m_server->connectionsClosed(), 1); // the request was aborted
    QTest::qWait(kSettleMs);
    QCOMPARE(finishedCount, 0);
}

QTEST_GUILESS_MAIN(tst_ChatClient)

#include "tst_chatclient.moc"
