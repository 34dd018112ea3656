#pragma once

#include <QMimeData>
#include <QStringList>
#include <QUrl>

namespace wbui {

// The local files and folders that a drag carries (none for other data).
inline QStringList droppedPaths(const QMimeData *mime)
{
    QStringList paths;
    if (mime)
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

} // namespace wbui
