#include "ssetestserver.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#include <QSslError>
#include <QSslServer>
#include <QSslSocket>
#endif

#ifdef SLUICE_TEST_HAVE_ZLIB
#include <zlib.h>
#endif

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxHeadBytes = 1024 * 1024;
constexpr qint64 kPumpHighWater = 256 * 1024; // repeated steps: refill the send buffer below this

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 529: return "Overloaded";
    default: return "Status";
    }
}

QByteArray findHeader(const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return QByteArray();
}

bool containsHeader(const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &name)
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [&name](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject chunkEnvelope(const QJsonArray &choices)
{
    return QJsonObject{
        {u"id"_s, u"chatcmpl-sluice-test"_s},
        {u"object"_s, u"chat.completion.chunk"_s},
        {u"created"_s, 1700000000},
        {u"model"_s, u"test-model"_s},
        {u"choices"_s, choices},
    };
}

QByteArray choiceChunk(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue(QJsonValue::Null))
{
    const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finishReason}};
    return SseTestServer::sseEvent(compactJson(chunkEnvelope(QJsonArray{choice})));
}

QJsonObject errorObject(const QString &message, const QString &type, const QString &code)
{
    QJsonObject error{{u"message"_s, message}};
    error.insert(u"type"_s, type.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(type));
    error.insert(u"param"_s, QJsonValue(QJsonValue::Null));
    error.insert(u"code"_s, code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code));
    return QJsonObject{{u"error"_s, error}};
}

} // namespace

// ---------------------------------------------------------------------------
// One accepted connection: reads requests one after the other and plays the
// scripted response for each.

class SseTestServer::Connection : public QObject
{
public:
    Connection(SseTestServer *server, QTcpSocket *socket, int id)
        : QObject(server)
        , m_server(server)
        , m_socket(socket)
        , m_id(id)
    {
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onClosed);
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                onClosed();
        });
        connect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::pump);
        // A TLS socket comes after its handshake: the request may be buffered already.
        if (m_socket->bytesAvailable() > 0)
            QTimer::singleShot(0, this, &Connection::onReadyRead);
    }

    void abort()
    {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }

private:
    bool connected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }

    void onReadyRead()
    {
        m_buffer += m_socket->readAll();
        tryParse();
    }

    void onClosed()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_server->m_connections.removeOne(this);
        ++m_server->m_connectionsClosed;
        deleteLater();
        Q_EMIT m_server->connectionClosed();
    }

    void tryParse()
    {
        while (!m_busy && !m_closing && !m_closed) {
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                if (m_buffer.size() > kMaxHeadBytes)
                    refuse(431);
                return;
            }
            QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
            for (QByteArray &line : lines) {
                if (line.endsWith('\r'))
                    line.chop(1);
            }
            const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
            if (requestLine.size() != 3) {
                refuse(400);
                return;
            }
            RecordedRequest request;
            request.method = requestLine.at(0);
            request.target = requestLine.at(1);
            request.version = requestLine.at(2);
            for (const QByteArray &line : std::as_const(lines)) {
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0) {
                    refuse(400);
                    return;
                }
                request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            if (request.header("transfer-encoding").toLower().contains("chunked")) {
                refuse(411); // chunked request bodies are not supported
                return;
            }
            const qint64 length = request.hasHeader("content-length") ? request.header("content-length").toLongLong() : 0;
            if (m_buffer.size() < headEnd + 4 + length)
                return; // the body is still coming
            request.body = m_buffer.mid(headEnd + 4, length);
            m_buffer.remove(0, headEnd + 4 + length);

            // Origin form "/v1/x?y" or, when used as a proxy, absolute form "http://host/v1/x".
            const QUrl targetUrl = request.target.startsWith('/')
                ? QUrl(u"http://localhost"_s + QString::fromLatin1(request.target))
                : QUrl::fromEncoded(request.target);
            request.path = targetUrl.path();
            request.receivedAtMs = m_server->m_clock.elapsed();
            request.connectionId = m_id;

            const QByteArray connectionHeader = request.header("connection").toLower();
            const bool closeAfter = connectionHeader.contains("close")
                || (request.version == "HTTP/1.0" && !connectionHeader.contains("keep-alive"));
            m_busy = true;
            const QPointer<Connection> self(this);
            const Response response = m_server->takeResponse(request.path);
            m_server->record(request);
            if (!self)
                return;
            respond(response, closeAfter);
        }
    }

    void refuse(int status)
    {
        m_busy = true;
        Response response = Response::fixed(status, "text/plain", reasonPhrase(status) + '\n');
        respond(response, true);
    }

    void respond(const Response &response, bool closeAfter)
    {
        m_response = response;
        m_closeAfter = closeAfter || response.framing == Response::Framing::UntilClose
            || response.framing == Response::Framing::Raw
            || response.header("connection").toLower().contains("close");
        if (response.noDelay)
            m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (response.neverAnswer)
            return; // stays busy: nothing else is read or written
        if (response.closeWithoutAnswer) {
            m_closing = true;
            m_socket->disconnectFromHost();
            return;
        }
        if (response.headerDelayMs > 0) {
            QTimer::singleShot(response.headerDelayMs, this, [this] {
                writeHead();
                writeSteps(0, false);
            });
        } else {
            writeHead();
            writeSteps(0, false);
        }
    }

    void writeHead()
    {
        if (!connected() || m_response.framing == Response::Framing::Raw)
            return;
        const Response &r = m_response;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + ' '
            + (r.reason.isEmpty() ? reasonPhrase(r.status) : r.reason) + "\r\n";
        for (const auto &[name, value] : r.headers)
            head += name + ": " + value + "\r\n";
        if (r.framing == Response::Framing::ContentLength && !containsHeader(r.headers, "content-length")) {
            qsizetype total = 0;
            for (const Step &step : r.steps)
                total += step.bytes.size() * std::max(1, step.repeat);
            head += "Content-Length: " + QByteArray::number(total) + "\r\n";
        }
        if (r.framing == Response::Framing::Chunked && !containsHeader(r.headers, "transfer-encoding"))
            head += "Transfer-Encoding: chunked\r\n";
        if (m_closeAfter && !containsHeader(r.headers, "connection"))
            head += "Connection: close\r\n";
        head += "\r\n";
        m_socket->write(head);
    }

    int stepCount() const
    {
        const auto all = int(m_response.steps.size());
        return m_response.stopAfterSteps >= 0 ? std::min(m_response.stopAfterSteps, all) : all;
    }

    // Writes steps from `from` on; a step with a delay is written later, from a timer.
    void writeSteps(int from, bool delayDone)
    {
        const int count = stepCount();
        for (int i = from; i < count; ++i) {
            if (!connected())
                return;
            const Step &step = m_response.steps.at(i);
            if (step.delayMs > 0 && !(i == from && delayDone)) {
                QTimer::singleShot(step.delayMs, this, [this, i] { writeSteps(i, true); });
                return;
            }
            if (step.repeat > 1) {
                m_pumpStep = i;
                m_pumpLeft = step.repeat;
                pump();
                return;
            }
            writeBytes(step.bytes);
        }
        endResponse();
    }

    // Writes the repetitions of a repeated step while the send buffer is
    // below the high-water mark; bytesWritten() brings it back for more.
    void pump()
    {
        if (m_pumpStep < 0)
            return;
        if (!connected()) {
            m_pumpStep = -1;
            return;
        }
        const QByteArray bytes = m_response.steps.at(m_pumpStep).bytes;
        while (m_pumpLeft > 0 && m_socket->bytesToWrite() < kPumpHighWater) {
            writeBytes(bytes);
            --m_pumpLeft;
        }
        if (m_pumpLeft > 0)
            return;
        const int next = m_pumpStep + 1;
        m_pumpStep = -1;
        writeSteps(next, false);
    }

    void writeBytes(const QByteArray &bytes)
    {
        if (bytes.isEmpty())
            return; // an empty chunk would end a chunked body
        if (m_response.framing == Response::Framing::Chunked)
            m_socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
        else
            m_socket->write(bytes);
    }

    void endResponse()
    {
        if (!connected())
            return;
        switch (m_response.ending) {
        case Response::Ending::Silent:
            return; // keep the connection open, say nothing more
        case Response::Ending::Drop:
            m_closing = true;
            // Let what was written reach the kernel, then close without ending the body.
            if (m_socket->bytesToWrite() == 0) {
                m_socket->abort();
                onClosed();
            } else {
                connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
                    if (m_socket->bytesToWrite() == 0 && !m_closed) {
                        m_socket->abort();
                        onClosed();
                    }
                });
            }
            return;
        case Response::Ending::Complete:
            break;
        }
        if (m_response.framing == Response::Framing::Chunked)
            m_socket->write("0\r\n\r\n");
        if (m_closeAfter) {
            m_closing = true;
            m_socket->disconnectFromHost(); // after the pending data is written
            return;
        }
        m_busy = false;
        // Another request may already be waiting in the buffer.
        QTimer::singleShot(0, this, [this] { tryParse(); });
    }

    SseTestServer *m_server;
    QTcpSocket *m_socket;
    int m_id;
    QByteArray m_buffer;
    Response m_response;
    bool m_busy = false;
    bool m_closing = false;
    bool m_closed = false;
    bool m_closeAfter = false;
    int m_pumpStep = -1; // the repeated step being written, or -1
    int m_pumpLeft = 0;  // repetitions still to write
};

// ---------------------------------------------------------------------------

SseTestServer::Response &SseTestServer::Response::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

SseTestServer::Response &SseTestServer::Response::withStep(const QByteArray &bytes, int delayMs)
{
    steps.append(Step{bytes, delayMs});
    return *this;
}

SseTestServer::Response &SseTestServer::Response::withRepeatedStep(const QByteArray &bytes, int count, int delayMs)
{
    steps.append(Step{bytes, delayMs, std::max(1, count)});
    return *this;
}

SseTestServer::Response &SseTestServer::Response::withHeaderDelay(int ms)
{
    headerDelayMs = ms;
    return *this;
}

SseTestServer::Response &SseTestServer::Response::silentAfter(int stepsToWrite)
{
    stopAfterSteps = stepsToWrite;
    ending = Ending::Silent;
    return *this;
}

SseTestServer::Response &SseTestServer::Response::dropAfter(int stepsToWrite)
{
    stopAfterSteps = stepsToWrite;
    ending = Ending::Drop;
    return *this;
}

QByteArray SseTestServer::Response::header(const QByteArray &name) const
{
    return findHeader(headers, name);
}

SseTestServer::Response SseTestServer::Response::sse(const QList<QByteArray> &events, int delayMs)
{
    Response r;
    r.framing = Framing::Chunked;
    r.withHeader("Content-Type", "text/event-stream; charset=utf-8").withHeader("Cache-Control", "no-cache");
    for (const QByteArray &event : events)
        r.withStep(event, delayMs);
    return r;
}

SseTestServer::Response SseTestServer::Response::fixed(int status, const QByteArray &contentType, const QByteArray &body)
{
    Response r;
    r.status = status;
    if (!contentType.isEmpty())
        r.withHeader("Content-Type", contentType);
    r.withStep(body);
    return r;
}

SseTestServer::Response SseTestServer::Response::json(int status, const QByteArray &body)
{
    return fixed(status, "application/json", body);
}

SseTestServer::Response SseTestServer::Response::redirect(int status, const QUrl &location)
{
    Response r = fixed(status, "text/plain", reasonPhrase(status) + '\n');
    r.withHeader("Location", location.toEncoded());
    return r;
}

SseTestServer::Response SseTestServer::Response::silent()
{
    Response r;
    r.neverAnswer = true;
    return r;
}

SseTestServer::Response SseTestServer::Response::closeImmediately()
{
    Response r;
    r.closeWithoutAnswer = true;
    return r;
}

SseTestServer::Response SseTestServer::Response::raw(const QList<Step> &steps)
{
    Response r;
    r.framing = Framing::Raw;
    r.steps = steps;
    return r;
}

SseTestServer::Response SseTestServer::Response::byteByByte(const QByteArray &raw, int delayMs)
{
    QList<Step> steps;
    steps.reserve(raw.size());
    for (const char byte : raw)
        steps.append(Step{QByteArray(1, byte), delayMs});
    Response r = Response::raw(steps);
    r.noDelay = true;
    return r;
}

bool SseTestServer::RecordedRequest::hasHeader(const QByteArray &name) const
{
    return containsHeader(headers, name);
}

QByteArray SseTestServer::RecordedRequest::header(const QByteArray &name) const
{
    return findHeader(headers, name);
}

QJsonObject SseTestServer::RecordedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

// ---------------------------------------------------------------------------

SseTestServer::SseTestServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    qRegisterMetaType<SseTestServer::RecordedRequest>();
    m_clock.start();
    connect(m_server, &QTcpServer::newConnection, this, &SseTestServer::onNewConnection);
}

SseTestServer::~SseTestServer()
{
    close();
}

bool SseTestServer::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

void SseTestServer::close()
{
    m_server->close();
    const QList<Connection *> connections = std::exchange(m_connections, {});
    for (Connection *connection : connections) {
        connection->abort();
        delete connection;
    }
}

bool SseTestServer::isListening() const
{
    return m_server->isListening();
}

quint16 SseTestServer::port() const
{
    return m_server->serverPort();
}

#if QT_CONFIG(ssl)
bool SseTestServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    if (m_server->isListening())
        return false;
    auto *server = qobject_cast<QSslServer *>(m_server);
    if (!server) {
        delete m_server;
        server = new QSslServer(this);
        m_server = server;
        // Plain sockets are ready at newConnection(); TLS ones only after the handshake.
        connect(server, &QTcpServer::pendingConnectionAvailable, this, &SseTestServer::onNewConnection);
        connect(server, &QSslServer::sslErrors, this, [this](QSslSocket *, const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                noteTlsEvent(u"TLS error: "_s + error.errorString());
        });
        connect(server, &QSslServer::errorOccurred, this, [this](QSslSocket *socket, QAbstractSocket::SocketError) {
            noteTlsEvent(u"socket error: "_s + socket->errorString());
        });
        connect(server, &QSslServer::alertReceived, this,
                [this](QSslSocket *, QSsl::AlertLevel, QSsl::AlertType, const QString &description) {
                    noteTlsEvent(u"alert from the client: "_s + description);
                });
        connect(server, &QSslServer::handshakeInterruptedOnError, this, [this](QSslSocket *, const QSslError &error) {
            noteTlsEvent(u"handshake interrupted: "_s + error.errorString());
        });
    }
    server->setSslConfiguration(configuration);
    m_tls = true;
    return true;
}
#endif

void SseTestServer::noteTlsEvent(const QString &what)
{
    m_tlsEvents.append(what);
    Q_EMIT tlsEvent(what);
}

QUrl SseTestServer::url(const QString &path) const
{
    QUrl url;
    url.setScheme(m_tls ? u"https"_s : u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port());
    url.setPath(path);
    return url;
}

QString SseTestServer::hostPort() const
{
    return u"127.0.0.1:"_s + QString::number(port());
}

void SseTestServer::enqueue(const QString &path, const Response &response)
{
    m_routes[path].responses.append(response);
}

void SseTestServer::setResponses(const QString &path, const QList<Response> &responses)
{
    m_routes[path] = Route{responses, 0};
}

void SseTestServer::clearResponses()
{
    m_routes.clear();
}

QList<SseTestServer::RecordedRequest> SseTestServer::requests(const QString &path) const
{
    QList<RecordedRequest> result;
    for (const RecordedRequest &request : m_requests) {
        if (request.path == path)
            result.append(request);
    }
    return result;
}

int SseTestServer::requestCount(const QString &path) const
{
    if (path.isEmpty())
        return int(m_requests.size());
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
                             [&path](const RecordedRequest &request) { return request.path == path; }));
}

int SseTestServer::openConnections() const
{
    return int(m_connections.size());
}

void SseTestServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_connectionsAccepted;
        m_connections.append(new Connection(this, socket, m_nextConnectionId++));
    }
}

SseTestServer::Response SseTestServer::takeResponse(const QString &path)
{
    const auto it = m_routes.find(path);
    if (it == m_routes.end() || it->responses.isEmpty())
        return openAiError(404, u"The test server has no response for %1."_s.arg(path), u"not_found_error"_s);
    const qsizetype index = std::min<qsizetype>(it->next, it->responses.size() - 1);
    ++it->next;
    return it->responses.at(index);
}

void SseTestServer::record(const RecordedRequest &request)
{
    m_requests.append(request);
    Q_EMIT requestReceived(request);
}

// ---------------------------------------------------------------------------

QByteArray SseTestServer::sseEvent(const QByteArray &data, const QByteArray &event)
{
    QByteArray out;
    if (!event.isEmpty())
        out += "event: " + event + '\n';
    for (const QByteArray &line : data.split('\n'))
        out += "data: " + line + '\n';
    out += '\n';
    return out;
}

QByteArray SseTestServer::openAiChunk(const QString &content)
{
    return choiceChunk(QJsonObject{{u"content"_s, content}});
}

QByteArray SseTestServer::openAiReasoningChunk(const QString &reasoning)
{
    return choiceChunk(QJsonObject{{u"reasoning_content"_s, reasoning}});
}

QByteArray SseTestServer::openAiFinishChunk(const QString &reason)
{
    return choiceChunk(QJsonObject(), reason);
}

QByteArray SseTestServer::openAiUsageChunk(qint64 promptTokens, qint64 completionTokens)
{
    QJsonObject chunk = chunkEnvelope(QJsonArray());
    chunk.insert(u"usage"_s, QJsonObject{
                                 {u"prompt_tokens"_s, promptTokens},
                                 {u"completion_tokens"_s, completionTokens},
                                 {u"total_tokens"_s, promptTokens + completionTokens},
                             });
    return sseEvent(compactJson(chunk));
}

QByteArray SseTestServer::openAiErrorEvent(const QString &message, const QString &type, const QString &code)
{
    return sseEvent(compactJson(errorObject(message, type, code)));
}

QByteArray SseTestServer::openAiDone()
{
    return QByteArrayLiteral("data: [DONE]\n\n");
}

SseTestServer::Response SseTestServer::openAiStream(const QStringList &pieces, int delayMs, qint64 usageCompletionTokens)
{
    QList<QByteArray> events;
    for (const QString &piece : pieces)
        events.append(openAiChunk(piece));
    events.append(openAiFinishChunk());
    if (usageCompletionTokens >= 0)
        events.append(openAiUsageChunk(12, usageCompletionTokens));
    events.append(openAiDone());
    return Response::sse(events, delayMs);
}

SseTestServer::Response SseTestServer::openAiError(int status, const QString &message, const QString &type,
                                                   const QString &code)
{
    return Response::json(status, compactJson(errorObject(message, type, code)));
}

SseTestServer::Response SseTestServer::models(const QStringList &ids)
{
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject{
            {u"id"_s, id},
            {u"object"_s, u"model"_s},
            {u"created"_s, 1700000000},
            {u"owned_by"_s, u"sluice-test"_s},
        });
    }
    return Response::json(200, compactJson(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}}));
}

// ---------------------------------------------------------------------------

bool SseTestServer::hasGzip()
{
#ifdef SLUICE_TEST_HAVE_ZLIB
    return true;
#else
    return false;
#endif
}

QByteArray SseTestServer::gzip(const QByteArray &data)
{
    return gzipPieces({data}).value(0);
}

QList<QByteArray> SseTestServer::gzipPieces(const QList<QByteArray> &pieces)
{
#ifdef SLUICE_TEST_HAVE_ZLIB
    z_stream stream = {};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QList<QByteArray> out;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        QByteArray input = pieces.at(i);
        const int flush = i + 1 == pieces.size() ? Z_FINISH : Z_SYNC_FLUSH;
        stream.next_in = reinterpret_cast<Bytef *>(input.data());
        stream.avail_in = uInt(input.size());
        QByteArray compressed;
        int rc = Z_OK;
        do {
            char buffer[16 * 1024];
            stream.next_out = reinterpret_cast<Bytef *>(buffer);
            stream.avail_out = sizeof buffer;
            rc = deflate(&stream, flush);
            compressed.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
        } while (stream.avail_out == 0 || (flush == Z_FINISH && rc == Z_OK));
        out.append(compressed);
    }
    deflateEnd(&stream);
    return out;
#else
    Q_UNUSED(pieces);
    return {};
#endif
}

SseTestServer::Response SseTestServer::gzipSse(const QList<QByteArray> &events, int delayMs)
{
    Response r = Response::sse(gzipPieces(events), delayMs);
    r.withHeader("Content-Encoding", "gzip");
    return r;
}
