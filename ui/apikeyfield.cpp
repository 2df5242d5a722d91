#include "apikeyfield.h"

#include <QAction>
#include <QEvent>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

using namespace Qt::StringLiterals;

namespace {

// Feather-style eye (and eye with a slash), stroked in `colour`.
QByteArray eyeSvg(bool crossed, const QColor &colour)
{
    QString svg = u"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%1' "
                  "stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'>"
                  "<path d='M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z'/>"
                  "<circle cx='12' cy='12' r='3'/>"_s.arg(colour.name());
    if (crossed)
        svg += u"<path d='M4 4l16 16'/>"_s;
    svg += u"</svg>"_s;
    return svg.toUtf8();
}

QIcon eyeIcon(bool crossed, const QColor &colour)
{
    QSvgRenderer renderer(eyeSvg(crossed, colour));
    if (!renderer.isValid())
        return QIcon::fromTheme(crossed ? u"view-hidden"_s : u"view-visible"_s);
    QIcon icon;
    for (const int size : {16, 24, 32, 48}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        renderer.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

ApiKeyField::ApiKeyField(QWidget *parent)
    : QLineEdit(parent)
    , m_reveal(new QAction(this))
    , m_showText(tr("Show"))
    , m_hideText(tr("Hide"))
{
    setEchoMode(QLineEdit::Password);
    setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText
                        | Qt::ImhNoAutoUppercase);
    m_reveal->setCheckable(true);
    m_reveal->setObjectName(u"revealAction"_s);
    addAction(m_reveal, QLineEdit::TrailingPosition);
    connect(m_reveal, &QAction::toggled, this, &ApiKeyField::setRevealed);
    updateAction();
}

bool ApiKeyField::isRevealed() const
{
    return echoMode() == QLineEdit::Normal;
}

void ApiKeyField::setRevealed(bool revealed)
{
    if (revealed == isRevealed())
        return;
    setEchoMode(revealed ? QLineEdit::Normal : QLineEdit::Password);
    m_reveal->setChecked(revealed);
    updateAction();
    Q_EMIT revealedChanged(revealed);
}

void ApiKeyField::setRevealTexts(const QString &show, const QString &hide)
{
    m_showText = show;
    m_hideText = hide;
    updateAction();
}

void ApiKeyField::changeEvent(QEvent *event)
{
    QLineEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::EnabledChange)
        updateAction();
}

void ApiKeyField::updateAction()
{
    const bool revealed = isRevealed();
    const QColor colour = palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::Text);
    // The eye shows what a click does: an open eye reveals, a crossed one hides.
    m_reveal->setIcon(eyeIcon(revealed, colour));
    const QString text = revealed ? m_hideText : m_showText;
    m_reveal->setText(text);
    m_reveal->setToolTip(text);
}
