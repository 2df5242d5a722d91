#include "interruptnotifier.h"

#include <QMetaObject>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <QSocketNotifier>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {
InterruptNotifier *g_instance = nullptr;
#ifndef Q_OS_WIN
int g_pipe[2] = {-1, -1};

extern "C" void onSignal(int)
{
    const char byte = 1;
    // write() is async-signal-safe; the event loop picks it up.
    [[maybe_unused]] const auto n = ::write(g_pipe[1], &byte, 1);
}
#else
BOOL WINAPI onConsoleEvent(DWORD type)
{
    if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT || type == CTRL_CLOSE_EVENT) {
        if (g_instance)
            QMetaObject::invokeMethod(g_instance, &InterruptNotifier::interrupted, Qt::QueuedConnection);
        return TRUE;
    }
    return FALSE;
}
#endif
} // namespace

InterruptNotifier::InterruptNotifier(QObject *parent)
    : QObject(parent)
{
    g_instance = this;
#ifndef Q_OS_WIN
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) == 0) {
        ::fcntl(g_pipe[1], F_SETFL, O_NONBLOCK);
        auto *notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
        connect(notifier, &QSocketNotifier::activated, this, [this] {
            char buffer[16];
            [[maybe_unused]] const auto n = ::read(g_pipe[0], buffer, sizeof buffer);
            Q_EMIT interrupted();
        });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
    }
#else
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#endif
}

InterruptNotifier::~InterruptNotifier()
{
#ifndef Q_OS_WIN
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
#else
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
#endif
    g_instance = nullptr;
}
