// bench_stream: throughput of the streaming core (SseParser + OpenAI decoder).
//
//     bench_stream [--iterations N] [--warmup W] [--mode M] FILE [CONTENT [REASONING]]
//
// FILE is an OpenAI chat-completions stream body (bench/gen_stream.py writes
// one, or use a captured one). It is read into memory first (not timed) and
// then processed as the app receives it: in 16 KiB chunks, each fed to the
// parser, every event decoded and its content and reasoning appended to two
// QStrings. One iteration is one whole stream with a fresh parser, decoder and
// strings. W untimed warm-up iterations, then N timed ones, single-threaded;
// the median and the best are printed, as process CPU time (std::clock) and
// wall time, in MB/s (10^6 bytes of the body per second) and events/s.
// When CONTENT (and REASONING) are given, the texts of the first iteration
// must equal those files' UTF-8 bytes, or the benchmark stops with exit code 1.
//
// Modes (--mode, default all, in this order):
//   view    the fastest API: SseParser::setEventViewHandler (events as views
//           into the chunk, no copy) and Decoder::decode(event, delta) into one
//           StreamDelta reused for every event
//   reuse   owning SseEvents (setEventHandler), one reused StreamDelta
//   app     what `sluice-cli replay` and ChatClient do today: setEventHandler
//           and Decoder::decode(event) returning a new StreamDelta per event
//   decode  parser + decoder alone: as view, but the text is not appended
//   parser  SseParser alone (view handler); the handler only counts events
// After each mode a machine-readable line, for bench/stream-vs-node.sh:
//   RESULT impl=cpp mode=... bytes=... events=... wall_ms=t1,t2,... cpu_ms=t1,t2,...
//
// Not a test: figures vary with the machine and its load.

#include "api/openaichatformat.h"
#include "sse/sseparser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kChunk = 16 * 1024;

struct Output
{
    QString content;
    QString reasoning;
    qint64 events = 0;
};

using Chunks = QList<QByteArrayView>;

Chunks chunksOf(const QByteArray &body)
{
    Chunks chunks;
    for (qsizetype at = 0; at < body.size(); at += kChunk)
        chunks.append(QByteArrayView(body).sliced(at, std::min(kChunk, body.size() - at)));
    return chunks;
}

void feedAll(SseParser &parser, const Chunks &chunks)
{
    for (const QByteArrayView chunk : chunks)
        parser.feed(chunk);
    parser.finish();
}

// The text a StreamDelta carries, appended as an app appends it.
void append(const StreamDelta &d, Output &out)
{
    out.content += d.content;
    if (!d.refusal.isEmpty())
        out.content += d.refusal;
    if (!d.reasoning.isEmpty())
        out.reasoning += d.reasoning;
}

void runView(const Chunks &chunks, Output &out)
{
    OpenAiChatFormat::Decoder decoder;
    SseParser parser;
    StreamDelta d;
    parser.setEventViewHandler([&](const SseEventView &event) {
        ++out.events;
        decoder.decode(event, d);
        append(d, out);
    });
    feedAll(parser, chunks);
}

void runReuse(const Chunks &chunks, Output &out)
{
    OpenAiChatFormat::Decoder decoder;
    SseParser parser;
    StreamDelta d;
    parser.setEventHandler([&](const SseEvent &event) {
        ++out.events;
        decoder.decode(event, d);
        append(d, out);
    });
    feedAll(parser, chunks);
}

void runApp(const Chunks &chunks, Output &out)
{
    OpenAiChatFormat::Decoder decoder;
    SseParser parser;
    parser.setEventHandler([&](const SseEvent &event) {
        ++out.events;
        const StreamDelta d = decoder.decode(event);
        out.content += d.content;
        out.content += d.refusal;
        out.reasoning += d.reasoning;
    });
    feedAll(parser, chunks);
}

void runDecode(const Chunks &chunks, Output &out)
{
    OpenAiChatFormat::Decoder decoder;
    SseParser parser;
    StreamDelta d;
    qint64 units = 0;
    parser.setEventViewHandler([&](const SseEventView &event) {
        ++out.events;
        decoder.decode(event, d);
        units += d.content.size() + d.reasoning.size();
    });
    feedAll(parser, chunks);
    out.content = QString::number(units); // so that the work cannot be optimised away
}

void runParser(const Chunks &chunks, Output &out)
{
    SseParser parser;
    qint64 bytes = 0;
    parser.setEventViewHandler([&](const SseEventView &event) {
        ++out.events;
        bytes += event.data.size();
    });
    feedAll(parser, chunks);
    out.content = QString::number(bytes);
}

struct Mode
{
    const char *name;
    void (*run)(const Chunks &, Output &);
    bool checksText;
};

const Mode kModes[] = {
    {"view", runView, true},
    {"reuse", runReuse, true},
    {"app", runApp, true},
    {"decode", runDecode, false},
    {"parser", runParser, false},
};

double cpuMsNow()
{
    return double(std::clock()) * 1000.0 / CLOCKS_PER_SEC;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double best(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::min_element(v.begin(), v.end());
}

QByteArray joined(const QList<double> &v)
{
    QByteArrayList parts;
    for (const double x : v)
        parts.append(QByteArray::number(x, 'f', 3));
    return parts.join(',');
}

bool readFile(const QString &path, QByteArray &out)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench_stream: cannot read %s: %s\n", qPrintable(path), qPrintable(f.errorString()));
        return false;
    }
    out = f.readAll();
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(u"Throughput of SseParser + OpenAiChatFormat::Decoder on a stream body."_s);
    p.addHelpOption();
    p.addOptions({
        {u"iterations"_s, u"Timed iterations per mode (default 15)."_s, u"N"_s, u"15"_s},
        {u"warmup"_s, u"Untimed iterations first (default 3)."_s, u"W"_s, u"3"_s},
        {u"mode"_s, u"view, reuse, app, decode, parser or all (default)."_s, u"MODE"_s, u"all"_s},
    });
    p.addPositionalArgument(u"file"_s, u"The stream body."_s, u"FILE"_s);
    p.addPositionalArgument(u"content"_s, u"Expected content text (optional)."_s, u"[CONTENT]"_s);
    p.addPositionalArgument(u"reasoning"_s, u"Expected reasoning text (optional)."_s, u"[REASONING]"_s);
    p.process(app);
    const QStringList args = p.positionalArguments();
    if (args.isEmpty() || args.size() > 3)
        p.showHelp(64);
    const int iterations = std::max(1, p.value(u"iterations"_s).toInt());
    const int warmup = std::max(0, p.value(u"warmup"_s).toInt());

    QByteArray body, expectedContent, expectedReasoning;
    if (!readFile(args[0], body))
        return 2;
    if (args.size() >= 2 && !readFile(args[1], expectedContent))
        return 2;
    if (args.size() >= 3 && !readFile(args[2], expectedReasoning))
        return 2;
    const Chunks chunks = chunksOf(body);

    const QString modeName = p.value(u"mode"_s);
    bool anyMode = false;
    for (const Mode &mode : kModes) {
        if (modeName != u"all"_s && modeName != QLatin1StringView(mode.name))
            continue;
        anyMode = true;
        QList<double> wall, cpu;
        qint64 events = 0;
        for (int i = 0; i < warmup + iterations; ++i) {
            Output out;
            QElapsedTimer timer;
            const double cpu0 = cpuMsNow();
            timer.start();
            mode.run(chunks, out);
            const qint64 ns = timer.nsecsElapsed();
            const double cpuMs = cpuMsNow() - cpu0;
            events = out.events;
            if (i == 0 && mode.checksText && args.size() >= 2) {
                if (out.content.toUtf8() != expectedContent
                    || (args.size() >= 3 && out.reasoning.toUtf8() != expectedReasoning)) {
                    std::fprintf(stderr, "bench_stream: mode %s: the decoded text differs from the expected file\n",
                                 mode.name);
                    return 1;
                }
            }
            if (i >= warmup) {
                wall.append(double(ns) / 1e6);
                cpu.append(cpuMs);
            }
        }
        const double mb = double(body.size()) / 1e6;
        const double cpuMedian = median(cpu);
        std::printf("%-7s %8.1f MB/s %11.0f events/s %6.1f ns/event  (cpu median %.2f ms, best %.2f; "
                    "wall median %.2f ms, best %.2f; %d iterations)\n",
                    mode.name, mb / (cpuMedian / 1e3), double(events) / (cpuMedian / 1e3),
                    cpuMedian * 1e6 / double(std::max<qint64>(events, 1)), cpuMedian, best(cpu), median(wall),
                    best(wall), iterations);
        std::printf("RESULT impl=cpp mode=%s bytes=%lld events=%lld wall_ms=%s cpu_ms=%s\n", mode.name,
                    static_cast<long long>(body.size()), static_cast<long long>(events),
                    joined(wall).constData(), joined(cpu).constData());
        std::fflush(stdout);
    }
    if (!anyMode) {
        std::fprintf(stderr, "bench_stream: unknown --mode %s\n", qPrintable(modeName));
        return 64;
    }
    return 0;
}
