// SettingsDialog: the key goes to the real Secret Service (run through
// scripts/with-keyring.sh) and to no file; the session-only store on a machine
// without a keychain; a stored key is only ever shown masked; show/hide; the
// http:// confirmation; settings round-trip; presets; the Test button against
// the local test server; accessibility and tab order.
#include "apikeyfield.h"
#include "messagebanner.h"
#include "settingsdialog.h"

#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "settings/apikeyprovider.h"
#include "settings/settings.h"

#include "ssetestserver.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFileInfo>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

QString randomHex()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16);
}

// `secret-tool lookup server <service> user <account>`: what the Secret
// Service itself holds. nullopt: nothing stored.
std::optional<QString> secretToolLookup(const QString &service, const QString &account)
{
    QProcess p;
    p.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, service, u"user"_s, account});
    if (!p.waitForFinished(20'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(p.readAllStandardOutput());
}

SecretStore::Result waitFor(const std::function<void(SecretStore::Callback)> &operation, int timeoutMs = 30'000)
{
    std::optional<SecretStore::Result> result;
    operation([&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs))
        return {false, {}, SecretStore::Error::Other, u"test: no callback"_s};
    return *result;
}

QPushButton *button(SettingsDialog &dialog, QDialogButtonBox::StandardButton which)
{
    return dialog.buttonBox()->button(which);
}

// Types into a line edit as a user would (textEdited fires).
void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty()) {
        QTest::keyClick(edit, Qt::Key_Delete);
        return;
    }
    QTest::keyClicks(edit, text);
}

// The key lookup of the URL in the field has answered.
bool waitForKeyLookup(SettingsDialog &dialog)
{
    return QTest::qWaitFor([&dialog] { return !dialog.apiKeyEdit()->placeholderText().contains(u"Looking"_s); },
                           30'000);
}

// Every file below `root` that contains `secret` (UTF-8, UTF-16 or base64).
QStringList filesContaining(const QString &root, const QString &secret, int *scanned)
{
    const QList<QByteArray> needles = {
        secret.toUtf8(),
        QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2),
        secret.toUtf8().toBase64(),
    };
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (QFileInfo(path).size() > 64 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
            continue; // sockets and the like
        const QByteArray content = file.readAll();
        ++*scanned;
        for (const QByteArray &needle : needles) {
            if (content.contains(needle)) {
                hits << path;
                break;
            }
        }
    }
    return hits;
}

// The offscreen platform warns about every size hint of a top-level window;
// that says nothing about the dialog. Everything else goes to QtTest.
QtMessageHandler g_testHandler = nullptr;

void filterMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"does not support propagateSizeHints"_s))
        return;
    g_testHandler(type, context, message);
}

} // namespace

class tst_SettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void keyGoesToSecretServiceAndNoFile();
    void okClosesOnlyAfterKeySaved();
    void okStaysOpenWhenKeyFails();
    void noKeychainKeepsKeyForSession();
    void environmentKeyOverrides();
    void storedKeyIsMasked_data();
    void storedKeyIsMasked();
    void maskedKey_data();
    void maskedKey();
    void removeKey();
    void showHideTogglesEchoMode();
    void insecureHttp_data();
    void insecureHttp();
    void insecureConfirmationIsPerHost();
    void handEditedHttpIsNotConfirmed();
    void insecureConfirmationIsSavedWithTheUrl();
    void invalidUrlIsRefused();
    void settingsRoundTrip();
    void presets();
    void demoPreset();
    void manualProxyNeedsHost();
    void proxyPasswordIsSessionOnly();
    void testButtonSuccess();
    void testButtonConnectionRefused();
    void testButtonUsesSavedKey();
    void accessibleNamesAndBuddies();
    void tabOrder();
    void nullStoreDisablesKey();

private:
    bool requireSecretService();
    std::unique_ptr<SettingsDialog> newDialog(SecretStore *store);

    QString m_root;                 // HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, ... live below it
    std::unique_ptr<QTemporaryDir> m_ownRoot;
    QString m_service;              // a Secret Service "server" of our own
    QStringList m_accounts;         // to clean up
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MemorySecretStore> m_memory;
};

void tst_SettingsDialog::initTestCase()
{
    g_testHandler = qInstallMessageHandler(filterMessages);
    // Never the user's real files: scripts/with-keyring.sh gives a private
    // HOME and XDG directories; run alone, the test makes its own.
    m_root = qEnvironmentVariable("SLUICE_KEYRING_HOME");
    if (m_root.isEmpty()) {
        m_ownRoot = std::make_unique<QTemporaryDir>();
        QVERIFY(m_ownRoot->isValid());
        m_root = m_ownRoot->path();
        for (const char *sub : {"home", "config", "data", "cache"})
            QVERIFY(QDir(m_root).mkpath(QString::fromLatin1(sub)));
        qputenv("HOME", QFile::encodeName(m_root + u"/home"_s));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_root + u"/config"_s));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_root + u"/data"_s));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_root + u"/cache"_s));
    }
    QVERIFY(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation).startsWith(m_root));
    QVERIFY(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation).startsWith(m_root));
    qunsetenv(ApiKeyProvider::environmentVariable());
    m_service = u"SluiceDialogTest-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(randomHex());
}

void tst_SettingsDialog::init()
{
    // The settings file where the app keeps its own: $XDG_CONFIG_HOME/<org>/<app>.conf.
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    m_qsettings = std::make_unique<QSettings>(config + u"/SluiceDialogTest/Sluice.conf"_s, QSettings::IniFormat);
    m_qsettings->clear();
    m_settings = std::make_unique<Settings>(m_qsettings.get());
    m_memory = std::make_unique<MemorySecretStore>();
}

void tst_SettingsDialog::cleanup()
{
    m_settings.reset();
    m_qsettings.reset();
    m_memory.reset();
    qunsetenv(ApiKeyProvider::environmentVariable());
}

void tst_SettingsDialog::cleanupTestCase()
{
    if (m_accounts.isEmpty() || !requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    for (const QString &account : std::as_const(m_accounts))
        waitFor([&](SecretStore::Callback cb) { store.deleteKey(account, this, cb); });
    QProcess::execute(u"secret-tool"_s, {u"clear"_s, u"server"_s, m_service});
}

bool tst_SettingsDialog::requireSecretService()
{
    if (qEnvironmentVariable("SLUICE_KEYRING") == u"secret-service")
        return true;
    QTest::qSkip("Needs a real Secret Service: run this test through scripts/with-keyring.sh.", __FILE__, __LINE__);
    return false;
}

std::unique_ptr<SettingsDialog> tst_SettingsDialog::newDialog(SecretStore *store)
{
    auto dialog = std::make_unique<SettingsDialog>(m_settings.get(), store);
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog.get()))
        qWarning("the dialog was not exposed");
    return dialog;
}

void tst_SettingsDialog::keyGoesToSecretServiceAndNoFile()
{
    if (!requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    auto dialog = newDialog(&store);
    QVERIFY(waitForKeyLookup(*dialog));
    QVERIFY2(dialog->keyLocationLabel()->text().contains(store.backendName()),
             qPrintable(dialog->keyLocationLabel()->text()));
    QVERIFY(dialog->keyNotice()->isHidden()); // a keychain: nothing to warn about

    const QUrl url(u"https://dialog-%1.example.com/v1"_s.arg(randomHex()));
    const QString key = u"sk-dialog-%1-%2"_s.arg(randomHex(), randomHex());
    const QString account = SecretStore::accountFor(url);
    m_accounts << account;

    typeInto(dialog->baseUrlEdit(), url.toString());
    QVERIFY(waitForKeyLookup(*dialog));
    typeInto(dialog->apiKeyEdit(), key);
    QSignalSpy keyChanged(dialog.get(), &SettingsDialog::keyChanged);
    QSignalSpy applied(dialog.get(), &SettingsDialog::applied);
    QSignalSpy endpointChanged(dialog.get(), &SettingsDialog::endpointChanged);
    QTest::mouseClick(button(*dialog, QDialogButtonBox::Apply), Qt::LeftButton);

    QVERIFY(dialog->isBusy()); // the keychain answers later
    QVERIFY(dialog->progressBar()->isVisible());
    QVERIFY(!button(*dialog, QDialogButtonBox::Apply)->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 1, 30'000);
    QVERIFY2(dialog->banner()->kind() == MessageBanner::Kind::Positive, qPrintable(dialog->banner()->text()));
    QVERIFY2(dialog->banner()->text().contains(u"system keychain"_s), qPrintable(dialog->banner()->text()));
    QVERIFY(!dialog->progressBar()->isVisible());
    QCOMPARE(keyChanged.size(), 1);
    QCOMPARE(keyChanged.first().first().toUrl(), url);
    QCOMPARE(endpointChanged.size(), 1);
    QCOMPARE(m_settings->baseUrl(), url);
    QVERIFY(m_settings->isDemoModeSet() && !m_settings->demoMode());

    // The Secret Service holds it, under our service and the endpoint's account.
    QCOMPARE(secretToolLookup(m_service, account), std::optional<QString>(key));
    // The field forgot it and shows it masked.
    QVERIFY(dialog->apiKeyEdit()->text().isEmpty());
    QVERIFY(dialog->apiKeyEdit()->placeholderText().contains(u'…' + key.right(4)));
    QVERIFY(!dialog->apiKeyEdit()->placeholderText().contains(key));

    // No file holds it: the settings file, HOME, config, data, cache, the
    // keyring's own (encrypted) files included, nothing skipped.
    m_settings->sync();
    QFile settingsFile(m_qsettings->fileName());
    QVERIFY(settingsFile.open(QIODevice::ReadOnly));
    QVERIFY2(settingsFile.readAll().contains(url.host().toUtf8()), "the settings were written where we scan");
    int scanned = 0;
    const QStringList hits = filesContaining(m_root, key, &scanned);
    QVERIFY2(hits.isEmpty(), qPrintable(u"the key is in plain text in "_s + hits.join(u", "_s)));
    QVERIFY(scanned > 1);
    // QtKeychain's plain-text fallback would have written <service>.conf.
    QVERIFY(!QFileInfo::exists(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u'/'
                               + m_service + u".conf"_s));

    // A new dialog finds it in the keychain, masked.
    dialog.reset();
    auto again = newDialog(&store);
    QVERIFY(waitForKeyLookup(*again));
    QVERIFY(again->apiKeyEdit()->text().isEmpty());
    QVERIFY2(again->apiKeyEdit()->placeholderText().contains(u'…' + key.right(4)),
             qPrintable(again->apiKeyEdit()->placeholderText()));
    QVERIFY(again->removeKeyButton()->isEnabled());
}

void tst_SettingsDialog::okClosesOnlyAfterKeySaved()
{
    if (!requireSecretService())
        return;
    KeychainSecretStore store(m_service);
    const QUrl url(u"https://ok-%1.example.com/v1"_s.arg(randomHex()));
    const QString key = u"sk-ok-%1"_s.arg(randomHex());
    m_accounts << SecretStore::accountFor(url);
    m_settings->setBaseUrl(url);

    auto dialog = newDialog(&store);
    QVERIFY(waitForKeyLookup(*dialog));
    typeInto(dialog->apiKeyEdit(), key);
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    QTest::mouseClick(button(*dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog->isVisible()); // not before the keychain answered
    QCOMPARE(accepted.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 30'000);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QCOMPARE(secretToolLookup(m_service, SecretStore::accountFor(url)), std::optional<QString>(key));
}

void tst_SettingsDialog::okStaysOpenWhenKeyFails()
{
    m_memory->simulateError(SecretStore::Error::AccessDenied, u"The keychain is locked."_s);
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    typeInto(dialog->apiKeyEdit(), u"sk-will-fail-0000"_s);
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    QSignalSpy applied(dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(button(*dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 1, 10'000);
    QTest::qWait(50);
    QCOMPARE(accepted.size(), 0);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY2(dialog->banner()->text().contains(u"The keychain is locked."_s), qPrintable(dialog->banner()->text()));
    QVERIFY(dialog->banner()->isVisible());
    // The typed key stays, so the user can try again.
    QCOMPARE(dialog->apiKeyEdit()->text(), u"sk-will-fail-0000"_s);
    QVERIFY(button(*dialog, QDialogButtonBox::Ok)->isEnabled());
}

void tst_SettingsDialog::noKeychainKeepsKeyForSession()
{
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    QVERIFY(dialog->keyNotice()->isVisible());
    QCOMPARE(dialog->keyNotice()->text(), SecretStore::noBackendMessage());
    QCOMPARE(dialog->keyNotice()->text(),
             u"No system keychain is available on this computer, so the key is kept for this session only."_s);

    const QString key = u"sk-session-only-%1"_s.arg(randomHex());
    typeInto(dialog->apiKeyEdit(), key);
    QSignalSpy applied(dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(button(*dialog, QDialogButtonBox::Apply), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 1, 10'000);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Positive);
    QVERIFY2(dialog->banner()->text().contains(u"this session only"_s), qPrintable(dialog->banner()->text()));
    QVERIFY(dialog->apiKeyEdit()->placeholderText().contains(u"session"_s));

    // Still usable: the app reads it back through ApiKeyProvider.
    ApiKeyProvider keys(m_memory.get());
    const auto read = waitFor([&](SecretStore::Callback cb) { keys.readKey(m_settings->baseUrl(), this, cb); });
    QVERIFY(read.ok);
    QCOMPARE(read.secret, key);
    // And never written to a file.
    m_settings->sync();
    int scanned = 0;
    QCOMPARE(filesContaining(m_root, key, &scanned), QStringList());
}

void tst_SettingsDialog::environmentKeyOverrides()
{
    qputenv(ApiKeyProvider::environmentVariable(), "sk-from-env-5678");
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    QVERIFY(dialog->keyNotice()->isVisible());
    const QString text = dialog->keyNotice()->text();
    QVERIFY2(text.contains(u"SLUICE_API_KEY"_s), qPrintable(text));
    QVERIFY2(text.contains(u"never saved"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"sk-from-env"_s), qPrintable(text));
    // The environment's key is not shown as a saved one.
    QVERIFY(!dialog->apiKeyEdit()->placeholderText().contains(u"5678"_s));
    QVERIFY(!dialog->removeKeyButton()->isEnabled());
}

void tst_SettingsDialog::storedKeyIsMasked_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("placeholderStart");
    QTest::newRow("OpenAI project key") << u"sk-proj-AbCdEfGhIjKlMnOpQrStUvWx9z1q"_s << u"sk-proj-…9z1q"_s;
    QTest::newRow("plain sk- key") << (u"sk-"_s + u"0123456789abcdefghijABCD"_s) << u"sk-…ABCD"_s;
    QTest::newRow("no prefix") << u"0123456789abcdefghijklmnWXYZ"_s << u"…WXYZ"_s;
}

void tst_SettingsDialog::storedKeyIsMasked()
{
    QFETCH(QString, key);
    QFETCH(QString, placeholderStart);
    QVERIFY(waitFor([&](SecretStore::Callback cb) {
                m_memory->writeKey(SecretStore::accountFor(m_settings->baseUrl()), key, this, cb);
            }).ok);
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    const QString placeholder = dialog->apiKeyEdit()->placeholderText();
    QVERIFY(dialog->apiKeyEdit()->text().isEmpty());
    QVERIFY2(placeholder.startsWith(placeholderStart), qPrintable(placeholder));
    QVERIFY(!placeholder.contains(key));
    QVERIFY(!placeholder.contains(key.mid(placeholderStart.indexOf(u'…'), 8)));
    QVERIFY(dialog->removeKeyButton()->isEnabled());
    // Revealing the empty field shows nothing either.
    dialog->apiKeyEdit()->revealAction()->trigger();
    QVERIFY(dialog->apiKeyEdit()->text().isEmpty());
}

void tst_SettingsDialog::maskedKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("masked");
    QTest::newRow("empty") << QString() << u"••••"_s;
    QTest::newRow("too short to show") << u"abc1234"_s << u"••••"_s;
    QTest::newRow("short: last four only") << u"sk-abcdef1234"_s << u"…1234"_s;
    QTest::newRow("sk-") << (u"sk-"_s + u"aaaaaaaaaaaaaaaaaaaaaaaa1234"_s) << u"sk-…1234"_s;
    QTest::newRow("sk-or-") << u"sk-or-v1-aaaaaaaaaaaaaaaaaaaaaa1234"_s << u"sk-or-…1234"_s;
    QTest::newRow("underscore prefix") << u"gsk_aaaaaaaaaaaaaaaaaaaaaaaaaa1234"_s << u"gsk_…1234"_s;
    QTest::newRow("surrounding spaces") << (u"  sk-"_s + u"aaaaaaaaaaaaaaaaaaaaaaaa1234 "_s) << u"sk-…1234"_s;
}

void tst_SettingsDialog::maskedKey()
{
    QFETCH(QString, key);
    QFETCH(QString, masked);
    QCOMPARE(SettingsDialog::maskedKey(key), masked);
}

void tst_SettingsDialog::removeKey()
{
    const QString key = u"sk-remove-me-0000000000001111"_s;
    const QString account = SecretStore::accountFor(m_settings->baseUrl());
    QVERIFY(waitFor([&](SecretStore::Callback cb) { m_memory->writeKey(account, key, this, cb); }).ok);
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    QVERIFY(dialog->removeKeyButton()->isEnabled());
    QSignalSpy keyChanged(dialog.get(), &SettingsDialog::keyChanged);
    QTest::mouseClick(dialog->removeKeyButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(keyChanged.size(), 1, 10'000);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Positive);
    QVERIFY(!dialog->removeKeyButton()->isEnabled());
    QVERIFY(!dialog->apiKeyEdit()->placeholderText().contains(u"1111"_s));
    QCOMPARE(waitFor([&](SecretStore::Callback cb) { m_memory->readKey(account, this, cb); }).error,
             SecretStore::Error::NotFound);
}

void tst_SettingsDialog::showHideTogglesEchoMode()
{
    auto dialog = newDialog(m_memory.get());
    ApiKeyField *field = dialog->apiKeyEdit();
    QVERIFY(waitForKeyLookup(*dialog));
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QAction *reveal = field->revealAction();
    QVERIFY(reveal);
    QVERIFY(!reveal->icon().isNull());
    QCOMPARE(reveal->toolTip(), u"Show key"_s);
    QSignalSpy revealed(field, &ApiKeyField::revealedChanged);
    reveal->trigger();
    QCOMPARE(field->echoMode(), QLineEdit::Normal);
    QCOMPARE(reveal->toolTip(), u"Hide key"_s);
    reveal->trigger();
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QCOMPARE(revealed.size(), 2);
    // The proxy password has one too.
    dialog->proxyPasswordEdit()->revealAction()->trigger();
    QCOMPARE(dialog->proxyPasswordEdit()->echoMode(), QLineEdit::Normal);
}

void tst_SettingsDialog::insecureHttp_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("needsConfirmation");
    QTest::newRow("public host") << u"http://llm.example.com/v1"_s << true;
    QTest::newRow("public IP") << u"http://8.8.8.8:8000/v1"_s << true;
    QTest::newRow("loopback") << u"http://127.0.0.1:8080/v1"_s << false;
    QTest::newRow("private LAN") << u"http://192.168.1.5/v1"_s << false;
    QTest::newRow("localhost") << u"http://localhost:11434/v1"_s << false;
    QTest::newRow("https public") << u"https://llm.example.com/v1"_s << false;
}

void tst_SettingsDialog::insecureHttp()
{
    QFETCH(QString, url);
    QFETCH(bool, needsConfirmation);
    auto dialog = newDialog(m_memory.get());
    typeInto(dialog->baseUrlEdit(), url);
    QCOMPARE(dialog->insecureWarning()->isVisible(), needsConfirmation);
    QCOMPARE(dialog->allowInsecureBox()->isVisible(), needsConfirmation);

    QSignalSpy applied(dialog.get(), &SettingsDialog::applied);
    QCOMPARE(dialog->apply(), !needsConfirmation);
    if (!needsConfirmation) {
        QCOMPARE(m_settings->baseUrl(), QUrl(url));
        QCOMPARE(applied.size(), 1);
        return;
    }
    // Refused, with the reason, until confirmed.
    QCOMPARE(m_settings->baseUrl(), Settings::defaultBaseUrl());
    QCOMPARE(applied.size(), 0);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY2(dialog->banner()->text().contains(QUrl(url).host()), qPrintable(dialog->banner()->text()));
    QVERIFY(dialog->insecureWarning()->text().contains(u"not be encrypted"_s));
    QTest::mouseClick(dialog->allowInsecureBox(), Qt::LeftButton, {},
                      QPoint(8, dialog->allowInsecureBox()->height() / 2));
    QVERIFY(dialog->allowInsecureBox()->isChecked());
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->baseUrl(), QUrl(url));

    // Reopened, the saved choice is still confirmed.
    dialog.reset();
    auto again = newDialog(m_memory.get());
    QVERIFY(again->allowInsecureBox()->isVisible());
    QVERIFY(again->allowInsecureBox()->isChecked());
    QVERIFY(again->apply());
}

void tst_SettingsDialog::insecureConfirmationIsPerHost()
{
    auto dialog = newDialog(m_memory.get());
    typeInto(dialog->baseUrlEdit(), u"http://one.example.com/v1"_s);
    dialog->allowInsecureBox()->setChecked(true);
    typeInto(dialog->baseUrlEdit(), u"http://two.example.com/v1"_s);
    QVERIFY(dialog->allowInsecureBox()->isVisible());
    QVERIFY(!dialog->allowInsecureBox()->isChecked()); // another host: ask again
    QVERIFY(!dialog->apply());
    typeInto(dialog->baseUrlEdit(), u"http://one.example.com/v2"_s);
    QVERIFY(dialog->allowInsecureBox()->isChecked()); // the confirmed host
    QVERIFY(dialog->apply());
}

void tst_SettingsDialog::handEditedHttpIsNotConfirmed()
{
    // As a user edits the file: a public http:// URL, and a confirmation for
    // another host. Saved is not confirmed: the dialog asks as for a typed URL.
    const QString path = m_qsettings->fileName();
    m_settings.reset();
    m_qsettings.reset();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("[network]\nbaseUrl=http://llm.example.com/v1\ninsecureHttpConfirmedHost=other.example.com\n");
    }
    m_qsettings = std::make_unique<QSettings>(path, QSettings::IniFormat);
    m_settings = std::make_unique<Settings>(m_qsettings.get());

    auto dialog = newDialog(m_memory.get());
    QCOMPARE(dialog->baseUrlEdit()->text(), u"http://llm.example.com/v1"_s);
    QVERIFY(dialog->insecureWarning()->isVisible());
    QCOMPARE(dialog->insecureWarning()->kind(), MessageBanner::Kind::Warning);
    QVERIFY(dialog->allowInsecureBox()->isVisible());
    QVERIFY(!dialog->allowInsecureBox()->isChecked());
    QSignalSpy applied(dialog.get(), &SettingsDialog::applied);
    QVERIFY(!dialog->apply());
    QCOMPARE(applied.size(), 0);
    QVERIFY2(dialog->banner()->text().contains(u"llm.example.com"_s), qPrintable(dialog->banner()->text()));
    QVERIFY(!m_settings->isInsecureHttpConfirmed(m_settings->baseUrl()));
    // The Test button sends nothing either until confirmed.
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);

    QTest::mouseClick(dialog->allowInsecureBox(), Qt::LeftButton, {},
                      QPoint(8, dialog->allowInsecureBox()->height() / 2));
    QVERIFY(dialog->apply());
    QCOMPARE(applied.size(), 1);
    QCOMPARE(m_settings->insecureHttpConfirmedHost(), u"llm.example.com"_s);
    QVERIFY(m_settings->isInsecureHttpConfirmed(m_settings->baseUrl()));
    m_settings->sync();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("insecureHttpConfirmedHost=llm.example.com"));
}

void tst_SettingsDialog::insecureConfirmationIsSavedWithTheUrl()
{
    {
        auto dialog = newDialog(m_memory.get());
        typeInto(dialog->baseUrlEdit(), u"http://LLM.example.com:8000/v1"_s);
        dialog->allowInsecureBox()->setChecked(true);
        QVERIFY(dialog->apply());
        QCOMPARE(m_settings->insecureHttpConfirmedHost(), u"llm.example.com"_s);
    }
    {
        // Reopened: still confirmed. Moved to https://: the confirmation goes.
        auto dialog = newDialog(m_memory.get());
        QVERIFY(dialog->allowInsecureBox()->isChecked());
        typeInto(dialog->baseUrlEdit(), u"https://llm.example.com/v1"_s);
        QVERIFY(dialog->apply());
        QVERIFY(m_settings->insecureHttpConfirmedHost().isEmpty());
    }
    {
        // So going back to http:// later asks again.
        auto dialog = newDialog(m_memory.get());
        typeInto(dialog->baseUrlEdit(), u"http://llm.example.com/v1"_s);
        QVERIFY(dialog->allowInsecureBox()->isVisible());
        QVERIFY(!dialog->allowInsecureBox()->isChecked());
        QVERIFY(!dialog->apply());
    }
    {
        // A local server needs no confirmation, and saving one forgets the old.
        auto dialog = newDialog(m_memory.get());
        typeInto(dialog->baseUrlEdit(), u"http://one.example.com/v1"_s);
        dialog->allowInsecureBox()->setChecked(true);
        QVERIFY(dialog->apply());
        QCOMPARE(m_settings->insecureHttpConfirmedHost(), u"one.example.com"_s);
        typeInto(dialog->baseUrlEdit(), u"http://localhost:11434/v1"_s);
        QVERIFY(dialog->apply());
        QVERIFY(m_settings->insecureHttpConfirmedHost().isEmpty());
    }
}

void tst_SettingsDialog::invalidUrlIsRefused()
{
    auto dialog = newDialog(m_memory.get());
    for (const QString &text : {u"api.openai.com/v1"_s, u"ftp://example.com/"_s, u"https://"_s, QString()}) {
        typeInto(dialog->baseUrlEdit(), text);
        QVERIFY2(!dialog->apply(), qPrintable(text));
        QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);
        QCOMPARE(m_settings->baseUrl(), Settings::defaultBaseUrl());
        QVERIFY(!dialog->apiKeyEdit()->isEnabled()); // a key needs an endpoint
    }
    // Credentials in the URL never reach the settings.
    typeInto(dialog->baseUrlEdit(), u"https://user:pw@api.example.com/v1?api_key=sk-x"_s);
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->baseUrl(), QUrl(u"https://api.example.com/v1"_s));
}

void tst_SettingsDialog::settingsRoundTrip()
{
    {
        auto dialog = newDialog(m_memory.get());
        typeInto(dialog->baseUrlEdit(), u"https://gateway.example.org/openai/v1"_s);
        dialog->connectTimeoutBox()->setValue(25);
        dialog->idleTimeoutBox()->setValue(300);
        dialog->retriesBox()->setValue(0);
        dialog->proxyButton(Settings::ProxyMode::Manual)->click();
        dialog->proxyTypeBox()->setCurrentIndex(dialog->proxyTypeBox()->findText(u"SOCKS5"_s));
        typeInto(dialog->proxyHostEdit(), u"socks.example.net"_s);
        dialog->proxyPortBox()->setValue(1081);
        typeInto(dialog->proxyUserEdit(), u"carol"_s);
        dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(int(Settings::Theme::Dark)));
        QSignalSpy network(dialog.get(), &SettingsDialog::networkChanged);
        QSignalSpy theme(dialog.get(), &SettingsDialog::themeChanged);
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        QTest::mouseClick(button(*dialog, QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(accepted.size(), 1); // no key typed: closes at once
        QCOMPARE(network.size(), 1);
        QCOMPARE(theme.size(), 1);
        QCOMPARE(theme.first().first().value<Settings::Theme>(), Settings::Theme::Dark);
    }
    QCOMPARE(m_settings->baseUrl(), QUrl(u"https://gateway.example.org/openai/v1"_s));
    QCOMPARE(m_settings->connectTimeoutSeconds(), 25);
    QCOMPARE(m_settings->idleTimeoutSeconds(), 300);
    QCOMPARE(m_settings->retries(), 0);
    QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::Manual);
    QCOMPARE(m_settings->manualProxy().type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(m_settings->manualProxy().hostName(), u"socks.example.net"_s);
    QCOMPARE(m_settings->manualProxy().port(), quint16(1081));
    QCOMPARE(m_settings->manualProxy().user(), u"carol"_s);
    QCOMPARE(m_settings->theme(), Settings::Theme::Dark);

    // And back into a new dialog.
    auto dialog = newDialog(m_memory.get());
    QCOMPARE(dialog->baseUrlEdit()->text(), u"https://gateway.example.org/openai/v1"_s);
    QCOMPARE(dialog->presetBox()->currentText(), u"Custom"_s);
    QCOMPARE(dialog->connectTimeoutBox()->value(), 25);
    QCOMPARE(dialog->idleTimeoutBox()->value(), 300);
    QCOMPARE(dialog->retriesBox()->value(), 0);
    QCOMPARE(dialog->retriesBox()->text(), u"None"_s);
    QVERIFY(dialog->proxyButton(Settings::ProxyMode::Manual)->isChecked());
    QCOMPARE(dialog->proxyTypeBox()->currentText(), u"SOCKS5"_s);
    QCOMPARE(dialog->proxyHostEdit()->text(), u"socks.example.net"_s);
    QCOMPARE(dialog->proxyPortBox()->value(), 1081);
    QCOMPARE(dialog->proxyUserEdit()->text(), u"carol"_s);
    QCOMPARE(dialog->themeBox()->currentData().toInt(), int(Settings::Theme::Dark));

    // System and None too; the manual fields are disabled then.
    dialog->proxyButton(Settings::ProxyMode::None)->click();
    QVERIFY(!dialog->proxyHostEdit()->isEnabled());
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::None);
    dialog->proxyButton(Settings::ProxyMode::System)->click();
    dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(int(Settings::Theme::Light)));
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::System);
    QCOMPARE(m_settings->theme(), Settings::Theme::Light);
    QCOMPARE(m_settings->manualProxy().hostName(), u"socks.example.net"_s); // kept for next time
}

void tst_SettingsDialog::presets()
{
    auto dialog = newDialog(m_memory.get());
    QCOMPARE(dialog->presetBox()->currentText(), u"HolySheep relay"_s); // the default URL
    const QStringList names = {u"HolySheep relay"_s, u"OpenAI"_s, u"OpenRouter"_s, u"DeepSeek"_s, u"Ollama"_s,
                               u"LM Studio"_s, u"llama.cpp"_s, u"Demo (offline)"_s};
    QStringList listed;
    for (const auto &preset : SettingsDialog::presets())
        listed << preset.name;
    QCOMPARE(listed, names);

    const QList<std::pair<QString, QString>> expected = {
        {u"OpenAI"_s, u"https://api.openai.com/v1"_s},
        {u"Ollama"_s, u"http://localhost:11434/v1"_s},
        {u"LM Studio"_s, u"http://localhost:1234/v1"_s},
        {u"llama.cpp"_s, u"http://localhost:8080/v1"_s},
        {u"OpenRouter"_s, u"https://openrouter.ai/api/v1"_s},
    };
    for (const auto &[name, url] : expected) {
        const int index = dialog->presetBox()->findText(name);
        QVERIFY(index >= 0);
        dialog->presetBox()->setCurrentIndex(index);
        Q_EMIT dialog->presetBox()->activated(index);
        QCOMPARE(dialog->baseUrlEdit()->text(), url);
        QVERIFY(!dialog->insecureWarning()->isVisible()); // local servers need no confirmation
    }
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->baseUrl(), QUrl(u"https://openrouter.ai/api/v1"_s));
    QVERIFY(m_settings->isDemoModeSet() && !m_settings->demoMode());

    // Typing a preset's URL selects it; anything else is Custom.
    typeInto(dialog->baseUrlEdit(), u"https://api.deepseek.com/v1/"_s);
    QCOMPARE(dialog->presetBox()->currentText(), u"DeepSeek"_s);
    typeInto(dialog->baseUrlEdit(), u"https://api.deepseek.com/beta"_s);
    QCOMPARE(dialog->presetBox()->currentText(), u"Custom"_s);
}

void tst_SettingsDialog::demoPreset()
{
    auto dialog = newDialog(m_memory.get());
    QSignalSpy endpoint(dialog.get(), &SettingsDialog::endpointChanged);
    const int index = dialog->presetBox()->findText(u"Demo (offline)"_s);
    dialog->presetBox()->setCurrentIndex(index);
    Q_EMIT dialog->presetBox()->activated(index);
    QVERIFY(!dialog->baseUrlEdit()->isEnabled());
    QVERIFY(!dialog->apiKeyEdit()->isEnabled());
    QVERIFY(!dialog->testButton()->isEnabled());
    QVERIFY(dialog->apply());
    QVERIFY(m_settings->isDemoModeSet() && m_settings->demoMode());
    QCOMPARE(m_settings->baseUrl(), Settings::defaultBaseUrl()); // kept for when the demo is left
    QCOMPARE(endpoint.size(), 1);

    dialog.reset();
    auto again = newDialog(m_memory.get());
    QCOMPARE(again->presetBox()->currentText(), u"Demo (offline)"_s);
    // Leaving the demo for a real endpoint.
    const int openAi = again->presetBox()->findText(u"OpenAI"_s);
    again->presetBox()->setCurrentIndex(openAi);
    Q_EMIT again->presetBox()->activated(openAi);
    QVERIFY(again->apply());
    QVERIFY(m_settings->isDemoModeSet() && !m_settings->demoMode());
}

void tst_SettingsDialog::manualProxyNeedsHost()
{
    auto dialog = newDialog(m_memory.get());
    dialog->proxyButton(Settings::ProxyMode::Manual)->click();
    QVERIFY(dialog->proxyHostEdit()->isEnabled());
    typeInto(dialog->proxyHostEdit(), QString());
    QVERIFY(!dialog->apply());
    QCOMPARE(dialog->tabs()->currentIndex(), int(SettingsDialog::Tab::Network));
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);
    QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::System);
    // The type's usual port follows the type.
    QCOMPARE(dialog->proxyPortBox()->value(), 8080);
    dialog->proxyTypeBox()->setCurrentIndex(1);
    Q_EMIT dialog->proxyTypeBox()->activated(1);
    QCOMPARE(dialog->proxyPortBox()->value(), 1080);
}

void tst_SettingsDialog::proxyPasswordIsSessionOnly()
{
    auto dialog = newDialog(m_memory.get());
    dialog->setProxyPassword(u"old-session-pw"_s);
    QCOMPARE(dialog->proxyPasswordEdit()->echoMode(), QLineEdit::Password);
    dialog->proxyButton(Settings::ProxyMode::Manual)->click();
    typeInto(dialog->proxyHostEdit(), u"proxy.example.net"_s);
    typeInto(dialog->proxyUserEdit(), u"dave"_s);
    const QString password = u"proxy-pw-%1"_s.arg(randomHex());
    typeInto(dialog->proxyPasswordEdit(), password);
    QSignalSpy network(dialog.get(), &SettingsDialog::networkChanged);
    QVERIFY(dialog->apply());
    QCOMPARE(network.size(), 1);
    QCOMPARE(dialog->proxyPassword(), password);
    m_settings->sync();
    QVERIFY(m_settings->manualProxy().password().isEmpty());
    int scanned = 0;
    QCOMPARE(filesContaining(m_root, password, &scanned), QStringList());
}

void tst_SettingsDialog::testButtonSuccess()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s, SseTestServer::models({u"model-a"_s, u"model-b"_s}));
    auto dialog = newDialog(m_memory.get());
    typeInto(dialog->baseUrlEdit(), server.baseUrl().toString());
    dialog->proxyButton(Settings::ProxyMode::None)->click();
    QVERIFY(waitForKeyLookup(*dialog));
    typeInto(dialog->apiKeyEdit(), u"sk-typed-for-test"_s);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QVERIFY(!dialog->testButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(dialog->banner()->text(), u"Connected — 2 models"_s, 20'000);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Positive);
    QVERIFY(dialog->testButton()->isEnabled());
    QVERIFY(!dialog->progressBar()->isVisible());
    QCOMPARE(server.requests(u"/v1/models"_s).size(), 1);
    QCOMPARE(server.requests(u"/v1/models"_s).first().header("authorization"), QByteArray("Bearer sk-typed-for-test"));
    // Testing saves nothing.
    QCOMPARE(m_settings->baseUrl(), Settings::defaultBaseUrl());
    QCOMPARE(waitFor([&](SecretStore::Callback cb) {
                 m_memory->readKey(SecretStore::accountFor(server.baseUrl()), this, cb);
             }).error,
             SecretStore::Error::NotFound);
}

void tst_SettingsDialog::testButtonConnectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    auto dialog = newDialog(m_memory.get());
    typeInto(dialog->baseUrlEdit(), u"http://127.0.0.1:%1/v1"_s.arg(port));
    dialog->proxyButton(Settings::ProxyMode::None)->click();
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->banner()->kind(), MessageBanner::Kind::Error, 20'000);
    const QString text = dialog->banner()->text();
    QVERIFY2(text.contains(u"Connection refused"_s, Qt::CaseInsensitive), qPrintable(text));
    QVERIFY2(!text.contains(u"QNetworkReply"_s), qPrintable(text));

    // A public http:// host is not tested until confirmed (the key would go in clear).
    typeInto(dialog->baseUrlEdit(), u"http://llm.example.com/v1"_s);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QCOMPARE(dialog->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY(dialog->banner()->text().contains(u"unencrypted"_s));
}

void tst_SettingsDialog::testButtonUsesSavedKey()
{
    SseTestServer server;
    QVERIFY(server.listen());
    server.enqueue(u"/v1/models"_s, SseTestServer::models({u"only"_s}));
    QVERIFY(waitFor([&](SecretStore::Callback cb) {
                m_memory->writeKey(SecretStore::accountFor(server.baseUrl()), u"sk-saved-key"_s, this, cb);
            }).ok);
    m_settings->setBaseUrl(server.baseUrl());
    m_settings->setProxyMode(Settings::ProxyMode::None);
    auto dialog = newDialog(m_memory.get());
    QVERIFY(waitForKeyLookup(*dialog));
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->banner()->text(), u"Connected — 1 model"_s, 20'000);
    QCOMPARE(server.requests(u"/v1/models"_s).first().header("authorization"), QByteArray("Bearer sk-saved-key"));
}

void tst_SettingsDialog::accessibleNamesAndBuddies()
{
    auto dialog = newDialog(m_memory.get());
    QSet<QWidget *> buddies;
    const auto labels = dialog->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->buddy())
            buddies.insert(label->buddy());
    }
    const auto widgets = dialog->findChildren<QWidget *>();
    int fields = 0;
    for (QWidget *widget : widgets) {
        // The line edit inside a spin box or combo box belongs to it.
        QWidget *parent = widget->parentWidget();
        if (qobject_cast<QAbstractSpinBox *>(parent) || qobject_cast<QComboBox *>(parent))
            continue;
        // A banner's own (hidden until used) action button is the banner's business.
        if (qobject_cast<MessageBanner *>(widget->parentWidget()))
            continue;
        const bool isField = qobject_cast<QLineEdit *>(widget) || qobject_cast<QAbstractSpinBox *>(widget)
            || qobject_cast<QComboBox *>(widget);
        const bool isButton = qobject_cast<QAbstractButton *>(widget) && !widget->inherits("QToolButton");
        if (!isField && !isButton)
            continue;
        const QString what = QString::fromLatin1(widget->metaObject()->className()) + u' ' + widget->objectName();
        if (isField) {
            ++fields;
            QVERIFY2(buddies.contains(widget), qPrintable(what + u" has no buddy label"_s));
            QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(what + u" has no accessible name"_s));
        } else if (widget->parentWidget() != dialog->buttonBox()) {
            QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(what + u" has no accessible name"_s));
        }
    }
    QVERIFY(fields >= 12);
}

void tst_SettingsDialog::tabOrder()
{
    auto dialog = newDialog(m_memory.get());
    typeInto(dialog->baseUrlEdit(), u"http://llm.example.com/v1"_s); // shows the check box
    const QList<QWidget *> expected = {dialog->presetBox(), dialog->baseUrlEdit(), dialog->allowInsecureBox(),
                                       dialog->apiKeyEdit(), dialog->removeKeyButton()};
    QList<QWidget *> chain;
    QWidget *w = dialog->presetBox();
    for (int i = 0; i < 200 && chain.size() < expected.size(); ++i, w = w->nextInFocusChain()) {
        if (expected.contains(w) && !chain.contains(w))
            chain << w;
    }
    QCOMPARE(chain, expected);

    const QList<QWidget *> network = {dialog->connectTimeoutBox(), dialog->idleTimeoutBox(), dialog->retriesBox(),
                                      dialog->proxyButton(Settings::ProxyMode::System), dialog->proxyTypeBox(),
                                      dialog->proxyHostEdit(), dialog->proxyPortBox(), dialog->proxyUserEdit(),
                                      dialog->proxyPasswordEdit()};
    chain.clear();
    w = dialog->connectTimeoutBox();
    for (int i = 0; i < 200 && chain.size() < network.size(); ++i, w = w->nextInFocusChain()) {
        if (network.contains(w) && !chain.contains(w))
            chain << w;
    }
    QCOMPARE(chain, network);
}

void tst_SettingsDialog::nullStoreDisablesKey()
{
    auto dialog = newDialog(nullptr);
    QVERIFY(!dialog->apiKeyEdit()->isEnabled());
    QVERIFY(!dialog->removeKeyButton()->isEnabled());
    QVERIFY(dialog->keyLocationLabel()->text().contains(u"still checking"_s));
    // The rest still works.
    dialog->retriesBox()->setValue(5);
    QVERIFY(dialog->apply());
    QCOMPARE(m_settings->retries(), 5);
}

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
