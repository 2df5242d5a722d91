#include "message.h"

using namespace Qt::StringLiterals;

std::optional<ChatMessage::Role> Message::roleFromName(const QString &name)
{
    using Role = ChatMessage::Role;
    for (Role r : {Role::System, Role::User, Role::Assistant})
        if (ChatMessage::roleName(r) == name)
            return r;
    return std::nullopt;
}

QString Message::stateName(State state)
{
    switch (state) {
    case State::Completed:
        return u"completed"_s;
    case State::Streaming:
        return u"streaming"_s;
    case State::Stopped:
        return u"stopped"_s;
    case State::Truncated:
        return u"truncated"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Interrupted:
        return u"interrupted"_s;
    }
    return u"completed"_s;
}

std::optional<Message::State> Message::stateFromName(const QString &name)
{
    for (State s : {State::Completed, State::Streaming, State::Stopped, State::Truncated,
                    State::Failed, State::Interrupted})
        if (stateName(s) == name)
            return s;
    return std::nullopt;
}
