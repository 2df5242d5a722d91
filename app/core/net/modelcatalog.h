#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

// Fetches an endpoint's model list (GET {baseUrl}/models) in the background.
//
//     ModelCatalog catalog(&nam);
//     connect(&catalog, &ModelCatalog::finished, this, [](const QStringList &ids, const QString &error) { ... });
//     catalog.fetch(baseUrl, apiKey);   // a new fetch cancels the previous one
//
// `finished` is emitted exactly once per fetch() that is not superseded or
// cancelled: with the sorted model ids, or with an empty list and a plain error.
// Redirects are followed only within the same origin, so the key stays there.
class ModelCatalog : public QObject
{
    Q_OBJECT
public:
    explicit ModelCatalog(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ModelCatalog() override;

    void fetch(const QUrl &baseUrl, const QString &apiKey, int timeoutMs = 15'000);
    void cancel();
    bool isRunning() const { return !m_reply.isNull(); }

Q_SIGNALS:
    void finished(const QStringList &models, const QString &error);

private:
    void onFinished();

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QString m_apiKey;
    QString m_certificateProblem; // the certificate faults of this fetch, in plain words
};
