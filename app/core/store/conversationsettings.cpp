#include "conversationsettings.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <optional>

using namespace Qt::StringLiterals;

namespace ConversationSettings {

namespace {

// Lower case, letters and digits only: "X-Api-Key", "apiKey" and "api_key" are one name.
QString normalizedName(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name)
        if (c.isLetterOrNumber())
            out += c.toLower();
    return out;
}

// A URL with a scheme and a host, else nullopt.
std::optional<QUrl> asUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    const QUrl url(trimmed, QUrl::TolerantMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return std::nullopt;
    return url;
}

std::optional<QJsonValue> cleaned(const QJsonValue &value, const QString &path, QStringList *dropped)
{
    auto drop = [&](const QString &what) {
        if (dropped)
            dropped->append(what);
    };
    switch (value.type()) {
    case QJsonValue::String: {
        const QString text = value.toString();
        if (isSecretValue(text)) {
            drop(path);
            return std::nullopt;
        }
        const std::optional<QUrl> url = asUrl(text);
        if (url && (!url->userInfo().isEmpty() || url->hasQuery() || url->hasFragment())) {
            drop(path + u" (user info, query)"_s);
            return QJsonValue(urlWithoutCredentials(text));
        }
        return value;
    }
    case QJsonValue::Object: {
        const QJsonObject in = value.toObject();
        QJsonObject out;
        for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
            const QString member = path.isEmpty() ? it.key() : path + u'.' + it.key();
            if (isSecretName(it.key())) {
                drop(member);
                continue;
            }
            if (std::optional<QJsonValue> v = cleaned(it.value(), member, dropped))
                out.insert(it.key(), *v);
        }
        return out;
    }
    case QJsonValue::Array: {
        const QJsonArray in = value.toArray();
        QJsonArray out;
        for (qsizetype i = 0; i < in.size(); ++i)
            if (std::optional<QJsonValue> v = cleaned(in.at(i), path + u'[' + QString::number(i) + u']', dropped))
                out.append(*v);
        return out;
    }
    default:
        return value;
    }
}

} // namespace

bool isSecretName(const QString &name)
{
    const QString n = normalizedName(name);
    static const QStringList whole{u"key"_s, u"token"_s, u"auth"_s, u"pass"_s, u"pwd"_s};
    static const QStringList parts{u"apikey"_s,     u"secret"_s,     u"password"_s,   u"passwd"_s,
                                   u"passphrase"_s, u"authorization"_s, u"credential"_s, u"cookie"_s,
                                   u"bearer"_s,     u"privatekey"_s, u"accesskey"_s,  u"authtoken"_s};
    if (whole.contains(n))
        return true;
    for (const QString &part : parts)
        if (n.contains(part))
            return true;
    // openai_key, x-goog-api-key, access_token, id_token, ... (but max_tokens is a count).
    return n.endsWith(u"key"_s) || n.endsWith(u"token"_s);
}

bool isSecretValue(const QString &value)
{
    static const QRegularExpression pattern(
        uR"(^\s*(?:bearer\s+\S{8,}|(?:sk-|sk_|AIza|hf_|gsk_|xai-|pplx-)[A-Za-z0-9_\-]{16,})\s*$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(value).hasMatch();
}

QString urlWithoutCredentials(const QString &text)
{
    const std::optional<QUrl> url = asUrl(text);
    if (!url)
        return {};
    // QUrl keeps an empty query ("?") unless told to remove it.
    return url->toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QJsonObject withoutSecrets(const QJsonObject &settings, QStringList *dropped)
{
    return cleaned(settings, QString(), dropped)->toObject();
}

} // namespace ConversationSettings
