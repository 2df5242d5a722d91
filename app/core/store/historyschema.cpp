#include "historyschema.h"

#include "historysearch.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace HistorySchema {

// Times are INTEGER milliseconds since the epoch, UTC. Ids are AUTOINCREMENT
// so an id the UI still holds is never reused by a later row.
static Step version1()
{
    return {1, u"initial layout: conversations and messages"_s, {
        uR"(CREATE TABLE conversations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT    NOT NULL DEFAULT '',
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL,
    endpoint      TEXT    NOT NULL DEFAULT '',
    model         TEXT    NOT NULL DEFAULT '',
    system_prompt TEXT    NOT NULL DEFAULT '',
    temperature   REAL,
    max_tokens    INTEGER
))"_s,
        uR"(CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    content         TEXT    NOT NULL DEFAULT '',
    reasoning       TEXT    NOT NULL DEFAULT '',
    model           TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL DEFAULT 'completed',
    finish_reason   TEXT    NOT NULL DEFAULT '',
    error_text      TEXT    NOT NULL DEFAULT '',
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
))"_s,
        u"CREATE UNIQUE INDEX messages_by_position ON messages(conversation_id, position)"_s,
    }, {}};
}

// Messages written before version 2 get their grams column (see
// HistorySearchQuery::grams()); the update trigger indexes them.
static bool fillGrams(const QSqlDatabase &db, QSqlError *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, content FROM messages"_s)) {
        *error = q.lastError();
        return false;
    }
    // Read first, then write: never update the table under a running SELECT.
    QList<std::pair<qint64, QString>> pending;
    while (q.next()) {
        QString grams = HistorySearchQuery::grams(q.value(1).toString());
        if (!grams.isEmpty())
            pending.append({q.value(0).toLongLong(), std::move(grams)});
    }
    if (q.lastError().isValid()) {
        *error = q.lastError();
        return false;
    }
    q.finish();
    QSqlQuery update(db);
    if (!update.prepare(u"UPDATE messages SET grams = ? WHERE id = ?"_s)) {
        *error = update.lastError();
        return false;
    }
    for (const auto &[id, grams] : std::as_const(pending)) {
        update.addBindValue(grams);
        update.addBindValue(id);
        if (!update.exec()) {
            *error = update.lastError();
            return false;
        }
    }
    return true;
}

// Usage, metrics and cost per message, per-conversation settings, the sidebar
// index, a tiny index of streaming rows (markInterrupted on every start) and
// full-text search: an external-content FTS5 table over messages.content and
// messages.grams, kept in step by triggers and filled from the rows already
// there. grams holds the text in scripts written without spaces (Chinese,
// Japanese, Thai, ...) as overlapping character pairs, computed by the store
// (HistorySearchQuery::grams()), because unicode61 keeps such a run as one token.
static Step version2()
{
    return {2, u"usage, metrics, cost, settings, sidebar index, full-text search"_s, {
        u"ALTER TABLE conversations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'"_s,
        u"ALTER TABLE messages ADD COLUMN prompt_tokens INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN completion_tokens INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN total_tokens INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN cached_prompt_tokens INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN metrics TEXT"_s,
        u"ALTER TABLE messages ADD COLUMN cost_usd REAL"_s,
        u"ALTER TABLE messages ADD COLUMN grams TEXT NOT NULL DEFAULT ''"_s,
        u"CREATE INDEX conversations_by_updated ON conversations(updated, id)"_s,
        u"CREATE INDEX messages_streaming ON messages(state) WHERE state = 'streaming'"_s,
        uR"(CREATE VIRTUAL TABLE messages_fts USING fts5(
    content,
    grams,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
))"_s,
        uR"(CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content, grams) VALUES (new.id, new.content, new.grams);
END)"_s,
        uR"(CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, grams)
        VALUES ('delete', old.id, old.content, old.grams);
END)"_s,
        uR"(CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, grams ON messages
WHEN old.content IS NOT new.content OR old.grams IS NOT new.grams BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, grams)
        VALUES ('delete', old.id, old.content, old.grams);
    INSERT INTO messages_fts(rowid, content, grams) VALUES (new.id, new.content, new.grams);
END)"_s,
        u"INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"_s,
    }, fillGrams};
}

// Search hits newest first (HistoryStore::search()): walking this index
// (updated, then the rowid) backwards gives messages by time without reading
// their rows, so a search stops after its limit whatever order the rows were
// written in (an imported conversation keeps its old times).
static Step version3()
{
    return {3, u"messages by time, for search results newest first"_s, {
        u"CREATE INDEX messages_by_updated ON messages(updated)"_s,
    }, {}};
}

const QList<Step> &steps()
{
    static const QList<Step> all{version1(), version2(), version3()};
    return all;
}

int latestVersion()
{
    return int(steps().size());
}

} // namespace HistorySchema
