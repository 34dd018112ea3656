#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace wbui {

QString savedLanguage()
{
    return QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString();
}

void saveLanguage(const QString &language)
{
    QSettings().setValue(QStringLiteral("ui/language"), language);
}

QStringList availableLanguages()
{
    return {QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString installLanguage(const QString &language)
{
    static QTranslator *ours = nullptr;
    static QTranslator *qt = nullptr;
    if (ours) {
        QCoreApplication::removeTranslator(ours);
        delete ours;
        ours = nullptr;
    }
    if (qt) {
        QCoreApplication::removeTranslator(qt);
        delete qt;
        qt = nullptr;
    }
    QLocale locale = language == QLatin1String("system") ? QLocale::system() : QLocale(language);
    if (locale.language() != QLocale::Chinese) {
        QLocale::setDefault(QLocale(QLocale::English));
        return QStringLiteral("en");
    }
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    ours = new QTranslator;
    if (!ours->load(QStringLiteral(":/i18n/llmwb_zh_CN.qm"))) {
        delete ours;
        ours = nullptr;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(ours);
    // Qt's own strings (dialog buttons) when the system has them.
    qt = new QTranslator;
    if (qt->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else {
        delete qt;
        qt = nullptr;
    }
    return QStringLiteral("zh_CN");
}

} // namespace wbui
