#include "markdownrenderer.h"
#include "messagedelegate.h"
#include "transcriptrows.h"
#include "transcriptview.h"

#include "chat/transcriptmodel.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QScreen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

Message makeMessage(ChatMessage::Role role, const QString &content, Message::State state = Message::State::Completed)
{
    Message m;
    m.role = role;
    m.content = content;
    m.state = state;
    if (role == ChatMessage::Role::Assistant)
        m.model = u"test-model"_s;
    return m;
}

QString longReply(int i)
{
    return u"## Answer %1\n\nHere is a paragraph with **bold** text and `inline code`, long enough to wrap "
           "across a few lines in a narrow view so that heights differ from row to row.\n\n"
           "- first point\n- second point\n\n```cpp\nint main() { return %1; }\n```\n\nDone."_s.arg(i);
}

// The demo's table answer, shortened.
QString tableAnswer()
{
    return u"Here is how a native Qt client and a typical Electron chat app differ where you feel it every day:\n\n"
           "| Aspect | Native (Qt Widgets) | Electron |\n|---|---|---|\n"
           "| Process model | One process | A browser and several renderer processes |\n"
           "| Idle memory | Tens of MB | Hundreds of MB |\n"
           "| Binary size | A few MB plus shared Qt libraries | 100 MB or more (bundled Chromium) |\n\n"
           "**In short:** a web stack makes it easy to ship the same UI everywhere, while a native toolkit "
           "gives you a small, fast program.\n\nThe figures vary."_s;
}

QList<Message> history(int pairs)
{
    QList<Message> list;
    for (int i = 0; i < pairs; ++i) {
        list << makeMessage(ChatMessage::Role::User, u"Question number %1?"_s.arg(i));
        list << makeMessage(ChatMessage::Role::Assistant, longReply(i));
    }
    return list;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x20, 0x20, 0x22));
    p.setColor(QPalette::Base, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

// Fraction of pixels of \a rect (in \a image) that satisfy \a pred.
template <typename Pred>
double fractionOf(const QImage &image, const QRect &rect, Pred pred)
{
    int hits = 0;
    int total = 0;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); y += 2) {
        for (int x = r.left(); x <= r.right(); x += 2) {
            ++total;
            if (pred(QColor(image.pixel(x, y))))
                ++hits;
        }
    }
    return total ? double(hits) / total : 0;
}

} // namespace

class tst_TranscriptView : public QObject
{
    Q_OBJECT

private:
    struct Env
    {
        TranscriptModel model;
        TranscriptView view;
        explicit Env(const QList<Message> &messages = {}, QSize size = QSize(800, 600))
        {
            model.setCoalesceInterval(10000); // tests flush() explicitly
            model.setMessages(messages);
            view.resize(size);
            view.setTranscript(&model);
            view.show();
        }
        MessageDelegate *delegate() const { return view.messageDelegate(); }
        QModelIndex index(int row) const { return model.index(row); }
        QStyleOptionViewItem option(int row) const { return view.itemOption(model.index(row)); }
        void settle() { QCoreApplication::processEvents(); }
    };

    static void click(TranscriptView &view, const QPoint &pos)
    {
        QTest::mouseMove(view.viewport(), pos);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, pos);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setEffectEnabled(Qt::UI_AnimateMenu, false);
    }

    void init()
    {
        QApplication::clipboard()->clear();
    }

    void rendersRows()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"Hello there"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"# Title\n\nSome **Markdown** text."_s)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const QImage image = env.view.grab().toImage();
        QVERIFY(!image.isNull());
        const QColor base = env.view.palette().color(QPalette::Base);
        const double painted = fractionOf(image, image.rect(), [&](const QColor &c) { return c != base; });
        QVERIFY2(painted > 0.005, qPrintable(QString::number(painted)));
        QVERIFY(env.view.visualRect(env.index(0)).height() > 20);
        QVERIFY(env.view.visualRect(env.index(1)).top() >= env.view.visualRect(env.index(0)).bottom());
        QCOMPARE(env.view.indexAt(env.view.visualRect(env.index(1)).center()), env.index(1));
    }

    void sizeHintGrowsWithText()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"Short"_s, Message::State::Streaming)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const int before = env.view.visualRect(env.index(1)).height();
        const int hintBefore = env.delegate()->sizeHint(env.option(1), env.index(1)).height();
        QCOMPARE(hintBefore, before);
        for (int i = 0; i < 40; ++i)
            env.model.appendContent(1, u"more words to wrap the line "_s);
        env.model.appendContent(1, u"\n\n- a list item\n- another\n\n```\ncode\n```\n"_s);
        env.model.flush();
        env.settle();
        const int after = env.view.visualRect(env.index(1)).height();
        QVERIFY2(after > before + 40, qPrintable(u"%1 -> %2"_s.arg(before).arg(after)));
        QCOMPARE(env.delegate()->sizeHint(env.option(1), env.index(1)).height(), after);
    }

    void readableInLightAndDarkPalettes_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void readableInLightAndDarkPalettes()
    {
        QFETCH(bool, dark);
        Env env({makeMessage(ChatMessage::Role::User, u"A question typed by the user"_s),
                 makeMessage(ChatMessage::Role::Assistant,
                             u"An answer with plenty of text in it.\n\n```\ncode\n```"_s)});
        if (dark)
            env.view.setPalette(darkPalette());
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        const QImage image = env.view.grab().toImage();
        const QColor corner(image.pixel(2, image.height() - 3));
        if (dark)
            QVERIFY2(corner.lightnessF() < 0.2, qPrintable(corner.name()));
        else
            QVERIFY2(corner.lightnessF() > 0.8, qPrintable(corner.name()));
        // Text of the answer contrasts with the background.
        const QRect content = env.delegate()->contentRect(env.option(1), env.index(1));
        QVERIFY(!content.isEmpty());
        const QFontMetrics fm(env.delegate()->messageStyle().markdown.font);
        const QRect firstLine(content.topLeft(), QSize(fm.horizontalAdvance(u"An answer with plenty of text in it."_s),
                                                       fm.height()));
        const double strong = fractionOf(image, firstLine, [&](const QColor &c) {
            return qAbs(c.lightnessF() - corner.lightnessF()) > 0.5;
        });
        QVERIFY2(strong > 0.05, qPrintable(QString::number(strong)));
        // The code block is tinted, but stays close to the background.
        const QRect code = env.delegate()->codeCopyButtonRect(env.option(1), env.index(1), 0);
        QVERIFY(!code.isEmpty());
        const QColor tint(image.pixel(content.left() + 3, code.bottom() + 14));
        QVERIFY(tint != corner);
        QVERIFY(qAbs(tint.lightnessF() - corner.lightnessF()) < 0.2);
    }

    void codeBlockCopy()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"code please"_s),
                 makeMessage(ChatMessage::Role::Assistant,
                             u"Intro text.\n\n```python\nprint('hi')\nfor i in range(3):\n    print(i)\n```\n\nAfter."_s)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        QCOMPARE(env.delegate()->codeBlockCount(env.option(1), env.index(1)), 1);
        const QRect button = env.delegate()->codeCopyButtonRect(env.option(1), env.index(1), 0);
        QVERIFY(!button.isEmpty());
        QVERIFY(env.view.visualRect(env.index(1)).contains(button));
        QCOMPARE(env.delegate()->hitTest(env.option(1), env.index(1), button.center()).target,
                 MessageTarget::CodeCopy);
        QSignalSpy copied(&env.view, &TranscriptView::copied);
        click(env.view, button.center());
        QCOMPARE(QApplication::clipboard()->text(), u"print('hi')\nfor i in range(3):\n    print(i)"_s);
        QCOMPARE(copied.count(), 1);
        QCOMPARE(copied.at(0).at(0).toString(), u"code block"_s);
    }

    void messageCopyButtonAndMenu()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"Hello **world**\n\n- one\n- two"_s)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const QRect copy = env.delegate()->copyButtonRect(env.option(1), env.index(1));
        QVERIFY(!copy.isEmpty());
        QSignalSpy copied(&env.view, &TranscriptView::copied);
        click(env.view, copy.center());
        QCOMPARE(copied.count(), 1);
        QCOMPARE(copied.at(0).at(0).toString(), u"message"_s);
        QCOMPARE(QApplication::clipboard()->text(), u"Hello world\n\n• one\n• two"_s);
        QCOMPARE(QApplication::clipboard()->mimeData()->data(u"text/markdown"_s),
                 QByteArray("Hello **world**\n\n- one\n- two"));

        std::unique_ptr<QMenu> menu(env.view.createContextMenu(env.index(1), env.view.visualRect(env.index(1)).center()));
        auto *markdown = menu->findChild<QAction *>(u"copyMarkdownAction"_s);
        QVERIFY(markdown);
        markdown->trigger();
        QCOMPARE(QApplication::clipboard()->text(), u"Hello **world**\n\n- one\n- two"_s);
        auto *plain = menu->findChild<QAction *>(u"copyAction"_s);
        QVERIFY(plain);
        plain->trigger();
        QCOMPARE(QApplication::clipboard()->text(), u"Hello world\n\n• one\n• two"_s);
    }

    void contextMenuDependsOnMessage()
    {
        Message stopped = makeMessage(ChatMessage::Role::Assistant, u"partial"_s, Message::State::Stopped);
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s), makeMessage(ChatMessage::Role::Assistant, u"done"_s),
                 makeMessage(ChatMessage::Role::User, u"again"_s), stopped});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const auto actionsOf = [&](int row) {
            std::unique_ptr<QMenu> menu(env.view.createContextMenu(env.index(row), env.view.visualRect(env.index(row)).center()));
            QStringList names;
            for (QAction *a : menu->actions())
                if (!a->objectName().isEmpty())
                    names << a->objectName();
            return names;
        };
        QVERIFY(actionsOf(0).contains(u"editAction"_s));
        QVERIFY(!actionsOf(0).contains(u"retryAction"_s));
        QVERIFY(!actionsOf(1).contains(u"retryAction"_s));
        QVERIFY(!actionsOf(1).contains(u"editAction"_s));
        QVERIFY(actionsOf(3).contains(u"retryAction"_s));
        QVERIFY(actionsOf(3).contains(u"copyAction"_s));

        QSignalSpy edit(&env.view, &TranscriptView::editRequested);
        QSignalSpy retry(&env.view, &TranscriptView::retryRequested);
        std::unique_ptr<QMenu> menu(env.view.createContextMenu(env.index(2), env.view.visualRect(env.index(2)).center()));
        menu->findChild<QAction *>(u"editAction"_s)->trigger();
        QCOMPARE(edit.count(), 1);
        QCOMPARE(edit.at(0).at(0).toInt(), 2);
        menu.reset(env.view.createContextMenu(env.index(3), env.view.visualRect(env.index(3)).center()));
        menu->findChild<QAction *>(u"retryAction"_s)->trigger();
        QCOMPARE(retry.count(), 1);
        QCOMPARE(retry.at(0).at(0).toInt(), 3);
    }

    void retryButton_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("stopped") << int(Message::State::Stopped) << true;
        QTest::newRow("truncated") << int(Message::State::Truncated) << true;
        QTest::newRow("failed") << int(Message::State::Failed) << true;
        QTest::newRow("interrupted") << int(Message::State::Interrupted) << true;
        QTest::newRow("completed") << int(Message::State::Completed) << false;
        QTest::newRow("streaming") << int(Message::State::Streaming) << false;
    }

    void retryButton()
    {
        QFETCH(int, state);
        QFETCH(bool, retryable);
        Message reply = makeMessage(ChatMessage::Role::Assistant, u"The answer was cut"_s, Message::State(state));
        if (reply.state == Message::State::Failed)
            reply.errorText = u"HTTP 500: the server had an error"_s;
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s), reply});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const QRect retry = env.delegate()->retryButtonRect(env.option(1), env.index(1));
        QCOMPARE(!retry.isEmpty(), retryable);
        if (!retryable)
            return;
        QVERIFY(env.view.viewport()->rect().contains(retry));
        QSignalSpy spy(&env.view, &TranscriptView::retryRequested);
        click(env.view, retry.center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 1);
        // The partial text is still there.
        QVERIFY(env.delegate()->plainText(env.option(1), env.index(1)).contains(u"The answer was cut"_s));
    }

    void editButtonOnUserMessages()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"please edit me"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"ok"_s)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        QVERIFY(env.delegate()->editButtonRect(env.option(1), env.index(1)).isEmpty());
        const QRect edit = env.delegate()->editButtonRect(env.option(0), env.index(0));
        QVERIFY(!edit.isEmpty());
        QSignalSpy spy(&env.view, &TranscriptView::editRequested);
        click(env.view, edit.center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 0);
    }

    void followsStreamOnlyAtBottom()
    {
        QList<Message> messages = history(10);
        messages << makeMessage(ChatMessage::Role::User, u"go"_s);
        messages << makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming);
        Env env(messages, QSize(700, 400));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const int row = env.model.rowCount() - 1;
        QScrollBar *bar = env.view.verticalScrollBar();
        QVERIFY(env.view.isFollowing());
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());

        const auto stream = [&](int tokens) {
            for (int i = 0; i < tokens; ++i) {
                env.model.appendContent(row, u"token%1 "_s.arg(i) + (i % 25 == 24 ? u"\n\n"_s : QString()));
                if (i % 5 == 4) {
                    env.model.flush();
                    env.settle();
                }
            }
            env.model.flush();
            env.settle();
        };
        stream(100);
        QCOMPARE(bar->value(), bar->maximum()); // followed

        // The user scrolls up: no more following, the view stays where it is.
        bar->setValue(bar->maximum() - 300);
        QVERIFY(!env.view.isFollowing());
        const int value = bar->value();
        const QModelIndex topIndex = env.view.indexAt(QPoint(10, 10));
        const int topY = env.view.visualRect(topIndex).top();
        stream(100);
        QCOMPARE(bar->value(), value);
        QVERIFY(bar->maximum() > value + 300);
        QCOMPARE(env.view.indexAt(QPoint(10, 10)), topIndex);
        QCOMPARE(env.view.visualRect(topIndex).top(), topY);

        // Back at the bottom, following resumes.
        bar->setValue(bar->maximum());
        QVERIFY(env.view.isFollowing());
        stream(50);
        QCOMPARE(bar->value(), bar->maximum());

        // scrollToEnd() resumes too; the scroll bar repaints when its thumb moves.
        struct PaintCounter : QObject
        {
            int paints = 0;
            bool eventFilter(QObject *, QEvent *event) override
            {
                if (event->type() == QEvent::Paint)
                    ++paints;
                return false;
            }
        } counter;
        bar->installEventFilter(&counter);
        bar->setValue(0);
        QTRY_VERIFY(counter.paints > 0);
        QVERIFY(!env.view.isFollowing());
        env.view.scrollToEnd();
        QVERIFY(env.view.isFollowing());
        QCOMPARE(bar->value(), bar->maximum());
    }

    void thinkingCollapsesWhenAnswerStarts()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.model.appendReasoning(1, u"Let me think about **this** carefully."_s);
        env.model.flush();
        env.settle();
        QVERIFY(env.view.isThinkingExpanded(1));
        QVERIFY(env.delegate()->isThinkingExpanded(env.option(1), env.index(1)));
        const int expandedHeight = env.view.visualRect(env.index(1)).height();

        env.model.appendContent(1, u"The answer."_s);
        env.model.flush();
        env.settle();
        QVERIFY(!env.view.isThinkingExpanded(1));
        QVERIFY(!env.delegate()->isThinkingExpanded(env.option(1), env.index(1)));
        QVERIFY(env.view.visualRect(env.index(1)).height() < expandedHeight);

        // The user opens it again; the choice sticks while the answer grows.
        const QRect toggle = env.delegate()->thinkingToggleRect(env.option(1), env.index(1));
        QVERIFY(!toggle.isEmpty());
        click(env.view, toggle.center());
        QVERIFY(env.view.isThinkingExpanded(1));
        QVERIFY(env.delegate()->isThinkingExpanded(env.option(1), env.index(1)));
        env.model.appendContent(1, u" More."_s);
        env.model.flush();
        env.settle();
        QVERIFY(env.view.isThinkingExpanded(1));
        click(env.view, env.delegate()->thinkingToggleRect(env.option(1), env.index(1)).center());
        QVERIFY(!env.view.isThinkingExpanded(1));
    }

    void switchingTranscripts()
    {
        auto a = std::make_unique<TranscriptModel>();
        a->setMessages(history(30));
        TranscriptModel b;
        b.setMessages({makeMessage(ChatMessage::Role::User, u"other"_s)});
        TranscriptView view;
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTranscript(a.get());
        QCOMPARE(view.transcript(), a.get());
        QVERIFY(!view.grab().isNull());
        view.verticalScrollBar()->setValue(0);
        view.setTranscript(&b);
        QVERIFY(view.isFollowing());
        QVERIFY(!view.grab().isNull());
        view.setTranscript(nullptr);
        QCOMPARE(view.transcript(), nullptr);
        QVERIFY(!view.grab().isNull());
        view.setTranscript(a.get());
        a.reset(); // deleted while shown
        QCoreApplication::processEvents();
        QVERIFY(!view.grab().isNull());
        QCOMPARE(view.transcript(), nullptr);
        view.setTranscript(&b);
        b.appendMessage(makeMessage(ChatMessage::Role::Assistant, u"still works"_s));
        QVERIFY(!view.grab().isNull());
        QVERIFY(view.visualRect(b.index(1)).isValid());
    }

    // The heart of performance: a token re-lays out only the streaming row.
    void onlyStreamingRowIsLaidOutPerUpdate()
    {
        QList<Message> messages = history(25);
        messages << makeMessage(ChatMessage::Role::User, u"go"_s);
        messages << makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming);
        Env env(messages, QSize(800, 900));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        const int row = env.model.rowCount() - 1;
        // some history rows are on screen and get repainted on every update
        QVERIFY(env.view.visualRect(env.index(row - 2)).intersects(env.view.viewport()->rect()));
        env.delegate()->resetStats();
        const int parsesBefore = MarkdownRenderer::markdownParseCount();
        const int updates = 30;
        for (int i = 0; i < updates; ++i) {
            env.model.appendContent(row, u"word "_s.repeated(7) + (i % 10 == 9 ? u"\n\n"_s : QString()));
            env.model.flush();
            env.view.viewport()->repaint();
        }
        const auto stats = env.delegate()->stats();
        QCOMPARE(stats.sizeHints, 0);
        QVERIFY(stats.layouts >= updates);
        for (int r : stats.laidOutRows)
            QCOMPARE(r, row);
        // each update re-parses the last Markdown block only (plus the block closed by a blank line)
        QVERIFY2(MarkdownRenderer::markdownParseCount() - parsesBefore <= updates + 6,
                 qPrintable(QString::number(MarkdownRenderer::markdownParseCount() - parsesBefore)));
    }

    void openingLongConversationLaysOutOnlyVisibleRows()
    {
        Env env(history(300), QSize(800, 600));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        QVERIFY2(env.delegate()->cacheSize() < 40, qPrintable(QString::number(env.delegate()->cacheSize())));
        QCOMPARE(env.view.verticalScrollBar()->value(), env.view.verticalScrollBar()->maximum());
        // The last message is exactly where the bottom is.
        const QRect last = env.view.visualRect(env.index(env.model.rowCount() - 1));
        QCOMPARE(last.bottom(), env.view.viewport()->height() - 1);
        // Jumping to the top lays out the rows there, and they do not overlap.
        QTest::keyClick(&env.view, Qt::Key_Home);
        env.settle();
        QCOMPARE(env.view.verticalScrollBar()->value(), 0);
        QCOMPARE(env.view.visualRect(env.index(0)).top(), 0);
        QCOMPARE(env.view.visualRect(env.index(1)).top(), env.view.visualRect(env.index(0)).bottom() + 1);
        QCOMPARE(env.view.currentIndex().row(), 0);
        QVERIFY(!env.view.isFollowing());
        QTest::keyClick(&env.view, Qt::Key_End);
        env.settle();
        QVERIFY(env.view.isFollowing());
        QCOMPARE(env.view.verticalScrollBar()->value(), env.view.verticalScrollBar()->maximum());
        QCOMPARE(env.view.currentIndex().row(), env.model.rowCount() - 1);
    }

    void nearTopReachedAndPrependKeepsPosition()
    {
        Env env(history(20), QSize(700, 500));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        QSignalSpy nearTop(&env.view, &TranscriptView::nearTopReached);
        QScrollBar *bar = env.view.verticalScrollBar();
        bar->setValue(bar->maximum() / 2);
        QCOMPARE(nearTop.count(), 0);
        bar->setValue(100);
        QCOMPARE(nearTop.count(), 1);
        bar->setValue(40);
        QCOMPARE(nearTop.count(), 1); // once per approach

        const QModelIndex top = env.view.indexAt(QPoint(10, 30));
        const QString text = top.data(TranscriptModel::TextRole).toString();
        const int y = env.view.visualRect(top).top();
        env.model.prependMessages(history(15));
        env.settle();
        const QModelIndex after = env.view.indexAt(QPoint(10, 30));
        QCOMPARE(after.row(), top.row() + 30);
        QCOMPARE(after.data(TranscriptModel::TextRole).toString(), text);
        QCOMPARE(env.view.visualRect(after).top(), y);
        bar->setValue(0);
        QCOMPARE(nearTop.count(), 2); // re-armed by the older messages
    }

    void selectTextAndCopy()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"alpha beta gamma\n\nsecond paragraph"_s)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const QRect content = env.delegate()->contentRect(env.option(1), env.index(1));
        const QFontMetrics fm(env.delegate()->messageStyle().markdown.font);
        const QPoint from(content.left() + 1, content.top() + fm.height() / 2);
        const QPoint to(content.left() + fm.horizontalAdvance(u"alpha beta"_s), from.y());
        QTest::mousePress(env.view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(env.view.viewport(), to);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), env.view.viewport()->mapToGlobal(QPointF(to)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(env.view.viewport(), &move);
        QTest::mouseRelease(env.view.viewport(), Qt::LeftButton, Qt::NoModifier, to);
        QVERIFY(env.view.hasTextSelection());
        QCOMPARE(env.view.selectedText(), u"alpha beta"_s);
        QSignalSpy copied(&env.view, &TranscriptView::copied);
        QTest::keyClick(&env.view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), u"alpha beta"_s);
        QCOMPARE(copied.count(), 1);

        // Double click selects a word; Escape clears; Ctrl+C then copies the message.
        QTest::mouseDClick(env.view.viewport(), Qt::LeftButton, Qt::NoModifier,
                           QPoint(content.left() + fm.horizontalAdvance(u"alpha be"_s), from.y()));
        QCOMPARE(env.view.selectedText(), u"beta"_s);
        QTest::keyClick(&env.view, Qt::Key_Escape);
        QVERIFY(!env.view.hasTextSelection());
        QCOMPARE(env.view.currentIndex().row(), 1);
        QTest::keyClick(&env.view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), u"alpha beta gamma\n\nsecond paragraph"_s);

        // Selection across the whole message.
        env.view.selectMessageText(1);
        QCOMPARE(env.view.selectedText(), u"alpha beta gamma\n\nsecond paragraph"_s);
    }

    // --- selection across messages ---------------------------------------

    static QList<Message> selectionMessages(Message::State lastState = Message::State::Completed)
    {
        return {makeMessage(ChatMessage::Role::User, u"你好，请解释一下 first question"_s),
                makeMessage(ChatMessage::Role::Assistant,
                            u"alpha beta gamma\n\n```cpp\nint x = 1;\n```\n\n中文段落 omega"_s),
                makeMessage(ChatMessage::Role::User, u"中文消息 second"_s),
                makeMessage(ChatMessage::Role::Assistant, u"delta epsilon zeta"_s, lastState)};
    }

    // A point on the first line of the content of \a row, after \a prefix.
    static QPoint textPoint(Env &env, int row, const QString &prefix)
    {
        const QRect content = env.delegate()->contentRect(env.option(row), env.index(row));
        const QFontMetrics fm(env.delegate()->messageStyle().markdown.font);
        return {content.left() + fm.horizontalAdvance(prefix), content.top() + fm.height() / 2};
    }

    static void drag(TranscriptView &view, const QPoint &from, const QList<QPoint> &via, const QPoint &to)
    {
        QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
        for (const QPoint &p : via + QList<QPoint>{to}) {
            QMouseEvent move(QEvent::MouseMove, QPointF(p), view.viewport()->mapToGlobal(QPointF(p)), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(view.viewport(), &move);
        }
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, to);
    }

    // What the delegate gives for [from, to) of one row (to/from invalid: the row's end/start).
    static QString rowText(Env &env, int row, MessageTextPos from, MessageTextPos to)
    {
        const QStyleOptionViewItem o = env.option(row);
        if (!from.isValid())
            from = env.delegate()->startPos(o, env.index(row));
        if (!to.isValid())
            to = env.delegate()->endPos(o, env.index(row));
        return env.delegate()->selectedText(o, env.index(row), from, to);
    }

    void selectAcrossMessagesByDragging()
    {
        Env env(selectionMessages());
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        const QPoint from = textPoint(env, 1, u"alpha "_s);
        const QPoint to = textPoint(env, 3, u"delta ep"_s);
        const QImage before = env.view.viewport()->grab().toImage();
        drag(env.view, from, {textPoint(env, 2, u"中文"_s)}, to);
        QVERIFY(env.view.hasTextSelection());
        const MessageTextPos a = env.delegate()->textPosAt(env.option(1), env.index(1), from);
        const MessageTextPos b = env.delegate()->textPosAt(env.option(3), env.index(3), to);
        const QString expected = rowText(env, 1, a, {}) + u"\n\n"_s + rowText(env, 2, {}, {}) + u"\n\n"_s
            + rowText(env, 3, {}, b);
        QVERIFY2(expected.startsWith(u"beta gamma\n"_s), qPrintable(expected));
        QVERIFY2(expected.contains(u"int x = 1;"_s), qPrintable(expected));
        QVERIFY2(expected.contains(u"中文段落 omega\n\n中文消息 second\n\ndelta ep"_s), qPrintable(expected));
        QVERIFY2(expected.endsWith(u"delta ep"_s), qPrintable(expected));
        QCOMPARE(env.view.selectedText(), expected);

        // every row of the range paints selected, those outside do not
        QVERIFY(!env.view.rowState(0).selectionStart.isValid());
        for (int row = 1; row <= 3; ++row) {
            QVERIFY(env.view.rowState(row).selectionStart.isValid());
            QVERIFY(env.view.rowState(row).selectionStart < env.view.rowState(row).selectionEnd);
        }
        env.settle();
        const QImage after = env.view.viewport()->grab().toImage();
        for (int row = 0; row <= 3; ++row) {
            const QRect content = env.delegate()->contentRect(env.option(row), env.index(row));
            const bool changed = before.copy(content) != after.copy(content);
            QVERIFY2(changed == (row > 0), qPrintable(QString::number(row)));
        }

        QTest::keyClick(&env.view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), expected);

        // the context menu's Copy on any message of the range copies the range
        QApplication::clipboard()->clear();
        std::unique_ptr<QMenu> menu(env.view.createContextMenu(env.index(2), textPoint(env, 2, u"中"_s)));
        menu->findChild<QAction *>(u"copyAction"_s)->trigger();
        QCOMPARE(QApplication::clipboard()->text(), expected);

        // dragging backwards gives the same text
        env.view.clearTextSelection();
        drag(env.view, to, {textPoint(env, 2, u"中文"_s)}, from);
        QCOMPARE(env.view.selectedText(), expected);

        // a single-message selection is unchanged
        drag(env.view, textPoint(env, 3, u"delta "_s), {}, textPoint(env, 3, u"delta epsilon"_s));
        QCOMPARE(env.view.selectedText(), u"epsilon"_s);
        QVERIFY(!env.view.rowState(1).selectionStart.isValid());
    }

    void shiftClickExtendsAcrossMessages()
    {
        Env env(selectionMessages());
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        const QPoint from = textPoint(env, 0, u"你好，"_s);
        const QPoint to = textPoint(env, 3, u"delta epsilon "_s);
        QTest::mouseClick(env.view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
        QVERIFY(!env.view.hasTextSelection());
        QTest::mouseClick(env.view.viewport(), Qt::LeftButton, Qt::ShiftModifier, to, 500);
        const MessageTextPos a = env.delegate()->textPosAt(env.option(0), env.index(0), from);
        const MessageTextPos b = env.delegate()->textPosAt(env.option(3), env.index(3), to);
        const QString expected = rowText(env, 0, a, {}) + u"\n\n"_s + rowText(env, 1, {}, {}) + u"\n\n"_s
            + rowText(env, 2, {}, {}) + u"\n\n"_s + rowText(env, 3, {}, b);
        QVERIFY2(expected.startsWith(u"请解释一下 first question\n\nalpha beta gamma"_s), qPrintable(expected));
        QVERIFY2(expected.endsWith(u"中文消息 second\n\ndelta epsilon "_s), qPrintable(expected));
        QCOMPARE(env.view.selectedText(), expected);

        // shift+click again moves the end back into the second message
        const QPoint back = textPoint(env, 1, u"alpha beta"_s);
        QTest::mouseClick(env.view.viewport(), Qt::LeftButton, Qt::ShiftModifier, back, 500);
        QCOMPARE(env.view.selectedText(), rowText(env, 0, a, {}) + u"\n\nalpha beta"_s);
    }

    void selectAllSelectsTranscript()
    {
        Env env(selectionMessages());
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        click(env.view, textPoint(env, 2, u"中"_s));
        QTest::keyClick(&env.view, Qt::Key_A, Qt::ControlModifier);
        QVERIFY(env.view.hasTextSelection());
        QStringList all;
        for (int row = 0; row < env.model.rowCount(); ++row)
            all << rowText(env, row, {}, {});
        QCOMPARE(env.view.selectedText(), all.join(u"\n\n"_s));
        QVERIFY(env.view.selectedText().startsWith(u"你好，请解释一下 first question\n\nalpha"_s));
        QVERIFY(env.view.selectedText().endsWith(u"\n\n中文消息 second\n\ndelta epsilon zeta"_s));
        QTest::keyClick(&env.view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), all.join(u"\n\n"_s));
        // one message is still a context-menu action away
        env.view.selectMessageText(2);
        QCOMPARE(env.view.selectedText(), u"中文消息 second"_s);
    }

    void selectionSurvivesStreaming()
    {
        QList<Message> messages = selectionMessages(Message::State::Streaming);
        Env env(messages, QSize(800, 700));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        const int row = env.model.rowCount() - 1;
        const QPoint from = textPoint(env, 1, u"alpha "_s);
        const QPoint to = textPoint(env, row, u"delta ep"_s);
        drag(env.view, from, {}, to);
        const QString selected = env.view.selectedText();
        QVERIFY2(selected.startsWith(u"beta gamma"_s) && selected.endsWith(u"中文消息 second\n\ndelta ep"_s),
                 qPrintable(selected));

        // tokens arrive: the selection stays where it was; only the streaming row is laid out
        env.delegate()->resetStats();
        for (int i = 0; i < 40; ++i) {
            env.model.appendContent(row, u" token%1"_s.arg(i) + (i % 10 == 9 ? u"\n\n```py\nx = %1\n```\n\n"_s.arg(i)
                                                                           : QString()));
            env.model.flush();
            env.view.viewport()->repaint();
            QCOMPARE(env.view.selectedText(), selected);
        }
        for (int r : env.delegate()->stats().laidOutRows)
            QCOMPARE(r, row);

        // Ctrl+A during a stream: the end stays anchored at what was there
        QTest::keyClick(&env.view, Qt::Key_A, Qt::ControlModifier);
        const QString all = env.view.selectedText();
        QVERIFY(all.endsWith(u"token39"_s) || all.contains(u"token39"_s));
        env.model.appendContent(row, u" more words after"_s);
        env.model.flush();
        env.settle();
        QCOMPARE(env.view.selectedText(), all);
        QVERIFY(!env.view.selectedText().contains(u"more words"_s));
    }

    void dragPastEdgeScrollsAndExtends()
    {
        Env env(history(6) + selectionMessages(), QSize(700, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        QScrollBar *bar = env.view.verticalScrollBar();
        bar->setValue(0);
        env.settle();
        const QPoint from = textPoint(env, 0, u"Question "_s);
        QTest::mousePress(env.view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
        const QPoint below(from.x(), env.view.viewport()->height() + 60);
        QMouseEvent move(QEvent::MouseMove, QPointF(below), env.view.viewport()->mapToGlobal(QPointF(below)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(env.view.viewport(), &move);
        QTRY_VERIFY_WITH_TIMEOUT(bar->value() == bar->maximum(), 10000);
        QTest::qWait(100);
        QTest::mouseRelease(env.view.viewport(), Qt::LeftButton, Qt::NoModifier, below);
        const QString text = env.view.selectedText();
        QVERIFY2(text.startsWith(u"number 0?\n\n## Answer 0"_s) || text.startsWith(u"number 0?\n\nAnswer 0"_s),
                 qPrintable(text.left(80)));
        QVERIFY2(text.endsWith(u"delta epsilon zeta"_s), qPrintable(text.right(80)));
    }

    void resizeRewraps()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"word "_s.repeated(200))},
                QSize(900, 500));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        const int wide = env.view.visualRect(env.index(1)).height();
        env.view.resize(400, 500);
        env.settle();
        const int narrow = env.view.visualRect(env.index(1)).height();
        QVERIFY2(narrow > wide, qPrintable(u"%1 vs %2"_s.arg(wide).arg(narrow)));
        QCOMPARE(env.view.verticalScrollBar()->value(), env.view.verticalScrollBar()->maximum());
    }

    void accessibility()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s)});
        QVERIFY(!env.view.accessibleName().isEmpty());
        QVERIFY(!env.view.accessibleDescription().isEmpty());
        QCOMPARE(env.view.focusPolicy(), Qt::StrongFocus);
    }

    void removingAndRetryingRows()
    {
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, u"partial"_s, Message::State::Stopped)});
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.model.removeFrom(1);
        QVERIFY(!env.view.grab().isNull());
        const int row =
            env.model.appendMessage(makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming));
        env.model.appendContent(row, u"fresh answer"_s);
        env.model.flush();
        Message done = env.model.message(row);
        done.state = Message::State::Completed;
        env.model.updateMessage(row, done);
        env.settle();
        QVERIFY(env.delegate()->plainText(env.option(row), env.index(row)).contains(u"fresh answer"_s));
        QVERIFY(env.delegate()->retryButtonRect(env.option(row), env.index(row)).isEmpty());
    }

    // Markdown rendered while it streams ends up exactly as rendered at once.
    void incrementalMarkdownMatchesFullRender_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("prose and code") << u"Intro **bold**.\n\n```python\nx = 1\n\ny = 2\n```\n\n## Next\n\nMore text."_s;
        QTest::newRow("lists and table") << u"- a\n- b\n\n1. one\n2. two\n\n| h1 | h2 |\n|---|---|\n| 1 | 2 |\n\nEnd"_s;
        QTest::newRow("cjk and emoji") << u"中文段落，没有问题。🙂\n\n> quote\n\n~~~\ncode 🚀\n~~~\ntrailing"_s;
        QTest::newRow("unclosed fence") << u"text\n\n```js\nlet a = 1;\n"_s;
        QTest::newRow("nested fence in list") << u"1. step\n\n   ```bash\n   make\n\n   make install\n   ```\n\n2. done"_s;
        QString longList;
        for (int i = 0; i < 120; ++i)
            longList += u"- item number %1 with some words\n"_s.arg(i);
        QTest::newRow("long list") << longList + u"\nafter"_s;
    }

    void incrementalMarkdownMatchesFullRender()
    {
        QFETCH(QString, text);
        MarkdownStyle style;
        style.font = QApplication::font();
        style.smallFont = style.font;
        style.monoFont = style.font;
        MarkdownRenderer streamed(&style);
        streamed.setWidth(500);
        for (qsizetype i = 1; i <= text.size(); i += 3) {
            streamed.setText(text.left(i), true);
            streamed.height();
        }
        streamed.setText(text, false);
        MarkdownRenderer whole(&style);
        whole.setWidth(500);
        whole.setText(text, false);
        QCOMPARE(streamed.toPlainText(), whole.toPlainText());
        QCOMPARE(streamed.codeBlockCount(), whole.codeBlockCount());
        QCOMPARE(streamed.height(), whole.height());

        // The split itself: resuming from the last piece of any prefix gives the same pieces.
        const QList<MarkdownSpan> full = splitMarkdown(text);
        for (qsizetype cut = 1; cut < text.size(); cut += 5) {
            QList<MarkdownSpan> spans = splitMarkdown(QStringView(text).left(cut), 0, true);
            const qsizetype from = spans.isEmpty() ? 0 : spans.last().start;
            if (!spans.isEmpty())
                spans.removeLast();
            spans += splitMarkdown(text, from);
            QCOMPARE(spans.size(), full.size());
            for (int i = 0; i < spans.size(); ++i) {
                QCOMPARE(spans.at(i).start, full.at(i).start);
                QCOMPARE(spans.at(i).end, full.at(i).end);
                QCOMPARE(int(spans.at(i).kind), int(full.at(i).kind));
            }
        }
    }

    void rowGeometry()
    {
        TranscriptRows rows;
        QCOMPARE(rows.rowAt(0), -1);
        QCOMPARE(rows.total(), 0);
        rows.reset(4, [](int row) { return 10 * (row + 1); }); // 10 20 30 40
        QCOMPARE(rows.total(), 100);
        QCOMPARE(rows.top(2), 30);
        QCOMPARE(rows.rowAt(0), 0);
        QCOMPARE(rows.rowAt(29), 1);
        QCOMPARE(rows.rowAt(30), 2);
        QCOMPARE(rows.rowAt(1000), 3);
        QCOMPARE(rows.rowAt(-5), 0);
        QVERIFY(!rows.isExact(1, 500));
        QVERIFY(rows.setHeight(3, 45, 500));
        QVERIFY(rows.isExact(3, 500));
        QVERIFY(!rows.setHeight(3, 45, 500));
        QCOMPARE(rows.total(), 105);

        const quint64 third = rows.keyAt(2);
        rows.insert(0, 2, [](int) { return 5; }); // older messages
        QCOMPARE(rows.count(), 6);
        QCOMPARE(rows.rowOfKey(third), 4);
        QCOMPARE(rows.top(4), 5 + 5 + 10 + 20);
        QCOMPARE(rows.total(), 115);
        rows.remove(4, 5);
        QCOMPARE(rows.rowOfKey(third), -1);
        QCOMPARE(rows.total(), 40);
        rows.setEstimate(0, 7);
        QCOMPARE(rows.total(), 42);
        rows.forgetWidths();
        QVERIFY(!rows.isExact(0, 500));
        QCOMPARE(rows.at(0).height, 7);
    }

    // A streaming reply repaints only from changedFromY() down. What it leaves
    // alone must already be right: painting just that part over the previous
    // frame gives the frame a fresh render gives. (A table that changed once
    // repainted from its first cell's text, leaving a strip of stale header
    // background above the new header row.)
    void incrementalRepaintMatchesFreshPaint_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("table") << tableAnswer();
        QTest::newRow("table after a list")
            << u"- one\n- two\n\n| a | b |\n|---|---|\n| wide cell here | x |\n| y | a much wider cell |\n\nEnd."_s;
        QTest::newRow("code")
            << u"Code:\n\n```cpp\n/* a comment\n   over lines */\nint main() { return \"x\"[0]; }\n```\nDone."_s;
        // Colours that change earlier in a long, wrapped line: a quote closed
        // later, a key known by its ':', a language known at the line's end.
        QTest::newRow("code: wrapped line recoloured")
            << u"```\nsay 'a quoted text that goes on and on, long enough to wrap over several lines of the "
               "code block at this width, and only then ends' now\n```\n"_s;
        QTest::newRow("code: json key")
            << u"```json\n{\"a key so long that the colon comes only after the line has wrapped around once more\""
               ": 1}\n```\n"_s;
        QTest::newRow("code: guessed language")
            << u"```\n#include <a/very/long/header/path/that/goes/on/and/on/so/that/it/wraps/around/once.h>\nint x;\n```"_s;
    }

    void incrementalRepaintMatchesFreshPaint()
    {
        QFETCH(QString, text);
        const MessageStyle style = MessageStyle::fromWidget(QApplication::palette(), QApplication::font());
        const QSize size(560, 480);
        const auto render = [&](const MarkdownRenderer &r, QImage *image, qreal fromY) {
            QPainter p(image);
            const QRectF clip(0, fromY, size.width(), size.height() - fromY);
            p.setClipRect(clip);
            p.fillRect(clip, style.base);
            r.draw(&p, clip, {});
        };
        MarkdownRenderer streamed(&style.markdown);
        streamed.setWidth(size.width());
        QImage screen(size, QImage::Format_RGB32);
        render(streamed, &screen, 0);
        for (qsizetype i = 1; i <= text.size(); i += 2) {
            streamed.setText(text.left(i), true);
            const qreal from = std::floor(streamed.changedFromY());
            render(streamed, &screen, std::clamp<qreal>(from, 0, size.height()));
            QImage fresh(size, QImage::Format_RGB32);
            render(streamed, &fresh, 0);
            if (screen != fresh) {
                QRect diff;
                for (int y = 0; y < size.height(); ++y)
                    for (int x = 0; x < size.width(); ++x)
                        if (screen.pixel(x, y) != fresh.pixel(x, y))
                            diff |= QRect(x, y, 1, 1);
                QFAIL(qPrintable(u"stale pixels in %1,%2 %3x%4 after %5 characters (repainted from y=%6)"_s
                                     .arg(diff.x()).arg(diff.y()).arg(diff.width()).arg(diff.height())
                                     .arg(i).arg(from)));
            }
        }
    }

    // The same, end to end: what the view shows while a table streams in (the
    // window's backing store, after partial updates and scrolling) is what a
    // full repaint shows.
    void streamingTableLeavesNoStalePixels()
    {
        const QString text = tableAnswer();
        Env env({makeMessage(ChatMessage::Role::User, u"q"_s),
                 makeMessage(ChatMessage::Role::Assistant, {}, Message::State::Streaming)},
                QSize(640, 360));
        QVERIFY(QTest::qWaitForWindowExposed(&env.view));
        env.settle();
        QScreen *screen = env.view.screen();
        for (qsizetype i = 0; i < text.size(); i += 3) {
            env.model.appendContent(1, text.mid(i, 3));
            env.model.flush();
            env.settle();
            const QImage live = screen->grabWindow(env.view.winId()).toImage();
            QVERIFY(!live.isNull());
            env.view.viewport()->update();
            env.settle();
            const QImage fresh = screen->grabWindow(env.view.winId()).toImage();
            // the message text column (the avatar's antialiased edge may differ by a pixel at the top)
            const QRect content = env.delegate()->contentRect(env.option(1), env.index(1))
                                      .intersected(env.view.viewport()->rect())
                                      .translated(env.view.viewport()->mapTo(&env.view, QPoint(0, 0)));
            for (int y = content.top(); y <= content.bottom(); ++y)
                for (int x = content.left(); x <= content.right(); ++x)
                    if (live.pixel(x, y) != fresh.pixel(x, y))
                        QFAIL(qPrintable(u"stale pixel at %1,%2 after %3 characters"_s.arg(x).arg(y).arg(i + 3)));
        }
    }

    void splitMarkdownPieces()
    {
        const QString text = u"Para one\nstill one\n\n```cpp\nint x;\n\nint y;\n```\nPara two\n\n- a\n\n- b\n\nPara three"_s;
        const QList<MarkdownSpan> spans = splitMarkdown(text);
        QCOMPARE(spans.size(), 4);
        QCOMPARE(int(spans.at(0).kind), int(MarkdownSpan::Kind::Markdown));
        QCOMPARE(int(spans.at(1).kind), int(MarkdownSpan::Kind::Code));
        QCOMPARE(spans.at(1).language, u"cpp"_s);
        QVERIFY(spans.at(1).closed);
        QCOMPARE(text.mid(spans.at(1).codeStart, spans.at(1).codeEnd - spans.at(1).codeStart),
                 u"int x;\n\nint y;\n"_s);
        QVERIFY(text.mid(spans.at(2).start, spans.at(2).end - spans.at(2).start).contains(u"- b"_s)); // a loose list stays together
        QCOMPARE(text.mid(spans.at(3).start).trimmed(), u"Para three"_s);
        // A half-written closing fence is not shown as code while streaming.
        const QString partial = u"```\ncode\n``"_s;
        const QList<MarkdownSpan> s = splitMarkdown(partial, 0, true);
        QCOMPARE(s.size(), 1);
        QCOMPARE(partial.mid(s.at(0).codeStart, s.at(0).codeEnd - s.at(0).codeStart), u"code\n"_s);
        QVERIFY(!s.at(0).closed);
    }
};

QTEST_MAIN(tst_TranscriptView)
#include "tst_transcriptview.moc"
