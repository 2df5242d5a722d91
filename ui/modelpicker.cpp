#include "modelpicker.h"

#include "net/modelcatalog.h"
#include "settings/settings.h"

#include <QCompleter>
#include <QLineEdit>

using namespace Qt::StringLiterals;

ModelPicker::ModelPicker(QNetworkAccessManager *nam, Settings *settings, QWidget *parent)
    : QComboBox(parent)
    , m_catalog(new ModelCatalog(nam, this))
    , m_settings(settings)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(18);
    setMaxVisibleItems(20);
    setAccessibleName(tr("Model"));
    setToolTip(tr("The model that answers; pick one or type any model id"));
    lineEdit()->setPlaceholderText(tr("Model id"));
    lineEdit()->setAccessibleName(tr("Model id"));

    // Long lists (hundreds of models on some relays): type any part of a name.
    completer()->setCompletionMode(QCompleter::PopupCompletion);
    completer()->setFilterMode(Qt::MatchContains);
    completer()->setCaseSensitivity(Qt::CaseInsensitive);

    connect(this, &QComboBox::activated, this, [this](int index) { commit(itemText(index)); });
    connect(lineEdit(), &QLineEdit::editingFinished, this, [this] { commit(currentText()); });
    connect(m_catalog, &ModelCatalog::finished, this, [this](const QStringList &models, const QString &error) {
        if (error.isEmpty()) {
            m_fetched = models;
            if (m_settings && m_cache)
                m_settings->setCachedModels(m_baseUrl, models);
            rebuild();
        }
        Q_EMIT modelsLoaded(models, error);
    });
    rebuild();
}

ModelPicker::~ModelPicker() = default;

void ModelPicker::setEndpoint(const QUrl &baseUrl, const QString &apiKey, bool cache)
{
    const bool sameEndpoint = baseUrl == m_baseUrl;
    m_baseUrl = baseUrl;
    m_apiKey = apiKey;
    m_cache = cache;
    if (!sameEndpoint) {
        m_fetched = m_settings && cache && baseUrl.isValid() ? m_settings->cachedModels(baseUrl) : QStringList();
        rebuild();
    }
    refresh();
}

void ModelPicker::refresh()
{
    if (m_baseUrl.isValid() && !m_baseUrl.isEmpty())
        m_catalog->fetch(m_baseUrl, m_apiKey);
}

bool ModelPicker::isFetching() const
{
    return m_catalog->isRunning();
}

QString ModelPicker::currentModel() const
{
    return currentText().trimmed();
}

void ModelPicker::setCurrentModel(const QString &model)
{
    m_current = model.trimmed();
    m_rebuilding = true;
    const int index = findText(m_current);
    if (index >= 0)
        setCurrentIndex(index);
    setEditText(m_current);
    m_rebuilding = false;
}

QStringList ModelPicker::models() const
{
    QStringList out;
    for (int i = 0; i < count(); ++i) {
        if (!itemText(i).isEmpty())
            out.append(itemText(i));
    }
    return out;
}

void ModelPicker::rebuild()
{
    m_rebuilding = true;
    const QString keep = m_current.isEmpty() ? currentText() : m_current;
    clear();
    const QStringList defaults = Settings::defaultModels();
    for (const QString &id : defaults)
        addItem(id);
    QStringList extra;
    for (const QString &id : std::as_const(m_fetched)) {
        if (!defaults.contains(id))
            extra.append(id);
    }
    if (!extra.isEmpty()) {
        insertSeparator(count());
        const QString from = m_baseUrl.host();
        for (const QString &id : std::as_const(extra)) {
            addItem(id);
            setItemData(count() - 1, tr("Listed by %1").arg(from), Qt::ToolTipRole);
        }
    }
    const int index = findText(keep);
    if (index >= 0)
        setCurrentIndex(index);
    setEditText(keep);
    m_rebuilding = false;
}

void ModelPicker::commit(const QString &model)
{
    const QString id = model.trimmed();
    if (m_rebuilding)
        return;
    if (id.isEmpty()) {
        setEditText(m_current); // an emptied field goes back to the model in use
        return;
    }
    if (id == m_current)
        return;
    m_current = id;
    if (m_settings)
        m_settings->setModel(id);
    Q_EMIT modelChosen(id);
}
