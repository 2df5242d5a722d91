// Fuzzes SseParser (and the Utf8 helpers it relies on).
//
// Input: 4 header bytes, then the stream.
//   [0] flags: bits 0-1 size limit (default 16 MiB | 4 KiB | 1 + [1] | 1 + 16*[1]),
//              bits 2-3 the largest random chunk (2 | 16 | 128 | 4096 bytes),
//              bit 4 handlers call reset()/finish()/feed() from inside (crash check only),
//              bit 5 also parse the stream again after reset() on the same parser,
//              bit 6 which runs use the zero-copy event view handler
//   [1] parameter (tiny limits, what the re-entrant handler does)
//   [2..3] seed of the chunking
// Every chunk is fed from a heap buffer of its own, freed right after feed(),
// so ASan reports any view into a chunk that the parser keeps too long.
// Checks:
//   - a spec-literal reference parser (whole input, no incremental state, written
//     here from the WHATWG text plus the documented size-limit rule) gives the
//     same events, retry notices, failure, endedMidEvent and lastEventId;
//   - so do feeding it whole, byte by byte with empty chunks in between, in two
//     chunks and in random chunks, with either kind of event handler: cutting
//     never changes the result;
//   - every event field is well-formed UTF-8 (by the reference and by Qt);
//   - with a small limit the parser never holds more than a fixed multiple of
//     it (16x), however long the stream (heap bytes measured by the ASan allocator);
//   - counters: bytesFed(), eventsDispatched(), feed() == !hasFailed();
//   - Utf8::isValid and Utf8::sanitized (at eight alignments) agree with a
//     reference decoder that derives "maximal subparts" from code point ranges.

#include "fuzzcheck.h"

#include "sse/sseparser.h"
#include "sse/utf8.h"

#include <QByteArray>
#include <QList>

#include <sanitizer/allocator_interface.h>

#include <algorithm>
#include <cstdint>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// ---- Reference UTF-8 ------------------------------------------------------

// How many bytes a lead byte announces by its bit pattern alone; 0 for a
// continuation byte or 0xF8..0xFF.
int announcedLength(uchar c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 0;
}

// Whether the k bytes at p begin the n-byte encoding of some Unicode scalar
// value: the code points whose encoding starts with them form a range, which
// must meet [smallest n-byte code point, largest] minus the surrogates.
bool isValidPrefix(const uchar *p, int k, int n)
{
    for (int i = 1; i < k; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return false;
    }
    static constexpr quint32 leadBits[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    static constexpr quint32 minCode[5] = {0, 0, 0x80, 0x800, 0x10000};
    static constexpr quint32 maxCode[5] = {0, 0x7F, 0x7FF, 0xFFFF, 0x10FFFF};
    quint32 lo = p[0] & leadBits[n];
    for (int i = 1; i < k; ++i)
        lo = (lo << 6) | (p[i] & 0x3F);
    quint32 hi = lo;
    for (int i = k; i < n; ++i) {
        lo <<= 6;
        hi = (hi << 6) | 0x3F;
    }
    lo = std::max(lo, minCode[n]);
    hi = std::min(hi, maxCode[n]);
    return lo <= hi && (lo < 0xD800 || hi > 0xDFFF);
}

// Every maximal ill-formed subpart replaced by U+FFFD.
QByteArray referenceSanitized(QByteArrayView in)
{
    QByteArray out;
    const auto p = reinterpret_cast<const uchar *>(in.data());
    const qsizetype size = in.size();
    qsizetype i = 0;
    while (i < size) {
        const int n = announcedLength(p[i]);
        if (n == 1) {
            out.append(char(p[i++]));
            continue;
        }
        int valid = 0; // length of the longest valid prefix
        for (int k = 1; k <= n && i + k <= size && isValidPrefix(p + i, k, n); ++k)
            valid = k;
        if (n > 0 && valid == n) {
            out.append(in.sliced(i, n));
            i += n;
        } else {
            out.append("\xEF\xBF\xBD");
            i += std::max(valid, 1);
        }
    }
    return out;
}

bool referenceValid(QByteArrayView in)
{
    return QByteArrayView(referenceSanitized(in)) == in;
}

void checkUtf8(QByteArrayView bytes)
{
    for (qsizetype skip = 0; skip < 8 && skip <= bytes.size(); ++skip) {
        const QByteArrayView v = bytes.sliced(skip);
        const bool valid = Utf8::isValid(v);
        FUZZ_CHECK(valid == referenceValid(v), "Utf8::isValid disagrees with the reference decoder");
        FUZZ_CHECK(valid == FuzzCheck::qtThinksValidUtf8(v), "Utf8::isValid disagrees with Qt");
        const QByteArray clean = Utf8::sanitized(v.toByteArray());
        FUZZ_CHECK(clean == referenceSanitized(v), "Utf8::sanitized disagrees with the reference");
        FUZZ_CHECK(Utf8::isValid(clean), "Utf8::sanitized returned ill-formed UTF-8");
    }
}

// ---- What a run of the parser reports -------------------------------------

struct Output
{
    bool isRetry = false;
    SseEvent event;
    qint64 retry = 0;

    friend bool operator==(const Output &a, const Output &b)
    {
        return a.isRetry == b.isRetry && a.event == b.event && a.retry == b.retry;
    }
};

struct Run
{
    QList<Output> outputs;
    bool failed = false;
    bool endedMidEvent = false;
    QByteArray lastEventId;
    qint64 bytesFed = 0;
    qint64 eventsDispatched = 0;

    friend bool operator==(const Run &a, const Run &b)
    {
        return a.outputs == b.outputs && a.failed == b.failed && a.endedMidEvent == b.endedMidEvent
            && a.lastEventId == b.lastEventId && a.bytesFed == b.bytesFed
            && a.eventsDispatched == b.eventsDispatched;
    }
};

// ---- Reference parser: the WHATWG algorithm read literally ------------------

qint64 clampedDecimal(QByteArrayView digits)
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    qint64 v = 0;
    for (const char c : digits) {
        if (__builtin_mul_overflow(v, qint64(10), &v) || __builtin_add_overflow(v, qint64(c - '0'), &v))
            return max;
    }
    return v;
}

// The stream as one piece; `id` is the last event ID the parser starts with
// (non-empty after reset()). Size limit: a line (without its end) may not be
// longer than `limit` minus the data already buffered for the event.
Run referenceParse(QByteArrayView s, qsizetype limit, const QByteArray &id)
{
    Run run;
    run.bytesFed = s.size();
    run.lastEventId = id;
    QByteArray idBuffer = id;
    QByteArray data;
    QByteArray type;
    bool sawField = false;
    bool partialLine = false;
    if (s.startsWith("\xEF\xBB\xBF"))
        s = s.sliced(3);
    qsizetype i = 0;
    while (i < s.size()) {
        qsizetype j = i;
        while (j < s.size() && s[j] != '\r' && s[j] != '\n')
            ++j;
        const QByteArrayView line = s.sliced(i, j - i);
        if (line.size() + data.size() > limit) {
            run.failed = true;
            break;
        }
        if (j == s.size()) {
            partialLine = true;
            break;
        }
        i = j + 1;
        if (s[j] == '\r' && i < s.size() && s[i] == '\n')
            ++i;

        if (line.isEmpty()) { // dispatch
            sawField = false;
            run.lastEventId = idBuffer;
            if (!data.isEmpty()) {
                data.chop(1);
                Output o;
                o.event.type = type.isEmpty() ? "message"_ba : referenceSanitized(type);
                o.event.data = referenceSanitized(data);
                o.event.lastEventId = run.lastEventId;
                run.outputs.append(o);
                ++run.eventsDispatched;
            }
            data.clear();
            type.clear();
            continue;
        }
        if (line.startsWith(':'))
            continue;
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView name = colon < 0 ? line : line.first(colon);
        QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
        if (name == "data") {
            sawField = true;
            data.append(value);
            data.append('\n');
        } else if (name == "event") {
            sawField = true;
            type = value.toByteArray();
        } else if (name == "id") {
            sawField = true;
            if (!value.contains('\0'))
                idBuffer = referenceSanitized(value);
        } else if (name == "retry") {
            if (!value.isEmpty()
                && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                Output o;
                o.isRetry = true;
                o.retry = clampedDecimal(value);
                run.outputs.append(o);
            }
        }
    }
    run.endedMidEvent = run.failed || partialLine || sawField;
    if (run.failed)
        run.bytesFed = -1;
    return run;
}

// ---- Running the real parser ------------------------------------------------

void checkEvent(const SseEvent &e, qsizetype limit)
{
    FUZZ_CHECK(!e.type.isEmpty(), "an event without a type");
    FUZZ_CHECK(Utf8::isValid(e.type) && Utf8::isValid(e.data) && Utf8::isValid(e.lastEventId),
               "an event field is not valid UTF-8 (Utf8::isValid)");
    FUZZ_CHECK(referenceValid(e.type) && referenceValid(e.data) && referenceValid(e.lastEventId),
               "an event field is not valid UTF-8 (reference)");
    FUZZ_CHECK(FuzzCheck::qtThinksValidUtf8(e.data), "event data is not valid UTF-8 (Qt)");
    Q_UNUSED(limit);
}

void record(SseParser &parser, Run &run, qsizetype limit, bool views = false)
{
    if (views) {
        parser.setEventViewHandler([&run, limit](const SseEventView &v) {
            Output o;
            o.event = v.toEvent(); // reads every byte of the views
            checkEvent(o.event, limit);
            run.outputs.append(o);
        });
    } else {
        parser.setEventHandler([&run, limit](const SseEvent &e) {
            checkEvent(e, limit);
            Output o;
            o.event = e;
            run.outputs.append(o);
        });
    }
    parser.setRetryHandler([&run](qint64 ms) {
        FUZZ_CHECK(ms >= 0, "negative retry time");
        Output o;
        o.isRetry = true;
        o.retry = ms;
        run.outputs.append(o);
    });
}

// Feeds a copy of the chunk in a heap buffer of its own, freed on return.
bool feedCopy(SseParser &parser, QByteArrayView chunk)
{
    const QByteArray copy = chunk.toByteArray();
    return parser.feed(copy);
}

// Cuts before each position in `cuts` (ascending; repeats give empty chunks).
void feedAll(SseParser &parser, QByteArrayView stream, const QList<qsizetype> &cuts)
{
    qsizetype pos = 0;
    auto feedTo = [&](qsizetype to) {
        const bool ok = feedCopy(parser, stream.sliced(pos, to - pos));
        FUZZ_CHECK(ok == !parser.hasFailed(), "feed() does not agree with hasFailed()");
        pos = to;
    };
    for (const qsizetype cut : cuts)
        feedTo(cut);
    feedTo(stream.size());
    parser.finish();
}

// bytesFed() counts what feed() took, so once the parser has failed (and
// ignores further chunks) it depends on the chunking: then only its bound is checked.
void finishRun(const SseParser &parser, Run &run, qsizetype streamSize)
{
    run.failed = parser.hasFailed();
    FUZZ_CHECK(run.failed == !parser.errorString().isEmpty(), "hasFailed() and errorString() disagree");
    run.endedMidEvent = parser.endedMidEvent();
    run.lastEventId = parser.lastEventId();
    run.bytesFed = parser.bytesFed();
    FUZZ_CHECK(run.bytesFed == streamSize || (run.failed && run.bytesFed < streamSize),
               "bytesFed() is off");
    if (run.failed)
        run.bytesFed = -1;
    run.eventsDispatched = parser.eventsDispatched();
}

Run parse(QByteArrayView stream, const QList<qsizetype> &cuts, qsizetype limit, bool views = false)
{
    Run run;
    SseParser parser(limit);
    record(parser, run, limit, views);
    feedAll(parser, stream, cuts);
    finishRun(parser, run, stream.size());
    return run;
}

// A small deterministic generator (splitmix64), so a crash reproduces.
struct Rng
{
    quint64 state;
    quint64 next()
    {
        quint64 z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    qsizetype upTo(qsizetype n) { return qsizetype(next() % quint64(n)); } // [0, n)
};

QList<qsizetype> randomCuts(qsizetype size, quint64 seed, qsizetype maxChunk)
{
    Rng rng{seed};
    QList<qsizetype> cuts;
    for (qsizetype pos = rng.upTo(maxChunk + 1); pos < size; pos += 1 + rng.upTo(maxChunk)) {
        cuts.append(pos);
        if (rng.upTo(8) == 0)
            cuts.append(pos); // an empty chunk
    }
    return cuts;
}

// With a small limit: the parser's heap share, measured after every chunk,
// stays within a fixed multiple of the limit, however long the stream is.
// What it may hold: the line being read and the event's data (together at most
// the limit), the event type, the ID buffer and the last ID (each at most one
// line), the last event it handed out (kept for its buffers; type and data may
// be three times their raw size after U+FFFD replacement), QByteArray's growth
// slack on each, the BOM probe and an error message.
void checkMemoryBound(QByteArrayView stream, qsizetype limit, quint64 seed, qsizetype maxChunk)
{
    qint64 events = 0;
    SseParser parser(limit);
    parser.setEventHandler([&events, limit](const SseEvent &e) {
        checkEvent(e, limit);
        // Raw bytes count against the limit; each ill-formed byte may become
        // a three-byte U+FFFD in the event.
        FUZZ_CHECK(e.data.size() < 3 * limit, "an event's data is far longer than the limit");
        ++events;
    });
    const QList<qsizetype> cuts = randomCuts(stream.size(), seed, maxChunk);
    const size_t before = __sanitizer_get_current_allocated_bytes();
    const qint64 bound = 16 * qint64(limit) + 1024;
    qsizetype pos = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype to = i < cuts.size() ? cuts.at(i) : stream.size();
        feedCopy(parser, stream.sliced(pos, to - pos));
        pos = to;
        const qint64 held = qint64(__sanitizer_get_current_allocated_bytes()) - qint64(before);
        FUZZ_CHECK(held <= bound, "the parser holds more than 16 times its size limit");
    }
    parser.finish();
    FUZZ_CHECK(events == parser.eventsDispatched(), "eventsDispatched() is off");
}

// Handlers that reset(), finish() or feed() the parser from inside (the
// header allows the first two; feeding is not forbidden and the parser means
// to survive it): only crashes, sanitizer findings and the per-event checks
// count here.
void reentrant(QByteArrayView stream, qsizetype limit, quint8 param, quint64 seed, qsizetype maxChunk,
               bool views)
{
    SseParser parser(limit);
    int calls = 0;
    int depth = 0;
    auto act = [&]() {
        if (++calls % (1 + (param & 3)) != 0)
            return;
        if (param & 0x10) {
            if (depth < 2) {
                ++depth;
                feedCopy(parser, (param & 0x20) ? "data: nested\n\n" : "data: open\ndata");
                --depth;
            }
        } else if (param & 4) {
            parser.finish();
        } else {
            parser.reset();
        }
    };
    if (views) {
        parser.setEventViewHandler([&](const SseEventView &v) {
            checkEvent(v.toEvent(), limit);
            act();
            // The views stay valid until the handler returns, whatever it did.
            checkEvent(v.toEvent(), limit);
        });
    } else {
        parser.setEventHandler([&](const SseEvent &e) {
            checkEvent(e, limit);
            act();
            checkEvent(e, limit);
        });
    }
    parser.setRetryHandler([&](qint64) {
        if (param & 8)
            act();
    });
    qsizetype pos = 0;
    const QList<qsizetype> cuts = randomCuts(stream.size(), seed, maxChunk);
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype to = i < cuts.size() ? cuts.at(i) : stream.size();
        FUZZ_CHECK(feedCopy(parser, stream.sliced(pos, to - pos)) == !parser.hasFailed(),
                   "feed() does not agree with hasFailed()");
        pos = to;
    }
    parser.finish();
    FUZZ_CHECK(Utf8::isValid(parser.lastEventId()), "lastEventId() is not valid UTF-8");
}

// A short warm-up so that one-time allocations (the locale used in the error
// message) are made before any memory is measured.
void warmUp()
{
    SseParser parser(4);
    parser.feed("data: too long\n\n");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    static const bool warm = (warmUp(), true);
    Q_UNUSED(warm);
    if (size < 4)
        return 0;
    const quint8 flags = bytes[0];
    const quint8 param = bytes[1];
    const quint64 seed = quint64(bytes[2]) | quint64(bytes[3]) << 8;
    const QByteArrayView stream(reinterpret_cast<const char *>(bytes) + 4, qsizetype(size) - 4);

    qsizetype limit = SseParser::DefaultMaxEventBytes;
    switch (flags & 3) {
    case 1: limit = 4096; break;
    case 2: limit = 1 + param; break;
    case 3: limit = 1 + 16 * qsizetype(param); break;
    default: break;
    }
    static constexpr qsizetype maxChunks[4] = {2, 16, 128, 4096};
    const qsizetype maxChunk = maxChunks[(flags >> 2) & 3];

    checkUtf8(stream);

    const bool views = flags & 0x40;
    if (flags & 0x10) {
        reentrant(stream, limit, param, seed, maxChunk, views);
        return 0;
    }

    const Run expected = referenceParse(stream, limit, {});
    FUZZ_CHECK(parse(stream, {}, limit) == expected,
               "fed whole, the parser disagrees with the reference parser");
    FUZZ_CHECK(parse(stream, {}, limit, true) == expected,
               "fed whole to the event view handler, the parser disagrees with the reference parser");

    const QList<qsizetype> random = randomCuts(stream.size(), seed, maxChunk);
    FUZZ_CHECK(parse(stream, random, limit, views) == expected, "random chunks change the result");
    const qsizetype at = qsizetype(seed % quint64(stream.size() + 1));
    FUZZ_CHECK(parse(stream, {at}, limit, !views) == expected, "two chunks change the result");
    if (stream.size() <= 2048) {
        QList<qsizetype> everyByte;
        for (qsizetype i = 1; i < stream.size(); ++i)
            everyByte.append({i, i});
        FUZZ_CHECK(parse(stream, everyByte, limit, views) == expected,
                   "byte-by-byte feeding changes the result");
    }

    if (limit < SseParser::DefaultMaxEventBytes)
        checkMemoryBound(stream, limit, seed, maxChunk);

    if (flags & 0x20) {
        // reset() keeps handlers, limit and lastEventId, and clears the rest.
        Run first;
        Run second;
        SseParser parser(limit);
        record(parser, first, limit, views);
        feedAll(parser, stream, random);
        finishRun(parser, first, stream.size());
        parser.reset();
        record(parser, second, limit, !views);
        feedAll(parser, stream, randomCuts(stream.size(), seed + 1, maxChunk));
        finishRun(parser, second, stream.size());
        FUZZ_CHECK(first == expected, "random chunks change the result");
        FUZZ_CHECK(second == referenceParse(stream, limit, first.lastEventId),
                   "after reset() the parser disagrees with the reference parser");
    }
    return 0;
}
