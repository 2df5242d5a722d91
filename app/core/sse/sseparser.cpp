#include "sseparser.h"

#include "utf8.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kMessage = QByteArrayLiteral("message");

inline const char *findLineEnd(const char *p, const char *end) noexcept
{
    // memchr is vectorised; look for LF and CR separately and take the first.
    const void *lf = std::memchr(p, '\n', size_t(end - p));
    const char *limit = lf ? static_cast<const char *>(lf) : end;
    const void *cr = std::memchr(p, '\r', size_t(limit - p));
    return cr ? static_cast<const char *>(cr) : (lf ? limit : nullptr);
}

inline bool allAsciiDigits(QByteArrayView v) noexcept
{
    if (v.isEmpty())
        return false;
    return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
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
        // A UTF-8 BOM may arrive split across chunks: hold back up to 3 bytes.
        static constexpr char bom[] = "\xEF\xBB\xBF";
        m_bomProbe.append(chunk.data(), chunk.size());
        const qsizetype n = std::min<qsizetype>(m_bomProbe.size(), 3);
        if (std::memcmp(m_bomProbe.constData(), bom, size_t(n)) == 0 && m_bomProbe.size() < 3)
            return true;
        m_bomChecked = true;
        const QByteArray probe = std::move(m_bomProbe);
        m_bomProbe = QByteArray();
        const bool hasBom = n == 3 && std::memcmp(probe.constData(), bom, 3) == 0;
        processChunk(QByteArrayView(probe).sliced(hasBom ? 3 : 0));
    } else {
        processChunk(chunk);
    }
    return !hasFailed();
}

void SseParser::processChunk(QByteArrayView chunk)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (m_skipLeadingLf && p < end) {
        // CR at the end of the previous chunk and LF here are one line end.
        if (*p == '\n')
            ++p;
        m_skipLeadingLf = false;
    }
    while (p < end && !hasFailed()) {
        const char *eol = findLineEnd(p, end);
        if (!eol) {
            m_line.append(p, end - p);
            if (m_line.size() + m_data.size() > m_maxEventBytes)
                fail(QCoreApplication::translate("SseParser",
                         "The server sent an event larger than %1 MiB; the stream was stopped.")
                         .arg(m_maxEventBytes / (1024 * 1024)));
            return;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, eol - p));
        } else {
            m_line.append(p, eol - p);
            processLine(m_line);
            m_line.clear();
        }
        if (*eol == '\r') {
            if (eol + 1 < end) {
                if (eol[1] == '\n')
                    ++eol;
            } else {
                m_skipLeadingLf = true;
            }
        }
        p = eol + 1;
    }
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
    // Compare on length first: this runs for every line of the stream.
    switch (field.size()) {
    case 4:
        if (field == "data") {
            m_sawFieldSinceDispatch = true;
            if (m_data.size() + value.size() + 1 > m_maxEventBytes) {
                fail(QCoreApplication::translate("SseParser",
                         "The server sent an event larger than %1 MiB; the stream was stopped.")
                         .arg(m_maxEventBytes / (1024 * 1024)));
                return;
            }
            m_data.append(value.data(), value.size());
            m_data.append('\n');
        }
        break;
    case 5:
        if (field == "event") {
            m_sawFieldSinceDispatch = true;
            m_eventType = value.toByteArray();
        } else if (field == "retry") {
            if (allAsciiDigits(value) && m_onRetry) {
                bool ok = false;
                const qint64 ms = value.toLongLong(&ok);
                // More digits than fit in 64 bits: still "all digits", so clamp.
                m_onRetry(ok ? ms : std::numeric_limits<qint64>::max());
            }
        }
        break;
    case 2:
        if (field == "id") {
            m_sawFieldSinceDispatch = true;
            if (!value.contains('\0'))
                m_idBuffer = value.toByteArray();
        }
        break;
    default:
        break; // unknown field: ignored
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
    event.type = m_eventType.isEmpty() ? kMessage : Utf8::sanitized(std::move(m_eventType));
    event.data = Utf8::sanitized(std::move(m_data));
    event.lastEventId = Utf8::sanitized(m_lastEventId);
    m_data = QByteArray();
    m_eventType = QByteArray();
    ++m_eventsDispatched;
    if (m_onEvent)
        m_onEvent(event);
}

void SseParser::finish()
{
    if (!m_bomChecked && !m_bomProbe.isEmpty() && !hasFailed()) {
        // Fewer than three bytes in the whole stream, all a BOM prefix: not a BOM.
        m_bomChecked = true;
        const QByteArray probe = std::move(m_bomProbe);
        m_bomProbe = QByteArray();
        processChunk(probe);
    }
    m_endedMidEvent = pendingEvent();
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_sawFieldSinceDispatch = false;
    m_skipLeadingLf = false;
}

void SseParser::reset()
{
    m_bomProbe.clear();
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_error.clear();
    m_bomChecked = false;
    m_skipLeadingLf = false;
    m_sawFieldSinceDispatch = false;
    m_endedMidEvent = false;
    m_bytesFed = 0;
    m_eventsDispatched = 0;
}

void SseParser::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
    m_line.clear();
    m_data.clear();
}

bool SseParser::pendingEvent() const
{
    return !m_line.isEmpty() || m_sawFieldSinceDispatch;
}
