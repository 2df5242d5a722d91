#include "chatsettingspanel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double kMaxTemperature = 2.0;
constexpr int kSliderSteps = 200; // 0.01 per step
constexpr int kDefaultMaxTokens = 4096;
constexpr double kDefaultTemperature = 0.7;

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    return label;
}

} // namespace

ChatSettingsPanel::ChatSettingsPanel(QWidget *parent)
    : QWidget(parent)
    , m_prompt(new QPlainTextEdit(this))
    , m_temperatureOn(new QCheckBox(tr("&Temperature"), this))
    , m_temperatureSlider(new QSlider(Qt::Horizontal, this))
    , m_temperatureSpin(new QDoubleSpinBox(this))
    , m_maxTokensOn(new QCheckBox(tr("&Max tokens"), this))
    , m_maxTokens(new QSpinBox(this))
{
    setAccessibleName(tr("Chat settings"));
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &ChatSettingsPanel::changed);

    auto *promptLabel = caption(tr("&System prompt"), this);
    promptLabel->setBuddy(m_prompt);
    m_prompt->setPlaceholderText(tr("For example: You are a concise assistant. Answer in English."));
    m_prompt->setAccessibleName(tr("System prompt"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMinimumHeight(90);

    m_temperatureOn->setAccessibleName(tr("Set the temperature"));
    m_temperatureOn->setToolTip(tr("Off: the server's default"));
    m_temperatureSlider->setRange(0, kSliderSteps);
    m_temperatureSlider->setAccessibleName(tr("Temperature"));
    m_temperatureSpin->setRange(0.0, kMaxTemperature);
    m_temperatureSpin->setSingleStep(0.05);
    m_temperatureSpin->setDecimals(2);
    m_temperatureSpin->setAccessibleName(tr("Temperature value"));

    m_maxTokensOn->setAccessibleName(tr("Limit the reply length"));
    m_maxTokensOn->setToolTip(tr("Off: the server's default"));
    m_maxTokens->setRange(1, 1'000'000);
    m_maxTokens->setSingleStep(256);
    m_maxTokens->setGroupSeparatorShown(true);
    m_maxTokens->setAccessibleName(tr("Max tokens"));

    auto *temperatureRow = new QHBoxLayout;
    temperatureRow->addWidget(m_temperatureSlider, 1);
    temperatureRow->addWidget(m_temperatureSpin);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(6);
    layout->addWidget(promptLabel);
    layout->addWidget(m_prompt, 1);
    layout->addSpacing(8);
    layout->addWidget(m_temperatureOn);
    layout->addLayout(temperatureRow);
    layout->addWidget(hint(tr("Low values give focused, repeatable answers; high values more varied ones."), this));
    layout->addSpacing(8);
    layout->addWidget(m_maxTokensOn);
    layout->addWidget(m_maxTokens);
    layout->addSpacing(8);
    layout->addWidget(hint(tr("These apply to this chat and become the defaults for new chats."), this));

    connect(m_prompt, &QPlainTextEdit::textChanged, this, [this] { schedule(); });
    connect(m_temperatureSlider, &QSlider::valueChanged, this, [this](int value) {
        if (m_updating)
            return;
        m_updating = true;
        m_temperatureSpin->setValue(double(value) / kSliderSteps * kMaxTemperature);
        m_updating = false;
        schedule();
    });
    connect(m_temperatureSpin, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (m_updating)
            return;
        m_updating = true;
        m_temperatureSlider->setValue(int(std::lround(value / kMaxTemperature * kSliderSteps)));
        m_updating = false;
        schedule();
    });
    connect(m_maxTokens, &QSpinBox::valueChanged, this, [this] { schedule(); });
    connect(m_temperatureOn, &QCheckBox::toggled, this, [this] {
        updateEnabled();
        schedule(true);
    });
    connect(m_maxTokensOn, &QCheckBox::toggled, this, [this] {
        updateEnabled();
        schedule(true);
    });

    setValues(QString(), std::nullopt, std::nullopt);
}

void ChatSettingsPanel::setValues(const QString &systemPrompt, std::optional<double> temperature,
                                  std::optional<int> maxTokens)
{
    m_updating = true;
    m_debounce.stop();
    if (m_prompt->toPlainText() != systemPrompt)
        m_prompt->setPlainText(systemPrompt);
    m_temperatureOn->setChecked(temperature.has_value());
    const double t = temperature.value_or(kDefaultTemperature);
    m_temperatureSpin->setValue(t);
    m_temperatureSlider->setValue(int(std::lround(t / kMaxTemperature * kSliderSteps)));
    m_maxTokensOn->setChecked(maxTokens.has_value());
    m_maxTokens->setValue(maxTokens.value_or(kDefaultMaxTokens));
    updateEnabled();
    m_updating = false;
}

QString ChatSettingsPanel::systemPrompt() const
{
    return m_prompt->toPlainText();
}

std::optional<double> ChatSettingsPanel::temperature() const
{
    if (!m_temperatureOn->isChecked())
        return std::nullopt;
    return m_temperatureSpin->value();
}

std::optional<int> ChatSettingsPanel::maxTokens() const
{
    if (!m_maxTokensOn->isChecked())
        return std::nullopt;
    return m_maxTokens->value();
}

void ChatSettingsPanel::flush()
{
    if (m_debounce.isActive()) {
        m_debounce.stop();
        Q_EMIT changed();
    }
}

void ChatSettingsPanel::schedule(bool now)
{
    if (m_updating)
        return;
    if (now) {
        m_debounce.stop();
        Q_EMIT changed();
    } else {
        m_debounce.start();
    }
}

void ChatSettingsPanel::updateEnabled()
{
    m_temperatureSlider->setEnabled(m_temperatureOn->isChecked());
    m_temperatureSpin->setEnabled(m_temperatureOn->isChecked());
    m_maxTokens->setEnabled(m_maxTokensOn->isChecked());
}
