#include "modelcatalog.h"

#include "api/apierror.h"
#include "api/openaichatformat.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#if QT_CONFIG(ssl)
#include "net/tlserrors.h"
#endif

using namespace Qt::StringLiterals;

ModelCatalog::ModelCatalog(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{
}

ModelCatalog::~ModelCatalog()
{
    cancel();
}

void ModelCatalog::fetch(const QUrl &baseUrl, const QString &apiKey, int timeoutMs)
{
    cancel();
    m_apiKey = apiKey.trimmed();
    m_certificateProblem.clear();
    QNetworkRequest request(OpenAiChatFormat::modelsUrl(baseUrl));
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Sluice/" SLUICE_VERSION));
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    m_reply = m_nam->get(request);
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::finished, this, &ModelCatalog::onFinished);
#if QT_CONFIG(ssl)
    // Recorded for the message; never ignored.
    const QString host = request.url().host();
    connect(m_reply, &QNetworkReply::sslErrors, this, [this, host](const QList<QSslError> &errors) {
        m_certificateProblem = TlsErrors::describe(errors, host);
    });
#endif
}

void ModelCatalog::cancel()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void ModelCatalog::onFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    m_reply.clear();
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QByteArray body = reply->read(8 * 1024 * 1024);
    if (m_apiKey.size() >= 6)
        body.replace(m_apiKey.toUtf8(), "[API key]");
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        const QString detail = m_certificateProblem.isEmpty() ? reply->errorString() : m_certificateProblem;
        Q_EMIT finished({},
                        QCoreApplication::translate("ModelCatalog", "Could not load the model list: %1").arg(detail));
        return;
    }
    if (status < 200 || status >= 300) {
        QString detail = ApiErrors::adviceForStatus(status);
        if (const auto error = ApiErrors::parse(body))
            detail = error->describe();
        Q_EMIT finished({}, QCoreApplication::translate("ModelCatalog", "The server refused the model list (HTTP %1): %2")
                                .arg(status)
                                .arg(detail));
        return;
    }
    bool ok = false;
    const QStringList models = OpenAiChatFormat::parseModelList(body, &ok);
    if (!ok) {
        Q_EMIT finished({}, QCoreApplication::translate("ModelCatalog",
                                "The server's answer to /models is not a model list."));
        return;
    }
    Q_EMIT finished(models, QString());
}
