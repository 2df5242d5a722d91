#!/usr/bin/env python3
"""Writes a synthetic OpenAI chat-completions stream body and the text it decodes to.

    python3 bench/gen_stream.py [--events 200000] [--seed 1] [--out bench/out]

Writes, in --out:
    stream.sse             the body: `data: {chunk}\\n\\n` events as OpenAI sends them
                           (a role chunk, a few reasoning_content chunks as DeepSeek
                           sends them, content chunks, a finish chunk, a usage chunk
                           and `data: [DONE]`); --events counts all of them
    stream.content.txt     the assistant text the stream carries, UTF-8
    stream.reasoning.txt   the reasoning text, UTF-8

Deterministic: the same --events and --seed give the same bytes on any Python 3
(its own PRNG, not `random`). The content mixes ASCII prose, Chinese, emoji
(raw 4-byte UTF-8 and as \\ud83d\\ude00 escape pairs), \\uXXXX escapes of BMP
characters, and the escapes \\n \\t \\" \\\\ \\/. The expected text is built from
the pieces the generator chose, not by decoding the JSON it wrote, so it is an
independent reference for every decoder that reads the stream.
"""

import argparse
import json
import os
import sys


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def pick(self, items):
        return items[self.below(len(items))]


WORDS = (
    "the of and to in is that it for as with was on be by this are from at or an "
    "stream parser event token buffer latency network reply chunk decoder server "
    "client model request response message content delta choice usage window "
    "performance memory allocation string bytes character encoding unicode "
    "function return value error result thread signal slot widget layout paint "
    "however therefore because although whenever meanwhile"
).split()
SUFFIXES = ["", "", "", "", "s", "ing", "ed", "ly", "er"]
PUNCT = [",", ".", ":", ";", "!", "?", " -", " (", ")", " '"]
CHINESE = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长"
    "流式解析器事件令牌缓冲延迟网络回复数据解码服务客户端模型请求响应消息内容增量选择用量窗口性能内存分配字符串字节编码线程信号"
)
EMOJI = [
    "\U0001F600", "\U0001F680", "\U0001F44D", "\U0001F389", "\U0001F914", "\U0001F525",
    "\u2728", "\u2705", "\U0001F4A1", "\U0001F9E0", "\U0001F468\u200D\U0001F4BB", "\u2764\uFE0F",
]


def raw(text):
    """A piece written as JSON usually writes it (UTF-8, minimal escapes)."""
    return json.dumps(text, ensure_ascii=False)[1:-1], text


def escaped_u(text):
    """A piece written with \\uXXXX escapes only (surrogate pairs above U+FFFF)."""
    return json.dumps(text, ensure_ascii=True)[1:-1], text


def piece(rng):
    r = rng.below(1000)
    if r < 560:  # ASCII prose
        word = rng.pick(WORDS) + rng.pick(SUFFIXES)
        if rng.below(5) == 0:
            word = word.capitalize()
        text = (" " if rng.below(4) else "") + word
        if rng.below(6) == 0:
            text += rng.pick(PUNCT)
        return raw(text)
    if r < 760:  # Chinese, raw UTF-8
        return raw("".join(rng.pick(CHINESE) for _ in range(1 + rng.below(3))))
    if r < 800:  # emoji, raw UTF-8 (4-byte sequences, ZWJ, variation selector)
        return raw(rng.pick(EMOJI))
    if r < 830:  # emoji as an escaped surrogate pair
        return escaped_u(rng.pick(EMOJI[:6]))
    if r < 870:  # BMP characters as \uXXXX (what ensure_ascii servers send)
        return escaped_u("".join(rng.pick(CHINESE) for _ in range(1 + rng.below(2))))
    if r < 920:
        return raw("\n" if rng.below(3) else "\n\n")
    if r < 950:
        return raw('"' + rng.pick(WORDS) + '"')
    if r < 970:
        return raw("C:\\" + rng.pick(WORDS))
    if r < 985:
        return raw("\t")
    return "\\/", "/"  # the optional escape of '/'


def long_piece(rng):
    """Now and then a longer run (a line of code, a paragraph)."""
    parts = [piece(rng) for _ in range(30 + rng.below(120))]
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    args = ap.parse_args()
    if args.events < 8:
        sys.exit("--events must be at least 8")

    rng = SplitMix64(args.seed)
    chat_id = "chatcmpl-" + "".join(rng.pick(ALNUM) for _ in range(29))
    head = ('{"id":"%s","object":"chat.completion.chunk","created":1741569952,'
            '"model":"gpt-4o-2024-08-06","service_tier":"default",'
            '"system_fingerprint":"fp_eb9dce56a8","choices":' % chat_id)

    def obfuscation():
        return "".join(rng.pick(ALNUM) for _ in range(2 + rng.below(14)))

    out = []
    content = []
    reasoning = []

    def event(choices, tail=""):
        out.append("data: " + head + choices + tail + ',"obfuscation":"' + obfuscation() + '"}\n\n')

    def choice(delta, finish="null"):
        return '[{"index":0,"delta":{%s},"logprobs":null,"finish_reason":%s}]' % (delta, finish)

    event(choice('"role":"assistant","content":"","refusal":null'))
    reasoning_events = min(256, (args.events - 4) // 10)
    content_events = args.events - 4 - reasoning_events
    for _ in range(reasoning_events):
        j, text = piece(rng)
        reasoning.append(text)
        event(choice('"content":null,"reasoning_content":"%s"' % j))
    completion_tokens = 0
    for _ in range(content_events):
        if rng.below(500) == 0:
            j, text = long_piece(rng)
        else:
            parts = [piece(rng) for _ in range(1 + rng.below(3))]
            j, text = "".join(p[0] for p in parts), "".join(p[1] for p in parts)
        content.append(text)
        completion_tokens += 1
        event(choice('"content":"%s"' % j))
    event(choice("", finish='"stop"'))
    usage = ('"usage":{"prompt_tokens":1187,"completion_tokens":%d,"total_tokens":%d,'
             '"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},'
             '"completion_tokens_details":{"reasoning_tokens":%d,"audio_tokens":0,'
             '"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}'
             % (completion_tokens + reasoning_events, 1187 + completion_tokens + reasoning_events,
                reasoning_events))
    event("[]", "," + usage)
    out.append("data: [DONE]\n\n")

    os.makedirs(args.out, exist_ok=True)
    body = "".join(out).encode("utf-8")
    with open(os.path.join(args.out, "stream.sse"), "wb") as f:
        f.write(body)
    with open(os.path.join(args.out, "stream.content.txt"), "wb") as f:
        f.write("".join(content).encode("utf-8"))
    with open(os.path.join(args.out, "stream.reasoning.txt"), "wb") as f:
        f.write("".join(reasoning).encode("utf-8"))
    print("%s: %d events, %d bytes (%.1f bytes/event), content %d bytes"
          % (os.path.join(args.out, "stream.sse"), len(out), len(body), len(body) / len(out),
             len("".join(content).encode("utf-8"))))


if __name__ == "__main__":
    main()
