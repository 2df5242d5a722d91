#pragma once

#include "chat/message.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <optional>

class QSqlError;
class QSqlQuery;

// Every conversation and message, in one SQLite file (Qt SQL, QSQLITE).
//
//     HistoryStore store;
//     if (!store.open(path)) showBanner(store.lastError());   // the app keeps working
//     store.markInterrupted();                                // once, on start
//     qint64 c = store.createConversation(conv);
//     store.addMessage(userMessage);                          // before the request is sent
//     store.addMessage(assistantMessage /* state Streaming */);
//     store.updateMessage(assistantMessage);                  // checkpoints and the final state
//
// WAL journal, a schema version in PRAGMA user_version with step-wise
// migrations (HistorySchema; the file is copied to <file>.bak-v<old> before
// migrating, and a failed migration leaves the file as it was), transactions
// around multi-row writes, prepared statements only, FTS5 over message text.
// Synchronous and cheap enough for the GUI thread (the chat layer calls it at
// most every 500 ms while streaming); one instance per thread, each with its
// own named connection. Every failing call returns false / -1 / nullopt / an
// empty list, sets lastError() to a plain sentence (and lastErrorKind()) and
// emits errorOccurred(); the store stays usable, so a locked or full disk
// only costs the writes that failed.
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 3; // == HistorySchema::latestVersion(); raise with each step

    enum class OpenMode {
        ReadWrite, // creates and migrates the file as needed
        ReadOnly,  // never writes (no migration, no WAL switch); every write fails with ErrorKind::ReadOnly
    };

    enum class ErrorKind {
        None,
        Locked,        // another connection holds the write lock longer than busyTimeout()
        ReadOnly,      // file, folder or OpenMode does not allow writing
        DiskFull,
        Corrupt,       // not a database, or a damaged one
        NewerSchema,   // written by a newer Sluice: nothing was opened
        CannotOpen,
        NotFound,      // the conversation or message does not exist (any more)
        Other,
    };

    struct ConversationSummary
    {
        qint64 id = -1;
        QString title;
        QDateTime created;
        QDateTime updated;
        QString model;
        int messageCount = 0;
    };

    struct SearchHit
    {
        qint64 conversationId = -1;
        qint64 messageId = -1;    // -1: the conversation's title matched
        QString conversationTitle;
        QString snippet;          // one line, matched terms between \x02 and \x03 markers
        QDateTime updated;        // of the message (of the conversation for a title hit)
    };

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override;

    // Opens (creating or migrating) the database. Default path:
    // QStandardPaths::AppDataLocation/history.sqlite3 (the folder is created).
    // False with lastError() when the file cannot be used; then nothing is open.
    bool open(const QString &path = QString(), OpenMode mode = OpenMode::ReadWrite);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }
    ErrorKind lastErrorKind() const { return m_lastErrorKind; }
    static QString defaultPath();

    // The copy made before the last migration ("<file>.bak-v<old version>"),
    // empty when open() did not migrate an existing database.
    QString backupPath() const { return m_backupPath; }
    // How long a write waits for another connection's lock (default 1000 ms).
    // Set before open().
    void setBusyTimeout(int milliseconds) { m_busyTimeoutMs = milliseconds; }
    int busyTimeout() const { return m_busyTimeoutMs; }
    // The Qt SQL connection name (unique per instance), for tests and diagnostics.
    QString connectionName() const { return m_connectionName; }

    // On start: every message still marked Streaming was cut off by a crash or
    // kill; mark it Interrupted. Returns how many were, -1 on error.
    int markInterrupted();

    // Conversations. created/updated: the given times, or now when invalid.
    qint64 createConversation(const Conversation &conversation); // returns id or -1
    // Everything but id and created; `updated` only moves forward (a copy
    // loaded before messages were added cannot move it back).
    bool updateConversation(const Conversation &conversation);
    bool renameConversation(qint64 id, const QString &title);     // keeps `updated` (the list order)
    bool deleteConversation(qint64 id);                          // with its messages
    std::optional<Conversation> conversation(qint64 id) const;
    // Newest (by updated) first, with message counts. `limit` < 0 means all.
    QList<ConversationSummary> conversations(int limit = -1, int offset = 0) const;
    int conversationCount() const;
    // Free-form per-conversation settings (a JSON object: top_p, stop, ...).
    // Never a secret: members that look like one (api_key, Authorization,
    // a URL with user info or query, ...; see ConversationSettings) are
    // dropped on the way in and on the way out.
    std::optional<QJsonObject> conversationSettings(qint64 id) const;
    bool setConversationSettings(qint64 id, const QJsonObject &settings);

    // Messages. Adding or updating a message moves its conversation's
    // `updated` forward to the message's time.
    qint64 addMessage(Message &message);          // appends; sets message.id; returns it or -1
    // content, reasoning, model, state, finish reason, error, usage, metrics,
    // cost, updated (the given time, or now when invalid)
    bool updateMessage(const Message &message);
    bool deleteMessagesFrom(qint64 conversationId, qint64 firstMessageId); // that message and all later ones
    // In order. A window of the latest `limit` messages when limit >= 0,
    // skipping the `offsetFromEnd` newest (for opening large conversations:
    // show the end first, page backwards).
    QList<Message> messages(qint64 conversationId, int limit = -1, int offsetFromEnd = 0) const;
    int messageCount(qint64 conversationId) const;

    // A whole conversation in one transaction, with new ids (export/import).
    // Times are kept; a message still marked Streaming becomes Interrupted.
    qint64 importConversation(const Conversation &conversation, const QList<Message> &messages,
                              const QJsonObject &settings = {});

    // Search. Every word the user typed must occur (FTS5 syntax is escaped:
    // each word is a quoted prefix term). Words in scripts written without
    // spaces (Chinese, Japanese, Thai, ...) match as substrings instead.
    // Conversation titles containing every word come first, newest (by
    // `updated`) first; then messages, newest (by the message's `updated`)
    // first, whatever order they were written in (an imported conversation
    // keeps its place in time).
    QList<SearchHit> search(const QString &text, int limit = 50) const;

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    class Write; // checkOpen() + BEGIN IMMEDIATE; rolls back unless committed (historystore.cpp)

    bool openConnection(OpenMode mode);
    bool migrate();
    bool backup(int fromVersion);
    bool pragma(const QString &statement, const QString &action, QVariant *result = nullptr);
    qint64 insertConversation(const Conversation &conversation, const QJsonObject &settings,
                              const QString &action);
    bool checkOpen(const QString &action) const;
    // Prepares `sql`, binds `values` in order and runs it (forward only).
    bool run(QSqlQuery &q, const QString &sql, const QVariantList &values, const QString &action) const;
    bool notFound(const QString &action, bool message = false) const;
    bool fail(const QString &action, const QSqlError &error) const;
    bool fail(ErrorKind kind, const QString &message) const;
    void clearError() const;

    QString m_connectionName;
    QSqlDatabase m_db;           // reset before QSqlDatabase::removeDatabase()
    QString m_path;
    QString m_backupPath;
    int m_busyTimeoutMs = 1000;
    mutable QString m_lastError;
    mutable ErrorKind m_lastErrorKind = ErrorKind::None;
};
