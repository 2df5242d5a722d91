#include "conversationdelegate.h"

#include "chat/conversationlistmodel.h"

#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

constexpr qreal SmallFactor = 0.86;
constexpr int LineGap = 2;
constexpr int DotDiameter = 7;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

struct RowGeometry
{
    QRect content;
    QRect line1;
    QRect line2;
};

RowGeometry rowGeometry(const QRect &background, const QFont &font)
{
    const QFontMetrics fm(font);
    const QFontMetrics small(ConversationDelegate::scaledFont(font, SmallFactor));
    RowGeometry g;
    g.content = background.adjusted(ConversationDelegate::Padding, ConversationDelegate::VerticalPadding,
                                    -ConversationDelegate::Padding, -ConversationDelegate::VerticalPadding);
    g.line1 = QRect(g.content.left(), g.content.top(), g.content.width(), fm.height());
    g.line2 = QRect(g.content.left(), g.line1.bottom() + 1 + LineGap, g.content.width(), small.height());
    return g;
}

QRect backgroundRect(const QRect &rowRect)
{
    return rowRect.adjusted(ConversationDelegate::HorizontalMargin, 1, -ConversationDelegate::HorizontalMargin, -1);
}

} // namespace

ConversationDelegate::ConversationDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QDateTime ConversationDelegate::referenceTime() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTime();
}

QString ConversationDelegate::relativeTime(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid() || !now.isValid())
        return {};
    const QDateTime local = when.toLocalTime();
    const QDateTime localNow = now.toLocalTime();
    const qint64 seconds = local.secsTo(localNow);
    if (seconds < 60) // also a little in the future (another machine's clock)
        return tr("now");
    if (seconds < 3600)
        return tr("%1 min", "minutes ago, short").arg(seconds / 60);
    const QLocale locale;
    const qint64 days = local.date().daysTo(localNow.date());
    if (days == 0) {
        // Hours and minutes in the locale's order, never seconds (the C
        // locale's short format has them).
        static const QRegularExpression secondsField(u"[^hHmaAp]*s+"_s);
        QString format = locale.timeFormat(QLocale::ShortFormat);
        format.remove(secondsField);
        return locale.toString(local.time(), format.trimmed());
    }
    if (days == 1)
        return tr("Yesterday");
    if (days > 1 && days < 7)
        return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat);
    if (days > 0 && local.date().year() == localNow.date().year())
        return locale.toString(local.date(), tr("d MMM", "QDate format of a day earlier this year"));
    return locale.toString(local.date(), QLocale::ShortFormat);
}

QRect ConversationDelegate::paintRowBackground(QPainter *painter, const QStyleOptionViewItem &option)
{
    const QRect background = backgroundRect(option.rect);
    const QPalette &palette = option.palette;
    const bool dark = isDark(palette);
    QColor fill;
    if (option.state & QStyle::State_Selected) {
        fill = palette.color(QPalette::Highlight);
        // Stronger while the list has the keyboard focus, so arrow keys show where they are.
        const bool focused = option.state & QStyle::State_Active && option.state & QStyle::State_HasFocus;
        fill.setAlphaF(dark ? (focused ? 0.42 : 0.30) : (focused ? 0.22 : 0.14));
    } else if (option.state & QStyle::State_MouseOver) {
        fill = palette.color(QPalette::Text);
        fill.setAlphaF(dark ? 0.08 : 0.05);
    }
    if (fill.isValid()) {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(QRectF(background), 8, 8);
        painter->restore();
    }
    return background;
}

QColor ConversationDelegate::secondaryTextColor(const QPalette &palette)
{
    QColor c = palette.color(QPalette::Text);
    c.setAlphaF(isDark(palette) ? 0.60 : 0.58);
    return c;
}

QColor ConversationDelegate::accentColor(const QPalette &palette)
{
    return palette.color(QPalette::Highlight);
}

QFont ConversationDelegate::scaledFont(const QFont &font, qreal factor)
{
    QFont f = font;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else if (f.pixelSize() > 0)
        f.setPixelSize(qMax(1, qRound(f.pixelSize() * factor)));
    return f;
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics fm(option.font);
    const QFontMetrics small(scaledFont(option.font, SmallFactor));
    return {200, 2 + 2 * VerticalPadding + fm.height() + LineGap + small.height()};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    QStyleOptionViewItem marked = option;
    if (m_marked.isValid() && index == m_marked)
        marked.state |= QStyle::State_MouseOver;
    const QRect background = paintRowBackground(painter, marked);
    const RowGeometry g = rowGeometry(background, option.font);
    const QPalette &palette = option.palette;
    const QColor secondary = secondaryTextColor(palette);
    const QFont smallFont = scaledFont(option.font, SmallFactor);
    const QFontMetrics fm(option.font);
    const QFontMetrics small(smallFont);

    // Line 1: title … time
    const QString time = relativeTime(index.data(ConversationListModel::UpdatedRole).toDateTime(), referenceTime());
    const int timeWidth = small.horizontalAdvance(time);
    painter->setFont(smallFont);
    painter->setPen(secondary);
    painter->drawText(QRect(g.line1.right() - timeWidth + 1, g.line1.top(), timeWidth, g.line1.height()),
                      Qt::AlignRight | Qt::AlignVCenter, time);

    const bool untitled = index.data(ConversationListModel::TitleRole).toString().trimmed().isEmpty();
    const QRect title = g.line1.adjusted(0, 0, -(timeWidth + (timeWidth > 0 ? 10 : 0)), 0);
    painter->setFont(option.font);
    painter->setPen(untitled ? secondary : palette.color(QPalette::Text));
    painter->drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, title.width()));

    // Line 2: model … (dot)
    QRect line2 = g.line2;
    if (index.data(ConversationListModel::StreamingRole).toBool()) {
        const QRectF dot(line2.right() - DotDiameter + 1, line2.center().y() - DotDiameter / 2.0 + 0.5,
                         DotDiameter, DotDiameter);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(accentColor(palette));
        painter->drawEllipse(dot);
        line2.setRight(line2.right() - DotDiameter - 8);
    }
    QString detail = index.data(ConversationListModel::ModelRole).toString();
    if (detail.isEmpty()) {
        const int count = index.data(ConversationListModel::MessageCountRole).toInt();
        detail = count == 1 ? tr("1 message") : tr("%n messages", nullptr, count);
    }
    painter->setFont(smallFont);
    painter->setPen(secondary);
    painter->drawText(line2, Qt::AlignLeft | Qt::AlignVCenter, small.elidedText(detail, Qt::ElideRight, line2.width()));
    painter->restore();
}

QRect ConversationDelegate::titleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    return rowGeometry(backgroundRect(option.rect), option.font).line1;
}

QWidget *ConversationDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                            const QModelIndex &index) const
{
    Q_UNUSED(option)
    Q_UNUSED(index)
    auto *editor = new QLineEdit(parent);
    editor->setObjectName(u"RenameEditor"_s);
    editor->setAccessibleName(tr("Conversation title"));
    editor->setPlaceholderText(tr("Title"));
    editor->setMaxLength(200);
    const QPalette &palette = parent->palette();
    editor->setStyleSheet(u"QLineEdit { border: 1px solid %1; border-radius: 6px; padding: 1px 5px; background: %2;"
                          " color: %3; }"_s.arg(palette.color(QPalette::Highlight).name(),
                                                palette.color(QPalette::Base).name(),
                                                palette.color(QPalette::Text).name()));
    return editor;
}

void ConversationDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        line->setText(index.data(Qt::EditRole).toString());
        line->selectAll();
    }
}

void ConversationDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line)
        return;
    const QString title = line->text().simplified();
    // An empty title would leave the row nameless; keep the old one.
    if (title.isEmpty() || title == index.data(Qt::EditRole).toString())
        return;
    model->setData(index, title, Qt::EditRole);
}

void ConversationDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                                const QModelIndex &index) const
{
    const QRect line = titleRect(option, index);
    const int height = qMax(editor->sizeHint().height(), line.height() + 8);
    QRect r(line.left() - 4, line.center().y() - height / 2, line.width() + 8, height);
    editor->setGeometry(r.intersected(option.rect.adjusted(HorizontalMargin, 0, -HorizontalMargin, 0)));
}
