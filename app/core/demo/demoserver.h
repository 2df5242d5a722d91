#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

// The built-in offline "Demo" endpoint: a tiny HTTP/1.1 server on 127.0.0.1
// (a free port) that speaks just enough of the OpenAI chat-completions API for
// the real client to talk to it through the very same HTTP/SSE path.
//
//     DemoServer demo;
//     if (demo.start())
//         session.setEndpoint(demo.baseUrl(), QString());   // no key needed
//
// POST /v1/chat/completions streams a prepared Markdown answer (chosen by the
// words of the last user message, otherwise in turn) as text/event-stream in
// OpenAI chunk format: a short "thinking" pause, tokens at 30–60 tokens/s with
// jitter (some answers start with a reasoning_content phase), a finish_reason,
// a usage chunk and [DONE]. GET /v1/models lists "sluice-demo". When the client
// goes away (Stop) the server notices the disconnect and stops writing.
// setSpeedFactor() makes everything faster for tests (10 = ten times faster).
class DemoServer : public QObject
{
    Q_OBJECT
public:
    // One prepared answer, from a Markdown file in the :/demo resources.
    struct Answer
    {
        QString name;          // the file name without ".md"
        QStringList keywords;  // lower case; from "<!-- keywords: a, b -->"
        QString thinking;      // streamed as reasoning_content first, may be empty
        QString content;       // the Markdown answer
    };

    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    // Starts listening on 127.0.0.1 with a free port. Returns false (and
    // errorString() says why) when that is not possible.
    bool start();
    void close();
    bool isListening() const { return m_server.isListening(); }
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }
    // http://127.0.0.1:<port>/v1 — use it as the base URL.
    QUrl baseUrl() const;

    static QString modelId(); // "sluice-demo"

    // 1 = realistic pacing; larger is faster (all delays are divided by it).
    void setSpeedFactor(double factor);
    double speedFactor() const { return m_speedFactor; }

    // The prepared answers, and the one a prompt would get.
    static const QList<Answer> &answers();
    // The best keyword match for `prompt`, or -1 when none matches.
    static int matchAnswer(const QString &prompt);
    // Splits text into token-sized pieces that join back to the same text.
    static QStringList tokenize(const QString &text);

    int activeStreams() const { return m_activeStreams; }

Q_SIGNALS:
    void streamStarted(const QString &answerName);
    // completed is false when the client went away before the end (Stop).
    void streamFinished(bool completed);

private:
    friend class DemoConnection;
    int nextAnswer(const QString &prompt);
    void onNewConnection();
    void streamStartedInternal(const QString &answerName);
    void streamEndedInternal(bool completed);

    QTcpServer m_server;
    double m_speedFactor = 1.0;
    int m_rotation = 0;
    int m_activeStreams = 0;
    bool m_closing = false;
    quint64 m_replyCounter = 0;
};
