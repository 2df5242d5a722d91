// KeychainSecretStore against the real Secret Service (gnome-keyring in a
// private D-Bus session: run through scripts/with-keyring.sh), the mapping of
// QtKeychain errors, and the "no keychain" paths in child processes.
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "secrets/secretstores.h"

#include <qt6keychain/keychain.h>

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

const char *const ChildVariable = "SLUICE_TEST_NO_BACKEND_CHILD";

QString randomHex()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16);
}

bool underWithKeyring()
{
    return qEnvironmentVariable("SLUICE_KEYRING") == u"secret-service";
}

bool hasSessionBus()
{
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QFileInfo::exists(runtime + u"/bus"_s);
}

// Runs one store operation and waits for its callback; a missing callback
// comes back as an Error::Other result that says so.
SecretStore::Result wait(QObject *context, const std::function<void(QObject *, SecretStore::Callback)> &operation,
                         int timeoutMs = 30'000)
{
    std::optional<SecretStore::Result> result;
    operation(context, [&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs)) {
        SecretStore::Result timedOut;
        timedOut.error = SecretStore::Error::Other;
        timedOut.errorText = u"test: no callback within %1 ms"_s.arg(timeoutMs);
        return timedOut;
    }
    return *result;
}

QString errorName(SecretStore::Error error)
{
    return QString::fromLatin1(QMetaEnum::fromType<SecretStore::Error>().valueToKey(int(error)));
}

// `secret-tool lookup server <service> user <account>`: what the Secret
// Service itself holds, bypassing QtKeychain. nullopt: nothing stored.
std::optional<QString> secretToolLookup(const QString &service, const QString &account)
{
    QProcess p;
    p.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, service, u"user"_s, account});
    if (!p.waitForFinished(20'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class tst_KeychainSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void errorMapping_data();
    void errorMapping();
    void accountFor_data();
    void accountFor();

    void roundTrip_data();
    void roundTrip();
    void readMissing();
    void deleteMissing();
    void accountsAreSeparate();
    void callsRunInOrder();
    void contextDestroyedDropsCallback();
    void storeDestroyedWhileRunning();
    void noPlainTextOnDisk();
    void probePicksKeychain();

    void noBackend_data();
    void noBackend();

private:
    bool requireSecretService();
    void runNoBackendChecks();

    QString m_service;
    QStringList m_accounts; // to clean up
    bool m_sessionChecked = false;
    SecretStore::Error m_sessionError = SecretStore::Error::None;
};

void tst_KeychainSecretStore::initTestCase()
{
    // A service of our own: never touches a real "Sluice" entry.
    m_service = u"SluiceTest-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(randomHex());
}

void tst_KeychainSecretStore::cleanupTestCase()
{
    if (qEnvironmentVariableIsSet(ChildVariable) || !hasSessionBus() || m_accounts.isEmpty())
        return;
    KeychainSecretStore store(m_service);
    for (const QString &account : std::as_const(m_accounts))
        wait(this, [&](QObject *c, SecretStore::Callback cb) { store.deleteKey(account, c, cb); });
    if (!QStandardPaths::findExecutable(u"secret-tool"_s).isEmpty())
        QProcess::execute(u"secret-tool"_s, {u"clear"_s, u"server"_s, m_service});
}

// True when the tests can use the Secret Service; else skips (outside
// scripts/with-keyring.sh only) or fails.
bool tst_KeychainSecretStore::requireSecretService()
{
    if (underWithKeyring())
        return true;
    if (!hasSessionBus()) {
        QTest::qSkip("No D-Bus session bus: run this test through scripts/with-keyring.sh "
                     "to test against a real Secret Service.",
                     __FILE__, __LINE__);
        return false;
    }
    // A desktop session: use its Secret Service if it answers (with our own
    // service name, cleaned up at the end).
    if (!m_sessionChecked) {
        KeychainSecretStore store(m_service);
        m_sessionError = wait(this, [&](QObject *c, SecretStore::Callback cb) {
                             store.readKey(SecretStores::probeAccount(), c, cb);
                         }).error;
        m_sessionChecked = true;
    }
    if (m_sessionError == SecretStore::Error::None || m_sessionError == SecretStore::Error::NotFound)
        return true;
    QTest::qSkip(qPrintable(u"This D-Bus session has no usable Secret Service (%1): run this test through "
                            u"scripts/with-keyring.sh."_s.arg(errorName(m_sessionError))),
                 __FILE__, __LINE__);
    return false;
}

void tst_KeychainSecretStore::errorMapping_data()
{
    QTest::addColumn<int>("keychainError");
    QTest::addColumn<SecretStore::Error>("expected");

    QTest::newRow("no error") << int(QKeychain::NoError) << SecretStore::Error::None;
    QTest::newRow("entry not found") << int(QKeychain::EntryNotFound) << SecretStore::Error::NotFound;
    QTest::newRow("access denied") << int(QKeychain::AccessDenied) << SecretStore::Error::AccessDenied;
    QTest::newRow("access denied by user") << int(QKeychain::AccessDeniedByUser) << SecretStore::Error::AccessDenied;
    QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << SecretStore::Error::NoBackend;
    QTest::newRow("not implemented") << int(QKeychain::NotImplemented) << SecretStore::Error::NoBackend;
    QTest::newRow("could not delete") << int(QKeychain::CouldNotDeleteEntry) << SecretStore::Error::Other;
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    QTest::newRow("other error (no Secret Service on Linux)") << int(QKeychain::OtherError)
                                                              << SecretStore::Error::NoBackend;
#else
    QTest::newRow("other error") << int(QKeychain::OtherError) << SecretStore::Error::Other;
#endif
}

void tst_KeychainSecretStore::errorMapping()
{
    QFETCH(int, keychainError);
    QFETCH(SecretStore::Error, expected);

    QCOMPARE(KeychainSecretStore::errorFromKeychain(keychainError), expected);
    const SecretStore::Result r = KeychainSecretStore::resultFromKeychain(keychainError, u"detail"_s);
    QCOMPARE(r.error, expected);
    QCOMPARE(r.ok, expected == SecretStore::Error::None);
    QCOMPARE(r.errorText.isEmpty(), expected == SecretStore::Error::None);
    if (expected == SecretStore::Error::NoBackend) {
        QCOMPARE(r.errorText, SecretStore::noBackendMessage());
        QCOMPARE(r.errorText, u"No system keychain is available on this computer, so the key is kept for "
                              u"this session only."_s);
    }
}

void tst_KeychainSecretStore::accountFor_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("account");

    QTest::newRow("plain") << QUrl(u"https://api.example.com/v1"_s) << u"https://api.example.com/v1"_s;
    QTest::newRow("trailing slash") << QUrl(u"https://api.example.com/v1/"_s) << u"https://api.example.com/v1"_s;
    QTest::newRow("user info") << QUrl(u"https://me:sk-secret@api.example.com/v1"_s)
                               << u"https://api.example.com/v1"_s;
    QTest::newRow("query and fragment") << QUrl(u"https://api.example.com/v1?key=sk-x#top"_s)
                                        << u"https://api.example.com/v1"_s;
    QTest::newRow("host case") << QUrl(u"HTTPS://API.Example.COM/v1"_s) << u"https://api.example.com/v1"_s;
    QTest::newRow("port kept") << QUrl(u"http://127.0.0.1:8080/v1"_s) << u"http://127.0.0.1:8080/v1"_s;
}

void tst_KeychainSecretStore::accountFor()
{
    QFETCH(QUrl, url);
    QFETCH(QString, account);
    QCOMPARE(KeychainSecretStore::accountFor(url), account);
}

void tst_KeychainSecretStore::roundTrip_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");

    QTest::newRow("typical keys") << u"sk-test-%1"_s.arg(randomHex()) << u"sk-other-%1"_s.arg(randomHex());
    QTest::newRow("unicode and spaces") << u"clé sécrète ✓ %1"_s.arg(randomHex()) << u"鍵 %1"_s.arg(randomHex());
    QTest::newRow("long") << QString(4096, u'k') + randomHex() << QString(100, u'z');
}

void tst_KeychainSecretStore::roundTrip()
{
    if (!requireSecretService())
        return;
    QFETCH(QString, first);
    QFETCH(QString, second);

    KeychainSecretStore store(m_service);
    QCOMPARE(store.serviceName(), m_service);
    QVERIFY(store.isPersistent());
    const QString account = u"https://roundtrip-%1.example.com/v1"_s.arg(randomHex());
    m_accounts << account;

    auto written = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.writeKey(account, first, c, cb); });
    QVERIFY2(written.ok, qPrintable(written.errorText));
    QCOMPARE(written.error, SecretStore::Error::None);

    auto read = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); });
    QVERIFY2(read.ok, qPrintable(read.errorText));
    QCOMPARE(read.secret, first);

    // It really is in the Secret Service, not only in QtKeychain.
    QVERIFY2(!QStandardPaths::findExecutable(u"secret-tool"_s).isEmpty(), "secret-tool (libsecret-tools) is missing");
    QCOMPARE(secretToolLookup(m_service, account), std::optional<QString>(first));

    written = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.writeKey(account, second, c, cb); });
    QVERIFY2(written.ok, qPrintable(written.errorText));
    read = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); });
    QVERIFY2(read.ok, qPrintable(read.errorText));
    QCOMPARE(read.secret, second);
    QCOMPARE(secretToolLookup(m_service, account), std::optional<QString>(second));

    const auto deleted = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.deleteKey(account, c, cb); });
    QVERIFY2(deleted.ok, qPrintable(deleted.errorText));
    read = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); });
    QVERIFY(!read.ok);
    QCOMPARE(read.error, SecretStore::Error::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(!read.errorText.isEmpty());
    QCOMPARE(secretToolLookup(m_service, account), std::nullopt);
}

void tst_KeychainSecretStore::readMissing()
{
    if (!requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    const auto read = wait(this, [&](QObject *c, SecretStore::Callback cb) {
        store.readKey(u"https://never-written.example.com/v1"_s, c, cb);
    });
    QVERIFY(!read.ok);
    QCOMPARE(read.error, SecretStore::Error::NotFound);
}

void tst_KeychainSecretStore::deleteMissing()
{
    if (!requireSecretService())
        return;
    // Deleting what is not there succeeds, as "forget this key" should.
    KeychainSecretStore store(m_service);
    const auto deleted = wait(this, [&](QObject *c, SecretStore::Callback cb) {
        store.deleteKey(u"https://never-written.example.com/v1"_s, c, cb);
    });
    QVERIFY2(deleted.ok, qPrintable(deleted.errorText));
}

void tst_KeychainSecretStore::accountsAreSeparate()
{
    if (!requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    KeychainSecretStore otherService(m_service + u"-other"_s);
    const QString a = u"https://a-%1.example.com/v1"_s.arg(randomHex());
    const QString b = u"https://b-%1.example.com/v1"_s.arg(randomHex());
    m_accounts << a << b;

    QVERIFY(wait(this, [&](QObject *c, SecretStore::Callback cb) { store.writeKey(a, u"key-a"_s, c, cb); }).ok);
    QVERIFY(wait(this, [&](QObject *c, SecretStore::Callback cb) { store.writeKey(b, u"key-b"_s, c, cb); }).ok);
    QCOMPARE(wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(a, c, cb); }).secret, u"key-a"_s);
    QCOMPARE(wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(b, c, cb); }).secret, u"key-b"_s);
    // Another service name does not see them.
    QCOMPARE(wait(this, [&](QObject *c, SecretStore::Callback cb) { otherService.readKey(a, c, cb); }).error,
             SecretStore::Error::NotFound);
}

void tst_KeychainSecretStore::callsRunInOrder()
{
    if (!requireSecretService())
        return;
    // Fired without waiting: write, overwrite, read, delete, read.
    KeychainSecretStore store(m_service);
    const QString account = u"https://order-%1.example.com/v1"_s.arg(randomHex());
    m_accounts << account;
    QStringList log;
    auto record = [&log](const QString &what) {
        return [&log, what](const SecretStore::Result &r) {
            log << what + u'=' + (r.ok ? u"ok:"_s + r.secret : errorName(r.error));
        };
    };
    store.writeKey(account, u"one"_s, this, record(u"write1"_s));
    store.writeKey(account, u"two"_s, this, record(u"write2"_s));
    store.readKey(account, this, record(u"read"_s));
    store.deleteKey(account, this, record(u"delete"_s));
    store.readKey(account, this, record(u"read"_s));
    QVERIFY(log.isEmpty()); // never called back from inside the call
    QTRY_COMPARE_WITH_TIMEOUT(log.size(), 5, 30'000);
    QCOMPARE(log, (QStringList{u"write1=ok:"_s, u"write2=ok:"_s, u"read=ok:two"_s, u"delete=ok:"_s,
                               u"read=NotFound"_s}));
}

void tst_KeychainSecretStore::contextDestroyedDropsCallback()
{
    if (!requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    const QString account = u"https://context-%1.example.com/v1"_s.arg(randomHex());
    m_accounts << account;

    bool called = false;
    auto *context = new QObject;
    store.writeKey(account, u"written-anyway"_s, context, [&called](const SecretStore::Result &) { called = true; });
    delete context; // while the job is queued or running

    // Jobs run one after another, so once this read answers the write is done.
    const auto read = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); });
    QVERIFY(!called);
    QVERIFY(read.ok);
    QCOMPARE(read.secret, u"written-anyway"_s);
}

void tst_KeychainSecretStore::storeDestroyedWhileRunning()
{
    if (!requireSecretService())
        return;
    const QString account = u"https://gone-%1.example.com/v1"_s.arg(randomHex());
    m_accounts << account;
    std::optional<SecretStore::Result> result;
    {
        KeychainSecretStore store(m_service);
        store.writeKey(account, u"still-written"_s, this, [&result](const SecretStore::Result &r) { result = r; });
    } // the store is gone; its job is not
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30'000);
    QVERIFY(result->ok);
    KeychainSecretStore store(m_service);
    QCOMPARE(wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); }).secret,
             u"still-written"_s);
}

void tst_KeychainSecretStore::noPlainTextOnDisk()
{
    if (!requireSecretService())
        return;
    const QString root = qEnvironmentVariable("SLUICE_KEYRING_HOME");
    if (root.isEmpty())
        QSKIP("Needs the private HOME of scripts/with-keyring.sh (SLUICE_KEYRING_HOME) to scan it.");

    KeychainSecretStore store(m_service);
    const QString account = u"https://disk-%1.example.com/v1"_s.arg(randomHex());
    const QString secret = u"sk-never-on-disk-%1"_s.arg(randomHex());
    m_accounts << account;
    const auto written =
        wait(this, [&](QObject *c, SecretStore::Callback cb) { store.writeKey(account, secret, c, cb); });
    QVERIFY2(written.ok, qPrintable(written.errorText));

    // Every file under the private HOME, config, data, cache and runtime
    // directories, the keyring's own (encrypted) files included.
    const QList<QByteArray> needles = {
        secret.toUtf8(),
        QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2),
        secret.toUtf8().toBase64(),
    };
    int scanned = 0;
    bool sawKeyring = false;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        if (!info.isFile() || info.size() > 64 * 1024 * 1024)
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue; // sockets and the like
        const QByteArray content = file.readAll();
        ++scanned;
        if (path.contains(u"/keyrings/"_s) && path.endsWith(u".keyring"_s))
            sawKeyring = true;
        for (const QByteArray &needle : needles)
            QVERIFY2(!content.contains(needle), qPrintable(u"the secret is in plain text in "_s + path));
    }
    QVERIFY(scanned > 0);
    QVERIFY2(sawKeyring, "expected the encrypted login keyring under XDG_DATA_HOME/keyrings");
    // QtKeychain's plain-text fallback would have written <service>.conf.
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    QVERIFY(!QFileInfo::exists(config + u'/' + m_service + u".conf"_s));
}

void tst_KeychainSecretStore::probePicksKeychain()
{
    if (!requireSecretService())
        return;
    std::unique_ptr<SecretStore> picked;
    QString message;
    bool called = false;
    SecretStores::probe(
        this,
        [&](std::unique_ptr<SecretStore> store, const QString &m) {
            picked = std::move(store);
            message = m;
            called = true;
        },
        m_service);
    QVERIFY(!called);
    QTRY_VERIFY_WITH_TIMEOUT(called, 30'000);
    QVERIFY(picked);
    auto *keychain = qobject_cast<KeychainSecretStore *>(picked.get());
    QVERIFY(keychain);
    QCOMPARE(keychain->serviceName(), m_service);
    QVERIFY(picked->isPersistent());
    QVERIFY2(message.isEmpty(), qPrintable(message));
    QVERIFY(!picked->parent());
    // The probe stored nothing.
    QCOMPARE(secretToolLookup(m_service, SecretStores::probeAccount()), std::nullopt);
}

void tst_KeychainSecretStore::noBackend_data()
{
    QTest::addColumn<bool>("withBus");
    QTest::newRow("no D-Bus session") << false;
    QTest::newRow("D-Bus session without a Secret Service") << true;
}

// QtKeychain picks and caches its backend once per process, so each "no
// keychain" machine is a child process: this test function again, with
// SLUICE_TEST_NO_BACKEND_CHILD set, where it runs runNoBackendChecks().
void tst_KeychainSecretStore::noBackend()
{
    QFETCH(bool, withBus);
    if (qEnvironmentVariableIsSet(ChildVariable)) {
        runNoBackendChecks();
        return;
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const char *sub : {"home", "config", "data", "cache", "run"})
        QVERIFY(QDir(dir.path()).mkpath(QString::fromLatin1(sub)));
    QFile::setPermissions(dir.filePath(u"run"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(ChildVariable), u"1"_s);
    env.insert(u"HOME"_s, dir.filePath(u"home"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
    env.insert(u"XDG_CACHE_HOME"_s, dir.filePath(u"cache"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, dir.filePath(u"run"_s));
    for (const QString &name : {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"SLUICE_KEYRING"_s, u"SLUICE_KEYRING_HOME"_s,
                                u"XDG_CURRENT_DESKTOP"_s, u"DESKTOP_SESSION"_s, u"KDE_FULL_SESSION"_s})
        env.remove(name);

    const QString self = QCoreApplication::applicationFilePath();
    const QStringList testArgs = {u"noBackend:"_s + QString::fromUtf8(QTest::currentDataTag())};
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    if (withBus) {
        // A private bus with no activatable services: nothing can own
        // org.freedesktop.secrets there.
        const QString runner = QStandardPaths::findExecutable(u"dbus-run-session"_s);
        if (runner.isEmpty())
            QSKIP("dbus-run-session is not installed");
        QFile config(dir.filePath(u"session.conf"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(u"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                     " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                     "<busconfig><type>session</type><listen>unix:dir=%1</listen><auth>EXTERNAL</auth>\n"
                     "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                     "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n"_s
                         .arg(dir.filePath(u"run"_s))
                         .toUtf8());
        config.close();
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        child.setProcessEnvironment(env);
        child.start(runner, QStringList{u"--config-file="_s + config.fileName(), u"--"_s, self} + testArgs);
    } else {
        // An address where no bus listens.
        env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + dir.filePath(u"run/no-bus-here"_s));
        child.setProcessEnvironment(env);
        child.start(self, testArgs);
    }
    QVERIFY2(child.waitForFinished(120'000), "the child test did not finish");
    const QString output = QString::fromUtf8(child.readAll());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains(u"PASS   : tst_KeychainSecretStore::noBackend("_s), qPrintable(output));

    // Nothing was written in plain text (QtKeychain's fallback is off).
    QDirIterator files(dir.path(), QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QVERIFY2(path.endsWith(u"/session.conf"_s), qPrintable(u"unexpected file "_s + path));
    }
}

void tst_KeychainSecretStore::runNoBackendChecks()
{
    const QString service = u"SluiceTest-NoBackend-%1"_s.arg(randomHex());
    const QString account = u"https://nobackend.example.com/v1"_s;
    KeychainSecretStore store(service);

    const auto written = wait(this, [&](QObject *c, SecretStore::Callback cb) {
        store.writeKey(account, u"sk-nowhere"_s, c, cb);
    });
    QVERIFY(!written.ok);
    QCOMPARE(written.error, SecretStore::Error::NoBackend);
    QCOMPARE(written.errorText, SecretStore::noBackendMessage());

    const auto read = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.readKey(account, c, cb); });
    QVERIFY(!read.ok);
    QCOMPARE(read.error, SecretStore::Error::NoBackend);
    QVERIFY(read.secret.isEmpty());

    const auto deleted = wait(this, [&](QObject *c, SecretStore::Callback cb) { store.deleteKey(account, c, cb); });
    QCOMPARE(deleted.error, SecretStore::Error::NoBackend);

    // The probe falls back to memory and says so plainly.
    std::unique_ptr<SecretStore> picked;
    QString message;
    bool called = false;
    SecretStores::probe(
        this,
        [&](std::unique_ptr<SecretStore> s, const QString &m) {
            picked = std::move(s);
            message = m;
            called = true;
        },
        service);
    QTRY_VERIFY_WITH_TIMEOUT(called, 30'000);
    QVERIFY(picked);
    QVERIFY(qobject_cast<MemorySecretStore *>(picked.get()));
    QVERIFY(!picked->isPersistent());
    QCOMPARE(message, SecretStore::noBackendMessage());

    // ... which keeps the key for the session.
    QVERIFY(wait(this, [&](QObject *c, SecretStore::Callback cb) { picked->writeKey(account, u"sk-mem"_s, c, cb); }).ok);
    QCOMPARE(wait(this, [&](QObject *c, SecretStore::Callback cb) { picked->readKey(account, c, cb); }).secret,
             u"sk-mem"_s);
}

QTEST_GUILESS_MAIN(tst_KeychainSecretStore)
#include "tst_keychainsecretstore.moc"
