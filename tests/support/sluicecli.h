// Where the tests find the real sluice-cli they run as a child process.
#pragma once

#include <QString>

// <build>/app/cli/sluice-cli, next to <build>/tests/ where the core test
// binaries are; the environment variable SLUICE_CLI overrides it.
QString sluiceCliPath();
