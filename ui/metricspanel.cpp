#include "metricspanel.h"

#include "chat/chatsession.h"
#include "settings/settings.h"
#include "sparkline.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Editor of the numeric columns: USD per million tokens, four decimals.
class PriceDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() == 0)
            return QStyledItemDelegate::createEditor(parent, option, index);
        auto *spin = new QDoubleSpinBox(parent);
        spin->setDecimals(4);
        spin->setRange(0, 100'000);
        spin->setSingleStep(0.05);
        spin->setFrame(false);
        return spin;
    }
};

// The per-model price table: model, input and output USD per 1M tokens.
class PriceEditorDialog : public QDialog
{
    Q_DECLARE_TR_FUNCTIONS(PriceEditorDialog)

public:
    PriceEditorDialog(const Pricing &pricing, QWidget *parent)
        : QDialog(parent)
        , m_table(new QTableWidget(0, 3, this))
    {
        setWindowTitle(tr("Prices"));
        setAccessibleName(tr("Prices"));
        auto *intro = new QLabel(tr("Prices in US dollars per million tokens. Model ids match exactly or by "
                                    "prefix (“gpt-4o” also prices “gpt-4o-2024-08-06”)."),
                                 this);
        intro->setWordWrap(true);
        m_table->setHorizontalHeaderLabels({tr("Model"), tr("Input"), tr("Output")});
        m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
        m_table->verticalHeader()->hide();
        m_table->setItemDelegate(new PriceDelegate(m_table));
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setAccessibleName(tr("Price table"));
        fill(pricing);

        auto *add = new QPushButton(tr("&Add"), this);
        auto *remove = new QPushButton(tr("&Remove"), this);
        auto *reset = new QPushButton(tr("Restore &defaults"), this);
        connect(add, &QPushButton::clicked, this, [this] {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            setRow(row, QString(), {});
            m_table->setCurrentCell(row, 0);
            m_table->editItem(m_table->item(row, 0));
        });
        connect(remove, &QPushButton::clicked, this, [this] {
            const int row = m_table->currentRow();
            if (row >= 0)
                m_table->removeRow(row);
        });
        connect(reset, &QPushButton::clicked, this, [this] { fill(Pricing::defaults()); });
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

        auto *row = new QHBoxLayout;
        row->addWidget(add);
        row->addWidget(remove);
        row->addStretch(1);
        row->addWidget(reset);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(intro);
        layout->addWidget(m_table, 1);
        layout->addLayout(row);
        layout->addWidget(buttons);
        resize(520, 460);
    }

    Pricing pricing() const
    {
        Pricing p;
        for (int row = 0; row < m_table->rowCount(); ++row) {
            const QString model = m_table->item(row, 0)->text().trimmed();
            if (model.isEmpty())
                continue;
            p.set(model, {m_table->item(row, 1)->data(Qt::EditRole).toDouble(),
                          m_table->item(row, 2)->data(Qt::EditRole).toDouble()});
        }
        return p;
    }

private:
    void fill(const Pricing &pricing)
    {
        QStringList models = pricing.prices().keys();
        models.sort(Qt::CaseInsensitive);
        m_table->setRowCount(int(models.size()));
        for (int row = 0; row < models.size(); ++row)
            setRow(row, models.at(row), pricing.prices().value(models.at(row)));
    }

    void setRow(int row, const QString &model, Pricing::Price price)
    {
        m_table->setItem(row, 0, new QTableWidgetItem(model));
        auto *input = new QTableWidgetItem;
        input->setData(Qt::EditRole, price.inputPerMTok);
        auto *output = new QTableWidgetItem;
        output->setData(Qt::EditRole, price.outputPerMTok);
        m_table->setItem(row, 1, input);
        m_table->setItem(row, 2, output);
    }

    QTableWidget *m_table;
};

QString stateText(const QString &state)
{
    if (state == u"streaming")
        return MetricsPanel::tr("● Streaming");
    if (state == u"completed")
        return MetricsPanel::tr("Completed");
    if (state == u"stopped")
        return MetricsPanel::tr("Stopped");
    if (state == u"truncated")
        return MetricsPanel::tr("Cut off");
    if (state == u"failed")
        return MetricsPanel::tr("Failed");
    if (state == u"interrupted")
        return MetricsPanel::tr("Interrupted");
    return MetricsPanel::tr("No reply yet");
}

} // namespace

MetricsPanel::MetricsPanel(Settings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_grid(new QGridLayout)
    , m_stateLabel(new QLabel(this))
    , m_peakLabel(new QLabel(this))
    , m_sparkline(new Sparkline(this))
    , m_editPrices(new QToolButton(this))
{
    setAccessibleName(tr("Metrics"));
    m_timer.setInterval(RefreshIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MetricsPanel::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 10);
    layout->setSpacing(8);

    QFont stateFont = m_stateLabel->font();
    stateFont.setWeight(QFont::DemiBold);
    m_stateLabel->setFont(stateFont);
    m_stateLabel->setAccessibleName(tr("Reply state"));
    layout->addWidget(m_stateLabel);

    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(8);
    addTile(Field::TimeToFirstToken, tr("Time to first token"), tr("From sending the request to the first token"), 0, 0);
    addTile(Field::TokensPerSecond, tr("Tokens/s"), tr("Tokens per second since the first token"), 0, 1);
    addTile(Field::Tokens, tr("Tokens"),
            tr("Completion tokens: from the server's usage report when it sends one, else counted deltas"), 1, 0);
    addTile(Field::Elapsed, tr("Elapsed"), tr("From sending the request to the end of the reply"), 1, 1);
    addTile(Field::GapP50, tr("Gap p50"), tr("Median time between two tokens"), 2, 0);
    addTile(Field::GapP99, tr("Gap p99"), tr("99th percentile of the time between two tokens"), 2, 1);
    addTile(Field::Bytes, tr("Received"), tr("Bytes of the response body"), 3, 0);
    addTile(Field::Retries, tr("Retries"), tr("How many times the request was sent again"), 3, 1);
    addTile(Field::Cost, tr("Estimated cost"),
            tr("Prompt and completion tokens at the prices in the price table (Edit prices…)"), 4, 0, 2);
    m_grid->setColumnStretch(0, 1);
    m_grid->setColumnStretch(1, 1);
    layout->addLayout(m_grid);

    auto *sparkHeader = new QHBoxLayout;
    auto *sparkCaption = new QLabel(tr("Tokens/s over the reply"), this);
    sparkCaption->setForegroundRole(QPalette::PlaceholderText);
    m_peakLabel->setForegroundRole(QPalette::PlaceholderText);
    sparkHeader->addWidget(sparkCaption, 1);
    sparkHeader->addWidget(m_peakLabel);
    layout->addSpacing(4);
    layout->addLayout(sparkHeader);
    layout->addWidget(m_sparkline);

    m_editPrices->setText(tr("Edit prices…"));
    m_editPrices->setAutoRaise(true);
    m_editPrices->setCursor(Qt::PointingHandCursor);
    m_editPrices->setAccessibleName(tr("Edit prices"));
    m_editPrices->setToolTip(tr("Edit the price per million tokens of each model"));
    connect(m_editPrices, &QToolButton::clicked, this, &MetricsPanel::editPrices);
    layout->addWidget(m_editPrices, 0, Qt::AlignLeft);
    layout->addStretch(1);

    display(Figures());
}

MetricsPanel::~MetricsPanel() = default;

QLabel *MetricsPanel::addTile(Field field, const QString &caption, const QString &toolTip, int row, int column, int span)
{
    auto *tile = new QFrame(this);
    tile->setObjectName(u"MetricTile"_s);
    tile->setToolTip(toolTip);
    tile->setStyleSheet(u"#MetricTile { background: palette(base); border: 1px solid palette(midlight); border-radius: 8px; }"
                        "#MetricTile QLabel { background: transparent; border: none; }"_s);
    auto *value = new QLabel(tile);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    big.setWeight(QFont::DemiBold);
    value->setFont(big);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setAccessibleName(caption);
    auto *label = new QLabel(caption, tile);
    QFont small = label->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    label->setFont(small);
    label->setForegroundRole(QPalette::PlaceholderText);
    auto *box = new QVBoxLayout(tile);
    box->setContentsMargins(10, 6, 10, 7);
    box->setSpacing(0);
    box->addWidget(value);
    box->addWidget(label);
    m_grid->addWidget(tile, row, column, 1, span);
    m_values.insert(field, value);
    return value;
}

void MetricsPanel::setSession(ChatSession *session)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_session = session;
    if (session) {
        m_connections.append(connect(session, &ChatSession::streamingChanged, this, &MetricsPanel::onStreamingChanged));
        m_connections.append(connect(session, &ChatSession::replyFinished, this, &MetricsPanel::refresh));
        m_connections.append(connect(session, &QObject::destroyed, this, [this] { setSession(nullptr); }));
    }
    onStreamingChanged(session && session->isStreaming());
}

ChatSession *MetricsPanel::session() const
{
    return m_session;
}

void MetricsPanel::onStreamingChanged(bool streaming)
{
    if (streaming)
        m_timer.start();
    else
        m_timer.stop();
    refresh(); // the first figures now, or the final ones
}

void MetricsPanel::refresh()
{
    ++m_refreshCount;
    display(figuresOf(m_session));
}

MetricsPanel::Figures MetricsPanel::figuresOf(ChatSession *session)
{
    Figures f;
    if (!session)
        return f;
    const TranscriptModel *model = session->model();
    int lastReply = -1;
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        if (model->message(row).role == ChatMessage::Role::Assistant) {
            lastReply = row;
            break;
        }
    }
    if (lastReply >= 0)
        f.state = Message::stateName(model->message(lastReply).state);

    // streamingRow() is set just before the request goes out (and the
    // client's figures are reset), isStreaming() just after.
    const bool live = session->streamingRow() >= 0;
    if (live && !session->isStreaming()) {
        f.valid = true;
        f.live = true;
        f.state = u"streaming"_s;
        return f;
    }
    const StreamMetrics::Snapshot s = session->metricsSnapshot();
    const bool clientRan = live || s.elapsedMs > 0 || s.bytes > 0;
    if (clientRan) {
        f.valid = true;
        f.live = live;
        f.ttftMs = s.ttftMs;
        f.tokens = s.tokens;
        f.tokenSource = s.tokenSourceName();
        f.tokensPerSecond = s.tokensPerSecond;
        f.gapP50Ms = s.gapP50Ms;
        f.gapP99Ms = s.gapP99Ms;
        f.bytes = s.bytes;
        f.elapsedMs = s.elapsedMs;
        f.retries = s.retries;
        f.costUsd = session->costOf(s);
        f.rateSeries = session->rateSeries();
        if (f.live)
            f.state = u"streaming"_s;
        return f;
    }
    if (lastReply < 0)
        return f;
    // A conversation from the history: what was stored with its last reply.
    const Message &m = model->message(lastReply);
    if (m.metrics.isEmpty())
        return f;
    f.valid = true;
    f.ttftMs = m.metrics.ttftMs;
    f.tokens = m.metrics.tokens;
    f.tokenSource = m.metrics.tokenSource;
    f.tokensPerSecond = m.metrics.tokensPerSecond;
    f.gapP50Ms = m.metrics.gapP50Ms;
    f.gapP99Ms = m.metrics.gapP99Ms;
    f.bytes = m.metrics.bytes;
    f.elapsedMs = m.metrics.elapsedMs;
    f.retries = m.metrics.retries;
    f.costUsd = m.costUsd;
    return f;
}

void MetricsPanel::display(const Figures &f)
{
    m_figures = f;
    const QString none = u"—"_s;
    m_stateLabel->setText(stateText(f.state));
    m_values.value(Field::TimeToFirstToken)->setText(f.valid ? formatDuration(f.ttftMs) : none);
    m_values.value(Field::Tokens)->setText(f.valid ? formatTokens(f.tokens, f.tokenSource) : none);
    m_values.value(Field::TokensPerSecond)->setText(f.valid ? formatRate(f.tokensPerSecond) : none);
    m_values.value(Field::GapP50)->setText(f.valid ? formatDuration(f.gapP50Ms) : none);
    m_values.value(Field::GapP99)->setText(f.valid ? formatDuration(f.gapP99Ms) : none);
    m_values.value(Field::Bytes)->setText(f.valid ? formatBytes(f.bytes) : none);
    m_values.value(Field::Elapsed)->setText(f.valid ? formatDuration(f.elapsedMs) : none);
    m_values.value(Field::Retries)->setText(f.valid ? QLocale().toString(f.retries) : none);
    m_values.value(Field::Cost)->setText(f.valid ? formatCost(f.costUsd) : none);
    m_values.value(Field::Cost)->setToolTip(f.valid && !f.costUsd
                                                ? tr("No price is known for this model; add one with Edit prices…")
                                                : QString());
    m_sparkline->setValues(f.rateSeries);
    m_peakLabel->setText(f.rateSeries.isEmpty() ? QString()
                                                : tr("peak %1").arg(formatRate(m_sparkline->peak())));
}

QString MetricsPanel::text(Field field) const
{
    if (field == Field::State)
        return m_stateLabel->text();
    const QLabel *label = m_values.value(field);
    return label ? label->text() : QString();
}

QString MetricsPanel::formatDuration(double ms)
{
    const QLocale locale;
    if (ms < 0 || !std::isfinite(ms))
        return u"—"_s;
    if (ms < 10)
        return tr("%1 ms").arg(locale.toString(ms, 'f', 1));
    if (ms < 1000)
        return tr("%1 ms").arg(locale.toString(std::lround(ms)));
    if (ms < 10'000)
        return tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 2));
    if (ms < 60'000)
        return tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    const auto seconds = std::lround(ms / 1000.0);
    return tr("%1 min %2 s").arg(locale.toString(seconds / 60), locale.toString(seconds % 60));
}

QString MetricsPanel::formatTokens(qint64 tokens, const QString &source)
{
    const QString count = QLocale().toString(tokens);
    if (source == u"usage")
        return tr("%1 (usage)").arg(count);
    if (source == u"deltas")
        return tr("%1 (counted)").arg(count);
    return count;
}

QString MetricsPanel::formatRate(double tokensPerSecond)
{
    if (tokensPerSecond <= 0 || !std::isfinite(tokensPerSecond))
        return u"—"_s;
    return tr("%1 tok/s").arg(QLocale().toString(tokensPerSecond, 'f', 1));
}

QString MetricsPanel::formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%1 B").arg(QLocale().toString(bytes));
    return QLocale().formattedDataSize(bytes, 1);
}

QString MetricsPanel::formatCost(std::optional<double> usd)
{
    if (!usd || !std::isfinite(*usd) || *usd < 0)
        return u"—"_s;
    const QLocale locale;
    if (*usd == 0)
        return u"$"_s + locale.toString(0.0, 'f', 2);
    if (*usd < 0.0001)
        return u"< $"_s + locale.toString(0.0001, 'f', 4);
    if (*usd < 1)
        return u"$"_s + locale.toString(*usd, 'f', 4);
    return u"$"_s + locale.toString(*usd, 'f', 2);
}

void MetricsPanel::editPrices()
{
    const Pricing current = m_settings ? m_settings->pricing() : Pricing::defaults();
    auto *dialog = new PriceEditorDialog(current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Pricing pricing = dialog->pricing();
        if (m_settings)
            m_settings->setPricing(pricing);
        Q_EMIT pricingChanged(pricing);
        refresh();
    });
    dialog->open(); // window-modal, without a nested event loop
}
