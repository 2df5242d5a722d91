// Settings: defaults, round trips, clamping, the base URL never keeping a
// secret, the pricing merge, and where the file lives.
#include "settings/settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::optional<double>)
Q_DECLARE_METATYPE(std::optional<int>)

class tst_Settings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void defaults();
    void defaultLocation();
    void roundTrips();
    void emptyValuesReset();
    void timeouts_data();
    void timeouts();
    void retries_data();
    void retries();
    void temperature_data();
    void temperature();
    void maxTokens_data();
    void maxTokens();
    void handEditedValues_data();
    void handEditedValues();
    void baseUrlSanitized_data();
    void baseUrlSanitized();
    void baseUrlRejected_data();
    void baseUrlRejected();
    void manualProxy_data();
    void manualProxy();
    void pricingMerge();
    void pricingHandEdited();
    void cachedModelsPerEndpoint();
    void demoMode();
    void insecureHttpConfirmation_data();
    void insecureHttpConfirmation();
    void insecureHttpConfirmationHandEdited();
    void fileNeverContainsASecret();

private:
    QByteArray fileContents();

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_qsettings;
};

void tst_Settings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Before any QSettings exists: Qt reads the location once per process.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(u"config"_s)));
    QCoreApplication::setOrganizationName(u"Sluice"_s);
    QCoreApplication::setApplicationName(u"Sluice"_s);
}

void tst_Settings::init()
{
    // A fresh file for every test (and every data row).
    const QString path = m_dir.filePath(u"%1-%2.conf"_s.arg(QString::fromLatin1(QTest::currentTestFunction()),
                                                            QString::number(QRandomGenerator::global()->generate())));
    m_qsettings = std::make_unique<QSettings>(path, QSettings::IniFormat);
}

void tst_Settings::cleanup()
{
    m_qsettings.reset();
}

QByteArray tst_Settings::fileContents()
{
    m_qsettings->sync();
    QFile file(m_qsettings->fileName());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void tst_Settings::defaults()
{
    const Settings s(m_qsettings.get());
    QCOMPARE(s.baseUrl(), QUrl(u"https://api.holysheep.ai/v1"_s));
    QCOMPARE(Settings::defaultBaseUrl(), QUrl(u"https://api.holysheep.ai/v1"_s));
    QCOMPARE(s.model(), u"gpt-4o"_s);
    QCOMPARE(Settings::defaultModels(), (QStringList{u"gpt-4o"_s, u"gpt-4.1"_s, u"claude-sonnet-4.5"_s,
                                                     u"gemini-2.5-flash"_s, u"deepseek-v3.2"_s}));
    QVERIFY(s.systemPrompt().isEmpty());
    QCOMPARE(s.temperature(), std::nullopt);
    QCOMPARE(s.maxTokens(), std::nullopt);
    QCOMPARE(s.connectTimeoutSeconds(), 10);
    QCOMPARE(s.idleTimeoutSeconds(), 120);
    QCOMPARE(s.retries(), 3);
    QCOMPARE(s.proxyMode(), Settings::ProxyMode::System);
    QCOMPARE(s.theme(), Settings::Theme::System);
    QCOMPARE(s.pricing().prices(), Pricing::defaults().prices());
    QVERIFY(s.cachedModels(Settings::defaultBaseUrl()).isEmpty());
    QVERIFY(s.demoMode());
    QVERIFY(!s.isDemoModeSet());
    // Reading defaults writes nothing.
    QVERIFY(m_qsettings->allKeys().isEmpty());
}

void tst_Settings::defaultLocation()
{
    // The app's names, XDG_CONFIG_HOME honoured: $XDG_CONFIG_HOME/Sluice/Sluice.conf.
    Settings s;
    s.setModel(u"gpt-4.1"_s);
    s.sync();
    const QString expected = m_dir.filePath(u"config/Sluice/Sluice.conf"_s);
    QCOMPARE(QDir::cleanPath(s.fileName()), QDir::cleanPath(expected));
    QVERIFY(QFile::exists(expected));
    QCOMPARE(Settings().model(), u"gpt-4.1"_s);
}

void tst_Settings::roundTrips()
{
    {
        Settings s(m_qsettings.get());
        s.setBaseUrl(QUrl(u"http://127.0.0.1:8080/v1"_s));
        s.setModel(u"  deepseek-v3.2 "_s);
        s.setSystemPrompt(u"Be brief.\nAnswer in English; \"quote\" = ok, tab\there."_s);
        s.setTemperature(0.7);
        s.setMaxTokens(2048);
        s.setConnectTimeoutSeconds(5);
        s.setIdleTimeoutSeconds(300);
        s.setRetries(0);
        s.setProxyMode(Settings::ProxyMode::Manual);
        s.setTheme(Settings::Theme::Dark);
        s.setDemoMode(false);
        s.sync();
    }
    // Through the file, with a new QSettings.
    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    const Settings s(&reread);
    QCOMPARE(s.baseUrl(), QUrl(u"http://127.0.0.1:8080/v1"_s));
    QCOMPARE(s.model(), u"deepseek-v3.2"_s);
    QCOMPARE(s.systemPrompt(), u"Be brief.\nAnswer in English; \"quote\" = ok, tab\there."_s);
    QCOMPARE(s.temperature(), std::optional<double>(0.7));
    QCOMPARE(s.maxTokens(), std::optional<int>(2048));
    QCOMPARE(s.connectTimeoutSeconds(), 5);
    QCOMPARE(s.idleTimeoutSeconds(), 300);
    QCOMPARE(s.retries(), 0);
    QCOMPARE(s.proxyMode(), Settings::ProxyMode::Manual);
    QCOMPARE(s.theme(), Settings::Theme::Dark);
    QVERIFY(!s.demoMode());
    QVERIFY(s.isDemoModeSet());

    // Grouped keys.
    const QStringList keys = reread.allKeys();
    for (const QString &key : {u"network/baseUrl"_s, u"chat/model"_s, u"chat/temperature"_s, u"chat/maxTokens"_s,
                               u"network/connectTimeoutSeconds"_s, u"proxy/mode"_s, u"ui/theme"_s})
        QVERIFY2(keys.contains(key), qPrintable(key));
}

void tst_Settings::emptyValuesReset()
{
    Settings s(m_qsettings.get());
    s.setBaseUrl(QUrl(u"https://example.com/v1"_s));
    s.setModel(u"x"_s);
    s.setSystemPrompt(u"y"_s);
    s.setTemperature(1.0);
    s.setMaxTokens(10);
    s.setBaseUrl(QUrl());
    s.setModel(u"  "_s);
    s.setSystemPrompt(QString());
    s.setTemperature(std::nullopt);
    s.setMaxTokens(std::nullopt);
    QCOMPARE(s.baseUrl(), Settings::defaultBaseUrl());
    QCOMPARE(s.model(), u"gpt-4o"_s);
    QVERIFY(s.systemPrompt().isEmpty());
    QCOMPARE(s.temperature(), std::nullopt);
    QCOMPARE(s.maxTokens(), std::nullopt);
    QVERIFY(m_qsettings->allKeys().isEmpty());
}

void tst_Settings::timeouts_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("expected");
    QTest::newRow("in range") << 30 << 30;
    QTest::newRow("lowest") << 1 << 1;
    QTest::newRow("highest") << 3600 << 3600;
    QTest::newRow("zero") << 0 << 1;
    QTest::newRow("negative") << -5 << 1;
    QTest::newRow("too long") << 3601 << 3600;
    QTest::newRow("int max") << std::numeric_limits<int>::max() << 3600;
}

void tst_Settings::timeouts()
{
    QFETCH(int, input);
    QFETCH(int, expected);
    Settings s(m_qsettings.get());
    s.setConnectTimeoutSeconds(input);
    s.setIdleTimeoutSeconds(input);
    QCOMPARE(s.connectTimeoutSeconds(), expected);
    QCOMPARE(s.idleTimeoutSeconds(), expected);
}

void tst_Settings::retries_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("expected");
    QTest::newRow("none") << 0 << 0;
    QTest::newRow("some") << 5 << 5;
    QTest::newRow("most") << 10 << 10;
    QTest::newRow("too many") << 11 << 10;
    QTest::newRow("negative") << -1 << 0;
}

void tst_Settings::retries()
{
    QFETCH(int, input);
    QFETCH(int, expected);
    Settings s(m_qsettings.get());
    s.setRetries(input);
    QCOMPARE(s.retries(), expected);
}

void tst_Settings::temperature_data()
{
    QTest::addColumn<std::optional<double>>("input");
    QTest::addColumn<std::optional<double>>("expected");
    QTest::newRow("unset") << std::optional<double>() << std::optional<double>();
    QTest::newRow("zero") << std::optional<double>(0.0) << std::optional<double>(0.0);
    QTest::newRow("fraction") << std::optional<double>(0.35) << std::optional<double>(0.35);
    QTest::newRow("two") << std::optional<double>(2.0) << std::optional<double>(2.0);
    QTest::newRow("too hot") << std::optional<double>(2.5) << std::optional<double>(2.0);
    QTest::newRow("negative") << std::optional<double>(-0.1) << std::optional<double>(0.0);
    QTest::newRow("NaN means unset") << std::optional<double>(std::nan("")) << std::optional<double>();
    QTest::newRow("infinity means unset") << std::optional<double>(std::numeric_limits<double>::infinity())
                                          << std::optional<double>();
}

void tst_Settings::temperature()
{
    QFETCH(std::optional<double>, input);
    QFETCH(std::optional<double>, expected);
    Settings s(m_qsettings.get());
    s.setTemperature(input);
    QCOMPARE(s.temperature(), expected);
    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    m_qsettings->sync();
    QCOMPARE(Settings(&reread).temperature(), expected);
}

void tst_Settings::maxTokens_data()
{
    QTest::addColumn<std::optional<int>>("input");
    QTest::addColumn<std::optional<int>>("expected");
    QTest::newRow("unset") << std::optional<int>() << std::optional<int>();
    QTest::newRow("one") << std::optional<int>(1) << std::optional<int>(1);
    QTest::newRow("typical") << std::optional<int>(4096) << std::optional<int>(4096);
    QTest::newRow("a million") << std::optional<int>(1'000'000) << std::optional<int>(1'000'000);
    QTest::newRow("too many") << std::optional<int>(1'000'001) << std::optional<int>(1'000'000);
    QTest::newRow("zero") << std::optional<int>(0) << std::optional<int>(1);
    QTest::newRow("negative") << std::optional<int>(-7) << std::optional<int>(1);
}

void tst_Settings::maxTokens()
{
    QFETCH(std::optional<int>, input);
    QFETCH(std::optional<int>, expected);
    Settings s(m_qsettings.get());
    s.setMaxTokens(input);
    QCOMPARE(s.maxTokens(), expected);
}

void tst_Settings::handEditedValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");

    QTest::newRow("timeout too long") << u"network/connectTimeoutSeconds"_s << u"99999"_s;
    QTest::newRow("timeout garbage") << u"network/idleTimeoutSeconds"_s << u"soon"_s;
    QTest::newRow("retries negative") << u"network/retries"_s << u"-3"_s;
    QTest::newRow("temperature garbage") << u"chat/temperature"_s << u"warm"_s;
    QTest::newRow("temperature too hot") << u"chat/temperature"_s << u"9"_s;
    QTest::newRow("max tokens garbage") << u"chat/maxTokens"_s << u"lots"_s;
    QTest::newRow("theme unknown") << u"ui/theme"_s << u"neon"_s;
    QTest::newRow("proxy mode unknown") << u"proxy/mode"_s << u"tor"_s;
    QTest::newRow("base URL not http") << u"network/baseUrl"_s << u"ftp://example.com/v1"_s;
    QTest::newRow("base URL with a key") << u"network/baseUrl"_s << u"https://me:sk-x@example.com/v1?key=sk-y"_s;
}

// A file edited by hand never yields a value out of range.
void tst_Settings::handEditedValues()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    m_qsettings->setValue(key, value);
    const Settings s(m_qsettings.get());

    QVERIFY(s.connectTimeoutSeconds() >= 1 && s.connectTimeoutSeconds() <= 3600);
    QVERIFY(s.idleTimeoutSeconds() >= 1 && s.idleTimeoutSeconds() <= 3600);
    QVERIFY(s.retries() >= 0 && s.retries() <= 10);
    if (const auto t = s.temperature())
        QVERIFY(*t >= 0 && *t <= 2);
    if (const auto m = s.maxTokens())
        QVERIFY(*m >= 1 && *m <= 1'000'000);
    QVERIFY(Settings::isUsableBaseUrl(s.baseUrl()));
    QVERIFY(s.baseUrl().userInfo().isEmpty());
    QVERIFY(!s.baseUrl().toString().contains(u"sk-"_s));

    if (key == u"network/idleTimeoutSeconds")
        QCOMPARE(s.idleTimeoutSeconds(), 120);
    if (key == u"chat/temperature" && value == u"warm")
        QCOMPARE(s.temperature(), std::nullopt);
    if (key == u"ui/theme")
        QCOMPARE(s.theme(), Settings::Theme::System);
    if (key == u"proxy/mode")
        QCOMPARE(s.proxyMode(), Settings::ProxyMode::System);
    if (value.startsWith(u"ftp"))
        QCOMPARE(s.baseUrl(), Settings::defaultBaseUrl());
    if (value.contains(u"sk-"))
        QCOMPARE(s.baseUrl(), QUrl(u"https://example.com/v1"_s));
}

void tst_Settings::baseUrlSanitized_data()
{
    QTest::addColumn<QUrl>("input");
    QTest::addColumn<QUrl>("stored");

    QTest::newRow("clean") << QUrl(u"https://api.example.com/v1"_s) << QUrl(u"https://api.example.com/v1"_s);
    QTest::newRow("user and password") << QUrl(u"https://alice:sk-pass@api.example.com/v1"_s)
                                       << QUrl(u"https://api.example.com/v1"_s);
    QTest::newRow("user only") << QUrl(u"https://sk-token@api.example.com/v1"_s)
                               << QUrl(u"https://api.example.com/v1"_s);
    QTest::newRow("key query item") << QUrl(u"https://api.example.com/v1?key=sk-1"_s)
                                    << QUrl(u"https://api.example.com/v1"_s);
    QTest::newRow("api_key among others") << QUrl(u"https://api.example.com/v1?api-version=2024-06-01&api_key=sk-2"_s)
                                          << QUrl(u"https://api.example.com/v1?api-version=2024-06-01"_s);
    QTest::newRow("token, any case, repeated") << QUrl(u"https://api.example.com/v1?Token=a&x=1&TOKEN=b"_s)
                                               << QUrl(u"https://api.example.com/v1?x=1"_s);
    QTest::newRow("api-key and apikey") << QUrl(u"https://h.example/v1?api-key=a&apikey=b&access_token=c"_s)
                                        << QUrl(u"https://h.example/v1"_s);
    QTest::newRow("encoded name") << QUrl(u"https://h.example/v1?api%5Fkey=sk-3"_s) << QUrl(u"https://h.example/v1"_s);
    QTest::newRow("fragment") << QUrl(u"https://h.example/v1#key=sk-4"_s) << QUrl(u"https://h.example/v1"_s);
    QTest::newRow("keys that only look alike stay") << QUrl(u"https://h.example/v1?monkey=1&tokens=2"_s)
                                                    << QUrl(u"https://h.example/v1?monkey=1&tokens=2"_s);
    QTest::newRow("port and path") << QUrl(u"http://u:p@localhost:11434/api/v1/"_s)
                                   << QUrl(u"http://localhost:11434/api/v1/"_s);
}

void tst_Settings::baseUrlSanitized()
{
    QFETCH(QUrl, input);
    QFETCH(QUrl, stored);
    QCOMPARE(Settings::sanitizedBaseUrl(input), stored);
    Settings s(m_qsettings.get());
    s.setBaseUrl(input);
    QCOMPARE(s.baseUrl(), stored);
    const QByteArray file = fileContents();
    QVERIFY(!file.contains("sk-"));
    QVERIFY(!file.contains("alice"));
}

void tst_Settings::baseUrlRejected_data()
{
    QTest::addColumn<QUrl>("input");
    QTest::newRow("ftp") << QUrl(u"ftp://example.com/v1"_s);
    QTest::newRow("file") << QUrl(u"file:///etc/passwd"_s);
    QTest::newRow("no host") << QUrl(u"https:///v1"_s);
    QTest::newRow("relative") << QUrl(u"v1/chat"_s);
    QTest::newRow("invalid") << QUrl(u"http://exa mple.com"_s, QUrl::StrictMode);
}

void tst_Settings::baseUrlRejected()
{
    QFETCH(QUrl, input);
    Settings s(m_qsettings.get());
    s.setBaseUrl(QUrl(u"https://kept.example.com/v1"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ignoring a base URL"_s));
    s.setBaseUrl(input);
    QCOMPARE(s.baseUrl(), QUrl(u"https://kept.example.com/v1"_s));
}

void tst_Settings::manualProxy_data()
{
    QTest::addColumn<QNetworkProxy>("proxy");
    QTest::addColumn<QNetworkProxy::ProxyType>("expectedType");
    QTest::newRow("http with user") << QNetworkProxy(QNetworkProxy::HttpProxy, u"proxy.lan"_s, 3128, u"bob"_s,
                                                     u"sk-proxy-password"_s)
                                    << QNetworkProxy::HttpProxy;
    QTest::newRow("socks5") << QNetworkProxy(QNetworkProxy::Socks5Proxy, u"127.0.0.1"_s, 1080)
                            << QNetworkProxy::Socks5Proxy;
    QTest::newRow("other types become http") << QNetworkProxy(QNetworkProxy::HttpCachingProxy, u"cache.lan"_s, 8080)
                                             << QNetworkProxy::HttpProxy;
}

void tst_Settings::manualProxy()
{
    QFETCH(QNetworkProxy, proxy);
    QFETCH(QNetworkProxy::ProxyType, expectedType);
    Settings s(m_qsettings.get());
    s.setProxyMode(Settings::ProxyMode::Manual);
    s.setManualProxy(proxy);

    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    m_qsettings->sync();
    const QNetworkProxy back = Settings(&reread).manualProxy();
    QCOMPARE(back.type(), expectedType);
    QCOMPARE(back.hostName(), proxy.hostName());
    QCOMPARE(back.port(), proxy.port());
    QCOMPARE(back.user(), proxy.user());
    QVERIFY(back.password().isEmpty());
    QCOMPARE(Settings(&reread).proxyMode(), Settings::ProxyMode::Manual);
    QVERIFY(!fileContents().contains("sk-proxy-password"));
}

void tst_Settings::pricingMerge()
{
    Settings s(m_qsettings.get());
    Pricing edited = Pricing::defaults();
    edited.set(u"gpt-4o"_s, {3.0, 12.0});           // a changed price
    edited.set(u"my-local-model"_s, {0.0, 0.0});     // a new model
    edited.set(u"vendor/special"_s, {1.25, 5.5});
    edited.remove(u"deepseek-chat"_s);               // a removed shipped model
    s.setPricing(edited);

    QCOMPARE(s.pricing().prices(), edited.prices());

    // Only the differences are stored.
    const QString text = m_qsettings->value(u"pricing/edits"_s).toString();
    QVERIFY(text.contains(u"gpt-4o\t3\t12"_s));
    QVERIFY(text.contains(u"my-local-model"_s));
    QVERIFY(!text.contains(u"gemini-2.5-pro"_s));
    QCOMPARE(m_qsettings->value(u"pricing/removed"_s).toStringList(), QStringList{u"deepseek-chat"_s});

    // Through the file.
    m_qsettings->sync();
    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    QCOMPARE(Settings(&reread).pricing().prices(), edited.prices());

    // Setting the defaults stores nothing; reset goes back to them.
    s.setPricing(Pricing::defaults());
    QVERIFY(!m_qsettings->contains(u"pricing/edits"_s));
    QVERIFY(!m_qsettings->contains(u"pricing/removed"_s));
    s.setPricing(edited);
    s.resetPricing();
    QCOMPARE(s.pricing().prices(), Pricing::defaults().prices());
}

void tst_Settings::pricingHandEdited()
{
    // Broken lines are skipped; good ones apply over the defaults.
    m_qsettings->setValue(u"pricing/edits"_s, u"gpt-4o 9 9\nnonsense\nnew-model\t1\t2\n# comment"_s);
    const Pricing p = Settings(m_qsettings.get()).pricing();
    QCOMPARE(p.priceFor(u"gpt-4o"_s), std::optional<Pricing::Price>(Pricing::Price{9, 9}));
    QCOMPARE(p.priceFor(u"new-model"_s), std::optional<Pricing::Price>(Pricing::Price{1, 2}));
    QCOMPARE(p.priceFor(u"gpt-4.1"_s), Pricing::defaults().priceFor(u"gpt-4.1"_s));
}

void tst_Settings::cachedModelsPerEndpoint()
{
    Settings s(m_qsettings.get());
    const QUrl a(u"https://api.example.com/v1"_s);
    const QUrl b(u"http://localhost:11434/v1"_s);
    s.setCachedModels(a, {u"gpt-4o"_s, u"gpt-4.1"_s});
    s.setCachedModels(b, {u"llama3:8b"_s});
    QCOMPARE(s.cachedModels(a), (QStringList{u"gpt-4o"_s, u"gpt-4.1"_s}));
    QCOMPARE(s.cachedModels(b), QStringList{u"llama3:8b"_s});
    // The same endpoint written differently.
    QCOMPARE(s.cachedModels(QUrl(u"https://me:sk-x@api.example.com/v1/"_s)), s.cachedModels(a));
    QVERIFY(s.cachedModels(QUrl(u"https://api.example.com/v2"_s)).isEmpty());

    m_qsettings->sync();
    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    QCOMPARE(Settings(&reread).cachedModels(a), (QStringList{u"gpt-4o"_s, u"gpt-4.1"_s}));
    QCOMPARE(Settings(&reread).cachedModels(b), QStringList{u"llama3:8b"_s});

    s.setCachedModels(a, {});
    QVERIFY(s.cachedModels(a).isEmpty());
    QCOMPARE(s.cachedModels(b), QStringList{u"llama3:8b"_s});
}

void tst_Settings::demoMode()
{
    Settings s(m_qsettings.get());
    QVERIFY(s.demoMode());
    QVERIFY(!s.isDemoModeSet());
    s.setDemoMode(false);
    QVERIFY(!s.demoMode());
    QVERIFY(s.isDemoModeSet());
    s.setDemoMode(true);
    QVERIFY(s.demoMode());
}

void tst_Settings::insecureHttpConfirmation_data()
{
    QTest::addColumn<QString>("confirmed");
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<bool>("expected");
    const QString host = u"llm.example.com"_s;
    QTest::newRow("that host") << host << QUrl(u"http://llm.example.com/v1"_s) << true;
    QTest::newRow("another port and path") << host << QUrl(u"http://llm.example.com:8000/api"_s) << true;
    QTest::newRow("upper case") << host << QUrl(u"http://LLM.Example.COM/v1"_s) << true;
    QTest::newRow("stored in upper case") << u" LLM.example.com "_s << QUrl(u"http://llm.example.com/v1"_s) << true;
    QTest::newRow("another host") << host << QUrl(u"http://other.example.com/v1"_s) << false;
    QTest::newRow("a sub-domain") << host << QUrl(u"http://evil.llm.example.com/v1"_s) << false;
    QTest::newRow("a longer name") << host << QUrl(u"http://llm.example.com.evil.net/v1"_s) << false;
    QTest::newRow("https is not what was confirmed") << host << QUrl(u"https://llm.example.com/v1"_s) << false;
    QTest::newRow("nothing confirmed") << QString() << QUrl(u"http://llm.example.com/v1"_s) << false;
    QTest::newRow("nothing confirmed, no host") << QString() << QUrl(u"http:///v1"_s) << false;
    QTest::newRow("an IP") << u"203.0.113.7"_s << QUrl(u"http://203.0.113.7:8080/v1"_s) << true;
}

void tst_Settings::insecureHttpConfirmation()
{
    QFETCH(QString, confirmed);
    QFETCH(QUrl, url);
    QFETCH(bool, expected);
    Settings s(m_qsettings.get());
    QVERIFY(s.insecureHttpConfirmedHost().isEmpty()); // none by default
    s.setInsecureHttpConfirmedHost(confirmed);
    QCOMPARE(s.insecureHttpConfirmedHost(), confirmed.trimmed().toLower());
    QCOMPARE(s.isInsecureHttpConfirmed(url), expected);

    // It survives a restart, and an empty host forgets it.
    m_qsettings->sync();
    QSettings reread(m_qsettings->fileName(), QSettings::IniFormat);
    QCOMPARE(Settings(&reread).isInsecureHttpConfirmed(url), expected);
    s.setInsecureHttpConfirmedHost(QString());
    QVERIFY(!s.isInsecureHttpConfirmed(url));
    QVERIFY(!m_qsettings->contains(u"network/insecureHttpConfirmedHost"_s));
}

void tst_Settings::insecureHttpConfirmationHandEdited()
{
    // A base URL typed into the file is just a URL: it carries no confirmation.
    {
        QFile file(m_qsettings->fileName());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("[network]\nbaseUrl=http://llm.example.com/v1\n");
    }
    QSettings edited(m_qsettings->fileName(), QSettings::IniFormat);
    Settings s(&edited);
    QCOMPARE(s.baseUrl(), QUrl(u"http://llm.example.com/v1"_s));
    QVERIFY(s.insecureHttpConfirmedHost().isEmpty());
    QVERIFY(!s.isInsecureHttpConfirmed(s.baseUrl()));
}

void tst_Settings::fileNeverContainsASecret()
{
    Settings s(m_qsettings.get());
    s.setBaseUrl(QUrl(u"https://alice:sk-userinfo-1@api.example.com/v1?api_key=sk-query-2&api-version=7#sk-frag-3"_s));
    s.setManualProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"proxy.lan"_s, 3128, u"bob"_s, u"sk-proxy-4"_s));
    s.setCachedModels(QUrl(u"https://carol:sk-userinfo-5@api.example.com/v1?token=sk-query-6"_s), {u"m"_s});
    s.sync();

    const QByteArray file = fileContents();
    QVERIFY(!file.isEmpty());
    for (const char *secret : {"sk-userinfo-1", "sk-query-2", "sk-frag-3", "sk-proxy-4", "sk-userinfo-5",
                               "sk-query-6", "alice", "carol"})
        QVERIFY2(!file.contains(secret), secret);
    QVERIFY(file.contains("api-version=7"));
    QVERIFY(file.contains("bob"));
}

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
