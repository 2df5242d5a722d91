#include "sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// At most one point per `width` pixels: averages of equal bins.
QList<double> resampled(const QList<double> &values, int width)
{
    if (values.size() <= width || width < 2)
        return values;
    QList<double> out;
    out.reserve(width);
    const double step = double(values.size()) / width;
    for (int i = 0; i < width; ++i) {
        const auto from = qsizetype(i * step);
        const auto to = std::max(from + 1, qsizetype((i + 1) * step));
        double sum = 0;
        for (qsizetype j = from; j < to && j < values.size(); ++j)
            sum += values.at(j);
        out.append(sum / double(to - from));
    }
    return out;
}

} // namespace

Sparkline::Sparkline(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Tokens per second over the reply"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::setValues(const QList<double> &values)
{
    if (values == m_values)
        return;
    m_values = values;
    setAccessibleDescription(m_values.isEmpty() ? tr("No data")
                                                : tr("Peak %1 tokens per second").arg(qRound(peak())));
    update();
}

double Sparkline::peak() const
{
    return m_values.isEmpty() ? 0.0 : *std::max_element(m_values.cbegin(), m_values.cend());
}

QSize Sparkline::sizeHint() const
{
    return {180, 44};
}

QSize Sparkline::minimumSizeHint() const
{
    return {60, 28};
}

void Sparkline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1.5, 3.5, -1.5, -1.5);
    QColor line = palette().color(QPalette::Highlight);
    QColor faint = palette().color(QPalette::WindowText);
    faint.setAlphaF(0.15f);

    p.setPen(QPen(faint, 1));
    p.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()));

    const QList<double> values = resampled(m_values, int(area.width() / 2));
    if (values.isEmpty())
        return;
    const double top = std::max(1.0, *std::max_element(values.cbegin(), values.cend()) * 1.1);
    auto point = [&](qsizetype i) {
        const double x = values.size() == 1 ? area.right() : area.left() + area.width() * double(i) / double(values.size() - 1);
        const double y = area.bottom() - area.height() * std::clamp(values.at(i) / top, 0.0, 1.0);
        return QPointF(x, y);
    };

    QPainterPath path(point(0));
    for (qsizetype i = 1; i < values.size(); ++i)
        path.lineTo(point(i));

    QPainterPath fill = path;
    fill.lineTo(area.right(), area.bottom());
    fill.lineTo(point(0).x(), area.bottom());
    fill.closeSubpath();
    QLinearGradient gradient(area.topLeft(), area.bottomLeft());
    QColor top1 = line;
    top1.setAlphaF(0.35f);
    QColor bottom = line;
    bottom.setAlphaF(0.03f);
    gradient.setColorAt(0, top1);
    gradient.setColorAt(1, bottom);
    p.fillPath(fill, gradient);

    p.setPen(QPen(line, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(path);
    p.setBrush(line);
    p.setPen(Qt::NoPen);
    p.drawEllipse(point(values.size() - 1), 2.4, 2.4);
}
