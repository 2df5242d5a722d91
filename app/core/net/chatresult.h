#pragma once

#include "api/chattypes.h"

#include <QMetaType>
#include <QObject>
#include <QString>

class QDebug;

// The outcome of one ChatClient::start(), delivered exactly once.
struct ChatResult
{
    Q_GADGET
public:
    enum class Status {
        Completed,     // [DONE] or a finish_reason arrived
        Stopped,       // cancel() was called
        Truncated,     // the connection closed before the stream said it was done
        HttpError,     // the API said no: a non-2xx status, a 2xx that is not an
                       // event stream, or an error object inside the stream
        NetworkError,  // connection refused, DNS, TLS, reset ...
        Timeout,       // connect or idle timeout
        ProtocolError, // the stream itself was unusable (an event over the size limit)
    };
    Q_ENUM(Status)

    Status status = Status::Completed;
    int httpStatus = 0;        // 0 when no HTTP response was received
    QString message;           // a plain sentence for the user; empty when Completed
    std::optional<ApiError> apiError; // the provider's own error object, if it sent one
    QString finishReason;      // "stop", "length", "tool_calls", "content_filter" ...
    int retries = 0;           // how many times the request was sent again
    bool receivedContent = false; // some text was delivered before the end

    bool isSuccess() const { return status == Status::Completed; }
    static QString statusName(Status status); // "completed", "stopped", ... (stable, for files)
    // The inverse of statusName(); `ok` is false (and Completed returned) for an unknown name.
    static Status statusFromName(QStringView name, bool *ok = nullptr);
};

Q_DECLARE_METATYPE(ChatResult)

// For test output and logs: status, HTTP status, retries and the message
// (which never contains the API key).
QDebug operator<<(QDebug debug, const ChatResult &result);
