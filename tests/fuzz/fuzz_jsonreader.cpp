// Fuzzes JsonReader, differentially against QJsonDocument::fromJson (Qt 6.4).
//
// Input: the JSON text itself. Checks:
//   - three ways of reading agree on validity, error() and errorOffset():
//     skipValue() over everything (isValid), a full pull walk with
//     nextMember()/readString()/readDouble()/..., and a walk with nextMemberOf();
//   - read*() of the wrong type returns false and consumes nothing;
//   - validity equals Qt's, except for the differences jsonreader.h documents,
//     each checked precisely rather than waved through:
//       * the reader accepts a scalar at the top and Qt does not: then Qt must
//         accept the text wrapped in [ ], with the same value;
//       * Qt accepts and the reader reports ControlCharacter (a raw byte < 0x20
//         at errorOffset), InvalidEscape (a backslash there) or InvalidNumber
//         (a '.' without digits on one side): the spot is repaired the way Qt
//         reads it (\u00XX, the escaped byte as Latin-1, a '0' added) and the
//         repaired text checked again, until the reader accepts it; any other
//         error, or a repair that changes Qt's value, is a disagreement;
//   - for valid texts the values are the same as Qt's: strings (readString and
//     escaped member names), doubles, readInt64 (exact for integer literals in
//     range, else truncated and saturated), nesting; duplicate names: last wins;
//   - resuming from position(): a reader built from a Position taken in the
//     middle of the walk ends the same way (validity, error, offset) as a copy
//     of the reader that gave it.

#include "fuzzcheck.h"

#include "api/jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

using Error = JsonReader::Error;
using Type = JsonReader::Type;

struct Outcome
{
    bool ok = false;
    Error error = Error::NoError;
    qsizetype offset = -1;

    friend bool operator==(const Outcome &a, const Outcome &b)
    {
        return a.ok == b.ok && a.error == b.error && a.offset == b.offset;
    }
};

Outcome outcomeOf(JsonReader &r)
{
    Outcome o;
    o.ok = r.atEnd();
    o.error = r.error();
    o.offset = r.errorOffset();
    FUZZ_CHECK(o.ok == (o.error == Error::NoError), "atEnd() and error() disagree");
    FUZZ_CHECK(o.ok || !r.errorString().isEmpty(), "an error without an errorString()");
    return o;
}

// Exact integer value of an integer literal within qint64, if it is one.
std::optional<qint64> integerLiteral(QByteArrayView raw)
{
    if (raw.contains('.') || raw.contains('e') || raw.contains('E'))
        return std::nullopt;
    bool ok = false;
    const qint64 v = raw.toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

qint64 truncatedSaturated(double d)
{
    constexpr double limit = 9223372036854775808.0; // 2^63
    if (d >= limit)
        return std::numeric_limits<qint64>::max();
    if (d <= -limit)
        return std::numeric_limits<qint64>::min();
    return qint64(d);
}

// A number's raw text read again by fresh readers: readDouble and readInt64.
double checkedNumber(QByteArrayView raw)
{
    double d = 0;
    JsonReader asDouble(raw);
    FUZZ_CHECK(asDouble.readDouble(d) && asDouble.atEnd(), "readDouble fails on a skipped number");
    qint64 i = 0;
    JsonReader asInt(raw);
    FUZZ_CHECK(asInt.readInt64(i) && asInt.atEnd(), "readInt64 fails on a skipped number");
    bool ok = false;
    const double qt = raw.toDouble(&ok);
    FUZZ_CHECK(ok && (d == qt || (std::isnan(d) && std::isnan(qt))), "readDouble differs from Qt's toDouble");
    if (const auto exact = integerLiteral(raw))
        FUZZ_CHECK(i == *exact, "readInt64 is not exact for an integer within qint64");
    else
        FUZZ_CHECK(i == truncatedSaturated(d), "readInt64 is not the truncated, saturated double");
    return d;
}

// Where the walk resumes a reader: a copy of it, the Position it gave, and
// the kinds of the containers open there (true = object), innermost last.
struct Capture
{
    std::optional<JsonReader> copy;
    JsonReader::Position position;
    QList<bool> kinds;
    bool beforeValue = false;
};

// Reads the rest of the text: the pending value (if any), then every
// container still open, then the end.
Outcome skipRest(JsonReader &r, const Capture &c)
{
    if (c.beforeValue)
        r.skipValue();
    for (qsizetype level = c.kinds.size() - 1; level >= 0; --level) {
        if (c.kinds.at(level)) {
            QByteArrayView key;
            while (r.nextMember(key))
                r.skipValue();
        } else {
            while (r.nextElement())
                r.skipValue();
        }
    }
    return outcomeOf(r);
}

class Walker
{
public:
    Walker(QByteArrayView json, quint32 seed) : m_json(json), m_seed(seed) {}

    // The whole text as a QJsonValue (nullopt when the reader reports an error).
    std::optional<QJsonValue> walk(Outcome &outcome)
    {
        JsonReader r(m_json);
        std::optional<QJsonValue> value = read(r);
        outcome = outcomeOf(r);
        if (!outcome.ok)
            value.reset();
        return value;
    }

    // Compares the captured readers: the copy and one resumed from the Position.
    void checkResume() const
    {
        for (const Capture &c : m_captures) {
            if (c.position.offset < 0)
                continue; // an error, or deeper than a Position can say
            JsonReader copy = *c.copy;
            JsonReader resumed(m_json, c.position);
            FUZZ_CHECK(skipRest(copy, c) == skipRest(resumed, c),
                       "a reader resumed from position() ends differently");
        }
    }

private:
    void maybeCapture(const JsonReader &r, bool beforeValue)
    {
        ++m_boundaries;
        if (m_boundaries != 1 + m_seed % 16 && m_boundaries != 17 + m_seed % 256)
            return;
        Capture c;
        c.copy = r;
        c.position = r.position();
        c.kinds = m_kinds;
        c.beforeValue = beforeValue;
        m_captures.append(std::move(c));
    }

    // Qt 6.4 drops one U+FEFF at the start of a string without escapes (it
    // decodes those with QString::fromUtf8, which strips a byte order mark);
    // RFC 8259 and the reader keep it. Modelled here, so values can be compared.
    static QString asQtReadsIt(QString s, bool withoutEscapes)
    {
        if (withoutEscapes && s.startsWith(QChar(0xFEFF)))
            s.remove(0, 1);
        return s;
    }

    // QString::fromUtf8 would itself drop a leading U+FEFF (one; a second
    // one stays): decode after an ASCII byte instead, so that asQtReadsIt()
    // alone decides where Qt drops it.
    static QString utf8KeepingBom(QByteArrayView bytes)
    {
        QByteArray text(1, 'x');
        text.append(bytes);
        return QString::fromUtf8(text).mid(1);
    }

    // Tries a reader of another type first: it must fail without consuming.
    void wrongRead(JsonReader &r, Type type)
    {
        bool ok = true;
        switch (type) {
        case Type::Null: {
            bool b = false;
            ok = r.readBool(b);
            break;
        }
        case Type::Bool:
        case Type::String: {
            double d = 0;
            ok = r.readDouble(d);
            break;
        }
        default:
            ok = r.readNull();
            break;
        }
        FUZZ_CHECK(!ok && !r.hasError(), "a read of the wrong type consumed or failed");
    }

    std::optional<QJsonValue> read(JsonReader &r)
    {
        const Type type = r.peek();
        if (type != Type::Invalid)
            wrongRead(r, type);
        switch (type) {
        case Type::Invalid:
            FUZZ_CHECK(r.hasError(), "peek() gave Invalid without an error");
            return std::nullopt;
        case Type::Null:
            if (!r.readNull())
                return std::nullopt;
            return QJsonValue(QJsonValue::Null);
        case Type::Bool: {
            bool b = false;
            if (!r.readBool(b))
                return std::nullopt;
            return QJsonValue(b);
        }
        case Type::Number: {
            QByteArrayView raw;
            if (!r.skipValue(raw))
                return std::nullopt;
            const double d = checkedNumber(raw);
            // As Qt stores numbers: integer literals within qint64 exactly.
            if (const auto exact = integerLiteral(raw))
                return QJsonValue(*exact);
            return QJsonValue(d);
        }
        case Type::String: {
            JsonReader probe = r;
            QByteArrayView raw;
            probe.skipValue(raw);
            QString s;
            if (!r.readString(s))
                return std::nullopt;
            FUZZ_CHECK(!FuzzCheck::hasLoneSurrogate(s), "readString gave a lone surrogate");
            return QJsonValue(asQtReadsIt(s, !raw.contains('\\')));
        }
        case Type::Array: {
            if (!r.beginArray())
                return std::nullopt;
            m_kinds.append(false);
            QJsonArray array;
            while (r.nextElement()) {
                maybeCapture(r, true);
                const auto v = read(r);
                if (!v)
                    return std::nullopt;
                array.append(*v);
                maybeCapture(r, false);
            }
            m_kinds.removeLast();
            if (r.hasError())
                return std::nullopt;
            return QJsonValue(array);
        }
        case Type::Object: {
            if (!r.beginObject())
                return std::nullopt;
            m_kinds.append(true);
            QJsonObject object;
            QByteArrayView key;
            while (r.nextMember(key)) {
                // An escaped name is decoded into the reader's own buffer.
                const bool unescaped = key.data() >= m_json.data() && key.data() <= m_json.data() + m_json.size();
                const QString name = asQtReadsIt(utf8KeepingBom(key), unescaped);
                FUZZ_CHECK(FuzzCheck::qtThinksValidUtf8(key), "a member name is not valid UTF-8");
                maybeCapture(r, true);
                const auto v = read(r);
                if (!v)
                    return std::nullopt;
                object.insert(name, *v); // duplicates: the last one wins, as in Qt
                maybeCapture(r, false);
            }
            m_kinds.removeLast();
            if (r.hasError())
                return std::nullopt;
            return QJsonValue(object);
        }
        }
        return std::nullopt;
    }

    QByteArrayView m_json;
    quint32 m_seed;
    int m_boundaries = 0;
    QList<bool> m_kinds;
    QList<Capture> m_captures;
};

// Walks with nextMemberOf(), reading the wanted members' values as strings
// where they are strings and skipping everything else.
Outcome walkWithNames(QByteArrayView json)
{
    static constexpr QByteArrayView names[] = {"a", "b", "choices", "content", "error"};
    JsonReader r(json);
    // An explicit stack instead of recursion: true = object.
    QList<bool> stack;
    auto enter = [&]() {
        const Type t = r.peek();
        if (t == Type::Object && r.beginObject()) {
            stack.append(true);
        } else if (t == Type::Array && r.beginArray()) {
            stack.append(false);
        } else if (t == Type::String) {
            QString s;
            r.readString(s);
        } else {
            r.skipValue();
        }
    };
    enter();
    while (!stack.isEmpty() && !r.hasError()) {
        if (stack.last()) {
            if (r.nextMemberOf(names) >= 0)
                enter();
            else
                stack.removeLast();
        } else {
            if (r.nextElement())
                enter();
            else
                stack.removeLast();
        }
    }
    return outcomeOf(r);
}

Outcome skipAll(QByteArrayView json)
{
    JsonReader r(json);
    r.skipValue();
    const Outcome o = outcomeOf(r);
    FUZZ_CHECK(o.ok == JsonReader::isValid(json), "isValid() differs from skipValue() + atEnd()");
    return o;
}

QString withoutLoneSurrogates(const QString &s)
{
    if (!FuzzCheck::hasLoneSurrogate(s))
        return s;
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            out += c;
            out += s.at(++i);
        } else {
            out += c.isSurrogate() ? QChar(QChar::ReplacementCharacter) : c;
        }
    }
    return out;
}

QString withoutLeadingBoms(QString s)
{
    while (s.startsWith(QChar(0xFEFF)))
        s.remove(0, 1);
    return s;
}

// `v` with `f` applied to every string and member name.
template<typename F>
QJsonValue mapStrings(const QJsonValue &v, F f)
{
    if (v.isString())
        return f(v.toString());
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(mapStrings(item, f));
        return out;
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        QJsonObject out;
        for (auto it = o.begin(); it != o.end(); ++it)
            out.insert(f(it.key()), mapStrings(it.value(), f));
        return out;
    }
    return v;
}

// Qt keeps \u escapes of lone surrogates as they are; the reader reads them
// as U+FFFD (documented): Qt's value with that applied.
QJsonValue normalized(const QJsonValue &v)
{
    return mapStrings(v, withoutLoneSurrogates);
}

// For comparing values across a repair, which may add or remove escapes in a
// string and so change whether Qt drops its leading U+FEFF (see Walker).
QJsonValue loose(const QJsonValue &v)
{
    return mapStrings(v, withoutLeadingBoms);
}

std::optional<QJsonValue> qtValue(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    if (doc.isObject())
        return normalized(QJsonValue(doc.object()));
    return normalized(QJsonValue(doc.array()));
}

QByteArrayView withoutBom(QByteArrayView json)
{
    return json.startsWith("\xEF\xBB\xBF") ? json.sliced(3) : json;
}

// Qt's value of a text the reader accepts.
std::optional<QJsonValue> qtValueOfValid(QByteArrayView json)
{
    const Type top = JsonReader(json).peek();
    if (top == Type::Object || top == Type::Array)
        return qtValue(json.toByteArray());
    // Qt takes only an object or an array at the top.
    FUZZ_CHECK(!qtValue(json.toByteArray()), "Qt accepts a scalar at the top");
    QByteArray inBrackets = "["_ba;
    inBrackets.append(withoutBom(json));
    inBrackets.append(']');
    const auto wrapped = qtValue(inBrackets);
    FUZZ_CHECK(wrapped, "the reader accepts a scalar that Qt rejects inside [ ]");
    return wrapped->toArray().at(0);
}

// The text with the reader's error repaired the way Qt reads it, when the
// error is one of the documented leniencies of Qt; nullopt otherwise.
std::optional<QByteArray> repaired(const QByteArray &json, Error error, qsizetype at)
{
    const auto c = [&](qsizetype i) { return i >= 0 && i < json.size() ? json.at(i) : '\0'; };
    QByteArray out = json;
    switch (error) {
    case Error::ControlCharacter:
        if (uchar(c(at)) >= 0x20 || at >= json.size())
            return std::nullopt;
        out.replace(at, 1, QByteArray("\\u00"_ba + QByteArray::number(uchar(c(at)), 16).rightJustified(2, '0')));
        return out;
    case Error::InvalidEscape:
        if (c(at) != '\\' || at + 1 >= json.size())
            return std::nullopt;
        // Qt reads an unknown escape as the byte after the backslash, taken as
        // Latin-1: "\q" as "q", a backslash and 0xF1 as U+00F1.
        out.replace(at, 2, QString(QChar(char16_t(uchar(c(at + 1))))).toUtf8());
        return out;
    case Error::InvalidNumber:
        if (c(at) == '.' || c(at - 1) == '.') {
            out.insert(at, '0'); // ".5" -> "0.5", "1." -> "1.0", "1.e5" -> "1.0e5"
            return out;
        }
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

// Deep equality, numbers by value: QJsonValue's own operator== on arrays and
// objects also compares how a number is stored, and Qt's parser stores an
// integral double such as 1e17 as an integer while QJsonValue(1e17) stays a double.
bool equal(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: {
        constexpr qint64 none = std::numeric_limits<qint64>::min() + 12345;
        return a.toDouble() == b.toDouble() && a.toInteger(none) == b.toInteger(none);
    }
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!equal(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!equal(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

// Prints both values (on a mismatch, before the check aborts).
bool same(const std::optional<QJsonValue> &reader, const QJsonValue &qt)
{
    if (reader && equal(*reader, qt))
        return true;
    const auto text = [](const QJsonValue &v) {
        return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    };
    std::fprintf(stderr, "reader: %s\nqt:     %s\n",
                 reader ? text(*reader).constData() : "(none)", text(qt).constData());
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(bytes), qsizetype(size));
    quint32 seed = 2166136261u; // FNV-1a of the input picks the resume points
    for (size_t i = 0; i < size; ++i)
        seed = (seed ^ bytes[i]) * 16777619u;

    const Outcome skipped = skipAll(json);
    Walker walker(json, seed);
    Outcome walked;
    const std::optional<QJsonValue> value = walker.walk(walked);
    FUZZ_CHECK(walked == skipped, "the full walk and skipValue() end differently");
    FUZZ_CHECK(walkWithNames(json) == skipped, "the nextMemberOf() walk and skipValue() end differently");
    walker.checkResume();

    if (skipped.ok) {
        const auto qt = qtValueOfValid(json);
        FUZZ_CHECK(qt, "Qt rejects an object or array that the reader accepts");
        FUZZ_CHECK(same(value, *qt), "the reader's value differs from Qt's");
        return 0;
    }

    const auto qt = qtValue(json);
    if (!qt)
        return 0; // both reject
    // Qt accepts what the reader rejects: only where Qt is lenient, one spot at a time.
    QByteArray text = json;
    Outcome outcome = skipped;
    for (int round = 0; round < 64 && !outcome.ok; ++round) {
        const auto fixed = repaired(text, outcome.error, outcome.offset);
        FUZZ_CHECK(fixed, "Qt accepts a text that the reader rejects, not for a documented reason");
        text = *fixed;
        const auto qtFixed = qtValue(text);
        FUZZ_CHECK(qtFixed && same(loose(*qtFixed), loose(*qt)), "repairing a lenient spot changed Qt's value");
        outcome = skipAll(text);
    }
    if (outcome.ok) {
        Walker again(text, seed);
        Outcome o;
        const auto repairedValue = again.walk(o);
        FUZZ_CHECK(repairedValue && same(loose(*repairedValue), loose(*qt)), "the reader's value differs from Qt's");
    }
    return 0;
}
