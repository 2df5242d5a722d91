#include "settings.h"

#include <QLoggingCategory>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSettings, "sluice.settings", QtInfoMsg)

namespace {

// Keys in the file, grouped by what they are about.
const QString BaseUrlKey = u"network/baseUrl"_s;
const QString InsecureHttpHostKey = u"network/insecureHttpConfirmedHost"_s;
const QString ConnectTimeoutKey = u"network/connectTimeoutSeconds"_s;
const QString IdleTimeoutKey = u"network/idleTimeoutSeconds"_s;
const QString RetriesKey = u"network/retries"_s;
const QString ProxyModeKey = u"proxy/mode"_s;
const QString ProxyHostKey = u"proxy/host"_s;
const QString ProxyPortKey = u"proxy/port"_s;
const QString ProxyTypeKey = u"proxy/type"_s;
const QString ProxyUserKey = u"proxy/user"_s;
const QString ModelKey = u"chat/model"_s;
const QString SystemPromptKey = u"chat/systemPrompt"_s;
const QString TemperatureKey = u"chat/temperature"_s;
const QString MaxTokensKey = u"chat/maxTokens"_s;
const QString ThemeKey = u"ui/theme"_s;
const QString PricingEditsKey = u"pricing/edits"_s;
const QString PricingRemovedKey = u"pricing/removed"_s;
const QString CachedModelsGroup = u"cachedModels"_s;
const QString DemoModeKey = u"app/demoMode"_s;

constexpr int DefaultConnectTimeout = 10;
constexpr int DefaultIdleTimeout = 120;
constexpr int DefaultRetries = 3;

bool isSecretQueryItem(const QString &name)
{
    static const QStringList names = {u"key"_s, u"api_key"_s, u"api-key"_s, u"apikey"_s,
                                      u"token"_s, u"access_token"_s};
    return names.contains(name, Qt::CaseInsensitive);
}

std::optional<int> readInt(const QSettings *s, const QString &key)
{
    bool ok = false;
    const int value = s->value(key).toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

std::optional<double> readDouble(const QSettings *s, const QString &key)
{
    bool ok = false;
    const double value = s->value(key).toDouble(&ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

int clampTimeout(int seconds)
{
    return std::clamp(seconds, Settings::MinTimeoutSeconds, Settings::MaxTimeoutSeconds);
}

int clampRetries(int retries)
{
    return std::clamp(retries, 0, Settings::MaxRetries);
}

double clampTemperature(double value)
{
    return std::clamp(value, 0.0, Settings::MaxTemperature);
}

int clampMaxTokens(int value)
{
    return std::clamp(value, 1, Settings::MaxMaxTokens);
}

// The group key for one endpoint's cached models: the sanitized URL without
// trailing slash, percent-encoded so its slashes do not make subgroups.
QString endpointKey(const QUrl &baseUrl)
{
    const QUrl url = Settings::sanitizedBaseUrl(baseUrl).adjusted(QUrl::StripTrailingSlash);
    return QString::fromLatin1(QUrl::toPercentEncoding(url.toString(QUrl::FullyEncoded)));
}

template<typename Enum>
struct EnumName
{
    Enum value;
    QString name;
};

const QList<EnumName<Settings::ProxyMode>> &proxyModeNames()
{
    static const QList<EnumName<Settings::ProxyMode>> names = {
        {Settings::ProxyMode::System, u"system"_s},
        {Settings::ProxyMode::None, u"none"_s},
        {Settings::ProxyMode::Manual, u"manual"_s},
    };
    return names;
}

const QList<EnumName<Settings::Theme>> &themeNames()
{
    static const QList<EnumName<Settings::Theme>> names = {
        {Settings::Theme::System, u"system"_s},
        {Settings::Theme::Light, u"light"_s},
        {Settings::Theme::Dark, u"dark"_s},
    };
    return names;
}

template<typename Enum>
Enum enumFromName(const QList<EnumName<Enum>> &names, const QString &name, Enum fallback)
{
    for (const auto &entry : names) {
        if (entry.name.compare(name, Qt::CaseInsensitive) == 0)
            return entry.value;
    }
    return fallback;
}

template<typename Enum>
QString nameOf(const QList<EnumName<Enum>> &names, Enum value)
{
    for (const auto &entry : names) {
        if (entry.value == value)
            return entry.name;
    }
    return names.first().name;
}

} // namespace

QUrl Settings::defaultBaseUrl()
{
    return QUrl(u"https://api.holysheep.ai/v1"_s);
}

QStringList Settings::defaultModels()
{
    return {u"gpt-4o"_s, u"gpt-4.1"_s, u"claude-sonnet-4.5"_s, u"gemini-2.5-flash"_s, u"deepseek-v3.2"_s};
}

QString Settings::defaultModel()
{
    return u"gpt-4o"_s;
}

QUrl Settings::sanitizedBaseUrl(const QUrl &url)
{
    QUrl clean = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    if (clean.hasQuery()) {
        QUrlQuery query(clean);
        const auto items = query.queryItems(QUrl::FullyDecoded);
        for (const auto &item : items) {
            if (isSecretQueryItem(item.first))
                query.removeAllQueryItems(item.first);
        }
        if (query.isEmpty())
            clean = clean.adjusted(QUrl::RemoveQuery);
        else
            clean.setQuery(query);
    }
    return clean;
}

bool Settings::isUsableBaseUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") && !url.host().isEmpty();
}

Settings::Settings() = default;

Settings::Settings(QSettings *settings)
    : m_external(settings)
{
}

Settings::~Settings() = default;

QSettings *Settings::s() const
{
    if (m_external)
        return m_external;
    if (!m_own)
        m_own = std::make_unique<QSettings>(); // the application's organization and name
    return m_own.get();
}

QString Settings::fileName() const
{
    return s()->fileName();
}

QUrl Settings::baseUrl() const
{
    const QString stored = s()->value(BaseUrlKey).toString();
    if (stored.isEmpty())
        return defaultBaseUrl();
    // Sanitized again: the file may have been edited by hand.
    const QUrl url = sanitizedBaseUrl(QUrl(stored, QUrl::StrictMode));
    return isUsableBaseUrl(url) ? url : defaultBaseUrl();
}

void Settings::setBaseUrl(const QUrl &url)
{
    if (url.isEmpty()) {
        s()->remove(BaseUrlKey);
        return;
    }
    const QUrl clean = sanitizedBaseUrl(url);
    if (!isUsableBaseUrl(clean)) {
        qCWarning(lcSettings) << "ignoring a base URL that is not http(s) with a host:" << clean;
        return;
    }
    if (clean != url)
        qCDebug(lcSettings) << "removed user info, a key or a fragment from the base URL before storing it";
    s()->setValue(BaseUrlKey, clean.toString(QUrl::FullyEncoded));
}

QString Settings::insecureHttpConfirmedHost() const
{
    return s()->value(InsecureHttpHostKey).toString().trimmed().toLower();
}

void Settings::setInsecureHttpConfirmedHost(const QString &host)
{
    const QString clean = host.trimmed().toLower();
    if (clean.isEmpty())
        s()->remove(InsecureHttpHostKey);
    else
        s()->setValue(InsecureHttpHostKey, clean);
}

bool Settings::isInsecureHttpConfirmed(const QUrl &url) const
{
    const QString confirmed = insecureHttpConfirmedHost();
    return !confirmed.isEmpty() && url.isValid() && url.scheme().compare(u"http", Qt::CaseInsensitive) == 0
        && url.host().toLower() == confirmed;
}

QString Settings::model() const
{
    const QString model = s()->value(ModelKey).toString().trimmed();
    return model.isEmpty() ? defaultModel() : model;
}

void Settings::setModel(const QString &model)
{
    if (model.trimmed().isEmpty())
        s()->remove(ModelKey);
    else
        s()->setValue(ModelKey, model.trimmed());
}

QString Settings::systemPrompt() const
{
    return s()->value(SystemPromptKey).toString();
}

void Settings::setSystemPrompt(const QString &prompt)
{
    if (prompt.isEmpty())
        s()->remove(SystemPromptKey);
    else
        s()->setValue(SystemPromptKey, prompt);
}

std::optional<double> Settings::temperature() const
{
    const auto value = readDouble(s(), TemperatureKey);
    return value ? std::optional<double>(clampTemperature(*value)) : std::nullopt;
}

void Settings::setTemperature(std::optional<double> value)
{
    if (!value || !std::isfinite(*value))
        s()->remove(TemperatureKey);
    else
        s()->setValue(TemperatureKey, clampTemperature(*value));
}

std::optional<int> Settings::maxTokens() const
{
    const auto value = readInt(s(), MaxTokensKey);
    return value ? std::optional<int>(clampMaxTokens(*value)) : std::nullopt;
}

void Settings::setMaxTokens(std::optional<int> value)
{
    if (!value)
        s()->remove(MaxTokensKey);
    else
        s()->setValue(MaxTokensKey, clampMaxTokens(*value));
}

int Settings::connectTimeoutSeconds() const
{
    return clampTimeout(readInt(s(), ConnectTimeoutKey).value_or(DefaultConnectTimeout));
}

void Settings::setConnectTimeoutSeconds(int seconds)
{
    s()->setValue(ConnectTimeoutKey, clampTimeout(seconds));
}

int Settings::idleTimeoutSeconds() const
{
    return clampTimeout(readInt(s(), IdleTimeoutKey).value_or(DefaultIdleTimeout));
}

void Settings::setIdleTimeoutSeconds(int seconds)
{
    s()->setValue(IdleTimeoutKey, clampTimeout(seconds));
}

int Settings::retries() const
{
    return clampRetries(readInt(s(), RetriesKey).value_or(DefaultRetries));
}

void Settings::setRetries(int retries)
{
    s()->setValue(RetriesKey, clampRetries(retries));
}

Settings::ProxyMode Settings::proxyMode() const
{
    return enumFromName(proxyModeNames(), s()->value(ProxyModeKey).toString(), ProxyMode::System);
}

void Settings::setProxyMode(ProxyMode mode)
{
    s()->setValue(ProxyModeKey, nameOf(proxyModeNames(), mode));
}

QNetworkProxy Settings::manualProxy() const
{
    const auto type = s()->value(ProxyTypeKey).toString().compare(u"socks5", Qt::CaseInsensitive) == 0
        ? QNetworkProxy::Socks5Proxy
        : QNetworkProxy::HttpProxy;
    const int port = readInt(s(), ProxyPortKey).value_or(0);
    return QNetworkProxy(type, s()->value(ProxyHostKey).toString(),
                         quint16(std::clamp(port, 0, 65535)), s()->value(ProxyUserKey).toString());
}

void Settings::setManualProxy(const QNetworkProxy &proxy)
{
    // Deliberately not proxy.password().
    s()->setValue(ProxyTypeKey, proxy.type() == QNetworkProxy::Socks5Proxy ? u"socks5"_s : u"http"_s);
    s()->setValue(ProxyHostKey, proxy.hostName().trimmed());
    s()->setValue(ProxyPortKey, int(proxy.port()));
    if (proxy.user().isEmpty())
        s()->remove(ProxyUserKey);
    else
        s()->setValue(ProxyUserKey, proxy.user());
}

Settings::Theme Settings::theme() const
{
    return enumFromName(themeNames(), s()->value(ThemeKey).toString(), Theme::System);
}

void Settings::setTheme(Theme theme)
{
    s()->setValue(ThemeKey, nameOf(themeNames(), theme));
}

Pricing Settings::pricing() const
{
    Pricing merged = Pricing::defaults();
    const QStringList removed = s()->value(PricingRemovedKey).toStringList();
    for (const QString &model : removed)
        merged.remove(model);
    const Pricing edits = Pricing::fromText(s()->value(PricingEditsKey).toString());
    for (auto it = edits.prices().cbegin(); it != edits.prices().cend(); ++it)
        merged.set(it.key(), it.value());
    return merged;
}

void Settings::setPricing(const Pricing &pricing)
{
    const Pricing defaults = Pricing::defaults();
    Pricing edits;
    for (auto it = pricing.prices().cbegin(); it != pricing.prices().cend(); ++it) {
        const auto shipped = defaults.prices().constFind(it.key());
        if (shipped == defaults.prices().cend() || !(*shipped == it.value()))
            edits.set(it.key(), it.value());
    }
    QStringList removed;
    for (auto it = defaults.prices().cbegin(); it != defaults.prices().cend(); ++it) {
        if (!pricing.prices().contains(it.key()))
            removed.append(it.key());
    }
    removed.sort();

    if (edits.prices().isEmpty())
        s()->remove(PricingEditsKey);
    else
        s()->setValue(PricingEditsKey, edits.toText());
    if (removed.isEmpty())
        s()->remove(PricingRemovedKey);
    else
        s()->setValue(PricingRemovedKey, removed);
}

void Settings::resetPricing()
{
    s()->remove(PricingEditsKey);
    s()->remove(PricingRemovedKey);
}

QStringList Settings::cachedModels(const QUrl &baseUrl) const
{
    return s()->value(CachedModelsGroup + u'/' + endpointKey(baseUrl)).toStringList();
}

void Settings::setCachedModels(const QUrl &baseUrl, const QStringList &models)
{
    const QString key = CachedModelsGroup + u'/' + endpointKey(baseUrl);
    if (models.isEmpty())
        s()->remove(key);
    else
        s()->setValue(key, models);
}

bool Settings::demoMode() const
{
    return s()->value(DemoModeKey, true).toBool();
}

bool Settings::isDemoModeSet() const
{
    return s()->contains(DemoModeKey);
}

void Settings::setDemoMode(bool on)
{
    s()->setValue(DemoModeKey, on);
}

void Settings::sync()
{
    s()->sync();
}
