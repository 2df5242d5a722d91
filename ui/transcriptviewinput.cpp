// TranscriptView: pointer, keyboard, clipboard and context menu (the geometry,
// scrolling and painting are in transcriptview.cpp).

#include "transcriptview.h"

#include "messagedelegate.h"

#include "chat/transcriptmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QKeyEvent>
#include <QMenu>
#include <QMimeData>
#include <QMouseEvent>
#include <QScrollBar>
#include <QStyleHints>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

bool isButton(MessageTarget t)
{
    return t == MessageTarget::CopyMessage || t == MessageTarget::EditMessage || t == MessageTarget::Retry
        || t == MessageTarget::ThinkingToggle || t == MessageTarget::CodeCopy;
}

} // namespace

// --- pointer ---------------------------------------------------------------

void TranscriptView::updateHover(const QPoint &pos)
{
    const QModelIndex index = viewport()->rect().contains(pos) ? indexAt(pos) : QModelIndex();
    const quint64 key = index.isValid() ? m_rows.keyAt(index.row()) : 0;
    const MessageHit hit = index.isValid() ? m_delegate->hitTest(itemOption(index), index, pos) : MessageHit();
    const MessageTarget target = isButton(hit.target) ? hit.target : MessageTarget::None;
    if (key != m_hoverKey || target != m_hoverTarget || hit.codeBlock != m_hoverCode) {
        const int oldRow = rowOfKey(m_hoverKey);
        m_hoverKey = key;
        m_hoverTarget = target;
        m_hoverCode = target == MessageTarget::CodeCopy ? hit.codeBlock : -1;
        updateRow(oldRow);
        if (index.isValid() && index.row() != oldRow)
            updateRow(index.row());
        else if (index.isValid())
            updateRow(index.row());
    }
    Qt::CursorShape shape = Qt::ArrowCursor;
    if (isButton(hit.target) || hit.target == MessageTarget::Link)
        shape = Qt::PointingHandCursor;
    else if (hit.target == MessageTarget::Text)
        shape = Qt::IBeamCursor;
    if (viewport()->cursor().shape() != shape)
        viewport()->setCursor(shape);
}

void TranscriptView::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    m_keyboardFocusVisible = false;
    m_lastMousePos = pos;
    m_dragged = false;
    if (!hasFocus())
        setFocus(Qt::MouseFocusReason);
    const QModelIndex index = indexAt(pos);
    if (event->button() == Qt::RightButton) {
        if (index.isValid())
            selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        event->accept();
        return;
    }
    if (event->button() != Qt::LeftButton) {
        QListView::mousePressEvent(event);
        return;
    }
    if (!index.isValid()) {
        clearTextSelection();
        return;
    }
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    const int row = index.row();
    const QStyleOptionViewItem option = itemOption(index);
    const MessageHit hit = m_delegate->hitTest(option, index, pos);
    m_pressKey = m_rows.keyAt(row);
    m_pressHit = hit;
    m_pressPos = pos;
    if (isButton(hit.target)) {
        event->accept();
        return;
    }

    // Triple click: the whole message.
    if (QDateTime::currentMSecsSinceEpoch() - m_lastDoubleClick < QGuiApplication::styleHints()->mouseDoubleClickInterval()) {
        m_lastDoubleClick = 0;
        selectMessageText(row);
        return;
    }

    const MessageTextPos pos2 = hit.target == MessageTarget::Text || hit.target == MessageTarget::Link
        ? hit.text
        : m_delegate->textPosAt(option, index, pos);
    SelectionRange old;
    const bool hadSelection = selectionRange(&old);
    if ((event->modifiers() & Qt::ShiftModifier) && rowOfKey(m_selKey) >= 0 && m_selAnchor.isValid()) {
        // Shift+click extends the selection, also into another message.
        if (pos2.isValid()) {
            m_selCursorKey = m_pressKey;
            m_selCursor = pos2;
        }
    } else {
        m_selKey = m_selCursorKey = m_pressKey;
        m_selAnchor = m_selCursor = pos2;
    }
    m_selecting = pos2.isValid();
    if (hadSelection)
        updateRows(old.firstRow, old.lastRow);
    SelectionRange now;
    if (selectionRange(&now))
        updateRows(now.firstRow, now.lastRow);
    updateRow(row);
    event->accept();
}

void TranscriptView::updateSelectionTo(const QPoint &pos)
{
    if (rowOfKey(m_selKey) < 0 || m_rows.isEmpty())
        return;
    // The message under the pointer, or the nearest one inside the viewport when
    // the pointer is past an edge (auto-scroll brings the next ones in).
    const int y = std::clamp(pos.y(), 0, std::max(0, viewport()->height() - 1));
    const int row = rowAtY(qint64(verticalScrollBar()->value()) + y);
    if (row < 0)
        return;
    const QModelIndex index = indexForRow(row);
    const MessageTextPos p = m_delegate->textPosAt(itemOption(index), index, pos);
    const quint64 key = m_rows.keyAt(row);
    if (p.isValid() && !(p == m_selCursor && key == m_selCursorKey)) {
        const int oldRow = rowOfKey(m_selCursorKey);
        m_selCursorKey = key;
        m_selCursor = p;
        if (oldRow < 0)
            updateRows(rowOfKey(m_selKey), row);
        else
            updateRows(std::min(oldRow, row), std::max(oldRow, row));
    }
}

void TranscriptView::updateRows(int from, int to)
{
    if (from > to)
        std::swap(from, to);
    from = std::max(from, 0);
    to = std::min(to, rowCount() - 1);
    if (from > to)
        return;
    const QRect r = visualRect(indexForRow(from)).united(visualRect(indexForRow(to))).intersected(viewport()->rect());
    if (!r.isEmpty())
        viewport()->update(r);
}

int TranscriptView::selectionRow(quint64 key, int *hint) const
{
    if (key == 0)
        return -1;
    if (*hint >= 0 && *hint < rowCount() && m_rows.keyAt(*hint) == key)
        return *hint;
    *hint = rowOfKey(key);
    return *hint;
}

bool TranscriptView::selectionRange(SelectionRange *range) const
{
    if (!m_selKey || !m_selAnchor.isValid() || !m_selCursor.isValid())
        return false;
    const int anchorRow = selectionRow(m_selKey, &m_selKeyRowHint);
    const int cursorRow = selectionRow(m_selCursorKey, &m_selCursorRowHint);
    if (anchorRow < 0 || cursorRow < 0)
        return false;
    if (anchorRow == cursorRow && m_selAnchor == m_selCursor)
        return false;
    const bool forward = anchorRow < cursorRow || (anchorRow == cursorRow && m_selAnchor < m_selCursor);
    range->firstRow = forward ? anchorRow : cursorRow;
    range->lastRow = forward ? cursorRow : anchorRow;
    range->first = forward ? m_selAnchor : m_selCursor;
    range->last = forward ? m_selCursor : m_selAnchor;
    return true;
}

void TranscriptView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    m_lastMousePos = pos;
    if (m_selecting && (event->buttons() & Qt::LeftButton)) {
        if ((pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance())
            m_dragged = true;
        updateSelectionTo(pos);
        const bool outside = pos.y() < 0 || pos.y() > viewport()->height();
        if (outside && !m_autoScroll.isActive())
            m_autoScroll.start();
        else if (!outside)
            m_autoScroll.stop();
        event->accept();
        return;
    }
    if (!(event->buttons() & Qt::LeftButton))
        updateHover(pos);
    event->accept();
}

void TranscriptView::autoScrollTick()
{
    if (!m_selecting) {
        m_autoScroll.stop();
        return;
    }
    const int y = m_lastMousePos.y();
    const int vh = viewport()->height();
    int delta = 0;
    if (y < 0)
        delta = std::max(-80, y / 2 - 4);
    else if (y > vh)
        delta = std::min(80, (y - vh) / 2 + 4);
    if (delta == 0) {
        m_autoScroll.stop();
        return;
    }
    verticalScrollBar()->setValue(verticalScrollBar()->value() + delta);
    updateSelectionTo(m_lastMousePos);
}

void TranscriptView::mouseReleaseEvent(QMouseEvent *event)
{
    m_autoScroll.stop();
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton) {
        QListView::mouseReleaseEvent(event);
        return;
    }
    const int pressRow = rowOfKey(m_pressKey);
    if (pressRow >= 0 && isButton(m_pressHit.target)) {
        const QModelIndex index = indexForRow(pressRow);
        const MessageHit hit = m_delegate->hitTest(itemOption(index), index, pos);
        if (hit.target == m_pressHit.target && hit.codeBlock == m_pressHit.codeBlock)
            activate(pressRow, hit);
    } else if (m_selecting) {
        m_selecting = false;
        const QUrl url(m_pressHit.link);
        const bool openable = url.scheme() == u"https"_s || url.scheme() == u"http"_s || url.scheme() == u"mailto"_s;
        if (!m_dragged && m_pressHit.target == MessageTarget::Link && openable) {
            clearTextSelection();
            QDesktopServices::openUrl(url);
        } else if (hasTextSelection()) {
            if (QClipboard *cb = QGuiApplication::clipboard(); cb->supportsSelection())
                cb->setText(selectedText(), QClipboard::Selection);
        }
    }
    m_pressKey = 0;
    m_pressHit = {};
    event->accept();
}

void TranscriptView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        event->accept();
        return;
    }
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return;
    const QStyleOptionViewItem option = itemOption(index);
    const MessageHit hit = m_delegate->hitTest(option, index, pos);
    if (isButton(hit.target)) {
        // a quick second click on a button is another click
        m_pressKey = m_rows.keyAt(index.row());
        m_pressHit = hit;
        return;
    }
    MessageTextPos a;
    MessageTextPos b;
    if (m_delegate->wordAt(option, index, pos, &a, &b)) {
        SelectionRange old;
        if (selectionRange(&old))
            updateRows(old.firstRow, old.lastRow);
        m_selKey = m_selCursorKey = m_rows.keyAt(index.row());
        m_selAnchor = a;
        m_selCursor = b;
        m_selecting = false;
        updateRow(index.row());
    }
    m_lastDoubleClick = QDateTime::currentMSecsSinceEpoch();
    event->accept();
}

bool TranscriptView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::Leave) {
        if (m_hoverKey) {
            const int row = rowOfKey(m_hoverKey);
            m_hoverKey = 0;
            m_hoverTarget = MessageTarget::None;
            m_hoverCode = -1;
            updateRow(row);
        }
    }
    return QListView::viewportEvent(event);
}

void TranscriptView::wheelEvent(QWheelEvent *event)
{
    QScrollBar *bar = verticalScrollBar();
    if (event->angleDelta().y() > 0 && bar->value() == bar->minimum() && m_nearTopArmed && !m_rows.isEmpty()) {
        m_nearTopArmed = false;
        Q_EMIT nearTopReached();
    }
    QAbstractItemView::wheelEvent(event);
}

// --- actions -----------------------------------------------------------------

void TranscriptView::setFlash(int row, MessageTarget target, int codeBlock)
{
    const int old = rowOfKey(m_flashKey);
    m_flashKey = row >= 0 && row < rowCount() ? m_rows.keyAt(row) : 0;
    m_flashTarget = target;
    m_flashCode = codeBlock;
    if (old != row)
        updateRow(old);
    updateRow(row);
    m_flashTimer.start();
}

void TranscriptView::activate(int row, const MessageHit &hit)
{
    switch (hit.target) {
    case MessageTarget::CopyMessage:
        copyMessage(row);
        setFlash(row, MessageTarget::CopyMessage, -1);
        break;
    case MessageTarget::EditMessage:
        Q_EMIT editRequested(row);
        break;
    case MessageTarget::Retry:
        Q_EMIT retryRequested(row);
        break;
    case MessageTarget::ThinkingToggle:
        setThinkingExpanded(row, !isThinkingExpanded(row));
        break;
    case MessageTarget::CodeCopy:
        copyCodeBlock(row, hit.codeBlock);
        setFlash(row, MessageTarget::CodeCopy, hit.codeBlock);
        break;
    default:
        break;
    }
}

void TranscriptView::setClipboardText(const QString &text, const QString &markdown)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    if (!markdown.isEmpty())
        mime->setData(u"text/markdown"_s, markdown.toUtf8());
    QGuiApplication::clipboard()->setMimeData(mime);
}

void TranscriptView::copyMessage(int row)
{
    const QModelIndex index = indexForRow(row);
    if (!index.isValid())
        return;
    const auto role = ChatMessage::Role(index.data(TranscriptModel::MessageRoleRole).toInt());
    const QString markdown = index.data(TranscriptModel::TextRole).toString();
    if (role == ChatMessage::Role::Assistant)
        setClipboardText(m_delegate->plainText(itemOption(index), index), markdown);
    else
        setClipboardText(markdown);
    Q_EMIT copied(tr("message"));
}

void TranscriptView::copyMessageMarkdown(int row)
{
    const QModelIndex index = indexForRow(row);
    if (!index.isValid())
        return;
    const QString markdown = index.data(TranscriptModel::TextRole).toString();
    setClipboardText(markdown, markdown);
    Q_EMIT copied(tr("message as Markdown"));
}

void TranscriptView::copyCodeBlock(int row, int codeBlock)
{
    const QModelIndex index = indexForRow(row);
    if (!index.isValid())
        return;
    const QString code = m_delegate->codeBlockText(itemOption(index), index, codeBlock);
    setClipboardText(code);
    Q_EMIT copied(tr("code block"));
}

bool TranscriptView::hasTextSelection() const
{
    SelectionRange range;
    return selectionRange(&range);
}

QString TranscriptView::selectedText() const
{
    SelectionRange range;
    if (!selectionRange(&range))
        return {};
    // The selected part of the first message, the messages in between, the
    // selected part of the last, separated by a blank line.
    QStringList parts;
    for (int row = range.firstRow; row <= range.lastRow; ++row) {
        const QModelIndex index = indexForRow(row);
        const QStyleOptionViewItem option = itemOption(index);
        const MessageTextPos from = row == range.firstRow ? range.first : m_delegate->startPos(option, index);
        const MessageTextPos to = row == range.lastRow ? range.last : m_delegate->endPos(option, index);
        const QString text = m_delegate->selectedText(option, index, from, to);
        if (!text.isEmpty())
            parts << text;
    }
    return parts.join(u"\n\n"_s);
}

void TranscriptView::clearTextSelection()
{
    SelectionRange old;
    const bool had = selectionRange(&old);
    m_selKey = m_selCursorKey = 0;
    m_selAnchor = m_selCursor = {};
    m_selecting = false;
    if (had)
        updateRows(old.firstRow, old.lastRow);
}

void TranscriptView::selectMessageText(int row)
{
    const QModelIndex index = indexForRow(row);
    if (!index.isValid())
        return;
    const QStyleOptionViewItem option = itemOption(index);
    SelectionRange old;
    if (selectionRange(&old))
        updateRows(old.firstRow, old.lastRow);
    m_selKey = m_selCursorKey = m_rows.keyAt(row);
    m_selAnchor = m_delegate->startPos(option, index);
    m_selCursor = m_delegate->endPos(option, index);
    m_selecting = false;
    updateRow(row);
}

void TranscriptView::selectAllText()
{
    // From the start of the first message with text to the end of the last one;
    // the end stays where it is while a reply streams on.
    int first = 0;
    MessageTextPos start;
    for (; first < rowCount() && !start.isValid(); ++first) {
        const QModelIndex index = indexForRow(first);
        start = m_delegate->startPos(itemOption(index), index);
    }
    --first;
    int last = rowCount() - 1;
    MessageTextPos end;
    for (; last >= 0 && !end.isValid(); --last) {
        const QModelIndex index = indexForRow(last);
        end = m_delegate->endPos(itemOption(index), index);
    }
    ++last;
    if (!start.isValid() || !end.isValid() || last < first)
        return;
    m_selKey = m_rows.keyAt(first);
    m_selAnchor = start;
    m_selCursorKey = m_rows.keyAt(last);
    m_selCursor = end;
    m_selecting = false;
    viewport()->update();
}

void TranscriptView::copySelection()
{
    if (hasTextSelection()) {
        setClipboardText(selectedText());
        Q_EMIT copied(tr("selection"));
    } else if (currentIndex().isValid()) {
        copyMessage(currentIndex().row());
    }
}

bool TranscriptView::isThinkingExpanded(int row) const
{
    const QModelIndex index = indexForRow(row);
    if (!index.isValid())
        return false;
    const int choice = m_rows.at(row).thinking;
    if (choice >= 0)
        return choice > 0;
    return index.data(TranscriptModel::TextRole).toString().isEmpty();
}

void TranscriptView::setThinkingExpanded(int row, bool expanded)
{
    if (row < 0 || row >= rowCount())
        return;
    const Anchor anchor = captureAnchor();
    m_rows.setThinking(row, expanded ? 1 : 0);
    const quint64 key = m_rows.keyAt(row);
    if ((m_selKey == key && m_selAnchor.part == MessagePart::Reasoning)
        || (m_selCursorKey == key && m_selCursor.part == MessagePart::Reasoning))
        clearTextSelection();
    measureRow(row);
    layoutPass(anchor);
    viewport()->update();
}

QMenu *TranscriptView::createContextMenu(const QModelIndex &index, const QPoint &viewportPos)
{
    auto *menu = new QMenu(this);
    if (!index.isValid() || index.row() >= rowCount())
        return menu;
    const int row = index.row();
    const QStyleOptionViewItem option = itemOption(index);
    const MessageHit hit = m_delegate->hitTest(option, index, viewportPos);
    const auto role = ChatMessage::Role(index.data(TranscriptModel::MessageRoleRole).toInt());
    const auto state = Message::State(index.data(TranscriptModel::StateRole).toInt());
    SelectionRange selection;
    const bool selectionHere = selectionRange(&selection) && row >= selection.firstRow && row <= selection.lastRow;

    QAction *copy = menu->addAction(tr("Copy"), this, [this, row, selectionHere] {
        if (selectionHere) {
            setClipboardText(selectedText());
            Q_EMIT copied(tr("selection"));
        } else {
            copyMessage(row);
        }
    });
    copy->setObjectName(u"copyAction"_s);
    if (selectionHere)
        copy->setShortcut(QKeySequence::Copy);
    menu->addAction(tr("Copy as Markdown"), this, [this, row] { copyMessageMarkdown(row); })
        ->setObjectName(u"copyMarkdownAction"_s);

    const int codeBlock = hit.target == MessageTarget::CodeCopy
        ? hit.codeBlock
        : m_delegate->codeBlockAt(option, index, viewportPos);
    if (codeBlock >= 0) {
        menu->addAction(tr("Copy Code Block"), this, [this, row, codeBlock] { copyCodeBlock(row, codeBlock); })
            ->setObjectName(u"copyCodeAction"_s);
    }
    if (hit.target == MessageTarget::Link) {
        const QString link = hit.link;
        menu->addAction(tr("Copy Link Address"), this, [this, link] {
            setClipboardText(link);
            Q_EMIT copied(tr("link"));
        })->setObjectName(u"copyLinkAction"_s);
    }
    menu->addSeparator();
    if (role == ChatMessage::Role::Assistant
        && (state == Message::State::Stopped || state == Message::State::Truncated
            || state == Message::State::Failed || state == Message::State::Interrupted)) {
        menu->addAction(tr("Retry"), this, [this, row] { Q_EMIT retryRequested(row); })
            ->setObjectName(u"retryAction"_s);
    }
    if (role == ChatMessage::Role::User) {
        menu->addAction(tr("Edit and resend"), this, [this, row] { Q_EMIT editRequested(row); })
            ->setObjectName(u"editAction"_s);
    }
    if (!index.data(TranscriptModel::ReasoningRole).toString().isEmpty()) {
        const bool expanded = isThinkingExpanded(row);
        menu->addAction(expanded ? tr("Hide Thinking") : tr("Show Thinking"), this,
                        [this, row, expanded] { setThinkingExpanded(row, !expanded); })
            ->setObjectName(u"toggleThinkingAction"_s);
    }
    menu->addAction(tr("Select Message Text"), this, [this, row] { selectMessageText(row); })
        ->setObjectName(u"selectAllAction"_s);
    return menu;
}

void TranscriptView::contextMenuEvent(QContextMenuEvent *event)
{
    QModelIndex index = indexAt(event->pos());
    QPoint pos = event->pos();
    QPoint globalPos = event->globalPos();
    if (event->reason() == QContextMenuEvent::Keyboard && currentIndex().isValid()) {
        // Menu key / Shift+F10: the current message, at its visible top-left.
        index = currentIndex();
        const QRect r = visualRect(index).intersected(viewport()->rect());
        pos = r.isEmpty() ? viewport()->rect().center() : r.topLeft() + QPoint(40, 20);
        globalPos = viewport()->mapToGlobal(pos);
    }
    if (!index.isValid())
        return;
    std::unique_ptr<QMenu> menu(createContextMenu(index, pos));
    menu->exec(globalPos);
}

// --- keyboard --------------------------------------------------------------

void TranscriptView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copySelection();
        event->accept();
        return;
    }
    if (event == QKeySequence::SelectAll) {
        // With the focus in the transcript, the whole conversation (one message:
        // the context menu's Select Message Text, or a triple click).
        selectAllText();
        event->accept();
        return;
    }
    QScrollBar *bar = verticalScrollBar();
    const int step = std::max(8, qRound(m_delegate->messageStyle().markdown.lineSpacing * 3));
    switch (event->key()) {
    case Qt::Key_Home:
        m_keyboardFocusVisible = true;
        if (!m_rows.isEmpty())
            selectionModel()->setCurrentIndex(indexForRow(0), QItemSelectionModel::ClearAndSelect);
        m_following = false;
        setScrollValue(0);
        event->accept();
        return;
    case Qt::Key_End:
        m_keyboardFocusVisible = true;
        if (!m_rows.isEmpty())
            selectionModel()->setCurrentIndex(indexForRow(rowCount() - 1), QItemSelectionModel::ClearAndSelect);
        scrollToEnd();
        event->accept();
        return;
    case Qt::Key_PageUp:
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);
        event->accept();
        return;
    case Qt::Key_PageDown:
        bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
        event->accept();
        return;
    case Qt::Key_Escape:
        if (hasTextSelection()) {
            clearTextSelection();
            event->accept();
            return;
        }
        break;
    case Qt::Key_Up:
    case Qt::Key_Down: {
        m_keyboardFocusVisible = true;
        const bool up = event->key() == Qt::Key_Up;
        const QModelIndex current = currentIndex();
        if (current.isValid()) {
            // Inside a message taller than the view, arrows scroll through it first.
            const QRect r = visualRect(current);
            const int vh = viewport()->height();
            if (up && r.top() < 0 && r.bottom() > 0) {
                setScrollValue(bar->value() - std::min(step, -r.top()));
                event->accept();
                return;
            }
            if (!up && r.bottom() > vh && r.top() < vh) {
                setScrollValue(bar->value() + std::min(step, r.bottom() - vh + 1));
                event->accept();
                return;
            }
        }
        const QModelIndex next = moveCursor(up ? MoveUp : MoveDown, event->modifiers());
        if (next.isValid()) {
            selectionModel()->setCurrentIndex(next, QItemSelectionModel::ClearAndSelect);
            const QRect r = visualRect(next);
            const int vh = viewport()->height();
            if (r.height() > vh)
                scrollTo(next, up ? PositionAtBottom : PositionAtTop);
            else
                scrollTo(next, EnsureVisible);
        }
        event->accept();
        return;
    }
    default:
        break;
    }
    QListView::keyPressEvent(event);
}
