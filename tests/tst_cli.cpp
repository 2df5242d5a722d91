// End-to-end tests of sluice-cli: the real executable runs as a child process
// against an SseTestServer in this process. The test's event loop keeps
// running while the child runs (QTRY_*), so the server can answer.
//
// The binary is found next to the test binary's build folder
// (<build>/app/cli/sluice-cli; SLUICE_CLI overrides it); CMake builds it
// first (add_dependencies(tst_cli sluice-cli)).

#include "secrets/keychainsecretstore.h"
#include "settings/apikeyprovider.h"
#include "sluicecli.h"
#include "ssetestserver.h"
#include "store/historystore.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#endif
#if defined(Q_OS_LINUX)
// A pseudo-terminal for the child, so that its isatty(stdout) is true.
#include <QElapsedTimer>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>
#define SLUICE_TEST_HAVE_PTY 1
#endif

using namespace Qt::StringLiterals;

namespace {

using Response = SseTestServer::Response;

// Distinctive, so that any leak is found by a plain substring search.
const QByteArray kApiKey = "sk-sluiceTEST-7c1e9a4f0b2d6e83";
const QString kChatPath = u"/v1/chat/completions"_s;
constexpr int kRunTimeoutMs = 60'000; // a slow shared machine; a passing run takes far less

enum ExitCode { ExitOk = 0, ExitUsage = 2, ExitApi = 3, ExitNetwork = 4, ExitTruncated = 5, ExitStopped = 130 };

// One run of sluice-cli; stdout and stderr are collected as they come.
class Cli
{
public:
    explicit Cli(const QProcessEnvironment &env)
    {
        m_process.setProgram(sluiceCliPath());
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { err += m_process.readAllStandardError(); });
    }
    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    bool start(const QStringList &args, const QByteArray &input = QByteArray())
    {
        m_process.setArguments(args);
        m_process.start();
        if (!m_process.waitForStarted(30'000))
            return false;
        if (!input.isEmpty())
            m_process.write(input);
        m_process.closeWriteChannel(); // never leave the child waiting for stdin
        return true;
    }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    void collect()
    {
        out += m_process.readAllStandardOutput();
        err += m_process.readAllStandardError();
    }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    qint64 pid() const { return m_process.processId(); }
    QString describe() const
    {
        return u"exit %1 (%2)\n--- stdout ---\n%3\n--- stderr ---\n%4"_s.arg(m_process.exitCode())
            .arg(m_process.exitStatus() == QProcess::NormalExit ? u"normal"_s : u"crashed"_s)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }

    QByteArray out;
    QByteArray err;

private:
    QProcess m_process;
};

// Waits with the event loop running (the server must answer meanwhile).
#define WAIT_EXIT(cli)                                                                     \
    do {                                                                                   \
        QTRY_VERIFY_WITH_TIMEOUT(!(cli).isRunning(), kRunTimeoutMs);                       \
        (cli).collect();                                                                   \
        QVERIFY2((cli).exitStatus() == QProcess::NormalExit, qPrintable((cli).describe())); \
    } while (false)

#define EXPECT_EXIT(cli, code)                                                       \
    do {                                                                             \
        WAIT_EXIT(cli);                                                              \
        QVERIFY2((cli).exitCode() == (code), qPrintable((cli).describe()));          \
    } while (false)

QByteArray bodyBytes(const Response &response)
{
    QByteArray all;
    for (const SseTestServer::Step &step : response.steps)
        all += step.bytes;
    return all;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A tool-call fragment in the OpenAI chunk format.
QByteArray toolCallChunk(const QJsonObject &call)
{
    const QJsonObject delta{{u"tool_calls"_s, QJsonArray{call}}};
    const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, QJsonValue()}};
    const QJsonObject chunk{{u"id"_s, u"chatcmpl-x"_s}, {u"object"_s, u"chat.completion.chunk"_s},
                            {u"choices"_s, QJsonArray{choice}}};
    return SseTestServer::sseEvent(QJsonDocument(chunk).toJson(QJsonDocument::Compact));
}

QList<QJsonObject> jsonLines(const QByteArray &text)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        objects.append(error.error == QJsonParseError::NoError ? doc.object() : QJsonObject{{u"unparsable"_s, QString::fromUtf8(line)}});
    }
    return objects;
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void helpAndUnknownCommand();
    void streamsContentExactly();
    void promptFromStdin();
    void reasoningOnStderr();
    void metricsJsonToFile();
    void metricsJsonToStdout();
    void exitCodes_data();
    void exitCodes();
    void connectionRefused();
    void sigintStopsTheReply();
    void retries_data();
    void retries();
    void keyNeverInOutput_data();
    void keyNeverInOutput();
    void noKeyNoAuthorization();
    void plainHttpOnlyToLocalHosts();
    void keyFromTheKeychain();
    void keychainUnavailable();
    void saveStoresTheExchange();
    void saveKeepsAStoppedReply();
    void sseDump();
    void sseDumpOverLimit();
    void replay();
    void replayJson();
    void replayUsageErrors();
    void models();
    void modelsError();
    void terminalGetsNoEscapeSequences();
    void terminalRawPrintsAsSent();
    void pipeGetsTheBytesAsSent();
    void sanitizeToAPipe_data();
    void sanitizeToAPipe();
    void replayHostileText();
    void modelsHostileIds();
    void usageThatIsNotACount();

private:
    QProcessEnvironment environment(bool withKey = true) const;
    QStringList chatArgs(const QStringList &extra = {}) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SseTestServer> m_server;
};

void tst_Cli::initTestCase()
{
    QVERIFY2(QFileInfo(sluiceCliPath()).isExecutable(),
             qPrintable(u"sluice-cli not found at %1; build the sluice-cli target first"_s.arg(sluiceCliPath())));
}

void tst_Cli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
}

void tst_Cli::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

QProcessEnvironment tst_Cli::environment(bool withKey) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"SLUICE_API_KEY"_s, u"http_proxy"_s, u"https_proxy"_s, u"all_proxy"_s,
                                u"no_proxy"_s, u"HTTP_PROXY"_s, u"HTTPS_PROXY"_s, u"ALL_PROXY"_s, u"NO_PROXY"_s,
                                u"QT_LOGGING_RULES"_s})
        env.remove(name);
    env.insert(u"SLUICE_NO_KEYCHAIN"_s, u"1"_s);
    if (withKey)
        env.insert(u"SLUICE_API_KEY"_s, QString::fromLatin1(kApiKey));
    // The app's settings and history of this run live in the temporary folder.
    for (const char *name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
        const QString dir = m_dir->filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(dir);
        env.insert(QString::fromLatin1(name), dir);
    }
    return env;
}

QStringList tst_Cli::chatArgs(const QStringList &extra) const
{
    QStringList args{u"chat"_s, u"--base-url"_s, m_server->baseUrl().toString(), u"--model"_s, u"test-model"_s};
    return args + extra;
}

// ---------------------------------------------------------------------------

void tst_Cli::helpAndUnknownCommand()
{
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"--help"_s}));
        EXPECT_EXIT(cli, ExitOk);
        QVERIFY(cli.err.contains("chat"));
        QVERIFY(cli.err.contains("replay"));
    }
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"chat"_s, u"--help"_s}));
        EXPECT_EXIT(cli, ExitOk);
        QVERIFY(cli.out.contains("--metrics-json"));
        QVERIFY(cli.out.contains("--save"));
        QVERIFY(cli.out.contains("--history"));
    }
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"frobnicate"_s}));
        EXPECT_EXIT(cli, ExitUsage);
        QVERIFY(cli.err.contains("unknown command 'frobnicate'"));
    }
}

void tst_Cli::streamsContentExactly()
{
    const QStringList pieces{u"Hello"_s, u", wörld"_s, u" 🌊\n"_s, u"line two\r\n"_s, u"\ttab & \"quotes\""_s};
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 20, 9));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--system"_s, u"Be brief."_s, u"--temperature"_s, u"0.5"_s,
                                u"--max-tokens"_s, u"64"_s, u"Say hello."_s})));
    EXPECT_EXIT(cli, ExitOk);

    // stdout is exactly the content: no prefix, no added newline (not a terminal).
    QCOMPARE(cli.out, pieces.join(QString()).toUtf8());
    // One metrics line on stderr, nothing else.
    const QList<QByteArray> errLines = cli.err.trimmed().split('\n');
    QVERIFY2(errLines.size() == 1, cli.err.constData());
    QVERIFY2(errLines.first().contains("9 tokens (usage)"), cli.err.constData());
    QVERIFY(errLines.first().contains("0 retries"));

    QCOMPARE(m_server->requestCount(kChatPath), 1);
    const SseTestServer::RecordedRequest request = m_server->requests(kChatPath).first();
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.header("authorization"), "Bearer " + kApiKey);
    const QJsonObject body = request.json();
    QCOMPARE(body.value(u"model"_s).toString(), u"test-model"_s);
    QCOMPARE(body.value(u"stream"_s).toBool(), true);
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.5);
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 64);
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
    QCOMPARE(messages.at(0).toObject().value(u"content"_s).toString(), u"Be brief."_s);
    QCOMPARE(messages.at(1).toObject().value(u"role"_s).toString(), u"user"_s);
    QCOMPARE(messages.at(1).toObject().value(u"content"_s).toString(), u"Say hello."_s);
}

void tst_Cli::promptFromStdin()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"ok"_s}));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"-"_s}), "A prompt\nover two lines\n"));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "ok");
    const QJsonArray messages = m_server->requests(kChatPath).first().json().value(u"messages"_s).toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.at(0).toObject().value(u"content"_s).toString(), u"A prompt\nover two lines\n"_s);
}

void tst_Cli::reasoningOnStderr()
{
    m_server->enqueue(kChatPath, Response::sse({
                                     SseTestServer::openAiReasoningChunk(u"Let me "_s),
                                     SseTestServer::openAiReasoningChunk(u"think."_s),
                                     SseTestServer::openAiChunk(u"The answer"_s),
                                     SseTestServer::openAiChunk(u" is 42."_s),
                                     SseTestServer::openAiFinishChunk(),
                                     SseTestServer::openAiDone(),
                                 }, 10));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"Why?"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "The answer is 42.");
    QVERIFY2(cli.err.startsWith("[reasoning] Let me think.\n[/reasoning]\n"), cli.err.constData());
    QVERIFY(!cli.out.contains("think"));
}

void tst_Cli::metricsJsonToFile()
{
    const QStringList pieces{u"one"_s, u" two"_s, u" three"_s};
    const Response response = SseTestServer::openAiStream(pieces, 30, 7);
    m_server->enqueue(kChatPath, response);
    const QString file = m_dir->filePath(u"metrics.json"_s);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--metrics-json"_s, file, u"Count."_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "one two three"); // nothing else on stdout

    const QByteArray json = readFile(file);
    QVERIFY(json.endsWith('\n'));
    QJsonParseError error;
    const QJsonObject m = QJsonDocument::fromJson(json, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(m.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(m.value(u"http_status"_s).toInt(), 200);
    QCOMPARE(m.value(u"finish_reason"_s).toString(), u"stop"_s);
    QCOMPARE(m.value(u"tokens"_s).toInt(), 7);
    QCOMPARE(m.value(u"token_source"_s).toString(), u"usage"_s);
    QCOMPARE(m.value(u"prompt_tokens"_s).toInt(), 12);
    QCOMPARE(m.value(u"deltas"_s).toInt(), 3);
    QCOMPARE(m.value(u"retries"_s).toInt(), 0);
    QCOMPARE(m.value(u"malformed_events"_s).toInt(), 0);
    QCOMPARE(m.value(u"bytes"_s).toInteger(), qint64(bodyBytes(response).size()));
    QVERIFY(m.value(u"ttft_ms"_s).toDouble() >= 0);
    QVERIFY(m.value(u"elapsed_ms"_s).toDouble() >= m.value(u"ttft_ms"_s).toDouble());
    QVERIFY(m.value(u"tokens_per_second"_s).toDouble() > 0);
    QVERIFY(m.contains(u"gap_p50_ms"_s));
    QVERIFY(m.contains(u"cost_usd"_s));
}

void tst_Cli::metricsJsonToStdout()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"no newline"_s, u" at the end"_s}));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--metrics-json"_s, u"-"_s, u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    // The content, then the JSON on a line of its own.
    const qsizetype newline = cli.out.indexOf('\n');
    QVERIFY2(newline > 0, cli.out.constData());
    QCOMPARE(cli.out.left(newline), "no newline at the end");
    const QByteArray json = cli.out.mid(newline + 1);
    QVERIFY(json.endsWith('\n'));
    QCOMPARE(json.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject m = QJsonDocument::fromJson(json, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(m.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(m.value(u"deltas"_s).toInt(), 2);
}

void tst_Cli::exitCodes_data()
{
    QTest::addColumn<QStringList>("extraArgs");
    QTest::addColumn<Response>("response");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<QByteArray>("expectedOut");
    QTest::addColumn<QByteArray>("expectedErr"); // a part of the error line

    const Response unused = SseTestServer::openAiStream({u"unused"_s});
    QTest::newRow("0: completed") << QStringList{u"Hi"_s} << SseTestServer::openAiStream({u"fine"_s}) << int(ExitOk)
                                  << QByteArray("fine") << QByteArray();
    QTest::newRow("2: unknown option") << QStringList{u"--frobnicate"_s, u"Hi"_s} << unused << int(ExitUsage)
                                       << QByteArray() << QByteArray("Unknown option 'frobnicate'");
    QTest::newRow("2: temperature out of range") << QStringList{u"--temperature"_s, u"5"_s, u"Hi"_s} << unused
                                                 << int(ExitUsage) << QByteArray() << QByteArray("--temperature");
    QTest::newRow("2: retries not a whole number") << QStringList{u"--retries"_s, u"1.5"_s, u"Hi"_s} << unused
                                                   << int(ExitUsage) << QByteArray() << QByteArray("--retries");
    QTest::newRow("2: no prompt") << QStringList{} << unused << int(ExitUsage) << QByteArray()
                                  << QByteArray("no prompt given");
    QTest::newRow("2: --history without --save") << QStringList{u"--history"_s, u"x.sqlite3"_s, u"Hi"_s} << unused
                                                 << int(ExitUsage) << QByteArray() << QByteArray("--save");
    QTest::newRow("3: HTTP 401 with the server's message")
        << QStringList{u"Hi"_s}
        << SseTestServer::openAiError(401, u"Invalid authentication token for this project."_s,
                                      u"invalid_request_error"_s, u"invalid_api_key"_s)
        << int(ExitApi) << QByteArray() << QByteArray("Invalid authentication token for this project.");
    QTest::newRow("3: HTTP 400 is not retried")
        << QStringList{u"Hi"_s} << SseTestServer::openAiError(400, u"max_tokens is too large"_s) << int(ExitApi)
        << QByteArray() << QByteArray("max_tokens is too large");
    QTest::newRow("3: error inside the stream")
        << QStringList{u"Hi"_s}
        << Response::sse({SseTestServer::openAiChunk(u"par"_s), SseTestServer::openAiErrorEvent(u"Overloaded, try later"_s)})
        << int(ExitApi) << QByteArray("par") << QByteArray("Overloaded, try later");
    QTest::newRow("4: idle timeout")
        << QStringList{u"--idle-timeout"_s, u"1"_s, u"Hi"_s}
        << SseTestServer::openAiStream({u"first"_s, u"never"_s}).silentAfter(1) << int(ExitNetwork)
        << QByteArray("first") << QByteArray("sent nothing for 1 seconds");
    QTest::newRow("4: connect timeout")
        << QStringList{u"--connect-timeout"_s, u"0.5"_s, u"--retries"_s, u"0"_s, u"Hi"_s} << Response::silent()
        << int(ExitNetwork) << QByteArray() << QByteArray("did not answer within");
    QTest::newRow("5: dropped mid-stream, partial text printed")
        << QStringList{u"Hi"_s} << SseTestServer::openAiStream({u"Partial "_s, u"text"_s, u" lost"_s}, 10).dropAfter(2)
        << int(ExitTruncated) << QByteArray("Partial text") << QByteArray("before the reply was complete");
    QTest::newRow("5: clean end without [DONE]")
        << QStringList{u"Hi"_s}
        << Response::sse({SseTestServer::openAiChunk(u"cut"_s)}) << int(ExitTruncated) << QByteArray("cut")
        << QByteArray("ended the stream before the reply was complete");
}

void tst_Cli::exitCodes()
{
    QFETCH(QStringList, extraArgs);
    QFETCH(Response, response);
    QFETCH(int, expectedCode);
    QFETCH(QByteArray, expectedOut);
    QFETCH(QByteArray, expectedErr);

    m_server->enqueue(kChatPath, response);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs(extraArgs)));
    EXPECT_EXIT(cli, expectedCode);
    QCOMPARE(cli.out, expectedOut);
    if (expectedCode == ExitOk)
        return;
    // One clear line: "sluice-cli: <sentence>".
    const QList<QByteArray> lines = cli.err.split('\n');
    QByteArray errorLine;
    for (const QByteArray &line : lines) {
        if (line.startsWith("sluice-cli: ")) {
            QVERIFY2(errorLine.isEmpty(), cli.err.constData()); // only one
            errorLine = line;
        }
    }
    QVERIFY2(errorLine.contains(expectedErr), qPrintable(cli.describe()));
    if (expectedCode == ExitUsage)
        QCOMPARE(m_server->requestCount(), 0);
}

void tst_Cli::connectionRefused()
{
    SseTestServer gone;
    QVERIFY(gone.listen());
    const QString url = gone.baseUrl().toString();
    const QByteArray where = gone.hostPort().toUtf8();
    gone.close();

    Cli cli(environment());
    QVERIFY(cli.start({u"chat"_s, u"--base-url"_s, url, u"--model"_s, u"m"_s, u"--retries"_s, u"0"_s, u"Hi"_s}));
    EXPECT_EXIT(cli, ExitNetwork);
    QVERIFY(cli.out.isEmpty());
    QVERIFY2(cli.err.contains(QByteArray("sluice-cli: Could not connect to " + where + ": connection refused.")), cli.err.constData());
}

void tst_Cli::sigintStopsTheReply()
{
#ifndef Q_OS_UNIX
    QSKIP("SIGINT is a Unix signal");
#else
    QStringList pieces;
    for (int i = 1; i <= 100; ++i)
        pieces << u"w%1 "_s.arg(i);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 100));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"Talk slowly."_s})));
    QTRY_VERIFY_WITH_TIMEOUT(cli.out.contains("w3 "), kRunTimeoutMs);
    QCOMPARE(m_server->connectionsClosed(), 0);
    QVERIFY(::kill(pid_t(cli.pid()), SIGINT) == 0);
    EXPECT_EXIT(cli, ExitStopped);

    // What was printed stays printed, cut at a piece boundary, never all of it.
    QVERIFY(cli.out.startsWith("w1 w2 w3 "));
    QVERIFY2(pieces.join(QString()).toUtf8().startsWith(cli.out), cli.out.constData());
    QVERIFY(cli.out.endsWith(' '));
    QVERIFY(cli.out.size() < pieces.join(QString()).size());
    QVERIFY2(cli.err.contains("sluice-cli: The reply was stopped."), cli.err.constData());
    // The reply was aborted: the server saw its connection close.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionsClosed(), 1, 10'000);
#endif
}

void tst_Cli::retries_data()
{
    QTest::addColumn<QStringList>("retryArgs");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<int>("expectedRequests");
    QTest::newRow("--retries 0: the 503 is final") << QStringList{u"--retries"_s, u"0"_s} << int(ExitApi) << 1;
    QTest::newRow("default: retried after the 503") << QStringList{} << int(ExitOk) << 2;
}

void tst_Cli::retries()
{
    QFETCH(QStringList, retryArgs);
    QFETCH(int, expectedCode);
    QFETCH(int, expectedRequests);

    m_server->setResponses(kChatPath, {SseTestServer::openAiError(503, u"The engine is currently overloaded."_s),
                                       SseTestServer::openAiStream({u"second time lucky"_s})});
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs(retryArgs + QStringList{u"--metrics-json"_s, m_dir->filePath(u"m.json"_s), u"Hi"_s})));
    EXPECT_EXIT(cli, expectedCode);
    QCOMPARE(m_server->requestCount(kChatPath), expectedRequests);
    const QJsonObject m = QJsonDocument::fromJson(readFile(m_dir->filePath(u"m.json"_s))).object();
    QCOMPARE(m.value(u"retries"_s).toInt(), expectedRequests - 1);
    if (expectedCode == ExitOk) {
        QCOMPARE(cli.out, "second time lucky");
        QVERIFY2(cli.err.contains("HTTP 503") && cli.err.contains("The engine is currently overloaded.")
                     && cli.err.contains("; retry 1 in "),
                 cli.err.constData());
        QCOMPARE(m.value(u"status"_s).toString(), u"completed"_s);
    } else {
        QVERIFY(cli.out.isEmpty());
        QVERIFY2(cli.err.contains("HTTP 503"), cli.err.constData());
        QVERIFY(cli.err.contains("The engine is currently overloaded."));
        QVERIFY(!cli.err.contains("retry 1"));
        QCOMPARE(m.value(u"http_status"_s).toInt(), 503);
    }
}

void tst_Cli::keyNeverInOutput_data()
{
    QTest::addColumn<QList<Response>>("responses");
    QTest::addColumn<int>("expectedCode");
    const QString echo = u"Incorrect API key provided: "_s + QString::fromLatin1(kApiKey) + u". Bearer "_s
        + QString::fromLatin1(kApiKey);
    QTest::newRow("401 that echoes the key") << QList<Response>{SseTestServer::openAiError(401, echo, u"invalid_request_error"_s, QString::fromLatin1(kApiKey))}
                                             << int(ExitApi);
    QTest::newRow("in-stream error that echoes the key")
        << QList<Response>{Response::sse({SseTestServer::openAiChunk(u"x"_s), SseTestServer::openAiErrorEvent(echo)})}
        << int(ExitApi);
    QTest::newRow("retried 429 that echoes the key, then success")
        << QList<Response>{SseTestServer::openAiError(429, echo).withHeader("Retry-After", "0"),
                           SseTestServer::openAiStream({u"ok"_s})}
        << int(ExitOk);
    QTest::newRow("non-stream 200 that echoes the key")
        << QList<Response>{SseTestServer::openAiError(200, echo)} << int(ExitApi);
}

void tst_Cli::keyNeverInOutput()
{
    QFETCH(QList<Response>, responses);
    QFETCH(int, expectedCode);
    m_server->setResponses(kChatPath, responses);
    const QString metrics = m_dir->filePath(u"m.json"_s);
    const QString history = m_dir->filePath(u"h.sqlite3"_s);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--metrics-json"_s, metrics, u"--save"_s, u"--history"_s, history, u"Hi"_s})));
    EXPECT_EXIT(cli, expectedCode);

    // The key went where it belongs ...
    QVERIFY(m_server->requestCount(kChatPath) >= 1);
    for (const auto &request : m_server->requests(kChatPath))
        QCOMPARE(request.header("authorization"), "Bearer " + kApiKey);
    // ... and nowhere else: not in stdout, stderr, nor in any file the run
    // wrote (metrics, the history and its WAL, settings under XDG_*), in any
    // of the encodings a leak could take.
    const QString key = QString::fromLatin1(kApiKey);
    const QList<QByteArray> forms{
        kApiKey,
        QByteArray(reinterpret_cast<const char *>(key.utf16()), key.size() * 2), // UTF-16LE (x86)
        kApiKey.toBase64(),
        kApiKey.toHex(),
    };
    auto leaks = [&forms](const QByteArray &bytes) {
        return std::any_of(forms.cbegin(), forms.cend(), [&bytes](const QByteArray &f) { return bytes.contains(f); });
    };
    QVERIFY2(!leaks(cli.out), cli.out.constData());
    QVERIFY2(!leaks(cli.err), cli.err.constData());
    if (expectedCode != ExitOk)
        QVERIFY2(cli.err.contains("[API key]"), cli.err.constData());
    QVERIFY(QFileInfo::exists(metrics));
    QVERIFY(QFileInfo::exists(history));
    int files = 0;
    QDirIterator it(m_dir->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        ++files;
        QVERIFY2(!leaks(readFile(file)), qPrintable(file));
    }
    QVERIFY(files >= 2);
}

void tst_Cli::noKeyNoAuthorization()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"local"_s}));
    Cli cli(environment(false));
    QVERIFY(cli.start(chatArgs({u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "local");
    QVERIFY(!m_server->requests(kChatPath).first().hasHeader("authorization"));
}

void tst_Cli::plainHttpOnlyToLocalHosts()
{
    // The key and the prompt never go out in the clear to a public host
    // without consent; nothing is even attempted.
    for (const QString &command : {u"chat"_s, u"models"_s}) {
        QStringList args{command, u"--base-url"_s, u"http://api.example.com/v1"_s};
        if (command == u"chat")
            args << u"--model"_s << u"m"_s << u"Hi"_s;
        Cli cli(environment());
        QVERIFY(cli.start(args));
        EXPECT_EXIT(cli, ExitUsage);
        QVERIFY(cli.out.isEmpty());
        QVERIFY2(cli.err.startsWith("sluice-cli: refusing to send") && cli.err.contains("--allow-insecure-http"),
                 cli.err.constData());
        QCOMPARE(cli.err.count('\n'), 1);
    }
    QCOMPARE(m_server->requestCount(), 0);
}

void tst_Cli::keyFromTheKeychain()
{
    // Only inside scripts/with-keyring.sh: a private, unlocked Secret Service,
    // so writing under the app's own service name touches no real key.
    if (qEnvironmentVariable("SLUICE_KEYRING") != u"secret-service")
        QSKIP("Needs the private Secret Service of scripts/with-keyring.sh");
    const QString key = u"sk-keychain-"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
    KeychainSecretStore store; // the service the app and sluice-cli read
    ApiKeyProvider keys(&store);
    auto run = [this](const std::function<void(SecretStore::Callback)> &operation) {
        std::optional<SecretStore::Result> result;
        operation([&result](const SecretStore::Result &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30'000))
            result = SecretStore::Result{false, QString(), SecretStore::Error::Other, u"no answer from the keychain"_s};
        return *result;
    };
    const QUrl url = m_server->baseUrl();
    const SecretStore::Result written = run([&](SecretStore::Callback cb) { keys.writeKey(url, key, this, cb); });
    QVERIFY2(written.ok, qPrintable(written.errorText));
    const auto removeKey = qScopeGuard([&] { run([&](SecretStore::Callback cb) { keys.deleteKey(url, this, cb); }); });

    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"keyed"_s}));
    QProcessEnvironment env = environment(false);
    env.remove(u"SLUICE_NO_KEYCHAIN"_s);
    Cli cli(env);
    QVERIFY(cli.start(chatArgs({u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "keyed");
    QCOMPARE(m_server->requests(kChatPath).first().header("authorization"), "Bearer " + key.toLatin1());
    QVERIFY(!cli.err.contains(key.toLatin1()));
}

void tst_Cli::keychainUnavailable()
{
#ifndef Q_OS_LINUX
    QSKIP("A session bus that does not exist is a Linux (D-Bus) situation");
#else
    // No SLUICE_API_KEY, the keychain asked, and no keychain service: say so
    // in one line, send no key, and go on (a local server needs none).
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"keyless"_s}));
    QProcessEnvironment env = environment(false);
    env.remove(u"SLUICE_NO_KEYCHAIN"_s);
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + m_dir->filePath(u"no-such-bus"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, m_dir->path());
    Cli cli(env);
    QVERIFY(cli.start(chatArgs({u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "keyless");
    QVERIFY(!m_server->requests(kChatPath).first().hasHeader("authorization"));
    const QList<QByteArray> errLines = cli.err.trimmed().split('\n');
    QVERIFY2(errLines.size() == 2, cli.err.constData()); // that line and the metrics
    QVERIFY2(errLines.first().startsWith("sluice-cli: ") && errLines.first().contains("SLUICE_API_KEY"),
             cli.err.constData());
#endif
}

void tst_Cli::saveStoresTheExchange()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Stored "_s, u"answer."_s}, 10, 5));
    const QString history = m_dir->filePath(u"sub/h.sqlite3"_s);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--save"_s, u"--history"_s, history, u"--system"_s, u"Sys."_s, u"Remember this."_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "Stored answer.");
    // stderr: the metrics line and where it was saved; no log chatter of the store.
    const QList<QByteArray> errLines = cli.err.trimmed().split('\n');
    QVERIFY2(errLines.size() == 2, cli.err.constData());
    QVERIFY2(errLines.at(1).startsWith("sluice-cli: saved as conversation 1 in "), cli.err.constData());

    HistoryStore store;
    QVERIFY2(store.open(history), qPrintable(store.lastError()));
    const auto conversations = store.conversations();
    QCOMPARE(conversations.size(), 1);
    const auto conversation = store.conversation(conversations.first().id);
    QVERIFY(conversation);
    QCOMPARE(conversation->model, u"test-model"_s);
    QCOMPARE(conversation->systemPrompt, u"Sys."_s);
    QCOMPARE(conversation->title, u"Remember this."_s);
    const QList<Message> messages = store.messages(conversation->id);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).role, ChatMessage::Role::User);
    QCOMPARE(messages.at(0).content, u"Remember this."_s);
    QCOMPARE(messages.at(1).role, ChatMessage::Role::Assistant);
    QCOMPARE(messages.at(1).content, u"Stored answer."_s);
    QCOMPARE(messages.at(1).state, Message::State::Completed);
    QCOMPARE(messages.at(1).finishReason, u"stop"_s);
    QCOMPARE(messages.at(1).usage.completionTokens, 5);
    QCOMPARE(messages.at(1).metrics.tokens, 5);
    QVERIFY(messages.at(1).errorText.isEmpty());
}

void tst_Cli::saveKeepsAStoppedReply()
{
#ifndef Q_OS_UNIX
    QSKIP("SIGINT is a Unix signal");
#else
    QStringList pieces;
    for (int i = 1; i <= 100; ++i)
        pieces << u"p%1 "_s.arg(i);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 100));
    const QString history = m_dir->filePath(u"h.sqlite3"_s);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--save"_s, u"--history"_s, history, u"Go."_s})));
    QTRY_VERIFY_WITH_TIMEOUT(cli.out.contains("p2 "), kRunTimeoutMs);
    QVERIFY(::kill(pid_t(cli.pid()), SIGINT) == 0);
    EXPECT_EXIT(cli, ExitStopped);

    HistoryStore store;
    QVERIFY2(store.open(history), qPrintable(store.lastError()));
    const auto conversations = store.conversations();
    QCOMPARE(conversations.size(), 1);
    const QList<Message> messages = store.messages(conversations.first().id);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(1).state, Message::State::Stopped);
    // Exactly what was printed: the final state is written when the reply stops.
    QCOMPARE(messages.at(1).content.toUtf8(), cli.out);
#endif
}

void tst_Cli::sseDump()
{
    const QByteArray input = ": a comment\r\n"
                             "retry: 1500\r\n"
                             "event: greet\r\n"
                             "id: 7\r\n"
                             "data: line one\r\n"
                             "data:line two\r\n"
                             "\r\n"
                             "data: second\n"
                             "\n"
                             "retry: soon\n"         // not a number: ignored
                             "id\n"                  // empty id resets it
                             "data: third\r"
                             "data\r"                // an empty data line
                             "\r"
                             "event: only-a-type\n"  // no data: not dispatched
                             "\n"
                             "data: {\"json\": [1, 2]}\n\n"
                             "data: never ended";    // at EOF: not dispatched
    Cli cli(environment());
    QVERIFY(cli.start({u"sse-dump"_s}, input));
    EXPECT_EXIT(cli, ExitOk);

    const QList<QJsonObject> lines = jsonLines(cli.out);
    const QList<QJsonObject> expected{
        QJsonObject{{u"retry"_s, 1500}},
        QJsonObject{{u"event"_s, u"greet"_s}, {u"data"_s, u"line one\nline two"_s}, {u"lastEventId"_s, u"7"_s}},
        QJsonObject{{u"event"_s, u"message"_s}, {u"data"_s, u"second"_s}, {u"lastEventId"_s, u"7"_s}},
        QJsonObject{{u"event"_s, u"message"_s}, {u"data"_s, u"third\n"_s}, {u"lastEventId"_s, QString()}},
        QJsonObject{{u"event"_s, u"message"_s}, {u"data"_s, u"{\"json\": [1, 2]}"_s}, {u"lastEventId"_s, QString()}},
    };
    QCOMPARE(lines, expected);
    QVERIFY2(cli.err.contains("ended in the middle of an event"), cli.err.constData());
}

void tst_Cli::sseDumpOverLimit()
{
    Cli cli(environment());
    QVERIFY(cli.start({u"sse-dump"_s, u"--max-event-bytes"_s, u"64"_s},
                      "data: small\n\ndata: " + QByteArray(200, 'x') + "\n\n"));
    EXPECT_EXIT(cli, ExitTruncated);
    QCOMPARE(jsonLines(cli.out).size(), 1);
    QVERIFY(cli.err.startsWith("sluice-cli: "));
}

namespace {

// A captured OpenAI stream with every kind of event the decoder knows.
QByteArray fixtureStream()
{
    QByteArray body;
    body += SseTestServer::openAiReasoningChunk(u"Thinking…"_s);
    body += SseTestServer::openAiChunk(u"Hello"_s);
    body += "data: {not json\n\n";
    body += ": keep-alive\n\n";
    body += SseTestServer::openAiChunk(u" wörld"_s);
    body += toolCallChunk(QJsonObject{{u"index"_s, 0}, {u"id"_s, u"call_1"_s}, {u"type"_s, u"function"_s},
                                      {u"function"_s, QJsonObject{{u"name"_s, u"get_weather"_s}, {u"arguments"_s, u"{\"city\":"_s}}}});
    body += toolCallChunk(QJsonObject{{u"index"_s, 0}, {u"function"_s, QJsonObject{{u"arguments"_s, u"\"Paris\"}"_s}}}});
    body += SseTestServer::openAiFinishChunk(u"tool_calls"_s);
    body += SseTestServer::openAiUsageChunk(12, 34);
    body += SseTestServer::openAiDone();
    return body;
}

} // namespace

void tst_Cli::replay()
{
    const QString file = m_dir->filePath(u"stream.sse"_s);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixtureStream());
    }
    Cli cli(environment());
    QVERIFY(cli.start({u"replay"_s, file}));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, u"Hello wörld"_s.toUtf8());
    QVERIFY2(cli.err.contains(u"[reasoning] Thinking…"_s.toUtf8()), cli.err.constData());

    // The same from stdin.
    Cli fromStdin(environment());
    QVERIFY(fromStdin.start({u"replay"_s, u"--format"_s, u"openai"_s, u"-"_s}, fixtureStream()));
    EXPECT_EXIT(fromStdin, ExitOk);
    QCOMPARE(fromStdin.out, cli.out);
}

void tst_Cli::replayJson()
{
    const QString file = m_dir->filePath(u"stream.sse"_s);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixtureStream());
    }
    Cli cli(environment());
    QVERIFY(cli.start({u"replay"_s, u"--json"_s, file}));
    EXPECT_EXIT(cli, ExitOk);
    QJsonParseError error;
    const QJsonObject s = QJsonDocument::fromJson(cli.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(s.value(u"content"_s).toString(), u"Hello wörld"_s);
    QCOMPARE(s.value(u"reasoning"_s).toString(), u"Thinking…"_s);
    QCOMPARE(s.value(u"finish_reason"_s).toString(), u"tool_calls"_s);
    QCOMPARE(s.value(u"done"_s).toBool(), true);
    QCOMPARE(s.value(u"malformed"_s).toInt(), 1);
    QCOMPARE(s.value(u"events"_s).toInt(), 9); // the comment is no event
    QCOMPARE(s.value(u"ended_mid_event"_s).toBool(), false);
    QCOMPARE(s.value(u"errors"_s).toArray().size(), 0);
    const QJsonObject usage = s.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), 12);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 34);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 46);
    const QJsonArray calls = s.value(u"tool_calls"_s).toArray();
    QCOMPARE(calls.size(), 1);
    const QJsonObject call = calls.first().toObject();
    QCOMPARE(call.value(u"index"_s).toInt(), 0);
    QCOMPARE(call.value(u"id"_s).toString(), u"call_1"_s);
    QCOMPARE(call.value(u"type"_s).toString(), u"function"_s);
    QCOMPARE(call.value(u"name"_s).toString(), u"get_weather"_s);
    QCOMPARE(call.value(u"arguments"_s).toString(), u"{\"city\":\"Paris\"}"_s);

    // A stream cut in the middle of an event, with an in-stream error.
    QByteArray cut = SseTestServer::openAiChunk(u"a"_s) + SseTestServer::openAiErrorEvent(u"boom"_s, u"server_error"_s)
        + "data: {\"choices\":";
    Cli partial(environment());
    QVERIFY(partial.start({u"replay"_s, u"--json"_s, u"-"_s}, cut));
    EXPECT_EXIT(partial, ExitOk);
    const QJsonObject p = QJsonDocument::fromJson(partial.out).object();
    QCOMPARE(p.value(u"content"_s).toString(), u"a"_s);
    QCOMPARE(p.value(u"done"_s).toBool(), false);
    QCOMPARE(p.value(u"ended_mid_event"_s).toBool(), true);
    QCOMPARE(p.value(u"finish_reason"_s), QJsonValue());
    QCOMPARE(p.value(u"errors"_s).toArray().size(), 1);
    QCOMPARE(p.value(u"errors"_s).toArray().first().toObject().value(u"message"_s).toString(), u"boom"_s);
}

void tst_Cli::replayUsageErrors()
{
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"replay"_s, m_dir->filePath(u"missing.sse"_s)}));
        EXPECT_EXIT(cli, ExitUsage);
        QVERIFY(cli.err.startsWith("sluice-cli: cannot read "));
    }
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"replay"_s, u"--format"_s, u"anthropic"_s, u"-"_s}));
        EXPECT_EXIT(cli, ExitUsage);
        QVERIFY(cli.err.contains("unknown --format 'anthropic'"));
    }
}

void tst_Cli::models()
{
    m_server->enqueue(u"/v1/models"_s, SseTestServer::models({u"zeta-1"_s, u"alpha-2"_s, u"mid-3"_s}));
    Cli cli(environment());
    QVERIFY(cli.start({u"models"_s, u"--base-url"_s, m_server->baseUrl().toString()}));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "alpha-2\nmid-3\nzeta-1\n");
    QCOMPARE(m_server->requests(u"/v1/models"_s).first().header("authorization"), "Bearer " + kApiKey);
}

void tst_Cli::modelsError()
{
    m_server->enqueue(u"/v1/models"_s, SseTestServer::openAiError(401, u"No such key: "_s + QString::fromLatin1(kApiKey)));
    Cli cli(environment());
    QVERIFY(cli.start({u"models"_s, u"--base-url"_s, m_server->baseUrl().toString()}));
    EXPECT_EXIT(cli, ExitApi);
    QVERIFY(cli.out.isEmpty());
    QVERIFY2(cli.err.contains("HTTP 401"), cli.err.constData());
    QVERIFY2(!cli.err.contains(kApiKey), cli.err.constData());
}

namespace {

// A reply that tries to take over the terminal, piece by piece with what a
// terminal must show of it: OSC 52 (writes the clipboard), OSC 0 (window
// title), CSI (clear, move, colours, alternate screen), their 8-bit C1 forms,
// DCS, charset designations, BEL, CR (overwrites the line), DEL, BS. Text
// around them, tabs, line feeds, Chinese and emoji stay as they are.
struct HostilePiece
{
    QString raw;
    QString visible;
    int removed; // sequences and single controls in `raw`
};

QList<HostilePiece> hostilePieces()
{
    return {
        {u"Safe "_s, u"Safe "_s, 0},
        {u"\x1b]52;c;cm0gLXJmIH4=\x07"_s, QString(), 1},
        {u"text"_s, u"text"_s, 0},
        {u"\x1b[2J\x1b[H"_s, QString(), 2},
        {u" \x1b]0;pwned title\x1b\\"_s, u" "_s, 1},
        {u"red:\x1b[31mRED\x1b[0m"_s, u"red:RED"_s, 2},
        {u" c1:\u009b31mX"_s, u" c1:X"_s, 1},
        {u" osc8:\u009d8;;http://evil.example/\u009clink"_s, u" osc8:link"_s, 1},
        {u" bell\x07 cr\r del\x7f bs\x08"_s, u" bell cr del bs"_s, 4},
        {u" dcs:\x1bP1$r\x1b\\"_s, u" dcs:"_s, 1},
        {u" esc7\x1b" "7saved"_s, u" esc7saved"_s, 1},
        {u" charset\x1b(0q\x1b(B"_s, u" charsetq"_s, 2},
        {u"\ttab\n"_s, u"\ttab\n"_s, 0},
        {u"中文 😀 ünïcödé\n"_s, u"中文 😀 ünïcödé\n"_s, 0},
        {u"\x1b[?1049h"_s, QString(), 1},
        {u"end"_s, u"end"_s, 0},
    };
}

QString hostileRaw()
{
    QString all;
    for (const HostilePiece &p : hostilePieces())
        all += p.raw;
    return all;
}

QString hostileVisible()
{
    QString all;
    for (const HostilePiece &p : hostilePieces())
        all += p.visible;
    return all;
}

int hostileRemoved()
{
    int n = 0;
    for (const HostilePiece &p : hostilePieces())
        n += p.removed;
    return n;
}

// One piece per code point (a surrogate pair stays together): every sequence
// is cut at every place it can be cut.
QStringList byCodePoint(const QString &text)
{
    QStringList pieces;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const qsizetype n = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        pieces << text.mid(i, n);
        i += n - 1;
    }
    return pieces;
}

// Whatever a terminal would obey: C0 but LF and TAB, DEL, and C1 (as UTF-8).
QString controlsIn(const QByteArray &bytes)
{
    QStringList found;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes.at(i));
        const bool c1 = b == 0xC2 && i + 1 < bytes.size() && static_cast<unsigned char>(bytes.at(i + 1)) >= 0x80
            && static_cast<unsigned char>(bytes.at(i + 1)) <= 0x9F;
        if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F || c1)
            found << u"0x%1 at %2"_s.arg(c1 ? 0xC200 + static_cast<unsigned char>(bytes.at(i + 1)) : b, 0, 16).arg(i);
    }
    return found.join(u", "_s);
}

#ifdef SLUICE_TEST_HAVE_PTY
// sluice-cli with stdin and stdout on a pseudo-terminal (isatty() is true, as
// in a terminal window) and stderr into a file. `terminal` is what the
// terminal received, untouched: the line discipline is raw, so "\n" is not
// turned into "\r\n". The event loop runs meanwhile, for the server.
struct PtyRun
{
    QByteArray terminal;
    QByteArray err;
    bool exited = false; // normally, with exitCode
    int exitCode = -1;
    QString problem;

    QString describe() const
    {
        return u"%1exit %2\n--- terminal ---\n%3\n--- stderr ---\n%4"_s
            .arg(problem.isEmpty() ? QString() : problem + u"; "_s)
            .arg(exited ? exitCode : -1)
            .arg(QString::fromUtf8(terminal), QString::fromUtf8(err));
    }
};

PtyRun runOnPty(const QStringList &args, const QProcessEnvironment &env, const QString &errFile)
{
    PtyRun run;
    // Everything the child needs is made before fork(): after it, only
    // async-signal-safe calls until execve().
    QByteArrayList argBytes{QFile::encodeName(sluiceCliPath())};
    for (const QString &arg : args)
        argBytes << arg.toUtf8();
    std::vector<char *> argv;
    for (QByteArray &arg : argBytes)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    QByteArrayList envBytes;
    for (const QString &entry : env.toStringList())
        envBytes << entry.toUtf8();
    std::vector<char *> envp;
    for (QByteArray &entry : envBytes)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    const QByteArray errPath = QFile::encodeName(errFile);

    termios raw{};
    ::cfmakeraw(&raw);
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, &raw, &size);
    if (pid < 0) {
        run.problem = u"forkpty failed: "_s + QString::fromLocal8Bit(std::strerror(errno));
        return run;
    }
    if (pid == 0) {
        const int fd = ::open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::dup2(fd, STDERR_FILENO);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    auto drain = [&run, master] {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(master, buffer, sizeof buffer);
            if (n <= 0)
                return; // EAGAIN: nothing yet; EIO: the child's side is closed
            run.terminal.append(buffer, qsizetype(n));
        }
    };
    QElapsedTimer timer;
    timer.start();
    int status = 0;
    bool reaped = false;
    while (!reaped && timer.elapsed() < kRunTimeoutMs) {
        drain();
        reaped = ::waitpid(pid, &status, WNOHANG) == pid;
        if (!reaped)
            QTest::qWait(5);
    }
    if (!reaped) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        run.problem = u"timed out"_s;
    }
    drain(); // what was written just before the exit
    ::close(master);
    run.exited = reaped && WIFEXITED(status);
    run.exitCode = run.exited ? WEXITSTATUS(status) : -1;
    run.err = readFile(errFile);
    return run;
}
#endif

} // namespace

void tst_Cli::terminalGetsNoEscapeSequences()
{
#ifdef SLUICE_TEST_HAVE_PTY
    QList<HostilePiece> pieces = hostilePieces();
    QStringList raw;
    for (const HostilePiece &p : pieces)
        raw << p.raw;
    // Reasoning goes to stderr (a file here); the content to the terminal.
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(raw, 5, 40));
    const PtyRun run = runOnPty(chatArgs({u"Hi"_s}), environment(), m_dir->filePath(u"err.txt"_s));
    QVERIFY2(run.exited && run.exitCode == ExitOk, qPrintable(run.describe()));

    // Nothing a terminal would obey arrived, and the text reads as meant
    // (with the final newline a terminal gets).
    QVERIFY2(controlsIn(run.terminal).isEmpty(), qPrintable(controlsIn(run.terminal) + u"\n"_s + run.describe()));
    QCOMPARE(QString::fromUtf8(run.terminal), hostileVisible() + u'\n');
    QVERIFY2(!run.terminal.contains("cm0gLXJmIH4="), run.terminal.constData()); // the clipboard payload
    QVERIFY2(!run.terminal.contains("pwned"), run.terminal.constData());       // the title
    // Said on stderr, with the way to get the bytes as sent.
    QVERIFY2(run.err.contains(QByteArray("removed " + QByteArray::number(hostileRemoved())
                                         + " control characters or escape sequences from the reply (--raw prints it as sent)")),
             run.err.constData());
    QCOMPARE(m_server->requestCount(kChatPath), 1);
#else
    QSKIP("needs a pseudo-terminal (Linux)");
#endif
}

void tst_Cli::terminalRawPrintsAsSent()
{
    // The control for the test above: the same terminal with --raw gets the
    // sequences, so their absence there is the filter's doing.
#ifdef SLUICE_TEST_HAVE_PTY
    QStringList raw;
    for (const HostilePiece &p : hostilePieces())
        raw << p.raw;
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(raw, 5));
    const PtyRun run = runOnPty(chatArgs({u"--raw"_s, u"Hi"_s}), environment(), m_dir->filePath(u"err.txt"_s));
    QVERIFY2(run.exited && run.exitCode == ExitOk, qPrintable(run.describe()));
    QCOMPARE(run.terminal, hostileRaw().toUtf8() + '\n');
    QVERIFY(run.terminal.contains("\x1b]52;c;cm0gLXJmIH4=\x07"));
    QVERIFY2(!run.err.contains("removed"), run.err.constData());
#else
    QSKIP("needs a pseudo-terminal (Linux)");
#endif
}

void tst_Cli::pipeGetsTheBytesAsSent()
{
    // Not a terminal: byte for byte, as `replay` is compared elsewhere.
    QStringList raw;
    for (const HostilePiece &p : hostilePieces())
        raw << p.raw;
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(raw, 0, 40));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, hostileRaw().toUtf8());
    QVERIFY2(!cli.err.contains("removed"), cli.err.constData());

    // --raw and --sanitize exclude each other.
    Cli both(environment());
    QVERIFY(both.start(chatArgs({u"--raw"_s, u"--sanitize"_s, u"Hi"_s})));
    EXPECT_EXIT(both, ExitUsage);
    QVERIFY2(both.err.contains("--raw and --sanitize"), both.err.constData());
}

void tst_Cli::sanitizeToAPipe_data()
{
    QTest::addColumn<QStringList>("pieces");
    QStringList asSent;
    for (const HostilePiece &p : hostilePieces())
        asSent << p.raw;
    QTest::newRow("as the server cut it") << asSent;
    QTest::newRow("all in one event") << QStringList{hostileRaw()};
    QTest::newRow("one event per character") << byCodePoint(hostileRaw());
    // Cut right after each ESC / C1 introducer and inside "ESC \\".
    QStringList afterEscape;
    QString current;
    for (const QChar c : hostileRaw()) {
        current += c;
        if (c == QChar(0x1b) || c == QChar(0x9b) || c == QChar(0x9d)) {
            afterEscape << current;
            current.clear();
        }
    }
    afterEscape << current;
    QTest::newRow("cut after every introducer") << afterEscape;
}

void tst_Cli::sanitizeToAPipe()
{
    // --sanitize: the terminal's filtering, on a pipe, where it can be
    // compared byte for byte. However the reply is cut, the result is the same.
    QFETCH(QStringList, pieces);
    m_server->enqueue(kChatPath, SseTestServer::openAiStream(pieces, 0));
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--sanitize"_s, u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(QString::fromUtf8(cli.out), hostileVisible());
    QVERIFY(controlsIn(cli.out).isEmpty());
    QVERIFY2(cli.err.contains(QByteArray("removed " + QByteArray::number(hostileRemoved()) + " control characters")),
             cli.err.constData());
}

void tst_Cli::replayHostileText()
{
    QByteArray body;
    for (const HostilePiece &p : hostilePieces())
        body += SseTestServer::openAiChunk(p.raw);
    body += SseTestServer::openAiReasoningChunk(u"think\x1b]52;c;eA==\x07ing"_s);
    body += SseTestServer::openAiDone();
    const QString file = m_dir->filePath(u"hostile.sse"_s);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(body);
    }
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"replay"_s, file}));
        EXPECT_EXIT(cli, ExitOk);
        QCOMPARE(cli.out, hostileRaw().toUtf8()); // a pipe: exactly what was sent
    }
    {
        Cli cli(environment());
        QVERIFY(cli.start({u"replay"_s, u"--sanitize"_s, file}));
        EXPECT_EXIT(cli, ExitOk);
        QCOMPARE(QString::fromUtf8(cli.out), hostileVisible());
        QVERIFY2(cli.err.contains("[reasoning] thinking\n"), cli.err.constData());
        QVERIFY2(controlsIn(cli.err).isEmpty(), cli.err.constData());
    }
    {
        // JSON: the same value, with DEL and C1 escaped as well as C0.
        Cli cli(environment());
        QVERIFY(cli.start({u"replay"_s, u"--json"_s, u"--sanitize"_s, file}));
        EXPECT_EXIT(cli, ExitOk);
        QVERIFY2(controlsIn(cli.out).isEmpty(), qPrintable(controlsIn(cli.out)));
        QJsonParseError error;
        const QJsonObject s = QJsonDocument::fromJson(cli.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(s.value(u"content"_s).toString(), hostileRaw());
    }
}

void tst_Cli::modelsHostileIds()
{
    m_server->enqueue(u"/v1/models"_s, SseTestServer::models({u"gpt\x1b]0;owned\x07-4o"_s, u"plain"_s}));
    Cli cli(environment());
    QVERIFY(cli.start({u"models"_s, u"--sanitize"_s, u"--base-url"_s, m_server->baseUrl().toString()}));
    EXPECT_EXIT(cli, ExitOk);
    QCOMPARE(cli.out, "gpt-4o\nplain\n");
}

void tst_Cli::usageThatIsNotACount()
{
    // A server's usage with negative and absurd counts: unknown, so the
    // tokens are counted from the deltas, and no negative or absurd cost.
    Response response = SseTestServer::Response::sse({
        SseTestServer::openAiChunk(u"one"_s),
        SseTestServer::openAiChunk(u" two"_s),
        SseTestServer::openAiFinishChunk(),
        SseTestServer::sseEvent(R"({"choices":[],"usage":{"prompt_tokens":-50,"completion_tokens":1e30,"total_tokens":-7}})"),
        SseTestServer::openAiDone(),
    });
    m_server->enqueue(kChatPath, response);
    Cli cli(environment());
    QVERIFY(cli.start(chatArgs({u"--metrics-json"_s, u"-"_s, u"Hi"_s})));
    EXPECT_EXIT(cli, ExitOk);
    const QList<QJsonObject> lines = jsonLines(cli.out.mid(cli.out.indexOf('\n') + 1));
    QCOMPARE(lines.size(), 1);
    const QJsonObject m = lines.first();
    QCOMPARE(m.value(u"token_source"_s).toString(), u"deltas"_s);
    QCOMPARE(m.value(u"tokens"_s).toInt(), 2);
    QCOMPARE(m.value(u"prompt_tokens"_s), QJsonValue()); // unknown, not -50
    const QJsonValue cost = m.value(u"cost_usd"_s);
    QVERIFY2(cost.isNull() || (cost.toDouble() >= 0 && cost.toDouble() < 0.01), qPrintable(QString::number(cost.toDouble())));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
