#include "historysql.h"

#include "historysearch.h"
#include "messagejson.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace HistorySql {

namespace {

QVariant nullableCount(qint64 value)
{
    return value >= 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

qint64 countOrUnset(const QVariant &value)
{
    return value.isNull() ? -1 : value.toLongLong();
}

QVariant metricsJson(const MessageMetrics &metrics)
{
    if (metrics.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(
        QJsonDocument(MessageJson::metricsToJson(metrics)).toJson(QJsonDocument::Compact));
}

} // namespace

// SQLite primary result codes (the low byte of an extended code).
enum SqliteCode {
    SqlitePerm = 3,
    SqliteBusy = 5,
    SqliteLocked = 6,
    SqliteReadOnly = 8,
    SqliteIoErr = 10,
    SqliteCorrupt = 11,
    SqliteFull = 13,
    SqliteCantOpen = 14,
    SqliteNotADb = 26,
};

QString messageColumns()
{
    return u"id, conversation_id, role, state, content, reasoning, model, finish_reason, "
           "error_text, prompt_tokens, completion_tokens, total_tokens, reasoning_tokens, "
           "cached_prompt_tokens, metrics, cost_usd, created, updated"_s;
}

QDateTime fromMs(const QVariant &value)
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::utc());
}

// Qt binds a null QString as NULL; the text columns are NOT NULL DEFAULT ''.
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

QDateTime orNow(const QDateTime &time)
{
    return time.isValid() ? time : QDateTime::currentDateTimeUtc();
}

Message readMessage(const QSqlQuery &q)
{
    Message m;
    m.id = q.value(0).toLongLong();
    m.conversationId = q.value(1).toLongLong();
    const QString role = q.value(2).toString();
    const QString state = q.value(3).toString();
    m.role = Message::roleFromName(role).value_or(ChatMessage::Role::User);
    m.state = Message::stateFromName(state).value_or(Message::State::Completed);
    if (!Message::roleFromName(role) || !Message::stateFromName(state))
        qCWarning(lcStore) << "message" << m.id << "has an unknown role or state:" << role << state;
    m.content = q.value(4).toString();
    m.reasoning = q.value(5).toString();
    m.model = q.value(6).toString();
    m.finishReason = q.value(7).toString();
    m.errorText = q.value(8).toString();
    m.usage.promptTokens = countOrUnset(q.value(9));
    m.usage.completionTokens = countOrUnset(q.value(10));
    m.usage.totalTokens = countOrUnset(q.value(11));
    m.usage.reasoningTokens = countOrUnset(q.value(12));
    m.usage.cachedPromptTokens = countOrUnset(q.value(13));
    if (!q.value(14).isNull())
        m.metrics = MessageJson::metricsFromJson(
            QJsonDocument::fromJson(q.value(14).toString().toUtf8()).object());
    if (!q.value(15).isNull())
        m.costUsd = q.value(15).toDouble();
    m.created = fromMs(q.value(16));
    m.updated = fromMs(q.value(17));
    return m;
}

// Binds what updateMessage() may change (and addMessage() writes too).
void bindMessageState(QSqlQuery &q, const Message &m, const QDateTime &updated)
{
    q.bindValue(u":content"_s, text(m.content));
    q.bindValue(u":grams"_s, text(HistorySearchQuery::grams(m.content)));
    q.bindValue(u":reasoning"_s, text(m.reasoning));
    q.bindValue(u":model"_s, text(m.model));
    q.bindValue(u":state"_s, Message::stateName(m.state));
    q.bindValue(u":finish_reason"_s, text(m.finishReason));
    q.bindValue(u":error_text"_s, text(m.errorText));
    q.bindValue(u":prompt_tokens"_s, nullableCount(m.usage.promptTokens));
    q.bindValue(u":completion_tokens"_s, nullableCount(m.usage.completionTokens));
    q.bindValue(u":total_tokens"_s, nullableCount(m.usage.totalTokens));
    q.bindValue(u":reasoning_tokens"_s, nullableCount(m.usage.reasoningTokens));
    q.bindValue(u":cached_prompt_tokens"_s, nullableCount(m.usage.cachedPromptTokens));
    q.bindValue(u":metrics"_s, metricsJson(m.metrics));
    q.bindValue(u":cost_usd"_s, nullable(m.costUsd));
    q.bindValue(u":updated"_s, updated.toMSecsSinceEpoch());
}

QString insertMessageSql()
{
    return u"INSERT INTO messages (conversation_id, position, role, content, "
    "reasoning, model, state, finish_reason, error_text, prompt_tokens, completion_tokens, "
    "total_tokens, reasoning_tokens, cached_prompt_tokens, metrics, cost_usd, created, updated, grams) "
    "VALUES (:conversation_id, :position, :role, :content, :reasoning, :model, :state, "
    ":finish_reason, :error_text, :prompt_tokens, :completion_tokens, :total_tokens, "
    ":reasoning_tokens, :cached_prompt_tokens, :metrics, :cost_usd, :created, :updated, :grams)"_s;
}

bool WriteTransaction::begin(QSqlError *error)
{
    QSqlQuery q(m_db);
    if (!q.exec(u"BEGIN IMMEDIATE"_s)) {
        *error = q.lastError();
        return false;
    }
    m_active = true;
    return true;
}

bool WriteTransaction::commit(QSqlError *error)
{
    QSqlQuery q(m_db);
    if (!q.exec(u"COMMIT"_s)) {
        *error = q.lastError();
        rollback();
        return false;
    }
    m_active = false;
    return true;
}

void WriteTransaction::rollback()
{
    QSqlQuery q(m_db);
    if (!q.exec(u"ROLLBACK"_s))
        qCDebug(lcStore) << "rollback:" << q.lastError().text();
    m_active = false;
}

HistoryStore::ErrorKind kindOf(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (ok) {
        switch (code) {
        case SqliteBusy:
        case SqliteLocked:
            return HistoryStore::ErrorKind::Locked;
        case SqliteReadOnly:
        case SqlitePerm:
            return HistoryStore::ErrorKind::ReadOnly;
        case SqliteFull:
            return HistoryStore::ErrorKind::DiskFull;
        case SqliteCorrupt:
        case SqliteNotADb:
            return HistoryStore::ErrorKind::Corrupt;
        case SqliteCantOpen:
            return HistoryStore::ErrorKind::CannotOpen;
        default:
            break;
        }
    }
    // Drivers that do not pass the code on: go by SQLite's message.
    const QString message = error.databaseText();
    if (message.contains(u"locked"_s) || message.contains(u"busy"_s))
        return HistoryStore::ErrorKind::Locked;
    if (message.contains(u"readonly"_s) || message.contains(u"read-only"_s))
        return HistoryStore::ErrorKind::ReadOnly;
    if (message.contains(u"disk is full"_s))
        return HistoryStore::ErrorKind::DiskFull;
    if (message.contains(u"malformed"_s) || message.contains(u"not a database"_s))
        return HistoryStore::ErrorKind::Corrupt;
    return HistoryStore::ErrorKind::Other;
}

bool isIoError(const QSqlError &error)
{
    bool ok = false;
    return (error.nativeErrorCode().toInt(&ok) & 0xff) == SqliteIoErr && ok;
}

} // namespace HistorySql
