#pragma once

#include "chattypes.h"
#include "jsonreader.h"
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
//
//     OpenAiChatFormat::Decoder decoder;           // one per request
//     parser.setEventHandler([&](const SseEvent &e) {
//         const StreamDelta d = decoder.decode(e);
//         ...                                      // append d.content, d.reasoning, ...
//     });
//     ... decoder.toolCalls()                      // the complete calls at the end
//
// Per event: choices[0].delta.content / reasoning_content / reasoning / refusal /
// tool_calls, choices[0].finish_reason, a top-level usage object, an in-stream
// error object (also for `event: error`), and "[DONE]". Other choice indices
// (n > 1) and unknown fields are skipped; events of other types ("ping") give an
// empty delta, as do valid JSON values that are not objects and whitespace-only data.
class Decoder
{
public:
    // More distinct tool-call indices than this in one stream are ignored.
    static constexpr qsizetype MaxToolCalls = 256;
    // Longest repeated chunk prefix that is remembered (see m_prefix).
    static constexpr qsizetype MaxPrefixBytes = 4096;

    StreamDelta decode(const SseEvent &event);

    // Sorted by index.
    const QList<ToolCall> &toolCalls() const { return m_toolCalls; }
    qint64 malformedCount() const { return m_malformed; }
    void reset();

private:
    int resolveIndex(const ToolCallDelta &call) const;
    void merge(const ToolCallDelta &delta);

    QList<ToolCall> m_toolCalls;
    qint64 m_malformed = 0;
    // The bytes before the "choices" value of the last valid chunk, and where
    // the JSON reader stood there: chunks of one stream repeat them (id, model,
    // created, ...), so a chunk that starts with them is read from there on.
    QByteArray m_prefix;
    JsonReader::Position m_prefixPosition;
};

} // namespace OpenAiChatFormat
