#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace {

// For the log: an account is an endpoint URL; never print a password that
// someone left in it.
QString redacted(const QString &account)
{
    const QUrl url(account);
    if (url.isValid() && !url.userInfo().isEmpty())
        return url.toString(QUrl::RemoveUserInfo);
    return account;
}

// A job of its own for each operation. No parent: QtKeychain's libsecret and
// D-Bus backends call back into the job, so a running job must never be
// deleted along with its owner; autoDelete frees it after finished().
template<typename Job>
Job *newJob(const QString &service, const QString &account)
{
    auto *job = new Job(service);
    job->setAutoDelete(true);
    // Never store a key in plain text (QtKeychain would write it to a
    // QSettings file when no keychain works). Off by default; stated here so
    // it stays off.
    job->setInsecureFallback(false);
    job->setKey(account);
    return job;
}

void whenFinished(QKeychain::Job *job, QObject *context, const char *operation, const QString &account,
                  SecretStore::Callback done)
{
    // With a context, Qt drops the connection when the context is destroyed.
    QObject *guard = context ? context : job;
    QObject::connect(job, &QKeychain::Job::finished, guard,
                     [operation, account, done = std::move(done)](QKeychain::Job *finished) {
                         SecretStore::Result result = KeychainSecretStore::resultFromKeychain(
                             finished->error(), finished->errorString());
                         if (result.ok) {
                             if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                                 result.secret = read->textData();
                             qCDebug(lcSecrets) << "keychain" << operation << redacted(account) << "ok";
                         } else if (result.error == SecretStore::Error::NotFound) {
                             qCDebug(lcSecrets) << "keychain" << operation << redacted(account) << "not found";
                         } else {
                             qCWarning(lcSecrets) << "keychain" << operation << redacted(account) << "failed:"
                                                  << result.error << finished->error()
                                                  << finished->errorString();
                         }
                         if (done)
                             done(result);
                     });
}

} // namespace

QString KeychainSecretStore::defaultServiceName()
{
    return u"Sluice"_s;
}

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : KeychainSecretStore(defaultServiceName(), parent)
{
}

KeychainSecretStore::KeychainSecretStore(const QString &serviceName, QObject *parent)
    : SecretStore(parent)
    , m_serviceName(serviceName)
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::backendName() const
{
    return tr("the system keychain");
}

void KeychainSecretStore::readKey(const QString &account, QObject *context, Callback done)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(m_serviceName, account);
    whenFinished(job, context, "read", account, std::move(done));
    job->start();
}

void KeychainSecretStore::writeKey(const QString &account, const QString &secret, QObject *context, Callback done)
{
    auto *job = newJob<QKeychain::WritePasswordJob>(m_serviceName, account);
    job->setTextData(secret);
    whenFinished(job, context, "write", account, std::move(done));
    job->start();
}

void KeychainSecretStore::deleteKey(const QString &account, QObject *context, Callback done)
{
    auto *job = newJob<QKeychain::DeletePasswordJob>(m_serviceName, account);
    whenFinished(job, context, "delete", account, std::move(done));
    job->start();
}

SecretStore::Error KeychainSecretStore::errorFromKeychain(int keychainError)
{
    switch (static_cast<QKeychain::Error>(keychainError)) {
    case QKeychain::NoError:
        return Error::None;
    case QKeychain::EntryNotFound:
        return Error::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error::AccessDenied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error::NoBackend;
    case QKeychain::OtherError:
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
        // libsecret: "Could not connect", "Cannot autolaunch D-Bus without
        // X11 $DISPLAY", "The name org.freedesktop.secrets was not provided by
        // any .service files", "Object does not exist at path
        // .../collection/login"; KWallet: "Could not open wallet".
        return Error::NoBackend;
#else
        return Error::Other;
#endif
    case QKeychain::CouldNotDeleteEntry:
        return Error::Other;
    }
    return Error::Other;
}

SecretStore::Result KeychainSecretStore::resultFromKeychain(int keychainError, const QString &keychainMessage)
{
    Result result;
    result.error = errorFromKeychain(keychainError);
    result.ok = result.error == Error::None;
    switch (result.error) {
    case Error::None:
        break;
    case Error::NotFound:
        result.errorText = tr("No key is stored in the system keychain for this endpoint.");
        break;
    case Error::NoBackend:
        result.errorText = noBackendMessage();
        break;
    case Error::AccessDenied:
        result.errorText = tr("The system keychain did not allow access to the key. "
                              "Unlock the keychain or allow Sluice to use it, then try again.");
        break;
    case Error::Other:
        result.errorText = keychainMessage.isEmpty()
            ? tr("The system keychain reported an error.")
            : tr("The system keychain reported an error: %1").arg(keychainMessage);
        break;
    }
    return result;
}
