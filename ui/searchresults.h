#pragma once

#include "store/historystore.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QStyledItemDelegate>
#include <QTextLayout>

// The hits of one HistoryStore::search(), one row each, for the sidebar
// while its search field has text.
//
//     model.setHits(store.search(text), text);
//     const HistoryStore::SearchHit &hit = model.hit(row);   // conversationId, messageId
//     model.removeConversation(id);                          // a conversation being deleted
//
// DisplayRole is the snippet without its \x02…\x03 marks; SnippetRole keeps
// them for SearchResultsDelegate.
class SearchResultsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        ConversationIdRole = Qt::UserRole + 1, // qint64
        MessageIdRole,                         // qint64, -1 for a title hit
        TitleRole,                             // the conversation's title
        SnippetRole,                           // one line, matches between \x02 and \x03
        UpdatedRole,                           // QDateTime
    };
    Q_ENUM(Roles)

    explicit SearchResultsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setHits(const QList<HistoryStore::SearchHit> &hits, const QString &query);
    void clear() { setHits({}, QString()); }
    void removeConversation(qint64 conversationId);
    const HistoryStore::SearchHit &hit(int row) const { return m_hits.at(row); }
    QString query() const { return m_query; }

private:
    QList<HistoryStore::SearchHit> m_hits;
    QString m_query;
};

// Paints a search hit: the conversation's title and the time on the first
// line, up to two lines of the snippet below with the matched words in bold
// on a marker colour. A title hit (no message) has the marks in the title
// and says "In the title" below it.
//
//     resultsView->setItemDelegate(new SearchResultsDelegate(resultsView));
//
// parseSnippet() and highlightColor() are public for tests.
class SearchResultsDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // A snippet without marks and where its matches are.
    struct Snippet
    {
        QString text;
        QList<QPair<int, int>> matches; // start, length in `text`
    };

    explicit SearchResultsDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Unbalanced or stray marks are dropped; a snippet whose first match lies
    // far in is shortened in front ("…") so the match shows.
    static Snippet parseSnippet(const QString &marked, int maxLead = 60);
    static QString plainSnippet(const QString &marked) { return parseSnippet(marked, -1).text; }
    // The marker behind matched words (a soft amber, darker on dark palettes).
    static QColor highlightColor(const QPalette &palette);
    static QList<QTextLayout::FormatRange> highlightFormats(const Snippet &snippet, const QPalette &palette);

    void setReferenceTime(const QDateTime &now) { m_now = now; }
    void setMarkedIndex(const QModelIndex &index) { m_marked = index; }

    static constexpr int SnippetLines = 2;

private:
    // `snippet` in at most `maxLines` lines of `rect`, "…" where cut; the pen gives the plain text's colour.
    static void drawMarked(QPainter *painter, const QRect &rect, const Snippet &snippet, const QFont &font,
                           int maxLines, const QPalette &palette);

    QDateTime m_now;
    QPersistentModelIndex m_marked;
};
