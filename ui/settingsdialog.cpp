#include "settingsdialog.h"

#include "apikeyfield.h"
#include "messagebanner.h"

#include "net/connectiontester.h"
#include "net/proxyconfig.h"
#include "secrets/secretstore.h"
#include "settings/apikeyprovider.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr int CustomPreset = -1;
constexpr int KeyLookupDelayMs = 250;

// Label, field and the notes under it, as a grid: the label column takes the
// style's form label alignment, notes sit in the field column. (A QFormLayout
// gives word-wrapped notes the height of a much narrower column, and keeps
// the spacing of hidden rows.)
class GridForm
{
public:
    explicit GridForm(QWidget *parent)
        : m_parent(parent)
        , m_grid(new QGridLayout(parent))
    {
        m_grid->setColumnStretch(1, 1);
    }

    QGridLayout *layout() const { return m_grid; }
    const QList<QLabel *> &labels() const { return m_labels; }

    // `field` grows to the width of the column unless `alignment` is given.
    QLabel *addRow(const QString &text, QWidget *field, Qt::Alignment alignment = {})
    {
        QLabel *label = newLabel(text, field);
        m_grid->addWidget(field, m_row++, 1, alignment);
        return label;
    }
    QLabel *addRow(const QString &text, QWidget *buddy, QLayout *field)
    {
        QLabel *label = newLabel(text, buddy);
        m_grid->addLayout(field, m_row++, 1);
        return label;
    }
    void addNote(QWidget *note) { m_grid->addWidget(note, m_row++, 1); }

private:
    QLabel *newLabel(const QString &text, QWidget *buddy)
    {
        auto *label = new QLabel(text, m_parent);
        label->setBuddy(buddy);
        const auto alignment =
            Qt::Alignment(m_parent->style()->styleHint(QStyle::SH_FormLayoutLabelAlignment, nullptr, m_parent));
        m_grid->addWidget(label, m_row, 0, alignment);
        m_labels << label;
        return label;
    }

    QWidget *m_parent;
    QGridLayout *m_grid;
    QList<QLabel *> m_labels;
    int m_row = 0;
};

// The same width for the label columns of several forms, so their fields line up.
void alignLabelColumns(const QList<const GridForm *> &forms)
{
    int width = 0;
    for (const GridForm *form : forms) {
        for (QLabel *label : form->labels())
            width = std::max(width, label->sizeHint().width());
    }
    for (const GridForm *form : forms)
        form->layout()->setColumnMinimumWidth(0, width);
}

// A small, muted note under a field; `error` turns it red. Muted notes follow
// the palette by themselves; the dialog calls this again when it changes.
void setNote(QLabel *label, const QString &text, bool error = false)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
    label->setPalette(QPalette()); // inherit again
    if (!error) {
        label->setForegroundRole(QPalette::PlaceholderText);
        return;
    }
    QPalette palette = label->palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    palette.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e));
    label->setPalette(palette);
    label->setForegroundRole(QPalette::WindowText);
}

QLabel *newNote(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.92);
    label->setFont(font);
    label->hide();
    return label;
}

// A field label with a buddy, for rows whose field is a layout.
QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

MessageBanner *newInlineBanner(QWidget *parent)
{
    auto *banner = new MessageBanner(parent);
    banner->closeButton()->hide(); // stays until its cause is gone
    return banner;
}

bool sameEndpoint(const QUrl &a, const QUrl &b)
{
    return a.adjusted(QUrl::StripTrailingSlash) == b.adjusted(QUrl::StripTrailingSlash);
}

QFormLayout *newForm()
{
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    return form;
}

} // namespace

// ---- Static helpers -----------------------------------------------------------------

QList<SettingsDialog::Preset> SettingsDialog::presets()
{
    return {
        {tr("HolySheep relay"), Settings::defaultBaseUrl(), false},
        {tr("OpenAI"), QUrl(u"https://api.openai.com/v1"_s), false},
        {tr("OpenRouter"), QUrl(u"https://openrouter.ai/api/v1"_s), false},
        {tr("DeepSeek"), QUrl(u"https://api.deepseek.com/v1"_s), false},
        {tr("Ollama"), QUrl(u"http://localhost:11434/v1"_s), false},
        {tr("LM Studio"), QUrl(u"http://localhost:1234/v1"_s), false},
        {tr("llama.cpp"), QUrl(u"http://localhost:8080/v1"_s), false},
        {tr("Demo (offline)"), QUrl(), true},
    };
}

QString SettingsDialog::maskedKey(const QString &keyIn)
{
    const QString key = keyIn.trimmed();
    if (key.size() < 8)
        return u"••••"_s;
    // A vendor prefix ("sk-", "sk-proj-", "sk-or-") says which key it is and
    // nothing secret; only for keys long enough that it stays a small part.
    QString prefix;
    if (key.size() >= 20) {
        const QString head = key.left(8);
        const qsizetype cut = std::max(head.lastIndexOf(u'-'), head.lastIndexOf(u'_'));
        if (cut > 0)
            prefix = key.left(cut + 1);
    }
    return prefix + u'…' + key.right(4);
}

// ---- Construction -------------------------------------------------------------------

SettingsDialog::SettingsDialog(Settings *settings, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_tester(new ConnectionTester(this))
    , m_keyLookup(new QTimer(this))
{
    Q_ASSERT(m_settings);
    setWindowTitle(tr("Settings"));
    setObjectName(u"SettingsDialog"_s);
    m_keyLookup->setSingleShot(true);
    m_keyLookup->setInterval(KeyLookupDelayMs);
    connect(m_keyLookup, &QTimer::timeout, this, &SettingsDialog::refreshStoredKey);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"settingsTabs"_s);
    m_tabs->setAccessibleName(tr("Settings sections"));
    m_tabs->addTab(buildEndpointPage(), tr("&Endpoint"));
    m_tabs->addTab(buildNetworkPage(), tr("&Network"));
    m_tabs->addTab(buildAppearancePage(), tr("A&ppearance"));

    m_banner = new MessageBanner(this);

    m_test = new QPushButton(tr("&Test Connection"), this);
    m_test->setObjectName(u"testConnectionButton"_s);
    m_test->setAccessibleName(tr("Test connection"));
    m_test->setToolTip(tr("Asks the endpoint for its model list, through the chosen proxy, "
                          "with the key in the field or the saved one"));
    m_test->setAutoDefault(false);
    connect(m_test, &QPushButton::clicked, this, &SettingsDialog::testConnection);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"settingsProgress"_s);
    m_progress->setAccessibleName(tr("Working"));
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(96);
    m_progress->setMaximumHeight(m_test->sizeHint().height() / 2);
    m_progress->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this);
    m_buttons->setObjectName(u"settingsButtons"_s);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_test);
    bottom->addWidget(m_progress, 0, Qt::AlignVCenter);
    bottom->addStretch(1);
    bottom->addWidget(m_buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_banner);
    layout->addLayout(bottom);

    connect(m_tester, &ConnectionTester::finished, this, [this](const ConnectionTester::Result &result) {
        m_test->setEnabled(!isDemoSelected());
        updateBusyIndicator();
        m_banner->showMessage(result.message,
                              result.ok ? MessageBanner::Kind::Positive : MessageBanner::Kind::Error);
    });

    load();
    setMinimumWidth(600);
    resize(640, sizeHint().height());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_urlHint)
        updateUrlState(); // the colour of an error note
}

QWidget *SettingsDialog::buildEndpointPage()
{
    auto *page = new QWidget;

    // Endpoint
    auto *endpointBox = new QGroupBox(tr("Server"), page);
    m_preset = new QComboBox(endpointBox);
    m_preset->setObjectName(u"presetBox"_s);
    m_preset->setAccessibleName(tr("Service"));
    const auto all = presets();
    for (int i = 0; i < all.size(); ++i) {
        if (i == 4 || all.at(i).demo)
            m_preset->insertSeparator(m_preset->count()); // cloud | local servers | demo
        m_preset->addItem(all.at(i).name, i);
        m_preset->setItemData(m_preset->count() - 1,
                              all.at(i).demo ? tr("Answers from the built-in demo, without network")
                                             : all.at(i).baseUrl.toString(),
                              Qt::ToolTipRole);
    }
    m_preset->addItem(tr("Custom"), CustomPreset);
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_preset, &QComboBox::activated, this, &SettingsDialog::onPresetActivated);

    m_baseUrl = new QLineEdit(endpointBox);
    m_baseUrl->setObjectName(u"baseUrlEdit"_s);
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_baseUrl->setPlaceholderText(tr("https://api.example.com/v1"));
    m_baseUrl->setClearButtonEnabled(true);
    m_baseUrl->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    connect(m_baseUrl, &QLineEdit::textEdited, this, &SettingsDialog::onBaseUrlEdited);

    m_urlHint = newNote(endpointBox);
    m_urlHint->setObjectName(u"baseUrlHint"_s);

    m_insecureWarning = newInlineBanner(endpointBox);
    m_allowInsecure = new QCheckBox(tr("A&llow unencrypted http:// to this host"), endpointBox);
    m_allowInsecure->setObjectName(u"allowInsecureBox"_s);
    m_allowInsecure->setAccessibleName(tr("Allow unencrypted http:// to this host"));
    m_allowInsecure->hide();
    connect(m_allowInsecure, &QCheckBox::toggled, this, [this](bool on) {
        m_confirmedInsecureHost = on ? typedBaseUrl().host().toLower() : QString();
        updateUrlState();
    });

    GridForm endpointForm(endpointBox);
    endpointForm.addRow(tr("&Service:"), m_preset);
    endpointForm.addRow(tr("Base &URL:"), m_baseUrl);
    endpointForm.addNote(m_urlHint);
    endpointForm.addNote(m_insecureWarning);
    endpointForm.addNote(m_allowInsecure);

    // API key
    auto *keyBox = new QGroupBox(tr("API key"), page);
    m_key = new ApiKeyField(keyBox);
    m_key->setObjectName(u"apiKeyEdit"_s);
    m_key->setAccessibleName(tr("API key"));
    m_key->setRevealTexts(tr("Show key"), tr("Hide key"));
    connect(m_key, &QLineEdit::textEdited, this, [this] { m_endpointTouched = true; });

    m_removeKey = new QPushButton(tr("&Remove Key"), keyBox);
    m_removeKey->setObjectName(u"removeKeyButton"_s);
    m_removeKey->setAccessibleName(tr("Remove the saved key"));
    m_removeKey->setToolTip(tr("Deletes the key saved for this endpoint"));
    m_removeKey->setAutoDefault(false);
    connect(m_removeKey, &QPushButton::clicked, this, &SettingsDialog::removeKey);

    m_keyLocation = newNote(keyBox);
    m_keyLocation->setObjectName(u"keyLocationLabel"_s);
    m_keyNotice = newInlineBanner(keyBox);

    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_removeKey);
    GridForm keyForm(keyBox);
    keyForm.addRow(tr("API &key:"), m_key, keyRow);
    keyForm.addNote(m_keyLocation);
    keyForm.addNote(m_keyNotice);
    alignLabelColumns({&endpointForm, &keyForm});

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(endpointBox);
    layout->addWidget(keyBox);
    layout->addStretch(1);
    return page;
}

QWidget *SettingsDialog::buildNetworkPage()
{
    auto *page = new QWidget;

    // Timeouts and retries
    auto *timeoutBox = new QGroupBox(tr("Timeouts and retries"), page);
    auto newSeconds = [timeoutBox](const QString &objectName, const QString &accessibleName) {
        auto *spin = new QSpinBox(timeoutBox);
        spin->setObjectName(objectName);
        spin->setAccessibleName(accessibleName);
        spin->setRange(Settings::MinTimeoutSeconds, Settings::MaxTimeoutSeconds);
        spin->setSuffix(tr(" s"));
        spin->setAlignment(Qt::AlignRight);
        return spin;
    };
    m_connectTimeout = newSeconds(u"connectTimeoutBox"_s, tr("Connect timeout in seconds"));
    m_connectTimeout->setToolTip(tr("How long to wait for the server to answer at all"));
    m_idleTimeout = newSeconds(u"idleTimeoutBox"_s, tr("Idle timeout in seconds"));
    m_idleTimeout->setToolTip(tr("How long a streaming reply may pause before Sluice gives up"));
    m_retries = new QSpinBox(timeoutBox);
    m_retries->setObjectName(u"retriesBox"_s);
    m_retries->setAccessibleName(tr("Retries"));
    m_retries->setRange(0, Settings::MaxRetries);
    m_retries->setSpecialValueText(tr("None"));
    m_retries->setAlignment(Qt::AlignRight);
    m_retries->setToolTip(tr("How often to try again when a request fails before the reply starts"));
    const int spinWidth = m_connectTimeout->sizeHint().width() + 24;
    for (QSpinBox *spin : {m_connectTimeout, m_idleTimeout, m_retries})
        spin->setMinimumWidth(spinWidth);

    auto *timeoutForm = newForm();
    timeoutForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    timeoutForm->addRow(tr("&Connect timeout:"), m_connectTimeout);
    timeoutForm->addRow(tr("&Idle timeout:"), m_idleTimeout);
    timeoutForm->addRow(tr("&Retries:"), m_retries);
    timeoutBox->setLayout(timeoutForm);

    // Proxy
    auto *proxyBox = new QGroupBox(tr("Proxy"), page);
    m_proxyMode = new QButtonGroup(proxyBox);
    auto *system = new QRadioButton(tr("Use the s&ystem proxy settings"), proxyBox);
    auto *none = new QRadioButton(tr("No pro&xy"), proxyBox);
    auto *manual = new QRadioButton(tr("&Manual proxy:"), proxyBox);
    system->setObjectName(u"proxySystemButton"_s);
    none->setObjectName(u"proxyNoneButton"_s);
    manual->setObjectName(u"proxyManualButton"_s);
    system->setAccessibleName(tr("Use the system proxy settings"));
    none->setAccessibleName(tr("No proxy"));
    manual->setAccessibleName(tr("Manual proxy"));
    m_proxyMode->addButton(system, int(Settings::ProxyMode::System));
    m_proxyMode->addButton(none, int(Settings::ProxyMode::None));
    m_proxyMode->addButton(manual, int(Settings::ProxyMode::Manual));
    connect(m_proxyMode, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            updateProxyState();
    });

    m_manualProxy = new QWidget(proxyBox);
    m_proxyType = new QComboBox(m_manualProxy);
    m_proxyType->setObjectName(u"proxyTypeBox"_s);
    m_proxyType->setAccessibleName(tr("Proxy type"));
    m_proxyType->addItem(tr("HTTP"), int(QNetworkProxy::HttpProxy));
    m_proxyType->addItem(tr("SOCKS5"), int(QNetworkProxy::Socks5Proxy));
    m_proxyHost = new QLineEdit(m_manualProxy);
    m_proxyHost->setObjectName(u"proxyHostEdit"_s);
    m_proxyHost->setAccessibleName(tr("Proxy host"));
    m_proxyHost->setPlaceholderText(tr("proxy.example.com"));
    m_proxyPort = new QSpinBox(m_manualProxy);
    m_proxyPort->setObjectName(u"proxyPortBox"_s);
    m_proxyPort->setAccessibleName(tr("Proxy port"));
    m_proxyPort->setRange(1, 65535);
    m_proxyPort->setValue(ProxyConfig::defaultPort(QNetworkProxy::HttpProxy));
    m_proxyPort->setGroupSeparatorShown(false);
    m_proxyPort->setAlignment(Qt::AlignRight);
    m_proxyPort->setMinimumWidth(spinWidth);
    connect(m_proxyType, &QComboBox::activated, this, [this] {
        // Follow the type's usual port unless the user picked another one.
        const int http = ProxyConfig::defaultPort(QNetworkProxy::HttpProxy);
        const int socks = ProxyConfig::defaultPort(QNetworkProxy::Socks5Proxy);
        if (m_proxyPort->value() == http || m_proxyPort->value() == socks)
            m_proxyPort->setValue(ProxyConfig::defaultPort(typedManualProxy().type()));
    });
    m_proxyUser = new QLineEdit(m_manualProxy);
    m_proxyUser->setObjectName(u"proxyUserEdit"_s);
    m_proxyUser->setAccessibleName(tr("Proxy user name"));
    m_proxyUser->setPlaceholderText(tr("Optional"));
    m_proxyPassword = new ApiKeyField(m_manualProxy);
    m_proxyPassword->setObjectName(u"proxyPasswordEdit"_s);
    m_proxyPassword->setAccessibleName(tr("Proxy password, for this session only"));
    m_proxyPassword->setPlaceholderText(tr("For this session only — never saved"));
    m_proxyPassword->setRevealTexts(tr("Show password"), tr("Hide password"));

    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_proxyHost, 1);
    hostRow->addSpacing(6);
    hostRow->addWidget(buddyLabel(tr("P&ort:"), m_proxyPort, m_manualProxy));
    hostRow->addWidget(m_proxyPort);
    auto *manualForm = newForm();
    manualForm->setContentsMargins(24, 0, 0, 0); // under the "Manual proxy" button
    manualForm->addRow(tr("T&ype:"), m_proxyType);
    manualForm->addRow(buddyLabel(tr("&Host:"), m_proxyHost, m_manualProxy), hostRow);
    manualForm->addRow(tr("User na&me:"), m_proxyUser);
    manualForm->addRow(tr("Pass&word:"), m_proxyPassword);
    m_manualProxy->setLayout(manualForm);

    auto *proxyLayout = new QVBoxLayout(proxyBox);
    proxyLayout->addWidget(system);
    proxyLayout->addWidget(none);
    proxyLayout->addWidget(manual);
    proxyLayout->addWidget(m_manualProxy);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(timeoutBox);
    layout->addWidget(proxyBox);
    layout->addStretch(1);
    return page;
}

QWidget *SettingsDialog::buildAppearancePage()
{
    auto *page = new QWidget;
    auto *themeBox = new QGroupBox(tr("Theme"), page);
    m_theme = new QComboBox(themeBox);
    m_theme->setObjectName(u"themeBox"_s);
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->addItem(tr("Same as the system"), int(Settings::Theme::System));
    m_theme->addItem(tr("Light"), int(Settings::Theme::Light));
    m_theme->addItem(tr("Dark"), int(Settings::Theme::Dark));
    auto *note = newNote(themeBox);
    setNote(note, tr("Sluice uses a new theme the next time it starts."));

    GridForm form(themeBox);
    form.addRow(tr("&Theme:"), m_theme, Qt::AlignLeft);
    form.addNote(note);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(themeBox);
    layout->addStretch(1);
    return page;
}

void SettingsDialog::load()
{
    const QUrl url = m_settings->baseUrl();
    m_baseUrl->setText(url.toString());
    // Only what the user confirmed here counts: a URL edited into the file
    // by hand is asked about like a typed one.
    m_confirmedInsecureHost = m_settings->insecureHttpConfirmedHost();
    if (m_settings->isDemoModeSet() && m_settings->demoMode()) {
        const auto all = presets();
        for (int i = 0; i < all.size(); ++i) {
            if (all.at(i).demo)
                m_preset->setCurrentIndex(m_preset->findData(i));
        }
    } else {
        selectPresetForUrl();
    }

    m_connectTimeout->setValue(m_settings->connectTimeoutSeconds());
    m_idleTimeout->setValue(m_settings->idleTimeoutSeconds());
    m_retries->setValue(m_settings->retries());

    if (QAbstractButton *button = m_proxyMode->button(int(m_settings->proxyMode())))
        button->setChecked(true);
    const QNetworkProxy manual = m_settings->manualProxy();
    m_proxyType->setCurrentIndex(m_proxyType->findData(int(manual.type())));
    m_proxyHost->setText(manual.hostName());
    m_proxyPort->setValue(manual.port() != 0 ? manual.port() : ProxyConfig::defaultPort(manual.type()));
    m_proxyUser->setText(manual.user());

    m_theme->setCurrentIndex(std::max(0, m_theme->findData(int(m_settings->theme()))));

    updateUrlState();
    updateProxyState();
    refreshStoredKey();
}

// ---- Public API ------------------------------------------------------------------------

QString SettingsDialog::proxyPassword() const
{
    return m_proxyPassword->text();
}

void SettingsDialog::setProxyPassword(const QString &password)
{
    m_initialProxyPassword = password;
    m_proxyPassword->setText(password);
}

void SettingsDialog::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

QRadioButton *SettingsDialog::proxyButton(Settings::ProxyMode mode) const
{
    return qobject_cast<QRadioButton *>(m_proxyMode->button(int(mode)));
}

bool SettingsDialog::apply()
{
    return applyAndMaybeClose(false);
}

void SettingsDialog::accept()
{
    applyAndMaybeClose(true);
}

// ---- Endpoint ---------------------------------------------------------------------------

QUrl SettingsDialog::typedBaseUrl() const
{
    return QUrl(m_baseUrl->text().trimmed(), QUrl::StrictMode);
}

bool SettingsDialog::isDemoSelected() const
{
    const int index = m_preset->currentData().toInt();
    const auto all = presets();
    return index >= 0 && index < all.size() && all.at(index).demo;
}

void SettingsDialog::onPresetActivated(int comboIndex)
{
    m_endpointTouched = true;
    const int index = m_preset->itemData(comboIndex).toInt();
    const auto all = presets();
    if (index >= 0 && index < all.size() && !all.at(index).demo) {
        m_baseUrl->setText(all.at(index).baseUrl.toString());
        m_storedKeyKnown = false;
        m_storedKeyMask.clear();
        m_keyLookup->start();
    } else if (index == CustomPreset) {
        m_baseUrl->setFocus();
        m_baseUrl->selectAll();
    }
    updateUrlState();
}

void SettingsDialog::onBaseUrlEdited()
{
    m_endpointTouched = true;
    selectPresetForUrl();
    updateUrlState();
    m_storedKeyKnown = false;
    m_storedKeyMask.clear();
    updateKeyState();
    m_keyLookup->start();
}

void SettingsDialog::selectPresetForUrl()
{
    const QUrl url = typedBaseUrl();
    const auto all = presets();
    int match = CustomPreset;
    for (int i = 0; i < all.size(); ++i) {
        if (!all.at(i).demo && sameEndpoint(all.at(i).baseUrl, url))
            match = i;
    }
    m_preset->setCurrentIndex(m_preset->findData(match));
}

void SettingsDialog::updateUrlState()
{
    const bool demo = isDemoSelected();
    m_baseUrl->setEnabled(!demo);
    m_test->setEnabled(!demo && !m_tester->isRunning());
    m_test->setToolTip(demo ? tr("The offline demo needs no connection")
                            : tr("Asks the endpoint for its model list, through the chosen proxy, "
                                 "with the key in the field or the saved one"));

    const QUrl url = typedBaseUrl();
    const bool usable = Settings::isUsableBaseUrl(url);
    const bool needsConfirmation = !demo && usable && UrlPolicy::needsInsecureConfirmation(url);

    if (demo) {
        setNote(m_urlHint, tr("Replies come from the built-in demo: nothing is sent over the network "
                              "and no key is needed."));
    } else if (m_baseUrl->text().trimmed().isEmpty()) {
        setNote(m_urlHint, tr("Enter the address of an OpenAI-compatible API, such as https://api.openai.com/v1."),
                true);
    } else if (!usable) {
        setNote(m_urlHint, tr("Enter an address that starts with https:// (or http:// for a server on this "
                              "computer or your network)."),
                true);
    } else if (Settings::sanitizedBaseUrl(url) != url) {
        setNote(m_urlHint, tr("The user name, password or key in this address is removed when it is saved. "
                              "Put the key in the API key field."));
    } else {
        setNote(m_urlHint, tr("Chat requests go to %1/chat/completions.")
                               .arg(url.adjusted(QUrl::StripTrailingSlash).toString()));
    }

    if (needsConfirmation) {
        {
            const QSignalBlocker blocker(m_allowInsecure);
            m_allowInsecure->setChecked(!m_confirmedInsecureHost.isEmpty()
                                        && url.host().toLower() == m_confirmedInsecureHost);
        }
        m_insecureWarning->showMessage(
            tr("Requests to %1 would not be encrypted: anyone on the way could read your messages and your "
               "API key. Use https:// if the server offers it.")
                .arg(url.host()),
            m_allowInsecure->isChecked() ? MessageBanner::Kind::Information : MessageBanner::Kind::Warning);
    }
    m_insecureWarning->setVisible(needsConfirmation);
    m_allowInsecure->setVisible(needsConfirmation);
    updateKeyState();
}

// ---- Key ---------------------------------------------------------------------------------

void SettingsDialog::refreshStoredKey()
{
    const quint64 generation = ++m_keyLookupGeneration;
    m_storedKeyKnown = false;
    m_storedKeyMask.clear();
    const QUrl url = typedBaseUrl();
    m_keyLookupUrl = url;
    if (!m_secrets || !Settings::isUsableBaseUrl(url)) {
        m_storedKeyKnown = true;
        updateKeyState();
        return;
    }
    updateKeyState();
    // The store itself, not ApiKeyProvider: SLUICE_API_KEY must not look like a saved key.
    m_secrets->readKey(SecretStore::accountFor(url), this, [this, generation](const SecretStore::Result &r) {
        if (generation != m_keyLookupGeneration)
            return; // the URL changed meanwhile
        m_storedKeyKnown = true;
        m_storedKeyMask = r.ok && !r.secret.trimmed().isEmpty() ? maskedKey(r.secret) : QString();
        if (!r.ok && r.error != SecretStore::Error::NotFound && !r.errorText.isEmpty())
            m_banner->showMessage(r.errorText, MessageBanner::Kind::Warning);
        updateKeyState();
    });
}

void SettingsDialog::updateKeyState()
{
    const bool demo = isDemoSelected();
    const bool usable = Settings::isUsableBaseUrl(typedBaseUrl());
    const bool haveStore = !m_secrets.isNull();
    const bool editable = haveStore && !demo && usable && !m_savingKey;
    m_key->setEnabled(editable);

    QString placeholder;
    if (!haveStore)
        placeholder = tr("The key store is not ready yet");
    else if (demo)
        placeholder = tr("The demo needs no key");
    else if (!usable)
        placeholder = tr("Enter a valid base URL first");
    else if (!m_storedKeyKnown)
        placeholder = tr("Looking for a saved key…");
    else if (!m_storedKeyMask.isEmpty())
        placeholder = m_secrets->isPersistent()
            ? tr("%1 — saved in the system keychain; type to replace").arg(m_storedKeyMask)
            : tr("%1 — kept for this session; type to replace").arg(m_storedKeyMask);
    else
        placeholder = tr("Paste the API key for this endpoint");
    m_key->setPlaceholderText(placeholder);
    m_removeKey->setEnabled(editable && m_storedKeyKnown && !m_storedKeyMask.isEmpty());

    if (!haveStore) {
        setNote(m_keyLocation, tr("Sluice is still checking for a system keychain. Close this dialog and open "
                                  "it again in a moment to enter a key."));
    } else if (m_secrets->isPersistent()) {
        setNote(m_keyLocation, tr("Keys are kept in %1, never in the settings file.").arg(m_secrets->backendName()));
    } else {
        setNote(m_keyLocation, QString()); // the notice below says where
    }

    QStringList notices;
    bool warning = false;
    if (haveStore && !m_secrets->isPersistent()) {
        notices << SecretStore::noBackendMessage();
        warning = true;
    }
    if (ApiKeyProvider::hasEnvironmentKey()) {
        notices << tr("%1 is set, so the key from the environment is used for this run. It is never saved; "
                      "a key entered here is used once %1 is unset.")
                       .arg(QString::fromLatin1(ApiKeyProvider::environmentVariable()));
    }
    if (!notices.isEmpty()) {
        m_keyNotice->showMessage(notices.join(u"\n\n"_s),
                                 warning ? MessageBanner::Kind::Warning : MessageBanner::Kind::Information);
    }
    m_keyNotice->setVisible(!notices.isEmpty());
}

void SettingsDialog::removeKey()
{
    const QUrl url = Settings::sanitizedBaseUrl(typedBaseUrl());
    if (!m_secrets || !Settings::isUsableBaseUrl(url))
        return;
    setBusy(true);
    m_banner->showMessage(tr("Removing the key from %1…").arg(m_secrets->backendName()),
                          MessageBanner::Kind::Information);
    const QString where = m_secrets->backendName();
    ApiKeyProvider(m_secrets).deleteKey(url, this, [this, url, where](const SecretStore::Result &r) {
        setBusy(false);
        if (r.ok || r.error == SecretStore::Error::NotFound) {
            m_storedKeyMask.clear();
            m_storedKeyKnown = true;
            updateKeyState();
            m_banner->showMessage(tr("The key for %1 was removed from %2.").arg(url.host(), where),
                                  MessageBanner::Kind::Positive);
            Q_EMIT keyChanged(url);
        } else {
            m_banner->showMessage(tr("The key could not be removed: %1").arg(r.errorText),
                                  MessageBanner::Kind::Error);
        }
    });
}

void SettingsDialog::saveKey(const QUrl &baseUrl, const QString &key, bool closeAfter)
{
    setBusy(true);
    const QString where = m_secrets->backendName();
    m_banner->showMessage(tr("Saving the key in %1…").arg(where), MessageBanner::Kind::Information);
    ApiKeyProvider(m_secrets).writeKey(
        baseUrl, key, this, [this, baseUrl, where, mask = maskedKey(key), closeAfter](const SecretStore::Result &r) {
            setBusy(false);
            if (!r.ok) {
                m_banner->showMessage(tr("The settings were saved, but the key was not: %1").arg(r.errorText),
                                      MessageBanner::Kind::Error);
                m_key->setFocus();
                finishApply(false); // stays open: the failure must be seen
                return;
            }
            m_key->clear();
            m_key->setRevealed(false);
            if (sameEndpoint(Settings::sanitizedBaseUrl(typedBaseUrl()), baseUrl)) {
                ++m_keyLookupGeneration; // a lookup still running is older than this
                m_storedKeyMask = mask;
                m_storedKeyKnown = true;
            }
            updateKeyState();
            m_banner->showMessage(tr("Settings saved. The key is stored in %1.").arg(where),
                                  MessageBanner::Kind::Positive);
            Q_EMIT keyChanged(baseUrl);
            finishApply(closeAfter);
        });
}

// ---- Network -----------------------------------------------------------------------------

Settings::ProxyMode SettingsDialog::selectedProxyMode() const
{
    const int id = m_proxyMode->checkedId();
    return id < 0 ? Settings::ProxyMode::System : static_cast<Settings::ProxyMode>(id);
}

QNetworkProxy SettingsDialog::typedManualProxy() const
{
    const auto type = static_cast<QNetworkProxy::ProxyType>(m_proxyType->currentData().toInt());
    return QNetworkProxy(type, m_proxyHost->text().trimmed(), quint16(m_proxyPort->value()),
                         m_proxyUser->text().trimmed());
}

void SettingsDialog::updateProxyState()
{
    m_manualProxy->setEnabled(selectedProxyMode() == Settings::ProxyMode::Manual);
}

void SettingsDialog::testConnection()
{
    if (isDemoSelected())
        return;
    const QUrl url = Settings::sanitizedBaseUrl(typedBaseUrl());
    if (!validate())
        return;
    m_test->setEnabled(false);
    m_banner->showMessage(tr("Connecting to %1…").arg(url.host()), MessageBanner::Kind::Information);
    m_progress->show();
    const QString typed = m_key->text().trimmed();
    if (!typed.isEmpty() || (!m_secrets && !ApiKeyProvider::hasEnvironmentKey())) {
        runTest(url, typed);
        return;
    }
    ApiKeyProvider(m_secrets).readKey(url, this, [this, url](const SecretStore::Result &r) {
        runTest(url, r.ok ? r.secret.trimmed() : QString());
    });
}

void SettingsDialog::runTest(const QUrl &baseUrl, const QString &key)
{
    const QNetworkProxy proxy =
        ProxyConfig::proxyFor(selectedProxyMode(), typedManualProxy(), m_proxyPassword->text());
    m_tester->test(baseUrl, key, proxy);
    updateBusyIndicator();
}

// ---- Apply -------------------------------------------------------------------------------

bool SettingsDialog::validate()
{
    auto fail = [this](Tab tab, QWidget *focus, const QString &message) {
        showTab(tab);
        focus->setFocus();
        m_banner->showMessage(message, MessageBanner::Kind::Error);
        return false;
    };
    if (!isDemoSelected()) {
        const QUrl url = Settings::sanitizedBaseUrl(typedBaseUrl());
        if (!Settings::isUsableBaseUrl(url)) {
            return fail(Tab::Endpoint, m_baseUrl,
                        tr("The base URL is not a web address. Enter one that starts with https://, "
                           "such as https://api.openai.com/v1."));
        }
        if (UrlPolicy::needsInsecureConfirmation(url) && !m_allowInsecure->isChecked()) {
            return fail(Tab::Endpoint, m_allowInsecure,
                        tr("%1 would get your messages and your key unencrypted. Use https://, or allow "
                           "unencrypted http:// to this host.")
                            .arg(url.host()));
        }
    }
    if (selectedProxyMode() == Settings::ProxyMode::Manual && m_proxyHost->text().trimmed().isEmpty())
        return fail(Tab::Network, m_proxyHost, tr("Enter the host name of the manual proxy."));
    return true;
}

bool SettingsDialog::applyAndMaybeClose(bool closeAfter)
{
    if (m_savingKey || !validate())
        return false;

    const QUrl oldUrl = m_settings->baseUrl();
    const bool oldDemo = m_settings->isDemoModeSet() && m_settings->demoMode();
    const int oldConnect = m_settings->connectTimeoutSeconds();
    const int oldIdle = m_settings->idleTimeoutSeconds();
    const int oldRetries = m_settings->retries();
    const Settings::ProxyMode oldProxyMode = m_settings->proxyMode();
    const QNetworkProxy oldManual = m_settings->manualProxy();
    const Settings::Theme oldTheme = m_settings->theme();

    const bool demo = isDemoSelected();
    const QUrl url = Settings::sanitizedBaseUrl(typedBaseUrl());
    if (!demo) {
        m_settings->setBaseUrl(url);
        // The confirmation goes with the URL in use (validate() made sure it
        // was given): kept for its http:// host, forgotten for any other URL.
        m_settings->setInsecureHttpConfirmedHost(UrlPolicy::needsInsecureConfirmation(url) ? url.host() : QString());
    }
    if (demo)
        m_settings->setDemoMode(true);
    else if (m_endpointTouched || oldDemo)
        m_settings->setDemoMode(false); // the user chose this endpoint (with or without a key)
    m_settings->setConnectTimeoutSeconds(m_connectTimeout->value());
    m_settings->setIdleTimeoutSeconds(m_idleTimeout->value());
    m_settings->setRetries(m_retries->value());
    m_settings->setProxyMode(selectedProxyMode());
    m_settings->setManualProxy(typedManualProxy()); // no password: it is never stored
    const auto theme = static_cast<Settings::Theme>(m_theme->currentData().toInt());
    m_settings->setTheme(theme);
    m_settings->sync();
    m_endpointTouched = false;

    const QNetworkProxy newManual = m_settings->manualProxy();
    if (m_settings->baseUrl() != oldUrl || demo != oldDemo)
        Q_EMIT endpointChanged(m_settings->baseUrl());
    if (m_settings->connectTimeoutSeconds() != oldConnect || m_settings->idleTimeoutSeconds() != oldIdle
        || m_settings->retries() != oldRetries || m_settings->proxyMode() != oldProxyMode
        || newManual.type() != oldManual.type() || newManual.hostName() != oldManual.hostName()
        || newManual.port() != oldManual.port() || newManual.user() != oldManual.user()
        || m_proxyPassword->text() != m_initialProxyPassword) {
        m_initialProxyPassword = m_proxyPassword->text();
        Q_EMIT networkChanged();
    }
    if (theme != oldTheme)
        Q_EMIT themeChanged(theme);

    const QString key = m_key->text().trimmed();
    if (!demo && !key.isEmpty() && m_secrets) {
        saveKey(m_settings->baseUrl(), key, closeAfter);
        return true;
    }
    if (!closeAfter)
        m_banner->showMessage(tr("Settings saved."), MessageBanner::Kind::Positive);
    finishApply(closeAfter);
    return true;
}

void SettingsDialog::finishApply(bool closeAfter)
{
    Q_EMIT applied();
    if (closeAfter)
        QDialog::accept();
}

void SettingsDialog::setBusy(bool savingKey)
{
    m_savingKey = savingKey;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!savingKey);
    m_buttons->button(QDialogButtonBox::Apply)->setEnabled(!savingKey);
    updateKeyState();
    updateBusyIndicator();
}

void SettingsDialog::updateBusyIndicator()
{
    m_progress->setVisible(m_savingKey || m_tester->isRunning());
}
