#pragma once

#include "codehighlighter.h"
#include "markdownsplit.h"

#include <QColor>
#include <QFont>
#include <QList>
#include <QRectF>
#include <QString>
#include <QStringView>

#include <array>
#include <memory>
#include <vector>

class QPainter;
class QTextDocument;

// Fonts, colours and spacing shared by every rendered message. Built from a
// widget's palette and font by MessageDelegate (light and dark themes alike).
struct MarkdownStyle
{
    QFont font;          // body text
    QFont smallFont;     // labels, badges, buttons
    QFont monoFont;      // code
    QColor text;
    QColor dimText;      // secondary text (reasoning, labels)
    QColor link;
    QColor codeBackground;
    QColor codeHeader;
    QColor border;       // separators, table rules, code frames
    QColor inlineCodeBackground;
    QColor buttonHover;
    QColor highlight;    // text selection
    QColor highlightedText;
    // Code colours, indexed by CodeToken; an invalid colour leaves that token plain.
    std::array<QColor, CodeTokenCount> syntax;
    qreal paragraphGap = 8;
    qreal itemGap = 2;
    qreal lineSpacing = 16; // of the body font
    qreal smallLineSpacing = 14;
};

// A Markdown (or plain) text laid out for painting: one QTextDocument per
// top-level piece, stacked vertically. Code blocks get a header with their
// language and a Copy button, and syntax colours (CodeHighlighter, applied as
// layout formats: the text, and what Copy copies, stay the code as written; a
// growing block re-highlights from its last line only).
//
//   MarkdownRenderer r(&style);
//   r.setText(text, /*streaming*/ true);   // again with a longer text: only the tail is re-parsed
//   r.setWidth(600);
//   r.draw(&painter, clip, {});            // painter translated to the text's top-left
//
// Positions (for selection and hit tests) are Pos{segment, position in its document}.
class MarkdownRenderer
{
public:
    enum class Mode { Markdown, Plain };

    struct Pos
    {
        int segment = -1;
        int pos = 0;
        bool isValid() const { return segment >= 0; }
        friend bool operator<(const Pos &a, const Pos &b)
        {
            return a.segment != b.segment ? a.segment < b.segment : a.pos < b.pos;
        }
        friend bool operator==(const Pos &a, const Pos &b)
        {
            return a.segment == b.segment && a.pos == b.pos;
        }
        friend bool operator!=(const Pos &a, const Pos &b) { return !(a == b); }
    };

    struct DrawOptions
    {
        Pos selectionStart;          // both valid: [start, end) is painted selected
        Pos selectionEnd;
        int hoveredCodeCopy = -1;    // code block whose Copy button is under the mouse
        int flashedCodeCopy = -1;    // code block whose Copy button says "Copied"
        QColor textColor;            // invalid: style text colour
    };

    explicit MarkdownRenderer(const MarkdownStyle *style, Mode mode = Mode::Markdown);
    ~MarkdownRenderer();
    MarkdownRenderer(const MarkdownRenderer &) = delete;
    MarkdownRenderer &operator=(const MarkdownRenderer &) = delete;

    // Returns true when the rendering changed. A text that extends the previous
    // one re-parses only the last top-level piece.
    bool setText(const QString &text, bool streaming = false);
    const QString &text() const { return m_text; }
    bool isEmpty() const { return m_segments.empty(); }

    void setWidth(qreal width);
    qreal width() const { return m_width; }
    qreal height() const;
    qreal idealWidth() const;  // widest line (Plain mode: for fitting bubbles)
    // Top of the first piece that changed in the last setText()/setWidth(); height() if none.
    qreal changedFromY() const;

    void draw(QPainter *painter, const QRectF &clip, const DrawOptions &options) const;

    Pos hitTest(const QPointF &point) const; // nearest text position
    Pos startPos() const;
    Pos endPos() const;
    bool wordAt(const QPointF &point, Pos *start, Pos *end) const;
    QString anchorAt(const QPointF &point) const;
    QString selectedText(Pos from, Pos to) const;
    QString toPlainText() const;

    int codeBlockCount() const;
    QString codeBlockText(int codeBlock) const;
    QString codeBlockLanguage(int codeBlock) const;
    QRectF codeBlockRect(int codeBlock) const;
    QRectF codeCopyButtonRect(int codeBlock) const;
    int codeCopyButtonAt(const QPointF &point) const; // -1 if none
    int codeBlockAt(const QPointF &point) const;      // -1 if none

    // Test and benchmark hooks: documents (re)built from source since start-up;
    // syntax colours on or off (on by default) for renderers' later updates.
    static int markdownParseCount();
    static int codeUpdateCount();
    static void setSyntaxHighlighting(bool enabled);

private:
    struct Segment;
    void rebuildFrom(qsizetype sourceFrom, int firstSegment);
    bool updateSegment(Segment &segment, const MarkdownSpan &span, qreal *changedY);
    int highlightCode(Segment &segment, bool appended) const; // first line recoloured (INT_MAX: none)
    void layoutSegment(Segment &segment) const;
    void relayoutFrom(int firstSegment) const;
    void drawCodeSegment(QPainter *painter, const Segment &segment, int codeIndex, const QRectF &clip,
                         const DrawOptions &options) const;
    qreal gapBefore(int segment) const;
    int segmentAtY(qreal y) const;
    QPointF docOrigin(const Segment &segment) const;
    int codeIndexOf(int segment) const;
    int segmentOfCode(int codeBlock) const;

    const MarkdownStyle *m_style;
    Mode m_mode;
    QString m_text;
    bool m_streaming = false;
    qreal m_width = 0;
    mutable qreal m_height = 0;
    mutable int m_dirtyFrom = 0; // first segment whose geometry must be recomputed
    int m_changedSegment = 0;   // first piece changed by the last setText()/setWidth()
    qreal m_changedY = 0;       // ... and where in it (from its top)
    std::vector<std::unique_ptr<Segment>> m_segments;
};
