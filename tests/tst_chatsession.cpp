// Tests of ChatSession end to end: a real HistoryStore (SQLite in a temporary
// folder), a real QNetworkAccessManager and the loopback SseTestServer. The
// history is read back through a second HistoryStore (its own connection), so
// a test sees what is committed, as the next start of the app would.

#include "chat/chatsession.h"
#include "ssetestserver.h"
#include "store/historystore.h"
#include "testtls.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

using Response = SseTestServer::Response;
using Status = ChatResult::Status;
using State = Message::State;

const QString kChatPath = u"/v1/chat/completions"_s;
const QString kModel = u"test-model"_s;
constexpr int kTimeoutMs = 30'000; // generous: a slow shared machine

// Everything one session says.
struct Watch
{
    explicit Watch(ChatSession *s)
        : session(s)
        , finished(s, &ChatSession::replyFinished)
        , errors(s, &ChatSession::errorOccurred)
        , streaming(s, &ChatSession::streamingChanged)
        , started(s, &ChatSession::replyStarted)
        , tester(s->model(), QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
    }
    ChatResult result(int i = 0) const { return qvariant_cast<ChatResult>(finished.at(i).at(0)); }

    ChatSession *session;
    QSignalSpy finished;
    QSignalSpy errors;
    QSignalSpy streaming;
    QSignalSpy started;
    QAbstractItemModelTester tester;
};

#define WAIT_REPLY(watch, n)                                                           \
    do {                                                                               \
        QTRY_VERIFY_WITH_TIMEOUT((watch).finished.count() >= (n), kTimeoutMs);         \
        QCOMPARE((watch).finished.count(), (n));                                       \
        QVERIFY(!(watch).session->isStreaming());                                      \
        QCOMPARE((watch).session->streamingRow(), -1);                                 \
    } while (false)

QStringList numbered(const QString &prefix, int count)
{
    QStringList pieces;
    for (int i = 1; i <= count; ++i)
        pieces << u"%1%2 "_s.arg(prefix).arg(i);
    return pieces;
}

// role/content pairs of a request body's messages.
QList<std::pair<QString, QString>> sentMessages(const SseTestServer::RecordedRequest &request)
{
    QList<std::pair<QString, QString>> out;
    for (const QJsonValue &v : request.json().value(u"messages"_s).toArray()) {
        const QJsonObject m = v.toObject();
        out.append({m.value(u"role"_s).toString(), m.value(u"content"_s).toString()});
    }
    return out;
}

using Sent = QList<std::pair<QString, QString>>;

// `prefix` is the start of `text` (a null and an empty string are the same here).
bool isPrefix(const QString &prefix, const QString &text)
{
    return prefix.size() <= text.size() && QStringView(text).left(prefix.size()) == prefix;
}

} // namespace

class tst_ChatSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void userMessageStoredBeforeTheRequest();
    void textGrowsWhileStreaming();
    void completedReplyIsStored();
    void stopKeepsThePartialReply();
    void failureIsNotReplyText_data();
    void failureIsNotReplyText();
    void truncatedKeepsTheText();
    void retryReplacesTheReply();
    void regenerateReplacesTheReply();
    void editAndResend();
    void multiTurnSendsTheWholeHistory();
    void loadedConversationContinues();
    void checkpointsLagAtMostOneInterval();
    void destroyedWhileStreaming();
    void twoSessionsAtOnce();
    void twentySessionsAtOnce_data();
    void twentySessionsAtOnce();
    void queuedRequestIsNotTimedOut_data();
    void queuedRequestIsNotTimedOut();

private:
    std::unique_ptr<ChatSession> newSession(const QUrl &baseUrl = QUrl(), QNetworkAccessManager *nam = nullptr) const;
    QList<Message> stored(qint64 conversationId) const { return m_reader->messages(conversationId); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<HistoryStore> m_store;  // the one the sessions write to
    std::unique_ptr<HistoryStore> m_reader; // another connection, as another program would read
};

void tst_ChatSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
    const QString path = m_dir->filePath(u"history.sqlite3"_s);
    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(path), qPrintable(m_store->lastError()));
    m_reader = std::make_unique<HistoryStore>();
    QVERIFY2(m_reader->open(path), qPrintable(m_reader->lastError()));
}

void tst_ChatSession::cleanup()
{
    m_reader.reset();
    m_store.reset();
    m_nam.reset();
    m_server.reset();
    m_dir.reset();
}

std::unique_ptr<ChatSession> tst_ChatSession::newSession(const QUrl &baseUrl, QNetworkAccessManager *nam) const
{
    auto session = std::make_unique<ChatSession>(nam ? nam : m_nam.get(), m_store.get());
    session->setEndpoint(baseUrl.isEmpty() ? m_server->baseUrl() : baseUrl, u"sk-session-test-0123456789"_s);
    session->setModel(kModel);
    ChatClient::Options options;
    options.connectTimeoutMs = 20'000;
    options.idleTimeoutMs = 20'000;
    options.maxRetries = 0;
    options.backoffBaseMs = 50;
    session->setClientOptions(options);
    return session;
}

// ---------------------------------------------------------------------------

void tst_ChatSession::userMessageStoredBeforeTheRequest()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Hi!"_s}, 10));
    auto session = newSession();
    Watch watch(session.get());

    // What another connection finds in the file at the moment the request arrives.
    QList<Message> atArrival;
    qint64 conversationAtArrival = -1;
    connect(m_server.get(), &SseTestServer::requestReceived, this, [&] {
        const auto conversations = m_reader->conversations();
        if (conversations.size() == 1) {
            conversationAtArrival = conversations.first().id;
            atArrival = m_reader->messages(conversationAtArrival);
        }
    });

    QVERIFY(session->send(u"Hello there"_s));
    QVERIFY(session->isStreaming());
    QCOMPARE(watch.started.count(), 1);
    QCOMPARE(watch.started.at(0).at(0).toInt(), 1);
    WAIT_REPLY(watch, 1);

    QVERIFY(conversationAtArrival >= 0);
    QCOMPARE(conversationAtArrival, session->conversationId());
    QCOMPARE(atArrival.size(), 2);
    QCOMPARE(atArrival.at(0).role, ChatMessage::Role::User);
    QCOMPARE(atArrival.at(0).content, u"Hello there"_s);
    QCOMPARE(atArrival.at(0).state, State::Completed);
    QCOMPARE(atArrival.at(1).role, ChatMessage::Role::Assistant);
    QCOMPARE(atArrival.at(1).state, State::Streaming);
    QVERIFY(atArrival.at(1).content.isEmpty());

    const auto conversation = m_reader->conversation(session->conversationId());
    QVERIFY(conversation);
    QCOMPARE(conversation->title, u"Hello there"_s);
    QCOMPARE(conversation->model, kModel);
    QCOMPARE(stored(session->conversationId()).at(1).content, u"Hi!"_s);
}

void tst_ChatSession::textGrowsWhileStreaming()
{
    const QStringList pieces{u"Alpha "_s, u"beta "_s, u"gamma "_s, u"delta"_s};
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 150));
    auto session = newSession();
    Watch watch(session.get());
    TranscriptModel *model = session->model();

    QStringList seen;
    QList<QList<int>> rolesWhileStreaming;
    connect(model, &TranscriptModel::dataChanged, this,
            [&](const QModelIndex &from, const QModelIndex &to, const QList<int> &roles) {
                QCOMPARE(from.row(), to.row()); // one row at a time
                if (from.row() != session->streamingRow())
                    return;
                rolesWhileStreaming.append(roles);
                const QString text = from.data(TranscriptModel::TextRole).toString();
                if (seen.isEmpty() || seen.last() != text)
                    seen.append(text);
            });

    QVERIFY(session->send(u"Four words, please."_s));
    QCOMPARE(watch.streaming.count(), 1);
    QCOMPARE(watch.streaming.at(0).at(0).toBool(), true);
    WAIT_REPLY(watch, 1);
    QCOMPARE(watch.streaming.count(), 2);
    QCOMPARE(watch.streaming.at(1).at(0).toBool(), false);

    // The text grew in steps (150 ms apart, coalesced per 16 ms frame; a
    // stalled machine may merge two), each state a longer prefix of the next.
    QVERIFY2(seen.size() >= 2, qPrintable(seen.join(u'|')));
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen.at(i).startsWith(seen.at(i - 1)) && seen.at(i).size() > seen.at(i - 1).size());
    QCOMPARE(seen.last(), pieces.join(QString()));
    // A token only touches the text role of the streaming row.
    for (const QList<int> &roles : std::as_const(rolesWhileStreaming))
        QCOMPARE(roles, QList<int>{TranscriptModel::TextRole});
    QCOMPARE(model->message(1).content, pieces.join(QString()));
    QCOMPARE(model->message(1).state, State::Completed);
}

void tst_ChatSession::completedReplyIsStored()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Stored"_s, u" reply."_s}, 20, 5));
    auto session = newSession();
    Pricing pricing;
    pricing.set(kModel, Pricing::Price{1.0, 2.0}); // USD per million tokens
    session->setPricing(pricing);
    Watch watch(session.get());
    QVERIFY(session->send(u"Hello"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(watch.result().status, Status::Completed);
    QCOMPARE(watch.errors.count(), 0);

    const QList<Message> inDb = stored(session->conversationId());
    QCOMPARE(inDb.size(), 2);
    for (const Message &m : {session->model()->message(1), inDb.at(1)}) {
        QCOMPARE(m.role, ChatMessage::Role::Assistant);
        QCOMPARE(m.content, u"Stored reply."_s);
        QCOMPARE(m.state, State::Completed);
        QCOMPARE(m.model, kModel);
        QCOMPARE(m.finishReason, u"stop"_s);
        QVERIFY(m.errorText.isEmpty());
        QCOMPARE(m.usage.promptTokens, 12);
        QCOMPARE(m.usage.completionTokens, 5);
        QCOMPARE(m.metrics.tokens, 5);
        QCOMPARE(m.metrics.tokenSource, u"usage"_s);
        QVERIFY(m.metrics.ttftMs >= 0);
        QVERIFY(m.metrics.elapsedMs >= m.metrics.ttftMs);
        QVERIFY(m.metrics.bytes > 0);
        QCOMPARE(m.metrics.retries, 0);
        QVERIFY(m.costUsd);
        QVERIFY2(qAbs(*m.costUsd - (12 * 1.0 + 5 * 2.0) / 1e6) < 1e-12, qPrintable(QString::number(*m.costUsd)));
        QVERIFY(m.id >= 0);
    }
    QCOMPARE(inDb.at(1).id, session->model()->message(1).id);
}

void tst_ChatSession::stopKeepsThePartialReply()
{
    const QStringList pieces = numbered(u"t"_s, 50);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 100));
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(session->send(u"Talk slowly."_s));
    QTRY_VERIFY_WITH_TIMEOUT(session->model()->message(1).content.contains(u"t3 "_s), kTimeoutMs);

    session->stop();
    // Stop is immediate: the result comes before stop() returns.
    QCOMPARE(watch.finished.count(), 1);
    QVERIFY(!session->isStreaming());
    QCOMPARE(watch.result().status, Status::Stopped);
    QCOMPARE(watch.errors.count(), 0); // stopping is no error

    const Message shown = session->model()->message(1);
    QCOMPARE(shown.state, State::Stopped);
    QVERIFY(shown.content.startsWith(u"t1 t2 t3 "_s));
    QVERIFY(pieces.join(QString()).startsWith(shown.content));
    QVERIFY(shown.content.size() < pieces.join(QString()).size());
    const Message inDb = stored(session->conversationId()).at(1);
    QCOMPARE(inDb.state, State::Stopped);
    QCOMPARE(inDb.content, shown.content);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionsClosed(), 1, kTimeoutMs); // the request was aborted
    QTest::qWait(300);
    QCOMPARE(session->model()->message(1).content, shown.content); // nothing came after Stop
}

void tst_ChatSession::failureIsNotReplyText_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<QString>("serverMessage");
    QTest::addColumn<int>("httpStatus");
    QTest::newRow("401") << SseTestServer::openAiError(401, u"Incorrect API key provided."_s, u"invalid_request_error"_s)
                         << u"Incorrect API key provided."_s << 401;
    QTest::newRow("500, no retries") << SseTestServer::openAiError(500, u"The engine exploded."_s)
                                     << u"The engine exploded."_s << 500;
}

void tst_ChatSession::failureIsNotReplyText()
{
    QFETCH(Response, response);
    QFETCH(QString, serverMessage);
    QFETCH(int, httpStatus);
    m_server->enqueue(kChatPath, response);
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(session->send(u"Hello"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(watch.result().status, Status::HttpError);
    QCOMPARE(watch.result().httpStatus, httpStatus);

    QCOMPARE(watch.errors.count(), 1);
    const QString banner = watch.errors.at(0).at(0).toString();
    QVERIFY2(banner.contains(serverMessage), qPrintable(banner));

    const QList<Message> inDb = stored(session->conversationId());
    QCOMPARE(inDb.size(), 2);
    QCOMPARE(inDb.at(0).content, u"Hello"_s); // the user's message is kept
    for (const Message &m : {session->model()->message(1), inDb.at(1)}) {
        QCOMPARE(m.state, State::Failed);
        QVERIFY2(m.errorText.contains(serverMessage), qPrintable(m.errorText));
        QVERIFY(m.content.isEmpty()); // never pasted into the reply
        QVERIFY(!m.costUsd);          // a refused request costs nothing
        QVERIFY(m.isRetryable());
    }
}

void tst_ChatSession::truncatedKeepsTheText()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Half "_s, u"a "_s, u"reply"_s}, 20).dropAfter(2));
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(session->send(u"Hello"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(watch.result().status, Status::Truncated);
    QCOMPARE(watch.errors.count(), 1);
    for (const Message &m : {session->model()->message(1), stored(session->conversationId()).at(1)}) {
        QCOMPARE(m.state, State::Truncated);
        QCOMPARE(m.content, u"Half a "_s);
        QVERIFY(!m.errorText.isEmpty());
        QVERIFY(!m.content.contains(m.errorText));
    }
}

void tst_ChatSession::retryReplacesTheReply()
{
    m_server->setResponses(kChatPath, {SseTestServer::openAiError(500, u"Try again."_s),
                                       SseTestServer::openAiStream({u"Second attempt."_s})});
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(session->send(u"Question"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(session->model()->message(1).state, State::Failed);
    const qint64 failedId = session->model()->message(1).id;

    QVERIFY(!session->retry(0)); // a user message is not a reply
    QVERIFY(!session->retry(5)); // no such row
    QVERIFY(session->retry(1));
    QVERIFY(!session->retry(1)); // not while streaming
    WAIT_REPLY(watch, 2);
    QCOMPARE(watch.result(1).status, Status::Completed);

    QCOMPARE(session->model()->rowCount(), 2);
    QCOMPARE(session->model()->message(1).content, u"Second attempt."_s);
    QCOMPARE(session->model()->message(1).state, State::Completed);
    const QList<Message> inDb = stored(session->conversationId());
    QCOMPARE(inDb.size(), 2);
    QCOMPARE(inDb.at(0).content, u"Question"_s);
    QCOMPARE(inDb.at(1).content, u"Second attempt."_s);
    QCOMPARE(inDb.at(1).state, State::Completed);
    QVERIFY(inDb.at(1).id != failedId);
    QVERIFY(inDb.at(1).errorText.isEmpty());
    // The failed, empty reply is not sent back.
    QCOMPARE(sentMessages(m_server->requests(kChatPath).at(1)), (Sent{{u"user"_s, u"Question"_s}}));
}

void tst_ChatSession::regenerateReplacesTheReply()
{
    m_server->setResponses(kChatPath, {SseTestServer::openAiStream({u"First answer."_s}),
                                       SseTestServer::openAiStream({u"Better answer."_s})});
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(!session->regenerate()); // nothing to regenerate yet
    QVERIFY(session->send(u"Question"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(session->model()->message(1).content, u"First answer."_s);

    QVERIFY(session->regenerate());
    WAIT_REPLY(watch, 2);
    QCOMPARE(session->model()->rowCount(), 2);
    QCOMPARE(session->model()->message(1).content, u"Better answer."_s);
    const QList<Message> inDb = stored(session->conversationId());
    QCOMPARE(inDb.size(), 2);
    QCOMPARE(inDb.at(1).content, u"Better answer."_s);
    QCOMPARE(inDb.at(1).state, State::Completed);
    // The replaced reply is not part of the new request.
    QCOMPARE(sentMessages(m_server->requests(kChatPath).at(1)), (Sent{{u"user"_s, u"Question"_s}}));
}

void tst_ChatSession::editAndResend()
{
    m_server->setResponses(kChatPath, {SseTestServer::openAiStream({u"a1"_s}), SseTestServer::openAiStream({u"a2"_s}),
                                       SseTestServer::openAiStream({u"a1 again"_s})});
    auto session = newSession();
    session->setSystemPrompt(u"Sys."_s);
    Watch watch(session.get());
    QVERIFY(session->send(u"u1"_s));
    WAIT_REPLY(watch, 1);
    QVERIFY(session->send(u"u2"_s));
    WAIT_REPLY(watch, 2);
    QCOMPARE(stored(session->conversationId()).size(), 4);

    QVERIFY(!session->editAndResend(1, u"not a user row"_s));
    QVERIFY(!session->editAndResend(0, u"   "_s));
    QVERIFY(session->editAndResend(0, u"u1 edited"_s));
    WAIT_REPLY(watch, 3);

    QCOMPARE(session->model()->rowCount(), 2);
    QCOMPARE(session->model()->message(0).content, u"u1 edited"_s);
    QCOMPARE(session->model()->message(1).content, u"a1 again"_s);
    const QList<Message> inDb = stored(session->conversationId());
    QCOMPARE(inDb.size(), 2);
    QCOMPARE(inDb.at(0).content, u"u1 edited"_s);
    QCOMPARE(inDb.at(0).id, session->model()->message(0).id); // edited in place
    QCOMPARE(inDb.at(1).content, u"a1 again"_s);
    QCOMPARE(sentMessages(m_server->requests(kChatPath).at(2)),
             (Sent{{u"system"_s, u"Sys."_s}, {u"user"_s, u"u1 edited"_s}}));
}

void tst_ChatSession::multiTurnSendsTheWholeHistory()
{
    auto reply = [](const QString &thoughts, const QStringList &content) {
        QList<QByteArray> events{SseTestServer::openAiReasoningChunk(thoughts)};
        for (const QString &c : content)
            events << SseTestServer::openAiChunk(c);
        events << SseTestServer::openAiFinishChunk() << SseTestServer::openAiDone();
        return Response::sse(events);
    };
    m_server->setResponses(kChatPath, {reply(u"secret thoughts one"_s, {u"a1"_s}),
                                       reply(u"secret thoughts two"_s, numbered(u"x"_s, 40)).dropAfter(10),
                                       SseTestServer::openAiStream({u"a3"_s})});
    auto session = newSession();
    session->setSystemPrompt(u"You are terse."_s);
    session->setTemperature(0.25);
    session->setMaxTokens(77);
    Watch watch(session.get());
    QVERIFY(session->send(u"u1"_s));
    WAIT_REPLY(watch, 1);
    QVERIFY(session->send(u"u2"_s));
    WAIT_REPLY(watch, 2);
    QCOMPARE(watch.result(1).status, Status::Truncated); // a partial reply is context too
    const QString partial = session->model()->message(3).content;
    QVERIFY(!partial.isEmpty());
    QVERIFY(session->send(u"u3"_s));
    WAIT_REPLY(watch, 3);

    const SseTestServer::RecordedRequest third = m_server->requests(kChatPath).at(2);
    QCOMPARE(sentMessages(third), (Sent{{u"system"_s, u"You are terse."_s},
                                        {u"user"_s, u"u1"_s},
                                        {u"assistant"_s, u"a1"_s},
                                        {u"user"_s, u"u2"_s},
                                        {u"assistant"_s, partial},
                                        {u"user"_s, u"u3"_s}}));
    QCOMPARE(third.json().value(u"model"_s).toString(), kModel);
    QCOMPARE(third.json().value(u"temperature"_s).toDouble(), 0.25);
    QCOMPARE(third.json().value(u"max_tokens"_s).toInt(), 77);
    // Reasoning stays in the history but is never sent back.
    for (const auto &request : m_server->requests(kChatPath))
        QVERIFY(!request.body.contains("secret thoughts"));
    QCOMPARE(stored(session->conversationId()).at(1).reasoning, u"secret thoughts one"_s);
    QCOMPARE(stored(session->conversationId()).size(), 6);
}

void tst_ChatSession::loadedConversationContinues()
{
    m_server->setResponses(kChatPath, {SseTestServer::openAiStream({u"a1"_s}), SseTestServer::openAiStream({u"a2"_s}),
                                       SseTestServer::openAiStream({u"a3"_s})});
    qint64 id = -1;
    {
        auto first = newSession();
        first->setSystemPrompt(u"Sys."_s);
        Watch watch(first.get());
        QVERIFY(first->send(u"u1"_s));
        WAIT_REPLY(watch, 1);
        QVERIFY(first->send(u"u2"_s));
        WAIT_REPLY(watch, 2);
        id = first->conversationId();
    }
    // A new session opens it with a window of 2 (lazy loading) and continues:
    // the request still carries the whole conversation.
    auto session = newSession();
    Watch watch(session.get());
    QVERIFY(session->load(id, 2));
    QCOMPARE(session->model()->rowCount(), 2);
    QVERIFY(session->hasOlder());
    QCOMPARE(session->conversation().systemPrompt, u"Sys."_s);
    QVERIFY(session->send(u"u3"_s));
    WAIT_REPLY(watch, 1);
    QCOMPARE(sentMessages(m_server->requests(kChatPath).at(2)),
             (Sent{{u"system"_s, u"Sys."_s}, {u"user"_s, u"u1"_s}, {u"assistant"_s, u"a1"_s},
                   {u"user"_s, u"u2"_s}, {u"assistant"_s, u"a2"_s}, {u"user"_s, u"u3"_s}}));
    QCOMPARE(stored(id).size(), 6);
    QCOMPARE(session->loadOlder(10), 2);
    QCOMPARE(session->model()->rowCount(), 6);
    QCOMPARE(session->model()->message(0).content, u"u1"_s);
}

void tst_ChatSession::checkpointsLagAtMostOneInterval()
{
    // A slow stream: 60 numbered pieces, 50 ms apart (about 3 s).
    constexpr int kInterval = 500;
    // The timer is precise, but this process shares its event loop (and a
    // slow machine) with the server and the sampling: a stall of the thread
    // delays the checkpoint and the sampler alike, so allow for one on top.
    // (The strict 500 ms rule, across processes, is tst_crashrecovery's.)
    constexpr int kTolerance = 250;
    const QStringList pieces = numbered(u"n"_s, 60);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 50));
    auto session = newSession();
    session->setCheckpointInterval(kInterval);
    Watch watch(session.get());

    QElapsedTimer clock;
    clock.start();
    struct Arrival { qint64 atMs; QString text; };
    QList<Arrival> arrivals; // the model's text after each delta
    connect(session->client(), &ChatClient::deltaReceived, this, [&] {
        if (session->streamingRow() >= 0)
            arrivals.append({clock.elapsed(), session->model()->message(session->streamingRow()).content});
    });
    // The model's text as of `ms` (what had arrived by then).
    auto modelTextAt = [&](qint64 ms) {
        QString text;
        for (const Arrival &a : std::as_const(arrivals)) {
            if (a.atMs > ms)
                break;
            text = a.text;
        }
        return text;
    };

    QStringList failures;
    QStringList dbStates;
    int samples = 0;
    QTimer sampler;
    sampler.setInterval(20);
    connect(&sampler, &QTimer::timeout, this, [&] {
        if (!session->isStreaming() || session->conversationId() < 0)
            return;
        const qint64 now = clock.elapsed();
        const QList<Message> inDb = stored(session->conversationId());
        if (inDb.size() != 2)
            return;
        const QString db = inDb.at(1).content;
        const QString shown = session->model()->message(1).content;
        ++samples;
        if (dbStates.isEmpty() || dbStates.last() != db)
            dbStates.append(db);
        if (!isPrefix(db, shown))
            failures << u"at %1 ms the file has text the model has not: %2"_s.arg(now).arg(db);
        const QString due = modelTextAt(now - kInterval - kTolerance);
        if (!isPrefix(due, db))
            failures << u"at %1 ms the file lags more than %2 ms: it has %3 chars, the model had %4 by then"_s
                            .arg(now).arg(kInterval + kTolerance).arg(db.size()).arg(due.size());
    });

    QVERIFY(session->send(u"Count slowly."_s));
    sampler.start();
    WAIT_REPLY(watch, 1);
    sampler.stop();

    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    QVERIFY2(samples > 50, qPrintable(QString::number(samples)));
    // Checkpoints happened while streaming (not just at the end) ...
    QVERIFY2(dbStates.size() >= 4, qPrintable(QString::number(dbStates.size())));
    // ... and at most one per interval: about 3 s of streaming, so no more than ~7.
    const qint64 streamedMs = arrivals.last().atMs - arrivals.first().atMs;
    QVERIFY2(dbStates.size() <= streamedMs / kInterval + 2,
             qPrintable(u"%1 states in %2 ms"_s.arg(dbStates.size()).arg(streamedMs)));
    QCOMPARE(stored(session->conversationId()).at(1).content, pieces.join(QString()));
}

void tst_ChatSession::destroyedWhileStreaming()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(numbered(u"d"_s, 50), 100));
    auto session = newSession();
    QVERIFY(session->send(u"Go."_s));
    QTRY_VERIFY_WITH_TIMEOUT(session->model()->message(1).content.contains(u"d2 "_s), kTimeoutMs);
    const qint64 id = session->conversationId();
    const QString shown = session->model()->message(1).content;
    session.reset(); // closing the chat while it streams keeps what arrived, as Stopped
    const Message inDb = stored(id).at(1);
    QCOMPARE(inDb.state, State::Stopped);
    QVERIFY(inDb.content.startsWith(shown));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionsClosed(), 1, kTimeoutMs);
}

void tst_ChatSession::twoSessionsAtOnce()
{
    // Two endpoints on one server (routes are by path), one shared NAM, one store.
    m_server->enqueue(u"/a/v1/chat/completions"_s, SseTestServer::openAiStream(numbered(u"A"_s, 30), 60));
    m_server->enqueue(u"/b/v1/chat/completions"_s, SseTestServer::openAiStream(numbered(u"B"_s, 30), 70));
    auto a = newSession(m_server->url(u"/a/v1"_s));
    auto b = newSession(m_server->url(u"/b/v1"_s));
    Watch watchA(a.get());
    Watch watchB(b.get());
    QVERIFY(a->send(u"to A"_s));
    QVERIFY(b->send(u"to B"_s));
    // Both stream at the same time: there is a moment when each has text and both still stream.
    QTRY_VERIFY_WITH_TIMEOUT(!a->model()->message(1).content.isEmpty() && !b->model()->message(1).content.isEmpty()
                                 && a->isStreaming() && b->isStreaming(),
                             kTimeoutMs);
    WAIT_REPLY(watchA, 1);
    WAIT_REPLY(watchB, 1);

    QCOMPARE(a->model()->message(1).content, numbered(u"A"_s, 30).join(QString()));
    QCOMPARE(b->model()->message(1).content, numbered(u"B"_s, 30).join(QString()));
    QVERIFY(a->conversationId() != b->conversationId());
    const QList<Message> inA = stored(a->conversationId());
    const QList<Message> inB = stored(b->conversationId());
    QCOMPARE(inA.size(), 2);
    QCOMPARE(inB.size(), 2);
    QCOMPARE(inA.at(0).content, u"to A"_s);
    QCOMPARE(inB.at(0).content, u"to B"_s);
    QCOMPARE(inA.at(1).content, a->model()->message(1).content);
    QCOMPARE(inB.at(1).content, b->model()->message(1).content);
}

void tst_ChatSession::twentySessionsAtOnce_data()
{
    QTest::addColumn<bool>("sharedNam");
    QTest::newRow("one NAM for all, as the app") << true;
    QTest::newRow("a NAM per session") << false;
}

void tst_ChatSession::twentySessionsAtOnce()
{
    QFETCH(bool, sharedNam);
    constexpr int kSessions = 20;
    constexpr int kPieces = 20;
    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    std::vector<std::unique_ptr<ChatSession>> sessions;
    std::vector<std::unique_ptr<Watch>> watches;
    for (int i = 0; i < kSessions; ++i) {
        const QString prefix = u"/s%1/v1"_s.arg(i);
        m_server->enqueue(prefix + u"/chat/completions"_s,
                          SseTestServer::openAiStream(numbered(u"s%1-"_s.arg(i), kPieces), 100));
        if (!sharedNam) {
            nams.push_back(std::make_unique<QNetworkAccessManager>());
            nams.back()->setProxy(QNetworkProxy::NoProxy);
        }
        sessions.push_back(newSession(m_server->url(prefix), sharedNam ? nullptr : nams.back().get()));
        watches.push_back(std::make_unique<Watch>(sessions.back().get()));
    }
    // The most replies that had text and were still streaming at one moment.
    int mostAtOnce = 0;
    QTimer sampler;
    sampler.setInterval(20);
    connect(&sampler, &QTimer::timeout, this, [&] {
        int live = 0;
        for (const auto &s : sessions)
            live += s->isStreaming() && s->streamingRow() >= 0 && !s->model()->message(s->streamingRow()).content.isEmpty();
        mostAtOnce = std::max(mostAtOnce, live);
    });
    sampler.start();
    for (int i = 0; i < kSessions; ++i)
        QVERIFY(sessions[i]->send(u"chat %1"_s.arg(i)));
    for (const auto &w : watches)
        WAIT_REPLY(*w, 1);
    sampler.stop();

    // Each transcript is its own, in the model and in the file.
    QSet<qint64> ids;
    for (int i = 0; i < kSessions; ++i) {
        ChatSession *s = sessions[i].get();
        QCOMPARE(watches[i]->result().status, Status::Completed);
        const QString expected = numbered(u"s%1-"_s.arg(i), kPieces).join(QString());
        QCOMPARE(s->model()->rowCount(), 2);
        QCOMPARE(s->model()->message(1).content, expected);
        const QList<Message> inDb = stored(s->conversationId());
        QCOMPARE(inDb.size(), 2);
        QCOMPARE(inDb.at(0).content, u"chat %1"_s.arg(i));
        QCOMPARE(inDb.at(1).content, expected);
        QCOMPARE(inDb.at(1).state, State::Completed);
        ids.insert(s->conversationId());
    }
    QCOMPARE(ids.size(), kSessions);
    QCOMPARE(m_reader->conversationCount(), kSessions);
    qInfo("%d of %d replies streamed at the same moment, over %d connections", mostAtOnce, kSessions,
          m_server->connectionsAccepted());
    // All twenty at once, also with the one NAM the app shares: Qt opens at
    // most six HTTP/1.1 connections per host and manager, so ChatClient streams
    // plain http through a manager of its own (StreamNetworkAccess).
    QVERIFY2(mostAtOnce == kSessions, qPrintable(u"at most %1 of %2 streamed at once"_s.arg(mostAtOnce).arg(kSessions)));
    QVERIFY(m_server->connectionsAccepted() >= kSessions);
}

void tst_ChatSession::queuedRequestIsNotTimedOut_data()
{
    QTest::addColumn<bool>("tls");
    // https:// to a server that speaks only HTTP/1.1 (no ALPN) goes through
    // the shared NAM, which opens six connections to it: two of eight chats
    // wait in Qt's queue until a reply ends. (Qt 6.4 also announces
    // socketStartedConnecting() to one of those two, then gives the
    // connection to another request: the client must notice.)
    QTest::newRow("https, HTTP/1.1 only: two of eight wait for a connection") << true;
    // http:// goes through a NAM per chat: nobody waits.
    QTest::newRow("http: each chat has its own connection") << false;
}

void tst_ChatSession::queuedRequestIsNotTimedOut()
{
    // Six long replies hold every connection the NAM opens to an HTTP/1.1
    // host; the other chats' requests wait inside the NAM until one is free.
    // That wait is not the server's silence, so it must not count against the
    // connect timeout ("did not answer within ...").
    QFETCH(bool, tls);
    constexpr int kSessions = 8;
    constexpr int kConnectTimeoutMs = 1'500;
    constexpr int kPieces = 10;
    constexpr int kPieceDelayMs = 300; // a reply takes ~3 s: twice the connect timeout

    SseTestServer *server = m_server.get();
    std::unique_ptr<SseTestServer> tlsServer;
#if QT_CONFIG(ssl)
    const QSslConfiguration defaultTls = QSslConfiguration::defaultConfiguration();
    const auto restoreTls = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(defaultTls); });
    if (tls) {
        QString whyNot;
        const auto identity = TestTls::makeSelfSigned(m_dir->path(), &whyNot);
        if (!identity)
            QSKIP(qPrintable(whyNot));
        tlsServer = std::make_unique<SseTestServer>();
        QVERIFY(tlsServer->setTlsConfiguration(TestTls::serverConfiguration(*identity)));
        QVERIFY(tlsServer->listen());
        server = tlsServer.get();
        // This test's certificate, trusted by this process for this test only.
        QSslConfiguration trusting = defaultTls;
        trusting.addCaCertificate(identity->certificate);
        QSslConfiguration::setDefaultConfiguration(trusting);
    }
#else
    if (tls)
        QSKIP("Qt was built without TLS");
#endif

    std::vector<std::unique_ptr<ChatSession>> sessions;
    std::vector<std::unique_ptr<Watch>> watches;
    for (int i = 0; i < kSessions; ++i) {
        const QString prefix = u"/q%1/v1"_s.arg(i);
        server->enqueue(prefix + u"/chat/completions"_s,
                        SseTestServer::openAiStream(numbered(u"q%1-"_s.arg(i), kPieces), kPieceDelayMs));
        sessions.push_back(newSession(server->url(prefix)));
        ChatClient::Options options = sessions.back()->client()->options();
        options.connectTimeoutMs = kConnectTimeoutMs;
        sessions.back()->setClientOptions(options);
        watches.push_back(std::make_unique<Watch>(sessions.back().get()));
    }
    for (int i = 0; i < kSessions; ++i)
        QVERIFY(sessions[i]->send(u"chat %1"_s.arg(i)));
    for (const auto &w : watches)
        WAIT_REPLY(*w, 1);

    QStringList failed;
    for (int i = 0; i < kSessions; ++i) {
        const ChatResult result = watches[i]->result();
        if (result.status != Status::Completed)
            failed << u"chat %1: %2"_s.arg(i).arg(result.message);
        else if (sessions[i]->model()->message(1).content != numbered(u"q%1-"_s.arg(i), kPieces).join(QString()))
            failed << u"chat %1: wrong text"_s.arg(i);
    }
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u'\n')));

    // When each request reached the server: the row is about what it says
    // only if the last one did (https) or did not (http) wait longer than the
    // connect timeout.
    QList<qint64> arrivals;
    for (const SseTestServer::RecordedRequest &request : server->requests())
        arrivals.append(request.receivedAtMs);
    QCOMPARE(arrivals.size(), kSessions); // one request each: no timeout, no retry
    std::sort(arrivals.begin(), arrivals.end());
    const qint64 waitedMs = arrivals.constLast() - arrivals.constFirst();
    qInfo("the last request reached the server %lld ms after the first, over %d connections", waitedMs,
          server->connectionsAccepted());
    if (tls) {
        QVERIFY2(waitedMs >= kConnectTimeoutMs, "no request waited in the queue: the row tests nothing");
    } else {
        QVERIFY2(waitedMs < kPieces * kPieceDelayMs / 2, "a plain-http request waited for another chat's reply");
        QCOMPARE(server->connectionsAccepted(), kSessions);
    }
}

QTEST_GUILESS_MAIN(tst_ChatSession)
#include "tst_chatsession.moc"
