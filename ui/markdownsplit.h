#pragma once

#include <QList>
#include <QString>
#include <QStringView>

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
