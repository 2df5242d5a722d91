// Tests for Utf8::isValid and Utf8::sanitized: well-formed UTF-8 as Unicode
// defines it (no overlongs, no surrogates, nothing above U+10FFFF), and
// replacement of each maximal ill-formed subpart by one U+FFFD, as the WHATWG
// UTF-8 decoder does.

#include "sse/utf8.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QByteArray fffd = "\xEF\xBF\xBD"_ba;

QByteArray fffds(int n)
{
    return fffd.repeated(n);
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (const int v : values)
        out += char(v);
    return out;
}

// A straightforward decoder, written differently from the one under test:
// decode the code point, then check its range. Returns the length of the
// well-formed sequence at `i`, or 0.
int referenceSequenceLength(const QByteArray &s, qsizetype i)
{
    const auto b = [&](qsizetype k) { return uint(uchar(s.at(k))); };
    const uint c = b(i);
    int length;
    uint cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        length = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        length = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        length = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + length > s.size())
        return 0;
    for (int k = 1; k < length; ++k) {
        if ((b(i + k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    static const uint minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return length;
}

bool referenceIsValid(const QByteArray &s)
{
    for (qsizetype i = 0; i < s.size();) {
        const int n = referenceSequenceLength(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

// Replaces each maximal subpart with U+FFFD: the longest run at `i` that
// still begins some well-formed sequence (found by completing it with 0x80
// bytes, since only the second byte has a narrowed range), at least one byte.
QByteArray referenceSanitized(const QByteArray &s)
{
    QByteArray out;
    for (qsizetype i = 0; i < s.size();) {
        if (const int n = referenceSequenceLength(s, i)) {
            out += s.mid(i, n);
            i += n;
            continue;
        }
        const auto lead = uchar(s.at(i));
        const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        qsizetype subpart = 1;
        for (qsizetype m = std::min<qsizetype>(length - 1, s.size() - i); m > 1; --m) {
            const QByteArray completed = s.mid(i, m) + QByteArray(length - m, '\x80');
            if (referenceSequenceLength(completed, 0) == length) {
                subpart = m;
                break;
            }
        }
        out += fffd;
        i += subpart;
    }
    return out;
}

} // namespace

class tst_Utf8 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isValid_data();
    void isValid();
    void asciiFastPath_data();
    void asciiFastPath();
    void sanitized_data();
    void sanitized();
    void sanitizedStopsAtTheEnd();
    void sanitizedKeepsValidInputShared();
    void exhaustiveShortSequences();
    void randomBytes();
};

void tst_Utf8::isValid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << "hello, world"_ba << true;
    QTest::newRow("NUL") << "a\0b"_ba << true;
    QTest::newRow("DEL") << "\x7F"_ba << true;

    // Two bytes
    QTest::newRow("U+0080, smallest 2-byte") << "\xC2\x80"_ba << true;
    QTest::newRow("U+07FF, largest 2-byte") << "\xDF\xBF"_ba << true;
    QTest::newRow("overlong U+0000 (C0 80)") << "\xC0\x80"_ba << false;
    QTest::newRow("overlong '/' (C0 AF)") << "\xC0\xAF"_ba << false;
    QTest::newRow("overlong U+007F (C1 BF)") << "\xC1\xBF"_ba << false;
    QTest::newRow("2-byte lead then ASCII") << "\xC2"
                                               "A"_ba
                                            << false;

    // Three bytes
    QTest::newRow("U+0800, smallest 3-byte") << "\xE0\xA0\x80"_ba << true;
    QTest::newRow("overlong U+07FF (E0 9F BF)") << "\xE0\x9F\xBF"_ba << false;
    QTest::newRow("overlong U+0000 (E0 80 80)") << "\xE0\x80\x80"_ba << false;
    QTest::newRow("U+D7FF, before the surrogates") << "\xED\x9F\xBF"_ba << true;
    QTest::newRow("U+D800, high surrogate") << "\xED\xA0\x80"_ba << false;
    QTest::newRow("U+DBFF") << "\xED\xAF\xBF"_ba << false;
    QTest::newRow("U+DC00, low surrogate") << "\xED\xB0\x80"_ba << false;
    QTest::newRow("U+DFFF, last surrogate") << "\xED\xBF\xBF"_ba << false;
    QTest::newRow("surrogate pair (CESU-8)") << "\xED\xA0\xBD\xED\xB8\x80"_ba << false;
    QTest::newRow("U+E000, after the surrogates") << "\xEE\x80\x80"_ba << true;
    QTest::newRow("U+FEFF, BOM") << "\xEF\xBB\xBF"_ba << true;
    QTest::newRow("U+FFFD") << "\xEF\xBF\xBD"_ba << true;
    QTest::newRow("U+FFFE, noncharacter") << "\xEF\xBF\xBE"_ba << true;
    QTest::newRow("U+FFFF, largest 3-byte") << "\xEF\xBF\xBF"_ba << true;
    QTest::newRow("Chinese") << "\xE4\xBD\xA0\xE5\xA5\xBD"_ba << true;

    // Four bytes
    QTest::newRow("U+10000, smallest 4-byte") << "\xF0\x90\x80\x80"_ba << true;
    QTest::newRow("emoji") << "\xF0\x9F\x98\x80"_ba << true;
    QTest::newRow("overlong U+FFFF (F0 8F BF BF)") << "\xF0\x8F\xBF\xBF"_ba << false;
    QTest::newRow("overlong U+0000 (F0 80 80 80)") << "\xF0\x80\x80\x80"_ba << false;
    QTest::newRow("U+10FFFF, largest") << "\xF4\x8F\xBF\xBF"_ba << true;
    QTest::newRow("U+110000, too large") << "\xF4\x90\x80\x80"_ba << false;
    QTest::newRow("F5 lead") << "\xF5\x80\x80\x80"_ba << false;
    QTest::newRow("F7 BF BF BF (U+1FFFFF)") << "\xF7\xBF\xBF\xBF"_ba << false;
    QTest::newRow("5-byte form") << "\xF8\x88\x80\x80\x80"_ba << false;
    QTest::newRow("6-byte form") << "\xFC\x84\x80\x80\x80\x80"_ba << false;
    QTest::newRow("FE") << "\xFE"_ba << false;
    QTest::newRow("FF") << "\xFF"_ba << false;

    // Truncated and stray
    QTest::newRow("lone continuation 80") << "\x80"_ba << false;
    QTest::newRow("lone continuation BF") << "\xBF"_ba << false;
    QTest::newRow("truncated 2-byte at the end") << "a\xC3"_ba << false;
    QTest::newRow("truncated 3-byte at the end") << "a\xE2\x82"_ba << false;
    QTest::newRow("truncated 4-byte at the end") << "a\xF0\x9F\x98"_ba << false;
    QTest::newRow("truncated 4-byte before ASCII") << "\xF0\x9F\x98"
                                                      "a"_ba
                                                   << false;
    QTest::newRow("extra continuation") << "\xC3\xA9\xA9"_ba << false;
    QTest::newRow("valid, then invalid far away") << "\xE4\xBD\xA0"_ba + QByteArray(40, 'a') + "\xFF"_ba << false;
}

void tst_Utf8::isValid()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);
    QCOMPARE(Utf8::isValid(input), valid);
    QCOMPARE(referenceIsValid(input), valid); // the table itself is right
    QCOMPARE(Utf8::sanitized(input) == input, valid);
}

void tst_Utf8::asciiFastPath_data()
{
    // isValid() checks eight ASCII bytes at a time: put the one non-ASCII
    // byte (or sequence) at every offset around the word boundaries.
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("valid");
    for (int length = 0; length <= 25; ++length)
        QTest::addRow("ASCII, %d bytes", length) << QByteArray(length, 'a') << true;
    for (int length = 1; length <= 25; ++length) {
        for (int at = 0; at < length; ++at) {
            QByteArray bad(length, 'a');
            bad[at] = '\x80';
            QTest::addRow("%d bytes, stray 80 at %d", length, at) << bad << false;
            QByteArray high(length, 'a');
            high[at] = '\x7F';
            QTest::addRow("%d bytes, 7F at %d", length, at) << high << true;
        }
        if (length >= 2) {
            for (int at = 0; at + 2 <= length; ++at) {
                QByteArray good(length, 'a');
                good[at] = '\xC3';
                good[at + 1] = '\xA9';
                QTest::addRow("%d bytes, e-acute at %d", length, at) << good << true;
            }
            QByteArray cut(length, 'a');
            cut[length - 1] = '\xC3';
            QTest::addRow("%d bytes, truncated 2-byte at the end", length) << cut << false;
            cut[length - 1] = '\xF0';
            QTest::addRow("%d bytes, 4-byte lead at the end", length) << cut << false;
            if (length >= 3) {
                cut[length - 2] = '\xE2';
                cut[length - 1] = '\x82';
                QTest::addRow("%d bytes, truncated 3-byte at the end", length) << cut << false;
            }
        }
    }
}

void tst_Utf8::asciiFastPath()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);
    QCOMPARE(Utf8::isValid(input), valid);
    // A view into the middle of a buffer must not read past its end (the
    // bytes after it would complete a truncated sequence).
    const QByteArray padded = "\x80"_ba + input + "\x80\x80\x80\x80\x80\x80\x80\x80"_ba;
    QCOMPARE(Utf8::isValid(QByteArrayView(padded).sliced(1, input.size())), valid);
    // An exact-size heap block, so that AddressSanitizer builds catch an over-read.
    const std::unique_ptr<char[]> exact(new char[size_t(input.size())]);
    std::copy(input.cbegin(), input.cend(), exact.get());
    QCOMPARE(Utf8::isValid(QByteArrayView(exact.get(), input.size())), valid);
}

void tst_Utf8::sanitized_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("valid unchanged") << "a\xC3\xA9\xE4\xBD\xA0\xF0\x9F\x98\x80"_ba
                                     << "a\xC3\xA9\xE4\xBD\xA0\xF0\x9F\x98\x80"_ba;
    QTest::newRow("NUL unchanged") << "\0"_ba << "\0"_ba;
    QTest::newRow("FF") << "a\xFF"
                           "b"_ba
                        << "a"_ba + fffd + "b"_ba;
    QTest::newRow("FE FF: one each") << "\xFE\xFF"_ba << fffds(2);
    QTest::newRow("lone continuations: one each") << "\x80\xBF\x80"_ba << fffds(3);
    QTest::newRow("truncated 2-byte") << "\xC3"_ba << fffd;
    QTest::newRow("truncated 3-byte: one for both bytes") << "\xE2\x82"_ba << fffd;
    QTest::newRow("truncated 4-byte: one for all three") << "\xF0\x9F\x98"_ba << fffd;
    QTest::newRow("truncated 4-byte then ASCII") << "\xF0\x9F\x98"
                                                    "a"_ba
                                                 << fffd + "a"_ba;
    QTest::newRow("truncated 3-byte then a valid character") << "\xE2\x82\xC3\xA9"_ba << fffd + "\xC3\xA9"_ba;
    QTest::newRow("two truncated sequences") << "\xE2\x82\xE2\x82"_ba << fffds(2);
    QTest::newRow("overlong 2-byte: one per byte") << "\xC0\xAF"_ba << fffds(2);
    QTest::newRow("overlong 3-byte: one per byte") << "\xE0\x80\xAF"_ba << fffds(3);
    QTest::newRow("overlong 4-byte: one per byte") << "\xF0\x80\x80\xAF"_ba << fffds(4);
    QTest::newRow("surrogate: one per byte") << "\xED\xA0\x80"_ba << fffds(3);
    QTest::newRow("above U+10FFFF: one per byte") << "\xF4\x90\x80\x80"_ba << fffds(4);
    QTest::newRow("F5 lead: one per byte") << "\xF5\x80\x80\x80"_ba << fffds(4);
    QTest::newRow("5-byte form: one per byte") << "\xF8\x88\x80\x80\x80"_ba << fffds(5);
    QTest::newRow("E0 A0 prefix then bad byte") << "\xE0\xA0"
                                                   "a"_ba
                                                << fffd + "a"_ba;
    QTest::newRow("F4 8F prefix then F4 8F BF BF") << "\xF4\x8F\xF4\x8F\xBF\xBF"_ba
                                                   << fffd + "\xF4\x8F\xBF\xBF"_ba;
    // Unicode 15, table 3-8 ("U+FFFD for maximal subparts").
    QTest::newRow("Unicode table 3-8") << "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"_ba
                                       << "a"_ba + fffds(3) + "b"_ba + fffd + "c"_ba + fffds(2) + "d"_ba;
    QTest::newRow("invalid after 8 ASCII bytes") << "abcdefgh\xFF"_ba << "abcdefgh"_ba + fffd;
}

void tst_Utf8::sanitized()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QByteArray result = Utf8::sanitized(input);
    QCOMPARE(result, expected);
    QVERIFY(Utf8::isValid(result));
    QCOMPARE(referenceSanitized(input), expected); // the table itself is right
    // Note: QString::fromUtf8() (Qt 6.4) does not follow the maximal-subpart
    // rule (it gives "\xE2\x82" two U+FFFD), so it is no reference here.
}

void tst_Utf8::sanitizedStopsAtTheEnd()
{
    // Raw data followed by continuation bytes: a truncated sequence at the
    // end must not be completed by what lies beyond.
    static const char buffer[] = "ok\xF0\x9F\x98\x80\x80\x80";
    for (qsizetype length = 2; length <= 5; ++length) {
        const QByteArray raw = QByteArray::fromRawData(buffer, length);
        QCOMPARE(Utf8::sanitized(raw), length == 2 ? "ok"_ba : "ok"_ba + fffd);
    }
}

void tst_Utf8::sanitizedKeepsValidInputShared()
{
    const QByteArray valid = "plain ASCII and \xE2\x80\xA6"_ba + QByteArray(1000, 'x');
    const QByteArray result = Utf8::sanitized(valid);
    QVERIFY(result.isSharedWith(valid)); // no copy on the common path
}

void tst_Utf8::exhaustiveShortSequences()
{
    // Every 1- and 2-byte string, and every 3-byte string with a non-ASCII
    // lead, against the reference decoder; also at an offset past 8 bytes.
    int checked = 0;
    QByteArray s;
    auto check = [&] {
        const bool expected = referenceIsValid(s);
        if (Utf8::isValid(s) != expected)
            QFAIL(qPrintable(u"isValid(%1) should be %2"_s.arg(QString::fromLatin1(s.toHex(' ')),
                                                              expected ? u"true"_s : u"false"_s)));
        const QByteArray longer = "12345678"_ba + s;
        if (Utf8::isValid(longer) != expected)
            QFAIL(qPrintable(u"isValid(12345678 + %1) wrong"_s.arg(QString::fromLatin1(s.toHex(' ')))));
        if (!expected && Utf8::sanitized(s) != referenceSanitized(s))
            QFAIL(qPrintable(u"sanitized(%1) wrong"_s.arg(QString::fromLatin1(s.toHex(' ')))));
        ++checked;
    };
    for (int a = 0; a < 256; ++a) {
        s = QByteArray(1, char(a));
        check();
        if (QTest::currentTestFailed())
            return;
        for (int b = 0; b < 256; ++b) {
            s = bytes({a, b});
            check();
            if (QTest::currentTestFailed())
                return;
            if (a < 0xC0)
                continue;
            for (int c = 0; c < 256; ++c) {
                s = bytes({a, b, c});
                check();
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }
    // Every 4-byte string with a 4-byte lead and continuation bytes in range.
    for (int a = 0xF0; a <= 0xF7; ++a) {
        for (int b = 0x80; b <= 0xBF; ++b) {
            for (int c : {0x80, 0xBF}) {
                for (int d : {0x7F, 0x80, 0xBF, 0xC0}) {
                    s = bytes({a, b, c, d});
                    check();
                    if (QTest::currentTestFailed())
                        return;
                }
            }
        }
    }
    QVERIFY(checked > 4'000'000);
}

void tst_Utf8::randomBytes()
{
    // Random garbage, weighted towards UTF-8-ish bytes: sanitized() is always
    // valid, keeps valid input as is, and agrees with the reference.
    QRandomGenerator rng(20240607);
    const QByteArray alphabet =
        "a\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC1\xC2\xDF\xE0\xE1\xED\xEE\xEF\xF0\xF1\xF4\xF5\xFF"_ba;
    for (int round = 0; round < 20000; ++round) {
        QByteArray s(rng.bounded(1, 24), Qt::Uninitialized);
        for (char &c : s)
            c = alphabet.at(rng.bounded(int(alphabet.size())));
        const QByteArray result = Utf8::sanitized(s);
        QVERIFY(Utf8::isValid(result));
        QCOMPARE(Utf8::isValid(s), referenceIsValid(s));
        if (Utf8::isValid(s))
            QCOMPARE(result, s);
        QCOMPARE(result, referenceSanitized(s));
    }
}

QTEST_GUILESS_MAIN(tst_Utf8)
#include "tst_utf8.moc"
