#pragma once

#include <QByteArray>
#include <QChar>
#include <QStringView>

// Makes text a server sent safe to print on a terminal. A reply can carry
// escape sequences that the terminal would obey rather than show: OSC 52
// writes the clipboard, OSC 0 sets the window title, CSI moves the cursor or
// clears the screen, a carriage return overwrites what the line showed. This
// removes every C0 control but line feed and tab, DEL and every C1 control
// (U+0080–U+009F), and with ESC (or its C1 form) the whole sequence it opens
// (ECMA-48: CSI, OSC, DCS, SOS, PM, APC strings up to BEL or ST, and the
// two-character escapes), so the text around it reads as it was meant to.
//
//     TerminalText filter;                        // one per output stream
//     for (each delta)
//         write(filter.filter(delta.content));    // UTF-8, safe to print
//     write(filter.finish());
//     if (filter.removed() > 0) ...               // say that something was removed
//
// Streaming: a sequence may be cut anywhere between two pieces (ESC at the end
// of one, "[2J" in the next), and so may a surrogate pair; the state carries
// over, and the output is the same however the text is cut. The output is
// always valid UTF-8 (a lone surrogate becomes U+FFFD).
class TerminalText
{
public:
    QByteArray filter(QStringView piece);
    // The end of the stream: a character held for its pair comes out as
    // U+FFFD; a sequence still open is dropped. The filter starts afresh.
    QByteArray finish();
    // Sequences and single control characters removed so far.
    qint64 removed() const { return m_removed; }

    // One whole text at once (an error message, a model id).
    static QByteArray clean(QStringView text);

    // For JSON the program writes itself (QJsonDocument): escapes DEL and the
    // C1 controls, which JSON allows raw inside strings, as \u007f and \u0080…
    // \u009f. The JSON means the same; C0 controls are escaped already.
    static QByteArray escapeJson(const QByteArray &json);

private:
    enum class State : quint8 {
        Text,
        Escape,             // after ESC
        EscapeIntermediate, // ESC and bytes 0x20–0x2F, waiting for the final byte
        Csi,                // parameters and intermediates until a final byte 0x40–0x7E
        String,             // OSC, DCS, SOS, PM, APC: until BEL or ST
        StringEscape,       // ESC inside a string: "\" ends it (ST)
    };

    void take(char16_t c, QString &out);

    State m_state = State::Text;
    char16_t m_highSurrogate = 0; // held until its pair arrives
    qint64 m_removed = 0;
};
