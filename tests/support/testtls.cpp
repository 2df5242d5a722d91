#include "testtls.h"

#if QT_CONFIG(ssl)
#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

std::optional<TestTls::Identity> TestTls::makeSelfSigned(const QString &directory, QString *whyNot)
{
    auto fail = [whyNot](const QString &why) {
        if (whyNot)
            *whyNot = why;
        return std::optional<Identity>();
    };
    if (!QSslSocket::supportsSsl())
        return fail(u"Qt has no working TLS backend here (QSslSocket::supportsSsl() is false)"_s);
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        return fail(u"the openssl command-line tool is not installed (Debian: apt install openssl); "
                    "it makes the test-only self-signed certificate"_s);

    const QDir dir(directory);
    const QString certPath = dir.filePath(u"test-only-selfsigned-cert.pem"_s);
    const QString keyPath = dir.filePath(u"test-only-selfsigned-key.pem"_s);
    QProcess process;
    process.setProgram(openssl);
    process.setArguments({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                          u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=127.0.0.1/O=Sluice tests (TEST ONLY)"_s,
                          u"-addext"_s, u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s,
                          u"-keyout"_s, keyPath, u"-out"_s, certPath});
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForStarted(10'000) || !process.waitForFinished(30'000))
        return fail(u"openssl did not run: "_s + process.errorString());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return fail(u"openssl failed: "_s + QString::fromLocal8Bit(process.readAll()).simplified());

    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return fail(u"cannot read what openssl wrote in "_s + directory);
    Identity identity;
    identity.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    identity.key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (identity.certificate.isNull() || identity.key.isNull())
        return fail(u"Qt cannot load the certificate or key openssl made"_s);
    return identity;
}

QSslConfiguration TestTls::serverConfiguration(const Identity &identity)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(identity.certificate);
    configuration.setPrivateKey(identity.key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

namespace {

// openssl's time format for `ca -startdate/-enddate` (UTCTime, years 1950–2049).
QString opensslTime(const QDateTime &time)
{
    return time.toUTC().toString(u"yyMMddHHmmss"_s) + u'Z';
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// A fresh folder below `directory` for one certificate's files.
QString newFolder(const QString &directory, const QString &prefix)
{
    static QAtomicInt counter;
    const QString path = QDir(directory).filePath(
        u"%1-%2-%3"_s.arg(prefix).arg(QCoreApplication::applicationPid()).arg(counter.fetchAndAddRelaxed(1)));
    return QDir().mkpath(path) ? path : QString();
}

// Runs openssl; empty on success, else why not.
QString runOpenssl(const QString &workingDirectory, const QStringList &arguments)
{
    if (!QSslSocket::supportsSsl())
        return u"Qt has no working TLS backend here (QSslSocket::supportsSsl() is false)"_s;
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        return u"the openssl command-line tool is not installed (Debian: apt install openssl); "
               "it makes the test-only certificates"_s;
    QProcess process;
    process.setWorkingDirectory(workingDirectory);
    process.setProgram(openssl);
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForStarted(10'000) || !process.waitForFinished(30'000))
        return u"openssl did not run: "_s + process.errorString();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return u"openssl %1 failed: %2"_s.arg(arguments.value(0), QString::fromLocal8Bit(process.readAll()).simplified());
    return QString();
}

std::optional<TestTls::Identity> load(const QString &certPath, const QString &keyPath, QString *whyNot)
{
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        if (whyNot)
            *whyNot = u"cannot read what openssl wrote: "_s + certPath;
        return std::nullopt;
    }
    TestTls::Identity identity;
    identity.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    identity.key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (identity.certificate.isNull() || identity.key.isNull()) {
        if (whyNot)
            *whyNot = u"Qt cannot load the certificate or key openssl made"_s;
        return std::nullopt;
    }
    return identity;
}

} // namespace

std::optional<TestTls::Identity> TestTls::makeAuthority(const QString &directory, const QString &commonName,
                                                         QString *whyNot)
{
    const QString folder = newFolder(directory, u"test-only-ca"_s);
    if (folder.isEmpty()) {
        if (whyNot)
            *whyNot = u"cannot create a folder in "_s + directory;
        return std::nullopt;
    }
    const QString error = runOpenssl(
        folder, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                 u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=%1/O=Sluice tests (TEST ONLY)"_s.arg(commonName),
                 u"-addext"_s, u"basicConstraints=critical,CA:TRUE"_s,
                 u"-addext"_s, u"keyUsage=critical,keyCertSign,cRLSign"_s,
                 u"-keyout"_s, u"ca-key.pem"_s, u"-out"_s, u"ca-cert.pem"_s});
    if (!error.isEmpty()) {
        if (whyNot)
            *whyNot = error;
        return std::nullopt;
    }
    return load(QDir(folder).filePath(u"ca-cert.pem"_s), QDir(folder).filePath(u"ca-key.pem"_s), whyNot);
}

std::optional<TestTls::Identity> TestTls::makeLeaf(const QString &directory, const Identity &issuer,
                                                   const LeafOptions &options, QString *whyNot)
{
    auto fail = [whyNot](const QString &why) {
        if (whyNot)
            *whyNot = why;
        return std::optional<Identity>();
    };
    const QString folder = newFolder(directory, u"test-only-leaf"_s);
    if (folder.isEmpty())
        return fail(u"cannot create a folder in "_s + directory);
    const QDir dir(folder);
    // `openssl ca` rather than `x509 -req`: it takes any start and end date,
    // so a certificate can have expired long ago without a clock to fake.
    const QByteArray config = "[ca]\n"
                              "default_ca = test_ca\n"
                              "[test_ca]\n"
                              "database = index.txt\n"
                              "new_certs_dir = .\n"
                              "serial = serial.txt\n"
                              "default_md = sha256\n"
                              "policy = any_name\n"
                              "copy_extensions = copy\n"
                              "unique_subject = no\n"
                              "[any_name]\n"
                              "commonName = supplied\n"
                              "organizationName = optional\n";
    if (!writeFile(dir.filePath(u"ca.cnf"_s), config) || !writeFile(dir.filePath(u"index.txt"_s), QByteArray())
        || !writeFile(dir.filePath(u"serial.txt"_s), "1000\n")
        || !writeFile(dir.filePath(u"issuer-cert.pem"_s), issuer.certificate.toPem())
        || !writeFile(dir.filePath(u"issuer-key.pem"_s), issuer.key.toPem()))
        return fail(u"cannot write the openssl files in "_s + folder);

    QString error = runOpenssl(
        folder, {u"req"_s, u"-new"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                 u"-nodes"_s, u"-subj"_s, u"/CN=%1/O=Sluice tests (TEST ONLY)"_s.arg(options.commonName),
                 u"-addext"_s, u"subjectAltName="_s + options.subjectAltNames.join(u','),
                 u"-keyout"_s, u"key.pem"_s, u"-out"_s, u"request.csr"_s});
    if (!error.isEmpty())
        return fail(error);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime notBefore = options.notBefore.isValid() ? options.notBefore : now.addSecs(-3600);
    const QDateTime notAfter = options.notAfter.isValid() ? options.notAfter : now.addDays(2);
    error = runOpenssl(folder, {u"ca"_s, u"-batch"_s, u"-config"_s, u"ca.cnf"_s, u"-cert"_s, u"issuer-cert.pem"_s,
                                u"-keyfile"_s, u"issuer-key.pem"_s, u"-startdate"_s, opensslTime(notBefore),
                                u"-enddate"_s, opensslTime(notAfter), u"-notext"_s, u"-in"_s, u"request.csr"_s,
                                u"-out"_s, u"cert.pem"_s});
    if (!error.isEmpty())
        return fail(error);
    return load(dir.filePath(u"cert.pem"_s), dir.filePath(u"key.pem"_s), whyNot);
}

std::optional<TestTls::Identity> TestTls::makeExpired(const QString &directory, const Identity &issuer, QString *whyNot)
{
    LeafOptions options;
    options.notBefore = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    options.notAfter = QDateTime(QDate(2020, 1, 2), QTime(0, 0), Qt::UTC);
    return makeLeaf(directory, issuer, options, whyNot);
}

std::optional<TestTls::Identity> TestTls::makeForOtherHost(const QString &directory, const Identity &issuer,
                                                           const QString &hostName, QString *whyNot)
{
    LeafOptions options;
    options.commonName = hostName;
    options.subjectAltNames = {u"DNS:"_s + hostName};
    return makeLeaf(directory, issuer, options, whyNot);
}
#endif
