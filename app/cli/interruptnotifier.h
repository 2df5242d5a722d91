#pragma once

#include <QObject>

// Turns Ctrl+C (SIGINT/SIGTERM; console control events on Windows) into a Qt
// signal delivered on the event loop, so the reply can be aborted cleanly.
class InterruptNotifier : public QObject
{
    Q_OBJECT
public:
    explicit InterruptNotifier(QObject *parent = nullptr);
    ~InterruptNotifier() override;

Q_SIGNALS:
    void interrupted();
};
