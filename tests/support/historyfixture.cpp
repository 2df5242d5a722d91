#include "historyfixture.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace HistoryFixture {

QDateTime at(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs);
}

Conversation sampleConversation()
{
    return sampleConversation(u"Database migrations"_s);
}

Conversation sampleConversation(const QString &title)
{
    Conversation c;
    c.title = title;
    c.created = at(u"2024-05-01T10:00:00.000Z"_s);
    c.updated = at(u"2024-05-01T10:05:00.250Z"_s);
    c.endpoint = u"https://api.example.com/v1"_s;
    c.model = u"gpt-4o-mini"_s;
    c.systemPrompt = u"You are terse."_s;
    c.temperature = 0.7;
    c.maxTokens = 1024;
    return c;
}

Message message(qint64 conversationId, ChatMessage::Role role, const QString &content, Message::State state)
{
    Message m;
    m.conversationId = conversationId;
    m.role = role;
    m.content = content;
    m.state = state;
    return m;
}

Message fullAssistantMessage(qint64 conversationId)
{
    Message m = message(conversationId, ChatMessage::Role::Assistant,
                        u"Use `PRAGMA user_version` and step-wise migrations:\n\n"
                        "```sql\nPRAGMA user_version = 2;\n```"_s);
    m.reasoning = u"The user asks about schema versioning.\nKeep it short."_s;
    m.model = u"gpt-4o-mini-2024-07-18"_s;
    m.finishReason = u"stop"_s;
    m.usage.promptTokens = 42;
    m.usage.completionTokens = 128;
    m.usage.totalTokens = 170;
    m.usage.reasoningTokens = 16;
    m.usage.cachedPromptTokens = 8;
    m.metrics.ttftMs = 312.5;
    m.metrics.elapsedMs = 2400;
    m.metrics.tokens = 128;
    m.metrics.tokenSource = u"usage"_s;
    m.metrics.tokensPerSecond = 61.25;
    m.metrics.gapP50Ms = 14.5;
    m.metrics.gapP99Ms = 80.25;
    m.metrics.bytes = 20480;
    m.metrics.retries = 1;
    m.metrics.malformedEvents = 2;
    m.costUsd = 0.00123;
    m.created = at(u"2024-05-01T10:00:05.123Z"_s);
    m.updated = at(u"2024-05-01T10:00:07.456Z"_s);
    return m;
}

QList<Message> sampleMessages()
{
    Message user = message(-1, ChatMessage::Role::User, u"How do SQLite migrations work?"_s);
    user.created = at(u"2024-05-01T10:00:01.000Z"_s);
    user.updated = user.created;

    Message again = message(-1, ChatMessage::Role::User, u"数据库迁移怎么回滚？"_s);
    again.created = at(u"2024-05-01T10:04:00.000Z"_s);
    again.updated = again.created;

    Message failed = message(-1, ChatMessage::Role::Assistant, u"Partial answ"_s, Message::State::Failed);
    failed.model = u"gpt-4o-mini"_s;
    failed.errorText = u"The server is overloaded (HTTP 529)."_s;
    failed.created = at(u"2024-05-01T10:04:01.000Z"_s);
    failed.updated = at(u"2024-05-01T10:05:00.250Z"_s);
    return {user, fullAssistantMessage(), again, failed};
}

QJsonObject sampleSettings()
{
    return QJsonObject{{u"top_p"_s, 0.9}, {u"reasoning_effort"_s, u"high"_s}, {u"stop"_s, QJsonArray{u"\n\n"_s}}};
}

} // namespace HistoryFixture
