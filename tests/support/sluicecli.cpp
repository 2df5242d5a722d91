#include "sluicecli.h"

#include <QCoreApplication>
#include <QDir>

using namespace Qt::StringLiterals;

QString sluiceCliPath()
{
    if (qEnvironmentVariableIsSet("SLUICE_CLI"))
        return qEnvironmentVariable("SLUICE_CLI");
    QString path = QCoreApplication::applicationDirPath() + u"/../app/cli/sluice-cli"_s;
#ifdef Q_OS_WIN
    path += u".exe"_s;
#endif
    return QDir::cleanPath(path);
}
