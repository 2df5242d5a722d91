#include "chatsession.h"

#include "store/historystore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcChat, "sluice.chat", QtInfoMsg) // debug output: QT_LOGGING_RULES="sluice.chat.debug=true"

namespace {

QElapsedTimer &monotonic()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer;
}

QString titleFrom(const QString &text)
{
    QString line = text.simplified();
    if (line.size() > 60)
        line = line.left(57).trimmed() + u'…';
    return line;
}

Message::State stateFor(ChatResult::Status status)
{
    switch (status) {
    case ChatResult::Status::Completed:
        return Message::State::Completed;
    case ChatResult::Status::Stopped:
        return Message::State::Stopped;
    case ChatResult::Status::Truncated:
        return Message::State::Truncated;
    case ChatResult::Status::HttpError:
    case ChatResult::Status::NetworkError:
    case ChatResult::Status::Timeout:
    case ChatResult::Status::ProtocolError:
        break;
    }
    return Message::State::Failed;
}

MessageMetrics frozen(const StreamMetrics::Snapshot &s)
{
    MessageMetrics m;
    m.ttftMs = s.ttftMs;
    m.elapsedMs = s.elapsedMs;
    m.tokens = s.tokens;
    m.tokenSource = s.tokenSourceName();
    m.tokensPerSecond = s.tokensPerSecond;
    m.gapP50Ms = s.gapP50Ms;
    m.gapP99Ms = s.gapP99Ms;
    m.bytes = s.bytes;
    m.retries = s.retries;
    m.malformedEvents = s.malformedEvents;
    return m;
}

} // namespace

ChatSession::ChatSession(QNetworkAccessManager *nam, HistoryStore *store, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_store(store)
    , m_client(nam)
{
    m_client.setClock([] { return monotonic().nsecsElapsed(); });
    // Precise: a coarse timer may fire up to 5 % late, and the interval is a
    // promise (what is on screen is in the file at most this long later).
    m_checkpointTimer.setTimerType(Qt::PreciseTimer);
    m_checkpointTimer.setInterval(500);
    connect(&m_checkpointTimer, &QTimer::timeout, this, &ChatSession::checkpoint);
    connect(&m_client, &ChatClient::deltaReceived, this, &ChatSession::onDelta);
    connect(&m_client, &ChatClient::finished, this, &ChatSession::onFinished);
    connect(&m_client, &ChatClient::retryScheduled, this, &ChatSession::retryScheduled);
}

ChatSession::~ChatSession()
{
    // Closing a window while a reply streams: keep what arrived, as Stopped.
    if (m_client.isRunning())
        m_client.cancel();
}

qint64 ChatSession::nowNs() const
{
    return monotonic().nsecsElapsed();
}

void ChatSession::startNew()
{
    stop();
    const Conversation previous = m_conversation;
    m_conversation = Conversation();
    m_conversation.model = previous.model;
    m_conversation.systemPrompt = previous.systemPrompt;
    m_conversation.temperature = previous.temperature;
    m_conversation.maxTokens = previous.maxTokens;
    m_conversation.endpoint = m_baseUrl.toString();
    m_olderAvailable = 0;
    m_model.clear();
    Q_EMIT conversationChanged();
}

bool ChatSession::load(qint64 conversationId, int window)
{
    if (!m_store)
        return false;
    const auto conversation = m_store->conversation(conversationId);
    if (!conversation)
        return false;
    stop();
    m_conversation = *conversation;
    const int total = m_store->messageCount(conversationId);
    m_model.setMessages(m_store->messages(conversationId, window));
    m_olderAvailable = std::max(0, total - int(m_model.rowCount()));
    Q_EMIT conversationChanged();
    return true;
}

int ChatSession::loadOlder(int count)
{
    if (!m_store || m_olderAvailable <= 0 || m_conversation.id < 0)
        return 0;
    const int have = m_model.rowCount();
    QList<Message> older = m_store->messages(m_conversation.id, count, have);
    if (m_streamingRow >= 0)
        m_streamingRow += int(older.size());
    m_olderAvailable = std::max(0, m_olderAvailable - int(older.size()));
    m_model.prependMessages(older);
    return int(older.size());
}

void ChatSession::setEndpoint(const QUrl &baseUrl, const QString &apiKey)
{
    m_baseUrl = baseUrl;
    m_apiKey = apiKey;
    m_conversation.endpoint = baseUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

void ChatSession::setModel(const QString &model)
{
    if (m_conversation.model == model)
        return;
    m_conversation.model = model;
    storeConversationSettings();
}

void ChatSession::setSystemPrompt(const QString &prompt)
{
    if (m_conversation.systemPrompt == prompt)
        return;
    m_conversation.systemPrompt = prompt;
    storeConversationSettings();
}

void ChatSession::setTemperature(std::optional<double> temperature)
{
    m_conversation.temperature = temperature;
    storeConversationSettings();
}

void ChatSession::setMaxTokens(std::optional<int> maxTokens)
{
    m_conversation.maxTokens = maxTokens;
    storeConversationSettings();
}

void ChatSession::storeConversationSettings()
{
    if (m_store && m_conversation.id >= 0)
        m_store->updateConversation(m_conversation);
}

StreamMetrics::Snapshot ChatSession::metricsSnapshot() const
{
    return m_client.metrics().snapshot(nowNs());
}

QList<double> ChatSession::rateSeries(qint64 windowNs) const
{
    return m_client.metrics().rateSeries(windowNs);
}

std::optional<double> ChatSession::costOf(const StreamMetrics::Snapshot &s) const
{
    // No usage from the server: estimate ~4 characters a token of what was sent.
    const qint64 prompt = s.promptTokens >= 0 ? s.promptTokens : m_requestChars / 4;
    return m_pricing.cost(m_conversation.model, prompt, s.tokens);
}

QList<ChatMessage> ChatSession::requestMessages() const
{
    QList<ChatMessage> out;
    if (!m_conversation.systemPrompt.trimmed().isEmpty())
        out.append({ChatMessage::Role::System, m_conversation.systemPrompt});
    // Lazy loading keeps only the latest window in the model: the request
    // still carries the whole conversation.
    QList<Message> history = m_model.messages();
    if (m_olderAvailable > 0 && m_store && m_conversation.id >= 0)
        history = m_store->messages(m_conversation.id);
    for (const Message &m : std::as_const(history)) {
        if (m.state == Message::State::Streaming)
            continue;
        // Partial replies (stopped, truncated) are context too; empty failed ones are not.
        // Reasoning is kept in the history but never sent back.
        if (m.role == ChatMessage::Role::Assistant && m.content.isEmpty())
            continue;
        out.append({m.role, m.content});
    }
    return out;
}

bool ChatSession::ensureStored()
{
    if (!m_store || m_conversation.id >= 0)
        return true;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_conversation.created = now;
    m_conversation.updated = now;
    const qint64 id = m_store->createConversation(m_conversation);
    if (id < 0)
        return false; // the store reported it; keep chatting for this session
    m_conversation.id = id;
    return true;
}

bool ChatSession::send(const QString &text)
{
    if (isStreaming() || text.trimmed().isEmpty())
        return false;
    if (m_conversation.title.isEmpty())
        m_conversation.title = titleFrom(text);
    ensureStored();

    Message user;
    user.conversationId = m_conversation.id;
    user.role = ChatMessage::Role::User;
    user.content = text;
    user.created = user.updated = QDateTime::currentDateTimeUtc();
    if (m_store && m_conversation.id >= 0)
        m_store->addMessage(user); // committed before the request goes out
    m_model.appendMessage(user);
    Q_EMIT conversationChanged();
    startReply();
    return true;
}

void ChatSession::startReply()
{
    ChatRequest request;
    request.baseUrl = m_baseUrl;
    request.apiKey = m_apiKey;
    request.model = m_conversation.model;
    request.messages = requestMessages();
    // Measured once here: costOf() runs for every metrics refresh.
    m_requestChars = 0;
    for (const ChatMessage &m : std::as_const(request.messages))
        m_requestChars += m.content.size();
    request.temperature = m_conversation.temperature;
    request.maxTokens = m_conversation.maxTokens;

    Message reply;
    reply.conversationId = m_conversation.id;
    reply.role = ChatMessage::Role::Assistant;
    reply.state = Message::State::Streaming;
    reply.model = m_conversation.model;
    reply.created = reply.updated = QDateTime::currentDateTimeUtc();
    if (m_store && m_conversation.id >= 0)
        m_store->addMessage(reply);
    m_streamingRow = m_model.appendMessage(reply);
    m_dirtySinceCheckpoint = false;
    m_checkpointTimer.start();

    Q_EMIT streamingChanged(true);
    Q_EMIT replyStarted(m_streamingRow);
    m_client.start(request);
}

void ChatSession::stop()
{
    if (m_client.isRunning())
        m_client.cancel();
}

bool ChatSession::retry(int row)
{
    if (isStreaming() || row < 0 || row >= m_model.rowCount())
        return false;
    const Message &m = m_model.message(row);
    if (m.role != ChatMessage::Role::Assistant)
        return false;
    if (m_store && m.id >= 0)
        m_store->deleteMessagesFrom(m_conversation.id, m.id);
    m_model.removeFrom(row);
    startReply();
    return true;
}

bool ChatSession::regenerate()
{
    for (int row = m_model.rowCount() - 1; row >= 0; --row) {
        if (m_model.message(row).role == ChatMessage::Role::Assistant)
            return retry(row);
    }
    return false;
}

bool ChatSession::editAndResend(int row, const QString &text)
{
    if (isStreaming() || row < 0 || row >= m_model.rowCount() || text.trimmed().isEmpty())
        return false;
    Message user = m_model.message(row);
    if (user.role != ChatMessage::Role::User)
        return false;
    if (row + 1 < m_model.rowCount()) {
        const Message &next = m_model.message(row + 1);
        if (m_store && next.id >= 0)
            m_store->deleteMessagesFrom(m_conversation.id, next.id);
        m_model.removeFrom(row + 1);
    }
    user.content = text;
    user.updated = QDateTime::currentDateTimeUtc();
    if (m_store && user.id >= 0)
        m_store->updateMessage(user);
    m_model.updateMessage(row, user);
    startReply();
    return true;
}

void ChatSession::onDelta(const StreamDelta &delta)
{
    if (m_streamingRow < 0)
        return;
    if (!delta.reasoning.isEmpty())
        m_model.appendReasoning(m_streamingRow, delta.reasoning);
    if (!delta.content.isEmpty())
        m_model.appendContent(m_streamingRow, delta.content);
    if (!delta.refusal.isEmpty())
        m_model.appendContent(m_streamingRow, delta.refusal);
    m_dirtySinceCheckpoint = m_dirtySinceCheckpoint || delta.hasText();
}

void ChatSession::checkpoint()
{
    if (!m_dirtySinceCheckpoint || m_streamingRow < 0 || !m_store)
        return;
    m_dirtySinceCheckpoint = false;
    Message m = m_model.message(m_streamingRow);
    if (m.id < 0)
        return; // it could not be stored (the store said why once); do not fail every 500 ms
    m.updated = QDateTime::currentDateTimeUtc();
    m_store->updateMessage(m);
}

void ChatSession::onFinished(const ChatResult &result)
{
    m_checkpointTimer.stop();
    const int row = m_streamingRow;
    m_streamingRow = -1;
    if (row < 0 || row >= m_model.rowCount())
        return;
    m_model.flush();

    const StreamMetrics::Snapshot snapshot = m_client.metrics().snapshot(nowNs());
    Message m = m_model.message(row);
    m.state = stateFor(result.status);
    m.errorText = result.isSuccess() ? QString() : result.message;
    m.finishReason = result.finishReason;
    m.metrics = frozen(snapshot);
    m.usage.completionTokens = snapshot.tokenSource == StreamMetrics::TokenSource::Usage ? snapshot.tokens : -1;
    m.usage.promptTokens = snapshot.promptTokens;
    m.usage.reasoningTokens = snapshot.reasoningTokens;
    // A request the server refused or never answered cost nothing.
    m.costUsd = snapshot.tokens > 0 || snapshot.promptTokens >= 0 ? costOf(snapshot) : std::nullopt;
    m.updated = QDateTime::currentDateTimeUtc();
    m_model.updateMessage(row, m);
    if (m_store && m.id >= 0) {
        m_store->updateMessage(m);
        m_conversation.updated = m.updated;
        m_store->updateConversation(m_conversation);
    }
    qCDebug(lcChat) << "reply ended:" << ChatResult::statusName(result.status) << "tokens" << snapshot.tokens;

    Q_EMIT streamingChanged(false);
    Q_EMIT replyFinished(result);
    if (result.status != ChatResult::Status::Completed && result.status != ChatResult::Status::Stopped)
        Q_EMIT errorOccurred(result.message);
}
