#include "historystore.h"

#include "conversationsettings.h"
#include "historyschema.h"
#include "historysearch.h"
#include "historysql.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <atomic>
#include <limits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStore, "sluice.store")

using namespace HistorySql;

namespace {

std::atomic<quint64> connectionCounter{0};

QString settingsJson(const QJsonObject &settings)
{
    QStringList dropped;
    const QJsonObject safe = ConversationSettings::withoutSecrets(settings, &dropped);
    if (!dropped.isEmpty())
        qCWarning(lcStore) << "conversation settings that look like credentials were not stored:" << dropped;
    return QString::fromUtf8(QJsonDocument(safe).toJson(QJsonDocument::Compact));
}

} // namespace

// The preamble of every multi-row write: the store must be open, and the write
// lock is taken at once (BEGIN IMMEDIATE). Both failures set lastError().
//
//     Write write(*this, action);
//     if (!write)
//         return false;
//     ... statements; on failure fail(action, ...) and return (rolls back) ...
//     return write.commit();  // false with lastError() when COMMIT failed
class HistoryStore::Write
{
public:
    Write(const HistoryStore &store, const QString &action)
        : m_store(store)
        , m_action(action)
        , m_transaction(store.m_db)
    {
        QSqlError error;
        m_began = store.checkOpen(action) && (m_transaction.begin(&error) || store.fail(action, error));
    }
    Write(const Write &) = delete;
    Write &operator=(const Write &) = delete;

    explicit operator bool() const { return m_began; }
    bool commit()
    {
        QSqlError error;
        return m_transaction.commit(&error) || m_store.fail(m_action, error);
    }

private:
    const HistoryStore &m_store;
    QString m_action;
    WriteTransaction m_transaction;
    bool m_began = false;
};

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(HistorySchema::latestVersion() == SchemaVersion);
}

HistoryStore::~HistoryStore()
{
    close();
}

QString HistoryStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    return dir + u"/history.sqlite3"_s;
}

bool HistoryStore::open(const QString &path, OpenMode mode)
{
    close();
    clearError();
    m_path = path.isEmpty() ? defaultPath() : path;
    m_backupPath.clear();

    const QFileInfo info(m_path);
    if (mode == OpenMode::ReadWrite && !QDir().mkpath(info.absolutePath()))
        return fail(ErrorKind::CannotOpen,
                    tr("The folder for the history, %1, cannot be created.")
                        .arg(QDir::toNativeSeparators(info.absolutePath())));
    if (mode == OpenMode::ReadOnly && !info.exists())
        return fail(ErrorKind::CannotOpen, tr("The history file %1 does not exist.")
                                               .arg(QDir::toNativeSeparators(m_path)));

    m_connectionName = u"sluice-history-%1"_s.arg(++connectionCounter);
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    if (!m_db.isValid()) {
        close();
        return fail(ErrorKind::CannotOpen,
                    tr("The history cannot be opened: the SQLite driver of Qt (QSQLITE) is missing."));
    }
    m_db.setDatabaseName(m_path);
    QString options = u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(m_busyTimeoutMs);
    if (mode == OpenMode::ReadOnly)
        options += u";QSQLITE_OPEN_READONLY"_s;
    m_db.setConnectOptions(options);

    if (!m_db.open()) {
        fail(tr("Could not open the history file %1.").arg(QDir::toNativeSeparators(m_path)),
             m_db.lastError());
        close();
        return false;
    }
    if (!openConnection(mode)) {
        close();
        return false;
    }
    qCDebug(lcStore) << "opened" << m_path << (mode == OpenMode::ReadOnly ? "read-only" : "");
    return true;
}

bool HistoryStore::openConnection(OpenMode mode)
{
    const QString action = tr("Could not open the history file %1.").arg(QDir::toNativeSeparators(m_path));
    QVariant version;
    // busy_timeout is set by QSQLITE_BUSY_TIMEOUT too; say it here so it is
    // obvious. The value is ours, never user input.
    if (!pragma(u"PRAGMA busy_timeout = %1"_s.arg(m_busyTimeoutMs), action)
        || !pragma(u"PRAGMA user_version"_s, action, &version)) {
        return false;
    }
    const int fileVersion = version.toInt();
    if (fileVersion > SchemaVersion) {
        return fail(ErrorKind::NewerSchema,
                    tr("The history file %1 was written by a newer version of Sluice (schema %2; "
                       "this version knows up to %3). It was not opened and not changed; update "
                       "Sluice to use it.")
                        .arg(QDir::toNativeSeparators(m_path))
                        .arg(fileVersion)
                        .arg(SchemaVersion));
    }
    if (!pragma(u"PRAGMA foreign_keys = ON"_s, action))
        return false;

    if (mode == OpenMode::ReadOnly) {
        if (fileVersion < SchemaVersion)
            return fail(ErrorKind::ReadOnly,
                        tr("The history file %1 needs an upgrade, which cannot be done while it "
                           "is opened read-only.")
                            .arg(QDir::toNativeSeparators(m_path)));
        return true;
    }

    if (fileVersion < SchemaVersion && !migrate())
        return false;

    // After the migration, so that a failed one leaves the file exactly as it was.
    {
        QSqlQuery q(m_db);
        if (q.exec(u"PRAGMA journal_mode = WAL"_s) && q.next()) {
            const QString journal = q.value(0).toString();
            if (journal.compare(u"wal"_s, Qt::CaseInsensitive) != 0)
                qCWarning(lcStore) << "journal mode is" << journal << "not WAL for" << m_path;
        } else if (kindOf(q.lastError()) == ErrorKind::ReadOnly) {
            // A file we may only read (permissions): reading still works and
            // every write will say why it failed.
            qCWarning(lcStore) << m_path << "is read-only:" << q.lastError().databaseText();
        } else {
            return fail(action, q.lastError());
        }
    }
    return pragma(u"PRAGMA synchronous = NORMAL"_s, action);
}

bool HistoryStore::pragma(const QString &statement, const QString &action, QVariant *result)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(statement))
        return fail(action, q.lastError());
    if (result)
        *result = q.next() ? q.value(0) : QVariant();
    return true;
}

bool HistoryStore::migrate()
{
    const QString action = tr("Could not upgrade the history file %1; it was left as it was.")
                               .arg(QDir::toNativeSeparators(m_path));
    QVariant version;
    QVariant objects;
    if (!pragma(u"PRAGMA user_version"_s, action, &version)
        || !pragma(u"SELECT count(*) FROM sqlite_master"_s, action, &objects))
        return false;
    // A new, empty file has nothing worth a backup.
    if (objects.toInt() > 0 && !backup(version.toInt()))
        return false;

    WriteTransaction transaction(m_db);
    QSqlError error;
    if (!transaction.begin(&error))
        return fail(action, error);
    // Another copy of Sluice may have migrated the file while we waited for the lock.
    if (!pragma(u"PRAGMA user_version"_s, action, &version))
        return false;
    const int from = version.toInt();
    if (from > SchemaVersion)
        return fail(ErrorKind::NewerSchema,
                    tr("The history file %1 was upgraded by a newer version of Sluice meanwhile.")
                        .arg(QDir::toNativeSeparators(m_path)));

    const QList<HistorySchema::Step> &steps = HistorySchema::steps();
    for (int v = from; v < SchemaVersion; ++v) {
        const HistorySchema::Step &step = steps.at(v);
        const QString stepFailed = tr("Could not upgrade the history file %1 from version %2 to "
                                      "%3; it was left as it was.")
                                       .arg(QDir::toNativeSeparators(m_path))
                                       .arg(v)
                                       .arg(step.toVersion);
        if (from == 0)
            qCDebug(lcStore) << "creating" << m_path << "schema" << step.toVersion << "-" << step.summary;
        else
            qCInfo(lcStore) << "migrating" << m_path << "from schema" << v << "to" << step.toVersion
                            << "-" << step.summary;
        for (const QString &sql : step.statements) {
            QSqlQuery q(m_db);
            if (!q.exec(sql)) {
                qCWarning(lcStore) << "migration step" << v << "->" << step.toVersion
                                   << "failed at" << sql.left(80);
                transaction.rollback();
                return fail(stepFailed, q.lastError());
            }
        }
        if (step.fill && !step.fill(m_db, &error)) {
            transaction.rollback();
            return fail(stepFailed, error);
        }
    }
    // PRAGMA takes no bound values; the number is our own constant.
    if (!pragma(u"PRAGMA user_version = %1"_s.arg(SchemaVersion), action))
        return false;
    if (!transaction.commit(&error))
        return fail(action, error);
    return true;
}

bool HistoryStore::backup(int fromVersion)
{
    const QString target = m_path + u".bak-v"_s + QString::number(fromVersion);
    const QString temporary = target + u".tmp"_s;
    const QString action = tr("Could not back up the history file to %1 before upgrading it; "
                              "it was left as it was.")
                               .arg(QDir::toNativeSeparators(target));
    QFile::remove(temporary);
    {
        // A consistent copy through SQLite itself, including what is still in the WAL.
        QSqlQuery q(m_db);
        if (!q.prepare(u"VACUUM INTO ?"_s))
            return fail(action, q.lastError());
        q.addBindValue(temporary);
        if (!q.exec()) {
            const QSqlError error = q.lastError();
            QFile::remove(temporary);
            return fail(action, error);
        }
    }
    if (QFile::exists(target) && !QFile::remove(target)) {
        QFile::remove(temporary);
        return fail(ErrorKind::ReadOnly, action);
    }
    if (!QFile::rename(temporary, target)) {
        QFile::remove(temporary);
        return fail(ErrorKind::Other, action);
    }
    m_backupPath = target;
    qCInfo(lcStore) << "backed up" << m_path << "to" << target;
    return true;
}

void HistoryStore::close()
{
    if (m_connectionName.isEmpty())
        return;
    // Every QSqlQuery lives in a function scope, so none is left here; the
    // last QSqlDatabase handle must go before removeDatabase().
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool HistoryStore::isOpen() const
{
    return m_db.isOpen();
}

void HistoryStore::clearError() const
{
    m_lastError.clear();
    m_lastErrorKind = ErrorKind::None;
}

bool HistoryStore::checkOpen(const QString &action) const
{
    clearError();
    if (isOpen())
        return true;
    return fail(ErrorKind::CannotOpen, action + u' ' + tr("The history file is not open."));
}

bool HistoryStore::fail(const QString &action, const QSqlError &error) const
{
    const ErrorKind kind = kindOf(error);
    const QString detail = error.databaseText().isEmpty() ? error.driverText() : error.databaseText();
    QString cause;
    switch (kind) {
    case ErrorKind::Locked:
        cause = tr("The history file is locked by another program (perhaps another copy of "
                   "Sluice); try again in a moment.");
        break;
    case ErrorKind::ReadOnly:
        cause = tr("The history file is read-only, so nothing can be saved to it.");
        break;
    case ErrorKind::DiskFull:
        cause = tr("The disk is full; free some space and try again.");
        break;
    case ErrorKind::Corrupt:
        cause = tr("The file is damaged or is not a Sluice history file.");
        break;
    case ErrorKind::CannotOpen:
        cause = tr("Check that its folder exists and can be written to.");
        break;
    default:
        cause = isIoError(error) ? tr("The disk could not read or write the file.")
                                 : tr("SQLite reported: %1.").arg(detail);
        break;
    }
    qCWarning(lcStore).noquote() << action << "-" << detail << "(SQLite code"
                                 << error.nativeErrorCode() << ")";
    return fail(kind, action + u' ' + cause);
}

bool HistoryStore::fail(ErrorKind kind, const QString &message) const
{
    m_lastErrorKind = kind;
    m_lastError = message;
    Q_EMIT const_cast<HistoryStore *>(this)->errorOccurred(message);
    return false;
}

bool HistoryStore::run(QSqlQuery &q, const QString &sql, const QVariantList &values,
                       const QString &action) const
{
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return fail(action, q.lastError());
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!q.exec())
        return fail(action, q.lastError());
    return true;
}

bool HistoryStore::notFound(const QString &action, bool message) const
{
    return fail(ErrorKind::NotFound, action + u' '
                    + (message ? tr("The message no longer exists.")
                               : tr("The conversation no longer exists.")));
}

int HistoryStore::markInterrupted()
{
    const QString action = tr("Could not mark the replies cut off last time as interrupted.");
    QSqlQuery q(m_db);
    // The literal 'streaming' lets SQLite use the partial index messages_streaming.
    if (!checkOpen(action)
        || !run(q, u"UPDATE messages SET state = 'interrupted', updated = ? WHERE state = 'streaming'"_s,
                {QDateTime::currentMSecsSinceEpoch()}, action))
        return -1;
    const int count = q.numRowsAffected();
    if (count > 0)
        qCInfo(lcStore) << "marked" << count << "cut-off replies as interrupted";
    return count;
}

// --- Conversations -----------------------------------------------------------

qint64 HistoryStore::insertConversation(const Conversation &c, const QJsonObject &settings,
                                        const QString &action)
{
    const QDateTime created = orNow(c.created);
    QSqlQuery q(m_db);
    if (!run(q, u"INSERT INTO conversations (title, created, updated, endpoint, model, "
                "system_prompt, temperature, max_tokens, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
             {text(c.title), created.toMSecsSinceEpoch(),
              (c.updated.isValid() ? c.updated : created).toMSecsSinceEpoch(), text(c.endpoint),
              text(c.model), text(c.systemPrompt), nullable(c.temperature), nullable(c.maxTokens),
              settingsJson(settings)},
             action))
        return -1;
    return q.lastInsertId().toLongLong();
}

qint64 HistoryStore::createConversation(const Conversation &conversation)
{
    const QString action = tr("Could not save the new conversation.");
    if (!checkOpen(action))
        return -1;
    return insertConversation(conversation, {}, action);
}

bool HistoryStore::updateConversation(const Conversation &c)
{
    const QString action = tr("Could not save the conversation's settings.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"UPDATE conversations SET title = ?, updated = max(updated, ?), endpoint = ?, model = ?, "
                   "system_prompt = ?, temperature = ?, max_tokens = ? WHERE id = ?"_s,
                {text(c.title), orNow(c.updated).toMSecsSinceEpoch(), text(c.endpoint),
                 text(c.model), text(c.systemPrompt), nullable(c.temperature),
                 nullable(c.maxTokens), c.id},
                action))
        return false;
    return q.numRowsAffected() > 0 || notFound(action);
}

bool HistoryStore::renameConversation(qint64 id, const QString &title)
{
    const QString action = tr("Could not rename the conversation.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"UPDATE conversations SET title = ? WHERE id = ?"_s, {text(title), id}, action))
        return false;
    return q.numRowsAffected() > 0 || notFound(action);
}

bool HistoryStore::deleteConversation(qint64 id)
{
    const QString action = tr("Could not delete the conversation.");
    Write write(*this, action);
    if (!write)
        return false;
    // Its messages go by ON DELETE CASCADE, their search entries by trigger.
    QSqlQuery q(m_db);
    if (!run(q, u"DELETE FROM conversations WHERE id = ?"_s, {id}, action))
        return false;
    if (q.numRowsAffected() == 0)
        return notFound(action);
    return write.commit();
}

std::optional<Conversation> HistoryStore::conversation(qint64 id) const
{
    const QString action = tr("Could not load the conversation.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"SELECT id, title, created, updated, endpoint, model, system_prompt, "
                   "temperature, max_tokens FROM conversations WHERE id = ?"_s,
                {id}, action))
        return std::nullopt;
    if (!q.next()) {
        if (q.lastError().isValid())
            fail(action, q.lastError());
        else
            notFound(action);
        return std::nullopt;
    }
    Conversation c;
    c.id = q.value(0).toLongLong();
    c.title = q.value(1).toString();
    c.created = fromMs(q.value(2));
    c.updated = fromMs(q.value(3));
    c.endpoint = q.value(4).toString();
    c.model = q.value(5).toString();
    c.systemPrompt = q.value(6).toString();
    if (!q.value(7).isNull())
        c.temperature = q.value(7).toDouble();
    if (!q.value(8).isNull())
        c.maxTokens = q.value(8).toInt();
    return c;
}

QList<HistoryStore::ConversationSummary> HistoryStore::conversations(int limit, int offset) const
{
    const QString action = tr("Could not load the list of conversations.");
    QSqlQuery q(m_db);
    // Walks conversations_by_updated backwards; each count is a range of messages_by_position.
    if (!checkOpen(action)
        || !run(q, u"SELECT c.id, c.title, c.created, c.updated, c.model, "
                   "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) "
                   "FROM conversations c ORDER BY c.updated DESC, c.id DESC LIMIT ? OFFSET ?"_s,
                {limit < 0 ? -1 : limit, qMax(0, offset)}, action))
        return {};
    QList<ConversationSummary> list;
    if (limit > 0)
        list.reserve(limit);
    while (q.next()) {
        ConversationSummary s;
        s.id = q.value(0).toLongLong();
        s.title = q.value(1).toString();
        s.created = fromMs(q.value(2));
        s.updated = fromMs(q.value(3));
        s.model = q.value(4).toString();
        s.messageCount = q.value(5).toInt();
        list.append(s);
    }
    if (q.lastError().isValid()) {
        fail(action, q.lastError());
        return {};
    }
    return list;
}

int HistoryStore::conversationCount() const
{
    const QString action = tr("Could not count the conversations.");
    QSqlQuery q(m_db);
    if (!checkOpen(action) || !run(q, u"SELECT count(*) FROM conversations"_s, {}, action))
        return -1;
    if (!q.next()) {
        fail(action, q.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

std::optional<QJsonObject> HistoryStore::conversationSettings(qint64 id) const
{
    const QString action = tr("Could not load the conversation's settings.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"SELECT settings FROM conversations WHERE id = ?"_s, {id}, action))
        return std::nullopt;
    if (!q.next()) {
        if (q.lastError().isValid())
            fail(action, q.lastError());
        else
            notFound(action);
        return std::nullopt;
    }
    // Filtered on the way out too: a file written by hand or by another program.
    return ConversationSettings::withoutSecrets(
        QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
}

bool HistoryStore::setConversationSettings(qint64 id, const QJsonObject &settings)
{
    const QString action = tr("Could not save the conversation's settings.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"UPDATE conversations SET settings = ? WHERE id = ?"_s, {settingsJson(settings), id},
                action))
        return false;
    return q.numRowsAffected() > 0 || notFound(action);
}

// --- Messages ----------------------------------------------------------------

qint64 HistoryStore::addMessage(Message &message)
{
    const QString action = tr("Could not save the message.");
    Write write(*this, action);
    if (!write)
        return -1;
    const QDateTime created = orNow(message.created);
    const QDateTime updated = message.updated.isValid() ? message.updated : created;

    QSqlQuery touch(m_db);
    if (!run(touch, u"UPDATE conversations SET updated = max(updated, ?) WHERE id = ?"_s,
             {updated.toMSecsSinceEpoch(), message.conversationId}, action))
        return -1;
    if (touch.numRowsAffected() == 0) {
        notFound(action);
        return -1;
    }
    QSqlQuery last(m_db);
    if (!run(last, u"SELECT max(position) FROM messages WHERE conversation_id = ?"_s,
             {message.conversationId}, action))
        return -1;
    if (!last.next()) {
        fail(action, last.lastError());
        return -1;
    }
    const qint64 position = last.value(0).isNull() ? 0 : last.value(0).toLongLong() + 1;
    last.finish();

    QSqlQuery q(m_db);
    if (!q.prepare(insertMessageSql())) {
        fail(action, q.lastError());
        return -1;
    }
    q.bindValue(u":conversation_id"_s, message.conversationId);
    q.bindValue(u":position"_s, position);
    q.bindValue(u":role"_s, ChatMessage::roleName(message.role));
    q.bindValue(u":created"_s, created.toMSecsSinceEpoch());
    bindMessageState(q, message, updated);
    if (!q.exec()) {
        fail(action, q.lastError());
        return -1;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    if (!write.commit())
        return -1;
    message.id = id;
    message.created = created;
    message.updated = updated;
    return id;
}

bool HistoryStore::updateMessage(const Message &message)
{
    const QString action = tr("Could not save the message.");
    Write write(*this, action);
    if (!write)
        return false;
    const QDateTime updated = orNow(message.updated);

    QSqlQuery q(m_db);
    if (!q.prepare(u"UPDATE messages SET content = :content, reasoning = :reasoning, "
                   "model = :model, state = :state, finish_reason = :finish_reason, "
                   "error_text = :error_text, prompt_tokens = :prompt_tokens, "
                   "completion_tokens = :completion_tokens, total_tokens = :total_tokens, "
                   "reasoning_tokens = :reasoning_tokens, "
                   "cached_prompt_tokens = :cached_prompt_tokens, metrics = :metrics, "
                   "cost_usd = :cost_usd, updated = :updated, grams = :grams WHERE id = :id"_s))
        return fail(action, q.lastError());
    bindMessageState(q, message, updated);
    q.bindValue(u":id"_s, message.id);
    if (!q.exec())
        return fail(action, q.lastError());
    if (q.numRowsAffected() == 0)
        return notFound(action, true);
    QSqlQuery touch(m_db);
    if (!run(touch, u"UPDATE conversations SET updated = max(updated, ?) "
                    "WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)"_s,
             {updated.toMSecsSinceEpoch(), message.id}, action))
        return false;
    return write.commit();
}

bool HistoryStore::deleteMessagesFrom(qint64 conversationId, qint64 firstMessageId)
{
    const QString action = tr("Could not delete the messages.");
    Write write(*this, action);
    if (!write)
        return false;
    QSqlQuery find(m_db);
    if (!run(find, u"SELECT position FROM messages WHERE id = ? AND conversation_id = ?"_s,
             {firstMessageId, conversationId}, action))
        return false;
    if (!find.next())
        return find.lastError().isValid() ? fail(action, find.lastError()) : notFound(action, true);
    const qint64 position = find.value(0).toLongLong();
    find.finish();
    QSqlQuery q(m_db);
    if (!run(q, u"DELETE FROM messages WHERE conversation_id = ? AND position >= ?"_s,
             {conversationId, position}, action))
        return false;
    return write.commit();
}

QList<Message> HistoryStore::messages(qint64 conversationId, int limit, int offsetFromEnd) const
{
    const QString action = tr("Could not load the conversation's messages.");
    QSqlQuery q(m_db);
    // The inner query walks messages_by_position backwards and stops after the window.
    if (!checkOpen(action)
        || !run(q, u"SELECT "_s + messageColumns() + u" FROM (SELECT "_s + messageColumns()
                       + u", position FROM messages WHERE conversation_id = ? "
                         "ORDER BY position DESC LIMIT ? OFFSET ?) ORDER BY position"_s,
                {conversationId, limit < 0 ? -1 : limit, qMax(0, offsetFromEnd)}, action))
        return {};
    QList<Message> list;
    if (limit > 0)
        list.reserve(limit);
    while (q.next())
        list.append(readMessage(q));
    if (q.lastError().isValid()) {
        fail(action, q.lastError());
        return {};
    }
    return list;
}

int HistoryStore::messageCount(qint64 conversationId) const
{
    const QString action = tr("Could not count the conversation's messages.");
    QSqlQuery q(m_db);
    if (!checkOpen(action)
        || !run(q, u"SELECT count(*) FROM messages WHERE conversation_id = ?"_s, {conversationId},
                action))
        return -1;
    if (!q.next()) {
        fail(action, q.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

qint64 HistoryStore::importConversation(const Conversation &conversation,
                                        const QList<Message> &messages, const QJsonObject &settings)
{
    const QString action = tr("Could not import the conversation.");
    Write write(*this, action);
    if (!write)
        return -1;
    const qint64 id = insertConversation(conversation, settings, action);
    if (id < 0)
        return -1;
    QSqlQuery q(m_db);
    if (!q.prepare(insertMessageSql())) {
        fail(action, q.lastError());
        return -1;
    }
    qint64 position = 0;
    for (Message m : messages) {
        if (m.state == Message::State::Streaming)
            m.state = Message::State::Interrupted;
        const QDateTime created = orNow(m.created);
        q.bindValue(u":conversation_id"_s, id);
        q.bindValue(u":position"_s, position++);
        q.bindValue(u":role"_s, ChatMessage::roleName(m.role));
        q.bindValue(u":created"_s, created.toMSecsSinceEpoch());
        bindMessageState(q, m, m.updated.isValid() ? m.updated : created);
        if (!q.exec()) {
            fail(action, q.lastError());
            return -1;
        }
    }
    return write.commit() ? id : -1;
}

// --- Search ------------------------------------------------------------------

QList<HistoryStore::SearchHit> HistoryStore::search(const QString &text, int limit) const
{
    const QString action = tr("Could not search the history.");
    if (!checkOpen(action))
        return {};
    const HistorySearchQuery query = HistorySearchQuery::parse(text);
    if (query.isEmpty() || limit == 0)
        return {};
    const int max = limit < 0 ? std::numeric_limits<int>::max() : limit;
    const QString like = u" LIKE ? ESCAPE '\\'"_s;
    QList<SearchHit> hits;

    // Titles: a LIKE scan of one short column of one row per conversation.
    QString sql = u"SELECT id, title, updated FROM conversations WHERE 1"_s;
    QVariantList values;
    for (const QString &word : query.words) {
        sql += u" AND title"_s + like;
        values << HistorySearchQuery::likePattern(word);
    }
    sql += u" ORDER BY updated DESC, id DESC LIMIT ?"_s;
    values << max;
    QSqlQuery titles(m_db);
    if (!run(titles, sql, values, action))
        return {};
    while (titles.next()) {
        SearchHit hit;
        hit.conversationId = titles.value(0).toLongLong();
        hit.conversationTitle = titles.value(1).toString();
        hit.snippet = HistorySnippet::highlight(HistorySnippet::oneLine(hit.conversationTitle),
                                                query.words);
        hit.updated = fromMs(titles.value(2));
        hits.append(hit);
    }
    if (hits.size() >= max)
        return hits;

    // Messages, newest first by their own time (`updated`, as each hit
    // shows it), ties by id. Not by FTS rank: in a chat history one looks
    // for "that conversation about X last week", the sidebar beside the
    // results is newest first too, and bm25 would put a one-line question
    // above the long answer it got. Not by rowid either (the order rows were
    // written in): an imported conversation keeps its old times and belongs
    // below this week's messages.
    //
    // Two passes over the match, so that snippet() runs only for the rows
    // returned: the inner SELECT walks messages_by_updated (covering) newest
    // first and keeps the ids that are in the match set (an in-memory list
    // of rowids), stopping after LIMIT of them; the outer one makes their
    // snippets. The unary + keep SQLite from using the rowid terms as index
    // constraints: "messages_fts.rowid IN" would re-run the whole MATCH once
    // per id, "id IN" would sort every match by time.
    QString inner = u"SELECT id FROM messages WHERE +id IN "
                    "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)"_s;
    QVariantList innerValues{query.ftsExpression};
    for (const QString &term : query.substringTerms) {
        inner += u" AND content"_s + like;
        innerValues << HistorySearchQuery::likePattern(term);
    }
    inner += u" ORDER BY updated DESC, id DESC LIMIT ?"_s;
    innerValues << max - int(hits.size());
    sql = u"SELECT m.id, m.conversation_id, c.title, m.updated, "_s
        + (query.matchesContent ? u"snippet(messages_fts, 0, char(2), char(3), '…', 16) "_s
                                : u"m.content "_s)
        + u"FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
          "JOIN conversations c ON c.id = m.conversation_id "
          "WHERE messages_fts MATCH ? AND +messages_fts.rowid IN ("_s
        + inner + u") ORDER BY m.updated DESC, m.id DESC"_s;
    values = QVariantList{query.ftsExpression} + innerValues;
    QSqlQuery q(m_db);
    if (!run(q, sql, values, action))
        return {};
    while (q.next()) {
        SearchHit hit;
        hit.messageId = q.value(0).toLongLong();
        hit.conversationId = q.value(1).toLongLong();
        hit.conversationTitle = q.value(2).toString();
        hit.updated = fromMs(q.value(3));
        // snippet() marks the content terms; the unspaced words are marked here.
        hit.snippet = query.matchesContent
            ? HistorySnippet::highlight(HistorySnippet::oneLine(q.value(4).toString()),
                                        query.unspacedWords)
            : HistorySnippet::excerpt(q.value(4).toString(), query.unspacedWords);
        hits.append(hit);
    }
    if (q.lastError().isValid()) {
        fail(action, q.lastError());
        return {};
    }
    return hits;
}
