#include "api/jsonreader.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

bool qtAccepts(const QByteArray &json)
{
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError;
}

// The documented model of where JsonReader and QJsonDocument may disagree
// (see jsonreader.h): returns an empty string when they agree or the
// disagreement is one of the known ones, else a description.
QString unexplainedDisagreement(const QByteArray &json)
{
    JsonReader reader(json);
    reader.skipValue();
    const bool readerValid = reader.atEnd();
    const bool qtValid = qtAccepts(json);
    if (readerValid == qtValid)
        return QString();
    if (readerValid) {
        const JsonReader::Type top = JsonReader(json).peek();
        if (top != JsonReader::Type::Object && top != JsonReader::Type::Array)
            return QString(); // Qt takes only objects and arrays at the top
        return u"reader accepts, Qt rejects: "_s + QString::fromUtf8(json.toPercentEncoding());
    }
    switch (reader.error()) {
    case JsonReader::Error::ControlCharacter:
    case JsonReader::Error::InvalidEscape:
    case JsonReader::Error::InvalidNumber:
        return QString(); // Qt is lenient there
    default:
        return u"Qt accepts, reader rejects (%1): %2"_s.arg(reader.errorString(),
                                                          QString::fromUtf8(json.toPercentEncoding()));
    }
}

QByteArray nested(int depth, char open, char close)
{
    return QByteArray(depth, open) + QByteArray(depth, close);
}

QByteArray nestedObjects(int depth)
{
    QByteArray json;
    for (int i = 0; i < depth - 1; ++i)
        json += "{\"a\":";
    json += "{}";
    json += QByteArray(depth - 1, '}');
    return json;
}

} // namespace

// JsonReader: strict RFC 8259 validity, reading values, and the documented
// agreement with QJsonDocument.
class tst_JsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validity_data();
    void validity();
    void differential_data();
    void differential();
    void differentialTruncated();
    void differentialMutated();

    void readString_data();
    void readString();
    void readNumbers_data();
    void readNumbers();
    void readLiterals();
    void typeMismatchConsumesNothing();
    void walkObject();
    void nextMemberOf();
    void escapedMemberNames();
    void skipValueRaw();
    void depthLimitPullApi();
    void errorsAreSticky();
    void errorOffset();
    void resumeAtPosition();
    void misuseIsAnError();
};

void tst_JsonReader::validity_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    // Qt is lenient there, or strict where RFC 8259 is not (a known difference).
    QTest::addColumn<bool>("qtDiffers");

    auto row = [](const char *name, const QByteArray &json, bool valid, bool qtDiffers = false) {
        QTest::newRow(name) << json << valid << qtDiffers;
    };

    // Structure
    row("empty object", "{}", true);
    row("empty array", "[]", true);
    row("object with members", R"({"a":1,"b":"x","c":null,"d":true,"e":false,"f":[],"g":{}})", true);
    row("nested arrays", "[[[]],[[],[1,[2]]]]", true);
    row("duplicate keys", R"({"a":1,"a":2})", true);
    row("whitespace everywhere", " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n", true);
    row("empty input", "", false);
    row("whitespace only", " \n\t ", false);
    row("unclosed object", R"({"a":1)", false);
    row("unclosed array", "[1,2", false);
    row("trailing comma in object", R"({"a":1,})", false);
    row("trailing comma in array", "[1,]", false);
    row("leading comma", "[,1]", false);
    row("missing comma", "[1 2]", false);
    row("missing colon", R"({"a" 1})", false);
    row("missing value", R"({"a":})", false);
    row("number as key", "{1:2}", false);
    row("single-quoted key", "{'a':1}", false);
    row("single-quoted string", "['a']", false);
    row("mismatched brackets", "[}", false);
    row("mismatched braces", "{]", false);
    row("extra closing bracket", "[]]", false);
    row("trailing garbage", "{} x", false);
    row("two documents", "{}{}", false);
    row("trailing NUL", QByteArray("[1]\0", 4), false);
    row("comment", "[1 /* no */]", false);
    row("form feed is not whitespace", "[\f1]", false);
    row("vertical tab is not whitespace", "[\v1]", false);
    row("non-breaking space is not whitespace", "[\xC2\xA0" "1]", false);
    row("byte order mark is ignored", "\xEF\xBB\xBF{\"a\":1}", true);
    row("byte order mark alone", "\xEF\xBB\xBF", false);

    // Top-level scalars: RFC 8259 allows them, QJsonDocument does not.
    row("top-level string", R"("abc")", true, true);
    row("top-level number", " 12 ", true, true);
    row("top-level null", "null", true, true);
    row("top-level true", "true", true, true);
    row("top-level truncated literal", "tru", false);
    row("top-level literal with garbage", "truex", false);
    row("top-level number with garbage", "12x", false);

    // Literals
    row("literals", "[true,false,null]", true);
    row("capitalised literal", "[True]", false);
    row("truncated literal", "[nul]", false);
    row("literal with suffix", "[nullx]", false);
    row("NaN", "[NaN]", false);
    row("Infinity", "[Infinity]", false);
    row("negative Infinity", "[-Infinity]", false);
    row("undefined", "[undefined]", false);

    // Numbers
    row("integers", "[0,-0,1,-1,123456789]", true);
    row("fractions and exponents", "[0.5,-1.25,1e5,1E+5,1e-5,-0.0e-0,1.5E10]", true);
    row("exponent with leading zeros", "[1e05]", true);
    row("leading zero", "[01]", false);
    row("negative leading zero", "[-01]", false);
    row("double zero", "[00]", false);
    row("plus sign", "[+1]", false);
    row("lone minus", "[-]", false);
    row("hex", "[0x10]", false);
    row("two points", "[1.5.3]", false);
    row("empty exponent", "[1e]", false);
    row("exponent sign only", "[1e+]", false);
    row("point without fraction digits", "[1.]", false, true);
    row("point then exponent", "[1.e5]", false, true);
    row("fraction without integer digits", "[.5]", false, true);
    row("negative fraction without integer digits", "[-.5]", false, true);
    row("big integer (as double)", "[123456789012345678901234567890]", true);
    row("int64 max", "[9223372036854775807]", true);
    row("int64 min", "[-9223372036854775808]", true);
    row("largest double", "[1.7976931348623157e308]", true);
    row("double overflow", "[1e400]", false);
    row("negative double overflow", "[-1e400]", false);
    row("just above the largest double", "[1.7976931348623159e308]", false);
    row("underflow to zero", "[1e-400]", false);
    row("zero with a huge exponent", "[0e999999999999]", true);
    row("subnormal", "[4.9e-324]", true);
    row("400-digit integer", "[1" + QByteArray(400, '0') + "]", false);
    row("long fraction", "[0." + QByteArray(400, '1') + "]", true);

    // Strings
    row("plain strings", R"(["","a","abc def"])", true);
    row("all simple escapes", R"(["\" \\ \/ \b \f \n \r \t"])", true);
    row("unicode escape", R"(["\u00e9\u4F60"])", true);
    row("surrogate pair escape", R"(["\ud83d\ude00"])", true);
    row("lone high surrogate escape", R"(["\ud800"])", true);
    row("lone low surrogate escape", R"(["\udc00"])", true);
    row("reversed surrogate escapes", R"(["\udc00\ud800"])", true);
    row("escaped NUL", R"(["\u0000"])", true);
    row("raw UTF-8", "[\"h\xC3\xA9llo \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80\"]", true);
    row("DEL is allowed raw", "[\"\x7F\"]", true);
    row("noncharacter U+FFFF", "[\"\xEF\xBF\xBF\"]", true);
    row("largest code point", "[\"\xF4\x8F\xBF\xBF\"]", true);
    row("unknown escape", R"(["\q"])", false, true);
    row("capital U escape", R"(["\U0041"])", false, true);
    row("escaped single quote", R"(["\'"])", false, true);
    row("short unicode escape", R"(["\u00"])", false);
    row("bad hex digit", R"(["\u12G4"])", false);
    row("backslash at the end", "[\"\\", false);
    row("escaped quote at the end", R"(["\"])", false);
    row("unterminated string", R"(["abc)", false);
    row("raw tab in string", "[\"a\tb\"]", false, true);
    row("raw newline in string", "[\"a\nb\"]", false, true);
    row("raw control character", "[\"a\x01" "b\"]", false, true);
    row("raw NUL in string", QByteArray("[\"a\0b\"]", 7), false, true);
    row("invalid UTF-8 byte", "[\"\xFF\"]", false);
    row("lone continuation byte", "[\"\x80\"]", false);
    row("truncated 2-byte sequence", "[\"\xC3\"]", false);
    row("truncated 3-byte sequence", "[\"\xE4\xBD\"]", false);
    row("overlong NUL", "[\"\xC0\x80\"]", false);
    row("overlong 3-byte", "[\"\xE0\x9F\xBF\"]", false);
    row("overlong 4-byte", "[\"\xF0\x8F\xBF\xBF\"]", false);
    row("encoded surrogate", "[\"\xED\xA0\x80\"]", false);
    row("above U+10FFFF", "[\"\xF4\x90\x80\x80\"]", false);
    row("5-byte lead", "[\"\xF8\x88\x80\x80\x80\"]", false);
    row("escape then raw UTF-8", "[\"\\\xC3\xA9\"]", false);
    row("long string with escape near the end",
        "[\"" + QByteArray(100, 'x') + "\\n" + QByteArray(3, 'y') + "\"]", true);
    row("long string with control character near the end",
        "[\"" + QByteArray(100, 'x') + "\x1F\"]", false, true);
    row("string that ends the input early", "[\"" + QByteArray(40, 'x'), false);

    // Depth: 1024 nested containers are fine (as in QJsonDocument), 1025 are not.
    row("1024 nested arrays", nested(1024, '[', ']'), true);
    row("1025 nested arrays", nested(1025, '[', ']'), false);
    row("1024 nested objects", nestedObjects(1024), true);
    row("1025 nested objects", nestedObjects(1025), false);
    row("100000 open brackets", QByteArray(100000, '['), false);
    row("deep and unclosed", QByteArray(500, '[') + "1", false);
}

void tst_JsonReader::validity()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);

    QCOMPARE(JsonReader::isValid(json), valid);
    JsonReader reader(json);
    reader.skipValue();
    QCOMPARE(reader.atEnd(), valid);
    QCOMPARE(reader.hasError(), !valid);
    if (!valid) {
        QVERIFY(!reader.errorString().isEmpty());
        QVERIFY(reader.errorOffset() >= 0 && reader.errorOffset() <= json.size());
    }
}

void tst_JsonReader::differential_data()
{
    validity_data();
}

void tst_JsonReader::differential()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QFETCH(bool, qtDiffers);

    QCOMPARE(qtAccepts(json), valid != qtDiffers);
    QCOMPARE(unexplainedDisagreement(json), QString());
}

void tst_JsonReader::differentialTruncated()
{
    // Every prefix of some documents: the two agree (or differ as documented).
    const QList<QByteArray> samples = {
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hi \u00e9\n"},"finish_reason":null}],"usage":null})",
        R"({"a":[1,-2.5e3,true,false,null,{"b":"\ud83d\ude00"}],"c":{}})",
        "[\"\xE4\xBD\xA0\xE5\xA5\xBD\",0.125,{\"k\":[[],{}]}]",
    };
    for (const QByteArray &json : samples) {
        for (qsizetype n = 0; n <= json.size(); ++n) {
            const QByteArray prefix = json.first(n);
            QCOMPARE(unexplainedDisagreement(prefix), QString());
        }
    }
}

void tst_JsonReader::differentialMutated()
{
    // A small, deterministic mutation run (the real fuzzer runs much longer).
    const QList<QByteArray> seeds = {
        R"({"id":"x","choices":[{"index":0,"delta":{"content":"a\"b\\c\u0041"},"finish_reason":null}]})",
        R"([0,-1,2.5,1e10,-0.0,true,false,null,"s",[],{}])",
        "{\"t\":\"\xE2\x82\xAC \xF0\x9F\x98\x80\",\"n\":[1,[2,[3]]]}",
    };
    const QByteArray alphabet = "{}[]:,\"\\/-+.0123456789eEtrufalsn \t\n\x01\x80\xC3\xED\xF4";
    QRandomGenerator random(20240611);
    for (int round = 0; round < 20000; ++round) {
        QByteArray json = seeds.at(random.bounded(int(seeds.size())));
        const int edits = 1 + random.bounded(3);
        for (int e = 0; e < edits; ++e) {
            const int at = random.bounded(int(json.size()) + 1);
            const char c = alphabet.at(random.bounded(int(alphabet.size())));
            switch (random.bounded(3)) {
            case 0:
                json.insert(at, c);
                break;
            case 1:
                if (at < json.size())
                    json.remove(at, 1);
                break;
            default:
                if (at < json.size())
                    json[at] = c;
                break;
            }
        }
        const QString problem = unexplainedDisagreement(json);
        if (!problem.isEmpty())
            QFAIL(qPrintable(problem));
    }
}

void tst_JsonReader::readString_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::newRow("ASCII") << QByteArray(R"("hello")") << u"hello"_s;
    QTest::newRow("empty") << QByteArray(R"("")") << QString();
    QTest::newRow("longer than a block") << QByteArray("\"" + QByteArray(70, 'z') + "\"")
                                         << QString(70, u'z');
    QTest::newRow("simple escapes") << QByteArray(R"("a\"b\\c\/d\be\ff\ng\rh\ti")")
                                    << u"a\"b\\c/d\be\ff\ng\rh\ti"_s;
    QTest::newRow("unicode escapes") << QByteArray(R"("\u4f60\u597D")") << u"你好"_s;
    QTest::newRow("surrogate pair escape") << QByteArray(R"("\ud83d\ude00!")") << u"😀!"_s;
    QTest::newRow("lone high surrogate") << QByteArray(R"("a\ud83db")") << u"a\uFFFDb"_s;
    QTest::newRow("lone low surrogate") << QByteArray(R"("a\ude00b")") << u"a\uFFFDb"_s;
    QTest::newRow("high surrogate then non-surrogate escape")
            << QByteArray(R"("\ud83d\u0041")") << u"\uFFFDA"_s;
    QTest::newRow("two high surrogates then a low one")
            << QByteArray(R"("\ud83d\ud83d\ude00")") << u"\uFFFD😀"_s;
    QTest::newRow("high surrogate at the end") << QByteArray(R"("\ud83d")") << u"\uFFFD"_s;
    QTest::newRow("escaped NUL") << QByteArray(R"("a\u0000b")") << QString(u"a\0b"_s);
    QTest::newRow("raw UTF-8") << QByteArray("\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80 caf\xC3\xA9\"")
                               << u"你好 😀 café"_s;
    QTest::newRow("raw UTF-8 with escapes")
            << QByteArray("\"\xE4\xBD\xA0\\n\xF0\x9F\x98\x80\\t\xC3\xA9\\u00e9\"") << u"你\n😀\té\u00e9"_s;
    QTest::newRow("escape split over a block boundary")
            << QByteArray("\"" + QByteArray(15, 'x') + "\\n" + QByteArray(15, 'y') + "\"")
            << QString(QString(15, u'x') + u'\n' + QString(15, u'y'));
    QTest::newRow("with whitespace around") << QByteArray(" \n \"x\" \t") << u"x"_s;
}

void tst_JsonReader::readString()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    JsonReader reader(json);
    QString text = u"garbage"_s;
    QVERIFY(reader.readString(text));
    QCOMPARE(text, expected);
    QVERIFY(reader.atEnd());

    // The same inside an array, next to other values, and as a member name.
    const QByteArray inArray = "[1," + json + ",2]";
    JsonReader r2(inArray);
    QVERIFY(r2.beginArray());
    QVERIFY(r2.nextElement());
    QVERIFY(r2.skipValue());
    QVERIFY(r2.nextElement());
    QVERIFY(r2.readString(text));
    QCOMPARE(text, expected);
    QVERIFY(r2.nextElement());
    QVERIFY(r2.skipValue());
    QVERIFY(!r2.nextElement());
    QVERIFY(r2.atEnd());

    const QByteArray asKey = "{" + json + ":true}";
    JsonReader r3(asKey);
    QVERIFY(r3.beginObject());
    QByteArrayView key;
    QVERIFY(r3.nextMember(key));
    QCOMPARE(QString::fromUtf8(key), expected);
    bool b = false;
    QVERIFY(r3.readBool(b));
    QVERIFY(b);
    QVERIFY(!r3.nextMember(key));
    QVERIFY(r3.atEnd());
}

void tst_JsonReader::readNumbers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("asInt");
    QTest::addColumn<double>("asDouble");

    QTest::newRow("zero") << QByteArray("0") << qint64(0) << 0.0;
    QTest::newRow("negative zero") << QByteArray("-0") << qint64(0) << 0.0;
    QTest::newRow("small") << QByteArray("42") << qint64(42) << 42.0;
    QTest::newRow("negative") << QByteArray("-17") << qint64(-17) << -17.0;
    QTest::newRow("18 digits") << QByteArray("123456789012345678") << qint64(123456789012345678)
                               << 123456789012345678.0;
    QTest::newRow("int64 max") << QByteArray("9223372036854775807")
                               << std::numeric_limits<qint64>::max() << 9223372036854775807.0;
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808")
                               << std::numeric_limits<qint64>::min() << -9223372036854775808.0;
    QTest::newRow("above int64 saturates") << QByteArray("1e30")
                                           << std::numeric_limits<qint64>::max() << 1e30;
    QTest::newRow("below int64 saturates") << QByteArray("-1e30")
                                           << std::numeric_limits<qint64>::min() << -1e30;
    QTest::newRow("fraction truncates") << QByteArray("2.75") << qint64(2) << 2.75;
    QTest::newRow("negative fraction truncates") << QByteArray("-2.75") << qint64(-2) << -2.75;
    QTest::newRow("integral double") << QByteArray("12.0") << qint64(12) << 12.0;
    QTest::newRow("exponent") << QByteArray("1.5e3") << qint64(1500) << 1500.0;
    QTest::newRow("small exponent") << QByteArray("2.5E-3") << qint64(0) << 0.0025;
    QTest::newRow("cost") << QByteArray("0.0000368") << qint64(0) << 0.0000368;
}

void tst_JsonReader::readNumbers()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, asInt);
    QFETCH(double, asDouble);

    JsonReader r1(json);
    qint64 i = -99;
    QVERIFY(r1.readInt64(i));
    QCOMPARE(i, asInt);
    QVERIFY(r1.atEnd());

    JsonReader r2(json);
    double d = -99;
    QVERIFY(r2.readDouble(d));
    QCOMPARE(d, asDouble);
    QVERIFY(r2.atEnd());
}

void tst_JsonReader::readLiterals()
{
    JsonReader reader("[true, false ,null]");
    QVERIFY(reader.beginArray());
    bool b = false;
    QVERIFY(reader.nextElement());
    QCOMPARE(reader.peek(), JsonReader::Type::Bool);
    QVERIFY(reader.readBool(b));
    QVERIFY(b);
    QVERIFY(reader.nextElement());
    QVERIFY(reader.readBool(b));
    QVERIFY(!b);
    QVERIFY(reader.nextElement());
    QCOMPARE(reader.peek(), JsonReader::Type::Null);
    QVERIFY(reader.readNull());
    QVERIFY(!reader.nextElement());
    QVERIFY(reader.atEnd());
}

void tst_JsonReader::typeMismatchConsumesNothing()
{
    JsonReader reader(R"({"a":null,"b":"text","c":12})");
    QVERIFY(reader.beginObject());
    QByteArrayView key;
    QString s;
    qint64 n = 0;
    bool b = false;

    QVERIFY(reader.nextMember(key));
    QCOMPARE(key, "a");
    QVERIFY(!reader.readString(s));
    QVERIFY(!reader.readInt64(n));
    QVERIFY(!reader.readBool(b));
    QVERIFY(!reader.beginObject());
    QVERIFY(!reader.beginArray());
    QVERIFY(!reader.hasError());
    QVERIFY(reader.readNull());

    QVERIFY(reader.nextMember(key));
    QCOMPARE(key, "b");
    QVERIFY(!reader.readNull());
    double d = 0;
    QVERIFY(!reader.readDouble(d));
    QVERIFY(reader.readString(s));
    QCOMPARE(s, u"text"_s);

    QVERIFY(reader.nextMember(key));
    QCOMPARE(key, "c");
    QVERIFY(!reader.readString(s));
    QVERIFY(reader.readInt64(n));
    QCOMPARE(n, 12);
    QVERIFY(!reader.nextMember(key));
    QVERIFY(reader.atEnd());
}

void tst_JsonReader::walkObject()
{
    const QByteArray json = R"( { "name" : "x" , "list" : [ 1 , [ 2 ] , { } ] , "obj" : { "k" : [ ] } } )";
    JsonReader reader(json);
    QVERIFY(reader.beginObject());
    QCOMPARE(reader.depth(), 1);
    QByteArrayView key;
    QStringList seen;
    while (reader.nextMember(key)) {
        seen << QString::fromUtf8(key);
        if (key == "list") {
            QVERIFY(reader.beginArray());
            int count = 0;
            while (reader.nextElement()) {
                ++count;
                QVERIFY(reader.skipValue());
            }
            QCOMPARE(count, 3);
        } else {
            QVERIFY(reader.skipValue());
        }
    }
    QCOMPARE(seen, QStringList({u"name"_s, u"list"_s, u"obj"_s}));
    QCOMPARE(reader.depth(), 0);
    QVERIFY(reader.atEnd());

    // Empty containers.
    JsonReader empty("{}");
    QVERIFY(empty.beginObject());
    QVERIFY(!empty.nextMember(key));
    QVERIFY(empty.atEnd());
    JsonReader emptyArray("[ ]");
    QVERIFY(emptyArray.beginArray());
    QVERIFY(!emptyArray.nextElement());
    QVERIFY(emptyArray.atEnd());
}

void tst_JsonReader::nextMemberOf()
{
    static constexpr QByteArrayView names[] = {"content", "index", "x"};
    const QByteArray json =
            R"({"id":"abc","index":3,"skip":{"deep":[1,{"content":"no"}]},"n":null,"b":true,"f":-1.5e3,"content":"yes"})";
    JsonReader reader(json);
    QVERIFY(reader.beginObject());
    QCOMPARE(reader.nextMemberOf(names), 1);
    qint64 index = 0;
    QVERIFY(reader.readInt64(index));
    QCOMPARE(index, 3);
    QCOMPARE(reader.nextMemberOf(names), 0);
    QString content;
    QVERIFY(reader.readString(content));
    QCOMPARE(content, u"yes"_s);
    QCOMPARE(reader.nextMemberOf(names), -1);
    QVERIFY(reader.atEnd());

    // Errors in skipped members are still errors.
    for (const QByteArray &bad : {QByteArray(R"({"a":[1,}],"x":1})"), QByteArray(R"({"a":"\q","x":1})"),
                                  QByteArray(R"({"a":01,"x":1})"), QByteArray(R"({"a":nul,"x":1})"),
                                  QByteArray(R"({"a" 1,"x":1})"), QByteArray(R"({"a":1 "x":1})")}) {
        JsonReader r(bad);
        QVERIFY(r.beginObject());
        QCOMPARE(r.nextMemberOf(names), -1);
        QVERIFY2(r.hasError(), bad.constData());
        QVERIFY(!r.atEnd());
    }
}

void tst_JsonReader::escapedMemberNames()
{
    static constexpr QByteArrayView names[] = {"content"};
    JsonReader reader(R"({"\u0063ontent":"a","cont\u0065nt":"b"})");
    QVERIFY(reader.beginObject());
    QString s;
    QCOMPARE(reader.nextMemberOf(names), 0);
    QVERIFY(reader.readString(s));
    QCOMPARE(s, u"a"_s);
    QByteArrayView key;
    QVERIFY(reader.nextMember(key));
    QCOMPARE(key, "content");
    QVERIFY(reader.readString(s));
    QCOMPARE(s, u"b"_s);
    QVERIFY(!reader.nextMember(key));
    QVERIFY(reader.atEnd());

    JsonReader unicode(R"({"\u4f60\ud83d\ude00\ud800":1})");
    QVERIFY(unicode.beginObject());
    QVERIFY(unicode.nextMember(key));
    QCOMPARE(QString::fromUtf8(key), u"你😀\uFFFD"_s);
    QVERIFY(unicode.skipValue());
    QVERIFY(!unicode.nextMember(key));
    QVERIFY(unicode.atEnd());
}

void tst_JsonReader::skipValueRaw()
{
    JsonReader reader(R"({"args": {"a": [1, "}"]} , "b":2})");
    QVERIFY(reader.beginObject());
    QByteArrayView key;
    QVERIFY(reader.nextMember(key));
    QByteArrayView raw;
    QVERIFY(reader.skipValue(raw));
    QCOMPARE(raw, R"({"a": [1, "}"]})");
    QVERIFY(reader.nextMember(key));
    QVERIFY(reader.skipValue(raw));
    QCOMPARE(raw, "2");
    QVERIFY(!reader.nextMember(key));
    QVERIFY(reader.atEnd());
}

void tst_JsonReader::depthLimitPullApi()
{
    {
        const QByteArray json = nested(JsonReader::MaxDepth, '[', ']');
        JsonReader reader(json);
        for (int i = 0; i < JsonReader::MaxDepth; ++i) {
            QVERIFY(reader.beginArray());
            if (i + 1 < JsonReader::MaxDepth)
                QVERIFY(reader.nextElement());
        }
        for (int i = 0; i < JsonReader::MaxDepth; ++i)
            QVERIFY(!reader.nextElement());
        QVERIFY(reader.atEnd());
    }
    {
        const QByteArray json = nested(JsonReader::MaxDepth + 1, '[', ']');
        JsonReader reader(json);
        int opened = 0;
        while (reader.beginArray() && reader.nextElement())
            ++opened;
        QCOMPARE(opened, JsonReader::MaxDepth);
        QCOMPARE(reader.error(), JsonReader::Error::TooDeep);
    }
    {
        // Pull into some levels, then skip the rest: the limit counts both.
        const QByteArray json = nested(JsonReader::MaxDepth + 1, '[', ']');
        JsonReader reader(json);
        QVERIFY(reader.beginArray());
        QVERIFY(reader.nextElement());
        QVERIFY(!reader.skipValue());
        QCOMPARE(reader.error(), JsonReader::Error::TooDeep);
    }
}

void tst_JsonReader::errorsAreSticky()
{
    JsonReader reader(R"({"a":tru,"b":"x"})");
    QVERIFY(reader.beginObject());
    QByteArrayView key;
    QVERIFY(reader.nextMember(key));
    QVERIFY(!reader.skipValue());
    QCOMPARE(reader.error(), JsonReader::Error::InvalidLiteral);
    QVERIFY(!reader.nextMember(key));
    QString s;
    QVERIFY(!reader.readString(s));
    QCOMPARE(reader.peek(), JsonReader::Type::Invalid);
    QVERIFY(!reader.skipValue());
    QVERIFY(!reader.atEnd());
    QCOMPARE(reader.error(), JsonReader::Error::InvalidLiteral);
}

void tst_JsonReader::errorOffset()
{
    struct Case {
        QByteArray json;
        JsonReader::Error error;
        qsizetype offset;
    };
    const QList<Case> cases = {
        {"[1,]", JsonReader::Error::UnexpectedCharacter, 3},
        {"[1", JsonReader::Error::UnexpectedEnd, 2},
        {"{} x", JsonReader::Error::TrailingGarbage, 3},
        {"[\"a\x01\"]", JsonReader::Error::ControlCharacter, 3},
        {"[\"\\x\"]", JsonReader::Error::InvalidEscape, 2},
        {"[\"\xC3(\"]", JsonReader::Error::InvalidUtf8, 2},
        {"[01]", JsonReader::Error::InvalidNumber, 2},
        {"[1e999]", JsonReader::Error::NumberOutOfRange, 1},
        {"[nul]", JsonReader::Error::InvalidLiteral, 1},
    };
    for (const Case &c : cases) {
        JsonReader reader(c.json);
        reader.skipValue();
        QVERIFY(!reader.atEnd());
        QCOMPARE(reader.error(), c.error);
        QCOMPARE(reader.errorOffset(), c.offset);
    }
}

void tst_JsonReader::resumeAtPosition()
{
    const QByteArray first = R"({"id":"same","choices":[1],"n":1})";
    const QByteArray second = R"({"id":"same","choices":[2,3],"n":2})";
    JsonReader reader(first);
    QVERIFY(reader.beginObject());
    static constexpr QByteArrayView names[] = {"choices"};
    QCOMPARE(reader.nextMemberOf(names), 0);
    const JsonReader::Position position = reader.position();
    QCOMPARE(position.offset, first.indexOf('[') );
    QCOMPARE(position.depth, 1);

    JsonReader resumed(second, position);
    QVERIFY(resumed.beginArray());
    qint64 sum = 0;
    while (resumed.nextElement()) {
        qint64 v = 0;
        QVERIFY(resumed.readInt64(v));
        sum += v;
    }
    QCOMPARE(sum, 5);
    QCOMPARE(resumed.nextMemberOf(names), -1);
    QVERIFY(resumed.atEnd());

    // A position past the input is an error, not a crash.
    JsonReader bad("{}", position);
    QVERIFY(bad.hasError());
    QVERIFY(!bad.atEnd());
}

void tst_JsonReader::misuseIsAnError()
{
    QByteArrayView key;
    JsonReader arrayAsObject("[1]");
    QVERIFY(arrayAsObject.beginArray());
    QVERIFY(!arrayAsObject.nextMember(key));
    QVERIFY(arrayAsObject.hasError());

    JsonReader objectAsArray(R"({"a":1})");
    QVERIFY(objectAsArray.beginObject());
    QVERIFY(!objectAsArray.nextElement());
    QVERIFY(objectAsArray.hasError());

    JsonReader notInside("1");
    QVERIFY(!notInside.nextElement());
    QVERIFY(notInside.hasError());

    // Reading a second top-level value is trailing garbage.
    JsonReader twice("1 2");
    QVERIFY(twice.skipValue());
    QVERIFY(!twice.skipValue());
    QCOMPARE(twice.error(), JsonReader::Error::TrailingGarbage);
}

QTEST_GUILESS_MAIN(tst_JsonReader)
#include "tst_jsonreader.moc"
