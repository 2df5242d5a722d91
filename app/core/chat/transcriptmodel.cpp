#include "transcriptmodel.h"

using namespace Qt::StringLiterals;

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(16);
    connect(&m_flushTimer, &QTimer::timeout, this, &TranscriptModel::flush);
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Message &m = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m.content;
    case ReasoningRole:
        return m.reasoning;
    case MessageRoleRole:
        return int(m.role);
    case StateRole:
        return int(m.state);
    case ModelRole:
        return m.model;
    case ErrorRole:
        return m.errorText;
    case FinishReasonRole:
        return m.finishReason;
    case MetricsRole:
        return QVariant::fromValue(m.metrics);
    case CostRole:
        return m.costUsd ? QVariant(*m.costUsd) : QVariant();
    case IdRole:
        return m.id;
    case CreatedRole:
        return m.created;
    default:
        return {};
    }
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    return {
        {TextRole, "text"},           {ReasoningRole, "reasoning"}, {MessageRoleRole, "role"},
        {StateRole, "state"},         {ModelRole, "model"},         {ErrorRole, "error"},
        {FinishReasonRole, "finishReason"}, {MetricsRole, "metrics"}, {CostRole, "cost"},
        {IdRole, "id"},               {CreatedRole, "created"},
    };
}

void TranscriptModel::setMessages(const QList<Message> &messages)
{
    m_flushTimer.stop();
    m_dirtyRow = -1;
    m_dirtyRoles.clear();
    beginResetModel();
    m_messages = messages;
    endResetModel();
}

void TranscriptModel::prependMessages(const QList<Message> &older)
{
    if (older.isEmpty())
        return;
    flush();
    beginInsertRows(QModelIndex(), 0, int(older.size()) - 1);
    m_messages = older + m_messages;
    endInsertRows();
}

int TranscriptModel::appendMessage(const Message &message)
{
    flush();
    const int row = int(m_messages.size());
    beginInsertRows(QModelIndex(), row, row);
    m_messages.append(message);
    endInsertRows();
    return row;
}

void TranscriptModel::removeFrom(int row)
{
    if (row < 0 || row >= m_messages.size())
        return;
    flush();
    beginRemoveRows(QModelIndex(), row, int(m_messages.size()) - 1);
    m_messages.resize(row);
    endRemoveRows();
}

void TranscriptModel::clear()
{
    setMessages({});
}

void TranscriptModel::appendContent(int row, const QString &text)
{
    if (text.isEmpty() || row < 0 || row >= m_messages.size())
        return;
    m_messages[row].content += text;
    markDirty(row, TextRole);
}

void TranscriptModel::appendReasoning(int row, const QString &text)
{
    if (text.isEmpty() || row < 0 || row >= m_messages.size())
        return;
    m_messages[row].reasoning += text;
    markDirty(row, ReasoningRole);
}

void TranscriptModel::updateMessage(int row, const Message &message)
{
    if (row < 0 || row >= m_messages.size())
        return;
    flush();
    m_messages[row] = message;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i);
}

void TranscriptModel::markDirty(int row, int role)
{
    if (m_dirtyRow >= 0 && m_dirtyRow != row)
        flush(); // another row was pending: tell about it first
    m_dirtyRow = row;
    if (!m_dirtyRoles.contains(role))
        m_dirtyRoles.append(role);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TranscriptModel::flush()
{
    m_flushTimer.stop();
    if (m_dirtyRow < 0)
        return;
    const int row = m_dirtyRow;
    const QList<int> roles = std::exchange(m_dirtyRoles, {});
    m_dirtyRow = -1;
    if (row >= m_messages.size())
        return;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, roles);
}
