#include "testtls.h"

#if QT_CONFIG(ssl)
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
#endif
