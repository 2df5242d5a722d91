#pragma once

#include "secrets/secretstore.h"

#include <QHash>

// Keeps API keys in memory for this session only: the fallback on machines
// without a keychain, and the store to inject in tests.
//
//     MemorySecretStore store;
//     store.writeKey(url, key, this, [](const SecretStore::Result &r) { ... });
//
// Behaves like KeychainSecretStore: operations take effect in call order and
// every callback is delivered later from the event loop (queued, never from
// inside the call), and not at all once `context` is destroyed.
// simulateError() makes every operation fail, for tests of error paths.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    ~MemorySecretStore() override;

    QString backendName() const override;
    bool isPersistent() const override { return false; }

    void readKey(const QString &account, QObject *context, Callback done) override;
    void writeKey(const QString &account, const QString &secret, QObject *context, Callback done) override;
    void deleteKey(const QString &account, QObject *context, Callback done) override;

    // Every following operation fails with `error` (Error::None: back to normal).
    void simulateError(Error error, const QString &errorText = QString());

private:
    void deliver(QObject *context, Callback done, Result result);

    QHash<QString, QString> m_secrets;
    Error m_simulatedError = Error::None;
    QString m_simulatedErrorText;
};
