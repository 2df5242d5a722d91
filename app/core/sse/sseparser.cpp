#include "sseparser.h"

#include "utf8.h"
#include "vectorstate.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr qsizetype kBomSize = 3;
// Buffers up to this size are kept for the next event instead of being freed.
constexpr qsizetype kKeptBufferBytes = 64 * 1024;

// The first `c` in [p, end), or end. glibc's memchr is vectorised (AVX2 or
// AVX-512); it may return with the upper vector state dirty, which would slow
// down the SSE2 code that follows (see vectorstate.h).
inline const char *findByte(const char *p, const char *end, char c) noexcept
{
    const void *hit = std::memchr(p, c, size_t(end - p));
    VectorState::clearUpper();
    return hit ? static_cast<const char *>(hit) : end;
}

inline bool allAsciiDigits(QByteArrayView v) noexcept
{
    return !v.isEmpty()
        && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Base ten; a value with more digits than fit in 64 bits is still "all
// digits" (so valid), and clamps to the maximum.
qint64 parseDecimal(QByteArrayView digits) noexcept
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    qint64 value = 0;
    for (const char c : digits) {
        const int digit = c - '0';
        if (value > (max - digit) / 10)
            return max;
        value = value * 10 + digit;
    }
    return value;
}

// "16 MiB", "64 bytes", "1.50 MiB": exact for the limits people set.
QString sizeText(qsizetype bytes)
{
    qsizetype unit = 1;
    while (unit <= bytes / 1024)
        unit *= 1024;
    return QLocale().formattedDataSize(bytes, bytes % unit == 0 ? 0 : 2);
}

} // namespace

SseParser::SseParser(qsizetype maxEventBytes)
    : m_maxEventBytes(maxEventBytes > 0 ? maxEventBytes : DefaultMaxEventBytes)
{
}

bool SseParser::feed(QByteArrayView chunk)
{
    if (hasFailed())
        return false;
    VectorState::clearUpper();
    m_bytesFed += chunk.size();
    if (!m_bomChecked) {
        // The UTF-8 decode strips one leading BOM, which may arrive split
        // across chunks: hold back the first bytes until we know.
        const qsizetype take = std::min(kBomSize - m_bomProbe.size(), chunk.size());
        m_bomProbe.append(chunk.first(take));
        chunk = chunk.sliced(take);
        if (std::memcmp(m_bomProbe.constData(), kBom, size_t(m_bomProbe.size())) == 0) {
            if (m_bomProbe.size() < kBomSize)
                return true; // all we have is a BOM prefix (and the chunk is used up)
            m_bomProbe.clear(); // a BOM: dropped
            m_bomChecked = true;
        } else {
            m_bomChecked = true;
            const quint64 generation = m_generation;
            processChunk(std::exchange(m_bomProbe, QByteArray()));
            if (generation != m_generation)
                return !hasFailed(); // a handler called reset() or finish()
        }
    }
    processChunk(chunk);
    return !hasFailed();
}

void SseParser::processChunk(QByteArrayView chunk)
{
    processLines(chunk);
    // A data line held as a view into the chunk must be copied before the
    // chunk goes away (nothing to do when the parser failed or was reset).
    keepPendingData();
}

void SseParser::processLines(QByteArrayView chunk)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end || hasFailed())
        return;
    if (m_skipLeadingLf) {
        // CR at the end of the previous chunk and LF here are one line end.
        m_skipLeadingLf = false;
        if (*p == '\n' && ++p == end)
            return;
    }
    const quint64 generation = m_generation;
    // The next LF and the next CR at or after p (or end). Each is searched
    // once and reused for every line before it, so scanning stays linear even
    // when a chunk holds many CR-only lines, and a chunk without CR (the usual
    // case) is searched for one only once.
    const char *lf = findByte(p, end, '\n');
    const char *cr = findByte(p, end, '\r');
    while (p < end) {
        if (lf < p)
            lf = *p == '\n' ? p : findByte(p, end, '\n'); // a blank line needs no search
        if (cr < p)
            cr = findByte(p, end, '\r');
        const char *const eol = std::min(lf, cr);
        const qsizetype length = eol - p;
        if (!fitsLimit(m_line.size() + length))
            return;
        if (eol == end) {
            m_line.append(p, length); // an incomplete line: wait for the rest
            return;
        }
        if (m_line.isEmpty()) {
            // The usual event, "data: ...\n\n" within the chunk, goes straight
            // to dispatch (what processLine() would do for both lines).
            if (*eol == '\n' && eol + 1 < end && eol[1] == '\n' && length >= 5
                && std::memcmp(p, "data:", 5) == 0 && !m_hasPendingData && m_data.isEmpty()) {
                QByteArrayView value(p + 5, length - 5);
                if (!value.isEmpty() && value.front() == ' ')
                    value = value.sliced(1);
                dispatch(value, false);
                if (hasFailed() || generation != m_generation)
                    return;
                p = eol + 2;
                continue;
            }
            processLine(QByteArrayView(p, length), true);
        } else {
            m_line.append(p, length);
            processLine(m_line, false);
            if (m_line.capacity() <= kKeptBufferBytes)
                m_line.resize(0); // keeps the memory for the next line cut by a chunk end
            else
                m_line = QByteArray();
        }
        if (hasFailed() || generation != m_generation)
            return;
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_skipLeadingLf = true;
            else if (*p == '\n')
                ++p;
        }
    }
}

void SseParser::failTooLarge()
{
    fail(QCoreApplication::translate("SseParser",
             "The server sent an event larger than %1; the stream was stopped.")
             .arg(sizeText(m_maxEventBytes)));
}

void SseParser::processLine(QByteArrayView line, bool lineInChunk)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    // Nearly every line of an API stream is a data line: test for it first.
    if (line.size() >= 5 && std::memcmp(line.data(), "data:", 5) == 0) {
        QByteArrayView value = line.sliced(5);
        if (!value.isEmpty() && value.front() == ' ')
            value = value.sliced(1);
        m_sawFieldSinceDispatch = true;
        if (lineInChunk && !m_hasPendingData && m_data.isEmpty()) {
            // The first data line of the event: kept as a view into the chunk.
            // If the blank line follows in the same chunk (the usual case),
            // it is dispatched from there without being copied to m_data.
            m_pendingData = value.data();
            m_pendingDataSize = value.size();
            m_hasPendingData = true;
        } else {
            keepPendingData();
            m_data.append(value);
            m_data.append('\n');
        }
        return;
    }
    if (line.front() == ':')
        return; // comment
    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (!value.isEmpty() && value.front() == ' ')
            value = value.sliced(1);
    }
    // Field names are case-sensitive; anything else is ignored. ("data" with
    // a colon was handled above; a line that is just "data" comes here.)
    if (field == "data"_ba) {
        m_sawFieldSinceDispatch = true;
        keepPendingData();
        m_data.append(value);
        m_data.append('\n');
    } else if (field == "event"_ba) {
        m_sawFieldSinceDispatch = true;
        m_eventType = value.toByteArray();
    } else if (field == "id"_ba) {
        m_sawFieldSinceDispatch = true;
        if (!value.contains('\0'))
            m_idBuffer = Utf8::sanitized(value.toByteArray());
    } else if (field == "retry"_ba) {
        if (allAsciiDigits(value) && m_onRetry)
            m_onRetry(parseDecimal(value));
    }
}

void SseParser::keepPendingData()
{
    if (!m_hasPendingData)
        return;
    m_hasPendingData = false;
    m_data.append(m_pendingData, m_pendingDataSize);
    m_data.append('\n');
}

void SseParser::dispatch()
{
    if (m_hasPendingData) {
        m_hasPendingData = false;
        dispatch(QByteArrayView(m_pendingData, m_pendingDataSize), false);
    } else if (!m_data.isEmpty()) {
        dispatch(QByteArrayView(m_data).chopped(1), true); // without the trailing '\n'
    } else {
        // No data: no event, but the ID and the type buffer still change.
        m_sawFieldSinceDispatch = false;
        if (!m_lastEventId.isSharedWith(m_idBuffer))
            m_lastEventId = m_idBuffer;
        m_eventType.clear();
    }
}

// data is the data buffer without its last '\n': in the chunk, or in m_data
// (dataInBuffer).
void SseParser::dispatch(QByteArrayView data, bool dataInBuffer)
{
    m_sawFieldSinceDispatch = false;
    if (!m_lastEventId.isSharedWith(m_idBuffer))
        m_lastEventId = m_idBuffer;
    ++m_eventsDispatched;
    // The event is built in m_event, whose buffers are reused from one event
    // to the next unless a handler kept a copy. What a view handler sees lives
    // in m_event or in the chunk, which reset() and finish() do not touch. A
    // handler that feeds the parser again (it should not) gets a fresh event
    // for the nested one.
    std::optional<SseEvent> nested;
    SseEvent &event = Q_LIKELY(!m_dispatching) ? m_event : nested.emplace();
    SseEventView view;
    if (m_eventType.isEmpty()) {
        if (!m_onEventView)
            event.type = "message"_ba;
        view.type = "message";
    } else {
        event.type = Utf8::sanitized(std::exchange(m_eventType, QByteArray()));
        view.type = event.type;
    }
    if (m_onEventView) {
        if (Q_UNLIKELY(!Utf8::isValid(data))) {
            event.data = Utf8::sanitized(data.toByteArray());
            view.data = event.data;
        } else if (dataInBuffer) {
            event.data.swap(m_data); // m_data gets the old buffer of event.data for reuse
            view.data = QByteArrayView(event.data).chopped(1);
        } else {
            view.data = data; // in the chunk: no copy
        }
    } else {
        assignSanitized(event.data, data);
    }
    if (!event.lastEventId.isSharedWith(m_lastEventId))
        event.lastEventId = m_lastEventId;
    view.lastEventId = event.lastEventId;
    // Keep the data buffer's memory for the next event, unless it grew large
    // or is shared.
    if (!m_data.isEmpty()) {
        if (m_data.isDetached() && m_data.capacity() <= kKeptBufferBytes)
            m_data.resize(0);
        else
            m_data = QByteArray();
    }

    const bool wasDispatching = std::exchange(m_dispatching, true);
    if (m_onEventView)
        m_onEventView(view);
    else if (m_onEvent)
        m_onEvent(event);
    m_dispatching = wasDispatching;
    VectorState::clearUpper(); // the handler may have left it dirty (see vectorstate.h)
    if (event.data.capacity() > kKeptBufferBytes)
        event.data = QByteArray(); // do not hold on to the memory of a huge event
}

void SseParser::assignSanitized(QByteArray &to, QByteArrayView bytes)
{
    if (Q_UNLIKELY(!Utf8::isValid(bytes))) {
        to = Utf8::sanitized(bytes.toByteArray());
        return;
    }
    // Reuse to's memory when nobody else holds it and it is not oversized.
    if (to.isDetached() && to.capacity() <= std::max(kKeptBufferBytes, 2 * bytes.size())) {
        to.resize(bytes.size());
        if (!bytes.isEmpty())
            std::memcpy(to.data(), bytes.data(), size_t(bytes.size()));
    } else {
        to = bytes.toByteArray();
    }
}

void SseParser::finish()
{
    if (!m_bomChecked) {
        // Fewer than three bytes in the whole stream, all a BOM prefix: not a BOM.
        m_bomChecked = true;
        processChunk(std::exchange(m_bomProbe, QByteArray()));
    }
    ++m_generation;
    m_endedMidEvent = hasFailed() || !m_line.isEmpty() || m_sawFieldSinceDispatch;
    discardPendingEvent();
}

void SseParser::reset()
{
    ++m_generation;
    discardPendingEvent();
    m_bomProbe.clear();
    m_error.clear();
    m_bomChecked = false;
    m_endedMidEvent = false;
    m_bytesFed = 0;
    m_eventsDispatched = 0;
}

void SseParser::discardPendingEvent()
{
    m_line.clear();
    m_data.clear();
    m_hasPendingData = false;
    m_eventType.clear();
    // An `id` whose event never got its blank line never took effect.
    m_idBuffer = m_lastEventId;
    m_sawFieldSinceDispatch = false;
    m_skipLeadingLf = false;
}

void SseParser::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
    m_line.clear();
    m_data.clear();
    m_hasPendingData = false;
    m_eventType.clear();
}
