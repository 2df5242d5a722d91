#include "streammetrics.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double kNsPerMs = 1'000'000.0;

// Nearest-rank percentile of an already sorted list.
double percentileMs(const QList<qint64> &sorted, double p)
{
    if (sorted.isEmpty())
        return -1;
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(sorted.size())));
    const qsizetype index = std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1);
    return double(sorted.at(index)) / kNsPerMs;
}

} // namespace

QString StreamMetrics::Snapshot::tokenSourceName() const
{
    switch (tokenSource) {
    case TokenSource::Usage:
        return u"usage"_s;
    case TokenSource::Deltas:
        return u"deltas"_s;
    case TokenSource::None:
        break;
    }
    return u"none"_s;
}

void StreamMetrics::begin(qint64 nowNs)
{
    *this = StreamMetrics();
    m_begin = nowNs;
}

void StreamMetrics::addBytes(qint64 count, qint64 /*nowNs*/)
{
    m_bytes += count;
}

void StreamMetrics::addDelta(const StreamDelta &delta, qint64 nowNs)
{
    if (delta.malformed) {
        ++m_malformed;
        return;
    }
    if (delta.usage && delta.usage->isValid())
        m_usage = delta.usage;
    if (!delta.hasText() && delta.toolCalls.isEmpty())
        return;
    ++m_deltas;
    if (m_firstToken < 0)
        m_firstToken = nowNs;
    else
        m_gaps.append(nowNs - m_lastToken);
    m_lastToken = nowNs;
    m_tokenTimes.append(nowNs);
}

void StreamMetrics::end(qint64 nowNs)
{
    if (m_end < 0)
        m_end = nowNs;
}

StreamMetrics::Snapshot StreamMetrics::snapshot(qint64 nowNs) const
{
    Snapshot s;
    if (m_begin < 0)
        return s;
    const qint64 stop = m_end >= 0 ? m_end : nowNs;
    s.ended = m_end >= 0;
    s.elapsedMs = double(stop - m_begin) / kNsPerMs;
    s.bytes = m_bytes;
    s.deltas = m_deltas;
    s.malformedEvents = m_malformed;
    s.retries = m_retries;
    if (m_firstToken >= 0)
        s.ttftMs = double(m_firstToken - m_begin) / kNsPerMs;

    if (m_usage && m_usage->completionTokens >= 0) {
        s.tokens = m_usage->completionTokens;
        s.tokenSource = TokenSource::Usage;
    } else if (m_deltas > 0) {
        s.tokens = m_deltas;
        s.tokenSource = TokenSource::Deltas;
    }
    if (m_usage) {
        s.promptTokens = m_usage->promptTokens;
        s.reasoningTokens = m_usage->reasoningTokens;
    }

    // Rate from the first token to the last one (or to now while streaming, so
    // a stall shows as a falling rate). The first token itself starts the clock.
    if (m_firstToken >= 0) {
        const qint64 rateEnd = s.ended ? m_lastToken : stop;
        const double seconds = double(rateEnd - m_firstToken) / 1e9;
        if (seconds > 0 && s.tokens > 1)
            s.tokensPerSecond = double(s.tokens - 1) / seconds;
    }

    if (!m_gaps.isEmpty()) {
        QList<qint64> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        s.gapP50Ms = percentileMs(sorted, 50);
        s.gapP90Ms = percentileMs(sorted, 90);
        s.gapP99Ms = percentileMs(sorted, 99);
        s.gapMaxMs = double(sorted.constLast()) / kNsPerMs;
    }
    return s;
}

QList<double> StreamMetrics::rateSeries(qint64 windowNs) const
{
    QList<double> series;
    if (m_tokenTimes.isEmpty() || windowNs <= 0)
        return series;
    const qint64 origin = m_tokenTimes.constFirst();
    const qint64 last = m_end >= 0 ? std::max(m_end, m_tokenTimes.constLast()) : m_tokenTimes.constLast();
    const auto windows = qsizetype((last - origin) / windowNs) + 1;
    series.fill(0.0, windows);
    for (const qint64 t : m_tokenTimes)
        series[qsizetype((t - origin) / windowNs)] += 1.0;
    const double perSecond = 1e9 / double(windowNs);
    for (double &v : series)
        v *= perSecond;
    return series;
}
