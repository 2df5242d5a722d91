#pragma once

#include "api/chattypes.h"

#include <QList>
#include <QString>

// Measures one streamed reply. Pure: it has no clock of its own; every call
// carries the time (monotonic nanoseconds from any origin) so tests can drive it.
//
//     metrics.begin(t0);                 // request sent
//     metrics.addBytes(n, t);            // every network read
//     metrics.addDelta(delta, t);        // every decoded delta
//     metrics.end(t1);                   // finished, any status
//     Snapshot s = metrics.snapshot(t);  // at any time, for a live display
class StreamMetrics
{
public:
    enum class TokenSource { None, Deltas, Usage };

    struct Snapshot
    {
        double ttftMs = -1;          // time to first token (content, reasoning or tool call); -1 before it
        double elapsedMs = 0;        // since begin(), until end() once ended
        qint64 tokens = 0;           // completion tokens (usage when reported, else delta count)
        TokenSource tokenSource = TokenSource::None;
        qint64 promptTokens = -1;    // from usage, -1 when not reported
        qint64 reasoningTokens = -1; // from usage
        qint64 deltas = 0;           // text-carrying deltas seen
        double tokensPerSecond = 0;  // tokens / time since the first token
        double gapP50Ms = -1, gapP90Ms = -1, gapP99Ms = -1, gapMaxMs = -1; // between text deltas
        qint64 bytes = 0;
        qint64 malformedEvents = 0;
        int retries = 0;
        bool ended = false;

        QString tokenSourceName() const; // "usage", "deltas", "none"
    };

    void begin(qint64 nowNs);
    void addBytes(qint64 count, qint64 nowNs);
    void addDelta(const StreamDelta &delta, qint64 nowNs);
    void addRetry() { ++m_retries; }
    void end(qint64 nowNs);

    Snapshot snapshot(qint64 nowNs) const;
    // Gaps between text deltas, in nanoseconds, in arrival order (for a sparkline).
    const QList<qint64> &gaps() const { return m_gaps; }
    // Tokens/s in consecutive windows of `windowNs`, from the first token on.
    QList<double> rateSeries(qint64 windowNs) const;

private:
    qint64 m_begin = -1;
    qint64 m_end = -1;
    qint64 m_firstToken = -1;
    qint64 m_lastToken = -1;
    qint64 m_bytes = 0;
    qint64 m_deltas = 0;
    qint64 m_malformed = 0;
    int m_retries = 0;
    std::optional<Usage> m_usage;
    QList<qint64> m_gaps;
    QList<qint64> m_tokenTimes; // arrival time of each text delta, for rateSeries()
};
