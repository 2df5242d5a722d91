#pragma once

#include <QObject>
#include <QString>

#include <functional>

// Where API keys live. Asynchronous, because OS keychains are (they may show
// an unlock prompt). One key per endpoint: `account` is the endpoint's base URL.
//
//     store->readKey(url, this, [](const SecretStore::Result &r) { if (r.ok) use(r.secret); });
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

    struct Result
    {
        bool ok = false;
        QString secret;     // for reads
        Error error = Error::None;
        QString errorText;  // a plain sentence for the user
    };
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    // Human-readable name of where keys go ("the system keychain", "memory (this session only)").
    virtual QString backendName() const = 0;
    // False for stores that forget on exit.
    virtual bool isPersistent() const = 0;

    // `context` guards the callback: it is not called once context is destroyed.
    virtual void readKey(const QString &account, QObject *context, Callback done) = 0;
    virtual void writeKey(const QString &account, const QString &secret, QObject *context, Callback done) = 0;
    virtual void deleteKey(const QString &account, QObject *context, Callback done) = 0;
};
