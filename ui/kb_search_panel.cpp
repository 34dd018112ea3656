#include "kb_search_panel.h"

#include "kb_session.h"
#include "kb_source_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace wbui {

namespace {
enum Column { ColRank, ColSource, ColPage, ColVector, ColBm25, ColFused, ColPassage, ColCount };
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
QString oneLine(const std::string &text)
{
    QString s = q(text).simplified();
    return s.size() > 160 ? s.left(160) + QStringLiteral("…") : s;
}
} // namespace

KbSearchPanel::KbSearchPanel(KbSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("kbQuery"));
    m_query->setPlaceholderText(tr("Ask what a prompt would ask, e.g. how to count the liars"));
    m_query->setClearButtonEnabled(true);
    m_search = new QPushButton(tr("Search"), this);
    m_search->setObjectName(QStringLiteral("kbSearch"));
    m_search->setDefault(true);
    connect(m_query, &QLineEdit::returnPressed, this, &KbSearchPanel::search);
    connect(m_query, &QLineEdit::textChanged, this, &KbSearchPanel::updateButtons);
    connect(m_search, &QPushButton::clicked, this, &KbSearchPanel::search);

    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("kbTopK"));
    m_topK->setRange(1, 100);
    m_topK->setValue(5);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("kbMode"));
    m_mode->addItem(tr("Hybrid"), int(wb::rag::SearchOptions::Mode::Hybrid));
    m_mode->addItem(tr("Vectors only"), int(wb::rag::SearchOptions::Mode::Vector));
    m_mode->addItem(tr("BM25 only"), int(wb::rag::SearchOptions::Mode::Lexical));
    m_weight = new QSlider(Qt::Horizontal, this);
    m_weight->setObjectName(QStringLiteral("kbVectorWeight"));
    m_weight->setRange(0, 100);
    m_weight->setValue(50);
    m_weight->setMinimumWidth(120);
    m_weight->setToolTip(tr("Share of the vector ranking in the fused rank; BM25 gets the rest"));
    m_weightLabel = new QLabel(this);
    m_weightLabel->setMinimumWidth(32);
    m_mmr = new QCheckBox(tr("MMR (diversify)"), this);
    m_mmr->setObjectName(QStringLiteral("kbMmr"));
    m_mmr->setToolTip(tr(
        "Maximal marginal relevance: keeps near-duplicate passages from filling the top results"));
    connect(m_weight, &QSlider::valueChanged, this,
            [this](int v) { m_weightLabel->setText(QString::number(v / 100.0, 'f', 2)); });
    connect(m_mode, &QComboBox::currentIndexChanged, this,
            [this] { m_weight->setEnabled(m_mode->currentIndex() == 0); });
    m_weightLabel->setText(QStringLiteral("0.50"));

    auto *queryRow = new QHBoxLayout;
    queryRow->addWidget(m_query, 1);
    queryRow->addWidget(m_search);
    auto *optionRow = new QHBoxLayout;
    optionRow->addWidget(new QLabel(tr("Top-k"), this));
    optionRow->addWidget(m_topK);
    optionRow->addSpacing(12);
    optionRow->addWidget(m_mode);
    optionRow->addSpacing(12);
    optionRow->addWidget(new QLabel(tr("Vector weight"), this));
    optionRow->addWidget(m_weight);
    optionRow->addWidget(m_weightLabel);
    optionRow->addSpacing(12);
    optionRow->addWidget(m_mmr);
    optionRow->addStretch(1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("kbSearchStatus"));
    optionRow->addWidget(m_status);

    m_results = new QTableWidget(0, ColCount, this);
    m_results->setObjectName(QStringLiteral("kbResults"));
    m_results->setHorizontalHeaderLabels({tr("Rank"), tr("Source"), tr("Page"), tr("Vector (rank)"),
                                          tr("BM25 (rank)"), tr("Fused"), tr("Passage")});
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setAlternatingRowColors(true);
    m_results->verticalHeader()->hide();
    m_results->setWordWrap(false);
    m_results->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_results->horizontalHeader()->setStretchLastSection(true);
    for (int c : {ColRank, ColPage})
        m_results->setColumnWidth(c, 50);
    m_results->setColumnWidth(ColSource, 190);
    for (int c : {ColVector, ColBm25})
        m_results->setColumnWidth(c, 110);
    m_results->setColumnWidth(ColFused, 70);
    connect(m_results, &QTableWidget::currentCellChanged, this,
            [this](int row) { showChunk(row); });
    connect(m_results, &QTableWidget::cellDoubleClicked, this,
            [this](int row) { openSource(row); });

    m_chunkInfo = new QLabel(this);
    m_chunkInfo->setObjectName(QStringLiteral("kbChunkInfo"));
    m_chunkInfo->setWordWrap(true);
    m_chunk = new QTextBrowser(this);
    m_chunk->setObjectName(QStringLiteral("kbChunkText"));
    m_open = new QPushButton(tr("Open source"), this);
    m_open->setObjectName(QStringLiteral("kbOpenSource"));
    m_open->setToolTip(tr("Show the chunk in its document"));
    connect(m_open, &QPushButton::clicked, this, [this] { openSource(m_results->currentRow()); });
    auto *chunkSide = new QWidget(this);
    auto *cl = new QVBoxLayout(chunkSide);
    cl->setContentsMargins(0, 0, 0, 0);
    auto *infoRow = new QHBoxLayout;
    infoRow->addWidget(m_chunkInfo, 1);
    infoRow->addWidget(m_open);
    cl->addLayout(infoRow);
    cl->addWidget(m_chunk, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_results);
    split->addWidget(chunkSide);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(queryRow);
    layout->addLayout(optionRow);
    layout->addWidget(split, 1);

    connect(&session, &KbSession::busyChanged, this, [this](const QString &c) {
        if (c == m_collection)
            updateButtons();
    });
    updateButtons();
}

void KbSearchPanel::setCollection(const QString &name)
{
    if (name == m_collection)
        return;
    m_collection = name;
    m_hits.clear();
    showHits();
    m_status->clear();
    updateButtons();
}

void KbSearchPanel::setQuery(const QString &text)
{
    m_query->setText(text);
}

void KbSearchPanel::updateButtons()
{
    const bool busy = !m_collection.isEmpty() && m_session.isBusy(m_collection);
    m_search->setEnabled(!m_collection.isEmpty() && !busy && !m_query->text().trimmed().isEmpty());
    m_open->setEnabled(m_results->currentRow() >= 0);
    if (busy && m_session.jobOf(m_collection) && m_status->text().isEmpty())
        m_status->setText(tr("The collection is busy; search when its job ends."));
    else if (!busy && m_status->text() == tr("The collection is busy; search when its job ends."))
        m_status->clear();
}

wb::rag::SearchOptions KbSearchPanel::options() const
{
    wb::rag::SearchOptions o;
    o.topK = m_topK->value();
    o.mode = static_cast<wb::rag::SearchOptions::Mode>(m_mode->currentData().toInt());
    o.vectorWeight = m_weight->value() / 100.0;
    o.mmr = m_mmr->isChecked();
    return o;
}

bool KbSearchPanel::search()
{
    const std::string query = m_query->text().trimmed().toStdString();
    if (m_collection.isEmpty() || query.empty())
        return false;
    auto hits = std::make_shared<std::vector<wb::rag::SearchHit>>();
    auto ms = std::make_shared<qint64>(0);
    const wb::rag::SearchOptions o = options();
    const QString collection = m_collection;
    const wb::JobId id = m_session.run(
        collection, QStringLiteral("kb.search"), tr("Search %1").arg(collection), true,
        [hits, ms, query, o](wb::rag::KnowledgeBase &kb, wb::JobContext &) {
            QElapsedTimer t;
            t.start();
            *hits = kb.search(query, o);
            *ms = t.elapsed();
            return nlohmann::json{{"hits", hits->size()}};
        },
        [this, hits, ms, collection](const wb::JobSnapshot &s) {
            if (collection != m_collection)
                return;
            if (s.state == wb::JobState::Succeeded) {
                m_hits = std::move(*hits);
                m_status->setText(
                    tr("%n result(s) in %1 ms", nullptr, int(m_hits.size())).arg(*ms));
                m_status->setStyleSheet(QString());
            } else {
                m_hits.clear();
                m_status->setText(tr("Search failed: %1").arg(q(s.error)));
                m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
            }
            showHits();
            Q_EMIT searchFinished();
        });
    if (id == 0) {
        m_status->setText(tr("The collection is busy; search when its job ends."));
        return false;
    }
    m_status->setText(tr("Searching…"));
    return true;
}

void KbSearchPanel::showHits()
{
    m_results->setRowCount(0);
    m_results->setRowCount(int(m_hits.size()));
    auto cell = [this](int row, int col, const QString &text, const QVariant &value = {}) {
        auto *item = new QTableWidgetItem(text);
        if (value.isValid())
            item->setData(Qt::UserRole, value);
        if (col != ColSource && col != ColPassage)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(row, col, item);
    };
    for (int r = 0; r < int(m_hits.size()); ++r) {
        const auto &h = m_hits[size_t(r)];
        cell(r, ColRank, QString::number(h.rank), h.rank);
        cell(r, ColSource, hitSource(h), q(h.path));
        cell(r, ColPage, h.page > 0 ? QString::number(h.page) : QString(), h.page);
        const QString none = QStringLiteral("–");
        cell(r, ColVector,
             h.vectorRank > 0
                 ? QStringLiteral("%1 (#%2)").arg(h.vectorScore, 0, 'f', 3).arg(h.vectorRank)
                 : none,
             h.vectorScore);
        cell(r, ColBm25,
             h.bm25Rank > 0 ? QStringLiteral("%1 (#%2)").arg(h.bm25, 0, 'f', 3).arg(h.bm25Rank)
                            : none,
             h.bm25);
        cell(r, ColFused, QString::number(h.fusedScore, 'f', 4), h.fusedScore);
        cell(r, ColPassage, oneLine(h.text));
        m_results->item(r, ColSource)->setToolTip(q(h.path));
    }
    // Unpaged documents (txt, md, html) leave the page column out.
    m_results->setColumnHidden(ColPage, std::none_of(m_hits.begin(), m_hits.end(),
                                                     [](const auto &h) { return h.page > 0; }));
    if (!m_hits.empty())
        m_results->setCurrentCell(0, ColRank);
    else
        showChunk(-1);
    updateButtons();
}

void KbSearchPanel::showChunk(int row)
{
    m_chunk->clear();
    m_chunkInfo->clear();
    updateButtons();
    if (row < 0 || row >= int(m_hits.size()))
        return;
    const auto &h = m_hits[size_t(row)];
    QStringList info{QStringLiteral("<b>%1</b>").arg(hitSource(h).toHtmlEscaped())};
    if (!h.heading.empty())
        info << tr("section: %1").arg(q(h.heading).toHtmlEscaped());
    info << tr("bytes %1–%2").arg(h.start).arg(h.end);
    if (!h.matchedTerms.empty()) {
        QStringList terms;
        for (const auto &t : h.matchedTerms)
            terms << q(t).toHtmlEscaped();
        info << tr("matched: %1").arg(terms.join(QStringLiteral(", ")));
    }
    m_chunkInfo->setText(info.join(QStringLiteral(" · ")));
    // Highlights are byte ranges of the chunk's UTF-8 text: build the HTML piece by piece.
    QString html;
    size_t at = 0;
    auto plain = [&](size_t from, size_t to) {
        html += QString::fromUtf8(h.text.data() + from, qsizetype(to - from)).toHtmlEscaped();
    };
    for (const auto &[b, e] : h.highlights) {
        const size_t begin = size_t(std::max<int64_t>(b, int64_t(at))),
                     end = std::min(size_t(e), h.text.size());
        if (begin >= end)
            continue;
        plain(at, begin);
        html += QStringLiteral("<span style='background-color:#ffe08a; font-weight:600;'>");
        plain(begin, end);
        html += QStringLiteral("</span>");
        at = end;
    }
    plain(at, h.text.size());
    html.replace(QChar('\f'), QChar('\n'));
    m_chunk->setHtml(QStringLiteral("<div style='white-space: pre-wrap;'>%1</div>").arg(html));
}

QString KbSearchPanel::chunkHtml() const
{
    return m_chunk->toHtml();
}

void KbSearchPanel::openSource(int row)
{
    if (row < 0 || row >= int(m_hits.size()))
        return;
    auto *dialog = new KbSourceDialog(m_session.context(), m_collection, m_hits[size_t(row)], this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace wbui
