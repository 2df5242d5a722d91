#pragma once

#include "metrics/pricing.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <optional>

class ChatSession;
class QGridLayout;
class QLabel;
class QToolButton;
class Settings;
class Sparkline;

// The figures of the selected conversation's last reply, for the "Metrics"
// dock: time to first token, tokens (from the server's usage or counted
// deltas), tokens/s, inter-token gaps p50/p99, bytes, elapsed time, retries,
// the estimated cost and a sparkline of tokens/s over the reply.
//
//     MetricsPanel panel(&settings);
//     panel.setSession(session);      // follows it; nullptr shows nothing
//
// While the session streams, a 100 ms timer refreshes the figures (at most
// ten updates a second, whatever the token rate); when the reply ends the
// timer stops and the final figures stay. A conversation opened from the
// history shows the figures stored with its last reply. "Edit prices…" opens
// a small editor for the per-model price table (Settings::setPricing) and
// emits pricingChanged().
class MetricsPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Field { State, TimeToFirstToken, Tokens, TokensPerSecond, GapP50, GapP99, Bytes, Elapsed, Retries, Cost };
    Q_ENUM(Field)

    struct Figures
    {
        bool valid = false;        // there is a reply to show
        bool live = false;         // it is streaming
        double ttftMs = -1;
        qint64 tokens = 0;
        QString tokenSource;       // "usage", "deltas", "none"
        double tokensPerSecond = 0;
        double gapP50Ms = -1;
        double gapP99Ms = -1;
        qint64 bytes = 0;
        double elapsedMs = 0;
        int retries = 0;
        std::optional<double> costUsd;
        QString state;             // "streaming", "completed", "stopped", ...
        QList<double> rateSeries;  // tokens/s per 250 ms
    };

    static constexpr int RefreshIntervalMs = 100;

    explicit MetricsPanel(Settings *settings, QWidget *parent = nullptr);
    ~MetricsPanel() override;

    void setSession(ChatSession *session);
    ChatSession *session() const;

    const Figures &figures() const { return m_figures; }
    QString text(Field field) const;           // what the panel shows
    int refreshCount() const { return m_refreshCount; }
    bool isLive() const { return m_timer.isActive(); }
    Sparkline *sparkline() const { return m_sparkline; }

    // The figures of a session's last reply: the live ones of its client, or
    // those stored with its last assistant message.
    static Figures figuresOf(ChatSession *session);

    static QString formatDuration(double ms);  // "—", "312 ms", "1.24 s", "2 min 5 s"
    static QString formatTokens(qint64 tokens, const QString &source);
    static QString formatRate(double tokensPerSecond);
    static QString formatBytes(qint64 bytes);
    static QString formatCost(std::optional<double> usd);

public Q_SLOTS:
    void refresh();
    void editPrices();

Q_SIGNALS:
    void pricingChanged(const Pricing &pricing);

private:
    void onStreamingChanged(bool streaming);
    void display(const Figures &figures);
    QLabel *addTile(Field field, const QString &caption, const QString &toolTip, int row, int column, int span = 1);

    Settings *m_settings;
    QPointer<ChatSession> m_session;
    QList<QMetaObject::Connection> m_connections;
    QTimer m_timer;
    Figures m_figures;
    int m_refreshCount = 0;
    QGridLayout *m_grid;
    QHash<Field, QLabel *> m_values;
    QLabel *m_stateLabel;
    QLabel *m_peakLabel;
    Sparkline *m_sparkline;
    QToolButton *m_editPrices;
};
