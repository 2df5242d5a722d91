#include "apptheme.h"

#include <QApplication>
#include <QIcon>
#include <QPointer>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

void applyIconTheme()
{
    if (!QIcon::themeSearchPaths().contains(u":/icons"_s))
        QIcon::setThemeSearchPaths(QIcon::themeSearchPaths() << u":/icons"_s);
    const QString name = AppTheme::iconThemeFor(QApplication::palette());
    if (QIcon::themeName() != name)
        QIcon::setThemeName(name); // icons from QIcon::fromTheme() reload when next painted
}

bool hasStyleSheetAbove(const QWidget *widget)
{
    for (const QWidget *w = widget->parentWidget(); w; w = w->parentWidget())
        if (!w->styleSheet().isEmpty())
            return true;
    return false;
}

// A widget with a style sheet (and everything under it) keeps the palette it
// was polished with: QStyleSheetStyle sets it on the widget, and palette(...)
// in the sheet is resolved then too. A new application palette reaches them
// only through a new polish; setting the same sheet again re-polishes the
// widget and its children (their changeEvent(PaletteChange) then recomputes
// sheets built from the palette: banner, composer, sidebar, endpoint button).
void repolishStyleSheets()
{
    const QWidgetList widgets = QApplication::allWidgets();
    for (QWidget *w : widgets) {
        const QString sheet = w->styleSheet();
        if (!sheet.isEmpty() && !hasStyleSheetAbove(w))
            w->setStyleSheet(sheet);
    }
}

// Follows application palette changes that apply() did not make: while the
// theme is "System", the platform may change the palette under us (the desktop
// switched to dark). Qt 6.4 has no colour scheme signal; the application
// receives ApplicationPaletteChange then (Qt 6.5 also tells colorSchemeChanged).
class SystemFollower : public QObject
{
public:
    explicit SystemFollower(QObject *parent)
        : QObject(parent)
    {
        qApp->installEventFilter(this);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
        connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, this, [this] { schedule(); });
#endif
    }

    Settings::Theme theme = Settings::Theme::System;
    bool applying = false; // apply() is at work and finishes the job itself

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
            schedule();
        return QObject::eventFilter(watched, event);
    }

private:
    // Once every widget has seen the new palette; before the repaint it brings
    // (that is posted at low priority), so nothing is painted half-updated.
    void schedule()
    {
        if (applying || m_pending)
            return;
        m_pending = true;
        QMetaObject::invokeMethod(this, [this] {
            m_pending = false;
            repolishStyleSheets();
            if (theme == Settings::Theme::System)
                applyIconTheme();
        }, Qt::QueuedConnection);
    }

    bool m_pending = false;
};

SystemFollower *follower()
{
    static QPointer<SystemFollower> instance;
    if (!instance)
        instance = new SystemFollower(qApp);
    return instance;
}

bool isFusion(const QStyle *style)
{
    return style && style->name().compare(u"fusion"_s, Qt::CaseInsensitive) == 0;
}

} // namespace

namespace AppTheme {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x23, 0x2a);
    const QColor base(0x17, 0x1a, 0x20);
    const QColor text(0xe6, 0xe8, 0xeb);
    const QColor muted(0x8b, 0x93, 0xa1);
    const QColor button(0x2a, 0x2f, 0x38);
    const QColor highlight(0x4f, 0x7c, 0xf7);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x30, 0x35, 0x3f));
    p.setColor(QPalette::Mid, QColor(0x3b, 0x41, 0x4c));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xa2, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xa9, 0x8b, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, muted);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x3a, 0x40, 0x4b));
    return p;
}

QString iconThemeFor(const QPalette &palette)
{
    return isDark(palette) ? u"sluice-dark"_s : u"sluice"_s;
}

Settings::Theme current()
{
    return follower()->theme;
}

void apply(Settings::Theme theme)
{
    // The platform's style, to go back to when "System" is chosen again.
    static const QString nativeStyle = QApplication::style()->name();
    SystemFollower *f = follower();
    f->theme = theme;
    f->applying = true;
    if (theme == Settings::Theme::Dark || theme == Settings::Theme::Light) {
        // A new Fusion only when needed: setStyle() re-polishes every widget.
        if (!isFusion(QApplication::style())) {
            if (QStyle *fusion = QStyleFactory::create(u"Fusion"_s))
                QApplication::setStyle(fusion);
        }
        if (isFusion(QApplication::style()))
            QApplication::setPalette(theme == Settings::Theme::Dark ? darkPalette()
                                                                    : QApplication::style()->standardPalette());
    } else {
        if (QApplication::style()->name() != nativeStyle)
            QApplication::setStyle(nativeStyle);
        // Not a saved copy of the start-up palette: an empty one resolves to the
        // platform's (and style's) palette as it is now, and stays unset, so Qt
        // goes on following the platform. (The platform style may well be Fusion
        // too: the palette must be reset whatever the style.)
        QApplication::setPalette(QPalette());
    }
    f->applying = false;
    applyIconTheme();
    repolishStyleSheets();
}

} // namespace AppTheme
