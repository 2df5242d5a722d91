#include "messagelayout.h"

#include "chat/transcriptmodel.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QFontMetricsF>
#include <QLocale>
#include <QModelIndex>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

#include <cmath>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {

constexpr int PadTop = 10;
constexpr int PadBottom = 14;
constexpr int Avatar = 26;
constexpr int AvatarGap = 10;
constexpr int BodyIndent = Avatar + AvatarGap;
constexpr int BubblePadX = 14;
constexpr int BubblePadY = 9;
constexpr int BubbleRadius = 14;
constexpr int BannerPad = 10;
constexpr int ReasoningIndent = 16;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

qreal luminance(const QColor &c)
{
    const auto channel = [](qreal v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// WCAG contrast ratio, 1 (none) to 21 (black on white).
qreal contrast(const QColor &a, const QColor &b)
{
    const qreal la = luminance(a);
    const qreal lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Code colours in the spirit of GitHub's light and dark themes, each kept
// readable on the code background (mixed towards the text colour if needed).
void setSyntaxColors(MarkdownStyle *md, bool dark)
{
    struct Entry
    {
        CodeToken token;
        QRgb light;
        QRgb dark;
    };
    static const Entry entries[] = {
        {CodeToken::Keyword, 0xcf222e, 0xff7b72},   {CodeToken::Type, 0x953800, 0xffa657},
        {CodeToken::Literal, 0x0550ae, 0x79c0ff},   {CodeToken::Function, 0x8250df, 0xd2a8ff},
        {CodeToken::String, 0x0a3069, 0xa5d6ff},    {CodeToken::Escape, 0x0550ae, 0x79c0ff},
        {CodeToken::Number, 0x0550ae, 0x79c0ff},    {CodeToken::Comment, 0x6e7781, 0x8b949e},
        {CodeToken::Meta, 0x8250df, 0xd2a8ff},      {CodeToken::Tag, 0x116329, 0x7ee787},
        {CodeToken::Attribute, 0x0550ae, 0x79c0ff}, {CodeToken::Variable, 0x953800, 0xffa657},
        {CodeToken::Inserted, 0x116329, 0x7ee787},  {CodeToken::Deleted, 0xcf222e, 0xffa198},
        {CodeToken::Section, 0x8250df, 0xd2a8ff},
    };
    md->syntax = {};
    for (const Entry &e : entries) {
        QColor c = QColor::fromRgb(dark ? e.dark : e.light);
        for (int step = 1; step <= 10 && contrast(c, md->codeBackground) < 4.5; ++step)
            c = mix(c, md->text, 0.1 * step);
        md->syntax[size_t(e.token)] = c;
    }
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

QFont scaled(const QFont &font, qreal factor)
{
    QFont f = font;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else if (f.pixelSize() > 0)
        f.setPixelSize(std::max(1, qRound(f.pixelSize() * factor)));
    return f;
}

int sideMargin(int width)
{
    return width < 560 ? 12 : 28;
}

int columnWidth(int width, const MessageStyle &style)
{
    return std::max(120, std::min(width - 2 * sideMargin(width), style.maxColumnWidth));
}

enum class Glyph { Copy, Check, Edit, Retry };

void drawGlyph(QPainter *p, Glyph glyph, const QPointF &c, const QColor &color)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setBrush(Qt::NoBrush);
    p->setPen(QPen(color, 1.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    switch (glyph) {
    case Glyph::Copy:
        p->drawRoundedRect(QRectF(c.x() - 2, c.y() - 5.5, 7, 8), 1.5, 1.5);
        p->drawRoundedRect(QRectF(c.x() - 5, c.y() - 2.5, 7, 8), 1.5, 1.5);
        break;
    case Glyph::Check: {
        QPainterPath path;
        path.moveTo(c.x() - 4.5, c.y());
        path.lineTo(c.x() - 1.5, c.y() + 3);
        path.lineTo(c.x() + 4.5, c.y() - 3.5);
        p->setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p->drawPath(path);
        break;
    }
    case Glyph::Edit: {
        p->setPen(QPen(color, 2.2, Qt::SolidLine, Qt::FlatCap));
        p->drawLine(QPointF(c.x() - 2.5, c.y() + 2.5), QPointF(c.x() + 3.5, c.y() - 3.5));
        p->setPen(QPen(color, 1.2, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(QPointF(c.x() - 4.5, c.y() + 4.5), QPointF(c.x() - 3.2, c.y() + 3.2));
        break;
    }
    case Glyph::Retry: {
        const QRectF r(c.x() - 4.5, c.y() - 4.5, 9, 9);
        p->drawArc(r, 60 * 16, 290 * 16);
        const QPointF tip(c.x() + 4.5 * 0.5, c.y() - 4.5 * 0.866);
        p->drawLine(tip, tip + QPointF(-3.2, -0.6));
        p->drawLine(tip, tip + QPointF(0.4, 3.0));
        break;
    }
    }
    p->restore();
}

QSize buttonSize(const QFont &font, const QString &text)
{
    const QFontMetrics fm(font);
    return {fm.horizontalAdvance(text) + 30, fm.height() + 8};
}

void drawButton(QPainter *p, const QRect &rect, Glyph glyph, const QString &text, bool hovered,
                const MessageStyle &style)
{
    const MarkdownStyle &md = style.markdown;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    if (hovered) {
        p->setPen(Qt::NoPen);
        p->setBrush(md.buttonHover);
        p->drawRoundedRect(QRectF(rect), 6, 6);
    }
    const QColor color = hovered ? md.text : md.dimText;
    drawGlyph(p, glyph, QPointF(rect.left() + 12.5, rect.center().y() + 0.5), color);
    p->setFont(md.smallFont);
    p->setPen(color);
    p->drawText(rect.adjusted(22, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    p->restore();
}

void drawSparkle(QPainter *p, const QPointF &c, qreal r, const QColor &color)
{
    QPainterPath path;
    path.moveTo(c.x(), c.y() - r);
    path.quadTo(c, QPointF(c.x() + r, c.y()));
    path.quadTo(c, QPointF(c.x(), c.y() + r));
    path.quadTo(c, QPointF(c.x() - r, c.y()));
    path.quadTo(c, QPointF(c.x(), c.y() - r));
    p->fillPath(path, color);
}

} // namespace

MessageStyle MessageStyle::fromWidget(const QPalette &palette, const QFont &font)
{
    MessageStyle s;
    MarkdownStyle &md = s.markdown;
    s.base = palette.color(QPalette::Base);
    md.text = palette.color(QPalette::Text);
    s.dark = s.base.lightnessF() < 0.5;
    s.accent = palette.color(QPalette::Highlight);
    if (contrast(s.accent, s.base) < 2.5)
        s.accent = s.dark ? QColor(0x6c, 0x9e, 0xf8) : QColor(0x25, 0x63, 0xeb);
    s.onAccent = s.accent.lightnessF() > 0.6 ? QColor(0x10, 0x10, 0x10) : QColor(Qt::white);
    md.dimText = mix(md.text, s.base, 0.42);
    md.link = palette.color(QPalette::Link);
    if (contrast(md.link, s.base) < 4.5)
        md.link = s.dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x5f, 0xd0);
    md.codeBackground = mix(s.base, md.text, s.dark ? 0.06 : 0.035);
    md.codeHeader = mix(s.base, md.text, s.dark ? 0.10 : 0.065);
    md.border = mix(s.base, md.text, s.dark ? 0.18 : 0.13);
    md.inlineCodeBackground = mix(s.base, md.text, s.dark ? 0.12 : 0.07);
    md.buttonHover = mix(s.base, md.text, s.dark ? 0.16 : 0.09);
    md.highlight = palette.color(QPalette::Highlight);
    md.highlightedText = palette.color(QPalette::HighlightedText);
    s.bubble = mix(s.base, s.accent, s.dark ? 0.22 : 0.11);
    s.warning = s.dark ? QColor(0xf2, 0xb8, 0x5b) : QColor(0x9a, 0x5b, 0x00);
    s.error = s.dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    s.warningBackground = mix(s.base, s.warning, s.dark ? 0.14 : 0.09);
    s.errorBackground = mix(s.base, s.error, s.dark ? 0.14 : 0.08);
    setSyntaxColors(&md, s.dark);

    // Messages are read, not scanned: a little larger than the interface font.
    md.font = scaled(font, 1.1);
    md.smallFont = scaled(font, 0.92);
    s.labelFont = md.smallFont;
    s.labelFont.setWeight(QFont::DemiBold);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (md.font.pointSizeF() > 0)
        mono.setPointSizeF(md.font.pointSizeF() * 0.92);
    else
        mono.setPixelSize(std::max(1, qRound(md.font.pixelSize() * 0.92)));
    md.monoFont = mono;
    const QFontMetricsF fm(md.font);
    md.lineSpacing = fm.lineSpacing();
    md.smallLineSpacing = QFontMetricsF(md.smallFont).lineSpacing();
    md.paragraphGap = qRound(fm.lineSpacing() * 0.6);
    md.itemGap = qRound(fm.lineSpacing() * 0.15);
    s.maxColumnWidth = std::clamp(qRound(fm.averageCharWidth() * 104), 520, 1000);
    return s;
}

MessageLayout::MessageLayout(const MessageStyle *style)
    : m_style(style)
    , m_reasoning(&style->markdown, MarkdownRenderer::Mode::Markdown)
{
}

MessageLayout::~MessageLayout() = default;

bool MessageLayout::update(const QModelIndex &index, int width, int thinking)
{
    const auto role = ChatMessage::Role(index.data(TranscriptModel::MessageRoleRole).toInt());
    const auto state = Message::State(index.data(TranscriptModel::StateRole).toInt());
    const QString text = index.data(TranscriptModel::TextRole).toString();
    const QString reasoning = index.data(TranscriptModel::ReasoningRole).toString();
    const bool streaming = state == Message::State::Streaming;

    bool structural = !m_initialized || width != m_width || role != m_role;
    if (!m_content || role != m_role) {
        m_content = std::make_unique<MarkdownRenderer>(
            &m_style->markdown,
            role == ChatMessage::Role::Assistant ? MarkdownRenderer::Mode::Markdown : MarkdownRenderer::Mode::Plain);
        structural = true;
    }

    QString model = m_model;
    QString error = m_error;
    QString footer = m_footer;
    if (structural || state != m_state || !streaming) {
        // Everything but the text is only re-read when the state moves on, so a
        // token costs two role look-ups beyond the text itself.
        model = index.data(TranscriptModel::ModelRole).toString();
        error = index.data(TranscriptModel::ErrorRole).toString();
        footer.clear();
        if (role == ChatMessage::Role::Assistant && state == Message::State::Completed) {
            const auto metrics = index.data(TranscriptModel::MetricsRole).value<MessageMetrics>();
            QStringList parts;
            if (metrics.tokens > 0)
                parts << tr("%n tokens", nullptr, int(std::min<qint64>(metrics.tokens, INT_MAX)));
            if (metrics.tokensPerSecond > 0)
                parts << tr("%1 tok/s").arg(QLocale().toString(metrics.tokensPerSecond, 'f', 1));
            if (metrics.ttftMs >= 0)
                parts << tr("first token %1 s").arg(QLocale().toString(metrics.ttftMs / 1000.0, 'f', 2));
            const QVariant cost = index.data(TranscriptModel::CostRole);
            if (cost.isValid())
                parts << u"$"_s + QString::number(cost.toDouble(), 'f', cost.toDouble() < 0.01 ? 4 : 3);
            footer = parts.join(u" · "_s);
        }
        const QDateTime created = index.data(TranscriptModel::CreatedRole).toDateTime();
        m_tooltip = created.isValid() ? QLocale().toString(created.toLocalTime(), QLocale::ShortFormat) : QString();
    }
    const bool headerChanged = state != m_state || model != m_model || error != m_error || footer != m_footer;

    const bool contentChanged = m_content->setText(text, streaming);
    const bool expanded = thinking >= 0 ? thinking > 0 : text.isEmpty();
    const bool reasoningStreaming = streaming && text.isEmpty();
    const bool hasReasoning = !reasoning.isEmpty();
    // A collapsed Thinking section is not even parsed.
    const bool reasoningChanged = expanded && m_reasoning.setText(reasoning, streaming);
    const bool sectionChanged = expanded != m_thinkingExpanded || reasoningStreaming != m_reasoningStreaming
        || hasReasoning != m_hasReasoning;

    if (!structural && !headerChanged && !contentChanged && !reasoningChanged && !sectionChanged)
        return false;

    m_initialized = true;
    m_role = role;
    m_state = state;
    m_model = model;
    m_error = error;
    m_footer = footer;
    m_width = width;
    m_thinkingExpanded = expanded;
    m_reasoningStreaming = reasoningStreaming;
    m_hasReasoning = hasReasoning;

    layout();

    int changedFrom = (structural || headerChanged || sectionChanged) ? 0 : INT_MAX;
    if (contentChanged) {
        changedFrom = std::min(changedFrom, role == ChatMessage::Role::Assistant
                                                ? m_contentRect.top() + int(m_content->changedFromY())
                                                : m_bubble.top());
    }
    if (reasoningChanged)
        changedFrom = std::min(changedFrom, m_thinkingExpanded
                                                ? m_reasoningRect.top() + int(m_reasoning.changedFromY())
                                                : m_toggle.top());
    m_changedFrom = std::min(changedFrom, m_height);
    return true;
}

QString MessageLayout::statusTitle() const
{
    switch (m_state) {
    case Message::State::Stopped:
        return tr("Stopped");
    case Message::State::Truncated:
        return tr("Connection lost — partial reply");
    case Message::State::Failed:
        return tr("Failed");
    case Message::State::Interrupted:
        return tr("Interrupted — partial reply");
    default:
        return {};
    }
}

QString MessageLayout::statusDetail() const
{
    if (!m_error.isEmpty())
        return m_error;
    switch (m_state) {
    case Message::State::Stopped:
        return tr("You stopped this reply.");
    case Message::State::Truncated:
        return tr("The stream ended before the reply was complete.");
    case Message::State::Failed:
        return tr("The request failed.");
    case Message::State::Interrupted:
        return tr("Sluice closed while this reply was streaming.");
    default:
        return {};
    }
}

QString MessageLayout::badgeText() const
{
    switch (m_state) {
    case Message::State::Streaming:
        return m_role == ChatMessage::Role::Assistant ? tr("Generating") : QString();
    case Message::State::Stopped:
        return tr("Stopped");
    case Message::State::Truncated:
        return tr("Partial");
    case Message::State::Failed:
        return tr("Failed");
    case Message::State::Interrupted:
        return tr("Interrupted");
    case Message::State::Completed:
        break;
    }
    return {};
}

QColor MessageLayout::badgeColor() const
{
    switch (m_state) {
    case Message::State::Streaming:
        return m_style->accent;
    case Message::State::Failed:
        return m_style->error;
    default:
        return m_style->warning;
    }
}

void MessageLayout::layout()
{
    const MarkdownStyle &md = m_style->markdown;
    const int sls = qCeil(md.smallLineSpacing);
    const int ls = qCeil(md.lineSpacing);
    const int colW = columnWidth(m_width, *m_style);
    const int colX = std::max(0, (m_width - colW) / 2);
    const QFontMetrics labelFm(m_style->labelFont);
    const QFontMetrics smallFm(md.smallFont);

    int y = PadTop;
    const int headerH = std::max(Avatar, sls + 8);
    m_column = QRect(colX, 0, colW, 0);
    m_header = QRect(colX, y, colW, headerH);
    const QString copyText = tr("Copied").size() > tr("Copy").size() ? tr("Copied") : tr("Copy");
    const QSize copySize = buttonSize(md.smallFont, copyText);
    const auto centered = [&](int x, const QSize &s) {
        return QRect(QPoint(x, y + (headerH - s.height()) / 2), s);
    };
    m_editButton = QRect();
    m_badge = QRect();
    if (m_role == ChatMessage::Role::User) {
        const int youW = labelFm.horizontalAdvance(tr("You"));
        const QSize editSize = buttonSize(md.smallFont, tr("Edit"));
        m_editButton = centered(colX + colW - youW - 8 - editSize.width(), editSize);
        m_copyButton = centered(m_editButton.left() - 2 - copySize.width(), copySize);
    } else {
        m_copyButton = centered(colX + colW - copySize.width(), copySize);
        const QString badge = badgeText();
        if (!badge.isEmpty()) {
            int x = colX + (m_role == ChatMessage::Role::Assistant ? BodyIndent : 0);
            x += labelFm.horizontalAdvance(m_role == ChatMessage::Role::Assistant ? tr("Assistant") : tr("System"));
            if (!m_model.isEmpty())
                x += 8 + std::min(smallFm.horizontalAdvance(m_model), colW / 3);
            m_badge = centered(x + 10, QSize(smallFm.horizontalAdvance(badge) + 16, sls + 2));
        }
    }
    y += headerH + 6;

    m_toggle = m_reasoningRect = m_contentRect = m_bubble = m_typing = m_banner = m_retryButton = m_footerRect = QRect();
    if (m_role == ChatMessage::Role::Assistant) {
        const int bodyX = colX + BodyIndent;
        const int bodyW = colW - BodyIndent;
        if (m_hasReasoning) {
            const QString label = m_reasoningStreaming ? tr("Thinking…") : tr("Thinking");
            m_toggle = QRect(bodyX - 6, y, smallFm.horizontalAdvance(label) + 34, sls + 10);
            y += m_toggle.height();
            if (m_thinkingExpanded) {
                y += 4;
                m_reasoning.setWidth(bodyW - ReasoningIndent);
                m_reasoningRect = QRect(bodyX + ReasoningIndent, y, bodyW - ReasoningIndent,
                                        qCeil(m_reasoning.height()));
                y += m_reasoningRect.height() + 12;
            } else {
                y += 6;
            }
        }
        m_content->setWidth(bodyW);
        m_contentRect = QRect(bodyX, y, bodyW, qCeil(m_content->height()));
        y += m_contentRect.height();
        if (m_state == Message::State::Streaming && m_content->isEmpty()
            && (!m_hasReasoning || !m_thinkingExpanded)) {
            m_typing = QRect(bodyX, y, 40, ls);
            y += ls;
        }
        const bool retryable = m_state == Message::State::Stopped || m_state == Message::State::Truncated
            || m_state == Message::State::Failed || m_state == Message::State::Interrupted;
        if (retryable) {
            y += m_content->isEmpty() ? 0 : 12;
            const QSize retrySize = buttonSize(md.smallFont, tr("Retry")) + QSize(6, 4);
            const int detailW = bodyW - 2 * BannerPad - retrySize.width() - 12;
            const QString detail = statusDetail();
            const int detailH = detail.isEmpty()
                ? 0
                : smallFm.boundingRect(QRect(0, 0, std::max(40, detailW), 100000), Qt::TextWordWrap, detail).height();
            const int inner = sls + (detailH > 0 ? 2 + detailH : 0);
            const int bannerH = std::max(inner, retrySize.height()) + 2 * BannerPad;
            m_banner = QRect(bodyX, y, bodyW, bannerH);
            m_retryButton = QRect(QPoint(m_banner.right() - BannerPad - retrySize.width() + 1,
                                         m_banner.top() + (bannerH - retrySize.height()) / 2),
                                  retrySize);
            y += bannerH;
        } else if (!m_footer.isEmpty()) {
            y += 6;
            m_footerRect = QRect(bodyX, y, bodyW, sls);
            y += sls;
        }
    } else {
        const bool user = m_role == ChatMessage::Role::User;
        const int maxBubble = user ? std::min(colW * 4 / 5, colW - 40) : colW;
        const int innerMax = std::max(40, maxBubble - 2 * BubblePadX);
        m_content->setWidth(innerMax);
        int innerW = innerMax;
        if (user) {
            innerW = std::clamp(qCeil(m_content->idealWidth()) + 2, 24, innerMax);
            if (innerW < innerMax)
                m_content->setWidth(innerW);
        }
        const int h = std::max(ls, qCeil(m_content->height()));
        const int bubbleW = innerW + 2 * BubblePadX;
        // The looser line height leaves its extra space under the last line:
        // move the text down by half of it so the bubble looks balanced.
        const int leading = qRound(md.lineSpacing * 0.09);
        m_bubble = QRect(user ? colX + colW - bubbleW : colX, y, bubbleW, h + 2 * BubblePadY);
        m_contentRect = QRect(m_bubble.left() + BubblePadX, y + BubblePadY + leading, innerW, h);
        y += m_bubble.height();
    }
    y += PadBottom;
    m_height = y;
}

void MessageLayout::paint(QPainter *p, const QRect &clip, const MessageRowState &state) const
{
    const MarkdownStyle &md = m_style->markdown;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::TextAntialiasing);

    if (state.focused) {
        const QRectF ring = QRectF(m_column.left() - 10, 3, m_column.width() + 20, m_height - 8).adjusted(0.5, 0.5, -0.5, -0.5);
        p->setPen(QPen(withAlpha(m_style->accent, 150), 1.5));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(ring, 10, 10);
    }

    // Header
    if (clip.intersects(m_header)) {
        const QFontMetrics labelFm(m_style->labelFont);
        const QFontMetrics smallFm(md.smallFont);
        const int cy = m_header.center().y();
        if (m_role == ChatMessage::Role::User) {
            p->setFont(m_style->labelFont);
            p->setPen(md.dimText);
            p->drawText(m_header, Qt::AlignVCenter | Qt::AlignRight, tr("You"));
        } else {
            int x = m_header.left();
            if (m_role == ChatMessage::Role::Assistant) {
                const QRectF avatar(x, cy - Avatar / 2.0 + 0.5, Avatar, Avatar);
                p->setPen(Qt::NoPen);
                p->setBrush(m_style->accent);
                p->drawEllipse(avatar);
                drawSparkle(p, avatar.center(), 7.5, m_style->onAccent);
                x += BodyIndent;
            }
            const QString label = m_role == ChatMessage::Role::Assistant ? tr("Assistant") : tr("System");
            p->setFont(m_style->labelFont);
            p->setPen(md.text);
            p->drawText(QRect(x, m_header.top(), m_header.width(), m_header.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
            x += labelFm.horizontalAdvance(label);
            if (!m_model.isEmpty()) {
                const QString model = smallFm.elidedText(m_model, Qt::ElideMiddle, m_column.width() / 3);
                p->setFont(md.smallFont);
                p->setPen(md.dimText);
                p->drawText(QRect(x + 8, m_header.top(), m_header.width(), m_header.height()),
                            Qt::AlignVCenter | Qt::AlignLeft, model);
            }
            if (!m_badge.isNull()) {
                const QColor c = badgeColor();
                p->setPen(Qt::NoPen);
                p->setBrush(withAlpha(c, m_style->dark ? 46 : 30));
                p->drawRoundedRect(QRectF(m_badge), m_badge.height() / 2.0, m_badge.height() / 2.0);
                p->setFont(md.smallFont);
                p->setPen(c);
                p->drawText(m_badge, Qt::AlignCenter, badgeText());
            }
        }
        const bool showButtons = state.hovered || state.flashTarget == MessageTarget::CopyMessage;
        if (showButtons && !(m_state == Message::State::Streaming)) {
            const bool flashed = state.flashTarget == MessageTarget::CopyMessage;
            drawButton(p, m_copyButton, flashed ? Glyph::Check : Glyph::Copy, flashed ? tr("Copied") : tr("Copy"),
                       state.hoverTarget == MessageTarget::CopyMessage, *m_style);
            if (!m_editButton.isNull())
                drawButton(p, m_editButton, Glyph::Edit, tr("Edit"),
                           state.hoverTarget == MessageTarget::EditMessage, *m_style);
        }
    }

    const bool hasSel = state.selectionStart.isValid() && state.selectionEnd.isValid()
        && state.selectionStart < state.selectionEnd;

    // Thinking
    if (!m_toggle.isNull() && clip.intersects(m_toggle)) {
        const bool hovered = state.hoverTarget == MessageTarget::ThinkingToggle;
        if (hovered) {
            p->setPen(Qt::NoPen);
            p->setBrush(md.buttonHover);
            p->drawRoundedRect(QRectF(m_toggle), 6, 6);
        }
        const QColor c = hovered ? md.text : md.dimText;
        const QPointF chev(m_toggle.left() + 12, m_toggle.center().y() + 0.5);
        QPainterPath path;
        if (m_thinkingExpanded) {
            path.moveTo(chev + QPointF(-3.5, -1.5));
            path.lineTo(chev + QPointF(0, 2));
            path.lineTo(chev + QPointF(3.5, -1.5));
        } else {
            path.moveTo(chev + QPointF(-1.5, -3.5));
            path.lineTo(chev + QPointF(2, 0));
            path.lineTo(chev + QPointF(-1.5, 3.5));
        }
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(c, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p->drawPath(path);
        p->setFont(md.smallFont);
        p->setPen(c);
        p->drawText(m_toggle.adjusted(24, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                    m_reasoningStreaming ? tr("Thinking…") : tr("Thinking"));
    }
    if (m_thinkingExpanded && !m_reasoningRect.isNull() && clip.intersects(m_reasoningRect.adjusted(-20, 0, 0, 0))) {
        p->fillRect(QRect(m_reasoningRect.left() - ReasoningIndent + 5, m_reasoningRect.top() + 2, 2,
                          m_reasoningRect.height() - 4),
                    md.border);
        MarkdownRenderer::DrawOptions o;
        o.textColor = md.dimText;
        if (hasSel && state.selectionStart.part == MessagePart::Reasoning) {
            o.selectionStart = state.selectionStart.pos;
            o.selectionEnd = state.selectionEnd.part == MessagePart::Reasoning ? state.selectionEnd.pos
                                                                                : m_reasoning.endPos();
        }
        p->save();
        p->translate(reasoningOrigin());
        m_reasoning.draw(p, QRectF(clip).translated(-reasoningOrigin()), o);
        p->restore();
    }

    // Body
    if (!m_bubble.isNull() && clip.intersects(m_bubble)) {
        p->setPen(m_role == ChatMessage::Role::System ? QPen(md.border, 1, Qt::DashLine) : QPen(Qt::NoPen));
        p->setBrush(m_role == ChatMessage::Role::System ? QBrush(md.codeBackground) : QBrush(m_style->bubble));
        p->drawRoundedRect(QRectF(m_bubble).adjusted(0.5, 0.5, -0.5, -0.5), BubbleRadius, BubbleRadius);
    }
    if (!m_contentRect.isEmpty() && clip.intersects(m_contentRect)) {
        MarkdownRenderer::DrawOptions o;
        if (m_role == ChatMessage::Role::System)
            o.textColor = md.dimText;
        if (hasSel && state.selectionEnd.part == MessagePart::Content) {
            o.selectionStart = state.selectionStart.part == MessagePart::Content ? state.selectionStart.pos
                                                                                 : m_content->startPos();
            o.selectionEnd = state.selectionEnd.pos;
        }
        if (state.hoverTarget == MessageTarget::CodeCopy)
            o.hoveredCodeCopy = state.hoverCode;
        if (state.flashTarget == MessageTarget::CodeCopy)
            o.flashedCodeCopy = state.flashCode;
        p->save();
        p->translate(contentOrigin());
        m_content->draw(p, QRectF(clip).translated(-contentOrigin()), o);
        p->restore();
    }
    if (!m_typing.isNull()) {
        p->setPen(Qt::NoPen);
        p->setBrush(md.dimText);
        for (int i = 0; i < 3; ++i)
            p->drawEllipse(QPointF(m_typing.left() + 4 + i * 10, m_typing.center().y() + 0.5), 3, 3);
    }

    // Status banner
    if (!m_banner.isNull() && clip.intersects(m_banner)) {
        const bool failed = m_state == Message::State::Failed;
        const QColor c = failed ? m_style->error : m_style->warning;
        p->setPen(QPen(withAlpha(c, 70), 1));
        p->setBrush(failed ? m_style->errorBackground : m_style->warningBackground);
        p->drawRoundedRect(QRectF(m_banner).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
        const QRect text = m_banner.adjusted(BannerPad + 2, BannerPad, -(BannerPad + m_retryButton.width() + 12), -BannerPad);
        const int sls = qCeil(md.smallLineSpacing);
        QFont title = m_style->labelFont;
        p->setFont(title);
        p->setPen(c);
        p->drawText(QRect(text.left(), text.top(), text.width(), sls), Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetrics(title).elidedText(statusTitle(), Qt::ElideRight, text.width()));
        p->setFont(md.smallFont);
        p->setPen(md.dimText);
        p->drawText(QRect(text.left(), text.top() + sls + 2, text.width(), text.height() - sls - 2),
                    Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, statusDetail());
        const bool hovered = state.hoverTarget == MessageTarget::Retry;
        p->setPen(QPen(m_style->accent, 1));
        p->setBrush(hovered ? withAlpha(m_style->accent, 40) : QColor(m_style->base));
        p->drawRoundedRect(QRectF(m_retryButton).adjusted(0.5, 0.5, -0.5, -0.5), 7, 7);
        drawGlyph(p, Glyph::Retry, QPointF(m_retryButton.left() + 14.5, m_retryButton.center().y() + 0.5), m_style->accent);
        p->setPen(m_style->accent);
        p->drawText(m_retryButton.adjusted(25, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, tr("Retry"));
    }

    if (!m_footerRect.isNull() && clip.intersects(m_footerRect)) {
        p->setFont(md.smallFont);
        p->setPen(md.dimText);
        p->drawText(m_footerRect, Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetrics(md.smallFont).elidedText(m_footer, Qt::ElideRight, m_footerRect.width()));
    }
    p->restore();
}

QRect MessageLayout::codeCopyButtonRect(int codeBlock) const
{
    const QRectF r = m_content->codeCopyButtonRect(codeBlock);
    return r.isNull() ? QRect() : r.translated(contentOrigin()).toAlignedRect();
}

int MessageLayout::codeBlockAt(const QPoint &point) const
{
    if (!m_contentRect.contains(point))
        return -1;
    return m_content->codeBlockAt(QPointF(point) - contentOrigin());
}

MessageHit MessageLayout::hitTest(const QPoint &point) const
{
    MessageHit hit;
    if (m_state != Message::State::Streaming && m_copyButton.contains(point)) {
        hit.target = MessageTarget::CopyMessage;
    } else if (m_state != Message::State::Streaming && m_editButton.contains(point)) {
        hit.target = MessageTarget::EditMessage;
    } else if (m_retryButton.contains(point)) {
        hit.target = MessageTarget::Retry;
    } else if (m_toggle.contains(point)) {
        hit.target = MessageTarget::ThinkingToggle;
    } else if (m_contentRect.contains(point) || m_bubble.contains(point)) {
        const QPointF local = QPointF(point) - contentOrigin();
        const int code = m_content->codeCopyButtonAt(local);
        if (code >= 0) {
            hit.target = MessageTarget::CodeCopy;
            hit.codeBlock = code;
            return hit;
        }
        hit.text = {MessagePart::Content, m_content->hitTest(local)};
        hit.link = m_content->anchorAt(local);
        hit.target = hit.link.isEmpty() ? MessageTarget::Text : MessageTarget::Link;
    } else if (m_thinkingExpanded && m_reasoningRect.contains(point)) {
        const QPointF local = QPointF(point) - reasoningOrigin();
        hit.text = {MessagePart::Reasoning, m_reasoning.hitTest(local)};
        hit.link = m_reasoning.anchorAt(local);
        hit.target = hit.link.isEmpty() ? MessageTarget::Text : MessageTarget::Link;
    }
    return hit;
}

MessageTextPos MessageLayout::textPosAt(const QPoint &point) const
{
    const bool reasoningShown = m_thinkingExpanded && m_hasReasoning;
    if (reasoningShown && (m_content->isEmpty() || point.y() < (m_reasoningRect.bottom() + m_contentRect.top()) / 2))
        return {MessagePart::Reasoning, m_reasoning.hitTest(QPointF(point) - reasoningOrigin())};
    if (m_content->isEmpty())
        return {};
    return {MessagePart::Content, m_content->hitTest(QPointF(point) - contentOrigin())};
}

bool MessageLayout::wordAt(const QPoint &point, MessageTextPos *start, MessageTextPos *end) const
{
    const MessageTextPos p = textPosAt(point);
    if (!p.isValid())
        return false;
    const bool reasoning = p.part == MessagePart::Reasoning;
    const QPointF local = QPointF(point) - (reasoning ? reasoningOrigin() : contentOrigin());
    MarkdownRenderer::Pos a;
    MarkdownRenderer::Pos b;
    if (!(reasoning ? m_reasoning : *m_content).wordAt(local, &a, &b))
        return false;
    *start = {p.part, a};
    *end = {p.part, b};
    return true;
}

MessageTextPos MessageLayout::startPos() const
{
    if (m_thinkingExpanded && m_hasReasoning)
        return {MessagePart::Reasoning, m_reasoning.startPos()};
    return {MessagePart::Content, m_content->startPos()};
}

MessageTextPos MessageLayout::endPos() const
{
    if (m_content->isEmpty() && m_thinkingExpanded && m_hasReasoning)
        return {MessagePart::Reasoning, m_reasoning.endPos()};
    return {MessagePart::Content, m_content->endPos()};
}

QString MessageLayout::selectedText(MessageTextPos start, MessageTextPos end) const
{
    if (!start.isValid() || !end.isValid() || !(start < end))
        return {};
    if (start.part == end.part)
        return (start.part == MessagePart::Reasoning ? m_reasoning : *m_content).selectedText(start.pos, end.pos);
    return m_reasoning.selectedText(start.pos, m_reasoning.endPos()) + u"\n\n"_s
        + m_content->selectedText(m_content->startPos(), end.pos);
}

QString MessageLayout::plainText() const
{
    return m_content->toPlainText();
}

QString MessageLayout::toolTipAt(const QPoint &point) const
{
    const MessageHit hit = hitTest(point);
    switch (hit.target) {
    case MessageTarget::CopyMessage:
        return tr("Copy this message");
    case MessageTarget::EditMessage:
        return tr("Edit this message and send it again");
    case MessageTarget::Retry:
        return tr("Ask for this reply again");
    case MessageTarget::ThinkingToggle:
        return m_thinkingExpanded ? tr("Hide the model's reasoning") : tr("Show the model's reasoning");
    case MessageTarget::CodeCopy:
        return tr("Copy this code block");
    case MessageTarget::Link:
        return hit.link;
    default:
        break;
    }
    if (!m_badge.isNull() && m_badge.contains(point) && !m_error.isEmpty())
        return m_error;
    if (m_header.contains(point))
        return m_tooltip;
    return {};
}

QPair<int, int> MessageLayout::paintedColumn(int width, const MessageStyle &style)
{
    const int colW = columnWidth(width, style);
    const int colX = std::max(0, (width - colW) / 2);
    return {std::max(0, colX - 12), std::min(width, colX + colW + 12)}; // + the focus ring
}

int MessageLayout::estimateHeight(const QModelIndex &index, int width, const MessageStyle &style)
{
    const auto role = ChatMessage::Role(index.data(TranscriptModel::MessageRoleRole).toInt());
    const auto state = Message::State(index.data(TranscriptModel::StateRole).toInt());
    const QString text = index.data(TranscriptModel::TextRole).toString();
    const MarkdownStyle &md = style.markdown;
    const QFontMetricsF fm(md.font);
    const int colW = columnWidth(width, style);
    const qreal bodyW = role == ChatMessage::Role::Assistant ? colW - BodyIndent
                                                         : std::min(colW * 4 / 5, colW - 40) - 2 * BubblePadX;
    const qreal cpl = std::max<qreal>(8, bodyW / std::max<qreal>(1, fm.averageCharWidth()));
    const qreal monoCpl = std::max<qreal>(8, (bodyW - 24) / std::max<qreal>(1, QFontMetricsF(md.monoFont).averageCharWidth()));
    const bool markdown = role == ChatMessage::Role::Assistant;

    qreal lines = 0;
    bool inCode = false;
    qsizetype pos = 0;
    const QStringView view(text);
    while (pos <= view.size()) {
        qsizetype nl = view.indexOf(u'\n', pos);
        if (nl < 0)
            nl = view.size();
        const QStringView line = view.mid(pos, nl - pos);
        pos = nl + 1;
        const QStringView trimmed = line.trimmed();
        if (markdown && (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~"))) {
            inCode = !inCode;
            lines += inCode ? 2.9 : 1.4;
            continue;
        }
        if (trimmed.isEmpty()) {
            lines += markdown && !inCode ? 0.25 : 1;
            continue;
        }
        qreal units = 0;
        for (QChar c : line)
            units += c.unicode() >= 0x2E80 ? 1.9 : 1.0;
        lines += std::ceil(units / (inCode ? monoCpl : cpl));
        if (markdown && !inCode && trimmed.startsWith(u'#'))
            lines += 0.8;
    }
    const int headerH = std::max(Avatar, qCeil(md.smallLineSpacing) + 8);
    int h = PadTop + headerH + 6 + qCeil(lines * md.lineSpacing) + PadBottom;
    if (!markdown)
        h += 2 * BubblePadY;
    if (state != Message::State::Completed && state != Message::State::Streaming)
        h += qCeil(md.smallLineSpacing * 3) + 2 * BannerPad;
    return h;
}
