#pragma once

#include "chat/message.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

// The conversation the history tests (tst_historystore, tst_conversationexport)
// store, export and import: plain values, no I/O.
//
//     using namespace HistoryFixture;
//     const qint64 id = store.createConversation(sampleConversation());
//     for (Message m : sampleMessages()) { m.conversationId = id; store.addMessage(m); }
//     store.setConversationSettings(id, sampleSettings());
//
// Every field is set somewhere (times with milliseconds, usage, metrics,
// cost, reasoning, an error), in English and Chinese, so a round trip that
// drops or rounds anything shows.
namespace HistoryFixture {

// An ISO 8601 time with milliseconds, e.g. at(u"2024-05-01T10:00:00.000Z"_s).
QDateTime at(const QString &iso);

// "Database migrations" (or `title`): gpt-4o-mini on https://api.example.com/v1,
// a system prompt, temperature 0.7, max tokens 1024; created 2024-05-01T10:00:00.000Z,
// updated 10:05:00.250Z (the time of its last message).
Conversation sampleConversation();
Conversation sampleConversation(const QString &title);

// A message with only role, content and state set.
Message message(qint64 conversationId, ChatMessage::Role role, const QString &content,
                Message::State state = Message::State::Completed);

// An assistant reply with every field set: code, reasoning, model, usage
// (all five counts), metrics, cost; created 10:00:05.123Z, updated 10:00:07.456Z.
Message fullAssistantMessage(qint64 conversationId = -1);

// The conversation's messages in order (conversationId -1): a question, the
// full reply, a question in Chinese, a reply that failed with an error.
QList<Message> sampleMessages();

// Per-conversation settings: top_p, reasoning_effort and a stop sequence.
QJsonObject sampleSettings();

} // namespace HistoryFixture
