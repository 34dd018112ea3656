#pragma once

#include <QSyntaxHighlighter>

namespace wbui {

// Colours template tags in the editor: variables, blocks, comments, escapes, and an
// unterminated tag in red. Uses the core tokenizer, so the editor and the engine agree.
class TemplateHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace wbui
