#include "memorysecretstore.h"

#include <QMetaObject>

#include <utility>

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{
}

MemorySecretStore::~MemorySecretStore() = default;

QString MemorySecretStore::backendName() const
{
    return tr("memory (this session only)");
}

void MemorySecretStore::simulateError(Error error, const QString &errorText)
{
    m_simulatedError = error;
    m_simulatedErrorText = errorText;
}

void MemorySecretStore::readKey(const QString &account, QObject *context, Callback done)
{
    Result result;
    if (m_simulatedError != Error::None) {
        result.error = m_simulatedError;
        result.errorText = m_simulatedErrorText;
    } else if (const auto it = m_secrets.constFind(account); it != m_secrets.constEnd()) {
        result.ok = true;
        result.secret = *it;
    } else {
        result.error = Error::NotFound;
        result.errorText = tr("No key is stored for %1.").arg(account);
    }
    deliver(context, std::move(done), std::move(result));
}

void MemorySecretStore::writeKey(const QString &account, const QString &secret, QObject *context, Callback done)
{
    Result result;
    if (m_simulatedError != Error::None) {
        result.error = m_simulatedError;
        result.errorText = m_simulatedErrorText;
    } else {
        m_secrets.insert(account, secret);
        result.ok = true;
    }
    deliver(context, std::move(done), std::move(result));
}

void MemorySecretStore::deleteKey(const QString &account, QObject *context, Callback done)
{
    Result result;
    if (m_simulatedError != Error::None) {
        result.error = m_simulatedError;
        result.errorText = m_simulatedErrorText;
    } else {
        // Deleting a key that is not there succeeds, as in the keychain.
        m_secrets.remove(account);
        result.ok = true;
    }
    deliver(context, std::move(done), std::move(result));
}

void MemorySecretStore::deliver(QObject *context, Callback done, Result result)
{
    if (!done)
        return;
    // Posted to the context (the store itself when none is given): Qt drops
    // the call if that object is destroyed first.
    QMetaObject::invokeMethod(
        context ? context : this, [done = std::move(done), result = std::move(result)] { done(result); },
        Qt::QueuedConnection);
}
