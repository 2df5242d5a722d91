#include "historysearch.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Enough for any real query; bounds the work a pasted essay can cause.
constexpr int MaxWords = 32;
constexpr int MaxWordLength = 256;

bool hasLetterOrDigit(const QString &word)
{
    const QList<uint> codePoints = word.toUcs4();
    return std::any_of(codePoints.cbegin(), codePoints.cend(),
                       [](uint c) { return QChar::isLetterOrNumber(char32_t(c)); });
}

bool hasUnspacedScript(const QString &word)
{
    const QList<uint> codePoints = word.toUcs4();
    return std::any_of(codePoints.cbegin(), codePoints.cend(),
                       [](uint c) { return HistorySearchQuery::isUnspacedScript(char32_t(c)); });
}

void appendCodePoint(QString &out, char32_t c)
{
    if (QChar::requiresSurrogates(c)) {
        out += QChar(QChar::highSurrogate(c));
        out += QChar(QChar::lowSurrogate(c));
    } else {
        out += QChar(char16_t(c));
    }
}

// Calls f(begin, end) for each maximal run of unspaced-script code points.
template<typename F>
void forEachUnspacedRun(const QList<uint> &codePoints, F f)
{
    qsizetype i = 0;
    const qsizetype n = codePoints.size();
    while (i < n) {
        if (!HistorySearchQuery::isUnspacedScript(char32_t(codePoints.at(i)))) {
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        while (j < n && HistorySearchQuery::isUnspacedScript(char32_t(codePoints.at(j))))
            ++j;
        f(i, j);
        i = j;
    }
}

} // namespace

bool HistorySearchQuery::isUnspacedScript(char32_t ucs4)
{
    if (ucs4 < 0x0E00) // below Thai: Latin, Greek, Cyrillic, Arabic, Indic, ...
        return false;
    switch (ucs4) {
    case 0x3005: // 々 ideographic iteration mark
    case 0x309B: // ゛ ゜ kana voicing marks
    case 0x309C:
    case 0x30FC: // ー prolonged sound mark (script "Common", used inside kana words)
    case 0xFF70: // ｰ its halfwidth form
        return true;
    default:
        break;
    }
    switch (QChar::script(ucs4)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Bopomofo:
    case QChar::Script_Yi:
    case QChar::Script_Thai:
    case QChar::Script_Lao:
    case QChar::Script_Khmer:
    case QChar::Script_Myanmar:
    case QChar::Script_Tibetan:
        return true;
    default:
        return false;
    }
}

QString HistorySearchQuery::grams(const QString &text)
{
    // Fast path: nothing at or above U+0E00, nothing to index.
    if (std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x0E00; }))
        return {};
    const QList<uint> codePoints = text.toUcs4();
    QString out;
    forEachUnspacedRun(codePoints, [&](qsizetype begin, qsizetype end) {
        for (qsizetype k = begin; k + 1 < end; ++k) {
            appendCodePoint(out, char32_t(codePoints.at(k)));
            appendCodePoint(out, char32_t(codePoints.at(k + 1)));
            out += u' ';
        }
        // The last character alone: a one-character query finds it, and it
        // keeps a phrase from running on into the next run.
        appendCodePoint(out, char32_t(codePoints.at(end - 1)));
        out += u' ';
    });
    out.chop(1);
    return out;
}

HistorySearchQuery HistorySearchQuery::parse(const QString &text)
{
    HistorySearchQuery query;
    QStringList terms;
    // Control characters (NUL, escapes) separate words; they never reach SQLite.
    QString cleaned = text;
    for (QChar &c : cleaned)
        if (c.category() == QChar::Other_Control)
            c = u' ';
    const QStringList words = cleaned.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts);
    for (QString word : words) {
        if (query.words.size() >= MaxWords)
            break;
        if (word.size() > MaxWordLength) // SQLite limits LIKE patterns to 50 000 bytes
            word.truncate(word.at(MaxWordLength - 1).isHighSurrogate() ? MaxWordLength - 1 : MaxWordLength);
        if (!hasLetterOrDigit(word) || query.words.contains(word))
            continue;
        query.words.append(word);
        if (!hasUnspacedScript(word)) {
            QString quoted = word;
            quoted.replace(u'"', u"\"\""_s);
            terms.append(u"content : \""_s + quoted + u"\"*"_s);
            query.matchesContent = true;
            continue;
        }
        query.unspacedWords.append(word);
        const QList<uint> codePoints = word.toUcs4();
        bool onlyUnspaced = true;
        qsizetype covered = 0;
        forEachUnspacedRun(codePoints, [&](qsizetype begin, qsizetype end) {
            onlyUnspaced = onlyUnspaced && begin == covered;
            covered = end;
            QString term = u"grams : \""_s;
            if (end - begin == 1) {
                appendCodePoint(term, char32_t(codePoints.at(begin)));
                term += u"\"*"_s; // pairs starting with it, or it alone at the end of a run
            } else {
                for (qsizetype k = begin; k + 1 < end; ++k) {
                    if (k > begin)
                        term += u' ';
                    appendCodePoint(term, char32_t(codePoints.at(k)));
                    appendCodePoint(term, char32_t(codePoints.at(k + 1)));
                }
                term += u'"';
            }
            terms.append(term);
        });
        if (!onlyUnspaced || covered != codePoints.size())
            query.substringTerms.append(word);
    }
    query.ftsExpression = terms.join(u' ');
    return query;
}

QString HistorySearchQuery::likePattern(const QString &term)
{
    QString escaped;
    escaped.reserve(term.size() + 8);
    for (const QChar c : term) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped.append(u'\\');
        escaped.append(c);
    }
    return u"%"_s + escaped + u"%"_s;
}

namespace HistorySnippet {

QString oneLine(const QString &text)
{
    return text.simplified();
}

static QString highlightPlain(QStringView text, const QStringList &terms)
{
    QString out;
    out.reserve(text.size() + 8);
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype best = 0;
        for (const QString &term : terms) {
            if (term.size() > best && term.size() <= text.size() - i
                && text.mid(i, term.size()).compare(term, Qt::CaseInsensitive) == 0)
                best = term.size();
        }
        if (best > 0) {
            out += Begin;
            out += text.mid(i, best);
            out += End;
            i += best;
        } else {
            out += text.at(i);
            ++i;
        }
    }
    return out;
}

QString highlight(const QString &text, const QStringList &terms)
{
    if (terms.isEmpty())
        return text;
    // Keep what is already marked (an FTS5 snippet) as it is.
    QString out;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype begin = text.indexOf(Begin, i);
        if (begin < 0) {
            out += highlightPlain(QStringView(text).mid(i), terms);
            break;
        }
        out += highlightPlain(QStringView(text).mid(i, begin - i), terms);
        qsizetype end = text.indexOf(End, begin);
        end = end < 0 ? text.size() : end + 1;
        out += QStringView(text).mid(begin, end - begin);
        i = end;
    }
    return out;
}

QString excerpt(const QString &text, const QStringList &terms, int maxChars)
{
    qsizetype first = -1;
    for (const QString &term : terms) {
        const qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive);
        if (at >= 0 && (first < 0 || at < first))
            first = at;
    }
    qsizetype start = first < 0 ? 0 : std::max<qsizetype>(0, first - maxChars / 3);
    qsizetype end = std::min<qsizetype>(text.size(), start + maxChars);
    if (start > 0 && text.at(start).isLowSurrogate())
        --start;
    if (end < text.size() && text.at(end).isLowSurrogate())
        ++end;
    QString part = highlight(oneLine(text.mid(start, end - start)), terms);
    if (start > 0)
        part.prepend(u'…');
    if (end < text.size())
        part.append(u'…');
    return part;
}

} // namespace HistorySnippet
