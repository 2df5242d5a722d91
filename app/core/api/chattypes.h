#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <optional>

// Values shared by the wire formats, the network client and the chat layer.
// Plain data, Qt Core only.

struct ChatMessage
{
    // The one role type: also a stored Message's (which is never Tool).
    enum class Role { System, User, Assistant, Tool };
    Role role = Role::User;
    QString content;

    static QString roleName(Role role); // "system", "user", "assistant", "tool": the wire's, and stored ones
    friend bool operator==(const ChatMessage &a, const ChatMessage &b)
    {
        return a.role == b.role && a.content == b.content;
    }
};

// Everything needed to send one chat-completions request. A value: copy it,
// keep it, send it again for a retry or a regenerate.
struct ChatRequest
{
    QUrl baseUrl;              // e.g. https://api.holysheep.ai/v1 (the path /chat/completions is appended)
    QString apiKey;            // may be empty for local servers; never logged
    QString model;
    QList<ChatMessage> messages; // including the system prompt, if any, first
    std::optional<double> temperature;
    std::optional<int> maxTokens;
};

// Token accounting as reported by the server (-1 where not reported).
struct Usage
{
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 totalTokens = -1;
    qint64 reasoningTokens = -1;
    qint64 cachedPromptTokens = -1;

    bool isValid() const { return promptTokens >= 0 || completionTokens >= 0 || totalTokens >= 0; }
};

// One fragment of a streamed tool call, as it appears in one event.
struct ToolCallDelta
{
    int index = 0;
    QString id;
    QString type;
    QString name;
    QString arguments; // a fragment of the JSON arguments text
};

// A tool call with all fragments of its index put together.
struct ToolCall
{
    int index = 0;
    QString id;
    QString type;
    QString name;
    QString arguments;
};

// An error object a provider sent, either as an HTTP error body or in-stream.
struct ApiError
{
    QString message;
    QString type;
    QString code;
    QString param;

    bool isEmpty() const { return message.isEmpty() && type.isEmpty() && code.isEmpty(); }
    // "message (type, code)" with the parts that are present.
    QString describe() const;
};

// What one SSE event means for the chat.
struct StreamDelta
{
    QString content;
    QString reasoning;
    QString refusal;
    QList<ToolCallDelta> toolCalls;
    std::optional<Usage> usage;
    QString finishReason;
    std::optional<ApiError> error;
    bool done = false;      // [DONE] or an equivalent end marker
    bool malformed = false; // the event's JSON could not be read; nothing else is set

    bool hasText() const { return !content.isEmpty() || !reasoning.isEmpty() || !refusal.isEmpty(); }
};

Q_DECLARE_METATYPE(StreamDelta)
