#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QtNetwork/qtnetworkglobal.h>

#include <utility>

class QTcpServer;
class QTcpSocket;
#if QT_CONFIG(ssl)
class QSslConfiguration;
#endif

// A scriptable HTTP/1.1 server on 127.0.0.1 for tests of anything that talks
// to an LLM API: ChatClient, the GUI, sluice-cli (a child process pointed at
// baseUrl()), fault matrices. Fully asynchronous, on the thread it lives in:
// the test must run the event loop (QTRY_*, QSignalSpy::wait, QTest::qWait).
//
//     SseTestServer server;
//     QVERIFY(server.listen());                       // 127.0.0.1, a free port
//     server.enqueue(u"/v1/chat/completions"_s,
//                    SseTestServer::openAiStream({u"Hel"_s, u"lo"_s}, 20));
//     server.enqueue(u"/v1/models"_s, SseTestServer::models({u"gpt-x"_s}));
//     request.baseUrl = server.baseUrl();             // http://127.0.0.1:<port>/v1
//     ... run the client ...
//     QCOMPARE(server.requests().size(), 1);
//     QCOMPARE(server.requests().first().header("authorization"), "Bearer sk-test");
//
// Routing is by path (the query is ignored): successive requests to a path take
// successive enqueued responses, and the last one repeats. A path with no
// response gets a 404 with an OpenAI-style error body.
//
// A Response is a status line, headers and a body written as Steps {bytes,
// delay before}. With chunked framing each step is one HTTP chunk, so a test
// can split a UTF-8 character (or a line end) across two writes. It can also
// wait before the headers, never answer, close without answering, go silent
// after N steps (for Stop and idle-timeout tests) or drop the connection after N
// steps without ending the body (truncation tests). Raw framing writes the
// steps verbatim (no status line), for malformed-HTTP tests.
//
// Every complete request is recorded (method, target, headers, body, arrival
// time) and announced with requestReceived(). Request bodies need a
// Content-Length (what Qt and curl send for a POST). Connections are kept
// alive between requests unless the response or the request says otherwise.
//
// For fault tests there is more:
// * A step can repeat (Step::repeat, withRepeatedStep()): 50 MB of body, or
//   10 000 comment lines, are written piece by piece as the socket drains, so
//   the server never holds more than one piece and ~256 KiB of send buffer.
// * https:// with setTlsConfiguration() before listen() (a QSslServer); see
//   TestTls::makeSelfSigned() for a certificate made at test time. What the
//   TLS layer said (alerts, handshake errors) is kept in tlsEvents().
// * gzipSse(): a Content-Encoding: gzip event stream, one deflate-flushed
//   piece per event (only when built with zlib: hasGzip()).
class SseTestServer : public QObject
{
    Q_OBJECT
public:
    struct Step
    {
        QByteArray bytes;
        int delayMs = 0; // wait this long before writing `bytes`
        int repeat = 1;  // write `bytes` this many times (one chunk each), as the socket drains
    };

    struct Response
    {
        enum class Framing {
            ContentLength, // Content-Length: the sum of all steps
            Chunked,       // Transfer-Encoding: chunked, one chunk per step
            UntilClose,    // no length; the body ends when the server closes
            Raw,           // steps written verbatim, no status line or headers added
        };
        enum class Ending {
            Complete, // end the body properly (last chunk; close for UntilClose)
            Silent,   // after the steps, send nothing more and keep the connection open
            Drop,     // after the steps, close the connection without ending the body
        };

        int status = 200;
        QByteArray reason; // empty: the usual phrase for `status`
        QList<std::pair<QByteArray, QByteArray>> headers;
        Framing framing = Framing::ContentLength;
        QList<Step> steps;
        int headerDelayMs = 0;            // wait before writing the status line
        bool neverAnswer = false;         // read the request, then say nothing
        bool closeWithoutAnswer = false;  // read the request, then close
        int stopAfterSteps = -1;          // write only this many steps (-1: all), then `ending`
        Ending ending = Ending::Complete;
        bool noDelay = false;             // TCP_NODELAY: every write leaves as its own segment

        // Builders, chainable: Response::json(200, body).withHeader("X-A", "1").withHeaderDelay(50)
        Response &withHeader(const QByteArray &name, const QByteArray &value);
        Response &withStep(const QByteArray &bytes, int delayMs = 0);
        // `bytes` written `count` times without holding them all (a 50 MB event, 10 000 comments).
        Response &withRepeatedStep(const QByteArray &bytes, int count, int delayMs = 0);
        Response &withHeaderDelay(int ms);
        Response &silentAfter(int steps); // Silent ending after `steps` steps
        Response &dropAfter(int steps);   // Drop ending after `steps` steps
        QByteArray header(const QByteArray &name) const;

        // A text/event-stream, chunked, one step per event, `delayMs` before each.
        static Response sse(const QList<QByteArray> &events, int delayMs = 0);
        // A fixed body (Content-Length).
        static Response fixed(int status, const QByteArray &contentType, const QByteArray &body);
        static Response json(int status, const QByteArray &body);
        static Response redirect(int status, const QUrl &location);
        static Response silent(); // never answers
        static Response closeImmediately();
        static Response raw(const QList<Step> &steps);
        // The whole of `raw` (status line, headers and body as given) written
        // one byte at a time, `delayMs` before each byte (with noDelay, so
        // each byte really is a segment of its own).
        static Response byteByByte(const QByteArray &raw, int delayMs = 1);
    };

    struct RecordedRequest
    {
        QByteArray method;
        QByteArray target; // as sent: path and query
        QString path;      // decoded path without the query
        QByteArray version;
        QList<std::pair<QByteArray, QByteArray>> headers; // in order, names as sent
        QByteArray body;
        qint64 receivedAtMs = 0; // since the server was created (monotonic)
        int connectionId = 0;    // requests on one kept-alive connection share it

        bool hasHeader(const QByteArray &name) const; // case-insensitive
        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const; // the body as a JSON object (empty if it is not one)
    };

    explicit SseTestServer(QObject *parent = nullptr);
    ~SseTestServer() override;

    bool listen(quint16 port = 0); // 127.0.0.1; 0 picks a free port
    void close();                   // stops listening and closes every connection
    bool isListening() const;
    quint16 port() const;
    QUrl url(const QString &path = QString()) const; // http://127.0.0.1:<port><path> (https:// with TLS)
#if QT_CONFIG(ssl)
    // Serve https:// with this configuration (certificate and key). Call
    // before listen(); returns false when already listening.
    bool setTlsConfiguration(const QSslConfiguration &configuration);
#endif
    bool isTls() const { return m_tls; }
    // What the TLS layer reported, in order: handshake errors, alerts the
    // client sent ("bad certificate", "unknown CA" ...). Empty for plain http.
    const QStringList &tlsEvents() const { return m_tlsEvents; }
    QUrl baseUrl() const { return url(QStringLiteral("/v1")); }
    // "127.0.0.1:<port>", e.g. to match a message.
    QString hostPort() const;

    void enqueue(const QString &path, const Response &response);
    void setResponses(const QString &path, const QList<Response> &responses);
    void clearResponses();

    const QList<RecordedRequest> &requests() const { return m_requests; }
    QList<RecordedRequest> requests(const QString &path) const;
    int requestCount(const QString &path = QString()) const;
    void clearRequests() { m_requests.clear(); }

    int openConnections() const;
    int connectionsAccepted() const { return m_connectionsAccepted; }
    int connectionsClosed() const { return m_connectionsClosed; } // by either side

    // Body builders for the OpenAI chat-completions stream ("data: {...}\n\n").
    static QByteArray sseEvent(const QByteArray &data, const QByteArray &event = QByteArray());
    static QByteArray openAiChunk(const QString &content);
    static QByteArray openAiReasoningChunk(const QString &reasoning); // delta.reasoning_content
    static QByteArray openAiFinishChunk(const QString &reason = QStringLiteral("stop"));
    static QByteArray openAiUsageChunk(qint64 promptTokens, qint64 completionTokens);
    static QByteArray openAiErrorEvent(const QString &message, const QString &type = QString(),
                                       const QString &code = QString());
    static QByteArray openAiDone(); // "data: [DONE]\n\n"
    // A whole reply: one chunk per piece, then a finish chunk, optionally usage,
    // then [DONE]; chunked, `delayMs` before each event.
    static Response openAiStream(const QStringList &pieces, int delayMs = 0, qint64 usageCompletionTokens = -1);
    // {"error":{"message","type","code"}} with the given status.
    static Response openAiError(int status, const QString &message, const QString &type = QString(),
                                const QString &code = QString());
    // GET /v1/models: {"object":"list","data":[{"id":...,"object":"model",...}]}
    static Response models(const QStringList &ids);

    // gzip (RFC 1952) through zlib; empty when the test support was built without zlib.
    static bool hasGzip();
    static QByteArray gzip(const QByteArray &data);
    // One gzip stream for all `pieces`, cut where each piece ends (a deflate
    // sync flush), so a client can inflate every piece as it arrives; the last
    // also carries the gzip trailer. Empty without zlib.
    static QList<QByteArray> gzipPieces(const QList<QByteArray> &pieces);
    // Response::sse() with Content-Encoding: gzip, one gzipPieces() piece per event.
    static Response gzipSse(const QList<QByteArray> &events, int delayMs = 0);

Q_SIGNALS:
    void requestReceived(const SseTestServer::RecordedRequest &request);
    void connectionClosed();
    void tlsEvent(const QString &what);

private:
    class Connection;
    friend class Connection;

    void onNewConnection();
    void noteTlsEvent(const QString &what);
    Response takeResponse(const QString &path);
    void record(const RecordedRequest &request);

    struct Route
    {
        QList<Response> responses;
        int next = 0;
    };

    QTcpServer *m_server;
    QElapsedTimer m_clock;
    QHash<QString, Route> m_routes;
    QList<RecordedRequest> m_requests;
    QList<Connection *> m_connections;
    int m_nextConnectionId = 1;
    int m_connectionsAccepted = 0;
    int m_connectionsClosed = 0;
    bool m_tls = false;
    QStringList m_tlsEvents;
};

Q_DECLARE_METATYPE(SseTestServer::RecordedRequest)
Q_DECLARE_METATYPE(SseTestServer::Response)
