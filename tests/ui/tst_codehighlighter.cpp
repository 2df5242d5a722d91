#include "codehighlighter.h"
#include "markdownrenderer.h"
#include "messagelayout.h"

#include <QApplication>
#include <QPainter>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// "K(int) F(main)\nC(// x)": each line's spans as letter(text), lines joined by '\n'.
QString describe(QStringView language, QStringView code)
{
    static const char16_t letters[] = u"PKTLFSENCMGAVIDH";
    static_assert(std::size(letters) - 1 == CodeTokenCount);
    const CodeHighlighter h(language);
    const QList<QList<CodeSpan>> lines = h.highlightAll(code);
    const QList<QStringView> texts = code.split(u'\n');
    QStringList out;
    for (int i = 0; i < lines.size(); ++i) {
        QStringList parts;
        for (const CodeSpan &span : lines.at(i))
            parts << QChar(letters[int(span.token)]) + u'(' + texts.at(i).mid(span.start, span.length).toString()
                    + u')';
        out << parts.join(u' ');
    }
    return out.join(u'\n');
}

MessageStyle style(bool dark)
{
    QPalette p = QApplication::palette();
    if (dark) {
        p.setColor(QPalette::Base, QColor(0x18, 0x18, 0x1a));
        p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    }
    return MessageStyle::fromWidget(p, QApplication::font());
}

QImage render(const MarkdownRenderer &r, const QColor &background)
{
    QImage image(QSize(int(r.width()), int(r.height()) + 1), QImage::Format_RGB32);
    image.fill(background);
    QPainter p(&image);
    r.draw(&p, QRectF(image.rect()), {});
    return image;
}

const QString Cpp = u"#include <string>\n"
                    "/* Reverses a UTF-8 string\n   by code points. */\n"
                    "std::string reverse(const std::string &s) {\n"
                    "    auto raw = R\"x(a \"quoted\"\n)x\";\n"
                    "    return s.empty() ? \"\\n\" : s; // done\n"
                    "}"_s;

} // namespace

class tst_CodeHighlighter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // What each language's tokens come out as (P plain, K keyword, T type,
    // L literal, F function, S string, E escape, N number, C comment, M meta,
    // G tag, A attribute, V variable, I inserted, D deleted, H section).
    void tokens_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected");

        QTest::newRow("c++") << u"cpp"_s << Cpp
                             << u"M(#include) S(<string>)\n"
                                "C(/* Reverses a UTF-8 string)\n"
                                "C(   by code points. */)\n"
                                "T(std) T(string) F(reverse) K(const) T(std) T(string)\n"
                                "K(auto) S(R\"x(a \"quoted\")\n"
                                "S()x\")\n"
                                "K(return) F(empty) S(\") E(\\n) S(\") C(// done)\n"_s;
        QTest::newRow("c++ numbers") << u"c++"_s << u"int x = 0x1F + 1'000 + 2.5e-3f; char c = '\\'';"_s
                                     << u"T(int) N(0x1F) N(1'000) N(2.5e-3f) T(char) S(') E(\\') S(')"_s;
        QTest::newRow("c") << u"c"_s << u"#define N 10\nstatic int f(void) { return NULL; }"_s
                           << u"M(#define) N(10)\nK(static) T(int) F(f) T(void) K(return) L(NULL)"_s;
        QTest::newRow("c#") << u"cs"_s << u"[Serializable] public class Foo { var p = @\"C:\\dir \"\"q\"\"\"; }"_s
                            << u"T(Serializable) K(public) K(class) T(Foo) K(var) S(@\"C:\\dir \"\"q\"\"\")"_s;
        QTest::newRow("java") << u"java"_s << u"@Override\npublic String toString() { return \"x\" + 1L; }"_s
                              << u"M(@Override)\nK(public) T(String) F(toString) K(return) S(\"x\") N(1L)"_s;
        QTest::newRow("javascript") << u"js"_s << u"const s = `a ${b}\nc`; // t\nnew Map();"_s
                                    << u"K(const) S(`a ) V(${b})\nS(c`) C(// t)\nK(new) T(Map)"_s;
        QTest::newRow("typescript") << u"TypeScript"_s << u"interface P { x: number }\nlet y: P = null;"_s
                                    << u"K(interface) T(P) T(number)\nK(let) L(null)"_s;
        QTest::newRow("python") << u"python"_s
                                << u"@cache\ndef f(x):\n    \"\"\"Doc\n    more\"\"\"\n    return r\"\\d\" + f'{x}'  # c\nclass A: pass"_s
                                << u"M(@cache)\nK(def) F(f)\nS(\"\"\"Doc)\nS(    more\"\"\")\n"
                                   "K(return) S(r\"\\d\") S(f'{x}') C(# c)\nK(class) T(A) K(pass)"_s;
        QTest::newRow("rust") << u"rust"_s
                              << u"#[derive(Debug)]\nfn f<'a>(s: &'a str) -> String { /* a /* b */ c */\n"
                                 "    println!(\"{}\", 'x'); let r = r#\"raw \"q\"\"#; }"_s
                              << u"M(#[derive(Debug)])\nK(fn) F(f) M('a) M('a) T(str) T(String) C(/* a /* b */ c */)\n"
                                 "F(println) S(\"{}\") S('x') K(let) S(r#\"raw \"q\"\"#)"_s;
        QTest::newRow("go") << u"go"_s << u"func main() {\n\ts := `raw\nline`\n\treturn nil\n}"_s
                            << u"K(func) F(main)\nS(`raw)\nS(line`)\nK(return) L(nil)\n"_s;
        QTest::newRow("kotlin") << u"kotlin"_s << u"fun main() { val s = \"\"\"a\nb\"\"\" }"_s
                                << u"K(fun) F(main) K(val) S(\"\"\"a)\nS(b\"\"\")"_s;
        QTest::newRow("swift") << u"swift"_s << u"@objc func f() -> Int { return 1 }"_s
                               << u"M(@objc) K(func) F(f) T(Int) K(return) N(1)"_s;
        QTest::newRow("shell") << u"bash"_s
                               << u"# setup\nexport PATH=\"$HOME/bin:$PATH\"\nif [ -f x ]; then echo 'hi'; fi\n"
                                  "$ npm install --save x 2>&1"_s
                               << u"C(# setup)\nK(export) V(PATH) S(\") V($HOME) S(/bin:) V($PATH) S(\")\n"
                                  "K(if) A(-f) K(then) F(echo) S('hi') K(fi)\n"
                                  "M($) F(npm) A(--save) N(2) N(1)"_s;
        QTest::newRow("console session") << u"console"_s << u"$ cargo run --release\n   Compiling x v0.1.0\n$ ls"_s
                                         << u"M($) F(cargo) A(--release)\n\nM($) F(ls)"_s;
        QTest::newRow("json") << u"json"_s << u"{\"key\": \"v\\u00e9\", \"n\": -1.5e3, \"ok\": true, \"z\": null}"_s
                              << u"A(\"key\") S(\"v) E(\\u00e9) S(\") A(\"n\") N(1.5e3) A(\"ok\") L(true) A(\"z\") L(null)"_s;
        QTest::newRow("yaml") << u"yaml"_s << u"name: app # c\nlist:\n  - \"a\"\n  - 3\non: true\nref: *base"_s
                              << u"A(name) C(# c)\nA(list)\nS(\"a\")\nN(3)\nA(on) L(true)\nA(ref) M(*base)"_s;
        QTest::newRow("sql") << u"sql"_s
                             << u"SELECT id, COUNT(*) FROM t WHERE name = 'O''Brien' -- c\n/* multi\nline */ limit 5;"_s
                             << u"K(SELECT) F(COUNT) K(FROM) K(WHERE) S('O''Brien') C(-- c)\nC(/* multi)\n"
                                "C(line */) K(limit) N(5)"_s;
        QTest::newRow("html") << u"html"_s
                              << u"<!-- c\n--> <div class=\"a\"\n  id='b'>x &amp; y</div>"_s
                              << u"C(<!-- c)\nC(-->) G(<div) A(class) S(\"a\")\nA(id) S('b') G(>) E(&amp;) G(</div>)"_s;
        QTest::newRow("xml") << u"xml"_s << u"<?xml version=\"1.0\"?>\n<a b=\"c\"/>"_s
                             << u"M(<?xml version=\"1.0\"?>)\nG(<a) A(b) S(\"c\") G(/>)"_s;
        QTest::newRow("css") << u"css"_s
                             << u".btn:hover, a { color: #fff; margin: 0 4px !important; }\n/* c\n */ @media print {}"_s
                             << u"T(.btn) M(:hover) G(a) A(color) N(#fff) A(margin) N(0) N(4px) K(!important)\n"
                                "C(/* c)\nC( */) M(@media) G(print)"_s;
        QTest::newRow("diff") << u"diff"_s << u"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n ctx"_s
                              << u"M(diff --git a/x b/x)\nH(--- a/x)\nH(+++ b/x)\nH(@@ -1 +1 @@)\nD(-old)\nI(+new)\n"_s;
        QTest::newRow("toml") << u"toml"_s << u"[server]\nport = 8080 # c\nname = \"x\""_s
                              << u"H([server])\nA(port) N(8080) C(# c)\nA(name) S(\"x\")"_s;
        QTest::newRow("php") << u"php"_s << u"<?php\nfunction f($x) { echo \"v: $x\"; } # c"_s
                             << u"M(<?php)\nK(function) F(f) V($x) K(echo) S(\"v: ) V($x) S(\") C(# c)"_s;
        QTest::newRow("ruby") << u"ruby"_s << u"def greet(name)\n  puts \"hi #{name}\" # c\nend"_s
                              << u"K(def) F(greet)\nK(puts) S(\"hi #{name}\") C(# c)\nK(end)"_s;
        QTest::newRow("lua") << u"lua"_s << u"--[[ a\n]] local x = nil -- c"_s << u"C(--[[ a)\nC(]]) K(local) L(nil) C(-- c)"_s;
        QTest::newRow("dockerfile") << u"Dockerfile"_s << u"FROM debian:12 AS build\nRUN apt-get install -y g++ && make # c"_s
                                    << u"K(FROM) K(AS)\nK(RUN) F(apt-get) A(-y) F(make) C(# c)"_s;
        QTest::newRow("makefile") << u"makefile"_s << u"CC := gcc\nall: $(OBJ)\n\t$(CC) -o app $^ # c"_s
                                  << u"\nV($(OBJ))\nV($(CC)) C(# c)"_s;
        QTest::newRow("no tag: guessed from the first line") << QString() << u"#include <x>\nint a;"_s
                                                             << u"M(#include) S(<x>)\nT(int)"_s;
        QTest::newRow("no tag: prose stays plain") << QString() << u"It's fine, isn't it? Yes 2 times."_s
                                                   << u"N(2)"_s;
        QTest::newRow("plain text") << u"text"_s << u"int x = \"a\";"_s << QString();
    }

    void tokens()
    {
        QFETCH(QString, language);
        QFETCH(QString, code);
        QFETCH(QString, expected);
        QCOMPARE(describe(language, code), expected);
    }

    void aliases()
    {
        QCOMPARE(CodeHighlighter(u"C++").languageId(), u"cpp"_s);
        QCOMPARE(CodeHighlighter(u"py").languageId(), u"python"_s);
        QCOMPARE(CodeHighlighter(u"language-rust").languageId(), u"rust"_s);
        QCOMPARE(CodeHighlighter(u"sh").languageId(), u"shell"_s);
        QCOMPARE(CodeHighlighter(u"yml").languageId(), u"yaml"_s);
        QCOMPARE(CodeHighlighter(u"unknown-lang").languageId(), QString()); // the generic fallback
        QVERIFY(CodeHighlighter(u"txt").isPlain());
        QVERIFY(!CodeHighlighter(u"").isPlain());
    }

    // Fed one character at a time, as a stream, the spans of every line are
    // those of highlighting the same text at once, at every step.
    void streamingMatchesWhole_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("c++") << u"cpp"_s << Cpp;
        QTest::newRow("python") << u"py"_s << u"def f():\n    '''doc\n    '''\n    return f\"{x}\\n\"  # end\n"_s;
        QTest::newRow("rust") << u"rs"_s << u"/* a /* nested */\n still */ fn x() { r##\"a\n\"# b\"## }"_s;
        QTest::newRow("html") << u"html"_s << u"<a href=\"x\n y\">t</a><!--\n-->"_s;
        QTest::newRow("css") << u"css"_s << u"a { b: c; /* x\n } */ d: 1px }\ne {}"_s;
        QTest::newRow("shell") << u"sh"_s << u"echo \"a\nb $X\" 'c\nd' # e\n"_s;
        QTest::newRow("guessed") << QString() << u"\n\n#!/usr/bin/env python\nx = '''a\nb'''\n"_s;
    }

    void streamingMatchesWhole()
    {
        QFETCH(QString, language);
        QFETCH(QString, code);
        CodeHighlighter streamed(language);
        for (qsizetype i = 0; i <= code.size(); ++i) {
            const QStringView prefix = QStringView(code).left(i);
            const int first = streamed.setText(prefix, i > 0);
            QVERIFY(first >= 0 && first <= streamed.lineCount() - 1);
            const QList<QList<CodeSpan>> whole = CodeHighlighter(language).highlightAll(prefix);
            QCOMPARE(streamed.lineCount(), whole.size());
            for (int line = 0; line < whole.size(); ++line)
                QCOMPARE(streamed.lineSpans(line), whole.at(line));
        }
    }

    // Only the changed tail is redone: appending to a long block re-highlights
    // from its last line.
    void appendRedoesOnlyTheTail()
    {
        QString code;
        for (int i = 0; i < 500; ++i)
            code += u"int value%1 = %1; // line\n"_s.arg(i);
        CodeHighlighter h(u"cpp");
        QCOMPARE(h.setText(code), 0);
        QCOMPARE(h.lineCount(), 501);
        QCOMPARE(h.setText(QString(code + u"ret"_s), true), 500);
        QCOMPARE(h.setText(QString(code + u"return 1;\nx"_s), true), 500);
        QCOMPARE(h.lineCount(), 502);
    }

    // Whatever a model sends: spans stay inside their line, in order, and
    // streaming gives what highlighting at once gives, in every language.
    void randomInputStaysConsistent()
    {
        const QStringList languages = {u"c"_s,   u"cpp"_s,  u"cs"_s,   u"java"_s, u"js"_s,   u"ts"_s,   u"py"_s,
                                       u"rust"_s, u"go"_s,  u"swift"_s, u"kotlin"_s, u"php"_s, u"ruby"_s, u"lua"_s,
                                       u"sh"_s,  u"console"_s, u"dockerfile"_s, u"make"_s, u"sql"_s, u"json"_s,
                                       u"html"_s, u"css"_s, u"diff"_s, u"yaml"_s, u"toml"_s, QString()};
        const QString alphabet = u"abcRrbLu8 \t\n\"'`\\#/*-+<>![](){}$@:=;,.0x9e_&?|%~^\u00e9\u4e16"_s;
        QRandomGenerator rng(1);
        for (int iteration = 0; iteration < 300; ++iteration) {
            QString text;
            for (int i = int(rng.bounded(80)); i > 0; --i)
                text += alphabet.at(int(rng.bounded(alphabet.size())));
            const QList<QStringView> lines = QStringView(text).split(u'\n');
            for (const QString &language : languages) {
                const QList<QList<CodeSpan>> whole = CodeHighlighter(language).highlightAll(text);
                QCOMPARE(whole.size(), lines.size());
                CodeHighlighter streamed(language);
                for (qsizetype i = 0; i < text.size(); i += 1 + qsizetype(rng.bounded(5)))
                    streamed.setText(QStringView(text).left(i), i > 0);
                streamed.setText(text, true);
                for (int line = 0; line < whole.size(); ++line) {
                    int end = 0;
                    for (const CodeSpan &span : whole.at(line)) {
                        QVERIFY(span.start >= end && span.length > 0);
                        end = span.start + span.length;
                    }
                    QVERIFY(end <= lines.at(line).size());
                    QCOMPARE(streamed.lineSpans(line), whole.at(line));
                }
            }
        }
    }

    // In the renderer: coloured, the same streamed as rendered at once, and
    // what Copy copies is the code as written.
    void rendererColoursCodeAndKeepsItsText_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void rendererColoursCodeAndKeepsItsText()
    {
        QFETCH(bool, dark);
        const MessageStyle s = style(dark);
        const QString code = Cpp + u"\n"_s + u"int x = 1; // more\n"_s.repeated(20);
        const QString text = u"Here:\n\n```cpp\n"_s + code + u"```\n\nAnd in a list:\n\n1. step\n\n   ```python\n   def f(): pass\n   ```\n"_s;

        MarkdownRenderer streamed(&s.markdown);
        streamed.setWidth(600);
        for (qsizetype i = 1; i <= text.size(); ++i) {
            streamed.setText(text.left(i), true);
            if (i % 7 == 0)
                streamed.height();
        }
        streamed.setText(text, false);
        MarkdownRenderer whole(&s.markdown);
        whole.setWidth(600);
        whole.setText(text, false);

        QCOMPARE(whole.codeBlockCount(), 1);
        QCOMPARE(whole.codeBlockText(0), code.chopped(1));
        QCOMPARE(streamed.codeBlockText(0), code.chopped(1));
        QVERIFY(whole.toPlainText().contains(u"std::string reverse(const std::string &s) {"_s));

        const QImage a = render(streamed, s.base);
        const QImage b = render(whole, s.base);
        QCOMPARE(a.size(), b.size());
        QVERIFY(a == b);

        // The keyword and comment colours are on screen, readable on the code background.
        const auto count = [&](const QColor &c) { // antialiased text: the glyphs' cores
            int hits = 0;
            for (int y = 0; y < b.height(); ++y) {
                for (int x = 0; x < b.width(); ++x) {
                    const QRgb p = b.pixel(x, y);
                    if (std::abs(qRed(p) - c.red()) + std::abs(qGreen(p) - c.green()) + std::abs(qBlue(p) - c.blue()) <= 24)
                        ++hits;
                }
            }
            return hits;
        };
        for (CodeToken t : {CodeToken::Keyword, CodeToken::Comment, CodeToken::String, CodeToken::Function}) {
            const QColor c = s.markdown.syntax[size_t(t)];
            QVERIFY(c.isValid());
            QVERIFY2(count(c) > 0, qPrintable(c.name()));
        }

        // Off: the same text in the text colour only.
        MarkdownRenderer::setSyntaxHighlighting(false);
        MarkdownRenderer plain(&s.markdown);
        plain.setWidth(600);
        plain.setText(text, false);
        MarkdownRenderer::setSyntaxHighlighting(true);
        QCOMPARE(plain.codeBlockText(0), code.chopped(1));
        QVERIFY(render(plain, s.base) != b);
    }
};

QTEST_MAIN(tst_CodeHighlighter)
#include "tst_codehighlighter.moc"
