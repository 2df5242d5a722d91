#pragma once

#include "secrets/secretstore.h"

#include <QCoreApplication>
#include <QPointer>
#include <QUrl>

// Finds the API key for an endpoint. SLUICE_API_KEY from the environment wins
// for every endpoint and is never written anywhere (not to the store, not to
// the settings); otherwise the key comes from the SecretStore under
// SecretStore::accountFor(baseUrl).
//
//     ApiKeyProvider keys(store);                      // the store SecretStores::probe() picked
//     keys.readKey(settings.baseUrl(), this, [](const SecretStore::Result &r) {
//         if (r.ok) client.setApiKey(r.secret);         // NotFound: no key yet (demo mode)
//     });
//     keys.writeKey(url, typedKey, this, callback);     // the settings dialog
//
// Callbacks arrive later from the event loop, never from inside the call, and
// not at all once `context` is destroyed.
class ApiKeyProvider
{
    Q_DECLARE_TR_FUNCTIONS(ApiKeyProvider)
public:
    static const char *environmentVariable(); // "SLUICE_API_KEY"
    // The key from the environment, trimmed; empty when unset.
    static QString environmentKey();
    static bool hasEnvironmentKey() { return !environmentKey().isEmpty(); }

    explicit ApiKeyProvider(SecretStore *store = nullptr);

    SecretStore *store() const { return m_store; }
    void setStore(SecretStore *store) { m_store = store; }

    void readKey(const QUrl &baseUrl, QObject *context, SecretStore::Callback done) const;
    // These go to the store only; they work while the environment overrides
    // the key too (the stored key is used once SLUICE_API_KEY is unset).
    void writeKey(const QUrl &baseUrl, const QString &key, QObject *context, SecretStore::Callback done) const;
    void deleteKey(const QUrl &baseUrl, QObject *context, SecretStore::Callback done) const;

private:
    bool failWithoutStore(QObject *context, const SecretStore::Callback &done) const;

    QPointer<SecretStore> m_store;
};
