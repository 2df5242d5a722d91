#pragma once

#include "chat/message.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class HistoryStore;

// A conversation as a file: Markdown to read and share, JSON to keep and to
// move between machines. Pure functions (bytes in, bytes out; the caller does
// the file I/O), except importJson(), which writes to a HistoryStore.
//
//     const QJsonObject settings = store.conversationSettings(id).value_or(QJsonObject());
//     QByteArray json = ConversationExport::toJson(conversation, store.messages(id), settings);
//     QString markdown = ConversationExport::toMarkdown(conversation, messages, settings);
//
//     QString error;
//     qint64 newId = ConversationExport::importJson(store, bytes, &error); // -1: show `error`
//
// Neither format ever carries an API key: the data model has none, the
// endpoint URL is written without user info, query or fragment (where keys
// hide: https://user:key@host/v1, ...?key=...), and the per-conversation
// settings go through ConversationSettings::withoutSecrets() on the way out
// and on the way in. JSON: an object with "format": "sluice-conversation",
// "version": 1, the conversation's fields, its "settings" and "messages"; see
// docs in conversationexport.cpp. Exporting what was imported gives the same
// bytes (ids are never exported).
class ConversationExport
{
    Q_DECLARE_TR_FUNCTIONS(ConversationExport)
public:
    static constexpr int FormatVersion = 1;
    static QString formatMarker(); // "sluice-conversation"

    struct Imported
    {
        Conversation conversation; // id -1
        QList<Message> messages;   // ids -1, in order
        QJsonObject settings;      // HistoryStore::conversationSettings(); empty for older exports
    };

    // `settings`: HistoryStore::conversationSettings() of the conversation.
    // Markdown lists them in the header, one line, when there are any.
    static QString toMarkdown(const Conversation &conversation, const QList<Message> &messages,
                              const QJsonObject &settings = {});
    static QByteArray toJson(const Conversation &conversation, const QList<Message> &messages,
                             const QJsonObject &settings = {});

    // Validates everything; on failure nullopt and a plain sentence in *error.
    static std::optional<Imported> fromJson(const QByteArray &json, QString *error);
    // fromJson() + HistoryStore::importConversation() (settings included, in
    // the same transaction). The new conversation's id, or -1.
    static qint64 importJson(HistoryStore &store, const QByteArray &json, QString *error);

    // The endpoint without user info, query and fragment; empty when it is not a URL.
    static QString sanitizedEndpoint(const QString &endpoint);
};
