#include "application.h"

#include "app_context.h"
#include "app_icon.h"
#include "common/error.h"
#include "common/runtime.h"
#include "i18n.h"
#include "main_window.h"
#include "store/demo_seed.h"
#include "store/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace wbui {

int runWorkbench(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("llm-workbench"));
    QApplication::setApplicationName(QStringLiteral("llm-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(WB_VERSION));
    QApplication::setWindowIcon(appIcon());
    installLanguage(savedLanguage());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "LLM Workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption workspaceOpt(QStringList{QStringLiteral("workspace"), QStringLiteral("w")},
                                    QApplication::translate("main", "Workspace folder."),
                                    QStringLiteral("DIR"));
    QCommandLineOption quitAfterOpt(QStringLiteral("quit-after"),
                                    QApplication::translate("main", "Quit after N milliseconds (for smoke tests)."),
                                    QStringLiteral("MS"));
    parser.addOption(workspaceOpt);
    parser.addOption(quitAfterOpt);
    parser.process(app);

    wb::applyThreadBudget({});
    std::unique_ptr<wb::Workspace> ws;
    try {
        const std::filesystem::path dir = parser.isSet(workspaceOpt)
                                              ? std::filesystem::path(parser.value(workspaceOpt).toStdString())
                                              : wb::Workspace::defaultPath();
        ws = wb::Workspace::open(dir);
        if (ws->isNew())
            wb::seedDemo(*ws);
    } catch (const std::exception &e) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Cannot open workspace"),
                              QString::fromUtf8(e.what()));
        return 1;
    }

    AppContext ctx(std::move(ws));
    QPointer<MainWindow> window;
    std::function<void()> build = [&] {
        auto *w = new MainWindow(ctx);
        w->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(w, &MainWindow::languageChangeRequested, w, [&, w](const QString &lang) {
            installLanguage(lang);
            // Rebuild after this event finishes: the old window owns the menu being used.
            QTimer::singleShot(0, &app, [&, w] {
                const QRect geometry = w->geometry();
                w->setAttribute(Qt::WA_DeleteOnClose, false);
                w->hide();
                w->deleteLater();
                build();
                window->setGeometry(geometry);
            });
        });
        window = w;
        w->show();
    };
    build();
    if (parser.isSet(quitAfterOpt))
        QTimer::singleShot(parser.value(quitAfterOpt).toInt(), &app, [&] {
            if (window)
                window->close();
            app.quit();
        });
    return app.exec();
}

} // namespace wbui
