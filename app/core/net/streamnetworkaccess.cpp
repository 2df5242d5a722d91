#include "streamnetworkaccess.h"

#include <QAuthenticator>
#include <QHstsPolicy>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QUrl>

#include <chrono>

using namespace Qt::StringLiterals;

StreamNetworkAccess::StreamNetworkAccess(QNetworkAccessManager *shared)
    : m_shared(shared)
{
    Q_ASSERT(m_shared);
    m_releaseTimer.setSingleShot(true);
    m_releaseTimer.setInterval(IdleReleaseMs);
    QObject::connect(&m_releaseTimer, &QTimer::timeout, &m_releaseTimer, [this] { m_own.reset(); });
}

StreamNetworkAccess::~StreamNetworkAccess() = default;

bool StreamNetworkAccess::usesOwnManager(const QUrl &url)
{
    return url.scheme().compare(u"http", Qt::CaseInsensitive) == 0;
}

QNetworkAccessManager *StreamNetworkAccess::managerFor(const QUrl &url)
{
    if (!usesOwnManager(url))
        return m_shared;
    if (!m_own) {
        m_own = std::make_unique<QNetworkAccessManager>();
        // Whoever answers these on the shared manager (a password dialog)
        // answers them for this one too: the re-emission is direct, so the
        // authenticator is filled in before Qt goes on.
        QObject::connect(m_own.get(), &QNetworkAccessManager::authenticationRequired, m_shared,
                         &QNetworkAccessManager::authenticationRequired);
        QObject::connect(m_own.get(), &QNetworkAccessManager::proxyAuthenticationRequired, m_shared,
                         &QNetworkAccessManager::proxyAuthenticationRequired);
    }
    syncFromShared(url);
    return m_own.get();
}

void StreamNetworkAccess::setBusy(bool busy)
{
    if (busy)
        m_releaseTimer.stop();
    else if (m_own)
        m_releaseTimer.start();
}

void StreamNetworkAccess::syncFromShared(const QUrl &url)
{
#ifndef QT_NO_NETWORKPROXY
    QNetworkProxy proxy = m_shared->proxy();
    if (QNetworkProxyFactory *factory = m_shared->proxyFactory()) {
        // A factory cannot be shared (the manager owns it): ask it for this URL.
        const QList<QNetworkProxy> proxies = factory->queryProxy(QNetworkProxyQuery(url));
        proxy = proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.constFirst();
    }
    if (m_own->proxy() != proxy) {
        m_own->setProxy(proxy);
        m_own->clearConnectionCache(); // opened through the old proxy
    }
#else
    Q_UNUSED(url);
#endif
    m_own->setRedirectPolicy(m_shared->redirectPolicy());
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    m_own->setTransferTimeout(m_shared->transferTimeoutAsDuration());
#else
    m_own->setTransferTimeout(m_shared->transferTimeout());
#endif
    const bool hsts = m_shared->isStrictTransportSecurityEnabled();
    m_own->setStrictTransportSecurityEnabled(hsts);
    if (hsts)
        m_own->addStrictTransportSecurityHosts(m_shared->strictTransportSecurityHosts());
}
