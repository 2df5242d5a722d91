#pragma once

#include "settings/settings.h"

#include <QNetworkProxy>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

// The proxy the user chose in the settings, as a QNetworkProxy for a
// QNetworkAccessManager. The proxy password is never stored: the caller keeps
// it for the session and passes it in.
//
//     ProxyConfig::applyProxy(&nam, settings, sessionPassword);   // at start and after the dialog
//     ConnectionTester::test(url, key, ProxyConfig::proxyFor(mode, manual, password));
//
// System  → QNetworkProxy::DefaultProxy; applyProxy() also turns on
//           QNetworkProxyFactory::setUseSystemConfiguration(true), so the
//           platform's settings (or http_proxy/https_proxy/no_proxy) decide.
// None    → QNetworkProxy::NoProxy (not even the system's).
// Manual  → Settings::manualProxy() (HTTP or SOCKS5, host, port, user) with the
//           session password. A manual proxy without a host is kept as it is,
//           so requests fail instead of silently bypassing the proxy.
namespace ProxyConfig {

QNetworkProxy proxyFor(Settings::ProxyMode mode, const QNetworkProxy &manual,
                       const QString &sessionPassword = QString());
QNetworkProxy proxyFor(const Settings &settings, const QString &sessionPassword = QString());

// Sets `proxy` on `nam` and drops its cached connections (they were opened
// through the old proxy). A DefaultProxy turns on the system configuration.
void applyProxy(QNetworkAccessManager *nam, const QNetworkProxy &proxy);
void applyProxy(QNetworkAccessManager *nam, const Settings &settings, const QString &sessionPassword = QString());

// The usual port of a proxy type: 8080 for HTTP, 1080 for SOCKS5.
quint16 defaultPort(QNetworkProxy::ProxyType type);

} // namespace ProxyConfig

// Which endpoints may be spoken to over plain http:// without asking: the
// API key travels in every request, so only hosts that do not leave this
// machine or the local network are exempt.
//
//     if (UrlPolicy::needsInsecureConfirmation(url) && !userConfirmed) refuse();
//
// Local or private: "localhost" and *.localhost, *.local (mDNS), *.home.arpa;
// IPv4 127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, the link-local
// 169.254.0.0/16 and the unspecified 0.0.0.0 (this machine); IPv6 ::1, ::,
// fe80::/10 (link-local), fc00::/7 (unique local) and IPv4-mapped forms of the
// IPv4 ranges. Everything else, any other host name included, is public: a
// name could resolve anywhere.
namespace UrlPolicy {

bool isLocalOrPrivateHost(const QString &host);
bool isLocalOrPrivateHost(const QUrl &url);
// http:// to a host that is not local or private. https:// never needs it.
bool needsInsecureConfirmation(const QUrl &url);

} // namespace UrlPolicy
