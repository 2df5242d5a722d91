#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>

// A strict (RFC 8259) pull reader over UTF-8 JSON text: it walks the bytes in
// place, allocates nothing of its own (only the QStrings you ask it to fill),
// and recurses nowhere, so hostile input can neither blow the stack nor make it
// allocate. Use it on hot paths where QJsonDocument would build a whole tree
// only for a few fields to be read.
//
//     JsonReader r(bytes);
//     if (r.beginObject()) {
//         QByteArrayView key;
//         while (r.nextMember(key)) {
//             if (key == "content") {
//                 if (!r.readString(text))   // not a string (e.g. null): skip it
//                     r.skipValue();
//             } else {
//                 r.skipValue();             // validates what it skips
//             }
//         }
//     } else {
//         r.skipValue();
//     }
//     if (!r.atEnd()) ...                     // the document as a whole was not valid JSON
//
// Rules: every value the caller does not read must be skipped (skipValue()).
// read*() return false without consuming anything when the next value has
// another type. Errors are sticky: after the first one every call returns false
// (or Type::Invalid) and atEnd() reports it, with error() and errorOffset().
//
// Validity follows RFC 8259 (one value of any type, surrounded by whitespace),
// with the limits RFC 8259 section 9 allows, chosen to match QJsonDocument::fromJson
// in Qt 6.4, so that the two agree wherever QJsonDocument follows the RFC:
//   - nesting deeper than 1024 arrays/objects is an error (TooDeep);
//   - a number that does not fit a double (overflow, or underflow to zero of a
//     non-zero literal such as 1e-400) is an error (NumberOutOfRange);
//   - strings must be well-formed UTF-8 (no overlongs, no encoded surrogates);
//     \u escapes of lone surrogates are accepted and read as U+FFFD;
//   - one UTF-8 byte order mark before the text is ignored (RFC 8259 section 8.1).
// Known differences from QJsonDocument::fromJson (Qt 6.4), where Qt is not RFC 8259:
//   - Qt accepts only an object or array at the top; this reader accepts any value
//     ("abc", 12, null);
//   - Qt accepts raw control characters U+0000..U+001F inside strings; this
//     reader rejects them (ControlCharacter);
//   - Qt accepts unknown escapes such as \q or \U0041 (as "q", "U0041"); this
//     reader rejects them (InvalidEscape);
//   - Qt accepts numbers without digits before or after the point ("1.", ".5",
//     "-.5", "1.e5"); this reader rejects them (InvalidNumber).
// So for any input: if both disagree, either the reader accepted and the
// top-level value is not an object or array, or Qt accepted and the reader's
// error() is ControlCharacter, InvalidEscape or InvalidNumber. A differential
// fuzzer can check exactly that (tst_jsonreader does, on its tables).
class JsonReader
{
public:
    enum class Type : quint8 { Invalid, Null, Bool, Number, String, Array, Object };

    enum class Error : quint8 {
        NoError,
        UnexpectedEnd,       // the text ended inside a value (or had none)
        UnexpectedCharacter, // a byte that cannot start or continue a value here
        InvalidLiteral,      // t/f/n not followed by rue/alse/ull
        InvalidNumber,       // leading zero, missing digits, ...
        NumberOutOfRange,    // does not fit a double
        ControlCharacter,    // raw U+0000..U+001F in a string
        InvalidEscape,       // backslash followed by something not in RFC 8259
        InvalidUtf8,         // ill-formed UTF-8 in a string
        TooDeep,             // more than MaxDepth nested arrays/objects
        TrailingGarbage,     // something after the value
    };

    // Same limit as QJsonDocument (Qt 6.4): 1024 nested containers are fine, 1025 are not.
    static constexpr int MaxDepth = 1024;

    explicit JsonReader(QByteArrayView json) noexcept;

    // Where a reader stands between two values, to resume there later on an
    // input that starts with the same bytes: a deterministic reader is in the
    // same state after the same bytes, so they need not be read again (the
    // decoders use it for the prefix every chunk of a stream repeats).
    struct Position
    {
        qsizetype offset = -1; // -1: none (an error, or nested deeper than 64)
        int depth = 0;
        quint64 kinds = 0;
        bool first = false;
    };
    inline Position position() const noexcept;
    // Resumes at `position`, taken from a reader over an input whose first
    // position.offset bytes are the same as json's.
    JsonReader(QByteArrayView json, const Position &position) noexcept;
    // Continues at `position` on this reader's input, by the rule of the
    // constructor above. The decoders also use it to jump over bytes they
    // know: a reader in the state another one was in, whose next bytes are
    // those the other read to reach `position`, would reach the same state;
    // position.offset is then where that happens in this input.
    inline void restore(const Position &position) noexcept;

    // True when `json` is one valid JSON text (see the rules above).
    static bool isValid(QByteArrayView json) noexcept;

    // The type of the next value, after whitespace. Type::Invalid when there is
    // none (an error is then recorded: nothing valid can follow).
    inline Type peek() noexcept;

    // Objects: beginObject() consumes '{'; then each nextMember() reads one
    // member name and its ':' and leaves the reader on the value, which the
    // caller must read or skip. nextMember() returns false at '}' (consumed) or
    // on an error. `key` is the name's UTF-8 bytes, valid until the next call.
    bool beginObject() noexcept;
    bool nextMember(QByteArrayView &key);

    // Objects, the fast way: skips (and validates) every member whose name is
    // not one of `names` and returns the index of the next one that is, with
    // the reader on its value; -1 at '}' (consumed) or on an error.
    //     static constexpr QByteArrayView names[] = {"choices", "usage"};
    //     for (int i; (i = r.nextMemberOf(names)) >= 0;) ...
    int nextMemberOf(const QByteArrayView *names, int count);
    template<int N>
    int nextMemberOf(const QByteArrayView (&names)[N])
    {
        return nextMemberOf(names, N);
    }

    // Arrays: beginArray() consumes '['; nextElement() returns true when an
    // element follows (read or skip it), false at ']' (consumed) or on an error.
    bool beginArray() noexcept;
    bool nextElement() noexcept;

    // Skips (and validates) the next value, of any type and depth.
    bool skipValue() noexcept;
    // The same for a string only: false, nothing consumed, when the next value is not one.
    bool skipString() noexcept;
    // Same, and returns the value's raw text.
    bool skipValue(QByteArrayView &raw) noexcept;

    // The next value if it has this type; otherwise false, nothing consumed.
    bool readString(QString &out);
    bool readBool(bool &out) noexcept;
    bool readNull() noexcept;
    bool readDouble(double &out) noexcept;
    // Integers are exact within qint64; other numbers are truncated toward
    // zero and saturate at the qint64 limits.
    bool readInt64(qint64 &out) noexcept;

    // Skips trailing whitespace: true when exactly one complete value was read
    // (or skipped) and the input ends there, without any error.
    bool atEnd() noexcept;

    bool hasError() const noexcept { return m_error != Error::NoError; }
    Error error() const noexcept { return m_error; }
    qsizetype errorOffset() const noexcept { return hasError() ? m_errorAt - m_begin : -1; }
    QString errorString() const;
    int depth() const noexcept { return m_depth; }

private:
    // After an error the cursor is moved to the end, so that every later call
    // fails on its own without checking for an error first.
    bool fail(const char *at, Error error) noexcept;
    Type peekFailed() noexcept;
    inline void skipWhitespace() noexcept;
    void valueDone() noexcept
    {
        if (m_depth == 0)
            m_done = true;
    }
    const char *scanString(const char *p, bool *escaped) noexcept;
    const char *scanStringSlow(const char *p, bool *escaped) noexcept;
    const char *scanNumber(const char *p, bool *isInteger) noexcept;
    const char *scanLiteral(const char *p) noexcept;
    bool inObject() const noexcept
    {
        return (m_kinds[(m_depth - 1) >> 6] >> ((m_depth - 1) & 63)) & 1;
    }

    static const std::array<Type, 256> s_valueStart; // the type of a value starting with this byte

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    const char *m_errorAt = nullptr;
    int m_depth = 0;
    Error m_error = Error::NoError;
    bool m_first = false; // the next member/element is the first of its container
    bool m_done = false;  // a complete top-level value has been read
    quint64 m_kinds[MaxDepth / 64]; // per open container: 1 = object, 0 = array (set before read)
    QByteArray m_keyBuffer; // decoded member names that contained escapes (rare)
};

inline void JsonReader::skipWhitespace() noexcept
{
    while (m_p < m_end && static_cast<uchar>(*m_p) <= ' '
           && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
        ++m_p;
}

inline JsonReader::Position JsonReader::position() const noexcept
{
    Position position;
    if (Q_UNLIKELY(hasError() || m_depth > 64))
        return position;
    position.offset = m_p - m_begin;
    position.depth = m_depth;
    position.kinds = m_depth > 0 ? m_kinds[0] : 0;
    position.first = m_first;
    return position;
}

inline void JsonReader::restore(const Position &position) noexcept
{
    if (hasError())
        return;
    if (Q_UNLIKELY(position.offset < 0 || position.offset > m_end - m_begin || position.depth > 64)) {
        fail(m_p, Error::UnexpectedCharacter);
        return;
    }
    m_p = m_begin + position.offset;
    m_depth = position.depth;
    m_kinds[0] = position.kinds;
    m_first = position.first;
    m_done = false;
}

inline JsonReader::Type JsonReader::peek() noexcept
{
    skipWhitespace();
    if (Q_LIKELY(m_p < m_end && !(m_done && m_depth == 0))) {
        const Type type = s_valueStart[static_cast<uchar>(*m_p)];
        if (Q_LIKELY(type != Type::Invalid))
            return type;
    }
    return peekFailed();
}
