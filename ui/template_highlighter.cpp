#include "template_highlighter.h"

#include "prompt/template.h"

namespace wbui {

void TemplateHighlighter::highlightBlock(const QString &text)
{
    // Tags never span lines in practice; tokenizing per block keeps highlighting instant on
    // long templates. Offsets are bytes in UTF-8 and are mapped back to QString positions.
    const QByteArray utf8 = text.toUtf8();
    const auto tokens = wb::tokenizeTemplate(utf8.toStdString());
    auto toPos = [&utf8](size_t byte) {
        return QString::fromUtf8(utf8.constData(), static_cast<qsizetype>(byte)).size();
    };
    for (const auto &t : tokens) {
        QTextCharFormat f;
        switch (t.kind) {
        case wb::TemplateToken::Kind::Variable:
            f.setForeground(QColor(0x1f, 0x6f, 0xb5));
            f.setFontWeight(QFont::Bold);
            break;
        case wb::TemplateToken::Kind::Block:
            f.setForeground(QColor(0x8e, 0x44, 0xad));
            f.setFontWeight(QFont::Bold);
            break;
        case wb::TemplateToken::Kind::Comment:
            f.setForeground(QColor(0x7f, 0x8c, 0x8d));
            f.setFontItalic(true);
            break;
        case wb::TemplateToken::Kind::Escape:
            f.setForeground(QColor(0x27, 0xae, 0x60));
            break;
        case wb::TemplateToken::Kind::Error:
            f.setForeground(QColor(0xc0, 0x39, 0x2b));
            f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            f.setUnderlineColor(QColor(0xc0, 0x39, 0x2b));
            break;
        }
        const int b = toPos(t.begin);
        setFormat(b, toPos(t.end) - b, f);
    }
}

} // namespace wbui
