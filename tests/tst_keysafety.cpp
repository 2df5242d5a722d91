// Key safety: the API key never appears in logs, QSettings, the history
// database, exports, crash output or command lines; Authorization never goes
// to another origin after a redirect; plain http:// needs the user's consent
// for hosts that are not local or private; TLS errors are never ignored.
//
// The suite runs every flow that handles the key with a distinctive random
// key ("sk-sluice-leakcheck-" + 24 hex digits) and with every logging category
// on (in this process through a message handler that writes a log file, in
// sluice-cli children through QT_LOGGING_RULES="*.debug=true"). HOME, TMPDIR
// and the XDG folders of this process and of its children all point into one
// temporary folder; the last test reads every file in it — settings, the
// database with its -wal file, exports, logs, the children's stdout and
// stderr — and looks for the key: raw, as UTF-16, hex, base64 (any alignment,
// also URL-safe), percent-encoded, and for 16-character pieces of its random
// part (a truncated key is still a leaked key).
//
// No traffic leaves this machine: servers are on 127.0.0.1; "public" hosts
// are names under .invalid (RFC 6761).

#include "chat/chatsession.h"
#include "net/chatclient.h"
#include "net/modelcatalog.h"
#include "net/proxyconfig.h"
#include "secrets/memorysecretstore.h"
#include "settings/apikeyprovider.h"
#include "settings/settings.h"
#include "sluicecli.h"
#include "ssetestserver.h"
#include "store/conversationexport.h"
#include "store/historystore.h"
#include "testtls.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

namespace {

using Response = SseTestServer::Response;
using Status = ChatResult::Status;

const QString kChatPath = u"/v1/chat/completions"_s;
const QString kModelsPath = u"/v1/models"_s;
const QString kModel = u"test-model"_s;
constexpr int kRunTimeoutMs = 60'000;
constexpr int kSettleMs = 150;

// ---- the key and the forms it may take -------------------------------------

struct Needle
{
    QString what;
    QByteArray bytes;
};

// The substrings whose presence in any output means the key leaked.
QList<Needle> needlesFor(const QString &key, const QString &secretPart)
{
    QList<Needle> needles;
    auto add = [&needles](const QString &what, const QByteArray &bytes) {
        if (bytes.size() < 12)
            return; // too short to mean anything
        for (const Needle &n : std::as_const(needles)) {
            if (n.bytes == bytes)
                return;
        }
        needles.append({what, bytes});
    };
    const QByteArray raw = key.toUtf8();
    add(u"the key"_s, raw);
    add(u"the key, UTF-16"_s,
        QByteArray(reinterpret_cast<const char *>(key.utf16()), key.size() * qsizetype(sizeof(char16_t))));
    add(u"the key, percent-encoded"_s, QUrl::toPercentEncoding(key));
    add(u"the key, hex"_s, raw.toHex());
    // Base64 of the key at each of the three alignments it can have inside a
    // longer base64 text ("Basic …", "Bearer …" encoded, a dump): keep only
    // the characters that depend on the key's bytes alone.
    for (int offset = 0; offset < 3; ++offset) {
        QByteArray encoded = QByteArray(QByteArray(offset, '\0') + raw).toBase64();
        encoded = encoded.mid(offset == 0 ? 0 : 4);
        encoded.chop(4);
        add(u"the key, base64 (offset %1)"_s.arg(offset), encoded);
        add(u"the key, base64url (offset %1)"_s.arg(offset),
            QByteArray(encoded).replace('+', '-').replace('/', '_'));
    }
    // The random part, whole and in pieces: a key cut short is still a key.
    const QByteArray secret = secretPart.toUtf8();
    add(u"the key's random part"_s, secret);
    add(u"the first 16 characters of the key's random part"_s, secret.left(16));
    add(u"the last 16 characters of the key's random part"_s, secret.right(16));
    return needles;
}

// The first needle found in `bytes`, or an empty string; with `context`,
// also the bytes around it.
QString findLeak(const QByteArray &bytes, const QList<Needle> &needles, QByteArray *context = nullptr)
{
    for (const Needle &needle : needles) {
        const qsizetype at = bytes.indexOf(needle.bytes);
        if (at < 0)
            continue;
        if (context) {
            const qsizetype from = std::max<qsizetype>(0, at - 60);
            *context = bytes.mid(from, at - from + needle.bytes.size() + 60);
        }
        return needle.what;
    }
    return QString();
}

// ---- the captured log of this process ---------------------------------------

QMutex g_logMutex;
QFile *g_logFile = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker locker(&g_logMutex);
        if (g_logFile) {
            const QByteArray line = QByteArray(context.category ? context.category : "default") + ": "
                + message.toUtf8() + '\n';
            g_logFile->write(line);
            g_logFile->flush();
        }
    }
    // The test's own qInfo() and every warning still reach the test log; the
    // debug flood only goes to the file.
    const bool ownInfo = type == QtInfoMsg && qstrcmp(context.category, "default") == 0;
    const bool warning = type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg;
    if (g_previousHandler && (warning || ownInfo))
        g_previousHandler(type, context, message);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray errorBodyWith(const QString &message, const QString &type = u"invalid_request_error"_s,
                         const QString &code = QString(), const QString &param = QString())
{
    QJsonObject error{{u"message"_s, message}, {u"type"_s, type}};
    error.insert(u"code"_s, code.isEmpty() ? QJsonValue() : QJsonValue(code));
    error.insert(u"param"_s, param.isEmpty() ? QJsonValue() : QJsonValue(param));
    return QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
}

} // namespace

class tst_KeySafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void scannerFindsEveryForm();
    void normalChat();
    void serverEchoesTheKey_data();
    void serverEchoesTheKey();
    void crossOriginRedirect_data();
    void crossOriginRedirect();
    void modelListRedirect();
    void modelListEchoesTheKey();
    void settingsNeverHoldTheKey();
    void keyStoreWritesNoFile();
    void historyAndExports();
    void cliKeyFromTheEnvironment();
    void cliEchoedKey_data();
    void cliEchoedKey();
    void cliCrashOutput();
    void plainHttpNeedsConfirmation_data();
    void plainHttpNeedsConfirmation();
    void cliRefusesPlainHttpToAPublicHost();
    void tlsErrorsAreNeverIgnored();
    void tlsServerWorksWhenTrusted();
    // Last: reads every file the suite and its children wrote.
    void noFileContainsTheKey();

private:
    QString leakIn(const QString &text) const { return findLeak(text.toUtf8(), m_needles); }
    std::unique_ptr<ChatSession> newSession(const QUrl &baseUrl, int maxRetries = 0);
    QProcessEnvironment cliEnvironment(bool debugLogging = true) const;
    struct CliRun
    {
        int exitCode = -1;
        QProcess::ExitStatus exitStatus = QProcess::CrashExit;
        QByteArray out;
        QByteArray err;
        QByteArray cmdline; // /proc/<pid>/cmdline while it ran
        QByteArray environ; // /proc/<pid>/environ while it ran
    };
    // Runs sluice-cli; its stdout and stderr are also kept under children/<name>.
    // `whileRunning` is called once the server has the request.
    bool runCli(const QString &name, const QStringList &args, CliRun *run,
                const std::function<void(QProcess &)> &whileRunning = {});
    QStringList scan(QStringList *files) const;

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_key;
    QString m_secretPart;
    QList<Needle> m_needles;
    std::unique_ptr<QFile> m_log;
    std::unique_ptr<HistoryStore> m_store; // the app's default history, in the temporary XDG_DATA_HOME
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<SseTestServer> m_other; // another origin (another port)
#if QT_CONFIG(ssl)
    std::optional<TestTls::Identity> m_identity;
#endif
    QString m_noTlsReason;
    int m_cliRuns = 0;
};

void tst_KeySafety::initTestCase()
{
    QVERIFY2(QFileInfo::exists(sluiceCliPath()), qPrintable(u"sluice-cli is not built at "_s + sluiceCliPath()));
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    // SLUICE_TEST_KEEP_TEMP=1 keeps the folder, to look at a leak the scan found.
    m_root->setAutoRemove(qEnvironmentVariableIsEmpty("SLUICE_TEST_KEEP_TEMP"));

    // Everything this process and its children write goes under m_root.
    const QDir root(m_root->path());
    for (const char *name : {"HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
        const QString dir = root.filePath(QString::fromLatin1(name).toLower());
        QVERIFY(QDir().mkpath(dir));
        qputenv(name, QFile::encodeName(dir));
    }
    QCoreApplication::setOrganizationName(u"Sluice"_s);
    QCoreApplication::setApplicationName(u"Sluice"_s);

    const quint64 a = QRandomGenerator::system()->generate64();
    const quint32 b = QRandomGenerator::system()->generate();
    m_secretPart = QString::fromLatin1(QByteArray::number(a, 16).rightJustified(16, '0')
                                       + QByteArray::number(b, 16).rightJustified(8, '0'));
    m_key = u"sk-sluice-leakcheck-"_s + m_secretPart;
    m_needles = needlesFor(m_key, m_secretPart);

    // Every logging category, every level, into a file that is scanned at the end.
    m_log = std::make_unique<QFile>(root.filePath(u"logs/tst_keysafety.log"_s));
    QVERIFY(QDir().mkpath(root.filePath(u"logs"_s)));
    QVERIFY(m_log->open(QIODevice::WriteOnly | QIODevice::Truncate));
    {
        const QMutexLocker locker(&g_logMutex);
        g_logFile = m_log.get();
    }
    qunsetenv("QT_LOGGING_RULES");
    QLoggingCategory::setFilterRules(u"*.debug=true\n*.info=true\n*.warning=true"_s);
    g_previousHandler = qInstallMessageHandler(captureMessage);

#if QT_CONFIG(ssl)
    m_identity = TestTls::makeSelfSigned(root.filePath(u"logs"_s), &m_noTlsReason);
#else
    m_noTlsReason = u"Qt was built without TLS"_s;
#endif

    m_store = std::make_unique<HistoryStore>();
    QVERIFY2(m_store->open(), qPrintable(m_store->lastError())); // the default path, under XDG_DATA_HOME
    QVERIFY2(m_store->path().startsWith(m_root->path()), qPrintable(m_store->path()));
}

void tst_KeySafety::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
    const QMutexLocker locker(&g_logMutex);
    g_logFile = nullptr;
}

void tst_KeySafety::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_other = std::make_unique<SseTestServer>();
    QVERIFY(m_other->listen());
}

void tst_KeySafety::cleanup()
{
    m_other.reset();
    m_server.reset();
    m_nam.reset();
}

std::unique_ptr<ChatSession> tst_KeySafety::newSession(const QUrl &baseUrl, int maxRetries)
{
    auto session = std::make_unique<ChatSession>(m_nam.get(), m_store.get());
    session->setEndpoint(baseUrl, m_key);
    session->setModel(kModel);
    ChatClient::Options options;
    options.connectTimeoutMs = 5'000;
    options.idleTimeoutMs = 5'000;
    options.maxRetries = maxRetries;
    options.backoffBaseMs = 20;
    options.maxBackoffMs = 100;
    session->setClientOptions(options);
    return session;
}

// ---------------------------------------------------------------------------

void tst_KeySafety::scannerFindsEveryForm()
{
    // The final scan is only worth something if it finds the key in every
    // form it looks for: plant each, in the middle of other text.
    const QByteArray key = m_key.toUtf8();
    auto base64 = [](const QByteArray &bytes, QByteArray::Base64Options options = QByteArray::Base64Encoding) {
        return bytes.toBase64(options);
    };
    const QList<QByteArray> planted{
        QByteArray("x" + key + "y"),
        QByteArray("Authorization: Basic " + base64("user:" + key)),
        QByteArray("Authorization: Basic " + base64("us:" + key)),
        QByteArray("Authorization: Basic " + base64("use:" + key)),
        base64("Bearer " + key, QByteArray::Base64UrlEncoding),
        QByteArray("url?key=" + QUrl::toPercentEncoding(m_key)),
        QByteArray(reinterpret_cast<const char *>(m_key.utf16()), m_key.size() * 2),
        QByteArray("dump " + key.toHex() + " end"),
        QByteArray("message cut at the limit: " + key.left(key.size() - 5) + "…"),
        QByteArray("…" + key.mid(24)),
    };
    for (const QByteArray &bytes : std::as_const(planted))
        QVERIFY2(!findLeak(bytes, m_needles).isEmpty(), bytes.constData());
    // And nothing that is merely similar.
    QVERIFY(findLeak("sk-sluice-leakcheck-[API key] Bearer [API key] sk-slu***" + key.right(4), m_needles).isEmpty());
}

void tst_KeySafety::normalChat()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"Hello"_s, u", key-safe world"_s}, 5, 7));
    auto session = newSession(m_server->baseUrl());
    QSignalSpy finished(session.get(), &ChatSession::replyFinished);
    QVERIFY(session->send(u"Say hello."_s));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    QCOMPARE(qvariant_cast<ChatResult>(finished.at(0).at(0)).status, Status::Completed);
    QCOMPARE(session->model()->message(1).content, u"Hello, key-safe world"_s);
    // The key does go where it belongs (so its absence elsewhere means something).
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_server->requests().first().header("authorization"), "Bearer " + m_key.toUtf8());
}

void tst_KeySafety::serverEchoesTheKey_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<int>("maxRetries");
    QTest::addColumn<Status>("status");

    const QString key = m_key;
    QTest::newRow("401 JSON: the key in message, param and code")
        << Response::json(401, errorBodyWith(u"Incorrect API key provided: %1. You can find your API key at "
                                             "https://platform.example/account/api-keys."_s.arg(key),
                                             u"invalid_request_error"_s, key, key))
        << 0 << Status::HttpError;
    QTest::newRow("401 JSON: the key as the type")
        << Response::json(401, errorBodyWith(QString(), key)) << 0 << Status::HttpError;
    QTest::newRow("401 plain text with the key")
        << Response::fixed(401, "text/plain", "bad key " + key.toUtf8() + "\n") << 0 << Status::HttpError;
    QTest::newRow("200 HTML page with the key")
        << Response::fixed(200, "text/html", "<html><body>Your key " + key.toUtf8() + " is wrong</body></html>")
        << 0 << Status::HttpError;
    QTest::newRow("in-stream error with the key")
        << Response::sse({SseTestServer::openAiChunk(u"partial "_s),
                          SseTestServer::openAiErrorEvent(u"key %1 revoked"_s.arg(key), u"auth_error"_s, key)})
        << 0 << Status::HttpError;
    QTest::newRow("429 with the key, retried: the retry reason")
        << Response::json(429, errorBodyWith(u"Quota of %1 exceeded."_s.arg(key))) << 1 << Status::HttpError;
    // Provider messages are shortened to 600 characters (ApiErrors and
    // ChatClient); a key that straddles the cut must not survive in part. With
    // this padding only the last 4 characters of the key fall off.
    const QString padding(559, u'a');
    QTest::newRow("401 JSON: the key at the 600-character cut")
        << Response::json(401, errorBodyWith(padding + key + u" is not valid."_s)) << 0 << Status::HttpError;
    QTest::newRow("in-stream error: the key at the 600-character cut")
        << Response::sse({SseTestServer::openAiErrorEvent(padding + key + u" revoked."_s)}) << 0 << Status::HttpError;
}

void tst_KeySafety::serverEchoesTheKey()
{
    QFETCH(Response, response);
    QFETCH(int, maxRetries);
    QFETCH(Status, status);
    m_server->enqueue(kChatPath, response);
    auto session = newSession(m_server->baseUrl(), maxRetries);
    QSignalSpy finished(session.get(), &ChatSession::replyFinished);
    QSignalSpy errors(session.get(), &ChatSession::errorOccurred);
    QSignalSpy retries(session.get(), &ChatSession::retryScheduled);
    QVERIFY(session->send(u"Hello?"_s));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    QTest::qWait(kSettleMs);

    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    QCOMPARE(result.status, status);
    QCOMPARE(retries.count(), maxRetries);
    QVERIFY(!result.message.isEmpty());
    QString leak = leakIn(result.message);
    QVERIFY2(leak.isEmpty(), qPrintable(u"%1 in the result message: %2"_s.arg(leak, result.message)));
    QCOMPARE(errors.count(), 1);
    leak = leakIn(errors.at(0).at(0).toString());
    QVERIFY2(leak.isEmpty(), qPrintable(u"%1 in the banner text"_s.arg(leak)));
    for (const QList<QVariant> &retry : std::as_const(retries)) {
        leak = leakIn(retry.at(2).toString());
        QVERIFY2(leak.isEmpty(), qPrintable(u"%1 in the retry reason: %2"_s.arg(leak, retry.at(2).toString())));
    }
    const Message reply = session->model()->message(1);
    QVERIFY(leakIn(reply.errorText).isEmpty());
    QVERIFY(leakIn(reply.content).isEmpty());
    const QList<Message> stored = m_store->messages(session->conversationId());
    QCOMPARE(stored.size(), 2);
    QVERIFY(leakIn(stored.at(1).errorText).isEmpty());
}

void tst_KeySafety::crossOriginRedirect_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("otherHostName"); // same port, "localhost" instead of "127.0.0.1"
    QTest::addColumn<bool>("otherAccepts");  // the other origin streams a reply (else 401)
    QTest::newRow("307 to another port, which answers 401") << 307 << false << false;
    QTest::newRow("308 to another port, which streams") << 308 << false << true;
    QTest::newRow("301 to another port, which streams") << 301 << false << true;
    QTest::newRow("302 to another port, which answers 401") << 302 << false << false;
    QTest::newRow("307 to the same port under another host name") << 307 << true << true;
}

void tst_KeySafety::crossOriginRedirect()
{
    QFETCH(int, status);
    QFETCH(bool, otherHostName);
    QFETCH(bool, otherAccepts);
    SseTestServer *target = otherHostName ? m_server.get() : m_other.get();
    QUrl location = target->url(u"/elsewhere/chat/completions"_s);
    if (otherHostName)
        location.setHost(u"localhost"_s);
    m_server->enqueue(kChatPath, Response::redirect(status, location));
    target->enqueue(u"/elsewhere/chat/completions"_s,
                    otherAccepts ? SseTestServer::openAiStream({u"from the other origin"_s})
                                 : SseTestServer::openAiError(401, u"No API key provided."_s));

    auto session = newSession(m_server->baseUrl());
    QSignalSpy finished(session.get(), &ChatSession::replyFinished);
    QVERIFY(session->send(u"Follow me."_s));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));

    // The first origin got the key; the other one got the request without it.
    QCOMPARE(m_server->requests(kChatPath).size(), 1);
    QCOMPARE(m_server->requests(kChatPath).first().header("authorization"), "Bearer " + m_key.toUtf8());
    const QList<SseTestServer::RecordedRequest> there = target->requests(u"/elsewhere/chat/completions"_s);
    QCOMPARE(there.size(), 1);
    QVERIFY(!there.first().hasHeader("authorization"));
    for (const auto &[name, value] : there.first().headers)
        QVERIFY2(findLeak(value, m_needles).isEmpty(), name.constData());
    QVERIFY(findLeak(there.first().body, m_needles).isEmpty());

    if (otherAccepts) {
        QCOMPARE(result.status, Status::Completed);
    } else {
        QCOMPARE(result.status, Status::HttpError);
        QCOMPARE(result.httpStatus, 401);
        // The message says why the key was not sent.
        QVERIFY2(result.message.contains(u"redirected"_s), qPrintable(result.message));
    }
}

void tst_KeySafety::modelListRedirect()
{
    m_server->enqueue(kModelsPath, Response::redirect(302, m_other->url(kModelsPath)));
    m_other->enqueue(kModelsPath, SseTestServer::models({u"elsewhere-model"_s}));
    ModelCatalog catalog(m_nam.get());
    QSignalSpy finished(&catalog, &ModelCatalog::finished);
    catalog.fetch(m_server->baseUrl(), m_key, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    QTest::qWait(kSettleMs);
    QCOMPARE(m_server->requests(kModelsPath).size(), 1);
    QCOMPARE(m_server->requests(kModelsPath).first().header("authorization"), "Bearer " + m_key.toUtf8());
    for (const SseTestServer::RecordedRequest &request : m_other->requests())
        QVERIFY(!request.hasHeader("authorization"));
    qInfo().noquote() << "model list redirected to another origin:" << finished.at(0).at(0).toStringList()
                      << finished.at(0).at(1).toString();
}

void tst_KeySafety::modelListEchoesTheKey()
{
    // The GUI shows this message in the model picker and the settings dialog.
    m_server->enqueue(kModelsPath,
                      Response::json(401, errorBodyWith(u"Incorrect API key provided: %1."_s.arg(m_key))));
    ModelCatalog catalog(m_nam.get());
    QSignalSpy finished(&catalog, &ModelCatalog::finished);
    catalog.fetch(m_server->baseUrl(), m_key, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    const QString error = finished.at(0).at(1).toString();
    QVERIFY(error.contains(u"401"_s));
    const QString leak = leakIn(error);
    QVERIFY2(leak.isEmpty(), qPrintable(u"%1 in ModelCatalog's message: %2"_s.arg(leak, error)));
}

void tst_KeySafety::settingsNeverHoldTheKey()
{
    Settings settings; // the application's QSettings, under XDG_CONFIG_HOME
    QVERIFY2(settings.fileName().startsWith(m_root->path()), qPrintable(settings.fileName()));
    // Keys pasted into a URL: as user info, as a query item, as a fragment.
    const QUrl withKey(u"https://user:%1@api.example.invalid/v1?api_key=%1&api-version=2024-06-01#%1"_s.arg(m_key));
    settings.setBaseUrl(withKey);
    QCOMPARE(settings.baseUrl().toString(), u"https://api.example.invalid/v1?api-version=2024-06-01"_s);
    settings.setCachedModels(withKey, {u"gpt-x"_s});
    settings.setCachedModels(QUrl(u"https://api.example.invalid/v1?key=%1"_s.arg(m_key)), {u"gpt-y"_s});
    settings.setModel(kModel);
    settings.setSystemPrompt(u"Be brief."_s);
    // The proxy password is never stored (here it is the key, to be found if it were).
    settings.setProxyMode(Settings::ProxyMode::Manual);
    settings.setManualProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"proxy.example.invalid"_s, 3128, u"me"_s, m_key));
    settings.sync();
    const QByteArray file = readFile(settings.fileName());
    QVERIFY(!file.isEmpty());
    QVERIFY2(findLeak(file, m_needles).isEmpty(), file.constData());
    QVERIFY(file.contains("proxy.example.invalid")); // it is the file that was written
    QVERIFY(ProxyConfig::proxyFor(settings).password().isEmpty());
    // Back to a plain setting, so that later children do not try the proxy.
    settings.setProxyMode(Settings::ProxyMode::None);
    settings.sync();
}

void tst_KeySafety::keyStoreWritesNoFile()
{
    // Without a keychain the key stays in memory: nothing is written.
    MemorySecretStore store;
    ApiKeyProvider keys(&store);
    bool written = false, read = false;
    keys.writeKey(m_server->baseUrl(), m_key, this, [&](const SecretStore::Result &r) { written = r.ok; });
    QTRY_VERIFY(written);
    keys.readKey(m_server->baseUrl(), this, [&](const SecretStore::Result &r) { read = r.ok && r.secret == m_key; });
    QTRY_VERIFY(read);
}

void tst_KeySafety::historyAndExports()
{
    // Everything stored so far (completed, failed with echoed keys,
    // redirected), exported as a user would, into files the final scan reads.
    const QList<HistoryStore::ConversationSummary> all = m_store->conversations();
    QVERIFY(all.size() >= 5);
    const QDir exports(QDir(m_root->path()).filePath(u"exports"_s));
    QVERIFY(QDir().mkpath(exports.path()));
    QStringList leaks;
    for (const HistoryStore::ConversationSummary &summary : all) {
        const std::optional<Conversation> conversation = m_store->conversation(summary.id);
        QVERIFY(conversation);
        const QList<Message> messages = m_store->messages(summary.id);
        const QByteArray markdown = ConversationExport::toMarkdown(*conversation, messages).toUtf8();
        const QByteArray json = ConversationExport::toJson(*conversation, messages);
        const QString base = u"conversation-%1"_s.arg(summary.id);
        QVERIFY(writeFile(exports.filePath(base + u".md"_s), markdown));
        QVERIFY(writeFile(exports.filePath(base + u".json"_s), json));
        for (const auto &[suffix, bytes] : {std::pair(u".md"_s, markdown), std::pair(u".json"_s, json)}) {
            const QString leak = findLeak(bytes, m_needles);
            if (!leak.isEmpty())
                leaks.append(u"%1%2 (“%3”): %4"_s.arg(base, suffix, summary.title, leak));
        }
    }
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
}

// ---------------------------------------------------------------------------
// sluice-cli

QProcessEnvironment tst_KeySafety::cliEnvironment(bool debugLogging) const
{
    // This process's environment already points HOME, TMPDIR and XDG_* into m_root.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"http_proxy"_s, u"https_proxy"_s, u"all_proxy"_s, u"no_proxy"_s, u"HTTP_PROXY"_s,
                                u"HTTPS_PROXY"_s, u"ALL_PROXY"_s, u"NO_PROXY"_s})
        env.remove(name);
    env.insert(u"SLUICE_NO_KEYCHAIN"_s, u"1"_s);
    env.insert(u"SLUICE_API_KEY"_s, m_key); // the only way the key reaches the child
    if (debugLogging)
        env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
    else
        env.remove(u"QT_LOGGING_RULES"_s);
    return env;
}

bool tst_KeySafety::runCli(const QString &name, const QStringList &args, CliRun *run,
                           const std::function<void(QProcess &)> &whileRunning)
{
    QProcess process;
    process.setProgram(sluiceCliPath());
    process.setArguments(args);
    process.setProcessEnvironment(cliEnvironment());
    process.setWorkingDirectory(QDir(m_root->path()).filePath(u"tmpdir"_s));
#ifdef Q_OS_UNIX
    // A crash must not leave a core file (the key is in the process's memory,
    // as it must be to be sent; a core dump is not "crash output").
    process.setChildProcessModifier([] {
        const rlimit none{0, 0};
        ::setrlimit(RLIMIT_CORE, &none);
    });
#endif
    connect(&process, &QProcess::readyReadStandardOutput, this, [&] { run->out += process.readAllStandardOutput(); });
    connect(&process, &QProcess::readyReadStandardError, this, [&] { run->err += process.readAllStandardError(); });
    bool called = false;
    const int before = m_server->requestCount();
    process.start();
    if (!process.waitForStarted(30'000))
        return false;
    process.closeWriteChannel();
    const QString proc = u"/proc/%1/"_s.arg(process.processId());
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < kRunTimeoutMs) {
        // (Right after exec() the files may still be empty: read until they are not.)
        if (run->cmdline.isEmpty())
            run->cmdline = readFile(proc + u"cmdline"_s);
        if (run->environ.isEmpty())
            run->environ = readFile(proc + u"environ"_s);
        QTest::qWait(5);
        if (!called && whileRunning && m_server->requestCount() > before) {
            called = true;
            whileRunning(process);
        }
    }
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(5'000);
        return false;
    }
    run->out += process.readAllStandardOutput();
    run->err += process.readAllStandardError();
    run->exitCode = process.exitCode();
    run->exitStatus = process.exitStatus();
    const QDir children(QDir(m_root->path()).filePath(u"children"_s));
    const QString base = u"%1-%2"_s.arg(++m_cliRuns).arg(name);
    return writeFile(children.filePath(base + u".stdout"_s), run->out)
        && writeFile(children.filePath(base + u".stderr"_s), run->err);
}

void tst_KeySafety::cliKeyFromTheEnvironment()
{
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"One "_s, u"two "_s, u"three."_s}, 150, 3));
    const QString metrics = QDir(m_root->path()).filePath(u"exports/cli-metrics.json"_s);
    CliRun run;
    QByteArray cmdlineWhileStreaming;
    QVERIFY(runCli(u"chat"_s,
                   {u"chat"_s, u"--base-url"_s, m_server->baseUrl().toString(), u"--model"_s, kModel, u"--save"_s,
                    u"--metrics-json"_s, metrics, u"Count to three."_s},
                   &run, [&](QProcess &process) {
                       cmdlineWhileStreaming = readFile(u"/proc/%1/cmdline"_s.arg(process.processId()));
                   }));
    QVERIFY2(run.exitStatus == QProcess::NormalExit && run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, "One two three.");
    QCOMPARE(m_server->requests().first().header("authorization"), "Bearer " + m_key.toUtf8());

    // The command line never carries the key; the environment does (which
    // shows these are the right process's files).
    QVERIFY(!run.cmdline.isEmpty());
    QVERIFY(!cmdlineWhileStreaming.isEmpty());
    QVERIFY2(findLeak(run.cmdline, m_needles).isEmpty(), run.cmdline.constData());
    QVERIFY2(findLeak(cmdlineWhileStreaming, m_needles).isEmpty(), cmdlineWhileStreaming.constData());
    QVERIFY(run.environ.contains(QByteArray("SLUICE_API_KEY=" + m_key.toUtf8())));

    // All debug output was on, and still no key.
    QVERIFY2(run.err.contains("sluice."), "the child's debug logging was not on");
    QString leak = findLeak(run.err, m_needles);
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
    QVERIFY(findLeak(run.out, m_needles).isEmpty());
    QVERIFY(QFileInfo::exists(metrics));
}

void tst_KeySafety::cliEchoedKey_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("path");
    QTest::addColumn<Response>("response");
    const QString padding(559, u'a'); // see serverEchoesTheKey_data()
    QTest::newRow("chat: 401 echoes the key")
        << u"chat"_s << kChatPath
        << Response::json(401, errorBodyWith(u"Incorrect API key provided: %1."_s.arg(m_key), u"invalid_request_error"_s,
                                             m_key, m_key));
    QTest::newRow("chat: in-stream error echoes the key")
        << u"chat"_s << kChatPath
        << Response::sse({SseTestServer::openAiChunk(u"partial"_s),
                          SseTestServer::openAiErrorEvent(u"key %1 revoked"_s.arg(m_key))});
    QTest::newRow("chat: 429 echoes the key in the retry reason")
        << u"chat-retry"_s << kChatPath << Response::json(429, errorBodyWith(u"Quota of %1 exceeded."_s.arg(m_key)));
    QTest::newRow("chat: the key at the 600-character cut")
        << u"chat"_s << kChatPath << Response::json(401, errorBodyWith(padding + m_key + u" is not valid."_s));
    QTest::newRow("models: 401 echoes the key")
        << u"models"_s << kModelsPath
        << Response::json(401, errorBodyWith(u"Incorrect API key provided: %1."_s.arg(m_key)));
}

void tst_KeySafety::cliEchoedKey()
{
    QFETCH(QString, command);
    QFETCH(QString, path);
    QFETCH(Response, response);
    m_server->enqueue(path, response);
    QStringList args;
    if (command == u"models")
        args = {u"models"_s, u"--base-url"_s, m_server->baseUrl().toString()};
    else
        args = {u"chat"_s, u"--base-url"_s, m_server->baseUrl().toString(), u"--model"_s, kModel, u"--retries"_s,
                command == u"chat-retry" ? u"1"_s : u"0"_s, u"--save"_s, u"Hello?"_s};
    CliRun run;
    QVERIFY(runCli(command, args, &run));
    QVERIFY2(run.exitStatus == QProcess::NormalExit && run.exitCode != 0, run.err.constData());
    QVERIFY(m_server->requestCount(path) >= 1);
    QString leak = findLeak(run.err, m_needles);
    QVERIFY2(leak.isEmpty(), qPrintable(u"%1 on stderr:\n"_s.arg(leak) + QString::fromUtf8(run.err)));
    leak = findLeak(run.out, m_needles);
    QVERIFY2(leak.isEmpty(), qPrintable(u"%1 on stdout"_s.arg(leak)));
}

void tst_KeySafety::cliCrashOutput()
{
#ifdef Q_OS_UNIX
    // A crash in the middle of a reply: whatever the child prints on its way
    // out holds no key.
    m_server->enqueue(kChatPath, SseTestServer::openAiStream({u"before "_s, u"the "_s, u"crash"_s}, 300));
    CliRun run;
    QVERIFY(runCli(u"crash"_s,
                   {u"chat"_s, u"--base-url"_s, m_server->baseUrl().toString(), u"--model"_s, kModel, u"--save"_s,
                    u"Crash, please."_s},
                   &run, [](QProcess &process) { ::kill(pid_t(process.processId()), SIGSEGV); }));
    QCOMPARE(run.exitStatus, QProcess::CrashExit);
    QVERIFY(findLeak(run.err, m_needles).isEmpty());
    QVERIFY(findLeak(run.out, m_needles).isEmpty());
#else
    QSKIP("signals are POSIX");
#endif
}

// ---------------------------------------------------------------------------
// plain http:// and TLS

void tst_KeySafety::plainHttpNeedsConfirmation_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<bool>("needsConfirmation");
    QTest::newRow("http public name") << QUrl(u"http://api.example.invalid/v1"_s) << true;
    QTest::newRow("http public IPv4") << QUrl(u"http://203.0.113.7/v1"_s) << true;
    QTest::newRow("http public IPv6") << QUrl(u"http://[2001:db8::1]/v1"_s) << true;
    QTest::newRow("http 127.0.0.1") << QUrl(u"http://127.0.0.1:8080/v1"_s) << false;
    QTest::newRow("http localhost") << QUrl(u"http://localhost:11434/v1"_s) << false;
    QTest::newRow("http [::1]") << QUrl(u"http://[::1]:8000/v1"_s) << false;
    QTest::newRow("http 10/8") << QUrl(u"http://10.1.2.3/v1"_s) << false;
    QTest::newRow("http 192.168/16") << QUrl(u"http://192.168.1.20:1234/v1"_s) << false;
    QTest::newRow("http 172.16/12") << QUrl(u"http://172.20.0.5/v1"_s) << false;
    QTest::newRow("http 172.32 (public)") << QUrl(u"http://172.32.0.5/v1"_s) << true;
    QTest::newRow("http lookalike localhost.example") << QUrl(u"http://localhost.example.invalid/v1"_s) << true;
    QTest::newRow("http 127.0.0.1.nip-like name") << QUrl(u"http://127.0.0.1.example.invalid/v1"_s) << true;
    QTest::newRow("https public") << QUrl(u"https://api.example.invalid/v1"_s) << false;
}

void tst_KeySafety::plainHttpNeedsConfirmation()
{
    QFETCH(QUrl, url);
    QFETCH(bool, needsConfirmation);
    QCOMPARE(UrlPolicy::needsInsecureConfirmation(url), needsConfirmation);
}

void tst_KeySafety::cliRefusesPlainHttpToAPublicHost()
{
    // sluice-cli with the key in the environment and a plain http:// base URL
    // on a public host: the key must not be sent without the user's consent.
    // (.invalid never resolves, so nothing leaves the machine either way; a
    // refusal must come before any connection attempt, with a usage error.)
    CliRun run;
    QVERIFY(runCli(u"plain-http"_s,
                   {u"chat"_s, u"--base-url"_s, u"http://api.example.invalid/v1"_s, u"--model"_s, kModel,
                    u"--retries"_s, u"0"_s, u"Hello?"_s},
                   &run));
    QVERIFY2(run.exitStatus == QProcess::NormalExit, run.err.constData());
    QVERIFY2(run.exitCode == 2 && run.err.contains("http"),
             qPrintable(u"expected a refusal (exit 2) that names the unencrypted http://, got exit %1:\n%2"_s
                            .arg(run.exitCode)
                            .arg(QString::fromUtf8(run.err))));
}

void tst_KeySafety::tlsErrorsAreNeverIgnored()
{
#if QT_CONFIG(ssl)
    if (!m_identity)
        QSKIP(qPrintable(m_noTlsReason));
    SseTestServer tls;
    QVERIFY(tls.setTlsConfiguration(TestTls::serverConfiguration(*m_identity)));
    QVERIFY(tls.listen());
    tls.enqueue(kChatPath, SseTestServer::openAiStream({u"should never be shown"_s}));

    ChatClient client(m_nam.get());
    QSignalSpy finished(&client, &ChatClient::finished);
    QSignalSpy deltas(&client, &ChatClient::deltaReceived);
    ChatRequest request;
    request.baseUrl = tls.baseUrl();
    request.apiKey = m_key;
    request.model = kModel;
    request.messages = {{ChatMessage::Role::User, u"Hello?"_s}};
    client.start(request);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    QTest::qWait(kSettleMs);
    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    QCOMPARE(result.status, Status::NetworkError);
    QVERIFY2(result.message.contains(u"certificate"_s), qPrintable(result.message));
    QCOMPARE(result.retries, 0); // a certificate problem is not retried
    QCOMPARE(deltas.count(), 0);
    QCOMPARE(tls.requestCount(), 0); // no request, so no key, went over that connection
    qInfo().noquote() << "refused:" << result.message;
#else
    QSKIP("Qt was built without TLS");
#endif
}

void tst_KeySafety::tlsServerWorksWhenTrusted()
{
    // The control for the test above: the same server, once its certificate
    // is trusted, serves the reply (so the refusal was the certificate's).
#if QT_CONFIG(ssl)
    if (!m_identity)
        QSKIP(qPrintable(m_noTlsReason));
    const QSslConfiguration previous = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = previous;
    trusting.addCaCertificate(m_identity->certificate);
    QSslConfiguration::setDefaultConfiguration(trusting);
    auto restore = qScopeGuard([&previous] { QSslConfiguration::setDefaultConfiguration(previous); });

    SseTestServer tls;
    QVERIFY(tls.setTlsConfiguration(TestTls::serverConfiguration(*m_identity)));
    QVERIFY(tls.listen());
    tls.enqueue(kChatPath, SseTestServer::openAiStream({u"over "_s, u"TLS"_s}));
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    ChatClient client(&nam);
    QSignalSpy finished(&client, &ChatClient::finished);
    QString text;
    connect(&client, &ChatClient::deltaReceived, this, [&text](const StreamDelta &d) { text += d.content; });
    ChatRequest request;
    request.baseUrl = tls.baseUrl();
    request.apiKey = m_key;
    request.model = kModel;
    request.messages = {{ChatMessage::Role::User, u"Hello?"_s}};
    client.start(request);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    QVERIFY2(result.status == Status::Completed, qPrintable(QDebug::toString(result)));
    QCOMPARE(text, u"over TLS"_s);
    QCOMPARE(tls.requests().size(), 1);
    QCOMPARE(tls.requests().first().header("authorization"), "Bearer " + m_key.toUtf8());
#else
    QSKIP("Qt was built without TLS");
#endif
}

// ---------------------------------------------------------------------------

QStringList tst_KeySafety::scan(QStringList *files) const
{
    QStringList leaks;
    QDirIterator it(m_root->path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files->append(QDir(m_root->path()).relativeFilePath(path));
        QByteArray context;
        const QString leak = findLeak(readFile(path), m_needles, &context);
        if (!leak.isEmpty()) {
            leaks.append(u"%1: %2 in “%3”"_s.arg(QDir(m_root->path()).relativeFilePath(path), leak,
                                                 QString::fromUtf8(context.toPercentEncoding(" :/.,()…-_[]"))));
        }
    }
    return leaks;
}

void tst_KeySafety::noFileContainsTheKey()
{
    m_log->flush();
    // While the database is open (its -wal file holds the latest writes) ...
    QStringList files;
    QStringList leaks = scan(&files);
    const QString db = QDir(m_root->path()).relativeFilePath(m_store->path());
    QVERIFY2(files.contains(db), qPrintable(files.join(u'\n')));
    QVERIFY2(files.contains(db + u"-wal"_s), qPrintable(files.join(u'\n')));
    // ... and after it is closed (checkpointed into the main file).
    m_store->close();
    QStringList after;
    leaks += scan(&after);
    leaks.removeDuplicates();

    // The scan read what it should have: settings, exports, logs, children's output.
    auto has = [&files](const QString &pattern) {
        return std::any_of(files.cbegin(), files.cend(), [&pattern](const QString &f) { return f.contains(pattern); });
    };
    QVERIFY(has(u"Sluice.conf"_s));
    QVERIFY(has(u".md"_s) && has(u".json"_s));
    QVERIFY(has(u"logs/tst_keysafety.log"_s));
    QVERIFY(has(u".stderr"_s) && has(u".stdout"_s));
    const QByteArray log = readFile(m_log->fileName());
    QVERIFY2(log.contains("sluice.net: "), "the in-process log has no sluice.net debug output");
    QVERIFY2(log.contains("qt."), "the in-process log has no Qt debug output");
    qInfo().noquote() << u"scanned %1 files (%2 bytes of log) for %3 forms of the key"_s.arg(files.size())
                             .arg(log.size())
                             .arg(m_needles.size());
    QVERIFY2(leaks.isEmpty(), qPrintable(u"the key leaked into:\n"_s + leaks.join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_KeySafety)
#include "tst_keysafety.moc"
