// Fuzzes OpenAiChatFormat::Decoder over a stream of events.
//
// Input: events separated by 0xFF (a byte valid UTF-8 never has, so every JSON
// text fits). Each event is one header byte and its data:
//   bits 0-2  the event type: message (0-3), error, "" (empty), ping, Message
//   bit 3     prepend the previous event's data up to and including the ':'
//             after its first "choices", as consecutive chunks of one stream
//             repeat it (this is what the decoder's resume-from-prefix path sees)
//   bit 4     reset() the decoder before this event
//   bit 5     the previous event's data with the string after its first
//             "content": replaced by this event's bytes: a chunk of the same
//             shape, as the decoder's content-only fast path expects
// Checks, per event:
//   - the decoder that has seen the stream so far (with its remembered prefix
//     and chunk shape) and a fresh decoder give the same delta, apart from the
//     index of tool calls that have none (resolved from the calls seen before);
//   - a second decoder fed the same events through decode(event, delta), which
//     reuses one StreamDelta, gives exactly the same deltas;
//   - a malformed delta has nothing else set, and malformedCount() counts it;
//     for `message` events, malformed exactly when the data (not [DONE],
//     not blank) is not valid JSON by JsonReader::isValid;
//   - done only for [DONE]; other event types (ping) give an empty delta;
//   - `error` events always give an error; no output string holds a lone
//     surrogate; an error has a message, type or code, and no control
//     characters (as fuzz_apierror checks for ApiErrors::parse);
// and at the end: toolCalls() has at most MaxToolCalls entries, sorted by
// index, strictly increasing, each index in [0, INT_MAX].

#include "fuzzcheck.h"

#include "api/jsonreader.h"
#include "api/openaichatformat.h"

#include <QList>

#include <cstdint>
#include <limits>

using namespace Qt::StringLiterals;
using OpenAiChatFormat::Decoder;

namespace {

QByteArray eventType(quint8 header)
{
    switch (header & 7) {
    case 4: return "error"_ba;
    case 5: return QByteArray();
    case 6: return "ping"_ba;
    case 7: return "Message"_ba;
    default: return "message"_ba;
    }
}

// The bytes a stream's chunks repeat: up to and including the ':' after "choices".
QByteArrayView choicesPrefix(QByteArrayView data)
{
    const qsizetype at = data.indexOf("\"choices\"");
    if (at < 0)
        return {};
    const qsizetype colon = data.indexOf(':', at + 9);
    return colon < 0 ? QByteArrayView() : data.first(colon + 1);
}

QByteArrayView trimmed(QByteArrayView v)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!v.isEmpty() && space(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && space(v.back()))
        v = v.chopped(1);
    return v;
}

void checkStrings(const StreamDelta &d)
{
    using FuzzCheck::hasLoneSurrogate;
    FUZZ_CHECK(!hasLoneSurrogate(d.content) && !hasLoneSurrogate(d.reasoning)
                   && !hasLoneSurrogate(d.refusal) && !hasLoneSurrogate(d.finishReason),
               "a delta's text holds a lone surrogate");
    for (const ToolCallDelta &call : d.toolCalls) {
        FUZZ_CHECK(!hasLoneSurrogate(call.id) && !hasLoneSurrogate(call.type)
                       && !hasLoneSurrogate(call.name) && !hasLoneSurrogate(call.arguments),
                   "a tool call fragment holds a lone surrogate");
        FUZZ_CHECK(call.index >= 0, "a tool call fragment with a negative index");
    }
    if (d.error) {
        FUZZ_CHECK(!d.error->message.isEmpty() || !d.error->type.isEmpty() || !d.error->code.isEmpty(),
                   "an error without message, type or code");
        FUZZ_CHECK(!hasLoneSurrogate(d.error->message), "an error message holds a lone surrogate");
        // Error texts reach banners, logs and sluice-cli's stderr (see fuzz_apierror).
        FUZZ_CHECK(!FuzzCheck::hasControlCharacter(d.error->message)
                       && !FuzzCheck::hasControlCharacter(d.error->type)
                       && !FuzzCheck::hasControlCharacter(d.error->code),
                   "an error text holds a control character");
    }
}

// The previous data with the body of the string after its first "content":
// replaced; empty when there is no such string.
QByteArray withContent(QByteArrayView previous, QByteArrayView body)
{
    const qsizetype key = previous.indexOf("\"content\":");
    if (key < 0)
        return {};
    qsizetype open = key + 10;
    while (open < previous.size() && previous[open] == ' ')
        ++open;
    if (open == previous.size() || previous[open] != '"')
        return {};
    qsizetype close = open + 1;
    while (close < previous.size() && previous[close] != '"')
        close += previous[close] == '\\' ? 2 : 1;
    if (close >= previous.size())
        return {};
    QByteArray out = previous.first(open + 1).toByteArray();
    out.append(body);
    out.append(previous.sliced(close));
    return out;
}

bool sameIgnoringToolCallIndex(const StreamDelta &a, const StreamDelta &b, bool indexToo = false)
{
    if (a.content != b.content || a.reasoning != b.reasoning || a.refusal != b.refusal
        || a.finishReason != b.finishReason || a.done != b.done || a.malformed != b.malformed
        || a.usage.has_value() != b.usage.has_value() || a.error.has_value() != b.error.has_value()
        || a.toolCalls.size() != b.toolCalls.size())
        return false;
    if (a.usage) {
        const Usage &x = *a.usage;
        const Usage &y = *b.usage;
        if (x.promptTokens != y.promptTokens || x.completionTokens != y.completionTokens
            || x.totalTokens != y.totalTokens || x.reasoningTokens != y.reasoningTokens
            || x.cachedPromptTokens != y.cachedPromptTokens)
            return false;
    }
    if (a.error) {
        const ApiError &x = *a.error;
        const ApiError &y = *b.error;
        if (x.message != y.message || x.type != y.type || x.code != y.code || x.param != y.param)
            return false;
    }
    for (qsizetype i = 0; i < a.toolCalls.size(); ++i) {
        const ToolCallDelta &x = a.toolCalls.at(i);
        const ToolCallDelta &y = b.toolCalls.at(i);
        if (x.id != y.id || x.type != y.type || x.name != y.name || x.arguments != y.arguments
            || (indexToo && x.index != y.index))
            return false;
    }
    return true;
}

bool isEmptyDelta(const StreamDelta &d)
{
    return !d.hasText() && d.toolCalls.isEmpty() && !d.usage && d.finishReason.isEmpty() && !d.error
        && !d.done && !d.malformed;
}

void checkToolCalls(const Decoder &decoder)
{
    const QList<ToolCall> &calls = decoder.toolCalls();
    FUZZ_CHECK(calls.size() <= Decoder::MaxToolCalls, "more tool calls than MaxToolCalls");
    for (qsizetype i = 0; i < calls.size(); ++i) {
        FUZZ_CHECK(calls.at(i).index >= 0, "a tool call with a negative index");
        FUZZ_CHECK(i == 0 || calls.at(i - 1).index < calls.at(i).index,
                   "tool calls not sorted by strictly increasing index");
        FUZZ_CHECK(!FuzzCheck::hasLoneSurrogate(calls.at(i).arguments)
                       && !FuzzCheck::hasLoneSurrogate(calls.at(i).name),
                   "a tool call holds a lone surrogate");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));
    Decoder decoder;
    Decoder reusing;
    StreamDelta reused;
    QByteArray previous;
    qsizetype pos = 0;
    int events = 0;
    while (pos < input.size() && events < 64) {
        qsizetype end = input.indexOf('\xFF', pos);
        if (end < 0)
            end = input.size();
        const QByteArrayView piece = input.sliced(pos, end - pos);
        pos = end + 1;
        if (piece.isEmpty())
            continue;
        ++events;

        const quint8 header = quint8(piece.front());
        SseEvent event;
        event.type = eventType(header);
        if (header & 0x20) {
            event.data = withContent(previous, piece.sliced(1));
        } else {
            if (header & 8)
                event.data = choicesPrefix(previous).toByteArray();
            event.data.append(piece.sliced(1));
        }
        previous = event.data;
        if (header & 0x10) {
            decoder.reset();
            reusing.reset();
        }

        const qint64 malformedBefore = decoder.malformedCount();
        const StreamDelta delta = decoder.decode(event);
        Decoder fresh;
        const StreamDelta alone = fresh.decode(event);

        reusing.decode(event, reused);

        checkStrings(delta);
        FUZZ_CHECK(sameIgnoringToolCallIndex(delta, alone),
                   "the decoder gives another delta than a fresh one (remembered prefix?)");
        FUZZ_CHECK(sameIgnoringToolCallIndex(delta, reused, true),
                   "decode(event, delta) reusing a StreamDelta gives another delta");
        FUZZ_CHECK(decoder.malformedCount() == malformedBefore + (delta.malformed ? 1 : 0),
                   "malformedCount() does not count the malformed events");
        if (delta.malformed) {
            FUZZ_CHECK(!delta.hasText() && delta.toolCalls.isEmpty() && !delta.usage
                           && delta.finishReason.isEmpty() && !delta.error && !delta.done,
                       "a malformed delta has something else set");
        }
        const QByteArrayView data = trimmed(event.data);
        const bool isMessage = event.type.isEmpty() || event.type == "message";
        if (event.type == "ping" || event.type == "Message")
            FUZZ_CHECK(isEmptyDelta(delta), "an event of another type gave a non-empty delta");
        if (delta.done)
            FUZZ_CHECK(isMessage && data == "[DONE]", "done without [DONE]");
        if (isMessage && data != "[DONE]" && !data.isEmpty()) {
            FUZZ_CHECK(delta.malformed == !JsonReader::isValid(data),
                       "malformed does not match JsonReader::isValid of the data");
        }
        if (event.type == "error") {
            FUZZ_CHECK(!delta.malformed && delta.error, "an error event without an error");
        }
        checkToolCalls(decoder);
        FUZZ_CHECK(reusing.malformedCount() == decoder.malformedCount(), "malformedCount() differs");
    }
    return 0;
}
