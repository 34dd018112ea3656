#include "compare_detail.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wbui {

namespace {

constexpr int kMaxSampleColumns = 10;
constexpr int kQidxRole = Qt::UserRole + 1;

QString esc(const std::string &s)
{
    return qs(s).toHtmlEscaped();
}

QString oneLine(const std::string &s, int max = 140)
{
    QString t = qs(s).simplified();
    if (t.size() > max)
        t = t.left(max - 1) + QChar(0x2026);
    return t;
}

} // namespace

CompareQuestionView::CompareQuestionView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(tr("Click a cell of the matrix to see its questions."), this);
    m_title->setObjectName(QStringLiteral("questionsTitle"));
    m_title->setWordWrap(true);
    m_wrongOnly = new QCheckBox(tr("Only wrong answers"), this);
    m_wrongOnly->setObjectName(QStringLiteral("wrongOnly"));
    connect(m_wrongOnly, &QCheckBox::toggled, this, &CompareQuestionView::applyFilter);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_wrongOnly);

    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("cellQuestions"));
    setUpQuestionTable(m_table);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::currentCellChanged, this, &CompareQuestionView::showQuestion);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] {
        showQuestion();
        m_text->setFocus();
    });

    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("cellResponses"));
    m_text->setOpenLinks(false);
    m_text->setPlaceholderText(tr("Select a question to read the full responses"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_text);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

void CompareQuestionView::setResults(CompareResultsPtr results)
{
    m_results = std::move(results);
    fill();
}

void CompareQuestionView::showCell(const QString &id)
{
    m_cell = id;
    fill();
}

int CompareQuestionView::visibleRowCount() const
{
    return visibleRows(m_table);
}

void CompareQuestionView::fill()
{
    const int keepRow = m_table->currentRow();
    const wb::CellResult *c = m_results ? m_results->find(m_cell.toStdString()) : nullptr;
    const QSignalBlocker block(m_table);
    m_table->clear();
    m_table->setRowCount(0);
    if (!c) {
        m_table->setColumnCount(0);
        m_text->clear();
        m_title->setText(tr("Click a cell of the matrix to see its questions."));
        return;
    }
    m_title->setText(tr("<b>%1</b> — %2 · %3")
                         .arg(qs(c->id).toHtmlEscaped(), qs(c->label).toHtmlEscaped(),
                              accuracyWithInterval(*c)));
    const bool perSample = c->samples <= kMaxSampleColumns;
    QStringList headers = {tr("#"), tr("Question"), tr("Expected")};
    if (perSample)
        for (int s = 0; s < c->samples; ++s)
            headers << (c->samples == 1 ? tr("Answer") : tr("S%1").arg(s + 1));
    else
        headers << tr("Samples");
    const int voteCol = int(headers.size());
    headers << tr("Vote") << tr("Correct") << tr("Retrieved");
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);

    const auto &questions = m_results->questions;
    m_table->setRowCount(int(std::min(questions.size(), c->questions.size())));
    for (size_t i = 0; i < questions.size() && i < c->questions.size(); ++i) {
        const wb::CompareQuestion &q = questions[i];
        const wb::CellQuestion &cq = c->questions[i];
        const int row = int(i);
        auto set = [&](int col, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            item->setData(kQidxRole, qulonglong(q.qidx));
            if (!tip.isEmpty())
                item->setToolTip(tip);
            m_table->setItem(row, col, item);
            return item;
        };
        set(0, QString::number(i + 1), qs(q.recordId))->setData(Qt::UserRole + 2, cq.correct);
        set(1, oneLine(q.text), qs(q.text));
        set(2, qs(q.expected))->setTextAlignment(Qt::AlignCenter);
        if (perSample) {
            for (int s = 0; s < c->samples; ++s) {
                QString text = QStringLiteral("…"), tip;
                if (size_t(s) < cq.samples.size()) {
                    const auto &smp = cq.samples[size_t(s)];
                    text = smp.extracted.empty() ? QStringLiteral("—") : qs(smp.extracted);
                    tip = qs(smp.extractNote);
                }
                set(3 + s, text, tip)->setTextAlignment(Qt::AlignCenter);
            }
        } else {
            QStringList votes;
            for (const auto &smp : cq.samples)
                votes << (smp.extracted.empty() ? QStringLiteral("—") : qs(smp.extracted));
            set(3, votes.join(QLatin1Char(' ')));
        }
        set(voteCol,
            cq.voted.empty() ? (cq.complete ? tr("none") : QStringLiteral("…")) : qs(cq.voted))
            ->setTextAlignment(Qt::AlignCenter);
        auto *ok = set(voteCol + 1, !cq.complete ? QString()
                                    : cq.correct ? QStringLiteral("✓")
                                                 : QStringLiteral("✗"));
        ok->setTextAlignment(Qt::AlignCenter);
        if (cq.complete)
            ok->setForeground(cq.correct ? QColor(0x1e, 0x84, 0x49) : QColor(0xc0, 0x39, 0x2b));
        const nlohmann::json ctx =
            cq.samples.empty() || !cq.samples.front().extra.contains("context")
                ? nlohmann::json()
                : cq.samples.front().extra["context"];
        set(voteCol + 2, contextSummary(ctx));
    }
    m_table->resizeColumnsToContents();
    if (m_table->columnWidth(1) > 360)
        m_table->setColumnWidth(1, 360);
    applyFilter();
    if (keepRow >= 0 && keepRow < m_table->rowCount())
        m_table->setCurrentCell(keepRow, 0);
    showQuestion();
}

void CompareQuestionView::applyFilter()
{
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const auto *item = m_table->item(r, 0);
        const bool correct = item && item->data(Qt::UserRole + 2).toBool();
        m_table->setRowHidden(r, m_wrongOnly->isChecked() && correct);
    }
}

QString CompareQuestionView::contextSummary(const nlohmann::json &context)
{
    if (!context.is_array() || context.empty())
        return {};
    QStringList sources;
    for (const auto &hit : context)
        if (hit.is_object() && hit.contains("source") && hit["source"].is_string())
            sources << qs(hit["source"].get<std::string>());
    return tr("%n chunk(s): %1", nullptr, int(context.size()))
        .arg(sources.join(QStringLiteral("; ")));
}

QString CompareQuestionView::contextHtml(const nlohmann::json &context)
{
    if (!context.is_array() || context.empty())
        return {};
    QString html =
        QStringLiteral("<p><b>%1</b></p><ol>").arg(tr("Retrieved chunks").toHtmlEscaped());
    for (const auto &hit : context) {
        if (!hit.is_object()) {
            html += QStringLiteral("<li>%1</li>").arg(qs(hit.dump()).toHtmlEscaped());
            continue;
        }
        const std::string source = hit.value("source", std::string());
        const std::string text = hit.value("text", std::string());
        html += QStringLiteral(
                    "<li><i>%1</i> (%2)<br><span style='white-space: pre-wrap'>%3</span></li>")
                    .arg(esc(source))
                    .arg(hit.value("score", 0.0), 0, 'g', 3)
                    .arg(esc(text));
    }
    return html + QStringLiteral("</ol>");
}

QString CompareQuestionView::questionHtml(const wb::CompareQuestion &q)
{
    QString html;
    if (q.fields.is_object() && q.fields.contains("problem") && q.fields["problem"].is_string())
        html += QStringLiteral("<p style='white-space: pre-wrap'>%1</p>")
                    .arg(esc(q.fields["problem"].get<std::string>()));
    html += QStringLiteral("<p><b>%1</b></p><ul>").arg(esc(q.text));
    for (size_t o = 0; o < q.options.size(); ++o) {
        const QString letter = QString(QChar('A' + int(o)));
        const bool expected = letter == qs(q.expected);
        html += QStringLiteral("<li>%1%2. %3%4</li>")
                    .arg(expected ? QStringLiteral("<b>") : QString(), letter, esc(q.options[o]),
                         expected ? QStringLiteral(" ✔</b>") : QString());
    }
    return html + QStringLiteral("</ul>");
}

void CompareQuestionView::showQuestion()
{
    const int row = m_table->currentRow();
    const wb::CellResult *c = m_results ? m_results->find(m_cell.toStdString()) : nullptr;
    if (!c || row < 0 || size_t(row) >= c->questions.size() ||
        size_t(row) >= m_results->questions.size()) {
        m_text->clear();
        return;
    }
    const wb::CompareQuestion &q = m_results->questions[size_t(row)];
    const wb::CellQuestion &cq = c->questions[size_t(row)];
    QString html = QStringLiteral("<h3>%1</h3>")
                       .arg(tr("Question %1 · %2 · expected %3")
                                .arg(row + 1)
                                .arg(esc(q.recordId), esc(q.expected)));
    html += questionHtml(q);
    html += QStringLiteral("<p><b>%1</b></p>")
                .arg(tr("Vote: %1 · %2")
                         .arg(cq.voted.empty() ? tr("none (unextracted)") : esc(cq.voted),
                              cq.correct ? tr("correct") : tr("wrong")));
    for (const auto &s : cq.samples) {
        QStringList facts;
        facts << tr("extracted: %1").arg(s.extracted.empty() ? tr("nothing") : esc(s.extracted));
        if (!s.extractNote.empty())
            facts << esc(s.extractNote);
        if (!s.finishReason.empty())
            facts << tr("finish: %1").arg(esc(s.finishReason));
        facts << tr("%1 prompt + %2 output tokens").arg(s.promptTokens).arg(s.outputTokens);
        facts << tr("%1 s").arg(s.latencySeconds, 0, 'f', 3);
        if (s.cached)
            facts << tr("from the cache");
        html +=
            QStringLiteral("<hr><p><b>%1</b> — %2</p><pre style='white-space: pre-wrap'>%3</pre>")
                .arg(tr("Sample %1").arg(s.sample + 1), facts.join(QStringLiteral(" · ")),
                     esc(s.text));
        if (s.extra.contains("logprobs"))
            html += QStringLiteral("<p>%1 <code>%2</code></p>")
                        .arg(tr("Log-likelihoods:"), esc(s.extra["logprobs"].dump()));
    }
    if (!cq.samples.empty() && cq.samples.front().extra.contains("context"))
        html += QStringLiteral("<hr>") + contextHtml(cq.samples.front().extra["context"]);
    m_text->setHtml(html);
}

} // namespace wbui
