#include "messagejson.h"

using namespace Qt::StringLiterals;

namespace MessageJson {

namespace {

void putCount(QJsonObject &object, const QString &key, qint64 value)
{
    if (value >= 0)
        object.insert(key, double(value));
}

qint64 count(const QJsonObject &object, const QString &key, qint64 fallback)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? qint64(value.toDouble()) : fallback;
}

double number(const QJsonObject &object, const QString &key, double fallback)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? value.toDouble() : fallback;
}

} // namespace

QJsonObject usageToJson(const Usage &usage)
{
    QJsonObject object;
    putCount(object, u"prompt_tokens"_s, usage.promptTokens);
    putCount(object, u"completion_tokens"_s, usage.completionTokens);
    putCount(object, u"total_tokens"_s, usage.totalTokens);
    putCount(object, u"reasoning_tokens"_s, usage.reasoningTokens);
    putCount(object, u"cached_prompt_tokens"_s, usage.cachedPromptTokens);
    return object;
}

Usage usageFromJson(const QJsonObject &object)
{
    Usage usage;
    usage.promptTokens = count(object, u"prompt_tokens"_s, -1);
    usage.completionTokens = count(object, u"completion_tokens"_s, -1);
    usage.totalTokens = count(object, u"total_tokens"_s, -1);
    usage.reasoningTokens = count(object, u"reasoning_tokens"_s, -1);
    usage.cachedPromptTokens = count(object, u"cached_prompt_tokens"_s, -1);
    return usage;
}

QJsonObject metricsToJson(const MessageMetrics &metrics)
{
    return QJsonObject{
        {u"ttft_ms"_s, metrics.ttftMs},
        {u"elapsed_ms"_s, metrics.elapsedMs},
        {u"tokens"_s, double(metrics.tokens)},
        {u"token_source"_s, metrics.tokenSource},
        {u"tokens_per_second"_s, metrics.tokensPerSecond},
        {u"gap_p50_ms"_s, metrics.gapP50Ms},
        {u"gap_p99_ms"_s, metrics.gapP99Ms},
        {u"bytes"_s, double(metrics.bytes)},
        {u"retries"_s, metrics.retries},
        {u"malformed_events"_s, double(metrics.malformedEvents)},
    };
}

MessageMetrics metricsFromJson(const QJsonObject &object)
{
    MessageMetrics metrics;
    metrics.ttftMs = number(object, u"ttft_ms"_s, metrics.ttftMs);
    metrics.elapsedMs = number(object, u"elapsed_ms"_s, metrics.elapsedMs);
    metrics.tokens = count(object, u"tokens"_s, metrics.tokens);
    metrics.tokenSource = object.value(u"token_source"_s).toString();
    metrics.tokensPerSecond = number(object, u"tokens_per_second"_s, metrics.tokensPerSecond);
    metrics.gapP50Ms = number(object, u"gap_p50_ms"_s, metrics.gapP50Ms);
    metrics.gapP99Ms = number(object, u"gap_p99_ms"_s, metrics.gapP99Ms);
    metrics.bytes = count(object, u"bytes"_s, metrics.bytes);
    metrics.retries = int(count(object, u"retries"_s, metrics.retries));
    metrics.malformedEvents = count(object, u"malformed_events"_s, metrics.malformedEvents);
    return metrics;
}

} // namespace MessageJson
