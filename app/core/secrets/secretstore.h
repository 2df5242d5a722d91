#pragma once

#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcSecrets) // "sluice.secrets"; logs accounts and errors, never a secret

// Where API keys live. Asynchronous, because OS keychains are (they may show
// an unlock prompt). One key per endpoint: `account` is accountFor(baseUrl).
//
//     store->readKey(SecretStore::accountFor(url), this,
//                    [](const SecretStore::Result &r) { if (r.ok) use(r.secret); });
//
// Implementations: KeychainSecretStore (the OS keychain through QtKeychain)
// and MemorySecretStore (this session only; used when no keychain works).
// A secret never touches QSettings, a file or a log through this interface.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        NotFound,           // no key stored for this account
        NoBackend,          // no keychain service on this machine (e.g. no Secret Service)
        AccessDenied,       // the user refused, or the keychain is locked
        Other,
    };
    Q_ENUM(Error)

    struct Result
    {
        bool ok = false;
        QString secret;     // for reads
        Error error = Error::None;
        QString errorText;  // a plain sentence for the user
    };
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    // The sentence shown when no keychain works: "No system keychain is
    // available on this computer, so the key is kept for this session only."
    static QString noBackendMessage();

    // The account for an endpoint: its base URL without user info, query,
    // fragment and trailing slash, so "https://u:p@api.example.com/v1/?x=1"
    // and "https://api.example.com/v1" share one key.
    static QString accountFor(const QUrl &baseUrl);

    // Human-readable name of where keys go ("the system keychain", "memory (this session only)").
    virtual QString backendName() const = 0;
    // False for stores that forget on exit.
    virtual bool isPersistent() const = 0;

    // `context` guards the callback: it is not called once context is destroyed.
    virtual void readKey(const QString &account, QObject *context, Callback done) = 0;
    virtual void writeKey(const QString &account, const QString &secret, QObject *context, Callback done) = 0;
    virtual void deleteKey(const QString &account, QObject *context, Callback done) = 0;
};
