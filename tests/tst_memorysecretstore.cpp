// MemorySecretStore: the session-only fallback behaves like the keychain
// (queued callbacks, call order, context guard) and never persists.
#include "secrets/memorysecretstore.h"

#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;

class tst_MemorySecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void basics();
    void roundTrip();
    void callbacksAreQueuedAndOrdered();
    void contextGuardsCallback();
    void noContextStillAnswers();
    void simulatedErrors_data();
    void simulatedErrors();
    void forgottenWithTheStore();

private:
    SecretStore::Result wait(const std::function<void(SecretStore::Callback)> &operation);
};

SecretStore::Result tst_MemorySecretStore::wait(const std::function<void(SecretStore::Callback)> &operation)
{
    std::optional<SecretStore::Result> result;
    operation([&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000))
        return {false, {}, SecretStore::Error::Other, u"no callback"_s};
    return *result;
}

void tst_MemorySecretStore::basics()
{
    MemorySecretStore store;
    QVERIFY(!store.isPersistent());
    QCOMPARE(store.backendName(), u"memory (this session only)"_s);
}

void tst_MemorySecretStore::roundTrip()
{
    MemorySecretStore store;
    const QString account = u"https://api.example.com/v1"_s;
    auto r = wait([&](SecretStore::Callback cb) { store.readKey(account, this, cb); });
    QVERIFY(!r.ok);
    QCOMPARE(r.error, SecretStore::Error::NotFound);
    QVERIFY(!r.errorText.isEmpty());

    QVERIFY(wait([&](SecretStore::Callback cb) { store.writeKey(account, u"sk-1"_s, this, cb); }).ok);
    r = wait([&](SecretStore::Callback cb) { store.readKey(account, this, cb); });
    QVERIFY(r.ok);
    QCOMPARE(r.secret, u"sk-1"_s);
    QCOMPARE(r.error, SecretStore::Error::None);

    QVERIFY(wait([&](SecretStore::Callback cb) { store.writeKey(account, u"sk-2"_s, this, cb); }).ok);
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(account, this, cb); }).secret, u"sk-2"_s);
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(u"https://other/v1"_s, this, cb); }).error,
             SecretStore::Error::NotFound);

    QVERIFY(wait([&](SecretStore::Callback cb) { store.deleteKey(account, this, cb); }).ok);
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(account, this, cb); }).error,
             SecretStore::Error::NotFound);
    // Deleting nothing succeeds, as in the keychain.
    QVERIFY(wait([&](SecretStore::Callback cb) { store.deleteKey(account, this, cb); }).ok);
}

void tst_MemorySecretStore::callbacksAreQueuedAndOrdered()
{
    MemorySecretStore store;
    QStringList log;
    auto record = [&log](const QString &what) {
        return [&log, what](const SecretStore::Result &r) { log << what + (r.ok ? u":"_s + r.secret : u"!"_s); };
    };
    store.writeKey(u"a"_s, u"one"_s, this, record(u"write"_s));
    store.readKey(u"a"_s, this, record(u"read"_s));
    store.writeKey(u"a"_s, u"two"_s, this, record(u"write"_s));
    store.readKey(u"a"_s, this, record(u"read"_s));
    store.deleteKey(u"a"_s, this, record(u"delete"_s));
    store.readKey(u"a"_s, this, record(u"read"_s));
    QVERIFY(log.isEmpty()); // nothing from inside the calls
    QTRY_COMPARE(log.size(), 6);
    QCOMPARE(log, (QStringList{u"write:"_s, u"read:one"_s, u"write:"_s, u"read:two"_s, u"delete:"_s, u"read!"_s}));
}

void tst_MemorySecretStore::contextGuardsCallback()
{
    MemorySecretStore store;
    bool called = false;
    auto *context = new QObject;
    store.writeKey(u"a"_s, u"kept"_s, context, [&called](const SecretStore::Result &) { called = true; });
    delete context;
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(u"a"_s, this, cb); }).secret, u"kept"_s);
    QVERIFY(!called);
}

void tst_MemorySecretStore::noContextStillAnswers()
{
    MemorySecretStore store;
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(u"a"_s, nullptr, cb); }).error,
             SecretStore::Error::NotFound);
    store.writeKey(u"a"_s, u"x"_s, this, nullptr); // no callback at all is fine
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(u"a"_s, nullptr, cb); }).secret, u"x"_s);
}

void tst_MemorySecretStore::simulatedErrors_data()
{
    QTest::addColumn<SecretStore::Error>("error");
    QTest::newRow("no backend") << SecretStore::Error::NoBackend;
    QTest::newRow("access denied") << SecretStore::Error::AccessDenied;
    QTest::newRow("other") << SecretStore::Error::Other;
}

void tst_MemorySecretStore::simulatedErrors()
{
    QFETCH(SecretStore::Error, error);
    MemorySecretStore store;
    QVERIFY(wait([&](SecretStore::Callback cb) { store.writeKey(u"a"_s, u"before"_s, this, cb); }).ok);
    store.simulateError(error, u"The keychain is locked."_s);
    for (int op = 0; op < 3; ++op) {
        const auto r = wait([&](SecretStore::Callback cb) {
            if (op == 0)
                store.readKey(u"a"_s, this, cb);
            else if (op == 1)
                store.writeKey(u"a"_s, u"after"_s, this, cb);
            else
                store.deleteKey(u"a"_s, this, cb);
        });
        QVERIFY(!r.ok);
        QCOMPARE(r.error, error);
        QCOMPARE(r.errorText, u"The keychain is locked."_s);
        QVERIFY(r.secret.isEmpty());
    }
    store.simulateError(SecretStore::Error::None);
    QCOMPARE(wait([&](SecretStore::Callback cb) { store.readKey(u"a"_s, this, cb); }).secret, u"before"_s);
}

void tst_MemorySecretStore::forgottenWithTheStore()
{
    {
        MemorySecretStore store;
        store.writeKey(u"a"_s, u"x"_s, this, nullptr);
    }
    MemorySecretStore fresh;
    QCOMPARE(wait([&](SecretStore::Callback cb) { fresh.readKey(u"a"_s, this, cb); }).error,
             SecretStore::Error::NotFound);
}

QTEST_GUILESS_MAIN(tst_MemorySecretStore)
#include "tst_memorysecretstore.moc"
