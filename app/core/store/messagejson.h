#pragma once

#include "chat/message.h"

#include <QJsonObject>

// JSON forms of the number bundles a message carries, shared by the history
// database (messages.metrics) and the conversation export. Pure.
//
//     QJsonObject o = MessageJson::metricsToJson(message.metrics);
//     message.metrics = MessageJson::metricsFromJson(o);  // missing keys keep the defaults
//
// Keys are snake_case (prompt_tokens, ttft_ms, ...); a usage figure that was
// not reported (-1) is left out.
namespace MessageJson {

QJsonObject usageToJson(const Usage &usage);
Usage usageFromJson(const QJsonObject &object);

QJsonObject metricsToJson(const MessageMetrics &metrics);
MessageMetrics metricsFromJson(const QJsonObject &object);

} // namespace MessageJson
