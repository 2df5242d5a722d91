#pragma once

#include "codehighlighter.h"

#include <QStringView>

#include <algorithm>
#include <vector>

// The insides of CodeHighlighter: a table of languages (codelanguages.cpp) and
// a lexer that reads one line with one of them: the table-driven lexer of
// C-like languages, scripts, SQL, JSON and shell (codelexer.cpp), and small
// dedicated ones for markup, CSS, diff, YAML and INI/TOML (codelexerformats.cpp).

namespace CodeLexing {

enum Flag : quint32 {
    SQuote = 1u << 0,          // '...' strings (or char literals)
    DQuote = 1u << 1,          // "..." strings
    Backtick = 1u << 2,        // `...`: multi-line, escapes, ${...} (JavaScript)
    BacktickRaw = 1u << 3,     // `...`: multi-line, raw (Go; shell command substitution)
    Triple = 1u << 4,          // """...""" multi-line (and ''' with SQuote)
    PyPrefix = 1u << 5,        // r"", b"", f"", rb"" ...
    CppPrefix = 1u << 6,       // L"", u8"", R"d(...)d"
    RustStrings = 1u << 7,     // r#"..."#, b"", char literals vs lifetimes, macros!
    CsStrings = 1u << 8,       // @"...", $"..."
    Preprocessor = 1u << 9,    // # directives at line start
    Annotations = 1u << 10,    // @name
    RustAttr = 1u << 11,       // #[...]
    Dollar = 1u << 12,         // $name variables, ${...}
    CaseInsensitive = 1u << 13,// keywords in any case (word lists are lower case)
    DigitQuote = 1u << 14,     // 1'000'000
    CamelTypes = 1u << 15,     // CamelCase names are types
    Functions = 1u << 16,      // name( is a function
    MultiLineDQ = 1u << 17,    // "..." may span lines
    MultiLineSQ = 1u << 18,    // '...' may span lines
    DoubledQuotes = 1u << 19,  // '' inside '...' is a quote
    HashNeedsSpace = 1u << 20, // '#' starts a comment only at line start or after a space
    ShellWords = 1u << 21,     // commands, -options, NAME=value, paths
    NoEscapesSQ = 1u << 22,    // '...' has no escapes
    JsonKeys = 1u << 23,       // "key": a string followed by ':' is a key
    LoneApostrophe = 1u << 24, // a ' without a closing one on the line is prose
    NestedComments = 1u << 25,
    IdentDollar = 1u << 26,    // '$' is part of names (JavaScript)
    PhpTags = 1u << 27,        // <?php ... ?>
};

enum class Kind : quint8 { Generic, Markup, Css, Diff, Yaml, Ini, Plain };

// CodeLineState::mode
enum Mode : quint8 { Normal = 0, InComment = 1, InString = 2, InTag = 3 };

// CodeLineState::braces in the shell: prompts seen, so lines without one are output
constexpr quint8 ConsoleSession = 1;

// CodeLineState::flags, for an open string
enum StringFlag : quint8 {
    Escapes = 1,
    MultiLine = 2,
    Doubled = 4,    // the closing quote doubled is an escaped quote
    Template = 8,   // ${...} inside
    ShellVars = 16, // $name inside
    TagString = 32, // an attribute value: back into the tag afterwards
};

class WordSet
{
public:
    void set(QStringView list)
    {
        m_words.clear();
        for (QStringView w : list.split(u' ', Qt::SkipEmptyParts))
            m_words.push_back(w);
        std::sort(m_words.begin(), m_words.end());
    }
    bool contains(QStringView w) const
    {
        return !m_words.empty() && std::binary_search(m_words.begin(), m_words.end(), w);
    }

private:
    std::vector<QStringView> m_words; // views into static string literals
};

} // namespace CodeLexing

struct CodeLanguage
{
    QString id;
    CodeLexing::Kind kind = CodeLexing::Kind::Generic;
    quint32 flags = 0;
    QStringView lineComment;
    QStringView lineComment2;
    QStringView blockOpen;
    QStringView blockClose;
    CodeLexing::WordSet keywords;
    CodeLexing::WordSet types;
    CodeLexing::WordSet literals;
    CodeLexing::WordSet typeIntroducers;     // class Foo: Foo is a type
    CodeLexing::WordSet functionIntroducers; // def foo: foo is a function
};

namespace CodeLexing {

const CodeLanguage *findLanguage(QStringView id); // by a lower-case tag or alias; nullptr if unknown
const CodeLanguage *genericLanguage();            // strings, numbers, comments, common keywords
QStringView guessLanguage(QStringView firstLine); // an id, or empty

inline bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

inline bool isHexDigit(QChar c)
{
    return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// Reads one line of code in one language: appends its spans and moves the
// line state from the line's start to its end.
class Lexer
{
public:
    Lexer(const CodeLanguage &lang, QStringView line, CodeLineState &state, QList<CodeSpan> &out)
        : L(lang)
        , s(line)
        , n(line.size())
        , st(state)
        , out(out)
    {
    }
    void run();

private:
    const CodeLanguage &L;
    QStringView s;
    qsizetype n;
    CodeLineState &st;
    QList<CodeSpan> &out;

    bool has(quint32 flag) const { return L.flags & flag; }

    // Closes what was open (CSS keeps its brace depth).
    void resetState(quint8 mode = Normal)
    {
        const quint8 braces = st.braces;
        st = {};
        st.braces = braces;
        st.mode = mode;
    }

    bool at(qsizetype i, QStringView w) const { return i <= n && s.sliced(i).startsWith(w); }
    QChar ch(qsizetype i) const { return i >= 0 && i < n ? s[i] : QChar(); }

    void add(qsizetype from, qsizetype to, CodeToken token)
    {
        if (to <= from || token == CodeToken::Plain)
            return;
        if (!out.isEmpty()) {
            CodeSpan &last = out.last();
            if (last.token == token && last.start + last.length == from) {
                last.length = int(to - last.start);
                return;
            }
        }
        out.append({int(from), int(to - from), token});
    }

    bool identStart(QChar c) const
    {
        return c.isLetter() || c == u'_' || (c == u'$' && has(IdentDollar));
    }

    bool identChar(QChar c) const
    {
        return c.isLetterOrNumber() || c == u'_' || (c == u'$' && has(IdentDollar)) || c.isMark();
    }

    qsizetype identEnd(qsizetype i) const
    {
        while (i < n && identChar(s[i]))
            ++i;
        return i;
    }

    qsizetype skipSpaces(qsizetype i) const
    {
        while (i < n && (s[i] == u' ' || s[i] == u'\t'))
            ++i;
        return i;
    }

    // The rest of an open block comment from \a i; \a from: where its span starts.
    qsizetype blockComment(qsizetype i, qsizetype from);

    // The rest of an open string from \a i; \a from: where its span starts.
    qsizetype stringBody(qsizetype i, qsizetype from);

    // Opens a string whose quote is at \a q (its prefix starts at \a from).
    qsizetype openString(qsizetype from, qsizetype q, bool raw);

    qsizetype openRawString(qsizetype from, qsizetype bodyStart, const QString &close);
    qsizetype number(qsizetype i);
    bool lineCommentAt(qsizetype i, bool first) const;

    // Resumes what the previous line left open; returns where to go on.
    qsizetype resume();

    // C-like languages, scripts, SQL, JSON, shell.
    void generic();

    // A name: keyword, type, literal, function, or a string's prefix (r"..", L"..").
    qsizetype word(qsizetype i, bool &expectType, bool &expectFunction);

    // Strings with a prefix: Python r"", f"", C++ L"", R"d(...)d", Rust r#"..."#, b"".
    // Returns 0 if \a w is no prefix here.
    qsizetype prefixedString(qsizetype i, qsizetype j, QStringView w);

    // "#include <x>", "#define X 1": the directive is meta, <x> a string, the rest code.
    qsizetype preprocessor(qsizetype i);

    // #[derive(Debug)]: up to the matching bracket.
    qsizetype bracketed(qsizetype i, CodeToken token);

    // $name, ${name}, $(...), $1, $?, $@ ...
    qsizetype dollar(qsizetype i);

    // One shell word: a command, a keyword, an option, NAME=value, or an argument.
    qsizetype shellWord(qsizetype i, bool &command);

    // codelexerformats.cpp
    void markup();
    qsizetype insideTag(qsizetype i);
    void css();
    void diff();

    // A plain scalar or word: a literal, a number, an anchor/alias/tag, or plain.
    void scalar(qsizetype i, qsizetype j);
    void yaml();
    void ini();
};

} // namespace CodeLexing
