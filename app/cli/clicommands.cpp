#include "clicommands.h"

#include "api/openaichatformat.h"
#include "chat/chatsession.h"
#include "interruptnotifier.h"
#include "terminaltext.h"
#include "net/chatclient.h"
#include "net/modelcatalog.h"
#include "net/proxyconfig.h"
#include "secrets/keychainsecretstore.h"
#include "settings/apikeyprovider.h"
#include "settings/settings.h"
#include "sse/sseparser.h"
#include "store/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTimer>

#include <cstdio>
#include <functional>

#ifdef Q_OS_WIN
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Cli {
namespace {

void writeOut(FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// The API key never leaves in a message, whatever a server echoes back.
// (ChatClient redacts its own messages; this covers everything else.)
QString withoutKey(QString text, const QString &key)
{
    if (key.size() >= 6)
        text.replace(key, u"[API key]"_s);
    return text;
}

int fail(int code, const QString &message)
{
    writeOut(stderr, "sluice-cli: " + message.toUtf8() + '\n');
    return code;
}

// Text from the server goes to a terminal without control characters and
// escape sequences (TerminalText): a hostile reply must not write the
// clipboard, retitle the window or move the cursor. To a pipe or a file it
// goes byte for byte, unless --sanitize; --raw never filters.
void addTerminalOptions(QCommandLineParser &p)
{
    p.addOptions({
        {u"raw"_s, u"Print the server's text exactly as sent, even to a terminal (which otherwise gets it "
                   "without control characters and escape sequences)."_s},
        {u"sanitize"_s, u"Remove control characters and escape sequences from the server's text even when "
                        "the output is not a terminal."_s},
    });
}

bool filterFor(const QCommandLineParser &p, FILE *stream)
{
    if (p.isSet(u"raw"_s))
        return false;
    return p.isSet(u"sanitize"_s) || isatty(fileno(stream));
}

int checkTerminalOptions(const QCommandLineParser &p)
{
    if (p.isSet(u"raw"_s) && p.isSet(u"sanitize"_s))
        return fail(ExitUsage, u"--raw and --sanitize exclude each other"_s);
    return ExitOk;
}

// A "sluice-cli: ..." line on stderr whose text may come from the server.
void writeMessage(bool filter, const QString &message)
{
    writeOut(stderr, "sluice-cli: " + (filter ? TerminalText::clean(message) : message.toUtf8()) + '\n');
}

// Says on stderr that TerminalText took something out of `where`.
void noteRemoved(qint64 removed, const char *where)
{
    if (removed <= 0)
        return;
    const char *what = removed == 1 ? " control character or escape sequence from "
                                    : " control characters or escape sequences from ";
    writeOut(stderr, "sluice-cli: removed " + QByteArray::number(removed) + what + where
                         + " (--raw prints it as sent)\n");
}

// Parses the options of one sub-command; on a usage error prints it and
// returns false with `code` set.
bool parseArgs(QCommandLineParser &parser, const QStringList &args, int &code)
{
    parser.addHelpOption();
    QStringList withoutCommand = args;
    if (withoutCommand.size() > 1)
        withoutCommand.removeAt(1);
    if (!parser.parse(withoutCommand)) {
        const QString command = args.size() > 1 ? args.at(1) : QString();
        code = fail(ExitUsage, parser.errorText() + u" Run 'sluice-cli %1 --help' for the options."_s.arg(command));
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        writeOut(stdout, parser.helpText().toUtf8());
        code = ExitOk;
        return false;
    }
    return true;
}

QByteArray readAllFrom(const QString &path, QString *error)
{
    QFile file;
    const bool ok = path == u"-" ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!ok) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

// SLUICE_API_KEY wins and is never stored; else the keychain entry the app
// uses for this endpoint; else no key (local servers need none).
// SLUICE_NO_KEYCHAIN=1 skips the keychain (scripts on machines without one).
void resolveApiKey(const QUrl &baseUrl, QObject *context, std::function<void(const QString &)> done)
{
    if (ApiKeyProvider::hasEnvironmentKey() || qEnvironmentVariableIsSet("SLUICE_NO_KEYCHAIN")) {
        const QString key = ApiKeyProvider::environmentKey();
        QTimer::singleShot(0, context, [done, key] { done(key); });
        return;
    }
    auto *store = new KeychainSecretStore(context);
    ApiKeyProvider(store).readKey(baseUrl, context, [store, done](const SecretStore::Result &result) {
        store->deleteLater();
        // Not fatal (a local server needs no key), but say why none is sent.
        if (result.error == SecretStore::Error::NoBackend) {
            writeOut(stderr, "sluice-cli: no system keychain is available, so no API key is sent; "
                             "set SLUICE_API_KEY to pass one.\n");
        } else if (!result.ok && result.error != SecretStore::Error::NotFound) {
            const QString why = result.errorText.isEmpty() ? u"unknown error"_s : result.errorText;
            writeOut(stderr, u"sluice-cli: could not read the API key from the keychain (%1), so no API key is "
                              "sent; set SLUICE_API_KEY to pass one.\n"_s.arg(why.simplified()).toUtf8());
        }
        done(result.ok ? result.secret : QString());
    });
}

QJsonObject metricsJson(const StreamMetrics::Snapshot &s, const ChatResult &result, std::optional<double> costUsd)
{
    auto num = [](double v) { return v < 0 ? QJsonValue() : QJsonValue(v); };
    return QJsonObject{
        {u"status"_s, ChatResult::statusName(result.status)},
        {u"http_status"_s, result.httpStatus},
        {u"finish_reason"_s, result.finishReason},
        {u"ttft_ms"_s, num(s.ttftMs)},
        {u"elapsed_ms"_s, s.elapsedMs},
        {u"tokens"_s, s.tokens},
        {u"token_source"_s, s.tokenSourceName()},
        {u"prompt_tokens"_s, s.promptTokens < 0 ? QJsonValue() : QJsonValue(s.promptTokens)},
        {u"deltas"_s, s.deltas},
        {u"tokens_per_second"_s, s.tokensPerSecond},
        {u"gap_p50_ms"_s, num(s.gapP50Ms)},
        {u"gap_p90_ms"_s, num(s.gapP90Ms)},
        {u"gap_p99_ms"_s, num(s.gapP99Ms)},
        {u"bytes"_s, s.bytes},
        {u"malformed_events"_s, s.malformedEvents},
        {u"retries"_s, result.retries},
        {u"cost_usd"_s, costUsd ? QJsonValue(*costUsd) : QJsonValue()},
    };
}

QString metricsLine(const StreamMetrics::Snapshot &s, int retries)
{
    QStringList parts;
    parts << u"%1 s"_s.arg(s.elapsedMs / 1000.0, 0, 'f', 2);
    if (s.ttftMs >= 0)
        parts << u"TTFT %1 ms"_s.arg(s.ttftMs, 0, 'f', 0);
    parts << u"%1 tokens (%2)"_s.arg(s.tokens).arg(s.tokenSourceName());
    if (s.tokensPerSecond > 0)
        parts << u"%1 tok/s"_s.arg(s.tokensPerSecond, 0, 'f', 1);
    if (s.gapP50Ms >= 0)
        parts << u"gap p50 %1 ms, p99 %2 ms"_s.arg(s.gapP50Ms, 0, 'f', 1).arg(s.gapP99Ms, 0, 'f', 1);
    parts << u"%1 bytes"_s.arg(s.bytes);
    parts << u"%1 retries"_s.arg(retries);
    if (s.malformedEvents > 0)
        parts << u"%1 malformed events skipped"_s.arg(s.malformedEvents);
    return parts.join(u" · "_s);
}

int exitCodeFor(ChatResult::Status status)
{
    switch (status) {
    case ChatResult::Status::Completed:
        return ExitOk;
    case ChatResult::Status::Stopped:
        return ExitStopped;
    case ChatResult::Status::HttpError:
        return ExitApiError;
    case ChatResult::Status::NetworkError:
    case ChatResult::Status::Timeout:
        return ExitNetworkError;
    case ChatResult::Status::Truncated:
    case ChatResult::Status::ProtocolError:
        return ExitTruncated;
    }
    return ExitApiError;
}

bool positiveNumber(const QCommandLineParser &p, const QString &name, double min, double max, double &out)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    out = p.value(name).toDouble(&ok);
    return ok && out >= min && out <= max;
}

bool wholeNumber(const QCommandLineParser &p, const QString &name, int min, int max, int &out)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    out = p.value(name).toInt(&ok);
    return ok && out >= min && out <= max;
}

// The endpoint from --base-url or the app's setting. Plain http:// carries
// the key and the prompt in the clear: only to loopback and private hosts,
// unless --allow-insecure-http says otherwise (the app asks the same question).
int resolveBaseUrl(const QCommandLineParser &p, const Settings &settings, QUrl &baseUrl)
{
    baseUrl = p.isSet(u"base-url"_s) ? QUrl::fromUserInput(p.value(u"base-url"_s)) : settings.baseUrl();
    if (!baseUrl.isValid() || (baseUrl.scheme() != u"http" && baseUrl.scheme() != u"https"))
        return fail(ExitUsage, u"--base-url must be an http:// or https:// URL"_s);
    if (UrlPolicy::needsInsecureConfirmation(baseUrl) && !p.isSet(u"allow-insecure-http"_s))
        return fail(ExitUsage, u"refusing to send the API key and the prompt over unencrypted http:// to %1; "
                               "use https://, or pass --allow-insecure-http"_s.arg(baseUrl.host()));
    return ExitOk;
}

} // namespace

QString usage()
{
    return u"Usage: sluice-cli <command> [options]\n\n"
           "Commands:\n"
           "  chat      Send a prompt and stream the reply to stdout\n"
           "  replay    Decode a captured stream body as the app would\n"
           "  sse-dump  Print every event of a raw SSE stream on stdin as JSON lines\n"
           "  models    List the models of an endpoint (GET /models)\n\n"
           "Run 'sluice-cli <command> --help' for the options of a command.\n"
           "The API key comes from SLUICE_API_KEY, else from the system keychain entry the app uses.\n"
           "Text from the server reaches a terminal without control characters and escape sequences;\n"
           "to a pipe or a file it goes as sent (--raw and --sanitize choose either way).\n"_s;
}

int chat(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Streams a chat reply: content on stdout as it arrives, reasoning on stderr, then metrics on stderr."_s);
    p.addOptions({
        {u"base-url"_s, u"Endpoint base URL (default: the app's setting)."_s, u"URL"_s},
        {u"model"_s, u"Model id (default: the app's setting)."_s, u"M"_s},
        {u"system"_s, u"System prompt."_s, u"TEXT"_s},
        {u"temperature"_s, u"Sampling temperature, 0 to 2."_s, u"X"_s},
        {u"max-tokens"_s, u"Maximum reply tokens."_s, u"N"_s},
        {u"connect-timeout"_s, u"Seconds to wait for the response headers (default 10)."_s, u"S"_s},
        {u"idle-timeout"_s, u"Seconds without data before giving up (default 120)."_s, u"S"_s},
        {u"retries"_s, u"Retries before the first token (default 3)."_s, u"N"_s},
        {u"metrics-json"_s, u"Write the metrics as JSON to FILE, or - for stdout (on a line of its own)."_s, u"FILE"_s},
        {u"save"_s, u"Store the exchange in the app's history, as the app does (the reply is checkpointed while it streams)."_s},
        {u"history"_s, u"The history database --save writes to (default: the app's, %1)."_s.arg(QDir::toNativeSeparators(HistoryStore::defaultPath())), u"FILE"_s},
        {u"allow-insecure-http"_s, u"Allow plain http:// to a host that is not local or private."_s},
    });
    addTerminalOptions(p);
    p.addPositionalArgument(u"prompt"_s, u"The prompt; - (or nothing, when stdin is not a terminal) reads it from stdin."_s, u"PROMPT..."_s);
    int code = ExitOk;
    if (!parseArgs(p, args, code))
        return code;
    if (const int error = checkTerminalOptions(p); error != ExitOk)
        return error;

    Settings settings;
    QUrl baseUrl;
    if (const int error = resolveBaseUrl(p, settings, baseUrl); error != ExitOk)
        return error;
    const QString model = p.isSet(u"model"_s) ? p.value(u"model"_s) : settings.model();
    if (model.isEmpty())
        return fail(ExitUsage, u"--model is required"_s);

    double temperature = -1, connectTimeout = 10, idleTimeout = 120;
    int maxTokens = -1, retries = 3;
    if (!positiveNumber(p, u"temperature"_s, 0, 2, temperature))
        return fail(ExitUsage, u"--temperature must be a number from 0 to 2"_s);
    if (!wholeNumber(p, u"max-tokens"_s, 1, 10'000'000, maxTokens))
        return fail(ExitUsage, u"--max-tokens must be a positive whole number"_s);
    if (!positiveNumber(p, u"connect-timeout"_s, 0.001, 86400, connectTimeout)
        || !positiveNumber(p, u"idle-timeout"_s, 0.001, 86400, idleTimeout))
        return fail(ExitUsage, u"timeouts are seconds greater than 0"_s);
    if (!wholeNumber(p, u"retries"_s, 0, 100, retries))
        return fail(ExitUsage, u"--retries must be a whole number from 0 to 100"_s);
    if (p.isSet(u"history"_s) && !p.isSet(u"save"_s))
        return fail(ExitUsage, u"--history only applies with --save"_s);

    QString prompt = p.positionalArguments().join(u' ');
    if (prompt == u"-" || (prompt.isEmpty() && !isatty(fileno(stdin)))) {
        QString error;
        prompt = QString::fromUtf8(readAllFrom(u"-"_s, &error));
        if (!error.isEmpty())
            return fail(ExitUsage, error);
    }
    if (prompt.trimmed().isEmpty())
        return fail(ExitUsage, u"no prompt given (pass it as an argument, or - to read it from stdin)"_s);

    // Declared before the session: the session writes its final state into
    // it when it is destroyed mid-reply.
    HistoryStore store;
    const bool save = p.isSet(u"save"_s);
    if (save) {
        // Not markInterrupted(): the app may be streaming into this file right now.
        if (!store.open(p.isSet(u"history"_s) ? p.value(u"history"_s) : QString()))
            return fail(ExitUsage, store.lastError());
        QObject::connect(&store, &HistoryStore::errorOccurred, &store, [](const QString &message) {
            writeOut(stderr, u"sluice-cli: history: %1\n"_s.arg(message.simplified()).toUtf8());
        });
    }

    // The same path as the app: ChatSession drives the client, the transcript
    // and (with --save) the history, with its checkpoints while streaming.
    QNetworkAccessManager nam;
    ChatSession session(&nam, save ? &store : nullptr);
    session.setEndpoint(baseUrl, QString());
    session.setModel(model);
    if (p.isSet(u"system"_s))
        session.setSystemPrompt(p.value(u"system"_s));
    if (p.isSet(u"temperature"_s))
        session.setTemperature(temperature);
    if (p.isSet(u"max-tokens"_s))
        session.setMaxTokens(maxTokens);
    ChatClient::Options options;
    options.connectTimeoutMs = int(connectTimeout * 1000);
    options.idleTimeoutMs = int(idleTimeout * 1000);
    options.maxRetries = retries;
    session.setClientOptions(options);

    const bool stdoutIsTty = isatty(fileno(stdout));
    const bool stderrIsTty = isatty(fileno(stderr));
    const bool filterOut = filterFor(p, stdout);
    const bool filterErr = filterFor(p, stderr);
    TerminalText contentFilter;
    TerminalText reasoningFilter;
    bool inReasoning = false;
    bool contentEndsWithNewline = true;
    bool anyContent = false;

    QObject::connect(session.client(), &ChatClient::deltaReceived, &session, [&](const StreamDelta &delta) {
        if (!delta.reasoning.isEmpty()) {
            if (!inReasoning)
                writeOut(stderr, stderrIsTty ? "\x1b[2m[reasoning] " : "[reasoning] ");
            inReasoning = true;
            writeOut(stderr, filterErr ? reasoningFilter.filter(delta.reasoning) : delta.reasoning.toUtf8());
        }
        const QString text = delta.content + delta.refusal;
        if (!text.isEmpty()) {
            if (inReasoning) {
                writeOut(stderr, stderrIsTty ? "\x1b[0m\n[/reasoning]\n" : "\n[/reasoning]\n");
                inReasoning = false;
            }
            const QByteArray bytes = filterOut ? contentFilter.filter(text) : text.toUtf8();
            if (!bytes.isEmpty()) {
                writeOut(stdout, bytes);
                anyContent = true;
                contentEndsWithNewline = bytes.endsWith('\n');
            }
        }
    });
    QString apiKey;
    QObject::connect(&session, &ChatSession::retryScheduled, &session, [&apiKey, filterErr](int attempt, int delayMs, const QString &reason) {
        writeMessage(filterErr, u"%1; retry %2 in %3 s"_s.arg(withoutKey(reason, apiKey).simplified()).arg(attempt)
                                    .arg(delayMs / 1000.0, 0, 'f', 1));
    });

    int exitCode = ExitOk;
    QObject::connect(&session, &ChatSession::replyFinished, &session, [&](const ChatResult &result) {
        if (filterErr)
            writeOut(stderr, reasoningFilter.finish());
        if (inReasoning)
            writeOut(stderr, stderrIsTty ? "\x1b[0m\n[/reasoning]\n" : "\n[/reasoning]\n");
        inReasoning = false;
        if (filterOut) {
            if (const QByteArray rest = contentFilter.finish(); !rest.isEmpty()) {
                writeOut(stdout, rest);
                anyContent = true;
                contentEndsWithNewline = rest.endsWith('\n');
            }
        }
        const QString metricsTarget = p.value(u"metrics-json"_s);
        // The JSON on stdout goes on a line of its own; a terminal gets a
        // final newline anyway. Otherwise stdout is exactly the content.
        if (anyContent && !contentEndsWithNewline && (stdoutIsTty || metricsTarget == u"-"))
            writeOut(stdout, "\n");
        const StreamMetrics::Snapshot s = session.metricsSnapshot();
        noteRemoved(contentFilter.removed(), "the reply");
        noteRemoved(reasoningFilter.removed(), "the reasoning");
        if (!result.isSuccess())
            writeMessage(filterErr, withoutKey(result.message, apiKey).simplified());
        writeOut(stderr, (metricsLine(s, result.retries) + u'\n').toUtf8());
        if (save && session.conversationId() >= 0)
            writeOut(stderr, u"sluice-cli: saved as conversation %1 in %2\n"_s.arg(session.conversationId())
                                 .arg(QDir::toNativeSeparators(store.path())).toUtf8());
        if (!metricsTarget.isEmpty()) {
            const std::optional<double> cost = s.tokens > 0 ? session.costOf(s) : std::nullopt;
            const QByteArray json = QJsonDocument(metricsJson(s, result, cost)).toJson(QJsonDocument::Compact) + '\n';
            if (metricsTarget == u"-") {
                writeOut(stdout, filterOut ? TerminalText::escapeJson(json) : json);
            } else {
                QFile file(metricsTarget);
                if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size())
                    writeOut(stderr, u"sluice-cli: cannot write %1: %2\n"_s.arg(metricsTarget, file.errorString()).toUtf8());
            }
        }
        exitCode = exitCodeFor(result.status);
        QCoreApplication::exit(exitCode);
    });

    InterruptNotifier interrupts;
    int interruptCount = 0;
    QObject::connect(&interrupts, &InterruptNotifier::interrupted, &session, [&] {
        if (++interruptCount > 1)
            std::_Exit(ExitStopped); // a second Ctrl+C: leave now, whatever hangs
        if (session.isStreaming())
            session.stop(); // finished(Stopped): the partial reply stays printed (and saved)
        else
            QCoreApplication::exit(ExitStopped); // still looking for the key: nothing was sent
    });

    resolveApiKey(baseUrl, &session, [&](const QString &key) {
        if (interruptCount > 0) {
            QCoreApplication::exit(ExitStopped);
            return;
        }
        apiKey = key.trimmed();
        session.setApiKey(key);
        if (!session.send(prompt))
            QCoreApplication::exit(ExitUsage);
    });
    const int loopCode = QCoreApplication::exec();
    return loopCode == ExitStopped || loopCode == ExitUsage ? loopCode : exitCode;
}

int replay(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Decodes a captured stream body as the app would and prints the assistant text."_s);
    p.addOptions({
        {u"format"_s, u"Wire format (only 'openai' for now)."_s, u"FORMAT"_s, u"openai"_s},
        {u"json"_s, u"Print a JSON summary instead of the text."_s},
    });
    addTerminalOptions(p);
    p.addPositionalArgument(u"file"_s, u"The captured body; - for stdin."_s, u"FILE"_s);
    int code = ExitOk;
    if (!parseArgs(p, args, code))
        return code;
    if (const int error = checkTerminalOptions(p); error != ExitOk)
        return error;
    if (p.value(u"format"_s) != u"openai")
        return fail(ExitUsage, u"unknown --format '%1' (supported: openai)"_s.arg(p.value(u"format"_s)));
    if (p.positionalArguments().size() != 1)
        return fail(ExitUsage, u"replay takes exactly one FILE"_s);

    QString error;
    const QByteArray body = readAllFrom(p.positionalArguments().constFirst(), &error);
    if (!error.isEmpty())
        return fail(ExitUsage, error);

    QString content, reasoning, finishReason;
    std::optional<Usage> usage;
    QList<ApiError> errors;
    bool done = false;
    qint64 events = 0;
    OpenAiChatFormat::Decoder decoder;
    SseParser parser;
    parser.setEventHandler([&](const SseEvent &event) {
        ++events;
        const StreamDelta d = decoder.decode(event);
        content += d.content;
        content += d.refusal;
        reasoning += d.reasoning;
        if (!d.finishReason.isEmpty())
            finishReason = d.finishReason;
        if (d.usage)
            usage = d.usage;
        if (d.error)
            errors.append(*d.error);
        done = done || d.done;
    });
    // Network-sized pieces, as the app receives them.
    constexpr qsizetype chunk = 16 * 1024;
    for (qsizetype at = 0; at < body.size() && !parser.hasFailed(); at += chunk)
        parser.feed(QByteArrayView(body).sliced(at, std::min(chunk, body.size() - at)));
    parser.finish();

    const bool filterOut = filterFor(p, stdout);
    const bool filterErr = filterFor(p, stderr);
    if (!p.isSet(u"json"_s)) {
        // As chat prints it: the text on stdout, reasoning and errors on stderr.
        TerminalText contentFilter;
        TerminalText reasoningFilter;
        if (!reasoning.isEmpty()) {
            const QByteArray text = filterErr ? reasoningFilter.filter(reasoning) + reasoningFilter.finish() : reasoning.toUtf8();
            writeOut(stderr, "[reasoning] " + text + "\n[/reasoning]\n");
        }
        writeOut(stdout, filterOut ? contentFilter.filter(content) + contentFilter.finish() : content.toUtf8());
        noteRemoved(contentFilter.removed(), "the reply");
        noteRemoved(reasoningFilter.removed(), "the reasoning");
        for (const ApiError &e : std::as_const(errors))
            writeMessage(filterErr, u"the stream carried an error: %1"_s.arg(e.describe().simplified()));
    } else {
        QJsonArray calls;
        for (const ToolCall &c : decoder.toolCalls())
            calls.append(QJsonObject{{u"index"_s, c.index}, {u"id"_s, c.id}, {u"type"_s, c.type},
                                     {u"name"_s, c.name}, {u"arguments"_s, c.arguments}});
        QJsonValue usageJson;
        if (usage) {
            QJsonObject u{{u"prompt_tokens"_s, usage->promptTokens}, {u"completion_tokens"_s, usage->completionTokens},
                          {u"total_tokens"_s, usage->totalTokens}};
            if (usage->reasoningTokens >= 0)
                u.insert(u"reasoning_tokens"_s, usage->reasoningTokens);
            usageJson = u;
        }
        QJsonArray errorsJson;
        for (const ApiError &e : std::as_const(errors))
            errorsJson.append(QJsonObject{{u"message"_s, e.message}, {u"type"_s, e.type}, {u"code"_s, e.code}});
        QJsonObject summary{
            {u"content"_s, content},
            {u"reasoning"_s, reasoning},
            {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)},
            {u"usage"_s, usageJson},
            {u"tool_calls"_s, calls},
            {u"done"_s, done},
            {u"malformed"_s, decoder.malformedCount()},
            {u"events"_s, events},
            {u"errors"_s, errorsJson},
            {u"ended_mid_event"_s, parser.endedMidEvent()},
        };
        if (parser.hasFailed())
            summary.insert(u"protocol_error"_s, parser.errorString());
        const QByteArray json = QJsonDocument(summary).toJson(QJsonDocument::Indented);
        writeOut(stdout, filterOut ? TerminalText::escapeJson(json) : json);
    }
    if (parser.hasFailed())
        return fail(ExitTruncated, parser.errorString());
    return ExitOk;
}

int sseDump(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Reads raw SSE bytes on stdin; prints one JSON object per line for every dispatched event and every accepted retry."_s);
    p.addOption({u"max-event-bytes"_s, u"Largest event accepted (default 16 MiB)."_s, u"N"_s});
    addTerminalOptions(p);
    int code = ExitOk;
    if (!parseArgs(p, args, code))
        return code;
    if (const int error = checkTerminalOptions(p); error != ExitOk)
        return error;
    // JSON escapes C0 controls itself; DEL and C1 are escaped too for a terminal.
    const bool filterOut = filterFor(p, stdout);
    qsizetype limit = SseParser::DefaultMaxEventBytes;
    if (p.isSet(u"max-event-bytes"_s)) {
        bool ok = false;
        limit = p.value(u"max-event-bytes"_s).toLongLong(&ok);
        if (!ok || limit <= 0)
            return fail(ExitUsage, u"--max-event-bytes must be a positive number"_s);
    }
    SseParser parser(limit);
    parser.setEventHandler([filterOut](const SseEvent &e) {
        const QJsonObject o{{u"event"_s, e.typeText()}, {u"data"_s, e.dataText()}, {u"lastEventId"_s, e.lastEventIdText()}};
        const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        writeOut(stdout, filterOut ? TerminalText::escapeJson(json) : json);
    });
    parser.setRetryHandler([](qint64 ms) {
        writeOut(stdout, QJsonDocument(QJsonObject{{u"retry"_s, ms}}).toJson(QJsonDocument::Compact) + '\n');
    });
    char buffer[64 * 1024];
    for (;;) {
        // read() returns what is there, so events print as they arrive.
#ifdef Q_OS_WIN
        const auto n = std::fread(buffer, 1, sizeof buffer, stdin);
#else
        const auto n = ::read(fileno(stdin), buffer, sizeof buffer);
#endif
        if (n <= 0)
            break;
        if (!parser.feed(QByteArrayView(buffer, qsizetype(n))))
            return fail(ExitTruncated, parser.errorString());
    }
    parser.finish();
    if (parser.endedMidEvent())
        writeOut(stderr, "sluice-cli: the stream ended in the middle of an event; it was not dispatched\n");
    return ExitOk;
}

int models(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Lists the models of an endpoint (GET {base-url}/models)."_s);
    p.addOption({u"base-url"_s, u"Endpoint base URL (default: the app's setting)."_s, u"URL"_s});
    p.addOption({u"allow-insecure-http"_s, u"Allow plain http:// to a host that is not local or private."_s});
    addTerminalOptions(p);
    int code = ExitOk;
    if (!parseArgs(p, args, code))
        return code;
    if (const int error = checkTerminalOptions(p); error != ExitOk)
        return error;
    const bool filterOut = filterFor(p, stdout);
    const bool filterErr = filterFor(p, stderr);
    Settings settings;
    QUrl baseUrl;
    if (const int error = resolveBaseUrl(p, settings, baseUrl); error != ExitOk)
        return error;

    QNetworkAccessManager nam;
    ModelCatalog catalog(&nam);
    int exitCode = ExitOk;
    QString apiKey;
    QObject::connect(&catalog, &ModelCatalog::finished, &catalog, [&](const QStringList &ids, const QString &error) {
        if (!error.isEmpty()) {
            writeMessage(filterErr, withoutKey(error, apiKey).simplified());
            exitCode = ExitApiError;
        } else {
            QByteArray out;
            for (const QString &id : ids)
                out += (filterOut ? TerminalText::clean(id) : id.toUtf8()) + '\n';
            writeOut(stdout, out);
        }
        QCoreApplication::exit(exitCode);
    });
    resolveApiKey(baseUrl, &catalog, [&](const QString &key) {
        apiKey = key;
        catalog.fetch(baseUrl, key);
    });
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Cli
