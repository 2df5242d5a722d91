#include "api/apierror.h"

#include <QTest>

using namespace Qt::StringLiterals;

// ApiErrors: reading providers' error bodies, and advice per HTTP status.
class tst_ApiError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void longMessagesAreCut();
    void adviceForStatus_data();
    void adviceForStatus();
    void describe_data();
    void describe();
};

void tst_ApiError::parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("usable");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("param");

    auto row = [](const char *name, const QByteArray &body, const QString &message,
                  const QString &type = QString(), const QString &code = QString(),
                  const QString &param = QString()) {
        QTest::newRow(name) << body << true << message << type << code << param;
    };
    auto none = [](const char *name, const QByteArray &body) {
        QTest::newRow(name) << body << false << QString() << QString() << QString() << QString();
    };

    row("OpenAI",
        R"({"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
        u"Incorrect API key provided: sk-abc***xyz."_s, u"invalid_request_error"_s, u"invalid_api_key"_s);
    row("OpenAI with param",
        R"({"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}})",
        u"Invalid value for 'temperature'."_s, u"invalid_request_error"_s, u"invalid_value"_s,
        u"temperature"_s);
    row("OpenAI, numeric code", R"({"error":{"message":"Too many requests","type":"requests","code":429}})",
        u"Too many requests"_s, u"requests"_s, u"429"_s);
    row("OpenAI, null code", R"({"error":{"message":"The model `x` does not exist","type":"invalid_request_error","code":null}})",
        u"The model `x` does not exist"_s, u"invalid_request_error"_s);
    row("Anthropic",
        R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_1"})",
        u"invalid x-api-key"_s, u"authentication_error"_s);
    row("Gemini, list", R"([{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}])",
        u"Resource has been exhausted (e.g. check quota)."_s, u"RESOURCE_EXHAUSTED"_s, u"429"_s);
    row("Gemini, object",
        R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}})",
        u"API key not valid. Please pass a valid API key."_s, u"INVALID_ARGUMENT"_s, u"400"_s);
    row("relay, error as text", R"({"error":"Invalid token"})", u"Invalid token"_s);
    row("relay, error as text with a code", R"({"error":"quota exceeded","code":"insufficient_quota"})",
        u"quota exceeded"_s, QString(), u"insufficient_quota"_s);
    row("relay, message", R"({"message":"Unauthorized"})", u"Unauthorized"_s);
    row("relay, message with a code", R"({"code":401,"message":"Invalid API key"})", u"Invalid API key"_s,
        QString(), u"401"_s);
    row("relay, msg", R"({"code":1001,"msg":"key expired","data":null})", u"key expired"_s, QString(),
        u"1001"_s);
    row("detail as text (FastAPI)", R"({"detail":"Not Found"})", u"Not Found"_s);
    row("detail as a list (validation)",
        R"({"detail":[{"loc":["body","model"],"msg":"field required","type":"value_error.missing"}]})",
        u"body.model: field required"_s);
    row("detail as a list of two",
        R"({"detail":[{"loc":["body","messages",0,"role"],"msg":"bad role"},{"msg":"no model"}]})",
        u"body.messages.0.role: bad role; no model"_s);
    row("detail as an object", R"({"detail":{"message":"Model is loading"}})", u"Model is loading"_s);
    row("OpenRouter, raw upstream JSON",
        R"({"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day\"}}","provider_name":"Together"}},"user_id":"u"})",
        u"Provider returned error (Together): Rate limit exceeded: free-models-per-day"_s, QString(),
        u"429"_s);
    row("OpenRouter, raw upstream text",
        R"({"error":{"message":"Provider returned error","code":502,"metadata":{"raw":"upstream connect error or disconnect/reset before headers"}}})",
        u"Provider returned error: upstream connect error or disconnect/reset before headers"_s, QString(),
        u"502"_s);
    row("OpenRouter, moderation",
        R"({"error":{"message":"Input was flagged","code":403,"metadata":{"reasons":["violence","hate"],"flagged_input":"...","provider_name":"OpenAI"}}})",
        u"Input was flagged (OpenAI): violence; hate"_s, QString(), u"403"_s);
    row("NestJS", R"({"statusCode":400,"message":["model must be a string","messages should not be empty"],"error":"Bad Request"})",
        u"model must be a string; messages should not be empty"_s, u"Bad Request"_s);
    row("OpenAI Responses error event",
        R"({"type":"error","code":"insufficient_quota","message":"You exceeded your current quota.","param":null,"sequence_number":2})",
        u"You exceeded your current quota."_s, QString(), u"insufficient_quota"_s);
    row("Cloudflare errors list", R"({"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[]})",
        u"Authentication error"_s, QString(), u"10000"_s);
    row("nested message object",
        R"({"error":{"message":{"error":{"message":"inner text"}},"type":"upstream_error"}})",
        u"inner text"_s, u"upstream_error"_s);
    row("a JSON string", R"("Invalid API key")", u"Invalid API key"_s);
    row("whitespace is folded", "{\"error\":{\"message\":\"  two\\n lines\\t here \"}}", u"two lines here"_s);
    row("unicode", R"({"error":{"message":"\u4f59\u989d\u4e0d\u8db3 \ud83d\ude22"}})", u"余额不足 😢"_s);
    row("only a type", R"({"error":{"type":"server_error"}})", QString(), u"server_error"_s);

    none("empty body", "");
    none("HTML", "<html><body><h1>502 Bad Gateway</h1></body></html>");
    none("plain text", "Bad Gateway");
    none("empty object", "{}");
    none("empty list", "[]");
    none("empty error object", R"({"error":{}})");
    none("null error", R"({"error":null})");
    none("empty error text", R"({"error":"  "})");
    none("a bare code", R"({"code":500})");
    none("JSON null", "null");
    none("a number", "500");
    none("truncated JSON", R"({"error":{"message":"cut)");
    none("a list of nothing usable", R"([{"foo":1},2,null])");
}

void tst_ApiError::parse()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, usable);
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, param);

    const std::optional<ApiError> error = ApiErrors::parse(body);
    QCOMPARE(error.has_value(), usable);
    if (!error)
        return;
    QCOMPARE(error->message, message);
    QCOMPARE(error->type, type);
    QCOMPARE(error->code, code);
    QCOMPARE(error->param, param);
    QVERIFY(!error->isEmpty());
}

void tst_ApiError::longMessagesAreCut()
{
    const QByteArray body = R"({"error":{"message":")" + QByteArray(5000, 'x') + R"("}})";
    const std::optional<ApiError> error = ApiErrors::parse(body);
    QVERIFY(error);
    QVERIFY(error->message.size() <= 600);
    QVERIFY(error->message.endsWith(QChar(0x2026)));

    // A deeply nested raw upstream body does not recurse without end.
    QByteArray nested = R"({"error":{"message":"m"}})";
    for (int i = 0; i < 10; ++i) {
        QByteArray escaped = nested;
        escaped.replace("\\", "\\\\").replace("\"", "\\\"");
        nested = R"({"error":{"message":"level","metadata":{"raw":")" + escaped + R"("}}})";
    }
    QVERIFY(ApiErrors::parse(nested));
}

void tst_ApiError::adviceForStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("contains");

    QTest::newRow("400 bad request") << 400 << u"model name and the request parameters"_s;
    QTest::newRow("401 key invalid") << 401 << u"Check the API key in Settings."_s;
    QTest::newRow("402 payment") << 402 << u"credit"_s;
    QTest::newRow("403 no access") << 403 << u"no access to this model"_s;
    QTest::newRow("404 wrong URL or model") << 404 << u"base URL and the model name"_s;
    QTest::newRow("408 timeout") << 408 << u"timed out"_s;
    QTest::newRow("413 too long") << 413 << u"too long"_s;
    QTest::newRow("422 unprocessable") << 422 << u"could not process"_s;
    QTest::newRow("429 rate limit") << 429 << u"Wait a moment"_s;
    QTest::newRow("500") << 500 << u"Try again later."_s;
    QTest::newRow("502") << 502 << u"(HTTP 502). Try again later."_s;
    QTest::newRow("503") << 503 << u"Try again later."_s;
    QTest::newRow("504") << 504 << u"Try again later."_s;
    QTest::newRow("529 overloaded") << 529 << u"overloaded"_s;
    QTest::newRow("other 5xx") << 599 << u"(HTTP 599). Try again later."_s;
    QTest::newRow("other 4xx") << 418 << u"HTTP 418"_s;
    QTest::newRow("no status") << 0 << u"HTTP 0"_s;
}

void tst_ApiError::adviceForStatus()
{
    QFETCH(int, status);
    QFETCH(QString, contains);

    const QString advice = ApiErrors::adviceForStatus(status);
    QVERIFY2(advice.contains(contains), qPrintable(advice));
    QVERIFY(advice.endsWith(u'.'));
    QVERIFY(advice.at(0).isUpper());
}

void tst_ApiError::describe_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expected");

    QTest::newRow("message only") << u"Bad key"_s << QString() << QString() << u"Bad key"_s;
    QTest::newRow("all parts") << u"Slow down"_s << u"rate_limit_error"_s << u"429"_s
                               << u"Slow down (rate_limit_error, 429)"_s;
    QTest::newRow("code equal to type") << u"m"_s << u"x"_s << u"x"_s << u"m (x)"_s;
    QTest::newRow("no message") << QString() << u"server_error"_s << u"500"_s << u"server_error (500)"_s;
    QTest::newRow("nothing") << QString() << QString() << QString() << QString();
}

void tst_ApiError::describe()
{
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, expected);

    ApiError error;
    error.message = message;
    error.type = type;
    error.code = code;
    QCOMPARE(error.describe(), expected);
}

QTEST_GUILESS_MAIN(tst_ApiError)
#include "tst_apierror.moc"
