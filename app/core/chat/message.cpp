#include "message.h"

using namespace Qt::StringLiterals;

QString Message::roleName(Role role)
{
    switch (role) {
    case Role::System:
        return u"system"_s;
    case Role::User:
        return u"user"_s;
    case Role::Assistant:
        return u"assistant"_s;
    }
    return u"user"_s;
}

std::optional<Message::Role> Message::roleFromName(const QString &name)
{
    for (Role r : {Role::System, Role::User, Role::Assistant})
        if (roleName(r) == name)
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
