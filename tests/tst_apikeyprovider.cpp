// ApiKeyProvider: SLUICE_API_KEY wins and is never persisted; otherwise the
// key comes from the SecretStore under SecretStore::accountFor(baseUrl).
#include "secrets/memorysecretstore.h"
#include "settings/apikeyprovider.h"

#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;

class tst_ApiKeyProvider : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fromStore();
    void sameEndpointWrittenDifferently_data();
    void sameEndpointWrittenDifferently();
    void environmentWins_data();
    void environmentWins();
    void environmentIsNeverStored();
    void noStore();

private:
    SecretStore::Result wait(const std::function<void(SecretStore::Callback)> &operation);
};

SecretStore::Result tst_ApiKeyProvider::wait(const std::function<void(SecretStore::Callback)> &operation)
{
    std::optional<SecretStore::Result> result;
    operation([&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000))
        return {false, {}, SecretStore::Error::Other, u"no callback"_s};
    return *result;
}

void tst_ApiKeyProvider::init()
{
    qunsetenv(ApiKeyProvider::environmentVariable());
}

void tst_ApiKeyProvider::cleanup()
{
    qunsetenv(ApiKeyProvider::environmentVariable());
}

void tst_ApiKeyProvider::fromStore()
{
    MemorySecretStore store;
    ApiKeyProvider keys(&store);
    QCOMPARE(keys.store(), &store);
    const QUrl url(u"https://api.example.com/v1"_s);
    QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(url, this, cb); }).error, SecretStore::Error::NotFound);

    QVERIFY(wait([&](SecretStore::Callback cb) { keys.writeKey(url, u"  sk-typed \n"_s, this, cb); }).ok);
    const auto r = wait([&](SecretStore::Callback cb) { keys.readKey(url, this, cb); });
    QVERIFY(r.ok);
    QCOMPARE(r.secret, u"sk-typed"_s); // pasted whitespace trimmed
    // Stored under the account of the endpoint.
    QCOMPARE(wait([&](SecretStore::Callback cb) {
                 store.readKey(u"https://api.example.com/v1"_s, this, cb);
             }).secret,
             u"sk-typed"_s);

    QVERIFY(wait([&](SecretStore::Callback cb) { keys.deleteKey(url, this, cb); }).ok);
    QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(url, this, cb); }).error, SecretStore::Error::NotFound);
}

void tst_ApiKeyProvider::sameEndpointWrittenDifferently_data()
{
    QTest::addColumn<QUrl>("variant");
    QTest::newRow("trailing slash") << QUrl(u"https://api.example.com/v1/"_s);
    QTest::newRow("user info") << QUrl(u"https://me:pw@api.example.com/v1"_s);
    QTest::newRow("key in query") << QUrl(u"https://api.example.com/v1?key=x"_s);
    QTest::newRow("upper-case host") << QUrl(u"https://API.EXAMPLE.COM/v1"_s);
}

void tst_ApiKeyProvider::sameEndpointWrittenDifferently()
{
    QFETCH(QUrl, variant);
    MemorySecretStore store;
    ApiKeyProvider keys(&store);
    QVERIFY(wait([&](SecretStore::Callback cb) {
                keys.writeKey(QUrl(u"https://api.example.com/v1"_s), u"sk-1"_s, this, cb);
            }).ok);
    QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(variant, this, cb); }).secret, u"sk-1"_s);
}

void tst_ApiKeyProvider::environmentWins_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected"); // empty: the stored key is used
    QTest::newRow("set") << QByteArray("sk-env") << u"sk-env"_s;
    QTest::newRow("whitespace trimmed") << QByteArray("  sk-env\n") << u"sk-env"_s;
    QTest::newRow("empty is unset") << QByteArray("") << QString();
    QTest::newRow("blank is unset") << QByteArray("   ") << QString();
}

void tst_ApiKeyProvider::environmentWins()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    qputenv(ApiKeyProvider::environmentVariable(), value);
    QCOMPARE(ApiKeyProvider::hasEnvironmentKey(), !expected.isEmpty());

    MemorySecretStore store;
    ApiKeyProvider keys(&store);
    const QUrl url(u"https://api.example.com/v1"_s);
    QVERIFY(wait([&](SecretStore::Callback cb) { keys.writeKey(url, u"sk-stored"_s, this, cb); }).ok);

    bool calledAtOnce = false;
    std::optional<SecretStore::Result> result;
    keys.readKey(url, this, [&](const SecretStore::Result &r) {
        result = r;
        calledAtOnce = true;
    });
    QVERIFY(!calledAtOnce); // queued, like the store
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok);
    QCOMPARE(result->secret, expected.isEmpty() ? u"sk-stored"_s : expected);
    // Any endpoint.
    if (!expected.isEmpty())
        QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(QUrl(u"http://other/v1"_s), this, cb); }).secret,
                 expected);
}

void tst_ApiKeyProvider::environmentIsNeverStored()
{
    qputenv(ApiKeyProvider::environmentVariable(), "sk-from-env");
    MemorySecretStore store;
    ApiKeyProvider keys(&store);
    const QUrl url(u"https://api.example.com/v1"_s);
    QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(url, this, cb); }).secret, u"sk-from-env"_s);
    // The store never saw it.
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(SecretStore::accountFor(url), this, cb); }).error,
             SecretStore::Error::NotFound);
    // Once unset, nothing is left.
    qunsetenv(ApiKeyProvider::environmentVariable());
    QCOMPARE(wait([&](SecretStore::Callback cb) { keys.readKey(url, this, cb); }).error, SecretStore::Error::NotFound);
}

void tst_ApiKeyProvider::noStore()
{
    ApiKeyProvider keys;
    QTest::ignoreMessage(QtWarningMsg, "ApiKeyProvider: no SecretStore set");
    const auto r = wait([&](SecretStore::Callback cb) { keys.readKey(QUrl(u"https://a/v1"_s), this, cb); });
    QVERIFY(!r.ok);
    QCOMPARE(r.error, SecretStore::Error::NoBackend);
    QCOMPARE(r.errorText, SecretStore::noBackendMessage());

    // A store that goes away is noticed.
    auto *store = new MemorySecretStore;
    keys.setStore(store);
    delete store;
    QCOMPARE(keys.store(), nullptr);
}

QTEST_GUILESS_MAIN(tst_ApiKeyProvider)
#include "tst_apikeyprovider.moc"
