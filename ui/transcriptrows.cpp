#include "transcriptrows.h"

#include <algorithm>

void TranscriptRows::reset(int count, const Estimate &estimate)
{
    m_rows.clear();
    m_rows.reserve(size_t(std::max(0, count)));
    for (int i = 0; i < count; ++i)
        m_rows.push_back({++m_nextKey, std::max(1, estimate(i)), -1, -1});
    m_dirtyFrom = 0;
}

void TranscriptRows::insert(int at, int count, const Estimate &estimate)
{
    at = std::clamp(at, 0, this->count());
    std::vector<Row> added;
    added.reserve(size_t(std::max(0, count)));
    for (int i = 0; i < count; ++i)
        added.push_back({++m_nextKey, std::max(1, estimate(at + i)), -1, -1});
    m_rows.insert(m_rows.begin() + at, added.begin(), added.end());
    m_dirtyFrom = std::min(m_dirtyFrom, at);
}

void TranscriptRows::remove(int first, int last)
{
    first = std::max(0, first);
    last = std::min(count() - 1, last);
    if (first > last)
        return;
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
    m_dirtyFrom = std::min(m_dirtyFrom, first);
}

int TranscriptRows::rowOfKey(quint64 key) const
{
    if (key == 0)
        return -1;
    // Most lookups are for recent messages: search from the end.
    for (int i = count() - 1; i >= 0; --i)
        if (m_rows[size_t(i)].key == key)
            return i;
    return -1;
}

bool TranscriptRows::setHeight(int row, int height, int width)
{
    Row &r = m_rows[size_t(row)];
    r.width = width;
    height = std::max(1, height);
    if (r.height == height)
        return false;
    r.height = height;
    m_dirtyFrom = std::min(m_dirtyFrom, row + 1);
    return true;
}

void TranscriptRows::setEstimate(int row, int height)
{
    Row &r = m_rows[size_t(row)];
    r.width = -1;
    height = std::max(1, height);
    if (r.height != height) {
        r.height = height;
        m_dirtyFrom = std::min(m_dirtyFrom, row + 1);
    }
}

void TranscriptRows::forgetWidths()
{
    for (Row &r : m_rows)
        r.width = -1;
}

void TranscriptRows::ensureTops() const
{
    const int n = count();
    if (m_tops.size() != size_t(n) + 1) {
        m_tops.resize(size_t(n) + 1);
        m_dirtyFrom = 0;
    }
    if (m_dirtyFrom > n)
        return;
    m_tops[0] = 0;
    for (int i = std::max(0, m_dirtyFrom - 1); i < n; ++i)
        m_tops[size_t(i) + 1] = m_tops[size_t(i)] + m_rows[size_t(i)].height;
    m_dirtyFrom = n + 1;
}

qint64 TranscriptRows::top(int row) const
{
    ensureTops();
    return m_tops[size_t(std::clamp(row, 0, count()))];
}

int TranscriptRows::rowAt(qint64 y) const
{
    if (m_rows.empty())
        return -1;
    ensureTops();
    const auto it = std::upper_bound(m_tops.begin(), m_tops.end() - 1, y);
    return std::clamp(int(std::distance(m_tops.begin(), it)) - 1, 0, count() - 1);
}
