// StreamMetrics and Pricing are pure: driven here with made-up clocks.
#include "metrics/pricing.h"
#include "metrics/streammetrics.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 ms = 1'000'000; // ns

StreamDelta text(const QString &content)
{
    StreamDelta d;
    d.content = content;
    return d;
}
} // namespace

class tst_StreamMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void beforeAnyToken();
    void ttftRateAndGaps();
    void usageWinsOverDeltaCount();
    void percentiles_data();
    void percentiles();
    void malformedRetriesAndBytes();
    void endFreezesElapsed();
    void rateSeries();
    void pricing_data();
    void pricing();
    void pricingText();
};

void tst_StreamMetrics::beforeAnyToken()
{
    StreamMetrics m;
    m.begin(1000 * ms);
    const auto s = m.snapshot(1250 * ms);
    QCOMPARE(s.ttftMs, -1.0);
    QCOMPARE(s.elapsedMs, 250.0);
    QCOMPARE(s.tokens, 0);
    QCOMPARE(s.tokenSourceName(), u"none"_s);
    QCOMPARE(s.gapP50Ms, -1.0);
    QCOMPARE(s.tokensPerSecond, 0.0);
    QVERIFY(!s.ended);
}

void tst_StreamMetrics::ttftRateAndGaps()
{
    StreamMetrics m;
    m.begin(0);
    m.addDelta(StreamDelta(), 100 * ms); // an empty delta (role only) is no token
    m.addDelta(text(u"a"_s), 300 * ms);
    for (int i = 1; i <= 10; ++i)
        m.addDelta(text(u"b"_s), (300 + 100 * i) * ms);
    m.end(1500 * ms);
    const auto s = m.snapshot(9999 * ms);
    QCOMPARE(s.ttftMs, 300.0);
    QCOMPARE(s.tokens, 11);
    QCOMPARE(s.tokenSource, StreamMetrics::TokenSource::Deltas);
    // 10 tokens after the first, over the 1 s from first to last token.
    QCOMPARE(s.tokensPerSecond, 10.0);
    QCOMPARE(s.gapP50Ms, 100.0);
    QCOMPARE(s.gapP99Ms, 100.0);
    QCOMPARE(s.elapsedMs, 1500.0);
}

void tst_StreamMetrics::usageWinsOverDeltaCount()
{
    StreamMetrics m;
    m.begin(0);
    m.addDelta(text(u"Hello"_s), 10 * ms);
    m.addDelta(text(u" world"_s), 20 * ms);
    StreamDelta usage;
    usage.usage = Usage{12, 40, 52, 7, -1};
    m.addDelta(usage, 30 * ms);
    const auto s = m.snapshot(30 * ms);
    QCOMPARE(s.tokens, 40);
    QCOMPARE(s.tokenSourceName(), u"usage"_s);
    QCOMPARE(s.promptTokens, 12);
    QCOMPARE(s.reasoningTokens, 7);
    QCOMPARE(s.deltas, 2);
}

void tst_StreamMetrics::percentiles_data()
{
    QTest::addColumn<QList<int>>("gapsMs");
    QTest::addColumn<double>("p50");
    QTest::addColumn<double>("p90");
    QTest::addColumn<double>("p99");
    QTest::newRow("one gap") << QList<int>{40} << 40.0 << 40.0 << 40.0;
    QTest::newRow("nearest rank, odd count") << QList<int>{10, 30, 20} << 20.0 << 30.0 << 30.0;
    QTest::newRow("one stall in a hundred") << [] {
        QList<int> g(99, 10);
        g.append(900);
        return g;
    }() << 10.0 << 10.0 << 10.0;
    QTest::newRow("two stalls in a hundred") << [] {
        QList<int> g(98, 10);
        g << 900 << 700;
        return g;
    }() << 10.0 << 10.0 << 700.0;
}

void tst_StreamMetrics::percentiles()
{
    QFETCH(QList<int>, gapsMs);
    StreamMetrics m;
    m.begin(0);
    qint64 t = 5 * ms;
    m.addDelta(text(u"x"_s), t);
    for (int gap : gapsMs) {
        t += gap * ms;
        m.addDelta(text(u"x"_s), t);
    }
    const auto s = m.snapshot(t);
    QTEST(s.gapP50Ms, "p50");
    QTEST(s.gapP90Ms, "p90");
    QTEST(s.gapP99Ms, "p99");
    QCOMPARE(m.gaps().size(), gapsMs.size());
}

void tst_StreamMetrics::malformedRetriesAndBytes()
{
    StreamMetrics m;
    m.begin(0);
    m.addRetry();
    m.addRetry();
    m.addBytes(100, 1);
    m.addBytes(23, 2);
    StreamDelta bad;
    bad.malformed = true;
    m.addDelta(bad, 3);
    const auto s = m.snapshot(4);
    QCOMPARE(s.retries, 2);
    QCOMPARE(s.bytes, 123);
    QCOMPARE(s.malformedEvents, 1);
    QCOMPARE(s.tokens, 0); // a malformed event is never a token
    QCOMPARE(s.ttftMs, -1.0);
}

void tst_StreamMetrics::endFreezesElapsed()
{
    StreamMetrics m;
    m.begin(0);
    m.addDelta(text(u"a"_s), 100 * ms);
    m.end(200 * ms);
    m.end(900 * ms); // only the first end counts
    QCOMPARE(m.snapshot(5000 * ms).elapsedMs, 200.0);
    QVERIFY(m.snapshot(5000 * ms).ended);
    m.begin(10'000 * ms); // a new reply starts from nothing
    QCOMPARE(m.snapshot(10'000 * ms).tokens, 0);
    QVERIFY(!m.snapshot(10'000 * ms).ended);
}

void tst_StreamMetrics::rateSeries()
{
    StreamMetrics m;
    m.begin(0);
    // 4 tokens in the first 250 ms window, 1 in the second, 2 in the fourth.
    for (qint64 t : {0, 50, 100, 200, 300, 800, 900})
        m.addDelta(text(u"t"_s), t * ms);
    const QList<double> series = m.rateSeries(250 * ms);
    QCOMPARE(series, (QList<double>{16.0, 4.0, 0.0, 8.0}));
    QVERIFY(StreamMetrics().rateSeries(250 * ms).isEmpty());
}

void tst_StreamMetrics::pricing_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("completion");
    QTest::addColumn<double>("usd"); // -1: no price
    QTest::newRow("exact id") << u"gpt-4o"_s << qint64(1'000'000) << qint64(1'000'000) << 12.5;
    QTest::newRow("dated snapshot uses its family") << u"gpt-4o-2024-08-06"_s << qint64(1'000'000) << qint64(0) << 2.5;
    QTest::newRow("longest prefix wins") << u"gpt-4o-mini-2024-07-18"_s << qint64(0) << qint64(1'000'000) << 0.6;
    QTest::newRow("vendor prefix ignored") << u"anthropic/claude-sonnet-4.5"_s << qint64(1000) << qint64(1000) << 0.018;
    QTest::newRow("case ignored") << u"DeepSeek-V3.2"_s << qint64(1'000'000) << qint64(1'000'000) << 0.70;
    QTest::newRow("not a separator") << u"gpt-4ox"_s << qint64(1) << qint64(1) << -1.0;
    QTest::newRow("unknown model") << u"my-local-llama"_s << qint64(10) << qint64(10) << -1.0;
    QTest::newRow("negative counts are zero") << u"gpt-4.1"_s << qint64(-1) << qint64(500'000) << 4.0;
}

void tst_StreamMetrics::pricing()
{
    QFETCH(QString, model);
    QFETCH(qint64, prompt);
    QFETCH(qint64, completion);
    QFETCH(double, usd);
    const auto cost = Pricing::defaults().cost(model, prompt, completion);
    if (usd < 0) {
        QVERIFY(!cost);
        return;
    }
    QVERIFY(cost);
    QVERIFY2(qAbs(*cost - usd) < 1e-9, qPrintable(QString::number(*cost)));
}

void tst_StreamMetrics::pricingText()
{
    Pricing p;
    p.set(u"model-a"_s, {1.5, 3});
    p.set(u"model-b"_s, {0, 0.25});
    QString error;
    const Pricing back = Pricing::fromText(p.toText(), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(back.prices(), p.prices());
    const Pricing partial = Pricing::fromText(u"# comment\nok 1 2\nbroken line\nneg -1 2\n"_s, &error);
    QVERIFY(!error.isEmpty());
    QCOMPARE(partial.prices().size(), 1);
    QCOMPARE(partial.priceFor(u"ok"_s)->outputPerMTok, 2.0);
}

QTEST_GUILESS_MAIN(tst_StreamMetrics)

#include "tst_streammetrics.moc"
