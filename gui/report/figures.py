"""The timeline and map figures of the report, drawn as vectors with a QPainter.

``make_figures`` uses the panels' own ``render_to(painter, target, *, title=None)`` (the same code that draws the
window) when those panels are present. FALLBACK: until ``caseboard.gui.panels.timeline`` / ``.map`` provide
``render_to``, the simple drawings below stand in, so the report always has both figures with legends.

``recorded`` turns figures into QPicture recordings made in the GUI thread, so a worker thread can replay them
onto its own QPdfWriter (widgets must not be touched off the GUI thread).
"""

from __future__ import annotations

import datetime
import importlib
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPicture,
    QPolygonF,
)

from caseboard.db.case import Case
from caseboard.db.dates import from_day_number
from caseboard.gui.report.data import ChronoEntry, MapLeg, Report

log = logging.getLogger(__name__)

DrawFn = Callable[[QPainter, QRectF], None]

MODE_COLORS = {"sea": "#1f6fb2", "rail": "#9b1c1f", "road": "#c06a00", "air": "#6a3d9a", "other": "#5f6368"}
MODE_DASH = {
    "sea": Qt.PenStyle.DashLine,
    "rail": Qt.PenStyle.DashDotLine,
    "road": Qt.PenStyle.SolidLine,
    "air": Qt.PenStyle.DotLine,
    "other": Qt.PenStyle.DashDotDotLine,
}
EVENT_COLOR = "#37474f"
STATEMENT_COLOR = "#00796b"
INK = "#263238"
GRID = "#dde2e7"
LAND = "#f1efe8"
COAST = "#9aa3ab"
BORDER = "#c9ced3"
FONT_FAMILY = "DejaVu Sans"

try:  # share the panels' colours when their style module is there
    from caseboard.gui.panels import style as _style

    MODE_COLORS = {m: s.color for m, s in _style.MODE_STYLES.items()}
    MODE_DASH = {m: s.dash for m, s in _style.MODE_STYLES.items()}
    EVENT_COLOR, STATEMENT_COLOR = _style.EVENT_COLOR, _style.STATEMENT_COLOR
    LAND, COAST, BORDER = _style.LAND, _style.COAST, _style.BORDER
except (ImportError, AttributeError):  # pragma: no cover - the report works without the panels
    pass


@dataclass
class Figure:
    """One full-page figure: a heading, a drawing and a caption under it."""

    title: str
    caption: str
    draw: DrawFn
    source: str = "fallback"  # "panel" when drawn by the panel's own render_to
    aspect: float | None = None  # height / width of the drawing; None: as tall as the page allows


def font(size_pt: float, *, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    f.setFeature(QFont.Tag("liga"), 0)
    return f


def _pen(color: str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def _halo_text(p: QPainter, pos: QPointF, text: str, color: str = INK) -> None:
    """Text with a thin white outline so it stays legible over lines; drawn as real (selectable) text."""
    p.save()
    p.setPen(QPen(QColor(255, 255, 255, 230)))
    for dx, dy in ((-0.7, 0), (0.7, 0), (0, -0.7), (0, 0.7)):
        p.drawText(pos + QPointF(dx, dy), text)
    p.setPen(QColor(color))
    p.drawText(pos, text)
    p.restore()


def _legend(p: QPainter, rect: QRectF, items: list[tuple[str, Callable[[QPainter, QRectF], None]]]) -> float:
    """A one- or two-row legend along the top of ``rect``; returns the height used."""
    p.save()
    p.setFont(font(8))
    fm = QFontMetricsF(p.font())
    x, y, row_h = rect.left(), rect.top(), fm.height() + 6
    for label, swatch in items:
        w = 26 + fm.horizontalAdvance(label) + 16
        if x + w > rect.right() and x > rect.left():
            x, y = rect.left(), y + row_h
        swatch(p, QRectF(x, y + 2, 20, fm.height()))
        p.setPen(QColor(INK))
        p.drawText(QPointF(x + 26, y + 2 + fm.ascent()), label)
        x += w
    p.restore()
    return y + row_h - rect.top() + 4


def _line_swatch(mode: str) -> Callable[[QPainter, QRectF], None]:
    def draw(p: QPainter, r: QRectF) -> None:
        p.setPen(_pen(MODE_COLORS.get(mode, "#5f6368"), 2.2, MODE_DASH.get(mode, Qt.PenStyle.SolidLine)))
        p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))

    return draw


def _dot_swatch(
    color: str, *, hollow: bool = False, diamond: bool = False
) -> Callable[[QPainter, QRectF], None]:
    def draw(p: QPainter, r: QRectF) -> None:
        _mark(p, r.center(), color, hollow=hollow, diamond=diamond)

    return draw


def _mark(
    p: QPainter, c: QPointF, color: str, *, hollow: bool = False, diamond: bool = False, r: float = 4.0
) -> None:
    p.save()
    p.setPen(_pen(color, 1.4))
    p.setBrush(Qt.BrushStyle.NoBrush if hollow else QBrush(QColor(color)))
    if diamond:
        p.drawPolygon(
            QPolygonF([c + QPointF(0, -r), c + QPointF(r, 0), c + QPointF(0, r), c + QPointF(-r, 0)])
        )
    else:
        p.drawEllipse(c, r, r)
    p.restore()


# -- FALLBACK timeline ---------------------------------------------------------------------------------------------
MAX_ROWS = 40


def _month_ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    """Ticks at month starts (or year starts for long spans) between day numbers lo..hi."""
    start, end = from_day_number(lo), from_day_number(hi)
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 14 else 3 if months <= 48 else 12
    d = datetime.date(start.year, 1 if step == 12 else start.month, 1)
    out = []
    while d <= end:
        if d >= start and (step != 3 or d.month in (1, 4, 7, 10)):
            label = (
                str(d.year)
                if step == 12
                else d.strftime("%b %Y")
                if d.month == 1 or not out
                else d.strftime("%b")
            )
            out.append(((d - datetime.date(1970, 1, 1)).days, label.replace("Sep", "Sept")))
        y, m = (d.year + (d.month // 12), d.month % 12 + 1)
        d = datetime.date(y, m, 1)
    return out


def _entry_color(e: ChronoEntry) -> str:
    if e.kind == "statement":
        return STATEMENT_COLOR
    if e.kind in ("departure", "arrival"):
        mode = e.text.rsplit(" by ", 1)[-1]
        return MODE_COLORS.get(mode, "#5f6368")
    return EVENT_COLOR


def draw_timeline_fallback(report: Report) -> DrawFn:
    """FALLBACK: a dated list drawn as a timeline (one row per item, or weekly counts for long reports)."""

    def draw(p: QPainter, rect: QRectF) -> None:
        entries = report.chronology
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        modes = sorted({e.text.rsplit(" by ", 1)[-1] for e in entries if e.kind in ("departure", "arrival")})
        legend = [
            ("event (one day)", _dot_swatch(EVENT_COLOR, diamond=True)),
            ("statement", _dot_swatch(STATEMENT_COLOR)),
        ]
        legend += [(f"{m} leg", _line_swatch(m)) for m in modes]
        legend.append(("span of uncertain dates", _span_swatch))
        top = rect.top() + _legend(p, rect, legend)
        if not entries:
            p.setFont(font(10))
            p.setPen(QColor(INK))
            p.drawText(
                QRectF(rect.left(), top, rect.width(), 40), Qt.AlignmentFlag.AlignCenter, "Nothing dated."
            )
            p.restore()
            return
        lo = min(e.start for e in entries)
        hi = max(e.end for e in entries)
        pad = max(2, (hi - lo) // 30)
        lo, hi = lo - pad, hi + pad + 1
        many = len(entries) > MAX_ROWS
        label_w = 0.0 if many else min(rect.width() * 0.42, 300.0)
        plot = QRectF(rect.left() + label_w, top + 4, rect.width() - label_w, rect.bottom() - top - 28)

        def x_of(day: float) -> float:
            return plot.left() + (day - lo) / (hi - lo) * plot.width()

        p.setFont(font(7.5))
        fm = QFontMetricsF(p.font())
        for day, label in _month_ticks(lo, hi):
            x = x_of(day)
            p.setPen(_pen(GRID, 0.6))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(QColor(INK))
            p.drawText(QPointF(x + 2, plot.bottom() + fm.ascent() + 4), label)
        p.setPen(_pen(INK, 0.8))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        if many:
            _draw_counts(p, plot, entries, lo, hi, x_of)
        else:
            _draw_rows(p, rect, plot, entries, x_of, label_w)
        p.restore()

    return draw


def _span_swatch(p: QPainter, r: QRectF) -> None:
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(EVENT_COLOR).lighter(250))
    p.drawRoundedRect(QRectF(r.left(), r.center().y() - 3.5, r.width(), 7), 2, 2)
    p.restore()


def _draw_rows(
    p: QPainter,
    rect: QRectF,
    plot: QRectF,
    entries: list[ChronoEntry],
    x_of: Callable[[float], float],
    label_w: float,
) -> None:
    row_h = min(22.0, plot.height() / max(1, len(entries)))
    p.setFont(font(7.5 if row_h >= 14 else 6.5))
    fm = QFontMetricsF(p.font())
    for i, e in enumerate(entries):
        y = plot.top() + (i + 0.5) * row_h
        if i % 2 == 0:
            p.fillRect(QRectF(rect.left(), y - row_h / 2, rect.width(), row_h), QColor("#f6f8fa"))
        color = _entry_color(e)
        text = (e.detail + ": " if e.kind == "statement" else "") + e.text
        label = fm.elidedText(f"{e.date} \u2014 {text}", Qt.TextElideMode.ElideRight, label_w - 10)
        p.setPen(QColor(INK))
        p.drawText(QPointF(rect.left() + 2, y + fm.ascent() / 2 - 1), label)
        x0, x1 = x_of(e.start), x_of(e.end + 1)
        if e.end > e.start:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(color).lighter(170 if e.kind != "event" else 250))
            p.drawRoundedRect(QRectF(x0, y - 3.5, max(2.0, x1 - x0), 7), 2, 2)
        mid = QPointF(x0 if e.kind == "departure" else x1 if e.kind == "arrival" else (x0 + x1) / 2, y)
        _mark(p, mid, color, diamond=e.kind == "event", hollow=e.kind in ("departure",), r=3.6)


def _draw_counts(
    p: QPainter, plot: QRectF, entries: list[ChronoEntry], lo: int, hi: int, x_of: Callable[[float], float]
) -> None:
    """Many items: stacked bars of how many events, legs and statements start in each bin."""
    span = hi - lo
    bin_days = 1 if span <= 60 else 7 if span <= 600 else 30
    kinds = ("event", "leg", "statement")
    colors = {"event": EVENT_COLOR, "leg": MODE_COLORS.get("sea", "#1f6fb2"), "statement": STATEMENT_COLOR}
    bins: dict[int, dict[str, int]] = {}
    for e in entries:
        k = "leg" if e.kind in ("departure", "arrival") else e.kind
        b = (e.start - lo) // bin_days
        bins.setdefault(b, dict.fromkeys(kinds, 0))[k] += 1
    peak = max(sum(v.values()) for v in bins.values())
    h = plot.height() - 10
    p.setPen(Qt.PenStyle.NoPen)
    for b, counts in bins.items():
        x0, x1 = x_of(lo + b * bin_days), x_of(lo + (b + 1) * bin_days)
        y = plot.bottom()
        for k in kinds:
            dh = counts[k] / peak * h
            p.setBrush(QColor(colors[k]))
            p.drawRect(QRectF(x0, y - dh, max(0.8, x1 - x0 - 0.5), dh))
            y -= dh
    p.setPen(QColor(INK))
    p.setFont(font(7.5))
    p.drawText(
        QPointF(plot.left() + 4, plot.top() + 10), f"{peak} items in the busiest {bin_days}-day period"
    )


# -- FALLBACK map --------------------------------------------------------------------------------------------------
def draw_map_fallback(report: Report) -> DrawFn:
    """FALLBACK: places and legs on the bundled basemap, longitude/latitude with the aspect set for latitude."""

    def draw(p: QPainter, rect: QRectF) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        modes = sorted({leg.mode for leg in report.map_legs})
        legend = [(f"{m} leg", _line_swatch(m)) for m in modes]
        legend += [
            ("place (exact)", _dot_swatch(INK)),
            ("place (approximate or region)", _dot_swatch(INK, hollow=True)),
        ]
        top = rect.top() + _legend(p, rect, legend)
        area = QRectF(rect.left(), top, rect.width(), rect.bottom() - top)
        pins = report.map_places
        if not pins:
            p.setFont(font(10))
            p.setPen(QColor(INK))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "No places with coordinates.")
            p.restore()
            return
        lons = [q.lon for q in pins]
        lats = [q.lat for q in pins]
        lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
        dlon, dlat = max(lon1 - lon0, 8.0), max(lat1 - lat0, 5.0)
        lon0, lon1 = (lon0 + lon1 - dlon) / 2 - dlon * 0.12, (lon0 + lon1 + dlon) / 2 + dlon * 0.12
        lat0, lat1 = (lat0 + lat1 - dlat) / 2 - dlat * 0.15, (lat0 + lat1 + dlat) / 2 + dlat * 0.15
        k = math.cos(math.radians(max(-80.0, min(80.0, (lat0 + lat1) / 2))))
        scale = min(area.width() / ((lon1 - lon0) * k), area.height() / (lat1 - lat0))
        w, h = (lon1 - lon0) * k * scale, (lat1 - lat0) * scale
        if w < area.width():  # widen the view to fill the frame
            extra = (area.width() / (k * scale) - (lon1 - lon0)) / 2
            lon0, lon1 = lon0 - extra, lon1 + extra
        if h < area.height():
            extra = (area.height() / scale - (lat1 - lat0)) / 2
            lat0, lat1 = lat0 - extra, lat1 + extra
        frame = area

        def pt(lon: float, lat: float) -> QPointF:
            return QPointF(frame.left() + (lon - lon0) * k * scale, frame.top() + (lat1 - lat) * scale)

        p.setClipRect(frame)
        p.fillRect(frame, QColor("#ffffff"))
        _basemap(p, pt, lon0, lon1, lat0, lat1)
        _graticule(p, frame, pt, lon0, lon1, lat0, lat1)
        for leg in report.map_legs:
            _arrow(p, pt(leg.origin.lon, leg.origin.lat), pt(leg.destination.lon, leg.destination.lat), leg)
        p.setFont(font(8, bold=True))
        fm = QFontMetricsF(p.font())
        for q in pins:
            c = pt(q.lon, q.lat)
            _mark(p, c, INK, hollow=q.precision != "exact", r=4.2)
            label = q.name
            right = c.x() + 7 + fm.horizontalAdvance(label) < frame.right()
            pos = (
                QPointF(c.x() + 7, c.y() - 5)
                if right
                else QPointF(c.x() - 7 - fm.horizontalAdvance(label), c.y() - 5)
            )
            _halo_text(p, pos, label)
        p.setClipping(False)
        p.setPen(_pen(COAST, 0.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(frame)
        p.restore()

    return draw


def _basemap(
    p: QPainter, pt: Callable[[float, float], QPointF], lon0: float, lon1: float, lat0: float, lat1: float
) -> None:
    try:
        from caseboard.resources.basemap import clip, load_basemap

        base = load_basemap()
    except Exception:  # noqa: BLE001 - a missing basemap leaves a plain background
        return
    box = (lon0 - 5, lon1 + 5, lat0 - 5, lat1 + 5)
    if base.land.size:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        _add_lines(path, base.land, pt, close=True, box=box)
        p.fillPath(path, QColor(LAND))
    for lines, color, width in (
        (clip(base.borders, *box), BORDER, 0.6),
        (clip(base.coast, *box), COAST, 0.8),
    ):
        path = QPainterPath()
        _add_lines(path, lines, pt)
        p.strokePath(path, _pen(color, width))


def _add_lines(
    path: QPainterPath,
    arr: object,
    pt: Callable[[float, float], QPointF],
    *,
    close: bool = False,
    box: tuple[float, float, float, float] | None = None,
) -> None:
    import numpy as np

    a = np.asarray(arr)
    breaks = np.flatnonzero(np.isnan(a[:, 0]))
    start = 0
    for end in [*breaks.tolist(), len(a)]:
        seg = a[start:end]
        start = end + 1
        if len(seg) < 2:
            continue
        if box is not None:
            lo_lon, hi_lon, lo_lat, hi_lat = box
            if (
                seg[:, 0].max() < lo_lon
                or seg[:, 0].min() > hi_lon
                or seg[:, 1].max() < lo_lat
                or seg[:, 1].min() > hi_lat
            ):
                continue
        path.moveTo(pt(float(seg[0, 0]), float(seg[0, 1])))
        for lon, lat in seg[1:]:
            path.lineTo(pt(float(lon), float(lat)))
        if close:
            path.closeSubpath()


def _graticule(
    p: QPainter,
    frame: QRectF,
    pt: Callable[[float, float], QPointF],
    lon0: float,
    lon1: float,
    lat0: float,
    lat1: float,
) -> None:
    span = max(lon1 - lon0, lat1 - lat0)
    step = 5 if span <= 40 else 10 if span <= 90 else 20
    p.setFont(font(6.5))
    p.setPen(_pen(GRID, 0.5, Qt.PenStyle.DotLine))
    for lon in range(int(math.ceil(lon0 / step)) * step, int(lon1) + 1, step):
        a, b = pt(lon, lat0), pt(lon, lat1)
        p.setPen(_pen(GRID, 0.5, Qt.PenStyle.DotLine))
        p.drawLine(a, b)
        p.setPen(QColor("#7b868f"))
        p.drawText(QPointF(a.x() + 2, frame.bottom() - 3), f"{abs(lon)}°{'E' if lon >= 0 else 'W'}")
    for lat in range(int(math.ceil(lat0 / step)) * step, int(lat1) + 1, step):
        a, b = pt(lon0, lat), pt(lon1, lat)
        p.setPen(_pen(GRID, 0.5, Qt.PenStyle.DotLine))
        p.drawLine(a, b)
        p.setPen(QColor("#7b868f"))
        p.drawText(QPointF(frame.left() + 3, a.y() - 2), f"{abs(lat)}°{'N' if lat >= 0 else 'S'}")


def _arrow(p: QPainter, a: QPointF, b: QPointF, leg: MapLeg) -> None:
    color = MODE_COLORS.get(leg.mode, "#5f6368")
    p.save()
    p.setPen(_pen(color, 2.2, MODE_DASH.get(leg.mode, Qt.PenStyle.SolidLine)))
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = math.hypot(dx, dy) or 1.0
    ctrl = QPointF((a.x() + b.x()) / 2 - dy * 0.12, (a.y() + b.y()) / 2 + dx * 0.12)
    path = QPainterPath(a)
    path.quadTo(ctrl, b)
    p.drawPath(path)
    tx, ty = b.x() - ctrl.x(), b.y() - ctrl.y()
    tl = math.hypot(tx, ty) or length
    ux, uy = tx / tl, ty / tl
    tip = QPointF(b.x() - ux * 5, b.y() - uy * 5)
    head = QPolygonF(
        [
            tip,
            QPointF(tip.x() - ux * 9 - uy * 4.5, tip.y() - uy * 9 + ux * 4.5),
            QPointF(tip.x() - ux * 9 + uy * 4.5, tip.y() - uy * 9 - ux * 4.5),
        ]
    )
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawPolygon(head)
    p.restore()


# -- choosing and recording ----------------------------------------------------------------------------------------
#: One hidden panel (with its own selection model) per kind, made once and reused: Qt widgets torn down by
#: Python's garbage collector in arbitrary order can crash, and the set-up cost is paid only once.
_PANELS: dict[str, tuple[object, object]] = {}


def _panel(module: str, cls: str) -> tuple[object, object] | None:
    if module in _PANELS:
        return _PANELS[module]
    try:
        mod = importlib.import_module(f"caseboard.gui.panels.{module}")
    except ImportError:
        return None
    panel_cls = getattr(mod, cls, None)
    if panel_cls is None or not hasattr(panel_cls, "render_to"):
        return None
    from caseboard.gui.selection import SelectionModel

    selection = SelectionModel()
    panel = panel_cls(selection)
    _PANELS[module] = (selection, panel)
    return _PANELS[module]


def release_panels() -> None:
    """Let the hidden report panels drop the case (call once the figures are drawn)."""
    for selection, panel in _PANELS.values():
        try:
            panel.set_case(None)  # type: ignore[attr-defined]
            selection.set_case(None)  # type: ignore[attr-defined]
        except RuntimeError:  # already deleted by Qt
            pass


def _panel_figure(
    case: Case, report: Report, module: str, cls: str, title: str, caption: str, aspect: float | None
) -> Figure | None:
    """A figure drawn by the panel's own ``render_to``; None when that panel is not available."""
    found = _panel(module, cls)
    if found is None:
        return None
    selection, panel = found
    try:
        from caseboard.gui.selection import Selection

        selection.set_case(case)  # type: ignore[attr-defined]
        panel.set_case(case)  # type: ignore[attr-defined]
        refresh = getattr(panel, "refresh", None)
        if refresh is not None:
            refresh(wait=True)  # load on this thread: the figure is drawn right after
        scope = report.scope
        if not scope.whole:
            item = ("actors", scope.actor_ids[0]) if len(scope.actor_ids) == 1 else scope.item
            rng = None
            if scope.has_range and report.chronology:
                lo = scope.start_day if scope.start_day is not None else report.chronology[0].start
                hi = scope.end_day if scope.end_day is not None else max(e.end for e in report.chronology)
                rng = (lo, hi)
            selection.set(Selection(item[0] if item else None, item[1] if item else None, rng))  # type: ignore[attr-defined]
        panel.zoom_to_fit()  # type: ignore[attr-defined]
    except Exception:  # a panel that cannot draw here must not stop the export: use the fallback
        log.warning(
            "the %s panel could not draw for the report; using the simple figure", module, exc_info=True
        )
        return None

    def draw(p: QPainter, rect: QRectF) -> None:
        panel.render_to(p, rect, title=None)  # type: ignore[attr-defined]

    return Figure(title, caption, draw, source="panel", aspect=aspect)


TIMELINE_CAPTION = (
    "Events, legs and statements by date. Spans show the whole period a source allows, not a duration."
)
MAP_CAPTION = "Places and the legs between them. Hollow pins are approximate positions or whole regions."


TIMELINE_ASPECT = 0.9
MAP_ASPECT = 0.8


def make_figures(case: Case | None, report: Report) -> list[Figure]:
    """The timeline and map figures, from the panels' code when present, else the FALLBACK drawings."""
    timeline = map_fig = None
    if case is not None:
        timeline = _panel_figure(
            case, report, "timeline", "TimelinePanel", "Timeline", TIMELINE_CAPTION, TIMELINE_ASPECT
        )
        map_fig = _panel_figure(case, report, "map", "MapPanel", "Map", MAP_CAPTION, MAP_ASPECT)
    return [
        timeline
        or Figure("Timeline", TIMELINE_CAPTION, draw_timeline_fallback(report), aspect=TIMELINE_ASPECT),
        map_fig or Figure("Map", MAP_CAPTION, draw_map_fallback(report), aspect=MAP_ASPECT),
    ]


def recorded(figures: list[Figure], target: Callable[[float | None], QRectF]) -> list[Figure]:
    """Figures replayed from QPicture recordings: record in the GUI thread, replay on any thread.

    ``target(aspect)`` gives the rectangle each figure will be drawn into (``pdf.figure_target``).
    """
    out = []
    for fig in figures:
        size = target(fig.aspect)
        picture = QPicture()
        p = QPainter(picture)
        fig.draw(p, size)
        p.end()

        def replay(painter: QPainter, rect: QRectF, picture: QPicture = picture, size: QRectF = size) -> None:
            painter.save()
            painter.translate(rect.left(), rect.top())
            painter.scale(rect.width() / size.width(), rect.height() / size.height())
            painter.translate(-size.left(), -size.top())
            painter.drawPicture(0, 0, picture)
            painter.restore()

        out.append(Figure(fig.title, fig.caption, replay, fig.source, fig.aspect))
    return out
