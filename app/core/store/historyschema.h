#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

class QSqlDatabase;
class QSqlError;

// The layout of the history database, as a list of migration steps.
//
//     const auto &steps = HistorySchema::steps();  // steps[i] takes user_version i to i + 1
//     for (int v = from; v < HistorySchema::latestVersion(); ++v)
//         for (const QString &sql : steps[v].statements) exec(sql);
//
// HistoryStore runs the steps inside one transaction and then sets
// PRAGMA user_version. The tests and the fixture generator use the same list
// to build a database "as an older Sluice left it".
//
// A step that has shipped is history: never edit it. To change the layout,
// append a step (v → v + 1), raise HistoryStore::SchemaVersion, add a fixture
// of the previous version under tests/data/history/ (see its README) and a
// migration check in tst_historystore. One SQL statement per list entry
// (QSQLITE runs only the first statement of a string).
namespace HistorySchema {

struct Step
{
    int toVersion = 0;
    QString summary;            // what the step does, for the log
    QStringList statements;
    // Optional: runs after the statements, in the same transaction, for data
    // SQL cannot compute (e.g. filling an index from C++).
    std::function<bool(const QSqlDatabase &db, QSqlError *error)> fill;
};

const QList<Step> &steps();
int latestVersion(); // == steps().size()

} // namespace HistorySchema
