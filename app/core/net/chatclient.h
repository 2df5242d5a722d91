#pragma once

#include "api/chattypes.h"
#include "api/openaichatformat.h"
#include "metrics/streammetrics.h"
#include "net/chatresult.h"
#include "net/streamnetworkaccess.h"
#include "sse/sseparser.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

Q_DECLARE_LOGGING_CATEGORY(lcNet) // "sluice.net"; never logs the API key

// Sends one streaming chat request at a time and turns the reply into signals.
//
//     ChatClient client(&nam);              // one shared QNetworkAccessManager
//     connect(&client, &ChatClient::deltaReceived, ...);  // text as it arrives
//     connect(&client, &ChatClient::finished, ...);       // exactly once per start()
//     client.start(request);
//     client.cancel();                      // Stop: aborts at once, finished(Stopped)
//
// It owns the QNetworkReply, reads it in readyRead through SseParser and the
// OpenAI decoder, enforces the connect and idle timeouts, and retries
// connection failures, 408/409/429 and 5xx with exponential backoff (honouring
// Retry-After) as long as nothing has been shown to the user yet.
// The Authorization header never follows a redirect to another origin.
// https:// goes through the given manager (HTTP/2 shares one connection per
// host); plain http:// through a manager of the client's own, so that twenty
// conversations with one local server are not held to Qt's six HTTP/1.1
// connections per host and manager (see StreamNetworkAccess).
//
// Everything happens on the thread the client lives in (the GUI thread).
// finished() never comes from inside start() for the request it starts (an
// unusable base URL is reported on the next event-loop turn); cancel() emits
// finished(Stopped) before it returns, also during a backoff wait. Slots may
// call cancel(), start() or delete the client. Deleting the client aborts a
// running request silently (no finished()).
// Calling start() while a request runs stops that one first (it gets its
// finished(Stopped)). The QNetworkAccessManager must outlive the client.
class ChatClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        // The server's time until the response headers arrive: counted from
        // when Qt starts connecting for this request, restarted when the request
        // is on a connection (TLS done, body sent, request sent). Waiting for a
        // free connection (Qt's limit per host) and for the name lookup does not
        // count: that is not the server's silence. See sendRequest().
        int connectTimeoutMs = 10'000;
        int idleTimeoutMs = 120'000;    // between two reads of the body
        int maxRetries = 3;
        int backoffBaseMs = 1'000;      // 1 s, 2 s, 4 s ... (+/- 20 % jitter)
        int maxBackoffMs = 60'000;      // also caps Retry-After
        int maxRedirects = 5;           // per attempt
        qsizetype maxEventBytes = SseParser::DefaultMaxEventBytes;
        qsizetype maxErrorBodyBytes = 64 * 1024; // read at most this much of an error body
        bool allowHttp2 = true;         // Qt negotiates HTTP/2 over TLS (ALPN) when allowed
    };
    using Clock = std::function<qint64()>; // monotonic nanoseconds

    // What Qt's network thread may hold for the client before it reads
    // (QNetworkReply::setReadBufferSize()): the rest of a stream the client
    // cannot keep up with waits in the kernel, where TCP slows the server.
    static constexpr qint64 ReadBufferBytes = 1024 * 1024;

    explicit ChatClient(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ChatClient() override;

    // Applies from the next start() on.
    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    // For tests and benchmarks; defaults to a QElapsedTimer.
    void setClock(Clock clock);

    bool isRunning() const { return m_running; }
    // Measures the current (or last) request, from start() on, across retries.
    const StreamMetrics &metrics() const { return m_metrics; }
    qint64 now() const; // the clock the metrics use, in nanoseconds
    const QList<ToolCall> &toolCalls() const { return m_decoder.toolCalls(); }

public Q_SLOTS:
    void start(const ChatRequest &request);
    void cancel();

Q_SIGNALS:
    // The request went out (again, when attempt > 0).
    void attemptStarted(int attempt);
    // Waiting `delayMs` before attempt `attempt`, because of `reason` (a plain sentence).
    void retryScheduled(int attempt, int delayMs, const QString &reason);
    // A delta that carries something: text, reasoning, refusal, tool calls,
    // usage or a finish reason. In-stream errors go to finished() instead.
    void deltaReceived(const StreamDelta &delta);
    // Raw bytes counted, for live metrics displays (not per token).
    void bytesReceived(qint64 total);
    void finished(const ChatResult &result);

private:
    void sendAttempt();
    void sendRequest(const QUrl &url);
    bool processHeaders();
    bool handleRedirect();
    void onReadyRead();
    void onReplyFinished();
    void onConnectTimeout();
    void onConnecting();
    void onRequestOnConnection();
    void armConnectTimer();
    void confirmReadBuffer();
    void onIdleTimeout();
    void onBackoffElapsed();
    void processStreamBytes(const QByteArray &bytes);
    void handleDelta(const StreamDelta &delta);
    void concludeHttpError();
    void concludeNetworkError();
    void concludeStream(bool idleTimedOut);
    bool maybeRetry(const QString &reason, qint64 retryAfterMs = -1);
    void finish(ChatResult result);
    void finishWith(ChatResult::Status status, const QString &message);
    void dropReply();
    void restartIdleTimer();
    bool isCurrent(const QPointer<ChatClient> &guard, quint64 generation) const;
    QString networkErrorMessage() const;
    QString redacted(QString text) const; // the API key never leaves in a message
    QByteArray redactedBytes(QByteArray bytes) const;
    SseEvent redactedEvent(const SseEvent &event) const;

    QNetworkAccessManager *m_nam; // the shared one
    StreamNetworkAccess m_access; // the shared one, or one of this client's own for http://
    Options m_options;
    Options m_runOptions; // the options of the running request
    Clock m_clock;
    QElapsedTimer m_elapsed;

    // The request and what stays the same across attempts.
    ChatRequest m_request;
    QByteArray m_body;
    QUrl m_requestUrl;            // requestUrl(baseUrl): its origin may see the key
    quint64 m_generation = 0;     // bumped by every start(), to notice re-entrant restarts
    bool m_running = false;
    bool m_deliveredText = false; // once true, never retry (no duplicated text)
    int m_retries = 0;
    qint64 m_bytesTotal = 0;

    // One attempt (and the redirects it follows).
    QPointer<QNetworkReply> m_reply;
    QUrl m_currentUrl;
    int m_redirects = 0;
    QString m_authDroppedFor;     // the origin a redirect led to, without the key
    QTimer m_connectTimer;
    QTimer m_idleTimer;
    QTimer m_backoffTimer;

    SseParser m_parser;
    QList<SseEvent> m_pendingEvents; // filled by the parser during one feed()
    OpenAiChatFormat::Decoder m_decoder;
    StreamMetrics m_metrics;

    QByteArray m_errorBody;       // body of a non-2xx or non-SSE response (capped)
    QString m_contentType;
    QString m_certificateProblem; // the certificate faults of this attempt, in plain words
    int m_httpStatus = 0;
    bool m_headersProcessed = false;
    bool m_readBufferConfirmed = false; // the read buffer size was set after Qt started the request
    bool m_onConnection = false;  // this request is known to be on a connection (not waiting in Qt's queue)
    bool m_isEventStream = false;
    bool m_sawDone = false;
    QString m_finishReason;
};
