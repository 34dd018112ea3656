#pragma once

#include <QIcon>

namespace wbui {

// The application icon, drawn rather than shipped: a flask on a blue tile.
QIcon appIcon();

} // namespace wbui
