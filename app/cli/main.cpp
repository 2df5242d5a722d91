// sluice-cli: the headless front end on the same core as the app.
//   sluice-cli chat --base-url URL --model M [...] PROMPT
//   sluice-cli replay [--format openai] [--json] FILE
//   sluice-cli sse-dump < stream.sse
//   sluice-cli models --base-url URL
#include "clicommands.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // stderr carries reasoning, metrics and one line per error: no debug
    // chatter of the core's logging categories, and no keychain warning (the
    // chat command says in its own words why no key is sent).
    // QT_LOGGING_RULES still wins.
    QLoggingCategory::setFilterRules(u"sluice.*.debug=false\nsluice.secrets.warning=false"_s);
    QCoreApplication::setOrganizationName(u"Sluice"_s);
    QCoreApplication::setApplicationName(u"Sluice"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));

    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args.at(1) : QString();
    if (command == u"chat")
        return Cli::chat(args);
    if (command == u"replay")
        return Cli::replay(args);
    if (command == u"sse-dump")
        return Cli::sseDump(args);
    if (command == u"models")
        return Cli::models(args);
    if (command == u"--version" || command == u"-v") {
        QTextStream(stdout) << "sluice-cli " << QCoreApplication::applicationVersion() << '\n';
        return Cli::ExitOk;
    }
    QTextStream err(stderr);
    if (!command.isEmpty() && command != u"--help" && command != u"-h" && command != u"help")
        err << "sluice-cli: unknown command '" << command << "'\n\n";
    err << Cli::usage();
    return command.isEmpty() || command.startsWith(u'-') || command == u"help" ? Cli::ExitOk : Cli::ExitUsage;
}
