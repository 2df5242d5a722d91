#pragma once

#include "historystore.h"

#include <QSqlDatabase>
#include <QVariant>

#include <optional>

class QSqlError;
class QSqlQuery;

// The SQL plumbing of HistoryStore: how a Message maps to a row of
// `messages`, how values are bound, how SQLite errors are classified, and a
// write transaction. Internal to app/core/store.
//
//     WriteTransaction transaction(db);
//     if (!transaction.begin(&error)) ...   // BEGIN IMMEDIATE
//     q.prepare(insertMessageSql()); bindMessageState(q, message, updated); ...
//     transaction.commit(&error);           // rolls back in the destructor otherwise
namespace HistorySql {

// Columns readMessage() expects, in its order.
QString messageColumns();
// INSERT INTO messages with named placeholders; bindMessageState() + :conversation_id,
// :position, :role, :created.
QString insertMessageSql();
Message readMessage(const QSqlQuery &q);
// Binds what updateMessage() may change (and an insert writes too), grams included.
void bindMessageState(QSqlQuery &q, const Message &m, const QDateTime &updated);

QDateTime fromMs(const QVariant &value); // stored INTEGER ms since the epoch → UTC
QDateTime orNow(const QDateTime &time);
// Qt binds a null QString as NULL; the text columns are NOT NULL DEFAULT ''.
QString text(const QString &value);

template<typename T>
QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

HistoryStore::ErrorKind kindOf(const QSqlError &error);
bool isIoError(const QSqlError &error);

// BEGIN IMMEDIATE takes the write lock at once (waiting up to busy_timeout),
// so a transaction never fails half-way for want of it. Rolls back unless
// committed.
class WriteTransaction
{
public:
    explicit WriteTransaction(const QSqlDatabase &db) : m_db(db) { }
    ~WriteTransaction()
    {
        if (m_active)
            rollback();
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool begin(QSqlError *error);
    bool commit(QSqlError *error);
    void rollback();

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace HistorySql
