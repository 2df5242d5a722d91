#pragma once

#include "chattypes.h"
#include "sse/sseevent.h"

#include <QByteArray>
#include <QList>

// The OpenAI chat-completions wire format (also spoken by OpenRouter, DeepSeek,
// Ollama, LM Studio, llama.cpp and relays such as HolySheep).
//
// Request side: requestUrl() + requestBody(). Response side: one decoder per
// stream; feed it every SseEvent, it returns what the event means.
namespace OpenAiChatFormat {

// {baseUrl}/chat/completions, keeping any path the base URL has.
QUrl requestUrl(const QUrl &baseUrl);
// {baseUrl}/models
QUrl modelsUrl(const QUrl &baseUrl);

// JSON body: model, messages, temperature, max_tokens, stream: true,
// stream_options: {include_usage: true}.
QByteArray requestBody(const ChatRequest &request);

// Reads a GET /models response ({"data":[{"id":...}]}, or Ollama's {"models":[{"name"}]}).
QStringList parseModelList(QByteArrayView body, bool *ok = nullptr);

// Decodes one stream's events. Stateful only for tool calls, which it puts
// together by index. Malformed JSON gives a delta with `malformed` set and is
// counted; it never throws and never turns into reply text.
class Decoder
{
public:
    StreamDelta decode(const SseEvent &event);

    const QList<ToolCall> &toolCalls() const { return m_toolCalls; }
    qint64 malformedCount() const { return m_malformed; }
    void reset();

private:
    void mergeToolCalls(const QList<ToolCallDelta> &deltas);

    QList<ToolCall> m_toolCalls;
    qint64 m_malformed = 0;
};

} // namespace OpenAiChatFormat
