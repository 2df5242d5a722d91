// The Node.js side of bench/stream-vs-node.sh: what a JavaScript client does
// with an OpenAI stream, on the same file and the same way as bench_stream.
//
//     node stream.mjs [--iterations N] [--warmup W] FILE [CONTENT [REASONING]]
//
// The file is read into memory first (not timed), then processed in 16 KiB
// chunks as they would arrive from the network: TextDecoder.decode(chunk,
// {stream: true}) → eventsource-parser's createParser({onEvent}).feed(text) →
// JSON.parse(event.data) (skipping [DONE]) → choices[0]?.delta?.content and
// reasoning_content appended to two strings. One iteration is one whole stream
// with a fresh decoder, parser and strings. W untimed warm-up iterations (V8
// compiles the hot functions with TurboFan there), then N timed ones. Times:
// wall (process.hrtime) and process CPU (process.cpuUsage: user + system, all
// of V8's threads, so concurrent GC and compiler threads count).
// When CONTENT (and REASONING) are given, the texts of the first iteration must
// equal those files' bytes, or the script exits with code 1.
// The last line is machine-readable:
//   RESULT impl=node mode=pipeline bytes=... events=... wall_ms=t1,... cpu_ms=t1,...

import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';

const CHUNK = 16 * 1024;

function parseArgs(argv) {
    const options = { iterations: 15, warmup: 5, files: [] };
    for (let i = 0; i < argv.length; ++i) {
        if (argv[i] === '--iterations') options.iterations = Math.max(1, parseInt(argv[++i], 10));
        else if (argv[i] === '--warmup') options.warmup = Math.max(0, parseInt(argv[++i], 10));
        else options.files.push(argv[i]);
    }
    if (options.files.length < 1 || options.files.length > 3) {
        console.error('usage: node stream.mjs [--iterations N] [--warmup W] FILE [CONTENT [REASONING]]');
        process.exit(64);
    }
    return options;
}

// One stream, as an app would handle it.
function run(chunks) {
    let content = '';
    let reasoning = '';
    let events = 0;
    const decoder = new TextDecoder('utf-8');
    const parser = createParser({
        onEvent(event) {
            ++events;
            if (event.data === '[DONE]')
                return;
            const chunk = JSON.parse(event.data);
            const delta = chunk.choices?.[0]?.delta;
            if (delta) {
                if (delta.content)
                    content += delta.content;
                if (delta.reasoning_content)
                    reasoning += delta.reasoning_content;
            }
        },
    });
    for (const chunk of chunks)
        parser.feed(decoder.decode(chunk, { stream: true }));
    const rest = decoder.decode();
    if (rest)
        parser.feed(rest);
    return { content, reasoning, events };
}

function median(values) {
    const v = [...values].sort((a, b) => a - b);
    const n = v.length;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const options = parseArgs(process.argv.slice(2));
const body = readFileSync(options.files[0]);
const chunks = [];
for (let at = 0; at < body.length; at += CHUNK)
    chunks.push(body.subarray(at, Math.min(at + CHUNK, body.length)));

const wall = [];
const cpu = [];
let events = 0;
for (let i = 0; i < options.warmup + options.iterations; ++i) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const out = run(chunks);
    const t1 = process.hrtime.bigint();
    const used = process.cpuUsage(cpu0);
    events = out.events;
    if (i === 0 && options.files.length >= 2) {
        const sameContent = Buffer.from(out.content, 'utf8').equals(readFileSync(options.files[1]));
        const sameReasoning = options.files.length < 3
            || Buffer.from(out.reasoning, 'utf8').equals(readFileSync(options.files[2]));
        if (!sameContent || !sameReasoning) {
            console.error('stream.mjs: the decoded text differs from the expected file');
            process.exit(1);
        }
    }
    if (i >= options.warmup) {
        wall.push(Number(t1 - t0) / 1e6);
        cpu.push((used.user + used.system) / 1e3);
    }
}

const mb = body.length / 1e6;
const cpuMedian = median(cpu);
console.log(`node    ${(mb / (cpuMedian / 1e3)).toFixed(1).padStart(8)} MB/s ${(events / (cpuMedian / 1e3)).toFixed(0).padStart(11)} events/s `
    + `${(cpuMedian * 1e6 / events).toFixed(1).padStart(6)} ns/event  (cpu median ${cpuMedian.toFixed(2)} ms, best ${Math.min(...cpu).toFixed(2)}; `
    + `wall median ${median(wall).toFixed(2)} ms, best ${Math.min(...wall).toFixed(2)}; ${options.iterations} iterations)`);
console.log(`RESULT impl=node mode=pipeline bytes=${body.length} events=${events} `
    + `wall_ms=${wall.map((x) => x.toFixed(3)).join(',')} cpu_ms=${cpu.map((x) => x.toFixed(3)).join(',')}`);
