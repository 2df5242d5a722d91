#include "secretstore.h"

Q_LOGGING_CATEGORY(lcSecrets, "sluice.secrets", QtInfoMsg)

QString SecretStore::noBackendMessage()
{
    return tr("No system keychain is available on this computer, so the key is kept for this session only.");
}

QString SecretStore::accountFor(const QUrl &baseUrl)
{
    return baseUrl
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash
                  | QUrl::NormalizePathSegments)
        .toString(QUrl::FullyEncoded);
}
