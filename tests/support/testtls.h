#pragma once

#include <QString>
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

} // namespace TestTls
#endif
