// llm-workbench: the desktop application. All logic lives in wb_ui and wb_core.
#include "application.h"

int main(int argc, char **argv)
{
    return wbui::runWorkbench(argc, argv);
}
