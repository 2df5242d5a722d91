#pragma once

#include "metrics/pricing.h"

#include <QNetworkProxy>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

// Typed access to the user's preferences (QSettings, in the platform's place:
// XDG_CONFIG_HOME on Linux). Never holds a secret: API keys go to SecretStore.
class Settings
{
public:
    enum class ProxyMode { System, None, Manual };
    enum class Theme { System, Light, Dark };

    static QUrl defaultBaseUrl();       // https://api.holysheep.ai/v1
    static QStringList defaultModels(); // gpt-4o, gpt-4.1, claude-sonnet-4.5, gemini-2.5-flash, deepseek-v3.2

    // Uses the application's default QSettings unless given another (tests).
    Settings();
    explicit Settings(QSettings *settings);

    QUrl baseUrl() const;
    void setBaseUrl(const QUrl &url);
    QString model() const;
    void setModel(const QString &model);
    QString systemPrompt() const;
    void setSystemPrompt(const QString &prompt);
    std::optional<double> temperature() const;
    void setTemperature(std::optional<double> value);
    std::optional<int> maxTokens() const;
    void setMaxTokens(std::optional<int> value);

    int connectTimeoutSeconds() const;  // default 10
    void setConnectTimeoutSeconds(int seconds);
    int idleTimeoutSeconds() const;     // default 120
    void setIdleTimeoutSeconds(int seconds);
    int retries() const;                // default 3
    void setRetries(int retries);

    ProxyMode proxyMode() const;
    void setProxyMode(ProxyMode mode);
    QNetworkProxy manualProxy() const;  // host/port/type; the proxy password is not stored
    void setManualProxy(const QNetworkProxy &proxy);

    Theme theme() const;
    void setTheme(Theme theme);

    Pricing pricing() const;            // defaults merged with the user's edits
    void setPricing(const Pricing &pricing);

    QStringList cachedModels(const QUrl &baseUrl) const; // last GET /models answer per endpoint
    void setCachedModels(const QUrl &baseUrl, const QStringList &models);

    bool demoMode() const;              // the built-in offline demo endpoint is selected
    void setDemoMode(bool on);

    void sync();

private:
    QSettings *s() const;
    QSettings *m_external = nullptr;
    mutable std::unique_ptr<QSettings> m_own;
};
