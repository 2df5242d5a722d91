#include "codehighlighter.h"

#include "codelexer.h"

using namespace Qt::StringLiterals;

CodeHighlighter::CodeHighlighter(QStringView language)
{
    QString tag = language.trimmed().toString().toLower();
    if (tag.startsWith(u"language-"))
        tag.remove(0, 9);
    if (tag.startsWith(u'{')) // {.python}
        tag = tag.mid(1).remove(u'.').remove(u'}');
    if (tag.isEmpty()) {
        m_guess = true;
        m_language = CodeLexing::genericLanguage();
        return;
    }
    m_language = CodeLexing::findLanguage(tag);
    if (!m_language)
        m_language = CodeLexing::genericLanguage();
}

QString CodeHighlighter::languageId() const
{
    return m_language ? m_language->id : QString();
}

bool CodeHighlighter::isPlain() const
{
    return m_language && m_language->kind == CodeLexing::Kind::Plain;
}

void CodeHighlighter::highlightLine(QStringView line, CodeLineState *state, QList<CodeSpan> *spans) const
{
    if (!m_language || m_language->kind == CodeLexing::Kind::Plain) {
        *state = {};
        return;
    }
    if (line.endsWith(u'\r'))
        line.chop(1);
    CodeLexing::Lexer(*m_language, line, *state, *spans).run();
}

int CodeHighlighter::setText(QStringView text, bool appended)
{
    int first = 0;
    if (appended && !m_lines.empty())
        first = int(m_lines.size()) - 1;

    if (m_guess && !m_guessed) {
        // Decide on the first complete, non-blank line; until then, guess afresh.
        qsizetype pos = 0;
        const CodeLanguage *guess = CodeLexing::genericLanguage();
        while (pos < text.size()) {
            const qsizetype nl = text.indexOf(u'\n', pos);
            if (nl < 0)
                break;
            const QStringView line = text.sliced(pos, nl - pos);
            if (!line.trimmed().isEmpty()) {
                const QStringView id = CodeLexing::guessLanguage(line);
                if (!id.isEmpty())
                    guess = CodeLexing::findLanguage(id);
                m_guessed = true;
                break;
            }
            pos = nl + 1;
        }
        if (guess != m_language) {
            m_language = guess;
            first = 0;
        }
    }

    qsizetype pos = 0;
    CodeLineState state;
    if (first > 0) {
        pos = m_lines[size_t(first)].start;
        state = m_lines[size_t(first)].state;
    }
    m_lines.resize(size_t(first));
    for (;;) {
        const qsizetype nl = text.indexOf(u'\n', pos);
        const qsizetype end = nl < 0 ? text.size() : nl;
        Line line;
        line.start = pos;
        line.state = state;
        highlightLine(text.sliced(pos, end - pos), &state, &line.spans);
        m_lines.push_back(std::move(line));
        if (nl < 0)
            break;
        pos = nl + 1;
    }
    return first;
}

QList<QList<CodeSpan>> CodeHighlighter::highlightAll(QStringView text) const
{
    CodeHighlighter copy = *this;
    copy.setText(text, false);
    QList<QList<CodeSpan>> lines;
    lines.reserve(copy.lineCount());
    for (int i = 0; i < copy.lineCount(); ++i)
        lines.append(copy.lineSpans(i));
    return lines;
}
