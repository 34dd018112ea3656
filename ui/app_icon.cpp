#include "app_icon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace wbui {

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 32, 64, 128, 256}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 256.0, size / 256.0);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x1f, 0x4e, 0x79));
        p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48);
        QPainterPath flask;
        flask.moveTo(100, 40);
        flask.lineTo(156, 40);
        flask.lineTo(156, 108);
        flask.lineTo(210, 204);
        flask.quadTo(216, 224, 196, 224);
        flask.lineTo(60, 224);
        flask.quadTo(40, 224, 46, 204);
        flask.lineTo(100, 108);
        flask.closeSubpath();
        p.setBrush(Qt::white);
        p.drawPath(flask);
        QPainterPath liquid;
        liquid.moveTo(80, 168);
        liquid.lineTo(176, 168);
        liquid.lineTo(200, 210);
        liquid.lineTo(56, 210);
        liquid.closeSubpath();
        p.setBrush(QColor(0x2e, 0x86, 0xc1));
        p.drawPath(liquid);
        p.setBrush(QColor(0xf5, 0xb0, 0x41));
        p.drawEllipse(QPointF(118, 190), 8, 8);
        p.drawEllipse(QPointF(146, 180), 6, 6);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace wbui
