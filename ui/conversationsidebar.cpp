#include "conversationsidebar.h"

#include "conversationdelegate.h"
#include "messagebanner.h"
#include "searchresults.h"

#include "chat/chatsession.h"
#include "chat/conversationlistmodel.h"
#include "store/conversationexport.h"
#include "store/historystore.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// A conversation file is a few MB even for a long chat; this keeps a wrong
// pick (a video) from being read into memory.
constexpr qint64 MaxImportBytes = 64LL * 1024 * 1024;
constexpr int ClockIntervalMs = 60 * 1000;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QString rgba(QColor c)
{
    return u"rgba(%1, %2, %3, %4)"_s.arg(c.red()).arg(c.green()).arg(c.blue()).arg(c.alpha());
}

QColor withAlpha(QColor c, qreal alpha)
{
    c.setAlphaF(alpha);
    return c;
}

// A magnifier, painted so it needs no icon theme.
QIcon searchIcon(const QColor &color, qreal dpr)
{
    const int size = 16;
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap));
    p.drawEllipse(QRectF(2.5, 2.5, 8, 8));
    p.drawLine(QPointF(9.5, 9.5), QPointF(13.5, 13.5));
    return QIcon(pixmap);
}

// "+" for "New conversation" when the icon theme has no new-chat icon.
QIcon plusIcon(const QColor &color, qreal dpr)
{
    const int size = 18;
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color, 1.8, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(9, 3.5), QPointF(9, 14.5));
    p.drawLine(QPointF(3.5, 9), QPointF(14.5, 9));
    return QIcon(pixmap);
}

// A list that says so when it is empty ("No conversations yet").
class PlaceholderListView : public QListView
{
public:
    using QListView::QListView;

    void setPlaceholderText(const QString &text)
    {
        if (m_placeholder == text)
            return;
        m_placeholder = text;
        viewport()->update();
    }
    QString placeholderText() const { return m_placeholder; }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QListView::paintEvent(event);
        if (m_placeholder.isEmpty() || (model() && model()->rowCount(rootIndex()) > 0))
            return;
        QPainter p(viewport());
        p.setPen(ConversationDelegate::secondaryTextColor(palette()));
        const QRect area = viewport()->rect().adjusted(16, 24, -16, -16);
        p.drawText(area, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
    }

private:
    QString m_placeholder;
};

// One line "Deleted “%1”" where only the argument is elided to the width the
// label gets; text() is the whole sentence (for screen readers, tooltips).
class ElidedLabel : public QLabel
{
public:
    using QLabel::QLabel;

    void setSentence(const QString &pattern, const QString &argument)
    {
        m_pattern = pattern;
        m_argument = argument;
        setText(pattern.contains(u"%1"_s) ? pattern.arg(argument) : pattern);
    }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        Q_UNUSED(event)
        QPainter p(this);
        p.setPen(palette().color(foregroundRole()));
        const QRect r = contentsRect();
        const QFontMetrics fm = fontMetrics();
        QString shown = text();
        if (fm.horizontalAdvance(shown) > r.width() && m_pattern.contains(u"%1"_s)) {
            const int room = r.width() - fm.horizontalAdvance(m_pattern.arg(QString()));
            shown = m_pattern.arg(fm.elidedText(m_argument, Qt::ElideRight, qMax(0, room)));
        }
        p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(shown, Qt::ElideRight, r.width()));
    }
    QSize minimumSizeHint() const override
    {
        return {fontMetrics().averageCharWidth() * 8, QLabel::minimumSizeHint().height()};
    }

private:
    QString m_pattern;
    QString m_argument;
};

PlaceholderListView *makeList(QWidget *parent, const QString &objectName, const QString &accessibleName)
{
    auto *view = new PlaceholderListView(parent);
    view->setObjectName(objectName);
    view->setAccessibleName(accessibleName);
    view->setFrameShape(QFrame::NoFrame);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers); // F2 is an action, Rename… too
    view->setUniformItemSizes(true);                          // O(1) layout for thousands of rows
    view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setMouseTracking(true);
    view->viewport()->setAttribute(Qt::WA_Hover);
    view->viewport()->setAutoFillBackground(false);
    view->setAutoFillBackground(false);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    view->setTextElideMode(Qt::ElideRight);
    return view;
}

} // namespace

ConversationSidebar::ConversationSidebar(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new ConversationListModel(store, this))
    , m_resultsModel(new SearchResultsModel(this))
    , m_delegate(new ConversationDelegate(this))
    , m_resultsDelegate(new SearchResultsDelegate(this))
    , m_search(new QLineEdit(this))
    , m_newButton(new QToolButton(this))
    , m_banner(new MessageBanner(this))
    , m_pages(new QStackedWidget(this))
    , m_list(makeList(this, u"ConversationList"_s, tr("Conversations")))
    , m_results(makeList(this, u"SearchResults"_s, tr("Search results")))
    , m_undoBar(new QFrame(this))
    , m_undoLabel(new ElidedLabel(m_undoBar))
    , m_undoButton(new QToolButton(m_undoBar))
    , m_menu(new QMenu(this))
    , m_searchTimer(new QTimer(this))
    , m_undoTimer(new QTimer(this))
    , m_clockTimer(new QTimer(this))
{
    setObjectName(u"ConversationSidebar"_s);
    setAccessibleName(tr("Conversations sidebar"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);

    m_search->setObjectName(u"SidebarSearch"_s);
    m_search->setPlaceholderText(tr("Search all messages"));
    m_search->setAccessibleName(tr("Search all messages"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_newButton->setObjectName(u"NewConversationButton"_s);
    m_newButton->setAutoRaise(true);
    m_newButton->setToolTip(tr("New conversation"));
    m_newButton->setAccessibleName(tr("New conversation"));
    m_newButton->setIconSize({18, 18});
    m_newButton->setCursor(Qt::PointingHandCursor);

    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    static_cast<PlaceholderListView *>(m_list)->setPlaceholderText(tr("No conversations yet"));
    m_list->installEventFilter(this);
    m_results->setModel(m_resultsModel);
    m_results->setItemDelegate(m_resultsDelegate);
    m_results->installEventFilter(this);
    m_pages->addWidget(m_list);
    m_pages->addWidget(m_results);

    m_undoBar->setObjectName(u"UndoBar"_s);
    m_undoBar->setAccessibleName(tr("Deleted conversation"));
    m_undoLabel->setObjectName(u"UndoLabel"_s);
    m_undoLabel->setTextFormat(Qt::PlainText);
    m_undoLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_undoButton->setObjectName(u"UndoButton"_s);
    m_undoButton->setText(tr("Undo"));
    m_undoButton->setAccessibleName(tr("Undo delete"));
    m_undoButton->setCursor(Qt::PointingHandCursor);
    auto *undoLayout = new QHBoxLayout(m_undoBar);
    undoLayout->setContentsMargins(12, 6, 6, 6);
    undoLayout->setSpacing(8);
    undoLayout->addWidget(m_undoLabel, 1);
    undoLayout->addWidget(m_undoButton);
    m_undoBar->hide();

    auto *header = new QHBoxLayout;
    header->setContentsMargins(ConversationDelegate::HorizontalMargin, 0, ConversationDelegate::HorizontalMargin, 0);
    header->setSpacing(4);
    header->addWidget(m_search, 1);
    header->addWidget(m_newButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 8, 4, 8);
    layout->setSpacing(6);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_undoBar);
    m_banner->hide();

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(DefaultSearchDelayMs);
    m_undoTimer->setSingleShot(true);
    m_clockTimer->setInterval(ClockIntervalMs);
    m_clockTimer->start();

    buildActions();
    buildMenu();
    applyStyle();

    connect(m_search, &QLineEdit::textChanged, this, &ConversationSidebar::onSearchTextChanged);
    connect(m_searchTimer, &QTimer::timeout, this, &ConversationSidebar::runSearch);
    connect(m_undoTimer, &QTimer::timeout, this, &ConversationSidebar::commitPendingDeletes);
    connect(m_undoButton, &QToolButton::clicked, this, &ConversationSidebar::undoDelete);
    connect(m_clockTimer, &QTimer::timeout, this, [this] {
        m_list->viewport()->update(); // "5 min" becomes "6 min"
        m_results->viewport()->update();
    });
    connect(m_newButton, &QToolButton::clicked, this, &ConversationSidebar::newConversationRequested);
    connect(m_list, &QListView::clicked, this, &ConversationSidebar::activateListIndex);
    connect(m_results, &QListView::clicked, this, &ConversationSidebar::activateResultIndex);
    connect(m_list, &QListView::customContextMenuRequested, this,
            [this](const QPoint &pos) { showContextMenu(m_list, pos); });
    connect(m_results, &QListView::customContextMenuRequested, this,
            [this](const QPoint &pos) { showContextMenu(m_results, pos); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &ConversationSidebar::updateActions);
    connect(m_results->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ConversationSidebar::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConversationSidebar::updateActions);
    updateActions();
}

ConversationSidebar::~ConversationSidebar()
{
    // Whoever listens may be half destroyed by now (the window owns us).
    const QSignalBlocker blocker(this);
    if (!m_pendingDeletes.isEmpty() && m_store)
        commitPendingDeletes();
}

void ConversationSidebar::buildActions()
{
    auto action = [this](const QString &text, const QString &accessible) {
        auto *a = new QAction(text, this);
        a->setStatusTip(accessible);
        return a;
    };
    m_openAction = action(tr("Open"), tr("Open the conversation"));
    m_newAction = action(tr("New Conversation"), tr("Start a new conversation"));
    m_newAction->setIcon(QIcon::fromTheme(u"new-chat"_s));
    m_renameAction = action(tr("Rename…"), tr("Rename the conversation"));
    m_renameAction->setIcon(QIcon::fromTheme(u"edit"_s));
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_deleteAction = action(tr("Delete"), tr("Delete the conversation (it can be undone for a few seconds)"));
    // Not QIcon::fromTheme(u"edit-delete"_s): a theme without it falls back to "edit" (a pencil).
    m_deleteAction->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_copyAction = action(tr("Copy as Markdown"), tr("Copy the whole conversation as Markdown"));
    m_copyAction->setIcon(QIcon::fromTheme(u"copy"_s));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_exportMarkdownAction = action(tr("Export as Markdown…"), tr("Save the conversation as a Markdown file"));
    m_exportJsonAction = action(tr("Export as JSON…"), tr("Save the conversation as a JSON file to import later"));
    m_importAction = action(tr("Import JSON…"), tr("Import a conversation exported as JSON"));

    // Keys work where the focus is: in the list, or in the search results.
    for (QAction *a : {m_renameAction, m_deleteAction, m_copyAction}) {
        a->setShortcutContext(Qt::WidgetShortcut);
        a->setShortcutVisibleInContextMenu(true);
    }
    m_list->addAction(m_renameAction);
    m_list->addAction(m_deleteAction);
    m_list->addAction(m_copyAction);
    // A widget shortcut belongs to one widget: the results view gets its own copies.
    for (QAction *a : {m_deleteAction, m_copyAction}) {
        auto *twin = new QAction(this);
        twin->setShortcut(a->shortcut());
        twin->setShortcutContext(Qt::WidgetShortcut);
        connect(twin, &QAction::triggered, a, &QAction::trigger);
        m_results->addAction(twin);
    }

    connect(m_openAction, &QAction::triggered, this, [this] {
        // A search hit opens at its message, a row of the list at the end.
        const QModelIndex hit = m_menuOpen ? QModelIndex(m_menuIndex) : m_results->currentIndex();
        if (m_pages->currentWidget() == m_results && hit.isValid() && hit.model() == m_resultsModel) {
            activateResultIndex(hit);
            return;
        }
        const qint64 id = targetId();
        if (id >= 0) {
            m_currentId = id;
            Q_EMIT conversationActivated(id, -1);
        }
    });
    connect(m_newAction, &QAction::triggered, this, &ConversationSidebar::newConversationRequested);
    connect(m_renameAction, &QAction::triggered, this, [this] { renameConversation(targetId()); });
    connect(m_deleteAction, &QAction::triggered, this, [this] { deleteConversation(targetId()); });
    connect(m_copyAction, &QAction::triggered, this, [this] { copyAsMarkdown(targetId()); });
    connect(m_exportMarkdownAction, &QAction::triggered, this,
            [this] { exportConversationWithDialog(targetId(), ExportFormat::Markdown); });
    connect(m_exportJsonAction, &QAction::triggered, this,
            [this] { exportConversationWithDialog(targetId(), ExportFormat::Json); });
    connect(m_importAction, &QAction::triggered, this, &ConversationSidebar::importWithDialog);
}

void ConversationSidebar::buildMenu()
{
    m_menu->setObjectName(u"ConversationMenu"_s);
    m_menu->addAction(m_openAction);
    m_menu->addAction(m_newAction);
    m_menu->addSeparator();
    m_menu->addAction(m_renameAction);
    m_menu->addAction(m_copyAction);
    m_menu->addAction(m_exportMarkdownAction);
    m_menu->addAction(m_exportJsonAction);
    m_menu->addSeparator();
    m_menu->addAction(m_importAction);
    m_menu->addSeparator();
    m_menu->addAction(m_deleteAction);
    // The actions run after the menu hides; forget its row only after them.
    connect(m_menu, &QMenu::aboutToHide, this, [this] {
        QTimer::singleShot(0, this, [this] {
            m_menuOpen = false;
            m_menuTarget = -1;
            m_menuIndex = QPersistentModelIndex();
            m_delegate->setMarkedIndex({});
            m_resultsDelegate->setMarkedIndex({});
            m_list->viewport()->update();
            m_results->viewport()->update();
            updateActions();
        });
    });
}

void ConversationSidebar::showContextMenu(QListView *view, const QPoint &pos)
{
    const QModelIndex index = view->indexAt(pos);
    m_menuIndex = index;
    m_menuOpen = true;
    m_menuTarget = -1;
    if (index.isValid())
        m_menuTarget = view == m_list ? index.data(ConversationListModel::IdRole).toLongLong()
                                      : index.data(SearchResultsModel::ConversationIdRole).toLongLong();
    updateActions();
    m_renameAction->setVisible(view == m_list);
    // The row stays marked while its menu is open.
    if (view == m_list)
        m_delegate->setMarkedIndex(index);
    else
        m_resultsDelegate->setMarkedIndex(index);
    view->viewport()->update();
    m_menu->popup(view->viewport()->mapToGlobal(pos));
}

qint64 ConversationSidebar::targetId() const
{
    if (m_menuOpen)
        return m_menuTarget;
    if (m_pages->currentWidget() == m_results) {
        const QModelIndex index = m_results->currentIndex();
        return index.isValid() ? index.data(SearchResultsModel::ConversationIdRole).toLongLong() : -1;
    }
    const QModelIndex index = m_list->currentIndex();
    return index.isValid() ? index.data(ConversationListModel::IdRole).toLongLong() : -1;
}

void ConversationSidebar::updateActions()
{
    const bool hasTarget = targetId() >= 0 && m_store;
    for (QAction *a : {m_openAction, m_renameAction, m_deleteAction, m_copyAction, m_exportMarkdownAction,
                       m_exportJsonAction})
        a->setEnabled(hasTarget);
    m_importAction->setEnabled(m_store && m_store->isOpen());
    if (!m_menuOpen)
        m_renameAction->setVisible(true);
}

void ConversationSidebar::applyStyle()
{
    const QPalette pal = palette();
    const bool dark = isDark(pal);
    const QColor text = pal.color(QPalette::Text);
    const qreal dpr = devicePixelRatioF();

    const QList<QAction *> leading = m_search->actions();
    for (QAction *a : leading)
        if (a->objectName() == u"SearchIcon"_s)
            m_search->removeAction(a);
    QAction *icon = m_search->addAction(searchIcon(ConversationDelegate::secondaryTextColor(pal), dpr),
                                        QLineEdit::LeadingPosition);
    icon->setObjectName(u"SearchIcon"_s);

    const QString searchSheet =
        u"QLineEdit#SidebarSearch { border: 1px solid %1; border-radius: 8px; padding: 5px 4px;"
        " background: %2; }"
        "QLineEdit#SidebarSearch:focus { border: 1px solid %3; }"_s.arg(
            rgba(withAlpha(text, dark ? 0.18 : 0.16)), pal.color(QPalette::Base).name(),
            pal.color(QPalette::Highlight).name());
    if (m_search->styleSheet() != searchSheet)
        m_search->setStyleSheet(searchSheet);

    m_newButton->setIcon(QIcon::fromTheme(u"new-chat"_s, plusIcon(text, dpr)));

    // Thin scroll bars without arrows, as in chat apps; the lists are the panel.
    const QString scrollSheet =
        u"QScrollBar:vertical { background: transparent; width: 10px; margin: 2px 1px 2px 0; }"
        "QScrollBar::handle:vertical { background: %1; border-radius: 3px; min-height: 32px; margin: 0 2px; }"
        "QScrollBar::handle:vertical:hover, QScrollBar::handle:vertical:pressed { background: %2; }"
        "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; border: none; }"
        "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: transparent; }"_s.arg(
            rgba(withAlpha(text, 0.22)), rgba(withAlpha(text, 0.40)));
    for (QListView *view : {m_list, m_results}) {
        if (view->verticalScrollBar()->styleSheet() != scrollSheet)
            view->verticalScrollBar()->setStyleSheet(scrollSheet);
    }

    // A snackbar: inverted colours, the action in the accent colour.
    const QColor barBackground = dark ? QColor(0xe8, 0xea, 0xed) : QColor(0x2b, 0x2d, 0x31);
    const QColor barText = dark ? QColor(0x20, 0x21, 0x24) : QColor(0xf1, 0xf3, 0xf4);
    const QColor barAction = dark ? QColor(0x1a, 0x5f, 0xd0) : QColor(0x8a, 0xb4, 0xf8);
    const QString barSheet =
        u"#UndoBar { background: %1; border-radius: 8px; }"
        "#UndoBar QLabel { color: %2; background: transparent; }"
        "#UndoBar QToolButton { color: %3; font-weight: 600; border: none; border-radius: 6px;"
        " padding: 4px 10px; background: transparent; }"
        "#UndoBar QToolButton:hover, #UndoBar QToolButton:focus { background: %4; }"_s.arg(
            barBackground.name(), barText.name(), barAction.name(), rgba(withAlpha(barAction, 0.18)));
    if (m_undoBar->styleSheet() != barSheet)
        m_undoBar->setStyleSheet(barSheet);
}

void ConversationSidebar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyStyle();
}

// --- Current conversation, streaming ------------------------------------------------

void ConversationSidebar::setCurrentConversation(qint64 id)
{
    m_currentId = id;
    QItemSelectionModel *selection = m_list->selectionModel();
    if (id < 0 || m_model->isHidden(id)) {
        selection->clearSelection();
        return;
    }
    // A conversation the model has not heard of yet (just created): in it comes.
    if (m_model->rowOf(id) < 0)
        m_model->conversationUpdated(id);
    const int row = m_model->ensureLoaded(id);
    if (row < 0) {
        selection->clearSelection();
        return;
    }
    const QModelIndex index = m_model->index(row);
    selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_list->scrollTo(index);
}

void ConversationSidebar::setStreaming(qint64 id, bool streaming)
{
    m_model->setStreaming(id, streaming);
}

void ConversationSidebar::trackSession(ChatSession *session)
{
    if (!session)
        return;
    connect(session, &ChatSession::conversationChanged, this, [this, session] {
        m_model->conversationUpdated(session->conversationId());
    });
    connect(session, &ChatSession::streamingChanged, this, [this, session](bool streaming) {
        const qint64 id = session->conversationId();
        if (streaming && id >= 0) {
            m_streamingSessions.insert(session, id);
            m_model->setStreaming(id, true);
        } else if (!streaming && m_streamingSessions.contains(session)) {
            m_model->setStreaming(m_streamingSessions.take(session), false);
        }
        m_model->conversationUpdated(id); // its reply moved `updated`
    });
    connect(session, &QObject::destroyed, this, [this](QObject *object) {
        if (m_streamingSessions.contains(object))
            m_model->setStreaming(m_streamingSessions.take(object), false);
    });
}

void ConversationSidebar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

// --- Activation, keys -------------------------------------------------------------------

void ConversationSidebar::activateListIndex(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    m_currentId = index.data(ConversationListModel::IdRole).toLongLong();
    Q_EMIT conversationActivated(m_currentId, -1);
}

void ConversationSidebar::activateResultIndex(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const qint64 id = index.data(SearchResultsModel::ConversationIdRole).toLongLong();
    const qint64 messageId = index.data(SearchResultsModel::MessageIdRole).toLongLong();
    setCurrentConversation(id); // selected in the list when the search is cleared
    Q_EMIT conversationActivated(id, messageId);
}

bool ConversationSidebar::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool plain = !(key->modifiers() & ~Qt::KeypadModifier);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;

    if (watched == m_search && plain) {
        QListView *visible = m_pages->currentWidget() == m_results ? m_results : m_list;
        switch (key->key()) {
        case Qt::Key_Down:
        case Qt::Key_PageDown:
            if (visible->model()->rowCount() > 0) {
                visible->setFocus(Qt::TabFocusReason);
                if (!visible->currentIndex().isValid())
                    visible->setCurrentIndex(visible->model()->index(0, 0));
                else
                    visible->selectionModel()->select(visible->currentIndex(),
                                                      QItemSelectionModel::ClearAndSelect);
            }
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (isSearchActive()) {
                if (m_searchTimer->isActive()) {
                    m_searchTimer->stop();
                    runSearch();
                }
                const QModelIndex current = m_results->currentIndex();
                activateResultIndex(current.isValid() ? current : m_resultsModel->index(0));
            }
            return true;
        case Qt::Key_Escape:
            if (!m_search->text().isEmpty()) {
                m_search->clear();
                return true;
            }
            break;
        default:
            break;
        }
    } else if ((watched == m_list || watched == m_results) && plain) {
        auto *view = static_cast<QListView *>(watched);
        // Not while a rename editor (which has the focus then) passes Enter up.
        if (enter && view->hasFocus()) {
            if (view == m_list)
                activateListIndex(view->currentIndex());
            else
                activateResultIndex(view->currentIndex());
            return true;
        }
        if (key->key() == Qt::Key_Up && view->currentIndex().row() <= 0) {
            m_search->setFocus(Qt::BacktabFocusReason);
            return true;
        }
        if (key->key() == Qt::Key_Escape && view == m_results) {
            m_search->setFocus(Qt::OtherFocusReason);
            m_search->selectAll();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// --- Search ----------------------------------------------------------------------------

void ConversationSidebar::setSearchDelay(int ms)
{
    m_searchTimer->setInterval(qMax(0, ms));
}

bool ConversationSidebar::isSearchActive() const
{
    return !m_search->text().trimmed().isEmpty();
}

void ConversationSidebar::onSearchTextChanged(const QString &text)
{
    if (text.trimmed().isEmpty()) {
        m_searchTimer->stop();
        m_resultsModel->clear();
        const bool hadFocus = m_results->hasFocus();
        m_pages->setCurrentWidget(m_list);
        if (hadFocus)
            m_list->setFocus(Qt::OtherFocusReason);
        if (m_currentId >= 0)
            setCurrentConversation(m_currentId);
        updateActions();
        return;
    }
    m_searchTimer->start(); // debounced: one query per pause in typing
}

void ConversationSidebar::runSearch()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    QList<HistoryStore::SearchHit> hits;
    if (m_store && m_store->isOpen())
        hits = m_store->search(text, SearchLimit);
    // Conversations waiting for their undo time are gone as far as the user knows.
    hits.erase(std::remove_if(hits.begin(), hits.end(),
                              [this](const HistoryStore::SearchHit &h) {
                                  return m_model->isHidden(h.conversationId);
                              }),
               hits.end());
    m_resultsModel->setHits(hits, text);
    static_cast<PlaceholderListView *>(m_results)
        ->setPlaceholderText(hits.isEmpty() ? tr("No messages match “%1”").arg(text) : QString());
    if (!hits.isEmpty())
        m_results->selectionModel()->setCurrentIndex(m_resultsModel->index(0), QItemSelectionModel::NoUpdate);
    m_pages->setCurrentWidget(m_results);
    updateActions();
}

// --- Rename, delete, undo ----------------------------------------------------------------

void ConversationSidebar::renameConversation(qint64 id)
{
    if (id < 0)
        return;
    if (isSearchActive())
        m_search->clear();
    const int row = m_model->ensureLoaded(id);
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row);
    m_list->scrollTo(index);
    m_list->setFocus(Qt::OtherFocusReason);
    m_list->edit(index);
}

void ConversationSidebar::deleteConversation(qint64 id)
{
    if (id < 0 || !m_store || m_pendingDeletes.contains(id))
        return;
    const int row = m_model->rowOf(id);
    const bool wasCurrentRow = row >= 0 && m_list->currentIndex().row() == row;
    m_pendingTitles.insert(id, titleOf(id));
    m_pendingDeletes.append(id);
    m_model->setHidden(id, true);
    m_resultsModel->removeConversation(id);
    if (isSearchActive() && m_resultsModel->rowCount() == 0)
        static_cast<PlaceholderListView *>(m_results)->setPlaceholderText(
            tr("No messages match “%1”").arg(m_search->text().trimmed()));

    // Deleting with the keyboard: the next row becomes the one Del acts on.
    if (wasCurrentRow && m_list->hasFocus() && m_model->rowCount() > 0) {
        const QModelIndex next = m_model->index(qMin(row, m_model->rowCount() - 1));
        m_list->selectionModel()->setCurrentIndex(next, QItemSelectionModel::ClearAndSelect);
    }
    m_undoTimer->start(m_undoTimeoutMs);
    updateUndoBar();
    updateActions();
    Q_EMIT deletePendingChanged(id, true);
}

void ConversationSidebar::undoDelete()
{
    m_undoTimer->stop();
    const QList<qint64> ids = std::exchange(m_pendingDeletes, {});
    m_pendingTitles.clear();
    const bool focusWasOnBar = m_undoButton->hasFocus();
    m_undoBar->hide();
    for (qint64 id : ids)
        m_model->setHidden(id, false);
    if (ids.contains(m_currentId))
        setCurrentConversation(m_currentId);
    if (isSearchActive())
        runSearch();
    if (focusWasOnBar)
        (isSearchActive() ? m_results : m_list)->setFocus(Qt::OtherFocusReason);
    for (qint64 id : ids)
        Q_EMIT deletePendingChanged(id, false);
    if (!ids.isEmpty())
        Q_EMIT statusMessage(ids.size() == 1 ? tr("Conversation restored")
                                             : tr("%n conversations restored", nullptr, int(ids.size())));
}

void ConversationSidebar::commitPendingDeletes()
{
    m_undoTimer->stop();
    const QList<qint64> ids = std::exchange(m_pendingDeletes, {});
    const QHash<qint64, QString> titles = std::exchange(m_pendingTitles, {});
    if (m_undoButton->hasFocus())
        m_list->setFocus(Qt::OtherFocusReason);
    m_undoBar->hide();
    QStringList failures;
    for (qint64 id : ids) {
        if (m_store && m_store->deleteConversation(id)) {
            m_model->conversationRemoved(id);
            Q_EMIT conversationDeleted(id);
            continue;
        }
        // It stays: show it again and say why.
        const QString reason = m_store ? m_store->lastError() : tr("The history is not open.");
        failures << tr("Could not delete “%1”: %2").arg(titles.value(id), reason);
        m_model->setHidden(id, false);
        Q_EMIT deletePendingChanged(id, false);
    }
    if (!failures.isEmpty())
        showError(failures.join(u'\n'));
}

void ConversationSidebar::updateUndoBar()
{
    if (m_pendingDeletes.isEmpty()) {
        m_undoBar->hide();
        return;
    }
    auto *label = static_cast<ElidedLabel *>(m_undoLabel);
    if (m_pendingDeletes.size() == 1)
        label->setSentence(tr("Deleted “%1”"), m_pendingTitles.value(m_pendingDeletes.constFirst()));
    else
        label->setSentence(tr("Deleted %n conversations", nullptr, int(m_pendingDeletes.size())), QString());
    const QString text = m_undoLabel->text();
    m_undoLabel->setToolTip(text);
    m_undoBar->setAccessibleDescription(text);
    m_undoBar->show();
    if (QAccessible::isActive()) {
        QAccessibleEvent event(m_undoBar, QAccessible::Alert);
        QAccessible::updateAccessibility(&event);
    }
}

QAbstractButton *ConversationSidebar::undoButton() const
{
    return m_undoButton;
}

void ConversationSidebar::showError(const QString &text)
{
    m_banner->showMessage(text, MessageBanner::Kind::Error);
}

QString ConversationSidebar::titleOf(qint64 id) const
{
    QString title;
    const int row = m_model->rowOf(id);
    if (row >= 0) {
        title = m_model->index(row).data(ConversationListModel::TitleRole).toString();
    } else if (m_store) {
        if (const std::optional<Conversation> c = m_store->conversation(id))
            title = c->title;
    }
    return title.trimmed().isEmpty() ? tr("New conversation") : title;
}

// --- Export, import, copy ------------------------------------------------------------------

QString ConversationSidebar::conversationMarkdown(qint64 id, QString *error) const
{
    const std::optional<Conversation> c = m_store ? m_store->conversation(id) : std::nullopt;
    if (!c) {
        if (error)
            *error = m_store ? m_store->lastError() : tr("The history is not open.");
        return {};
    }
    return ConversationExport::toMarkdown(*c, m_store->messages(id),
                                          m_store->conversationSettings(id).value_or(QJsonObject()));
}

QByteArray ConversationSidebar::conversationJson(qint64 id, QString *error) const
{
    const std::optional<Conversation> c = m_store ? m_store->conversation(id) : std::nullopt;
    if (!c) {
        if (error)
            *error = m_store ? m_store->lastError() : tr("The history is not open.");
        return {};
    }
    return ConversationExport::toJson(*c, m_store->messages(id),
                                      m_store->conversationSettings(id).value_or(QJsonObject()));
}

bool ConversationSidebar::exportConversation(qint64 id, const QString &path, ExportFormat format, QString *error)
{
    QString reason;
    const QByteArray bytes = format == ExportFormat::Markdown ? conversationMarkdown(id, &reason).toUtf8()
                                                              : conversationJson(id, &reason);
    const QString native = QDir::toNativeSeparators(path);
    if (bytes.isEmpty()) {
        if (error)
            *error = tr("Could not export the conversation: %1").arg(reason);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(native, file.errorString());
        return false;
    }
    Q_EMIT statusMessage(tr("Exported to %1").arg(native));
    return true;
}

qint64 ConversationSidebar::importConversation(const QString &path, QString *error)
{
    const QString native = QDir::toNativeSeparators(path);
    auto failed = [error](const QString &text) {
        if (error)
            *error = text;
        return qint64(-1);
    };
    if (!m_store || !m_store->isOpen())
        return failed(tr("Could not import %1: the history is not open.").arg(native));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(tr("Could not open %1: %2").arg(native, file.errorString()));
    if (file.size() > MaxImportBytes)
        return failed(tr("%1 is too large to be a conversation file (more than %2 MB).")
                          .arg(native)
                          .arg(MaxImportBytes / (1024 * 1024)));
    const QByteArray bytes = file.readAll();
    QString reason;
    const qint64 id = ConversationExport::importJson(*m_store, bytes, &reason);
    if (id < 0)
        return failed(tr("Could not import %1: %2").arg(QFileInfo(path).fileName(), reason));

    m_model->conversationUpdated(id);
    if (isSearchActive())
        runSearch();
    setCurrentConversation(id);
    Q_EMIT statusMessage(tr("Imported “%1”").arg(titleOf(id)));
    Q_EMIT conversationImported(id);
    Q_EMIT conversationActivated(id, -1);
    return id;
}

bool ConversationSidebar::copyAsMarkdown(qint64 id)
{
    if (id < 0)
        return false;
    QString reason;
    const QString markdown = conversationMarkdown(id, &reason);
    if (markdown.isEmpty()) {
        showError(tr("Could not copy the conversation: %1").arg(reason));
        return false;
    }
    auto *mime = new QMimeData;
    mime->setText(markdown);
    mime->setData(u"text/markdown"_s, markdown.toUtf8());
    QApplication::clipboard()->setMimeData(mime);
    Q_EMIT statusMessage(tr("Copied “%1” as Markdown").arg(titleOf(id)));
    return true;
}

QString ConversationSidebar::suggestedFileName(const QString &title, ExportFormat format)
{
    static const QRegularExpression forbidden(u"[\\\\/:*?\"<>|\\x{0}-\\x{1f}\\x{7f}]+"_s);
    QString name = title;
    name.replace(forbidden, u" "_s);
    name = name.simplified();
    // Dots and spaces at either end confuse Windows and hide files on Unix.
    while (!name.isEmpty() && (name.front() == u'.' || name.front() == u' '))
        name.remove(0, 1);
    while (!name.isEmpty() && (name.back() == u'.' || name.back() == u' '))
        name.chop(1);
    constexpr int MaxLength = 80;
    if (name.size() > MaxLength) {
        name.truncate(name.at(MaxLength - 1).isHighSurrogate() ? MaxLength - 1 : MaxLength);
        name = name.trimmed();
    }
    static const QRegularExpression reserved(u"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    if (name.isEmpty() || reserved.match(name).hasMatch())
        name = name.isEmpty() ? u"conversation"_s : u"conversation-"_s + name;
    return name + (format == ExportFormat::Markdown ? u".md"_s : u".json"_s);
}

void ConversationSidebar::exportConversationWithDialog(qint64 id, ExportFormat format)
{
    if (id < 0)
        return;
    if (m_lastDir.isEmpty())
        m_lastDir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const bool markdown = format == ExportFormat::Markdown;
    auto *dialog = new QFileDialog(this, markdown ? tr("Export as Markdown") : tr("Export as JSON"),
                                   QDir(m_lastDir).filePath(suggestedFileName(titleOf(id), format)),
                                   markdown ? tr("Markdown (*.md *.markdown)") : tr("Sluice conversation (*.json)"));
    dialog->setObjectName(u"ExportDialog"_s);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(markdown ? u"md"_s : u"json"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, id, format](const QString &path) {
        m_lastDir = QFileInfo(path).absolutePath();
        QString error;
        if (!exportConversation(id, path, format, &error))
            showError(error);
    });
    dialog->open(); // window-modal, no nested event loop: replies keep streaming
}

void ConversationSidebar::importWithDialog()
{
    if (m_lastDir.isEmpty())
        m_lastDir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto *dialog = new QFileDialog(this, tr("Import Conversation"), m_lastDir,
                                   tr("Sluice conversation (*.json);;All files (*)"));
    dialog->setObjectName(u"ImportDialog"_s);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        m_lastDir = QFileInfo(path).absolutePath();
        QString error;
        if (importConversation(path, &error) < 0)
            showError(error);
    });
    dialog->open();
}
