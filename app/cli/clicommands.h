#pragma once

#include <QStringList>

// The sub-commands of sluice-cli. Each takes the whole argument list
// (argv[0] is the program, argv[1] the command) and returns the exit code.
namespace Cli {

enum ExitCode {
    ExitOk = 0,
    ExitUsage = 2,
    ExitApiError = 3,
    ExitNetworkError = 4, // also timeouts
    ExitTruncated = 5,    // also an unusable stream
    ExitStopped = 130,    // Ctrl+C
};

QString usage();
int chat(const QStringList &args);
int replay(const QStringList &args);
int sseDump(const QStringList &args);
int models(const QStringList &args);

} // namespace Cli
