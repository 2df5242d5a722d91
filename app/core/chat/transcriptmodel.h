#pragma once

#include "chat/message.h"

#include <QAbstractListModel>
#include <QList>
#include <QTimer>

// The messages of one conversation, one row each, for TranscriptView.
//
// Streaming text goes through appendContent()/appendReasoning(): the text is
// stored at once (data() is always current) but the view is told at most once
// per frame, with dataChanged(row, row, {only the roles that changed}). So the
// cost of a token does not depend on how long the conversation is.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        TextRole = Qt::UserRole + 1, // content (also Qt::DisplayRole)
        ReasoningRole,
        MessageRoleRole,             // ChatMessage::Role as int
        StateRole,                   // Message::State as int
        ModelRole,
        ErrorRole,
        FinishReasonRole,
        MetricsRole,                 // QVariant<MessageMetrics>
        CostRole,                    // double USD, or invalid
        IdRole,                      // store id
        CreatedRole,
    };
    Q_ENUM(Roles)

    explicit TranscriptModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setMessages(const QList<Message> &messages);
    void prependMessages(const QList<Message> &older); // lazy loading of history
    int appendMessage(const Message &message);          // returns the row
    void removeFrom(int row);                           // that row and all after it
    void clear();

    const Message &message(int row) const { return m_messages.at(row); }
    Message &messageRef(int row) { return m_messages[row]; } // call notifyChanged() after
    const QList<Message> &messages() const { return m_messages; }

    // Streaming: text is appended now, the view is told once per frame.
    void appendContent(int row, const QString &text);
    void appendReasoning(int row, const QString &text);
    // Replaces a whole message (state, error, metrics ...) and tells the view now.
    void updateMessage(int row, const Message &message);

    // Sends pending coalesced notifications now (before reading the view in tests,
    // and when a reply ends).
    void flush();
    // Interval of the coalescing timer; 16 ms (one 60 Hz frame) by default.
    void setCoalesceInterval(int ms) { m_flushTimer.setInterval(ms); }

private:
    void markDirty(int row, int role);

    QList<Message> m_messages;
    QTimer m_flushTimer;
    int m_dirtyRow = -1;
    QList<int> m_dirtyRoles;
};

Q_DECLARE_METATYPE(MessageMetrics)
