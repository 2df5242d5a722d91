#pragma once

#include <QHash>
#include <QString>

#include <optional>

// Per-model prices in USD per one million tokens, and the cost of a reply.
// A shipped default table (defaults()) that the user can edit; matching is by
// exact model id first, then by the longest known prefix ("gpt-4o-2024-08-06"
// uses "gpt-4o"), ignoring a vendor prefix like "openai/".
class Pricing
{
public:
    struct Price
    {
        double inputPerMTok = 0;
        double outputPerMTok = 0;
        friend bool operator==(const Price &a, const Price &b)
        {
            return a.inputPerMTok == b.inputPerMTok && a.outputPerMTok == b.outputPerMTok;
        }
    };

    static Pricing defaults();

    void set(const QString &model, Price price) { m_prices.insert(model, price); }
    void remove(const QString &model) { m_prices.remove(model); }
    const QHash<QString, Price> &prices() const { return m_prices; }

    std::optional<Price> priceFor(const QString &model) const;
    // USD; nullopt when the model has no price. Negative token counts count as 0.
    std::optional<double> cost(const QString &model, qint64 promptTokens, qint64 completionTokens) const;

    // "model<TAB>input<TAB>output" lines, for settings storage and the editor.
    QString toText() const;
    static Pricing fromText(const QString &text, QString *error = nullptr);

private:
    QHash<QString, Price> m_prices;
};
