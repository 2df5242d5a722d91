// Certificate faults, end to end over real TLS on loopback: a certificate that
// has expired, one made out for another host, and one from an authority this
// machine does not trust. Each goes through ChatSession (the app's path, with
// its ChatClient) and through `sluice-cli chat` as a child process. Each must
// be refused with a message that names the fault, never retried, never
// ignored: no request reaches the server, no token is delivered or printed.
//
// The certificates come from a small test-only PKI made with the openssl tool
// (tests/support/testtls.h). The test's own authority is trusted only inside
// this process (QSslConfiguration::defaultConfiguration()), so each leaf has
// exactly one fault; a control shows that a sound leaf from the same authority
// is served, so the refusals are the faults' doing. The child process does not
// trust it: it sees an untrusted root on top, and must still name the fault.

#include "chat/chatsession.h"
#include "chat/transcriptmodel.h"
#include "net/chatclient.h"
#include "testtls.h"
#include "sluicecli.h"
#include "ssetestserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

const QString kChatPath = u"/v1/chat/completions"_s;
const QByteArray kApiKey = "sk-sluiceTLS-5e0b7c2a91d4";
constexpr int kRunTimeoutMs = 60'000;
constexpr int kExitNetworkError = 4;

} // namespace

class tst_TlsFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void session_data();
    void session();
    void sessionControl();
    void cli_data();
    void cli();

private:
#if QT_CONFIG(ssl)
    void addRows();
    std::unique_ptr<SseTestServer> serve(const TestTls::Identity &identity);

    std::optional<TestTls::Identity> m_ca;
    std::optional<TestTls::Identity> m_sound;
    std::optional<TestTls::Identity> m_expired;
    std::optional<TestTls::Identity> m_otherHost;
    std::optional<TestTls::Identity> m_untrusted;
    QSslConfiguration m_previousDefault;
#endif
    QString m_noTls;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_TlsFaults::initTestCase()
{
#if QT_CONFIG(ssl)
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString dir = m_dir->path();
    m_ca = TestTls::makeAuthority(dir, u"Sluice test CA"_s, &m_noTls);
    if (!m_ca)
        return; // every test skips with the reason
    std::optional<TestTls::Identity> stranger = TestTls::makeAuthority(dir, u"Sluice untrusted CA"_s, &m_noTls);
    if (stranger)
        m_untrusted = TestTls::makeLeaf(dir, *stranger, TestTls::LeafOptions(), &m_noTls);
    m_sound = TestTls::makeLeaf(dir, *m_ca, TestTls::LeafOptions(), &m_noTls);
    m_expired = TestTls::makeExpired(dir, *m_ca, &m_noTls);
    m_otherHost = TestTls::makeForOtherHost(dir, *m_ca, u"wrong-host.invalid"_s, &m_noTls);
    // openssl works once the authority is made: a failure after it is a bug here.
    QVERIFY2(stranger && m_untrusted && m_sound && m_expired && m_otherHost, qPrintable(m_noTls));
    m_noTls.clear();
    QVERIFY(m_expired->certificate.expiryDate() < QDateTime::currentDateTimeUtc());
    QVERIFY(m_otherHost->certificate.subjectAlternativeNames().values(QSsl::DnsEntry)
            == QStringList{u"wrong-host.invalid"_s});

    // This process trusts the test authority (and only this process).
    m_previousDefault = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = m_previousDefault;
    trusting.addCaCertificate(m_ca->certificate);
    QSslConfiguration::setDefaultConfiguration(trusting);
#else
    m_noTls = u"Qt was built without TLS"_s;
#endif
}

void tst_TlsFaults::cleanupTestCase()
{
#if QT_CONFIG(ssl)
    if (m_ca && m_noTls.isEmpty())
        QSslConfiguration::setDefaultConfiguration(m_previousDefault);
#endif
}

#if QT_CONFIG(ssl)
void tst_TlsFaults::addRows()
{
    QTest::addColumn<QString>("fault");
    // QSslError::CertificateExpired, HostNameMismatch, UnableToGetLocalIssuerCertificate.
    QTest::newRow("expired") << u"expired"_s;
    QTest::newRow("wrong host") << u"other host"_s;
    QTest::newRow("untrusted authority") << u"untrusted"_s;
}

std::unique_ptr<SseTestServer> tst_TlsFaults::serve(const TestTls::Identity &identity)
{
    auto server = std::make_unique<SseTestServer>();
    if (!server->setTlsConfiguration(TestTls::serverConfiguration(identity)) || !server->listen())
        return nullptr;
    // What must never be shown: a reply that looks fine.
    server->enqueue(kChatPath, SseTestServer::openAiStream({u"should "_s, u"never "_s, u"be shown"_s}, 0, 3));
    return server;
}
#endif

void tst_TlsFaults::session_data()
{
#if QT_CONFIG(ssl)
    addRows();
#endif
}

#if QT_CONFIG(ssl)
namespace {
// The certificate for one row.
const TestTls::Identity &identityFor(const QString &fault, const TestTls::Identity &expired,
                                     const TestTls::Identity &otherHost, const TestTls::Identity &untrusted)
{
    if (fault == u"expired")
        return expired;
    return fault == u"other host" ? otherHost : untrusted;
}

// What the message for one row must say, in Sluice's words (TlsErrors): the
// fault, with the certificate's date or names and the host connected to.
QStringList phrasesFor(const QString &fault, const TestTls::Identity &identity, const QString &host)
{
    if (fault == u"expired") {
        // In this process's locale and time zone, as sluice-cli (its child) writes it too.
        const QDate expiry = identity.certificate.expiryDate().toLocalTime().date();
        return {u"certificate expired on "_s + QLocale().toString(expiry, QLocale::LongFormat),
                u"check this computer's clock"_s};
    }
    if (fault == u"other host")
        return {u"certificate is for wrong-host.invalid, not for %1"_s.arg(host), u"check the address"_s};
    return {u"certificate is not signed by an authority this computer trusts"_s,
            u"a proxy or antivirus that inspects HTTPS"_s};
}
} // namespace
#endif

void tst_TlsFaults::session()
{
#if QT_CONFIG(ssl)
    if (!m_noTls.isEmpty())
        QSKIP(qPrintable(m_noTls));
    QFETCH(QString, fault);
    const TestTls::Identity &identity = identityFor(fault, *m_expired, *m_otherHost, *m_untrusted);
    const std::unique_ptr<SseTestServer> server = serve(identity);
    QVERIFY(server);
    const QStringList phrases = phrasesFor(fault, identity, server->baseUrl().host());

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    ChatSession session(&nam, nullptr);
    session.setEndpoint(server->baseUrl(), QString::fromLatin1(kApiKey));
    session.setModel(u"test-model"_s);
    ChatClient::Options options;
    options.maxRetries = 3; // allowed, and still never used for a certificate
    options.backoffBaseMs = 10;
    session.setClientOptions(options);
    QSignalSpy finished(&session, &ChatSession::replyFinished);
    QSignalSpy deltas(session.client(), &ChatClient::deltaReceived);
    QSignalSpy retries(&session, &ChatSession::retryScheduled);
    QVERIFY(session.send(u"Hello over TLS?"_s));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    QTest::qWait(200); // anything late would show now

    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    qInfo().noquote() << fault << "->" << result.message;
    QVERIFY2(result.status == ChatResult::Status::NetworkError, qPrintable(QDebug::toString(result)));
    QVERIFY2(result.message.contains(u"certificate"_s, Qt::CaseInsensitive), qPrintable(result.message));
    for (const QString &phrase : phrases)
        QVERIFY2(result.message.contains(phrase), qPrintable(u"“%1” not in: %2"_s.arg(phrase, result.message)));
    QVERIFY2(result.message.contains(server->hostPort()), qPrintable(result.message)); // which server
    QCOMPARE(result.retries, 0);
    QCOMPARE(retries.count(), 0);
    QCOMPARE(finished.count(), 1);
    // Never silently ignored: no token, no text, and no request (with the key) went over it.
    QCOMPARE(deltas.count(), 0);
    QCOMPARE(session.model()->rowCount(), 2);
    QVERIFY(session.model()->message(1).content.isEmpty());
    QCOMPARE(session.model()->message(1).state, Message::State::Failed);
    QCOMPARE(server->requestCount(), 0);
#else
    QSKIP("Qt was built without TLS");
#endif
}

void tst_TlsFaults::sessionControl()
{
    // The same authority, a sound certificate: served. So the refusals above
    // are the faults', not the set-up's.
#if QT_CONFIG(ssl)
    if (!m_noTls.isEmpty())
        QSKIP(qPrintable(m_noTls));
    const std::unique_ptr<SseTestServer> server = serve(*m_sound);
    QVERIFY(server);
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    ChatSession session(&nam, nullptr);
    session.setEndpoint(server->baseUrl(), QString::fromLatin1(kApiKey));
    session.setModel(u"test-model"_s);
    QSignalSpy finished(&session, &ChatSession::replyFinished);
    QVERIFY(session.send(u"Hello over TLS?"_s));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
    const ChatResult result = qvariant_cast<ChatResult>(finished.at(0).at(0));
    QVERIFY2(result.status == ChatResult::Status::Completed, qPrintable(QDebug::toString(result)));
    QCOMPARE(session.model()->message(1).content, u"should never be shown"_s);
    QCOMPARE(server->requestCount(kChatPath), 1);
    QCOMPARE(server->requests().first().header("authorization"), "Bearer " + kApiKey);
#else
    QSKIP("Qt was built without TLS");
#endif
}

void tst_TlsFaults::cli_data()
{
#if QT_CONFIG(ssl)
    addRows();
#endif
}

void tst_TlsFaults::cli()
{
#if QT_CONFIG(ssl)
    if (!m_noTls.isEmpty())
        QSKIP(qPrintable(m_noTls));
    QVERIFY2(QFileInfo(sluiceCliPath()).isExecutable(),
             qPrintable(u"sluice-cli not found at %1; build the sluice-cli target first"_s.arg(sluiceCliPath())));
    QFETCH(QString, fault);
    const TestTls::Identity &identity = identityFor(fault, *m_expired, *m_otherHost, *m_untrusted);
    const std::unique_ptr<SseTestServer> server = serve(identity);
    QVERIFY(server);
    const QStringList phrases = phrasesFor(fault, identity, server->baseUrl().host());

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"http_proxy"_s, u"https_proxy"_s, u"all_proxy"_s, u"no_proxy"_s, u"HTTP_PROXY"_s,
                                u"HTTPS_PROXY"_s, u"ALL_PROXY"_s, u"NO_PROXY"_s, u"QT_LOGGING_RULES"_s})
        env.remove(name);
    env.insert(u"SLUICE_NO_KEYCHAIN"_s, u"1"_s);
    env.insert(u"SLUICE_API_KEY"_s, QString::fromLatin1(kApiKey));
    for (const char *name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
        const QString dir = m_dir->filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(dir);
        env.insert(QString::fromLatin1(name), dir);
    }

    QProcess cli;
    cli.setProgram(sluiceCliPath());
    cli.setProcessEnvironment(env);
    cli.setArguments({u"chat"_s, u"--base-url"_s, server->baseUrl().toString(), u"--model"_s, u"test-model"_s,
                      u"--retries"_s, u"3"_s, u"Hello over TLS?"_s});
    QByteArray out;
    QByteArray err;
    connect(&cli, &QProcess::readyReadStandardOutput, this, [&] { out += cli.readAllStandardOutput(); });
    connect(&cli, &QProcess::readyReadStandardError, this, [&] { err += cli.readAllStandardError(); });
    auto kill = qScopeGuard([&cli] {
        if (cli.state() != QProcess::NotRunning) {
            cli.kill();
            cli.waitForFinished(5'000);
        }
    });
    cli.start();
    QVERIFY(cli.waitForStarted(30'000));
    cli.closeWriteChannel();
    // The event loop runs meanwhile: the server must do its handshake.
    QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, kRunTimeoutMs);
    out += cli.readAllStandardOutput();
    err += cli.readAllStandardError();
    const QString describe = u"exit %1\n--- stdout ---\n%2\n--- stderr ---\n%3"_s.arg(cli.exitCode())
                                 .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    qInfo().noquote() << fault << "->" << QString::fromUtf8(err).trimmed();

    QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == kExitNetworkError, qPrintable(describe));
    QVERIFY2(out.isEmpty(), qPrintable(describe)); // not a token
    const QString message = QString::fromUtf8(err);
    QVERIFY2(message.contains(u"certificate"_s, Qt::CaseInsensitive), qPrintable(describe));
    for (const QString &phrase : phrases)
        QVERIFY2(message.contains(phrase), qPrintable(u"“%1” not in:\n%2"_s.arg(phrase, describe)));
    QVERIFY2(message.contains(server->hostPort()), qPrintable(describe)); // which server
    QVERIFY2(!message.contains(u"retry"_s), qPrintable(describe)); // not retried
    QVERIFY2(message.contains(u"0 retries"_s), qPrintable(describe));
    QVERIFY2(!err.contains(kApiKey), qPrintable(describe));
    QCOMPARE(server->requestCount(), 0);
#else
    QSKIP("Qt was built without TLS");
#endif
}

QTEST_GUILESS_MAIN(tst_TlsFaults)
#include "tst_tlsfaults.moc"
