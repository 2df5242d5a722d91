#include "codelexer.h"

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace CodeLexing {

void Lexer::run()
{
    switch (L.kind) {
    case Kind::Generic:
        generic();
        break;
    case Kind::Markup:
        markup();
        break;
    case Kind::Css:
        css();
        break;
    case Kind::Diff:
        diff();
        break;
    case Kind::Yaml:
        yaml();
        break;
    case Kind::Ini:
        ini();
        break;
    case Kind::Plain:
        break;
    }
    if (st.mode == InString && !(st.flags & MultiLine))
        resetState(st.flags & TagString ? InTag : Normal);
}

// The rest of an open block comment from \a i; \a from: where its span starts.
qsizetype Lexer::blockComment(qsizetype i, qsizetype from)
{
    while (i < n) {
        if (has(NestedComments) && !L.blockOpen.isEmpty() && at(i, L.blockOpen)) {
            st.nest = quint8(std::min(st.nest + 1, 255));
            i += L.blockOpen.size();
            continue;
        }
        if (at(i, st.close)) {
            i += st.close.size();
            if (st.nest <= 1) {
                add(from, i, CodeToken::Comment);
                resetState();
                return i;
            }
            --st.nest;
            continue;
        }
        ++i;
    }
    add(from, n, CodeToken::Comment);
    return n;
}

// The rest of an open string from \a i; \a from: where its span starts.
qsizetype Lexer::stringBody(qsizetype i, qsizetype from)
{
    const QStringView close = st.close;
    while (i < n) {
        const QChar c = s[i];
        if ((st.flags & Escapes) && c == u'\\' && i + 1 < n) {
            add(from, i, CodeToken::String);
            qsizetype e = i + 2;
            const QChar k = s[i + 1];
            if (k == u'x')
                while (e < n && e < i + 4 && isHexDigit(s[e]))
                    ++e;
            else if (k == u'u' && ch(e) == u'{')
                e = std::min(n, s.indexOf(u'}', e) < 0 ? n : s.indexOf(u'}', e) + 1);
            else if (k == u'u')
                while (e < n && e < i + 6 && isHexDigit(s[e]))
                    ++e;
            else if (k == u'U')
                while (e < n && e < i + 10 && isHexDigit(s[e]))
                    ++e;
            add(i, e, CodeToken::Escape);
            i = from = e;
            continue;
        }
        if (((st.flags & Template) && c == u'$' && ch(i + 1) == u'{')
            || ((st.flags & ShellVars) && c == u'$' && (identStart(ch(i + 1)) || ch(i + 1) == u'{'))) {
            add(from, i, CodeToken::String);
            qsizetype e;
            if (ch(i + 1) == u'{') {
                const qsizetype b = s.indexOf(u'}', i + 2);
                e = b < 0 ? n : b + 1;
            } else {
                e = i + 1;
                while (e < n && (s[e].isLetterOrNumber() || s[e] == u'_'))
                    ++e;
            }
            add(i, e, CodeToken::Variable);
            i = from = e;
            continue;
        }
        if (s.sliced(i).startsWith(close)) {
            if ((st.flags & Doubled) && at(i + close.size(), close)) {
                i += 2 * close.size();
                continue;
            }
            i += close.size();
            add(from, i, CodeToken::String);
            resetState(st.flags & TagString ? InTag : Normal);
            return i;
        }
        ++i;
    }
    add(from, n, CodeToken::String);
    return n;
}

// Opens a string whose quote is at \a q (its prefix starts at \a from).
qsizetype Lexer::openString(qsizetype from, qsizetype q, bool raw)
{
    const QChar quote = s[q];
    resetState(InString);
    st.flags = raw ? 0 : Escapes;
    const bool tripleOk = has(Triple) && (quote == u'"' || (quote == u'\'' && has(PyPrefix)));
    if (tripleOk && ch(q + 1) == quote && ch(q + 2) == quote) {
        st.close = QString(3, quote);
        st.flags |= MultiLine;
    } else if (quote == u'`') {
        st.close = u"`"_s;
        st.flags |= MultiLine;
        if (has(Backtick))
            st.flags |= Template;
        else
            st.flags &= ~Escapes;
    } else {
        st.close = QString(quote);
        if ((quote == u'"' && has(MultiLineDQ)) || (quote == u'\'' && has(MultiLineSQ)))
            st.flags |= MultiLine;
        if (quote == u'\'' && has(NoEscapesSQ))
            st.flags &= ~Escapes;
        if (has(DoubledQuotes))
            st.flags |= Doubled;
        if (quote == u'"' && has(Dollar))
            st.flags |= ShellVars;
    }
    return stringBody(q + st.close.size(), from);
}

qsizetype Lexer::openRawString(qsizetype from, qsizetype bodyStart, const QString &close)
{
    resetState(InString);
    st.flags = MultiLine;
    st.close = close;
    return stringBody(bodyStart, from);
}

qsizetype Lexer::number(qsizetype i)
{
    const qsizetype from = i;
    if (s[i] == u'0' && (ch(i + 1) == u'x' || ch(i + 1) == u'X')) {
        i += 2;
        while (i < n && (isHexDigit(s[i]) || s[i] == u'_'
                         || (s[i] == u'\'' && has(DigitQuote) && isHexDigit(ch(i + 1)))))
            ++i;
    } else {
        const auto digits = [&] {
            while (i < n && (isAsciiDigit(s[i]) || s[i] == u'_'
                             || (s[i] == u'\'' && has(DigitQuote) && isAsciiDigit(ch(i + 1)))))
                ++i;
        };
        digits();
        if (ch(i) == u'.' && ch(i + 1) != u'.' && !identStart(ch(i + 1))) {
            ++i;
            digits();
        }
        if ((ch(i) == u'e' || ch(i) == u'E')
            && (isAsciiDigit(ch(i + 1)) || ((ch(i + 1) == u'+' || ch(i + 1) == u'-') && isAsciiDigit(ch(i + 2))))) {
            i += 2;
            digits();
        }
    }
    while (i < n && (s[i].isLetterOrNumber() || s[i] == u'_')) // suffixes: u, f, i64, n, ms ...
        ++i;
    add(from, i, CodeToken::Number);
    return i;
}

bool Lexer::lineCommentAt(qsizetype i, bool first) const
{
    for (QStringView lc : {L.lineComment, L.lineComment2}) {
        if (lc.isEmpty() || !at(i, lc))
            continue;
        if (lc == u"#" && has(HashNeedsSpace) && !first && !s[i - 1].isSpace())
            continue;
        return true;
    }
    return false;
}

// Resumes what the previous line left open; returns where to go on.
qsizetype Lexer::resume()
{
    if (st.mode == InComment)
        return blockComment(0, 0);
    if (st.mode == InString)
        return stringBody(0, 0);
    return 0;
}

void Lexer::generic()
{
    const bool resumed = st.mode != Normal;
    qsizetype i = resume();
    bool first = i == 0;         // nothing but spaces so far on this line
    bool expectType = false;     // after "class", "struct" ...
    bool expectFunction = false; // after "def", "fn" ...
    bool command = true;         // shell: the next word is a command
    if (has(ShellWords) && !resumed) {
        // A console session ("$ command", then its output): once a prompt
        // has been seen, lines without one are output, left plain.
        const qsizetype k = skipSpaces(0);
        if (ch(k) == u'$' && ch(k + 1) == u' ')
            st.braces = ConsoleSession;
        else if (st.braces == ConsoleSession)
            return;
    }
    while (i < n) {
        const QChar c = s[i];
        if (c == u' ' || c == u'\t') {
            ++i;
            continue;
        }
        const bool lineStart = first;
        first = false;

        if (!L.blockOpen.isEmpty() && at(i, L.blockOpen)) {
            resetState(InComment);
            st.nest = 1;
            st.close = L.blockClose.toString();
            i = blockComment(i + L.blockOpen.size(), i);
            continue;
        }
        if (lineCommentAt(i, lineStart)) {
            add(i, n, CodeToken::Comment);
            return;
        }
        if (has(PhpTags) && (at(i, u"<?php") || at(i, u"<?=") || at(i, u"?>"))) {
            const qsizetype e = i + (at(i, u"<?php") ? 5 : at(i, u"<?=") ? 3 : 2);
            add(i, e, CodeToken::Meta);
            i = e;
            continue;
        }
        if (has(Preprocessor) && lineStart && c == u'#') {
            i = preprocessor(i);
            continue;
        }
        if (has(RustAttr) && c == u'#' && (ch(i + 1) == u'[' || (ch(i + 1) == u'!' && ch(i + 2) == u'['))) {
            i = bracketed(i, CodeToken::Meta);
            continue;
        }
        if (has(CsStrings) && (c == u'@' || c == u'$')) {
            qsizetype q = i + 1;
            bool verbatim = c == u'@';
            if ((ch(q) == u'@' || ch(q) == u'$') && ch(q) != c) {
                verbatim = true;
                ++q;
            }
            if (ch(q) == u'"') {
                if (verbatim) {
                    resetState(InString);
                    st.flags = MultiLine | Doubled;
                    st.close = u"\""_s;
                    i = stringBody(q + 1, i);
                } else {
                    i = openString(i, q, false);
                }
                continue;
            }
        }
        if (has(Annotations) && c == u'@' && identStart(ch(i + 1))) {
            qsizetype j = identEnd(i + 1);
            while (ch(j) == u'.' && identStart(ch(j + 1)))
                j = identEnd(j + 1);
            add(i, j, CodeToken::Meta);
            i = j;
            continue;
        }
        if (has(ShellWords) && lineStart && c == u'$' && ch(i + 1) == u' ') { // a console prompt
            add(i, i + 1, CodeToken::Meta);
            i += 2;
            first = true;
            continue;
        }
        if (has(Dollar) && c == u'$') {
            i = dollar(i);
            command = false;
            continue;
        }
        if (c == u'"' || c == u'\'' || c == u'`') {
            if (c == u'\'' && has(RustStrings)) {
                if (ch(i + 1) != u'\\' && ch(i + 2) != u'\'' && identStart(ch(i + 1))) { // a lifetime
                    const qsizetype j = identEnd(i + 1);
                    add(i, j, CodeToken::Meta);
                    i = j;
                    continue;
                }
            }
            const bool enabled = (c == u'"' && has(DQuote)) || (c == u'\'' && has(SQuote))
                || (c == u'`' && (has(Backtick) || has(BacktickRaw)));
            const bool apostrophe = c == u'\'' && has(LoneApostrophe)
                && (identChar(ch(i - 1)) || s.indexOf(u'\'', i + 1) < 0); // it's, or a lone one
            if (enabled && !apostrophe) {
                const qsizetype before = out.size();
                i = openString(i, i, false);
                if (has(JsonKeys) && st.mode == Normal) {
                    const qsizetype j = skipSpaces(i);
                    if (ch(j) == u':')
                        for (qsizetype k = before; k < out.size(); ++k)
                            if (out[k].token == CodeToken::String)
                                out[k].token = CodeToken::Attribute;
                }
                command = false;
                continue;
            }
        }
        if (isAsciiDigit(c) || (c == u'.' && isAsciiDigit(ch(i + 1)) && !identChar(ch(i - 1)))) {
            if (has(ShellWords)) { // 2>&1, 10.0.0.1, v1.2: only whole numbers
                qsizetype j = i;
                while (j < n && !s[j].isSpace() && s[j] != u';' && s[j] != u'|' && s[j] != u'>'
                       && s[j] != u'<' && s[j] != u')' && s[j] != u'&')
                    ++j;
                bool numeric = true;
                for (qsizetype k = i; k < j; ++k)
                    numeric = numeric && (isAsciiDigit(s[k]) || s[k] == u'.');
                add(i, j, numeric ? CodeToken::Number : (command ? CodeToken::Function : CodeToken::Plain));
                command = false;
                i = j;
                continue;
            }
            i = number(i);
            continue;
        }
        if (has(ShellWords)) {
            const qsizetype j = shellWord(i, command);
            if (j > i) {
                i = j;
                continue;
            }
        } else if (identStart(c)) {
            i = word(i, expectType, expectFunction);
            continue;
        }
        if (has(ShellWords) && (c == u'|' || c == u';' || c == u'&' || c == u'(' || c == u'{' || c == u'`'))
            command = true;
        ++i;
    }
}

// A name: keyword, type, literal, function, or a string's prefix (r"..", L"..").
qsizetype Lexer::word(qsizetype i, bool &expectType, bool &expectFunction)
{
    const qsizetype j = identEnd(i);
    const QStringView w = s.sliced(i, j - i);
    const QChar next = ch(j);
    if (next == u'"' || next == u'\'' || next == u'#') {
        const qsizetype k = prefixedString(i, j, w);
        if (k > 0)
            return k;
    }
    QStringView key = w;
    char16_t lower[32];
    if (has(CaseInsensitive) && w.size() <= 32) {
        for (qsizetype k = 0; k < w.size(); ++k)
            lower[k] = w[k].toLower().unicode();
        key = QStringView(lower, w.size());
    }
    CodeToken token = CodeToken::Plain;
    bool introducesType = false;
    bool introducesFunction = false;
    if (L.keywords.contains(key)) {
        token = CodeToken::Keyword;
        introducesType = L.typeIntroducers.contains(key);
        introducesFunction = L.functionIntroducers.contains(key);
    } else if (L.literals.contains(key)) {
        token = CodeToken::Literal;
    } else if (L.types.contains(key)) {
        token = CodeToken::Type;
    } else if (expectType) {
        token = CodeToken::Type;
    } else if (expectFunction) {
        token = CodeToken::Function;
    } else if (has(RustStrings) && next == u'!' && ch(j + 1) != u'=') {
        token = CodeToken::Function; // a macro
    } else if (has(Functions) && ch(skipSpaces(j)) == u'(') {
        token = CodeToken::Function;
    } else if (has(CamelTypes) && w.size() > 1 && w[0].isUpper()
               && std::any_of(w.begin() + 1, w.end(), [](QChar c) { return c.isLower(); })) {
        token = CodeToken::Type;
    }
    add(i, j, token);
    expectType = introducesType;
    expectFunction = introducesFunction;
    return j;
}

// Strings with a prefix: Python r"", f"", C++ L"", R"d(...)d", Rust r#"..."#, b"".
// Returns 0 if \a w is no prefix here.
qsizetype Lexer::prefixedString(qsizetype i, qsizetype j, QStringView w)
{
    const QChar next = s[j];
    if (has(PyPrefix) && next != u'#' && w.size() <= 2) {
        bool ok = true;
        bool raw = false;
        for (QChar c : w) {
            const QChar l = c.toLower();
            ok = ok && (l == u'r' || l == u'b' || l == u'f' || l == u'u');
            raw = raw || l == u'r';
        }
        if (ok)
            return openString(i, j, raw);
    }
    if (has(CppPrefix) && next != u'#') {
        if (w == u"L" || w == u"u" || w == u"U" || w == u"u8")
            return openString(i, j, false);
        if (next == u'"' && (w == u"R" || w == u"LR" || w == u"uR" || w == u"UR" || w == u"u8R")) {
            const qsizetype paren = s.indexOf(u'(', j + 1);
            if (paren > j && paren - j - 1 <= 16) {
                const QString close = u')' + s.sliced(j + 1, paren - j - 1).toString() + u'"';
                return openRawString(i, paren + 1, close);
            }
        }
    }
    if (has(RustStrings)) {
        if ((w == u"r" || w == u"br") && (next == u'"' || next == u'#')) {
            qsizetype k = j;
            while (ch(k) == u'#')
                ++k;
            if (ch(k) == u'"')
                return openRawString(i, k + 1, u'"' + QString(k - j, u'#'));
        }
        if (w == u"b" && next != u'#')
            return openString(i, j, false);
    }
    return 0;
}

// "#include <x>", "#define X 1": the directive is meta, <x> a string, the rest code.
qsizetype Lexer::preprocessor(qsizetype i)
{
    qsizetype j = skipSpaces(i + 1);
    j = identEnd(j);
    add(i, j, CodeToken::Meta);
    const QStringView directive = s.sliced(i, j - i);
    if (directive.endsWith(u"include") || directive.endsWith(u"import")) {
        const qsizetype k = skipSpaces(j);
        if (ch(k) == u'<') {
            const qsizetype e = s.indexOf(u'>', k);
            const qsizetype end = e < 0 ? n : e + 1;
            add(k, end, CodeToken::String);
            return end;
        }
    }
    return j;
}

// #[derive(Debug)]: up to the matching bracket.
qsizetype Lexer::bracketed(qsizetype i, CodeToken token)
{
    int depth = 0;
    qsizetype j = i;
    for (; j < n; ++j) {
        if (s[j] == u'[') {
            ++depth;
        } else if (s[j] == u']' && --depth == 0) {
            ++j;
            break;
        }
    }
    add(i, j, token);
    return j;
}

// $name, ${name}, $(...), $1, $?, $@ ...
qsizetype Lexer::dollar(qsizetype i)
{
    const QChar c = ch(i + 1);
    qsizetype j = i + 1;
    if (c == u'{') {
        const qsizetype b = s.indexOf(u'}', i + 2);
        j = b < 0 ? n : b + 1;
    } else if (c == u'(') {
        const qsizetype b = s.indexOf(u')', i + 2);
        // $(CC) in make is a variable; $(command ...) in shell opens a command
        if (b > 0 && !s.sliced(i + 2, b - i - 2).contains(u' '))
            j = b + 1;
        else
            j = i + 2;
    } else if (c.isLetter() || c == u'_') {
        j = i + 1;
        while (j < n && (s[j].isLetterOrNumber() || s[j] == u'_'))
            ++j;
    } else if (isAsciiDigit(c) || c == u'?' || c == u'@' || c == u'#' || c == u'$' || c == u'!' || c == u'*'
               || c == u'-') {
        j = i + 2;
    } else {
        return i + 1;
    }
    add(i, j, CodeToken::Variable);
    return j;
}

// One shell word: a command, a keyword, an option, NAME=value, or an argument.
qsizetype Lexer::shellWord(qsizetype i, bool &command)
{
    const auto wordChar = [](QChar c) {
        return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'/' || c == u'+'
            || c == u':' || c == u'%' || c == u'@' || c == u',' || c == u'~' || c == u'^' || c == u'['
            || c == u']' || c == u'*' || c == u'?' || c == u'!';
    };
    if (!wordChar(s[i]))
        return i;
    qsizetype j = i;
    while (j < n && wordChar(s[j]))
        ++j;
    const QStringView w = s.sliced(i, j - i);
    if (ch(j) == u'=' && identStart(w.front())
        && std::all_of(w.begin(), w.end(), [](QChar c) { return c.isLetterOrNumber() || c == u'_'; })) {
        // NAME=value (after export, local ... too); a command may follow
        add(i, j, CodeToken::Variable);
        ++j;
        while (j < n && wordChar(s[j]))
            ++j;
        return j;
    }
    if (L.keywords.contains(w)) {
        add(i, j, CodeToken::Keyword);
        // a command follows "then", "do", "|| sudo" ...; a name follows "for", "export" ...
        static const QStringView names[] = {u"in", u"for", u"select", u"case", u"function", u"export",
                                            u"local", u"declare", u"readonly", u"unset", u"alias", u"AS",
                                            u"ARG", u"ENV", u"EXPOSE", u"WORKDIR", u"USER", u"LABEL",
                                            u"FROM", u"COPY", u"ADD", u"VOLUME", u"MAINTAINER", u"STOPSIGNAL"};
        command = std::find(std::begin(names), std::end(names), w) == std::end(names);
        return j;
    }
    if (L.literals.contains(w)) {
        add(i, j, CodeToken::Literal);
    } else if (command && w != u"[" && w != u"]" && w != u"[[" && w != u"]]") {
        add(i, j, CodeToken::Function);
    } else if (w.size() > 1 && w[0] == u'-' && (w[1].isLetter() || w[1] == u'-')) {
        qsizetype e = i;
        while (e < j && s[e] != u'=')
            ++e;
        add(i, e, CodeToken::Attribute);
    }
    command = false;
    return j;
}

} // namespace CodeLexing
