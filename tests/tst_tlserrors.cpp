#include "net/tlserrors.h"

#include <QTest>

using namespace Qt::StringLiterals;

// TlsErrors::describe(): certificate faults in plain words. The certificates
// below are fixed TEST-ONLY ones (self-signed P-256, the key thrown away),
// valid from 2020-01-01 12:00 to 2020-03-15 12:00 UTC (noon, so the dates are
// the same in every time zone); only their names and dates matter here.
// tst_tlsfaults covers the same over real TLS handshakes.

#if QT_CONFIG(ssl)
namespace {

// CN api.example.com; SAN DNS:api.example.com, DNS:eu.api.example.com,
// IP:192.0.2.7, email:ops@example.com.
const QByteArray kNamedPem = R"(-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgICA+gwCgYIKoZIzj0EAwIwPTEYMBYGA1UEAwwPYXBpLmV4
YW1wbGUuY29tMSEwHwYDVQQKDBhTbHVpY2UgdGVzdHMgKFRFU1QgT05MWSkwHhcN
MjAwMTAxMTIwMDAwWhcNMjAwMzE1MTIwMDAwWjA9MRgwFgYDVQQDDA9hcGkuZXhh
bXBsZS5jb20xITAfBgNVBAoMGFNsdWljZSB0ZXN0cyAoVEVTVCBPTkxZKTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABN8iDbZLt4zgZ4oQBCwVPBwlWNhd8FqnIm0I
aShpGH5JSetQ7+UHrxkX4PbsryyfZgGckOBq3+0PqAVknzYqycmjSTBHMEUGA1Ud
EQQ+MDyCD2FwaS5leGFtcGxlLmNvbYISZXUuYXBpLmV4YW1wbGUuY29thwTAAAIH
gQ9vcHNAZXhhbXBsZS5jb20wCgYIKoZIzj0EAwIDSAAwRQIgVWm9kWUAQXpCvh0Q
AQ3xXm2mH3VM9MlPpY8WPXtlVoQCIQDT7y1l+/BJ1/QqO81qNFRrLb3yjSyYRMdS
ZufhDd1cPQ==
-----END CERTIFICATE-----
)";

// CN legacy.example.com, no subject alternative names.
const QByteArray kCommonNameOnlyPem = R"(-----BEGIN CERTIFICATE-----
MIIBbTCCARSgAwIBAgICA+gwCgYIKoZIzj0EAwIwQDEbMBkGA1UEAwwSbGVnYWN5
LmV4YW1wbGUuY29tMSEwHwYDVQQKDBhTbHVpY2UgdGVzdHMgKFRFU1QgT05MWSkw
HhcNMjAwMTAxMTIwMDAwWhcNMjAwMzE1MTIwMDAwWjBAMRswGQYDVQQDDBJsZWdh
Y3kuZXhhbXBsZS5jb20xITAfBgNVBAoMGFNsdWljZSB0ZXN0cyAoVEVTVCBPTkxZ
KTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN8iDbZLt4zgZ4oQBCwVPBwlWNhd
8FqnIm0IaShpGH5JSetQ7+UHrxkX4PbsryyfZgGckOBq3+0PqAVknzYqyckwCgYI
KoZIzj0EAwIDRwAwRAIgQCB8isJ8Z2sXcuM5g7ABKf0xiaqdMKZDe0DRx1/vLHYC
IFSzQwgZXE1ZSIyqTKVlyoW9u9CuNeYcjrDfLWFB4Xxf
-----END CERTIFICATE-----
)";

// CN many.example.com; SAN DNS:h1.example.com … DNS:h8.example.com.
const QByteArray kManyNamesPem = R"(-----BEGIN CERTIFICATE-----
MIIB/TCCAaSgAwIBAgICA+gwCgYIKoZIzj0EAwIwPjEZMBcGA1UEAwwQbWFueS5l
eGFtcGxlLmNvbTEhMB8GA1UECgwYU2x1aWNlIHRlc3RzIChURVNUIE9OTFkpMB4X
DTIwMDEwMTEyMDAwMFoXDTIwMDMxNTEyMDAwMFowPjEZMBcGA1UEAwwQbWFueS5l
eGFtcGxlLmNvbTEhMB8GA1UECgwYU2x1aWNlIHRlc3RzIChURVNUIE9OTFkpMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3yINtku3jOBnihAELBU8HCVY2F3wWqci
bQhpKGkYfklJ61Dv5QevGRfg9uyvLJ9mAZyQ4Grf7Q+oBWSfNirJyaOBkTCBjjCB
iwYDVR0RBIGDMIGAgg5oMS5leGFtcGxlLmNvbYIOaDIuZXhhbXBsZS5jb22CDmgz
LmV4YW1wbGUuY29tgg5oNC5leGFtcGxlLmNvbYIOaDUuZXhhbXBsZS5jb22CDmg2
LmV4YW1wbGUuY29tgg5oNy5leGFtcGxlLmNvbYIOaDguZXhhbXBsZS5jb20wCgYI
KoZIzj0EAwIDRwAwRAIgTP1tuM9YRpXBU/rgDTUa9S29Vy1WDWntQxRki3+iWIAC
ICp0Y+rcD3qWeGy7kyXqIe9LEtZjcAQQ8wQHDLyVijB5
-----END CERTIFICATE-----
)";

const QString kUntrusted = u"not signed by an authority this computer trusts"_s;

QSslCertificate certificate(const QByteArray &pem)
{
    return QSslCertificate(pem, QSsl::Pem);
}

} // namespace

#endif

class tst_TlsErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void describe_data();
    void describe();
    void eachKindOnceMostSpecificFirst();
    void datesInTheLocale();
    void noFaultNoText();
};

void tst_TlsErrors::initTestCase()
{
#if QT_CONFIG(ssl)
    if (certificate(kNamedPem).isNull())
        QSKIP("no TLS backend can read certificates here");
    QCOMPARE(certificate(kNamedPem).expiryDate(), QDateTime(QDate(2020, 3, 15), QTime(12, 0), Qt::UTC));
#else
    QSKIP("Qt was built without TLS");
#endif
}

void tst_TlsErrors::describe_data()
{
#if QT_CONFIG(ssl)
    QTest::addColumn<QList<QSslError>>("errors");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QStringList>("expected"); // each must appear
    QTest::addColumn<QStringList>("absent");   // none may appear

    const QSslCertificate named = certificate(kNamedPem);
    const QLocale c = QLocale::c();
    const QString expiry = c.toString(named.expiryDate().toLocalTime().date(), QLocale::LongFormat);
    const QString effective = c.toString(named.effectiveDate().toLocalTime().date(), QLocale::LongFormat);

    QTest::newRow("expired") << QList<QSslError>{QSslError(QSslError::CertificateExpired, named)} << u"127.0.0.1"_s
                             << QStringList{u"certificate expired on "_s + expiry, u"15 March 2020"_s, u"clock"_s}
                             << QStringList{u"authority"_s, u"address"_s};
    QTest::newRow("expired, no certificate")
        << QList<QSslError>{QSslError(QSslError::CertificateExpired)} << u"127.0.0.1"_s
        << QStringList{u"certificate has expired"_s, u"clock"_s} << QStringList{u"expired on"_s};
    QTest::newRow("not yet valid") << QList<QSslError>{QSslError(QSslError::CertificateNotYetValid, named)}
                                   << u"127.0.0.1"_s
                                   << QStringList{u"valid only from "_s + effective, u"1 January 2020"_s, u"clock"_s}
                                   << QStringList{u"expired"_s};
    QTest::newRow("host name mismatch: the alternative names, not the e-mail address")
        << QList<QSslError>{QSslError(QSslError::HostNameMismatch, named)} << u"127.0.0.1"_s
        << QStringList{u"certificate is for api.example.com, eu.api.example.com, 192.0.2.7, not for 127.0.0.1; "
                       "check the address."_s}
        << QStringList{u"ops@example.com"_s, u"clock"_s, u"authority"_s};
    QTest::newRow("host name mismatch: the common name without alternative names")
        << QList<QSslError>{QSslError(QSslError::HostNameMismatch, certificate(kCommonNameOnlyPem))}
        << u"api.example.net"_s
        << QStringList{u"certificate is for legacy.example.com, not for api.example.net; check the address."_s}
        << QStringList{};
    QTest::newRow("host name mismatch: at most five names")
        << QList<QSslError>{QSslError(QSslError::HostNameMismatch, certificate(kManyNamesPem))} << u"localhost"_s
        << QStringList{u"for h1.example.com, h2.example.com, h3.example.com, h4.example.com, h5.example.com, …, "
                       "not for localhost"_s}
        << QStringList{u"h6.example.com"_s, u"h8.example.com"_s};
    QTest::newRow("host name mismatch, no certificate")
        << QList<QSslError>{QSslError(QSslError::HostNameMismatch)} << u"api.example.net"_s
        << QStringList{u"certificate is not made out for api.example.net; check the address."_s} << QStringList{};
    for (const auto error : {QSslError::UnableToGetLocalIssuerCertificate, QSslError::UnableToGetIssuerCertificate,
                             QSslError::SelfSignedCertificateInChain, QSslError::CertificateUntrusted,
                             QSslError::UnableToVerifyFirstCertificate}) {
        QTest::addRow("untrusted authority: %s", QSslError(error).errorString().toUtf8().constData())
            << QList<QSslError>{QSslError(error, named)} << u"127.0.0.1"_s
            << QStringList{kUntrusted, u"private CA"_s, u"proxy or antivirus that inspects HTTPS"_s}
            << QStringList{u"self-signed"_s, u"clock"_s};
    }
    QTest::newRow("self-signed")
        << QList<QSslError>{QSslError(QSslError::SelfSignedCertificate, named)} << u"127.0.0.1"_s
        << QStringList{u"certificate is self-signed, "_s + kUntrusted, u"proxy or antivirus that inspects HTTPS"_s}
        << QStringList{u"private CA"_s};
    QTest::newRow("revoked") << QList<QSslError>{QSslError(QSslError::CertificateRevoked, named)} << u"127.0.0.1"_s
                             << QStringList{u"certificate was revoked"_s} << QStringList{u"clock"_s};
    QTest::newRow("bad signature") << QList<QSslError>{QSslError(QSslError::CertificateSignatureFailed, named)}
                                   << u"127.0.0.1"_s << QStringList{u"signature on the server's certificate"_s}
                                   << QStringList{};
    QTest::newRow("no certificate") << QList<QSslError>{QSslError(QSslError::NoPeerCertificate)} << u"127.0.0.1"_s
                                    << QStringList{u"The server sent no certificate."_s} << QStringList{};
    // Without a sentence of its own: Qt's text, in one of ours.
    QString qtText = QSslError(QSslError::InvalidPurpose).errorString();
    if (qtText.endsWith(u'.'))
        qtText.chop(1);
    QTest::newRow("other: Qt's text") << QList<QSslError>{QSslError(QSslError::InvalidPurpose, named)}
                                      << u"127.0.0.1"_s
                                      << QStringList{u"problem with the server's certificate: "_s + qtText + u'.'}
                                      << QStringList{u".."_s};
#endif
}

void tst_TlsErrors::describe()
{
#if QT_CONFIG(ssl)
    QFETCH(QList<QSslError>, errors);
    QFETCH(QString, host);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, absent);
    const QString text = TlsErrors::describe(errors, host, QLocale::c());
    qInfo().noquote() << text;
    QVERIFY2(text.contains(u"certificate"_s), qPrintable(text));
    QVERIFY2(text.endsWith(u'.'), qPrintable(text));
    for (const QString &part : std::as_const(expected))
        QVERIFY2(text.contains(part), qPrintable(u"“%1” not in: %2"_s.arg(part, text)));
    for (const QString &part : std::as_const(absent))
        QVERIFY2(!text.contains(part), qPrintable(u"“%1” in: %2"_s.arg(part, text)));
#endif
}

void tst_TlsErrors::eachKindOnceMostSpecificFirst()
{
#if QT_CONFIG(ssl)
    // What Qt reports for an expired leaf of an unknown authority, served under
    // another name: the untrusted root appears for several links of the chain.
    const QSslCertificate named = certificate(kNamedPem);
    const QList<QSslError> errors{QSslError(QSslError::UnableToGetLocalIssuerCertificate, named),
                                  QSslError(QSslError::CertificateUntrusted, named),
                                  QSslError(QSslError::CertificateExpired, named),
                                  QSslError(QSslError::UnableToVerifyFirstCertificate, named),
                                  QSslError(QSslError::HostNameMismatch, named),
                                  QSslError(QSslError::CertificateExpired, named)};
    const QString text = TlsErrors::describe(errors, u"127.0.0.1"_s, QLocale::c());
    const qsizetype host = text.indexOf(u"not for 127.0.0.1"_s);
    const qsizetype expired = text.indexOf(u"expired on"_s);
    const qsizetype untrusted = text.indexOf(kUntrusted);
    QVERIFY2(host >= 0 && expired > host && untrusted > expired, qPrintable(text));
    QCOMPARE(text.count(kUntrusted), 1);
    QCOMPARE(text.count(u"expired on"_s), 1);

    // A self-signed certificate says the untrusted issuer more precisely.
    const QString selfSigned = TlsErrors::describe({QSslError(QSslError::SelfSignedCertificate, named),
                                                    QSslError(QSslError::CertificateUntrusted, named)},
                                                   u"127.0.0.1"_s, QLocale::c());
    QCOMPARE(selfSigned.count(kUntrusted), 1);
    QVERIFY2(selfSigned.contains(u"self-signed"_s), qPrintable(selfSigned));

    // Faults told in Qt's words: each distinct one once.
    const QString others = TlsErrors::describe({QSslError(QSslError::InvalidPurpose, named),
                                                QSslError(QSslError::InvalidPurpose, named),
                                                QSslError(QSslError::PathLengthExceeded, named)},
                                               u"127.0.0.1"_s, QLocale::c());
    QCOMPARE(others.count(u"problem with the server's certificate"_s), 2);
#endif
}

void tst_TlsErrors::datesInTheLocale()
{
#if QT_CONFIG(ssl)
    const QList<QSslError> expired{QSslError(QSslError::CertificateExpired, certificate(kNamedPem))};
    const QString german = TlsErrors::describe(expired, u"127.0.0.1"_s, QLocale(QLocale::German, QLocale::Germany));
    QVERIFY2(german.contains(u"15. März 2020"_s), qPrintable(german));
#endif
}

void tst_TlsErrors::noFaultNoText()
{
#if QT_CONFIG(ssl)
    QCOMPARE(TlsErrors::describe({}, u"127.0.0.1"_s), QString());
    QCOMPARE(TlsErrors::describe({QSslError()}, u"127.0.0.1"_s), QString());
#endif
}

QTEST_GUILESS_MAIN(tst_TlsErrors)
#include "tst_tlserrors.moc"
