#pragma once

#include <QColor>
#include <QFont>
#include <QList>
#include <QRectF>
#include <QString>
#include <QStringView>

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
    qreal paragraphGap = 8;
    qreal itemGap = 2;
    qreal lineSpacing = 16; // of the body font
    qreal smallLineSpacing = 14;
};

// One top-level piece of a Markdown text, as splitMarkdown() finds it.
struct MarkdownSpan
{
    enum class Kind : quint8 { Markdown, Code };
    Kind kind = Kind::Markdown;
    qsizetype start = 0;      // source range [start, end)
    qsizetype end = 0;
    qsizetype codeStart = 0;  // Code: the code between the fences
    qsizetype codeEnd = 0;
    QString language;         // Code: first word of the info string
    bool closed = false;      // Code: closing fence seen
    bool softBreak = false;   // Markdown: split inside a long list (tight gap before it)
};

// Splits Markdown into independent top-level pieces: runs of blocks separated
// by a blank line before an unindented line, and top-level fenced code blocks.
// Parsing each piece alone gives the same result as parsing the whole text, so
// a growing text only ever re-parses its last piece. \a from must be 0 or the
// start of a span an earlier call returned for a prefix of the same text.
// With \a streaming, a trailing half-written fence line is left out.
QList<MarkdownSpan> splitMarkdown(QStringView text, qsizetype from = 0, bool streaming = false);

// A Markdown (or plain) text laid out for painting: one QTextDocument per
// top-level piece, stacked vertically. Code blocks get a header with their
// language and a Copy button.
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

    // Test and benchmark hooks: documents (re)built from source since start-up.
    static int markdownParseCount();
    static int codeUpdateCount();

private:
    struct Segment;
    void rebuildFrom(qsizetype sourceFrom, int firstSegment);
    bool updateSegment(Segment &segment, const MarkdownSpan &span, qreal *changedY);
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
