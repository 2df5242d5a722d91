#include "pricing.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

Pricing Pricing::defaults()
{
    // USD per 1M tokens (input, output), list prices of the providers as of
    // 2026; relays may charge differently, which is why the table is editable.
    Pricing p;
    p.set(u"gpt-4o"_s, {2.50, 10.00});
    p.set(u"gpt-4o-mini"_s, {0.15, 0.60});
    p.set(u"gpt-4.1"_s, {2.00, 8.00});
    p.set(u"gpt-4.1-mini"_s, {0.40, 1.60});
    p.set(u"gpt-4.1-nano"_s, {0.10, 0.40});
    p.set(u"claude-sonnet-4.5"_s, {3.00, 15.00});
    p.set(u"claude-sonnet-4-5"_s, {3.00, 15.00});
    p.set(u"gemini-2.5-flash"_s, {0.30, 2.50});
    p.set(u"gemini-2.5-pro"_s, {1.25, 10.00});
    p.set(u"deepseek-v3.2"_s, {0.28, 0.42});
    p.set(u"deepseek-chat"_s, {0.28, 0.42});
    p.set(u"deepseek-reasoner"_s, {0.28, 0.42});
    return p;
}

std::optional<Pricing::Price> Pricing::priceFor(const QString &model) const
{
    QString id = model.trimmed().toLower();
    if (const qsizetype slash = id.lastIndexOf(u'/'); slash >= 0)
        id = id.mid(slash + 1); // "openai/gpt-4o" -> "gpt-4o"
    if (id.isEmpty())
        return std::nullopt;
    if (auto it = m_prices.constFind(id); it != m_prices.constEnd())
        return *it;
    // Longest known prefix that ends at a separator: "gpt-4o-2024-08-06" -> "gpt-4o",
    // but "gpt-4o-mini-x" -> "gpt-4o-mini".
    qsizetype best = -1;
    std::optional<Price> found;
    for (auto it = m_prices.constBegin(); it != m_prices.constEnd(); ++it) {
        const QString key = it.key().toLower();
        if (key.size() > best && id.startsWith(key) && id.size() > key.size()
            && (id.at(key.size()) == u'-' || id.at(key.size()) == u':' || id.at(key.size()) == u'@')) {
            best = key.size();
            found = *it;
        }
    }
    return found;
}

std::optional<double> Pricing::cost(const QString &model, qint64 promptTokens, qint64 completionTokens) const
{
    const auto price = priceFor(model);
    if (!price)
        return std::nullopt;
    const double in = double(std::max<qint64>(promptTokens, 0));
    const double out = double(std::max<qint64>(completionTokens, 0));
    return (in * price->inputPerMTok + out * price->outputPerMTok) / 1'000'000.0;
}

QString Pricing::toText() const
{
    QStringList keys = m_prices.keys();
    keys.sort();
    QStringList lines;
    for (const QString &key : std::as_const(keys)) {
        const Price p = m_prices.value(key);
        lines << key + u'\t' + QString::number(p.inputPerMTok) + u'\t' + QString::number(p.outputPerMTok);
    }
    return lines.join(u'\n');
}

Pricing Pricing::fromText(const QString &text, QString *error)
{
    Pricing p;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList parts = line.split(QRegularExpression(u"[\\t ,;]+"_s), Qt::SkipEmptyParts);
        bool okIn = false, okOut = false;
        const double in = parts.size() == 3 ? parts.at(1).toDouble(&okIn) : 0;
        const double out = parts.size() == 3 ? parts.at(2).toDouble(&okOut) : 0;
        if (!okIn || !okOut || in < 0 || out < 0) {
            if (error)
                *error = QStringLiteral("Line %1: expected \"model input-price output-price\".").arg(i + 1);
            continue;
        }
        p.set(parts.at(0), {in, out});
    }
    return p;
}
