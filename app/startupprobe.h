// StartupProbe: what bench/bench_startup.sh measures in the real app.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class MainWindow;
class QWidget;

// What bench/bench_startup.sh reads (SLUICE_EXIT_AFTER_SHOWN=1), one
// "name value" line each, then quits:
//   first-paint-ms-since-main, first-paint-ms-since-process-start
//       when the window's first Paint event arrives
//   sidebar-shown-ms-since-main, sidebar-shown-ms-since-process-start, sidebar-rows
//       when the sidebar's list has painted its rows (the paint done and flushed);
//       rows loaded at that moment (0: an empty history)
//   open-ms, open-rows          (SLUICE_BENCH_OPEN=<conversation id>)
//       from openConversation() until the transcript has painted it
//   search-ms, search-hits      (SLUICE_BENCH_SEARCH=<text>)
//       from the text in the search field until the hits are painted (without
//       the pause the field waits for while one types)
//   rss-kb, hwm-kb              VmRSS and VmHWM at the end
// Each step waits for a Paint event of one widget while a condition holds;
// its time is taken in a zero timer queued from that event, which runs after
// the paint and the flush to the screen.
class StartupProbe : public QObject
{
public:
    // Measures from `sinceMain` (started at the top of main()); owned by `window`.
    StartupProbe(const QElapsedTimer &sinceMain, MainWindow *window);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void waitForPaint(QWidget *target, std::function<bool()> ready, std::function<void()> then);
    void openConversation();
    void search();
    void finish(int status = 0);

    QElapsedTimer m_sinceMain;
    MainWindow *m_window;
    qint64 m_openId;
    QString m_searchText;
    double m_firstPaintMs = -1;
    double m_firstPaintProcessMs = -1;
    QElapsedTimer m_step;
    QWidget *m_target = nullptr; // null: any widget of the window
    std::function<bool()> m_ready;
    std::function<void()> m_then;
};
