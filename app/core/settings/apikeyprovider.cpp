#include "apikeyprovider.h"

#include <QCoreApplication>
#include <QMetaObject>

#include <utility>

namespace {

void deliverLater(QObject *context, SecretStore::Callback done, SecretStore::Result result)
{
    if (!context)
        context = QCoreApplication::instance(); // unguarded, as the caller asked
    if (!done || !context)
        return;
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)] { done(result); }, Qt::QueuedConnection);
}

} // namespace

const char *ApiKeyProvider::environmentVariable()
{
    return "SLUICE_API_KEY";
}

QString ApiKeyProvider::environmentKey()
{
    return qEnvironmentVariable(environmentVariable()).trimmed();
}

ApiKeyProvider::ApiKeyProvider(SecretStore *store)
    : m_store(store)
{
}

bool ApiKeyProvider::failWithoutStore(QObject *context, const SecretStore::Callback &done) const
{
    if (m_store)
        return false;
    qCWarning(lcSecrets) << "ApiKeyProvider: no SecretStore set";
    SecretStore::Result result;
    result.error = SecretStore::Error::NoBackend;
    result.errorText = SecretStore::noBackendMessage();
    deliverLater(context, done, std::move(result));
    return true;
}

void ApiKeyProvider::readKey(const QUrl &baseUrl, QObject *context, SecretStore::Callback done) const
{
    if (const QString fromEnvironment = environmentKey(); !fromEnvironment.isEmpty()) {
        SecretStore::Result result;
        result.ok = true;
        result.secret = fromEnvironment;
        deliverLater(context, std::move(done), std::move(result));
        return;
    }
    if (failWithoutStore(context, done))
        return;
    m_store->readKey(SecretStore::accountFor(baseUrl), context, std::move(done));
}

void ApiKeyProvider::writeKey(const QUrl &baseUrl, const QString &key, QObject *context,
                              SecretStore::Callback done) const
{
    if (failWithoutStore(context, done))
        return;
    m_store->writeKey(SecretStore::accountFor(baseUrl), key.trimmed(), context, std::move(done));
}

void ApiKeyProvider::deleteKey(const QUrl &baseUrl, QObject *context, SecretStore::Callback done) const
{
    if (failWithoutStore(context, done))
        return;
    m_store->deleteKey(SecretStore::accountFor(baseUrl), context, std::move(done));
}
