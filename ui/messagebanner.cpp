#include "messagebanner.h"

#include <QAccessible>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {

struct Colours
{
    const char *lightBackground;
    const char *lightBorder;
    const char *darkBackground;
    const char *darkBorder;
};

Colours coloursFor(MessageBanner::Kind kind)
{
    switch (kind) {
    case MessageBanner::Kind::Error:
        return {"#fdecec", "#f3b4b4", "#3b1d1f", "#7f2d33"};
    case MessageBanner::Kind::Warning:
        return {"#fff6e0", "#f1d28a", "#392c14", "#7a5a1c"};
    case MessageBanner::Kind::Positive:
        return {"#e8f6ec", "#a9dcb8", "#173222", "#2f6b45"};
    case MessageBanner::Kind::Information:
        break;
    }
    return {"#e8f0fe", "#b3cbf5", "#182a45", "#2f4f85"};
}

QString iconName(MessageBanner::Kind kind)
{
    switch (kind) {
    case MessageBanner::Kind::Error:
        return u"dialog-error"_s;
    case MessageBanner::Kind::Warning:
        return u"dialog-warning"_s;
    case MessageBanner::Kind::Positive:
        return u"dialog-positive"_s;
    case MessageBanner::Kind::Information:
        break;
    }
    return u"dialog-information"_s;
}

QStyle::StandardPixmap fallbackIcon(MessageBanner::Kind kind)
{
    switch (kind) {
    case MessageBanner::Kind::Error:
        return QStyle::SP_MessageBoxCritical;
    case MessageBanner::Kind::Warning:
        return QStyle::SP_MessageBoxWarning;
    case MessageBanner::Kind::Positive:
    case MessageBanner::Kind::Information:
        break;
    }
    return QStyle::SP_MessageBoxInformation;
}

} // namespace

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_close(new QToolButton(this))
{
    setObjectName(u"MessageBanner"_s);
    setAccessibleName(tr("Message"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(false);

    m_icon->setFixedSize(20, 20);
    m_icon->setAlignment(Qt::AlignTop);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action->setVisible(false);
    m_action->setCursor(Qt::PointingHandCursor);
    m_close->setAutoRaise(true);
    m_close->setIcon(QIcon::fromTheme(u"window-close"_s, style()->standardIcon(QStyle::SP_TitleBarCloseButton)));
    m_close->setIconSize({14, 14});
    m_close->setToolTip(tr("Close"));
    m_close->setAccessibleName(tr("Close message"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 6, 8);
    layout->setSpacing(10);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_callback)
            m_callback();
        Q_EMIT actionTriggered();
    });
    connect(m_close, &QToolButton::clicked, this, [this] {
        hideMessage();
        Q_EMIT closed();
    });
    hide();
}

void MessageBanner::showMessage(const QString &text, Kind kind, const QString &actionText, std::function<void()> action)
{
    m_kind = kind;
    m_text->setText(text);
    m_text->setAccessibleName(text);
    m_action->setText(actionText);
    m_action->setAccessibleName(actionText);
    m_action->setVisible(!actionText.isEmpty());
    m_callback = std::move(action);
    const QIcon icon = QIcon::fromTheme(iconName(kind), style()->standardIcon(fallbackIcon(kind)));
    m_icon->setPixmap(icon.pixmap(QSize(20, 20), devicePixelRatioF()));
    applyStyle();
    show();
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::Alert);
        QAccessible::updateAccessibility(&event);
    }
}

void MessageBanner::hideMessage()
{
    m_callback = {};
    hide();
}

QString MessageBanner::text() const
{
    return m_text->text();
}

QString MessageBanner::actionText() const
{
    return m_action->isHidden() ? QString() : m_action->text();
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // StyleChange too: a re-polish (new application palette) gives our own
    // palette back from the style sheet, unchanged, while the parent's changed.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyStyle();
}

void MessageBanner::applyStyle()
{
    // Light or dark from the application's palette: our own Window colour is
    // the background our style sheet sets, so it would keep the old answer.
    const bool dark = QApplication::palette(this).color(QPalette::Window).lightness() < 128;
    const Colours c = coloursFor(m_kind);
    const QString background = QString::fromLatin1(dark ? c.darkBackground : c.lightBackground);
    const QString border = QString::fromLatin1(dark ? c.darkBorder : c.lightBorder);
    const QString sheet = u"#MessageBanner { background: %1; border: 1px solid %2; border-radius: 8px; }"
                          "#MessageBanner QLabel { background: transparent; }"
                          "#MessageBanner QPushButton { padding: 4px 12px; border-radius: 6px; border: 1px solid %2;"
                          " background: palette(base); }"
                          "#MessageBanner QPushButton:hover { background: palette(button); }"_s.arg(background, border);
    if (styleSheet() != sheet) // a new style sheet changes the palette, which brings us back here
        setStyleSheet(sheet);
}
