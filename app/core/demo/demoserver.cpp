#include "demoserver.h"

#include "democonnection.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcDemo, "sluice.demo", QtInfoMsg) // debug output: QT_LOGGING_RULES="sluice.demo.debug=true"

namespace {

bool isCjk(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x2E80 && u <= 0x9FFF) || (u >= 0xAC00 && u <= 0xD7AF) || (u >= 0xF900 && u <= 0xFAFF)
        || (u >= 0xFF00 && u <= 0xFFEF);
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() && !isCjk(c);
}

// "<!-- keywords: a, b -->" then an optional "<!-- thinking ... -->" block, then Markdown.
DemoServer::Answer parseAnswer(const QString &name, QString text)
{
    DemoServer::Answer answer;
    answer.name = name;
    text.replace(u"\r\n"_s, u"\n"_s);
    for (;;) {
        const QString head = text.trimmed();
        if (!head.startsWith(u"<!--"))
            break;
        const qsizetype end = head.indexOf(u"-->");
        if (end < 0)
            break;
        const QString comment = head.mid(4, end - 4).trimmed();
        if (comment.startsWith(u"keywords:")) {
            const QStringList words = comment.mid(9).split(u',', Qt::SkipEmptyParts);
            for (const QString &w : words)
                answer.keywords.append(w.trimmed().toLower());
        } else if (comment.startsWith(u"thinking")) {
            answer.thinking = comment.mid(8).trimmed();
        }
        text = head.mid(end + 3);
    }
    answer.content = text.trimmed() + u'\n';
    return answer;
}

} // namespace

DemoServer::DemoServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &DemoServer::onNewConnection);
}

DemoServer::~DemoServer()
{
    // Connections are children: they go first, without signals from a half-destroyed server.
    m_closing = true;
    m_server.close();
    qDeleteAll(findChildren<DemoConnection *>(Qt::FindDirectChildrenOnly));
}

bool DemoServer::start()
{
    if (m_server.isListening())
        return true;
    const bool ok = m_server.listen(QHostAddress::LocalHost, 0);
    if (ok)
        qCDebug(lcDemo) << "demo endpoint on port" << m_server.serverPort();
    else
        qCWarning(lcDemo) << "could not start the demo endpoint:" << m_server.errorString();
    return ok;
}

void DemoServer::close()
{
    m_server.close();
}

QUrl DemoServer::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server.serverPort());
    url.setPath(u"/v1"_s);
    return url;
}

QString DemoServer::modelId()
{
    return u"sluice-demo"_s;
}

void DemoServer::setSpeedFactor(double factor)
{
    m_speedFactor = factor > 0 ? factor : 1.0;
}

const QList<DemoServer::Answer> &DemoServer::answers()
{
    static const QList<Answer> list = [] {
        QList<Answer> out;
        const QDir dir(u":/demo"_s);
        const QStringList files = dir.entryList({u"*.md"_s}, QDir::Files, QDir::Name);
        for (const QString &file : files) {
            QFile f(dir.filePath(file));
            if (f.open(QIODevice::ReadOnly))
                out.append(parseAnswer(file.chopped(3), QString::fromUtf8(f.readAll())));
        }
        if (out.isEmpty()) {
            Answer missing;
            missing.name = u"missing"_s;
            missing.content = u"The demo answers are missing from this build of Sluice.\n"_s;
            out.append(missing);
        }
        return out;
    }();
    return list;
}

int DemoServer::matchAnswer(const QString &prompt)
{
    const QString text = prompt.toLower();
    // Words (letters, digits, '+', '#'), so "hi" does not match "this".
    QStringList words;
    QString word;
    bool hasCjk = false;
    for (const QChar c : text) {
        hasCjk = hasCjk || isCjk(c);
        if (isWordChar(c) || c == u'+' || c == u'#') {
            word += c;
        } else if (!word.isEmpty()) {
            words.append(std::exchange(word, QString()));
        }
    }
    if (!word.isEmpty())
        words.append(word);

    const QList<Answer> &list = answers();
    int best = -1;
    int bestScore = 0;
    for (int i = 0; i < list.size(); ++i) {
        int score = 0;
        for (const QString &keyword : list.at(i).keywords) {
            const bool ascii = std::all_of(keyword.cbegin(), keyword.cend(), [](QChar c) { return c.unicode() < 0x80; });
            if (ascii ? (keyword.contains(u' ') ? text.contains(keyword) : words.contains(keyword))
                      : text.contains(keyword))
                ++score;
            else if (keyword == u"@cjk" && hasCjk)
                score += 2;
        }
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
    }
    return best;
}

int DemoServer::nextAnswer(const QString &prompt)
{
    const int matched = matchAnswer(prompt);
    if (matched >= 0)
        return matched;
    return m_rotation++ % int(answers().size());
}

QStringList DemoServer::tokenize(const QString &text)
{
    QStringList tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const qsizetype start = i;
        if (text.at(i) == u'\n') {
            while (i < n && text.at(i) == u'\n')
                ++i;
            tokens.append(text.mid(start, i - start));
            continue;
        }
        while (i < n && (text.at(i) == u' ' || text.at(i) == u'\t'))
            ++i;
        if (i >= n) {
            tokens.append(text.mid(start));
            break;
        }
        const QChar c = text.at(i);
        if (isCjk(c)) {
            // One or two characters a token, as CJK text mostly is.
            ++i;
            if (i < n && isCjk(text.at(i)) && (start % 3) != 0)
                ++i;
        } else if (isWordChar(c)) {
            const qsizetype wordStart = i;
            while (i < n && isWordChar(text.at(i)))
                ++i;
            // Long words become several pieces, as in BPE vocabularies.
            if (i - wordStart > 8)
                i = wordStart + 5;
        } else if (c.isHighSurrogate() && i + 1 < n) {
            i += 2; // an emoji or another character outside the BMP stays whole
        } else {
            // Punctuation: runs of the same mark ("```", "**", "---") stay together.
            const QChar mark = c;
            while (i < n && text.at(i) == mark && i - start < 4)
                ++i;
        }
        tokens.append(text.mid(start, i - start));
    }
    return tokens;
}

void DemoServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection())
        new DemoConnection(this, socket);
}

void DemoServer::streamStartedInternal(const QString &answerName)
{
    ++m_activeStreams;
    Q_EMIT streamStarted(answerName);
}

void DemoServer::streamEndedInternal(bool completed)
{
    if (m_closing)
        return;
    m_activeStreams = std::max(0, m_activeStreams - 1);
    Q_EMIT streamFinished(completed);
}
