#include "tlserrors.h"

#if QT_CONFIG(ssl)
#include <QCoreApplication>
#include <QDateTime>
#include <QSslCertificate>
#include <QStringList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxNames = 5; // a certificate may name hundreds of hosts

// The kinds of fault with a sentence of their own, in the order they are told.
enum class Kind {
    HostNameMismatch,
    Expired,
    NotYetValid,
    Revoked,
    SelfSigned,
    UntrustedIssuer,
    BadSignature,
    NoCertificate,
    Other, // Qt's own text
    Count
};

Kind kindOf(QSslError::SslError error)
{
    switch (error) {
    case QSslError::HostNameMismatch:
        return Kind::HostNameMismatch;
    case QSslError::CertificateExpired:
        return Kind::Expired;
    case QSslError::CertificateNotYetValid:
        return Kind::NotYetValid;
    case QSslError::CertificateRevoked:
        return Kind::Revoked;
    case QSslError::SelfSignedCertificate:
        return Kind::SelfSigned;
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
        return Kind::UntrustedIssuer;
    case QSslError::UnableToDecryptCertificateSignature:
    case QSslError::UnableToDecodeIssuerPublicKey:
    case QSslError::CertificateSignatureFailed:
        return Kind::BadSignature;
    case QSslError::NoPeerCertificate:
        return Kind::NoCertificate;
    default:
        return Kind::Other;
    }
}

QString when(const QDateTime &time, const QLocale &locale)
{
    const QDateTime local = time.toLocalTime();
    return locale.toString(local.date(), QLocale::LongFormat) + u' '
        + locale.toString(local.time(), QLocale::ShortFormat);
}

// The host names and addresses a certificate is made out for: its subject
// alternative names, else its common name.
QString namesOf(const QSslCertificate &certificate)
{
    // QMultiMap::values(key) lists the most recently inserted first: the
    // certificate's last name of each type.
    const auto alternative = certificate.subjectAlternativeNames();
    QStringList dns = alternative.values(QSsl::DnsEntry);
    QStringList addresses = alternative.values(QSsl::IpAddressEntry);
    std::reverse(dns.begin(), dns.end());
    std::reverse(addresses.begin(), addresses.end());
    QStringList names = dns + addresses;
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    names.removeAll(QString());
    names.removeDuplicates();
    if (names.size() > kMaxNames) {
        names.resize(kMaxNames);
        names.append(u"…"_s);
    }
    return names.join(u", "_s);
}

QString sentenceFor(Kind kind, const QSslError &error, const QString &host, const QLocale &locale)
{
    const QSslCertificate certificate = error.certificate();
    switch (kind) {
    case Kind::HostNameMismatch: {
        const QString names = namesOf(certificate);
        if (names.isEmpty()) {
            return QCoreApplication::translate("TlsErrors",
                                               "The server's certificate is not made out for %1; check the address.")
                .arg(host);
        }
        return QCoreApplication::translate("TlsErrors",
                                           "The server's certificate is for %1, not for %2; check the address.")
            .arg(names, host);
    }
    case Kind::Expired:
        if (!certificate.expiryDate().isValid()) {
            return QCoreApplication::translate(
                "TlsErrors", "The server's certificate has expired (or this computer's clock is wrong).");
        }
        return QCoreApplication::translate("TlsErrors",
                                           "The server's certificate expired on %1 (if that date is not in the "
                                           "past, check this computer's clock).")
            .arg(when(certificate.expiryDate(), locale));
    case Kind::NotYetValid:
        if (!certificate.effectiveDate().isValid()) {
            return QCoreApplication::translate(
                "TlsErrors", "The server's certificate is not valid yet (or this computer's clock is wrong).");
        }
        return QCoreApplication::translate("TlsErrors",
                                           "The server's certificate is valid only from %1 (if that date is "
                                           "already past, check this computer's clock).")
            .arg(when(certificate.effectiveDate(), locale));
    case Kind::Revoked:
        return QCoreApplication::translate(
            "TlsErrors", "The server's certificate was revoked: the authority that issued it has withdrawn it.");
    case Kind::SelfSigned:
        return QCoreApplication::translate("TlsErrors",
                                           "The server's certificate is self-signed, not signed by an authority "
                                           "this computer trusts (a server that made its own certificate, or a "
                                           "proxy or antivirus that inspects HTTPS).");
    case Kind::UntrustedIssuer:
        return QCoreApplication::translate("TlsErrors",
                                           "The server's certificate is not signed by an authority this computer "
                                           "trusts (a private CA, or a proxy or antivirus that inspects HTTPS).");
    case Kind::BadSignature:
        return QCoreApplication::translate("TlsErrors",
                                           "The signature on the server's certificate is not valid, so the "
                                           "certificate may have been altered.");
    case Kind::NoCertificate:
        return QCoreApplication::translate("TlsErrors", "The server sent no certificate.");
    case Kind::Other:
    case Kind::Count:
        break;
    }
    QString detail = error.errorString().trimmed();
    while (detail.endsWith(u'.'))
        detail.chop(1);
    return QCoreApplication::translate("TlsErrors", "There is a problem with the server's certificate: %1.")
        .arg(detail);
}

} // namespace

QString TlsErrors::describe(const QList<QSslError> &errors, const QString &host, const QLocale &locale)
{
    // The first error of each kind; every distinct Qt text of Kind::Other.
    std::array<const QSslError *, size_t(Kind::Count)> first{};
    QStringList others;
    for (const QSslError &error : errors) {
        if (error.error() == QSslError::NoError)
            continue;
        const Kind kind = kindOf(error.error());
        if (kind == Kind::Other) {
            const QString sentence = sentenceFor(kind, error, host, locale);
            if (!others.contains(sentence))
                others.append(sentence);
        } else if (!first[size_t(kind)]) {
            first[size_t(kind)] = &error;
        }
    }
    // A self-signed certificate is an untrusted issuer said more precisely.
    if (first[size_t(Kind::SelfSigned)])
        first[size_t(Kind::UntrustedIssuer)] = nullptr;

    QStringList sentences;
    for (size_t kind = 0; kind < size_t(Kind::Other); ++kind) {
        if (const QSslError *error = first[kind])
            sentences.append(sentenceFor(Kind(kind), *error, host, locale));
    }
    sentences += others;
    return sentences.join(u' ');
}
#endif
