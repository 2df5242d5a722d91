// The fault matrix: one table of things that go wrong between Sluice and an
// LLM API, each run against the loopback SseTestServer through
//   (a) ChatSession with a real HistoryStore (the GUI's session layer), and
//   (b) sluice-cli as a child process (the same core, another front end).
// Each row states the end state and the words of the message. In every row
// nothing may crash or hang, text that arrived is kept exactly once (never
// duplicated, never dropped), and an error message never becomes reply text.
//
// No traffic leaves this machine: the "DNS failure" row uses a name under
// .invalid (RFC 6761), which never resolves; everything else is 127.0.0.1.

#include "chat/chatsession.h"
#include "sluicecli.h"
#include "ssetestserver.h"
#include "store/historystore.h"
#include "testtls.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

using Response = SseTestServer::Response;
using Status = ChatResult::Status;
using State = Message::State;

const QString kChatPath = u"/v1/chat/completions"_s;
const QString kModel = u"test-model"_s;
const QString kPrompt = u"Tell me something."_s;
const QString kApiKey = u"sk-sluice-faultmatrix-5d0c3b9e71a24f68"_s;
const QString kUnknownHost = u"sluice-test.invalid"_s; // RFC 6761: never resolves
constexpr int kRunTimeoutMs = 60'000; // a slow shared machine; a passing row takes far less
constexpr int kSettleMs = 150;        // after the end: time for a wrong second result to show up
constexpr int kDefaultTimeoutMs = 5'000;
// The 50 MB event: the parser holds at most its 16 MiB event limit, Qt's
// network thread at most ChatClient::ReadBufferBytes (1 MiB) and the client
// one read of that size; the rest is heap slack (measured: 17-20 MiB, also
// with two other processes busy on the cores). Before ChatClient's read
// buffer reached Qt's network thread, a busy GUI thread let that thread
// buffer tens of MiB (22-93 MiB measured).
#if defined(__SANITIZE_ADDRESS__)
#define SLUICE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLUICE_TEST_ASAN 1
#endif
#endif
#ifdef SLUICE_TEST_ASAN
// AddressSanitizer keeps freed blocks in its quarantine (16 MB with the
// tests' ASAN_OPTIONS) and adds redzones and shadow memory: measured 33-34 MiB
// of growth; sluice-cli 44 MiB idle, 73-75 MiB at the peak.
constexpr qint64 kSanitizerSlackKiB = 32 * 1024;
constexpr qint64 kCliFootprintKiB = 60 * 1024;
#else
constexpr qint64 kSanitizerSlackKiB = 0;
constexpr qint64 kCliFootprintKiB = 30 * 1024; // sluice-cli idle: 16 MiB; 33-36 MiB at the peak
#endif
constexpr qint64 kMaxMemoryGrowthKiB = 40 * 1024 + kSanitizerSlackKiB;

// sluice-cli's exit codes (app/cli/clicommands.h).
enum CliExit { ExitOk = 0, ExitApi = 3, ExitNetwork = 4, ExitTruncated = 5 };

enum class Target {
    Server,      // the plain http:// test server
    RefusedPort, // 127.0.0.1 on a port nobody listens on
    UnknownHost, // https://sluice-test.invalid/v1
    TlsServer,   // https:// with a self-signed certificate
};

struct Row
{
    QByteArray name;
    Target target = Target::Server;
    Response response;
    Status status = Status::Completed;
    int httpStatus = 0;
    QStringList fragments;   // the message contains each of them (both front ends)
    QString text;            // the reply text that must be kept, exactly
    int sessionRetries = 0;  // ChatSession allows one retry (20 ms backoff); sluice-cli runs with --retries 0
    int connectTimeoutMs = kDefaultTimeoutMs;
    int idleTimeoutMs = kDefaultTimeoutMs;
    bool measureMemory = false;
    bool gzip = false;
    // Qt's HTTP/1 layer itself sends a request again, once, when the
    // connection closes before any byte of a response: the server may see
    // up to twice the requests ChatClient made.
    bool qtMayResend = false;
    int minReads = 0; // the client must have read the body in at least this many pieces
};

int exitFor(Status status)
{
    switch (status) {
    case Status::Completed:
        return ExitOk;
    case Status::HttpError:
        return ExitApi;
    case Status::NetworkError:
    case Status::Timeout:
        return ExitNetwork;
    case Status::Truncated:
    case Status::ProtocolError:
        return ExitTruncated;
    case Status::Stopped:
        break;
    }
    return -1;
}

State stateFor(Status status)
{
    switch (status) {
    case Status::Completed:
        return State::Completed;
    case Status::Truncated:
        return State::Truncated;
    case Status::Stopped:
        return State::Stopped;
    default:
        return State::Failed;
    }
}

// Minimal OpenAI chunks, for rows that spell out every byte.
QByteArray tinyChunk(const QByteArray &contentJson)
{
    return R"(data: {"choices":[{"index":0,"delta":{"content":")" + contentJson + "\"}}]}\n\n";
}

const QStringList kPieces{u"Hel"_s, u"lo, "_s, u"wörld"_s};
const QString kWhole = u"Hello, wörld"_s;
const QString kFirstTwo = u"Hello, "_s;

QList<QByteArray> pieceEvents(const QStringList &pieces)
{
    QList<QByteArray> events;
    for (const QString &piece : pieces)
        events.append(SseTestServer::openAiChunk(piece));
    return events;
}

Response nginxPage(int status, const QByteArray &title)
{
    return Response::fixed(status, "text/html",
                           "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                               + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
}

// The matrix. (Built once; the rows do not depend on ports.)
const QList<Row> &matrix()
{
    static const QList<Row> rows = [] {
        QList<Row> r;
        auto add = [&r](Row row) { r.append(std::move(row)); };

        // --- the baseline -------------------------------------------------
        add({"baseline: a normal stream", Target::Server, SseTestServer::openAiStream(kPieces, 5),
             Status::Completed, 200, {}, kWhole});

        // --- before any HTTP response ------------------------------------
        add({"connection refused", Target::RefusedPort, Response(), Status::NetworkError, 0,
             {u"connection refused"_s}, QString(), 1});
        add({"DNS failure (.invalid)", Target::UnknownHost, Response(), Status::NetworkError, 0,
             {u"Could not find the server sluice-test.invalid"_s}, QString()});
        add({"TLS: self-signed certificate", Target::TlsServer, SseTestServer::openAiStream(kPieces),
             Status::NetworkError, 0, {u"secure connection"_s, u"certificate"_s, u"self-signed"_s}, QString()});
        {
            Row row{"closed before any answer", Target::Server, Response::closeImmediately(), Status::NetworkError, 0,
                    {u"closed the connection before answering"_s}, QString(), 1};
            row.qtMayResend = true;
            add(row);
        }
        {
            Row row{"slow headers, within the connect timeout", Target::Server,
                    SseTestServer::openAiStream(kPieces).withHeaderDelay(300), Status::Completed, 200, {}, kWhole};
            row.connectTimeoutMs = 3'000;
            add(row);
        }
        {
            Row row{"slow headers, past the connect timeout", Target::Server,
                    SseTestServer::openAiStream(kPieces).withHeaderDelay(4'000), Status::Timeout, 0,
                    {u"did not answer within"_s}, QString(), 1};
            row.connectTimeoutMs = 700;
            add(row);
        }

        // --- the stream breaks --------------------------------------------
        {
            Row row{"stall mid-stream", Target::Server, SseTestServer::openAiStream(kPieces, 5).silentAfter(2),
                    Status::Timeout, 200, {u"sent nothing for"_s}, kFirstTwo};
            row.idleTimeoutMs = 1'000;
            add(row);
        }
        add({"drop mid-stream, between events", Target::Server, SseTestServer::openAiStream(kPieces, 5).dropAfter(2),
             Status::Truncated, 200, {u"before the reply was complete"_s}, kFirstTwo});
        {
            const QByteArray third = SseTestServer::openAiChunk(kPieces.at(2));
            Response response = Response::sse({SseTestServer::openAiChunk(kPieces.at(0)),
                                               SseTestServer::openAiChunk(kPieces.at(1)), third.left(third.size() / 2)},
                                              5);
            response.dropAfter(3);
            add({"drop mid-event", Target::Server, response, Status::Truncated, 200,
                 {u"before the reply was complete"_s}, kFirstTwo});
        }
        {
            // Status line, headers and body, one byte per write; UTF-8
            // characters of two, three and four bytes are split as well.
            QByteArray raw = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
            raw += tinyChunk("H\xc3\xa9") + tinyChunk("\xe2\x82\xac") + tinyChunk("\xf0\x9f\x98\x80") + tinyChunk("!");
            raw += R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})" "\n\n";
            raw += "data: [DONE]\n\n";
            Row row{"1-byte writes (headers included)", Target::Server, Response::byteByByte(raw, 1),
                    Status::Completed, 200, {}, u"Hé€😀!"_s};
            row.minReads = 20; // most bytes arrive alone; a busy machine may merge some
            add(row);
        }

        // --- HTTP errors, with and without a JSON body --------------------
        auto json = [](int status, const QString &message, const QString &type = QString()) {
            return SseTestServer::openAiError(status, message, type);
        };
        add({"401 with JSON", Target::Server,
             json(401, u"Incorrect API key provided: sk-ab***xy."_s, u"invalid_request_error"_s), Status::HttpError, 401,
             {u"HTTP 401"_s, u"Incorrect API key provided"_s}, QString()});
        add({"401 without a body", Target::Server, Response::fixed(401, QByteArray(), QByteArray()), Status::HttpError,
             401, {u"HTTP 401"_s, u"Check the API key"_s}, QString()});
        add({"403 with JSON", Target::Server, json(403, u"You do not have access to the model test-model."_s),
             Status::HttpError, 403, {u"HTTP 403"_s, u"do not have access"_s}, QString()});
        add({"403 with a text body", Target::Server, Response::fixed(403, "text/plain", "Forbidden\n"),
             Status::HttpError, 403, {u"HTTP 403"_s, u"no access"_s}, QString()});
        add({"404 with JSON", Target::Server, json(404, u"The model test-model does not exist."_s),
             Status::HttpError, 404, {u"HTTP 404"_s, u"does not exist"_s}, QString()});
        add({"404 with an HTML page", Target::Server, nginxPage(404, "404 Not Found"), Status::HttpError, 404,
             {u"HTTP 404"_s, u"base URL"_s}, QString()});
        add({"429 with JSON and Retry-After", Target::Server,
             json(429, u"Rate limit reached for requests."_s).withHeader("Retry-After", "1"), Status::HttpError, 429,
             {u"HTTP 429"_s, u"Rate limit reached"_s}, QString(), 1});
        add({"429 with a text body", Target::Server, Response::fixed(429, "text/plain", "Too Many Requests\n"),
             Status::HttpError, 429, {u"HTTP 429"_s, u"Too many requests"_s}, QString(), 1});
        add({"500 with JSON", Target::Server, json(500, u"The server had an error while processing your request."_s),
             Status::HttpError, 500, {u"HTTP 500"_s, u"had an error while processing"_s}, QString(), 1});
        add({"500 without a body", Target::Server, Response::fixed(500, QByteArray(), QByteArray()),
             Status::HttpError, 500, {u"HTTP 500"_s}, QString(), 1});
        add({"502 with JSON", Target::Server, json(502, u"Upstream provider unavailable."_s), Status::HttpError, 502,
             {u"HTTP 502"_s, u"Upstream provider unavailable"_s}, QString(), 1});
        add({"502 with an nginx page", Target::Server, nginxPage(502, "502 Bad Gateway"), Status::HttpError, 502,
             {u"HTTP 502"_s}, QString(), 1});
        add({"503 with JSON", Target::Server, json(503, u"The engine is currently overloaded."_s), Status::HttpError,
             503, {u"HTTP 503"_s, u"currently overloaded"_s}, QString(), 1});
        add({"503 with a text body and Retry-After", Target::Server,
             Response::fixed(503, "text/plain", "Service Unavailable\n").withHeader("Retry-After", "1"),
             Status::HttpError, 503, {u"HTTP 503"_s}, QString(), 1});
        add({"HTML page with 200", Target::Server,
             Response::fixed(200, "text/html; charset=utf-8",
                             "<!doctype html><html><head><title>Sign in</title></head><body><form>Wi-Fi login</form>"
                             "</body></html>"),
             Status::HttpError, 200, {u"text/html"_s, u"instead of an event stream"_s}, QString()});

        // --- how the stream ends -------------------------------------------
        {
            QList<QByteArray> events = pieceEvents(kPieces);
            events.append(SseTestServer::openAiFinishChunk());
            add({"[DONE] missing, finish_reason sent", Target::Server, Response::sse(events, 5), Status::Completed,
                 200, {}, kWhole});
        }
        add({"[DONE] and finish_reason missing", Target::Server, Response::sse(pieceEvents(kPieces), 5),
             Status::Truncated, 200, {u"ended the stream before the reply was complete"_s}, kWhole});
        {
            QList<QByteArray> events = pieceEvents(kPieces.mid(0, 2));
            events.append(SseTestServer::openAiErrorEvent(u"The model is overloaded; try again later."_s,
                                                          u"server_error"_s));
            events.append(SseTestServer::openAiDone());
            add({"in-stream error event", Target::Server, Response::sse(events, 5), Status::HttpError, 200,
                 {u"in the middle of the reply"_s, u"overloaded"_s}, kFirstTwo});
        }

        // --- hostile bytes -------------------------------------------------
        {
            // Invalid UTF-8 inside the JSON string: each bad byte, and the
            // truncated sequence, becomes one U+FFFD; the rest is kept.
            const QList<QByteArray> events{
                tinyChunk("ok \xff\xfe bad \xe2\x82"),
                tinyChunk("\xc3\xa9 next"),
                SseTestServer::openAiFinishChunk(),
                SseTestServer::openAiDone(),
            };
            add({"invalid UTF-8", Target::Server, Response::sse(events, 5), Status::Completed, 200, {},
                 u"ok \uFFFD\uFFFD bad \uFFFD\u00e9 next"_s});
        }
        {
            // 50 MiB of one data line, written 64 KiB at a time as the socket
            // drains; the parser's 16 MiB limit must stop it.
            Response response = Response::sse(pieceEvents(kPieces.mid(0, 2)), 5);
            response.withStep(R"(data: {"choices":[{"index":0,"delta":{"content":")");
            response.withRepeatedStep(QByteArray(64 * 1024, 'x'), 800);
            response.withStep("\"}}]}\n\n");
            response.withStep(SseTestServer::openAiFinishChunk());
            response.withStep(SseTestServer::openAiDone());
            Row row{"a 50 MB event", Target::Server, response, Status::ProtocolError, 200,
                    {u"larger than the limit"_s}, kFirstTwo};
            row.measureMemory = true;
            add(row);
        }
        {
            Response response = Response::sse({SseTestServer::openAiChunk(kPieces.at(0))});
            response.withRepeatedStep(": keep-alive\n", 10'000);
            for (const QString &piece : kPieces.mid(1))
                response.withStep(SseTestServer::openAiChunk(piece));
            response.withStep(SseTestServer::openAiFinishChunk());
            response.withStep(SseTestServer::openAiDone());
            add({"10 000 consecutive comment lines", Target::Server, response, Status::Completed, 200, {}, kWhole});
        }
        {
            QList<QByteArray> events = pieceEvents(kPieces);
            events.append(SseTestServer::openAiFinishChunk());
            events.append(SseTestServer::openAiDone());
            Row row{"gzip-encoded stream", Target::Server, SseTestServer::gzipSse(events, 5), Status::Completed, 200,
                    {}, kWhole};
            row.gzip = true;
            add(row);
        }
        return r;
    }();
    return rows;
}

// What one process uses now and at most: VmRSS / VmHWM from /proc (KiB); -1 if unknown.
struct Memory
{
    qint64 rssKiB = -1;
    qint64 peakKiB = -1;
};

Memory readMemory(const QString &statusPath)
{
    QFile file(statusPath);
    Memory m;
    if (!file.open(QIODevice::ReadOnly))
        return m;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() < 2)
            continue;
        if (parts.at(0) == "VmRSS:")
            m.rssKiB = parts.at(1).toLongLong();
        else if (parts.at(0) == "VmHWM:")
            m.peakKiB = parts.at(1).toLongLong();
    }
    return m;
}

// Forgets this process's peak RSS (Linux: "5" > /proc/self/clear_refs), so
// VmHWM measures from now on. False where that is not possible.
bool resetPeakMemory()
{
    QFile file(u"/proc/self/clear_refs"_s);
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

QString secondsArg(int ms)
{
    return QString::number(ms / 1000.0, 'f', 3);
}

} // namespace

class tst_FaultMatrix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void session_data();
    void session();
    void cli_data();
    void cli();

private:
    void addRows();
    // The base URL a row points at; starts the TLS server or finds a closed port as needed.
    QUrl prepare(const Row &row);
    SseTestServer *serverFor(const Row &row) const;
    QProcessEnvironment cliEnvironment() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<SseTestServer> m_tlsServer;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<QTemporaryDir> m_tlsDir;
#if QT_CONFIG(ssl)
    std::optional<TestTls::Identity> m_identity;
#endif
    QString m_noTlsReason;
};

void tst_FaultMatrix::initTestCase()
{
    QLoggingCategory::setFilterRules(u"sluice.*.debug=false"_s); // the rows say what matters
    QVERIFY2(QFileInfo::exists(sluiceCliPath()), qPrintable(u"sluice-cli is not built at "_s + sluiceCliPath()));
    m_tlsDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tlsDir->isValid());
#if QT_CONFIG(ssl)
    m_identity = TestTls::makeSelfSigned(m_tlsDir->path(), &m_noTlsReason);
#else
    m_noTlsReason = u"Qt was built without TLS"_s;
#endif
}

void tst_FaultMatrix::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
}

void tst_FaultMatrix::cleanup()
{
    m_tlsServer.reset();
    m_server.reset();
    m_nam.reset();
    m_dir.reset();
}

void tst_FaultMatrix::addRows()
{
    QTest::addColumn<int>("index");
    const QList<Row> &rows = matrix();
    for (int i = 0; i < rows.size(); ++i)
        QTest::newRow(rows.at(i).name.constData()) << i;
}

void tst_FaultMatrix::session_data()
{
    addRows();
}

void tst_FaultMatrix::cli_data()
{
    addRows();
}

QUrl tst_FaultMatrix::prepare(const Row &row)
{
    switch (row.target) {
    case Target::Server:
        m_server->enqueue(kChatPath, row.response);
        return m_server->baseUrl();
    case Target::RefusedPort: {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost))
            return QUrl();
        const quint16 port = probe.serverPort();
        probe.close(); // nobody listens there now
        return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port));
    }
    case Target::UnknownHost:
        return QUrl(u"https://"_s + kUnknownHost + u"/v1"_s);
    case Target::TlsServer:
#if QT_CONFIG(ssl)
        if (!m_identity)
            return QUrl();
        m_tlsServer = std::make_unique<SseTestServer>();
        m_tlsServer->setTlsConfiguration(TestTls::serverConfiguration(*m_identity));
        if (!m_tlsServer->listen())
            return QUrl();
        m_tlsServer->enqueue(kChatPath, row.response);
        return m_tlsServer->baseUrl();
#else
        return QUrl();
#endif
    }
    return QUrl();
}

SseTestServer *tst_FaultMatrix::serverFor(const Row &row) const
{
    switch (row.target) {
    case Target::Server:
        return m_server.get();
    case Target::TlsServer:
        return m_tlsServer.get();
    default:
        return nullptr;
    }
}

// ---------------------------------------------------------------------------
// (a) ChatSession with a real HistoryStore

void tst_FaultMatrix::session()
{
    QFETCH(int, index);
    const Row &row = matrix().at(index);
    if (row.target == Target::TlsServer && !m_noTlsReason.isEmpty())
        QSKIP(qPrintable(m_noTlsReason));
    if (row.gzip && !SseTestServer::hasGzip())
        QSKIP("the test support was built without zlib");
    const QUrl baseUrl = prepare(row);
    QVERIFY(baseUrl.isValid());

    const QString dbPath = m_dir->filePath(u"history.sqlite3"_s);
    HistoryStore store;
    QVERIFY2(store.open(dbPath), qPrintable(store.lastError()));
    ChatSession session(m_nam.get(), &store);
    session.setEndpoint(baseUrl, kApiKey);
    session.setModel(kModel);
    ChatClient::Options options;
    options.connectTimeoutMs = row.connectTimeoutMs;
    options.idleTimeoutMs = row.idleTimeoutMs;
    options.maxRetries = 1;
    options.backoffBaseMs = 20;
    options.maxBackoffMs = 200; // also caps Retry-After
    session.setClientOptions(options);

    QSignalSpy finished(&session, &ChatSession::replyFinished);
    QSignalSpy errors(&session, &ChatSession::errorOccurred);
    QAbstractItemModelTester tester(session.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString streamed; // every delta's text, in order, as the client gave it
    bool deltaAfterEnd = false;
    int reads = 0; // readyRead()s that brought body bytes
    connect(session.client(), &ChatClient::bytesReceived, this, [&reads] { ++reads; });
    connect(session.client(), &ChatClient::deltaReceived, this, [&](const StreamDelta &delta) {
        streamed += delta.content + delta.refusal;
        deltaAfterEnd = deltaAfterEnd || finished.count() > 0;
    });

    // Memory: the peak of this process from here on (the server is in it too,
    // but it never holds more than one 64 KiB piece and its send buffer).
    const bool peakReset = row.measureMemory && resetPeakMemory();
    const Memory before = readMemory(u"/proc/self/status"_s);
    qint64 sampledPeakKiB = before.rssKiB;
    QTimer sampler;
    if (row.measureMemory) {
        connect(&sampler, &QTimer::timeout, this,
                [&] { sampledPeakKiB = std::max(sampledPeakKiB, readMemory(u"/proc/self/status"_s).rssKiB); });
        sampler.start(5);
    }

    QVERIFY(session.send(kPrompt));
    // A real event loop, not QTRY (whose 10 ms sleeps would pace the server's 1 ms steps).
    QVERIFY(!finished.isEmpty() || finished.wait(kRunTimeoutMs));
    sampler.stop();
    const Memory after = readMemory(u"/proc/self/status"_s);
    QTest::qWait(kSettleMs);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!deltaAfterEnd);
    QVERIFY(!session.isStreaming());

    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    const QString described = QDebug::toString(result);
    qInfo().noquote() << described;
    QCOMPARE(result.status, row.status);
    QCOMPARE(result.httpStatus, row.httpStatus);
    QCOMPARE(result.retries, row.sessionRetries);
    if (row.status == Status::Completed) {
        QVERIFY2(result.message.isEmpty(), qPrintable(described));
    } else {
        QVERIFY2(!result.message.trimmed().isEmpty(), qPrintable(described));
        for (const QString &fragment : row.fragments)
            QVERIFY2(result.message.contains(fragment), qPrintable(u"no “%1” in: %2"_s.arg(fragment, result.message)));
        // A plain sentence: no markup of an error page, no key.
        QVERIFY2(!result.message.contains(u'<'), qPrintable(result.message));
        QVERIFY(!result.message.contains(kApiKey));
        if (row.sessionRetries > 0)
            QVERIFY2(result.message.contains(u"Gave up after %1 attempts"_s.arg(row.sessionRetries + 1)),
                     qPrintable(result.message));
    }

    // The model: the prompt, then the reply with exactly the text that came.
    session.model()->flush();
    QCOMPARE(session.model()->rowCount(), 2);
    const Message user = session.model()->message(0);
    QCOMPARE(user.content, kPrompt);
    const Message reply = session.model()->message(1);
    QCOMPARE(reply.role, ChatMessage::Role::Assistant);
    QCOMPARE(streamed, row.text); // nothing duplicated, nothing lost on the way
    QCOMPARE(reply.content, row.text);
    QCOMPARE(reply.state, stateFor(row.status));
    QCOMPARE(reply.errorText, row.status == Status::Completed ? QString() : result.message);
    QCOMPARE(result.receivedContent, !row.text.isEmpty());
    if (row.minReads > 0) {
        qInfo() << "the body arrived in" << reads << "reads";
        QVERIFY(reads >= row.minReads);
    }

    // The banner: one plain sentence, and only for failures.
    if (row.status == Status::Completed) {
        QCOMPARE(errors.count(), 0);
    } else {
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), result.message);
    }

    // The history, as the next start of the app reads it.
    HistoryStore reader;
    QVERIFY(reader.open(dbPath));
    const QList<Message> storedMessages = reader.messages(session.conversationId());
    QCOMPARE(storedMessages.size(), 2);
    QCOMPARE(storedMessages.at(0).content, kPrompt);
    QCOMPARE(storedMessages.at(1).content, row.text);
    QCOMPARE(storedMessages.at(1).state, reply.state);
    QCOMPARE(storedMessages.at(1).errorText, reply.errorText);

    // What the server saw: one request, or two when a retry was allowed.
    if (SseTestServer *server = serverFor(row)) {
        const int expectedRequests = row.target == Target::TlsServer ? 0 : 1 + row.sessionRetries;
        if (row.qtMayResend) {
            const int seen = server->requestCount(kChatPath);
            qInfo() << "requests the server saw:" << seen << "for" << expectedRequests << "sent by ChatClient";
            QVERIFY(seen >= expectedRequests && seen <= 2 * expectedRequests);
        } else {
            QCOMPARE(server->requestCount(kChatPath), expectedRequests);
        }
        if (row.target == Target::TlsServer) {
            // The client refused the certificate during the handshake: no
            // request (and so no key) ever went over that connection.
            QTRY_VERIFY_WITH_TIMEOUT(!server->tlsEvents().isEmpty(), 5'000);
            qInfo().noquote() << "TLS server saw:" << server->tlsEvents().join(u"; "_s);
        }
        if (row.gzip) {
            const QByteArray acceptEncoding = server->requests().constFirst().header("accept-encoding");
            qInfo().noquote() << "Accept-Encoding sent by Qt:" << acceptEncoding;
            QVERIFY2(acceptEncoding.contains("gzip"), acceptEncoding.constData());
        }
    }

    if (row.measureMemory) {
        const qint64 growthKiB = (peakReset ? after.peakKiB : sampledPeakKiB) - before.rssKiB;
        qInfo().noquote() << u"memory: RSS before %1 MiB, peak after %2 MiB (%3), growth %4 MiB"_s
                                 .arg(before.rssKiB / 1024)
                                 .arg((peakReset ? after.peakKiB : sampledPeakKiB) / 1024)
                                 .arg(peakReset ? u"VmHWM"_s : u"sampled VmRSS"_s)
                                 .arg(growthKiB / 1024);
        QVERIFY2(before.rssKiB > 0, "no /proc/self/status here");
        QVERIFY2(growthKiB < kMaxMemoryGrowthKiB, qPrintable(u"grew by %1 MiB"_s.arg(growthKiB / 1024)));
    }
}

// ---------------------------------------------------------------------------
// (b) sluice-cli as a child process

QProcessEnvironment tst_FaultMatrix::cliEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"SLUICE_API_KEY"_s, u"http_proxy"_s, u"https_proxy"_s, u"all_proxy"_s, u"no_proxy"_s,
                                u"HTTP_PROXY"_s, u"HTTPS_PROXY"_s, u"ALL_PROXY"_s, u"NO_PROXY"_s, u"QT_LOGGING_RULES"_s,
                                u"SSL_CERT_FILE"_s, u"SSL_CERT_DIR"_s})
        env.remove(name);
    env.insert(u"SLUICE_NO_KEYCHAIN"_s, u"1"_s);
    env.insert(u"SLUICE_API_KEY"_s, kApiKey);
    for (const char *name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
        const QString dir = m_dir->filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(dir);
        env.insert(QString::fromLatin1(name), dir);
    }
    return env;
}

void tst_FaultMatrix::cli()
{
    QFETCH(int, index);
    const Row &row = matrix().at(index);
    if (row.target == Target::TlsServer && !m_noTlsReason.isEmpty())
        QSKIP(qPrintable(m_noTlsReason));
    if (row.gzip && !SseTestServer::hasGzip())
        QSKIP("the test support was built without zlib");
    const QUrl baseUrl = prepare(row);
    QVERIFY(baseUrl.isValid());

    QProcess process;
    process.setProgram(sluiceCliPath());
    process.setProcessEnvironment(cliEnvironment());
    process.setArguments({u"chat"_s, u"--base-url"_s, baseUrl.toString(), u"--model"_s, kModel, u"--retries"_s,
                          u"0"_s, u"--connect-timeout"_s, secondsArg(row.connectTimeoutMs), u"--idle-timeout"_s,
                          secondsArg(row.idleTimeoutMs), kPrompt});
    QByteArray out, err;
    connect(&process, &QProcess::readyReadStandardOutput, this, [&] { out += process.readAllStandardOutput(); });
    connect(&process, &QProcess::readyReadStandardError, this, [&] { err += process.readAllStandardError(); });
    qint64 peakKiB = -1;
    QTimer sampler;
    if (row.measureMemory) {
        connect(&sampler, &QTimer::timeout, this, [&] {
            if (process.processId() > 0)
                peakKiB = std::max(peakKiB, readMemory(u"/proc/%1/status"_s.arg(process.processId())).peakKiB);
        });
        sampler.start(5);
    }
    QSignalSpy exited(&process, &QProcess::finished);
    process.start();
    QVERIFY2(process.waitForStarted(30'000), qPrintable(process.errorString()));
    process.closeWriteChannel();
    // The server answers from this event loop meanwhile (a real one: see session()).
    QVERIFY(!exited.isEmpty() || exited.wait(kRunTimeoutMs));
    QCOMPARE(process.state(), QProcess::NotRunning);
    sampler.stop();
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    const QString described = u"exit %1\n--- stdout ---\n%2\n--- stderr ---\n%3"_s.arg(process.exitCode())
                                  .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    qInfo().noquote() << u"exit %1, stderr: %2"_s.arg(process.exitCode()).arg(QString::fromUtf8(err).trimmed());

    QVERIFY2(process.exitStatus() == QProcess::NormalExit, qPrintable(described)); // no crash
    QVERIFY2(process.exitCode() == exitFor(row.status), qPrintable(described));
    // stdout is exactly the reply text: nothing lost, nothing twice, no error text.
    QCOMPARE(QString::fromUtf8(out), row.text);

    // stderr: one clear line for a failure, then the metrics line; nothing else.
    QList<QByteArray> lines = err.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    QList<QByteArray> messages;
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.startsWith("sluice-cli: "))
            messages.append(line);
    }
    if (row.status == Status::Completed) {
        QVERIFY2(messages.isEmpty(), qPrintable(described));
    } else {
        QVERIFY2(messages.size() == 1, qPrintable(described));
        const QString message = QString::fromUtf8(messages.constFirst());
        for (const QString &fragment : row.fragments)
            QVERIFY2(message.contains(fragment), qPrintable(u"no “%1” in: %2"_s.arg(fragment, message)));
        QVERIFY2(!message.contains(u'<'), qPrintable(message));
    }
    QVERIFY2(lines.size() == messages.size() + 1, qPrintable(described)); // + the metrics line
    QVERIFY(!err.contains(kApiKey.toUtf8()));
    QVERIFY(!out.contains(kApiKey.toUtf8()));

    if (SseTestServer *server = serverFor(row)) {
        const int seen = server->requestCount(kChatPath);
        if (row.qtMayResend) {
            qInfo() << "requests the server saw:" << seen << "for 1 sent by ChatClient (--retries 0)";
            QVERIFY(seen >= 1 && seen <= 2);
        } else {
            QCOMPARE(seen, row.target == Target::TlsServer ? 0 : 1);
        }
        if (row.gzip)
            QVERIFY(server->requests().constFirst().header("accept-encoding").contains("gzip"));
    }
    if (row.measureMemory) {
        qInfo().noquote() << u"sluice-cli peak RSS (VmHWM, sampled every 5 ms): %1 MiB"_s.arg(peakKiB / 1024);
        QVERIFY2(peakKiB > 0, "could not read the child's /proc/<pid>/status");
        QVERIFY2(peakKiB < kMaxMemoryGrowthKiB + kCliFootprintKiB, qPrintable(u"peak %1 MiB"_s.arg(peakKiB / 1024)));
    }
}

QTEST_GUILESS_MAIN(tst_FaultMatrix)
#include "tst_faultmatrix.moc"
