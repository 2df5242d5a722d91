#pragma once

#include <QNetworkProxy>
#include <QObject>
#include <QString>
#include <QUrl>

class ModelCatalog;
class QNetworkAccessManager;
class QTimer;

// Checks that an endpoint answers, through a given proxy, by fetching
// {baseUrl}/models: the "Test connection" button of the settings dialog.
//
//     auto *tester = new ConnectionTester(this);
//     connect(tester, &ConnectionTester::finished, this, [](const ConnectionTester::Result &r) {
//         label->setText(r.message);          // "Connected — 12 models" or the plain error
//     });
//     tester->test(url, key, ProxyConfig::proxyFor(mode, manualProxy, sessionPassword));
//
// Owns a QNetworkAccessManager of its own with the proxy applied, so the
// application's manager (and its proxy) is never touched by a test. A new
// test() cancels the one running; `finished` comes exactly once per test()
// that is neither superseded nor cancelled, always later from the event loop.
// Destroying the tester aborts what is still running.
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        bool ok = false;
        int modelCount = 0;
        QString message; // a plain sentence for the user
    };

    static constexpr int DefaultTimeoutMs = 15'000;

    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    void test(const QUrl &baseUrl, const QString &apiKey, const QNetworkProxy &proxy,
              int timeoutMs = DefaultTimeoutMs);
    void cancel();
    bool isRunning() const { return m_running; }

    // The manager the tests go through (for tests of the tester).
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    // "Connected — 1 model", "Connected — 12 models", ...
    static QString successMessage(int modelCount);

Q_SIGNALS:
    void finished(const ConnectionTester::Result &result);

private:
    void finish(Result result);

    QNetworkAccessManager *m_nam;
    ModelCatalog *m_catalog;
    QTimer *m_timeout;
    QUrl m_baseUrl;
    QNetworkProxy m_proxy;
    bool m_running = false;
};

Q_DECLARE_METATYPE(ConnectionTester::Result)
