#include "openaichatformat.h"

#include "apierror.h"
#include "jsonreader.h"
#include "samebytes.h"
#include "sse/vectorstate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// ---- URLs ------------------------------------------------------------------

// The base URL's path without trailing slashes and without a pasted
// "/chat/completions" (people copy the full endpoint from the provider's docs).
QString rootPath(const QUrl &baseUrl)
{
    QString path = baseUrl.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    static constexpr auto endpoint = "/chat/completions"_L1;
    if (path.endsWith(endpoint, Qt::CaseInsensitive))
        path.chop(endpoint.size());
    while (path.endsWith(u'/'))
        path.chop(1);
    return path;
}

QUrl withPath(const QUrl &baseUrl, QLatin1StringView suffix)
{
    QUrl url = baseUrl;
    url.setFragment(QString());
    url.setPath(rootPath(baseUrl) + suffix, QUrl::TolerantMode);
    return url;
}

// ---- Decoder helpers ---------------------------------------------------------

template<qsizetype N>
inline bool is(QByteArrayView key, const char (&literal)[N]) noexcept
{
    return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

inline QByteArrayView trimmed(QByteArrayView v) noexcept
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!v.isEmpty() && space(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && space(v.back()))
        v = v.chopped(1);
    return v;
}

// The text of an `event: error` that is not JSON, for a banner or a terminal:
// control characters (C0, DEL, C1: terminal escapes, bells) become spaces,
// and runs of spaces one.
QString plainErrorText(QByteArrayView bytes)
{
    QString text = QString::fromUtf8(bytes);
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F))
            c = u' ';
    }
    return text.simplified();
}

inline void readStringOrSkip(JsonReader &r, QString &out)
{
    if (!r.readString(out))
        r.skipValue();
}

// A string, appended; anything else skipped.
inline void appendStringOrSkip(JsonReader &r, QString &out)
{
    if (out.isEmpty()) {
        readStringOrSkip(r, out);
        return;
    }
    QString more;
    if (r.readString(more))
        out += more;
    else
        r.skipValue();
}

// What one choice's delta carries (read into temporaries: the choice's index
// may come after its delta, and nothing is kept unless the event is valid).
struct DeltaParts
{
    QString content;
    QString reasoningContent; // DeepSeek, vLLM, LM Studio
    QString reasoning;        // OpenRouter, Ollama
    QString refusal;
    QList<ToolCallDelta> toolCalls;
    QList<bool> toolCallHasIndex; // parallel to toolCalls
    // For the decoder's chunk shape: how many times `content` was read as a
    // string (-1 once it came as an array of parts), and where the last one was.
    int contentStrings = 0;
    JsonReader::Position beforeContent; // after "content":
    qsizetype afterContent = -1;        // after the string's closing quote
};

struct ChoiceParts
{
    qint64 index = 0;
    DeltaParts delta;
    std::unique_ptr<DeltaParts> message; // a relay that sends `message` instead of `delta` (rare)
    bool hasDelta = false;
    QString finishReason;
};

// "thinking": "text" or [{"type": "text", "text": "..."}] (Mistral's thinking parts)
void readThinking(JsonReader &r, QString &out)
{
    if (r.peek() == JsonReader::Type::String) {
        appendStringOrSkip(r, out);
        return;
    }
    if (!r.beginArray()) {
        r.skipValue();
        return;
    }
    static constexpr QByteArrayView names[] = {"text"};
    while (r.nextElement()) {
        if (!r.beginObject()) {
            r.skipValue();
            continue;
        }
        while (r.nextMemberOf(names) >= 0)
            appendStringOrSkip(r, out);
    }
}

// content as an array of parts: [{"type": "text", "text": "..."},
// {"type": "thinking", "thinking": [...]}]. Unknown parts are skipped.
void readContentParts(JsonReader &r, DeltaParts &d)
{
    static constexpr QByteArrayView names[] = {"type", "text", "thinking"};
    while (r.nextElement()) {
        if (r.peek() == JsonReader::Type::String) { // ["text", ...]
            appendStringOrSkip(r, d.content);
            continue;
        }
        if (!r.beginObject()) {
            r.skipValue();
            continue;
        }
        QString type;
        QString text;
        QString thinking;
        for (int i; (i = r.nextMemberOf(names)) >= 0;) {
            if (i == 0)
                readStringOrSkip(r, type);
            else if (i == 1)
                readStringOrSkip(r, text);
            else
                readThinking(r, thinking);
        }
        if (type == "thinking"_L1 || type == "reasoning"_L1)
            d.reasoningContent += thinking.isEmpty() ? text : thinking;
        else if (type.isEmpty() || type == "text"_L1)
            d.content += text;
    }
}

void readFunction(JsonReader &r, ToolCallDelta &call)
{
    if (!r.beginObject()) {
        r.skipValue();
        return;
    }
    static constexpr QByteArrayView names[] = {"name", "arguments"};
    for (int i; (i = r.nextMemberOf(names)) >= 0;) {
        if (i == 0) {
            readStringOrSkip(r, call.name);
            continue;
        }
        const JsonReader::Type type = r.peek();
        if (type == JsonReader::Type::Object || type == JsonReader::Type::Array) {
            // Some servers send the arguments as a JSON value, not as text.
            QByteArrayView raw;
            if (r.skipValue(raw))
                call.arguments = QString::fromUtf8(raw);
        } else {
            readStringOrSkip(r, call.arguments);
        }
    }
}

void readToolCalls(JsonReader &r, DeltaParts &d)
{
    if (!r.beginArray()) {
        r.skipValue();
        return;
    }
    static constexpr QByteArrayView names[] = {"index", "id", "type", "function"};
    while (r.nextElement()) {
        if (!r.beginObject()) {
            r.skipValue();
            continue;
        }
        ToolCallDelta call;
        bool hasIndex = false;
        for (int i; (i = r.nextMemberOf(names)) >= 0;) {
            switch (i) {
            case 0: {
                qint64 index = 0;
                if (r.readInt64(index)) {
                    hasIndex = index >= 0 && index <= std::numeric_limits<int>::max();
                    call.index = hasIndex ? int(index) : 0;
                } else {
                    r.skipValue();
                }
                break;
            }
            case 1:
                readStringOrSkip(r, call.id);
                break;
            case 2:
                readStringOrSkip(r, call.type);
                break;
            default:
                readFunction(r, call);
                break;
            }
        }
        d.toolCalls.append(std::move(call));
        d.toolCallHasIndex.append(hasIndex);
    }
}

void readDelta(JsonReader &r, DeltaParts &d)
{
    if (!r.beginObject()) {
        r.skipValue();
        return;
    }
    static constexpr QByteArrayView names[] = {"content", "reasoning_content", "reasoning",
                                               "refusal", "tool_calls"};
    for (int i; (i = r.nextMemberOf(names)) >= 0;) {
        switch (i) {
        case 0:
            if (r.peek() == JsonReader::Type::Array) {
                d.contentStrings = -1;
                r.beginArray();
                readContentParts(r, d);
            } else if (r.peek() == JsonReader::Type::String) {
                if (d.contentStrings >= 0) {
                    ++d.contentStrings;
                    d.beforeContent = r.position();
                }
                appendStringOrSkip(r, d.content);
                if (d.contentStrings >= 0)
                    d.afterContent = r.position().offset;
            } else {
                r.skipValue();
            }
            break;
        case 1:
            appendStringOrSkip(r, d.reasoningContent);
            break;
        case 2:
            appendStringOrSkip(r, d.reasoning);
            break;
        case 3:
            appendStringOrSkip(r, d.refusal);
            break;
        default:
            readToolCalls(r, d);
            break;
        }
    }
}

// The members of one element of "choices" (the reader is inside it).
void readChoice(JsonReader &r, ChoiceParts &c)
{
    static constexpr QByteArrayView names[] = {"delta", "index", "finish_reason", "message"};
    for (int i; (i = r.nextMemberOf(names)) >= 0;) {
        switch (i) {
        case 0:
            c.hasDelta = true;
            readDelta(r, c.delta);
            break;
        case 1:
            if (!r.readInt64(c.index))
                r.skipValue();
            break;
        case 2:
            readStringOrSkip(r, c.finishReason);
            break;
        default:
            if (!c.message)
                c.message = std::make_unique<DeltaParts>();
            readDelta(r, *c.message);
            break;
        }
    }
}

// A token count is a whole number from 0 to kMaxTokenCount. Anything else a
// server may send (-5, 12.5, 1e30, "12") is not a count: it stays unknown
// (-1), so it never becomes a negative or absurd cost, a negative speed or a
// token figure nobody sent. "12.0" is 12 (some servers write every number as
// a float). No single request comes near the limit: the largest context
// windows hold a few million tokens.
constexpr double kMaxTokenCount = 1'000'000'000;

void readCount(JsonReader &r, qint64 &out, bool &any)
{
    double value = 0;
    if (!r.readDouble(value)) {
        r.skipValue();
        return;
    }
    if (!(value >= 0 && value <= kMaxTokenCount) || std::floor(value) != value)
        return; // read, but not a count (NaN fails the first test)
    out = qint64(value);
    any = true;
}

// {"reasoning_tokens": n, ...} or {"cached_tokens": n, ...}: the one count named.
void readDetail(JsonReader &r, const QByteArrayView (&name)[1], qint64 &out, bool &any)
{
    if (!r.beginObject()) {
        r.skipValue();
        return;
    }
    while (r.nextMemberOf(name) >= 0)
        readCount(r, out, any);
}

void readUsage(JsonReader &r, std::optional<Usage> &result)
{
    if (!r.beginObject()) {
        r.skipValue(); // null or something else
        return;
    }
    static constexpr QByteArrayView names[] = {"prompt_tokens", "completion_tokens",
                                               "total_tokens", "completion_tokens_details",
                                               "prompt_tokens_details", "prompt_cache_hit_tokens"};
    static constexpr QByteArrayView reasoningTokens[] = {"reasoning_tokens"};
    static constexpr QByteArrayView cachedTokens[] = {"cached_tokens"};
    Usage usage;
    qint64 cacheHit = -1;
    bool any = false;
    for (int i; (i = r.nextMemberOf(names)) >= 0;) {
        switch (i) {
        case 0:
            readCount(r, usage.promptTokens, any);
            break;
        case 1:
            readCount(r, usage.completionTokens, any);
            break;
        case 2:
            readCount(r, usage.totalTokens, any);
            break;
        case 3:
            readDetail(r, reasoningTokens, usage.reasoningTokens, any);
            break;
        case 4:
            readDetail(r, cachedTokens, usage.cachedPromptTokens, any);
            break;
        default:
            readCount(r, cacheHit, any); // DeepSeek
            break;
        }
    }
    if (usage.cachedPromptTokens < 0)
        usage.cachedPromptTokens = cacheHit;
    if (any)
        result = usage;
}

// Buffers up to this many characters are kept for the next event.
constexpr qsizetype kKeptChars = 16 * 1024;

// Empties s, keeping its memory unless it is shared (a caller kept a copy) or large.
inline void clearForReuse(QString &s)
{
    if (s.isEmpty())
        return; // nothing to clear (and an empty string that is shared is never written to)
    if (s.isDetached() && s.capacity() <= kKeptChars)
        s.truncate(0);
    else
        s = QString();
}

// All but the content, which the caller clears or overwrites.
void clearForReuseButContentSlow(StreamDelta &d)
{
    clearForReuse(d.reasoning);
    clearForReuse(d.refusal);
    if (!d.toolCalls.isEmpty())
        d.toolCalls.clear();
    d.usage.reset();
    clearForReuse(d.finishReason);
    d.error.reset();
    d.done = false;
    d.malformed = false;
}

inline void clearForReuseButContent(StreamDelta &d)
{
    // Usually there is nothing to clear but the content.
    if (Q_UNLIKELY(!d.reasoning.isEmpty() || !d.refusal.isEmpty() || !d.finishReason.isEmpty()
                   || !d.toolCalls.isEmpty() || d.usage || d.error || d.done || d.malformed))
        clearForReuseButContentSlow(d);
}

void clearForReuse(StreamDelta &d)
{
    clearForReuse(d.content);
    clearForReuseButContent(d);
}

inline void appendMoved(QString &to, QString &from)
{
    if (to.isEmpty())
        to = std::move(from);
    else
        to += from;
}

void commitDelta(DeltaParts &from, StreamDelta &to)
{
    appendMoved(to.content, from.content);
    // Some servers send the same text under both names: show it once.
    appendMoved(to.reasoning, from.reasoningContent.isEmpty() ? from.reasoning : from.reasoningContent);
    appendMoved(to.refusal, from.refusal);
    if (!from.toolCalls.isEmpty())
        to.toolCalls += std::move(from.toolCalls);
}

} // namespace

namespace OpenAiChatFormat {

QUrl requestUrl(const QUrl &baseUrl)
{
    return withPath(baseUrl, "/chat/completions"_L1);
}

QUrl modelsUrl(const QUrl &baseUrl)
{
    return withPath(baseUrl, "/models"_L1);
}

QByteArray requestBody(const ChatRequest &request)
{
    QJsonArray messages;
    for (const ChatMessage &message : request.messages) {
        messages.append(QJsonObject{
                {"role"_L1, ChatMessage::roleName(message.role)},
                {"content"_L1, message.content},
        });
    }
    QJsonObject body{
            {"model"_L1, request.model},
            {"messages"_L1, messages},
            {"stream"_L1, true},
            {"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}},
    };
    if (request.temperature)
        body.insert("temperature"_L1, *request.temperature);
    if (request.maxTokens)
        body.insert("max_tokens"_L1, *request.maxTokens);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QStringList parseModelList(QByteArrayView body, bool *ok)
{
    if (ok)
        *ok = false;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return {};

    QJsonArray list;
    if (doc.isArray()) {
        list = doc.array(); // a bare list, as some local servers send
    } else {
        const QJsonObject root = doc.object();
        if (root.value("data"_L1).isArray())
            list = root.value("data"_L1).toArray();   // OpenAI and most others
        else if (root.value("models"_L1).isArray())
            list = root.value("models"_L1).toArray(); // Ollama /api/tags
        else
            return {};
    }

    QStringList models;
    for (const QJsonValue &item : std::as_const(list)) {
        QString id;
        if (item.isString()) {
            id = item.toString();
        } else {
            const QJsonObject o = item.toObject();
            for (const auto key : {"id"_L1, "name"_L1, "model"_L1}) {
                id = o.value(key).toString();
                if (!id.trimmed().isEmpty())
                    break;
            }
        }
        id = id.trimmed();
        if (!id.isEmpty())
            models << id;
    }
    std::sort(models.begin(), models.end(), [](const QString &a, const QString &b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    models.erase(std::unique(models.begin(), models.end()), models.end());
    if (ok)
        *ok = true;
    return models;
}

StreamDelta Decoder::decode(const SseEvent &event)
{
    // Decoded into m_delta and returned as a copy, which shares its strings
    // (implicit sharing): when the caller lets go of them before the next
    // event, as callers do, m_delta reuses their memory instead of allocating.
    decode(event.type, event.data, m_delta);
    return m_delta;
}

void Decoder::decode(const SseEvent &event, StreamDelta &delta)
{
    decode(event.type, event.data, delta);
}

void Decoder::decode(QByteArrayView type, QByteArrayView rawData, StreamDelta &delta)
{
    VectorState::clearUpper(); // see vectorstate.h
    // The common chunk overwrites the content: it is cleared only when it is not one.
    clearForReuseButContent(delta);
    const bool errorEvent = is(type, "error");
    const QByteArrayView data = trimmed(rawData);
    if (!errorEvent && (type.isEmpty() || is(type, "message")) && decodeWithShape(data, delta))
        return;
    clearForReuse(delta.content);
    if (!errorEvent && !type.isEmpty() && !is(type, "message"))
        return; // "ping" and other relay events

    if (!errorEvent && is(data, "[DONE]")) {
        delta.done = true;
        return;
    }
    if (data.isEmpty()) {
        if (errorEvent) {
            ApiError error;
            error.message = QCoreApplication::translate("OpenAiChatFormat",
                                                        "The server reported an error without details.");
            delta.error = error;
        }
        return; // a keep-alive
    }
    decodeJson(data, errorEvent, delta);
}

// The top-level members of a chunk from the reader's position on. `member` is
// the index of a member name the reader already stands on the value of, or
// -1 to read the next name first.
void Decoder::readChunkMembers(JsonReader &r, int member, ChunkState &state, StreamDelta &delta)
{
    static constexpr QByteArrayView names[] = {"choices", "usage", "error"};
    for (int i = member >= 0 ? member : r.nextMemberOf(names); i >= 0; i = r.nextMemberOf(names)) {
        if (i == 0) {
            // The prefix and the shape are taken only where choices is the
            // first member the decoder reads (so the bytes before it mean nothing).
            const bool first = !state.seenOther && r.depth() == 1;
            if (first && !state.resumed)
                state.prefixCandidate = r.position();
            state.seenOther = true;
            if (!r.beginArray()) {
                r.skipValue();
                continue;
            }
            while (r.nextElement()) {
                if (!r.beginObject()) {
                    r.skipValue();
                    continue;
                }
                ChoiceParts choice;
                readChoice(r, choice);
                state.contentStrings += std::abs(choice.delta.contentStrings)
                        + (choice.message ? std::abs(choice.message->contentStrings) + 1 : 0);
                if (choice.index != 0)
                    continue; // n > 1: only the first choice is shown
                DeltaParts &parts = choice.hasDelta || !choice.message ? choice.delta : *choice.message;
                commitDelta(parts, delta);
                state.toolCallHasIndex += parts.toolCallHasIndex;
                if (!choice.finishReason.isEmpty())
                    delta.finishReason = std::move(choice.finishReason);
                if (first && parts.contentStrings == 1) {
                    state.beforeContent = parts.beforeContent;
                    state.afterContent = parts.afterContent;
                }
            }
            if (first)
                state.afterChoices = r.position();
        } else if (i == 1) {
            state.seenOther = true;
            readUsage(r, delta.usage);
        } else {
            state.seenOther = true;
            const JsonReader::Type type = r.peek();
            if (type == JsonReader::Type::Object || type == JsonReader::Type::String)
                state.hasError = true;
            r.skipValue();
        }
    }
}

// The common chunk: the same bytes as the last simple chunk (see
// rememberShape()) up to its content string, another string, and the same
// bytes again up to the end of "choices". A reader is deterministic, so it
// would read those bytes exactly as it did then, and all they meant then was
// "the content is this string": only the string and the members after
// "choices" need reading. False when the chunk does not have the shape; it is
// then decoded as usual (delta is still empty).
bool Decoder::decodeWithShape(QByteArrayView data, StreamDelta &delta)
{
    const qsizetype head = m_shape.head.size();
    const qsizetype tail = m_shape.tail.size();
    if (head == 0 || data.size() < head + 2 + tail || !sameBytes(data.data(), m_shape.head.constData(), head))
        return false;
    JsonReader r(data, m_shape.beforeContent);
    if (!r.readString(delta.content)) {
        if (!r.hasError())
            return false; // null, a number, an array of parts: the usual way
        ChunkState state;
        finishChunk(r, data, false, state, delta); // an invalid string: malformed
        return true;
    }
    const qsizetype at = r.position().offset;
    if (data.size() - at < tail || !sameBytes(data.data() + at, m_shape.tail.constData(), tail))
        return false;
    const qsizetype afterChoices = at + tail;
    if (m_shape.hasRest && matchesRest(data, afterChoices, r))
        return true; // the chunk is complete and valid, and meant nothing more
    JsonReader::Position position = m_shape.afterChoices;
    position.offset = afterChoices;
    r.restore(position);
    ChunkState state;
    state.resumed = true;
    state.seenOther = true;
    readChunkMembers(r, -1, state, delta);
    finishChunk(r, data, false, state, delta);
    return true;
}

// Whether the chunk ends after "choices" as the shape's chunk did (the same
// bytes, but for the last member's string value, which is only validated).
bool Decoder::matchesRest(QByteArrayView data, qsizetype at, JsonReader &r) const
{
    const qsizetype restHead = m_shape.restHead.size();
    const qsizetype restEnd = m_shape.restEnd.size();
    if (data.size() - at < restHead + restEnd
        || !sameBytes(data.data() + at, m_shape.restHead.constData(), restHead))
        return false;
    at += restHead;
    if (m_shape.restHasString) {
        JsonReader::Position position = m_shape.restString;
        position.offset = at;
        r.restore(position);
        if (!r.skipString())
            return false; // not a string, or an invalid one: the usual way says which
        at = r.position().offset;
    }
    return data.size() - at == restEnd && sameBytes(data.data() + at, m_shape.restEnd.constData(), restEnd);
}

void Decoder::decodeJson(QByteArrayView data, bool errorEvent, StreamDelta &delta)
{
    // Most chunks start with the bytes of the previous one up to "choices":
    // resume the reader there instead of reading them again.
    const bool resume = !m_prefix.isEmpty() && data.size() > m_prefix.size()
            && sameBytes(data.data(), m_prefix.constData(), m_prefix.size());
    JsonReader r = resume ? JsonReader(data, m_prefixPosition) : JsonReader(data);
    ChunkState state;
    state.resumed = resume;
    if (resume || r.beginObject())
        readChunkMembers(r, resume ? 0 : -1, state, delta);
    else
        r.skipValue(); // valid JSON that is not an object means nothing to us
    finishChunk(r, data, errorEvent, state, delta);
}

void Decoder::finishChunk(JsonReader &r, QByteArrayView data, bool errorEvent, ChunkState &state,
                          StreamDelta &delta)
{
    if (!r.atEnd()) {
        clearForReuse(delta);
        if (errorEvent) {
            // `event: error` with a plain-text payload: still an error.
            ApiError error;
            error.message = plainErrorText(data.first(std::min<qsizetype>(data.size(), 600)));
            if (error.message.isEmpty())
                error.message = QCoreApplication::translate("OpenAiChatFormat",
                                                            "The server reported an error without details.");
            delta.error = error;
            return;
        }
        ++m_malformed;
        delta.malformed = true;
        return;
    }

    // The event is valid: remember its prefix and its shape, and let the
    // tool-call fragments change the state.
    if (state.prefixCandidate.offset > 0 && state.prefixCandidate.offset <= MaxPrefixBytes) {
        m_prefix.resize(state.prefixCandidate.offset);
        std::memcpy(m_prefix.data(), data.data(), size_t(state.prefixCandidate.offset));
        m_prefixPosition = state.prefixCandidate;
    }
    if (!errorEvent)
        rememberShape(data, state, delta);
    for (qsizetype i = 0; i < delta.toolCalls.size(); ++i) {
        ToolCallDelta &call = delta.toolCalls[i];
        if (!state.toolCallHasIndex.at(i))
            call.index = resolveIndex(call);
        merge(call);
    }

    if (state.hasError || errorEvent) {
        std::optional<ApiError> error = ApiErrors::parse(data);
        if (!error) {
            error = ApiError();
            error->message = QCoreApplication::translate("OpenAiChatFormat",
                                                         "The server reported an error without details.");
        }
        delta.error = error;
    }
}

// A valid chunk whose "choices" (its first known member) meant nothing but
// one content string: its bytes before the string and from the string to the
// end of "choices" are the shape decodeWithShape() looks for. When the members
// after "choices" mean nothing either (unknown ones, or known ones that are
// null), their bytes are part of the shape too, but for the last one's value
// if it is a string (OpenAI's "obfuscation" changes with every chunk).
void Decoder::rememberShape(QByteArrayView data, const ChunkState &state, const StreamDelta &delta)
{
    if (state.contentStrings != 1 || state.afterContent < 0 || state.afterChoices.offset < 0
        || state.beforeContent.offset < 0 || !delta.reasoning.isEmpty() || !delta.refusal.isEmpty()
        || !delta.toolCalls.isEmpty() || !delta.finishReason.isEmpty())
        return;
    const qsizetype head = state.beforeContent.offset;
    const qsizetype tail = state.afterChoices.offset - state.afterContent;
    if (head <= 0 || head > MaxPrefixBytes || tail < 0 || tail > MaxPrefixBytes)
        return;
    m_shape = Shape();
    m_shape.head = data.first(head).toByteArray();
    m_shape.tail = data.sliced(state.afterContent, tail).toByteArray();
    m_shape.beforeContent = state.beforeContent;
    m_shape.afterChoices = state.afterChoices;

    JsonReader r(data, state.afterChoices);
    QByteArrayView key;
    qsizetype stringStart = -1;
    qsizetype stringEnd = -1;
    JsonReader::Position stringPosition;
    while (r.nextMember(key)) {
        stringStart = -1;
        if (key == "choices" || key == "usage" || key == "error") {
            if (!r.readNull())
                return;
        } else if (r.peek() == JsonReader::Type::String) {
            stringPosition = r.position();
            stringStart = stringPosition.offset;
            r.skipValue();
            stringEnd = r.position().offset;
        } else {
            r.skipValue();
        }
    }
    if (!r.atEnd() || data.size() - state.afterChoices.offset > MaxPrefixBytes)
        return;
    m_shape.hasRest = true;
    if (stringStart < 0) {
        m_shape.restHead = data.sliced(state.afterChoices.offset).toByteArray();
    } else {
        m_shape.restHasString = true;
        m_shape.restString = stringPosition;
        m_shape.restHead = data.sliced(state.afterChoices.offset, stringStart - state.afterChoices.offset)
                                   .toByteArray();
        m_shape.restEnd = data.sliced(stringEnd).toByteArray();
    }
}

int Decoder::resolveIndex(const ToolCallDelta &call) const
{
    if (!call.id.isEmpty()) {
        for (const ToolCall &known : m_toolCalls) {
            if (known.id == call.id)
                return known.index;
        }
        if (m_toolCalls.isEmpty())
            return 0;
        // A new call goes after the last one (if there is room above it).
        const int last = m_toolCalls.last().index;
        return last < std::numeric_limits<int>::max() ? last + 1 : last;
    }
    return m_toolCalls.isEmpty() ? 0 : m_toolCalls.last().index;
}

void Decoder::merge(const ToolCallDelta &delta)
{
    // Kept sorted by index; usually one to a few calls, so a linear search.
    auto it = std::lower_bound(m_toolCalls.begin(), m_toolCalls.end(), delta.index,
                               [](const ToolCall &call, int index) { return call.index < index; });
    if (it == m_toolCalls.end() || it->index != delta.index) {
        if (m_toolCalls.size() >= MaxToolCalls)
            return;
        ToolCall call;
        call.index = delta.index;
        it = m_toolCalls.insert(it, call);
    }
    if (!delta.id.isEmpty())
        it->id = delta.id;
    if (!delta.type.isEmpty())
        it->type = delta.type;
    if (!delta.name.isEmpty() && it->name != delta.name)
        it->name = it->name.isEmpty() ? delta.name : it->name + delta.name;
    it->arguments += delta.arguments;
}

void Decoder::reset()
{
    m_toolCalls.clear();
    m_malformed = 0;
    m_prefix.clear();
    m_prefixPosition = JsonReader::Position();
    m_shape = Shape();
    m_delta = StreamDelta();
}

} // namespace OpenAiChatFormat
