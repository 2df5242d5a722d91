#pragma once

#include <QHash>
#include <QList>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QWidget>

class ChatSession;
class ConversationDelegate;
class ConversationListModel;
class HistoryStore;
class MessageBanner;
class QAbstractButton;
class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QStackedWidget;
class QTimer;
class QToolButton;
class SearchResultsDelegate;
class SearchResultsModel;

// The conversations sidebar: a search field on top, the stored conversations
// newest first below (ConversationListModel, paged), and while the field has
// text, the hits of a full-text search over every message instead, matches
// highlighted.
//
//     auto *sidebar = new ConversationSidebar(&store, window);
//     connect(sidebar, &ConversationSidebar::conversationActivated, window, &W::open);  // (id, messageId or -1)
//     connect(sidebar, &ConversationSidebar::newConversationRequested, window, &W::newChat);
//     connect(sidebar, &ConversationSidebar::conversationDeleted, window, &W::closeIfOpen);
//     sidebar->trackSession(session);          // its row moves up with each message, a dot while it streams
//     sidebar->setCurrentConversation(id);     // what the window shows
//     sidebar->commitPendingDeletes();         // on quit
//
// Rename (F2, an inline editor), Delete (Del: the row disappears at once, an
// inline "Undo" bar stays for undoTimeout(), and only then is the
// conversation deleted from the store), Copy as Markdown, Export as
// Markdown/JSON… and Import JSON… are in the context menu. File dialogs are
// asynchronous (no nested event loop); exportConversation(),
// importConversation() and copyAsMarkdown() do the work without dialogs.
// Errors show in an inline banner; successes as statusMessage().
class ConversationSidebar : public QWidget
{
    Q_OBJECT
public:
    enum class ExportFormat { Markdown, Json };
    Q_ENUM(ExportFormat)

    static constexpr int DefaultUndoTimeoutMs = 8000;
    static constexpr int DefaultSearchDelayMs = 150;
    static constexpr int SearchLimit = 200;

    explicit ConversationSidebar(HistoryStore *store, QWidget *parent = nullptr);
    ~ConversationSidebar() override; // deletes what is still pending, without signals

    ConversationListModel *model() const { return m_model; }

    // The conversation the window shows (selected in the list), -1 for none.
    void setCurrentConversation(qint64 id);
    qint64 currentConversation() const { return m_currentId; }
    void setStreaming(qint64 id, bool streaming);
    // Keeps a session's row current: moves it to the top when it gets a
    // message or a title, and shows the streaming dot while it receives.
    void trackSession(ChatSession *session);
    void focusSearch();
    // Deletes the conversations still waiting for their undo time, now (call on quit).
    void commitPendingDeletes();

    // --- Actions on one conversation (what the menu and keys call) ------------
    void renameConversation(qint64 id);   // opens the inline editor
    void deleteConversation(qint64 id);   // hides it; Undo restores it
    void undoDelete();                    // restores every pending delete
    QList<qint64> pendingDeletes() const { return m_pendingDeletes; }
    void exportConversationWithDialog(qint64 id, ExportFormat format);
    void importWithDialog();

    // --- The work, without dialogs (tests, scripting) ----------------------------
    QString conversationMarkdown(qint64 id, QString *error = nullptr) const;
    QByteArray conversationJson(qint64 id, QString *error = nullptr) const;
    // Writes the file (atomically); false with a plain sentence in *error.
    bool exportConversation(qint64 id, const QString &path, ExportFormat format, QString *error = nullptr);
    // Reads a sluice-conversation JSON file into the store, selects it and
    // emits conversationImported(id), then conversationActivated(id, -1) so
    // the window opens it; the new id, or -1 with a plain sentence in *error.
    qint64 importConversation(const QString &path, QString *error = nullptr);
    bool copyAsMarkdown(qint64 id);
    // A file name for a conversation: its title without characters file
    // systems refuse, shortened; "conversation" when nothing is left.
    static QString suggestedFileName(const QString &title, ExportFormat format);

    // --- Tuning and parts, for tests ---------------------------------------------
    void setUndoTimeout(int ms) { m_undoTimeoutMs = ms; }
    int undoTimeout() const { return m_undoTimeoutMs; }
    void setSearchDelay(int ms);
    bool isSearchActive() const;
    QLineEdit *searchField() const { return m_search; }
    QListView *listView() const { return m_list; }
    QListView *resultsView() const { return m_results; }
    SearchResultsModel *resultsModel() const { return m_resultsModel; }
    ConversationDelegate *conversationDelegate() const { return m_delegate; }
    SearchResultsDelegate *resultsDelegate() const { return m_resultsDelegate; }
    QWidget *undoBar() const { return m_undoBar; }
    QAbstractButton *undoButton() const;
    MessageBanner *banner() const { return m_banner; }
    QMenu *contextMenu() const { return m_menu; }
    // For a menu of the window (File → Import conversation…).
    QAction *importAction() const { return m_importAction; }

Q_SIGNALS:
    void conversationActivated(qint64 id, qint64 messageId /* -1: none */);
    void newConversationRequested();
    // Deleted from the store (after the undo time, or at commitPendingDeletes()).
    void conversationDeleted(qint64 id);
    // Hidden for a delete that can still be undone (true), or restored by Undo (false).
    void deletePendingChanged(qint64 id, bool pending);
    void conversationImported(qint64 id);
    void statusMessage(const QString &text); // "Exported to …", "Copied"

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildActions();
    void buildMenu();
    void applyStyle();
    void runSearch();
    void onSearchTextChanged(const QString &text);
    void activateListIndex(const QModelIndex &index);
    void activateResultIndex(const QModelIndex &index);
    void showContextMenu(QListView *view, const QPoint &pos);
    void updateActions();
    void updateUndoBar();
    void showError(const QString &text);
    // The conversation the menu was opened on, else the current one of the visible list.
    qint64 targetId() const;
    QString titleOf(qint64 id) const;

    QPointer<HistoryStore> m_store;
    ConversationListModel *m_model;
    SearchResultsModel *m_resultsModel;
    ConversationDelegate *m_delegate;
    SearchResultsDelegate *m_resultsDelegate;

    QLineEdit *m_search;
    QToolButton *m_newButton;
    MessageBanner *m_banner;
    QStackedWidget *m_pages;
    QListView *m_list;
    QListView *m_results;
    QWidget *m_undoBar;
    QLabel *m_undoLabel;
    QToolButton *m_undoButton;
    QMenu *m_menu;

    QAction *m_openAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_renameAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_exportMarkdownAction = nullptr;
    QAction *m_exportJsonAction = nullptr;
    QAction *m_importAction = nullptr;

    QTimer *m_searchTimer;
    QTimer *m_undoTimer;
    QTimer *m_clockTimer;
    int m_undoTimeoutMs = DefaultUndoTimeoutMs;
    qint64 m_currentId = -1;
    qint64 m_menuTarget = -1;
    bool m_menuOpen = false;
    QPersistentModelIndex m_menuIndex; // the row the menu is open for
    QList<qint64> m_pendingDeletes;
    QHash<qint64, QString> m_pendingTitles;
    QHash<QObject *, qint64> m_streamingSessions;
    QString m_lastDir;
};
