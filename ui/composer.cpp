#include "composer.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_frame(new QFrame(this))
    , m_editBar(new QWidget(this))
    , m_editLabel(new QLabel(m_editBar))
    , m_editCancel(new QToolButton(m_editBar))
    , m_editor(new QPlainTextEdit(m_frame))
    , m_button(new QPushButton(m_frame))
    , m_hint(new QLabel(this))
{
    setAccessibleName(tr("Composer"));
    m_frame->setObjectName(u"ComposerFrame"_s);
    m_button->setObjectName(u"ComposerButton"_s);

    m_editLabel->setText(tr("Editing an earlier message — Enter sends it again, Esc cancels"));
    m_editCancel->setIcon(QIcon::fromTheme(u"window-close"_s, style()->standardIcon(QStyle::SP_TitleBarCloseButton)));
    m_editCancel->setIconSize({12, 12});
    m_editCancel->setAutoRaise(true);
    m_editCancel->setToolTip(tr("Cancel editing"));
    m_editCancel->setAccessibleName(tr("Cancel editing"));
    auto *editLayout = new QHBoxLayout(m_editBar);
    editLayout->setContentsMargins(4, 0, 0, 2);
    editLayout->addWidget(m_editLabel, 1);
    editLayout->addWidget(m_editCancel);
    m_editBar->hide();
    connect(m_editCancel, &QToolButton::clicked, this, &Composer::cancelEdit);

    m_editor->setObjectName(u"ComposerEditor"_s);
    m_editor->setAccessibleName(tr("Message"));
    m_editor->setAccessibleDescription(tr("Enter sends the message, Shift+Enter starts a new line, Esc stops a reply"));
    m_editor->setPlaceholderText(tr("Message the model…"));
    m_editor->setFrameShape(QFrame::NoFrame);
    m_editor->setTabChangesFocus(true);
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_editor->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_editor->document()->setDocumentMargin(2);
    m_editor->installEventFilter(this);
    setFocusProxy(m_editor);

    m_button->setCursor(Qt::PointingHandCursor);
    m_button->setIconSize({16, 16});
    m_button->setFocusPolicy(Qt::TabFocus);
    m_button->setAutoDefault(false);

    auto *frameLayout = new QHBoxLayout(m_frame);
    frameLayout->setContentsMargins(14, 10, 10, 10);
    frameLayout->setSpacing(10);
    frameLayout->addWidget(m_editor, 1);
    frameLayout->addWidget(m_button, 0, Qt::AlignBottom);

    m_hint->setObjectName(u"ComposerHint"_s);
    m_hint->setText(tr("Enter to send · Shift+Enter for a new line · Esc to stop"));
    m_hint->setAlignment(Qt::AlignCenter);
    QFont small = m_hint->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_hint->setFont(small);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_editBar);
    layout->addWidget(m_frame);
    layout->addWidget(m_hint);

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        updateHeight();
        updateButton();
    });
    connect(m_button, &QPushButton::clicked, this, &Composer::onButtonClicked);
    updateButton();
    applyStyle();
    updateHeight();
}

QString Composer::text() const
{
    return m_editor->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_editor->setPlainText(text);
    m_editor->moveCursor(QTextCursor::End);
}

void Composer::clear()
{
    m_editor->clear();
    if (m_editing) {
        m_editing = false;
        m_editBar->hide();
    }
}

void Composer::setStreaming(bool streaming)
{
    if (m_streaming == streaming)
        return;
    m_streaming = streaming;
    updateButton();
    applyStyle();
}

void Composer::beginEdit(const QString &text)
{
    m_editing = true;
    m_editBar->show();
    setText(text);
    focusInput();
}

void Composer::cancelEdit()
{
    if (!m_editing)
        return;
    m_editing = false;
    m_editBar->hide();
    m_editor->clear();
    Q_EMIT editCancelled();
}

void Composer::focusInput()
{
    m_editor->setFocus(Qt::ShortcutFocusReason);
}

void Composer::onButtonClicked()
{
    if (m_streaming)
        Q_EMIT stopRequested();
    else
        requestSend();
    focusInput(); // the input keeps the focus
}

void Composer::requestSend()
{
    if (m_streaming)
        return;
    const QString message = text();
    if (message.trimmed().isEmpty())
        return;
    Q_EMIT sendRequested(message);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_editor)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut) {
        m_frame->setProperty("focused", event->type() == QEvent::FocusIn);
        m_frame->style()->unpolish(m_frame);
        m_frame->style()->polish(m_frame);
    } else if (event->type() == QEvent::ShortcutOverride) {
        // Esc belongs to the editor while editing, so a window-wide Stop shortcut does not take it.
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && m_editing) {
            event->accept();
            return true;
        }
    } else if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ShiftModifier)) {
            m_editor->insertPlainText(u"\n"_s);
            return true;
        }
        if (enter && !(key->modifiers() & (Qt::AltModifier | Qt::MetaModifier))) {
            requestSend();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            if (m_editing)
                cancelEdit();
            else if (m_streaming)
                Q_EMIT stopRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void Composer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        applyStyle();
        updateHeight();
    }
}

void Composer::updateHeight()
{
    // QPlainTextEdit's document layout counts visual lines (wrapped ones too).
    const auto lines = std::lround(m_editor->document()->documentLayout()->documentSize().height());
    const int shown = int(std::clamp<long>(lines, 1, maximumLines()));
    const int lineHeight = m_editor->fontMetrics().lineSpacing();
    const int margins = int(2 * m_editor->document()->documentMargin()) + m_editor->contentsMargins().top()
        + m_editor->contentsMargins().bottom() + 2;
    m_editor->setFixedHeight(shown * lineHeight + margins);
}

void Composer::updateButton()
{
    if (m_streaming) {
        m_button->setText(tr("Stop"));
        m_button->setIcon(QIcon::fromTheme(u"stop"_s, style()->standardIcon(QStyle::SP_MediaStop)));
        m_button->setToolTip(tr("Stop the reply (Esc)"));
        m_button->setAccessibleName(tr("Stop"));
        m_button->setEnabled(true);
    } else {
        m_button->setText(tr("Send"));
        m_button->setIcon(QIcon::fromTheme(u"send"_s, style()->standardIcon(QStyle::SP_ArrowUp)));
        m_button->setToolTip(tr("Send the message (Enter)"));
        m_button->setAccessibleName(tr("Send"));
        m_button->setEnabled(!text().trimmed().isEmpty());
    }
}

void Composer::applyStyle()
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    const QColor accent = pal.color(QPalette::Highlight);
    const QString border = dark ? u"#3f4654"_s : u"#d5d9e0"_s;
    const QString focusBorder = accent.name();
    const QString base = pal.color(QPalette::Base).name();
    const QString stopBackground = dark ? u"#3a3f4b"_s : u"#eceef2"_s;
    const QString stopHover = dark ? u"#474d5b"_s : u"#e0e3e9"_s;
    const QString disabled = dark ? u"#3a3f4b"_s : u"#c9ced8"_s;
    QString muted = pal.color(QPalette::PlaceholderText).name();

    QString sheet = u"#ComposerFrame { background: %1; border: 1px solid %2; border-radius: 14px; }"
                    "#ComposerFrame[focused=\"true\"] { border-color: %3; }"
                    "#ComposerEditor { background: transparent; border: none; }"
                    "#ComposerHint { color: %4; }"_s.arg(base, border, focusBorder, muted);
    if (m_streaming) {
        sheet += u"#ComposerButton { background: %1; color: palette(button-text); border: none; border-radius: 9px;"
                 " padding: 6px 14px; font-weight: 600; }"
                 "#ComposerButton:hover { background: %2; }"_s.arg(stopBackground, stopHover);
    } else {
        sheet += u"#ComposerButton { background: %1; color: white; border: none; border-radius: 9px;"
                 " padding: 6px 14px; font-weight: 600; }"
                 "#ComposerButton:hover { background: %2; }"
                 "#ComposerButton:pressed { background: %3; }"
                 "#ComposerButton:disabled { background: %4; color: rgba(255,255,255,180); }"_s
                     .arg(accent.name(), accent.lighter(112).name(), accent.darker(115).name(), disabled);
    }
    if (styleSheet() != sheet) // a new style sheet changes the palette, which brings us back here
        setStyleSheet(sheet);
}
