#pragma once

#include "messagelayout.h"
#include "transcriptrows.h"

#include <QListView>
#include <QPointer>
#include <QTimer>

class MessageDelegate;
class QMenu;
class TranscriptModel;

// The conversation as the user reads it: one row per message of a
// TranscriptModel, painted by MessageDelegate (Markdown replies, code blocks
// with Copy, a collapsible Thinking section, Retry on replies that did not finish).
//
//   auto *view = new TranscriptView(parent);
//   view->setTranscript(session->transcript());        // again to switch conversations
//   connect(view, &TranscriptView::retryRequested, ...); // also editRequested, copied, nearTopReached
//
// While the user is at the bottom the view follows the streaming reply; scrolling
// up stops that, scrolling back to the bottom (or End, or scrollToEnd()) resumes it.
// Text can be selected with the mouse, within a message or across several
// (dragging past an edge scrolls; Shift+click extends; Ctrl+A selects the whole
// transcript); Ctrl+C copies the selection (messages separated by a blank line)
// or else the current message; Home/End jump to the first/last message.
//
// It keeps its own row geometry instead of QListView's: a token re-lays out only
// the streaming row (its last Markdown block), and rows that were never on screen
// carry a cheap estimated height until they scroll into view, so opening a long
// conversation lays out only what is visible.
class TranscriptView : public QListView
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);
    ~TranscriptView() override;

    void setTranscript(TranscriptModel *model);   // may be called again to switch conversations (nullptr ok)
    TranscriptModel *transcript() const;
    bool isFollowing() const;                     // true while pinned to the bottom
    void scrollToEnd();

    MessageDelegate *messageDelegate() const { return m_delegate; }
    // A style option for the row of \a index, with rect = visualRect(index): for
    // MessageDelegate's geometry helpers.
    QStyleOptionViewItem itemOption(const QModelIndex &index) const;
    // What the view knows about a row beyond the model (identity, hover, selection).
    MessageRowState rowState(int row) const;

    bool hasTextSelection() const;
    QString selectedText() const;
    void clearTextSelection();
    void selectMessageText(int row);
    void selectAllText();           // every message of the transcript

    void copyMessage(int row);
    void copyMessageMarkdown(int row);
    void copyCodeBlock(int row, int codeBlock);
    void copySelection();           // the text selection, or else the current message
    bool isThinkingExpanded(int row) const;
    void setThinkingExpanded(int row, bool expanded);

    // The context menu for a row (the caller owns it): Copy, Copy as Markdown,
    // Copy Code, Retry, Edit and resend, Show/Hide Thinking, as they apply.
    QMenu *createContextMenu(const QModelIndex &index, const QPoint &viewportPos);

    QString placeholderText() const { return m_placeholder; }
    void setPlaceholderText(const QString &text);

    int paintCount() const { return m_paintCount; } // test and benchmark hook

    void setModel(QAbstractItemModel *model) override;
    QRect visualRect(const QModelIndex &index) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    QModelIndex indexAt(const QPoint &point) const override;
    void doItemsLayout() override;
    void reset() override;
    void keyboardSearch(const QString &search) override;

Q_SIGNALS:
    void retryRequested(int row);                 // assistant reply that is stopped/truncated/failed/interrupted
    void editRequested(int row);                  // a user message: "Edit and resend"
    void copied(const QString &what);             // e.g. "message", "code block" — for a status-bar note
    void nearTopReached();                        // user scrolled near the top: the window loads older messages

protected:
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;
    void updateGeometries() override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    int horizontalOffset() const override;
    int verticalOffset() const override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    bool isIndexHidden(const QModelIndex &index) const override;
    QSize viewportSizeHint() const override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    struct Anchor
    {
        quint64 key = 0;
        int row = -1;
        qint64 offset = 0;  // row top minus scroll value
    };

    void rowsAboutToBeInsertedSlot(const QModelIndex &parent, int start, int end);
    void rowsRemovedSlot(const QModelIndex &parent, int start, int end);
    void layoutChangedSlot();

    int rowCount() const { return m_rows.count(); }
    QModelIndex indexForRow(int row) const;
    int rowOfKey(quint64 key) const { return m_rows.rowOfKey(key); }
    void rebuildRows();
    int estimateRow(int row) const;
    qint64 rowTop(int row) const { return m_rows.top(row); }
    qint64 totalHeight() const { return m_rows.total(); }
    int rowAtY(qint64 y) const { return m_rows.rowAt(y); }
    bool isExact(int row) const;
    bool measureRow(int row);
    Anchor captureAnchor() const;
    void applyScrollRange(const Anchor &anchor);
    bool layoutPass(const Anchor &anchor);
    void relayout();
    void setScrollValue(int value);
    void updateRow(int row);
    void updateHover(const QPoint &pos);
    void setFlash(int row, MessageTarget target, int codeBlock);
    void activate(int row, const MessageHit &hit);
    void updateSelectionTo(const QPoint &pos);
    void autoScrollTick();
    void setClipboardText(const QString &text, const QString &markdown = QString());

    // The text selection in row order: from (firstRow, first) to (lastRow, last).
    struct SelectionRange
    {
        int firstRow = -1;
        int lastRow = -1;
        MessageTextPos first;
        MessageTextPos last;
    };
    bool selectionRange(SelectionRange *range) const;
    int selectionRow(quint64 key, int *hint) const;
    MessageRowState rowState(int row, const SelectionRange *selection) const;
    void updateRows(int from, int to);

    MessageDelegate *m_delegate = nullptr;
    QPointer<QAbstractItemModel> m_connectedModel;
    QPointer<TranscriptModel> m_transcript;
    TranscriptRows m_rows;

    bool m_following = true;
    int m_adjusting = 0;
    bool m_nearTopArmed = true;
    Anchor m_pendingAnchor;
    int m_paintCount = 0;
    QString m_placeholder;

    // pointer state (rows by key, so they survive rows moving)
    quint64 m_hoverKey = 0;
    MessageTarget m_hoverTarget = MessageTarget::None;
    int m_hoverCode = -1;
    quint64 m_pressKey = 0;
    MessageHit m_pressHit;
    QPoint m_pressPos;
    bool m_selecting = false;
    bool m_dragged = false;
    quint64 m_selKey = 0;           // the row of the selection's anchor
    MessageTextPos m_selAnchor;
    quint64 m_selCursorKey = 0;     // the row of its moving end (may differ from m_selKey)
    MessageTextPos m_selCursor;
    mutable int m_selKeyRowHint = -1;     // row lookups by key, checked before use
    mutable int m_selCursorRowHint = -1;
    QPoint m_lastMousePos;
    QTimer m_autoScroll;
    qint64 m_lastDoubleClick = 0;
    quint64 m_flashKey = 0;
    MessageTarget m_flashTarget = MessageTarget::None;
    int m_flashCode = -1;
    QTimer m_flashTimer;
    bool m_keyboardFocusVisible = false;
};
