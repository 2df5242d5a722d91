#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <vector>

// What a piece of code is, as far as colouring goes.
enum class CodeToken : quint8 {
    Plain,
    Keyword,
    Type,      // types, builtins, class names
    Literal,   // true, false, null, None ...
    Function,  // a name followed by '('
    String,
    Escape,    // \n inside a string, &amp; in markup
    Number,
    Comment,
    Meta,      // preprocessor, annotations, decorators, attributes, lifetimes
    Tag,       // markup tags, CSS element selectors
    Attribute, // markup attributes, JSON/YAML keys, CSS properties, command options
    Variable,  // $VAR in shell, ${x} in templates
    Inserted,  // diff
    Deleted,   // diff
    Section,   // diff hunk and file headers, [section] in INI
};
constexpr int CodeTokenCount = int(CodeToken::Section) + 1;

// A run of one token class in one line: [start, start + length).
struct CodeSpan
{
    int start = 0;
    int length = 0;
    CodeToken token = CodeToken::Plain;
    friend bool operator==(const CodeSpan &a, const CodeSpan &b)
    {
        return a.start == b.start && a.length == b.length && a.token == b.token;
    }
};

// What is still open at the end of a line (a block comment, a multi-line string,
// a markup tag ...): the state the next line starts in.
struct CodeLineState
{
    quint8 mode = 0;     // internal: normal, comment, string, markup tag
    quint8 nest = 0;     // depth of nested block comments
    quint8 braces = 0;   // CSS: depth of { }; shell: in a console session
    quint8 flags = 0;    // internal: how the open string behaves
    QString close;       // the delimiter that ends the open comment or string
    friend bool operator==(const CodeLineState &a, const CodeLineState &b)
    {
        return a.mode == b.mode && a.nest == b.nest && a.braces == b.braces && a.flags == b.flags
            && a.close == b.close;
    }
    friend bool operator!=(const CodeLineState &a, const CodeLineState &b) { return !(a == b); }
};

struct CodeLanguage;

// A small, dependency-free syntax highlighter for the code blocks of a reply,
// keyed by the fence's language tag ("cpp", "py", "TypeScript", "sh" ...). It
// works line by line, like QSyntaxHighlighter: the state at the end of one line
// (an open block comment or string) is where the next one starts. Pure: no I/O,
// no colours; MarkdownRenderer maps tokens to the style's colours.
//
//   CodeHighlighter h(u"python");
//   h.setText(code);                    // again with a longer text: only the last line on is redone
//   for (int i = h.setText(longer, true); i < h.lineCount(); ++i)
//       apply(i, h.lineSpans(i));
//
// An empty tag guesses the language from the first line (a shebang, "<", "{",
// "diff --git", "#include" ...) and otherwise highlights strings, numbers,
// comments and common keywords; "text" (and unknown prose-like tags such as
// "output") are left plain.
class CodeHighlighter
{
public:
    explicit CodeHighlighter(QStringView language = {});

    QString languageId() const;   // canonical id ("cpp", "python" ...); empty: none / guessing
    bool isPlain() const;         // nothing is ever highlighted

    // One line (without its '\n'): appends its spans to \a spans (sorted, no
    // Plain spans) and moves \a state from the line's start to its end.
    void highlightLine(QStringView line, CodeLineState *state, QList<CodeSpan> *spans) const;

    // Highlights \a text, which may extend the previous text (\a appended): then
    // only the previous last line and the lines after it are redone. Returns the
    // first line whose spans may have changed.
    int setText(QStringView text, bool appended = false);
    int lineCount() const { return int(m_lines.size()); }
    const QList<CodeSpan> &lineSpans(int line) const { return m_lines[size_t(line)].spans; }

    // The whole text at once, one list of spans per line (for tests).
    QList<QList<CodeSpan>> highlightAll(QStringView text) const;

private:
    struct Line
    {
        qsizetype start = 0;
        CodeLineState state; // at the start of the line
        QList<CodeSpan> spans;
    };

    const CodeLanguage *m_language = nullptr;
    bool m_guess = false;        // no tag: the language comes from the first line
    bool m_guessed = false;      // ... and it has been decided
    std::vector<Line> m_lines;
};
