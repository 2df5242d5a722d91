#include "mainwindow.h"

#include "conversationsidebar.h"

#include "chat/chatsession.h"
#include "chatsettingspanel.h"
#include "composer.h"
#include "demo/demoserver.h"
#include "metricspanel.h"
#include "modelpicker.h"
#include "net/chatresult.h"
#include "secrets/secretstore.h"
#include "settings/apikeyprovider.h"
#include "settings/settings.h"
#include "store/historystore.h"

#include "settingsdialog.h"
#include "transcriptview.h"
#include "net/proxyconfig.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QShowEvent>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

using namespace Qt::StringLiterals;

// The page shown while a conversation is empty: what this is, where requests
// go, and a few prompts to start with (they show off the demo answers).
class EmptyChatView : public QWidget
{
public:
    std::function<void(const QString &)> onPrompt;
    std::function<void()> onOpenSettings;

    explicit EmptyChatView(QWidget *parent)
        : QWidget(parent)
        , m_icon(new QLabel(this))
        , m_title(new QLabel(this))
        , m_subtitle(new QLabel(this))
        , m_settings(new QPushButton(this))
    {
        setAccessibleName(MainWindow::tr("New conversation"));
        m_icon->setPixmap(QIcon::fromTheme(u"sluice"_s).pixmap(QSize(64, 64), devicePixelRatioF()));
        m_icon->setAlignment(Qt::AlignCenter);
        QFont big = m_title->font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        big.setWeight(QFont::DemiBold);
        m_title->setFont(big);
        m_title->setAlignment(Qt::AlignCenter);
        m_title->setText(MainWindow::tr("What shall we talk about?"));
        m_subtitle->setWordWrap(true);
        m_subtitle->setAlignment(Qt::AlignCenter);
        m_subtitle->setForegroundRole(QPalette::PlaceholderText);
        m_settings->setText(MainWindow::tr("Add an API key…"));
        m_settings->setCursor(Qt::PointingHandCursor);
        m_settings->setAccessibleName(MainWindow::tr("Open Settings to add an API key"));
        connect(m_settings, &QPushButton::clicked, this, [this] {
            if (onOpenSettings)
                onOpenSettings();
        });

        auto *chips = new QGridLayout;
        chips->setSpacing(8);
        const QStringList prompts = {
            MainWindow::tr("Show me some Python code that streams a reply"),
            MainWindow::tr("Compare native and Electron apps in a table"),
            MainWindow::tr("Give me tips for writing better prompts"),
            MainWindow::tr("Solve a logic puzzle and show your thinking"),
        };
        for (int i = 0; i < prompts.size(); ++i) {
            auto *chip = new QPushButton(prompts.at(i), this);
            chip->setObjectName(u"PromptChip"_s);
            chip->setMinimumHeight(40);
            chip->setCursor(Qt::PointingHandCursor);
            chip->setAccessibleName(prompts.at(i));
            connect(chip, &QPushButton::clicked, this, [this, text = prompts.at(i)] {
                if (onPrompt)
                    onPrompt(text);
            });
            chips->addWidget(chip, i / 2, i % 2);
        }
        m_settings->setObjectName(u"AddKeyButton"_s);
        setStyleSheet(u"#PromptChip { text-align: left; padding: 10px 14px; border: 1px solid palette(mid);"
                      " border-radius: 10px; background: palette(base); color: palette(text); }"
                      "#PromptChip:hover { border-color: palette(highlight); }"
                      "#AddKeyButton { padding: 6px 16px; border-radius: 8px; border: 1px solid palette(highlight);"
                      " background: transparent; color: palette(highlight); font-weight: 600; }"
                      "#AddKeyButton:hover { background: palette(highlight); color: palette(highlighted-text); }"_s);

        // A fixed-width column, so the wrapped sentence gets its full height.
        auto *panel = new QWidget(this);
        panel->setFixedWidth(640);
        m_panel = panel;
        auto *column = new QVBoxLayout(panel);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(10);
        column->addWidget(m_icon);
        column->addWidget(m_title);
        column->addWidget(m_subtitle);
        column->addWidget(m_settings, 0, Qt::AlignHCenter);
        column->addSpacing(14);
        column->addLayout(chips);
        auto *outer = new QVBoxLayout(this);
        outer->addStretch(2);
        outer->addWidget(panel, 0, Qt::AlignHCenter);
        outer->addStretch(3);
    }

    void setEndpoint(bool ready, bool demo, const QString &host, const QString &model)
    {
        m_settings->setVisible(ready && demo);
        if (!ready)
            m_subtitle->setText(MainWindow::tr("Looking up the API key…"));
        else if (demo)
            m_subtitle->setText(MainWindow::tr("You are using the offline demo: prepared answers, streamed "
                                               "through the same path as a real model. Try Stop (Esc) and watch "
                                               "the metrics. Add an API key to talk to a real model."));
        else
            m_subtitle->setText(MainWindow::tr("Messages go to %1, answered by %2.").arg(host, model));
        // The wrapped text's full height, whatever the layout first guessed.
        m_subtitle->setMinimumHeight(m_subtitle->heightForWidth(m_panel->width()));
    }

private:
    QWidget *m_panel = nullptr;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_subtitle;
    QPushButton *m_settings;
};

namespace {

// What the banner offers for a failed reply: fix the settings, or try again.
bool wantsSettings(const ChatResult &result)
{
    switch (result.httpStatus) {
    case 400:
    case 401:
    case 403:
    case 404:
    case 422:
        return true;
    default:
        break;
    }
    return false;
}

} // namespace

MainWindow::MainWindow(QNetworkAccessManager *nam, HistoryStore *store, SecretStore *secrets, Settings *settings,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_nam(nam)
    , m_store(store)
    , m_secrets(secrets)
    , m_settings(settings)
{
    Q_ASSERT(nam && settings);
    setObjectName(u"MainWindow"_s);
    setWindowTitle(tr("Sluice"));
    setWindowIcon(QIcon::fromTheme(u"sluice"_s, QApplication::windowIcon()));
    setUnifiedTitleAndToolBarOnMac(true);
    setDockNestingEnabled(true);

    buildActions();
    buildCentralArea();
    buildToolBar();
    buildDocks();
    statusBar()->setSizeGripEnabled(true);

    if (m_store) {
        // Problems of the history while the app runs (disk full, ...): a notice, never a modal.
        connect(m_store, &HistoryStore::errorOccurred, this, [this](const QString &message) {
            showNotice(message, MessageBanner::Kind::Warning);
        });
    }

    showSession(newSession());
    updateEndpointButton();
    resize(1180, 780);
    m_composer->focusInput();
}

MainWindow::~MainWindow()
{
    // Sessions go before the widgets that show them.
    m_metrics->setSession(nullptr);
    qDeleteAll(m_sessions);
    m_sessions.clear();
}

void MainWindow::setOverrides(const Overrides &overrides)
{
    m_overrides = overrides;
    if (!overrides.model.isEmpty() && m_current && m_current->model()->rowCount() == 0) {
        m_current->setModel(overrides.model);
        m_picker->setCurrentModel(overrides.model);
    }
}

// ---- Building ---------------------------------------------------------------------

void MainWindow::buildActions()
{
    auto icon = [this](const QString &name, QStyle::StandardPixmap fallback) {
        return QIcon::fromTheme(name, style()->standardIcon(fallback));
    };
    m_newChatAction = new QAction(icon(u"new-chat"_s, QStyle::SP_FileIcon), tr("&New Chat"), this);
    m_newChatAction->setShortcut(QKeySequence::New);
    m_newChatAction->setIconText(tr("New Chat"));
    m_newChatAction->setToolTip(tr("Start a new conversation (Ctrl+N)"));
    connect(m_newChatAction, &QAction::triggered, this, &MainWindow::newChat);

    m_stopAction = new QAction(icon(u"stop"_s, QStyle::SP_MediaStop), tr("&Stop Reply"), this);
    m_stopAction->setShortcut(Qt::Key_Escape);
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stop);

    m_focusAction = new QAction(tr("&Focus Input"), this);
    m_focusAction->setShortcut(Qt::CTRL | Qt::Key_L);
    connect(m_focusAction, &QAction::triggered, this, &MainWindow::focusInput);

    m_settingsAction = new QAction(icon(u"settings"_s, QStyle::SP_FileDialogDetailedView), tr("&Settings…"), this);
    m_settingsAction->setIconText(tr("Settings"));
    QList<QKeySequence> settingsKeys{QKeySequence(Qt::CTRL | Qt::Key_Comma)};
    const QKeySequence preferences(QKeySequence::Preferences);
    if (!preferences.isEmpty() && !settingsKeys.contains(preferences))
        settingsKeys.prepend(preferences);
    m_settingsAction->setShortcuts(settingsKeys);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setToolTip(tr("Endpoint, API key, network and appearance (Ctrl+,)"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_editPricesAction = new QAction(tr("Edit &Prices…"), this);
    m_aboutAction = new QAction(tr("&About Sluice"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Sluice"),
                           tr("<h3>Sluice %1</h3><p>A native desktop client for streaming LLM APIs.</p>"
                              "<p>Built with Qt %2.</p>")
                               .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
    for (QAction *action : {m_newChatAction, m_stopAction, m_focusAction, m_settingsAction, m_quitAction})
        addAction(action); // shortcuts work with the menu bar hidden, too
}

void MainWindow::buildToolBar()
{
    auto *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"MainToolBar"_s);
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->setIconSize({18, 18});
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setAccessibleName(tr("Main toolbar"));

    bar->addAction(m_newChatAction);
    bar->addSeparator();
    m_picker = new ModelPicker(m_nam, m_settings, bar);
    connect(m_picker, &ModelPicker::modelChosen, this, &MainWindow::onModelChosen);
    connect(m_picker, &ModelPicker::modelsLoaded, this, [this](const QStringList &, const QString &error) {
        if (!error.isEmpty())
            statusBar()->showMessage(error, 6000);
    });
    auto *modelLabel = new QLabel(tr("Model"), bar);
    modelLabel->setBuddy(m_picker);
    modelLabel->setContentsMargins(6, 0, 6, 0);
    bar->addWidget(modelLabel);
    bar->addWidget(m_picker);

    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);

    m_endpointButton = new QToolButton(bar);
    m_endpointButton->setObjectName(u"EndpointButton"_s);
    m_endpointButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_endpointButton->setCursor(Qt::PointingHandCursor);
    m_endpointButton->setIconSize({16, 16});
    connect(m_endpointButton, &QToolButton::clicked, this, &MainWindow::openSettings);
    bar->addWidget(m_endpointButton);
    bar->addSeparator();
    bar->addAction(m_settingsAction);
}

void MainWindow::buildCentralArea()
{
    auto *central = new QWidget(this);
    central->setObjectName(u"CentralArea"_s);
    // One surface from the transcript down to the composer.
    central->setBackgroundRole(QPalette::Base);
    central->setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_banner = new MessageBanner(central);
    auto *bannerRow = new QHBoxLayout;
    bannerRow->setContentsMargins(16, 10, 16, 0);
    bannerRow->addWidget(m_banner);
    layout->addLayout(bannerRow);

    m_pages = new QStackedWidget(central);
    m_empty = new EmptyChatView(m_pages);
    m_empty->onPrompt = [this](const QString &text) {
        sendMessage(text);
        focusInput(); // the input keeps the focus, not the prompt button
    };
    m_empty->onOpenSettings = [this] { openSettings(); };
    auto *view = new TranscriptView(m_pages);
    connect(view, &TranscriptView::retryRequested, this, [this](int row) {
        if (m_current && !refuseBlockedEndpoint())
            m_current->retry(row);
    });
    connect(view, &TranscriptView::editRequested, this, &MainWindow::onEditRequested);
    connect(view, &TranscriptView::copied, this, [this](const QString &what) {
        statusBar()->showMessage(tr("Copied %1").arg(what), 2500);
    });
    connect(view, &TranscriptView::nearTopReached, this, [this] {
        if (m_current && m_current->hasOlder())
            m_current->loadOlder();
    });
    m_transcript = view;
    m_transcript->setAccessibleName(tr("Conversation"));
    m_pages->addWidget(m_empty);
    m_pages->addWidget(m_transcript);
    layout->addWidget(m_pages, 1);

    m_composer = new Composer(central);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::sendMessage);
    connect(m_composer, &Composer::stopRequested, this, &MainWindow::stop);
    connect(m_composer, &Composer::editCancelled, this, [this] { m_editRow = -1; });
    auto *composerRow = new QHBoxLayout;
    composerRow->setContentsMargins(16, 6, 16, 8);
    composerRow->addStretch(1);
    composerRow->addWidget(m_composer, 100);
    composerRow->addStretch(1);
    m_composer->setMaximumWidth(900);
    layout->addLayout(composerRow);
    setCentralWidget(central);
}

void MainWindow::buildDocks()
{
    m_chatSettings = new ChatSettingsPanel(this);
    connect(m_chatSettings, &ChatSettingsPanel::changed, this, &MainWindow::onChatSettingsChanged);
    m_chatSettingsDock = new QDockWidget(tr("Chat Settings"), this);
    m_chatSettingsDock->setObjectName(u"ChatSettingsDock"_s);
    m_chatSettingsDock->setWidget(m_chatSettings);
    m_chatSettingsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_chatSettingsDock);
    m_chatSettingsDock->hide();

    m_metrics = new MetricsPanel(m_settings, this);
    connect(m_metrics, &MetricsPanel::pricingChanged, this, [this](const Pricing &pricing) {
        for (ChatSession *session : std::as_const(m_sessions))
            session->setPricing(pricing);
    });
    connect(m_editPricesAction, &QAction::triggered, m_metrics, &MetricsPanel::editPrices);
    m_metricsDock = new QDockWidget(tr("Metrics"), this);
    m_metricsDock->setObjectName(u"MetricsDock"_s);
    m_metricsDock->setWidget(m_metrics);
    m_metricsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_metricsDock);
    resizeDocks({m_metricsDock}, {290}, Qt::Horizontal);

    QAction *chatSettingsToggle = m_chatSettingsDock->toggleViewAction();
    chatSettingsToggle->setIcon(QIcon::fromTheme(u"chat-settings"_s));
    chatSettingsToggle->setText(tr("Chat Settings"));
    chatSettingsToggle->setToolTip(tr("System prompt, temperature and max tokens of this chat"));
    QAction *metricsToggle = m_metricsDock->toggleViewAction();
    metricsToggle->setIcon(QIcon::fromTheme(u"metrics"_s));
    metricsToggle->setToolTip(tr("Time to first token, speed, cost of the last reply"));

    // The toolbar's toggles sit left of Settings….
    if (auto *bar = findChild<QToolBar *>(u"MainToolBar"_s)) {
        const QList<QAction *> actions = bar->actions();
        QAction *before = actions.size() >= 2 ? actions.at(actions.size() - 2) : nullptr; // the separator
        bar->insertAction(before, chatSettingsToggle);
        bar->insertAction(before, metricsToggle);
    }

    buildSidebar();

    QMenu *chat = menuBar()->addMenu(tr("&Chat"));
    chat->addAction(m_newChatAction);
    chat->addAction(m_stopAction);
    chat->addAction(m_focusAction);
    chat->addSeparator();
    chat->addAction(m_settingsAction);
    chat->addSeparator();
    chat->addAction(m_quitAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    if (m_sidebarDock)
        view->addAction(m_sidebarDock->toggleViewAction());
    view->addAction(chatSettingsToggle);
    view->addAction(metricsToggle);
    view->addSeparator();
    view->addAction(m_editPricesAction);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

// The conversations sidebar, when there is a history to show.
void MainWindow::buildSidebar()
{
    if (!m_store)
        return;
    m_sidebar = new ConversationSidebar(m_store, this);
    m_sidebarDock = new QDockWidget(tr("Conversations"), this);
    m_sidebarDock->setObjectName(u"ConversationsDock"_s);
    m_sidebarDock->setWidget(m_sidebar);
    m_sidebarDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, m_sidebarDock);
    resizeDocks({m_sidebarDock}, {260}, Qt::Horizontal);

    connect(m_sidebar, &ConversationSidebar::conversationActivated, this,
            [this](qint64 id, qint64 /*messageId*/) { openConversation(id); });
    connect(m_sidebar, &ConversationSidebar::newConversationRequested, this, &MainWindow::newChat);
    connect(m_sidebar, &ConversationSidebar::conversationDeleted, this, &MainWindow::closeConversation);
    connect(m_sidebar, &ConversationSidebar::deletePendingChanged, this, [this](qint64 id, bool pending) {
        // Leave a conversation the user just deleted (Undo brings the row back).
        if (pending && m_current && m_current->conversationId() == id)
            newChat();
    });
    connect(m_sidebar, &ConversationSidebar::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    connect(this, &MainWindow::sessionCreated, m_sidebar, [this](ChatSession *session) {
        m_sidebar->trackSession(session);
        // A new chat gets its id with the first message: select its row then.
        connect(session, &ChatSession::conversationChanged, m_sidebar, [this, session] {
            if (session == m_current)
                m_sidebar->setCurrentConversation(session->conversationId());
        });
    });
    connect(this, &MainWindow::currentSessionChanged, m_sidebar, [this](ChatSession *session) {
        m_sidebar->setCurrentConversation(session ? session->conversationId() : -1);
    });
    for (ChatSession *session : std::as_const(m_sessions))
        m_sidebar->trackSession(session);

    auto *search = new QAction(tr("Search Conversations"), this);
    search->setShortcut(QKeySequence::Find);
    connect(search, &QAction::triggered, this, [this] {
        m_sidebarDock->show();
        m_sidebar->focusSearch();
    });
    addAction(search);
}

// ---- Endpoint -------------------------------------------------------------------

void MainWindow::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
    reloadEndpoint();
}

void MainWindow::reloadEndpoint()
{
    const quint64 generation = ++m_endpointGeneration;
    const QUrl url = m_overrides.baseUrl.isValid() ? m_overrides.baseUrl : m_settings->baseUrl();
    const bool forced = m_overrides.baseUrl.isValid() || ApiKeyProvider::hasEnvironmentKey();
    ApiKeyProvider keys(m_secrets);
    keys.readKey(url, this, [this, generation, url, forced](const SecretStore::Result &result) {
        if (generation != m_endpointGeneration)
            return; // a newer lookup is on its way
        const QString key = result.ok ? result.secret.trimmed() : QString();
        const bool choseDemo = m_settings->isDemoModeSet() && m_settings->demoMode();
        const bool choseReal = m_settings->isDemoModeSet() && !m_settings->demoMode();
        if (forced || (!key.isEmpty() && !choseDemo) || (key.isEmpty() && choseReal))
            setEndpoint(url, key);
        else
            useDemoEndpoint();
        if (!result.ok && result.error != SecretStore::Error::NotFound && !result.errorText.isEmpty() && m_secrets)
            showNotice(result.errorText, MessageBanner::Kind::Warning);
    });
}

void MainWindow::setEndpoint(const QUrl &baseUrl, const QString &apiKey)
{
    applyEndpoint(baseUrl, apiKey, false);
}

bool MainWindow::useDemoEndpoint()
{
    if (!m_demo)
        m_demo = new DemoServer(this);
    if (!m_demo->start()) {
        showNotice(tr("The offline demo could not start (%1). Add an API key in Settings to use a real endpoint.")
                       .arg(m_demo->errorString()),
                   MessageBanner::Kind::Error);
        return false;
    }
    applyEndpoint(m_demo->baseUrl(), QString(), true);
    return true;
}

void MainWindow::applyEndpoint(const QUrl &baseUrl, const QString &apiKey, bool demo)
{
    m_baseUrl = baseUrl;
    m_apiKey = apiKey;
    m_demoActive = demo;
    m_endpointReady = true;
    for (ChatSession *session : std::as_const(m_sessions))
        session->setEndpoint(baseUrl, apiKey); // a running reply finishes where it started
    // An unconfirmed plain-http host gets nothing, not even the request for
    // the model list (it carries the key).
    const bool blocked = isEndpointBlocked();
    m_picker->setEndpoint(blocked ? QUrl() : baseUrl, blocked ? QString() : apiKey, !demo && !blocked);
    updateEndpointButton();
    if (blocked) {
        showBlockedEndpointNotice(MessageBanner::Kind::Warning);
    } else if (!m_blockedNotice.isEmpty()) {
        if (m_banner->text() == m_blockedNotice)
            m_banner->hideMessage(); // confirmed (or another endpoint): the notice is out of date
        m_blockedNotice.clear();
    }
    Q_EMIT endpointChanged(baseUrl, demo);
    if (!m_pendingSend.isEmpty())
        sendMessage(std::exchange(m_pendingSend, QString()));
}

void MainWindow::updateEndpointButton()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QString text;
    QString toolTip;
    QString background;
    QString foreground;
    if (!m_endpointReady) {
        text = tr("Connecting…");
        toolTip = tr("Looking up the API key");
        m_endpointButton->setIcon(QIcon::fromTheme(u"globe"_s));
    } else if (m_demoActive) {
        text = tr("Demo (offline)");
        toolTip = tr("Requests go to the built-in offline demo endpoint (prepared answers, no API key needed). "
                     "Click to open Settings and add a key.");
        background = dark ? u"#4a3a12"_s : u"#fff1cc"_s;
        foreground = dark ? u"#f5d98b"_s : u"#7a5200"_s;
        m_endpointButton->setIcon(QIcon::fromTheme(u"demo"_s));
    } else {
        text = m_baseUrl.host().isEmpty() ? m_baseUrl.toString() : m_baseUrl.host();
        if (m_baseUrl.port() > 0)
            text += u':' + QString::number(m_baseUrl.port());
        toolTip = isEndpointBlocked()
            ? tr("Nothing is sent to %1: it is unencrypted http:// and not allowed in Settings. Click to open Settings.")
                  .arg(m_baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
            : tr("Requests go to %1").arg(m_baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        m_endpointButton->setIcon(QIcon::fromTheme(u"globe"_s));
    }
    QString sheet = u"#EndpointButton { border-radius: 11px; padding: 3px 10px; border: 1px solid palette(mid); }"_s;
    if (!background.isEmpty())
        sheet = u"#EndpointButton { border-radius: 11px; padding: 3px 10px; background: %1; color: %2;"
                " border: 1px solid %2; font-weight: 600; }"_s.arg(background, foreground);
    m_endpointButton->setStyleSheet(sheet);
    m_endpointButton->setText(text);
    m_endpointButton->setToolTip(toolTip);
    m_endpointButton->setAccessibleName(tr("Endpoint: %1").arg(text));
    m_empty->setEndpoint(m_endpointReady, m_demoActive, text, m_current ? m_current->conversation().model : QString());
}

// ---- Sessions ------------------------------------------------------------------

QString MainWindow::modelForNewSession() const
{
    if (!m_overrides.model.isEmpty())
        return m_overrides.model;
    return m_settings->model();
}

ChatSession *MainWindow::currentSession() const
{
    return m_current;
}

ChatSession *MainWindow::newSession()
{
    auto *session = new ChatSession(m_nam, m_store, this);
    configureSession(session);
    wireSession(session);
    m_sessions.insert(m_nextLocalId++, session);
    Q_EMIT sessionCreated(session);
    return session;
}

void MainWindow::configureSession(ChatSession *session)
{
    if (m_endpointReady)
        session->setEndpoint(m_baseUrl, m_apiKey);
    session->setModel(modelForNewSession());
    session->setSystemPrompt(m_settings->systemPrompt());
    session->setTemperature(m_settings->temperature());
    session->setMaxTokens(m_settings->maxTokens());
    session->setPricing(m_settings->pricing());
    session->setClientOptions(clientOptions());
}

ChatClient::Options MainWindow::clientOptions() const
{
    ChatClient::Options options;
    options.connectTimeoutMs = m_settings->connectTimeoutSeconds() * 1000;
    options.idleTimeoutMs = m_settings->idleTimeoutSeconds() * 1000;
    options.maxRetries = m_settings->retries();
    return options;
}

void MainWindow::wireSession(ChatSession *session)
{
    // The signal's value, not isStreaming(): "started" comes just before the request goes out.
    connect(session, &ChatSession::streamingChanged, this, [this, session](bool streaming) {
        if (session == m_current)
            updateStreamingState(streaming);
    });
    connect(session, &ChatSession::replyStarted, this, [this, session] {
        if (session == m_current) {
            m_banner->hideMessage();
            updateCentralPage();
        }
    });
    connect(session, &ChatSession::replyFinished, this, [this, session](const ChatResult &result) {
        if (result.status == ChatResult::Status::Completed || result.status == ChatResult::Status::Stopped)
            return;
        if (session == m_current)
            showReplyError(session, result);
        else
            statusBar()->showMessage(tr("A reply in another chat failed: %1").arg(result.message), 8000);
    });
    connect(session, &ChatSession::retryScheduled, this, [this, session](int, int delayMs, const QString &reason) {
        if (session != m_current)
            return;
        const QString seconds = QLocale().toString(delayMs / 1000.0, 'f', delayMs < 10'000 ? 1 : 0);
        statusBar()->showMessage(tr("Retrying in %1 s… (%2)").arg(seconds, reason), delayMs + 500);
    });
    connect(session, &ChatSession::conversationChanged, this, [this, session] {
        if (session == m_current)
            updateWindowTitle();
    });
}

void MainWindow::showSession(ChatSession *session)
{
    if (!session || session == m_current)
        return;
    m_chatSettings->flush(); // a pending edit belongs to the conversation it was made in
    if (m_composer->isEditing())
        m_composer->cancelEdit();
    m_editRow = -1;
    m_current = session;
    setTranscriptModel(session);
    m_banner->hideMessage();
    const Conversation &c = session->conversation();
    m_picker->setCurrentModel(c.model);
    m_chatSettings->setValues(c.systemPrompt, c.temperature, c.maxTokens);
    m_metrics->setSession(session);
    updateStreamingState(session->isStreaming());
    updateCentralPage();
    updateWindowTitle();
    updateEndpointButton();
    Q_EMIT currentSessionChanged(session);
}

void MainWindow::setTranscriptModel(ChatSession *session)
{
    for (const QMetaObject::Connection &c : std::as_const(m_modelConnections))
        disconnect(c);
    m_modelConnections.clear();
    TranscriptModel *model = session->model();
    m_transcript->setTranscript(model);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        m_modelConnections.append(connect(model, signal, this, &MainWindow::updateCentralPage));
    m_modelConnections.append(connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateCentralPage));
}

ChatSession *MainWindow::openConversation(qint64 conversationId)
{
    for (ChatSession *session : std::as_const(m_sessions)) {
        if (session->conversationId() == conversationId) {
            showSession(session);
            return session;
        }
    }
    auto *session = new ChatSession(m_nam, m_store, this);
    if (!session->load(conversationId)) {
        delete session;
        showNotice(tr("This conversation could not be opened from the history."), MessageBanner::Kind::Warning);
        return nullptr;
    }
    if (m_endpointReady)
        session->setEndpoint(m_baseUrl, m_apiKey);
    session->setPricing(m_settings->pricing());
    session->setClientOptions(clientOptions());
    wireSession(session);
    m_sessions.insert(m_nextLocalId++, session);
    Q_EMIT sessionCreated(session);
    showSession(session);
    return session;
}

void MainWindow::closeSession(ChatSession *session)
{
    const int key = m_sessions.key(session, 0);
    if (!key)
        return;
    if (session == m_current)
        showSession(newSession());
    m_sessions.remove(key);
    session->stop();
    session->deleteLater();
}

void MainWindow::closeConversation(qint64 conversationId)
{
    if (conversationId < 0)
        return;
    for (ChatSession *session : std::as_const(m_sessions)) {
        if (session->conversationId() == conversationId) {
            closeSession(session);
            return;
        }
    }
}

// ---- Sending and stopping ---------------------------------------------------------

bool MainWindow::sendMessage(const QString &text)
{
    if (!m_current || text.trimmed().isEmpty())
        return false;
    if (!m_endpointReady) {
        m_pendingSend = text; // goes out when the endpoint is known
        m_composer->clear();
        statusBar()->showMessage(tr("Looking up the API key…"));
        return true;
    }
    if (refuseBlockedEndpoint()) {
        if (m_composer->text().isEmpty())
            m_composer->setText(text); // a message that waited for the key: keep it for after the confirmation
        return false;
    }
    m_chatSettings->flush();
    bool sent = false;
    if (m_editRow >= 0)
        sent = m_current->editAndResend(std::exchange(m_editRow, -1), text);
    else
        sent = m_current->send(text);
    if (sent) {
        m_composer->clear();
        statusBar()->clearMessage();
    }
    return sent;
}

void MainWindow::stop()
{
    if (m_current && m_current->isStreaming())
        m_current->stop();
}

void MainWindow::newChat()
{
    if (m_current && m_current->model()->rowCount() == 0 && !m_current->isStreaming()) {
        focusInput(); // already an empty chat
        return;
    }
    showSession(newSession());
    focusInput();
}

void MainWindow::focusInput()
{
    m_composer->focusInput();
}

void MainWindow::onEditRequested(int row)
{
    if (!m_current || m_current->isStreaming() || row < 0 || row >= m_current->model()->rowCount())
        return;
    const Message &message = m_current->model()->message(row);
    if (message.role != ChatMessage::Role::User)
        return;
    m_editRow = row;
    m_composer->beginEdit(message.content);
}

void MainWindow::updateStreamingState(bool streaming)
{
    m_composer->setStreaming(streaming);
    m_stopAction->setEnabled(streaming);
}

void MainWindow::showReplyError(ChatSession *session, const ChatResult &result)
{
    QString message = result.message;
    if (message.isEmpty())
        message = tr("The reply failed.");
    if (wantsSettings(result)) {
        m_banner->showMessage(message, MessageBanner::Kind::Error, tr("Open Settings"), [this] { openSettings(); });
    } else {
        QPointer<ChatSession> guard(session);
        m_banner->showMessage(message, MessageBanner::Kind::Error, tr("Try Again"), [this, guard] {
            if (guard && !guard->isStreaming() && !refuseBlockedEndpoint()) {
                m_banner->hideMessage();
                guard->regenerate();
            }
        });
    }
}

bool MainWindow::isEndpointBlocked() const
{
    if (!m_endpointReady || m_demoActive || !UrlPolicy::needsInsecureConfirmation(m_baseUrl))
        return false;
    if (isCommandLineEndpoint())
        return !m_overrides.allowInsecureHttp;
    return !m_settings->isInsecureHttpConfirmed(m_baseUrl);
}

bool MainWindow::isCommandLineEndpoint() const
{
    return m_overrides.baseUrl.isValid() && m_baseUrl == m_overrides.baseUrl;
}

bool MainWindow::refuseBlockedEndpoint()
{
    if (!isEndpointBlocked())
        return false;
    showBlockedEndpointNotice(MessageBanner::Kind::Error);
    return true;
}

void MainWindow::showBlockedEndpointNotice(MessageBanner::Kind kind)
{
    if (isCommandLineEndpoint()) {
        // Settings show the saved address, not this one: the answer is on the
        // command line, where the address came from.
        m_blockedNotice = tr("Nothing is sent to %1: it is unencrypted http://, so anyone on the way could read your "
                             "messages and your API key. Use https://, or start Sluice with --allow-insecure-http "
                             "if you trust the network to this host.")
                              .arg(m_baseUrl.host());
        m_banner->showMessage(m_blockedNotice, kind);
        return;
    }
    m_blockedNotice = tr("Nothing is sent to %1: it is unencrypted http://, so anyone on the way could read your "
                         "messages and your API key. Use https://, or allow unencrypted http:// to this host in "
                         "Settings.")
                          .arg(m_baseUrl.host());
    m_banner->showMessage(m_blockedNotice, kind, tr("Open Settings"), [this] {
        openSettings();
        if (SettingsDialog *dialog = m_settingsDialog) {
            dialog->showTab(SettingsDialog::Tab::Endpoint);
            if (dialog->allowInsecureBox()->isVisible())
                dialog->allowInsecureBox()->setFocus();
        }
    });
}

void MainWindow::showNotice(const QString &text, MessageBanner::Kind kind)
{
    m_banner->showMessage(text, kind);
}

// ---- Settings --------------------------------------------------------------------

void MainWindow::onModelChosen(const QString &model)
{
    m_overrides.model.clear(); // the user's pick wins over --model from now on
    if (m_current)
        m_current->setModel(model);
    updateEndpointButton();
}

void MainWindow::onChatSettingsChanged()
{
    const QString prompt = m_chatSettings->systemPrompt();
    const auto temperature = m_chatSettings->temperature();
    const auto maxTokens = m_chatSettings->maxTokens();
    if (m_current) {
        m_current->setSystemPrompt(prompt);
        m_current->setTemperature(temperature);
        m_current->setMaxTokens(maxTokens);
    }
    // The defaults for new chats.
    m_settings->setSystemPrompt(prompt);
    m_settings->setTemperature(temperature);
    m_settings->setMaxTokens(maxTokens);
}

SettingsDialog *MainWindow::settingsDialog() const
{
    return m_settingsDialog;
}

void MainWindow::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
        return;
    }
    auto *dialog = new SettingsDialog(m_settings, m_secrets, this);
    m_settingsDialog = dialog;
    dialog->setProxyPassword(m_proxyPassword);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this, [this, dialog] {
        m_proxyPassword = dialog->proxyPassword(); // this session only, never saved
        ProxyConfig::applyProxy(m_nam, *m_settings, m_proxyPassword);
        const ChatClient::Options options = clientOptions();
        for (ChatSession *session : std::as_const(m_sessions))
            session->setClientOptions(options); // from the next request on
        reloadEndpoint();
    });
    connect(dialog, &SettingsDialog::themeChanged, this, &MainWindow::themeChanged);
    dialog->open();
}

// ---- Presentation ------------------------------------------------------------------

void MainWindow::updateCentralPage()
{
    const bool empty = !m_current || m_current->model()->rowCount() == 0;
    m_pages->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_transcript);
}

void MainWindow::updateWindowTitle()
{
    const QString title = m_current ? m_current->conversation().title : QString();
    setWindowTitle(title.isEmpty() ? tr("Sluice") : tr("%1 — Sluice").arg(title));
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_endpointButton)
        updateEndpointButton(); // its colours follow the palette
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_shownOnce) {
        m_shownOnce = true;
        focusInput();
    }
}
