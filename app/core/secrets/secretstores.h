#pragma once

#include "secrets/secretstore.h"

#include <functional>
#include <memory>

// Picks where API keys go, once, when the app starts: the OS keychain if it
// answers, else memory for this session with a plain sentence for the user.
//
//     SecretStores::probe(this, [this](std::unique_ptr<SecretStore> store, const QString &message) {
//         m_secrets = std::move(store);          // never null
//         if (!message.isEmpty())
//             m_banner->show(message);           // "No system keychain is available ..."
//     });
//
// The probe reads a dummy account (probeAccount()): "not found" proves the
// keychain works without storing anything and, for a nonexistent entry,
// without an unlock prompt. NoBackend and Other give a MemorySecretStore and
// SecretStore::noBackendMessage(); AccessDenied keeps the keychain (it exists;
// the user may unlock it later). The callback runs later from the event loop,
// and not at all if `context` is destroyed first.
namespace SecretStores {

using ProbeCallback = std::function<void(std::unique_ptr<SecretStore> store, const QString &message)>;

QString probeAccount();

// `serviceName` empty: KeychainSecretStore::defaultServiceName().
void probe(QObject *context, ProbeCallback done, const QString &serviceName = QString());

} // namespace SecretStores
