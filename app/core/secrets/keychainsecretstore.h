#pragma once

#include "secrets/secretstore.h"

// Keeps API keys in the operating system's keychain through QtKeychain:
// the Secret Service (GNOME Keyring, KWallet >= 5.97, KeePassXC) on Linux,
// the Keychain on macOS, the Credential Store on Windows.
//
//     KeychainSecretStore store;                        // service "Sluice"
//     store.writeKey(u"https://api.example.com/v1"_s, key, this,
//                    [](const SecretStore::Result &r) { if (!r.ok) showBanner(r.errorText); });
//
// One entry per endpoint: service = serviceName(), key = the account
// (SecretStore::accountFor(baseUrl)). On Linux that is a Secret Service item
// with the attributes server=<service>, user=<account>, type=plaintext in the
// default collection ("secret-tool lookup server Sluice user <account>").
// Every operation is a new QtKeychain job that deletes itself when done.
// A running job is never deleted: destroying the store while one runs is safe
// (it finishes, and the callback still runs), and destroying the context
// drops the callback. Operations run one after another in call order.
// Plain-text fallback storage is always off. Errors come back as
// Error::NotFound, NoBackend (with noBackendMessage()), AccessDenied or Other,
// each with a sentence for the user in Result::errorText.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static QString defaultServiceName(); // "Sluice"

    explicit KeychainSecretStore(QObject *parent = nullptr);
    // Tests use a service name of their own so they never touch real keys.
    explicit KeychainSecretStore(const QString &serviceName, QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    QString serviceName() const { return m_serviceName; }

    QString backendName() const override;
    bool isPersistent() const override { return true; }

    void readKey(const QString &account, QObject *context, Callback done) override;
    void writeKey(const QString &account, const QString &secret, QObject *context, Callback done) override;
    void deleteKey(const QString &account, QObject *context, Callback done) override;

    // The outcome of a QtKeychain job: `keychainError` is a QKeychain::Error
    // (an int here so QtKeychain stays out of this header), `keychainMessage`
    // its errorString(), used in the text of Error::Other and in the log.
    // On Linux and the BSDs QtKeychain reports "no D-Bus session", "no Secret
    // Service" and "no usable collection" all as OtherError, so there
    // OtherError means NoBackend.
    static Error errorFromKeychain(int keychainError);
    static Result resultFromKeychain(int keychainError, const QString &keychainMessage);

private:
    QString m_serviceName;
};
