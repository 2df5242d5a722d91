#pragma once

#include "settings/settings.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QString>
#include <QUrl>

class ApiKeyField;
class ConnectionTester;
class MessageBanner;
class QAbstractButton;
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;
class QTimer;
class SecretStore;

// The Settings dialog: the endpoint (a preset or a base URL) and its API key,
// timeouts, retries and proxy, and the theme.
//
//     auto *dialog = new SettingsDialog(settings, secretStore /* may be null */, this);
//     dialog->setProxyPassword(m_proxyPassword);          // the session's, if any
//     dialog->setAttribute(Qt::WA_DeleteOnClose);
//     connect(dialog, &SettingsDialog::applied, this, [this, dialog] {
//         m_proxyPassword = dialog->proxyPassword();       // session only, never saved
//         ProxyConfig::applyProxy(m_nam, *m_settings, m_proxyPassword);
//         reloadEndpoint();
//     });
//     dialog->open();
//
// Apply (and OK) write the Settings at once and the typed key through
// ApiKeyProvider into the SecretStore, which is asynchronous: the dialog shows
// progress, then a confirmation or the store's plain error in its banner. OK
// closes only once the key is saved; a failure keeps the dialog open with the
// error. `applied` is emitted after each Apply or OK when everything is
// written; the finer signals say what changed. The key never goes to the
// settings, a file or a log; a stored key is shown only masked ("sk-…abcd").
//
// Plain http:// is accepted without asking only for loopback and private
// hosts (UrlPolicy); anything else needs the "Allow unencrypted http://"
// check box. The host so confirmed is saved (Settings::
// insecureHttpConfirmedHost()) and the main window sends nothing to an
// unconfirmed one, so a base URL edited into the file by hand is asked about
// here like a typed one. The proxy password is kept for this session only.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Tab { Endpoint, Network, Appearance };

    struct Preset
    {
        QString name;   // shown in the list ("OpenAI")
        QUrl baseUrl;   // empty for the offline demo
        bool demo = false;
    };
    // HolySheep relay, OpenAI, OpenRouter, DeepSeek, Ollama, LM Studio, llama.cpp, Demo (offline).
    static QList<Preset> presets();

    // What the key field shows for a stored key: at most a short vendor
    // prefix and the last four characters ("sk-proj-…abcd"); "••••" for a
    // key too short to show any of it.
    static QString maskedKey(const QString &key);

    // `settings` must outlive the dialog. `secrets` may be null while the key
    // store is still being picked: the key field is then disabled.
    SettingsDialog(Settings *settings, SecretStore *secrets, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The manual proxy's password for this session (never stored).
    QString proxyPassword() const;
    void setProxyPassword(const QString &password);

    void showTab(Tab tab);
    // Writes everything (as the Apply button does); false when a field is not
    // valid (the banner says why). The key, if typed, is saved asynchronously.
    bool apply();
    bool isBusy() const { return m_savingKey; }

    // --- Parts, for tests ----------------------------------------------------------
    QComboBox *presetBox() const { return m_preset; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QCheckBox *allowInsecureBox() const { return m_allowInsecure; }
    MessageBanner *insecureWarning() const { return m_insecureWarning; }
    ApiKeyField *apiKeyEdit() const { return m_key; }
    QPushButton *removeKeyButton() const { return m_removeKey; }
    MessageBanner *keyNotice() const { return m_keyNotice; }
    QLabel *keyLocationLabel() const { return m_keyLocation; }
    QSpinBox *connectTimeoutBox() const { return m_connectTimeout; }
    QSpinBox *idleTimeoutBox() const { return m_idleTimeout; }
    QSpinBox *retriesBox() const { return m_retries; }
    QRadioButton *proxyButton(Settings::ProxyMode mode) const;
    QComboBox *proxyTypeBox() const { return m_proxyType; }
    QLineEdit *proxyHostEdit() const { return m_proxyHost; }
    QSpinBox *proxyPortBox() const { return m_proxyPort; }
    QLineEdit *proxyUserEdit() const { return m_proxyUser; }
    ApiKeyField *proxyPasswordEdit() const { return m_proxyPassword; }
    QComboBox *themeBox() const { return m_theme; }
    QPushButton *testButton() const { return m_test; }
    QDialogButtonBox *buttonBox() const { return m_buttons; }
    MessageBanner *banner() const { return m_banner; }
    QProgressBar *progressBar() const { return m_progress; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    // After Apply or OK, once the settings (and a typed key) are written.
    void applied();
    // The base URL or the demo choice changed.
    void endpointChanged(const QUrl &baseUrl);
    // A key was saved for, or removed from, this endpoint.
    void keyChanged(const QUrl &baseUrl);
    // Timeouts, retries, the proxy or the session's proxy password changed.
    void networkChanged();
    void themeChanged(Settings::Theme theme);

public Q_SLOTS:
    void accept() override; // applies, then closes once the key is saved

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildEndpointPage();
    QWidget *buildNetworkPage();
    QWidget *buildAppearancePage();
    void load();

    // Endpoint
    QUrl typedBaseUrl() const;
    bool isDemoSelected() const;
    void onPresetActivated(int index);
    void onBaseUrlEdited();
    void selectPresetForUrl();
    void updateUrlState();
    // Key
    void refreshStoredKey();
    void updateKeyState();
    void removeKey();
    void saveKey(const QUrl &baseUrl, const QString &key, bool closeAfter);
    // Network
    Settings::ProxyMode selectedProxyMode() const;
    QNetworkProxy typedManualProxy() const;
    void updateProxyState();
    void testConnection();
    void runTest(const QUrl &baseUrl, const QString &key);
    // Apply
    bool validate();
    bool applyAndMaybeClose(bool closeAfter);
    void finishApply(bool closeAfter);
    void setBusy(bool savingKey);
    void updateBusyIndicator();

    Settings *m_settings;
    QPointer<SecretStore> m_secrets;
    ConnectionTester *m_tester = nullptr;
    QTimer *m_keyLookup = nullptr;

    // State
    QString m_storedKeyMask;       // empty: no key stored for the URL in the field
    bool m_storedKeyKnown = false; // the lookup for the current URL has answered
    quint64 m_keyLookupGeneration = 0;
    QUrl m_keyLookupUrl;
    QString m_confirmedInsecureHost; // the http:// host the user allowed (lower case)
    bool m_endpointTouched = false;
    bool m_savingKey = false;
    QString m_initialProxyPassword;

    // Widgets
    QTabWidget *m_tabs = nullptr;
    QComboBox *m_preset = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_urlHint = nullptr;
    MessageBanner *m_insecureWarning = nullptr;
    QCheckBox *m_allowInsecure = nullptr;
    ApiKeyField *m_key = nullptr;
    QPushButton *m_removeKey = nullptr;
    QLabel *m_keyLocation = nullptr;
    MessageBanner *m_keyNotice = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QSpinBox *m_idleTimeout = nullptr;
    QSpinBox *m_retries = nullptr;
    QButtonGroup *m_proxyMode = nullptr;
    QWidget *m_manualProxy = nullptr;
    QComboBox *m_proxyType = nullptr;
    QLineEdit *m_proxyHost = nullptr;
    QSpinBox *m_proxyPort = nullptr;
    QLineEdit *m_proxyUser = nullptr;
    ApiKeyField *m_proxyPassword = nullptr;
    QComboBox *m_theme = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_test = nullptr;
    QProgressBar *m_progress = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
