#include "terminaltext.h"

#include <QString>

#include <utility>

namespace {

constexpr char16_t Bel = 0x07;
constexpr char16_t Can = 0x18; // cancels a sequence
constexpr char16_t Sub = 0x1A; // cancels a sequence
constexpr char16_t Esc = 0x1B;
constexpr char16_t Del = 0x7F;
// The C1 forms of ESC [, ESC ] ... (a terminal may obey them as such).
constexpr char16_t C1Dcs = 0x90;
constexpr char16_t C1Sos = 0x98;
constexpr char16_t C1Csi = 0x9B;
constexpr char16_t C1St = 0x9C;
constexpr char16_t C1Osc = 0x9D;
constexpr char16_t C1Pm = 0x9E;
constexpr char16_t C1Apc = 0x9F;

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= Del && c <= 0x9F);
}

bool opensString(char16_t afterEsc)
{
    // ESC ] (OSC), ESC P (DCS), ESC X (SOS), ESC ^ (PM), ESC _ (APC)
    return afterEsc == u']' || afterEsc == u'P' || afterEsc == u'X' || afterEsc == u'^' || afterEsc == u'_';
}

} // namespace

void TerminalText::take(char16_t c, QString &out)
{
    switch (m_state) {
    case State::Text:
        break;
    case State::Escape:
        if (c == u'[') {
            m_state = State::Csi;
            return;
        }
        if (opensString(c)) {
            m_state = State::String;
            return;
        }
        if (c >= 0x20 && c <= 0x2F) {
            m_state = State::EscapeIntermediate;
            return;
        }
        if (c >= 0x30 && c <= 0x7E) {
            m_state = State::Text; // a two-character escape (ESC c, ESC 7, ...)
            return;
        }
        m_state = State::Text; // not a sequence after all: read `c` as text
        break;
    case State::EscapeIntermediate:
        if (c >= 0x20 && c <= 0x2F)
            return;
        m_state = State::Text;
        if (c >= 0x30 && c <= 0x7E)
            return; // the final byte (ESC ( B, ESC # 8, ...)
        break;
    case State::Csi:
        if (c >= 0x20 && c <= 0x3F)
            return; // parameters and intermediates
        m_state = State::Text;
        if (c >= 0x40 && c <= 0x7E)
            return; // the final byte
        break;      // cut short: read `c` as text
    case State::String:
        if (c == Bel || c == C1St || c == Can || c == Sub)
            m_state = State::Text;
        else if (c == Esc)
            m_state = State::StringEscape;
        return; // the string's content is never shown, line feeds included
    case State::StringEscape:
        if (c == u'\\') {
            m_state = State::Text; // ESC \ is ST
            return;
        }
        // Another sequence begins (as a terminal reads it).
        m_state = State::Escape;
        ++m_removed;
        take(c, out);
        return;
    }

    // State::Text
    if (m_highSurrogate) {
        const char16_t high = std::exchange(m_highSurrogate, 0);
        if (QChar::isLowSurrogate(c)) {
            out += QChar(high);
            out += QChar(c);
            return;
        }
        out += QChar(QChar::ReplacementCharacter);
    }
    if (c == u'\n' || c == u'\t') {
        out += QChar(c);
    } else if (c == Esc) {
        m_state = State::Escape;
        ++m_removed;
    } else if (c == C1Csi) {
        m_state = State::Csi;
        ++m_removed;
    } else if (c == C1Osc || c == C1Dcs || c == C1Sos || c == C1Pm || c == C1Apc) {
        m_state = State::String;
        ++m_removed;
    } else if (isControl(c)) {
        ++m_removed; // BEL, BS, CR, DEL, other C1 ...
    } else if (QChar::isHighSurrogate(c)) {
        m_highSurrogate = c;
    } else if (QChar::isLowSurrogate(c)) {
        out += QChar(QChar::ReplacementCharacter);
    } else {
        out += QChar(c);
    }
}

QByteArray TerminalText::filter(QStringView piece)
{
    QString out;
    out.reserve(piece.size() + 1);
    for (const QChar c : piece)
        take(c.unicode(), out);
    return out.toUtf8();
}

QByteArray TerminalText::finish()
{
    QString out;
    if (m_highSurrogate)
        out += QChar(QChar::ReplacementCharacter);
    m_highSurrogate = 0;
    m_state = State::Text;
    return out.toUtf8();
}

QByteArray TerminalText::clean(QStringView text)
{
    TerminalText filter;
    return filter.filter(text) + filter.finish();
}

QByteArray TerminalText::escapeJson(const QByteArray &json)
{
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(json.size());
    for (qsizetype i = 0; i < json.size(); ++i) {
        const auto b = static_cast<unsigned char>(json.at(i));
        if (b == 0x7F) {
            out += "\\u007f";
        } else if (b == 0xC2 && i + 1 < json.size() && static_cast<unsigned char>(json.at(i + 1)) <= 0x9F
                   && static_cast<unsigned char>(json.at(i + 1)) >= 0x80) {
            // U+0080–U+009F in UTF-8 (0xC2 only ever leads a character).
            const auto low = static_cast<unsigned char>(json.at(++i));
            out += "\\u00";
            out += hex[low >> 4];
            out += hex[low & 0xF];
        } else {
            out += char(b);
        }
    }
    return out;
}
