#pragma once

#include <QList>
#include <QLocale>
#include <QString>
#include <QtNetwork/qtnetworkglobal.h>

#if QT_CONFIG(ssl)
#include <QSslError>

namespace TlsErrors {

// The certificate faults of one TLS handshake (QNetworkReply::sslErrors()) in
// plain sentences, each with what the user can check:
//
//     "The server's certificate expired on Thursday, 2 January 2020 00:00:00 (if
//      that date is not in the past, check this computer's clock)."
//     "The server's certificate is for api.example.com, not for 127.0.0.1;
//      check the address."
//     "The server's certificate is not signed by an authority this computer
//      trusts (a private CA, or a proxy or antivirus that inspects HTTPS)."
//
// `host` is the name or address that was connected to. One sentence a kind of
// fault, most specific first, each once (Qt reports one fault several times
// along a chain); a fault without a sentence of its own gets Qt's text. Dates
// are the certificate's, written in `locale` and local time. Empty when
// `errors` holds no fault. Pure: no I/O, no clock. The caller never ignores
// the errors: this only says what they are.
QString describe(const QList<QSslError> &errors, const QString &host, const QLocale &locale = QLocale());

} // namespace TlsErrors
#endif
