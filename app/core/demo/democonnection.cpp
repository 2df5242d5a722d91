#include "democonnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 8 * 1024 * 1024;

QByteArray chunked(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

QByteArray sseEvent(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

QString reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return u"OK"_s;
    case 400:
        return u"Bad Request"_s;
    case 404:
        return u"Not Found"_s;
    case 405:
        return u"Method Not Allowed"_s;
    case 413:
        return u"Payload Too Large"_s;
    case 431:
        return u"Request Header Fields Too Large"_s;
    default:
        break;
    }
    return u"Error"_s;
}

QJsonObject errorObject(const QString &message, const QString &type)
{
    return QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message}, {u"type"_s, type}}}};
}

// The text of a message's content: a string, or an array of {type: text, text} parts.
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    const QJsonArray parts = content.toArray();
    for (const QJsonValue &part : parts)
        text += part.toObject().value(u"text"_s).toString();
    return text;
}

double uniform(double low, double high)
{
    return low + (high - low) * QRandomGenerator::global()->generateDouble();
}

} // namespace

DemoConnection::DemoConnection(DemoServer *server, QTcpSocket *socket)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
{
    socket->setParent(this);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { writeNextSteps(); });
    connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (m_streaming) {
            qCDebug(lcDemo) << "client went away; stopping the stream";
            endStream(false);
        }
        deleteLater();
    });
}

DemoConnection::~DemoConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
    if (m_streaming) {
        m_streaming = false;
        m_server->streamEndedInternal(false);
    }
}

void DemoConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    // One request at a time: the next one (keep-alive) waits until this reply ends.
    while (!m_streaming && m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (m_buffer.size() > kMaxHeaderBytes) {
                m_closeAfterResponse = true;
                writeJson(431, errorObject(u"Request headers too large."_s, u"invalid_request_error"_s));
            }
            return;
        }
        const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        qsizetype contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                contentLength = value.toLongLong();
            else if (name == "connection" && value.toLower() == "close")
                m_closeAfterResponse = true;
        }
        if (contentLength < 0 || contentLength > kMaxBodyBytes) {
            m_closeAfterResponse = true;
            writeJson(413, errorObject(u"Request body too large."_s, u"invalid_request_error"_s));
            return;
        }
        const qsizetype total = headerEnd + 4 + contentLength;
        if (m_buffer.size() < total)
            return;
        const QByteArray body = m_buffer.mid(headerEnd + 4, contentLength);
        m_buffer.remove(0, total);
        handleRequest(requestLine.value(0), requestLine.value(1), body);
    }
}

void DemoConnection::handleRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    QByteArray path = target.left(target.indexOf('?') >= 0 ? target.indexOf('?') : target.size());
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    if (path.startsWith("/v1/"))
        path = path.mid(3);
    qCDebug(lcDemo) << method << target;

    if (path == "/models") {
        if (method != "GET") {
            writeJson(405, errorObject(u"Use GET for /models."_s, u"invalid_request_error"_s));
            return;
        }
        const QJsonObject model{{u"id"_s, DemoServer::modelId()},
                                {u"object"_s, u"model"_s},
                                {u"created"_s, 1735689600},
                                {u"owned_by"_s, u"sluice"_s}};
        writeJson(200, QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, QJsonArray{model}}});
        return;
    }
    if (path == "/chat/completions") {
        if (method != "POST") {
            writeJson(405, errorObject(u"Use POST for /chat/completions."_s, u"invalid_request_error"_s));
            return;
        }
        handleChat(body);
        return;
    }
    writeJson(404, errorObject(u"The demo endpoint knows only /v1/chat/completions and /v1/models."_s,
                               u"invalid_request_error"_s));
}

void DemoConnection::handleChat(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (!document.isObject()) {
        writeJson(400, errorObject(u"The request body is not a JSON object."_s, u"invalid_request_error"_s));
        return;
    }
    const QJsonObject request = document.object();
    const QJsonArray messages = request.value(u"messages"_s).toArray();
    if (messages.isEmpty()) {
        writeJson(400, errorObject(u"'messages' must be a non-empty array."_s, u"invalid_request_error"_s));
        return;
    }
    QString prompt;
    qint64 promptChars = 0;
    for (const QJsonValue &value : messages) {
        const QJsonObject message = value.toObject();
        const QString text = contentText(message.value(u"content"_s));
        promptChars += text.size() + 16; // a few tokens of framing per message
        if (message.value(u"role"_s).toString() == u"user")
            prompt = text;
    }
    const int index = m_server->nextAnswer(prompt);
    const DemoServer::Answer &answer = DemoServer::answers().at(index);

    m_model = request.value(u"model"_s).toString(DemoServer::modelId());
    if (m_model.isEmpty())
        m_model = DemoServer::modelId();
    m_id = u"chatcmpl-demo-%1"_s.arg(++m_server->m_replyCounter);
    m_created = QDateTime::currentSecsSinceEpoch();
    std::optional<int> maxTokens;
    for (const QString &key : {u"max_completion_tokens"_s, u"max_tokens"_s}) {
        const QJsonValue v = request.value(key);
        if (v.isDouble() && v.toInt() > 0)
            maxTokens = v.toInt();
    }
    const bool includeUsage = request.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    const qint64 promptTokens = std::max<qint64>(1, promptChars / 4);

    if (!request.value(u"stream"_s).toBool()) {
        // Not asked to stream: the whole answer at once.
        const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, answer.content}};
        const qint64 completion = DemoServer::tokenize(answer.content).size();
        writeJson(200, QJsonObject{
                           {u"id"_s, m_id},
                           {u"object"_s, u"chat.completion"_s},
                           {u"created"_s, m_created},
                           {u"model"_s, m_model},
                           {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                                 {u"message"_s, message},
                                                                 {u"finish_reason"_s, u"stop"_s}}}},
                           {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, promptTokens},
                                                    {u"completion_tokens"_s, completion},
                                                    {u"total_tokens"_s, promptTokens + completion}}}});
        return;
    }

    QByteArray head = "HTTP/1.1 200 OK\r\n"
                      "Content-Type: text/event-stream; charset=utf-8\r\n"
                      "Cache-Control: no-cache\r\n"
                      "Transfer-Encoding: chunked\r\n"
                      "X-Sluice-Demo-Answer: "
        + answer.name.toLatin1() + "\r\n";
    head += m_closeAfterResponse ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    m_socket->write(head);
    planStream(answer, includeUsage, maxTokens, promptTokens);
    m_streaming = true;
    m_server->streamStartedInternal(answer.name);
    m_timer.start(int(std::lround(m_steps.value(0).delayMs)));
}

QJsonObject DemoConnection::chunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    return QJsonObject{{u"id"_s, m_id},
                       {u"object"_s, u"chat.completion.chunk"_s},
                       {u"created"_s, m_created},
                       {u"model"_s, m_model},
                       {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                             {u"delta"_s, delta},
                                                             {u"finish_reason"_s, finishReason}}}}};
}

void DemoConnection::planStream(const DemoServer::Answer &answer, bool includeUsage, std::optional<int> maxTokens,
                                qint64 promptTokens)
{
    m_steps.clear();
    m_next = 0;
    const double speed = m_server->speedFactor();
    const double tokensPerSecond = uniform(30, 60);
    const double meanGapMs = 1000.0 / tokensPerSecond;
    auto gap = [&](const QString &token) {
        const double roll = QRandomGenerator::global()->generateDouble();
        double ms = meanGapMs * uniform(0.45, 1.55);
        if (roll < 0.08)
            ms = 0; // arrives in the same network read as the previous token
        else if (roll > 0.994)
            ms += uniform(150, 350); // a hiccup on the way
        if (token.contains(u"\n\n"_s))
            ms += uniform(40, 140); // a breath between paragraphs
        return ms / speed;
    };

    int budget = maxTokens.value_or(std::numeric_limits<int>::max());
    qint64 reasoningTokens = 0;
    qint64 completionTokens = 0;
    double firstDelay = uniform(260, 420) / speed; // "thinking" before the first token
    bool first = true;
    auto add = [&](const QString &field, const QString &token) {
        QJsonObject delta{{field, token}};
        if (first)
            delta.insert(u"role"_s, u"assistant"_s);
        m_steps.append({sseEvent(chunk(delta)), first ? firstDelay : gap(token)});
        first = false;
    };

    const QStringList thinking = DemoServer::tokenize(answer.thinking);
    for (const QString &token : thinking) {
        if (budget <= 0)
            break;
        add(u"reasoning_content"_s, token);
        ++reasoningTokens;
        --budget;
    }
    bool afterThinking = !thinking.isEmpty();
    const QStringList content = DemoServer::tokenize(answer.content);
    for (const QString &token : content) {
        if (budget <= 0)
            break;
        add(u"content"_s, token);
        if (afterThinking) {
            m_steps.last().delayMs += uniform(150, 300) / speed;
            afterThinking = false;
        }
        ++completionTokens;
        --budget;
    }
    const bool cut = budget <= 0 && completionTokens < content.size();
    m_steps.append({sseEvent(chunk(QJsonObject(), cut ? u"length"_s : u"stop"_s)), 15 / speed});
    if (includeUsage) {
        const qint64 completion = completionTokens + reasoningTokens;
        QJsonObject usage{{u"prompt_tokens"_s, promptTokens},
                          {u"completion_tokens"_s, completion},
                          {u"total_tokens"_s, promptTokens + completion}};
        if (reasoningTokens > 0)
            usage.insert(u"completion_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, reasoningTokens}});
        QJsonObject last{{u"id"_s, m_id},
                         {u"object"_s, u"chat.completion.chunk"_s},
                         {u"created"_s, m_created},
                         {u"model"_s, m_model},
                         {u"choices"_s, QJsonArray()},
                         {u"usage"_s, usage}};
        m_steps.append({sseEvent(last), 0});
    }
    m_steps.append({QByteArray("data: [DONE]\n\n"), 0});
}

void DemoConnection::writeNextSteps()
{
    if (!m_streaming || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        if (m_streaming)
            endStream(false);
        return;
    }
    // Everything due now goes out in one write, as it would over a real network.
    QByteArray out;
    do {
        out += m_steps.at(m_next++).event;
    } while (m_next < m_steps.size() && m_steps.at(m_next).delayMs < 1.0);
    m_socket->write(chunked(out));
    if (m_next < m_steps.size()) {
        m_timer.start(int(std::lround(m_steps.at(m_next).delayMs)));
        return;
    }
    m_socket->write("0\r\n\r\n");
    endStream(true);
}

void DemoConnection::endStream(bool completed)
{
    m_timer.stop();
    m_steps.clear();
    m_next = 0;
    if (!m_streaming)
        return;
    m_streaming = false;
    m_server->streamEndedInternal(completed);
    if (!completed || !m_socket)
        return;
    if (m_closeAfterResponse) {
        m_socket->disconnectFromHost();
        return;
    }
    // Keep-alive: a request that arrived meanwhile is served now.
    if (!m_buffer.isEmpty())
        QTimer::singleShot(0, this, [this] { onReadyRead(); });
}

void DemoConnection::writeResponse(int status, const QByteArray &contentType, const QByteArray &body)
{
    if (!m_socket)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status).toLatin1() + "\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += m_closeAfterResponse ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    m_socket->write(head + body);
    if (m_closeAfterResponse)
        m_socket->disconnectFromHost();
}

void DemoConnection::writeJson(int status, const QJsonObject &object)
{
    writeResponse(status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact));
}
