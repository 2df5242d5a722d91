#pragma once

#include <QComboBox>
#include <QStringList>
#include <QUrl>

class ModelCatalog;
class QNetworkAccessManager;
class Settings;

// The model dropdown: an editable combo box with the default models, then
// the endpoint's own GET /models list (cached per endpoint in Settings,
// refreshed in the background through ModelCatalog). Any id can be typed.
//
//     ModelPicker picker(&nam, &settings);
//     picker.setEndpoint(baseUrl, apiKey);          // cached list now, fresh list later
//     picker.setCurrentModel(u"gpt-4o"_s);          // no modelChosen() for this
//     connect(&picker, &ModelPicker::modelChosen, ...);  // picked or typed by the user
//
// modelsLoaded() reports each background fetch (with an error sentence when it failed).
class ModelPicker : public QComboBox
{
    Q_OBJECT
public:
    ModelPicker(QNetworkAccessManager *nam, Settings *settings, QWidget *parent = nullptr);
    ~ModelPicker() override;

    // `cache`: keep the fetched list in Settings (not for the demo's random port).
    void setEndpoint(const QUrl &baseUrl, const QString &apiKey, bool cache = true);
    void refresh(); // GET /models again

    QString currentModel() const;
    void setCurrentModel(const QString &model);
    // The ids listed, in order (defaults first).
    QStringList models() const;
    QStringList fetchedModels() const { return m_fetched; }
    bool isFetching() const;

Q_SIGNALS:
    void modelChosen(const QString &model);
    void modelsLoaded(const QStringList &models, const QString &error);

private:
    void rebuild();
    void commit(const QString &model);

    ModelCatalog *m_catalog;
    Settings *m_settings;
    QUrl m_baseUrl;
    QString m_apiKey;
    QStringList m_fetched;
    bool m_cache = true;
    QString m_current;
    bool m_rebuilding = false;
};
