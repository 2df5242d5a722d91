#pragma once

#include "markdownrenderer.h"

#include "chat/message.h"

#include <QCoreApplication>
#include <QPalette>
#include <QRect>
#include <QPair>
#include <QString>

#include <memory>

class QModelIndex;
class QPainter;

// Colours and metrics of the transcript, derived from a widget's palette and font.
struct MessageStyle
{
    MarkdownStyle markdown;
    QFont labelFont;        // bold small: role label
    QColor base;            // view background
    QColor accent;
    QColor onAccent;        // text/glyphs drawn on the accent colour
    QColor bubble;          // user message card
    QColor warning;         // stopped / partial
    QColor error;
    QColor warningBackground;
    QColor errorBackground;
    int maxColumnWidth = 760;
    bool dark = false;

    static MessageStyle fromWidget(const QPalette &palette, const QFont &font);
};

enum class MessagePart { Reasoning, Content };

// A text position inside one message: the part, then the renderer position.
struct MessageTextPos
{
    MessagePart part = MessagePart::Content;
    MarkdownRenderer::Pos pos;
    bool isValid() const { return pos.isValid(); }
    friend bool operator<(const MessageTextPos &a, const MessageTextPos &b)
    {
        return a.part != b.part ? a.part < b.part : a.pos < b.pos;
    }
    friend bool operator==(const MessageTextPos &a, const MessageTextPos &b)
    {
        return a.part == b.part && a.pos == b.pos;
    }
};

enum class MessageTarget { None, Text, Link, CopyMessage, EditMessage, Retry, ThinkingToggle, CodeCopy };

// What is under a point of a message.
struct MessageHit
{
    MessageTarget target = MessageTarget::None;
    int codeBlock = -1;     // CodeCopy
    MessageTextPos text;    // Text (and Link)
    QString link;           // Link
};

// What the view knows about a row beyond the model: identity, hover, selection.
struct MessageRowState
{
    quint64 key = 0;        // stable identity of the row; 0: none (no caching)
    int thinking = -1;      // the user's choice for the Thinking section: -1 automatic, 0 collapsed, 1 expanded
    bool hovered = false;
    bool focused = false;   // keyboard focus is on this message
    MessageTarget hoverTarget = MessageTarget::None;
    int hoverCode = -1;
    MessageTarget flashTarget = MessageTarget::None; // shows "Copied" for a moment
    int flashCode = -1;
    MessageTextPos selectionStart;
    MessageTextPos selectionEnd;
};

// One message laid out for painting (a row of TranscriptView), in row coordinates:
// header (role, model, state badge, hover buttons), the collapsible Thinking
// section, the body (Markdown for assistant replies, a bubble for the user),
// a status banner with Retry for replies that did not finish, and a footer.
// update() reads the row from the model and re-lays out only what changed.
class MessageLayout
{
    Q_DECLARE_TR_FUNCTIONS(MessageLayout)
public:
    explicit MessageLayout(const MessageStyle *style);
    ~MessageLayout();

    // Reads the message at \a index; returns true if anything visible changed.
    bool update(const QModelIndex &index, int width, int thinking);
    int width() const { return m_width; }
    int height() const { return m_height; }
    int changedFromY() const { return m_changedFrom; } // after update(): top of what changed
    bool thinkingExpanded() const { return m_thinkingExpanded; }
    bool hasReasoning() const { return m_hasReasoning; }
    ChatMessage::Role role() const { return m_role; }
    Message::State state() const { return m_state; }

    void paint(QPainter *painter, const QRect &clip, const MessageRowState &state) const;

    MessageHit hitTest(const QPoint &point) const;
    MessageTextPos textPosAt(const QPoint &point) const;   // nearest, for drag selection
    bool wordAt(const QPoint &point, MessageTextPos *start, MessageTextPos *end) const;
    MessageTextPos startPos() const;
    MessageTextPos endPos() const;
    QString selectedText(MessageTextPos start, MessageTextPos end) const;
    QString plainText() const;
    QString markdownText() const { return m_content->text(); }
    QString toolTipAt(const QPoint &point) const;

    int codeBlockCount() const { return m_content->codeBlockCount(); }
    QString codeBlockText(int codeBlock) const { return m_content->codeBlockText(codeBlock); }
    QRect codeCopyButtonRect(int codeBlock) const;
    int codeBlockAt(const QPoint &point) const;

    QRect copyButtonRect() const { return m_copyButton; }
    QRect editButtonRect() const { return m_editButton; }
    QRect retryButtonRect() const { return m_retryButton; }
    QRect thinkingToggleRect() const { return m_toggle; }
    QRect contentRect() const { return m_contentRect; }

    // The horizontal extent [left, right) of everything a row paints at this width.
    static QPair<int, int> paintedColumn(int width, const MessageStyle &style);

    // Cheap height guess from the text alone, for rows not laid out yet.
    static int estimateHeight(const QModelIndex &index, int width, const MessageStyle &style);

    quint64 lastUsed = 0; // for the delegate's cache

private:
    void layout();
    QString statusTitle() const;
    QString statusDetail() const;
    QString badgeText() const;
    QColor badgeColor() const;
    QPointF contentOrigin() const { return m_contentRect.topLeft(); }
    QPointF reasoningOrigin() const { return m_reasoningRect.topLeft(); }

    const MessageStyle *m_style;
    std::unique_ptr<MarkdownRenderer> m_content;
    MarkdownRenderer m_reasoning;

    bool m_initialized = false;
    ChatMessage::Role m_role = ChatMessage::Role::User;
    Message::State m_state = Message::State::Completed;
    QString m_model;
    QString m_error;
    QString m_footer;
    QString m_tooltip;
    bool m_thinkingExpanded = false;
    bool m_reasoningStreaming = false;
    bool m_hasReasoning = false;

    int m_width = -1;
    int m_height = 0;
    int m_changedFrom = 0;
    QRect m_column;
    QRect m_header;
    QRect m_badge;
    QRect m_copyButton;
    QRect m_editButton;
    QRect m_toggle;
    QRect m_reasoningRect;
    QRect m_contentRect;
    QRect m_bubble;
    QRect m_typing;
    QRect m_banner;
    QRect m_retryButton;
    QRect m_footerRect;
};
