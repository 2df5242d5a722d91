// MetricsPanel: formatting, live updates at most ten times a second, frozen
// figures after the end, stored figures of a conversation from the history,
// and the price editor.
#include "chat/chatsession.h"
#include "metricspanel.h"
#include "settings/settings.h"
#include "sparkline.h"
#include "ssetestserver.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class tst_MetricsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void formatDuration_data();
    void formatDuration();
    void formatOthers();
    void emptyPanel();
    void liveThenFrozen();
    void throttledToTenPerSecond();
    void storedFiguresOfAHistoryConversation();
    void followsTheSessionItIsGiven();
    void editPrices();

private:
    ChatSession *newSession();
    QStringList pieces(int count) const;

    QNetworkAccessManager m_nam;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<MetricsPanel> m_panel;
    QList<ChatSession *> m_sessions;
};

void tst_MetricsPanel::initTestCase()
{
    QLocale::setDefault(QLocale::c());
    QVERIFY(m_dir.isValid());
}

void tst_MetricsPanel::init()
{
    m_qsettings = std::make_unique<QSettings>(m_dir.filePath(u"settings-%1.ini"_s.arg(QTest::currentTestFunction() ? QString::fromLatin1(QTest::currentTestFunction()) : QString())),
                                              QSettings::IniFormat);
    m_qsettings->clear();
    m_settings = std::make_unique<Settings>(m_qsettings.get());
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_panel = std::make_unique<MetricsPanel>(m_settings.get());
    m_panel->resize(300, 600);
    m_panel->show();
}

void tst_MetricsPanel::cleanup()
{
    m_panel.reset();
    qDeleteAll(m_sessions);
    m_sessions.clear();
    m_server.reset();
    m_settings.reset();
    m_qsettings.reset();
}

ChatSession *tst_MetricsPanel::newSession()
{
    auto *session = new ChatSession(&m_nam);
    session->setEndpoint(m_server->baseUrl(), u"sk-test"_s);
    session->setModel(u"gpt-4o"_s);
    m_sessions.append(session);
    return session;
}

QStringList tst_MetricsPanel::pieces(int count) const
{
    QStringList out;
    for (int i = 0; i < count; ++i)
        out.append(u"w%1 "_s.arg(i));
    return out;
}

void tst_MetricsPanel::formatDuration_data()
{
    QTest::addColumn<double>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << -1.0 << u"—"_s;
    QTest::newRow("tiny gap") << 4.5 << u"4.5 ms"_s;
    QTest::newRow("ms") << 312.4 << u"312 ms"_s;
    QTest::newRow("seconds, two decimals") << 1234.0 << u"1.23 s"_s;
    QTest::newRow("seconds, one decimal") << 12'345.0 << u"12.3 s"_s;
    QTest::newRow("minutes") << 125'000.0 << u"2 min 5 s"_s;
}

void tst_MetricsPanel::formatDuration()
{
    QFETCH(double, ms);
    QFETCH(QString, text);
    QCOMPARE(MetricsPanel::formatDuration(ms), text);
}

void tst_MetricsPanel::formatOthers()
{
    QCOMPARE(MetricsPanel::formatTokens(412, u"usage"_s), u"412 (usage)"_s);
    QCOMPARE(MetricsPanel::formatTokens(398, u"deltas"_s), u"398 (counted)"_s);
    QCOMPARE(MetricsPanel::formatTokens(0, u"none"_s), u"0"_s);
    QCOMPARE(MetricsPanel::formatRate(0), u"—"_s);
    QCOMPARE(MetricsPanel::formatRate(46.26), u"46.3 tok/s"_s);
    QCOMPARE(MetricsPanel::formatBytes(512), u"512 B"_s);
    QCOMPARE(MetricsPanel::formatBytes(2048), u"2.0 KiB"_s);
    QCOMPARE(MetricsPanel::formatCost(std::nullopt), u"—"_s);
    QCOMPARE(MetricsPanel::formatCost(0.0), u"$0.00"_s);
    QCOMPARE(MetricsPanel::formatCost(0.00005), u"< $0.0001"_s);
    QCOMPARE(MetricsPanel::formatCost(0.0041), u"$0.0041"_s);
    QCOMPARE(MetricsPanel::formatCost(1.234), u"$1.23"_s);
}

void tst_MetricsPanel::emptyPanel()
{
    QCOMPARE(m_panel->text(MetricsPanel::Field::TimeToFirstToken), u"—"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Tokens), u"—"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::State), u"No reply yet"_s);
    m_panel->setSession(newSession());
    QCOMPARE(m_panel->text(MetricsPanel::Field::Cost), u"—"_s);
    QVERIFY(!m_panel->isLive());
}

void tst_MetricsPanel::liveThenFrozen()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream(pieces(12), 40, 12));
    ChatSession *session = newSession();
    m_panel->setSession(session);
    QSignalSpy finished(session, &ChatSession::replyFinished);
    QVERIFY(session->send(u"Hi"_s));
    QVERIFY(m_panel->isLive());
    QCOMPARE(m_panel->text(MetricsPanel::Field::State), u"● Streaming"_s);
    // Live: figures appear before the end.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->figures().tokens >= 3 && !session->model()->message(1).content.isEmpty(), 5'000);
    QVERIFY(m_panel->figures().live);
    QVERIFY(m_panel->text(MetricsPanel::Field::TimeToFirstToken) != u"—"_s);

    QVERIFY(finished.wait(5'000));
    QVERIFY(!m_panel->isLive());
    const MetricsPanel::Figures final = m_panel->figures();
    QVERIFY(!final.live);
    QCOMPARE(final.tokens, qint64(12));
    QCOMPARE(final.tokenSource, u"usage"_s);
    QVERIFY(final.ttftMs > 0);
    QVERIFY(final.tokensPerSecond > 0);
    QVERIFY(final.gapP50Ms > 0);
    QVERIFY(final.bytes > 0);
    QVERIFY(final.costUsd.has_value() && *final.costUsd > 0);
    QVERIFY(!final.rateSeries.isEmpty());
    QCOMPARE(m_panel->text(MetricsPanel::Field::Tokens), u"12 (usage)"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::State), u"Completed"_s);
    QCOMPARE(m_panel->sparkline()->values(), final.rateSeries);

    // Frozen: nothing changes any more, and no timer runs.
    const int refreshes = m_panel->refreshCount();
    const QString elapsed = m_panel->text(MetricsPanel::Field::Elapsed);
    QTest::qWait(350);
    QCOMPARE(m_panel->refreshCount(), refreshes);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Elapsed), elapsed);
}

void tst_MetricsPanel::throttledToTenPerSecond()
{
    // 200 tokens, 4 ms apart: far more tokens than refreshes.
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream(pieces(200), 4));
    ChatSession *session = newSession();
    m_panel->setSession(session);
    QSignalSpy finished(session, &ChatSession::replyFinished);
    const int before = m_panel->refreshCount();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(session->send(u"Hi"_s));
    QVERIFY(finished.wait(10'000));
    const qint64 elapsedMs = timer.elapsed();
    const int refreshes = m_panel->refreshCount() - before;
    // One per 100 ms, plus the first, the final and the end-of-reply one.
    const int allowed = int(elapsedMs / MetricsPanel::RefreshIntervalMs) + 4;
    QVERIFY2(refreshes <= allowed, qPrintable(u"%1 refreshes in %2 ms"_s.arg(refreshes).arg(elapsedMs)));
    QVERIFY2(refreshes >= 3, qPrintable(QString::number(refreshes))); // it did update while streaming
    QCOMPARE(m_panel->figures().tokens, qint64(200));
    QCOMPARE(m_panel->figures().tokenSource, u"deltas"_s);
}

void tst_MetricsPanel::storedFiguresOfAHistoryConversation()
{
    ChatSession *session = newSession();
    Message user;
    user.role = ChatMessage::Role::User;
    user.content = u"Hi"_s;
    Message reply;
    reply.role = ChatMessage::Role::Assistant;
    reply.content = u"Hello"_s;
    reply.state = Message::State::Stopped;
    reply.metrics.ttftMs = 420;
    reply.metrics.tokens = 77;
    reply.metrics.tokenSource = u"usage"_s;
    reply.metrics.tokensPerSecond = 33.3;
    reply.metrics.bytes = 4096;
    reply.metrics.elapsedMs = 2500;
    reply.costUsd = 0.0123;
    session->model()->setMessages({user, reply});

    m_panel->setSession(session);
    QCOMPARE(m_panel->text(MetricsPanel::Field::TimeToFirstToken), u"420 ms"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Tokens), u"77 (usage)"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::TokensPerSecond), u"33.3 tok/s"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Bytes), u"4.0 KiB"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Elapsed), u"2.50 s"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Cost), u"$0.0123"_s);
    QCOMPARE(m_panel->text(MetricsPanel::Field::State), u"Stopped"_s);
    QVERIFY(!m_panel->isLive());
}

void tst_MetricsPanel::followsTheSessionItIsGiven()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream(pieces(40), 25));
    ChatSession *streaming = newSession();
    ChatSession *idle = newSession();
    QSignalSpy finished(streaming, &ChatSession::replyFinished);
    m_panel->setSession(streaming);
    QVERIFY(streaming->send(u"Hi"_s));
    QVERIFY(m_panel->isLive());
    // Showing another (idle) conversation: no live updates for it.
    m_panel->setSession(idle);
    QVERIFY(!m_panel->isLive());
    QCOMPARE(m_panel->text(MetricsPanel::Field::Tokens), u"—"_s);
    // Back to the streaming one: live again.
    m_panel->setSession(streaming);
    QVERIFY(m_panel->isLive());
    QVERIFY(finished.wait(5'000));
    QVERIFY(!m_panel->isLive());
    // A deleted session is let go.
    m_sessions.removeOne(streaming);
    delete streaming;
    QCOMPARE(m_panel->session(), nullptr);
    QCOMPARE(m_panel->text(MetricsPanel::Field::Tokens), u"—"_s);
}

void tst_MetricsPanel::editPrices()
{
    QSignalSpy changed(m_panel.get(), &MetricsPanel::pricingChanged);
    m_panel->editPrices();
    auto *dialog = m_panel->findChild<QDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>();
    QVERIFY(table);
    QVERIFY(table->rowCount() >= 5);
    // Change gpt-4o's output price.
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, 0)->text() == u"gpt-4o")
            row = r;
    }
    QVERIFY(row >= 0);
    table->item(row, 2)->setData(Qt::EditRole, 12.5);
    // And add a model of our own.
    const int added = table->rowCount();
    table->insertRow(added);
    table->setItem(added, 0, new QTableWidgetItem(u"my-local-model"_s));
    auto *in = new QTableWidgetItem;
    in->setData(Qt::EditRole, 0.1);
    auto *out = new QTableWidgetItem;
    out->setData(Qt::EditRole, 0.2);
    table->setItem(added, 1, in);
    table->setItem(added, 2, out);
    dialog->accept();

    QCOMPARE(changed.size(), 1);
    const Pricing saved = m_settings->pricing();
    QCOMPARE(saved.priceFor(u"gpt-4o"_s)->outputPerMTok, 12.5);
    QCOMPARE(saved.priceFor(u"my-local-model"_s)->inputPerMTok, 0.1);
    QCOMPARE(changed.first().first().value<Pricing>().priceFor(u"my-local-model"_s)->outputPerMTok, 0.2);
}

QTEST_MAIN(tst_MetricsPanel)
#include "tst_metricspanel.moc"
