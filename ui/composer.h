#pragma once

#include <QWidget>

class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

// The message input under the transcript: a multi-line editor that grows to
// about eight lines, and a button that is Send while idle and Stop while a
// reply streams.
//
//     connect(composer, &Composer::sendRequested, this, [](const QString &text) { ... });
//     connect(composer, &Composer::stopRequested, session, &ChatSession::stop);
//     composer->setStreaming(session->isStreaming());
//     composer->clear();                  // after a send was accepted
//
// Enter sends, Shift+Enter starts a new line, Esc asks to stop (or cancels an
// edit). The text is not cleared by the composer itself: the owner clears it
// when the send was accepted, so nothing typed is lost. beginEdit() puts an
// earlier message back in the editor with a hint bar ("Editing …").
class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    void clear();

    void setStreaming(bool streaming);
    bool isStreaming() const { return m_streaming; }

    // Editing an earlier user message: the text goes back to the editor.
    void beginEdit(const QString &text);
    void cancelEdit();
    bool isEditing() const { return m_editing; }

    void focusInput();

    QPlainTextEdit *editor() const { return m_editor; }
    QPushButton *actionButton() const { return m_button; }
    int maximumLines() const { return 8; }

Q_SIGNALS:
    void sendRequested(const QString &text);
    void stopRequested();
    void editCancelled();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onButtonClicked();
    void requestSend();
    void updateHeight();
    void updateButton();
    void applyStyle();

    QFrame *m_frame;
    QWidget *m_editBar;
    QLabel *m_editLabel;
    QToolButton *m_editCancel;
    QPlainTextEdit *m_editor;
    QPushButton *m_button;
    QLabel *m_hint;
    bool m_streaming = false;
    bool m_editing = false;
};
