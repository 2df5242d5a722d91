#pragma once

#include "api/chattypes.h"
#include "api/openaichatformat.h"
#include "metrics/streammetrics.h"
#include "net/chatresult.h"
#include "sse/sseparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

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
class ChatClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int connectTimeoutMs = 10'000;  // until the response headers arrive
        int idleTimeoutMs = 120'000;    // between two reads of the body
        int maxRetries = 3;
        int backoffBaseMs = 1'000;      // 1 s, 2 s, 4 s ... (+/- 20 % jitter)
        int maxBackoffMs = 60'000;      // also caps Retry-After
        qsizetype maxEventBytes = SseParser::DefaultMaxEventBytes;
    };
    using Clock = std::function<qint64()>; // monotonic nanoseconds

    explicit ChatClient(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ChatClient() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    // For tests and benchmarks; defaults to a QElapsedTimer.
    void setClock(Clock clock);

    bool isRunning() const { return m_running; }
    const StreamMetrics &metrics() const { return m_metrics; }
    const QList<ToolCall> &toolCalls() const { return m_decoder.toolCalls(); }

public Q_SLOTS:
    void start(const ChatRequest &request);
    void cancel();

Q_SIGNALS:
    // The request went out (again, when attempt > 0).
    void attemptStarted(int attempt);
    // Waiting `delayMs` before attempt `attempt`, because of `reason`.
    void retryScheduled(int attempt, int delayMs, const QString &reason);
    void deltaReceived(const StreamDelta &delta);
    // Raw bytes counted, for live metrics displays (not per token).
    void bytesReceived(qint64 total);
    void finished(const ChatResult &result);

private:
    void sendAttempt();
    void onMetaDataChanged();
    void onReadyRead();
    void onReplyFinished();
    void onRedirected(const QUrl &url);
    void onConnectTimeout();
    void onIdleTimeout();
    void processBytes(const QByteArray &bytes);
    void handleDelta(const StreamDelta &delta);
    bool maybeRetry(int httpStatus, const QString &reason, qint64 retryAfterMs);
    void finish(ChatResult result);
    void dropReply();
    qint64 now() const;

    QNetworkAccessManager *m_nam;
    Options m_options;
    Clock m_clock;
    QElapsedTimer m_elapsed;

    ChatRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_connectTimer;
    QTimer m_idleTimer;
    QTimer m_backoffTimer;

    SseParser m_parser;
    OpenAiChatFormat::Decoder m_decoder;
    StreamMetrics m_metrics;

    QByteArray m_errorBody;       // body of a non-2xx or non-SSE response
    int m_httpStatus = 0;
    int m_attempt = 0;
    bool m_running = false;
    bool m_isEventStream = false;
    bool m_deliveredText = false; // once true, never retry (no duplicated text)
    bool m_sawDone = false;
    QString m_finishReason;
    std::optional<ApiError> m_streamError;
    QString m_protocolError;
    bool m_timedOut = false;
    bool m_cancelled = false;
};
