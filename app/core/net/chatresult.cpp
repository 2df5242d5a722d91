#include "chatresult.h"

#include <QDebug>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

using Status = ChatResult::Status;

const std::array<std::pair<Status, QStringView>, 7> kNames = {{
    {Status::Completed, u"completed"},
    {Status::Stopped, u"stopped"},
    {Status::Truncated, u"truncated"},
    {Status::HttpError, u"http-error"},
    {Status::NetworkError, u"network-error"},
    {Status::Timeout, u"timeout"},
    {Status::ProtocolError, u"protocol-error"},
}};

} // namespace

QString ChatResult::statusName(Status status)
{
    for (const auto &[value, name] : kNames) {
        if (value == status)
            return name.toString();
    }
    return u"unknown"_s;
}

ChatResult::Status ChatResult::statusFromName(QStringView name, bool *ok)
{
    for (const auto &[value, text] : kNames) {
        if (text == name) {
            if (ok)
                *ok = true;
            return value;
        }
    }
    if (ok)
        *ok = false;
    return Status::Completed;
}

QDebug operator<<(QDebug debug, const ChatResult &result)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "ChatResult(" << ChatResult::statusName(result.status);
    if (result.httpStatus != 0)
        debug << ", http " << result.httpStatus;
    if (!result.finishReason.isEmpty())
        debug << ", finish " << result.finishReason;
    if (result.retries != 0)
        debug << ", retries " << result.retries;
    if (result.receivedContent)
        debug << ", content";
    if (!result.message.isEmpty())
        debug << ", " << result.message;
    debug << ')';
    return debug;
}
