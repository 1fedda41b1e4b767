"""Colours and pen styles shared by the timeline, the map and the PDF report.

A leg's transport mode must look the same everywhere (a blue dashed sea leg on the map is a blue bar on the
timeline and in the report), and each mode differs by line style as well as colour so a greyscale print or a
colour-blind reader can still tell them apart.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QLinearGradient, QPainter, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from caseboard.db.schema import LEG_MODES


@dataclass(frozen=True)
class ModeStyle:
    mode: str
    color: str  # hex
    dash: Qt.PenStyle
    label: str


MODE_STYLES: dict[str, ModeStyle] = {
    "sea": ModeStyle("sea", "#1f6fb2", Qt.PenStyle.DashLine, "sea"),
    "rail": ModeStyle("rail", "#9b1c1f", Qt.PenStyle.DashDotLine, "rail"),
    "road": ModeStyle("road", "#c06a00", Qt.PenStyle.SolidLine, "road"),
    "air": ModeStyle("air", "#6a3d9a", Qt.PenStyle.DotLine, "air"),
    "other": ModeStyle("other", "#5f6368", Qt.PenStyle.DashDotDotLine, "other"),
}
assert tuple(MODE_STYLES) == LEG_MODES, "one style per schema mode, in schema order (arrays store the index)"

#: Mode styles by the integer code used in ``caseboard.db.plotdata`` arrays.
MODE_BY_CODE: tuple[ModeStyle, ...] = tuple(MODE_STYLES[m] for m in LEG_MODES)

EVENT_COLOR = "#37474f"
STATEMENT_COLOR = "#00796b"
SHIPMENT_COLOR = "#8d6e63"
HIGHLIGHT_COLOR = "#f4a300"
RANGE_COLOR = "#3d8bfd"
PLACE_COLOR = "#263238"
LANE_STRIPE = "#f3f5f7"
GRATICULE = "#e3e6ea"
COAST = "#9aa3ab"
BORDER = "#c3c8cd"
LAND = "#f4f2ec"
WATER = "#ffffff"
OUTSIDE = "#e1e4e8"  # the map beyond the poles and the date line
LABEL_COLOR = "#263238"
MUTED_COLOR = "#5f6368"  # secondary text: tick labels, "3 hidden"
AXIS_COLOR = "#90969c"
PAPER = "#ffffff"  # what the plots are drawn on (the map's water is the same)

#: The plots' colours for a light and a dark application palette (see use_palette).
_LIGHT = {
    "EVENT_COLOR": EVENT_COLOR, "PLACE_COLOR": PLACE_COLOR, "LANE_STRIPE": LANE_STRIPE, "GRATICULE": GRATICULE,
    "COAST": COAST, "BORDER": BORDER, "LAND": LAND, "WATER": WATER, "OUTSIDE": OUTSIDE,
    "LABEL_COLOR": LABEL_COLOR, "MUTED_COLOR": MUTED_COLOR, "AXIS_COLOR": AXIS_COLOR, "PAPER": PAPER,
}  # fmt: skip
_DARK = {
    "EVENT_COLOR": "#b0bec5", "PLACE_COLOR": "#eceff1", "LANE_STRIPE": "#262b30", "GRATICULE": "#2c3237",
    "COAST": "#6b757d", "BORDER": "#4b545b", "LAND": "#2a2f33", "WATER": "#1c2024", "OUTSIDE": "#121517",
    "LABEL_COLOR": "#e8eaed", "MUTED_COLOR": "#a9b0b6", "AXIS_COLOR": "#6b737a", "PAPER": "#1c2024",
}  # fmt: skip


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def use_palette(palette: QPalette | None) -> None:
    """Take the plots' colours from the application palette, light or dark; call before building plots.

    The report's PDF figures are always drawn light (``use_palette(None)`` around them): paper is white.
    """
    table = _DARK if palette is not None and is_dark(palette) else _LIGHT
    globals().update(table)


@contextmanager
def printing() -> Iterator[None]:
    """Light colours for the while: figures printed on paper, whatever the window's theme."""
    before = {k: globals()[k] for k in _LIGHT}
    globals().update(_LIGHT)
    try:
        yield
    finally:
        globals().update(before)


#: Text sizes in pixels (see pixel_font).
TICK_PX = 12
LEGEND_PX = 11
PLACE_LABEL_PX = 11

#: Alpha (0-255) of items that are not related to the selection.
DIM_ALPHA = 45


def color(hex_color: str, alpha: int = 255) -> QColor:
    c = QColor(hex_color)
    c.setAlpha(alpha)
    return c


def mode_color(mode: str | int, alpha: int = 255) -> QColor:
    style = MODE_BY_CODE[mode] if isinstance(mode, int) else MODE_STYLES.get(mode, MODE_STYLES["other"])
    return color(style.color, alpha)


def mode_pen(mode: str | int, width: float = 2.0, alpha: int = 255, *, dashed: bool = True) -> QPen:
    """A cosmetic pen (width in pixels, whatever the zoom) in the mode's colour and dash pattern."""
    style = MODE_BY_CODE[mode] if isinstance(mode, int) else MODE_STYLES.get(mode, MODE_STYLES["other"])
    pen = QPen(color(style.color, alpha))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setStyle(style.dash if dashed else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def mode_brush(mode: str | int, alpha: int = 255) -> QBrush:
    return QBrush(mode_color(mode, alpha))


def paint_mode_sample(painter: QPainter, rect: QRectF, mode: str) -> None:
    """A legend swatch for a transport mode: a line in the mode's colour and dash pattern.

    Shared so the timeline, the map and the report's legends show the same sample.
    """
    painter.save()
    pen = mode_pen(mode, 2.5)
    pen.setCosmetic(False)
    painter.setPen(pen)
    y = rect.center().y()
    painter.drawLine(QPointF(rect.left() + 1, y), QPointF(rect.right() - 1, y))
    painter.restore()


def soft_gradient(
    x0: float, x1: float, c: QColor, soft: float = 0.3, *, opaque: bool = False
) -> QLinearGradient:
    """A horizontal fill that fades out at both ends: how an uncertain date or span is drawn.

    ``opaque`` fades to white with solid colours instead of to transparent: Qt's PDF output loses the alpha
    inside gradients, which would print a fading span as a solid block.
    """
    g = QLinearGradient(x0, 0, x1, 0)
    if opaque:
        a = c.alphaF()
        c = QColor.fromRgbF(1 - a + a * c.redF(), 1 - a + a * c.greenF(), 1 - a + a * c.blueF())
    clear = QColor(c)
    clear.setAlpha(0)
    if opaque:
        clear = QColor("white")
    g.setColorAt(0.0, clear)
    g.setColorAt(soft, c)
    g.setColorAt(1.0 - soft, c)
    g.setColorAt(1.0, clear)
    return g


def render_plot(
    plot: pg.PlotWidget,
    painter: QPainter,
    target: QRectF,
    *,
    title: str | None = None,
    on_scale: Callable[[float], None] | None = None,
    on_layout: Callable[[], None] | None = None,
) -> None:
    """Render the plot's scene into ``target`` with every item in export mode, so the output stays vector.

    Shared by the panels and the PDF report. The plot is laid out at a screen-like size with the target's
    aspect ratio and scaled onto the target, so it looks as on screen. That only holds for text if the panels'
    fonts are sized in pixels (``pixel_font``): a point size is resolved against the printer's resolution and
    would come out twelve times too large at 1200 dpi. ``on_scale`` tells a panel's own items how many device
    units a screen pixel becomes, for what they draw in pixels. ``on_layout`` is called once the plot has its
    export size (instead of restoring the view range), so a panel can fit its view to the target's proportions.
    """
    painter.save()
    area = QRectF(target)
    if title:
        font = QFont(painter.font())
        font.setPointSizeF(12)
        font.setBold(True)
        painter.setFont(font)
        fm_h = painter.fontMetrics().height() * 1.6
        painter.setPen(QColor(LABEL_COLOR))
        painter.drawText(
            QRectF(area.left(), area.top(), area.width(), fm_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        area.setTop(area.top() + fm_h)
    base_w = 900.0
    base_h = max(200.0, base_w * area.height() / max(1.0, area.width()))
    pi = plot.getPlotItem()
    old_geom = pi.geometry()
    vb = pi.getViewBox()
    old_range = vb.viewRange()
    pi.setGeometry(QRectF(0, 0, base_w, base_h))
    pi.layout.activate()
    if on_layout is not None:
        on_layout()
    else:
        vb.setRange(xRange=old_range[0], yRange=old_range[1], padding=0)
    items = [it for it in plot.scene().items() if hasattr(it, "setExportMode")]
    # pixel-sized symbols (pins, arrowheads, nodes) are drawn after a reset of the painter's transform: scaled by
    # hand like the rest of the scene, or they come out larger than the labels placed beside them allow for
    opts = {
        "antialias": True,
        "background": None,
        "painter": painter,
        "resolutionScale": area.width() / base_w,
    }
    for it in items:
        it.setExportMode(True, opts)
    if on_scale is not None:
        on_scale(area.width() / base_w)
    try:
        source = QRectF(0, 0, base_w, base_h)
        plot.scene().render(painter, area, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        if on_scale is not None:
            on_scale(1.0)
        for it in items:
            it.setExportMode(False)
        pi.setGeometry(old_geom)
        pi.layout.activate()
        vb.setRange(xRange=old_range[0], yRange=old_range[1], padding=0)
        painter.restore()


def paint_axis(axis: pg.AxisItem, painter: QPainter) -> bool:
    """Paint a pyqtgraph axis straight onto ``painter`` while exporting; False when not exporting.

    pyqtgraph records axes into a QPicture and replays it, and a QPicture replayed on a printer rescales its
    fonts by the printer's resolution (tick labels twelve times too large at 1200 dpi).
    """
    if getattr(axis, "_exportOpts", False) is False:
        return False
    # lay the ticks out with screen metrics: measured on a 1200 dpi printer, pyqtgraph finds the labels too
    # tall for the axis and drops them (the latitudes of the map went missing)
    from PySide6.QtGui import QImage

    screen = QImage(4, 4, QImage.Format.Format_ARGB32_Premultiplied)
    measure = QPainter(screen)
    try:
        measure.setFont(painter.font())
        specs = axis.generateDrawSpecs(measure)
    finally:
        measure.end()
    if specs is not None:
        axis.drawPicture(painter, *specs)
    return True


def style_axes(plot: pg.PlotWidget, text_color: str) -> None:
    """The plots' shared look for their bottom and left axes: axis-coloured lines, tick text in ``text_color``."""
    pi = plot.getPlotItem()
    for name in ("bottom", "left"):
        ax = pi.getAxis(name)
        ax.setPen(pg.mkPen(AXIS_COLOR))
        ax.setTextPen(pg.mkPen(text_color))
        ax.setStyle(tickFont=pixel_font(TICK_PX))


def settle_axes(plot: pg.PlotWidget) -> None:
    """Let the plot's axes measure their tick labels and take the room they need, then lay the plot out again.

    An axis widens for its labels only after it has drawn them once; a plot never shown on screen (the report's)
    would otherwise print with axes too narrow, and pyqtgraph leaves out every label that does not fit.
    """
    from PySide6.QtGui import QImage

    pi = plot.getPlotItem()
    screen = QImage(4, 4, QImage.Format.Format_ARGB32_Premultiplied)
    measure = QPainter(screen)
    try:
        for name in ("left", "bottom", "right", "top"):
            ax = pi.getAxis(name)
            if ax.isVisible():
                ax.generateDrawSpecs(measure)
    finally:
        measure.end()
    pi.layout.activate()


def pixel_font(px: float, base: QFont | None = None) -> QFont:
    """A font sized in pixels, so it keeps its size relative to the plot when rendered onto a printer."""
    f = QFont(base) if base is not None else QFont()
    f.setPixelSize(max(1, round(px)))
    return f


class Legend(pg.GraphicsWidget):
    """A legend of (label, swatch painter) entries that flows into rows to fit its width.

    Painted directly with a pixel-sized font, so it looks the same on screen and in a PDF (pyqtgraph's
    LegendItem lays its labels out as rich text, which prints at the wrong size).
    """

    SWATCH_W = 22.0
    GAP = 14.0
    ROW_H = 18.0

    def __init__(self, entries: list[tuple[str, Callable[[QPainter, QRectF], None]]]) -> None:
        super().__init__()
        self.entries = entries
        self.font = pixel_font(LEGEND_PX)
        self.setSizePolicy(pg.QtWidgets.QSizePolicy.Policy.Preferred, pg.QtWidgets.QSizePolicy.Policy.Fixed)
        self._rows = 1
        self.setPreferredHeight(self.ROW_H + 6)

    def _widths(self) -> list[float]:
        from PySide6.QtGui import QFontMetricsF

        fm = QFontMetricsF(self.font)
        return [self.SWATCH_W + 4 + fm.horizontalAdvance(label) for label, _ in self.entries]

    def _layout(self, width: float) -> list[tuple[float, float]]:
        x, y, out = 4.0, 3.0, []
        for w in self._widths():
            if x > 4.0 and x + w > width - 4:
                x, y = 4.0, y + self.ROW_H
            out.append((x, y))
            x += w + self.GAP
        return out

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt API
        pos = self._layout(self.size().width())
        rows = 1 + int((pos[-1][1] - 3.0) / self.ROW_H) if pos else 1
        if rows != self._rows:
            self._rows = rows
            self.setPreferredHeight(rows * self.ROW_H + 6)
            self.updateGeometry()
        super().resizeEvent(ev)

    def paint(self, p: QPainter, *args) -> None:  # noqa: ANN002
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self.font)
        for (label, draw), (x, y) in zip(self.entries, self._layout(self.size().width()), strict=True):
            p.save()
            draw(p, QRectF(x, y + 1, self.SWATCH_W - 2, self.ROW_H - 4))
            p.restore()
            p.setPen(QColor(LABEL_COLOR))
            p.drawText(
                QRectF(x + self.SWATCH_W + 2, y, 400, self.ROW_H - 2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        p.restore()


def plot_panel_layout(
    panel: QWidget, status: QWidget, buttons: list[QWidget], plot: QWidget, chips: QWidget | None = None
) -> None:
    """The plot panels' common frame: a header (the selection's chips, status text, then buttons) over the plot,
    keys to the panel."""
    head = QHBoxLayout()
    head.setContentsMargins(4, 2, 4, 0)
    if chips is not None:
        head.addWidget(chips)
    head.addWidget(status, 1)
    for button in buttons:
        head.addWidget(button)
    lay = QVBoxLayout(panel)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addLayout(head)
    lay.addWidget(plot, 1)
    panel.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    plot.setFocusProxy(panel)


def plain_tooltip(text: object) -> str:
    """Text from a case file as a tooltip shown as plain text.

    Qt renders a tooltip that looks like markup as rich text — a name such as ``<img src=…>`` would load a local
    image — so the text is escaped inside a paragraph that keeps its line breaks.
    """
    if text is None or text == "":
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(str(text), quote=False) + "</p>"


def plain_message(text: str) -> str:
    """A message for a dialog that decides by itself whether text is markup (``QMessageBox.warning``): as it is
    when Qt would show it as text anyway, else escaped (see ``plain_tooltip``)."""
    from PySide6 import QtGui

    return plain_tooltip(text) if QtGui.Qt.mightBeRichText(text) else text
