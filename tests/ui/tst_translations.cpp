// Translations: the compiled Simplified Chinese catalogue loads the way
// main() loads it, real classes find their strings under the context lupdate
// gave them, widgets come up in Chinese, and translations/sluice_zh_CN.ts is
// complete and keeps every placeholder, accelerator, HTML tag and file filter
// of its source text.
//
// The .qm is built by qt_add_translations() for the `sluice` executable (into
// <build>/app/, and from there into its resources at :/i18n), so this test
// reads it from the build tree: <build>/tests/ui/../../app/sluice_zh_CN.qm,
// or from $SLUICE_QM_DIR. Build the `sluice` target before running it.
#include "composer.h"
#include "mainwindow.h"
#include "messagelayout.h"
#include "store/conversationexport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QString comment;
    QStringList translations; // one, or the numerus forms
    QString type;             // "", "unfinished", "obsolete", "vanished"
    bool numerus = false;
    qint64 line = 0;          // in the .ts file
};

QString tsPath()
{
    if (const QString dir = qEnvironmentVariable("SLUICE_SOURCE_DIR"); !dir.isEmpty())
        return QDir(dir).filePath(u"translations/sluice_zh_CN.ts"_s);
    // tests/ui/tst_translations.cpp -> translations/sluice_zh_CN.ts
    const QFileInfo self(QStringLiteral(__FILE__));
    return QDir::cleanPath(self.absolutePath() + u"/../../translations/sluice_zh_CN.ts"_s);
}

QString qmDirectory()
{
    QStringList candidates;
    if (const QString dir = qEnvironmentVariable("SLUICE_QM_DIR"); !dir.isEmpty())
        candidates << dir;
    const QString here = QCoreApplication::applicationDirPath();
    candidates << here + u"/../../app"_s << here + u"/../app"_s << here;
    for (const QString &dir : std::as_const(candidates)) {
        if (QFileInfo::exists(dir + u"/sluice_zh_CN.qm"_s))
            return QDir::cleanPath(dir);
    }
    return {};
}

QList<TsMessage> readTs(const QString &path, QString *language, QString *error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot open "_s + path;
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"TS") {
            *language = xml.attributes().value(u"language"_s).toString();
        } else if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            TsMessage m;
            m.context = context;
            m.numerus = xml.attributes().value(u"numerus"_s) == u"yes";
            m.line = xml.lineNumber();
            while (xml.readNextStartElement()) {
                if (xml.name() == u"source") {
                    m.source = xml.readElementText();
                } else if (xml.name() == u"comment") {
                    m.comment = xml.readElementText();
                } else if (xml.name() == u"translation") {
                    m.type = xml.attributes().value(u"type"_s).toString();
                    if (m.numerus) {
                        while (xml.readNextStartElement()) {
                            if (xml.name() == u"numerusform")
                                m.translations << xml.readElementText();
                            else
                                xml.skipCurrentElement();
                        }
                    } else {
                        m.translations << xml.readElementText();
                    }
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages << m;
        }
    }
    if (xml.hasError())
        *error = u"%1:%2: %3"_s.arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

// %1 … %99, %L1, %n, %Ln, sorted, so "%1 … %1" must stay "%1 … %1".
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(u"%L?(?:[1-9][0-9]?|n)"_s);
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

// Keyboard accelerators: "&x" (not "&&", and not an HTML entity like "&lt;").
int accelerators(const QString &text)
{
    static const QRegularExpression entity(u"&[a-zA-Z]+;|&#[0-9]+;"_s);
    QString t = text;
    t.remove(entity);
    t.replace(u"&&"_s, QString());
    return int(t.count(u'&'));
}

QStringList htmlTags(const QString &text)
{
    static const QRegularExpression re(u"</?[a-zA-Z][a-zA-Z0-9]*\\b[^>]*>"_s);
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    return found;
}

// File dialog filters: "Name (*.a *.b)" — the pattern lists must survive unchanged
// (ASCII parentheses, or QFileDialog cannot read them).
QStringList filterPatterns(const QString &text)
{
    static const QRegularExpression re(u"\\(\\*[^)]*\\)"_s);
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    return found;
}

QString where(const TsMessage &m)
{
    return u"sluice_zh_CN.ts:%1 [%2] \"%3\""_s.arg(m.line).arg(m.context, m.source);
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void loadsLikeMainDoes_data();
    void loadsLikeMainDoes();
    void knownStrings_data();
    void knownStrings();
    void numerusForms();
    void realClassesFindTheirContext();
    void widgetsComeUpInChinese();

    void tsFileIsComplete();
    void translationsKeepPlaceholdersAndMarkup();
    void qmMatchesTsFile();

private:
    QString m_qmDir;
    std::unique_ptr<QTranslator> m_translator;
    QList<TsMessage> m_messages;
    QString m_language;
};

void tst_Translations::initTestCase()
{
    m_qmDir = qmDirectory();
    QVERIFY2(!m_qmDir.isEmpty(),
             qPrintable(u"sluice_zh_CN.qm not found next to %1/../../app (build the sluice target first, "
                        "or set SLUICE_QM_DIR)"_s.arg(QCoreApplication::applicationDirPath())));

    m_translator = std::make_unique<QTranslator>();
    QVERIFY(m_translator->load(m_qmDir + u"/sluice_zh_CN.qm"_s));
    QVERIFY(!m_translator->isEmpty());
    QCOMPARE(m_translator->language(), u"zh_CN"_s);
    QVERIFY(QCoreApplication::installTranslator(m_translator.get()));

    QString error;
    m_messages = readTs(tsPath(), &m_language, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(m_messages.size() > 100, qPrintable(u"only %1 messages in %2"_s.arg(m_messages.size()).arg(tsPath())));
}

void tst_Translations::cleanupTestCase()
{
    if (m_translator)
        QCoreApplication::removeTranslator(m_translator.get());
}

void tst_Translations::loadsLikeMainDoes_data()
{
    QTest::addColumn<QString>("locale");
    QTest::newRow("zh_CN") << u"zh_CN"_s;
    QTest::newRow("zh_Hans_CN") << u"zh_Hans_CN"_s;
    QTest::newRow("zh-CN (BCP 47)") << u"zh-CN"_s;
}

// main.cpp: QTranslator::load(QLocale::system(), "sluice", "_", ":/i18n").
void tst_Translations::loadsLikeMainDoes()
{
    QFETCH(QString, locale);
    QTranslator translator;
    QVERIFY(translator.load(QLocale(locale), u"sluice"_s, u"_"_s, m_qmDir));
    QCOMPARE(translator.language(), u"zh_CN"_s);
    QCOMPARE(translator.translate("SettingsDialog", "Settings"), u"设置"_s);
}

void tst_Translations::knownStrings_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");

    QTest::newRow("settings action") << u"MainWindow"_s << u"&Settings…"_s << u"设置(&S)…"_s;
    QTest::newRow("new chat") << u"MainWindow"_s << u"&New Chat"_s << u"新建对话(&N)"_s;
    QTest::newRow("quit") << u"MainWindow"_s << u"&Quit"_s << u"退出(&Q)"_s;
    QTest::newRow("send") << u"Composer"_s << u"Send"_s << u"发送"_s;
    QTest::newRow("stop") << u"Composer"_s << u"Stop"_s << u"停止"_s;
    QTest::newRow("retry") << u"MessageLayout"_s << u"Retry"_s << u"重试"_s;
    QTest::newRow("copy") << u"MessageLayout"_s << u"Copy"_s << u"复制"_s;
    QTest::newRow("ttft") << u"MetricsPanel"_s << u"Time to first token"_s << u"首 Token 延迟"_s;
    QTest::newRow("dialog title") << u"SettingsDialog"_s << u"Settings"_s << u"设置"_s;
    QTest::newRow("form label") << u"SettingsDialog"_s << u"Base &URL:"_s << u"API 地址(&U)："_s;
    QTest::newRow("product name kept") << u"SettingsDialog"_s << u"Ollama"_s << u"Ollama"_s;
    QTest::newRow("core, translate()") << u"ApiErrors"_s << u"The request failed (HTTP %1)."_s
                                       << u"请求失败（HTTP %1）。"_s;
    QTest::newRow("command line") << u"main"_s << u"Use <model> for this run (not saved)."_s
                                  << u"本次运行使用 <model>（不保存）。"_s;
}

void tst_Translations::knownStrings()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(QString, expected);
    const QByteArray c = context.toUtf8();
    const QByteArray s = source.toUtf8();
    QCOMPARE(QCoreApplication::translate(c.constData(), s.constData()), expected);
}

void tst_Translations::numerusForms()
{
    QCOMPARE(QCoreApplication::translate("ConversationSidebar", "Deleted %n conversations", nullptr, 3),
             u"已删除 3 个对话"_s);
    QCOMPARE(QCoreApplication::translate("ConversationSidebar", "Deleted %n conversations", nullptr, 1),
             u"已删除 1 个对话"_s);
    QCOMPARE(QCoreApplication::translate("MessageLayout", "%n tokens", nullptr, 1234), u"1234 个 Token"_s);
}

// The context lupdate records must be the one tr() uses at run time
// (a class without Q_OBJECT would look its strings up as its base class).
void tst_Translations::realClassesFindTheirContext()
{
    QCOMPARE(MainWindow::tr("&Help"), u"帮助(&H)"_s);
    QCOMPARE(Composer::tr("Send"), u"发送"_s);
    QCOMPARE(MessageLayout::tr("Thinking…"), u"思考中…"_s);
    QCOMPARE(ConversationExport::tr("Untitled conversation"), u"未命名对话"_s);
}

void tst_Translations::widgetsComeUpInChinese()
{
    Composer composer;
    QCOMPARE(composer.actionButton()->text(), u"发送"_s);
    QCOMPARE(composer.editor()->placeholderText(), u"给模型发消息…"_s);
    composer.setStreaming(true);
    QCOMPARE(composer.actionButton()->text(), u"停止"_s);
}

void tst_Translations::tsFileIsComplete()
{
    QCOMPARE(m_language, u"zh_CN"_s);
    QStringList problems;
    for (const TsMessage &m : std::as_const(m_messages)) {
        if (!m.type.isEmpty())
            problems << where(m) + u" is " + m.type;
        else if (m.translations.isEmpty()
                 || std::any_of(m.translations.cbegin(), m.translations.cend(),
                                [](const QString &t) { return t.trimmed().isEmpty(); }))
            problems << where(m) + u" has an empty translation";
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void tst_Translations::translationsKeepPlaceholdersAndMarkup()
{
    QStringList problems;
    for (const TsMessage &m : std::as_const(m_messages)) {
        for (const QString &t : m.translations) {
            const QString quoted = u" → \""_s + t + u'"';
            if (placeholders(t) != placeholders(m.source))
                problems << where(m) + quoted + u": placeholders "_s + placeholders(t).join(u' ') + u" instead of "_s
                        + placeholders(m.source).join(u' ');
            if (accelerators(t) != accelerators(m.source))
                problems << where(m) + quoted + u": accelerator count differs"_s;
            if (htmlTags(t) != htmlTags(m.source))
                problems << where(m) + quoted + u": HTML tags differ"_s;
            if (filterPatterns(t) != filterPatterns(m.source))
                problems << where(m) + quoted + u": file filter patterns differ"_s;
            if (m.numerus && !t.contains(u"%n"_s) && !t.contains(u"%Ln"_s))
                problems << where(m) + quoted + u": numerus form without %n"_s;
            // Chinese convention: the accelerator follows the text as "(&X)".
            if (accelerators(m.source) == 1 && !QRegularExpression(u"\\(&[A-Z0-9]\\)"_s).match(t).hasMatch())
                problems << where(m) + quoted + u": accelerator not in the form \"(&X)\""_s;
            if (t.endsWith(u' ') != m.source.endsWith(u' ') || t.startsWith(u' ') != m.source.startsWith(u' '))
                problems << where(m) + quoted + u": leading or trailing space differs"_s;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// The .qm in the build holds exactly what the .ts says (so it is not stale).
void tst_Translations::qmMatchesTsFile()
{
    QStringList problems;
    for (const TsMessage &m : std::as_const(m_messages)) {
        if (!m.type.isEmpty() || m.translations.isEmpty())
            continue;
        const QByteArray c = m.context.toUtf8();
        const QByteArray s = m.source.toUtf8();
        const QByteArray d = m.comment.toUtf8();
        const QString got = m_translator->translate(c.constData(), s.constData(),
                                                    m.comment.isEmpty() ? nullptr : d.constData(),
                                                    m.numerus ? 2 : -1);
        if (got != m.translations.constFirst())
            problems << where(m) + u": the .qm has \""_s + got + u"\" (rebuild the sluice target)"_s;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
