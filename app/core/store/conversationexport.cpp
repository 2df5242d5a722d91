#include "conversationexport.h"

#include "conversationsettings.h"
#include "historystore.h"
#include "messagejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

#include <limits>

using namespace Qt::StringLiterals;

// JSON format, version 1 (keys in any order; times ISO 8601 UTC with ms):
//
// { "format": "sluice-conversation", "version": 1, "application": "Sluice 0.1.0",
//   "title": "...", "created": "2024-05-01T10:00:00.000Z", "updated": "...",
//   "endpoint": "https://host/v1", "model": "...", "system_prompt": "...",
//   "temperature": 0.7 | null, "max_tokens": 1024 | null,
//   "settings": { "top_p": 0.9, ... } (optional: older exports have none),
//   "messages": [ { "role": "system|user|assistant", "content": "...", "reasoning": "...",
//                   "model": "...", "state": "completed|stopped|...", "finish_reason": "...",
//                   "error_text": "...", "usage": { "prompt_tokens": 12, ... },
//                   "metrics": { "ttft_ms": 250, ... } (only when measured),
//                   "cost_usd": 0.0012 | null, "created": "...", "updated": "..." } ] }
//
// "version" goes up only for a change an older reader would get wrong (it
// refuses a newer version). A new optional member such as "settings" keeps
// it: an older Sluice imports the rest of the file and ignores the member,
// which beats refusing the whole conversation.

namespace {

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QString readableTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s) : QString();
}

QString number(double value)
{
    return QLocale::c().toString(value, 'g', 12);
}

// `top_p: 0.9`, `stop: ["\n\n"]`: each setting as a code span, its value as compact JSON.
QString settingsLine(const QJsonObject &settings)
{
    QStringList items;
    for (auto it = settings.constBegin(); it != settings.constEnd(); ++it) {
        const QByteArray array = QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact);
        const QString item = it.key() + u": "_s + QString::fromUtf8(array.mid(1, array.size() - 2));
        // A value with a backtick needs a longer fence (CommonMark code spans).
        items << (item.contains(u'`') ? QString(u"`` "_s + item + u" ``"_s) : QString(u'`' + item + u'`'));
    }
    return items.join(u", "_s);
}

// Reads fields of one JSON object, remembering the first problem.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString where, QString *error)
        : m_object(object), m_where(std::move(where)), m_error(error)
    {
    }

    QString text(const QString &key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isString())
            problem(ConversationExport::tr("“%1” must be text").arg(key));
        return v.toString();
    }

    QDateTime time(const QString &key)
    {
        const QString s = text(key);
        if (s.isEmpty())
            return {};
        QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
        if (!t.isValid())
            problem(ConversationExport::tr("“%1” is not a date and time (%2)").arg(key, s));
        return t.toUTC();
    }

    std::optional<double> optionalNumber(const QString &key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isDouble()) {
            problem(ConversationExport::tr("“%1” must be a number").arg(key));
            return std::nullopt;
        }
        return v.toDouble();
    }

    QJsonObject object(const QString &key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject())
            problem(ConversationExport::tr("“%1” must be an object").arg(key));
        return v.toObject();
    }

    void problem(const QString &what)
    {
        if (m_error->isEmpty())
            *m_error = m_where.isEmpty() ? what : m_where + u": "_s + what;
    }
    bool ok() const { return m_error->isEmpty(); }

private:
    QJsonObject m_object;
    QString m_where;
    QString *m_error;
};

} // namespace

QString ConversationExport::formatMarker()
{
    return u"sluice-conversation"_s;
}

QString ConversationExport::sanitizedEndpoint(const QString &endpoint)
{
    return ConversationSettings::urlWithoutCredentials(endpoint);
}

QString ConversationExport::toMarkdown(const Conversation &c, const QList<Message> &messages,
                                       const QJsonObject &settings)
{
    QString md;
    const QString title = c.title.simplified();
    md += u"# "_s + (title.isEmpty() ? tr("Untitled conversation") : title) + u"\n\n"_s;
    if (!c.model.isEmpty())
        md += u"- **"_s + tr("Model") + u":** "_s + c.model + u'\n';
    if (c.created.isValid())
        md += u"- **"_s + tr("Created") + u":** "_s + readableTime(c.created) + u'\n';
    if (c.updated.isValid())
        md += u"- **"_s + tr("Updated") + u":** "_s + readableTime(c.updated) + u'\n';
    if (c.temperature)
        md += u"- **"_s + tr("Temperature") + u":** "_s + number(*c.temperature) + u'\n';
    if (c.maxTokens)
        md += u"- **"_s + tr("Max tokens") + u":** "_s + QString::number(*c.maxTokens) + u'\n';
    // The settings hold only what was chosen for this conversation, so each is "not the default".
    const QJsonObject safeSettings = ConversationSettings::withoutSecrets(settings);
    if (!safeSettings.isEmpty())
        md += u"- **"_s + tr("Settings") + u":** "_s + settingsLine(safeSettings) + u'\n';
    md += u'\n';
    if (!c.systemPrompt.isEmpty())
        md += u"## "_s + tr("System prompt") + u"\n\n"_s + c.systemPrompt.trimmed() + u"\n\n"_s;

    for (const Message &m : messages) {
        md += u"---\n\n## "_s;
        switch (m.role) {
        case ChatMessage::Role::System:
            md += tr("System");
            break;
        case ChatMessage::Role::User:
            md += tr("User");
            break;
        case ChatMessage::Role::Assistant:
            md += tr("Assistant");
            break;
        case ChatMessage::Role::Tool: // not a role a Message has (see Message::roleFromName)
            md += ChatMessage::roleName(m.role);
            break;
        }
        if (m.role == ChatMessage::Role::Assistant && !m.model.isEmpty())
            md += u" ("_s + m.model + u')';
        if (m.created.isValid())
            md += u" — "_s + readableTime(m.created);
        md += u"\n\n"_s;

        if (!m.reasoning.isEmpty()) {
            QString reasoning = m.reasoning.trimmed();
            reasoning.replace(u"</details>"_s, u"&lt;/details&gt;"_s);
            md += u"<details>\n<summary>"_s + tr("Reasoning") + u"</summary>\n\n"_s + reasoning
                + u"\n\n</details>\n\n"_s;
        }
        if (!m.content.isEmpty())
            md += m.content.trimmed() + u"\n\n"_s;

        QString note;
        switch (m.state) {
        case Message::State::Completed:
            break;
        case Message::State::Streaming:
            note = tr("Still arriving when this was exported.");
            break;
        case Message::State::Stopped:
            note = tr("Stopped by the user.");
            break;
        case Message::State::Truncated:
            note = tr("The connection ended before the reply was complete.");
            break;
        case Message::State::Failed:
            note = tr("Failed.");
            break;
        case Message::State::Interrupted:
            note = tr("Interrupted: Sluice ended while this reply was arriving.");
            break;
        }
        if (!m.errorText.isEmpty())
            note += (note.isEmpty() ? QString() : u" "_s) + m.errorText.simplified();
        if (!note.isEmpty())
            md += u'*' + note + u"*\n\n"_s;

        QStringList figures;
        if (m.usage.promptTokens >= 0 || m.usage.completionTokens >= 0)
            figures << tr("%1 prompt + %2 completion tokens")
                           .arg(qMax<qint64>(0, m.usage.promptTokens))
                           .arg(qMax<qint64>(0, m.usage.completionTokens));
        if (m.metrics.tokensPerSecond > 0)
            figures << tr("%1 tokens/s").arg(QLocale::c().toString(m.metrics.tokensPerSecond, 'f', 1));
        if (m.metrics.ttftMs >= 0)
            figures << tr("first token after %1 ms").arg(qRound64(m.metrics.ttftMs));
        if (m.costUsd)
            figures << u"$"_s + QLocale::c().toString(*m.costUsd, 'f', 4);
        if (!figures.isEmpty())
            md += u"<sub>"_s + figures.join(u" · "_s) + u"</sub>\n\n"_s;
    }
    return md;
}

QByteArray ConversationExport::toJson(const Conversation &c, const QList<Message> &messages,
                                      const QJsonObject &settings)
{
    QJsonArray list;
    for (const Message &m : messages) {
        QJsonObject o{
            {u"role"_s, ChatMessage::roleName(m.role)},
            {u"content"_s, m.content},
            {u"reasoning"_s, m.reasoning},
            {u"model"_s, m.model},
            {u"state"_s, Message::stateName(m.state)},
            {u"finish_reason"_s, m.finishReason},
            {u"error_text"_s, m.errorText},
            {u"usage"_s, MessageJson::usageToJson(m.usage)},
            {u"cost_usd"_s, m.costUsd ? QJsonValue(*m.costUsd) : QJsonValue(QJsonValue::Null)},
            {u"created"_s, isoTime(m.created)},
            {u"updated"_s, isoTime(m.updated)},
        };
        if (!m.metrics.isEmpty())
            o.insert(u"metrics"_s, MessageJson::metricsToJson(m.metrics));
        list.append(o);
    }
    const QJsonObject root{
        {u"format"_s, formatMarker()},
        {u"version"_s, FormatVersion},
        {u"application"_s, QString(u"Sluice "_s + QString::fromLatin1(SLUICE_VERSION))},
        {u"title"_s, c.title},
        {u"created"_s, isoTime(c.created)},
        {u"updated"_s, isoTime(c.updated)},
        {u"endpoint"_s, sanitizedEndpoint(c.endpoint)},
        {u"model"_s, c.model},
        {u"system_prompt"_s, c.systemPrompt},
        {u"temperature"_s, c.temperature ? QJsonValue(*c.temperature) : QJsonValue(QJsonValue::Null)},
        {u"max_tokens"_s, c.maxTokens ? QJsonValue(*c.maxTokens) : QJsonValue(QJsonValue::Null)},
        {u"settings"_s, ConversationSettings::withoutSecrets(settings)},
        {u"messages"_s, list},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<ConversationExport::Imported> ConversationExport::fromJson(const QByteArray &json,
                                                                         QString *error)
{
    QString problem;
    auto failed = [&](const QString &why) {
        if (error)
            *error = tr("The file cannot be imported: %1.").arg(why);
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failed(tr("it is not valid JSON (%1 at byte %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset));
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(u"format"_s).toString() != formatMarker())
        return failed(tr("it is not a conversation exported by Sluice"));
    const QJsonValue versionValue = root.value(u"version"_s);
    const int version = versionValue.toInt(-1);
    if (!versionValue.isDouble() || version < 1)
        return failed(tr("it has no valid format version"));
    if (version > FormatVersion)
        return failed(tr("it was exported by a newer version of Sluice (format %1; this version "
                         "reads up to %2)")
                          .arg(version)
                          .arg(FormatVersion));

    Imported imported;
    Conversation &c = imported.conversation;
    FieldReader top(root, QString(), &problem);
    c.title = top.text(u"title"_s);
    c.created = top.time(u"created"_s);
    c.updated = top.time(u"updated"_s);
    c.endpoint = sanitizedEndpoint(top.text(u"endpoint"_s));
    c.model = top.text(u"model"_s);
    c.systemPrompt = top.text(u"system_prompt"_s);
    c.temperature = top.optionalNumber(u"temperature"_s);
    if (const std::optional<double> maxTokens = top.optionalNumber(u"max_tokens"_s)) {
        if (*maxTokens < 0 || *maxTokens > std::numeric_limits<int>::max()
            || *maxTokens != double(qint64(*maxTokens)))
            top.problem(tr("“max_tokens” must be a whole number"));
        else
            c.maxTokens = int(*maxTokens);
    }
    // Absent in older exports. A key put in by hand is not imported.
    imported.settings = ConversationSettings::withoutSecrets(top.object(u"settings"_s));
    if (!top.ok())
        return failed(problem);

    const QJsonValue messagesValue = root.value(u"messages"_s);
    if (!messagesValue.isArray())
        return failed(tr("it has no list of messages"));
    const QJsonArray array = messagesValue.toArray();
    imported.messages.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = tr("message %1").arg(i + 1);
        if (!array.at(i).isObject())
            return failed(tr("%1 is not an object").arg(where));
        const QJsonObject o = array.at(i).toObject();
        FieldReader field(o, where, &problem);
        Message m;
        const QString role = field.text(u"role"_s);
        if (const auto r = Message::roleFromName(role))
            m.role = *r;
        else
            field.problem(tr("unknown role “%1”").arg(role));
        const QString state = field.text(u"state"_s);
        if (state.isEmpty())
            m.state = Message::State::Completed;
        else if (const auto s = Message::stateFromName(state))
            m.state = *s;
        else
            field.problem(tr("unknown state “%1”").arg(state));
        m.content = field.text(u"content"_s);
        m.reasoning = field.text(u"reasoning"_s);
        m.model = field.text(u"model"_s);
        m.finishReason = field.text(u"finish_reason"_s);
        m.errorText = field.text(u"error_text"_s);
        m.usage = MessageJson::usageFromJson(field.object(u"usage"_s));
        const QJsonObject metrics = field.object(u"metrics"_s);
        if (!metrics.isEmpty())
            m.metrics = MessageJson::metricsFromJson(metrics);
        m.costUsd = field.optionalNumber(u"cost_usd"_s);
        m.created = field.time(u"created"_s);
        m.updated = field.time(u"updated"_s);
        if (!field.ok())
            return failed(problem);
        imported.messages.append(m);
    }
    return imported;
}

qint64 ConversationExport::importJson(HistoryStore &store, const QByteArray &json, QString *error)
{
    const std::optional<Imported> imported = fromJson(json, error);
    if (!imported)
        return -1;
    const qint64 id = store.importConversation(imported->conversation, imported->messages, imported->settings);
    if (id < 0 && error)
        *error = store.lastError();
    return id;
}
