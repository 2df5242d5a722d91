#pragma once

#include "demoserver.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QTcpSocket;

Q_DECLARE_LOGGING_CATEGORY(lcDemo) // "sluice.demo"

// Internal to DemoServer, which creates one per accepted socket (and owns it).
// One client connection: reads requests (keep-alive), answers them, streams a
// reply with a timer and stops as soon as the socket goes away.
class DemoConnection : public QObject
{
    Q_OBJECT
public:
    DemoConnection(DemoServer *server, QTcpSocket *socket);
    ~DemoConnection() override;

private:
    struct Step
    {
        QByteArray event;
        double delayMs = 0; // before this event
    };

    void onReadyRead();
    void handleRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body);
    void handleChat(const QByteArray &body);
    void writeResponse(int status, const QByteArray &contentType, const QByteArray &body);
    void writeJson(int status, const QJsonObject &object);
    void planStream(const DemoServer::Answer &answer, bool includeUsage, std::optional<int> maxTokens,
                    qint64 promptTokens);
    void writeNextSteps();
    void endStream(bool completed);
    QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue::Null) const;

    DemoServer *m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_closeAfterResponse = false;

    // The reply being streamed.
    bool m_streaming = false;
    QList<Step> m_steps;
    qsizetype m_next = 0;
    QTimer m_timer;
    QString m_id;
    QString m_model;
    qint64 m_created = 0;
};

