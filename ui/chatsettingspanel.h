#pragma once

#include <QTimer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QPlainTextEdit;
class QSlider;
class QSpinBox;

// The request settings of the current conversation: system prompt,
// temperature and max tokens (each of the last two switched on by a check
// box; off means "the server's default").
//
//     panel->setValues(c.systemPrompt, c.temperature, c.maxTokens);  // no changed() for this
//     connect(panel, &ChatSettingsPanel::changed, this, [&] {
//         session->setSystemPrompt(panel->systemPrompt());
//         session->setTemperature(panel->temperature());
//         session->setMaxTokens(panel->maxTokens());
//     });
//
// changed() comes at most every 300 ms while the user types (so the history
// is not written for every key), and at once for the check boxes.
class ChatSettingsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChatSettingsPanel(QWidget *parent = nullptr);

    void setValues(const QString &systemPrompt, std::optional<double> temperature, std::optional<int> maxTokens);

    QString systemPrompt() const;
    std::optional<double> temperature() const;
    std::optional<int> maxTokens() const;

    QPlainTextEdit *systemPromptEdit() const { return m_prompt; }
    QCheckBox *temperatureCheck() const { return m_temperatureOn; }
    QDoubleSpinBox *temperatureSpin() const { return m_temperatureSpin; }
    QSlider *temperatureSlider() const { return m_temperatureSlider; }
    QCheckBox *maxTokensCheck() const { return m_maxTokensOn; }
    QSpinBox *maxTokensSpin() const { return m_maxTokens; }

    // Emits a pending changed() now (e.g. before switching conversations).
    void flush();

Q_SIGNALS:
    void changed();

private:
    void schedule(bool now = false);
    void updateEnabled();

    QPlainTextEdit *m_prompt;
    QCheckBox *m_temperatureOn;
    QSlider *m_temperatureSlider;
    QDoubleSpinBox *m_temperatureSpin;
    QCheckBox *m_maxTokensOn;
    QSpinBox *m_maxTokens;
    QTimer m_debounce;
    bool m_updating = false;
};
