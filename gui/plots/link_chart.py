"""The link chart as a plot: actors (and the sources that quote them) as nodes, their ties as labelled edges.

Built from data alone (``ChartData`` and highlight masks), so the window's link-chart panel and the report's
figure are the same plot; the panel adds the header, clicks, dragging and the background loads.

One ``LinkChartItem`` paints everything in device pixels (edges, arrowheads, symbols, labels): with a thousand
nodes that is a few QPainter batches, cheaper than a thousand graphics items, and it prints as vectors. Stated
relationships are solid with an arrowhead at their "to" end; ties the case only implies are dashed. Several facts
between one pair are one edge, thicker, with a count.

``chart_data`` and ``layout`` touch no Qt, so the panel runs them on a worker thread. Layout is igraph's
Fruchterman-Reingold (C code: 2,000 nodes in well under a second; networkx's pure-Python layouts take several
seconds there), with the nodes that already have a position held in place.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from caseboard.db import links
from caseboard.db.links import Graph
from caseboard.db.related import Related
from caseboard.gui.panels import style

KINDS = ("person", "organization", "state", "vessel", "other", "source")
KIND_LABELS = {
    "person": "person",
    "organization": "organisation",
    "state": "state",
    "vessel": "vessel",
    "other": "other actor",
    "source": "source",
}
KIND_COLORS = {
    "person": "#3949ab",
    "organization": "#00897b",
    "state": "#8e24aa",
    "vessel": "#0277bd",
    "other": "#6d4c41",
    "source": "#757575",
}
STATED_COLOR = "#455a64"
DERIVED_COLOR = "#90a4ae"
NODE_PX = 16.0
LABEL_PX = 11
EDGE_LABEL_PX = 10
MAX_NODE_LABELS = 250
MAX_EDGE_LABELS = 160
#: up to this many nodes every node is labelled, even where labels must touch
SMALL_CHART = 60
HIT_PX = 9.0
#: distance between neighbours in layout units (igraph's Fruchterman-Reingold settles near this)
UNIT = 1.0
#: width / height the separate groups of a fresh layout are packed to
PACK_ASPECT = 2.0


# -- data (no Qt) ------------------------------------------------------------------------------------------------


@dataclass
class ChartData:
    """Nodes and links as arrays: node i is at (x[i], y[i]); link j joins nodes a[j] and b[j]."""

    graph: Graph
    ids: list[str]
    index: dict[str, int]
    kind: np.ndarray  # int code into KINDS
    names: list[str]
    x: np.ndarray
    y: np.ndarray
    a: np.ndarray
    b: np.ndarray
    derived: np.ndarray
    count: np.ndarray
    start: np.ndarray  # day numbers; -inf / +inf where unknown
    end: np.ndarray
    labels: list[str]
    frontier: np.ndarray
    seeds: set[str] = field(default_factory=set)
    #: nodes placed by the last layout (no kept position): the panel keeps them once the user arranges the chart
    placed: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def link_count(self) -> int:
        return len(self.a)

    def positions(self) -> dict[str, tuple[float, float]]:
        return {i: (float(self.x[k]), float(self.y[k])) for k, i in enumerate(self.ids)}

    def valid_in(self, lo: int, hi: int) -> np.ndarray:
        """Links that may hold on some day of [lo, hi] (unknown dates are open)."""
        return (self.start <= hi) & (self.end >= lo)

    def node_mask(self, ids: Iterable[str]) -> np.ndarray:
        mask = np.zeros(len(self.ids), dtype=bool)
        for i in ids:
            k = self.index.get(i)
            if k is not None:
                mask[k] = True
        return mask

    def link_mask(self, table: str, ids: Iterable[str]) -> np.ndarray:
        wanted = set(ids)
        return np.fromiter(
            (link.table == table and link.row_id in wanted for link in self.graph.links),
            dtype=bool,
            count=len(self.graph.links),
        )


def chart_data(
    graph: Graph,
    pos: Mapping[str, tuple[float, float]],
    seeds: Iterable[str] = (),
    placed: Iterable[str] = (),
) -> ChartData:
    ids = list(graph.nodes)
    index = {i: k for k, i in enumerate(ids)}
    kind = np.array([KINDS.index(graph.nodes[i].kind) if graph.nodes[i].kind in KINDS else 4 for i in ids])
    xy = np.array([pos.get(i, (0.0, 0.0)) for i in ids], dtype=float).reshape(-1, 2)
    lk = [link for link in graph.links if link.a in index and link.b in index]
    graph = Graph(graph.nodes, lk, graph.frontier, graph.whole, graph.truncated)
    return ChartData(
        graph=graph,
        ids=ids,
        index=index,
        kind=kind.astype(np.int8),
        names=[graph.nodes[i].name for i in ids],
        x=xy[:, 0].copy(),
        y=xy[:, 1].copy(),
        a=np.array([index[link.a] for link in lk], dtype=np.int64),
        b=np.array([index[link.b] for link in lk], dtype=np.int64),
        derived=np.array([link.derived for link in lk], dtype=bool),
        count=np.array([link.count for link in lk], dtype=np.int64),
        start=np.array([-np.inf if link.start is None else link.start for link in lk], dtype=float),
        end=np.array([np.inf if link.end is None else link.end for link in lk], dtype=float),
        labels=[link.label for link in lk],
        frontier=np.array([i in graph.frontier for i in ids], dtype=bool),
        seeds=set(seeds),
        placed=set(placed),
    )


def layout(
    graph: Graph, fixed: Mapping[str, tuple[float, float]], *, seed: int = 7, iterations: int | None = None
) -> dict[str, tuple[float, float]]:
    """Positions for every node of ``graph``; nodes in ``fixed`` stay where they are (any thread).

    New nodes start next to a placed neighbour (or on a ring round the middle), then igraph's
    Fruchterman-Reingold spreads them with the fixed ones pinned by equal lower and upper bounds.
    """
    import igraph

    ids = list(graph.nodes)
    n = len(ids)
    if n == 0:
        return {}
    index = {i: k for k, i in enumerate(ids)}
    pairs = {
        tuple(sorted((index[link.a], index[link.b])))
        for link in graph.links
        if link.a in index and link.b in index
    }
    edges = [p for p in pairs if p[0] != p[1]]
    rng = np.random.default_rng(seed)
    xy = np.zeros((n, 2))
    known = np.zeros(n, dtype=bool)
    for i, p in fixed.items():
        k = index.get(i)
        if k is not None:
            xy[k] = p
            known[k] = True
    if known.all():
        return {i: (float(xy[k, 0]), float(xy[k, 1])) for k, i in enumerate(ids)}
    neighbours: dict[int, list[int]] = {}
    for u, v in edges:
        neighbours.setdefault(u, []).append(v)
        neighbours.setdefault(v, []).append(u)
    # Nodes with no tie at all say nothing by position: they go in rows under the chart, not into the layout,
    # where their repulsion would spread it thin.
    loners = [k for k in range(n) if not known[k] and k not in neighbours]
    tied = np.array([k not in set(loners) for k in range(n)])
    centre = xy[known].mean(axis=0) if known.any() else np.zeros(2)
    spread = float(np.ptp(xy[known], axis=0).max()) if known.sum() > 1 else 0.0
    radius = max(spread / 2 + UNIT, math.sqrt(max(1, tied.sum())) * UNIT * 0.8)
    order = np.flatnonzero(~known & tied)
    for rank, k in enumerate(order):
        anchor = next((v for v in neighbours.get(int(k), []) if known[v]), None)
        angle = 2 * math.pi * rank / max(1, len(order)) + rng.uniform(-0.1, 0.1)
        if anchor is not None:
            r = UNIT * rng.uniform(0.6, 1.0)
            xy[k] = xy[anchor] + (r * math.cos(angle), r * math.sin(angle))
        else:
            xy[k] = centre + (radius * math.cos(angle), radius * math.sin(angle))
    out = xy.copy()
    if not known.any():
        return _as_dict(ids, _packed_components(n, edges, np.arange(n), iterations, xy))
    if len(order):
        sub = np.flatnonzero(tied)
        local = {int(k): i for i, k in enumerate(sub)}
        g = igraph.Graph(n=len(sub), edges=[(local[u], local[v]) for u, v in edges])
        fixed_sub = known[sub]
        big = 1e9
        seed_xy = xy[sub]
        result = g.layout_fruchterman_reingold(
            seed=seed_xy.tolist(),
            niter=iterations or (500 if len(sub) <= 500 else 300),
            minx=np.where(fixed_sub, seed_xy[:, 0], -big).tolist(),
            maxx=np.where(fixed_sub, seed_xy[:, 0], big).tolist(),
            miny=np.where(fixed_sub, seed_xy[:, 1], -big).tolist(),
            maxy=np.where(fixed_sub, seed_xy[:, 1], big).tolist(),
            grid=len(sub) > 1000,
        )
        out[sub] = np.asarray(result.coords, dtype=float)
        out[known] = xy[known]  # exactly where they were kept
    if loners:
        placed = out[~np.isin(np.arange(n), loners)]
        x0 = float(placed[:, 0].min()) if len(placed) else 0.0
        width = float(np.ptp(placed[:, 0])) if len(placed) else math.sqrt(len(loners)) * UNIT
        top = float(placed[:, 1].min()) - 1.2 * UNIT if len(placed) else 0.0
        per_row = max(1, int(width / (1.4 * UNIT)) + 1)
        for rank, k in enumerate(loners):
            out[k] = (x0 + (rank % per_row) * 1.4 * UNIT, top - (rank // per_row) * 0.9 * UNIT)
    return {i: (float(out[k, 0]), float(out[k, 1])) for k, i in enumerate(ids)}


def _as_dict(ids: list[str], xy: np.ndarray) -> dict[str, tuple[float, float]]:
    return {i: (float(xy[k, 0]), float(xy[k, 1])) for k, i in enumerate(ids)}


def _packed_components(
    n: int, edges: list[tuple[int, int]], nodes: np.ndarray, iterations: int | None, seed_xy: np.ndarray
) -> np.ndarray:
    """A fresh layout: each connected group laid out alone, scaled so a typical tie is UNIT long, and the
    groups packed in rows, largest first (laid out together, groups repel each other far apart)."""
    import igraph

    out = np.zeros((n, 2))
    local = {int(k): i for i, k in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(local[u], local[v]) for u, v in edges])
    parts = sorted(g.connected_components(), key=len, reverse=True)
    boxes = []
    for members in parts:
        sub = g.subgraph(members)
        if len(members) == 1:
            coords = np.zeros((1, 2))
        else:
            coords = np.asarray(
                sub.layout_fruchterman_reingold(
                    seed=seed_xy[nodes[members]].tolist(),
                    niter=iterations or (500 if len(members) <= 500 else 300),
                    grid=len(members) > 1000,
                ).coords,
                dtype=float,
            )
            el = sub.get_edgelist()
            lengths = np.hypot(*(coords[[u for u, _ in el]] - coords[[v for _, v in el]]).T)
            coords *= UNIT / max(float(np.median(lengths)), 1e-9)
        coords -= coords.min(axis=0)
        boxes.append((members, coords))
    total = sum((c[:, 0].max() + 1.5 * UNIT) * (c[:, 1].max() + 1.5 * UNIT) for _m, c in boxes)
    row_width = max(math.sqrt(total * PACK_ASPECT), boxes[0][1][:, 0].max() + 1.5 * UNIT)
    x = y = row_h = 0.0
    for members, coords in boxes:
        w, h = coords[:, 0].max() + 1.3 * UNIT, coords[:, 1].max() + 0.9 * UNIT
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y - row_h, 0.0
        out[nodes[members]] = coords + (x, y - h)
        x += w
        row_h = max(row_h, h)
    return out


def load_chart(
    conn: sqlite3.Connection,
    seeds: list[str],
    depth: int,
    *,
    relayout: bool = False,
    previous: Mapping[str, tuple[float, float]] | None = None,
) -> ChartData:
    """Read the chart (whole case or the seeds' neighbourhood), its kept positions, and lay out the rest."""
    graph = links.chart(conn, seeds, depth)
    return arrange(conn, graph, seeds, relayout=relayout, previous=previous)


def arrange(
    conn: sqlite3.Connection,
    graph: Graph,
    seeds: Iterable[str],
    *,
    relayout: bool = False,
    previous: Mapping[str, tuple[float, float]] | None = None,
) -> ChartData:
    """ChartData for ``graph`` with positions: kept ones (unless ``relayout``), then the layout for the rest."""
    fixed: dict[str, tuple[float, float]] = {}
    if not relayout:
        fixed.update({k: v for k, v in (previous or {}).items() if k in graph.nodes})
        fixed.update(links.positions(conn, graph.nodes))
    pos = layout(graph, fixed)
    return chart_data(graph, pos, seeds, placed=set(pos) - set(fixed))


def edge_groups(data: ChartData, visible: np.ndarray | None) -> list[tuple[int, int, np.ndarray]]:
    """Visible links grouped by unordered node pair: (node i, node j, link indices), in a stable order."""
    if data.link_count == 0:
        return []
    idx = np.arange(data.link_count) if visible is None else np.flatnonzero(visible)
    if not len(idx):
        return []
    lo = np.minimum(data.a[idx], data.b[idx])
    hi = np.maximum(data.a[idx], data.b[idx])
    key = lo * (len(data.ids) + 1) + hi
    order = np.argsort(key, kind="stable")
    key, idx, lo, hi = key[order], idx[order], lo[order], hi[order]
    cuts = np.flatnonzero(np.diff(key)) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(key)]))
    return [(int(lo[s]), int(hi[s]), idx[s:e]) for s, e in zip(starts, ends, strict=True)]


def group_label(data: ChartData, members: np.ndarray) -> str:
    """ "flag state of", "shipped to ×3", "owner of, operator of +1"."""
    names: list[str] = []
    for j in members:
        if data.labels[j] not in names:
            names.append(data.labels[j])
    total = int(data.count[members].sum())
    text = ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")
    return text + (f" \u00d7{total}" if total > 1 and len(names) == 1 else "")


# -- drawing -----------------------------------------------------------------------------------------------------


def _symbol(kind: str, r: float) -> QPainterPath:
    """Node symbol centred at 0,0 with radius ``r``: circle person, square organisation, hexagon state,
    hull vessel, diamond other, page source."""
    p = QPainterPath()
    if kind == "person":
        p.addEllipse(QPointF(0, 0), r, r)
    elif kind == "organization":
        p.addRect(QRectF(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7))
    elif kind == "state":
        p.addPolygon(
            QPolygonF(
                [QPointF(r * math.cos(a), r * math.sin(a)) for a in np.arange(6) * math.pi / 3 + math.pi / 6]
            )
        )
        p.closeSubpath()
    elif kind == "vessel":
        p.addPolygon(
            QPolygonF(
                [
                    QPointF(-r, -r * 0.25),
                    QPointF(r, -r * 0.25),
                    QPointF(r * 0.6, r * 0.65),
                    QPointF(-r * 0.6, r * 0.65),
                ]
            )
        )
        p.closeSubpath()
        p.addRect(QRectF(-r * 0.3, -r * 0.8, r * 0.6, r * 0.55))
    elif kind == "source":
        p.addPolygon(
            QPolygonF(
                [
                    QPointF(-r * 0.7, -r),
                    QPointF(r * 0.35, -r),
                    QPointF(r * 0.7, -r * 0.65),
                    QPointF(r * 0.7, r),
                    QPointF(-r * 0.7, r),
                ]
            )
        )
        p.closeSubpath()
    else:
        p.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)]))
        p.closeSubpath()
    return p


class LinkChartItem(pg.GraphicsObject):
    """Paints a ChartData: edges, arrowheads, symbols and labels, sized in screen pixels (``px`` when printing)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: ChartData | None = None
        self.visible_links: np.ndarray | None = None
        self.node_hl: np.ndarray | None = None
        self.link_hl: np.ndarray | None = None
        self.selected_node: int | None = None
        self.selected_link: int | None = None
        self.px = 1.0
        self.groups: list[tuple[int, int, np.ndarray]] = []
        self.shown_labels: list[str] = []
        self.shown_edge_labels: list[str] = []
        self._bounds = QRectF(0, 0, 1, 1)

    # -- data -------------------------------------------------------------------------------------------------
    def set_data(self, data: ChartData | None) -> None:
        self.prepareGeometryChange()
        self.data = data
        self.visible_links = None
        self.node_hl = self.link_hl = None
        self.selected_node = self.selected_link = None
        self.moved()

    def moved(self) -> None:
        """Node positions changed (a drag): bounds and edge groups again."""
        self.prepareGeometryChange()
        d = self.data
        if d is None or not len(d):
            self._bounds = QRectF(-1, -1, 2, 2)
        else:
            x0, x1, y0, y1 = d.x.min(), d.x.max(), d.y.min(), d.y.max()
            # room for the labels of the outermost nodes: they are wider than tall
            px_, py_ = 0.9 * UNIT, 0.45 * UNIT
            self._bounds = QRectF(x0 - px_, y0 - py_, x1 - x0 + 2 * px_, y1 - y0 + 2 * py_)
        self.groups = edge_groups(d, self.visible_links) if d is not None else []
        self.update()

    def set_visible_links(self, mask: np.ndarray | None) -> None:
        self.visible_links = mask
        self.groups = edge_groups(self.data, mask) if self.data is not None else []
        self.update()

    def set_highlight(
        self,
        node_hl: np.ndarray | None,
        link_hl: np.ndarray | None,
        selected_node: int | None = None,
        selected_link: int | None = None,
    ) -> None:
        self.node_hl, self.link_hl = node_hl, link_hl
        self.selected_node, self.selected_link = selected_node, selected_link
        self.update()

    # -- geometry ---------------------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(self._bounds)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None) -> tuple[float, float] | None:  # noqa: N802, N803, ANN001
        if self.data is None or not len(self.data):
            return None
        v = self.data.x if ax == 0 else self.data.y
        return float(v.min()), float(v.max())

    def _device(self, t: QTransform) -> tuple[np.ndarray, np.ndarray]:
        d = self.data
        assert d is not None
        return t.m11() * d.x + t.m21() * d.y + t.dx(), t.m12() * d.x + t.m22() * d.y + t.dy()

    # -- hit testing (item coordinates in, with the view's pixel size) -----------------------------------------
    def node_at(self, p: QPointF, pixel: tuple[float, float]) -> int | None:
        d = self.data
        if d is None or not len(d):
            return None
        dx = (d.x - p.x()) / max(pixel[0], 1e-12)
        dy = (d.y - p.y()) / max(pixel[1], 1e-12)
        dist = np.hypot(dx, dy)
        k = int(np.argmin(dist))
        return k if dist[k] <= HIT_PX else None

    def group_at(self, p: QPointF, pixel: tuple[float, float]) -> int | None:
        """Index into ``groups`` of the edge under ``p`` (within a few pixels), or None."""
        d = self.data
        if d is None or not self.groups:
            return None
        sx, sy = max(pixel[0], 1e-12), max(pixel[1], 1e-12)
        i = np.array([g[0] for g in self.groups])
        j = np.array([g[1] for g in self.groups])
        ax, ay = d.x[i] / sx, d.y[i] / sy
        bx, by = d.x[j] / sx, d.y[j] / sy
        px_, py_ = p.x() / sx, p.y() / sy
        vx, vy = bx - ax, by - ay
        den = np.maximum(vx * vx + vy * vy, 1e-12)
        t = np.clip(((px_ - ax) * vx + (py_ - ay) * vy) / den, 0, 1)
        dist = np.hypot(ax + t * vx - px_, ay + t * vy - py_)
        k = int(np.argmin(dist))
        return k if dist[k] <= 5.0 else None

    # -- paint ------------------------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:  # noqa: ANN001 - Qt API
        d = self.data
        if d is None or not len(d):
            return
        px = self.px
        X, Y = self._device(painter.transform())  # noqa: N806
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        dim = self.node_hl is not None or self.link_hl is not None
        node_lit = self.node_hl if self.node_hl is not None else np.zeros(len(d), dtype=bool)
        r = NODE_PX / 2 * px
        edge_label_room = len(self.groups) <= MAX_EDGE_LABELS
        edge_labels: list[tuple[float, float, str, bool, bool]] = []
        for gi, (i, j, members) in enumerate(self.groups):
            derived = bool(d.derived[members].all())
            lit = (self.link_hl is not None and bool(self.link_hl[members].any())) or gi == self.selected_link
            total = int(d.count[members].sum())
            width = (1.2 + min(3.0, math.log2(total))) * px
            colour = style.HIGHLIGHT_COLOR if lit else (DERIVED_COLOR if derived else STATED_COLOR)
            alpha = 255 if (lit or not dim) else style.DIM_ALPHA + 30
            pen = QPen(style.color(colour, alpha), width + (1.0 * px if lit else 0))
            if derived:
                pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            p0, p1 = QPointF(X[i], Y[i]), QPointF(X[j], Y[j])
            painter.drawLine(p0, p1)
            stated = [m for m in members if not d.derived[m]]
            if stated:  # arrowheads at the "to" end of stated relationships
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(style.color(colour, alpha)))
                for end in {int(d.b[m]) for m in stated}:
                    start = i if end == j else j
                    self._arrow(painter, X[start], Y[start], X[end], Y[end], r, px)
            if lit or edge_label_room or stated:
                mid = ((X[i] + X[j]) / 2, (Y[i] + Y[j]) / 2)
                edge_labels.append((*mid, group_label(d, members), lit or not dim, bool(stated)))
        self._edge_labels(painter, edge_labels, px)
        self._nodes(painter, X, Y, r, dim, node_lit)
        self._node_labels(painter, X, Y, r, dim, node_lit)
        painter.restore()

    @staticmethod
    def _arrow(painter: QPainter, x0: float, y0: float, x1: float, y1: float, r: float, px: float) -> None:
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        if length < 2 * r + 4 * px:
            return
        ux, uy = dx / length, dy / length
        tipx, tipy = x1 - ux * (r + 1.5 * px), y1 - uy * (r + 1.5 * px)
        size = 7.0 * px
        back_x, back_y = tipx - ux * size, tipy - uy * size
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(tipx, tipy),
                    QPointF(back_x - uy * size * 0.45, back_y + ux * size * 0.45),
                    QPointF(back_x + uy * size * 0.45, back_y - ux * size * 0.45),
                ]
            )
        )

    def _edge_labels(
        self, painter: QPainter, labels: list[tuple[float, float, str, bool, bool]], px: float
    ) -> None:
        """Stated relationships are always labelled; implied ties only where their label has room."""
        font = style.pixel_font(EDGE_LABEL_PX * px)
        font.setItalic(True)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        taken: list[QRectF] = []
        self.shown_edge_labels = []
        for x, y, text, strong, stated in sorted(labels, key=lambda t: (not t[4], not t[3])):
            w = fm.horizontalAdvance(text) + 6 * px
            h = fm.height() + 2 * px
            rect = QRectF(x - w / 2, y - h / 2, w, h)
            if not stated and any(rect.intersects(t) for t in taken):
                continue
            taken.append(rect)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(255, 255, 255, 220 if strong else 120)))
            painter.drawRoundedRect(rect, 3 * px, 3 * px)
            painter.setPen(style.color("#37474f", 255 if strong else 110))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            self.shown_edge_labels.append(text)

    def _nodes(
        self, painter: QPainter, X: np.ndarray, Y: np.ndarray, r: float, dim: bool, lit: np.ndarray
    ) -> None:  # noqa: N803
        d = self.data
        assert d is not None
        shapes = {k: _symbol(k, r) for k in KINDS}
        big = {k: _symbol(k, r * 1.35) for k in KINDS}
        white = QPen(QColor("white"), 1.5 * self.px)
        ring = QPen(style.color(style.HIGHLIGHT_COLOR), 3.0 * self.px)
        seeds = d.node_mask(d.seeds) if d.seeds else np.zeros(len(d), dtype=bool)
        order = np.argsort(lit.astype(np.int8), kind="stable")  # lit nodes on top
        for k in order:
            kind = KINDS[int(d.kind[k])]
            selected = k == self.selected_node
            alpha = 255 if (lit[k] or not dim) else style.DIM_ALPHA + 40
            path = big[kind] if (selected or seeds[k]) else shapes[kind]
            painter.save()
            painter.translate(X[k], Y[k])
            if lit[k] or selected:
                painter.setPen(ring)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
            painter.setPen(white)
            painter.setBrush(QBrush(style.color(KIND_COLORS[kind], alpha)))
            painter.drawPath(path)
            if d.frontier[k]:  # more ties than shown: "expand" reveals them
                painter.setPen(QPen(style.color("#263238", alpha), 1.6 * self.px))
                c = QPointF(r * 0.95, -r * 0.95)
                painter.setBrush(QBrush(QColor(255, 255, 255, alpha)))
                painter.drawEllipse(c, 4.2 * self.px, 4.2 * self.px)
                painter.drawLine(c + QPointF(-2.4 * self.px, 0), c + QPointF(2.4 * self.px, 0))
                painter.drawLine(c + QPointF(0, -2.4 * self.px), c + QPointF(0, 2.4 * self.px))
            painter.restore()

    def _node_labels(
        self, painter: QPainter, X: np.ndarray, Y: np.ndarray, r: float, dim: bool, lit: np.ndarray
    ) -> None:  # noqa: N803
        d = self.data
        assert d is not None
        font = style.pixel_font(LABEL_PX * self.px)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        degree = (
            np.bincount(np.concatenate((d.a, d.b)), minlength=len(d)) if d.link_count else np.zeros(len(d))
        )
        priority = lit.astype(float) * 1e6 + degree
        if self.selected_node is not None:
            priority[self.selected_node] = 1e9
        order = np.argsort(-priority, kind="stable")
        taken: list[QRectF] = []
        self.shown_labels = []
        for k in order[: MAX_NODE_LABELS * 3]:
            if len(self.shown_labels) >= MAX_NODE_LABELS:
                break
            text = d.names[k] if len(d.names[k]) <= 40 else d.names[k][:39] + "\u2026"
            w = fm.horizontalAdvance(text) + 4 * self.px
            h = fm.height()
            below = QRectF(X[k] - w / 2, Y[k] + r + 1 * self.px, w, h)
            above = QRectF(X[k] - w / 2, Y[k] - r - 1 * self.px - h, w, h)
            rect = next((c for c in (below, above) if not any(c.intersects(t) for t in taken)), None)
            if rect is None:
                if len(d) > SMALL_CHART:
                    continue
                rect = below  # a small chart names every node, even where labels touch
            taken.append(rect)
            strong = lit[k] or not dim
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(255, 255, 255, 200 if strong else 90)))
            painter.drawRect(rect)
            painter.setPen(style.color(style.LABEL_COLOR, 255 if strong else 100))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            self.shown_labels.append(d.names[k])


def _legend_swatches() -> list[tuple[str, object]]:
    def node(kind: str):  # noqa: ANN202
        def draw(p: QPainter, r: QRectF) -> None:
            p.setPen(QPen(QColor("white"), 1))
            p.setBrush(style.color(KIND_COLORS[kind]))
            p.translate(r.center())
            p.drawPath(_symbol(kind, 6))

        return draw

    def line(derived: bool):  # noqa: ANN202
        def draw(p: QPainter, r: QRectF) -> None:
            pen = QPen(style.color(DERIVED_COLOR if derived else STATED_COLOR), 1.6)
            if derived:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))

        return draw

    out: list[tuple[str, object]] = [(KIND_LABELS[k], node(k)) for k in KINDS if k != "other"]
    out.append(("stated relationship", line(False)))
    out.append(("implied by the case", line(True)))
    return out


class LinkChartPlot(pg.PlotWidget):
    """The chart on an aspect-locked view without axes; ``vb`` lets the panel supply its own mouse rules."""

    def __init__(self, vb: pg.ViewBox | None = None, parent: pg.QtWidgets.QWidget | None = None) -> None:
        self.vb = vb if vb is not None else pg.ViewBox()
        self.vb.setAspectLocked(True)
        super().__init__(parent, viewBox=self.vb)
        self.setBackground("w")
        self.setMenuEnabled(False)
        self.hideButtons()
        pi = self.getPlotItem()
        pi.hideAxis("left")
        pi.hideAxis("bottom")
        self.item = LinkChartItem()
        self.vb.addItem(self.item)
        self.legend = style.Legend(_legend_swatches())
        self.legend.setParentItem(pi)
        pi.layout.addItem(self.legend, 4, 1)

    @property
    def data(self) -> ChartData | None:
        return self.item.data

    def set_data(self, data: ChartData | None, *, fit: bool = True) -> None:
        self.item.set_data(data)
        if fit:
            self.zoom_to_fit()

    def set_view(
        self,
        rel: Related | None,
        time_range: tuple[int, int] | None,
        selected: tuple[str, str] | None = None,
    ) -> None:
        """Highlight what ``rel`` names, keep only links valid in ``time_range``, mark the selected item."""
        d = self.item.data
        if d is None:
            return
        self.item.set_visible_links(None if time_range is None else d.valid_in(*time_range))
        node_hl = link_hl = None
        if rel is not None:
            node_hl = d.node_mask(rel.actors | rel.sources)
            link_hl = d.link_mask("relationships", rel.relationships)
        sel_node = sel_link = None
        if selected is not None:
            table, row_id = selected
            if table in ("actors", "sources"):
                sel_node = d.index.get(row_id)
            else:
                mask = d.link_mask(table, [row_id])
                hits = np.flatnonzero(mask)
                if len(hits):
                    sel_link = next((gi for gi, g in enumerate(self.item.groups) if hits[0] in g[2]), None)
                    link_hl = mask if link_hl is None else (link_hl | mask)
        self.item.set_highlight(node_hl, link_hl, sel_node, sel_link)

    def zoom_to_fit(self) -> None:
        d = self.item.data
        if d is None or not len(d):
            return
        r = self.item.boundingRect()
        self.vb.setRange(r, padding=0.02)

    def pixel_size(self) -> tuple[float, float]:
        px = self.vb.viewPixelSize()
        return float(px[0]), float(px[1])

    def hit(self, scene_pos: QPointF) -> tuple[str, object] | None:
        """("node", index) or ("edge", group index) under a scene position."""
        p = self.vb.mapSceneToView(scene_pos)
        pixel = self.pixel_size()
        k = self.item.node_at(p, pixel)
        if k is not None:
            return ("node", k)
        g = self.item.group_at(p, pixel)
        return None if g is None else ("edge", g)

    def node_scene_pos(self, node_id: str) -> QPointF | None:
        d = self.item.data
        if d is None or node_id not in d.index:
            return None
        k = d.index[node_id]
        return self.vb.mapViewToScene(QPointF(float(d.x[k]), float(d.y[k])))

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the chart with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        style.render_plot(
            self, painter, target, title=title, on_layout=self.zoom_to_fit, on_scale=self._scale
        )

    def _scale(self, px: float) -> None:
        self.item.px = px
        self.item.update()
