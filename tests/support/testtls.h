#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QtNetwork/qtnetworkglobal.h>

#include <optional>

#if QT_CONFIG(ssl)
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

// TEST-ONLY TLS identities: a self-signed certificate for 127.0.0.1 and
// localhost, made when a test runs with the `openssl` command-line tool (a
// P-256 key, valid for two days, written into a folder the test owns). Nothing
// trusts it unless a test says so, which is the point: a client must refuse it.
//
//     QString whyNot;
//     const auto identity = TestTls::makeSelfSigned(tempDir.path(), &whyNot);
//     if (!identity)
//         QSKIP(qPrintable(whyNot));                  // no openssl, no TLS backend
//     server.setTlsConfiguration(TestTls::serverConfiguration(*identity));
//     server.listen();                                // server.url() is https://127.0.0.1:<port>
namespace TestTls {

struct Identity
{
    QSslCertificate certificate;
    QSslKey key;
};

// nullopt and a sentence in *whyNot when Qt has no TLS backend or openssl is
// missing or fails. Blocks while openssl runs (well under a second): call it
// before the event loop matters (initTestCase).
std::optional<Identity> makeSelfSigned(const QString &directory, QString *whyNot);

// A server configuration presenting `identity`, not asking for client certificates.
QSslConfiguration serverConfiguration(const Identity &identity);

// --- A small test-only PKI, for the certificate faults a client must refuse --
//
//     const auto ca = TestTls::makeAuthority(dir, u"Sluice test CA"_s, &whyNot);
//     TestTls::LeafOptions expired;
//     expired.notBefore = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
//     expired.notAfter = expired.notBefore.addDays(1);
//     const auto leaf = TestTls::makeLeaf(dir, *ca, expired, &whyNot);
//     trusting.addCaCertificate(ca->certificate);      // only the test's own configuration
//
// With the authority trusted, each leaf has exactly one fault: expired,
// another host name, or (leaf of an authority that is not trusted) an
// unknown issuer. Like makeSelfSigned(), these block while openssl runs.

// A certificate authority (CA:TRUE, keyCertSign), valid for two days.
std::optional<Identity> makeAuthority(const QString &directory, const QString &commonName, QString *whyNot);

struct LeafOptions
{
    QString commonName = QStringLiteral("127.0.0.1");
    // openssl's form: "IP:127.0.0.1", "DNS:localhost".
    QStringList subjectAltNames = {QStringLiteral("IP:127.0.0.1"), QStringLiteral("DNS:localhost")};
    // Null: from an hour ago to two days from now (UTC).
    QDateTime notBefore;
    QDateTime notAfter;
};

// A server certificate signed by `issuer` (made by makeAuthority()).
std::optional<Identity> makeLeaf(const QString &directory, const Identity &issuer, const LeafOptions &options,
                                 QString *whyNot);

// Shorthands: for 127.0.0.1 and localhost, valid from 2020-01-01 to 2020-01-02;
// and valid now, but only for `hostName` (a DNS name), not for 127.0.0.1.
std::optional<Identity> makeExpired(const QString &directory, const Identity &issuer, QString *whyNot);
std::optional<Identity> makeForOtherHost(const QString &directory, const Identity &issuer, const QString &hostName,
                                         QString *whyNot);

} // namespace TestTls
#endif
