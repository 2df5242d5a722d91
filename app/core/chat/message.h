#pragma once

#include "api/chattypes.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

// Figures kept with a finished assistant message (a frozen StreamMetrics snapshot).
struct MessageMetrics
{
    double ttftMs = -1;
    double elapsedMs = 0;
    qint64 tokens = 0;
    QString tokenSource;       // "usage" or "deltas"
    double tokensPerSecond = 0;
    double gapP50Ms = -1;
    double gapP99Ms = -1;
    qint64 bytes = 0;
    int retries = 0;
    qint64 malformedEvents = 0;

    bool isEmpty() const { return ttftMs < 0 && tokens == 0 && bytes == 0; }
};

// One message of a conversation, as shown, stored and exported.
struct Message
{
    enum class State {
        Completed,   // a finished reply, or any user message
        Streaming,   // being received right now
        Stopped,     // the user pressed Stop
        Truncated,   // the connection ended before the reply did
        Failed,      // an error ended it (errorText says which)
        Interrupted, // the app ended while it streamed (found so on the next start)
    };

    qint64 id = -1;            // HistoryStore row id; -1 until stored
    qint64 conversationId = -1;
    ChatMessage::Role role = ChatMessage::Role::User; // System, User or Assistant (never Tool)
    State state = State::Completed;
    QString content;
    QString reasoning;
    QString model;             // the model that wrote it (assistant messages)
    QString finishReason;
    QString errorText;         // the plain sentence shown in the banner
    Usage usage;
    MessageMetrics metrics;
    std::optional<double> costUsd;
    QDateTime created;
    QDateTime updated;

    // The role named by ChatMessage::roleName(), of those a Message can have
    // (system, user, assistant); nullopt for any other name.
    static std::optional<ChatMessage::Role> roleFromName(const QString &name);
    static QString stateName(State state);        // "completed", "streaming", ... (stable, for files)
    static std::optional<State> stateFromName(const QString &name);

    // A reply that did not finish normally: it can be retried.
    bool isRetryable() const
    {
        return role == ChatMessage::Role::Assistant
            && (state == State::Stopped || state == State::Truncated || state == State::Failed
                || state == State::Interrupted);
    }
};

// A conversation and the settings it is sent with.
struct Conversation
{
    qint64 id = -1;
    QString title;
    QDateTime created;
    QDateTime updated;
    QString endpoint;          // base URL
    QString model;
    QString systemPrompt;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
};

Q_DECLARE_METATYPE(Message)
Q_DECLARE_METATYPE(Conversation)
