// sluice: the desktop application.
//   sluice [--base-url URL [--allow-insecure-http]] [--model M]
// --base-url and --model apply to this run only (they are not saved);
// SLUICE_API_KEY in the environment is the key for this run (never saved).
//
// Hooks for measuring and for screenshots (not shown in --help):
//   SLUICE_EXIT_AFTER_SHOWN=1  print the milliseconds to the first painted window and
//                              to the sidebar painted with its rows, then quit (StartupProbe)
//   SLUICE_BENCH_OPEN=id       with it: then open that conversation, time it to its paint
//   SLUICE_BENCH_SEARCH=text   with it: then search for text, time it to the hits' paint
//   SLUICE_DEMO_PROMPT=text    send this prompt once the endpoint is known
#include "apptheme.h"
#include "mainwindow.h"
#include "net/proxyconfig.h"
#include "secrets/secretstore.h"
#include "secrets/secretstores.h"
#include "settings/settings.h"
#include "startupprobe.h"
#include "store/historystore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

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
    const QCommandLineOption insecureOption(
        u"allow-insecure-http"_s,
        QApplication::translate("main", "Allow unencrypted http:// to the --base-url host even if it is not local "
                                        "or private (this run only)."));
    parser.addOption(baseUrlOption);
    parser.addOption(modelOption);
    parser.addOption(insecureOption);
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
    overrides.allowInsecureHttp = parser.isSet(insecureOption);

    Settings settings;
    AppTheme::apply(settings.theme());

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
    QObject::connect(&window, &MainWindow::themeChanged, &window, &AppTheme::apply);
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
