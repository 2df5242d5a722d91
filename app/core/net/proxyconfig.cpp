#include "proxyconfig.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>

#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProxy, "sluice.net.proxy", QtInfoMsg)

// ---- ProxyConfig -------------------------------------------------------------------

QNetworkProxy ProxyConfig::proxyFor(Settings::ProxyMode mode, const QNetworkProxy &manual,
                                    const QString &sessionPassword)
{
    switch (mode) {
    case Settings::ProxyMode::System:
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    case Settings::ProxyMode::None:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case Settings::ProxyMode::Manual:
        break;
    }
    const QNetworkProxy::ProxyType type =
        manual.type() == QNetworkProxy::Socks5Proxy ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy;
    const quint16 port = manual.port() != 0 ? manual.port() : defaultPort(type);
    QNetworkProxy proxy(type, manual.hostName().trimmed(), port, manual.user());
    if (!manual.user().isEmpty())
        proxy.setPassword(sessionPassword);
    return proxy;
}

QNetworkProxy ProxyConfig::proxyFor(const Settings &settings, const QString &sessionPassword)
{
    return proxyFor(settings.proxyMode(), settings.manualProxy(), sessionPassword);
}

void ProxyConfig::applyProxy(QNetworkAccessManager *nam, const QNetworkProxy &proxy)
{
    if (!nam)
        return;
    if (proxy.type() == QNetworkProxy::DefaultProxy)
        QNetworkProxyFactory::setUseSystemConfiguration(true);
    if (proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy) {
        // Host and port only: never the user or the password.
        qCDebug(lcProxy) << "proxy" << proxy.type() << proxy.hostName() << proxy.port();
    } else {
        qCDebug(lcProxy) << "proxy" << proxy.type();
    }
    nam->setProxy(proxy);
    nam->clearConnectionCache();
}

void ProxyConfig::applyProxy(QNetworkAccessManager *nam, const Settings &settings, const QString &sessionPassword)
{
    applyProxy(nam, proxyFor(settings, sessionPassword));
}

quint16 ProxyConfig::defaultPort(QNetworkProxy::ProxyType type)
{
    return type == QNetworkProxy::Socks5Proxy ? 1080 : 8080;
}

// ---- UrlPolicy ---------------------------------------------------------------------

namespace {

bool inAny(const QHostAddress &address, std::initializer_list<std::pair<const char *, int>> subnets)
{
    for (const auto &[network, prefix] : subnets) {
        if (address.isInSubnet(QHostAddress(QString::fromLatin1(network)), prefix))
            return true;
    }
    return false;
}

bool isLocalOrPrivateAddress(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool mapped = false;
        const quint32 v4 = address.toIPv4Address(&mapped); // ::ffff:a.b.c.d
        if (mapped)
            return isLocalOrPrivateAddress(QHostAddress(v4));
        return address.isLoopback() || address == QHostAddress(QHostAddress::AnyIPv6)
            || inAny(address, {{"fe80::", 10}, {"fc00::", 7}});
    }
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        return address == QHostAddress(QHostAddress::AnyIPv4)
            || inAny(address, {{"127.0.0.0", 8}, {"10.0.0.0", 8}, {"172.16.0.0", 12}, {"192.168.0.0", 16},
                               {"169.254.0.0", 16}});
    }
    return false;
}

bool hasSuffixLabel(const QString &host, const QString &suffix)
{
    // "x.local", not "xlocal"; the suffix alone ("local") is not a host.
    return host.size() > suffix.size() + 1 && host.endsWith(suffix)
        && host.at(host.size() - suffix.size() - 1) == u'.';
}

} // namespace

bool UrlPolicy::isLocalOrPrivateHost(const QString &hostIn)
{
    QString host = hostIn.trimmed().toLower();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    while (host.endsWith(u'.'))
        host.chop(1); // "localhost." is the same name, fully qualified
    if (host.isEmpty())
        return false;

    QHostAddress address;
    if (address.setAddress(host))
        return isLocalOrPrivateAddress(address);

    if (host == u"localhost")
        return true;
    for (const QString &suffix : {u"localhost"_s, u"local"_s, u"home.arpa"_s}) {
        if (hasSuffixLabel(host, suffix))
            return true;
    }
    return false;
}

bool UrlPolicy::isLocalOrPrivateHost(const QUrl &url)
{
    return url.isValid() && isLocalOrPrivateHost(url.host());
}

bool UrlPolicy::needsInsecureConfirmation(const QUrl &url)
{
    return url.scheme().compare(u"http", Qt::CaseInsensitive) == 0 && !isLocalOrPrivateHost(url);
}
