#include "connectiontester.h"

#include "net/modelcatalog.h"
#include "net/proxyconfig.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QTimer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_catalog(new ModelCatalog(m_nam, this))
    , m_timeout(new QTimer(this))
{
    qRegisterMetaType<ConnectionTester::Result>();
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        m_catalog->cancel();
        Result result;
        const int seconds = std::max(1, m_timeout->interval() / 1000);
        result.message = seconds == 1
            ? tr("%1 did not answer within 1 second.").arg(m_baseUrl.host())
            : tr("%1 did not answer within %2 seconds.").arg(m_baseUrl.host()).arg(seconds);
        finish(std::move(result));
    });
    connect(m_catalog, &ModelCatalog::finished, this, [this](const QStringList &models, const QString &error) {
        Result result;
        result.ok = error.isEmpty();
        result.modelCount = int(models.size());
        result.message = result.ok ? successMessage(result.modelCount) : error;
        // A failure through a manual proxy may be the proxy's: say which one was used.
        const bool manualProxy =
            m_proxy.type() == QNetworkProxy::HttpProxy || m_proxy.type() == QNetworkProxy::Socks5Proxy;
        if (!result.ok && manualProxy) {
            result.message =
                tr("%1 (through the proxy %2:%3)").arg(result.message, m_proxy.hostName()).arg(m_proxy.port());
        }
        finish(std::move(result));
    });
}

ConnectionTester::~ConnectionTester()
{
    cancel();
}

QString ConnectionTester::successMessage(int modelCount)
{
    if (modelCount == 0)
        return tr("Connected — the server lists no models");
    if (modelCount == 1)
        return tr("Connected — 1 model");
    return tr("Connected — %1 models").arg(modelCount);
}

void ConnectionTester::test(const QUrl &baseUrl, const QString &apiKey, const QNetworkProxy &proxy, int timeoutMs)
{
    cancel();
    m_baseUrl = baseUrl;
    m_proxy = proxy;
    m_running = true;
    ProxyConfig::applyProxy(m_nam, proxy);
    // Our own timer says "did not answer within N seconds"; the catalog's
    // transfer timeout is only a backstop.
    const int timeout = std::max(timeoutMs, 1000);
    m_timeout->start(timeout);
    m_catalog->fetch(baseUrl, apiKey, timeout + 5'000);
}

void ConnectionTester::cancel()
{
    m_running = false;
    m_timeout->stop();
    m_catalog->cancel();
}

void ConnectionTester::finish(Result result)
{
    if (!m_running)
        return;
    m_running = false;
    m_timeout->stop();
    Q_EMIT finished(result);
}
