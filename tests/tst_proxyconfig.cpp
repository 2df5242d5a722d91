// ProxyConfig (the proxy of each mode), UrlPolicy (which hosts may get plain
// http:// without asking) and ConnectionTester (GET {base}/models through the
// chosen proxy) against the local test server.
#include "net/connectiontester.h"
#include "net/proxyconfig.h"
#include "settings/settings.h"

#include "ssetestserver.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;

class tst_ProxyConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void proxyFor_data();
    void proxyFor();
    void proxyForSettings();
    void passwordOnlyInTheSession();
    void applyProxy();

    void localOrPrivate_data();
    void localOrPrivate();
    void insecureConfirmation_data();
    void insecureConfirmation();

    void testerSuccess();
    void testerSendsKey();
    void testerHttpError();
    void testerConnectionRefused();
    void testerTimeout();
    void testerThroughManualProxy();
    void testerNewTestSupersedes();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_qsettings;
};

void tst_ProxyConfig::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_qsettings = std::make_unique<QSettings>(m_dir->filePath(u"sluice.conf"_s), QSettings::IniFormat);
}

void tst_ProxyConfig::proxyFor_data()
{
    QTest::addColumn<Settings::ProxyMode>("mode");
    QTest::addColumn<QNetworkProxy>("manual");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");

    const QNetworkProxy http(QNetworkProxy::HttpProxy, u"proxy.corp"_s, 3128, u"alice"_s);
    QTest::newRow("system: the platform's proxy") << Settings::ProxyMode::System << http
                                                  << int(QNetworkProxy::DefaultProxy) << QString() << 0 << QString();
    QTest::newRow("none: no proxy at all") << Settings::ProxyMode::None << http << int(QNetworkProxy::NoProxy)
                                           << QString() << 0 << QString();
    QTest::newRow("manual HTTP") << Settings::ProxyMode::Manual << http << int(QNetworkProxy::HttpProxy)
                                 << u"proxy.corp"_s << 3128 << u"alice"_s;
    QTest::newRow("manual SOCKS5")
        << Settings::ProxyMode::Manual << QNetworkProxy(QNetworkProxy::Socks5Proxy, u" 10.0.0.9 "_s, 9050)
        << int(QNetworkProxy::Socks5Proxy) << u"10.0.0.9"_s << 9050 << QString();
    QTest::newRow("manual HTTP without port: 8080")
        << Settings::ProxyMode::Manual << QNetworkProxy(QNetworkProxy::HttpProxy, u"p"_s, 0)
        << int(QNetworkProxy::HttpProxy) << u"p"_s << 8080 << QString();
    QTest::newRow("manual SOCKS5 without port: 1080")
        << Settings::ProxyMode::Manual << QNetworkProxy(QNetworkProxy::Socks5Proxy, u"p"_s, 0)
        << int(QNetworkProxy::Socks5Proxy) << u"p"_s << 1080 << QString();
    // Fails closed: a manual proxy without host never turns into "no proxy".
    QTest::newRow("manual without host stays a proxy")
        << Settings::ProxyMode::Manual << QNetworkProxy(QNetworkProxy::HttpProxy, QString(), 0)
        << int(QNetworkProxy::HttpProxy) << QString() << 8080 << QString();
}

void tst_ProxyConfig::proxyFor()
{
    QFETCH(Settings::ProxyMode, mode);
    QFETCH(QNetworkProxy, manual);
    QFETCH(int, type);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);

    const QNetworkProxy proxy = ProxyConfig::proxyFor(mode, manual);
    QCOMPARE(int(proxy.type()), type);
    if (mode != Settings::ProxyMode::Manual)
        return;
    QCOMPARE(proxy.hostName(), host);
    QCOMPARE(int(proxy.port()), port);
    QCOMPARE(proxy.user(), user);
    QVERIFY(proxy.password().isEmpty());
}

void tst_ProxyConfig::proxyForSettings()
{
    Settings settings(m_qsettings.get());
    QCOMPARE(ProxyConfig::proxyFor(settings).type(), QNetworkProxy::DefaultProxy); // the default mode

    settings.setProxyMode(Settings::ProxyMode::None);
    QCOMPARE(ProxyConfig::proxyFor(settings).type(), QNetworkProxy::NoProxy);

    settings.setProxyMode(Settings::ProxyMode::Manual);
    settings.setManualProxy(QNetworkProxy(QNetworkProxy::Socks5Proxy, u"socks.example"_s, 1081, u"bob"_s));
    const QNetworkProxy proxy = ProxyConfig::proxyFor(settings, u"s3cret"_s);
    QCOMPARE(proxy.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(proxy.hostName(), u"socks.example"_s);
    QCOMPARE(proxy.port(), quint16(1081));
    QCOMPARE(proxy.user(), u"bob"_s);
    QCOMPARE(proxy.password(), u"s3cret"_s);
}

void tst_ProxyConfig::passwordOnlyInTheSession()
{
    Settings settings(m_qsettings.get());
    settings.setProxyMode(Settings::ProxyMode::Manual);
    QNetworkProxy withPassword(QNetworkProxy::HttpProxy, u"proxy.corp"_s, 3128, u"alice"_s, u"pw-never-saved"_s);
    settings.setManualProxy(withPassword);
    settings.sync();

    QFile file(m_qsettings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.contains("proxy.corp"));
    QVERIFY(!content.contains("pw-never-saved"));
    // Read back: no password unless the session gives one.
    QVERIFY(ProxyConfig::proxyFor(settings).password().isEmpty());
    QCOMPARE(ProxyConfig::proxyFor(settings, u"pw"_s).password(), u"pw"_s);
    // No user: no password either.
    settings.setManualProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"proxy.corp"_s, 3128));
    QVERIFY(ProxyConfig::proxyFor(settings, u"pw"_s).password().isEmpty());
}

void tst_ProxyConfig::applyProxy()
{
    Settings settings(m_qsettings.get());
    QNetworkAccessManager nam;

    settings.setProxyMode(Settings::ProxyMode::None);
    ProxyConfig::applyProxy(&nam, settings);
    QCOMPARE(nam.proxy().type(), QNetworkProxy::NoProxy);

    settings.setProxyMode(Settings::ProxyMode::Manual);
    settings.setManualProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"proxy.corp"_s, 3128, u"alice"_s));
    ProxyConfig::applyProxy(&nam, settings, u"pw"_s);
    QCOMPARE(nam.proxy().type(), QNetworkProxy::HttpProxy);
    QCOMPARE(nam.proxy().hostName(), u"proxy.corp"_s);
    QCOMPARE(nam.proxy().password(), u"pw"_s);

    QNetworkProxyFactory::setUseSystemConfiguration(false);
    settings.setProxyMode(Settings::ProxyMode::System);
    ProxyConfig::applyProxy(&nam, settings);
    QCOMPARE(nam.proxy().type(), QNetworkProxy::DefaultProxy);
    QVERIFY(QNetworkProxyFactory::usesSystemConfiguration());

    ProxyConfig::applyProxy(nullptr, settings); // harmless
}

void tst_ProxyConfig::localOrPrivate_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("local");

    // Loopback
    QTest::newRow("127.0.0.1") << u"http://127.0.0.1:8080/v1"_s << true;
    QTest::newRow("127.255.255.254") << u"http://127.255.255.254/"_s << true;
    QTest::newRow("::1") << u"http://[::1]:11434/v1"_s << true;
    QTest::newRow("localhost") << u"http://localhost:11434/v1"_s << true;
    QTest::newRow("LOCALHOST.") << u"http://LOCALHOST.:1234/v1"_s << true;
    QTest::newRow("api.localhost") << u"http://api.localhost/v1"_s << true;
    QTest::newRow("0.0.0.0 (this machine)") << u"http://0.0.0.0:11434/v1"_s << true;
    QTest::newRow(":: (this machine)") << u"http://[::]:11434/v1"_s << true;
    // Private ranges
    QTest::newRow("10.0.0.1") << u"http://10.0.0.1/v1"_s << true;
    QTest::newRow("10.255.255.255") << u"http://10.255.255.255/v1"_s << true;
    QTest::newRow("172.16.0.1") << u"http://172.16.0.1/v1"_s << true;
    QTest::newRow("172.31.255.254") << u"http://172.31.255.254/v1"_s << true;
    QTest::newRow("192.168.1.5") << u"http://192.168.1.5:8080/v1"_s << true;
    QTest::newRow("fd12:3456::1 (unique local)") << u"http://[fd12:3456::1]/v1"_s << true;
    QTest::newRow("::ffff:192.168.1.5 (mapped)") << u"http://[::ffff:192.168.1.5]/v1"_s << true;
    QTest::newRow("printer.local (mDNS)") << u"http://gpu-box.local:8080/v1"_s << true;
    QTest::newRow("nas.home.arpa") << u"http://nas.home.arpa/v1"_s << true;
    // Link-local
    QTest::newRow("169.254.10.20") << u"http://169.254.10.20/v1"_s << true;
    QTest::newRow("fe80::1") << u"http://[fe80::1]/v1"_s << true;
    // Public addresses, next to the private ranges
    QTest::newRow("8.8.8.8") << u"http://8.8.8.8/v1"_s << false;
    QTest::newRow("172.15.255.255") << u"http://172.15.255.255/v1"_s << false;
    QTest::newRow("172.32.0.1") << u"http://172.32.0.1/v1"_s << false;
    QTest::newRow("192.169.0.1") << u"http://192.169.0.1/v1"_s << false;
    QTest::newRow("11.0.0.1") << u"http://11.0.0.1/v1"_s << false;
    QTest::newRow("100.64.0.1 (carrier-grade NAT)") << u"http://100.64.0.1/v1"_s << false;
    QTest::newRow("2001:db8::1") << u"http://[2001:db8::1]/v1"_s << false;
    QTest::newRow("2606:4700::1111") << u"http://[2606:4700::1111]/v1"_s << false;
    QTest::newRow("::ffff:8.8.8.8 (mapped)") << u"http://[::ffff:8.8.8.8]/v1"_s << false;
    // Host names other than the local ones could resolve anywhere
    QTest::newRow("api.openai.com") << u"https://api.openai.com/v1"_s << false;
    QTest::newRow("example.com") << u"http://example.com/v1"_s << false;
    QTest::newRow("single label") << u"http://gpu-box:8080/v1"_s << false;
    QTest::newRow("localhost.example.com") << u"http://localhost.example.com/v1"_s << false;
    QTest::newRow("notlocal") << u"http://notlocal/v1"_s << false;
    QTest::newRow("evil-local.com") << u"http://evil.local.com/v1"_s << false;
    QTest::newRow("127.0.0.1.nip.io") << u"http://127.0.0.1.nip.io/v1"_s << false;
    QTest::newRow("no host") << u"http:///v1"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_ProxyConfig::localOrPrivate()
{
    QFETCH(QString, url);
    QFETCH(bool, local);
    QCOMPARE(UrlPolicy::isLocalOrPrivateHost(QUrl(url)), local);
}

void tst_ProxyConfig::insecureConfirmation_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("needed");

    QTest::newRow("https public") << u"https://api.holysheep.ai/v1"_s << false;
    QTest::newRow("https private") << u"https://192.168.1.5/v1"_s << false;
    QTest::newRow("http loopback") << u"http://127.0.0.1:8080/v1"_s << false;
    QTest::newRow("http localhost (Ollama)") << u"http://localhost:11434/v1"_s << false;
    QTest::newRow("http private") << u"http://192.168.1.5/v1"_s << false;
    QTest::newRow("HTTP upper case, private") << u"HTTP://10.1.2.3/v1"_s << false;
    QTest::newRow("http public IP") << u"http://8.8.8.8/v1"_s << true;
    QTest::newRow("http public name") << u"http://api.example.com/v1"_s << true;
    QTest::newRow("HTTP upper case, public") << u"HTTP://api.example.com/v1"_s << true;
}

void tst_ProxyConfig::insecureConfirmation()
{
    QFETCH(QString, url);
    QFETCH(bool, needed);
    QCOMPARE(UrlPolicy::needsInsecureConfirmation(QUrl(url)), needed);
}

// ---- ConnectionTester ----------------------------------------------------------------

namespace {

ConnectionTester::Result waitForResult(ConnectionTester &tester, int timeoutMs = 20'000)
{
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    if (!spy.wait(timeoutMs))
        return {false, -1, u"test: no result"_s};
    return spy.first().first().value<ConnectionTester::Result>();
}

const QNetworkProxy NoProxy(QNetworkProxy::NoProxy);

} // namespace

void tst_ProxyConfig::testerSuccess()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s, SseTestServer::models({u"gpt-a"_s, u"gpt-b"_s, u"gpt-c"_s}));
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    tester.test(server.baseUrl(), QString(), NoProxy);
    QVERIFY(tester.isRunning());
    QVERIFY(spy.isEmpty()); // never from inside test()
    QVERIFY(spy.wait(20'000));
    const auto result = spy.first().first().value<ConnectionTester::Result>();
    QVERIFY(result.ok);
    QCOMPARE(result.modelCount, 3);
    QCOMPARE(result.message, u"Connected — 3 models"_s);
    QVERIFY(!tester.isRunning());
    QCOMPARE(tester.networkAccessManager()->proxy().type(), QNetworkProxy::NoProxy);
    QCOMPARE(ConnectionTester::successMessage(1), u"Connected — 1 model"_s);
}

void tst_ProxyConfig::testerSendsKey()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s, SseTestServer::models({u"m"_s}));
    ConnectionTester tester;
    tester.test(server.baseUrl(), u"sk-test-key"_s, NoProxy);
    QVERIFY(waitForResult(tester).ok);
    QCOMPARE(server.requests(u"/v1/models"_s).size(), 1);
    QCOMPARE(server.requests(u"/v1/models"_s).first().header("authorization"), QByteArray("Bearer sk-test-key"));
}

void tst_ProxyConfig::testerHttpError()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s,
                   SseTestServer::openAiError(401, u"Incorrect API key provided."_s, u"invalid_request_error"_s));
    ConnectionTester tester;
    tester.test(server.baseUrl(), u"sk-wrong"_s, NoProxy);
    const auto result = waitForResult(tester);
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(u"401"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"Incorrect API key provided."_s), qPrintable(result.message));
}

void tst_ProxyConfig::testerConnectionRefused()
{
    // A port that was free a moment ago and has nobody listening.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    ConnectionTester tester;
    tester.test(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port)), QString(), NoProxy);
    const auto result = waitForResult(tester);
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(u"Connection refused"_s, Qt::CaseInsensitive), qPrintable(result.message));
}

void tst_ProxyConfig::testerTimeout()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s, SseTestServer::Response::silent());
    ConnectionTester tester;
    tester.test(server.baseUrl(), QString(), NoProxy, 1000);
    const auto result = waitForResult(tester);
    QVERIFY(!result.ok);
    QCOMPARE(result.message, u"127.0.0.1 did not answer within 1 second."_s);
}

void tst_ProxyConfig::testerThroughManualProxy()
{
    // The test server acts as the HTTP proxy: a plain-http request through a
    // proxy names the whole URL, and the server routes by its path.
    SseTestServer proxyServer;
    QVERIFY(proxyServer.listen());
    proxyServer.enqueue(u"/v1/models"_s, SseTestServer::models({u"via-proxy"_s}));

    QNetworkProxy manual(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, proxyServer.port());
    ConnectionTester tester;
    tester.test(QUrl(u"http://api.sluice-test.invalid/v1"_s), QString(),
                ProxyConfig::proxyFor(Settings::ProxyMode::Manual, manual));
    const auto result = waitForResult(tester);
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.modelCount, 1);
    QCOMPARE(proxyServer.requestCount(u"/v1/models"_s), 1);
    QCOMPARE(proxyServer.requests().first().target, QByteArray("http://api.sluice-test.invalid/v1/models"));

    // The same proxy, gone: the error says so.
    proxyServer.close();
    tester.test(QUrl(u"http://api.sluice-test.invalid/v1"_s), QString(),
                ProxyConfig::proxyFor(Settings::ProxyMode::Manual, manual));
    const auto refused = waitForResult(tester);
    QVERIFY(!refused.ok);
    QVERIFY2(refused.message.contains(u"proxy"_s, Qt::CaseInsensitive), qPrintable(refused.message));
}

void tst_ProxyConfig::testerNewTestSupersedes()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/slow/models"_s, SseTestServer::Response::silent());
    server.enqueue(u"/v1/models"_s, SseTestServer::models({u"m"_s}));
    ConnectionTester tester;
    QSignalSpy spy(&tester, &ConnectionTester::finished);
    tester.test(server.url(u"/slow"_s), QString(), NoProxy);
    tester.test(server.baseUrl(), QString(), NoProxy);
    QVERIFY(spy.wait(20'000));
    QTest::qWait(100);
    QCOMPARE(spy.size(), 1);
    QVERIFY(spy.first().first().value<ConnectionTester::Result>().ok);

    tester.test(server.url(u"/slow"_s), QString(), NoProxy);
    tester.cancel();
    QVERIFY(!tester.isRunning());
    QTest::qWait(200);
    QCOMPARE(spy.size(), 1);
}

QTEST_GUILESS_MAIN(tst_ProxyConfig)
#include "tst_proxyconfig.moc"
