#pragma once

#include "sseevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

// Incremental parser for a text/event-stream body, following the WHATWG HTML
// algorithm "interpreting an event stream". Pure: bytes in, events out, no I/O.
//
// Feed it every chunk as it arrives, in order, then call finish() once at the
// end of the stream. Lines are split on bytes before any UTF-8 decoding, so a
// character split across two chunks is never broken.
//
//     SseParser parser;
//     parser.setEventHandler([](const SseEvent &e) { ... });
//     parser.setRetryHandler([](qint64 ms) { ... });   // optional
//     while (reading) if (!parser.feed(chunk)) { report(parser.errorString()); break; }
//     parser.finish();  // endedMidEvent() says whether a partial event was dropped
//
// An event (or a single line) larger than maxEventBytes() stops the parser with
// an error instead of growing without bound; feed() then returns false and
// ignores further input.
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxEventBytes = 16 * 1024 * 1024;

    using EventHandler = std::function<void(const SseEvent &)>;
    using RetryHandler = std::function<void(qint64 milliseconds)>;

    explicit SseParser(qsizetype maxEventBytes = DefaultMaxEventBytes);

    void setEventHandler(EventHandler handler) { m_onEvent = std::move(handler); }
    void setRetryHandler(RetryHandler handler) { m_onRetry = std::move(handler); }

    // Returns false once the parser has failed (see errorString()).
    bool feed(QByteArrayView chunk);

    // Marks the end of the stream. Per the standard a pending, not yet
    // dispatched event is discarded; endedMidEvent() reports whether there was one.
    void finish();

    // Back to the initial state (keeps handlers and the size limit), e.g. for a
    // new connection. Note: lastEventId() is kept, as the standard asks.
    void reset();

    bool hasFailed() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    bool endedMidEvent() const { return m_endedMidEvent; }
    QByteArray lastEventId() const { return m_lastEventId; }
    qsizetype maxEventBytes() const { return m_maxEventBytes; }
    qint64 bytesFed() const { return m_bytesFed; }
    qint64 eventsDispatched() const { return m_eventsDispatched; }

private:
    void processChunk(QByteArrayView chunk);
    void processLine(QByteArrayView line);
    void dispatch();
    void fail(const QString &message);
    bool pendingEvent() const;

    EventHandler m_onEvent;
    RetryHandler m_onRetry;
    qsizetype m_maxEventBytes;

    QByteArray m_bomProbe;     // first bytes while we still look for a BOM
    QByteArray m_line;         // an incomplete line carried over between chunks
    QByteArray m_data;         // data buffer
    QByteArray m_eventType;    // event type buffer
    QByteArray m_idBuffer;     // last event ID buffer (persists across events)
    QByteArray m_lastEventId;  // the value the last dispatched event carried
    QString m_error;
    qint64 m_bytesFed = 0;
    qint64 m_eventsDispatched = 0;
    bool m_bomChecked = false;
    bool m_skipLeadingLf = false; // previous chunk ended in CR
    bool m_sawFieldSinceDispatch = false;
    bool m_endedMidEvent = false;
};
