#include "searchresults.h"

#include "conversationdelegate.h"

#include <QPainter>
#include <QTextOption>

using namespace Qt::StringLiterals;

namespace {

constexpr QChar MarkBegin = QChar(0x02);
constexpr QChar MarkEnd = QChar(0x03);
constexpr qreal SnippetFactor = 0.93;
constexpr qreal TimeFactor = 0.86;
constexpr int LineGap = 3;

QFont titleFont(const QFont &base)
{
    QFont f = base;
    f.setWeight(QFont::DemiBold);
    return f;
}

} // namespace

// --- SearchResultsModel --------------------------------------------------------

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryStore::SearchHit &h = m_hits.at(index.row());
    const QString title = h.conversationTitle.trimmed().isEmpty() ? tr("New conversation") : h.conversationTitle;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return SearchResultsDelegate::plainSnippet(h.snippet);
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(title, SearchResultsDelegate::plainSnippet(h.snippet));
    case ConversationIdRole:
        return h.conversationId;
    case MessageIdRole:
        return h.messageId;
    case TitleRole:
        return title;
    case SnippetRole:
        return h.snippet;
    case UpdatedRole:
        return h.updated;
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ConversationIdRole, "conversationId");
    names.insert(MessageIdRole, "messageId");
    names.insert(TitleRole, "title");
    names.insert(SnippetRole, "snippet");
    names.insert(UpdatedRole, "updated");
    return names;
}

void SearchResultsModel::setHits(const QList<HistoryStore::SearchHit> &hits, const QString &query)
{
    beginResetModel();
    m_hits = hits;
    m_query = query;
    endResetModel();
}

void SearchResultsModel::removeConversation(qint64 conversationId)
{
    for (int row = int(m_hits.size()) - 1; row >= 0; --row) {
        if (m_hits.at(row).conversationId != conversationId)
            continue;
        beginRemoveRows(QModelIndex(), row, row);
        m_hits.removeAt(row);
        endRemoveRows();
    }
}

// --- SearchResultsDelegate -----------------------------------------------------

SearchResultsDelegate::SearchResultsDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

SearchResultsDelegate::Snippet SearchResultsDelegate::parseSnippet(const QString &marked, int maxLead)
{
    Snippet s;
    s.text.reserve(marked.size());
    int start = -1;
    for (const QChar c : marked) {
        if (c == MarkBegin) {
            if (start < 0)
                start = int(s.text.size());
            continue;
        }
        if (c == MarkEnd) {
            if (start >= 0 && s.text.size() > start)
                s.matches.append({start, int(s.text.size()) - start});
            start = -1;
            continue;
        }
        s.text += c;
    }
    if (maxLead < 0 || s.matches.isEmpty() || s.matches.first().first <= maxLead)
        return s;

    // Keep about half of maxLead before the first match, cut at a space.
    qsizetype cut = s.matches.first().first - maxLead / 2;
    const qsizetype space = s.text.indexOf(u' ', cut);
    if (space >= 0 && space < s.matches.first().first)
        cut = space + 1;
    if (cut > 0 && s.text.at(cut).isLowSurrogate())
        ++cut;
    s.text = u"…"_s + s.text.mid(cut);
    for (QPair<int, int> &m : s.matches)
        m.first = m.first - int(cut) + 1;
    return s;
}

QColor SearchResultsDelegate::highlightColor(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    return dark ? QColor(0xd9, 0xa4, 0x06, 0x70) : QColor(0xff, 0xd2, 0x3f, 0xa0);
}

QList<QTextLayout::FormatRange> SearchResultsDelegate::highlightFormats(const Snippet &snippet,
                                                                         const QPalette &palette)
{
    QTextCharFormat format;
    format.setFontWeight(QFont::Bold);
    format.setBackground(highlightColor(palette));
    format.setForeground(palette.color(QPalette::Text));
    QList<QTextLayout::FormatRange> ranges;
    ranges.reserve(snippet.matches.size());
    for (const QPair<int, int> &m : snippet.matches)
        ranges.append({m.first, m.second, format});
    return ranges;
}

QSize SearchResultsDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics title(titleFont(option.font));
    const QFontMetrics snippet(ConversationDelegate::scaledFont(option.font, SnippetFactor));
    return {200, 2 + 2 * ConversationDelegate::VerticalPadding + title.height() + LineGap
                     + SnippetLines * snippet.lineSpacing()};
}

void SearchResultsDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    painter->save();
    QStyleOptionViewItem marked = option;
    if (m_marked.isValid() && index == m_marked)
        marked.state |= QStyle::State_MouseOver;
    const QRect background = ConversationDelegate::paintRowBackground(painter, marked);
    const QRect content = background.adjusted(ConversationDelegate::Padding, ConversationDelegate::VerticalPadding,
                                              -ConversationDelegate::Padding, -ConversationDelegate::VerticalPadding);
    const QPalette &palette = option.palette;
    const QColor secondary = ConversationDelegate::secondaryTextColor(palette);
    const QFont headFont = titleFont(option.font);
    const QFont timeFont = ConversationDelegate::scaledFont(option.font, TimeFactor);
    const QFont snippetFont = ConversationDelegate::scaledFont(option.font, SnippetFactor);
    const QFontMetrics headMetrics(headFont);
    const QFontMetrics timeMetrics(timeFont);
    const QFontMetrics snippetMetrics(snippetFont);
    const bool titleHit = index.data(SearchResultsModel::MessageIdRole).toLongLong() < 0;
    const Snippet snippet = parseSnippet(index.data(SearchResultsModel::SnippetRole).toString());

    // Line 1: conversation title … time
    const QRect line1(content.left(), content.top(), content.width(), headMetrics.height());
    const QString time = ConversationDelegate::relativeTime(
        index.data(SearchResultsModel::UpdatedRole).toDateTime(),
        m_now.isValid() ? m_now : QDateTime::currentDateTime());
    const int timeWidth = timeMetrics.horizontalAdvance(time);
    painter->setFont(timeFont);
    painter->setPen(secondary);
    painter->drawText(line1, Qt::AlignRight | Qt::AlignVCenter, time);
    const QRect titleRect = line1.adjusted(0, 0, -(timeWidth + 10), 0);
    painter->setPen(palette.color(QPalette::Text));
    if (titleHit) {
        drawMarked(painter, titleRect, snippet, headFont, 1, palette);
    } else {
        painter->setFont(headFont);
        painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                          headMetrics.elidedText(index.data(SearchResultsModel::TitleRole).toString(),
                                                 Qt::ElideRight, titleRect.width()));
    }

    // Below: up to SnippetLines of the message, matches highlighted.
    const QRect snippetRect(content.left(), line1.bottom() + 1 + LineGap, content.width(),
                            SnippetLines * snippetMetrics.lineSpacing());
    painter->setPen(secondary);
    if (titleHit) {
        QFont italic = snippetFont;
        italic.setItalic(true);
        painter->setFont(italic);
        painter->drawText(snippetRect, Qt::AlignLeft | Qt::AlignTop, tr("In the title"));
    } else {
        drawMarked(painter, snippetRect, snippet, snippetFont, SnippetLines, palette);
    }
    painter->restore();
}

void SearchResultsDelegate::drawMarked(QPainter *painter, const QRect &rect, const Snippet &snippet,
                                       const QFont &font, int maxLines, const QPalette &palette)
{
    const QFontMetrics metrics(font);
    QTextLayout layout(snippet.text, font, painter->device());
    QTextOption textOption;
    // Wrapping even for one line: the line ends at a word, and the rest is "…".
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(textOption);
    layout.setFormats(highlightFormats(snippet, palette));
    const QString ellipsis = u"…"_s;
    const qreal width = rect.width();
    bool cut = false;
    QTextLine last;
    layout.beginLayout();
    qreal y = 0;
    for (int i = 0; i < maxLines; ++i) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        if (i == maxLines - 1 && line.textStart() + line.textLength() < snippet.text.size()) {
            line.setLineWidth(width - metrics.horizontalAdvance(ellipsis));
            cut = true;
        }
        line.setPosition(QPointF(0, y));
        y += line.height();
        last = line;
    }
    layout.endLayout();

    painter->save();
    painter->setClipRect(rect);
    const QPointF origin(rect.left(), maxLines == 1 ? rect.top() + (rect.height() - y) / 2 : rect.top());
    layout.draw(painter, origin);
    if (cut && last.isValid()) {
        painter->setFont(font);
        painter->drawText(QPointF(origin.x() + last.naturalTextWidth(), origin.y() + last.y() + last.ascent()),
                          ellipsis);
    }
    painter->restore();
}
