#include "api/openaichatformat.h"
#include "sse/sseparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// One line per delta, only the parts that are set, so table rows stay short.
QString describe(const StreamDelta &d)
{
    QStringList parts;
    if (!d.content.isEmpty())
        parts << u"content="_s + d.content;
    if (!d.reasoning.isEmpty())
        parts << u"reasoning="_s + d.reasoning;
    if (!d.refusal.isEmpty())
        parts << u"refusal="_s + d.refusal;
    for (const ToolCallDelta &t : d.toolCalls)
        parts << u"tool[%1]=%2|%3|%4|%5"_s.arg(t.index).arg(t.id, t.type, t.name, t.arguments);
    if (d.usage) {
        const Usage &u = *d.usage;
        parts << u"usage=%1/%2/%3 r%4 c%5"_s.arg(u.promptTokens)
                         .arg(u.completionTokens)
                         .arg(u.totalTokens)
                         .arg(u.reasoningTokens)
                         .arg(u.cachedPromptTokens);
    }
    if (!d.finishReason.isEmpty())
        parts << u"finish="_s + d.finishReason;
    if (d.error)
        parts << u"error="_s + d.error->describe();
    if (d.done)
        parts << u"done"_s;
    if (d.malformed)
        parts << u"malformed"_s;
    return parts.join(u"; "_s);
}

QString describe(const QList<ToolCall> &calls)
{
    QStringList parts;
    for (const ToolCall &t : calls)
        parts << u"%1:%2|%3|%4|%5"_s.arg(t.index).arg(t.id, t.type, t.name, t.arguments);
    return parts.join(u"; "_s);
}

SseEvent sseEvent(const QByteArray &data, const QByteArray &type = "message")
{
    SseEvent e;
    e.type = type;
    e.data = data;
    return e;
}

// A chat.completion.chunk with the usual envelope around one choice.
QByteArray chunk(const QByteArray &choice, const QByteArray &extra = QByteArray())
{
    return R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[)"
            + choice + "]" + extra + "}";
}

QByteArray delta(const QByteArray &fields, const QByteArray &finish = "null")
{
    return chunk(R"({"index":0,"delta":{)" + fields + R"(},"logprobs":null,"finish_reason":)" + finish + "}");
}

QByteArray toolFragment(int index, const QByteArray &fields)
{
    return delta(R"("tool_calls":[{"index":)" + QByteArray::number(index) + "," + fields + "}]");
}

} // namespace

// OpenAiChatFormat: URLs, the request body, the model list and the stream decoder.
class tst_OpenAiChatFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chunkShapeGivesSameResults();
    void requestUrl_data();
    void requestUrl();
    void requestBody_data();
    void requestBody();
    void parseModelList_data();
    void parseModelList();

    void decode_data();
    void decode();
    void toolCalls_data();
    void toolCalls();
    void malformedIsCountedAndSkipped();
    void resetClearsState();
    void repeatedPrefixGivesSameResults();
    void wholeStreamThroughSseParser();
};

void tst_OpenAiChatFormat::requestUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("chat");
    QTest::addColumn<QString>("models");

    QTest::newRow("OpenAI") << u"https://api.openai.com/v1"_s
                            << u"https://api.openai.com/v1/chat/completions"_s
                            << u"https://api.openai.com/v1/models"_s;
    QTest::newRow("trailing slash") << u"https://api.openai.com/v1/"_s
                                    << u"https://api.openai.com/v1/chat/completions"_s
                                    << u"https://api.openai.com/v1/models"_s;
    QTest::newRow("several trailing slashes") << u"https://relay.example/v1//"_s
                                              << u"https://relay.example/v1/chat/completions"_s
                                              << u"https://relay.example/v1/models"_s;
    QTest::newRow("deeper path kept") << u"https://openrouter.ai/api/v1"_s
                                      << u"https://openrouter.ai/api/v1/chat/completions"_s
                                      << u"https://openrouter.ai/api/v1/models"_s;
    QTest::newRow("no path") << u"https://relay.example"_s
                             << u"https://relay.example/chat/completions"_s
                             << u"https://relay.example/models"_s;
    QTest::newRow("root path") << u"https://relay.example/"_s
                               << u"https://relay.example/chat/completions"_s
                               << u"https://relay.example/models"_s;
    QTest::newRow("local server with port") << u"http://localhost:11434/v1"_s
                                            << u"http://localhost:11434/v1/chat/completions"_s
                                            << u"http://localhost:11434/v1/models"_s;
    QTest::newRow("full endpoint pasted") << u"https://api.deepseek.com/v1/chat/completions"_s
                                          << u"https://api.deepseek.com/v1/chat/completions"_s
                                          << u"https://api.deepseek.com/v1/models"_s;
    QTest::newRow("full endpoint with slash") << u"https://api.deepseek.com/chat/completions/"_s
                                              << u"https://api.deepseek.com/chat/completions"_s
                                              << u"https://api.deepseek.com/models"_s;
    QTest::newRow("query kept (Azure api-version)")
            << u"https://r.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21"_s
            << u"https://r.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21"_s
            << u"https://r.openai.azure.com/openai/deployments/gpt4o/models?api-version=2024-10-21"_s;
    QTest::newRow("fragment dropped") << u"https://relay.example/v1#x"_s
                                      << u"https://relay.example/v1/chat/completions"_s
                                      << u"https://relay.example/v1/models"_s;
    QTest::newRow("encoded path kept") << u"https://relay.example/my%20proxy/v1"_s
                                       << u"https://relay.example/my%20proxy/v1/chat/completions"_s
                                       << u"https://relay.example/my%20proxy/v1/models"_s;
}

void tst_OpenAiChatFormat::requestUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, chat);
    QFETCH(QString, models);

    const QUrl baseUrl(base);
    QVERIFY(baseUrl.isValid());
    QCOMPARE(OpenAiChatFormat::requestUrl(baseUrl).toString(QUrl::FullyEncoded), chat);
    QCOMPARE(OpenAiChatFormat::modelsUrl(baseUrl).toString(QUrl::FullyEncoded), models);
}

void tst_OpenAiChatFormat::requestBody_data()
{
    QTest::addColumn<std::optional<double>>("temperature");
    QTest::addColumn<std::optional<int>>("maxTokens");

    QTest::newRow("neither") << std::optional<double>() << std::optional<int>();
    QTest::newRow("temperature only") << std::optional<double>(0.7) << std::optional<int>();
    QTest::newRow("temperature zero is still sent") << std::optional<double>(0.0) << std::optional<int>();
    QTest::newRow("max_tokens only") << std::optional<double>() << std::optional<int>(256);
    QTest::newRow("both") << std::optional<double>(1.5) << std::optional<int>(4096);
}

void tst_OpenAiChatFormat::requestBody()
{
    QFETCH(std::optional<double>, temperature);
    QFETCH(std::optional<int>, maxTokens);

    ChatRequest request;
    request.baseUrl = QUrl(u"https://api.example/v1"_s);
    request.apiKey = u"sk-secret"_s;
    request.model = u"gpt-4o-mini"_s;
    request.messages = {
            {ChatMessage::Role::System, u"Be brief."_s},
            {ChatMessage::Role::User, u"Hi \"there\"\n你好 😀"_s},
            {ChatMessage::Role::Assistant, u"Hello!"_s},
            {ChatMessage::Role::User, u"\\ and \t"_s},
    };
    request.temperature = temperature;
    request.maxTokens = maxTokens;

    const QByteArray body = OpenAiChatFormat::requestBody(request);
    QVERIFY(!body.contains("sk-secret")); // the key goes in a header, never the body
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject o = doc.object();

    QCOMPARE(o.value("model"_L1).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(o.value("stream"_L1), QJsonValue(true));
    QCOMPARE(o.value("stream_options"_L1).toObject().value("include_usage"_L1), QJsonValue(true));
    const QJsonArray messages = o.value("messages"_L1).toArray();
    QCOMPARE(messages.size(), 4);
    const QStringList roles = {u"system"_s, u"user"_s, u"assistant"_s, u"user"_s};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject m = messages.at(i).toObject();
        QCOMPARE(m.value("role"_L1).toString(), roles.at(i));
        QCOMPARE(m.value("content"_L1).toString(), request.messages.at(i).content);
        QCOMPARE(m.size(), 2);
    }
    QCOMPARE(o.contains("temperature"_L1), temperature.has_value());
    if (temperature)
        QCOMPARE(o.value("temperature"_L1).toDouble(), *temperature);
    QCOMPARE(o.contains("max_tokens"_L1), maxTokens.has_value());
    if (maxTokens)
        QCOMPARE(o.value("max_tokens"_L1).toInteger(), *maxTokens);
    QCOMPARE(o.size(), 4 + int(temperature.has_value()) + int(maxTokens.has_value()));
}

void tst_OpenAiChatFormat::parseModelList_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("ok");

    QTest::newRow("OpenAI, sorted and unique")
            << QByteArray(R"({"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"dall-e-3"},{"id":"gpt-4o"},{"id":"Babbage"}]})")
            << QStringList{u"Babbage"_s, u"dall-e-3"_s, u"gpt-4o"_s} << true;
    QTest::newRow("Ollama names")
            << QByteArray(R"({"models":[{"name":"qwen2.5:7b","model":"qwen2.5:7b","size":1},{"name":"llama3.2:latest"}]})")
            << QStringList{u"llama3.2:latest"_s, u"qwen2.5:7b"_s} << true;
    QTest::newRow("Ollama model only") << QByteArray(R"({"models":[{"model":"phi4"}]})")
                                       << QStringList{u"phi4"_s} << true;
    QTest::newRow("case-insensitive order") << QByteArray(R"({"data":[{"id":"b"},{"id":"a"},{"id":"A"}]})")
                                            << QStringList{u"A"_s, u"a"_s, u"b"_s} << true;
    QTest::newRow("entries without an id are skipped")
            << QByteArray(R"({"data":[{"id":" m1 "},{"object":"model"},{"id":""},{"id":null},42]})")
            << QStringList{u"m1"_s} << true;
    QTest::newRow("empty list") << QByteArray(R"({"data":[]})") << QStringList() << true;
    QTest::newRow("bare list of strings") << QByteArray(R"(["m2","m1"])")
                                          << QStringList{u"m1"_s, u"m2"_s} << true;
    QTest::newRow("bare list of objects") << QByteArray(R"([{"id":"x"}])") << QStringList{u"x"_s}
                                          << true;
    QTest::newRow("not JSON") << QByteArray("<html>nope</html>") << QStringList() << false;
    QTest::newRow("empty body") << QByteArray() << QStringList() << false;
    QTest::newRow("an error body") << QByteArray(R"({"error":{"message":"bad key"}})") << QStringList()
                                   << false;
    QTest::newRow("data is not a list") << QByteArray(R"({"data":{"id":"x"}})") << QStringList()
                                        << false;
}

void tst_OpenAiChatFormat::parseModelList()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, expected);
    QFETCH(bool, ok);

    bool parsed = !ok;
    QCOMPARE(OpenAiChatFormat::parseModelList(body, &parsed), expected);
    QCOMPARE(parsed, ok);
    QCOMPARE(OpenAiChatFormat::parseModelList(body), expected); // ok is optional
}

void tst_OpenAiChatFormat::decode_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, const QByteArray &data, const QString &expected,
                  const QByteArray &type = "message") {
        QTest::newRow(name) << type << data << expected;
    };

    // Text
    row("content", delta(R"("content":"Hello")"), u"content=Hello"_s);
    row("first chunk: role and empty content", delta(R"("role":"assistant","content":"","refusal":null)"), QString());
    row("escapes", delta(R"("content":"line\n\"quoted\"\ttab \\ \/")"), u"content=line\n\"quoted\"\ttab \\ /"_s);
    row("Chinese as \\u escapes", delta(R"("content":"\u4f60\u597d")"), u"content=你好"_s);
    row("emoji as a surrogate pair", delta(R"("content":"\ud83d\ude00")"), u"content=😀"_s);
    row("lone surrogate becomes U+FFFD", delta(R"("content":"a\ud83d")"), u"content=a\uFFFD"_s);
    row("raw UTF-8", delta("\"content\":\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80 caf\xC3\xA9\""),
        u"content=你好 😀 café"_s);
    row("long content", delta(R"("content":")" + QByteArray(5000, 'x') + "\""),
        u"content="_s + QString(5000, u'x'));
    row("content as text parts", delta(R"("content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{}},{"type":"text","text":"b"}])"),
        u"content=ab"_s);
    row("content parts with thinking (Mistral)",
        delta(R"("content":[{"type":"thinking","thinking":[{"type":"text","text":"hmm"}]},{"type":"text","text":"ok"}])"),
        u"content=ok; reasoning=hmm"_s);
    row("escaped member name", delta(R"("\u0063ontent":"x")"), u"content=x"_s);
    row("pretty-printed with whitespace",
        "{\n  \"choices\" : [ {\n    \"index\" : 0 ,\n    \"delta\" : { \"content\" : \"Hi\" }\n  } ]\n}\n",
        u"content=Hi"_s);

    // Reasoning and refusal
    row("reasoning_content (DeepSeek)", delta(R"("content":null,"reasoning_content":"Let me think")"),
        u"reasoning=Let me think"_s);
    row("reasoning (OpenRouter, Ollama)", delta(R"("content":"","reasoning":"Hmm")"), u"reasoning=Hmm"_s);
    row("both reasoning fields: shown once",
        delta(R"("reasoning_content":"same","reasoning":"same")"), u"reasoning=same"_s);
    row("reasoning and content", delta(R"("reasoning_content":"r","content":"c")"), u"content=c; reasoning=r"_s);
    row("refusal", delta(R"("content":null,"refusal":"I can't help with that.")"),
        u"refusal=I can't help with that."_s);

    // Null everywhere
    row("null fields",
        delta(R"("content":null,"reasoning_content":null,"reasoning":null,"refusal":null,"tool_calls":null,"role":null)"),
        QString());
    row("null delta", chunk(R"({"index":0,"delta":null,"finish_reason":null})", R"(,"usage":null)"), QString());
    row("null choices and usage", R"({"choices":null,"usage":null,"error":null})", QString());
    row("null choice element", R"({"choices":[null]})", QString());

    // Finish reasons
    row("finish stop", delta("", "\"stop\""), u"finish=stop"_s);
    row("finish length", delta(R"("content":"x")", "\"length\""), u"content=x; finish=length"_s);
    row("finish tool_calls", delta("", "\"tool_calls\""), u"finish=tool_calls"_s);
    row("finish content_filter", delta("", "\"content_filter\""), u"finish=content_filter"_s);

    // Usage
    row("usage-only chunk",
        R"({"id":"c","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":30,"total_tokens":44,"completion_tokens_details":{"reasoning_tokens":0}}})",
        u"usage=14/30/44 r0 c-1"_s);
    row("usage with details",
        R"({"choices":[],"usage":{"prompt_tokens":16,"completion_tokens":300,"total_tokens":316,"prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":64,"audio_tokens":0}}})",
        u"usage=16/300/316 r64 c8"_s);
    row("usage with choices (DeepSeek)",
        chunk(R"({"index":0,"delta":{"content":""},"finish_reason":"stop"})",
              R"(,"usage":{"prompt_tokens":18,"completion_tokens":219,"total_tokens":237,"prompt_cache_hit_tokens":5,"prompt_cache_miss_tokens":13})"),
        u"usage=18/219/237 r-1 c5; finish=stop"_s);
    row("usage with cost (OpenRouter)",
        chunk(R"({"index":0,"delta":{"content":""},"finish_reason":null})",
              R"(,"usage":{"prompt_tokens":17,"completion_tokens":6,"total_tokens":23,"cost":0.0001025,"is_byok":false,"cost_details":{"upstream_inference_cost":null}})"),
        u"usage=17/6/23 r-1 c-1"_s);
    row("usage null", chunk(R"({"index":0,"delta":{"content":"a"}})", R"(,"usage":null)"), u"content=a"_s);
    row("usage empty object", R"({"choices":[],"usage":{}})", QString());
    row("usage with nulls", R"({"choices":[],"usage":{"prompt_tokens":null,"completion_tokens":5}})",
        u"usage=-1/5/-1 r-1 c-1"_s);
    // A count that is not a whole number from 0 to 10^9 stays unknown (-1):
    // never a negative cost or speed, never an absurd bill. The other counts
    // of the same object are kept; an object with no usable count is no usage.
    row("usage: negative counts are unknown",
        R"({"choices":[],"usage":{"prompt_tokens":-5,"completion_tokens":30,"total_tokens":-1}})",
        u"usage=-1/30/-1 r-1 c-1"_s);
    row("usage: negative completion, the rest kept",
        R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":-30,"total_tokens":42}})",
        u"usage=12/-1/42 r-1 c-1"_s);
    row("usage: all counts negative is no usage",
        R"({"choices":[],"usage":{"prompt_tokens":-1,"completion_tokens":-2,"total_tokens":-3}})", QString());
    row("usage: negative details",
        R"({"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":-8},"completion_tokens_details":{"reasoning_tokens":-64}}})",
        u"usage=10/5/15 r-1 c-1"_s);
    row("usage: negative cache hit (DeepSeek)",
        R"({"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_cache_hit_tokens":-3}})",
        u"usage=10/5/-1 r-1 c-1"_s);
    row("usage: fractions are unknown",
        R"({"choices":[],"usage":{"prompt_tokens":12.5,"completion_tokens":0.1,"total_tokens":3}})",
        u"usage=-1/-1/3 r-1 c-1"_s);
    row("usage: a whole number written as a float counts",
        R"({"choices":[],"usage":{"prompt_tokens":12.0,"completion_tokens":3e1,"total_tokens":4.2e1}})",
        u"usage=12/30/42 r-1 c-1"_s);
    row("usage: zero is a count", R"({"choices":[],"usage":{"prompt_tokens":0,"completion_tokens":-0}})",
        u"usage=0/0/-1 r-1 c-1"_s);
    row("usage: the largest count", R"({"choices":[],"usage":{"completion_tokens":1000000000}})",
        u"usage=-1/1000000000/-1 r-1 c-1"_s);
    row("usage: absurdly large counts are unknown",
        R"({"choices":[],"usage":{"prompt_tokens":1000000001,"completion_tokens":9223372036854775807,"total_tokens":1e300}})",
        QString());
    row("usage: past qint64 is unknown, not saturated",
        R"({"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":99999999999999999999999}})",
        u"usage=7/-1/-1 r-1 c-1"_s);
    row("usage: strings, booleans, objects are not counts",
        R"({"choices":[],"usage":{"prompt_tokens":"12","completion_tokens":true,"total_tokens":{"n":3},"completion_tokens_details":{"reasoning_tokens":[4]}}})",
        QString());

    // Choices
    row("other choice index (n > 1)", chunk(R"({"index":1,"delta":{"content":"other"},"finish_reason":"stop"})"),
        QString());
    row("two choices in one chunk", chunk(R"({"index":1,"delta":{"content":"B"}},{"index":0,"delta":{"content":"A"}})"),
        u"content=A"_s);
    row("no index means the first choice", chunk(R"({"delta":{"content":"x"}})"), u"content=x"_s);
    row("index after the delta (Azure order)",
        chunk(R"({"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Hi"},"finish_reason":null,"index":0,"logprobs":null})"),
        u"content=Hi"_s);
    row("other index after the delta", chunk(R"({"delta":{"content":"no"},"index":2})"), QString());
    row("message instead of delta", chunk(R"({"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"})"),
        u"content=whole; finish=stop"_s);
    row("delta wins over message", chunk(R"({"index":0,"message":{"content":"whole"},"delta":{"content":"part"}})"),
        u"content=part"_s);
    row("Azure prompt filter chunk",
        R"({"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]})",
        QString());
    row("logprobs are skipped",
        chunk(R"({"index":0,"delta":{"content":"Foo"},"logprobs":{"content":[{"token":"Foo","logprob":-0.0025,"bytes":[70,111,111],"top_logprobs":[]}]},"finish_reason":null})"),
        u"content=Foo"_s);

    // Tool calls (one event; merging is in toolCalls())
    row("tool call start", toolFragment(0, R"("id":"call_1","type":"function","function":{"name":"get_weather","arguments":""})"),
        u"tool[0]=call_1|function|get_weather|"_s);
    row("tool call fragment", toolFragment(0, R"("function":{"arguments":"{\"city\":"})"),
        u"tool[0]=|||{\"city\":"_s);
    row("arguments as a JSON object", toolFragment(0, R"("id":"c","function":{"name":"f","arguments":{"a": 1}})"),
        u"tool[0]=c||f|{\"a\": 1}"_s);

    // Errors
    row("error object",
        R"({"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"rate_limit_exceeded","param":null}})",
        u"error=Rate limit reached (rate_limit_error, rate_limit_exceeded)"_s);
    row("error with a numeric code and a choice (OpenRouter)",
        chunk(R"({"index":0,"delta":{"content":""},"finish_reason":"error"})",
              R"(,"error":{"code":502,"message":"Upstream error"})"),
        u"finish=error; error=Upstream error (502)"_s);
    row("error as text", R"({"error":"upstream timed out"})", u"error=upstream timed out"_s);
    row("event: error, Anthropic payload",
        R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
        u"error=Overloaded (overloaded_error)"_s, "error");
    row("event: error, top-level fields (Responses API)",
        R"({"type":"error","code":"insufficient_quota","message":"You exceeded your quota.","param":null,"sequence_number":2})",
        u"error=You exceeded your quota. (insufficient_quota)"_s, "error");
    row("event: error, plain text", "Internal server error", u"error=Internal server error"_s, "error");
    row("event: error, no data", "", u"error=The server reported an error without details."_s, "error");
    row("event: error, unusable JSON", "{}", u"error=The server reported an error without details."_s, "error");

    // End of stream
    row("[DONE]", "[DONE]", u"done"_s);
    row("[DONE] with whitespace", " [DONE] \r\n", u"done"_s);
    row("[DONE] followed by text", "[DONE]x", u"malformed"_s);
    row("lower-case done", "[done]", u"malformed"_s);

    // Other events and values
    row("ping event", "{}", QString(), "ping");
    row("ping event with JSON", delta(R"("content":"no")"), QString(), "ping");
    row("unknown event with garbage", "not json", QString(), "keepalive");
    row("whitespace-only data", "  ", QString());
    row("JSON array", "[1,2]", QString());
    row("JSON string", R"("text")", QString());
    row("JSON number", "42", QString());
    row("JSON null", "null", QString());
    row("object with nothing known", R"({"foo":{"bar":[1,2]},"obfuscation":"abc"})", QString());

    // Malformed: skipped, never turned into text
    row("truncated", R"({"choices":[{"index":0,"delta":{"content":"Hel)", u"malformed"_s);
    row("trailing garbage", delta(R"("content":"x")") + "}", u"malformed"_s);
    row("two objects", delta(R"("content":"x")") + delta(R"("content":"y")"), u"malformed"_s);
    row("NaN", R"({"choices":[],"usage":{"prompt_tokens":NaN}})", u"malformed"_s);
    row("single quotes", R"({'choices':[]})", u"malformed"_s);
    row("bad escape in a skipped field", R"({"id":"a\q","choices":[{"delta":{"content":"x"}}]})", u"malformed"_s);
    row("raw newline in a string", "{\"choices\":[{\"delta\":{\"content\":\"a\nb\"}}]}", u"malformed"_s);
    row("error after the content", delta(R"("content":"x")") + ",", u"malformed"_s);
    row("plain text", "Hello there", u"malformed"_s);
}

void tst_OpenAiChatFormat::decode()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, data);
    QFETCH(QString, expected);

    OpenAiChatFormat::Decoder decoder;
    const StreamDelta d = decoder.decode(sseEvent(data, type));
    QCOMPARE(describe(d), expected);
    QCOMPARE(decoder.malformedCount(), d.malformed ? 1 : 0);
    if (d.malformed) {
        QVERIFY(!d.hasText());
        QVERIFY(decoder.toolCalls().isEmpty());
    }
}

void tst_OpenAiChatFormat::toolCalls_data()
{
    QTest::addColumn<QList<QByteArray>>("events");
    QTest::addColumn<QString>("expected");

    QTest::newRow("one call in many fragments") << QList<QByteArray>{
            toolFragment(0, R"("id":"call_1","type":"function","function":{"name":"get_weather","arguments":""})"),
            toolFragment(0, R"("function":{"arguments":"{\""})"),
            toolFragment(0, R"("function":{"arguments":"city"})"),
            toolFragment(0, R"("function":{"arguments":"\":\"San Francisco\"}"})"),
            delta("", "\"tool_calls\""),
    } << u"0:call_1|function|get_weather|{\"city\":\"San Francisco\"}"_s;

    QTest::newRow("arguments split inside an escape") << QList<QByteArray>{
            toolFragment(0, R"("id":"c","type":"function","function":{"name":"say","arguments":"{\"q\":\"a\\"})"),
            toolFragment(0, R"("function":{"arguments":"\"b \\u00"})"),
            toolFragment(0, R"("function":{"arguments":"e9\"}"})"),
    } << u"0:c|function|say|{\"q\":\"a\\\"b \\u00e9\"}"_s;

    QTest::newRow("parallel calls by index") << QList<QByteArray>{
            toolFragment(0, R"("id":"a","type":"function","function":{"name":"f","arguments":""})"),
            toolFragment(0, R"("function":{"arguments":"{\"x\":"})"),
            toolFragment(1, R"("id":"b","type":"function","function":{"name":"g","arguments":""})"),
            toolFragment(1, R"("function":{"arguments":"{\"y\":2}"})"),
            toolFragment(0, R"("function":{"arguments":"1}"})"),
    } << u"0:a|function|f|{\"x\":1}; 1:b|function|g|{\"y\":2}"_s;

    QTest::newRow("two calls in one chunk") << QList<QByteArray>{
            delta(R"("tool_calls":[{"index":1,"id":"b","function":{"name":"g","arguments":"{}"}},{"index":0,"id":"a","function":{"name":"f","arguments":"[]"}}])"),
    } << u"0:a||f|[]; 1:b||g|{}"_s;

    QTest::newRow("whole calls, one per chunk (Ollama)") << QList<QByteArray>{
            delta(R"("content":"","tool_calls":[{"id":"call_x","index":0,"type":"function","function":{"name":"run","arguments":"{\"command\":\"ls\"}"}}])"),
            delta(R"("content":"","tool_calls":[{"id":"call_y","index":1,"type":"function","function":{"name":"run","arguments":"{\"command\":\"ls -l\"}"}}])"),
    } << u"0:call_x|function|run|{\"command\":\"ls\"}; 1:call_y|function|run|{\"command\":\"ls -l\"}"_s;

    QTest::newRow("no index: by id, then the last call") << QList<QByteArray>{
            delta(R"("tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{"}}])"),
            delta(R"("tool_calls":[{"function":{"arguments":"}"}}])"),
            delta(R"("tool_calls":[{"id":"b","function":{"name":"g","arguments":"[1"}}])"),
            delta(R"("tool_calls":[{"id":"b","function":{"arguments":"]"}}])"),
    } << u"0:a|function|f|{}; 1:b||g|[1]"_s;

    QTest::newRow("other choice's calls are ignored") << QList<QByteArray>{
            chunk(R"({"index":1,"delta":{"tool_calls":[{"index":0,"id":"z","function":{"name":"no","arguments":"{}"}}]}})"),
            toolFragment(0, R"("id":"a","function":{"name":"yes","arguments":"{}"})"),
    } << u"0:a||yes|{}"_s;

    QTest::newRow("a malformed event changes nothing") << QList<QByteArray>{
            toolFragment(0, R"("id":"a","function":{"name":"f","arguments":"{"})"),
            toolFragment(0, R"("function":{"arguments":"\"broken\""})") + "x",
            toolFragment(0, R"("function":{"arguments":"}"})"),
    } << u"0:a||f|{}"_s;

    QTest::newRow("negative index is not trusted") << QList<QByteArray>{
            toolFragment(-5, R"("id":"a","function":{"name":"f","arguments":"{}"})"),
    } << u"0:a||f|{}"_s;
}

void tst_OpenAiChatFormat::toolCalls()
{
    QFETCH(QList<QByteArray>, events);
    QFETCH(QString, expected);

    OpenAiChatFormat::Decoder decoder;
    for (const QByteArray &data : events)
        decoder.decode(sseEvent(data));
    QCOMPARE(describe(decoder.toolCalls()), expected);
}

void tst_OpenAiChatFormat::malformedIsCountedAndSkipped()
{
    OpenAiChatFormat::Decoder decoder;
    QString text;
    const QList<QByteArray> events = {
            delta(R"("content":"Hello")"),
            R"({"choices":[{"delta":{"content":" brok)",
            delta(R"("content":",")"),
            "{'choices':[]}",
            delta(R"("content":" world")"),
            R"({"choices":[],"x":NaN})",
    };
    for (const QByteArray &data : events) {
        const StreamDelta d = decoder.decode(sseEvent(data));
        text += d.content;
    }
    QCOMPARE(text, u"Hello, world"_s);
    QCOMPARE(decoder.malformedCount(), 3);
}

void tst_OpenAiChatFormat::resetClearsState()
{
    OpenAiChatFormat::Decoder decoder;
    decoder.decode(sseEvent(toolFragment(0, R"("id":"a","function":{"name":"f","arguments":"{}"})")));
    decoder.decode(sseEvent("nope"));
    QCOMPARE(decoder.toolCalls().size(), 1);
    QCOMPARE(decoder.malformedCount(), 1);
    decoder.reset();
    QVERIFY(decoder.toolCalls().isEmpty());
    QCOMPARE(decoder.malformedCount(), 0);
    QCOMPARE(describe(decoder.decode(sseEvent(delta(R"("content":"again")")))), u"content=again"_s);
}

void tst_OpenAiChatFormat::repeatedPrefixGivesSameResults()
{
    // The decoder reads chunks that repeat the previous chunk's bytes before
    // "choices" from there on: the results must be exactly those of a fresh
    // decoder, whatever follows the shared prefix.
    const QByteArray prefix =
            R"({"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"m","choices":)";
    const QList<QByteArray> tails = {
            R"([{"index":0,"delta":{"content":"a"}}]})",
            R"([{"index":0,"delta":{"content":"b"}}],"usage":null})",
            R"([{"index":0,"delta":{"content":"c"})",          // truncated
            R"([{"index":0,"delta":{"content":"d"}}]}})",      // extra brace
            R"([{"index":0,"delta":{"reasoning_content":"e"}}]})",
            R"([],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})",
            R"(null})",
            R"([{"index":0,"delta":{"content":"f"}}],"error":{"message":"late"}})",
            R"(})",                                             // missing value
            R"([{"index":0,"delta":{"content":"g"}}]   })",
    };
    OpenAiChatFormat::Decoder persistent;
    for (int round = 0; round < 2; ++round) {
        for (const QByteArray &tail : tails) {
            const SseEvent e = sseEvent(prefix + tail);
            OpenAiChatFormat::Decoder fresh;
            QCOMPARE(describe(persistent.decode(e)), describe(fresh.decode(e)));
        }
    }
    // A chunk with another prefix in between, and a prefix that differs late.
    const QList<QByteArray> others = {
            R"({"id":"other","choices":[{"delta":{"content":"h"}}]})",
            QByteArray(prefix).replace("\"m\"", "\"n\"") + tails.first(),
            prefix + tails.first(),
            QByteArray(prefix).replace("\"created\":1", "\"created\":x") + tails.first(),
            prefix + tails.first(),
    };
    for (const QByteArray &data : others) {
        const SseEvent e = sseEvent(data);
        OpenAiChatFormat::Decoder fresh;
        QCOMPARE(describe(persistent.decode(e)), describe(fresh.decode(e)));
    }
}

void tst_OpenAiChatFormat::wholeStreamThroughSseParser()
{
    // A stream written for this test in the shape of a DeepSeek/OpenAI stream:
    // comments, reasoning, content, tool call, finish, usage, [DONE], CRLF.
    const QByteArray body =
            ": keep-alive\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Think\"},\"finish_reason\":null}]}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":\"ing.\"},\"finish_reason\":null}]}\r\n\r\n"
            "event: ping\r\ndata: {}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u4f60\\u597d \xF0\x9F\x98\x80\"},\"finish_reason\":null}]}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" done\"},\"finish_reason\":null}]}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]},\"finish_reason\":null}]}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]},\"finish_reason\":null}]}\r\n\r\n"
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"tool_calls\"}],"
            "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30,\"completion_tokens_details\":{\"reasoning_tokens\":4}}}\r\n\r\n"
            "data: [DONE]\r\n\r\n";

    for (int step : {0, 1, 7}) {
        OpenAiChatFormat::Decoder decoder;
        QString content, reasoning, finish;
        std::optional<Usage> usage;
        bool done = false;
        SseParser parser;
        parser.setEventHandler([&](const SseEvent &e) {
            const StreamDelta d = decoder.decode(e);
            content += d.content;
            reasoning += d.reasoning;
            if (!d.finishReason.isEmpty())
                finish = d.finishReason;
            if (d.usage)
                usage = d.usage;
            done = done || d.done;
        });
        if (step == 0) {
            parser.feed(body);
        } else {
            for (qsizetype i = 0; i < body.size(); i += step)
                parser.feed(QByteArrayView(body).sliced(i, std::min<qsizetype>(step, body.size() - i)));
        }
        parser.finish();
        QCOMPARE(content, u"你好 😀 done"_s);
        QCOMPARE(reasoning, u"Thinking."_s);
        QCOMPARE(finish, u"tool_calls"_s);
        QVERIFY(usage);
        QCOMPARE(usage->totalTokens, 30);
        QCOMPARE(usage->reasoningTokens, 4);
        QVERIFY(done);
        QCOMPARE(describe(decoder.toolCalls()), u"0:call_1|function|f|{\"a\":1}"_s);
        QCOMPARE(decoder.malformedCount(), 0);
    }
}

// The decoder reads a chunk shaped like the previous one by its content
// string alone: whatever the content and what follows it, the result must be
// what a fresh decoder gives.
void tst_OpenAiChatFormat::chunkShapeGivesSameResults()
{
    const QByteArray head = R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":)";
    const QByteArray tail = R"(},"logprobs":null,"finish_reason":null}],"obfuscation":)";
    const QList<QByteArray> contents = {R"("a")", R"("\u4f60\ud83d\ude00\n\"")", "\"\xE4\xBD\xA0\"", R"("")", R"("\q")", "\"a\x01\"",
            R"(null)", R"(["x"])", "\"" + QByteArray(300, 'x') + "\"", R"("\ud83d")", "\"\xC0\x80\"", R"("x" )", R"( "x")"};
    const QList<QByteArray> rests = {R"("abc"})", R"("x\u00e9"})", R"("bad\q"})", R"(12})", R"("abc"}})", R"("abc")", R"("abc"} )",
            R"("abc","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})", R"("abc","error":{"message":"late"}})"};
    OpenAiChatFormat::Decoder persistent;
    for (const QByteArray &rest : rests) {
        for (const QByteArray &content : contents) {
            const QList<QByteArray> chunks = {
                QByteArray(head + R"("seed")" + tail + R"("s"})"), QByteArray(head + content + tail + rest),
                QByteArray(QByteArray(head).replace("\"m\"", "\"n\"") + content + tail + rest),
                QByteArray(head + content + QByteArray(tail).replace("null}", "\"stop\"}") + rest)};
            for (const QByteArray &data : chunks) {
                const SseEvent e = sseEvent(data);
                OpenAiChatFormat::Decoder fresh;
                QCOMPARE(describe(persistent.decode(e)), describe(fresh.decode(e)));
            }
        }
    }
}

QTEST_GUILESS_MAIN(tst_OpenAiChatFormat)
#include "tst_openaichatformat.moc"
