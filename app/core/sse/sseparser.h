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
// character split across two chunks is never broken; invalid UTF-8 reaches the
// handlers as U+FFFD. How the body is cut into chunks never changes the result.
//
//     SseParser parser;
//     parser.setEventHandler([](const SseEvent &e) { ... });
//     parser.setRetryHandler([](qint64 ms) { ... });   // optional
//     while (reading) if (!parser.feed(chunk)) { report(parser.errorString()); break; }
//     parser.finish();  // endedMidEvent() says whether a partial event was dropped
//
// An event is dispatched on a blank line only, never at the end of the stream.
// A valid `retry` field is reported as soon as its line is read.
//
// Size limit: the parser holds at most maxEventBytes() for one event, counted
// as the data lines received for it so far (each value plus its '\n') plus the
// whole line being read (field name included, line end excluded). A stream that
// needs more (one huge event, or one huge line of any kind) stops the parser
// with an error instead of growing without bound; feed() then returns false and
// ignores further input until reset().
//
// Handlers may call reset() or finish(): the rest of the chunk being fed is then
// dropped. They must not destroy the parser.
//
// The SseEvent a handler gets is the parser's own, reused for the next event:
// copy it to keep it (copies are cheap, and the parser then takes new memory).
//
// Zero-copy: with setEventViewHandler() instead of setEventHandler(), each event
// comes as an SseEventView, views into the chunk being fed or into the
// parser's buffers, valid until the handler returns (toEvent() makes a copy to
// keep). The usual event, one `data:` line and its blank line in one chunk, is
// then never copied. Setting one kind of event handler clears the other.
//
//     parser.setEventViewHandler([&](const SseEventView &e) { decoder.decode(e, delta); ... });
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxEventBytes = 16 * 1024 * 1024;

    using EventHandler = std::function<void(const SseEvent &)>;
    using EventViewHandler = std::function<void(const SseEventView &)>;
    using RetryHandler = std::function<void(qint64 milliseconds)>;

    // maxEventBytes <= 0 means DefaultMaxEventBytes.
    explicit SseParser(qsizetype maxEventBytes = DefaultMaxEventBytes);

    void setEventHandler(EventHandler handler)
    {
        m_onEvent = std::move(handler);
        m_onEventView = nullptr;
    }
    void setEventViewHandler(EventViewHandler handler)
    {
        m_onEventView = std::move(handler);
        m_onEvent = nullptr;
    }
    // Called with the new reconnection time; digits beyond 64 bits clamp to the maximum.
    void setRetryHandler(RetryHandler handler) { m_onRetry = std::move(handler); }

    // Returns false once the parser has failed (see errorString()).
    bool feed(QByteArrayView chunk);

    // Marks the end of the stream. Per the standard a pending, not yet
    // dispatched event is discarded; endedMidEvent() reports whether there was one.
    void finish();

    // Back to the initial state (keeps handlers and the size limit), e.g. for a
    // new connection: a BOM is stripped again, the error is cleared. lastEventId()
    // is kept and events of the new stream carry it until an `id` field changes
    // it, as browsers do on reconnection.
    void reset();

    bool hasFailed() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // Set by finish(): the stream ended with an undispatched event (a data, event
    // or id field without the closing blank line), inside a line, or after a failure.
    bool endedMidEvent() const { return m_endedMidEvent; }
    // The ID the last dispatch set (what a reconnection sends as Last-Event-ID);
    // well-formed UTF-8.
    QByteArray lastEventId() const { return m_lastEventId; }
    qsizetype maxEventBytes() const { return m_maxEventBytes; }
    qint64 bytesFed() const { return m_bytesFed; }
    qint64 eventsDispatched() const { return m_eventsDispatched; }

private:
    void processChunk(QByteArrayView chunk);
    void processLines(QByteArrayView chunk);
    // lineInChunk: `line` points into the chunk being fed (valid until
    // processChunk() returns), not into m_line.
    void processLine(QByteArrayView line, bool lineInChunk);
    bool fitsLimit(qsizetype lineBytes)
    {
        // The data buffer never exceeds the limit: a data line adds at most its own length.
        if (Q_LIKELY(lineBytes <= m_maxEventBytes - dataBufferSize()))
            return true;
        failTooLarge();
        return false;
    }
    void failTooLarge();
    qsizetype dataBufferSize() const
    {
        return m_data.size() + (m_hasPendingData ? m_pendingDataSize + 1 : 0);
    }
    void keepPendingData();
    void dispatch();
    void dispatch(QByteArrayView data, bool dataInBuffer);
    static void assignSanitized(QByteArray &to, QByteArrayView bytes);
    void fail(const QString &message);
    void discardPendingEvent();

    EventHandler m_onEvent;
    EventViewHandler m_onEventView;
    RetryHandler m_onRetry;
    qsizetype m_maxEventBytes;

    QByteArray m_bomProbe;     // first bytes while we still look for a BOM
    QByteArray m_line;         // an incomplete line carried over between chunks
    QByteArray m_data;         // data buffer: every value followed by '\n'
    // The data buffer's first value while it is a view into the chunk being
    // processed (m_data is then empty); copied to m_data by keepPendingData().
    const char *m_pendingData = nullptr;
    qsizetype m_pendingDataSize = 0;
    SseEvent m_event;          // the event handed to the handler; its buffers are reused
    QByteArray m_eventType;    // event type buffer
    QByteArray m_idBuffer;     // last event ID buffer (persists across events)
    QByteArray m_lastEventId;  // the value the last dispatch set
    QString m_error;
    qint64 m_bytesFed = 0;
    qint64 m_eventsDispatched = 0;
    quint64 m_generation = 0;  // bumped by reset() and finish(), to notice them from a handler
    bool m_bomChecked = false;
    bool m_skipLeadingLf = false; // previous chunk ended in CR
    bool m_sawFieldSinceDispatch = false;
    bool m_endedMidEvent = false;
    bool m_hasPendingData = false;
    bool m_dispatching = false;   // inside the event handler
};
