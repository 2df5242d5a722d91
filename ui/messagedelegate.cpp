#include "messagedelegate.h"

#include "transcriptview.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <vector>

namespace {

// Laid-out rows kept in memory: several screens of long messages.
constexpr size_t CacheCapacity = 160;

quint64 fallbackKey(const QModelIndex &index)
{
    return (quint64(1) << 63) | quint64(index.row());
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_style(MessageStyle::fromWidget(QApplication::palette(), QApplication::font()))
{
}

MessageDelegate::~MessageDelegate() = default;

void MessageDelegate::updateStyle(const QPalette &palette, const QFont &font)
{
    m_style = MessageStyle::fromWidget(palette, font);
    clearCache();
}

MessageDelegate::RowState MessageDelegate::stateFor(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (const auto *view = qobject_cast<const TranscriptView *>(option.widget))
        return view->rowState(index.row());
    if (const auto *view = qobject_cast<const TranscriptView *>(parent()); view && view->model() == index.model())
        return view->rowState(index.row());
    return {};
}

MessageLayout *MessageDelegate::layoutFor(const QModelIndex &index, int width, const RowState &state) const
{
    const quint64 key = state.key ? state.key : fallbackKey(index);
    auto &slot = m_cache[key];
    if (!slot)
        slot = std::make_unique<MessageLayout>(&m_style);
    slot->lastUsed = ++m_tick;
    if (slot->update(index, std::max(width, 60), state.thinking)) {
        ++m_stats.layouts;
        m_stats.laidOutRows.append(index.row());
    }
    return slot.get();
}

MessageLayout *MessageDelegate::layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(index, option.rect.width(), stateFor(option, index));
}

int MessageDelegate::rowHeight(const QModelIndex &index, int width, const RowState &state) const
{
    return layoutFor(index, width, state)->height();
}

int MessageDelegate::estimateHeight(const QModelIndex &index, int width) const
{
    return MessageLayout::estimateHeight(index, std::max(width, 60), m_style);
}

int MessageDelegate::changedFromY(quint64 key) const
{
    const auto it = m_cache.find(key);
    return it == m_cache.end() ? 0 : it->second->changedFromY();
}

void MessageDelegate::forget(quint64 key)
{
    m_cache.erase(key);
}

void MessageDelegate::clearCache()
{
    m_cache.clear();
}

void MessageDelegate::trimCache(const QSet<quint64> &keep)
{
    if (m_cache.size() <= CacheCapacity)
        return;
    std::vector<std::pair<quint64, quint64>> byAge; // (lastUsed, key)
    byAge.reserve(m_cache.size());
    for (const auto &[key, layout] : m_cache)
        if (!keep.contains(key))
            byAge.emplace_back(layout->lastUsed, key);
    std::sort(byAge.begin(), byAge.end());
    const size_t target = CacheCapacity * 3 / 4;
    for (const auto &[age, key] : byAge) {
        if (m_cache.size() <= target)
            break;
        m_cache.erase(key);
    }
}

void MessageDelegate::paintRow(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                               const RowState &state, const QRect &exposed) const
{
    const MessageLayout *layout = layoutFor(index, option.rect.width(), state);
    painter->save();
    painter->translate(option.rect.topLeft());
    layout->paint(painter, exposed.translated(-option.rect.topLeft()), state);
    painter->restore();
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    paintRow(painter, option, index, stateFor(option, index), option.rect);
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    ++m_stats.sizeHints;
    int width = option.rect.width();
    if (width <= 0) {
        if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
            width = view->viewport()->width();
    }
    if (width <= 0)
        width = 640;
    return {width, layoutFor(index, width, stateFor(option, index))->height()};
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    if (!event || !view || event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString tip = toolTipAt(option, index, event->pos());
    if (tip.isEmpty()) {
        QToolTip::hideText();
        return false;
    }
    QToolTip::showText(event->globalPos(), tip, view->viewport(), option.rect);
    return true;
}

MessageDelegate::Hit MessageDelegate::hitTest(const QStyleOptionViewItem &option, const QModelIndex &index,
                                              const QPoint &pos) const
{
    return layoutFor(option, index)->hitTest(pos - option.rect.topLeft());
}

MessageDelegate::TextPos MessageDelegate::textPosAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                                    const QPoint &pos) const
{
    return layoutFor(option, index)->textPosAt(pos - option.rect.topLeft());
}

bool MessageDelegate::wordAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos,
                             TextPos *start, TextPos *end) const
{
    return layoutFor(option, index)->wordAt(pos - option.rect.topLeft(), start, end);
}

MessageDelegate::TextPos MessageDelegate::startPos(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index)->startPos();
}

MessageDelegate::TextPos MessageDelegate::endPos(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index)->endPos();
}

QString MessageDelegate::selectedText(const QStyleOptionViewItem &option, const QModelIndex &index, TextPos start,
                                      TextPos end) const
{
    return layoutFor(option, index)->selectedText(start, end);
}

QString MessageDelegate::plainText(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index)->plainText();
}

int MessageDelegate::codeBlockCount(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index)->codeBlockCount();
}

QString MessageDelegate::codeBlockText(const QStyleOptionViewItem &option, const QModelIndex &index,
                                       int codeBlock) const
{
    return layoutFor(option, index)->codeBlockText(codeBlock);
}

int MessageDelegate::codeBlockAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                 const QPoint &pos) const
{
    return layoutFor(option, index)->codeBlockAt(pos - option.rect.topLeft());
}

QString MessageDelegate::toolTipAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                   const QPoint &pos) const
{
    return layoutFor(option, index)->toolTipAt(pos - option.rect.topLeft());
}

QRect MessageDelegate::retryButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect r = layoutFor(option, index)->retryButtonRect();
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

QRect MessageDelegate::copyButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect r = layoutFor(option, index)->copyButtonRect();
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

QRect MessageDelegate::editButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect r = layoutFor(option, index)->editButtonRect();
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

QRect MessageDelegate::thinkingToggleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect r = layoutFor(option, index)->thinkingToggleRect();
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

QRect MessageDelegate::codeCopyButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                          int codeBlock) const
{
    const QRect r = layoutFor(option, index)->codeCopyButtonRect(codeBlock);
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

QRect MessageDelegate::contentRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect r = layoutFor(option, index)->contentRect();
    return r.isNull() ? r : r.translated(option.rect.topLeft());
}

bool MessageDelegate::isThinkingExpanded(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index)->thinkingExpanded();
}
