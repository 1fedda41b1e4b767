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
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
    QTransform,
)

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
#: above this many edges in view, the screen draws them without antialiasing (see ``LinkChartItem._edges``)
CROWDED_EDGES = 600
#: above this many nodes on the chart, fewer node labels are offered (they cost the most of a frame)
CROWDED_NODES = 400
#: up to this many nodes every node is labelled, even where labels must touch
SMALL_CHART = 60
HIT_PX = 9.0
#: distance between neighbours in layout units (igraph's Fruchterman-Reingold settles near this)
UNIT = 1.0
#: above this many nodes igraph's layout uses its grid approximation of the repulsion (several times faster)
GRID_LAYOUT = 300
#: width / height the separate groups of a fresh layout are packed to, unless the view's own is given
PACK_ASPECT = 1.6


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
    graph = Graph(graph.nodes, lk, graph.frontier, graph.whole, graph.truncated, graph.dropped)
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
    graph: Graph,
    fixed: Mapping[str, tuple[float, float]],
    *,
    seed: int = 7,
    iterations: int | None = None,
    aspect: float = PACK_ASPECT,
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
        return _as_dict(ids, _packed_components(n, edges, np.arange(n), iterations, xy, aspect))
    if len(order):
        sub = np.flatnonzero(tied)
        local = {int(k): i for i, k in enumerate(sub)}
        g = igraph.Graph(n=len(sub), edges=[(local[u], local[v]) for u, v in edges])
        fixed_sub = known[sub]
        big = 1e9
        seed_xy = xy[sub]
        result = g.layout_fruchterman_reingold(
            seed=seed_xy.tolist(),
            niter=iterations or (500 if len(sub) <= GRID_LAYOUT else 150),
            minx=np.where(fixed_sub, seed_xy[:, 0], -big).tolist(),
            maxx=np.where(fixed_sub, seed_xy[:, 0], big).tolist(),
            miny=np.where(fixed_sub, seed_xy[:, 1], -big).tolist(),
            maxy=np.where(fixed_sub, seed_xy[:, 1], big).tolist(),
            grid=len(sub) > GRID_LAYOUT,
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
    n: int,
    edges: list[tuple[int, int]],
    nodes: np.ndarray,
    iterations: int | None,
    seed_xy: np.ndarray,
    aspect: float = PACK_ASPECT,
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
                    niter=iterations or (500 if len(members) <= GRID_LAYOUT else 150),
                    grid=len(members) > GRID_LAYOUT,
                ).coords,
                dtype=float,
            )
            el = sub.get_edgelist()
            lengths = np.hypot(*(coords[[u for u, _ in el]] - coords[[v for _, v in el]]).T)
            coords *= UNIT / max(float(np.median(lengths)), 1e-9)
        coords -= coords.min(axis=0)
        boxes.append((members, coords))
    total = sum((c[:, 0].max() + 1.5 * UNIT) * (c[:, 1].max() + 1.5 * UNIT) for _m, c in boxes)
    row_width = max(math.sqrt(total * max(0.3, min(4.0, aspect))), boxes[0][1][:, 0].max() + 1.5 * UNIT)
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
    aspect: float = PACK_ASPECT,
) -> ChartData:
    """Read the chart (whole case or the seeds' neighbourhood), its kept positions, and lay out the rest
    (a fresh layout packs its separate groups to the width / height ``aspect`` of the view)."""
    graph = links.chart(conn, seeds, depth)
    return arrange(conn, graph, seeds, relayout=relayout, previous=previous, aspect=aspect)


def arrange(
    conn: sqlite3.Connection,
    graph: Graph,
    seeds: Iterable[str],
    *,
    relayout: bool = False,
    previous: Mapping[str, tuple[float, float]] | None = None,
    aspect: float = PACK_ASPECT,
) -> ChartData:
    """ChartData for ``graph`` with positions: kept ones (unless ``relayout``), then the layout for the rest."""
    fixed: dict[str, tuple[float, float]] = {}
    if not relayout:
        fixed.update({k: v for k, v in (previous or {}).items() if k in graph.nodes})
        fixed.update(links.positions(conn, graph.nodes))
    pos = layout(graph, fixed, aspect=aspect)
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


class _Occupancy:
    """Where labels already lie, as a bitmap of screen pixels (``px`` when printing) over the candidates' area:
    testing a label is one numpy slice, not a Python loop over the labels near it."""

    #: room round the outermost label anchors, in screen pixels (wider labels are only tested inside it)
    REACH = 400.0

    def __init__(self, xs: np.ndarray, ys: np.ndarray, px: float) -> None:
        reach = self.REACH * px
        self.x0 = float(xs.min()) - reach if len(xs) else 0.0
        self.y0 = float(ys.min()) - reach if len(ys) else 0.0
        w = (float(xs.max()) + reach - self.x0) if len(xs) else 1.0
        h = (float(ys.max()) + reach - self.y0) if len(ys) else 1.0
        self.cell = max(px, w / 4000, h / 4000)
        self.taken = np.zeros((math.ceil(h / self.cell) + 1, math.ceil(w / self.cell) + 1), dtype=bool)

    def cells(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> list[tuple[int, ...]]:
        """Each rectangle's cell range (row from, row to, column from, column to), all in one numpy pass."""
        c = self.cell
        rows0 = np.maximum(0, np.floor((y0 - self.y0) / c)).astype(int)
        rows1 = np.maximum(0, np.ceil((y1 - self.y0) / c)).astype(int)
        cols0 = np.maximum(0, np.floor((x0 - self.x0) / c)).astype(int)
        cols1 = np.maximum(0, np.ceil((x1 - self.x0) / c)).astype(int)
        return list(zip(rows0.tolist(), rows1.tolist(), cols0.tolist(), cols1.tolist(), strict=True))

    def free(self, cell: tuple[int, ...]) -> bool:
        return not self.taken[cell[0] : cell[1], cell[2] : cell[3]].any()

    def take(self, cell: tuple[int, ...]) -> None:
        self.taken[cell[0] : cell[1], cell[2] : cell[3]] = True


@dataclass
class _Groups:
    """Visible links merged per node pair, as arrays (one entry per edge drawn)."""

    i: np.ndarray
    j: np.ndarray
    members: list[np.ndarray]
    derived: np.ndarray  # every fact behind the edge is implied, none stated
    stated: np.ndarray  # at least one stated relationship
    total: np.ndarray  # facts behind the edge
    stated_ends: list[set[int]]  # nodes the stated relationships point at
    labels: dict[int, str] = field(default_factory=dict)  # edge labels, made when first drawn

    @classmethod
    def of(cls, data: ChartData | None, visible: np.ndarray | None) -> _Groups:
        groups = edge_groups(data, visible) if data is not None else []
        if not groups:
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, [], z.astype(bool), z.astype(bool), z, [])
        assert data is not None
        members = [g[2] for g in groups]
        # per-group reductions over the members laid end to end: a chart of thousands of edges is regrouped on
        # every reload after an edit, and a Python loop per edge was most of that
        lens = np.array([len(m) for m in members], dtype=np.int64)
        if not lens.all():  # (edge_groups gives no empty group; reduceat could not say so)
            raise ValueError("an edge group without links")
        flat = np.concatenate(members).astype(np.int64, copy=False)
        starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        der = np.asarray(data.derived, dtype=bool)[flat]
        derived = np.logical_and.reduceat(der, starts)
        total = np.add.reduceat(np.asarray(data.count)[flat], starts).astype(np.int64)
        ends, implied = np.asarray(data.b)[flat].tolist(), der.tolist()
        bounds = zip(starts.tolist(), (starts + lens).tolist(), strict=True)
        return cls(
            np.array([g[0] for g in groups]),
            np.array([g[1] for g in groups]),
            members,
            derived,
            ~derived,
            total,
            [{int(ends[x]) for x in range(a, b) if not implied[x]} for a, b in bounds],
        )

    def __len__(self) -> int:
        return len(self.i)


class LinkChartItem(pg.GraphicsObject):
    """Paints a ChartData: edges, arrowheads, symbols and labels, sized in screen pixels (``px`` when printing).

    Everything is drawn in device pixels in a few batches (one path per edge style; on screen one
    drawPixmapFragments per symbol style, in print one path), and what lies outside the view is skipped. On screen
    the result is kept as a layer until the view or the chart changes (see ``paint``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.data: ChartData | None = None
        self.visible_links: np.ndarray | None = None
        self.node_hl: np.ndarray | None = None
        self.link_hl: np.ndarray | None = None
        self.selected_node: int | None = None
        self.selected_link: int | None = None
        self.px = 1.0
        self._groups = _Groups.of(None, None)
        self._grouped: tuple[object, object] = (None, None)  # the (data, visible links) grouped last
        self._group_lit = np.zeros(0, dtype=bool)
        self.shown_labels: list[str] = []
        self.shown_edge_labels: list[str] = []
        self._bounds = QRectF(0, 0, 1, 1)
        self._static: dict[str, QStaticText] = {}
        self._widths: dict[tuple[str, bool], float] = {}
        self._sprites: dict[tuple, QPixmap] = {}
        self._layer: QPixmap | None = None
        self._layer_key: tuple | None = None

    def _width(self, fm: QFontMetricsF, text: str, italic: bool) -> float:
        """Text width, measured once per text (screen only: print sizes differ)."""
        if self.px != 1.0:
            return fm.horizontalAdvance(text)
        key = (text, italic)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = fm.horizontalAdvance(text)
        return w

    def _sprite(self, kind: str, big: bool, strong: bool, ringed: bool, r: float) -> QPixmap:
        """A node symbol drawn once into a pixmap, for fast painting on screen."""
        key = (kind, big, strong, ringed)
        pm = self._sprites.get(key)
        if pm is None:
            size = int(2 * r * (1.35 if big else 1.0) + 10)  # no bigger than it needs: every pixel is blended
            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.translate(size / 2, size / 2)
            sym = _symbol(kind, r * (1.35 if big else 1.0))
            if ringed:
                p.setPen(QPen(style.color(style.HIGHLIGHT_COLOR), 3.0))
                p.drawPath(sym)
            p.setPen(QPen(QColor("white"), 1.5))
            p.setBrush(QBrush(style.color(KIND_COLORS[kind], 255 if strong else style.DIM_ALPHA + 40)))
            p.drawPath(sym)
            p.end()
            pm = self._sprites[key] = pm
        return pm

    @property
    def groups(self) -> list[tuple[int, int, np.ndarray]]:
        g = self._groups
        return [(int(g.i[k]), int(g.j[k]), g.members[k]) for k in range(len(g))]

    # -- data -------------------------------------------------------------------------------------------------
    def set_data(self, data: ChartData | None) -> None:
        self.prepareGeometryChange()
        self.data = data
        self.visible_links = None
        self.node_hl = self.link_hl = None
        self.selected_node = self.selected_link = None
        self._static = {}
        self.moved()

    def moved(self) -> None:
        """Node positions changed (a drag): bounds and edge groups again."""
        self.prepareGeometryChange()
        d = self.data
        if d is None or not len(d):
            self._bounds = QRectF(-1, -1, 2, 2)
        else:
            x0, x1, y0, y1 = d.x.min(), d.x.max(), d.y.min(), d.y.max()
            # room for the labels of the outermost nodes (wider than tall), in proportion to the chart's size
            extent = max(x1 - x0, y1 - y0, UNIT)
            px_, py_ = min(0.9 * UNIT, 0.15 * extent), min(0.45 * UNIT, 0.08 * extent)
            self._bounds = QRectF(x0 - px_, y0 - py_, x1 - x0 + 2 * px_, y1 - y0 + 2 * py_)
        self._regroup()

    def set_visible_links(self, mask: np.ndarray | None) -> None:
        """Show only the links where ``mask`` is True (None: all). The same links as grouped last are not grouped
        again: after an edit's reload the chart's view is set right after its data, usually to the same."""
        data, prev = self._grouped
        self.visible_links = mask
        if data is self.data and (
            (mask is None and prev is None)
            or (mask is not None and isinstance(prev, np.ndarray) and np.array_equal(mask, prev))
        ):
            self.update()
            return
        self._regroup()

    def _regroup(self) -> None:
        self._groups = _Groups.of(self.data, self.visible_links)
        self._grouped = (self.data, None if self.visible_links is None else self.visible_links.copy())
        self._light_groups()
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
        self._light_groups()
        self.update()

    def _light_groups(self) -> None:
        g = self._groups
        lit = np.zeros(len(g), dtype=bool)
        if self.link_hl is not None and len(g):
            lit = np.array([bool(self.link_hl[m].any()) for m in g.members])
        if self.selected_link is not None and self.selected_link < len(g):
            lit[self.selected_link] = True
        self._group_lit = lit

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
        d, g = self.data, self._groups
        if d is None or not len(g):
            return None
        sx, sy = max(pixel[0], 1e-12), max(pixel[1], 1e-12)
        ax, ay = d.x[g.i] / sx, d.y[g.i] / sy
        bx, by = d.x[g.j] / sx, d.y[g.j] / sy
        px_, py_ = p.x() / sx, p.y() / sy
        vx, vy = bx - ax, by - ay
        den = np.maximum(vx * vx + vy * vy, 1e-12)
        t = np.clip(((px_ - ax) * vx + (py_ - ay) * vy) / den, 0, 1)
        dist = np.hypot(ax + t * vx - px_, ay + t * vy - py_)
        k = int(np.argmin(dist))
        return k if dist[k] <= 5.0 else None

    # -- paint ------------------------------------------------------------------------------------------------
    def update(self, *args) -> None:  # noqa: ANN002 - Qt API (an optional rect)
        """Every change of what is drawn comes through here: the cached layer is drawn again."""
        self._layer_key = None
        super().update(*args)

    def paint(self, painter: QPainter, option, widget=None) -> None:  # noqa: ANN001 - Qt API
        """On screen the chart is drawn once into a viewport-sized layer, kept until the view's transform or the
        chart changes: a repaint with nothing new (the window grabbed, an overlay moved, a tooltip) is one blit.
        Printing draws vectors straight onto the painter."""
        d = self.data
        if d is None or not len(d):
            return
        view = painter.viewport() if widget is not None else None
        if view is None or self.px != 1.0 or view.isEmpty():
            self._paint(painter, None)
            return
        t = painter.transform()
        dpr = painter.device().devicePixelRatioF()
        key = (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy(), view.getRect(), dpr)
        if key != self._layer_key or self._layer is None:
            layer = QPixmap(round(view.width() * dpr), round(view.height() * dpr))
            layer.setDevicePixelRatio(dpr)
            layer.fill(Qt.GlobalColor.transparent)
            p = QPainter(layer)
            p.setTransform(t * QTransform.fromTranslate(-view.x(), -view.y()))
            self._paint(p, QRectF(0, 0, view.width(), view.height()))
            p.end()
            self._layer, self._layer_key = layer, key
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(view.topLeft(), self._layer)
        painter.restore()

    def _paint(self, painter: QPainter, view: QRectF | None) -> None:
        """Draw everything in device pixels; with ``view`` (screen), only what lies in or near it."""
        d = self.data
        assert d is not None
        px = self.px
        X, Y = self._device(painter.transform())  # noqa: N806
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        margin = 60 * px
        if view is not None and view.width() > 0 and self.px == 1.0:
            c = view.center()
            on = (np.abs(X - c.x()) < view.width() / 2 + margin) & (
                np.abs(Y - c.y()) < view.height() / 2 + margin
            )
        else:
            on = np.ones(len(d), dtype=bool)
        dim = self.node_hl is not None or self.link_hl is not None
        lit_nodes = self.node_hl if self.node_hl is not None else np.zeros(len(d), dtype=bool)
        r = NODE_PX / 2 * px
        labels = self._edges(painter, X, Y, on, dim, r)
        self._edge_labels(painter, labels, px)
        self._nodes(painter, X, Y, on, dim, lit_nodes, r)
        self._node_labels(painter, X, Y, on, dim, lit_nodes, r)
        painter.restore()

    def _edges(
        self,
        painter: QPainter,
        X: np.ndarray,
        Y: np.ndarray,
        on: np.ndarray,
        dim: bool,
        r: float,  # noqa: N803
    ) -> list[tuple[float, float, int, bool, bool]]:
        """Draw the edges in batches by style; returns (x, y, group, strong, stated) for the labels to place."""
        g, px = self._groups, self.px
        if not len(g):
            return []
        show = on[g.i] | on[g.j]
        width_class = np.minimum(3, np.floor(np.log2(np.maximum(g.total, 1)))).astype(int)
        lit = self._group_lit
        key = g.derived.astype(int) * 100 + lit.astype(int) * 10 + width_class
        x0, y0, x1, y1 = X[g.i], Y[g.i], X[g.j], Y[g.j]
        # A crowded chart on screen draws its edges without antialiasing or arrowheads, in opaque colours: Qt's
        # fast path for plain lines, several times quicker than blended, smoothed ones at a few thousand edges.
        crowded = px == 1.0 and int(show.sum()) > CROWDED_EDGES
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not crowded)
        arrows: dict[bool, QPainterPath] = {}
        for code in sorted(set(key[show].tolist()), key=lambda c: (c // 10) % 10):
            derived, is_lit, wc = code >= 100, bool((code // 10) % 10), code % 10
            ks = np.flatnonzero(show & (key == code))
            colour = style.HIGHLIGHT_COLOR if is_lit else (DERIVED_COLOR if derived else STATED_COLOR)
            width = (1.2 + wc + (1.0 if is_lit else 0.0)) * px
            pen = QPen(
                _faded(colour, 0.0 if (is_lit or not dim) else 0.75), round(width) if crowded else width
            )
            if derived:
                pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            if crowded:  # thousands of lines: one path built from the arrays in C (pyqtgraph's own helper)
                xs = np.column_stack((x0[ks], x1[ks])).ravel()
                ys = np.column_stack((y0[ks], y1[ks])).ravel()
                painter.drawPath(pg.arrayToQPath(xs, ys, connect="pairs"))
            else:
                painter.drawLines(
                    list(map(QLineF, x0[ks].tolist(), y0[ks].tolist(), x1[ks].tolist(), y1[ks].tolist()))
                )
            if not derived and not crowded:
                path = arrows.setdefault(is_lit, QPainterPath())
                for k in ks.tolist():
                    for end in g.stated_ends[k]:
                        start = int(g.i[k]) if end == int(g.j[k]) else int(g.j[k])
                        _arrow(path, X[start], Y[start], X[end], Y[end], r, px)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        for is_lit, path in arrows.items():
            colour = style.HIGHLIGHT_COLOR if is_lit else STATED_COLOR
            painter.setBrush(QBrush(_faded(colour, 0.0 if (is_lit or not dim) else 0.75)))
            painter.drawPath(path)
        room = int(show.sum()) <= MAX_EDGE_LABELS
        wanted = np.flatnonzero(show & (lit | g.stated | room))
        # lit edges first, then stated ones; a crowded chart offers the labeller a few times what it can place
        wanted = wanted[np.argsort(~lit[wanted], kind="stable")][: MAX_EDGE_LABELS * 3]
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        return [
            (float(mx[k]), float(my[k]), k, bool(lit[k]) or not dim, bool(g.stated[k]))
            for k in wanted.tolist()
        ]

    def _text(self, painter: QPainter, rect: QRectF, text: str) -> None:
        """Centred text; on screen through a cached QStaticText (laid out once), in print as plain text."""
        if self.px != 1.0:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            return
        st = self._static.get(text)
        if st is None:
            st = self._static[text] = QStaticText(text)
            st.prepare(QTransform(), painter.font())
        size = st.size()
        painter.drawStaticText(
            QPointF(rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2), st
        )

    def _edge_labels(
        self, painter: QPainter, labels: list[tuple[float, float, int, bool, bool]], px: float
    ) -> None:
        """Stated relationships and lit edges are labelled; implied ties only where their label has room,
        and on a crowded chart only the first MAX_EDGE_LABELS."""
        d = self.data
        assert d is not None
        font = style.pixel_font(EDGE_LABEL_PX * px)
        font.setItalic(True)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        self.shown_edge_labels = []
        placed: list[tuple[QRectF, str, bool]] = []
        most = MAX_EDGE_LABELS if len(d) <= CROWDED_NODES else MAX_EDGE_LABELS // 6
        order = sorted(labels, key=lambda t: (not t[4], not t[3]))
        texts = []
        for _x, _y, k, _strong, _stated in order:
            text = self._groups.labels.get(k)
            if text is None:
                text = self._groups.labels[k] = group_label(d, self._groups.members[k])
            texts.append(text)
        x = np.array([t[0] for t in order], dtype=float)
        y = np.array([t[1] for t in order], dtype=float)
        w = np.array([self._width(fm, text, True) for text in texts]) + 6 * px
        h = fm.height() + 2 * px
        grid = _Occupancy(x, y, px)
        x0, y0 = (x - w / 2).tolist(), (y - h / 2).tolist()
        cells = grid.cells(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        crowded = len(labels) > MAX_EDGE_LABELS
        for n, (_x, _y, _k, strong, stated) in enumerate(order):
            if len(placed) >= most and not (strong and stated and len(labels) <= SMALL_CHART * 4):
                break
            if not grid.free(cells[n]) and (crowded or not stated):
                continue
            grid.take(cells[n])
            placed.append((QRectF(x0[n], y0[n], float(w[n]), h), texts[n], strong))
            self.shown_edge_labels.append(texts[n])
        self._boxes_and_text(painter, placed, 3 * px, "#37474f", 220, 120)

    def _boxes_and_text(
        self,
        painter: QPainter,
        placed: list[tuple[QRectF, str, bool]],
        radius: float,
        ink: str,
        a1: int,
        a2: int,
    ) -> None:
        for strong in (False, True):
            rects = [rect for rect, _t, s in placed if s == strong]
            if not rects:
                continue
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(255, 255, 255, a1 if strong else a2)))
            # box by box: one path of them all is filled over its whole extent, ten times slower
            if radius:
                for rect in rects:
                    painter.drawRoundedRect(rect, radius, radius)
            else:
                painter.drawRects(rects)
            painter.setPen(style.color(ink, 255 if strong else 110))
            for rect, text, s in placed:
                if s == strong:
                    self._text(painter, rect, text)

    def _nodes(
        self,
        painter: QPainter,
        X: np.ndarray,  # noqa: N803
        Y: np.ndarray,  # noqa: N803
        on: np.ndarray,
        dim: bool,
        lit: np.ndarray,
        r: float,
    ) -> None:
        d = self.data
        assert d is not None
        px = self.px
        seeds = d.node_mask(d.seeds) if d.seeds else np.zeros(len(d), dtype=bool)
        big = seeds.copy()
        if self.selected_node is not None:
            big[self.selected_node] = True
        fills: dict[tuple[int, bool], QPainterPath] = {}
        rings = QPainterPath()
        ringed = lit.copy()
        if self.selected_node is not None:
            ringed[self.selected_node] = True
        if px == 1.0:  # on screen: cached sprites, lit ones last so they sit on top
            # one code per node style; each style's nodes in one drawPixmapFragments call
            code = d.kind.astype(np.int64) * 8 + big * 4 + (lit | (not dim)) * 2 + ringed
            for c in sorted(set(code[on].tolist()), key=lambda c: c & 3):
                kind, flags = KINDS[c // 8], c % 8
                pm = self._sprite(kind, bool(flags & 4), bool(flags & 2), bool(flags & 1), r)
                ks = np.flatnonzero(on & (code == c))
                _blit(painter, pm, X[ks], Y[ks])
            self._badges(painter, X, Y, on & d.frontier, r)
            return
        shapes = {(k, b): _symbol(k, r * (1.35 if b else 1.0)) for k in KINDS for b in (False, True)}
        for k in np.flatnonzero(on).tolist():
            kind = int(d.kind[k])
            sym = shapes[(KINDS[kind], bool(big[k]))].translated(X[k], Y[k])
            fills.setdefault((kind, bool(lit[k]) or not dim), QPainterPath()).addPath(sym)
            if ringed[k]:
                rings.addPath(sym)
        if not rings.isEmpty():
            painter.setPen(QPen(style.color(style.HIGHLIGHT_COLOR), 3.0 * px))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(rings)
        white = QPen(QColor("white"), 1.5 * px)
        for strong in (False, True):  # lit nodes on top
            for (kind, s), path in fills.items():
                if s != strong:
                    continue
                painter.setPen(white)
                painter.setBrush(
                    QBrush(style.color(KIND_COLORS[KINDS[kind]], 255 if s else style.DIM_ALPHA + 40))
                )
                painter.drawPath(path)
        self._badges(painter, X, Y, on & d.frontier, r)

    def _badges(self, painter: QPainter, X: np.ndarray, Y: np.ndarray, mask: np.ndarray, r: float) -> None:  # noqa: N803
        """A small "+" on nodes with more ties than shown ("expand" reveals them)."""
        px = self.px
        if px == 1.0:  # on screen: one cached sprite (a path of a thousand badges strokes very slowly)
            pm = self._sprites.get(("badge",))
            if pm is None:
                pm = self._sprites[("badge",)] = QPixmap(12, 12)
                pm.fill(Qt.GlobalColor.transparent)
                p = QPainter(pm)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                p.setPen(QPen(style.color("#263238"), 1.6))
                p.setBrush(QBrush(QColor("white")))
                p.drawEllipse(QPointF(6, 6), 4.2, 4.2)
                p.drawLine(QPointF(3.6, 6), QPointF(8.4, 6))
                p.drawLine(QPointF(6, 3.6), QPointF(6, 8.4))
                p.end()
            ks = np.flatnonzero(mask)
            _blit(painter, pm, X[ks] + r * 0.95, Y[ks] - r * 0.95)
            return
        badges = QPainterPath()
        for k in np.flatnonzero(mask).tolist():
            c = QPointF(X[k] + r * 0.95, Y[k] - r * 0.95)
            badges.addEllipse(c, 4.2 * px, 4.2 * px)
            badges.moveTo(c + QPointF(-2.4 * px, 0))
            badges.lineTo(c + QPointF(2.4 * px, 0))
            badges.moveTo(c + QPointF(0, -2.4 * px))
            badges.lineTo(c + QPointF(0, 2.4 * px))
        if not badges.isEmpty():
            painter.setPen(QPen(style.color("#263238"), 1.6 * px))
            painter.setBrush(QBrush(QColor("white")))
            painter.drawPath(badges)

    def _node_labels(
        self,
        painter: QPainter,
        X: np.ndarray,  # noqa: N803
        Y: np.ndarray,  # noqa: N803
        on: np.ndarray,
        dim: bool,
        lit: np.ndarray,
        r: float,
    ) -> None:
        d = self.data
        assert d is not None
        font = style.pixel_font(LABEL_PX * self.px)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        degree = (
            np.bincount(np.concatenate((d.a, d.b)), minlength=len(d)) if d.link_count else np.zeros(len(d))
        )
        priority = lit.astype(float) * 1e6 + degree - np.where(d.kind == KINDS.index("source"), 0.5, 0.0)
        if self.selected_node is not None:
            priority[self.selected_node] = 1e9
        candidates = np.flatnonzero(on)
        order = candidates[np.argsort(-priority[candidates], kind="stable")]
        placed: list[tuple[QRectF, str, bool]] = []
        self.shown_labels = []
        most = MAX_NODE_LABELS if len(d) <= CROWDED_NODES else MAX_NODE_LABELS // 4
        ks = order[: most * 2]
        names = [d.names[k] for k in ks.tolist()]
        texts = [name if len(name) <= 40 else name[:39] + "\u2026" for name in names]
        w = np.array([self._width(fm, text, False) for text in texts]) + 4 * self.px
        h = fm.height()
        x0, x1 = X[ks] - w / 2, X[ks] + w / 2
        below0, above0 = Y[ks] + r + 1 * self.px, Y[ks] - r - 1 * self.px - h
        grid = _Occupancy(X[ks], Y[ks], self.px)
        below = grid.cells(x0, below0, x1, below0 + h)
        above = grid.cells(x0, above0, x1, above0 + h)
        xs, bys, ays = x0.tolist(), below0.tolist(), above0.tolist()
        for n, k in enumerate(ks.tolist()):
            if len(placed) >= most:
                break
            if grid.free(below[n]):
                cell, top = below[n], bys[n]
            elif grid.free(above[n]):
                cell, top = above[n], ays[n]
            elif len(d) > SMALL_CHART:
                continue
            else:
                cell, top = below[n], bys[n]  # a small chart names every node, even where labels touch
            grid.take(cell)
            placed.append((QRectF(xs[n], top, float(w[n]), h), texts[n], bool(lit[k]) or not dim))
            self.shown_labels.append(names[n])
        self._boxes_and_text(painter, placed, 0.0, style.LABEL_COLOR, 200, 90)


def _blit(painter: QPainter, pm: QPixmap, x: np.ndarray, y: np.ndarray) -> None:
    """``pm`` centred on each (x, y), in one drawPixmapFragments call filled from numpy (as pyqtgraph's scatter
    plot does): a thousand drawPixmap calls from Python cost several milliseconds."""
    if not len(x):
        return
    frags = PrimitiveArray(QPainter.PixmapFragment, 10)
    frags.resize(len(x))
    a = frags.ndarray()
    a[:, 0], a[:, 1] = x, y  # the fragment's centre
    a[:, 2:4] = 0.0  # source rectangle: the whole pixmap
    a[:, 4], a[:, 5] = pm.width() / pm.devicePixelRatio(), pm.height() / pm.devicePixelRatio()
    a[:, 6:8] = 1.0  # scale
    a[:, 8] = 0.0  # rotation
    a[:, 9] = 1.0  # opacity
    painter.drawPixmapFragments(*frags.drawargs(), pm)


def _faded(hex_color: str, t: float) -> QColor:
    """``hex_color`` mixed with white by ``t`` (0: as is), opaque: blending costs more than it shows here."""
    c = QColor(hex_color)
    return QColor(
        round(c.red() + (255 - c.red()) * t),
        round(c.green() + (255 - c.green()) * t),
        round(c.blue() + (255 - c.blue()) * t),
    )


def _arrow(path: QPainterPath, x0: float, y0: float, x1: float, y1: float, r: float, px: float) -> None:
    """An arrowhead at (x1, y1), just outside the node there, pointing away from (x0, y0)."""
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy)
    if length < 2 * r + 4 * px:
        return
    ux, uy = dx / length, dy / length
    tipx, tipy = x1 - ux * (r + 1.5 * px), y1 - uy * (r + 1.5 * px)
    size = 7.0 * px
    back_x, back_y = tipx - ux * size, tipy - uy * size
    path.addPolygon(
        QPolygonF(
            [
                QPointF(tipx, tipy),
                QPointF(back_x - uy * size * 0.45, back_y + ux * size * 0.45),
                QPointF(back_x + uy * size * 0.45, back_y - ux * size * 0.45),
            ]
        )
    )
    path.closeSubpath()


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
                if sel_node is not None:  # the selected node's ties and neighbours light up with it
                    touching = (d.a == sel_node) | (d.b == sel_node)
                    if self.item.visible_links is not None:
                        touching &= self.item.visible_links
                    link_hl = touching if link_hl is None else (link_hl | touching)
                    node_hl = d.node_mask(()) if node_hl is None else node_hl.copy()
                    node_hl[d.a[touching]] = True
                    node_hl[d.b[touching]] = True
                    node_hl[sel_node] = True
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

    def aspect(self) -> float:
        """Width / height of the view, for packing a fresh layout to it."""
        w, h = self.vb.width(), self.vb.height()
        return w / h if w > 10 and h > 10 else PACK_ASPECT

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
