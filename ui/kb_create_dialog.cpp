#include "kb_create_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace wbui {

namespace {
std::string s(const QString &q)
{
    return q.trimmed().toStdString();
}
QComboBox *deviceBox(QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->addItem(QStringLiteral("CPU"), QStringLiteral("cpu"));
    box->addItem(QStringLiteral("CUDA"), QStringLiteral("cuda"));
    return box;
}
} // namespace

KbCreateDialog::KbCreateDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("kbCreateDialog"));
    setWindowTitle(tr("New knowledge-base collection"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("kbNewName"));
    m_name->setPlaceholderText(tr("e.g. manuals"));
    m_description = new QLineEdit(this);
    m_description->setPlaceholderText(tr("optional"));

    m_embedder = new QComboBox(this);
    m_embedder->setObjectName(QStringLiteral("kbNewEmbedder"));
    m_embedder->addItem(tr("Hashing: no model, matches shared words"), QStringLiteral("hashing"));
    m_embedder->addItem(tr("Sentence encoder folder (bge, MiniLM, e5)"), QStringLiteral("bert"));
    m_embedder->addItem(tr("Decoder model folder (pooled hidden states)"),
                        QStringLiteral("causal-lm"));
    m_embedder->addItem(tr("OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp)"),
                        QStringLiteral("openai"));
    m_pages = new QStackedWidget(this);

    auto *hashing = new QWidget(m_pages);
    auto *hf = new QFormLayout(hashing);
    m_dim = new QSpinBox(hashing);
    m_dim->setRange(16, 4096);
    m_dim->setValue(384);
    hf->addRow(tr("Dimensions"), m_dim);
    m_pages->addWidget(hashing);

    auto *bert = new QWidget(m_pages);
    auto *bf = new QFormLayout(bert);
    m_bertModel =
        folderField(QStringLiteral("kbNewBertModel"), tr("Sentence-transformers folder"), bert);
    m_bertDevice = deviceBox(bert);
    bf->addRow(tr("Model folder"), m_bertModel->parentWidget());
    bf->addRow(tr("Device"), m_bertDevice);
    m_pages->addWidget(bert);

    auto *lm = new QWidget(m_pages);
    auto *lf = new QFormLayout(lm);
    m_lmModel = folderField(QStringLiteral("kbNewLmModel"), tr("Hugging Face model folder"), lm);
    m_lmPooling = new QComboBox(lm);
    m_lmPooling->addItem(tr("mean of all tokens"), QStringLiteral("mean"));
    m_lmPooling->addItem(tr("last token"), QStringLiteral("last"));
    m_lmDevice = deviceBox(lm);
    lf->addRow(tr("Model folder"), m_lmModel->parentWidget());
    lf->addRow(tr("Pooling"), m_lmPooling);
    lf->addRow(tr("Device"), m_lmDevice);
    m_pages->addWidget(lm);

    auto *remote = new QWidget(m_pages);
    auto *rf = new QFormLayout(remote);
    m_baseUrl = new QLineEdit(QStringLiteral("http://localhost:8000/v1"), remote);
    m_remoteModel = new QLineEdit(remote);
    m_apiKeyEnv = new QLineEdit(remote);
    m_apiKeyEnv->setPlaceholderText(tr("e.g. OPENAI_API_KEY (the key itself is never stored)"));
    rf->addRow(tr("Endpoint"), m_baseUrl);
    rf->addRow(tr("Model"), m_remoteModel);
    rf->addRow(tr("Key variable"), m_apiKeyEnv);
    m_pages->addWidget(remote);
    connect(m_embedder, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *embedding = new QGroupBox(tr("Embeddings"), this);
    auto *ef = new QVBoxLayout(embedding);
    ef->addWidget(m_embedder);
    ef->addWidget(m_pages);

    m_unit = new QComboBox(this);
    m_unit->setObjectName(QStringLiteral("kbNewUnit"));
    m_unit->addItem(tr("characters"), QStringLiteral("chars"));
    m_unit->addItem(tr("tokens of a model's tokenizer"), QStringLiteral("tokens"));
    m_tokenizer =
        folderField(QStringLiteral("kbNewTokenizer"), tr("Model folder with a tokenizer"), this);
    m_size = new QSpinBox(this);
    m_size->setObjectName(QStringLiteral("kbNewChunkSize"));
    m_size->setRange(16, 100000);
    m_size->setValue(800);
    m_overlap = new QSpinBox(this);
    m_overlap->setObjectName(QStringLiteral("kbNewOverlap"));
    m_overlap->setRange(0, 50000);
    m_overlap->setValue(100);
    m_overlap->setToolTip(
        tr("At most this much of the previous chunk is repeated, as whole sentences"));
    auto *structure =
        new QLabel(tr("Pages, records and markdown headings always start a new chunk; breaks are "
                      "preferred at blank lines, then sentence ends, then line ends."),
                   this);
    structure->setWordWrap(true);
    structure->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *chunking = new QGroupBox(tr("Chunking"), this);
    auto *cf = new QFormLayout(chunking);
    cf->addRow(tr("Size in"), m_unit);
    cf->addRow(tr("Tokenizer"), m_tokenizer->parentWidget());
    cf->addRow(tr("Chunk size"), m_size);
    cf->addRow(tr("Overlap"), m_overlap);
    cf->addRow(structure);
    connect(m_unit, &QComboBox::currentIndexChanged, this, &KbCreateDialog::updateFields);

    m_hnswThreshold = new QSpinBox(this);
    m_hnswThreshold->setRange(0, 100000000);
    m_hnswThreshold->setSingleStep(1000);
    m_hnswThreshold->setValue(20000);
    m_hnswThreshold->setToolTip(tr("Exact search below this many vectors, HNSW above"));
    auto *index = new QGroupBox(tr("Index"), this);
    auto *xf = new QFormLayout(index);
    xf->addRow(tr("HNSW above (vectors)"), m_hnswThreshold);

    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &KbCreateDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QFormLayout;
    top->addRow(tr("Name"), m_name);
    top->addRow(tr("Description"), m_description);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(embedding);
    layout->addWidget(chunking);
    layout->addWidget(index);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    updateFields();
}

QLineEdit *KbCreateDialog::folderField(const QString &objectName, const QString &dialogTitle,
                                       QWidget *page)
{
    auto *row = new QWidget(page);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(row);
    edit->setObjectName(objectName);
    auto *browse = new QPushButton(tr("Browse…"), row);
    connect(browse, &QPushButton::clicked, this, [this, edit, dialogTitle] {
        const QString dir = QFileDialog::getExistingDirectory(this, dialogTitle, QDir::homePath());
        if (!dir.isEmpty())
            edit->setText(dir);
    });
    h->addWidget(edit, 1);
    h->addWidget(browse);
    return edit;
}

void KbCreateDialog::updateFields()
{
    m_tokenizer->parentWidget()->setEnabled(m_unit->currentData().toString() ==
                                            QLatin1String("tokens"));
}

QString KbCreateDialog::name() const
{
    return m_name->text().trimmed();
}
QString KbCreateDialog::description() const
{
    return m_description->text().trimmed();
}

nlohmann::json KbCreateDialog::settings() const
{
    const QString kind = m_embedder->currentData().toString();
    nlohmann::json embedder = {{"kind", s(kind)}};
    if (kind == QLatin1String("hashing"))
        embedder["dim"] = m_dim->value();
    else if (kind == QLatin1String("bert"))
        embedder.update({{"model", s(m_bertModel->text())},
                         {"device", s(m_bertDevice->currentData().toString())}});
    else if (kind == QLatin1String("causal-lm"))
        embedder.update({{"model", s(m_lmModel->text())},
                         {"pooling", s(m_lmPooling->currentData().toString())},
                         {"device", s(m_lmDevice->currentData().toString())}});
    else
        embedder.update({{"base_url", s(m_baseUrl->text())},
                         {"model", s(m_remoteModel->text())},
                         {"api_key_env", s(m_apiKeyEnv->text())}});
    nlohmann::json chunker = {{"unit", s(m_unit->currentData().toString())},
                              {"size", m_size->value()},
                              {"overlap", m_overlap->value()}};
    if (m_unit->currentData().toString() == QLatin1String("tokens"))
        chunker["tokenizer"] = s(m_tokenizer->text());
    return {{"chunker", chunker},
            {"embedder", embedder},
            {"index", {{"hnsw_threshold", m_hnswThreshold->value()}}}};
}

void KbCreateDialog::accept()
{
    const QString kind = m_embedder->currentData().toString();
    QString error;
    if (name().isEmpty())
        error = tr("The collection needs a name.");
    else if ((kind == QLatin1String("bert") &&
              !QFileInfo(m_bertModel->text().trimmed() + QStringLiteral("/config.json"))
                   .exists()) ||
             (kind == QLatin1String("causal-lm") &&
              !QFileInfo(m_lmModel->text().trimmed() + QStringLiteral("/config.json")).exists()))
        error = tr("Choose a model folder that holds a config.json.");
    else if (kind == QLatin1String("openai") &&
             (m_baseUrl->text().trimmed().isEmpty() || m_remoteModel->text().trimmed().isEmpty()))
        error = tr("The endpoint and the model name are needed.");
    else if (m_unit->currentData().toString() == QLatin1String("tokens") &&
             m_tokenizer->text().trimmed().isEmpty())
        error = tr("Counting tokens needs a model folder with a tokenizer.");
    else if (m_overlap->value() >= m_size->value())
        error = tr("The overlap must be smaller than the chunk size.");
    m_error->setText(error);
    if (error.isEmpty())
        QDialog::accept();
}

} // namespace wbui
