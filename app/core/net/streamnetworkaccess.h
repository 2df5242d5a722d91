#pragma once

#include <QTimer>

#include <memory>

class QNetworkAccessManager;
class QUrl;

// Which QNetworkAccessManager one ChatClient streams through.
//
//     StreamNetworkAccess access(&sharedNam);
//     QNetworkReply *reply = access.managerFor(url)->post(request, body);
//     access.setBusy(false);  // idle: a manager of its own may go after a while
//
// https:// uses the application's shared manager: Qt negotiates HTTP/2 there
// (ALPN), which carries every conversation to a host over one connection, and
// the TLS sessions and connections are shared.
//
// http:// uses a manager of this client's own, made on first use. Qt 6.4 opens
// at most six HTTP/1.1 connections per host and manager
// (QHttpNetworkConnectionPrivate::defaultHttpChannelCount) and queues the rest,
// and the servers spoken to over plain http (local ones: Ollama, LM Studio,
// llama.cpp; see UrlPolicy) speak HTTP/1.1, not cleartext HTTP/2. So through
// one shared manager the seventh conversation streaming from such a server
// would wait until another reply ended. Qt 6.5's
// QHttp1Configuration::setNumberOfConnectionsPerHost() does not help reliably:
// the limit belongs to the connection object, made by whichever request (a
// GET /models, say) reached the host first. A manager of its own gives each
// conversation its own connection (kept alive between its requests), at the
// price of one idle network thread per manager (Qt 6 runs each manager's HTTP
// in a thread of its own); so the manager goes once the client has been idle
// for two minutes, when Qt would have closed the kept-alive connection anyway.
//
// Before every request the own manager takes over what the shared one would
// apply: the proxy (or what the shared one's proxy factory says for this URL),
// password included, dropping its cached connections when that changed (as
// ProxyConfig::applyProxy() does); HTTP Strict Transport Security (on/off and
// the known hosts, so an http:// URL of an HSTS host is still upgraded); the
// transfer timeout and the redirect policy. authenticationRequired() and
// proxyAuthenticationRequired() are re-emitted by the shared manager, so
// whatever answers them there answers for this manager too. Cookies go to a
// jar of its own (a jar shared between managers would dangle once the shared
// manager replaced it). The shared manager must outlive this object.
class StreamNetworkAccess
{
public:
    static constexpr int IdleReleaseMs = 120'000;

    explicit StreamNetworkAccess(QNetworkAccessManager *shared);
    ~StreamNetworkAccess();
    StreamNetworkAccess(const StreamNetworkAccess &) = delete;
    StreamNetworkAccess &operator=(const StreamNetworkAccess &) = delete;

    QNetworkAccessManager *shared() const { return m_shared; }
    // The manager for a request to `url`, ready to use.
    QNetworkAccessManager *managerFor(const QUrl &url);
    // A request runs (true) or none does (false: the own manager goes after IdleReleaseMs).
    void setBusy(bool busy);
    void setIdleReleaseMs(int ms) { m_releaseTimer.setInterval(ms); } // for tests
    // The manager of this client's own, if there is one now (for tests).
    QNetworkAccessManager *ownManager() const { return m_own.get(); }

    static bool usesOwnManager(const QUrl &url);

private:
    void syncFromShared(const QUrl &url);

    QNetworkAccessManager *m_shared;
    std::unique_ptr<QNetworkAccessManager> m_own;
    QTimer m_releaseTimer;
};
