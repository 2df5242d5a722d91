#include "apierror.h"

#include "jsonreader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cmath>

using namespace Qt::StringLiterals;

// Error bodies are rare and small: QJsonDocument is fine here (cold path).

namespace {

constexpr int kMaxRecursion = 4;
constexpr qsizetype kMaxTextLength = 600;

// Whitespace folded, control characters (C0, DEL, C1: terminal escapes,
// bells) as spaces, lone surrogates as U+FFFD, cut to a length that fits a
// banner.
QString cleanText(const QString &text)
{
    QString s = text;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F)) {
            s[i] = u' ';
        } else if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            ++i; // a pair
        } else if (c.isSurrogate()) {
            s[i] = QChar(QChar::ReplacementCharacter); // a lone half (JSON "\ud800")
        }
    }
    s = s.simplified();
    if (s.size() > kMaxTextLength) {
        qsizetype cut = kMaxTextLength - 1;
        if (s.at(cut - 1).isHighSurrogate())
            --cut; // not between the halves of a pair
        s = s.left(cut) + QChar(0x2026);
    }
    return s;
}

// A string as is, an integral number without a fraction ("429"), else nothing.
QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return cleanText(value.toString());
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d);
    }
    return QString();
}

// A string, or an array of strings joined ("a; b"), as NestJS and others send.
QString messageText(const QJsonValue &value)
{
    if (value.isString())
        return cleanText(value.toString());
    if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : value.toArray()) {
            if (item.isString() && !item.toString().trimmed().isEmpty())
                parts << item.toString().simplified();
        }
        return cleanText(parts.join(u"; "_s));
    }
    return QString();
}

// FastAPI/pydantic: [{"loc": ["body", "model"], "msg": "field required", ...}]
QString validationListText(const QJsonArray &items)
{
    QStringList parts;
    for (const QJsonValue &item : items) {
        if (item.isString()) {
            parts << item.toString().simplified();
            continue;
        }
        const QJsonObject o = item.toObject();
        QString msg = o.value("msg"_L1).toString();
        if (msg.isEmpty())
            msg = o.value("message"_L1).toString();
        if (msg.isEmpty())
            continue;
        QStringList loc;
        for (const QJsonValue &part : o.value("loc"_L1).toArray()) {
            const QString text = scalarText(part);
            if (!text.isEmpty())
                loc << text;
        }
        parts << (loc.isEmpty() ? msg.simplified() : loc.join(u'.') + u": "_s + msg.simplified());
    }
    return cleanText(parts.join(u"; "_s));
}

std::optional<ApiError> fromValue(const QJsonValue &value, int depth);
std::optional<ApiError> fromBody(QByteArrayView body, int depth);

std::optional<ApiError> usable(ApiError error)
{
    if (error.isEmpty())
        return std::nullopt;
    return error;
}

// The inner object of {"error": {...}}: OpenAI, Anthropic, Gemini, OpenRouter.
ApiError fromErrorObject(const QJsonObject &o, int depth)
{
    ApiError error;
    const QJsonValue message = o.value("message"_L1);
    if (message.isObject() || message.isArray()) {
        // A relay that wrapped the upstream error object in `message`.
        if (const auto inner = fromValue(message, depth + 1))
            error.message = inner->message;
        if (error.message.isEmpty())
            error.message = messageText(message);
    } else {
        error.message = messageText(message);
    }
    error.type = scalarText(o.value("type"_L1));
    if (error.type.isEmpty() || error.type == "error"_L1)
        error.type = scalarText(o.value("status"_L1)); // Gemini: "RESOURCE_EXHAUSTED"
    error.code = scalarText(o.value("code"_L1));
    error.param = scalarText(o.value("param"_L1));

    // OpenRouter: {"message": "Provider returned error", "code": 429,
    //              "metadata": {"raw": "<upstream body or text>", "provider_name": "..."}}
    const QJsonObject metadata = o.value("metadata"_L1).toObject();
    if (!metadata.isEmpty()) {
        QString detail;
        const QJsonValue raw = metadata.value("raw"_L1);
        if (raw.isString()) {
            const QString rawText = raw.toString();
            const auto inner = fromBody(rawText.toUtf8(), depth + 1);
            detail = inner ? inner->message : cleanText(rawText);
        } else if (raw.isObject() || raw.isArray()) {
            if (const auto inner = fromValue(raw, depth + 1))
                detail = inner->message;
        }
        if (detail.isEmpty())
            detail = messageText(metadata.value("reasons"_L1)); // moderation
        const QString provider = scalarText(metadata.value("provider_name"_L1));
        if (!provider.isEmpty() && !error.message.contains(provider))
            error.message += (error.message.isEmpty() ? QString() : u" "_s) + u'(' + provider + u')';
        if (!detail.isEmpty() && detail != error.message && !error.message.contains(detail))
            error.message = error.message.isEmpty() ? detail : error.message + u": "_s + detail;
    }
    return error;
}

std::optional<ApiError> fromObject(const QJsonObject &o, int depth)
{
    if (depth > kMaxRecursion)
        return std::nullopt;

    const QJsonValue errorValue = o.value("error"_L1);
    if (errorValue.isObject()) {
        if (auto error = usable(fromErrorObject(errorValue.toObject(), depth)))
            return error;
    } else if (errorValue.isString() && !errorValue.toString().trimmed().isEmpty()) {
        ApiError error;
        const QString message = messageText(o.value("message"_L1));
        if (!message.isEmpty()) {
            // NestJS: {"statusCode": 400, "message": "...", "error": "Bad Request"}
            error.message = message;
            error.type = cleanText(errorValue.toString());
        } else {
            error.message = cleanText(errorValue.toString());
            error.type = scalarText(o.value("type"_L1));
        }
        if (error.type == "error"_L1)
            error.type.clear();
        error.code = scalarText(o.value("code"_L1));
        return usable(error);
    }

    // Cloudflare and others: {"errors": [{"message": "...", "code": 10000}]}
    const QJsonArray errors = o.value("errors"_L1).toArray();
    for (const QJsonValue &item : errors) {
        if (item.isObject()) {
            if (auto error = usable(fromErrorObject(item.toObject(), depth)))
                return error;
        } else if (item.isString() && !item.toString().trimmed().isEmpty()) {
            ApiError error;
            error.message = cleanText(item.toString());
            if (auto result = usable(error)) // not only control characters
                return result;
        }
    }

    // FastAPI and others: {"detail": "..."} or {"detail": [{"loc": [...], "msg": "..."}]}
    const QJsonValue detail = o.value("detail"_L1);
    if (detail.isString() && !detail.toString().trimmed().isEmpty()) {
        ApiError error;
        error.message = cleanText(detail.toString());
        if (auto result = usable(error)) // not only control characters
            return result;
    }
    if (detail.isArray()) {
        ApiError error;
        error.message = validationListText(detail.toArray());
        if (auto result = usable(error))
            return result;
    }
    if (detail.isObject()) {
        if (auto error = fromObject(detail.toObject(), depth + 1))
            return error;
        if (auto error = usable(fromErrorObject(detail.toObject(), depth + 1)))
            return error;
    }

    // Top-level fields: {"message": "..."} (also OpenAI Responses `event: error` payloads:
    // {"type": "error", "code": "...", "message": "...", "param": null}), and the
    // {"code": ..., "msg": "..."} / {"error_code": ..., "error_msg": "..."} relay shapes.
    ApiError error = fromErrorObject(o, depth);
    if (error.message.isEmpty()) {
        for (const auto key : {"msg"_L1, "error_msg"_L1, "error_message"_L1, "error_description"_L1}) {
            error.message = messageText(o.value(key));
            if (!error.message.isEmpty())
                break;
        }
    }
    if (error.code.isEmpty())
        error.code = scalarText(o.value("error_code"_L1));
    if (error.message.isEmpty())
        return std::nullopt; // a bare {"code": 5} or {"type": "x"} says nothing usable
    return error;
}

std::optional<ApiError> fromValue(const QJsonValue &value, int depth)
{
    if (depth > kMaxRecursion)
        return std::nullopt;
    if (value.isObject())
        return fromObject(value.toObject(), depth);
    if (value.isArray()) {
        // Gemini: [{"error": {"code": 429, "message": "...", "status": "..."}}]
        for (const QJsonValue &item : value.toArray()) {
            if (auto error = fromValue(item, depth + 1))
                return error;
        }
        return std::nullopt;
    }
    if (value.isString() && !value.toString().trimmed().isEmpty()) {
        ApiError error;
        error.message = cleanText(value.toString());
        return usable(error); // empty when it was only control characters
    }
    return std::nullopt;
}

std::optional<ApiError> fromBody(QByteArrayView body, int depth)
{
    if (depth > kMaxRecursion)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        if (doc.isObject())
            return fromObject(doc.object(), depth);
        if (doc.isArray())
            return fromValue(doc.array(), depth);
        return std::nullopt;
    }
    // QJsonDocument takes only objects and arrays; a body that is one JSON
    // string ("Invalid API key") is still a message.
    JsonReader reader(body);
    QString text;
    if (reader.readString(text) && reader.atEnd() && !text.trimmed().isEmpty()) {
        ApiError error;
        error.message = cleanText(text);
        return usable(error); // empty when it was only control characters
    }
    return std::nullopt;
}

} // namespace

namespace ApiErrors {

std::optional<ApiError> parse(QByteArrayView body)
{
    return fromBody(body, 0);
}

QString adviceForStatus(int httpStatus)
{
    switch (httpStatus) {
    case 400:
        return QCoreApplication::translate("ApiErrors",
                "The server rejected the request as invalid. Check the model name and the "
                "request parameters.");
    case 401:
        return QCoreApplication::translate("ApiErrors",
                "The server did not accept the API key. Check the API key in Settings.");
    case 402:
        return QCoreApplication::translate("ApiErrors",
                "The account has no credit left or needs a payment method. Check the billing "
                "settings of your provider account.");
    case 403:
        return QCoreApplication::translate("ApiErrors",
                "This API key has no access to this model or endpoint. Check the model name "
                "and the permissions of your account.");
    case 404:
        return QCoreApplication::translate("ApiErrors",
                "The server does not know this address or model. Check the base URL and the "
                "model name in Settings.");
    case 408:
        return QCoreApplication::translate("ApiErrors",
                "The server timed out waiting for the request. Try again.");
    case 413:
        return QCoreApplication::translate("ApiErrors",
                "The request is too long for the server. Shorten the conversation or start a "
                "new one.");
    case 422:
        return QCoreApplication::translate("ApiErrors",
                "The server could not process the request. Check the model name and the "
                "request parameters.");
    case 429:
        return QCoreApplication::translate("ApiErrors",
                "Too many requests, or the quota is used up. Wait a moment and try again, or "
                "check the limits of your plan.");
    case 500:
    case 502:
    case 503:
    case 504:
        return QCoreApplication::translate("ApiErrors",
                "The server has a problem (HTTP %1). Try again later.")
                .arg(httpStatus);
    case 529:
        return QCoreApplication::translate("ApiErrors",
                "The server is overloaded (HTTP 529). Try again later.");
    default:
        break;
    }
    if (httpStatus >= 500 && httpStatus < 600)
        return QCoreApplication::translate("ApiErrors",
                "The server reported an error (HTTP %1). Try again later.")
                .arg(httpStatus);
    if (httpStatus >= 400 && httpStatus < 500)
        return QCoreApplication::translate("ApiErrors",
                "The server refused the request (HTTP %1).")
                .arg(httpStatus);
    return QCoreApplication::translate("ApiErrors",
            "The request failed (HTTP %1).")
            .arg(httpStatus);
}

} // namespace ApiErrors
