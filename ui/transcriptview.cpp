// TranscriptView: model signals, row geometry, scrolling and painting (pointer,
// keyboard, clipboard and context menu are in transcriptviewinput.cpp).

#include "transcriptview.h"

#include "messagedelegate.h"

#include "chat/transcriptmodel.h"

#include <QAccessible>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>
#include <QStyleOptionSlider>

#include <algorithm>
#include <limits>

namespace {

// A vertical scroll bar that repaints only when what it shows changes. While a
// reply streams the range grows with every frame, but the thumb of a long
// conversation moves a pixel only now and then: repainting the bar every frame
// would cost as much as painting the new text. The check runs once per turn of
// the event loop, because QAbstractSlider reports a new range before it
// re-clamps the value (the thumb would seem to move, then move back).
class TranscriptScrollBar : public QScrollBar
{
public:
    explicit TranscriptScrollBar(QWidget *parent)
        : QScrollBar(Qt::Vertical, parent)
    {
    }

protected:
    void sliderChange(SliderChange change) override
    {
        if (change == SliderOrientationChange || !m_painted) {
            remember();
            QScrollBar::sliderChange(change);
            return;
        }
        if (m_checkPending)
            return;
        m_checkPending = true;
        QMetaObject::invokeMethod(this, [this] {
            m_checkPending = false;
            const QRect thumb = m_thumb;
            const int ends = m_ends;
            remember();
            if (thumb != m_thumb || ends != m_ends)
                update();
        }, Qt::QueuedConnection);
    }
    void resizeEvent(QResizeEvent *event) override
    {
        m_painted = false;
        QScrollBar::resizeEvent(event);
    }
    void changeEvent(QEvent *event) override
    {
        m_painted = false;
        QScrollBar::changeEvent(event);
    }

private:
    void remember()
    {
        QStyleOptionSlider option;
        initStyleOption(&option);
        m_thumb = style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
        m_ends = (value() == minimum() ? 1 : 0) | (value() == maximum() ? 2 : 0);
        m_painted = true;
    }

    QRect m_thumb;
    int m_ends = 0;
    bool m_painted = false;
    bool m_checkPending = false;
};

bool affectsDisplay(const QList<int> &roles)
{
    if (roles.isEmpty())
        return true;
    for (int role : roles) {
        switch (role) {
        case Qt::DisplayRole:
        case TranscriptModel::TextRole:
        case TranscriptModel::ReasoningRole:
        case TranscriptModel::MessageRoleRole:
        case TranscriptModel::StateRole:
        case TranscriptModel::ModelRole:
        case TranscriptModel::ErrorRole:
        case TranscriptModel::MetricsRole:
        case TranscriptModel::CostRole:
        case TranscriptModel::CreatedRole:
            return true;
        default:
            break;
        }
    }
    return false;
}

bool onlyStreamingRoles(const QList<int> &roles)
{
    if (roles.isEmpty())
        return false;
    return std::all_of(roles.begin(), roles.end(), [](int r) {
        return r == TranscriptModel::TextRole || r == TranscriptModel::ReasoningRole;
    });
}

} // namespace

TranscriptView::TranscriptView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    setVerticalScrollBar(new TranscriptScrollBar(this));
    setUniformItemSizes(false);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSelectionMode(SingleSelection);
    setSelectionBehavior(SelectRows);
    setEditTriggers(NoEditTriggers);
    setDragEnabled(false);
    setAutoScroll(false);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setWordWrap(true);
    setTextElideMode(Qt::ElideNone);
    setAccessibleName(tr("Conversation"));
    setAccessibleDescription(tr("The messages of this conversation. Ctrl+C copies the selected text or message."));
    viewport()->setAccessibleName(tr("Messages"));
    m_delegate->updateStyle(palette(), font());

    m_autoScroll.setInterval(30);
    connect(&m_autoScroll, &QTimer::timeout, this, &TranscriptView::autoScrollTick);
    m_flashTimer.setSingleShot(true);
    m_flashTimer.setInterval(1400);
    connect(&m_flashTimer, &QTimer::timeout, this, [this] {
        const int row = rowOfKey(m_flashKey);
        m_flashKey = 0;
        m_flashTarget = MessageTarget::None;
        m_flashCode = -1;
        updateRow(row);
    });
}

TranscriptView::~TranscriptView() = default;

// --- model ---------------------------------------------------------------

void TranscriptView::setTranscript(TranscriptModel *model)
{
    setModel(model);
}

TranscriptModel *TranscriptView::transcript() const
{
    return m_transcript;
}

void TranscriptView::setModel(QAbstractItemModel *model)
{
    if (m_connectedModel)
        disconnect(m_connectedModel, nullptr, this, nullptr);
    m_transcript = qobject_cast<TranscriptModel *>(model);
    m_connectedModel = model;
    if (model) {
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &TranscriptView::rowsAboutToBeInsertedSlot);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &TranscriptView::rowsRemovedSlot);
        connect(model, &QAbstractItemModel::layoutChanged, this, &TranscriptView::layoutChangedSlot);
    }
    QListView::setModel(model); // calls reset()
}

void TranscriptView::reset()
{
    m_following = true;
    m_nearTopArmed = true;
    m_hoverKey = m_pressKey = m_selKey = m_selCursorKey = m_flashKey = 0;
    m_selecting = false;
    m_selAnchor = m_selCursor = {};
    m_delegate->clearCache();
    rebuildRows();
    QListView::reset();
    relayout();
    viewport()->update();
}

void TranscriptView::keyboardSearch(const QString &search)
{
    Q_UNUSED(search); // typing letters must not jump between messages
}

QModelIndex TranscriptView::indexForRow(int row) const
{
    if (!model() || row < 0 || row >= rowCount())
        return {};
    return model()->index(row, 0, rootIndex());
}

int TranscriptView::estimateRow(int row) const
{
    return m_delegate->estimateHeight(indexForRow(row), viewport()->width());
}

void TranscriptView::rebuildRows()
{
    m_rows.reset(model() ? model()->rowCount(rootIndex()) : 0, [this](int row) { return estimateRow(row); });
}

void TranscriptView::rowsAboutToBeInsertedSlot(const QModelIndex &parent, int start, int end)
{
    Q_UNUSED(start);
    Q_UNUSED(end);
    if (!parent.isValid())
        m_pendingAnchor = captureAnchor(); // rows move: found again by key afterwards
}

void TranscriptView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    if (parent.isValid() || !model()) {
        QListView::rowsInserted(parent, start, end);
        return;
    }
    if (rowCount() + (end - start + 1) != model()->rowCount())
        rebuildRows();
    else
        m_rows.insert(start, end - start + 1, [this](int row) { return estimateRow(row); });
    if (start == 0 && end + 1 < rowCount())
        m_nearTopArmed = true; // older messages arrived: the next approach to the top asks again
    Anchor anchor = m_pendingAnchor;
    m_pendingAnchor = {};
    anchor.row = -1;
    layoutPass(anchor);
    viewport()->update();
    QAbstractItemView::rowsInserted(parent, start, end);
}

void TranscriptView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    if (!parent.isValid()) {
        m_pendingAnchor = captureAnchor();
        if (m_pendingAnchor.row >= start && m_pendingAnchor.row <= end) {
            // The anchor goes away: keep the row just before the removed ones in place.
            if (start > 0) {
                m_pendingAnchor.row = start - 1;
                m_pendingAnchor.key = m_rows.keyAt(start - 1);
                m_pendingAnchor.offset = rowTop(start - 1) - verticalScrollBar()->value();
            } else {
                m_pendingAnchor = {};
            }
        }
    }
    QAbstractItemView::rowsAboutToBeRemoved(parent, start, end);
}

void TranscriptView::rowsRemovedSlot(const QModelIndex &parent, int start, int end)
{
    if (parent.isValid() || !model())
        return;
    if (start < 0 || end >= rowCount() || rowCount() - (end - start + 1) != model()->rowCount()) {
        rebuildRows();
    } else {
        for (int i = start; i <= end; ++i) {
            const quint64 key = m_rows.keyAt(i);
            m_delegate->forget(key);
            if (key == m_selKey || key == m_selCursorKey) {
                m_selKey = m_selCursorKey = 0;
                m_selecting = false;
            }
            if (key == m_hoverKey)
                m_hoverKey = 0;
            if (key == m_pressKey)
                m_pressKey = 0;
        }
        m_rows.remove(start, end);
    }
    Anchor anchor = m_pendingAnchor;
    m_pendingAnchor = {};
    anchor.row = -1;
    layoutPass(anchor);
    viewport()->update();
}

void TranscriptView::layoutChangedSlot()
{
    m_delegate->clearCache();
    rebuildRows();
    relayout();
    viewport()->update();
}

void TranscriptView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    if (!model() || !topLeft.isValid() || topLeft.parent() != rootIndex() || !affectsDisplay(roles))
        return;
    if (rowCount() != model()->rowCount(rootIndex())) {
        rebuildRows();
        relayout();
        viewport()->update();
        return;
    }
    const int first = std::max(0, topLeft.row());
    const int last = std::min(rowCount() - 1, bottomRight.row());
    if (first > last)
        return;
    const Anchor anchor = captureAnchor();
    QScrollBar *bar = verticalScrollBar();
    const int oldValue = bar->value();
    const int vh = viewport()->height();

    if (first != last) {
        for (int row = first; row <= last; ++row) {
            if (m_delegate->isCached(m_rows.keyAt(row)))
                measureRow(row);
            else
                m_rows.setEstimate(row, estimateRow(row));
        }
        layoutPass(anchor);
        viewport()->update();
        QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
        return;
    }

    const int row = first;
    const quint64 key = m_rows.keyAt(row);
    const int oldHeight = m_rows.at(row).height;
    const qint64 top = rowTop(row);
    const bool nearView = top < oldValue + vh * 3 / 2 && top + oldHeight > oldValue - vh / 2;
    int changedFrom = 0;
    if (m_delegate->isCached(key) || nearView) {
        measureRow(row);
        changedFrom = m_delegate->changedFromY(key);
    } else {
        m_rows.setEstimate(row, estimateRow(row));
    }
    const int newHeight = m_rows.at(row).height;
    if (newHeight != oldHeight)
        layoutPass(anchor);

    const int delta = bar->value() - oldValue;
    const bool lastRow = row == rowCount() - 1;
    if (delta != 0 && !(m_following && lastRow)) {
        viewport()->update();
    } else {
        if (delta != 0) {
            // Following: everything moved up alike. Only the message column has
            // anything to move; the margins are plain background.
            const auto [left, right] = m_delegate->paintedColumn(viewport()->width());
            viewport()->scroll(0, -delta, QRect(left, 0, right - left, vh));
        }
        const qint64 viewTop = top - bar->value();
        const qint64 from = viewTop + changedFrom;
        const qint64 to = (newHeight != oldHeight && !lastRow) ? vh : viewTop + std::max(newHeight, oldHeight);
        const QRect dirty = QRect(0, int(std::clamp<qint64>(from, -1, vh + 1)), viewport()->width(),
                                  int(std::clamp<qint64>(to, -1, vh + 1) - std::clamp<qint64>(from, -1, vh + 1)))
                                .intersected(viewport()->rect());
        if (!dirty.isEmpty())
            viewport()->update(dirty);
    }
    if (!onlyStreamingRoles(roles) && QAccessible::isActive())
        QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
}

// --- geometry ------------------------------------------------------------

bool TranscriptView::isExact(int row) const
{
    return m_rows.isExact(row, viewport()->width());
}

bool TranscriptView::measureRow(int row)
{
    const int width = viewport()->width();
    return m_rows.setHeight(row, m_delegate->rowHeight(indexForRow(row), width, rowState(row)), width);
}

TranscriptView::Anchor TranscriptView::captureAnchor() const
{
    if (m_following || m_rows.isEmpty())
        return {};
    const int value = verticalScrollBar()->value();
    const int row = rowAtY(value);
    return {m_rows.keyAt(row), row, rowTop(row) - value};
}

void TranscriptView::applyScrollRange(const Anchor &anchor)
{
    QScrollBar *bar = verticalScrollBar();
    const int vh = viewport()->height();
    const qint64 total = totalHeight();
    ++m_adjusting;
    bar->setPageStep(std::max(1, vh));
    bar->setSingleStep(std::max(8, qRound(m_delegate->messageStyle().markdown.lineSpacing)));
    bar->setRange(0, int(std::clamp<qint64>(total - vh, 0, INT_MAX)));
    if (m_following) {
        bar->setValue(bar->maximum());
    } else if (anchor.key) {
        const int row = anchor.row >= 0 && anchor.row < rowCount() && m_rows.keyAt(anchor.row) == anchor.key
            ? anchor.row
            : rowOfKey(anchor.key);
        if (row >= 0)
            bar->setValue(int(std::clamp<qint64>(rowTop(row) - anchor.offset, 0, bar->maximum())));
    }
    --m_adjusting;
}

// Sets the scroll range, then lays out the rows in (and around) the viewport
// that only have an estimated height, keeping the anchor row still.
bool TranscriptView::layoutPass(const Anchor &anchor)
{
    bool any = false;
    for (int pass = 0; pass < 12; ++pass) {
        applyScrollRange(anchor);
        if (m_rows.isEmpty() || viewport()->width() <= 0)
            break;
        const int vh = viewport()->height();
        const qint64 value = verticalScrollBar()->value();
        const qint64 from = std::max<qint64>(0, value - vh / 2);
        const qint64 to = value + vh + vh / 2;
        bool changed = false;
        for (int row = rowAtY(from); row < rowCount() && rowTop(row) <= to; ++row)
            if (!isExact(row))
                changed = measureRow(row) || changed;
        if (!changed)
            break;
        any = true;
    }
    return any;
}

void TranscriptView::relayout()
{
    layoutPass(captureAnchor());
}

void TranscriptView::doItemsLayout()
{
    if (model() && rowCount() != model()->rowCount(rootIndex()))
        rebuildRows();
    relayout();
    QAbstractItemView::doItemsLayout();
}

void TranscriptView::updateGeometries()
{
    applyScrollRange(captureAnchor());
    QAbstractItemView::updateGeometries();
}

QRect TranscriptView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.parent() != rootIndex())
        return {};
    const qint64 top = rowTop(index.row()) - verticalScrollBar()->value();
    return QRect(0, int(std::clamp<qint64>(top, INT_MIN / 2, INT_MAX / 2)), viewport()->width(),
                 m_rows.at(index.row()).height);
}

QModelIndex TranscriptView::indexAt(const QPoint &point) const
{
    if (m_rows.isEmpty())
        return {};
    const qint64 y = qint64(point.y()) + verticalScrollBar()->value();
    if (y < 0 || y >= totalHeight())
        return {};
    return indexForRow(rowAtY(y));
}

void TranscriptView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.row() >= rowCount())
        return;
    const int row = index.row();
    if (!isExact(row))
        measureRow(row);
    const qint64 top = rowTop(row);
    const qint64 h = m_rows.at(row).height;
    const int vh = viewport()->height();
    const int value = verticalScrollBar()->value();
    qint64 target = value;
    switch (hint) {
    case EnsureVisible:
        if (top < value || h > vh)
            target = top;
        else if (top + h > value + vh)
            target = top + h - vh;
        break;
    case PositionAtTop:
        target = top;
        break;
    case PositionAtBottom:
        target = top + h - vh;
        break;
    case PositionAtCenter:
        target = top + h / 2 - vh / 2;
        break;
    }
    applyScrollRange({});
    if (target != value)
        setScrollValue(int(std::clamp<qint64>(target, 0, verticalScrollBar()->maximum())));
}

void TranscriptView::setScrollValue(int value)
{
    verticalScrollBar()->setValue(value); // a user-level scroll: following is re-evaluated
}

void TranscriptView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx);
    if (m_adjusting)
        return; // whoever adjusts the range repaints what changed
    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    viewport()->scroll(0, dy);
    m_following = atBottom;
    if (layoutPass(captureAnchor()))
        viewport()->update();
    const int vh = viewport()->height();
    if (dy > 0 && m_nearTopArmed && bar->value() <= vh) {
        m_nearTopArmed = false;
        Q_EMIT nearTopReached();
    } else if (bar->value() > 2 * vh) {
        m_nearTopArmed = true;
    }
    if (m_selecting)
        updateSelectionTo(m_lastMousePos);
    else if (viewport()->underMouse())
        updateHover(viewport()->mapFromGlobal(QCursor::pos()));
}

bool TranscriptView::isFollowing() const
{
    return m_following;
}

void TranscriptView::scrollToEnd()
{
    m_following = true;
    const int before = verticalScrollBar()->value();
    layoutPass({});
    if (verticalScrollBar()->value() != before)
        viewport()->update();
}

int TranscriptView::horizontalOffset() const
{
    return 0;
}

int TranscriptView::verticalOffset() const
{
    return verticalScrollBar()->value();
}

bool TranscriptView::isIndexHidden(const QModelIndex &index) const
{
    Q_UNUSED(index);
    return false;
}

QSize TranscriptView::viewportSizeHint() const
{
    return QAbstractItemView::viewportSizeHint();
}

void TranscriptView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    if (!selectionModel() || m_rows.isEmpty())
        return;
    const QModelIndex index = indexAt(rect.center());
    if (index.isValid())
        selectionModel()->select(index, command);
}

QRegion TranscriptView::visualRegionForSelection(const QItemSelection &selection) const
{
    QRegion region;
    const QRect vp = viewport()->rect();
    for (const QItemSelectionRange &range : selection) {
        for (int row = range.top(); row <= range.bottom() && row < rowCount(); ++row) {
            const QRect r = visualRect(indexForRow(row)).intersected(vp);
            if (!r.isEmpty())
                region += r;
        }
    }
    return region;
}

QModelIndex TranscriptView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers)
{
    Q_UNUSED(modifiers);
    if (m_rows.isEmpty())
        return {};
    const int current = currentIndex().isValid() ? currentIndex().row() : rowAtY(verticalScrollBar()->value());
    int row = current;
    const int vh = viewport()->height();
    switch (cursorAction) {
    case MoveUp:
    case MovePrevious:
    case MoveLeft:
        row = current - 1;
        break;
    case MoveDown:
    case MoveNext:
    case MoveRight:
        row = current + 1;
        break;
    case MoveHome:
        row = 0;
        break;
    case MoveEnd:
        row = rowCount() - 1;
        break;
    case MovePageUp:
        row = rowAtY(std::max<qint64>(0, rowTop(current) - vh));
        break;
    case MovePageDown:
        row = rowAtY(rowTop(current) + vh);
        break;
    }
    return indexForRow(std::clamp(row, 0, rowCount() - 1));
}

// --- state for the delegate -------------------------------------------------

QStyleOptionViewItem TranscriptView::itemOption(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    option.widget = this;
    return option;
}

MessageRowState TranscriptView::rowState(int row) const
{
    SelectionRange selection;
    return rowState(row, selectionRange(&selection) ? &selection : nullptr);
}

MessageRowState TranscriptView::rowState(int row, const SelectionRange *selection) const
{
    MessageRowState s;
    if (row < 0 || row >= rowCount())
        return s;
    const TranscriptRows::Row &r = m_rows.at(row);
    s.key = r.key;
    s.thinking = r.thinking;
    if (r.key == m_hoverKey) {
        s.hovered = true;
        s.hoverTarget = m_hoverTarget;
        s.hoverCode = m_hoverCode;
    }
    if (r.key == m_flashKey) {
        s.flashTarget = m_flashTarget;
        s.flashCode = m_flashCode;
    }
    if (selection && row >= selection->firstRow && row <= selection->lastRow) {
        // Rows inside the range are selected from their start to their end; the
        // layout clamps these bounds to what it shows.
        s.selectionStart = row == selection->firstRow
            ? selection->first
            : MessageTextPos{MessagePart::Reasoning, MarkdownRenderer::Pos{0, 0}};
        s.selectionEnd = row == selection->lastRow
            ? selection->last
            : MessageTextPos{MessagePart::Content, MarkdownRenderer::Pos{std::numeric_limits<int>::max(),
                                                                         std::numeric_limits<int>::max()}};
    }
    s.focused = m_keyboardFocusVisible && hasFocus() && currentIndex().isValid() && currentIndex().row() == row;
    return s;
}

void TranscriptView::updateRow(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    const QRect r = visualRect(indexForRow(row)).intersected(viewport()->rect());
    if (!r.isEmpty())
        viewport()->update(r);
}

// --- painting --------------------------------------------------------------

void TranscriptView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

void TranscriptView::paintEvent(QPaintEvent *event)
{
    ++m_paintCount;
    QPainter painter(viewport());
    if (m_rows.isEmpty() || !model()) {
        if (!m_placeholder.isEmpty()) {
            painter.setPen(m_delegate->messageStyle().markdown.dimText);
            painter.drawText(viewport()->rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
                             m_placeholder);
        }
        return;
    }
    if (rowCount() != model()->rowCount(rootIndex()))
        return; // a structural change is on its way
    const QRect exposed = event->rect();
    const int value = verticalScrollBar()->value();
    const int width = viewport()->width();
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.widget = this;
    bool heightsChanged = false;
    QSet<quint64> painted;
    SelectionRange selectionStorage;
    const SelectionRange *selection = selectionRange(&selectionStorage) ? &selectionStorage : nullptr;
    for (int row = rowAtY(qint64(value) + exposed.top()); row >= 0 && row < rowCount(); ++row) {
        const qint64 top = rowTop(row) - value;
        if (top > exposed.bottom())
            break;
        const QModelIndex index = indexForRow(row);
        const MessageRowState state = rowState(row, selection);
        // The layout is cached: this only checks that nothing changed unnoticed.
        const int h = std::max(1, m_delegate->rowHeight(index, width, state));
        heightsChanged = m_rows.setHeight(row, h, width) || heightsChanged;
        option.rect = QRect(0, int(top), width, h);
        m_delegate->paintRow(&painter, option, index, state, exposed);
        painted.insert(state.key);
    }
    if (heightsChanged) {
        // A row turned out taller or shorter than estimated: lay out again, then repaint.
        QMetaObject::invokeMethod(this, [this] {
            relayout();
            viewport()->update();
        }, Qt::QueuedConnection);
    }
    painted.insert(m_rows.keyAt(rowCount() - 1));
    if (m_selKey)
        painted.insert(m_selKey);
    if (m_selCursorKey)
        painted.insert(m_selCursorKey);
    m_delegate->trimCache(painted);
}

void TranscriptView::resizeEvent(QResizeEvent *event)
{
    const Anchor anchor = captureAnchor();
    ++m_adjusting;
    QAbstractItemView::resizeEvent(event);
    --m_adjusting;
    layoutPass(anchor);
    viewport()->update();
}

void TranscriptView::showEvent(QShowEvent *event)
{
    QListView::showEvent(event);
    relayout();
}

void TranscriptView::changeEvent(QEvent *event)
{
    QListView::changeEvent(event);
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::FontChange:
    case QEvent::StyleChange:
    case QEvent::ApplicationFontChange:
    case QEvent::ApplicationPaletteChange: {
        const Anchor anchor = captureAnchor();
        m_delegate->updateStyle(palette(), font());
        m_rows.forgetWidths(); // the old heights stay as estimates
        layoutPass(anchor);
        viewport()->update();
        break;
    }
    default:
        break;
    }
}

void TranscriptView::focusInEvent(QFocusEvent *event)
{
    QListView::focusInEvent(event);
    if (currentIndex().isValid())
        updateRow(currentIndex().row());
}

void TranscriptView::focusOutEvent(QFocusEvent *event)
{
    QListView::focusOutEvent(event);
    if (currentIndex().isValid())
        updateRow(currentIndex().row());
}

void TranscriptView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    if (previous.isValid())
        updateRow(previous.row());
    if (current.isValid())
        updateRow(current.row());
    if (QAccessible::isActive())
        QAbstractItemView::currentChanged(current, previous);
}
