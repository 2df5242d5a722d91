#include "markdownrenderer.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextList>
#include <QTextTable>
#include <QUrl>
#include <QVariant>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {

int s_markdownParses = 0;
int s_codeUpdates = 0;
bool s_highlighting = true;

constexpr qreal CodeRadius = 8;
constexpr qreal CodePadX = 12;
constexpr qreal CodePadY = 10;
constexpr qreal QuoteIndent = 14;
constexpr int LineHeightPercent = 118; // body text reads better a little looser than the font's own

QString trimmedSource(QStringView text, qsizetype start, qsizetype end)
{
    while (end > start && (text[end - 1] == u'\n' || text[end - 1] == u'\r'))
        --end;
    return text.mid(start, end - start).toString();
}

} // namespace

struct MarkdownRenderer::Segment
{
    MarkdownSpan::Kind kind = MarkdownSpan::Kind::Markdown;
    QString source;      // Markdown source, or the code
    QString language;
    qsizetype spanStart = 0;
    bool softBreak = false;
    bool hasQuote = false;
    qreal leadingMargin = 0; // wanted space above (a heading wants more than a paragraph)
    std::unique_ptr<QTextDocument> doc;
    std::unique_ptr<CodeHighlighter> highlighter; // code: line states of the growing block
    qreal y = 0;
    qreal height = 0;
    qreal laidOutWidth = -1;
};

namespace {

// A document that never loads anything: a reply that says ![x](/some/file)
// must not make the app read local files.
class ReplyDocument : public QTextDocument
{
public:
    using QTextDocument::QTextDocument;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        Q_UNUSED(type);
        Q_UNUSED(name);
        return {};
    }
};

QTextDocument *newDocument(const QFont &font)
{
    auto *doc = new ReplyDocument;
    doc->setUndoRedoEnabled(false);
    doc->setDocumentMargin(0);
    doc->setDefaultFont(font);
    QTextOption option = doc->defaultTextOption();
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    doc->setDefaultTextOption(option);
    return doc;
}

qreal scaledSize(const QFont &font, qreal factor)
{
    return font.pointSizeF() > 0 ? font.pointSizeF() * factor : font.pixelSize() * factor;
}

void setFontSize(QTextCharFormat &format, const QFont &base, qreal factor)
{
    if (base.pointSizeF() > 0)
        format.setFontPointSize(base.pointSizeF() * factor);
    else
        format.setProperty(QTextFormat::FontPixelSize, qRound(base.pixelSize() * factor));
}

// The table holding \a position, without a QTextCursor (whose setPosition()
// would shape the line to find the cursor's x).
QTextTable *tableAt(const QTextDocument *doc, int position)
{
    const QList<QTextFrame *> frames = doc->rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        if (frame->firstPosition() <= position && position <= frame->lastPosition())
            return qobject_cast<QTextTable *>(frame);
    }
    return nullptr;
}

// Where the table starting at \a firstPosition begins in \a doc's layout, at or
// above its top margin: the top of the block just before it. (The layout's
// frameBoundingRect() of a QTextTable is offset by its first cell's position,
// border and padding, so it starts some pixels inside the header row.)
qreal tableTop(const QTextDocument *doc, int firstPosition)
{
    const QTextBlock above = doc->findBlock(std::max(0, firstPosition - 1));
    return above.isValid() ? doc->documentLayout()->blockBoundingRect(above).top() : 0;
}

bool isCodeLine(const QTextBlockFormat &f)
{
    return f.hasProperty(QTextFormat::BlockCodeLanguage) || f.hasProperty(QTextFormat::BlockCodeFence);
}

// The character format of each code token, and for each the first token of
// the same colour (-1: left plain), so that neighbours of one colour share one range.
struct SyntaxFormats
{
    std::array<QTextCharFormat, CodeTokenCount> format;
    std::array<int, CodeTokenCount> colour{};
};

SyntaxFormats syntaxFormats(const MarkdownStyle &s)
{
    SyntaxFormats f;
    for (int i = 0; i < CodeTokenCount; ++i) {
        const QColor &c = s.syntax[size_t(i)];
        f.colour[size_t(i)] = -1;
        if (!c.isValid())
            continue;
        f.format[size_t(i)].setForeground(c);
        for (int j = 0; j <= i; ++j) {
            if (s.syntax[size_t(j)] == c) {
                f.colour[size_t(i)] = j;
                break;
            }
        }
    }
    return f;
}

// Colours one line of code: formats of its layout, over the document's text
// (which stays as it is). The caller marks the block's contents dirty.
void applySpans(const QTextBlock &block, const QList<CodeSpan> &spans, const SyntaxFormats &formats)
{
    QList<QTextLayout::FormatRange> ranges;
    ranges.reserve(spans.size());
    int lastColour = -1;
    for (const CodeSpan &span : spans) {
        const int colour = formats.colour[size_t(span.token)];
        if (colour < 0)
            continue;
        if (colour == lastColour && ranges.last().start + ranges.last().length == span.start) {
            ranges.last().length += span.length;
            continue;
        }
        ranges.append({span.start, span.length, formats.format[size_t(colour)]});
        lastColour = colour;
    }
    QTextLayout *layout = block.layout();
    if (!ranges.isEmpty() || !layout->formats().isEmpty())
        layout->setFormats(ranges);
}

// Gives a document fresh from setMarkdown() the app's look: spacing, heading
// sizes, inline code, links, tables, quotes and code blocks nested in lists.
// Returns the top margin the first block would have had (headings want more room).
qreal polishMarkdown(QTextDocument *doc, const MarkdownStyle &s, bool *hasQuote)
{
    *hasQuote = false;
    qreal leadingMargin = 0;
    struct CharChange
    {
        int from;
        int to;
        QTextCharFormat format;
    };
    QList<CharChange> charChanges;
    QTextCursor cursor(doc);
    cursor.beginEditBlock();

    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        QTextBlockFormat bf = b.blockFormat();
        const QTextBlockFormat original = bf;
        const bool inTable = tableAt(doc, b.position()) != nullptr;
        const int heading = bf.headingLevel();
        const bool code = isCodeLine(bf);
        QTextList *list = b.textList();
        const int quote = bf.intProperty(QTextFormat::BlockQuoteLevel);

        qreal top = s.paragraphGap;
        qreal bottom = s.paragraphGap;
        if (inTable) {
            top = bottom = 0;
        } else if (heading > 0) {
            top = s.paragraphGap * (heading <= 2 ? 1.7 : 1.4);
            bottom = s.paragraphGap * 0.35;
        } else if (code) {
            const bool firstLine = !isCodeLine(b.previous().blockFormat());
            const bool lastLine = !isCodeLine(b.next().blockFormat());
            top = firstLine ? s.paragraphGap * 0.5 : 0;
            bottom = lastLine ? s.paragraphGap * 0.5 : 0;
            bf.setBackground(s.codeBackground);
            bf.setNonBreakableLines(false);
        } else if (list) {
            const bool topLevel = list->format().indent() <= 1;
            top = bottom = s.itemGap;
            if (topLevel && list->itemNumber(b) == 0)
                top = s.paragraphGap;
            if (topLevel && list->itemNumber(b) == list->count() - 1)
                bottom = s.paragraphGap;
        } else if (b.length() <= 1 && !quote) {
            // The empty blocks QTextDocument keeps around a table: no height.
            top = bottom = 0;
            bf.setLineHeight(0, QTextBlockFormat::FixedHeight);
        }
        if (!inTable && !code && b.length() > 1)
            bf.setLineHeight(LineHeightPercent, QTextBlockFormat::ProportionalHeight);
        if (quote > 0) {
            *hasQuote = true;
            bf.setLeftMargin(QuoteIndent * quote);
            bf.setRightMargin(0);
        }
        if (b == doc->begin()) {
            leadingMargin = top;
            top = 0;
        }
        if (!b.next().isValid())
            bottom = 0;
        bf.setTopMargin(top);
        bf.setBottomMargin(bottom);
        if (bf != original) {
            cursor.setPosition(b.position());
            cursor.setBlockFormat(bf);
        }

        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment frag = it.fragment();
            if (!frag.isValid())
                continue;
            QTextCharFormat cf = frag.charFormat();
            bool changed = false;
            if (heading > 0) {
                static const qreal factors[] = {1.45, 1.25, 1.12, 1.0, 1.0, 0.95};
                cf.clearProperty(QTextFormat::FontSizeAdjustment);
                setFontSize(cf, s.font, factors[std::clamp(heading, 1, 6) - 1]);
                cf.setFontWeight(heading <= 3 ? QFont::Bold : QFont::DemiBold);
                changed = true;
            }
            if (cf.fontFixedPitch() || code) {
                cf.setFontFamilies(s.monoFont.families());
                cf.setFontFixedPitch(true);
                if (heading == 0)
                    setFontSize(cf, s.font, scaledSize(s.monoFont, 1) / scaledSize(s.font, 1));
                if (!code)
                    cf.setBackground(s.inlineCodeBackground);
                changed = true;
            }
            if (cf.isAnchor()) {
                cf.setForeground(s.link);
                changed = true;
            }
            if (quote > 0 && !cf.isAnchor()) {
                cf.setForeground(s.dimText);
                changed = true;
            }
            if (changed)
                charChanges.append({frag.position(), frag.position() + frag.length(), cf});
        }
    }

    for (const CharChange &c : std::as_const(charChanges)) {
        cursor.setPosition(c.from);
        cursor.setPosition(c.to, QTextCursor::KeepAnchor);
        cursor.setCharFormat(c.format);
    }
    cursor.endEditBlock();

    const QList<QTextFrame *> frames = doc->rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        auto *table = qobject_cast<QTextTable *>(frame);
        if (!table)
            continue;
        QTextTableFormat tf = table->format();
        tf.setBorder(1);
        tf.setBorderBrush(s.border);
        tf.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        tf.setBorderCollapse(true);
        tf.setCellSpacing(0);
        tf.setCellPadding(6);
        tf.setMargin(0);
        tf.setTopMargin(s.paragraphGap * 0.5);
        tf.setBottomMargin(s.paragraphGap * 0.5);
        table->setFormat(tf);
        for (int col = 0; col < table->columns(); ++col) {
            QTextTableCell cell = table->cellAt(0, col);
            QTextCharFormat cf = cell.format();
            cf.setBackground(s.codeHeader);
            cell.setFormat(cf);
        }
    }

    // Code blocks inside the piece (in a list item, a quote): coloured like top-level ones.
    if (s_highlighting) {
        const SyntaxFormats formats = syntaxFormats(s);
        std::unique_ptr<CodeHighlighter> highlighter;
        CodeLineState state;
        for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
            const QTextBlockFormat bf = b.blockFormat();
            if (!isCodeLine(bf)) {
                highlighter.reset();
                continue;
            }
            if (!highlighter) {
                highlighter = std::make_unique<CodeHighlighter>(bf.stringProperty(QTextFormat::BlockCodeLanguage));
                state = {};
            }
            QList<CodeSpan> spans;
            highlighter->highlightLine(b.text(), &state, &spans);
            applySpans(b, spans, formats);
            doc->markContentsDirty(b.position(), b.length());
        }
    }
    return leadingMargin;
}

// The document as plain text, the way one would type it: list markers, blank
// lines between paragraphs, tab-separated table cells.
QString plainTextOf(const QTextDocument *doc)
{
    QString out;
    bool first = true;
    QTextCursor cursor(const_cast<QTextDocument *>(doc));
    QTextTable *previousTable = nullptr;
    bool previousList = false;
    bool previousCode = false;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        cursor.setPosition(b.position());
        QTextTable *table = cursor.currentTable();
        const QTextBlockFormat bf = b.blockFormat();
        const bool code = isCodeLine(bf);
        if (!table && b.length() <= 1 && !code)
            continue; // spacing artefacts around tables
        QString separator = u"\n\n"_s;
        if (table && table == previousTable) {
            const QTextTableCell cell = table->cellAt(b.position());
            separator = cell.column() > 0 && cell.firstPosition() == b.position() ? u"\t"_s : u"\n"_s;
        } else if ((b.textList() && previousList) || (code && previousCode)) {
            separator = u"\n"_s;
        }
        previousTable = table;
        previousList = b.textList() != nullptr;
        previousCode = code;
        QString prefix;
        if (QTextList *list = b.textList()) {
            const QTextListFormat lf = list->format();
            prefix = QString(2 * std::max(0, lf.indent() - 1), u' ');
            switch (lf.style()) {
            case QTextListFormat::ListDisc:
            case QTextListFormat::ListCircle:
            case QTextListFormat::ListSquare:
                if (bf.marker() == QTextBlockFormat::MarkerType::Checked)
                    prefix += u"- [x] "_s;
                else if (bf.marker() == QTextBlockFormat::MarkerType::Unchecked)
                    prefix += u"- [ ] "_s;
                else
                    prefix += u"• "_s;
                break;
            default:
                prefix += list->itemText(b) + u' ';
                break;
            }
        }
        if (!first)
            out += separator;
        first = false;
        QString text = b.text();
        text.replace(QChar::LineSeparator, u'\n');
        text.replace(QChar::Nbsp, u' ');
        out += prefix + text;
    }
    return out;
}

// Where (in the laid-out \a before) a re-parse into \a now changed anything, so
// that only that much is repainted: the top of the first block that differs, or
// just its last line when the block merely grew at its end (a streaming paragraph).
qreal firstDifferenceY(const QTextDocument *before, const QTextDocument *now)
{
    QTextBlock a = before->begin();
    QTextBlock b = now->begin();
    QAbstractTextDocumentLayout *layout = before->documentLayout();
    for (; a.isValid() && b.isValid(); a = a.next(), b = b.next()) {
        const QString ta = a.text();
        const QString tb = b.text();
        bool same = a.blockFormat() == b.blockFormat() && (a.textList() == nullptr) == (b.textList() == nullptr)
            && (!a.textList() || a.textList()->format() == b.textList()->format());
        bool grew = false;
        auto fa = a.begin();
        auto fb = b.begin();
        for (; same && !fa.atEnd() && !fb.atEnd(); ++fa, ++fb) {
            if (fa.fragment().charFormat() != fb.fragment().charFormat()) {
                same = false;
            } else if (fa.fragment().length() != fb.fragment().length()) {
                auto next = fa;
                ++next;
                grew = next.atEnd() && fb.fragment().length() > fa.fragment().length();
                same = false;
            }
        }
        if (same && ta == tb && fa.atEnd() && fb.atEnd())
            continue;
        // A table that changed (or appeared) may change its column widths:
        // repaint it from its top, border and margin included.
        const QTextTable *table = tableAt(before, a.position());
        if (!table)
            table = tableAt(now, b.position());
        if (table)
            return std::min(tableTop(before, table->firstPosition()), layout->blockBoundingRect(a).top());
        const QTextLayout *tl = a.layout();
        if (grew && tb.startsWith(ta) && tl && tl->lineCount() > 0)
            return tl->position().y() + tl->lineAt(tl->lineCount() - 1).y();
        return layout->blockBoundingRect(a).top();
    }
    return before->size().height();
}

QAbstractTextDocumentLayout::PaintContext paintContext(const QTextDocument *doc, const MarkdownStyle &s,
                                                       const QColor &textColor, const QRectF &clip,
                                                       int selFrom, int selTo)
{
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.cursorPosition = -1;
    ctx.clip = clip;
    ctx.palette.setColor(QPalette::Text, textColor);
    ctx.palette.setColor(QPalette::WindowText, s.border);
    ctx.palette.setColor(QPalette::Dark, s.border);
    ctx.palette.setColor(QPalette::Mid, s.border);
    ctx.palette.setColor(QPalette::Link, s.link);
    if (selFrom >= 0 && selTo > selFrom) {
        QAbstractTextDocumentLayout::Selection sel;
        sel.cursor = QTextCursor(const_cast<QTextDocument *>(doc));
        sel.cursor.setPosition(selFrom);
        sel.cursor.setPosition(std::min(selTo, doc->characterCount() - 1), QTextCursor::KeepAnchor);
        sel.format.setBackground(s.highlight);
        sel.format.setForeground(s.highlightedText);
        ctx.selections.append(sel);
    }
    return ctx;
}

} // namespace

MarkdownRenderer::MarkdownRenderer(const MarkdownStyle *style, Mode mode)
    : m_style(style)
    , m_mode(mode)
    , m_width(400)
{
}

MarkdownRenderer::~MarkdownRenderer() = default;

int MarkdownRenderer::markdownParseCount()
{
    return s_markdownParses;
}

int MarkdownRenderer::codeUpdateCount()
{
    return s_codeUpdates;
}

void MarkdownRenderer::setSyntaxHighlighting(bool enabled)
{
    s_highlighting = enabled;
}

bool MarkdownRenderer::setText(const QString &text, bool streaming)
{
    if (text.size() == m_text.size() && streaming == m_streaming && text == m_text)
        return false;

    if (m_mode == Mode::Plain) {
        const bool extends = !m_segments.empty() && text.size() > m_text.size()
            && QStringView(text).left(m_text.size()) == m_text;
        m_streaming = streaming;
        if (text == m_text)
            return false;
        if (text.isEmpty()) {
            m_segments.clear();
        } else {
            if (m_segments.empty()) {
                auto seg = std::make_unique<Segment>();
                seg->doc.reset(newDocument(m_style->font));
                m_segments.push_back(std::move(seg));
            }
            Segment &seg = *m_segments.front();
            if (extends) {
                QTextCursor c(seg.doc.get());
                c.movePosition(QTextCursor::End);
                c.insertText(QStringView(text).mid(m_text.size()).toString());
            } else {
                seg.doc->setPlainText(text);
                QTextCursor c(seg.doc.get());
                c.select(QTextCursor::Document);
                QTextBlockFormat bf;
                bf.setLineHeight(LineHeightPercent, QTextBlockFormat::ProportionalHeight);
                c.mergeBlockFormat(bf);
            }
            seg.source = text;
        }
        m_text = text;
        m_dirtyFrom = 0;
        m_changedSegment = 0;
        m_changedY = 0;
        return true;
    }

    qsizetype from = 0;
    int first = 0;
    if (!m_segments.empty() && text.size() >= m_text.size()
        && QStringView(text).left(m_text.size()) == m_text) {
        first = int(m_segments.size()) - 1;
        from = m_segments.back()->spanStart;
    }
    m_text = text;
    m_streaming = streaming;
    rebuildFrom(from, first);
    return true;
}

void MarkdownRenderer::rebuildFrom(qsizetype sourceFrom, int firstSegment)
{
    QList<MarkdownSpan> spans = splitMarkdown(m_text, sourceFrom, m_streaming);
    // Resuming at a piece split off a long list: it still follows that list closely.
    if (!spans.isEmpty() && firstSegment > 0 && firstSegment < int(m_segments.size())
        && spans.front().start == m_segments[size_t(firstSegment)]->spanStart)
        spans.front().softBreak = m_segments[size_t(firstSegment)]->softBreak;
    int changed = INT_MAX;
    qreal changedY = 0;
    for (int i = 0; i < spans.size(); ++i) {
        const int index = firstSegment + i;
        if (index >= int(m_segments.size()))
            m_segments.push_back(std::make_unique<Segment>());
        qreal y = 0;
        if (updateSegment(*m_segments[size_t(index)], spans.at(i), &y) && index < changed) {
            changed = index;
            changedY = y;
        }
    }
    const size_t keep = size_t(firstSegment) + size_t(spans.size());
    if (m_segments.size() > keep) {
        m_segments.resize(keep);
        if (int(keep) < changed) {
            changed = int(keep);
            changedY = 0;
        }
    }
    m_dirtyFrom = std::min(m_dirtyFrom, changed);
    m_changedSegment = changed;
    m_changedY = changedY;
}

bool MarkdownRenderer::updateSegment(Segment &seg, const MarkdownSpan &span, qreal *changedY)
{
    *changedY = 0;
    const bool softChanged = seg.softBreak != span.softBreak;
    seg.spanStart = span.start;
    seg.softBreak = span.softBreak;
    if (span.kind == MarkdownSpan::Kind::Markdown) {
        const QString source = trimmedSource(m_text, span.start, span.end);
        if (seg.kind == MarkdownSpan::Kind::Markdown && seg.doc && seg.source == source)
            return softChanged;
        // A fresh document has no layout yet: parsing and polishing it does not
        // re-lay out anything, and it is laid out once, when measured.
        std::unique_ptr<QTextDocument> doc(newDocument(m_style->font));
        doc->setMarkdown(source, QTextDocument::MarkdownDialectGitHub);
        seg.leadingMargin = polishMarkdown(doc.get(), *m_style, &seg.hasQuote);
        if (seg.kind == MarkdownSpan::Kind::Markdown && seg.doc && !softChanged && seg.laidOutWidth > 0)
            *changedY = std::max<qreal>(0, firstDifferenceY(seg.doc.get(), doc.get()) - 1);
        seg.doc = std::move(doc);
        seg.kind = MarkdownSpan::Kind::Markdown;
        seg.language.clear();
        seg.source = source;
        seg.laidOutWidth = -1;
        ++s_markdownParses;
        return true;
    }

    QString code = m_text.mid(span.codeStart, span.codeEnd - span.codeStart);
    if (code.endsWith(u'\n'))
        code.chop(1);
    if (code.endsWith(u'\r'))
        code.chop(1);
    if (code.contains(u'\r'))
        code.replace(u"\r\n"_s, u"\n"_s);
    if (seg.kind == MarkdownSpan::Kind::Code && seg.doc && seg.source == code && seg.language == span.language)
        return softChanged;
    ++s_codeUpdates;
    if (seg.kind == MarkdownSpan::Kind::Code && seg.doc && !seg.source.isEmpty() && code.startsWith(seg.source)
        && seg.language == span.language) {
        // The document keeps its layout: only the last line is laid out again,
        // and only it changes colour (all of it: a quote closed at its end
        // colours what came before, even on an earlier row of a wrapped line).
        const int lastLine = seg.doc->blockCount() - 1;
        const QTextLayout *tl = seg.doc->lastBlock().layout();
        const bool coloured = seg.highlighter && !seg.highlighter->isPlain();
        if (seg.laidOutWidth > 0 && tl && tl->lineCount() > 0)
            *changedY = docOrigin(seg).y() - seg.y + tl->position().y()
                + (coloured ? 0 : tl->lineAt(tl->lineCount() - 1).y()) - 1;
        // Inside an edit block the cursor does not shape lines to find its x,
        // and the new text and its colours are laid out once.
        QTextCursor c(seg.doc.get());
        c.beginEditBlock();
        c.movePosition(QTextCursor::End);
        c.insertText(QStringView(code).mid(seg.source.size()).toString());
        seg.source = code;
        const bool resumed = !seg.highlighter && s_highlighting; // it was closed, or highlighting was off
        if (resumed)
            seg.highlighter = std::make_unique<CodeHighlighter>(span.language);
        if (highlightCode(seg, !resumed) < lastLine) // e.g. the language, guessed from the first line
            *changedY = 0;
        c.endEditBlock();
    } else {
        // A fresh document: laid out once, when measured, with its colours.
        seg.doc.reset(newDocument(m_style->monoFont));
        QTextOption option = seg.doc->defaultTextOption();
        option.setTabStopDistance(QFontMetricsF(m_style->monoFont).horizontalAdvance(u' ') * 4);
        seg.doc->setDefaultTextOption(option);
        seg.laidOutWidth = -1;
        seg.doc->setPlainText(code);
        seg.source = code;
        seg.highlighter.reset(s_highlighting ? new CodeHighlighter(span.language) : nullptr);
        highlightCode(seg, false);
    }
    if (span.closed)
        seg.highlighter.reset(); // the block is complete: its colours stay, its line states go
    seg.kind = MarkdownSpan::Kind::Code;
    seg.language = span.language;
    seg.hasQuote = false;
    return true;
}

int MarkdownRenderer::highlightCode(Segment &seg, bool appended) const
{
    if (!seg.highlighter || seg.highlighter->isPlain())
        return INT_MAX;
    const int first = seg.highlighter->setText(seg.source, appended);
    const SyntaxFormats formats = syntaxFormats(*m_style);
    QTextBlock b = seg.doc->findBlockByNumber(first);
    if (!b.isValid())
        return first;
    const int from = b.position();
    for (int line = first; b.isValid() && line < seg.highlighter->lineCount(); ++line, b = b.next())
        applySpans(b, seg.highlighter->lineSpans(line), formats);
    seg.doc->markContentsDirty(from, seg.doc->characterCount() - from);
    return first;
}

void MarkdownRenderer::setWidth(qreal width)
{
    width = std::max<qreal>(width, 40);
    if (qFuzzyCompare(width, m_width))
        return;
    m_width = width;
    m_dirtyFrom = 0;
    m_changedSegment = 0;
    m_changedY = 0;
}

qreal MarkdownRenderer::gapBefore(int segment) const
{
    if (segment <= 0)
        return 0;
    const Segment &s = *m_segments[size_t(segment)];
    if (s.softBreak)
        return m_style->itemGap;
    return std::max(m_style->paragraphGap, s.leadingMargin);
}

void MarkdownRenderer::layoutSegment(Segment &seg) const
{
    if (seg.kind == MarkdownSpan::Kind::Code) {
        const qreal inner = std::max<qreal>(m_width - 2 * CodePadX, 20);
        if (seg.laidOutWidth != inner) {
            seg.doc->setTextWidth(inner);
            seg.laidOutWidth = inner;
        }
        const qreal header = m_style->smallLineSpacing + 12;
        seg.height = header + 2 * CodePadY + seg.doc->size().height();
    } else {
        if (seg.laidOutWidth != m_width) {
            seg.doc->setTextWidth(m_width);
            seg.laidOutWidth = m_width;
        }
        seg.height = seg.doc->size().height();
    }
}

void MarkdownRenderer::relayoutFrom(int firstSegment) const
{
    qreal y = 0;
    if (firstSegment > 0 && firstSegment <= int(m_segments.size())) {
        const Segment &prev = *m_segments[size_t(firstSegment - 1)];
        y = prev.y + prev.height;
    } else {
        firstSegment = 0;
    }
    for (size_t i = size_t(firstSegment); i < m_segments.size(); ++i) {
        Segment &seg = *m_segments[i];
        layoutSegment(seg);
        y += gapBefore(int(i));
        seg.y = y;
        y += seg.height;
    }
    m_height = y;
    m_dirtyFrom = INT_MAX;
}

qreal MarkdownRenderer::height() const
{
    if (m_dirtyFrom != INT_MAX)
        relayoutFrom(m_dirtyFrom);
    return m_segments.empty() ? 0 : m_height;
}

qreal MarkdownRenderer::changedFromY() const
{
    const qreal h = height();
    if (m_changedSegment < 0 || m_changedSegment >= int(m_segments.size()))
        return h;
    const Segment &seg = *m_segments[size_t(m_changedSegment)];
    return seg.y + std::clamp<qreal>(m_changedY, 0, seg.height);
}

qreal MarkdownRenderer::idealWidth() const
{
    qreal w = 0;
    for (const auto &seg : m_segments) {
        layoutSegment(*seg);
        w = std::max(w, seg->kind == MarkdownSpan::Kind::Code ? m_width : seg->doc->idealWidth());
    }
    return w;
}

int MarkdownRenderer::segmentAtY(qreal y) const
{
    height();
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), y,
                               [](qreal v, const std::unique_ptr<Segment> &s) { return v < s->y; });
    if (it == m_segments.begin())
        return 0;
    return int(std::distance(m_segments.begin(), it)) - 1;
}

QPointF MarkdownRenderer::docOrigin(const Segment &seg) const
{
    if (seg.kind == MarkdownSpan::Kind::Code)
        return {CodePadX, seg.y + m_style->smallLineSpacing + 12 + CodePadY};
    return {0, seg.y};
}

void MarkdownRenderer::draw(QPainter *painter, const QRectF &clip, const DrawOptions &options) const
{
    if (m_segments.empty())
        return;
    height();
    const QColor textColor = options.textColor.isValid() ? options.textColor : m_style->text;
    const bool hasSelection = options.selectionStart.isValid() && options.selectionEnd.isValid()
        && options.selectionStart < options.selectionEnd;
    const int first = segmentAtY(clip.top());
    int codeIndex = first > 0 ? codeIndexOf(first - 1) : -1;
    for (int i = first; i < int(m_segments.size()); ++i) {
        const Segment &seg = *m_segments[size_t(i)];
        if (seg.kind == MarkdownSpan::Kind::Code)
            ++codeIndex;
        if (seg.y > clip.bottom())
            break;
        if (seg.y + seg.height < clip.top())
            continue;
        int selFrom = -1;
        int selTo = -1;
        if (hasSelection && options.selectionStart.segment <= i && i <= options.selectionEnd.segment) {
            selFrom = options.selectionStart.segment == i ? options.selectionStart.pos : 0;
            selTo = options.selectionEnd.segment == i ? options.selectionEnd.pos : seg.doc->characterCount();
        }
        if (seg.kind == MarkdownSpan::Kind::Code)
            drawCodeSegment(painter, seg, codeIndex, clip, options);
        const QPointF origin = docOrigin(seg);
        painter->save();
        painter->translate(origin);
        const QRectF local = clip.translated(-origin).intersected(
            QRectF(-2, -2, seg.doc->textWidth() + 4, seg.doc->size().height() + 4));
        auto ctx = paintContext(seg.doc.get(), *m_style, textColor, local, selFrom, selTo);
        seg.doc->documentLayout()->draw(painter, ctx);
        if (seg.hasQuote) {
            painter->setPen(Qt::NoPen);
            for (QTextBlock b = seg.doc->begin(); b.isValid(); b = b.next()) {
                const int level = b.blockFormat().intProperty(QTextFormat::BlockQuoteLevel);
                if (level <= 0)
                    continue;
                const QRectF r = seg.doc->documentLayout()->blockBoundingRect(b);
                const qreal top = r.top() + b.blockFormat().topMargin();
                const qreal bottom = r.bottom() - b.blockFormat().bottomMargin();
                for (int l = 0; l < level; ++l)
                    painter->fillRect(QRectF(l * QuoteIndent + 1, top, 3, bottom - top), m_style->border);
            }
        }
        painter->restore();
    }
}

void MarkdownRenderer::drawCodeSegment(QPainter *painter, const Segment &seg, int codeIndex,
                                       const QRectF &clip, const DrawOptions &options) const
{
    const qreal header = m_style->smallLineSpacing + 12;
    const QRectF box(0.5, seg.y + 0.5, m_width - 1, seg.height - 1);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_style->codeBackground);
    painter->drawRoundedRect(box, CodeRadius, CodeRadius);
    const QRectF headerRect(box.left(), box.top(), box.width(), header);
    if (!clip.intersects(headerRect.adjusted(0, 0, 0, 1))) {
        painter->setPen(QPen(m_style->border, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(box, CodeRadius, CodeRadius);
        painter->restore();
        return;
    }
    painter->save();
    painter->setClipRect(headerRect, Qt::IntersectClip);
    painter->setBrush(m_style->codeHeader);
    painter->drawRoundedRect(box, CodeRadius, CodeRadius);
    painter->restore();
    painter->setPen(QPen(m_style->border, 1));
    painter->drawLine(QPointF(box.left(), box.top() + header), QPointF(box.right(), box.top() + header));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(box, CodeRadius, CodeRadius);

    painter->setFont(m_style->smallFont);
    painter->setPen(m_style->dimText);
    const QString label = seg.language.isEmpty()
        ? QCoreApplication::translate("MarkdownRenderer", "code")
        : seg.language;
    painter->drawText(QRectF(CodePadX, seg.y, m_width / 2, header), Qt::AlignVCenter | Qt::AlignLeft, label);

    const QRectF button = codeCopyButtonRect(codeIndex);
    if (options.hoveredCodeCopy == codeIndex) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_style->buttonHover);
        painter->drawRoundedRect(button, 5, 5);
    }
    const bool flashed = options.flashedCodeCopy == codeIndex;
    painter->setPen(options.hoveredCodeCopy == codeIndex ? m_style->text : m_style->dimText);
    // a small "two sheets" copy glyph, or a check mark once copied
    const qreal gx = button.left() + 8;
    const qreal gy = button.center().y();
    painter->setBrush(Qt::NoBrush);
    if (flashed) {
        QPainterPath check;
        check.moveTo(gx, gy);
        check.lineTo(gx + 3, gy + 3);
        check.lineTo(gx + 9, gy - 4);
        painter->setPen(QPen(painter->pen().color(), 1.4));
        painter->drawPath(check);
    } else {
        painter->setPen(QPen(painter->pen().color(), 1));
        painter->drawRoundedRect(QRectF(gx + 2.5, gy - 5.5, 7, 8), 1.5, 1.5);
        painter->drawRoundedRect(QRectF(gx - 0.5, gy - 2.5, 7, 8), 1.5, 1.5);
    }
    painter->drawText(button.adjusted(22, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                      flashed ? QCoreApplication::translate("MarkdownRenderer", "Copied")
                              : QCoreApplication::translate("MarkdownRenderer", "Copy"));
    painter->restore();
}

int MarkdownRenderer::codeIndexOf(int segment) const
{
    int index = -1;
    for (int i = 0; i <= segment && i < int(m_segments.size()); ++i)
        if (m_segments[size_t(i)]->kind == MarkdownSpan::Kind::Code)
            ++index;
    return index;
}

int MarkdownRenderer::segmentOfCode(int codeBlock) const
{
    int index = -1;
    for (int i = 0; i < int(m_segments.size()); ++i)
        if (m_segments[size_t(i)]->kind == MarkdownSpan::Kind::Code && ++index == codeBlock)
            return i;
    return -1;
}

int MarkdownRenderer::codeBlockCount() const
{
    return int(std::count_if(m_segments.begin(), m_segments.end(), [](const auto &s) {
        return s->kind == MarkdownSpan::Kind::Code;
    }));
}

QString MarkdownRenderer::codeBlockText(int codeBlock) const
{
    const int seg = segmentOfCode(codeBlock);
    return seg < 0 ? QString() : m_segments[size_t(seg)]->source;
}

QString MarkdownRenderer::codeBlockLanguage(int codeBlock) const
{
    const int seg = segmentOfCode(codeBlock);
    return seg < 0 ? QString() : m_segments[size_t(seg)]->language;
}

QRectF MarkdownRenderer::codeBlockRect(int codeBlock) const
{
    const int seg = segmentOfCode(codeBlock);
    if (seg < 0)
        return {};
    height();
    const Segment &s = *m_segments[size_t(seg)];
    return {0, s.y, m_width, s.height};
}

QRectF MarkdownRenderer::codeCopyButtonRect(int codeBlock) const
{
    const QRectF box = codeBlockRect(codeBlock);
    if (box.isNull())
        return {};
    const QFontMetricsF fm(m_style->smallFont);
    const qreal textWidth = std::max(fm.horizontalAdvance(QCoreApplication::translate("MarkdownRenderer", "Copy")),
                                     fm.horizontalAdvance(QCoreApplication::translate("MarkdownRenderer", "Copied")));
    const qreal header = m_style->smallLineSpacing + 12;
    const qreal h = m_style->smallLineSpacing + 6;
    const qreal w = textWidth + 30;
    return {box.right() - w - 6, box.top() + (header - h) / 2, w, h};
}

int MarkdownRenderer::codeCopyButtonAt(const QPointF &point) const
{
    const int n = codeBlockCount();
    for (int i = 0; i < n; ++i)
        if (codeCopyButtonRect(i).contains(point))
            return i;
    return -1;
}

int MarkdownRenderer::codeBlockAt(const QPointF &point) const
{
    if (m_segments.empty() || point.y() < 0 || point.y() > height())
        return -1;
    const int i = segmentAtY(point.y());
    const Segment &seg = *m_segments[size_t(i)];
    if (seg.kind != MarkdownSpan::Kind::Code || point.y() > seg.y + seg.height)
        return -1;
    return codeIndexOf(i);
}

MarkdownRenderer::Pos MarkdownRenderer::startPos() const
{
    return m_segments.empty() ? Pos() : Pos{0, 0};
}

MarkdownRenderer::Pos MarkdownRenderer::endPos() const
{
    if (m_segments.empty())
        return {};
    return {int(m_segments.size()) - 1, m_segments.back()->doc->characterCount() - 1};
}

MarkdownRenderer::Pos MarkdownRenderer::hitTest(const QPointF &point) const
{
    if (m_segments.empty())
        return {};
    const int i = segmentAtY(point.y());
    const Segment &seg = *m_segments[size_t(i)];
    const QPointF origin = docOrigin(seg);
    const qreal docHeight = seg.doc->size().height();
    QPointF local = point - origin;
    if (local.y() < 0)
        return {i, 0};
    if (local.y() >= docHeight)
        return {i, seg.doc->characterCount() - 1};
    const int pos = seg.doc->documentLayout()->hitTest(local, Qt::FuzzyHit);
    return {i, std::max(0, pos)};
}

bool MarkdownRenderer::wordAt(const QPointF &point, Pos *start, Pos *end) const
{
    const Pos p = hitTest(point);
    if (!p.isValid())
        return false;
    QTextCursor c(m_segments[size_t(p.segment)]->doc.get());
    c.setPosition(p.pos);
    c.select(QTextCursor::WordUnderCursor);
    if (!c.hasSelection())
        return false;
    *start = {p.segment, c.selectionStart()};
    *end = {p.segment, c.selectionEnd()};
    return true;
}

QString MarkdownRenderer::anchorAt(const QPointF &point) const
{
    if (m_segments.empty())
        return {};
    const Segment &seg = *m_segments[size_t(segmentAtY(point.y()))];
    if (seg.kind == MarkdownSpan::Kind::Code)
        return {};
    return seg.doc->documentLayout()->anchorAt(point - docOrigin(seg));
}

QString MarkdownRenderer::selectedText(Pos from, Pos to) const
{
    if (!from.isValid() || !to.isValid() || !(from < to))
        return {};
    QString out;
    for (int i = from.segment; i <= to.segment && i < int(m_segments.size()); ++i) {
        const Segment &seg = *m_segments[size_t(i)];
        const int a = i == from.segment ? from.pos : 0;
        const int b = i == to.segment ? to.pos : seg.doc->characterCount() - 1;
        QString part;
        if (seg.kind == MarkdownSpan::Kind::Code && a == 0 && b >= seg.doc->characterCount() - 1) {
            part = seg.source;
        } else {
            QTextCursor c(seg.doc.get());
            c.setPosition(std::clamp(a, 0, seg.doc->characterCount() - 1));
            c.setPosition(std::clamp(b, 0, seg.doc->characterCount() - 1), QTextCursor::KeepAnchor);
            part = c.selection().toPlainText();
        }
        if (i > from.segment) {
            const bool tight = seg.softBreak || seg.kind == MarkdownSpan::Kind::Code
                || m_segments[size_t(i - 1)]->kind == MarkdownSpan::Kind::Code;
            out += tight ? u"\n"_s : u"\n\n"_s;
        }
        out += part;
    }
    out.replace(QChar::Nbsp, u' ');
    return out;
}

QString MarkdownRenderer::toPlainText() const
{
    if (m_mode == Mode::Plain)
        return m_text;
    QString out;
    for (size_t i = 0; i < m_segments.size(); ++i) {
        const Segment &seg = *m_segments[i];
        if (i > 0) {
            const bool tight = seg.softBreak || seg.kind == MarkdownSpan::Kind::Code
                || m_segments[i - 1]->kind == MarkdownSpan::Kind::Code;
            out += tight ? u"\n"_s : u"\n\n"_s;
        }
        out += seg.kind == MarkdownSpan::Kind::Code ? seg.source : plainTextOf(seg.doc.get());
    }
    return out;
}
