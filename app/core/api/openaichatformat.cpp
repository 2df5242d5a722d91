#include "openaichatformat.h"

#include "apierror.h"
#include "jsonreader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
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
                r.beginArray();
                readContentParts(r, d);
            } else {
                appendStringOrSkip(r, d.content);
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

void readCount(JsonReader &r, qint64 &out, bool &any)
{
    qint64 value = 0;
    if (r.readInt64(value)) {
        out = value;
        any = true;
    } else {
        r.skipValue();
    }
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
    StreamDelta delta;
    const bool errorEvent = is(event.type, "error");
    if (!errorEvent && !event.type.isEmpty() && !is(event.type, "message"))
        return delta; // "ping" and other relay events

    const QByteArrayView data = trimmed(event.data);
    if (!errorEvent && is(data, "[DONE]")) {
        delta.done = true;
        return delta;
    }
    if (data.isEmpty()) {
        if (errorEvent) {
            ApiError error;
            error.message = QCoreApplication::translate("OpenAiChatFormat",
                                                        "The server reported an error without details.");
            delta.error = error;
        }
        return delta; // a keep-alive
    }

    // Most chunks start with the bytes of the previous one up to "choices":
    // resume the reader there instead of reading them again.
    const bool resume = !m_prefix.isEmpty() && data.size() > m_prefix.size()
            && std::memcmp(data.data(), m_prefix.constData(), size_t(m_prefix.size())) == 0;
    JsonReader r = resume ? JsonReader(data, m_prefixPosition) : JsonReader(data);
    JsonReader::Position prefixCandidate;
    QList<bool> toolCallHasIndex; // parallel to delta.toolCalls
    bool hasError = false;
    if (resume || r.beginObject()) {
        static constexpr QByteArrayView names[] = {"choices", "usage", "error"};
        bool seenOther = false;
        for (int i = resume ? 0 : r.nextMemberOf(names); i >= 0; i = r.nextMemberOf(names)) {
            if (i == 0) {
                if (!resume && !seenOther && r.depth() == 1)
                    prefixCandidate = r.position();
                seenOther = true;
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
                    if (choice.index != 0)
                        continue; // n > 1: only the first choice is shown
                    DeltaParts &parts = choice.hasDelta || !choice.message ? choice.delta : *choice.message;
                    commitDelta(parts, delta);
                    toolCallHasIndex += parts.toolCallHasIndex;
                    if (!choice.finishReason.isEmpty())
                        delta.finishReason = std::move(choice.finishReason);
                }
            } else if (i == 1) {
                seenOther = true;
                readUsage(r, delta.usage);
            } else {
                seenOther = true;
                const JsonReader::Type type = r.peek();
                if (type == JsonReader::Type::Object || type == JsonReader::Type::String)
                    hasError = true;
                r.skipValue();
            }
        }
    } else {
        r.skipValue(); // valid JSON that is not an object means nothing to us
    }

    if (!r.atEnd()) {
        if (errorEvent) {
            // `event: error` with a plain-text payload: still an error.
            StreamDelta result;
            ApiError error;
            error.message = QString::fromUtf8(data.first(std::min<qsizetype>(data.size(), 600)))
                                    .simplified();
            result.error = error;
            return result;
        }
        ++m_malformed;
        StreamDelta result;
        result.malformed = true;
        return result;
    }

    // The event is valid: remember its prefix, and let the tool-call fragments
    // change the state.
    if (prefixCandidate.offset > 0 && prefixCandidate.offset <= MaxPrefixBytes) {
        m_prefix.resize(prefixCandidate.offset);
        std::memcpy(m_prefix.data(), data.data(), size_t(prefixCandidate.offset));
        m_prefixPosition = prefixCandidate;
    }
    for (qsizetype i = 0; i < delta.toolCalls.size(); ++i) {
        ToolCallDelta &call = delta.toolCalls[i];
        if (!toolCallHasIndex.at(i))
            call.index = resolveIndex(call);
        merge(call);
    }

    if (hasError || errorEvent) {
        std::optional<ApiError> error = ApiErrors::parse(data);
        if (!error) {
            error = ApiError();
            error->message = QCoreApplication::translate("OpenAiChatFormat",
                                                         "The server reported an error without details.");
        }
        delta.error = error;
    }
    return delta;
}

int Decoder::resolveIndex(const ToolCallDelta &call) const
{
    if (!call.id.isEmpty()) {
        for (const ToolCall &known : m_toolCalls) {
            if (known.id == call.id)
                return known.index;
        }
        return m_toolCalls.isEmpty() ? 0 : m_toolCalls.last().index + 1;
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
}

} // namespace OpenAiChatFormat
