// The Simplified Chinese translation: the .ts is complete, and the .qm compiled into wb_ui
// loads through wbui::installLanguage and switches back to English.

#include "i18n.h"
#include "test_util.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace {

struct TsMessage {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    bool unfinished = false;
    QStringList translations; // one per numerus form, or the single translation
};

QString tsPath()
{
    QString root = qEnvironmentVariable("WB_TEST_SOURCE_DIR");
    if (root.isEmpty()) // run by hand, outside ctest: this file is <root>/tests/ui/tst_i18n.cpp
        root = QFileInfo(QString::fromUtf8(__FILE__)).absoluteDir().absoluteFilePath(QStringLiteral("../.."));
    return root + QStringLiteral("/translations/llmwb_zh_CN.ts");
}

bool readTs(const QString &path, QList<TsMessage> *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage msg;
    bool inMessage = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name") && !inMessage) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                inMessage = true;
                msg = TsMessage{};
                msg.context = context;
                msg.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (name == QLatin1String("source")) {
                msg.source = xml.readElementText();
            } else if (name == QLatin1String("comment")) {
                msg.comment = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                const auto type = xml.attributes().value(QLatin1String("type"));
                msg.unfinished = type == QLatin1String("unfinished");
                if (!msg.numerus)
                    msg.translations << xml.readElementText();
            } else if (name == QLatin1String("numerusform")) {
                msg.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            inMessage = false;
            out->append(msg);
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString();
        return false;
    }
    return true;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(?:n|L?\\d+)"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

} // namespace

class TstI18n : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tsFileIsComplete();
    void chineseLoadsAndEnglishRestores();
    void compiledCatalogMatchesTsFile();
    void cleanupTestCase();
};

void TstI18n::tsFileIsComplete()
{
    QList<TsMessage> messages;
    QString error;
    QVERIFY2(readTs(tsPath(), &messages, &error), qPrintable(tsPath() + QStringLiteral(": ") + error));
    QVERIFY2(messages.size() >= 100, qPrintable(QString::number(messages.size())));

    QSet<QString> contexts;
    for (const auto &m : messages) {
        contexts.insert(m.context);
        const QString where = m.context + QStringLiteral(": ") + m.source;
        QVERIFY2(!m.unfinished, qPrintable(QStringLiteral("unfinished: ") + where));
        QVERIFY2(!m.translations.isEmpty(), qPrintable(QStringLiteral("no translation: ") + where));
        for (const auto &t : m.translations) {
            QVERIFY2(!t.trimmed().isEmpty(), qPrintable(QStringLiteral("empty translation: ") + where));
            QCOMPARE(placeholders(t), placeholders(m.source));
            // Accelerators survive as "(&X)".
            if (m.source.contains(QRegularExpression(QStringLiteral("&\\w"))))
                QVERIFY2(t.contains(QRegularExpression(QStringLiteral("&\\w"))), qPrintable(where));
        }
        if (m.numerus)
            QCOMPARE(m.translations.size(), 1); // Chinese has a single plural form
    }
    for (const char *c : {"main", "wbui::MainWindow", "wbui::DatasetsTab", "wbui::PromptsTab",
                          "wbui::JobsPanel", "wbui::DatasetStatsView", "wbui::DatasetPreviewModel"})
        QVERIFY2(contexts.contains(QLatin1String(c)), c);
}

void TstI18n::chineseLoadsAndEnglishRestores()
{
    QCOMPARE(wbui::installLanguage(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    QCOMPARE(QCoreApplication::translate("wbui::MainWindow", "Datasets"), QStringLiteral("数据集"));
    QCOMPARE(QCoreApplication::translate("wbui::MainWindow", "&File"), QStringLiteral("文件(&F)"));
    QCOMPARE(QCoreApplication::translate("wbui::JobsPanel", "Cancel"), QStringLiteral("取消"));
    QCOMPARE(QCoreApplication::translate("wbui::MainWindow", "%n job(s) running", nullptr, 3),
             QStringLiteral("3 个任务正在运行"));
    QCOMPARE(QCoreApplication::translate("wbui::DatasetPreviewModel", "%n question(s)", nullptr, 1),
             QStringLiteral("1 个问题"));
    QCOMPARE(QCoreApplication::translate("wbui::PromptsTab", "Variables: %1").arg(QStringLiteral("x")),
             QStringLiteral("变量：x"));
    QCOMPARE(QLocale().language(), QLocale::Chinese);

    // Installing again replaces the translator rather than stacking a second one.
    QCOMPARE(wbui::installLanguage(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    QCOMPARE(QCoreApplication::translate("wbui::DatasetsTab", "Datasets"), QStringLiteral("数据集"));

    QCOMPARE(wbui::installLanguage(QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("wbui::MainWindow", "Datasets"), QStringLiteral("Datasets"));
    QCOMPARE(QCoreApplication::translate("wbui::MainWindow", "%n job(s) running", nullptr, 3),
             QStringLiteral("3 job(s) running"));
    QCOMPARE(QLocale().language(), QLocale::English);
}

void TstI18n::compiledCatalogMatchesTsFile()
{
    // Every message of the .ts is in the .qm that wb_ui carries, with the same text.
    QList<TsMessage> messages;
    QString error;
    QVERIFY2(readTs(tsPath(), &messages, &error), qPrintable(error));
    QCOMPARE(wbui::installLanguage(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    for (const auto &m : messages) {
        const QByteArray ctx = m.context.toUtf8();
        const QByteArray src = m.source.toUtf8();
        const QByteArray cmt = m.comment.toUtf8();
        const QString got = QCoreApplication::translate(ctx.constData(), src.constData(),
                                                        cmt.isEmpty() ? nullptr : cmt.constData(),
                                                        m.numerus ? 2 : -1);
        QString want = m.translations.value(0);
        if (m.numerus)
            want.replace(QLatin1String("%n"), QLatin1String("2"));
        QVERIFY2(got == want, qPrintable(m.context + QStringLiteral(": ") + m.source +
                                         QStringLiteral(" -> ") + got));
    }
    QCOMPARE(wbui::installLanguage(QStringLiteral("en")), QStringLiteral("en"));
}

void TstI18n::cleanupTestCase()
{
    wbui::installLanguage(QStringLiteral("en"));
}

QTEST_MAIN(TstI18n)
#include "tst_i18n.moc"
