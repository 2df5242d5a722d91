#pragma once

#include "store/historystore.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

#include <optional>

// The stored conversations, newest (by `updated`) first, one row each, for the
// sidebar. Lazy: rows come from HistoryStore::conversations() a page at a time
// (canFetchMore()/fetchMore(), which views call while scrolling), so opening
// the window costs one page however long the history is.
//
//     ConversationListModel model(&store);          // loads the first page
//     view->setModel(&model);
//     model.conversationUpdated(id);                 // after a send / a reply / an import: moves it to its place
//     model.setStreaming(id, true);                  // StreamingRole, for a dot in the row
//     model.setHidden(id, true);                     // a delete that can still be undone
//     model.conversationRemoved(id);                 // after HistoryStore::deleteConversation()
//     model.setData(index, title, Qt::EditRole);     // renames in the store
//
// The model learns of changes only through these calls (the store has no
// change signals); refresh() reloads everything when in doubt. The loaded
// rows are always exactly the newest conversations of the store (less the
// hidden ones), so paging on after a move neither skips nor repeats a row.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        IdRole = Qt::UserRole + 1, // qint64
        TitleRole,                 // the stored title, empty for a conversation not titled yet
        CreatedRole,               // QDateTime (UTC)
        UpdatedRole,               // QDateTime (UTC)
        ModelRole,                 // the conversation's model
        MessageCountRole,          // int
        StreamingRole,             // bool: a reply is being received right now
    };
    Q_ENUM(Roles)

    static constexpr int DefaultPageSize = 100;

    explicit ConversationListModel(HistoryStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    // DisplayRole: the title, or "New conversation" while there is none.
    // EditRole: the stored title. ToolTipRole: title, model, message count.
    // AccessibleDescriptionRole: model, message count, "replying" while streaming.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // EditRole / TitleRole: renames the conversation in the store (a title
    // that is empty after trimming is refused).
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    HistoryStore *store() const { return m_store; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }

    // The row of a loaded, visible conversation, or -1.
    int rowOf(qint64 id) const;
    QModelIndex indexOf(qint64 id) const { return index(rowOf(id)); }
    qint64 idAt(int row) const;
    HistoryStore::ConversationSummary summaryAt(int row) const { return m_rows.at(row); }
    // Loads pages until `id` is among the rows (or everything is loaded);
    // returns its row or -1 when it is not in the store or hidden.
    int ensureLoaded(qint64 id);

    // Renames in the store and in the row; false (with the store's error) on failure.
    bool rename(qint64 id, const QString &title);

    // Streaming dots.
    void setStreaming(qint64 id, bool streaming);
    void setStreamingIds(const QSet<qint64> &ids);
    QSet<qint64> streamingIds() const { return m_streaming; }
    bool isStreaming(qint64 id) const { return m_streaming.contains(id); }

    // A hidden conversation has no row (a pending delete) but stays in the
    // store; setHidden(id, false) puts it back in its place.
    void setHidden(qint64 id, bool hidden);
    bool isHidden(qint64 id) const { return m_hiddenIds.contains(id); }
    QSet<qint64> hiddenIds() const { return m_hiddenIds; }

public Q_SLOTS:
    // Reloads the first page (hidden conversations stay hidden).
    void refresh();
    // The conversation was created, imported, renamed or got messages: reads
    // it again and moves it to its place (the top, for one that just got a
    // message). One the store does not know any more loses its row.
    void conversationUpdated(qint64 id);
    // It was deleted from the store: its row (or hidden entry) goes.
    void conversationRemoved(qint64 id);

private:
    // Where a conversation with this `updated` and id belongs among the rows
    // (newest first, ties by id, larger first), ignoring `skipRow`.
    int insertPosition(const HistoryStore::ConversationSummary &summary, int skipRow = -1) const;
    std::optional<HistoryStore::ConversationSummary> loadSummary(qint64 id) const;
    void appendPage();        // the next page, with rowsInserted
    void appendPageQuietly(); // the first page, inside a model reset

    QPointer<HistoryStore> m_store;
    QList<HistoryStore::ConversationSummary> m_rows;
    // Hidden conversations that were loaded (they still take their place in
    // the store's order, so they count in m_storeOffset).
    QHash<qint64, HistoryStore::ConversationSummary> m_hiddenRows;
    QSet<qint64> m_hiddenIds;
    QSet<qint64> m_streaming;
    int m_pageSize = DefaultPageSize;
    int m_storeOffset = 0; // rows of HistoryStore::conversations() covered so far
    bool m_atEnd = false;
    bool m_changing = false; // between a begin…() and its end…()
};
