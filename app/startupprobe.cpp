#include "startupprobe.h"

#include "chat/conversationlistmodel.h"
#include "conversationsidebar.h"
#include "mainwindow.h"
#include "transcriptview.h"

#include <QApplication>
#include <QEvent>
#include <QLineEdit>
#include <QListView>
#include <QTextStream>
#include <QTimer>
#include <QWidget>

#include <utility>

#ifdef Q_OS_LINUX
#include <QFile>
#include <time.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// Milliseconds since the kernel started this process (-1 where unknown).
double msSinceProcessStart()
{
#ifdef Q_OS_LINUX
    QFile stat(u"/proc/self/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Field 22 (starttime, in clock ticks since boot) counts from after "(comm)".
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble();
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (ticksPerSecond <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const double nowMs = double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6;
    return nowMs - startTicks * 1000.0 / double(ticksPerSecond);
#else
    return -1;
#endif
}

QString procStatusKb(const char *field)
{
#ifdef Q_OS_LINUX
    QFile status(u"/proc/self/status"_s);
    if (status.open(QIODevice::ReadOnly)) {
        const QByteArray prefix = QByteArray(field) + ':';
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith(prefix))
                return QString::fromLatin1(line.mid(prefix.size()).trimmed().split(' ').first());
    }
#endif
    Q_UNUSED(field)
    return u"-1"_s;
}

double ms(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

void printMs(const char *name, double value)
{
    QTextStream(stdout) << name << ' ' << QString::number(value, 'f', 1) << '\n';
}

void printCount(const char *name, int value)
{
    QTextStream(stdout) << name << ' ' << value << '\n';
}

} // namespace

StartupProbe::StartupProbe(const QElapsedTimer &sinceMain, MainWindow *window)
    : QObject(window)
    , m_sinceMain(sinceMain)
    , m_window(window)
    , m_openId(qEnvironmentVariable("SLUICE_BENCH_OPEN").toLongLong())
    , m_searchText(qEnvironmentVariable("SLUICE_BENCH_SEARCH"))
{
    qApp->installEventFilter(this);
    ConversationSidebar *sidebar = window->sidebar();
    if (!sidebar) { // no history: the window's first paint is all there is
        waitForPaint(nullptr, [] { return true; }, [this] { finish(); });
        return;
    }
    const ConversationListModel *model = sidebar->model();
    waitForPaint(
        sidebar->listView()->viewport(),
        [model] { return model->rowCount() > 0 || !model->canFetchMore(QModelIndex()); },
        [this, model] {
            printMs("sidebar-shown-ms-since-main", ms(m_sinceMain));
            printMs("sidebar-shown-ms-since-process-start", msSinceProcessStart());
            printCount("sidebar-rows", model->rowCount());
            openConversation();
        });
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && watched->isWidgetType()) {
        auto *widget = static_cast<QWidget *>(watched);
        if (m_firstPaintMs < 0 && widget->window() == m_window) {
            m_firstPaintMs = ms(m_sinceMain);
            m_firstPaintProcessMs = msSinceProcessStart();
        }
        if (m_then && (m_target ? widget == m_target : widget->window() == m_window) && m_ready()) {
            // After this paint and its flush.
            QTimer::singleShot(0, this, std::exchange(m_then, {}));
        }
    }
    return QObject::eventFilter(watched, event);
}

void StartupProbe::waitForPaint(QWidget *target, std::function<bool()> ready, std::function<void()> then)
{
    m_target = target;
    m_ready = std::move(ready);
    m_then = std::move(then);
}

void StartupProbe::openConversation()
{
    if (m_openId <= 0) {
        search();
        return;
    }
    m_step.start();
    if (!m_window->openConversation(m_openId)) {
        QTextStream(stderr) << "sluice: SLUICE_BENCH_OPEN: no conversation " << m_openId << '\n';
        finish(1);
        return;
    }
    const QAbstractItemModel *transcript = m_window->transcriptView()->model();
    waitForPaint(
        m_window->transcriptView()->viewport(), [transcript] { return transcript->rowCount() > 0; },
        [this, transcript] {
            printMs("open-ms", ms(m_step));
            printCount("open-rows", transcript->rowCount());
            search();
        });
}

void StartupProbe::search()
{
    ConversationSidebar *sidebar = m_window->sidebar();
    if (m_searchText.isEmpty() || !sidebar) {
        finish();
        return;
    }
    QListView *results = sidebar->resultsView();
    sidebar->setSearchDelay(0);
    m_step.start();
    sidebar->searchField()->setText(m_searchText);
    waitForPaint(results->viewport(), [results] { return results->isVisible(); }, [this, results] {
        printMs("search-ms", ms(m_step));
        printCount("search-hits", results->model()->rowCount());
        finish();
    });
}

void StartupProbe::finish(int status)
{
    printMs("first-paint-ms-since-main", m_firstPaintMs);
    printMs("first-paint-ms-since-process-start", m_firstPaintProcessMs);
    QTextStream(stdout) << "rss-kb " << procStatusKb("VmRSS") << '\n' << "hwm-kb " << procStatusKb("VmHWM") << '\n';
    QApplication::exit(status);
}
