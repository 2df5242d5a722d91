#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

// An inline message strip at the top of the transcript, in the manner of
// KeePassXC's MessageWidget: an icon, one plain sentence (what happened, the
// server's own words, what to do), an optional button, and a close button.
// Never a modal dialog, never text inside a reply.
//
//     banner->showMessage(result.message, MessageBanner::Kind::Error,
//                         tr("Open Settings"), [this] { openSettings(); });
//     banner->hideMessage();     // or the user closes it
//
// Emits actionTriggered() (after calling the action) and closed().
class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Error, Warning, Information, Positive };
    Q_ENUM(Kind)

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind, const QString &actionText = QString(),
                     std::function<void()> action = {});
    void hideMessage();

    QString text() const;
    Kind kind() const { return m_kind; }
    QString actionText() const;
    QPushButton *actionButton() const { return m_action; }
    QToolButton *closeButton() const { return m_close; }

Q_SIGNALS:
    void actionTriggered();
    void closed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyStyle();

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
    Kind m_kind = Kind::Information;
    std::function<void()> m_callback;
};
