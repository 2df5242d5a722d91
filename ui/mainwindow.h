#pragma once

#include "messagebanner.h"
#include "net/chatclient.h"
#include "settings/settings.h"

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QUrl>

class ChatSession;
class ChatSettingsPanel;
class Composer;
class ConversationSidebar;
class DemoServer;
class EmptyChatView;
class HistoryStore;
class MetricsPanel;
class ModelPicker;
class QAction;
class QDockWidget;
class QNetworkAccessManager;
class QStackedWidget;
class QToolButton;
class SecretStore;
class SettingsDialog;
class TranscriptView;
struct ChatResult;

// The application window: the transcript of the current conversation with
// the composer below, a toolbar (New chat, model, endpoint, chat settings,
// Settings…), the "Metrics" and "Chat settings" docks, an inline error banner
// and a status bar for small notes.
//
//     MainWindow window(&nam, store /* may be null */, secrets /* may come later */, &settings);
//     window.setOverrides({baseUrl, model});   // command line, never saved
//     window.show();
//     window.setSecretStore(store);            // resolves the endpoint: key → real, none → Demo
//
// Every conversation open in the window has its own ChatSession (a local id →
// session map), so a reply keeps streaming in the background while the user
// looks at another chat. A sidebar drives it with newSession(), showSession(),
// openConversation() and currentSessionChanged(). Nothing here is a singleton:
// the network manager, history, key store and settings are all injected.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Command-line choices for this run; they are never written to the settings.
    struct Overrides
    {
        QUrl baseUrl;
        QString model;
        // --allow-insecure-http: plain http:// to baseUrl is allowed for this
        // run (the user said so on the command line, as with sluice-cli).
        bool allowInsecureHttp = false;
    };

    MainWindow(QNetworkAccessManager *nam, HistoryStore *store, SecretStore *secrets, Settings *settings,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    void setOverrides(const Overrides &overrides);

    // --- Endpoint: where requests go ---------------------------------------
    // The key store picked at start-up (it may arrive after the window shows);
    // resolves the endpoint again.
    void setSecretStore(SecretStore *secrets);
    // Decides the endpoint again: --base-url or SLUICE_API_KEY → that endpoint;
    // a stored key → the configured endpoint (unless the user chose Demo); no
    // key → the offline Demo (unless the user turned it off). Call it after the
    // settings dialog changed the base URL, the key or the demo choice.
    void reloadEndpoint();
    // Uses a real endpoint now (tests; reloadEndpoint() uses it too).
    void setEndpoint(const QUrl &baseUrl, const QString &apiKey);
    // Starts the built-in demo server (once) and sends everything there.
    bool useDemoEndpoint();
    bool isEndpointReady() const { return m_endpointReady; }
    bool isDemoActive() const { return m_endpointReady && m_demoActive; }
    // The endpoint is plain http:// to a host that is not local or private
    // (UrlPolicy) and the user has not allowed that host in Settings (a URL
    // edited into the settings file, or given with --base-url without
    // --allow-insecure-http). Nothing goes
    // there, not even the model list: sending shows why in the banner, with
    // a button that opens Settings, where the host can be allowed.
    bool isEndpointBlocked() const;
    QUrl endpointUrl() const { return m_baseUrl; }
    DemoServer *demoServer() const { return m_demo; }

    // --- Conversations ---------------------------------------------------------
    ChatSession *currentSession() const;
    void showSession(ChatSession *session);
    // A new empty conversation with the current endpoint, model and chat
    // settings; not shown (showSession() does that).
    ChatSession *newSession();
    QList<ChatSession *> sessions() const { return m_sessions.values(); }
    // The session of a stored conversation: the open one, or a newly loaded one.
    ChatSession *openConversation(qint64 conversationId);
    // Forgets a session (stops its reply). The current one is replaced by a new chat.
    void closeSession(ChatSession *session);
    // closeSession() of the open session of a stored conversation, if any
    // (the sidebar deleted it).
    void closeConversation(qint64 conversationId);

    // --- Parts, for tests and for the pieces that come later --------------------
    Composer *composer() const { return m_composer; }
    ModelPicker *modelPicker() const { return m_picker; }
    MetricsPanel *metricsPanel() const { return m_metrics; }
    ChatSettingsPanel *chatSettingsPanel() const { return m_chatSettings; }
    MessageBanner *banner() const { return m_banner; }
    TranscriptView *transcriptView() const { return m_transcript; }
    SettingsDialog *settingsDialog() const;
    QToolButton *endpointButton() const { return m_endpointButton; }
    QDockWidget *metricsDock() const { return m_metricsDock; }
    QDockWidget *chatSettingsDock() const { return m_chatSettingsDock; }
    ConversationSidebar *sidebar() const { return m_sidebar; } // null without a history store
    QAction *stopAction() const { return m_stopAction; }

    // An inline notice above the transcript (history or keychain problems, ...).
    void showNotice(const QString &text, MessageBanner::Kind kind);

public Q_SLOTS:
    // What Enter in the composer does: sends to the current session (or
    // re-sends an edited message). While the endpoint is still being looked
    // up, the message waits and goes out as soon as it is known.
    bool sendMessage(const QString &text);
    void newChat();
    void stop();
    void focusInput();
    // Opens the settings dialog (once; again raises it). After each Apply/OK:
    // the proxy, the sessions' network options and reloadEndpoint().
    void openSettings();

Q_SIGNALS:
    void currentSessionChanged(ChatSession *session);
    void sessionCreated(ChatSession *session);
    void endpointChanged(const QUrl &baseUrl, bool demo);
    // The user picked another theme in the settings (main() applies it).
    void themeChanged(Settings::Theme theme);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildActions();
    void buildToolBar();
    void buildCentralArea();
    void buildDocks();
    void buildSidebar();
    void wireSession(ChatSession *session);
    void configureSession(ChatSession *session);
    void applyEndpoint(const QUrl &baseUrl, const QString &apiKey, bool demo);
    void updateEndpointButton();
    void updateCentralPage();
    void updateWindowTitle();
    void updateStreamingState(bool streaming);
    void showReplyError(ChatSession *session, const ChatResult &result);
    // True, with the reason in the banner, when nothing may be sent now.
    bool refuseBlockedEndpoint();
    void showBlockedEndpointNotice(MessageBanner::Kind kind);
    bool isCommandLineEndpoint() const; // the endpoint is --base-url's
    void onModelChosen(const QString &model);
    void onChatSettingsChanged();
    void onEditRequested(int row);
    void setTranscriptModel(ChatSession *session);
    QString modelForNewSession() const;
    ChatClient::Options clientOptions() const;

    QNetworkAccessManager *m_nam;
    QPointer<HistoryStore> m_store;
    QPointer<SecretStore> m_secrets;
    Settings *m_settings;
    Overrides m_overrides;

    // Endpoint
    DemoServer *m_demo = nullptr;
    QUrl m_baseUrl;
    QString m_apiKey;
    bool m_demoActive = false;
    bool m_endpointReady = false;
    quint64 m_endpointGeneration = 0;
    QString m_pendingSend;
    QString m_proxyPassword; // the manual proxy's, for this session only
    QString m_blockedNotice;  // the banner text shown for a blocked endpoint, if any
    QPointer<SettingsDialog> m_settingsDialog;

    // Sessions
    QHash<int, ChatSession *> m_sessions;
    int m_nextLocalId = 1;
    QPointer<ChatSession> m_current;
    int m_editRow = -1;

    // Widgets
    ModelPicker *m_picker = nullptr;
    QToolButton *m_endpointButton = nullptr;
    MessageBanner *m_banner = nullptr;
    QStackedWidget *m_pages = nullptr;
    EmptyChatView *m_empty = nullptr;
    TranscriptView *m_transcript = nullptr;
    Composer *m_composer = nullptr;
    MetricsPanel *m_metrics = nullptr;
    ChatSettingsPanel *m_chatSettings = nullptr;
    QDockWidget *m_metricsDock = nullptr;
    QDockWidget *m_chatSettingsDock = nullptr;
    ConversationSidebar *m_sidebar = nullptr;
    QDockWidget *m_sidebarDock = nullptr;
    QList<QMetaObject::Connection> m_modelConnections;

    // Actions
    QAction *m_newChatAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_focusAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_editPricesAction = nullptr;
    QAction *m_aboutAction = nullptr;
    bool m_shownOnce = false;
};
