#include "compare_pairwise.h"

#include "compare_detail.h"
#include "prompt/prompt_builder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <set>

namespace wbui {

namespace {

constexpr int kQidxRole = Qt::UserRole + 1;
const QColor kRight(0x1e, 0x84, 0x49);
const QColor kWrong(0xc0, 0x39, 0x2b);

// Words (and whitespace runs) of a text, one per line for wb::diffLines, with line breaks
// inside a token replaced by control characters that never occur in answers.
std::vector<std::string> words(const std::string &text)
{
    static const QRegularExpression re(QStringLiteral("\\s+|\\p{Han}|[^\\s\\p{Han}]+"));
    std::vector<std::string> out;
    const QString s = qs(text);
    for (auto it = re.globalMatch(s); it.hasNext();) {
        QString w = it.next().captured();
        w.replace(QLatin1Char('\n'), QChar(0x1f)).replace(QLatin1Char('\r'), QChar(0x1e));
        out.push_back(w.toStdString());
    }
    return out;
}

std::string joined(const std::vector<std::string> &w)
{
    std::string s;
    for (size_t i = 0; i < w.size(); ++i) {
        if (i)
            s += '\n';
        s += w[i];
    }
    return s;
}

QString restore(const std::string &token)
{
    QString t = qs(token);
    t.replace(QChar(0x1f), QLatin1Char('\n')).replace(QChar(0x1e), QLatin1Char('\r'));
    return t.toHtmlEscaped();
}

} // namespace

ComparePairView::ComparePairView(QWidget *parent) : QWidget(parent)
{
    m_a = new QComboBox(this);
    m_a->setObjectName(QStringLiteral("pairA"));
    m_b = new QComboBox(this);
    m_b->setObjectName(QStringLiteral("pairB"));
    for (auto *c : {m_a, m_b}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(16);
        connect(c, &QComboBox::currentIndexChanged, this, &ComparePairView::recompute);
    }
    m_disagree = new QCheckBox(tr("Only where they disagree"), this);
    m_disagree->setObjectName(QStringLiteral("disagreeOnly"));
    m_disagree->setChecked(true);
    connect(m_disagree, &QCheckBox::toggled, this, &ComparePairView::applyFilter);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("A"), this));
    bar->addWidget(m_a, 1);
    bar->addWidget(new QLabel(tr("B"), this));
    bar->addWidget(m_b, 1);
    bar->addWidget(m_disagree);

    m_summary =
        new QLabel(tr("Pick two cells: Ctrl+click them in the matrix, or choose A and B."), this);
    m_summary->setObjectName(QStringLiteral("pairSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setToolTip(tr("McNemar's exact test over the questions both answered: b = A right "
                             "and B wrong, c = A wrong and B right; p = min(1, 2·P(X ≤ min(b, c))) "
                             "for X ~ Binomial(b + c, ½). A small p says the difference is "
                             "unlikely to be chance."));

    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(QStringLiteral("pairQuestions"));
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Question"), tr("Expected"), tr("A"), tr("B")});
    setUpQuestionTable(m_table);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    connect(m_table, &QTableWidget::currentCellChanged, this, &ComparePairView::showQuestion);

    m_left = new QTextBrowser(this);
    m_left->setObjectName(QStringLiteral("pairLeft"));
    m_right = new QTextBrowser(this);
    m_right->setObjectName(QStringLiteral("pairRight"));
    for (auto *t : {m_left, m_right})
        t->setPlaceholderText(tr("Select a question to read both responses"));
    auto *sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(m_left);
    sides->addWidget(m_right);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(sides);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

void ComparePairView::setResults(CompareResultsPtr results)
{
    m_results = std::move(results);
    fillCombos();
    recompute();
}

void ComparePairView::fillCombos()
{
    const QString a = cellA(), b = cellB();
    for (auto *c : {m_a, m_b}) {
        const QSignalBlocker block(c);
        c->clear();
        if (!m_results)
            continue;
        for (const auto &cell : m_results->cells)
            c->addItem(cellShortName(cell), qs(cell.id));
        for (const auto &e : m_results->ensembles)
            c->addItem(cellShortName(e), qs(e.id));
    }
    const QSignalBlocker ba(m_a), bb(m_b);
    m_a->setCurrentIndex(std::max(0, m_a->findData(a)));
    const int bi = m_b->findData(b);
    m_b->setCurrentIndex(bi >= 0 ? bi : std::min(1, m_b->count() - 1));
}

QString ComparePairView::cellA() const
{
    return m_a->currentData().toString();
}

QString ComparePairView::cellB() const
{
    return m_b->currentData().toString();
}

void ComparePairView::setPair(const QString &a, const QString &b)
{
    {
        const QSignalBlocker ba(m_a), bb(m_b);
        m_a->setCurrentIndex(m_a->findData(a));
        m_b->setCurrentIndex(m_b->findData(b));
    }
    recompute();
}

QString ComparePairView::formatP(double p)
{
    return p < 1e-4 ? QString::number(p, 'e', 2) : QString::number(p, 'f', 4);
}

QString ComparePairView::summaryText() const
{
    return m_summary->text();
}

int ComparePairView::visibleRowCount() const
{
    return visibleRows(m_table);
}

void ComparePairView::recompute()
{
    const QString a = cellA(), b = cellB();
    const QSignalBlocker block(m_table);
    m_table->setRowCount(0);
    m_diff = {};
    m_left->clear();
    m_right->clear();
    if (!m_results || a.isEmpty() || b.isEmpty()) {
        m_summary->setText(tr("Pick two cells: Ctrl+click them in the matrix, or choose A and B."));
        return;
    }
    if (a == b) {
        m_summary->setText(tr("A and B are the same cell; choose another one."));
        return;
    }
    try {
        m_diff = wb::diffCells(*m_results, a.toStdString(), b.toStdString());
    } catch (const std::exception &e) {
        m_summary->setText(QString::fromUtf8(e.what()));
        return;
    }
    const auto *ca = m_results->find(a.toStdString());
    const auto *cb = m_results->find(b.toStdString());
    m_summary->setText(
        tr("<b>McNemar p = %1</b> · b (only A right) = %2 · c (only B right) = %3 · both right %4 "
           "· both wrong %5 · paired %6 · A %7 vs B %8")
            .arg(formatP(m_diff.p))
            .arg(m_diff.onlyA)
            .arg(m_diff.onlyB)
            .arg(m_diff.bothRight)
            .arg(m_diff.bothWrong)
            .arg(m_diff.paired)
            .arg(ca ? percent(ca->accuracy) : QString(), cb ? percent(cb->accuracy) : QString()));
    if (!ca || !cb)
        return;
    const auto &questions = m_results->questions;
    const size_t n = std::min({questions.size(), ca->questions.size(), cb->questions.size()});
    m_table->setRowCount(int(n));
    for (size_t i = 0; i < n; ++i) {
        const auto &q = questions[i];
        auto set = [&](int col, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setData(kQidxRole, qulonglong(q.qidx));
            m_table->setItem(int(i), col, item);
            return item;
        };
        set(0, QString::number(i + 1));
        set(1, qs(q.text).simplified())->setToolTip(qs(q.text));
        set(2, qs(q.expected))->setTextAlignment(Qt::AlignCenter);
        for (int side = 0; side < 2; ++side) {
            const wb::CellQuestion &cq = (side ? cb : ca)->questions[i];
            QString text =
                cq.voted.empty() ? (cq.complete ? tr("none") : QStringLiteral("…")) : qs(cq.voted);
            if (cq.complete)
                text += cq.correct ? QStringLiteral(" ✓") : QStringLiteral(" ✗");
            auto *item = set(3 + side, text);
            item->setTextAlignment(Qt::AlignCenter);
            if (cq.complete)
                item->setForeground(cq.correct ? kRight : kWrong);
        }
    }
    m_table->resizeColumnToContents(0);
    applyFilter();
    Q_EMIT pairChanged(a, b);
}

void ComparePairView::applyFilter()
{
    const std::set<size_t> disagree(m_diff.disagree.begin(), m_diff.disagree.end());
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const size_t qidx = m_table->item(r, 0)->data(kQidxRole).toULongLong();
        m_table->setRowHidden(r, m_disagree->isChecked() && !disagree.count(qidx));
    }
}

std::pair<QString, QString> ComparePairView::diffHtml(const std::string &a, const std::string &b)
{
    const auto lines = wb::diffLines(joined(words(a)), joined(words(b)));
    QString left, right;
    const QString mark = QStringLiteral("<span style='background-color:%1'>%2</span>");
    for (const auto &l : lines) {
        const QString t = restore(l.text);
        const bool space = qs(l.text).trimmed().isEmpty();
        switch (l.op) {
        case wb::DiffLine::Op::Same:
            left += t;
            right += t;
            break;
        case wb::DiffLine::Op::Removed:
            left += space ? t : mark.arg(QStringLiteral("#f5b7b1"), t);
            break;
        case wb::DiffLine::Op::Added:
            right += space ? t : mark.arg(QStringLiteral("#abebc6"), t);
            break;
        }
    }
    return {left, right};
}

void ComparePairView::showQuestion()
{
    const int row = m_table->currentRow();
    const auto *ca = m_results ? m_results->find(cellA().toStdString()) : nullptr;
    const auto *cb = m_results ? m_results->find(cellB().toStdString()) : nullptr;
    if (!ca || !cb || row < 0 || size_t(row) >= ca->questions.size() ||
        size_t(row) >= cb->questions.size() || size_t(row) >= m_results->questions.size()) {
        m_left->clear();
        m_right->clear();
        return;
    }
    const auto &q = m_results->questions[size_t(row)];
    const auto &qa = ca->questions[size_t(row)];
    const auto &qb = cb->questions[size_t(row)];
    const QString head = CompareQuestionView::questionHtml(q);
    QString left = QStringLiteral("<h4>A · %1</h4>").arg(qs(ca->label).toHtmlEscaped()) + head;
    QString right = QStringLiteral("<h4>B · %1</h4>").arg(qs(cb->label).toHtmlEscaped()) + head;
    auto vote = [this](const wb::CellQuestion &cq) {
        return tr("Vote: %1 · %2")
            .arg(cq.voted.empty() ? tr("none (unextracted)") : qs(cq.voted).toHtmlEscaped(),
                 cq.correct ? tr("correct") : tr("wrong"));
    };
    left += QStringLiteral("<p><b>%1</b></p>").arg(vote(qa));
    right += QStringLiteral("<p><b>%1</b></p>").arg(vote(qb));
    // Ensembles have no texts of their own: their members' responses are in the cells.
    const size_t n = std::max(qa.samples.size(), qb.samples.size());
    for (size_t s = 0; s < n; ++s) {
        const std::string ta = s < qa.samples.size() ? qa.samples[s].text : std::string();
        const std::string tb = s < qb.samples.size() ? qb.samples[s].text : std::string();
        const auto [hl, hr] = diffHtml(ta, tb);
        auto block = [this, s](const wb::CellQuestion &cq, const QString &body) {
            if (s >= cq.samples.size())
                return QString();
            const auto &smp = cq.samples[s];
            return QStringLiteral(
                       "<hr><p><b>%1</b> — %2</p><pre style='white-space: pre-wrap'>%3</pre>")
                .arg(tr("Sample %1").arg(s + 1),
                     tr("extracted: %1")
                         .arg(smp.extracted.empty() ? tr("nothing")
                                                    : qs(smp.extracted).toHtmlEscaped()),
                     body);
        };
        left += block(qa, hl);
        right += block(qb, hr);
    }
    m_left->setHtml(left);
    m_right->setHtml(right);
}

} // namespace wbui
