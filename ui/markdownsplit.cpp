// splitMarkdown(): Markdown text cut into top-level pieces (see markdownsplit.h); text only, no QTextDocument.

#include "markdownsplit.h"

#include <algorithm>

namespace {

// Pieces of a long run of list items may be split at an item boundary so that a
// growing list is not re-parsed whole for every token.
constexpr qsizetype SoftSplitLength = 1500;

struct Line
{
    QStringView text;  // without the line break (and without a trailing '\r')
    qsizetype start = 0;
    qsizetype next = 0; // start of the next line
    bool complete = false; // ends with '\n'
};

Line lineAt(QStringView text, qsizetype pos)
{
    Line l;
    l.start = pos;
    const qsizetype nl = text.indexOf(u'\n', pos);
    const qsizetype end = nl < 0 ? text.size() : nl;
    l.next = nl < 0 ? text.size() : nl + 1;
    l.complete = nl >= 0;
    l.text = text.mid(pos, end - pos);
    if (l.text.endsWith(u'\r'))
        l.text.chop(1);
    return l;
}

bool isBlank(QStringView line)
{
    for (QChar c : line)
        if (c != u' ' && c != u'\t')
            return false;
    return true;
}

// Leading indentation in columns (a tab counts to the next multiple of 4).
int indentOf(QStringView line, qsizetype *firstNonSpace = nullptr)
{
    int col = 0;
    qsizetype i = 0;
    for (; i < line.size(); ++i) {
        if (line[i] == u' ')
            ++col;
        else if (line[i] == u'\t')
            col += 4 - col % 4;
        else
            break;
    }
    if (firstNonSpace)
        *firstNonSpace = i;
    return col;
}

struct Fence
{
    QChar ch;
    qsizetype length = 0;
    int indent = 0;
    QString info;
};

bool openingFence(QStringView line, Fence *fence)
{
    qsizetype i = 0;
    const int indent = indentOf(line, &i);
    if (i >= line.size() || (line[i] != u'`' && line[i] != u'~'))
        return false;
    const QChar ch = line[i];
    qsizetype n = 0;
    while (i + n < line.size() && line[i + n] == ch)
        ++n;
    if (n < 3)
        return false;
    const QStringView info = line.mid(i + n).trimmed();
    if (ch == u'`' && info.contains(u'`'))
        return false;
    fence->ch = ch;
    fence->length = n;
    fence->indent = indent;
    fence->info = info.toString();
    return true;
}

bool closingFence(QStringView line, const Fence &fence, bool anyIndent)
{
    qsizetype i = 0;
    const int indent = indentOf(line, &i);
    if (!anyIndent && indent > 3)
        return false;
    qsizetype n = 0;
    while (i + n < line.size() && line[i + n] == fence.ch)
        ++n;
    return n >= fence.length && isBlank(line.mid(i + n));
}

// A line that is (so far) only fence characters: it may become a fence.
bool maybeFencePrefix(QStringView line)
{
    qsizetype i = 0;
    indentOf(line, &i);
    if (i >= line.size())
        return false;
    for (; i < line.size(); ++i)
        if (line[i] != u'`' && line[i] != u'~')
            return false;
    return true;
}

// Could this unindented line start (or continue) a list? Conservative: any line
// starting with a bullet character or a digit.
bool mayBeListLine(QStringView line)
{
    if (line.isEmpty())
        return false;
    const QChar c = line.front();
    return c == u'-' || c == u'*' || c == u'+' || c.isDigit();
}

// An unindented list item marker: "- ", "* ", "+ ", "12. ", "3) ".
bool isListItemLine(QStringView line)
{
    if (line.size() < 2)
        return false;
    const QChar c = line.front();
    if (c == u'-' || c == u'*' || c == u'+') {
        if (line[1] != u' ')
            return false;
        // "- - -" and "* * *" are thematic breaks
        int marks = 0;
        for (QChar x : line) {
            if (x == c)
                ++marks;
            else if (x != u' ')
                return true;
        }
        return marks < 3;
    }
    qsizetype i = 0;
    while (i < line.size() && i < 9 && line[i].isDigit())
        ++i;
    return i > 0 && i + 1 < line.size() && (line[i] == u'.' || line[i] == u')') && line[i + 1] == u' ';
}

QString languageOf(const QString &info)
{
    const qsizetype space = info.indexOf(u' ');
    return space < 0 ? info : info.left(space);
}

} // namespace

QList<MarkdownSpan> splitMarkdown(QStringView text, qsizetype from, bool streaming)
{
    QList<MarkdownSpan> spans;
    enum class State { None, Markdown, Code } state = State::None;
    MarkdownSpan cur;
    Fence codeFence;      // the fence of the open top-level code block
    Fence nestedFence;    // a fence inside a Markdown piece (e.g. in a list item)
    bool inNestedFence = false;
    bool afterBlank = false;
    bool prevWasListish = false; // previous non-blank line: list item or indented
    qsizetype markdownEnd = 0;   // end of the last non-blank line of the piece

    const auto closeMarkdown = [&] {
        cur.end = markdownEnd;
        spans.append(cur);
        state = State::None;
    };

    qsizetype pos = from;
    while (pos < text.size()) {
        const Line line = lineAt(text, pos);
        pos = line.next;

        if (state == State::Code) {
            if ((line.complete || !streaming) && closingFence(line.text, codeFence, false)) {
                cur.codeEnd = line.start;
                cur.end = line.next;
                cur.closed = true;
                spans.append(cur);
                state = State::None;
            }
            continue;
        }

        if (state == State::Markdown && inNestedFence) {
            if (closingFence(line.text, nestedFence, true))
                inNestedFence = false;
            markdownEnd = line.next;
            continue;
        }

        if (isBlank(line.text)) {
            if (state == State::Markdown)
                afterBlank = true;
            continue;
        }

        if (streaming && !line.complete && maybeFencePrefix(line.text)) {
            // A half-written fence: wait for the rest of the line.
            break;
        }

        Fence fence;
        const bool isFence = openingFence(line.text, &fence);
        const int indent = indentOf(line.text);
        if (isFence && (state == State::None ? fence.indent <= 3 : fence.indent == 0)) {
            if (state == State::Markdown)
                closeMarkdown();
            cur = MarkdownSpan();
            cur.kind = MarkdownSpan::Kind::Code;
            cur.start = line.start;
            cur.codeStart = line.complete ? line.next : text.size();
            cur.language = languageOf(fence.info);
            codeFence = fence;
            state = State::Code;
            continue;
        }

        const bool listItem = indent == 0 && isListItemLine(line.text);
        if (state == State::Markdown) {
            const bool hardSplit = afterBlank && indent == 0 && !mayBeListLine(line.text);
            const bool softSplit = !afterBlank && listItem && prevWasListish
                && line.start - cur.start > SoftSplitLength;
            if (hardSplit || softSplit) {
                closeMarkdown();
                cur = MarkdownSpan();
                cur.start = line.start;
                cur.softBreak = softSplit;
                state = State::Markdown;
            }
        } else {
            cur = MarkdownSpan();
            cur.start = line.start;
            state = State::Markdown;
        }
        if (isFence) { // indented fence inside the piece (list item, quote ...)
            inNestedFence = true;
            nestedFence = fence;
        }
        afterBlank = false;
        prevWasListish = listItem || indent > 0;
        markdownEnd = line.next;
    }

    if (state == State::Markdown) {
        closeMarkdown();
    } else if (state == State::Code) {
        cur.codeEnd = text.size();
        cur.end = text.size();
        if (streaming) {
            // Hide a trailing, half-written closing fence.
            qsizetype lineStart = text.lastIndexOf(u'\n', text.size() - 1) + 1;
            if (lineStart >= cur.codeStart && lineStart < text.size()
                && maybeFencePrefix(text.mid(lineStart)))
                cur.codeEnd = lineStart;
        }
        cur.codeEnd = std::max(cur.codeEnd, cur.codeStart);
        spans.append(cur);
    }
    return spans;
}
