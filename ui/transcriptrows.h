#pragma once

#include <QtGlobal>

#include <functional>
#include <vector>

// The vertical geometry of TranscriptView's rows: one entry per model row, with
// a key that stays with the message while rows are inserted or removed around
// it (hover, selection and the Thinking choice hang off it), and a height that
// is either exact (measured at a width) or an estimate. Prefix sums answer
// "where is row r" and "which row is at y"; changing a height only invalidates
// the sums from that row on, so the streaming (last) row costs O(1).
//
//   TranscriptRows rows;
//   rows.reset(model->rowCount(), estimate);   // estimate(row) -> height
//   rows.setHeight(row, measured, width);      // after laying the row out
//   int r = rows.rowAt(scrollY);
class TranscriptRows
{
public:
    using Estimate = std::function<int(int row)>;

    struct Row
    {
        quint64 key = 0;
        int height = 1;
        int width = -1;     // width the height was measured at; -1: an estimate
        int thinking = -1;  // the user's choice for the Thinking section (-1: automatic)
    };

    void reset(int count, const Estimate &estimate);
    void insert(int at, int count, const Estimate &estimate);
    void remove(int first, int last); // inclusive

    int count() const { return int(m_rows.size()); }
    bool isEmpty() const { return m_rows.empty(); }
    const Row &at(int row) const { return m_rows[size_t(row)]; }
    quint64 keyAt(int row) const { return m_rows[size_t(row)].key; }
    int rowOfKey(quint64 key) const; // -1 if none

    // Returns true when the height changed.
    bool setHeight(int row, int height, int width);
    void setEstimate(int row, int height);
    void setThinking(int row, int choice) { m_rows[size_t(row)].thinking = choice; }
    bool isExact(int row, int width) const { return m_rows[size_t(row)].width == width; }
    void forgetWidths(); // every height becomes an estimate (kept as it is)

    qint64 top(int row) const;    // row == count(): the total height
    qint64 total() const { return top(count()); }
    int rowAt(qint64 y) const;    // clamped to [0, count() - 1]; -1 if empty

private:
    void ensureTops() const;

    std::vector<Row> m_rows;
    mutable std::vector<qint64> m_tops{0}; // count() + 1 entries
    mutable int m_dirtyFrom = 0;           // first row whose top must be recomputed
    quint64 m_nextKey = 0;
};
