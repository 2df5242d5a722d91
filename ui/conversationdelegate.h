#pragma once

#include <QDateTime>
#include <QStyledItemDelegate>

// Paints one row of a ConversationListModel in two compact lines: the title
// (elided) with the relative time on the right, the model below it, and a
// small accent dot while a reply streams. Hover and selection are soft
// rounded backgrounds, not a solid bar.
//
//     view->setItemDelegate(new ConversationDelegate(view));
//     view->edit(index);   // F2: a line edit over the title; Enter renames through the model
//
// The static helpers (times, colours, the row background) are shared with
// SearchResultsDelegate so both lists look alike.
class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ConversationDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;

    // "now", "5 min", a time of day for today, "Yesterday", a weekday for the
    // last week, "12 Mar" this year, a short date before. Local time.
    static QString relativeTime(const QDateTime &when, const QDateTime &now);
    // A fixed "now" for tests and screenshots; invalid (the default): the clock.
    void setReferenceTime(const QDateTime &now) { m_now = now; }
    QDateTime referenceTime() const;
    // A row painted as if hovered (the one a context menu is open for).
    void setMarkedIndex(const QModelIndex &index) { m_marked = index; }

    // --- Shared with SearchResultsDelegate ------------------------------------
    // The soft rounded background of a hovered or selected row; returns the
    // rectangle to lay the content out in.
    static QRect paintRowBackground(QPainter *painter, const QStyleOptionViewItem &option);
    // Text a step quieter than the palette's (times, models, snippets).
    static QColor secondaryTextColor(const QPalette &palette);
    // The font scaled by `factor` (point or pixel sized).
    static QFont scaledFont(const QFont &font, qreal factor);
    // The colour of streaming dots and of keyboard focus.
    static QColor accentColor(const QPalette &palette);
    static constexpr int HorizontalMargin = 6;  // between the view's edge and the background
    static constexpr int Padding = 10;          // inside the background, left and right
    static constexpr int VerticalPadding = 7;

private:
    QRect titleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    QDateTime m_now;
    QPersistentModelIndex m_marked;
};
