"""The link chart's graph: who is tied to whom, by stated relationships and by what the case already implies.

Nodes are actors, plus the sources that quote a speaker. Links are either relationships (facts of their own, one
link each) or *derived*: the shipper and receiver of a shipment, the carrier of a leg and that shipment's shipper
and receiver, actors involved in the same event, a speaker and the source that quotes them. Derived links are
aggregated per pair in SQL (a count and the span of their dates), so a busy pair is one row, not thousands.

On a large case the chart shows a neighbourhood: the selected actors and everything within a few steps, capped
at a number of nodes, never the whole case. All queries take the node ids as one JSON parameter
(``json_each``), so thousands of ids are one bound value rather than an IN-list.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from caseboard.db import schema, values
from caseboard.db.case import Case

#: Above this many actors the chart shows neighbourhoods of the selection instead of the whole case.
WHOLE_CASE_LIMIT = 400
#: A neighbourhood stops growing at this many nodes (the rest stays behind "expand").
NODE_LIMIT = 1500
#: A neighbourhood draws at most this many ties: every stated relationship first, then the implied ties
#: backed by the most facts (a thousand busy actors share tens of thousands of events; drawn all, that is a
#: hairball that takes seconds a frame).
LINK_LIMIT = 5000
#: Up to this many outer nodes, which of them have more ties is checked exactly (else all are marked).
EXACT_FRONTIER = 200

DERIVED_LABELS = {
    "shipped": "shipped to",
    "carried_for": "carried cargo of",
    "carried_to": "carried cargo to",
    "event": "in the same event",
    "quoted": "quoted in",
}


@dataclass(frozen=True)
class Node:
    id: str
    table: str  # "actors" or "sources"
    name: str
    kind: str  # an actor kind, or "source"


@dataclass(frozen=True)
class Link:
    """One relationship, or the derived ties of one kind between a pair (``count`` facts, dates ``start``–``end``)."""

    a: str
    b: str
    label: str
    table: str  # relationships, shipments, legs, events, statements
    row_id: str  # the relationship, or one of the facts behind a derived link
    count: int = 1
    start: int | None = None
    end: int | None = None

    @property
    def derived(self) -> bool:
        return self.table != "relationships"

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)

    def valid_in(self, lo: int, hi: int) -> bool:
        """May this tie have held on some day of [lo, hi]? Unknown dates are open-ended."""
        return (self.start is None or self.start <= hi) and (self.end is None or self.end >= lo)


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    #: nodes that have neighbours the chart does not show yet ("expand" reveals them)
    frontier: set[str] = field(default_factory=set)
    #: True when the whole case is shown; False for a neighbourhood
    whole: bool = False
    truncated: bool = False
    #: implied ties left out by LINK_LIMIT (the weakest: fewest facts behind them)
    dropped: int = 0


def has_relationships(conn: sqlite3.Connection) -> bool:
    """False for a case older than migration 0004 opened read-only (it could not be upgraded)."""
    return schema.has_table(conn, "relationships")


def _label(kind: str, label: str, role: str) -> str:
    text = label if kind == "other" else kind
    return f"{text} \u00b7 {role}" if role and len(role) <= 40 else text


def _relationship_links(conn: sqlite3.Connection, where: str, params: Mapping) -> list[Link]:
    if not has_relationships(conn):
        return []
    cur = conn.execute(
        "SELECT id, from_actor_id, to_actor_id, kind, label, role, since_start, until_end "
        f"FROM relationships WHERE {where} ORDER BY rowid",
        params,
    )
    return [
        Link(
            a,
            b,
            _label(k, values.text(lbl), values.text(role)),
            "relationships",
            rid,
            1,
            values.day(s),
            values.day(e),
        )
        for rid, a, b, k, lbl, role, s, e in cur
        if isinstance(a, str) and isinstance(b, str)
    ]


def _derived(conn: sqlite3.Connection, sql: str, params: Mapping, label: str, table: str) -> list[Link]:
    """Rows (a, b, count, start, end, one fact id) of one derived kind."""
    # min()/max() have no declared type: their day numbers are checked here (a file may hold text there)
    return [
        Link(a, b, label, table, rid, n, values.day(s), values.day(e))
        for a, b, n, s, e, rid in conn.execute(sql, params)
        if isinstance(a, str)
        and isinstance(b, str)  # an id that is not text (a file from elsewhere) ties nothing
    ]


_IN_A = "IN (SELECT value FROM json_each(:a))"
_IN_S = "IN (SELECT value FROM json_each(:s))"
#: relationships with either end among the actors of :a, through the two indexes (not an OR scan)
_TOUCHING = (
    f"rowid IN (SELECT rowid FROM relationships WHERE from_actor_id {_IN_A} "
    f"UNION SELECT rowid FROM relationships WHERE to_actor_id {_IN_A})"
)


def _derived_links(
    conn: sqlite3.Connection, params: Mapping, actor_filter: bool, source_filter: bool
) -> list[Link]:
    """Derived ties touching the actors in :a and the sources in :s (or all of them, without filters)."""

    def rows_of(table: str, *cols: str) -> str:
        """Rows of ``table`` whose ``cols`` name an actor of :a, as a rowid subquery: one indexed lookup per
        column joined by UNION (an OR across columns would scan the whole table)."""
        if not actor_filter:
            return "1"
        union = " UNION ".join(f"SELECT rowid FROM {table} WHERE {c} {_IN_A}" for c in cols)
        return f"rowid IN ({union})"

    out: list[Link] = []
    out += _derived(
        conn,
        "SELECT shipper_id, receiver_id, count(*), min(date_start), max(date_end), min(id) FROM shipments "
        "WHERE shipper_id IS NOT NULL AND receiver_id IS NOT NULL AND shipper_id <> receiver_id "
        f"AND {rows_of('shipments', 'shipper_id', 'receiver_id')} GROUP BY 1, 2",
        params,
        DERIVED_LABELS["shipped"],
        "shipments",
    )
    for end, key in (("shipper_id", "carried_for"), ("receiver_id", "carried_to")):
        legs = "1"
        if actor_filter:
            legs = (
                f"l.rowid IN (SELECT rowid FROM legs WHERE carrier_id {_IN_A} UNION SELECT lg.rowid FROM "
                f"shipments sh JOIN legs lg ON lg.shipment_id = sh.id WHERE sh.{end} {_IN_A})"
            )
        out += _derived(
            conn,
            f"SELECT l.carrier_id, s.{end}, count(*), min(coalesce(l.depart_start, l.arrive_start)), "
            "max(coalesce(l.arrive_end, l.depart_end)), min(l.id) FROM legs l JOIN shipments s ON s.id = l.shipment_id "
            f"WHERE l.carrier_id IS NOT NULL AND s.{end} IS NOT NULL AND l.carrier_id <> s.{end} "
            f"AND {legs} GROUP BY 1, 2",
            params,
            DERIVED_LABELS[key],
            "legs",
        )
    # Same event: pairs found from the filtered side through the (actor_id, event_id) index; both orders of a
    # pair inside the filter are merged below.
    x_filter = f"x.actor_id {_IN_A}" if actor_filter else "1"
    order = "" if actor_filter else "AND y.actor_id > x.actor_id"
    out += _derived(
        conn,
        "SELECT x.actor_id, y.actor_id, count(DISTINCT x.event_id), min(e.date_start), max(e.date_end), "
        "min(e.id) FROM event_actors x JOIN event_actors y ON y.event_id = x.event_id "
        f"AND y.actor_id <> x.actor_id {order} JOIN events e ON e.id = x.event_id WHERE {x_filter} GROUP BY 1, 2",
        params,
        DERIVED_LABELS["event"],
        "events",
    )
    quoted = "source_id IS NOT NULL AND speaker_id IS NOT NULL"
    if actor_filter or source_filter:
        parts = ([f"SELECT rowid FROM statements WHERE speaker_id {_IN_A}"] if actor_filter else []) + (
            [f"SELECT rowid FROM statements WHERE source_id {_IN_S}"] if source_filter else []
        )
        quoted += " AND rowid IN (" + " UNION ".join(parts) + ")"
    out += _derived(
        conn,
        "SELECT speaker_id, source_id, count(*), min(said_start), max(said_end), min(id) FROM statements "
        f"WHERE {quoted} GROUP BY 1, 2",
        params,
        DERIVED_LABELS["quoted"],
        "statements",
    )
    return _merge_pairs(out)


def _merge_pairs(links: list[Link]) -> list[Link]:
    """One derived link per unordered pair and label (the event query finds a pair from both ends)."""
    seen: dict[tuple[str, str, str], Link] = {}
    for link in links:
        key = (*link.pair, link.label)
        if key not in seen or (link.label != DERIVED_LABELS["event"] and link.count > seen[key].count):
            seen.setdefault(key, link)
    return list(seen.values())


def links_touching(
    conn: sqlite3.Connection, actor_ids: Iterable[str], source_ids: Iterable[str] = ()
) -> list[Link]:
    """Every relationship and derived tie with at least one end among the given actors or sources."""
    params = {"a": json.dumps(sorted(set(actor_ids))), "s": json.dumps(sorted(set(source_ids)))}
    rels = _relationship_links(conn, _TOUCHING, params)
    return rels + _derived_links(conn, params, actor_filter=True, source_filter=True)


def all_links(conn: sqlite3.Connection) -> list[Link]:
    return _relationship_links(conn, "1", {}) + _derived_links(
        conn, {}, actor_filter=False, source_filter=False
    )


def nodes_for(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Node]:
    """Actor and source nodes for ``ids`` (ids of either table; unknown ids are skipped)."""
    p = {"a": json.dumps(sorted(set(ids)))}
    out: dict[str, Node] = {}
    for rid, name, kind in conn.execute(f"SELECT id, name, kind FROM actors WHERE id {_IN_A}", p):
        out[rid] = Node(rid, "actors", name, kind)
    for rid, label, title in conn.execute(f"SELECT id, label, title FROM sources WHERE id {_IN_A}", p):
        out[rid] = Node(rid, "sources", source_name(label, title), "source")
    return out


def source_name(label: str, title: str) -> str:
    short = title if len(title) <= 40 else title[:39].rstrip() + "\u2026"
    return f"{label}: {short}" if label else short


def actor_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM actors").fetchone()[0]


def whole_case(conn: sqlite3.Connection) -> Graph:
    """Every actor, the sources that quote someone, and every tie (for cases up to WHOLE_CASE_LIMIT actors)."""
    links = all_links(conn)
    ids = {r[0] for r in conn.execute("SELECT id FROM actors") if isinstance(r[0], str)}
    ids |= {end for link in links for end in (link.a, link.b)}
    return Graph(nodes=nodes_for(conn, ids), links=links, whole=True)


def neighbourhood(
    conn: sqlite3.Connection, seeds: Iterable[str], depth: int = 1, *, node_limit: int = NODE_LIMIT
) -> Graph:
    """The seeds and every node within ``depth`` steps, with the ties that reach them.

    Ties among the outermost ring are the stated relationships only: finding every derived tie of a thousand
    outer actors would read most of a large case, and "expand" on a node shows them when asked.
    """
    known = nodes_for(conn, seeds)
    visited: dict[str, Node] = dict(known)
    frontier = set(known)
    links: dict[tuple, Link] = {}
    truncated = False
    cut: set[str] = set()  # expanded nodes that lost a neighbour to the node limit
    dropped = 0
    for _step in range(max(0, depth)):
        if not frontier:
            break
        actors = [i for i in frontier if visited[i].table == "actors"]
        sources = [i for i in frontier if visited[i].table == "sources"]
        found = links_touching(conn, actors, sources)
        room_links = LINK_LIMIT - len(links)
        if len(found) > room_links:
            found.sort(key=lambda link: (link.derived, -link.count))
            dropped += len(found) - max(0, room_links)
            found = found[: max(0, room_links)]
            truncated = True
        new_ids: list[str] = []
        for link in found:
            for end in (link.a, link.b):
                if end not in visited and end not in new_ids:
                    new_ids.append(end)
        room = node_limit - len(visited)
        if len(new_ids) > room:
            new_ids, truncated = new_ids[: max(0, room)], True
        new_nodes = nodes_for(conn, new_ids)
        visited.update(new_nodes)
        for link in found:
            if link.a in visited and link.b in visited:
                links[_key(link)] = link
            elif truncated:
                cut.update(end for end in (link.a, link.b) if end in visited)
        frontier = set(new_nodes)
    outer = [i for i in frontier if visited[i].table == "actors"]
    if outer and has_relationships(conn):
        p = {"a": json.dumps(sorted(outer))}
        for link in _relationship_links(conn, _TOUCHING, p):
            if link.a in visited and link.b in visited:
                links[_key(link)] = link
    graph = Graph(nodes=visited, links=list(links.values()), truncated=truncated, dropped=dropped)
    # Every tie of an expanded node was read, so only the outer ring (never expanded) and nodes cut short by
    # the limit can have more. A small ring is checked exactly; a large one is marked whole, as checking a
    # thousand actors' ties through their events would read much of a large case.
    ring = frontier if depth > 0 else set(visited)
    exact = unexplored(conn, graph, ring) if len(ring) <= EXACT_FRONTIER else ring
    graph.frontier = cut | exact
    return graph


def _key(link: Link) -> tuple:
    return (link.table, link.row_id, *link.pair, link.label)


def unexplored(conn: sqlite3.Connection, graph: Graph, among: Iterable[str] | None = None) -> set[str]:
    """Nodes of ``graph`` (or of ``among`` only) with at least one tie to a node not in it."""
    shown: dict[str, int] = {}
    for link in graph.links:
        for end in link.pair:
            shown[end] = shown.get(end, 0) + 1
    check = graph.nodes if among is None else {i: graph.nodes[i] for i in among if i in graph.nodes}
    degree = degrees(conn, check)
    return {i for i, d in degree.items() if d > shown.get(i, 0)}


def degrees(conn: sqlite3.Connection, nodes: Mapping[str, Node]) -> dict[str, int]:
    """How many distinct ties (links as drawn) each node has in the whole case."""
    actors = [i for i, n in nodes.items() if n.table == "actors"]
    sources = [i for i, n in nodes.items() if n.table == "sources"]
    found = links_touching(conn, actors, sources)
    out: dict[str, int] = {}
    for link in found:
        for end in link.pair:
            if end in nodes:
                out[end] = out.get(end, 0) + 1
    return out


def expand(conn: sqlite3.Connection, graph: Graph, node_id: str, *, node_limit: int = NODE_LIMIT) -> Graph:
    """``graph`` plus the direct neighbours of ``node_id`` and their ties (the "expand" action)."""
    more = neighbourhood(conn, [node_id], 1, node_limit=node_limit)
    nodes = dict(graph.nodes)
    for nid, node in more.nodes.items():
        if nid in nodes or len(nodes) < node_limit:
            nodes[nid] = node
    links = {_key(link): link for link in graph.links}
    for link in more.links:
        if link.a in nodes and link.b in nodes:
            links[_key(link)] = link
    out = Graph(nodes=nodes, links=list(links.values()), whole=graph.whole, truncated=more.truncated)
    ring = set(more.nodes) - {node_id}
    exact = unexplored(conn, out, ring) if len(ring) <= EXACT_FRONTIER else ring
    out.frontier = ((graph.frontier - {node_id} - ring) | exact) & set(nodes)
    return out


def chart(conn: sqlite3.Connection, seeds: Iterable[str] = (), depth: int = 1) -> Graph:
    """What the panel shows: the whole case when it is small, else the seeds' neighbourhood (empty without seeds)."""
    if actor_count(conn) <= WHOLE_CASE_LIMIT:
        return whole_case(conn)
    seeds = list(seeds)
    if not seeds:
        return Graph()
    return neighbourhood(conn, seeds, depth)


# -- node positions ----------------------------------------------------------------------------------------------


def positions(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Kept chart positions of the given nodes (those that have one)."""
    if not schema.has_table(conn, "chart_positions"):
        return {}
    p = {"a": json.dumps(sorted(set(ids)))}
    return {
        r[0]: (r[1], r[2])
        for r in conn.execute(f"SELECT node_id, x, y FROM chart_positions WHERE node_id {_IN_A}", p)
    }


def save_positions(case: Case, pos: Mapping[str, tuple[float, float]]) -> None:
    """Keep node positions in the case file (view state: not a fact, so no history and no undo)."""
    with case.transaction():
        case.conn.executemany(
            "INSERT INTO chart_positions(node_id, x, y) VALUES (?, ?, ?) "
            "ON CONFLICT(node_id) DO UPDATE SET x = excluded.x, y = excluded.y",
            [(k, float(x), float(y)) for k, (x, y) in pos.items()],
        )
