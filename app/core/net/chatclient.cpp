#include "chatclient.h"

#include "api/apierror.h"

#include <QDateTime>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimeZone>
#if QT_CONFIG(ssl)
#include "net/tlserrors.h"
#endif

#include <algorithm>
#include <cmath>
#include <utility>

Q_LOGGING_CATEGORY(lcNet, "sluice.net", QtInfoMsg) // debug output: QT_LOGGING_RULES="sluice.net.debug=true"

using namespace Qt::StringLiterals;

// How the client decides, in one place:
//
// * Redirects are handled by hand (ManualRedirectPolicy). 301, 302, 307 and 308
//   are followed with the same method (POST) and body, at most
//   Options::maxRedirects times per attempt; the Authorization header goes only
//   to the origin (scheme, host, port) of the configured base URL. 303 ("see
//   other", i.e. GET something else) cannot carry a chat request and is
//   reported as an error, as is a redirect from https to plain http.
// * Retries happen only before anything was shown: a connection that failed
//   before a response (refused, reset/closed, timed out, also Qt's own
//   TimeoutError and proxy failures), the connect timeout, and the statuses 408,
//   409, 429 and 5xx except 501 and 505 (which never get better by waiting).
//   DNS and TLS failures are not retried: they are configuration problems.
//   Once the response headers of a 2xx event stream arrived, nothing is
//   retried: the server may already have spent the tokens.
// * Completed means the stream said it was done ([DONE], or a finish_reason
//   followed by the end of the body). Without either, an ended body is
//   Truncated, whether it closed cleanly, was cut mid-event or was reset.
//   After [DONE] the client waits briefly for the body to end (so the HTTP
//   connection can be reused) and then completes anyway.

namespace {

constexpr int kDoneGraceMs = 1'000;          // after [DONE], wait this long for the body to end
constexpr int kFinishReasonGraceMs = 10'000; // after a finish_reason (only usage and [DONE] may follow)
constexpr qsizetype kMinRedactedKeyLength = 6;
constexpr qsizetype kMaxDetailChars = 600;

int defaultPort(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https")
        return 443;
    if (scheme == u"http")
        return 80;
    return -1;
}

bool isHttpScheme(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == u"http" || scheme == u"https";
}

// "host:port", with brackets around an IPv6 address.
QString hostPort(const QUrl &url)
{
    QString host = url.host();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    const int port = url.port(defaultPort(url));
    return port > 0 ? host + u':' + QString::number(port) : host;
}

QString originOf(const QUrl &url)
{
    return url.scheme().toLower() + u"://"_s + hostPort(url);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(defaultPort(a)) == b.port(defaultPort(b));
}

QString displayUrl(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

bool isRetryableStatus(int status)
{
    if (status == 408 || status == 409 || status == 429)
        return true;
    return status >= 500 && status <= 599 && status != 501 && status != 505;
}

bool isRetryableNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

// Retry-After: delay-seconds or an HTTP-date (IMF-fixdate; the obsolete
// RFC 850 form too). -1 when absent or unreadable.
qint64 parseRetryAfterMs(const QByteArray &raw)
{
    const QByteArray value = raw.trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : std::min<qint64>(seconds, 1'000'000'000) * 1000;

    const QString text = QString::fromLatin1(value);
    const QLocale c = QLocale::c();
    for (const QString &format : {u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s, u"dddd, dd-MMM-yy HH:mm:ss 'GMT'"_s}) {
        QDateTime when = c.toDateTime(text, format);
        if (!when.isValid())
            continue;
        when = QDateTime(when.date(), when.time(), QTimeZone::utc());
        return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
    }
    return -1;
}

// 1 s, 2 s, 4 s ... for retry 0, 1, 2 ..., +/- 20 % jitter, capped.
int backoffMs(int retryIndex, const ChatClient::Options &options)
{
    const double cap = std::max(0, options.maxBackoffMs);
    const double base = std::min(cap, std::max(0, options.backoffBaseMs) * std::pow(2.0, retryIndex));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return int(std::clamp(base * jitter, 0.0, cap));
}

QString seconds(int ms)
{
    return QLocale().toString(ms / 1000.0, 'g', 3);
}

// The provider's own words, as the end of a sentence.
QString providerDetail(const ApiError &error)
{
    QString text = error.describe().simplified();
    if (text.isEmpty())
        return ChatClient::tr("the server gave no details.");
    if (text.size() > kMaxDetailChars)
        text = text.left(kMaxDetailChars) + u'…';
    if (!QStringView(u".!?…").contains(text.back()))
        text += u'.';
    return text;
}

std::optional<ApiError> parseErrorBody(const QByteArray &body)
{
    std::optional<ApiError> error = ApiErrors::parse(body);
    if (error && error->isEmpty())
        error.reset();
    return error;
}

bool isSafeHeaderValue(const QString &value)
{
    return std::all_of(value.cbegin(), value.cend(), [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

} // namespace

ChatClient::ChatClient(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_access(nam)
{
    Q_ASSERT(m_nam);
    m_elapsed.start();
    for (QTimer *timer : {&m_connectTimer, &m_idleTimer, &m_backoffTimer})
        timer->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &ChatClient::onConnectTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &ChatClient::onIdleTimeout);
    connect(&m_backoffTimer, &QTimer::timeout, this, &ChatClient::onBackoffElapsed);
#if QT_CONFIG(ssl)
    // Qt tells socketStartedConnecting() to the request it expects to send
    // first on a new connection, but another queued request to the host may
    // get that connection (Qt 6.4 does so systematically when a TLS host
    // turns out to speak only HTTP/1.1). When another request finished a TLS
    // handshake with our host while ours is not on a connection, ours is
    // waiting in Qt's queue again: not the server's time.
    connect(m_nam, &QNetworkAccessManager::encrypted, this, [this](QNetworkReply *other) {
        if (m_reply && other != m_reply && !m_onConnection && !m_headersProcessed
            && sameOrigin(other->url(), m_currentUrl)) {
            m_connectTimer.stop();
        }
    });
#endif
}

ChatClient::~ChatClient()
{
    // Abort silently: nobody should hear from a half-destroyed object.
    m_running = false;
    ++m_generation;
    if (QNetworkReply *reply = m_reply.data()) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        delete reply;
    }
}

void ChatClient::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 ChatClient::now() const
{
    return m_clock ? m_clock() : m_elapsed.nsecsElapsed();
}

void ChatClient::start(const ChatRequest &request)
{
    // The running request ends first, with its own finished(Stopped). (A slot
    // on that signal may itself start another request; stop that one too.)
    while (m_running)
        cancel();

    ++m_generation;
    m_runOptions = m_options;
    m_request = request;
    m_request.apiKey = request.apiKey.trimmed(); // a pasted key often ends in a newline
    m_body = OpenAiChatFormat::requestBody(m_request);
    m_requestUrl = OpenAiChatFormat::requestUrl(m_request.baseUrl);
    m_running = true;
    m_access.setBusy(true);
    m_deliveredText = false;
    m_retries = 0;
    m_bytesTotal = 0;
    m_httpStatus = 0;
    m_sawDone = false;
    m_finishReason.clear();
    m_decoder.reset();
    m_metrics.begin(now());

    QString problem;
    if (!m_requestUrl.isValid() || !isHttpScheme(m_requestUrl) || m_requestUrl.host().isEmpty()) {
        problem = tr("“%1” is not a valid http:// or https:// address; check the base URL in Settings.")
                      .arg(displayUrl(m_request.baseUrl));
    } else if (!isSafeHeaderValue(m_request.apiKey)) {
        problem = tr("The API key contains spaces or characters that cannot be sent; paste it again in Settings.");
    }
    if (!problem.isEmpty()) {
        // Never emit finished() from inside start(): report on the next event loop turn.
        const quint64 generation = m_generation;
        QTimer::singleShot(0, this, [this, generation, problem] {
            if (m_running && generation == m_generation)
                finishWith(ChatResult::Status::NetworkError, problem);
        });
        return;
    }
    sendAttempt();
}

void ChatClient::cancel()
{
    if (!m_running)
        return;
    qCDebug(lcNet) << "cancelled by the user";
    finishWith(ChatResult::Status::Stopped, tr("The reply was stopped."));
}

void ChatClient::sendAttempt()
{
    m_redirects = 0;
    m_authDroppedFor.clear();
    m_parser = SseParser(m_runOptions.maxEventBytes);
    m_parser.setEventHandler([this](const SseEvent &event) { m_pendingEvents.append(event); });
    m_decoder.reset();
    qCDebug(lcNet).noquote() << "POST" << displayUrl(m_requestUrl) << "attempt" << m_retries;
    sendRequest(m_requestUrl);
    Q_EMIT attemptStarted(m_retries);
}

void ChatClient::sendRequest(const QUrl &url)
{
    m_currentUrl = url;
    m_errorBody.clear();
    m_contentType.clear();
    m_certificateProblem.clear();
    m_pendingEvents.clear();
    m_httpStatus = 0;
    m_headersProcessed = false;
    m_isEventStream = false;
    m_sawDone = false;
    m_finishReason.clear();

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Accept", "text/event-stream");
    request.setHeader(QNetworkRequest::UserAgentHeader, QString(u"Sluice/"_s + QLatin1String(SLUICE_VERSION)));
    // The key goes only to the origin the user configured, never after a
    // redirect to another one.
    if (!m_request.apiKey.isEmpty() && sameOrigin(url, m_requestUrl))
        request.setRawHeader("Authorization", QByteArray("Bearer " + m_request.apiKey.toLatin1()));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, m_runOptions.allowHttp2);
    // Compression: Qt asks for gzip/deflate itself and inflates incrementally,
    // so it stays transparent to the parser. Proxy: whatever the NAM uses.

    QNetworkAccessManager *nam = m_access.managerFor(url);
    QNetworkReply *reply = nam->post(request, m_body);
    // The shared manager's replies go with this client; those of its own
    // manager stay its children, so that manager never outlives one of them.
    if (nam == m_nam)
        reply->setParent(this);
    // Back-pressure: without a limit Qt's network thread reads the socket into
    // an unbounded buffer whenever this thread is busy, so a huge or hostile
    // stream would cost memory however strict the parser's limit is.
    // A limit set right after post() does not reach that thread in Qt 6.4:
    // QNetworkReplyHttpImpl::setReadBufferSize() only emits
    // readBufferSizeChanged() towards the HTTP thread's QHttpThreadDelegate,
    // which does not exist yet (postRequest() makes and connects it on a later
    // event-loop turn, once a POST body has been buffered) and is not given
    // the size when it is made, so it reads without limit. So the size is set
    // again once Qt has started the request: on the next event-loop turn,
    // and at the first signal from the HTTP thread (see confirmReadBuffer()).
    // Where the first call took (other Qt versions), the others change nothing.
    reply->setReadBufferSize(ReadBufferBytes);
    QMetaObject::invokeMethod(
        reply, [reply] { reply->setReadBufferSize(ReadBufferBytes); }, Qt::QueuedConnection);
    m_readBufferConfirmed = false;
    m_reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] { processHeaders(); });
    connect(reply, &QNetworkReply::readyRead, this, &ChatClient::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ChatClient::onReplyFinished);
#if QT_CONFIG(ssl)
    // Recorded for the message; never ignored.
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        m_certificateProblem = TlsErrors::describe(errors, m_currentUrl.host());
    });
#endif

    // The connect timeout counts only the server's time. post() does not
    // start it: the request may wait in Qt's queue for a free connection
    // (at most six HTTP/1.1 connections per host and manager), behind
    // replies that are each bounded by their own timeouts, and Stop ends the
    // wait at once. What starts it (Qt 6.3+ signals, all emitted for HTTP/1.1
    // and HTTP/2 by Qt 6.4):
    // * socketStartedConnecting: a connection is being opened for it (TCP,
    //   proxy, TLS handshake). Qt's guess of the request; see the
    //   constructor for when the guess was wrong.
    // * encrypted, uploadProgress, requestSent: it is on a connection; each
    //   restarts the timer, the last one leaves the full timeout for the
    //   response headers.
    // Not counted: the host name lookup (bounded by the system resolver).
    m_onConnection = false;
    connect(reply, &QNetworkReply::socketStartedConnecting, this, &ChatClient::onConnecting);
    connect(reply, &QNetworkReply::requestSent, this, &ChatClient::onRequestOnConnection);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > 0)
            onRequestOnConnection();
    });
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::encrypted, this, &ChatClient::onRequestOnConnection);
#endif
}

void ChatClient::armConnectTimer()
{
    if (m_reply && !m_headersProcessed && m_runOptions.connectTimeoutMs > 0)
        m_connectTimer.start(m_runOptions.connectTimeoutMs);
}

void ChatClient::confirmReadBuffer()
{
    if (m_reply && !m_readBufferConfirmed) {
        m_readBufferConfirmed = true;
        m_reply->setReadBufferSize(ReadBufferBytes);
    }
}

void ChatClient::onConnecting()
{
    confirmReadBuffer();
    if (!m_onConnection)
        qCDebug(lcNet).noquote() << "connecting to" << hostPort(m_currentUrl);
    armConnectTimer();
}

void ChatClient::onRequestOnConnection()
{
    confirmReadBuffer();
    m_onConnection = true;
    armConnectTimer();
}

// Returns false when the reply is gone (followed a redirect or finished).
bool ChatClient::processHeaders()
{
    if (!m_reply)
        return false;
    if (m_headersProcessed)
        return true;
    confirmReadBuffer(); // the last chance before the body
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return true; // no HTTP response (yet): a network error is on its way
    m_headersProcessed = true;
    m_connectTimer.stop();
    m_httpStatus = status.toInt();
    m_contentType = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QString mime = m_contentType.section(u';', 0, 0).trimmed().toLower();
    // No Content-Type at all is given the benefit of the doubt; any other type
    // (an HTML page of a proxy or portal, a JSON error) is not a stream.
    m_isEventStream = m_httpStatus >= 200 && m_httpStatus < 300 && (mime == u"text/event-stream" || mime.isEmpty());
    qCDebug(lcNet).noquote() << "HTTP" << m_httpStatus << (mime.isEmpty() ? u"(no content type)"_s : mime)
                             << "from" << displayUrl(m_currentUrl);

    const bool redirect = m_httpStatus == 301 || m_httpStatus == 302 || m_httpStatus == 303
        || m_httpStatus == 307 || m_httpStatus == 308;
    if (redirect && m_reply->hasRawHeader("Location"))
        return handleRedirect();
    restartIdleTimer();
    return true;
}

bool ChatClient::handleRedirect()
{
    const int status = m_httpStatus;
    const QUrl target = m_currentUrl.resolved(QUrl::fromEncoded(m_reply->rawHeader("Location").trimmed()));
    dropReply();
    const QString where = displayUrl(target);

    if (status == 303) {
        finishWith(ChatResult::Status::HttpError,
                   tr("The server sent the chat request elsewhere (HTTP 303 to %1), where it cannot be posted; "
                      "if that is the right address, set it as the base URL in Settings.")
                       .arg(where));
        return false;
    }
    if (!target.isValid() || !isHttpScheme(target) || target.host().isEmpty()) {
        finishWith(ChatResult::Status::HttpError,
                   tr("The server redirected the request to an address Sluice cannot use (%1).").arg(where));
        return false;
    }
    if (m_currentUrl.scheme().compare(u"https", Qt::CaseInsensitive) == 0
        && target.scheme().compare(u"http", Qt::CaseInsensitive) == 0) {
        finishWith(ChatResult::Status::HttpError,
                   tr("The server redirected the request from https to unencrypted http (%1); "
                      "Sluice does not follow such redirects.")
                       .arg(where));
        return false;
    }
    if (++m_redirects > m_runOptions.maxRedirects) {
        finishWith(ChatResult::Status::HttpError,
                   tr("The server redirected the request too many times (last to %1).").arg(where));
        return false;
    }
    const bool keepsKey = sameOrigin(target, m_requestUrl);
    if (!keepsKey && !m_request.apiKey.isEmpty())
        m_authDroppedFor = originOf(target);
    qCDebug(lcNet).noquote() << "redirect" << status << "to" << where
                             << (keepsKey ? "(same origin)" : "(other origin: without Authorization)");
    sendRequest(target);
    return false;
}

void ChatClient::restartIdleTimer()
{
    int timeout = m_runOptions.idleTimeoutMs;
    if (m_sawDone)
        timeout = timeout > 0 ? std::min(timeout, kDoneGraceMs) : kDoneGraceMs;
    else if (!m_finishReason.isEmpty())
        timeout = timeout > 0 ? std::min(timeout, kFinishReasonGraceMs) : kFinishReasonGraceMs;
    if (timeout > 0)
        m_idleTimer.start(timeout);
}

bool ChatClient::isCurrent(const QPointer<ChatClient> &guard, quint64 generation) const
{
    return guard && generation == m_generation && m_running;
}

void ChatClient::onReadyRead()
{
    if (!m_running || !m_reply)
        return;
    if (!processHeaders() || !m_reply)
        return;

    QByteArray bytes;
    if (m_isEventStream) {
        bytes = m_reply->readAll();
    } else {
        // An error body or a page that is not a stream: keep what explains it.
        const qsizetype room = std::max<qsizetype>(0, m_runOptions.maxErrorBodyBytes - m_errorBody.size());
        bytes = m_reply->read(room);
        m_errorBody += bytes;
    }
    if (!bytes.isEmpty()) {
        restartIdleTimer();
        m_bytesTotal += bytes.size();
        m_metrics.addBytes(bytes.size(), now());
        const QPointer<ChatClient> guard(this);
        const quint64 generation = m_generation;
        Q_EMIT bytesReceived(m_bytesTotal);
        if (!isCurrent(guard, generation))
            return;
    }
    if (!m_isEventStream) {
        if (m_errorBody.size() >= m_runOptions.maxErrorBodyBytes)
            concludeHttpError(); // enough to explain it; do not download the rest
        return;
    }
    if (!bytes.isEmpty())
        processStreamBytes(bytes);
}

void ChatClient::processStreamBytes(const QByteArray &bytes)
{
    // The parser only collects events; decoding and signals happen outside
    // feed(), so a slot may cancel or restart without pulling the parser's
    // state from under it.
    m_pendingEvents.clear();
    const bool ok = m_parser.feed(bytes);
    const QList<SseEvent> events = std::exchange(m_pendingEvents, {});
    const QPointer<ChatClient> guard(this);
    const quint64 generation = m_generation;
    for (const SseEvent &event : events) {
        if (m_sawDone)
            return; // nothing after [DONE] counts
        handleDelta(m_decoder.decode(redactedEvent(event)));
        if (!isCurrent(guard, generation))
            return;
    }
    if (!ok && !m_sawDone) {
        finishWith(ChatResult::Status::ProtocolError,
                   tr("The server sent an event larger than the limit of %1, so the reply was stopped.")
                       .arg(QLocale().formattedDataSize(m_runOptions.maxEventBytes)));
    }
}

void ChatClient::handleDelta(const StreamDelta &delta)
{
    m_metrics.addDelta(delta, now());
    if (delta.malformed)
        return; // counted in the metrics; never shown
    if (delta.error) {
        ChatResult result;
        result.status = ChatResult::Status::HttpError;
        result.httpStatus = m_httpStatus;
        result.apiError = delta.error;
        result.message = tr("The server reported an error in the middle of the reply: %1").arg(providerDetail(*delta.error));
        finish(result);
        return;
    }
    const bool visible = delta.hasText() || !delta.toolCalls.isEmpty();
    if (visible)
        m_deliveredText = true;
    if (!delta.finishReason.isEmpty())
        m_finishReason = delta.finishReason;
    if (delta.done)
        m_sawDone = true;
    if (delta.done || !delta.finishReason.isEmpty())
        restartIdleTimer(); // now only a short grace for the end of the body
    if (visible || delta.usage || !delta.finishReason.isEmpty())
        Q_EMIT deltaReceived(delta); // last: a slot may cancel, restart or delete us
}

void ChatClient::onReplyFinished()
{
    if (!m_running || !m_reply)
        return;
    if (!processHeaders() || !m_reply)
        return;
    const QPointer<ChatClient> guard(this);
    const quint64 generation = m_generation;
    if (m_reply->bytesAvailable() > 0) {
        onReadyRead(); // what readyRead has not delivered yet
        if (!isCurrent(guard, generation) || !m_reply)
            return;
    }
    if (m_httpStatus == 0)
        concludeNetworkError();
    else if (!m_isEventStream)
        concludeHttpError();
    else
        concludeStream(false);
}

void ChatClient::onConnectTimeout()
{
    if (!m_running || !m_reply || m_headersProcessed)
        return;
    const QString message = tr("%1 did not answer within %2 seconds.")
                                .arg(hostPort(m_currentUrl), seconds(m_runOptions.connectTimeoutMs));
    dropReply();
    if (maybeRetry(message))
        return;
    finishWith(ChatResult::Status::Timeout, message);
}

void ChatClient::onIdleTimeout()
{
    if (!m_running || !m_reply)
        return;
    if (!m_isEventStream)
        concludeHttpError(); // an error body that stalls: report what arrived
    else
        concludeStream(true);
}

void ChatClient::onBackoffElapsed()
{
    if (m_running && !m_reply)
        sendAttempt();
}

void ChatClient::concludeNetworkError()
{
    const QNetworkReply::NetworkError error = m_reply ? m_reply->error() : QNetworkReply::UnknownNetworkError;
    const QString message = networkErrorMessage();
    qCDebug(lcNet) << "network error" << error;
    if (isRetryableNetworkError(error) && m_certificateProblem.isEmpty() && maybeRetry(message))
        return;
    finishWith(ChatResult::Status::NetworkError, message);
}

void ChatClient::concludeHttpError()
{
    const int status = m_httpStatus;
    const QByteArray retryAfter = m_reply ? m_reply->rawHeader("Retry-After") : QByteArray();
    const QString reasonPhrase =
        m_reply ? m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().simplified() : QString();
    const std::optional<ApiError> apiError = parseErrorBody(redactedBytes(m_errorBody));

    ChatResult result;
    result.status = ChatResult::Status::HttpError;
    result.httpStatus = status;
    result.apiError = apiError;

    if (status >= 200 && status < 300) {
        // A success status, but not an event stream.
        const QString mime = m_contentType.section(u';', 0, 0).trimmed().toLower();
        if (apiError) {
            result.message = tr("The server answered with an error instead of a stream: %1").arg(providerDetail(*apiError));
        } else {
            result.message = tr("The server answered with “%1” (HTTP %2) instead of an event stream. The base URL "
                                "may point to a web page, a login portal or a proxy rather than to the API; "
                                "check it in Settings.")
                                 .arg(mime.isEmpty() ? tr("an unknown content type") : mime, QString::number(status));
        }
        finish(result);
        return;
    }

    QString message;
    if (apiError) {
        message = tr("The server answered HTTP %1: %2").arg(QString::number(status), providerDetail(*apiError));
    } else if (!reasonPhrase.isEmpty()) {
        message = tr("The server answered HTTP %1 (%2).").arg(QString::number(status), reasonPhrase);
    } else {
        message = tr("The server answered HTTP %1.").arg(status);
    }
    if (isRetryableStatus(status) && maybeRetry(message, parseRetryAfterMs(retryAfter)))
        return;

    const QString advice = ApiErrors::adviceForStatus(status);
    if (!advice.isEmpty())
        message += u' ' + advice;
    if (!m_authDroppedFor.isEmpty() && (status == 401 || status == 403)) {
        message += u' '
            + tr("The request was redirected to %1, and Sluice does not send the API key to another address; "
                 "if that is the right server, set it as the base URL.")
                  .arg(m_authDroppedFor);
    }
    result.message = message;
    finish(result);
}

void ChatClient::concludeStream(bool idleTimedOut)
{
    const QNetworkReply::NetworkError error = m_reply && !idleTimedOut ? m_reply->error() : QNetworkReply::NoError;
    const QString errorString = m_reply ? m_reply->errorString() : QString();
    m_parser.finish(); // a partial event at the end is discarded, as the standard says

    if (m_sawDone || !m_finishReason.isEmpty()) {
        finishWith(ChatResult::Status::Completed, QString());
        return;
    }
    if (idleTimedOut) {
        finishWith(ChatResult::Status::Timeout,
                   tr("The server sent nothing for %1 seconds, so the reply was stopped.")
                       .arg(seconds(m_runOptions.idleTimeoutMs)));
        return;
    }
    QString message;
    if (error != QNetworkReply::NoError) {
        message = tr("The connection to %1 was lost before the reply was complete (%2).")
                      .arg(hostPort(m_currentUrl), errorString);
    } else if (m_parser.endedMidEvent()) {
        message = tr("The stream ended in the middle of an event, before the reply was complete.");
    } else if (m_deliveredText) {
        message = tr("The server ended the stream before the reply was complete.");
    } else {
        message = tr("The server ended the stream without sending a reply.");
    }
    finishWith(ChatResult::Status::Truncated, message);
}

QString ChatClient::networkErrorMessage() const
{
    const QString where = hostPort(m_currentUrl);
    if (!m_certificateProblem.isEmpty())
        return tr("Could not open a secure connection to %1. %2").arg(where, m_certificateProblem);
    const QNetworkReply::NetworkError error = m_reply ? m_reply->error() : QNetworkReply::UnknownNetworkError;
    const QString detail = m_reply ? m_reply->errorString() : QString();
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return tr("Could not connect to %1: connection refused.").arg(where);
    case QNetworkReply::HostNotFoundError:
        return tr("Could not find the server %1; check the address and the internet connection.").arg(m_currentUrl.host());
    case QNetworkReply::RemoteHostClosedError:
        return tr("%1 closed the connection before answering.").arg(where);
    case QNetworkReply::TimeoutError:
        return tr("The connection to %1 timed out.").arg(where);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("Could not open a secure connection to %1: the TLS handshake failed (%2). This is usually a "
                  "certificate problem.")
            .arg(where, detail);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return tr("The network is not available; check the internet connection.");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return tr("Could not go through the proxy server (%1); check the proxy settings.").arg(detail);
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("The proxy server asks for a user name and password.");
    default:
        break;
    }
    return tr("The connection to %1 failed: %2.").arg(where, detail);
}

bool ChatClient::maybeRetry(const QString &reason, qint64 retryAfterMs)
{
    if (!m_running || m_deliveredText || m_retries >= m_runOptions.maxRetries)
        return false;
    const int delay = retryAfterMs >= 0 ? int(std::min<qint64>(retryAfterMs, std::max(0, m_runOptions.maxBackoffMs)))
                                        : backoffMs(m_retries, m_runOptions);
    dropReply();
    ++m_retries;
    m_metrics.addRetry();
    const QString why = redacted(reason);
    qCDebug(lcNet).noquote() << "retry" << m_retries << "in" << delay << "ms:" << why;
    m_backoffTimer.start(delay);
    Q_EMIT retryScheduled(m_retries, delay, why);
    return true;
}

void ChatClient::finishWith(ChatResult::Status status, const QString &message)
{
    ChatResult result;
    result.status = status;
    result.httpStatus = m_httpStatus;
    result.message = message;
    finish(result);
}

void ChatClient::finish(ChatResult result)
{
    if (!m_running)
        return; // exactly once per start()
    m_running = false;
    m_backoffTimer.stop();
    dropReply();
    m_access.setBusy(false);
    m_metrics.end(now());

    result.retries = m_retries;
    result.receivedContent = m_deliveredText;
    const bool failed = result.status == ChatResult::Status::HttpError
        || result.status == ChatResult::Status::NetworkError || result.status == ChatResult::Status::Timeout;
    if (failed && m_retries > 0)
        result.message += u' ' + tr("Gave up after %1 attempts.").arg(m_retries + 1);
    if (result.finishReason.isEmpty())
        result.finishReason = m_finishReason;
    result.message = redacted(result.message);
    if (result.apiError) {
        result.apiError->message = redacted(result.apiError->message);
        result.apiError->param = redacted(result.apiError->param);
    }
    qCDebug(lcNet) << result;
    Q_EMIT finished(result);
}

void ChatClient::dropReply()
{
    m_connectTimer.stop();
    m_idleTimer.stop();
    QNetworkReply *reply = m_reply.data();
    m_reply.clear();
    if (!reply)
        return;
    disconnect(reply, nullptr, this, nullptr);
    // abort() ends the transfer and closes the connection at once. (Qt may warn
    // that an error was reported twice when a 4xx body had just completed in
    // its HTTP thread: harmless.)
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

QByteArray ChatClient::redactedBytes(QByteArray bytes) const
{
    if (m_request.apiKey.size() >= kMinRedactedKeyLength)
        bytes.replace(m_request.apiKey.toUtf8(), "[API key]");
    return bytes;
}

SseEvent ChatClient::redactedEvent(const SseEvent &event) const
{
    // Before the decoder shortens a provider's message: a key cut in half
    // would no longer be found afterwards.
    if (m_request.apiKey.size() < kMinRedactedKeyLength || !event.data.contains(m_request.apiKey.toUtf8()))
        return event;
    SseEvent copy = event;
    copy.data = redactedBytes(copy.data);
    return copy;
}

QString ChatClient::redacted(QString text) const
{
    if (m_request.apiKey.size() >= kMinRedactedKeyLength)
        text.replace(m_request.apiKey, u"[API key]"_s);
    return text;
}
