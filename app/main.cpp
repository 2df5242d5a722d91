// sluice: the desktop application.
//   sluice [--base-url URL] [--model M]
// --base-url and --model apply to this run only (they are not saved);
// SLUICE_API_KEY in the environment is the key for this run (never saved).
//
// Hooks for measuring and for screenshots (not shown in --help):
//   SLUICE_EXIT_AFTER_SHOWN=1  print the milliseconds to the first painted window and
//                              to the sidebar painted with its rows, then quit (StartupProbe)
//   SLUICE_BENCH_OPEN=id       with it: then open that conversation, time it to its paint
//   SLUICE_BENCH_SEARCH=text   with it: then search for text, time it to the hits' paint
//   SLUICE_DEMO_PROMPT=text    send this prompt once the endpoint is known
#include "chat/conversationlistmodel.h"
#include "conversationsidebar.h"
#include "mainwindow.h"
#include "net/proxyconfig.h"
#include "secrets/secretstore.h"
#include "secrets/secretstores.h"
#include "settings/settings.h"
#include "store/historystore.h"
#include "transcriptview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <functional>
#include <memory>
#include <utility>

#ifdef Q_OS_LINUX
#include <QFile>
#include <time.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x23, 0x2a);
    const QColor base(0x17, 0x1a, 0x20);
    const QColor text(0xe6, 0xe8, 0xeb);
    const QColor muted(0x8b, 0x93, 0xa1);
    const QColor button(0x2a, 0x2f, 0x38);
    const QColor highlight(0x4f, 0x7c, 0xf7);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x30, 0x35, 0x3f));
    p.setColor(QPalette::Mid, QColor(0x3b, 0x41, 0x4c));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xa2, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xa9, 0x8b, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, muted);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x3a, 0x40, 0x4b));
    return p;
}

// Settings::theme(): dark → Fusion with a dark palette, light → Fusion's own
// light palette, system → the platform's style untouched. The icon theme follows.
void applyTheme(Settings::Theme theme)
{
    // What the platform gave us, to go back to when "system" is chosen again.
    static const QString nativeStyle = QApplication::style()->name();
    static const QPalette nativePalette = QApplication::palette();
    if (theme == Settings::Theme::Dark || theme == Settings::Theme::Light) {
        if (QStyle *fusion = QStyleFactory::create(u"Fusion"_s)) {
            QApplication::setStyle(fusion);
            QApplication::setPalette(theme == Settings::Theme::Dark ? darkPalette() : fusion->standardPalette());
        }
    } else if (QApplication::style()->name() != nativeStyle) {
        QApplication::setStyle(nativeStyle);
        QApplication::setPalette(nativePalette);
    }
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    if (!QIcon::themeSearchPaths().contains(u":/icons"_s))
        QIcon::setThemeSearchPaths(QIcon::themeSearchPaths() << u":/icons"_s);
    QIcon::setThemeName(dark ? u"sluice-dark"_s : u"sluice"_s);
}

void loadTranslations(QApplication &app)
{
    const QLocale locale = QLocale::system();
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(locale, u"sluice"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(own);
}

// Milliseconds since the kernel started this process (-1 where unknown).
double msSinceProcessStart()
{
#ifdef Q_OS_LINUX
    QFile stat(u"/proc/self/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Field 22 (starttime, in clock ticks since boot) counts from after "(comm)".
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble();
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (ticksPerSecond <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const double nowMs = double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6;
    return nowMs - startTicks * 1000.0 / double(ticksPerSecond);
#else
    return -1;
#endif
}

QString procStatusKb(const char *field)
{
#ifdef Q_OS_LINUX
    QFile status(u"/proc/self/status"_s);
    if (status.open(QIODevice::ReadOnly)) {
        const QByteArray prefix = QByteArray(field) + ':';
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith(prefix))
                return QString::fromLatin1(line.mid(prefix.size()).trimmed().split(' ').first());
    }
#endif
    Q_UNUSED(field)
    return u"-1"_s;
}

// What bench/bench_startup.sh reads (SLUICE_EXIT_AFTER_SHOWN=1), one
// "name value" line each, then quits:
//   first-paint-ms-since-main, first-paint-ms-since-process-start
//       when the window's first Paint event arrives
//   sidebar-shown-ms-since-main, sidebar-shown-ms-since-process-start, sidebar-rows
//       when the sidebar's list has painted its rows (the paint done and flushed);
//       rows loaded at that moment (0: an empty history)
//   open-ms, open-rows          (SLUICE_BENCH_OPEN=<conversation id>)
//       from openConversation() until the transcript has painted it
//   search-ms, search-hits      (SLUICE_BENCH_SEARCH=<text>)
//       from the text in the search field until the hits are painted (without
//       the pause the field waits for while one types)
//   rss-kb, hwm-kb              VmRSS and VmHWM at the end
// Each step waits for a Paint event of one widget while a condition holds;
// its time is taken in a zero timer queued from that event, which runs after
// the paint and the flush to the screen.
class StartupProbe : public QObject
{
public:
    StartupProbe(const QElapsedTimer &sinceMain, MainWindow *window)
        : QObject(window)
        , m_sinceMain(sinceMain)
        , m_window(window)
        , m_openId(qEnvironmentVariable("SLUICE_BENCH_OPEN").toLongLong())
        , m_searchText(qEnvironmentVariable("SLUICE_BENCH_SEARCH"))
    {
        qApp->installEventFilter(this);
        ConversationSidebar *sidebar = window->sidebar();
        if (!sidebar) { // no history: the window's first paint is all there is
            waitForPaint(nullptr, [] { return true; }, [this] { finish(); });
            return;
        }
        const ConversationListModel *model = sidebar->model();
        waitForPaint(
            sidebar->listView()->viewport(),
            [model] { return model->rowCount() > 0 || !model->canFetchMore(QModelIndex()); },
            [this, model] {
                printMs("sidebar-shown-ms-since-main", ms(m_sinceMain));
                printMs("sidebar-shown-ms-since-process-start", msSinceProcessStart());
                printCount("sidebar-rows", model->rowCount());
                openConversation();
            });
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType()) {
            auto *widget = static_cast<QWidget *>(watched);
            if (m_firstPaintMs < 0 && widget->window() == m_window) {
                m_firstPaintMs = ms(m_sinceMain);
                m_firstPaintProcessMs = msSinceProcessStart();
            }
            if (m_then && (m_target ? widget == m_target : widget->window() == m_window) && m_ready()) {
                // After this paint and its flush.
                QTimer::singleShot(0, this, std::exchange(m_then, {}));
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    static double ms(const QElapsedTimer &timer) { return double(timer.nsecsElapsed()) / 1e6; }
    static void printMs(const char *name, double value)
    {
        QTextStream(stdout) << name << ' ' << QString::number(value, 'f', 1) << '\n';
    }
    static void printCount(const char *name, int value) { QTextStream(stdout) << name << ' ' << value << '\n'; }

    void waitForPaint(QWidget *target, std::function<bool()> ready, std::function<void()> then)
    {
        m_target = target;
        m_ready = std::move(ready);
        m_then = std::move(then);
    }

    void openConversation()
    {
        if (m_openId <= 0) {
            search();
            return;
        }
        m_step.start();
        if (!m_window->openConversation(m_openId)) {
            QTextStream(stderr) << "sluice: SLUICE_BENCH_OPEN: no conversation " << m_openId << '\n';
            finish(1);
            return;
        }
        const QAbstractItemModel *transcript = m_window->transcriptView()->model();
        waitForPaint(
            m_window->transcriptView()->viewport(), [transcript] { return transcript->rowCount() > 0; },
            [this, transcript] {
                printMs("open-ms", ms(m_step));
                printCount("open-rows", transcript->rowCount());
                search();
            });
    }

    void search()
    {
        ConversationSidebar *sidebar = m_window->sidebar();
        if (m_searchText.isEmpty() || !sidebar) {
            finish();
            return;
        }
        QListView *results = sidebar->resultsView();
        sidebar->setSearchDelay(0);
        m_step.start();
        sidebar->searchField()->setText(m_searchText);
        waitForPaint(results->viewport(), [results] { return results->isVisible(); }, [this, results] {
            printMs("search-ms", ms(m_step));
            printCount("search-hits", results->model()->rowCount());
            finish();
        });
    }

    void finish(int status = 0)
    {
        printMs("first-paint-ms-since-main", m_firstPaintMs);
        printMs("first-paint-ms-since-process-start", m_firstPaintProcessMs);
        QTextStream(stdout) << "rss-kb " << procStatusKb("VmRSS") << '\n'
                            << "hwm-kb " << procStatusKb("VmHWM") << '\n';
        QApplication::exit(status);
    }

    QElapsedTimer m_sinceMain;
    MainWindow *m_window;
    qint64 m_openId;
    QString m_searchText;
    double m_firstPaintMs = -1;
    double m_firstPaintProcessMs = -1;
    QElapsedTimer m_step;
    QWidget *m_target = nullptr; // null: any widget of the window
    std::function<bool()> m_ready;
    std::function<void()> m_then;
};

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();

    // Our debug chatter only when asked for (QT_LOGGING_RULES="sluice.*.debug=true").
    QLoggingCategory::setFilterRules(u"sluice.*.debug=false"_s);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Sluice"_s);
    QApplication::setApplicationName(u"Sluice"_s);
    QApplication::setApplicationDisplayName(u"Sluice"_s);
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
    QGuiApplication::setDesktopFileName(u"sluice"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/sluice.svg"_s));
    loadTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Native desktop chat client for streaming LLM APIs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption baseUrlOption(u"base-url"_s,
                                           QApplication::translate("main", "Send requests to <url> for this run (not saved)."),
                                           u"url"_s);
    const QCommandLineOption modelOption(u"model"_s,
                                         QApplication::translate("main", "Use <model> for this run (not saved)."),
                                         u"model"_s);
    parser.addOption(baseUrlOption);
    parser.addOption(modelOption);
    parser.process(app);

    MainWindow::Overrides overrides;
    if (parser.isSet(baseUrlOption)) {
        overrides.baseUrl = QUrl::fromUserInput(parser.value(baseUrlOption));
        if (!Settings::isUsableBaseUrl(overrides.baseUrl)) {
            QTextStream(stderr) << QApplication::translate("main", "sluice: --base-url needs an http:// or https:// address.")
                                << '\n';
            return 2;
        }
    }
    overrides.model = parser.value(modelOption).trimmed();

    Settings settings;
    applyTheme(settings.theme());

    QNetworkAccessManager nam;
    ProxyConfig::applyProxy(&nam, settings);

    // History: if it cannot be opened, the app keeps working without it.
    auto history = std::make_unique<HistoryStore>();
    QString historyError;
    if (history->open()) {
        history->markInterrupted();
    } else {
        historyError = history->lastError();
        history.reset();
    }

    MainWindow window(&nam, history.get(), nullptr, &settings);
    window.setOverrides(overrides);
    QObject::connect(&window, &MainWindow::themeChanged, &window, [](Settings::Theme theme) { applyTheme(theme); });
    QSettings state;
    window.restoreGeometry(state.value(u"window/geometry"_s).toByteArray());
    window.restoreState(state.value(u"window/state"_s).toByteArray());
    if (!historyError.isEmpty()) {
        window.showNotice(QApplication::translate("main", "The chat history could not be opened: %1 Chats are kept "
                                                          "until Sluice closes.")
                              .arg(historyError),
                          MessageBanner::Kind::Warning);
    }

    if (qEnvironmentVariableIntValue("SLUICE_EXIT_AFTER_SHOWN") == 1)
        new StartupProbe(sinceMain, &window);
    window.show();

    // Where API keys live is known only after a short asynchronous probe; the
    // window is already up. The endpoint is resolved once the store is known.
    std::unique_ptr<SecretStore> secrets;
    SecretStores::probe(&window, [&](std::unique_ptr<SecretStore> store, const QString &message) {
        secrets = std::move(store);
        window.setSecretStore(secrets.get());
        if (!message.isEmpty())
            window.showNotice(message, MessageBanner::Kind::Information);
    });

    // A keychain that does not answer soon (a D-Bus service that is slow to
    // start) must not keep the window waiting: go on without it (the Demo,
    // or SLUICE_API_KEY) and look again when it answers.
    QTimer::singleShot(1500, &window, [&window, &secrets] {
        if (!secrets && !window.isEndpointReady())
            window.reloadEndpoint();
    });

    const QString demoPrompt = qEnvironmentVariable("SLUICE_DEMO_PROMPT");
    if (!demoPrompt.isEmpty())
        QTimer::singleShot(400, &window, [&window, demoPrompt] { window.sendMessage(demoPrompt); });

    const int status = QApplication::exec();
    state.setValue(u"window/geometry"_s, window.saveGeometry());
    state.setValue(u"window/state"_s, window.saveState());
    return status;
}
