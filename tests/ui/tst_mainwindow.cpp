// MainWindow end to end, offscreen, against a real loopback HTTP server:
// sending, streaming token by token, Stop (also while the server is silent),
// Esc, Enter vs Shift+Enter, the error banner, the model list, metrics,
// background streaming across chats and the offline Demo endpoint.
#include "chat/chatsession.h"
#include "chatsettingspanel.h"
#include "composer.h"
#include "demo/demoserver.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "metricspanel.h"
#include "modelpicker.h"
#include "net/proxyconfig.h"
#include "secrets/memorysecretstore.h"
#include "settings/apikeyprovider.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "ssetestserver.h"
#include "transcriptview.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QNetworkProxy>
#include <QScopeGuard>
#include <QSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void focusIsInTheInputAtStart();
    void sendStreamsTokenByToken();
    void stopMidStreamKeepsThePartialText();
    void stopWhileTheServerIsSilent();
    void escapeStops();
    void enterSendsShiftEnterAddsALine();
    void unauthorizedShowsTheBanner();
    void modelDropdownListsTheServerModels();
    void pickingAModelChangesSessionAndDefault();
    void metricsShowTheLastReply();
    void newChatKeepsTheOtherStreaming();
    void chatSettingsGoIntoTheRequest();
    void shortcuts();
    void demoEndpointStreamsOffline();
    void handEditedPublicHttpIsNotSent();
    void commandLinePublicHttp_data();
    void commandLinePublicHttp();
    void publicHttpConfirmedForAnotherHost_data();
    void publicHttpConfirmedForAnotherHost();

private:
    void createWindow();
    QString rowText(int row) const;
    Message::State rowState(int row) const;
    void typeAndSend(const QString &text);
    // Settings from a file written by hand (as a user edits Sluice.conf): a
    // public host over plain http://, reached through a manual proxy that is
    // the test server, so whatever would be sent there arrives at m_server.
    void useHandEditedConfig(const QByteArray &extraNetworkLines = QByteArray());
    // A window with a key for the configured URL in `store`, endpoint resolved.
    void createWindowWithStore(MemorySecretStore *store);

    QNetworkAccessManager m_nam;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    int m_counter = 0;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale::c());
    qRegisterMetaType<ChatSession *>();
}

void tst_MainWindow::init()
{
    m_qsettings = std::make_unique<QSettings>(m_dir.filePath(u"settings-%1.ini"_s.arg(++m_counter)), QSettings::IniFormat);
    m_settings = std::make_unique<Settings>(m_qsettings.get());
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_server->enqueue(u"/v1/models"_s, SseTestServer::models({u"test-model-a"_s, u"test-model-b"_s}));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_server.reset();
    m_settings.reset();
    m_qsettings.reset();
}

void tst_MainWindow::createWindow()
{
    m_window = std::make_unique<MainWindow>(&m_nam, nullptr, nullptr, m_settings.get());
    m_window->setEndpoint(m_server->baseUrl(), u"sk-test-key"_s);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

const QUrl kPublicHttpUrl(u"http://llm.example.com/v1"_s);
const QString kHandEditedKey = u"sk-handedited-4d1f"_s;

void tst_MainWindow::useHandEditedConfig(const QByteArray &extraNetworkLines)
{
    const QString path = m_dir.filePath(u"handedited-%1.conf"_s.arg(++m_counter));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("[app]\ndemoMode=false\n\n"
                   "[network]\nbaseUrl=" + kPublicHttpUrl.toEncoded() + "\n" + extraNetworkLines + "\n"
                   "[proxy]\nmode=manual\ntype=http\nhost=127.0.0.1\nport=" + QByteArray::number(m_server->port()) + "\n");
    }
    m_qsettings = std::make_unique<QSettings>(path, QSettings::IniFormat);
    m_settings = std::make_unique<Settings>(m_qsettings.get());
    QCOMPARE(m_settings->baseUrl(), kPublicHttpUrl);
    QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::Manual);
    ProxyConfig::applyProxy(&m_nam, *m_settings); // as main() does at start
}

void tst_MainWindow::createWindowWithStore(MemorySecretStore *store)
{
    bool written = false;
    ApiKeyProvider(store).writeKey(kPublicHttpUrl, kHandEditedKey, this,
                                   [&written](const SecretStore::Result &r) { written = r.ok; });
    QTRY_VERIFY(written);
    m_window = std::make_unique<MainWindow>(&m_nam, nullptr, nullptr, m_settings.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->setSecretStore(store); // as main() does once the key store is known
    QTRY_VERIFY(m_window->isEndpointReady());
    QVERIFY(!m_window->isDemoActive());
    QCOMPARE(m_window->endpointUrl(), kPublicHttpUrl);
}

QString tst_MainWindow::rowText(int row) const
{
    return m_window->currentSession()->model()->message(row).content;
}

Message::State tst_MainWindow::rowState(int row) const
{
    return m_window->currentSession()->model()->message(row).state;
}

void tst_MainWindow::typeAndSend(const QString &text)
{
    QPlainTextEdit *editor = m_window->composer()->editor();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
}

void tst_MainWindow::focusIsInTheInputAtStart()
{
    createWindow();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->composer()->editor()));
    QVERIFY(!m_window->composer()->editor()->placeholderText().isEmpty());
    QVERIFY(!m_window->composer()->editor()->accessibleName().isEmpty());
    QVERIFY(!m_window->modelPicker()->accessibleName().isEmpty());
    QVERIFY(!m_window->composer()->actionButton()->accessibleName().isEmpty());
}

void tst_MainWindow::sendStreamsTokenByToken()
{
    m_server->enqueue(u"/v1/chat/completions"_s,
                      SseTestServer::openAiStream({u"Hel"_s, u"lo"_s, u", wor"_s, u"ld"_s, u"!"_s}, 80, 5));
    createWindow();
    ChatSession *session = m_window->currentSession();
    QStringList seen; // the reply's text at every view update
    connect(session->model(), &QAbstractItemModel::dataChanged, this, [&](const QModelIndex &from) {
        const QString text = from.data(TranscriptModel::TextRole).toString();
        if (from.row() == 1 && (seen.isEmpty() || seen.last() != text))
            seen.append(text);
    });
    QSignalSpy finished(session, &ChatSession::replyFinished);

    typeAndSend(u"Say hello"_s);
    QCOMPARE(session->model()->rowCount(), 2);
    QCOMPARE(rowText(0), u"Say hello"_s);
    QCOMPARE(rowState(1), Message::State::Streaming);
    QVERIFY(m_window->composer()->text().isEmpty()); // the input is cleared once sent
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Stop"_s);
    QCOMPARE(m_window->transcriptView()->model(), session->model());

    QVERIFY(finished.wait(5'000));
    QCOMPARE(rowText(1), u"Hello, world!"_s);
    QCOMPARE(rowState(1), Message::State::Completed);
    // It grew token by token, not all at once.
    QVERIFY2(seen.size() >= 4, qPrintable(seen.join(u" | "_s)));
    QVERIFY(seen.contains(u"Hel"_s));
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s);
    QVERIFY(!m_window->banner()->isVisible());
    QVERIFY(m_window->windowTitle().contains(u"Say hello"_s));
    const SseTestServer::RecordedRequest request = m_server->requests(u"/v1/chat/completions"_s).constFirst();
    QCOMPARE(request.header("authorization"), QByteArray("Bearer sk-test-key"));
}

void tst_MainWindow::stopMidStreamKeepsThePartialText()
{
    QStringList pieces;
    for (int i = 0; i < 50; ++i)
        pieces.append(u"word%1 "_s.arg(i));
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream(pieces, 60));
    createWindow();
    ChatSession *session = m_window->currentSession();
    typeAndSend(u"Write a lot"_s);
    QTRY_VERIFY_WITH_TIMEOUT(rowText(1).size() > 10, 5'000);

    QTest::mouseClick(m_window->composer()->actionButton(), Qt::LeftButton);
    // At once, not after the next token.
    QVERIFY(!session->isStreaming());
    QCOMPARE(rowState(1), Message::State::Stopped);
    const QString partial = rowText(1);
    QVERIFY(partial.startsWith(u"word0 "_s));
    QVERIFY(!partial.contains(u"word49"_s));
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s);
    QVERIFY(!m_window->stopAction()->isEnabled());
    QVERIFY(!m_window->banner()->isVisible()); // stopping is not an error
    QTest::qWait(200);
    QCOMPARE(rowText(1), partial);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->composer()->editor()));
}

void tst_MainWindow::stopWhileTheServerIsSilent()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::Response::silent());
    createWindow();
    ChatSession *session = m_window->currentSession();
    typeAndSend(u"Anyone there?"_s);
    QTRY_COMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
    QTest::qWait(100);
    QVERIFY(session->isStreaming());
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Stop"_s);

    QTest::mouseClick(m_window->composer()->actionButton(), Qt::LeftButton);
    QVERIFY(!session->isStreaming());
    QCOMPARE(rowState(1), Message::State::Stopped);
    QVERIFY(rowText(1).isEmpty());
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s);
}

void tst_MainWindow::escapeStops()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"a"_s, u"b"_s, u"c"_s}, 100).silentAfter(2));
    createWindow();
    ChatSession *session = m_window->currentSession();
    typeAndSend(u"Go"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!rowText(1).isEmpty(), 5'000);
    QTest::keyClick(m_window->composer()->editor(), Qt::Key_Escape);
    QVERIFY(!session->isStreaming());
    QCOMPARE(rowState(1), Message::State::Stopped);
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s);
}

void tst_MainWindow::enterSendsShiftEnterAddsALine()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"ok"_s}));
    createWindow();
    QPlainTextEdit *editor = m_window->composer()->editor();
    const int height = editor->height();
    QTest::keyClicks(editor, u"line one"_s);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(editor, u"line two"_s);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(editor, u"line three"_s);
    QCOMPARE(m_window->composer()->text(), u"line one\nline two\nline three"_s);
    QVERIFY(editor->height() > height); // the input grows with its text
    QTest::qWait(50);
    QCOMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 0);

    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
    const QJsonObject body = m_server->requests(u"/v1/chat/completions"_s).constFirst().json();
    const QJsonArray messages = body.value(u"messages"_s).toArray();
    QCOMPARE(messages.last().toObject().value(u"content"_s).toString(), u"line one\nline two\nline three"_s);
    QCOMPARE(editor->height(), height); // back to one line

    // An empty input sends nothing.
    QTRY_VERIFY(!m_window->currentSession()->isStreaming());
    QTest::keyClick(editor, Qt::Key_Return);
    QTest::keyClicks(editor, u"   "_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTest::qWait(50);
    QCOMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
}

void tst_MainWindow::unauthorizedShowsTheBanner()
{
    m_server->enqueue(u"/v1/chat/completions"_s,
                      SseTestServer::openAiError(401, u"Incorrect API key provided: sk-te****."_s,
                                                 u"invalid_request_error"_s, u"invalid_api_key"_s));
    createWindow();
    ChatSession *session = m_window->currentSession();
    QSignalSpy finished(session, &ChatSession::replyFinished);
    typeAndSend(u"Hello?"_s);
    QVERIFY(finished.wait(5'000));

    MessageBanner *banner = m_window->banner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
    QVERIFY2(banner->text().contains(u"Incorrect API key provided"_s), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(u"401"_s), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(u"Settings"_s), qPrintable(banner->text())); // what to do
    QCOMPARE(banner->actionText(), u"Open Settings"_s);
    // Never as reply text.
    QCOMPARE(rowState(1), Message::State::Failed);
    QVERIFY(rowText(1).isEmpty());
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s);

    // Its button opens the settings (once, however often it is asked).
    QTest::mouseClick(banner->actionButton(), Qt::LeftButton);
    QTRY_VERIFY(m_window->settingsDialog() && m_window->settingsDialog()->isVisible());
    SettingsDialog *dialog = m_window->settingsDialog();
    m_window->openSettings();
    QCOMPARE(m_window->settingsDialog(), dialog);
    dialog->reject();
    QTRY_VERIFY(!m_window->settingsDialog());

    // Closable.
    QTest::mouseClick(banner->closeButton(), Qt::LeftButton);
    QVERIFY(!banner->isVisible());
}

void tst_MainWindow::modelDropdownListsTheServerModels()
{
    createWindow();
    ModelPicker *picker = m_window->modelPicker();
    QTRY_VERIFY_WITH_TIMEOUT(picker->models().contains(u"test-model-a"_s), 5'000);
    QVERIFY(picker->models().contains(u"test-model-b"_s));
    for (const QString &id : Settings::defaultModels())
        QVERIFY2(picker->models().contains(id), qPrintable(id));
    QCOMPARE(m_settings->cachedModels(m_server->baseUrl()), QStringList({u"test-model-a"_s, u"test-model-b"_s}));
    QCOMPARE(m_server->requests(u"/v1/models"_s).constFirst().header("authorization"), QByteArray("Bearer sk-test-key"));
}

void tst_MainWindow::pickingAModelChangesSessionAndDefault()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"ok"_s}));
    createWindow();
    ModelPicker *picker = m_window->modelPicker();
    QTRY_VERIFY_WITH_TIMEOUT(picker->models().contains(u"test-model-b"_s), 5'000);
    const int index = picker->findText(u"test-model-b"_s);
    QVERIFY(index >= 0);
    picker->setCurrentIndex(index);
    Q_EMIT picker->activated(index);
    QCOMPARE(m_window->currentSession()->conversation().model, u"test-model-b"_s);
    QCOMPARE(m_settings->model(), u"test-model-b"_s);

    // Any id can be typed.
    picker->lineEdit()->selectAll();
    QTest::keyClicks(picker->lineEdit(), u"my-own-model"_s);
    QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
    QCOMPARE(m_window->currentSession()->conversation().model, u"my-own-model"_s);
    QCOMPARE(m_settings->model(), u"my-own-model"_s);

    m_window->focusInput();
    typeAndSend(u"Hi"_s);
    QTRY_COMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
    QCOMPARE(m_server->requests(u"/v1/chat/completions"_s).constFirst().json().value(u"model"_s).toString(),
             u"my-own-model"_s);
}

void tst_MainWindow::metricsShowTheLastReply()
{
    m_server->enqueue(u"/v1/chat/completions"_s,
                      SseTestServer::openAiStream({u"one "_s, u"two "_s, u"three "_s, u"four"_s}, 30, 4)
                          .withHeaderDelay(50));
    createWindow();
    ChatSession *session = m_window->currentSession();
    QSignalSpy finished(session, &ChatSession::replyFinished);
    typeAndSend(u"Count"_s);
    QVERIFY(finished.wait(5'000));
    MetricsPanel *metrics = m_window->metricsPanel();
    QCOMPARE(metrics->session(), session);
    QVERIFY(!metrics->isLive());
    QVERIFY(metrics->figures().ttftMs > 0);
    QCOMPARE(metrics->figures().tokens, qint64(4));
    QVERIFY(metrics->text(MetricsPanel::Field::TimeToFirstToken) != u"—"_s);
    QCOMPARE(metrics->text(MetricsPanel::Field::Tokens), u"4 (usage)"_s);
    // gpt-4o has a price: 12 prompt and 4 completion tokens cost a tiny amount.
    QVERIFY(metrics->figures().costUsd.has_value());
    QCOMPARE(metrics->text(MetricsPanel::Field::Cost), u"< $0.0001"_s);
}

void tst_MainWindow::newChatKeepsTheOtherStreaming()
{
    QStringList pieces;
    for (int i = 0; i < 15; ++i)
        pieces.append(u"t%1 "_s.arg(i));
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream(pieces, 40));
    createWindow();
    ChatSession *first = m_window->currentSession();
    QSignalSpy firstFinished(first, &ChatSession::replyFinished);
    QSignalSpy changed(m_window.get(), &MainWindow::currentSessionChanged);
    typeAndSend(u"Long answer please"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!first->model()->message(1).content.isEmpty(), 5'000);

    QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_N));
    ChatSession *second = m_window->currentSession();
    QVERIFY(second != first);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_window->sessions().size(), 2);
    QCOMPARE(second->model()->rowCount(), 0);
    QCOMPARE(m_window->composer()->actionButton()->text(), u"Send"_s); // this chat is idle
    QVERIFY(first->isStreaming());                                        // the other keeps going
    QCOMPARE(m_window->transcriptView()->model(), second->model());

    QVERIFY(firstFinished.wait(5'000));
    QCOMPARE(first->model()->message(1).state, Message::State::Completed);
    QCOMPARE(first->model()->message(1).content, pieces.join(QString()));

    // Ctrl+N on an empty chat does not pile up empty chats.
    QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_N));
    QCOMPARE(m_window->sessions().size(), 2);
    // Switching back shows it as it is.
    m_window->showSession(first);
    QCOMPARE(m_window->transcriptView()->model(), first->model());
    QCOMPARE(m_window->metricsPanel()->session(), first);
}

void tst_MainWindow::chatSettingsGoIntoTheRequest()
{
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"ok"_s}));
    createWindow();
    ChatSettingsPanel *panel = m_window->chatSettingsPanel();
    panel->systemPromptEdit()->setPlainText(u"Be brief."_s);
    panel->temperatureCheck()->setChecked(true);
    panel->temperatureSpin()->setValue(0.3);
    panel->maxTokensCheck()->setChecked(true);
    panel->maxTokensSpin()->setValue(256);
    m_window->focusInput();
    typeAndSend(u"Hi"_s);
    QTRY_COMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
    const QJsonObject body = m_server->requests(u"/v1/chat/completions"_s).constFirst().json();
    QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.3);
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 256);
    const QJsonObject system = body.value(u"messages"_s).toArray().first().toObject();
    QCOMPARE(system.value(u"role"_s).toString(), u"system"_s);
    QCOMPARE(system.value(u"content"_s).toString(), u"Be brief."_s);
    // They are the defaults of new chats.
    QCOMPARE(m_settings->systemPrompt(), u"Be brief."_s);
    QCOMPARE(m_settings->maxTokens(), std::optional<int>(256));
}

void tst_MainWindow::shortcuts()
{
    createWindow();
    QTest::keyClicks(m_window->composer()->editor(), u"x"_s);
    m_window->modelPicker()->setFocus();
    QTRY_VERIFY(!m_window->composer()->editor()->hasFocus());
    QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_L));
    QTRY_VERIFY(m_window->composer()->editor()->hasFocus());
    bool hasCtrlComma = false;
    for (QAction *action : m_window->actions()) {
        if (action->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
            hasCtrlComma = true;
        QVERIFY(!action->text().isEmpty());
    }
    QVERIFY(hasCtrlComma);
}

void tst_MainWindow::demoEndpointStreamsOffline()
{
    m_window = std::make_unique<MainWindow>(&m_nam, nullptr, nullptr, m_settings.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(!m_window->isEndpointReady());
    // Sent before the endpoint is known: it waits, then goes out.
    typeAndSend(u"hello"_s);
    QVERIFY(m_window->useDemoEndpoint());
    QVERIFY(m_window->isDemoActive());
    m_window->demoServer()->setSpeedFactor(50);
    QCOMPARE(m_window->endpointButton()->text(), u"Demo (offline)"_s);
    ChatSession *session = m_window->currentSession();
    QSignalSpy finished(session, &ChatSession::replyFinished);
    QTRY_COMPARE(session->model()->rowCount(), 2);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(rowState(1), Message::State::Completed);
    QVERIFY(rowText(1).contains(u"demo endpoint"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->modelPicker()->models().contains(DemoServer::modelId()), 5'000);
    QVERIFY(m_settings->cachedModels(m_window->endpointUrl()).isEmpty()); // the demo's port is not cached

    // A real endpoint replaces it.
    m_window->setEndpoint(m_server->baseUrl(), u"sk-x"_s);
    QVERIFY(!m_window->isDemoActive());
    QCOMPARE(m_window->endpointButton()->text(), u"127.0.0.1:%1"_s.arg(m_server->port()));
}

void tst_MainWindow::handEditedPublicHttpIsNotSent()
{
    qunsetenv(ApiKeyProvider::environmentVariable());
    const QNetworkProxy proxyBefore = m_nam.proxy();
    auto restoreProxy = qScopeGuard([this, proxyBefore] {
        m_nam.setProxy(proxyBefore);
        m_nam.clearConnectionCache();
    });
    useHandEditedConfig();
    MemorySecretStore store;
    createWindowWithStore(&store);

    // Told at once, with the way out.
    QVERIFY(m_window->isEndpointBlocked());
    MessageBanner *banner = m_window->banner();
    QTRY_VERIFY(banner->isVisible());
    QCOMPARE(banner->kind(), MessageBanner::Kind::Warning);
    QVERIFY2(banner->text().contains(u"llm.example.com"_s) && banner->text().contains(u"http://"_s),
             qPrintable(banner->text()));
    QCOMPARE(banner->actionText(), u"Open Settings"_s);

    // Sending: refused, said plainly, the message kept in the input.
    ChatSession *session = m_window->currentSession();
    typeAndSend(u"a private question"_s);
    QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
    QVERIFY2(banner->text().startsWith(u"Nothing is sent to llm.example.com"_s), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(u"Settings"_s), qPrintable(banner->text()));
    QCOMPARE(m_window->composer()->text(), u"a private question"_s);
    QCOMPARE(session->model()->rowCount(), 0);
    QVERIFY(!session->isStreaming());
    QTest::qWait(300);
    // Nothing reached the server: no chat request, not even the model list (both carry the key).
    QCOMPARE(m_server->requestCount(), 0);

    // The button opens the settings, where the host can be allowed.
    QTest::mouseClick(banner->actionButton(), Qt::LeftButton);
    QTRY_VERIFY(m_window->settingsDialog() && m_window->settingsDialog()->isVisible());
    SettingsDialog *dialog = m_window->settingsDialog();
    QCOMPARE(dialog->baseUrlEdit()->text(), kPublicHttpUrl.toString());
    QVERIFY(dialog->allowInsecureBox()->isVisible());
    QVERIFY(!dialog->allowInsecureBox()->isChecked()); // saved is not confirmed
    QTest::mouseClick(dialog->allowInsecureBox(), Qt::LeftButton, {}, QPoint(8, dialog->allowInsecureBox()->height() / 2));
    QVERIFY(dialog->allowInsecureBox()->isChecked());
    QTest::mouseClick(dialog->buttonBox()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!m_window->settingsDialog());
    QCOMPARE(m_settings->insecureHttpConfirmedHost(), u"llm.example.com"_s);
    QTRY_VERIFY(!m_window->isEndpointBlocked());
    QTRY_VERIFY(!banner->isVisible()); // the notice is gone with its reason

    // Confirmed: the same message now goes out, to that host, with the key
    // (through the proxy: the server sees the absolute URL).
    m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"over "_s, u"http"_s}));
    QSignalSpy finished(session, &ChatSession::replyFinished);
    QTest::keyClick(m_window->composer()->editor(), Qt::Key_Return);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(rowText(1), u"over http"_s);
    QCOMPARE(m_server->requestCount(u"/v1/chat/completions"_s), 1);
    const SseTestServer::RecordedRequest request = m_server->requests(u"/v1/chat/completions"_s).first();
    QVERIFY2(request.target.startsWith("http://llm.example.com/v1/"), request.target.constData());
    QCOMPARE(request.header("authorization"), "Bearer " + kHandEditedKey.toUtf8());
}

void tst_MainWindow::publicHttpConfirmedForAnotherHost_data()
{
    QTest::addColumn<QByteArray>("confirmedLine");
    QTest::addColumn<bool>("blocked");
    QTest::newRow("another host confirmed") << QByteArray("insecureHttpConfirmedHost=other.example.com\n") << true;
    QTest::newRow("a longer name confirmed") << QByteArray("insecureHttpConfirmedHost=llm.example.com.evil.net\n") << true;
    // The control: the same set-up with this host confirmed does reach the
    // server (the model list), so the silence above is the block's doing.
    QTest::newRow("this host confirmed") << QByteArray("insecureHttpConfirmedHost=llm.example.com\n") << false;
}

void tst_MainWindow::publicHttpConfirmedForAnotherHost()
{
    QFETCH(QByteArray, confirmedLine);
    QFETCH(bool, blocked);
    qunsetenv(ApiKeyProvider::environmentVariable());
    const QNetworkProxy proxyBefore = m_nam.proxy();
    auto restoreProxy = qScopeGuard([this, proxyBefore] {
        m_nam.setProxy(proxyBefore);
        m_nam.clearConnectionCache();
    });
    useHandEditedConfig(confirmedLine);
    MemorySecretStore store;
    createWindowWithStore(&store);
    QCOMPARE(m_window->isEndpointBlocked(), blocked);
    if (blocked) {
        typeAndSend(u"hello"_s);
        QTRY_VERIFY(m_window->banner()->isVisible());
        QCOMPARE(m_window->banner()->kind(), MessageBanner::Kind::Error);
        QTest::qWait(300);
        QCOMPARE(m_server->requestCount(), 0);
    } else {
        QVERIFY(!m_window->banner()->isVisible());
        QTRY_VERIFY(m_server->requestCount(u"/v1/models"_s) >= 1);
        QCOMPARE(m_server->requests().first().header("authorization"), "Bearer " + kHandEditedKey.toUtf8());
    }
}

void tst_MainWindow::commandLinePublicHttp_data()
{
    QTest::addColumn<bool>("allow");
    QTest::newRow("--base-url alone") << false;
    QTest::newRow("with --allow-insecure-http") << true;
}

// sluice --base-url http://public-host/v1: Settings show the saved address,
// not this one, so the way out is the command line's own flag, as in sluice-cli.
void tst_MainWindow::commandLinePublicHttp()
{
    QFETCH(bool, allow);
    qunsetenv(ApiKeyProvider::environmentVariable());
    const QNetworkProxy proxyBefore = m_nam.proxy();
    auto restoreProxy = qScopeGuard([this, proxyBefore] {
        m_nam.setProxy(proxyBefore);
        m_nam.clearConnectionCache();
    });
    useHandEditedConfig(QByteArray("insecureHttpConfirmedHost=llm.example.com\n")); // the saved one is allowed
    const QUrl commandLineUrl(u"http://cli.example.com/v1"_s);
    MemorySecretStore store;
    bool written = false;
    ApiKeyProvider(&store).writeKey(commandLineUrl, kHandEditedKey, this,
                                    [&written](const SecretStore::Result &r) { written = r.ok; });
    QTRY_VERIFY(written);
    m_window = std::make_unique<MainWindow>(&m_nam, nullptr, nullptr, m_settings.get());
    MainWindow::Overrides overrides;
    overrides.baseUrl = commandLineUrl;
    overrides.allowInsecureHttp = allow;
    m_window->setOverrides(overrides);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->setSecretStore(&store);
    QTRY_VERIFY(m_window->isEndpointReady());
    QCOMPARE(m_window->endpointUrl(), commandLineUrl);
    QCOMPARE(m_window->isEndpointBlocked(), !allow);
    if (!allow) {
        MessageBanner *banner = m_window->banner();
        typeAndSend(u"hello"_s);
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        QVERIFY2(banner->text().contains(u"cli.example.com"_s) && banner->text().contains(u"--allow-insecure-http"_s),
                 qPrintable(banner->text()));
        QVERIFY(banner->actionText().isEmpty()); // Settings would not help here
        QTest::qWait(300);
        QCOMPARE(m_server->requestCount(), 0);
    } else {
        m_server->enqueue(u"/v1/chat/completions"_s, SseTestServer::openAiStream({u"allowed"_s}));
        ChatSession *session = m_window->currentSession();
        QSignalSpy finished(session, &ChatSession::replyFinished);
        typeAndSend(u"hello"_s);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(rowText(1), u"allowed"_s);
        const SseTestServer::RecordedRequest request = m_server->requests(u"/v1/chat/completions"_s).first();
        QVERIFY2(request.target.startsWith("http://cli.example.com/v1/"), request.target.constData());
    }
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
