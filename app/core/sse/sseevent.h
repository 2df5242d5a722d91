#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// One event dispatched by SseParser.
//
// The fields stay as UTF-8 bytes so that the decoders above can hand `data`
// straight to a JSON reader without a UTF-16 round trip. The parser guarantees
// that every field is well-formed UTF-8: invalid sequences in the stream have
// already been replaced with U+FFFD.
struct SseEvent
{
    QByteArray type;        // "message" unless an `event` field set it
    QByteArray data;        // `data` lines joined with '\n', no trailing '\n'
    QByteArray lastEventId; // the last event ID buffer at dispatch time

    QString typeText() const { return QString::fromUtf8(type); }
    QString dataText() const { return QString::fromUtf8(data); }
    QString lastEventIdText() const { return QString::fromUtf8(lastEventId); }

    friend bool operator==(const SseEvent &a, const SseEvent &b)
    {
        return a.type == b.type && a.data == b.data && a.lastEventId == b.lastEventId;
    }
    friend bool operator!=(const SseEvent &a, const SseEvent &b) { return !(a == b); }
};

// The same event as views, for SseParser::setEventViewHandler(): valid only
// while the handler runs; toEvent() makes a copy that may be kept.
struct SseEventView
{
    QByteArrayView type;
    QByteArrayView data;
    QByteArrayView lastEventId;

    SseEvent toEvent() const
    {
        return SseEvent{type.toByteArray(), data.toByteArray(), lastEventId.toByteArray()};
    }
};
