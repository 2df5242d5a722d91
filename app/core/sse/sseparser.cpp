#include "sseparser.h"

#include "utf8.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr qsizetype kBomSize = 3;

// The first `c` in [p, end), or end. memchr is vectorised.
inline const char *findByte(const char *p, const char *end, char c) noexcept
{
    const void *hit = std::memchr(p, c, size_t(end - p));
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
    // The next LF at or after p (or end). It is searched once and reused for
    // every CR-terminated line before it, so scanning stays linear even when a
    // chunk holds many CR-only lines.
    const char *lf = findByte(p, end, '\n');
    while (p < end) {
        if (lf < p)
            lf = findByte(p, end, '\n');
        const char *const eol = findByte(p, lf, '\r'); // == lf when no CR before it
        const qsizetype length = eol - p;
        if (!fitsLimit(m_line.size() + length))
            return;
        if (eol == end) {
            m_line.append(p, length); // an incomplete line: wait for the rest
            return;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, length));
        } else {
            m_line.append(p, length);
            processLine(m_line);
            m_line.clear();
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

bool SseParser::fitsLimit(qsizetype lineBytes)
{
    // m_data never exceeds the limit: a data line adds at most its own length.
    if (lineBytes <= m_maxEventBytes - m_data.size())
        return true;
    fail(QCoreApplication::translate("SseParser",
             "The server sent an event larger than %1; the stream was stopped.")
             .arg(sizeText(m_maxEventBytes)));
    return false;
}

void SseParser::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        dispatch();
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
    // Field names are case-sensitive; anything else is ignored.
    if (field == "data"_ba) {
        m_sawFieldSinceDispatch = true;
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

void SseParser::dispatch()
{
    m_sawFieldSinceDispatch = false;
    m_lastEventId = m_idBuffer;
    if (m_data.isEmpty()) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1); // the trailing '\n'
    SseEvent event;
    event.type = m_eventType.isEmpty() ? "message"_ba
                                       : Utf8::sanitized(std::exchange(m_eventType, QByteArray()));
    event.data = Utf8::sanitized(std::exchange(m_data, QByteArray()));
    event.lastEventId = m_lastEventId;
    m_eventType.clear();
    ++m_eventsDispatched;
    if (m_onEvent)
        m_onEvent(event);
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
    m_eventType.clear();
}
