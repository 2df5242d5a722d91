#include "conversationlistmodel.h"

using namespace Qt::StringLiterals;

namespace {

// Newest first; among equal times the later-created (larger id) first,
// exactly as HistoryStore::conversations() orders them.
bool sortsBefore(const HistoryStore::ConversationSummary &a, const HistoryStore::ConversationSummary &b)
{
    if (a.updated != b.updated)
        return a.updated > b.updated;
    return a.id > b.id;
}

// Marks the model as changing for one begin…end pair (see canFetchMore()).
class ChangeGuard
{
public:
    explicit ChangeGuard(bool &flag)
        : m_flag(flag)
    {
        m_flag = true;
    }
    ~ChangeGuard() { m_flag = false; }
    Q_DISABLE_COPY_MOVE(ChangeGuard)

private:
    bool &m_flag;
};

} // namespace

ConversationListModel::ConversationListModel(HistoryStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    refresh();
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryStore::ConversationSummary &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return s.title.trimmed().isEmpty() ? tr("New conversation") : s.title;
    case Qt::EditRole:
    case TitleRole:
        return s.title;
    case Qt::ToolTipRole: {
        const QString title = s.title.trimmed().isEmpty() ? tr("New conversation") : s.title;
        QString tip = title + u'\n'
            + (s.messageCount == 1 ? tr("1 message") : tr("%n messages", nullptr, s.messageCount));
        if (!s.model.isEmpty())
            tip += u" · "_s + s.model;
        return tip;
    }
    case Qt::AccessibleDescriptionRole: {
        QStringList parts;
        if (!s.model.isEmpty())
            parts << s.model;
        parts << (s.messageCount == 1 ? tr("1 message") : tr("%n messages", nullptr, s.messageCount));
        if (m_streaming.contains(s.id))
            parts << tr("replying");
        return parts.join(u", "_s);
    }
    case IdRole:
        return s.id;
    case CreatedRole:
        return s.created;
    case UpdatedRole:
        return s.updated;
    case ModelRole:
        return s.model;
    case MessageCountRole:
        return s.messageCount;
    case StreamingRole:
        return m_streaming.contains(s.id);
    default:
        return {};
    }
}

bool ConversationListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || (role != Qt::EditRole && role != TitleRole))
        return false;
    return rename(m_rows.at(index.row()).id, value.toString());
}

Qt::ItemFlags ConversationListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
    return f;
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "conversationId");
    names.insert(TitleRole, "title");
    names.insert(CreatedRole, "created");
    names.insert(UpdatedRole, "updated");
    names.insert(ModelRole, "model");
    names.insert(MessageCountRole, "messageCount");
    names.insert(StreamingRole, "streaming");
    return names;
}

bool ConversationListModel::canFetchMore(const QModelIndex &parent) const
{
    // Never in the middle of a change: whoever reacts to rowsAboutToBeInserted
    // (QAbstractItemModelTester does) must not start another insert.
    return !parent.isValid() && !m_atEnd && !m_changing && m_store && m_store->isOpen();
}

void ConversationListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        appendPage();
}

void ConversationListModel::appendPage()
{
    const QList<HistoryStore::ConversationSummary> page = m_store->conversations(m_pageSize, m_storeOffset);
    m_storeOffset += int(page.size());
    // A short page is the end; so is a failed read (the store said why), or
    // a view would ask again and again.
    m_atEnd = page.size() < m_pageSize;

    QList<HistoryStore::ConversationSummary> fresh;
    fresh.reserve(page.size());
    for (const HistoryStore::ConversationSummary &s : page) {
        if (m_hiddenIds.contains(s.id)) {
            m_hiddenRows.insert(s.id, s);
            continue;
        }
        // Only if something changed the store behind our back (refresh() is
        // the cure); never show a conversation twice.
        if (rowOf(s.id) >= 0)
            continue;
        fresh.append(s);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    const ChangeGuard guard(m_changing);
    beginInsertRows(QModelIndex(), first, first + int(fresh.size()) - 1);
    m_rows.append(fresh);
    endInsertRows();
}

int ConversationListModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

qint64 ConversationListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : -1;
}

int ConversationListModel::ensureLoaded(qint64 id)
{
    if (m_hiddenIds.contains(id))
        return -1;
    int row = rowOf(id);
    while (row < 0 && canFetchMore(QModelIndex())) {
        const int before = int(m_rows.size());
        appendPage();
        for (int r = before; r < m_rows.size() && row < 0; ++r)
            if (m_rows.at(r).id == id)
                row = r;
    }
    return row;
}

bool ConversationListModel::rename(qint64 id, const QString &title)
{
    const QString trimmed = title.simplified();
    if (trimmed.isEmpty() || !m_store)
        return false;
    const int row = rowOf(id);
    if (row >= 0 && m_rows.at(row).title == trimmed)
        return true;
    if (!m_store->renameConversation(id, trimmed))
        return false;
    if (row >= 0) {
        m_rows[row].title = trimmed;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole, TitleRole});
    } else if (m_hiddenRows.contains(id)) {
        m_hiddenRows[id].title = trimmed;
    }
    return true;
}

void ConversationListModel::setStreaming(qint64 id, bool streaming)
{
    if (m_streaming.contains(id) == streaming)
        return;
    if (streaming)
        m_streaming.insert(id);
    else
        m_streaming.remove(id);
    const int row = rowOf(id);
    if (row >= 0) {
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {StreamingRole, Qt::AccessibleDescriptionRole});
    }
}

void ConversationListModel::setStreamingIds(const QSet<qint64> &ids)
{
    const QSet<qint64> old = m_streaming;
    for (qint64 id : old)
        if (!ids.contains(id))
            setStreaming(id, false);
    for (qint64 id : ids)
        setStreaming(id, true);
}

void ConversationListModel::setHidden(qint64 id, bool hidden)
{
    if (m_hiddenIds.contains(id) == hidden)
        return;
    if (hidden) {
        m_hiddenIds.insert(id);
        const int row = rowOf(id);
        if (row < 0)
            return; // not loaded yet: appendPage() keeps it aside when it comes
        const ChangeGuard guard(m_changing);
        beginRemoveRows(QModelIndex(), row, row);
        m_hiddenRows.insert(id, m_rows.takeAt(row));
        endRemoveRows();
        return;
    }
    m_hiddenIds.remove(id);
    const auto it = m_hiddenRows.constFind(id);
    if (it == m_hiddenRows.cend())
        return; // never loaded: it comes with its page
    const HistoryStore::ConversationSummary summary = *it;
    m_hiddenRows.erase(it);
    // It was loaded, so its place is among the loaded rows.
    const int row = insertPosition(summary);
    const ChangeGuard guard(m_changing);
    beginInsertRows(QModelIndex(), row, row);
    m_rows.insert(row, summary);
    endInsertRows();
}

void ConversationListModel::refresh()
{
    const ChangeGuard guard(m_changing);
    beginResetModel();
    m_rows.clear();
    m_hiddenRows.clear();
    m_storeOffset = 0;
    m_atEnd = !m_store || !m_store->isOpen();
    if (!m_atEnd)
        appendPageQuietly();
    endResetModel();
}

void ConversationListModel::appendPageQuietly()
{
    const QList<HistoryStore::ConversationSummary> page = m_store->conversations(m_pageSize, 0);
    m_storeOffset = int(page.size());
    m_atEnd = page.size() < m_pageSize;
    for (const HistoryStore::ConversationSummary &s : page) {
        if (m_hiddenIds.contains(s.id))
            m_hiddenRows.insert(s.id, s);
        else
            m_rows.append(s);
    }
}

void ConversationListModel::conversationUpdated(qint64 id)
{
    if (id < 0 || !m_store || !m_store->isOpen())
        return;
    const std::optional<HistoryStore::ConversationSummary> summary = loadSummary(id);
    if (!summary) {
        conversationRemoved(id);
        return;
    }

    if (m_hiddenIds.contains(id)) {
        if (m_hiddenRows.contains(id)) {
            m_hiddenRows.insert(id, *summary);
        } else if (m_atEnd || (!m_rows.isEmpty() && sortsBefore(*summary, m_rows.constLast()))) {
            // It moved into the loaded window (updated only moves forward).
            m_hiddenRows.insert(id, *summary);
            ++m_storeOffset;
        }
        return;
    }

    const int row = rowOf(id);
    if (row < 0) {
        // New, imported, or an old one beyond the loaded pages that just got
        // a message: it takes a place among the loaded rows unless it belongs
        // after them (then its page brings it).
        const int position = insertPosition(*summary);
        if (position == m_rows.size() && !m_atEnd)
            return;
        const ChangeGuard guard(m_changing);
        beginInsertRows(QModelIndex(), position, position);
        m_rows.insert(position, *summary);
        ++m_storeOffset;
        endInsertRows();
        return;
    }

    const int position = insertPosition(*summary, row);
    if (position != row) {
        const ChangeGuard guard(m_changing);
        beginMoveRows(QModelIndex(), row, row, QModelIndex(), position > row ? position + 1 : position);
        m_rows.move(row, position);
        endMoveRows();
    }
    m_rows[position] = *summary;
    const QModelIndex i = index(position);
    Q_EMIT dataChanged(i, i,
                       {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole, TitleRole, UpdatedRole, ModelRole,
                        MessageCountRole});
}

void ConversationListModel::conversationRemoved(qint64 id)
{
    m_streaming.remove(id);
    if (m_hiddenIds.remove(id)) {
        if (m_hiddenRows.remove(id))
            --m_storeOffset;
        return;
    }
    const int row = rowOf(id);
    if (row < 0)
        return;
    const ChangeGuard guard(m_changing);
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    --m_storeOffset;
    endRemoveRows();
}

int ConversationListModel::insertPosition(const HistoryStore::ConversationSummary &summary, int skipRow) const
{
    int position = 0;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (row == skipRow)
            continue;
        if (sortsBefore(summary, m_rows.at(row)))
            return position;
        ++position;
    }
    return position;
}

std::optional<HistoryStore::ConversationSummary> ConversationListModel::loadSummary(qint64 id) const
{
    const std::optional<Conversation> c = m_store->conversation(id);
    if (!c)
        return std::nullopt;
    HistoryStore::ConversationSummary s;
    s.id = c->id;
    s.title = c->title;
    s.created = c->created;
    s.updated = c->updated;
    s.model = c->model;
    s.messageCount = qMax(0, m_store->messageCount(id));
    return s;
}
