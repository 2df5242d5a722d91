#pragma once

#include <QList>
#include <QWidget>

// A small line chart of one series, e.g. tokens/s over a reply in the
// metrics panel. Feed it the whole series; it scales to its own size.
//
//     sparkline->setValues(session->rateSeries());
//
// Uses the palette's highlight colour; an empty series draws a faint baseline.
class Sparkline : public QWidget
{
    Q_OBJECT
public:
    explicit Sparkline(QWidget *parent = nullptr);

    void setValues(const QList<double> &values);
    const QList<double> &values() const { return m_values; }
    double peak() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<double> m_values;
};
