#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// What the free-form per-conversation settings (HistoryStore::
// conversationSettings(): top_p, stop, reasoning_effort, ...) may hold. Pure.
//
//     QStringList dropped;
//     const QJsonObject safe = ConversationSettings::withoutSecrets(settings, &dropped);
//     if (!dropped.isEmpty()) qCWarning(...) << "not kept:" << dropped;   // names only, never values
//
// The settings are request parameters, never a credential: API keys live in
// the OS keychain only, and nothing in Sluice puts one here. As a second line
// of defence (a future setting such as extra headers, a hand-edited export),
// withoutSecrets() drops, at any depth, each member whose name names a
// credential and each string that is one, and strips user info, query and
// fragment from URLs. HistoryStore applies it to every write and read of the
// settings, ConversationExport to every export and import, so neither the
// database nor an export file can carry a key in them.
namespace ConversationSettings {

// api_key, x-api-key, apiKey, openai_key, Authorization, auth, token,
// access_token, secret, client_secret, password, passphrase, credentials,
// cookie, private_key, ... (any case, any separators). Counts such as
// max_tokens are not names of secrets.
bool isSecretName(const QString &name);
// "Bearer …" / "Basic …" (an Authorization header value) or a provider key
// ("sk-…", "sk-ant-…", "AIza…" with a long enough tail).
bool isSecretValue(const QString &value);
// `text` without user info, query and fragment when it is a URL with a scheme
// and a host; an empty string when it is not a URL.
QString urlWithoutCredentials(const QString &text);

// `settings` without anything that could be a credential (see above); the
// dotted paths of what was dropped are appended to *dropped.
QJsonObject withoutSecrets(const QJsonObject &settings, QStringList *dropped = nullptr);

} // namespace ConversationSettings
