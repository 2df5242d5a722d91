// Tests for SseParser: the WHATWG "interpreting an event stream" algorithm.
//
// Every table row is parsed fed whole, byte by byte (with empty chunks in
// between), split into two chunks at every position and in random chunks
// (fixed seeds); each must give the same recorded outputs (events and retry
// notices, in order), the same endedMidEvent and the same lastEventId.

#include "sse/sseparser.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

// One thing the parser reported, in the order it reported it.
struct Output
{
    enum Kind { Event, Retry };
    Kind kind = Event;
    SseEvent event;
    qint64 retry = 0;

    friend bool operator==(const Output &a, const Output &b)
    {
        return a.kind == b.kind && a.event == b.event && a.retry == b.retry;
    }
    friend bool operator!=(const Output &a, const Output &b) { return !(a == b); }
};
using Outputs = QList<Output>;

Output ev(const QByteArray &data, const QByteArray &type = "message"_ba, const QByteArray &id = {})
{
    return Output{Output::Event, SseEvent{type, data, id}, 0};
}

Output evId(const QByteArray &data, const QByteArray &id)
{
    return ev(data, "message"_ba, id);
}

Output retry(qint64 ms)
{
    return Output{Output::Retry, SseEvent{}, ms};
}

// Control characters, quotes and backslashes escaped; UTF-8 shown as text.
QString escaped(const QByteArray &bytes)
{
    QByteArray out;
    for (const char c : bytes) {
        const auto u = uchar(c);
        if (c == '\n')
            out += "\\n"_ba;
        else if (c == '\r')
            out += "\\r"_ba;
        else if (c == '"' || c == '\\')
            out += QByteArray(1, '\\') + c;
        else if (u < 0x20 || u == 0x7F)
            out += "\\x"_ba + QByteArray::number(u, 16).rightJustified(2, '0');
        else
            out += c;
    }
    return QString::fromUtf8(out);
}

QString describe(const Output &o)
{
    if (o.kind == Output::Retry)
        return u"retry(%1)"_s.arg(o.retry);
    return u"event(type=\"%1\" data=\"%2\" id=\"%3\")"_s.arg(
        escaped(o.event.type), escaped(o.event.data), escaped(o.event.lastEventId));
}

// All a run of the parser produced, so different chunkings can be compared.
struct Run
{
    Outputs outputs;
    bool endedMidEvent = false;
    bool failed = false;
    QByteArray lastEventId;

    friend bool operator==(const Run &a, const Run &b)
    {
        return a.outputs == b.outputs && a.endedMidEvent == b.endedMidEvent
            && a.failed == b.failed && a.lastEventId == b.lastEventId;
    }
};

QString describe(const Run &run)
{
    QString s;
    for (const Output &o : run.outputs)
        s += u"    "_s + describe(o) + u"\n"_s;
    if (run.outputs.isEmpty())
        s += u"    (no outputs)\n"_s;
    s += u"    endedMidEvent=%1 failed=%2 lastEventId=\"%3\"\n"_s.arg(
        run.endedMidEvent ? u"true"_s : u"false"_s, run.failed ? u"true"_s : u"false"_s,
        escaped(run.lastEventId));
    return s;
}

void record(SseParser &parser, Outputs &outputs)
{
    parser.setEventHandler([&outputs](const SseEvent &e) { outputs.append(ev(e.data, e.type, e.lastEventId)); });
    parser.setRetryHandler([&outputs](qint64 ms) { outputs.append(retry(ms)); });
}

// Feeds `input` cut before each position in `cuts` (ascending; repeats give
// empty chunks), then finish(). Also checks that feed() agrees with hasFailed().
Run parse(const QByteArray &input, const QList<qsizetype> &cuts,
          qsizetype maxEventBytes = SseParser::DefaultMaxEventBytes)
{
    Run run;
    SseParser parser(maxEventBytes);
    record(parser, run.outputs);
    qsizetype pos = 0;
    auto feed = [&](qsizetype to) {
        const bool ok = parser.feed(QByteArrayView(input).sliced(pos, to - pos));
        if (ok == parser.hasFailed())
            qFatal("feed() returned %d but hasFailed() is %d", ok, parser.hasFailed());
        pos = to;
    };
    for (const qsizetype cut : cuts)
        feed(cut);
    feed(input.size());
    parser.finish();
    run.endedMidEvent = parser.endedMidEvent();
    run.failed = parser.hasFailed();
    run.lastEventId = parser.lastEventId();
    if (run.failed != !parser.errorString().isEmpty())
        qFatal("hasFailed() and errorString() disagree");
    return run;
}

struct Chunking
{
    QString name;
    QList<qsizetype> cuts;
};

QList<Chunking> randomChunkings(qsizetype size, int count, int maxChunk)
{
    QList<Chunking> out;
    for (int seed = 1; seed <= count; ++seed) {
        QRandomGenerator rng{quint32(seed)}; // fixed seeds: reproducible
        Chunking c{u"random chunks (seed %1)"_s.arg(seed), {}};
        for (qsizetype pos = rng.bounded(maxChunk + 1); pos < size; pos += 1 + rng.bounded(maxChunk))
            c.cuts.append(pos);
        out.append(c);
    }
    return out;
}

// Whole, byte by byte, byte by byte with an empty chunk after every byte,
// every two-chunk split (including an empty first or last chunk), random.
QList<Chunking> allChunkings(qsizetype size)
{
    QList<Chunking> out{{u"whole"_s, {}}};
    Chunking bytes{u"byte by byte"_s, {}};
    Chunking bytesAndEmpty{u"byte by byte with empty chunks"_s, {}};
    for (qsizetype i = 1; i < size; ++i) {
        bytes.cuts.append(i);
        bytesAndEmpty.cuts.append({i, i});
    }
    out.append({bytes, bytesAndEmpty});
    for (qsizetype i = 0; i <= size; ++i)
        out.append({u"split at %1"_s.arg(i), {i}});
    out.append(randomChunkings(size, 8, 7));
    return out;
}

// Parses `input` every way and compares each run with `expected`.
void verifyAllChunkings(const QByteArray &input, const Run &expected,
                        qsizetype maxEventBytes = SseParser::DefaultMaxEventBytes)
{
    for (const Chunking &chunking : allChunkings(input.size())) {
        const Run actual = parse(input, chunking.cuts, maxEventBytes);
        QVERIFY2(actual == expected,
                 qPrintable(u"fed %1:\n  actual:\n%2  expected:\n%3"_s.arg(
                     chunking.name, describe(actual), describe(expected))));
    }
}

QByteArray repeated(char c, qsizetype n)
{
    return QByteArray(n, c);
}

QByteArray cat(std::initializer_list<QByteArrayView> parts)
{
    QByteArray out;
    for (const QByteArrayView part : parts)
        out += part;
    return out;
}

// A random but valid stream and the outputs it must give, built together.
struct GeneratedStream
{
    QByteArray bytes;
    Outputs expected;
    QByteArray lastEventId;
};

GeneratedStream generateStream(quint32 seed, int blocks)
{
    QRandomGenerator rng(seed);
    const QList<QByteArray> pieces{
        "a"_ba, "hello"_ba, " "_ba, ":"_ba, "data: "_ba, "{\"k\":\"v\"}"_ba, "\t"_ba,
        "\xE4\xBD\xA0\xE5\xA5\xBD"_ba,             // 你好
        "\xF0\x9F\x98\x80"_ba,                     // 😀
        "\xC3\xA9"_ba,                             // é
        "\xE2\x80\xA6"_ba,                         // …
        "\xEF\xBB\xBF"_ba,                         // a BOM inside a value stays
        "\0"_ba,
    };
    auto randomValue = [&] {
        QByteArray v;
        const int n = rng.bounded(5);
        for (int i = 0; i < n; ++i)
            v += pieces.at(rng.bounded(int(pieces.size())));
        return v;
    };
    const QList<QByteArray> endings{"\n"_ba, "\r"_ba, "\r\n"_ba};
    GeneratedStream s;
    QByteArray previousEnding;
    auto line = [&](const QByteArray &content) {
        QByteArray ending = endings.at(rng.bounded(3));
        // After a bare CR, an empty line ended by LF would merge into one CRLF.
        while (content.isEmpty() && previousEnding == "\r"_ba && ending == "\n"_ba)
            ending = endings.at(rng.bounded(3));
        s.bytes += content + ending;
        previousEnding = ending;
    };
    if (rng.bounded(2))
        s.bytes += "\xEF\xBB\xBF"_ba;
    QByteArray id;
    for (int b = 0; b < blocks; ++b) {
        QList<QByteArray> data;
        QByteArray type;
        const int lines = rng.bounded(6);
        for (int i = 0; i < lines; ++i) {
            switch (rng.bounded(9)) {
            case 0:
                line(":"_ba + randomValue());
                break;
            case 1:
                line("unknown: "_ba + randomValue());
                break;
            case 2:
                type = randomValue();
                line("event: "_ba + type);
                break;
            case 3: {
                const QByteArray value = randomValue();
                line("id: "_ba + value);
                if (!value.contains('\0'))
                    id = value;
                break;
            }
            case 4: {
                const qint64 ms = rng.bounded(100000);
                line("retry: "_ba + QByteArray::number(ms));
                s.expected.append(retry(ms));
                break;
            }
            default: {
                const QByteArray value = randomValue();
                data.append(value);
                if (value.isEmpty() && rng.bounded(2))
                    line("data"_ba);
                else if (!value.startsWith(' ') && rng.bounded(2))
                    line("data:"_ba + value);
                else
                    line("data: "_ba + value);
                break;
            }
            }
        }
        line({});
        if (!data.isEmpty())
            s.expected.append(ev(data.join('\n'), type.isEmpty() ? "message"_ba : type, id));
    }
    s.lastEventId = id;
    return s;
}

} // namespace

Q_DECLARE_METATYPE(Output)

namespace QTest {
template<>
char *toString(const Output &o)
{
    return qstrdup(describe(o).toUtf8().constData());
}
} // namespace QTest

class tst_SseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void rules_data();
    void rules();

    void sizeLimit_data();
    void sizeLimit();
    void defaultSizeLimit();
    void failedParserIgnoresInput();

    void crAtChunkEndThenLf();
    void bomSplitAcrossChunks();
    void unicodeSplitAtEveryBytePair();
    void generatedStreams_data();
    void generatedStreams();

    void lastEventIdAccessor();
    void reset();
    void resetFromHandler();
    void finishFromHandler();
    void withoutHandlers();
    void counters();
};

void tst_SseParser::initTestCase()
{
    QLocale::setDefault(QLocale::c()); // the error message formats a size
}

void tst_SseParser::rules_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Outputs>("expected");
    QTest::addColumn<bool>("endedMidEvent");
    QTest::addColumn<QByteArray>("lastEventId"); // after finish()

    const QByteArray none;
    const QByteArray bom = "\xEF\xBB\xBF"_ba;
    const QByteArray fffd = "\xEF\xBF\xBD"_ba; // U+FFFD in UTF-8

    // Line ends
    QTest::newRow("LF line ends") << "data: a\n\n"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("CR line ends") << "data: a\r\r"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("CRLF line ends") << "data: a\r\n\r\n"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("mixed line ends in one event")
        << "data: a\rdata: b\ndata: c\r\ndata: d\r\r\n"_ba << Outputs{ev("a\nb\nc\nd"_ba)} << false << none;
    QTest::newRow("CR CR is a blank line") << "data: a\r\rdata: b\r\r"_ba << Outputs{ev("a"_ba), ev("b"_ba)}
                                          << false << none;
    QTest::newRow("LF CR is a blank line") << "data: a\n\rdata: b\n\n"_ba << Outputs{ev("a"_ba), ev("b"_ba)}
                                          << false << none;
    QTest::newRow("CR LF LF: one line end, then a blank line") << "data: a\r\n\ndata: b\n\n"_ba
                                                              << Outputs{ev("a"_ba), ev("b"_ba)} << false << none;
    QTest::newRow("CR CR LF: line end, then a blank line") << "data: a\r\r\n"_ba << Outputs{ev("a"_ba)} << false
                                                          << none;
    QTest::newRow("CRLF CRLF between events") << "data: a\r\n\r\ndata: b\r\n\r\n"_ba
                                             << Outputs{ev("a"_ba), ev("b"_ba)} << false << none;
    QTest::newRow("leading blank lines dispatch nothing") << "\n\r\n\rdata: a\n\n"_ba << Outputs{ev("a"_ba)}
                                                         << false << none;
    QTest::newRow("extra blank lines dispatch nothing") << "data: a\n\n\n\n\r\r\n"_ba << Outputs{ev("a"_ba)}
                                                       << false << none;

    // Byte order mark
    QTest::newRow("leading BOM stripped") << cat({bom, "data: a\n\n"}) << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("BOM only stripped once") << cat({bom, bom, "data: a\n\ndata: b\n\n"}) << Outputs{ev("b"_ba)}
                                            << false << none;
    QTest::newRow("BOM in the middle of the stream is not stripped")
        << cat({"data: a\n\n", bom, "data: b\n\ndata: c\n\n"}) << Outputs{ev("a"_ba), ev("c"_ba)} << false << none;
    QTest::newRow("BOM inside a value is kept") << cat({"data: ", bom, "a\n\n"}) << Outputs{ev(cat({bom, "a"}))}
                                                << false << none;
    QTest::newRow("two BOM bytes are not a BOM") << cat({"\xEF\xBB", "data: a\n\ndata: b\n\n"}) << Outputs{ev("b"_ba)}
                                                 << false << none;
    QTest::newRow("BOM then a blank line") << cat({bom, "\ndata: a\n\n"}) << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("empty stream") << QByteArray() << Outputs{} << false << none;
    QTest::newRow("stream of only a BOM") << bom << Outputs{} << false << none;
    QTest::newRow("stream of a BOM prefix") << "\xEF\xBB"_ba << Outputs{} << true << none;
    QTest::newRow("stream of one BOM byte") << "\xEF"_ba << Outputs{} << true << none;

    // Comments
    QTest::newRow("comment ignored") << ": hello\ndata: a\n\n"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("empty comment") << ":\ndata: a\n\n"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("comment looking like a field") << ":data: x\ndata: a\n\n"_ba << Outputs{ev("a"_ba)} << false
                                                  << none;
    QTest::newRow("comments inside an event do not split it")
        << "data: a\r:\0\n: x\r\ndata: b\n\n"_ba << Outputs{ev("a\nb"_ba)} << false << none;
    QTest::newRow("comment block dispatches nothing") << ": keep-alive\n\n: again\n\n"_ba << Outputs{} << false
                                                      << none;
    QTest::newRow("space before the colon is not a comment") << " : x\ndata: a\n\n"_ba << Outputs{ev("a"_ba)}
                                                             << false << none;
    QTest::newRow("long comment") << cat({":", repeated('x', 5000), "\ndata: a\n\n"}) << Outputs{ev("a"_ba)}
                                  << false << none;

    // Field name and value
    QTest::newRow("no colon: the line is the field name, value empty")
        << "data\n\n"_ba << Outputs{ev(""_ba)} << false << none;
    QTest::newRow("two bare data lines") << "data\ndata\n\n"_ba << Outputs{ev("\n"_ba)} << false << none;
    QTest::newRow("no space after the colon") << "data:a\n\n"_ba << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("exactly one space stripped") << "data:  a\n\n"_ba << Outputs{ev(" a"_ba)} << false << none;
    QTest::newRow("tab after the colon kept") << "data:\ta\n\n"_ba << Outputs{ev("\ta"_ba)} << false << none;
    QTest::newRow("trailing spaces kept") << "data: a  \n\n"_ba << Outputs{ev("a  "_ba)} << false << none;
    QTest::newRow("value with a colon") << "data: a: b\n\n"_ba << Outputs{ev("a: b"_ba)} << false << none;
    QTest::newRow("value is everything after the first colon") << "data:: a\n\n"_ba << Outputs{ev(": a"_ba)}
                                                               << false << none;
    QTest::newRow("only a space after the colon") << "data: \n\n"_ba << Outputs{ev(""_ba)} << false << none;
    QTest::newRow("field \"data \" (trailing space) is unknown") << "data : a\ndata \n\n"_ba << Outputs{}
                                                                 << false << none;
    QTest::newRow("field \" data\" (leading space) is unknown") << " data: a\n\n"_ba << Outputs{} << false
                                                                << none;
    QTest::newRow("field names are case-sensitive") << "Data: a\nDATA: b\nEvent: x\nID: 1\nRetry: 5\n\n"_ba
                                                    << Outputs{} << false << none;
    QTest::newRow("field \"data\" vs \"data \" vs \"Data\"")
        << "data: 1\ndata : 2\nData: 3\ndata:4\n\n"_ba << Outputs{ev("1\n4"_ba)} << false << none;
    QTest::newRow("NUL in a field name makes it unknown") << "data\0: a\n\n"_ba << Outputs{}
                                                          << false << none;
    QTest::newRow("unknown fields ignored") << "foo: bar\ndata: a\nfoobar\nda-ta: x\ndata_1: y\ndata: b\n\n"_ba
                                            << Outputs{ev("a\nb"_ba)} << false << none;
    QTest::newRow("unknown fields alone dispatch nothing") << "foo: bar\n\n"_ba << Outputs{} << false << none;

    // data
    QTest::newRow("data lines joined with LF") << "data: a\ndata: b\ndata: c\n\n"_ba << Outputs{ev("a\nb\nc"_ba)}
                                               << false << none;
    QTest::newRow("empty data line in the middle") << "data: a\ndata:\ndata: b\n\n"_ba
                                                   << Outputs{ev("a\n\nb"_ba)} << false << none;
    QTest::newRow("empty data line at the end") << "data: a\ndata:\n\n"_ba << Outputs{ev("a\n"_ba)} << false
                                                << none;
    QTest::newRow("empty data is still dispatched") << "data:\n\n"_ba << Outputs{ev(""_ba)} << false << none;
    QTest::newRow("NUL in data kept") << "data: a\0b\n\n"_ba << Outputs{ev("a\0b"_ba)}
                                      << false << none;
    QTest::newRow("JSON payload") << "data: {\"a\": [1, 2], \"b\": \"x:y\"}\n\n"_ba
                                  << Outputs{ev("{\"a\": [1, 2], \"b\": \"x:y\"}"_ba)} << false << none;
    QTest::newRow("[DONE]") << "data: {}\n\ndata: [DONE]\n\n"_ba << Outputs{ev("{}"_ba), ev("[DONE]"_ba)}
                            << false << none;
    QTest::newRow("empty data buffer dispatches nothing") << "\n\n\n"_ba << Outputs{} << false << none;

    // event
    QTest::newRow("event sets the type") << "event: delta\ndata: a\n\n"_ba << Outputs{ev("a"_ba, "delta"_ba)}
                                         << false << none;
    QTest::newRow("event after data in the block") << "data: a\nevent: delta\n\n"_ba
                                                   << Outputs{ev("a"_ba, "delta"_ba)} << false << none;
    QTest::newRow("last event field wins") << "event: a\nevent: b\ndata: x\n\n"_ba
                                           << Outputs{ev("x"_ba, "b"_ba)} << false << none;
    QTest::newRow("event type reset after dispatch") << "event: delta\ndata: a\n\ndata: b\n\n"_ba
                                                     << Outputs{ev("a"_ba, "delta"_ba), ev("b"_ba)} << false
                                                     << none;
    QTest::newRow("event type reset even when nothing was dispatched")
        << "event: delta\n\ndata: b\n\n"_ba << Outputs{ev("b"_ba)} << false << none;
    QTest::newRow("empty event means message") << "event:\ndata: a\n\n"_ba << Outputs{ev("a"_ba)} << false
                                               << none;
    QTest::newRow("event with only a space means message") << "event: \ndata: a\n\n"_ba << Outputs{ev("a"_ba)}
                                                           << false << none;
    QTest::newRow("bare event line means message") << "event: x\nevent\ndata: a\n\n"_ba << Outputs{ev("a"_ba)}
                                                   << false << none;

    // id
    QTest::newRow("id sets lastEventId") << "id: 1\ndata: a\n\n"_ba << Outputs{evId("a"_ba, "1"_ba)} << false
                                         << "1"_ba;
    QTest::newRow("id after data in the block") << "data: a\nid: 1\n\n"_ba << Outputs{evId("a"_ba, "1"_ba)}
                                                << false << "1"_ba;
    QTest::newRow("id persists across events") << "id: 1\ndata: a\n\ndata: b\n\n"_ba
                                               << Outputs{evId("a"_ba, "1"_ba), evId("b"_ba, "1"_ba)} << false
                                               << "1"_ba;
    QTest::newRow("id changes and persists")
        << "id: 1\ndata: a\n\nid: 2\ndata: b\n\ndata: c\n\n"_ba
        << Outputs{evId("a"_ba, "1"_ba), evId("b"_ba, "2"_ba), evId("c"_ba, "2"_ba)} << false << "2"_ba;
    QTest::newRow("empty id resets it") << "id: 1\ndata: a\n\nid:\ndata: b\n\n"_ba
                                        << Outputs{evId("a"_ba, "1"_ba), ev("b"_ba)} << false << none;
    QTest::newRow("bare id line resets it") << "id: 1\ndata: a\n\nid\ndata: b\n\n"_ba
                                            << Outputs{evId("a"_ba, "1"_ba), ev("b"_ba)} << false << none;
    QTest::newRow("id in a block without data still takes effect")
        << "id: 7\n\ndata: a\n\n"_ba << Outputs{evId("a"_ba, "7"_ba)} << false << "7"_ba;
    QTest::newRow("id with NUL ignored") << "id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n"_ba
                                         << Outputs{evId("a"_ba, "1"_ba), evId("b"_ba, "1"_ba)} << false
                                         << "1"_ba;
    QTest::newRow("id of only NUL ignored") << "id: \0\ndata: a\n\n"_ba << Outputs{ev("a"_ba)}
                                            << false << none;
    QTest::newRow("id with NUL after a space ignored") << "id:  \0\ndata: a\n\n"_ba
                                                       << Outputs{ev("a"_ba)} << false << none;
    QTest::newRow("id with NUL does not reset") << "id: 1\nid: \0x\ndata: a\n\n"_ba
                                                << Outputs{evId("a"_ba, "1"_ba)} << false << "1"_ba;
    QTest::newRow("non-ASCII id") << "id: \xE2\x80\xA6\ndata: a\n\n"_ba << Outputs{evId("a"_ba, "\xE2\x80\xA6"_ba)}
                                  << false << "\xE2\x80\xA6"_ba;
    QTest::newRow("id keeps extra spaces") << "id:  1 \ndata: a\n\n"_ba << Outputs{evId("a"_ba, " 1 "_ba)}
                                           << false << " 1 "_ba;

    // retry
    QTest::newRow("retry reported") << "retry: 1000\n"_ba << Outputs{retry(1000)} << false << none;
    QTest::newRow("retry leading zeros are decimal") << "retry:03000\n"_ba << Outputs{retry(3000)} << false
                                                     << none;
    QTest::newRow("retry zero") << "retry: 0\n"_ba << Outputs{retry(0)} << false << none;
    QTest::newRow("retry reported when read, before the event")
        << "data: a\nretry: 5\ndata: b\n\n"_ba << Outputs{retry(5), ev("a\nb"_ba)} << false << none;
    QTest::newRow("retry alone does not dispatch") << "retry: 5\n\n"_ba << Outputs{retry(5)} << false << none;
    QTest::newRow("retry with a trailing letter ignored") << "retry: 3000\nretry: 1000x\n"_ba
                                                          << Outputs{retry(3000)} << false << none;
    QTest::newRow("retry with a sign ignored") << "retry: -1\nretry: +1\n"_ba << Outputs{} << false << none;
    QTest::newRow("retry with a decimal point ignored") << "retry: 1.5\n"_ba << Outputs{} << false << none;
    QTest::newRow("retry with two spaces ignored") << "retry:  100\n"_ba << Outputs{} << false << none;
    QTest::newRow("retry with a trailing space ignored") << "retry: 100 \n"_ba << Outputs{} << false << none;
    QTest::newRow("retry empty ignored") << "retry:\nretry: \nretry\n"_ba << Outputs{} << false << none;
    QTest::newRow("retry with non-ASCII digits ignored") << "retry: \xD9\xA1\xD9\xA2\n"_ba << Outputs{}
                                                         << false << none;
    QTest::newRow("retry with a fullwidth digit ignored") << "retry: 1\xEF\xBC\x92\n"_ba << Outputs{} << false
                                                          << none;
    QTest::newRow("retry beyond 64 bits clamps") << "retry: 99999999999999999999999\n"_ba
                                                 << Outputs{retry(std::numeric_limits<qint64>::max())} << false
                                                 << none;
    QTest::newRow("retry at the 64-bit maximum") << "retry: 9223372036854775807\n"_ba
                                                 << Outputs{retry(std::numeric_limits<qint64>::max())} << false
                                                 << none;

    // End of stream
    QTest::newRow("no dispatch at the end of the stream") << "data: a\n\ndata: b\n"_ba << Outputs{ev("a"_ba)}
                                                          << true << none;
    QTest::newRow("unterminated line") << "data: a"_ba << Outputs{} << true << none;
    QTest::newRow("stream ends after a CR") << "data: a\r"_ba << Outputs{} << true << none;
    QTest::newRow("stream ends after CRLF") << "data: a\r\n"_ba << Outputs{} << true << none;
    QTest::newRow("stream ends with a pending event type") << "event: x\n"_ba << Outputs{} << true << none;
    QTest::newRow("id of an unfinished event never takes effect")
        << "id: 1\ndata: a\n\nid: 2\ndata: b\n"_ba << Outputs{evId("a"_ba, "1"_ba)} << true << "1"_ba;
    QTest::newRow("stream ends after a comment") << "data: a\n\n: bye\n"_ba << Outputs{ev("a"_ba)} << false
                                                 << none;
    QTest::newRow("stream ends inside a comment") << "data: a\n\n: by"_ba << Outputs{ev("a"_ba)} << true
                                                  << none;
    QTest::newRow("stream ends after a retry") << "retry: 10\n"_ba << Outputs{retry(10)} << false << none;
    QTest::newRow("stream ends after an unknown field") << "foo: bar\n"_ba << Outputs{} << false << none;

    // UTF-8
    QTest::newRow("Chinese") << "data: \xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C\n\n"_ba
                             << Outputs{ev("\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C"_ba)}
                             << false << none;
    QTest::newRow("emoji (4 bytes)") << "data: \xF0\x9F\x98\x80\xF0\x9F\x8E\x89!\n\n"_ba
                                     << Outputs{ev("\xF0\x9F\x98\x80\xF0\x9F\x8E\x89!"_ba)} << false << none;
    QTest::newRow("non-ASCII event type and id")
        << "event: \xE4\xBA\x8B\xE4\xBB\xB6\nid: \xF0\x9F\x86\x94\ndata: x\n\n"_ba
        << Outputs{ev("x"_ba, "\xE4\xBA\x8B\xE4\xBB\xB6"_ba, "\xF0\x9F\x86\x94"_ba)} << false
        << "\xF0\x9F\x86\x94"_ba;
    QTest::newRow("invalid byte becomes U+FFFD") << cat({"data: a", "\xFF", "b\n\n"})
                                                 << Outputs{ev(cat({"a", fffd, "b"}))} << false << none;
    QTest::newRow("lone continuation byte") << "data: \x80\n\n"_ba << Outputs{ev(fffd)} << false << none;
    QTest::newRow("truncated sequence is one U+FFFD") << cat({"data: ", "\xE2\x82", "A\n\n"})
                                                      << Outputs{ev(cat({fffd, "A"}))} << false << none;
    QTest::newRow("truncated emoji at the end of the data") << "data: \xF0\x9F\x98\n\n"_ba << Outputs{ev(fffd)}
                                                            << false << none;
    QTest::newRow("overlong is one U+FFFD per byte") << "data: \xC0\xAF\n\n"_ba << Outputs{ev(fffd.repeated(2))}
                                                     << false << none;
    QTest::newRow("surrogate is one U+FFFD per byte") << "data: \xED\xA0\x80\n\n"_ba
                                                      << Outputs{ev(fffd.repeated(3))} << false << none;
    // Unicode's example of "U+FFFD substitution of maximal subparts".
    QTest::newRow("maximal subparts")
        << cat({"data: a", "\xF1\x80\x80\xE1\x80\xC2", "b", "\x80", "c", "\x80\xBF", "d\n\n"})
        << Outputs{ev(cat({"a", fffd.repeated(3), "b", fffd, "c", fffd.repeated(2), "d"}))} << false << none;
    QTest::newRow("sequence cut by a line end is not joined across lines")
        << "data: \xE2\x82\ndata: \xAC\n\n"_ba << Outputs{ev(cat({fffd, "\n", fffd}))} << false << none;
    QTest::newRow("sequence cut by a CR") << "data: \xE4\xBD\rdata: b\r\r"_ba << Outputs{ev(cat({fffd, "\nb"}))}
                                          << false << none;
    QTest::newRow("invalid UTF-8 in the event type") << "event: \xFF\ndata: a\n\n"_ba
                                                     << Outputs{ev("a"_ba, fffd)} << false << none;
    QTest::newRow("invalid UTF-8 in the id") << "id: \xC3\ndata: a\n\n"_ba << Outputs{evId("a"_ba, fffd)} << false
                                             << fffd;
    QTest::newRow("invalid UTF-8 in a field name makes it unknown") << "dat\xE1: a\n\n"_ba << Outputs{}
                                                                    << false << none;
    QTest::newRow("noncharacter U+FFFF kept") << "data: \xEF\xBF\xBF\n\n"_ba << Outputs{ev("\xEF\xBF\xBF"_ba)}
                                              << false << none;
}

void tst_SseParser::rules()
{
    QFETCH(QByteArray, input);
    QFETCH(Outputs, expected);
    QFETCH(bool, endedMidEvent);
    QFETCH(QByteArray, lastEventId);

    verifyAllChunkings(input, Run{expected, endedMidEvent, false, lastEventId});
}

void tst_SseParser::sizeLimit_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Outputs>("expected");
    QTest::addColumn<bool>("failed");

    // The limit is 64 bytes: the data lines of the event so far (value + '\n'
    // each) plus the whole line being read ("data: " included, line end not).
    const QByteArray x58 = repeated('x', 58);
    const QByteArray x59 = repeated('x', 59);

    QTest::newRow("one data line at the limit") << cat({"data: ", x58, "\n\n"}) << Outputs{ev(x58)} << false;
    QTest::newRow("one data line one byte over") << cat({"data: ", x59, "\n\n"}) << Outputs{} << true;
    QTest::newRow("line end not counted") << cat({"data: ", x58, "\r\n\r\n"}) << Outputs{ev(x58)} << false;
    QTest::newRow("BOM not counted") << cat({"\xEF\xBB\xBF", "data: ", x58, "\n\n"}) << Outputs{ev(x58)} << false;
    // 32 bytes ("data: " + 26) with 27 kept; then 27 + 37 = 64.
    QTest::newRow("two data lines at the limit")
        << cat({"data: ", repeated('a', 26), "\ndata: ", repeated('b', 31), "\n\n"})
        << Outputs{ev(cat({repeated('a', 26), "\n", repeated('b', 31)}))} << false;
    QTest::newRow("two data lines one byte over")
        << cat({"data: ", repeated('a', 26), "\ndata: ", repeated('b', 32), "\n\n"}) << Outputs{} << true;
    // Each line adds 2 bytes: the 30th line (58 + 7 bytes) is too much.
    QTest::newRow("many short data lines") << cat({"data: a\n"_ba.repeated(29), "\n"})
                                           << Outputs{ev(QByteArray("a\n"_ba.repeated(29)).chopped(1))} << false;
    QTest::newRow("many short data lines over the limit") << cat({"data: a\n"_ba.repeated(30), "\n"})
                                                          << Outputs{} << true;
    QTest::newRow("the limit is per event") << cat({"data: ", x58, "\n\n"}).repeated(5) << Outputs(5, ev(x58))
                                            << false;
    QTest::newRow("events before the oversized one are dispatched")
        << cat({"retry: 7\ndata: a\n\ndata: ", x59, "\n\ndata: b\n\n"}) << Outputs{retry(7), ev("a"_ba)} << true;
    QTest::newRow("nothing after the oversized event") << cat({"data: ", x59, "\n\nretry: 5\ndata: b\n\n"})
                                                       << Outputs{} << true;
    QTest::newRow("huge line without a line end") << cat({"data: ", repeated('x', 1000)}) << Outputs{} << true;
    QTest::newRow("huge line without a colon") << repeated('x', 1000) << Outputs{} << true;
    QTest::newRow("huge comment line") << cat({":", repeated('x', 1000), "\n"}) << Outputs{} << true;
    QTest::newRow("huge event type") << cat({"event: ", repeated('x', 100), "\ndata: a\n\n"}) << Outputs{}
                                     << true;
    QTest::newRow("huge id") << cat({"id: ", repeated('x', 100), "\ndata: a\n\n"}) << Outputs{} << true;
    QTest::newRow("comments and unknown fields do not add up")
        << cat({cat({":", repeated('c', 63), "\nfoo: ", repeated('f', 59), "\n"}).repeated(10), "data: a\n\n"})
        << Outputs{ev("a"_ba)} << false;
    QTest::newRow("event and id lines do not add up")
        << cat({cat({"event: ", repeated('e', 57), "\nid: ", repeated('i', 60), "\n"}).repeated(10),
                "data: a\n\n"})
        << Outputs{ev("a"_ba, repeated('e', 57), repeated('i', 60))} << false;
    QTest::newRow("long line under the limit at the end of the stream") << cat({"data: ", x58}) << Outputs{}
                                                                        << false;
}

void tst_SseParser::sizeLimit()
{
    QFETCH(QByteArray, input);
    QFETCH(Outputs, expected);
    QFETCH(bool, failed);

    const bool endedMidEvent = failed || !input.endsWith('\n');
    QByteArray lastEventId;
    for (const Output &o : expected) {
        if (o.kind == Output::Event)
            lastEventId = o.event.lastEventId;
    }
    verifyAllChunkings(input, Run{expected, endedMidEvent, failed, lastEventId}, 64);

    SseParser parser(64);
    parser.feed(input);
    QCOMPARE(parser.hasFailed(), failed);
    if (failed) {
        QCOMPARE(parser.errorString(),
                 u"The server sent an event larger than 64 bytes; the stream was stopped."_s);
    }
}

void tst_SseParser::defaultSizeLimit()
{
    QCOMPARE(SseParser().maxEventBytes(), 16 * 1024 * 1024);
    QCOMPARE(SseParser(0).maxEventBytes(), SseParser::DefaultMaxEventBytes);
    QCOMPARE(SseParser(-1).maxEventBytes(), SseParser::DefaultMaxEventBytes);
    QCOMPARE(SseParser(1000).maxEventBytes(), 1000);

    // An event just under and just over 16 MiB, in network-sized chunks.
    const qsizetype limit = SseParser::DefaultMaxEventBytes;
    for (const qsizetype payload : {limit - 6, limit - 5}) {
        const bool fits = payload == limit - 6;
        QByteArray input = "data: "_ba;
        input += QByteArray(payload, 'x');
        input += "\n\n"_ba;
        for (const qsizetype chunk : {qsizetype(16 * 1024), input.size()}) {
            SseParser parser;
            qsizetype dispatched = -1;
            parser.setEventHandler([&](const SseEvent &e) { dispatched = e.data.size(); });
            bool ok = true;
            for (qsizetype pos = 0; pos < input.size() && ok; pos += chunk)
                ok = parser.feed(QByteArrayView(input).sliced(pos, std::min(chunk, input.size() - pos)));
            parser.finish();
            QCOMPARE(ok, fits);
            QCOMPARE(parser.hasFailed(), !fits);
            QCOMPARE(dispatched, fits ? payload : -1);
            if (!fits) {
                QCOMPARE(parser.errorString(),
                         u"The server sent an event larger than 16 MiB; the stream was stopped."_s);
                QVERIFY(parser.endedMidEvent());
            }
        }
    }

    SseParser parser(1536 * 1024);
    parser.feed(QByteArray(2 * 1024 * 1024, 'x'));
    QCOMPARE(parser.errorString(), u"The server sent an event larger than 1.50 MiB; the stream was stopped."_s);
}

void tst_SseParser::failedParserIgnoresInput()
{
    Outputs outputs;
    SseParser parser(16);
    record(parser, outputs);
    QVERIFY(parser.feed("data: a\n\n"_ba));
    QVERIFY(!parser.feed("data: 0123456789abcdef\n\n"_ba));
    QVERIFY(parser.hasFailed());
    const QString error = parser.errorString();
    QVERIFY(!error.isEmpty());
    QVERIFY(!parser.feed("data: b\n\nretry: 1\n"_ba));
    QVERIFY(!parser.feed({}));
    parser.finish();
    QCOMPARE(outputs, Outputs{ev("a"_ba)});
    QCOMPARE(parser.errorString(), error);
    QVERIFY(parser.endedMidEvent());
}

void tst_SseParser::crAtChunkEndThenLf()
{
    Outputs outputs;
    SseParser parser;
    record(parser, outputs);
    parser.feed("data: a\r"_ba);
    parser.feed("\ndata: b\r"_ba); // CR + LF across chunks: one line end, not a blank line
    parser.feed({});                // an empty read must not forget the pending CR
    parser.feed("\n\r"_ba);         // completes "data: b" CRLF, then a blank line (CR)
    QCOMPARE(outputs, Outputs{ev("a\nb"_ba)});
    parser.feed("\ndata: c\r"_ba); // this LF completes the blank line's CRLF: no second blank line
    parser.feed("\r"_ba);           // CR after CR: a blank line
    parser.finish();
    QCOMPARE(outputs, (Outputs{ev("a\nb"_ba), ev("c"_ba)}));
    QVERIFY(!parser.endedMidEvent());
}

void tst_SseParser::bomSplitAcrossChunks()
{
    const QByteArray stream = "\xEF\xBB\xBF\xEF\xBB\xBF"
                              "data: a\n\ndata: b\n\n"_ba;
    for (qsizetype i = 0; i <= 6; ++i) {
        for (qsizetype j = i; j <= 6; ++j) {
            Outputs outputs;
            SseParser parser;
            record(parser, outputs);
            parser.feed(QByteArrayView(stream).first(i));
            parser.feed(QByteArrayView(stream).sliced(i, j - i));
            parser.feed(QByteArrayView(stream).sliced(j));
            parser.finish();
            // One BOM stripped; the second makes "\uFEFFdata" an unknown field.
            QCOMPARE(outputs, Outputs{ev("b"_ba)});
        }
    }
}

void tst_SseParser::unicodeSplitAtEveryBytePair()
{
    // Chinese (3 bytes), emoji (4 bytes), é (2 bytes) in data, type and id, cut into three chunks everywhere.
    const QByteArray text = "\xE4\xB8\xAD\xE6\x96\x87\xF0\x9F\x98\x80\xC3\xA9\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"_ba;
    const QByteArray input = cat({"id: ", text, "\nevent: ", text, "\ndata: ", text, "\r\n\r\n"});
    const Outputs expected{ev(text, text, text)};
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            const Run run = parse(input, {i, j});
            if (run.outputs != expected)
                QFAIL(qPrintable(u"cut at %1 and %2:\n%3"_s.arg(i).arg(j).arg(describe(run))));
        }
    }
}

void tst_SseParser::generatedStreams_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 12; ++seed)
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

void tst_SseParser::generatedStreams()
{
    QFETCH(quint32, seed);
    const GeneratedStream stream = generateStream(seed, 40);
    const Run expected{stream.expected, false, false, stream.lastEventId};
    const qsizetype size = stream.bytes.size();
    for (const Chunking &chunking : allChunkings(size) + randomChunkings(size, 8, 300)) {
        const Run actual = parse(stream.bytes, chunking.cuts);
        QVERIFY2(actual == expected,
                 qPrintable(u"fed %1:\n  actual:\n%2  expected:\n%3"_s.arg(chunking.name, describe(actual),
                                                                        describe(expected))));
    }
}

void tst_SseParser::lastEventIdAccessor()
{
    SseParser parser;
    QCOMPARE(parser.lastEventId(), QByteArray());
    parser.feed("id: 1\n"_ba);
    QCOMPARE(parser.lastEventId(), QByteArray()); // set at dispatch, not when the field is read
    parser.feed("\n"_ba);
    QCOMPARE(parser.lastEventId(), "1"_ba); // even though no event was dispatched
    parser.feed("id: 2\ndata: a\n"_ba);
    parser.finish();
    QCOMPARE(parser.lastEventId(), "1"_ba); // the unfinished event never took effect
    QVERIFY(parser.endedMidEvent());
}

void tst_SseParser::reset()
{
    Outputs outputs;
    SseParser parser(64);
    record(parser, outputs);
    parser.feed("\xEF\xBB\xBF"
                "id: 1\ndata: a\n\nid: 2\nevent: x\ndata: b\r"_ba);
    QCOMPARE(outputs, Outputs{evId("a"_ba, "1"_ba)});
    QCOMPARE(parser.eventsDispatched(), 1);

    // A new connection: pending data, event type, the id of the unfinished
    // event and the pending CR are gone; the last event ID stays.
    parser.reset();
    QCOMPARE(parser.bytesFed(), 0);
    QCOMPARE(parser.eventsDispatched(), 0);
    QVERIFY(!parser.endedMidEvent());
    QCOMPARE(parser.lastEventId(), "1"_ba);
    outputs.clear();
    parser.feed("\xEF\xBB\xBF\n"
                "data: c\n\n"_ba); // BOM stripped again; "\n" is a blank line, not the end of a CRLF
    QCOMPARE(outputs, Outputs{evId("c"_ba, "1"_ba)});
    parser.feed("data: d"_ba);

    // reset() clears a failure too.
    parser.feed(QByteArray(100, 'x'));
    QVERIFY(parser.hasFailed());
    parser.reset();
    QVERIFY(!parser.hasFailed());
    QVERIFY(parser.errorString().isEmpty());
    outputs.clear();
    QVERIFY(parser.feed("data: e\n\n"_ba));
    QCOMPARE(outputs, Outputs{evId("e"_ba, "1"_ba)});
    QCOMPARE(parser.maxEventBytes(), 64); // kept

    // After finish() too.
    parser.feed("data: f\n"_ba);
    parser.finish();
    QVERIFY(parser.endedMidEvent());
    parser.reset();
    QVERIFY(!parser.endedMidEvent());
    outputs.clear();
    parser.feed("\n"_ba);
    parser.finish();
    QCOMPARE(outputs, Outputs{});
    QVERIFY(!parser.endedMidEvent());
}

void tst_SseParser::resetFromHandler()
{
    // A handler that resets the parser (say, on [DONE]) drops the rest of the chunk.
    Outputs outputs;
    SseParser parser;
    parser.setEventHandler([&](const SseEvent &e) {
        outputs.append(ev(e.data, e.type, e.lastEventId));
        if (e.data == "[DONE]"_ba)
            parser.reset();
    });
    QVERIFY(parser.feed("data: a\n\ndata: [DONE]\n\ndata: late\n\n"_ba));
    QCOMPARE(outputs, (Outputs{ev("a"_ba), ev("[DONE]"_ba)}));
    QVERIFY(parser.feed("data: next\n\n"_ba));
    QCOMPARE(outputs, (Outputs{ev("a"_ba), ev("[DONE]"_ba), ev("next"_ba)}));
}

void tst_SseParser::finishFromHandler()
{
    Outputs outputs;
    SseParser parser;
    parser.setEventHandler([&](const SseEvent &e) {
        outputs.append(ev(e.data, e.type, e.lastEventId));
        parser.finish();
    });
    parser.feed("data: a\n\ndata: b\n\n"_ba);
    QCOMPARE(outputs, Outputs{ev("a"_ba)});
    QVERIFY(!parser.endedMidEvent());
}

void tst_SseParser::withoutHandlers()
{
    SseParser parser;
    QVERIFY(parser.feed("retry: 5\nid: 3\ndata: a\n\n"_ba));
    parser.finish();
    QCOMPARE(parser.eventsDispatched(), 1);
    QCOMPARE(parser.lastEventId(), "3"_ba);
}

void tst_SseParser::counters()
{
    SseParser parser;
    const QByteArray input = "\xEF\xBB\xBF"
                             "data: a\n\n: x\n\ndata: b\n\n"_ba;
    for (const char c : input)
        parser.feed(QByteArrayView(&c, 1));
    QCOMPARE(parser.bytesFed(), input.size()); // the BOM counts: these are bytes on the wire
    QCOMPARE(parser.eventsDispatched(), 2);
}

QTEST_GUILESS_MAIN(tst_SseParser)
#include "tst_sseparser.moc"
