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
// On a hot path, decode into one StreamDelta that lives as long as the loop:
// its strings keep their memory from one event to the next (unless the caller
// keeps copies of them), and events can come as views, uncopied:
//
//     StreamDelta d;
//     parser.setEventViewHandler([&](const SseEventView &e) {
//         decoder.decode(e, d);                    // d is overwritten, not appended to
//         content += d.content;
//     });
//
// Chunks of one stream repeat each other's bytes: the decoder resumes after a
// repeated prefix, and for the usual chunk, the same bytes as the last
// content-only chunk around another content string, it reads only that string
// (and validates what differs); see decodeWithShape(). The results are always
// those of a fresh decoder (but for tool calls, which are put together).
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
    // The same, into `delta` (every field is set: what the event does not
    // carry is cleared), reusing the memory of its strings and lists.
    void decode(const SseEvent &event, StreamDelta &delta);
    // The same for an event seen through SseParser::setEventViewHandler().
    void decode(const SseEventView &event, StreamDelta &delta) { decode(event.type, event.data, delta); }
    // The same for an event given as its type and data (UTF-8, as SseEvent holds them).
    void decode(QByteArrayView type, QByteArrayView data, StreamDelta &delta);

    // Sorted by index.
    const QList<ToolCall> &toolCalls() const { return m_toolCalls; }
    qint64 malformedCount() const { return m_malformed; }
    void reset();

private:
    // What reading one chunk's members found, besides the delta.
    struct ChunkState
    {
        bool resumed = false;   // started from m_prefix or from the shape
        bool seenOther = false; // a known member was read (so the next "choices" is not the first)
        bool hasError = false;
        int contentStrings = 0; // content strings read in the first "choices"
        QList<bool> toolCallHasIndex; // parallel to delta.toolCalls
        JsonReader::Position prefixCandidate;
        JsonReader::Position beforeContent; // of choice 0's content string, if it was the only one
        qsizetype afterContent = -1;
        JsonReader::Position afterChoices;
    };

    bool decodeWithShape(QByteArrayView data, StreamDelta &delta);
    bool matchesRest(QByteArrayView data, qsizetype at, JsonReader &r) const;
    void decodeJson(QByteArrayView data, bool errorEvent, StreamDelta &delta);
    void readChunkMembers(JsonReader &r, int member, ChunkState &state, StreamDelta &delta);
    void finishChunk(JsonReader &r, QByteArrayView data, bool errorEvent, ChunkState &state,
                     StreamDelta &delta);
    void rememberShape(QByteArrayView data, const ChunkState &state, const StreamDelta &delta);
    int resolveIndex(const ToolCallDelta &call) const;
    void merge(const ToolCallDelta &delta);

    QList<ToolCall> m_toolCalls;
    qint64 m_malformed = 0;
    // The bytes before the "choices" value of the last valid chunk, and where
    // the JSON reader stood there: chunks of one stream repeat them (id, model,
    // created, ...), so a chunk that starts with them is read from there on.
    QByteArray m_prefix;
    JsonReader::Position m_prefixPosition;
    // The shape of the last chunk that carried nothing but content (see
    // decodeWithShape() and rememberShape()).
    struct Shape
    {
        QByteArray head;                    // the bytes before the content string
        QByteArray tail;                    // from after it to the end of "choices"
        JsonReader::Position beforeContent; // the reader's state at both ends
        JsonReader::Position afterChoices;
        bool hasRest = false;               // the members after "choices" are known:
        bool restHasString = false;
        QByteArray restHead;                // their bytes (up to the last one's string value)
        JsonReader::Position restString;    // the reader's state at that string
        QByteArray restEnd;                 // the bytes after the string, to the end
    };
    Shape m_shape;
    StreamDelta m_delta; // what decode(event) returns a copy of
};

} // namespace OpenAiChatFormat
