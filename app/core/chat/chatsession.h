#pragma once

#include "chat/message.h"
#include "chat/transcriptmodel.h"
#include "metrics/pricing.h"
#include "metrics/streammetrics.h"
#include "net/chatclient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class HistoryStore;
class QNetworkAccessManager;

// One conversation: its transcript, its client, its place in the history.
// Several sessions can stream at once (a background chat keeps streaming
// while the user reads another); each has its own ChatClient, so twenty of
// them can stream from one plain-http server at once (see StreamNetworkAccess).
//
//     ChatSession session(&nam, &store);
//     session.setEndpoint(baseUrl, key);
//     session.load(conversationId);          // or start a new one
//     view->setModel(session.model());
//     session.send(u"Hello"_s);              // Stop: session.stop()
//
// The user message is stored before the request goes out; the streaming reply
// is checkpointed at most every 500 ms (off the token path) and once at the end.
class ChatSession : public QObject
{
    Q_OBJECT
public:
    explicit ChatSession(QNetworkAccessManager *nam, HistoryStore *store = nullptr, QObject *parent = nullptr);
    ~ChatSession() override;

    TranscriptModel *model() { return &m_model; }
    ChatClient *client() { return &m_client; }
    const Conversation &conversation() const { return m_conversation; }
    qint64 conversationId() const { return m_conversation.id; }

    // Loads a stored conversation: its settings and the latest `window` messages.
    bool load(qint64 conversationId, int window = 200);
    // Loads `count` older messages (scrolling up); returns how many came.
    int loadOlder(int count = 200);
    bool hasOlder() const { return m_olderAvailable > 0; }
    // A new, empty conversation (stored on the first send()).
    void startNew();

    void setEndpoint(const QUrl &baseUrl, const QString &apiKey);
    QUrl baseUrl() const { return m_baseUrl; }
    void setApiKey(const QString &apiKey) { m_apiKey = apiKey; }
    void setModel(const QString &model);
    void setSystemPrompt(const QString &prompt);
    void setTemperature(std::optional<double> temperature);
    void setMaxTokens(std::optional<int> maxTokens);
    void setClientOptions(const ChatClient::Options &options) { m_client.setOptions(options); }
    void setPricing(const Pricing &pricing) { m_pricing = pricing; }
    void setCheckpointInterval(int ms) { m_checkpointTimer.setInterval(ms); }

    bool isStreaming() const { return m_client.isRunning(); }
    int streamingRow() const { return m_streamingRow; }
    // Live figures of the reply being streamed (or the last one).
    StreamMetrics::Snapshot metricsSnapshot() const;
    QList<double> rateSeries(qint64 windowNs = 250'000'000) const;
    std::optional<double> costOf(const StreamMetrics::Snapshot &snapshot) const;

    // The messages sent with the next request (system prompt + history).
    QList<ChatMessage> requestMessages() const;

public Q_SLOTS:
    bool send(const QString &text);
    void stop();
    // Sends the conversation again from the reply at `row` (an assistant row):
    // that reply and everything after it are replaced.
    bool retry(int row);
    bool regenerate(); // retry() of the last assistant reply
    // Replaces the user message at `row`, drops everything after it, sends again.
    bool editAndResend(int row, const QString &text);

Q_SIGNALS:
    void streamingChanged(bool streaming);
    void conversationChanged();            // created, titled, settings changed
    void replyStarted(int row);
    void replyFinished(const ChatResult &result);
    // A plain sentence for the error banner (never reply text).
    void errorOccurred(const QString &message);
    void retryScheduled(int attempt, int delayMs, const QString &reason);

private:
    bool ensureStored();
    void startReply();
    void onDelta(const StreamDelta &delta);
    void onFinished(const ChatResult &result);
    void checkpoint();
    void storeConversationSettings();
    qint64 nowNs() const;

    QNetworkAccessManager *m_nam;
    QPointer<HistoryStore> m_store;
    TranscriptModel m_model;
    ChatClient m_client;
    Conversation m_conversation;
    Pricing m_pricing = Pricing::defaults();
    QUrl m_baseUrl;
    QString m_apiKey;
    QTimer m_checkpointTimer;
    int m_streamingRow = -1;
    int m_olderAvailable = 0;
    qint64 m_requestChars = 0; // size of the last request's messages, for the cost estimate
    bool m_dirtySinceCheckpoint = false;
};
