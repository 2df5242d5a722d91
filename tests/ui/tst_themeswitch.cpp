// Switching the theme while the window is open (Settings → Appearance), by the
// path the app uses: the settings dialog emits themeChanged, MainWindow passes
// it on, AppTheme::apply() changes style, palette and icon theme. Everything
// already on screen must follow at once: the transcript's background, text,
// code blocks (background and syntax colours), tables, the endpoint button,
// the metrics tiles and the icons; a reply that is streaming goes on.
#include "apptheme.h"
#include "chat/chatsession.h"
#include "chat/transcriptmodel.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelayout.h"
#include "messagebanner.h"
#include "metricspanel.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "ssetestserver.h"
#include "transcriptview.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QIcon>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

Message makeMessage(ChatMessage::Role role, const QString &content, Message::State state = Message::State::Completed)
{
    Message m;
    m.role = role;
    m.content = content;
    m.state = state;
    if (role == ChatMessage::Role::Assistant)
        m.model = u"test-model"_s;
    return m;
}

const QString kReply = u"Plain words before the code, long enough to be seen.\n\n"
                       "```cpp\nreturn return return return return;\nreturn return return return return;\n```\n\n"
                       "| Aspect | Native | Web |\n|---|---|---|\n| Memory | Small | Large |\n\nThe end."_s;

bool near(QRgb a, const QColor &b, int tolerance)
{
    return std::abs(qRed(a) - b.red()) <= tolerance && std::abs(qGreen(a) - b.green()) <= tolerance
        && std::abs(qBlue(a) - b.blue()) <= tolerance;
}

// Pixels of \a image within \a tolerance of \a colour.
int count(const QImage &image, const QColor &colour, int tolerance = 2)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            n += near(line[x], colour, tolerance) ? 1 : 0;
    }
    return n;
}

} // namespace

class tst_ThemeSwitch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void transcriptFollowsLightToDarkAndBack();
    void restOfTheWindowFollows();
    void systemGoesBackToThePlatformPalette();

private:
    void switchTheme(Settings::Theme theme);
    QImage grabTranscript() const;
    // The transcript's colours for the palette the app has now.
    MessageStyle expectedStyle() const;

    QNetworkAccessManager m_nam;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SseTestServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    QPalette m_platformPalette;
    int m_counter = 0;
};

void tst_ThemeSwitch::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale::c());
    m_platformPalette = QApplication::palette();
}

void tst_ThemeSwitch::init()
{
    m_qsettings = std::make_unique<QSettings>(m_dir.filePath(u"settings-%1.ini"_s.arg(++m_counter)), QSettings::IniFormat);
    m_settings = std::make_unique<Settings>(m_qsettings.get());
    m_settings->setTheme(Settings::Theme::Light);
    AppTheme::apply(Settings::Theme::Light); // as main() does at start
    m_server = std::make_unique<SseTestServer>();
    QVERIFY(m_server->listen());
    m_server->enqueue(u"/v1/models"_s, SseTestServer::models({u"test-model"_s}));

    m_window = std::make_unique<MainWindow>(&m_nam, nullptr, nullptr, m_settings.get());
        connect(m_window.get(), &MainWindow::themeChanged, m_window.get(), &AppTheme::apply); // as main() does
    m_window->setEndpoint(m_server->baseUrl(), u"sk-test-key"_s);
    m_window->resize(1100, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    TranscriptModel *model = m_window->currentSession()->model();
    model->setMessages({makeMessage(ChatMessage::Role::User, u"Show me some code."_s),
                        makeMessage(ChatMessage::Role::Assistant, kReply)});
    QTRY_VERIFY(m_window->transcriptView()->isVisible());
    QTRY_VERIFY(m_window->transcriptView()->messageDelegate()->cacheSize() > 0);
}

void tst_ThemeSwitch::cleanup()
{
    m_window.reset();
    m_server.reset();
    m_settings.reset();
    m_qsettings.reset();
    AppTheme::apply(Settings::Theme::Light);
}

// Settings → Appearance → Theme, then OK.
void tst_ThemeSwitch::switchTheme(Settings::Theme theme)
{
    m_window->openSettings();
    QTRY_VERIFY(m_window->settingsDialog() && m_window->settingsDialog()->isVisible());
    SettingsDialog *dialog = m_window->settingsDialog();
    dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(int(theme)));
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!m_window->settingsDialog());
    QCOMPARE(m_settings->theme(), theme);
    QCoreApplication::processEvents();
}

QImage tst_ThemeSwitch::grabTranscript() const
{
    return m_window->transcriptView()->viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
}

MessageStyle tst_ThemeSwitch::expectedStyle() const
{
    return MessageStyle::fromWidget(QApplication::palette(), m_window->transcriptView()->font());
}

void tst_ThemeSwitch::transcriptFollowsLightToDarkAndBack()
{
    const MessageStyle light = expectedStyle();
    QVERIFY(!light.dark);
    const QColor lightKeyword = light.markdown.syntax[size_t(CodeToken::Keyword)];
    QImage image = grabTranscript();
    QVERIFY(near(image.pixel(2, 2), light.base, 2));
    QVERIFY(count(image, light.markdown.codeBackground) > 2000);
    QVERIFY(count(image, lightKeyword, 24) > 20);
    QVERIFY(count(image, light.markdown.text, 24) > 50);

    // Light → dark, with a reply streaming meanwhile.
    TranscriptModel *model = m_window->currentSession()->model();
    const int streaming = model->appendMessage(makeMessage(ChatMessage::Role::Assistant, u"Streaming "_s,
                                                           Message::State::Streaming));
    model->flush();
    switchTheme(Settings::Theme::Dark);
    model->appendContent(streaming, u"goes on after the switch."_s);
    model->flush();
    QCOMPARE(QIcon::themeName(), u"sluice-dark"_s);
    const MessageStyle dark = expectedStyle();
    QVERIFY(dark.dark);
    QCOMPARE(m_window->transcriptView()->messageDelegate()->messageStyle().markdown.codeBackground,
             dark.markdown.codeBackground);
    const QColor darkKeyword = dark.markdown.syntax[size_t(CodeToken::Keyword)];
    QVERIFY(darkKeyword != lightKeyword);
    QTRY_VERIFY(near(grabTranscript().pixel(2, 2), dark.base, 2));
    image = grabTranscript();
    QVERIFY2(count(image, dark.markdown.codeBackground) > 2000, "code block background");
    QCOMPARE(count(image, light.markdown.codeBackground, 0), 0);
    QVERIFY2(count(image, darkKeyword, 24) > 20, "syntax colour");
    QCOMPARE(count(image, lightKeyword, 8), 0);
    QVERIFY2(count(image, dark.markdown.text, 24) > 50, "text colour");
    QCOMPARE(count(image, light.markdown.text, 6), 0); // no dark text left on the dark background
    QCOMPARE(count(image, dark.markdown.border, 0) > 0, true); // table rules
    const QModelIndex last = model->index(streaming, 0);
    QCOMPARE(last.data(TranscriptModel::TextRole).toString(), u"Streaming goes on after the switch."_s);
    QTRY_VERIFY(m_window->transcriptView()->messageDelegate()->plainText(
                    m_window->transcriptView()->itemOption(last), last).contains(u"after the switch"_s));

    // And back.
    switchTheme(Settings::Theme::Light);
    QCOMPARE(QIcon::themeName(), u"sluice"_s);
    QTRY_VERIFY(near(grabTranscript().pixel(2, 2), light.base, 2));
    image = grabTranscript();
    QVERIFY(count(image, light.markdown.codeBackground) > 2000);
    QCOMPARE(count(image, dark.markdown.codeBackground, 0), 0);
    QVERIFY(count(image, lightKeyword, 24) > 20);
    QCOMPARE(count(image, darkKeyword, 8), 0);
}

namespace {

// Lightness of the middle of what \a widget paints (grabbed with its children).
int lightnessOf(QWidget *widget, QPoint at = {})
{
    const QImage image = widget->grab().toImage();
    if (at.isNull())
        at = QPoint(image.width() / 2, image.height() / 2);
    return QColor(image.pixel(at)).lightness();
}

} // namespace

// Widgets with style sheets (the banner, the composer, the metrics tiles) and
// the endpoint button follow too, not only the palette-painted transcript.
void tst_ThemeSwitch::restOfTheWindowFollows()
{
    m_window->showNotice(u"A notice in the banner."_s, MessageBanner::Kind::Warning);
    QWidget *banner = m_window->banner();
    QWidget *composerFrame = m_window->findChild<QWidget *>(u"ComposerFrame"_s);
    QWidget *tile = m_window->metricsPanel()->findChild<QWidget *>(u"MetricTile"_s);
    QVERIFY(composerFrame);
    QVERIFY(tile);
    QTRY_VERIFY(banner->isVisible());
    const QPoint empty(banner->width() - 80, banner->height() / 2); // right of the text, left of the close button
    const auto check = [&](bool dark) {
        QCOMPARE(m_window->palette().color(QPalette::Window).lightness() < 128, dark);
        QCOMPARE(lightnessOf(banner, empty) < 128, dark);
        QCOMPARE(lightnessOf(composerFrame, QPoint(20, composerFrame->height() / 2)) < 128, dark);
        QCOMPARE(QColor(tile->grab().toImage().pixel(tile->width() - 6, tile->height() / 2)),
                 QApplication::palette().color(QPalette::Base));
        QCOMPARE(lightnessOf(m_window->endpointButton()) < 128, dark);
        QCOMPARE(QIcon::themeName(), dark ? u"sluice-dark"_s : u"sluice"_s);
    };
    check(false);
    if (QTest::currentTestFailed())
        return;
    switchTheme(Settings::Theme::Dark);
    check(true);
    if (QTest::currentTestFailed())
        return;
    switchTheme(Settings::Theme::Light);
    check(false);
}

void tst_ThemeSwitch::systemGoesBackToThePlatformPalette()
{
    switchTheme(Settings::Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    switchTheme(Settings::Theme::System);
    // The platform here (offscreen) is light, and its style may be Fusion too.
    QCOMPARE(QApplication::palette().color(QPalette::Window), m_platformPalette.color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Base), m_platformPalette.color(QPalette::Base));
    QCOMPARE(QIcon::themeName(), AppTheme::iconThemeFor(m_platformPalette));
    QTRY_VERIFY(near(grabTranscript().pixel(2, 2), m_platformPalette.color(QPalette::Base), 2));
}

QTEST_MAIN(tst_ThemeSwitch)
#include "tst_themeswitch.moc"
