#pragma once

#include <QString>
#include <QStringList>

namespace wbui {

// The UI language: "system" follows the locale; "en" and "zh_CN" force one. The choice is
// kept in the user's settings. Translations are compiled into the binary (:/i18n).
QString savedLanguage();
void saveLanguage(const QString &language);
// Installs the translator for a language (replacing the previous one). Returns the locale
// name actually used ("en" when no translation is needed or available).
QString installLanguage(const QString &language);
QStringList availableLanguages(); // {"system", "en", "zh_CN"}

} // namespace wbui
