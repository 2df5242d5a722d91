// The dedicated lexers: markup (HTML, XML, SVG), CSS, diff, YAML, INI/TOML.

#include "codelexer.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace CodeLexing {

void Lexer::markup()
{
    qsizetype i = resume();
    while (i < n) {
        if (st.mode == InTag) {
            i = insideTag(i);
            continue;
        }
        const qsizetype lt = s.indexOf(u'<', i);
        const qsizetype amp = s.indexOf(u'&', i);
        if (amp >= 0 && (lt < 0 || amp < lt)) {
            qsizetype e = amp + 1;
            while (e < n && e < amp + 12 && (s[e].isLetterOrNumber() || s[e] == u'#'))
                ++e;
            if (ch(e) == u';' && e > amp + 1)
                add(amp, e + 1, CodeToken::Escape);
            i = e;
            continue;
        }
        if (lt < 0)
            return;
        i = lt;
        if (at(i, u"<!--")) {
            resetState(InComment);
            st.nest = 1;
            st.close = u"-->"_s;
            i = blockComment(i + 4, i);
        } else if (at(i, u"<![CDATA[")) {
            resetState(InString);
            st.flags = MultiLine;
            st.close = u"]]>"_s;
            i = stringBody(i + 9, i);
        } else if (ch(i + 1) == u'!' || ch(i + 1) == u'?') {
            const qsizetype e = s.indexOf(u'>', i);
            const qsizetype end = e < 0 ? n : e + 1;
            add(i, end, CodeToken::Meta);
            i = end;
        } else {
            qsizetype j = i + 1;
            if (ch(j) == u'/')
                ++j;
            const qsizetype nameStart = j;
            while (j < n && (s[j].isLetterOrNumber() || s[j] == u'-' || s[j] == u':' || s[j] == u'_'
                             || s[j] == u'.'))
                ++j;
            if (j == nameStart && ch(j) != u'>') { // "a < b" in text
                i = j;
                continue;
            }
            add(i, j, CodeToken::Tag);
            resetState(InTag);
            i = j;
        }
    }
}

qsizetype Lexer::insideTag(qsizetype i)
{
    while (i < n) {
        const QChar c = s[i];
        if (c == u'>' || (c == u'/' && ch(i + 1) == u'>') || (c == u'?' && ch(i + 1) == u'>')) {
            const qsizetype e = c == u'>' ? i + 1 : i + 2;
            add(i, e, CodeToken::Tag);
            resetState();
            return e;
        }
        if (c == u'"' || c == u'\'') {
            resetState(InString);
            st.flags = MultiLine | TagString;
            st.close = QString(c);
            return stringBody(i + 1, i);
        }
        if (c.isLetter() || c == u'_' || c == u':' || c == u'@') {
            qsizetype j = i;
            while (j < n && (s[j].isLetterOrNumber() || s[j] == u'-' || s[j] == u':' || s[j] == u'_'
                             || s[j] == u'.' || s[j] == u'@'))
                ++j;
            add(i, j, CodeToken::Attribute);
            i = j;
            continue;
        }
        ++i;
    }
    return n;
}

void Lexer::css()
{
    qsizetype i = resume();
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (at(i, u"/*")) {
            resetState(InComment);
            st.nest = 1;
            st.close = u"*/"_s;
            i = blockComment(i + 2, i);
            continue;
        }
        if (at(i, u"//") && (i == 0 || s[i - 1].isSpace())) { // SCSS, Less
            add(i, n, CodeToken::Comment);
            return;
        }
        if (c == u'"' || c == u'\'') {
            i = openString(i, i, false);
            continue;
        }
        if (c == u'{') {
            st.braces = quint8(std::min(st.braces + 1, 255));
            ++i;
            continue;
        }
        if (c == u'}') {
            st.braces = st.braces > 0 ? st.braces - 1 : 0;
            ++i;
            continue;
        }
        if (c == u'@' || (c == u'$' && identStart(ch(i + 1)))) { // @media, $scss-variable
            qsizetype j = i + 1;
            while (j < n && (s[j].isLetterOrNumber() || s[j] == u'-' || s[j] == u'_'))
                ++j;
            add(i, j, c == u'@' ? CodeToken::Meta : CodeToken::Variable);
            i = j;
            continue;
        }
        const bool inBlock = st.braces > 0;
        if (c == u'#' && inBlock) { // #fff
            qsizetype j = i + 1;
            while (j < n && isHexDigit(s[j]))
                ++j;
            add(i, j, CodeToken::Number);
            i = j;
            continue;
        }
        if (isAsciiDigit(c) || ((c == u'.' || c == u'-') && isAsciiDigit(ch(i + 1)))) {
            if (inBlock || c != u'.') {
                qsizetype j = i + 1;
                while (j < n && (isAsciiDigit(s[j]) || s[j] == u'.'))
                    ++j;
                while (j < n && (s[j].isLetter() || s[j] == u'%')) // units
                    ++j;
                add(i, j, CodeToken::Number);
                i = j;
                continue;
            }
        }
        if (c == u'!' && at(i, u"!important")) {
            add(i, i + 10, CodeToken::Keyword);
            i += 10;
            continue;
        }
        if (c.isLetter() || c == u'-' || c == u'_' || ((c == u'.' || c == u'#' || c == u':') && !inBlock)) {
            qsizetype j = i + 1;
            while (j < n && (s[j].isLetterOrNumber() || s[j] == u'-' || s[j] == u'_'))
                ++j;
            const QStringView w = s.sliced(i, j - i);
            CodeToken token = CodeToken::Plain;
            if (ch(j) == u'(') {
                token = CodeToken::Function;
            } else if (inBlock && w.startsWith(u"--")) {
                token = CodeToken::Variable;
            } else if (inBlock && ch(skipSpaces(j)) == u':') {
                token = CodeToken::Attribute;
            } else if (inBlock) {
                token = L.keywords.contains(w) ? CodeToken::Keyword : CodeToken::Plain;
            } else if (c == u'.' || c == u'#') {
                token = CodeToken::Type;
            } else if (c == u':') {
                token = CodeToken::Meta;
            } else {
                token = CodeToken::Tag;
            }
            add(i, j, token);
            i = j;
            continue;
        }
        ++i;
    }
}

void Lexer::diff()
{
    if (n == 0)
        return;
    const QChar c = s[0];
    CodeToken token = CodeToken::Plain;
    if ((at(0, u"+++") || at(0, u"---")) && (n == 3 || s[3] == u' ' || s[3] == u'\t'))
        token = CodeToken::Section;
    else if (at(0, u"@@"))
        token = CodeToken::Section;
    else if (at(0, u"diff ") || at(0, u"index ") || at(0, u"new file") || at(0, u"deleted file")
             || at(0, u"similarity ") || at(0, u"rename ") || at(0, u"Index: ") || at(0, u"old mode")
             || at(0, u"new mode"))
        token = CodeToken::Meta;
    else if (c == u'+' || c == u'>')
        token = CodeToken::Inserted;
    else if (c == u'-' || c == u'<')
        token = CodeToken::Deleted;
    else if (c == u'!')
        token = CodeToken::Meta;
    add(0, n, token);
}

// A plain scalar or word: a literal, a number, an anchor/alias/tag, or plain.
void Lexer::scalar(qsizetype i, qsizetype j)
{
    const QStringView w = s.sliced(i, j - i);
    if (w.isEmpty())
        return;
    if (L.literals.contains(w)) {
        add(i, j, CodeToken::Literal);
        return;
    }
    if (w[0] == u'&' || w[0] == u'*' || w[0] == u'!') {
        add(i, j, CodeToken::Meta);
        return;
    }
    bool numeric = isAsciiDigit(w[0]) || ((w[0] == u'-' || w[0] == u'+' || w[0] == u'.') && w.size() > 1);
    for (QChar c : w)
        numeric = numeric && (isAsciiDigit(c) || c == u'.' || c == u'-' || c == u'+' || c == u'_' || c == u'e'
                              || c == u'E' || c == u':' || c == u'x' || isHexDigit(c));
    if (numeric && std::any_of(w.begin(), w.end(), [](QChar c) { return isAsciiDigit(c); }))
        add(i, j, CodeToken::Number);
}

void Lexer::yaml()
{
    qsizetype i = resume();
    if (i == 0) {
        i = skipSpaces(0);
        if (i == 0 && (at(0, u"---") || at(0, u"...")) && (n == 3 || s[3].isSpace())) {
            add(0, 3, CodeToken::Meta);
            i = 3;
        }
        while (ch(i) == u'-' && (ch(i + 1) == u' ' || i + 1 == n)) // list items
            i = skipSpaces(i + 1);
        // key: value
        qsizetype keyEnd = -1;
        if (ch(i) == u'"' || ch(i) == u'\'') {
            const qsizetype q = s.indexOf(s[i], i + 1);
            if (q > 0 && ch(skipSpaces(q + 1)) == u':')
                keyEnd = q + 1;
        } else if (ch(i) != u'#' && ch(i) != u'{' && ch(i) != u'[') {
            for (qsizetype k = i; k < n; ++k) {
                if (s[k] == u'#' && k > 0 && s[k - 1].isSpace())
                    break;
                if (s[k] == u':' && (k + 1 == n || s[k + 1].isSpace())) {
                    keyEnd = k;
                    break;
                }
            }
        }
        if (keyEnd > i) {
            add(i, keyEnd, CodeToken::Attribute);
            i = keyEnd + 1;
            while (ch(skipSpaces(i)) == u':') // "key" :
                i = skipSpaces(i) + 1;
        }
    }
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace() || c == u',' || c == u'[' || c == u']' || c == u'{' || c == u'}') {
            ++i;
            continue;
        }
        if (c == u'#' && (i == 0 || s[i - 1].isSpace())) {
            add(i, n, CodeToken::Comment);
            return;
        }
        if (c == u'"' || c == u'\'') {
            resetState(InString);
            st.flags = MultiLine | (c == u'"' ? Escapes : Doubled);
            st.close = QString(c);
            i = stringBody(i + 1, i);
            continue;
        }
        if ((c == u'|' || c == u'>') && (i + 1 == n || s[i + 1].isSpace() || s[i + 1] == u'-' || s[i + 1] == u'+')) {
            add(i, i + 1, CodeToken::Meta);
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < n && !s[j].isSpace() && s[j] != u',' && s[j] != u']' && s[j] != u'}')
            ++j;
        scalar(i, j);
        i = j;
    }
}

void Lexer::ini()
{
    qsizetype i = resume();
    if (i == 0) {
        i = skipSpaces(0);
        if (ch(i) == u'#' || ch(i) == u';') {
            add(i, n, CodeToken::Comment);
            return;
        }
        if (ch(i) == u'[') {
            const qsizetype e = s.lastIndexOf(u']');
            const qsizetype end = e < i ? n : e + 1;
            add(i, end, CodeToken::Section);
            i = end;
        } else {
            qsizetype eq = i;
            while (eq < n && s[eq] != u'=' && s[eq] != u'"' && s[eq] != u'\'')
                ++eq;
            if (ch(eq) == u'=') {
                qsizetype keyEnd = eq;
                while (keyEnd > i && s[keyEnd - 1].isSpace())
                    --keyEnd;
                add(i, keyEnd, CodeToken::Attribute);
                i = eq + 1;
            }
        }
    }
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace() || c == u',' || c == u'[' || c == u']' || c == u'{' || c == u'}' || c == u'=') {
            ++i;
            continue;
        }
        if ((c == u'#' || c == u';') && i > 0 && s[i - 1].isSpace()) {
            add(i, n, CodeToken::Comment);
            return;
        }
        if (c == u'"' || c == u'\'') {
            resetState(InString);
            st.flags = c == u'"' ? Escapes : 0;
            if (ch(i + 1) == c && ch(i + 2) == c) {
                st.close = QString(3, c);
                st.flags |= MultiLine;
            } else {
                st.close = QString(c);
            }
            i = stringBody(i + st.close.size(), i);
            continue;
        }
        qsizetype j = i;
        while (j < n && !s[j].isSpace() && s[j] != u',' && s[j] != u']' && s[j] != u'}')
            ++j;
        scalar(i, j);
        i = j;
    }
}

} // namespace CodeLexing
