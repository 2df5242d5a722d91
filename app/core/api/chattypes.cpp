#include "chattypes.h"

using namespace Qt::StringLiterals;

QString ChatMessage::roleName(Role role)
{
    switch (role) {
    case Role::System:
        return u"system"_s;
    case Role::User:
        return u"user"_s;
    case Role::Assistant:
        return u"assistant"_s;
    case Role::Tool:
        return u"tool"_s;
    }
    return u"user"_s;
}

QString ApiError::describe() const
{
    QStringList extra;
    if (!type.isEmpty())
        extra << type;
    if (!code.isEmpty() && code != type)
        extra << code;
    QString text = message.isEmpty() ? (extra.isEmpty() ? QString() : extra.takeFirst()) : message;
    if (!extra.isEmpty())
        text += u" ("_s + extra.join(u", "_s) + u')';
    return text;
}
