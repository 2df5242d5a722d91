#pragma once

#include <QLineEdit>

class QAction;

// A password line edit with a show/hide toggle (an eye at its trailing end):
// the API key and the proxy password fields of the settings dialog.
//
//     auto *field = new ApiKeyField(this);
//     field->setRevealTexts(tr("Show key"), tr("Hide key"));  // tooltip and accessible text
//     field->setRevealed(true);                               // or the user clicks the eye
//
// Starts hidden (QLineEdit::Password); revealing switches to Normal. The eye is
// an SVG drawn in code in the palette's text colour, redrawn when the palette
// changes, with the theme's "view-visible"/"view-hidden" as a fallback. The
// field asks input methods not to learn or predict what is typed.
class ApiKeyField : public QLineEdit
{
    Q_OBJECT
public:
    explicit ApiKeyField(QWidget *parent = nullptr);

    bool isRevealed() const;
    void setRevealed(bool revealed);
    QAction *revealAction() const { return m_reveal; }
    void setRevealTexts(const QString &show, const QString &hide);

Q_SIGNALS:
    void revealedChanged(bool revealed);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateAction();

    QAction *m_reveal;
    QString m_showText;
    QString m_hideText;
};
