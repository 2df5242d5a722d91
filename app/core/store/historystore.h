#pragma once

#include "chat/message.h"

#include <QList>
#include <QObject>
#include <QString>

#include <optional>

// Every conversation and message, in one SQLite file (Qt SQL, QSQLITE).
//
//     HistoryStore store;
//     if (!store.open(path)) showBanner(store.lastError());   // the app keeps working
//     qint64 c = store.createConversation(conv);
//     store.addMessage(userMessage);                          // before the request is sent
//     store.addMessage(assistantMessage /* state Streaming */);
//     store.updateMessage(assistantMessage);                  // checkpoints and the final state
//
// WAL journal, a schema version in PRAGMA user_version with step-wise
// migrations (the file is copied aside before migrating), transactions around
// multi-row writes, prepared statements only, FTS5 over message text.
// Synchronous and cheap enough for the GUI thread (the chat layer calls it at
// most every 500 ms while streaming). Every failing call returns false / -1 /
// nullopt, sets lastError() to a plain sentence and emits errorOccurred().
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 1; // raise with each migration step

    struct ConversationSummary
    {
        qint64 id = -1;
        QString title;
        QDateTime updated;
        QString model;
        int messageCount = 0;
    };

    struct SearchHit
    {
        qint64 conversationId = -1;
        qint64 messageId = -1;
        QString conversationTitle;
        QString snippet;          // with the matched terms between \x02 and \x03 markers
        QDateTime updated;
    };

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override;

    // Opens (creating or migrating) the database. Default path:
    // QStandardPaths::AppDataLocation/history.sqlite3.
    bool open(const QString &path = QString());
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }
    static QString defaultPath();

    // On start: every message still marked Streaming was cut off by a crash or
    // kill; mark it Interrupted. Returns how many were.
    int markInterrupted();

    // Conversations
    qint64 createConversation(const Conversation &conversation); // returns id or -1
    bool updateConversation(const Conversation &conversation);
    bool renameConversation(qint64 id, const QString &title);
    bool deleteConversation(qint64 id);
    std::optional<Conversation> conversation(qint64 id) const;
    // Newest first. `limit` < 0 means all.
    QList<ConversationSummary> conversations(int limit = -1, int offset = 0) const;
    int conversationCount() const;

    // Messages
    qint64 addMessage(Message &message);          // sets message.id; returns it or -1
    bool updateMessage(const Message &message);   // content, reasoning, state, error, usage, metrics
    bool deleteMessagesFrom(qint64 conversationId, qint64 firstMessageId); // that message and all later ones
    // In order. A window of the latest `limit` messages when limit >= 0
    // (for opening large conversations: show the end first).
    QList<Message> messages(qint64 conversationId, int limit = -1, int offsetFromEnd = 0) const;
    int messageCount(qint64 conversationId) const;

    // Full-text search over message content (FTS5 query syntax is escaped:
    // the user's words are matched as prefixes, all must occur).
    QList<SearchHit> search(const QString &text, int limit = 50) const;

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    bool migrate();
    bool fail(const QString &message, const QString &detail) const;

    QString m_connectionName;
    QString m_path;
    mutable QString m_lastError;
};
