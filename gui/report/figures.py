"""The timeline and map figures of the report, drawn by the same plots as the window's panels.

``gather_figure_data`` reads what the plots draw (the whole case, and what the report's scope covers) and touches
no Qt, so the export runs it on its worker thread next to ``data.gather``. ``make_figures`` then builds the
figures from those data with ``TimelinePlot`` and ``MapPlot`` in the GUI thread; ``recorded`` turns them into
QPicture recordings a worker thread can replay onto its own QPdfWriter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture

from caseboard.db import links
from caseboard.db.case import Case
from caseboard.db.plotdata import MapData, TimelineData, map_data
from caseboard.db.related import Related, selection_related
from caseboard.db.report import Report
from caseboard.gui.plots.link_chart import ChartData, LinkChartPlot, arrange, load_chart
from caseboard.gui.plots.map_plot import MapPlot
from caseboard.gui.plots.timeline_plot import ROW_PX, TimelinePlot, highlight_masks, load_timeline
from caseboard.ingest import gazetteer

DrawFn = Callable[[QPainter, QRectF], None]

TIMELINE_CAPTION = (
    "Events, legs and statements by date. Spans show the whole period a source allows, not a duration."
)
MAP_CAPTION = (
    "Places and the legs between them. Hollow pins are approximate positions or whole regions. "
    "Basemap: Natural Earth (public domain)."
)
LINKS_CAPTION = (
    "Who is tied to whom. Solid arrows: relationships the sources state, read from the arrow's tail "
    "(\u201cRussia flag state of M/V Angara\u201d); dashed: ties the case implies (shipments, legs, events, "
    "quotes). A number is how many facts one line stands for."
)
GEONAMES_CREDIT = " Place coordinates from GeoNames (CC BY 4.0)."
TIMELINE_ASPECT = 1.3  # at most: a timeline with few lanes is only as tall as its rows
MAP_ASPECT = 0.8
LINKS_ASPECT = 1.0
#: A scoped report's link chart starts from at most this many of the scope's actors.
LINK_SEEDS = 25


@dataclass
class Figure:
    """One full-page figure: a heading, a drawing and a caption under it."""

    title: str
    caption: str
    draw: DrawFn
    aspect: float | None = None  # height / width of the drawing; None: as tall as the page allows


@dataclass
class FigureData:
    """What the figures draw: the case's plot data and what the report's scope covers (None: the whole case)."""

    timeline: TimelineData
    map: MapData
    related: Related | None = None
    timeline_highlight: dict[str, np.ndarray] = field(default_factory=dict)
    #: kind -> per mark, the chronology number(s) it carries ("" for none)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    time_range: bool = False
    has_item: bool = False
    #: Figures with nothing of the report to draw, left out (titles; the report says why in one sentence).
    omit: tuple[str, ...] = ()
    geonames: bool = False  # some places sit where the bundled GeoNames gazetteer puts them
    selected: tuple[str, str] | None = None  # the report's one item, ringed on the map
    links: ChartData | None = None
    day_range: tuple[int, int] | None = None


def empty_figures(report: Report) -> dict[str, str]:
    """Figure title -> the sentence the report prints instead, for each figure with nothing of it to draw."""
    out = {}
    if not report.chronology:
        out["Timeline"] = "The timeline is left out: nothing in this report has a date."
    if not report.map_places:
        out["Map"] = "The map is left out: nothing in this report has a position."
    return out


def gather_figure_data(case: Case, report: Report) -> FigureData:
    """Read the plots' data for ``report`` through ``case`` (any thread: no Qt here)."""
    timeline = load_timeline(case.conn)
    places = map_data(case.conn)
    numbers = chronology_numbers(case, report, timeline)
    geonames = from_gazetteer(places)
    scope = report.scope
    report.omitted_figures = list(empty_figures(report).values())
    omit = tuple(empty_figures(report))
    if scope.whole:
        return FigureData(
            timeline,
            places,
            numbers=numbers,
            omit=omit,
            geonames=geonames,
            links=_link_chart(case, [], whole=True),
        )
    item = ("actors", scope.actor_ids[0]) if len(scope.actor_ids) == 1 else scope.item
    rng = None
    if scope.has_range and report.chronology:
        lo = scope.start_day if scope.start_day is not None else report.chronology[0].start
        hi = scope.end_day if scope.end_day is not None else max(e.end for e in report.chronology)
        rng = (lo, hi)
    rel = selection_related(case, item[0] if item else None, item[1] if item else None, rng)
    masks = highlight_masks(timeline, rel, case.conn)
    seeds = list(scope.actor_ids) or sorted(rel.actors if rel else ())[:LINK_SEEDS]
    return FigureData(
        timeline,
        places,
        rel,
        masks,
        numbers,
        rng is not None,
        item is not None,
        omit,
        geonames,
        item,
        links=_link_chart(case, seeds, whole=False),
        day_range=rng,
    )


def _link_chart(case: Case, seeds: list[str], *, whole: bool) -> ChartData | None:
    """The whole case's chart (a small case) or the neighbourhood of ``seeds``; None when there is nothing to draw."""
    if whole:
        data = load_chart(case.conn, [], 1, aspect=1 / LINKS_ASPECT)
    elif seeds:
        data = arrange(case.conn, links.neighbourhood(case.conn, seeds, 1), seeds, aspect=1 / LINKS_ASPECT)
    else:
        return None
    return data if len(data) else None


def from_gazetteer(places: MapData) -> bool:
    """Whether any place has the coordinates the bundled GeoNames gazetteer gives for its name."""
    try:
        for name, lon, lat in zip(
            places.names.tolist(), places.lon.tolist(), places.lat.tolist(), strict=True
        ):
            if any(abs(e.lat - lat) < 1e-4 and abs(e.lon - lon) < 1e-4 for e in gazetteer.lookup(str(name))):
                return True
    except gazetteer.GazetteerMissing:
        return False
    return False


def chronology_numbers(case: Case, report: Report, timeline: TimelineData) -> dict[str, np.ndarray]:
    """kind -> for each mark of the timeline, the number(s) of its chronology entries ("3", legs "3-4")."""
    by_item: dict[tuple[str, str], list[int]] = {}
    for n, e in enumerate(report.chronology, start=1):
        if e.subject is not None:
            by_item.setdefault(e.subject, []).append(n)
    out: dict[str, np.ndarray] = {}
    for kind in ("events", "legs", "statements"):
        marks = timeline.marks(kind)
        nums = np.full(len(marks), "", dtype=object)
        for (table, row_id), ns in by_item.items():
            if table != kind:
                continue
            pos = marks.get(row_id, case.conn)
            if pos is not None:
                nums[pos] = f"{ns[0]}\u2013{ns[-1]}" if len(ns) > 1 else str(ns[0])
        out[kind] = nums
    return out


#: The plots of the figures being made; they live until ``release_plots`` hands them to Qt for deletion
#: (widgets left to Python's garbage collector can be torn down in an order that crashes).
_PLOTS: list[TimelinePlot | MapPlot | LinkChartPlot] = []


def release_plots() -> None:
    """Delete the report's plots (call once the figures are drawn or recorded)."""
    while _PLOTS:
        plot = _PLOTS.pop()
        try:
            plot.deleteLater()
        except RuntimeError:  # already deleted by Qt
            pass


def timeline_aspect(plot: TimelinePlot) -> float:
    """Height / width of Figure 1: its rows at full height under a 900-pixel-wide layout, plus axis and legend."""
    rows = max(3, plot.item.rows.total)
    return min(TIMELINE_ASPECT, (rows * ROW_PX + 130.0) / 900.0)


def make_figures(fig: FigureData) -> list[Figure]:
    """The timeline and map figures for ``fig`` (GUI thread; draw or record them before ``release_plots``)."""
    timeline = TimelinePlot()
    timeline.set_data(fig.timeline)
    timeline.item.numbers = fig.numbers
    timeline.item.set_highlight(fig.timeline_highlight)
    timeline.zoom_to_fit()
    places = MapPlot()
    _PLOTS.extend((timeline, places))
    places.set_data(fig.map, fit=True)
    places.set_related(fig.related, time_range=fig.time_range, has_item=fig.has_item, selected=fig.selected)
    places.zoom_to_fit()
    made = [
        Figure(
            "Timeline", TIMELINE_CAPTION, lambda p, r: timeline.render_to(p, r), timeline_aspect(timeline)
        ),
        Figure(
            "Map",
            MAP_CAPTION + (GEONAMES_CREDIT if fig.geonames else ""),
            lambda p, r: places.render_to(p, r),
            MAP_ASPECT,
        ),
    ]
    if fig.links is not None:
        chart = LinkChartPlot()
        _PLOTS.append(chart)
        chart.set_data(fig.links)
        chart.set_view(fig.related, fig.day_range, None)
        made.append(Figure("Link chart", LINKS_CAPTION, lambda p, r: chart.render_to(p, r), LINKS_ASPECT))
    return [f for f in made if f.title not in fig.omit]


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

        out.append(Figure(fig.title, fig.caption, replay, fig.aspect))
    return out
