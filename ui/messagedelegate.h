#pragma once

#include "messagelayout.h"

#include <QSet>
#include <QStyledItemDelegate>

#include <memory>
#include <unordered_map>

// Paints the messages of a TranscriptModel, one per row: assistant replies as
// Markdown (code blocks with their own Copy button, a collapsible Thinking
// section), user messages as a bubble, a state badge and, for replies that did
// not finish, a banner with Retry.
//
// Each row's laid-out documents are cached under the row's identity (the
// RowState::key TranscriptView hands in), so painting a row again costs no
// parsing, and a streaming row re-parses only its last Markdown block. The
// cache keeps the most recently used rows (about a few screens' worth).
//
// TranscriptView drives it through rowHeight()/paintRow()/hitTest(); used in
// another view, paint() and sizeHint() work too (without the view's hover,
// selection and per-row state). The *Rect() helpers give the clickable areas
// in viewport coordinates, for tests and for the view's hit testing.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using RowState = MessageRowState;
    using Hit = MessageHit;
    using Target = MessageTarget;
    using TextPos = MessageTextPos;

    // Test hooks: what the delegate had to compute.
    struct Stats
    {
        int layouts = 0;         // row layouts computed or changed (new row, new text, new width ...)
        int sizeHints = 0;       // sizeHint() calls
        QList<int> laidOutRows;  // the row of each of those layouts
    };

    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    // Colours and fonts from the view; drops every cached layout.
    void updateStyle(const QPalette &palette, const QFont &font);
    const MessageStyle &messageStyle() const { return m_style; }

    // Exact height of the row at this width (lays the row out, or updates its layout).
    int rowHeight(const QModelIndex &index, int width, const RowState &state) const;
    // The horizontal extent [left, right) rows paint in at this width.
    QPair<int, int> paintedColumn(int width) const { return MessageLayout::paintedColumn(width, m_style); }
    // A guess from the text alone, for rows that were never laid out.
    int estimateHeight(const QModelIndex &index, int width) const;
    // After rowHeight(): the top (row coordinates) of what changed in that row.
    int changedFromY(quint64 key) const;
    bool isCached(quint64 key) const { return m_cache.count(key) > 0; }
    void forget(quint64 key);
    void clearCache();
    // Drops least recently used layouts beyond the capacity, never those in keep.
    void trimCache(const QSet<quint64> &keep);
    int cacheSize() const { return int(m_cache.size()); }

    void paintRow(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                  const RowState &state, const QRect &exposed) const;

    // Everything below takes option.rect = the row's visualRect (viewport coordinates).
    Hit hitTest(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    TextPos textPosAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    bool wordAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos,
                TextPos *start, TextPos *end) const;
    TextPos startPos(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    TextPos endPos(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QString selectedText(const QStyleOptionViewItem &option, const QModelIndex &index, TextPos start,
                         TextPos end) const;
    QString plainText(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int codeBlockCount(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QString codeBlockText(const QStyleOptionViewItem &option, const QModelIndex &index, int codeBlock) const;
    int codeBlockAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    QString toolTipAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;

    QRect retryButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect copyButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect editButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect thinkingToggleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect codeCopyButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index, int codeBlock) const;
    QRect contentRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    bool isThinkingExpanded(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    const Stats &stats() const { return m_stats; }
    void resetStats() { m_stats = {}; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

private:
    RowState stateFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    MessageLayout *layoutFor(const QModelIndex &index, int width, const RowState &state) const;
    MessageLayout *layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    MessageStyle m_style;
    mutable std::unordered_map<quint64, std::unique_ptr<MessageLayout>> m_cache;
    mutable quint64 m_tick = 0;
    mutable Stats m_stats;
};
