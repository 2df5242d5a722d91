#include "secretstores.h"

#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"

using namespace Qt::StringLiterals;

QString SecretStores::probeAccount()
{
    return u"sluice:keychain-probe"_s;
}

void SecretStores::probe(QObject *context, ProbeCallback done, const QString &serviceName)
{
    // Parented to the context until the answer comes, so nothing leaks if the
    // context goes first (the running job does not point at the store).
    auto *keychain = new KeychainSecretStore(
        serviceName.isEmpty() ? KeychainSecretStore::defaultServiceName() : serviceName, context);
    keychain->readKey(probeAccount(), context, [keychain, done = std::move(done)](const SecretStore::Result &r) {
        keychain->setParent(nullptr);
        std::unique_ptr<SecretStore> store(keychain);
        switch (r.error) {
        case SecretStore::Error::None:
        case SecretStore::Error::NotFound:
        case SecretStore::Error::AccessDenied:
            qCInfo(lcSecrets) << "API keys go to" << store->backendName();
            if (done)
                done(std::move(store), QString());
            return;
        case SecretStore::Error::NoBackend:
        case SecretStore::Error::Other:
            break;
        }
        store.reset();
        auto memory = std::make_unique<MemorySecretStore>();
        qCInfo(lcSecrets) << "no usable keychain (" << r.error << "); API keys go to" << memory->backendName();
        if (done)
            done(std::move(memory), SecretStore::noBackendMessage());
    });
}
