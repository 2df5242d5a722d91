#pragma once

#include "metrics/pricing.h"

#include <QNetworkProxy>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

// Typed access to the user's preferences (QSettings, in the platform's place:
// $XDG_CONFIG_HOME/Sluice/Sluice.conf on Linux, with the organization and
// application names "Sluice" that main() sets). Never holds a secret: API
// keys go to SecretStore.
//
//     Settings settings;                        // or Settings(&mySettings) in tests
//     settings.setBaseUrl(url);                 // stored without user info or key=… items
//     ChatClient::Options o;
//     o.connectTimeoutMs = settings.connectTimeoutSeconds() * 1000;
//
// Keys are grouped ("network/baseUrl", "chat/model", "ui/theme", ...).
// Numbers are clamped to their range on write and on read (the file may be
// edited by hand); a value that is missing or unreadable gives the default.
// Setters write at once into QSettings, which saves by itself; sync() forces it.
class Settings
{
public:
    enum class ProxyMode { System, None, Manual };
    enum class Theme { System, Light, Dark };

    // Ranges of the numbers (inclusive); values outside are clamped.
    static constexpr int MinTimeoutSeconds = 1;
    static constexpr int MaxTimeoutSeconds = 3600;
    static constexpr int MaxRetries = 10;
    static constexpr double MaxTemperature = 2.0;
    static constexpr int MaxMaxTokens = 1'000'000;

    static QUrl defaultBaseUrl();       // https://api.holysheep.ai/v1
    static QStringList defaultModels(); // gpt-4o, gpt-4.1, claude-sonnet-4.5, gemini-2.5-flash, deepseek-v3.2
    static QString defaultModel();      // gpt-4o

    // `url` without anything that may be a secret: user info ("user:password@"),
    // query items named key, api_key, api-key, apikey, token or access_token
    // (any case), and the fragment. Other query items (api-version=…) stay.
    static QUrl sanitizedBaseUrl(const QUrl &url);
    // Whether setBaseUrl() accepts it: http or https with a host.
    static bool isUsableBaseUrl(const QUrl &url);

    // Uses the application's default QSettings unless given another (tests).
    Settings();
    explicit Settings(QSettings *settings);
    ~Settings();

    QString fileName() const;           // where the settings are saved

    // Stored sanitized (see sanitizedBaseUrl()); a URL that is not usable is
    // ignored and an empty one restores the default.
    QUrl baseUrl() const;
    void setBaseUrl(const QUrl &url);
    // The plain-http:// host the user allowed in the settings dialog, knowing
    // that messages and the key go to it unencrypted (empty: none). The app
    // sends nothing over http:// to a host that is not local or private
    // (UrlPolicy::needsInsecureConfirmation()) unless it is this one, so a
    // base URL edited into the file by hand is not trusted by itself. Stored
    // lower-case; an empty host forgets it.
    QString insecureHttpConfirmedHost() const;
    void setInsecureHttpConfirmedHost(const QString &host);
    // `url` is http:// to exactly the confirmed host (any port or path).
    bool isInsecureHttpConfirmed(const QUrl &url) const;
    QString model() const;              // default gpt-4o; empty resets
    void setModel(const QString &model);
    QString systemPrompt() const;
    void setSystemPrompt(const QString &prompt);
    std::optional<double> temperature() const;  // unset by default; 0..2
    void setTemperature(std::optional<double> value);
    std::optional<int> maxTokens() const;       // unset by default; 1..1'000'000
    void setMaxTokens(std::optional<int> value);

    int connectTimeoutSeconds() const;  // default 10; 1..3600
    void setConnectTimeoutSeconds(int seconds);
    int idleTimeoutSeconds() const;     // default 120; 1..3600
    void setIdleTimeoutSeconds(int seconds);
    int retries() const;                // default 3; 0..10
    void setRetries(int retries);

    ProxyMode proxyMode() const;        // default System
    void setProxyMode(ProxyMode mode);
    // Host, port, type (HTTP or SOCKS5) and user name; the proxy password is
    // never stored (the UI asks for it in the session when needed).
    QNetworkProxy manualProxy() const;
    void setManualProxy(const QNetworkProxy &proxy);

    Theme theme() const;                // default System
    void setTheme(Theme theme);

    // Pricing::defaults() merged with the user's edits: only the prices that
    // differ from the shipped table (as Pricing::toText()) and the names of
    // shipped models the user removed are stored, so pricing() == p after
    // setPricing(p), and a new release's prices reach untouched models.
    Pricing pricing() const;
    void setPricing(const Pricing &pricing);
    void resetPricing();

    QStringList cachedModels(const QUrl &baseUrl) const; // last GET /models answer per endpoint
    void setCachedModels(const QUrl &baseUrl, const QStringList &models);

    // The built-in offline demo endpoint is selected. The app decides (on
    // when no API key is known); until it stores a choice this is true.
    bool demoMode() const;
    bool isDemoModeSet() const;
    void setDemoMode(bool on);

    void sync();

private:
    QSettings *s() const;
    QSettings *m_external = nullptr;
    mutable std::unique_ptr<QSettings> m_own;
};
