#pragma once

#include <QString>
#include <QStringList>

// What the user typed into the search box, made safe for SQLite. Pure logic.
//
//     const HistorySearchQuery q = HistorySearchQuery::parse(text);
//     ... WHERE messages_fts MATCH q.ftsExpression
//         AND content LIKE likePattern(term) ESCAPE '\'   -- for each of q.substringTerms
//
// Each whitespace-separated word becomes a quoted FTS5 prefix term on the
// content column (content : "word"*), so quotes, *, AND, OR, NOT, NEAR,
// parentheses and colons are plain text and can never be an FTS5 syntax
// error. Words without any letter or digit are dropped (they would match
// nothing); all words must match.
//
// FTS5's unicode61 tokenizer does not split text in scripts written without
// spaces (Chinese, Japanese kana, Thai, ...): a whole run is one token. The
// store therefore keeps such runs a second time as overlapping character
// pairs in messages.grams (grams(): "数据库" → "数据 据库 库"), indexed as the
// FTS column grams. A query run becomes the phrase of its pairs
// (grams : "数据 据库"), a single character a prefix (grams : "库"*): an exact
// substring match of any length, from the index. A word that mixes such a
// run with other characters ("Qt数据库", "数据%") is also checked as a whole
// with LIKE, on the few rows the index found.
struct HistorySearchQuery
{
    QStringList words;          // every word kept, in order (for titles)
    QString ftsExpression;      // e.g. content : "sql"* grams : "数据 据库"; empty when no words
    bool matchesContent = false; // some term is on the content column (snippet() can show it)
    QStringList unspacedWords;  // words with an unspaced run (highlighted by the store)
    QStringList substringTerms; // words mixing an unspaced run with other characters: LIKE

    bool isEmpty() const { return words.isEmpty(); }

    static HistorySearchQuery parse(const QString &text);
    // `term` as a LIKE pattern matching it anywhere: %term%, with %, _ and \ escaped by '\'.
    static QString likePattern(const QString &term);
    // True for a character of a script that is written without spaces between words.
    static bool isUnspacedScript(char32_t ucs4);
    // What the store keeps in messages.grams for a message's content: its
    // unspaced runs as overlapping pairs plus each run's last character
    // (which also stops a phrase from running on into the next run); empty
    // when there are none.
    static QString grams(const QString &text);
};

// Snippets for search hits: one line, matched terms between \x02 and \x03.
namespace HistorySnippet {
inline constexpr QChar Begin = QChar(0x02);
inline constexpr QChar End = QChar(0x03);

// Marks every (case-insensitive) occurrence of `terms` in `text` not already marked.
QString highlight(const QString &text, const QStringList &terms);
// About `maxChars` characters of `text` around the first occurrence of any
// term, with an ellipsis where cut, whitespace folded, terms highlighted.
QString excerpt(const QString &text, const QStringList &terms, int maxChars = 120);
// Folds runs of whitespace (including newlines) into single spaces.
QString oneLine(const QString &text);
} // namespace HistorySnippet
