"""Scale benchmarks: ``python -m bench`` (or ``bench/run``) prints one table of figures against their targets.

The large case (1,000,000 events, 100,000 statements, 10,000 actors, 5,000 places, 20,000 shipments, about 50,000
legs) is generated once into a cache folder and reused while its parameters and the generator stay the same.
``--quick`` runs everything at 1/100 of the size (under a minute). Each figure is its own function; one whose
code is not importable yet reports "n/a (reason)" instead of failing the run.

Timing conventions:

* A *frame* is: change the plot's view range, ``QApplication.processEvents()``, then ``PlotWidget.grab()``,
  which renders the whole graphics view (axes, items, scene) into a QPixmap through QWidget::render - the same
  painting a visible window does, but offscreen (``QT_QPA_PLATFORM=offscreen``). The timeline and map figures
  also give the UI thread's CPU time for the same frames (``time.thread_time``): on a shared machine the wall
  time grows with the load average, the CPU time much less.
* "All panels drawn" means every panel's data is applied (the timeline and map emit ``loaded``) and the whole
  window has been rendered once with ``MainWindow.grab()``.
* Memory and start-up run in child processes so the runner's own state does not count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window's settings (recent files, layout) go to a folder of the run's own, never the user's (children too).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="caseboard-bench-config-")

ROOT = Path(__file__).resolve().parent.parent

FULL = {"events": 1_000_000, "statements": 100_000, "actors": 10_000, "places": 5_000, "shipments": 20_000}
#: The case the exchange figures export and import (the size a field report on a year of shipments reaches).
EXCHANGE_CASE = {"events": 50_000, "statements": 10_000, "actors": 2_000, "places": 1_000, "shipments": 2_000}
REPORT_CASE = {"events": 5_000, "statements": 1_000, "actors": 300, "places": 200, "shipments": 200}
SEED = 7
SEARCH_QUERIES = 200
#: Two queries of two very common terms (each in most statements): the case a plain bm25 ranking cannot serve.
COMMON_QUERIES = ("the and", "that the")
FRAMES = 60
QUICK_FRAMES = 12
WINDOW_SIZE = (1600, 1000)


@dataclass
class Row:
    """One line of the table; ``measured`` is text so a figure can say "n/a (reason)"."""

    figure: str
    measured: str
    target: str
    floor: str = "—"
    ratio: str = "—"


@dataclass
class Context:
    """What every figure may need: sizes, the generated case files and a scratch folder."""

    quick: bool
    frames: int
    scale: float
    cache: Path
    large: Path
    report_case: Path
    demo: Path
    tmp: Path
    generated: dict[str, Any]
    window: Any = None


# -- helpers -------------------------------------------------------------------------------------------------
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def na(figure: str, target: str, reason: str) -> Row:
    return Row(figure, f"n/a ({reason})", target)


def scaled(sizes: dict[str, int], scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in sizes.items()}


def generator_fingerprint() -> str:
    """Changes whenever the generator's code does, so a cached case is rebuilt after a change."""
    src = (ROOT / "db" / "generate.py").read_bytes()
    return hashlib.sha256(src).hexdigest()[:16]


def ensure_case(path: Path, sizes: dict[str, int], *, compare: bool) -> dict[str, Any]:
    """Generate ``path`` unless a file with the same parameters is cached; returns what was done."""
    from caseboard.db.generate import generate_case, measure_floor

    params = {**sizes, "seed": SEED, "generator": generator_fingerprint()}
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        try:
            if json.loads(meta.read_text())["params"] == params:
                return {"cached": True}
        except (ValueError, KeyError):
            pass
    for extra in ("-wal", "-shm", "-lock"):
        Path(str(path) + extra).unlink(missing_ok=True)
    report = generate_case(path, seed=SEED, overwrite=True, **sizes)
    done: dict[str, Any] = {"cached": False, "seconds": report.seconds, "rows": report.rows}
    if compare:
        done["floor"] = measure_floor(seed=SEED, directory=path.parent, **sizes)
    meta.write_text(json.dumps({"params": params, **done}))
    return done


def app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["caseboard-bench"])


def wait_until(done: Callable[[], bool], timeout: float = 120.0) -> bool:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.0005)
    return True


def open_window(ctx: Context, path: Path, *, again: bool = False) -> tuple[Any, float]:
    """A shown window with ``path`` open and every panel drawn; returns it and the seconds that took.

    A window already showing ``path`` is reused (0 s) unless ``again``.
    """
    from caseboard.gui.app import make_window

    app()
    if ctx.window is not None and not again:
        case = ctx.window.case
        if case is not None and Path(case.path).resolve() == path.resolve():
            return ctx.window, 0.0
    if ctx.window is None:
        ctx.window = make_window(None)
        ctx.window.resize(*WINDOW_SIZE)
        ctx.window.show()
        app().processEvents()
    window = ctx.window
    window.set_case(None)
    app().processEvents()
    loaded: set[str] = set()
    for key in ("timeline", "map"):
        panel = window.panels.get(key)
        if panel is not None and hasattr(panel, "loaded"):
            panel.loaded.connect(lambda k=key: loaded.add(k))
    expected = {k for k in ("timeline", "map") if hasattr(window.panels.get(k), "loaded")}
    t0 = time.perf_counter()
    if not window.open_path(path):
        raise RuntimeError(f"the window could not open {path}")
    if not wait_until(lambda: expected <= loaded):
        raise RuntimeError("panels did not finish loading within 120 s")
    window.grab()
    seconds = time.perf_counter() - t0
    for key in expected:
        try:
            window.panels[key].loaded.disconnect()
        except (RuntimeError, TypeError):
            pass
    return window, seconds


def frame(widget: Any, change: Callable[[], None], cpu: list[float] | None = None) -> float:
    """Seconds for one frame: change the view, process events, render the widget (see the module docstring).

    ``cpu`` gets the UI thread's CPU seconds for the same frame.
    """
    t, c = time.perf_counter(), time.thread_time()
    change()
    app().processEvents()
    widget.grab()
    if cpu is not None:
        cpu.append(time.thread_time() - c)
    return time.perf_counter() - t


def frames_ms(wall: list[float], cpu: list[float]) -> str:
    return f"{ms(p95(wall))} (UI thread CPU {ms(p95(cpu))})"


def run_child(args: list[str], timeout: float = 600) -> str:
    """Run ``python -m bench --child ...`` with the same interpreter; returns its stdout."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError((out.stderr.strip().splitlines() or ["child failed"])[-1])
    return out.stdout


# -- figures -------------------------------------------------------------------------------------------------
def fig_generator(ctx: Context) -> list[Row]:
    figure = "generate the large case (vs plain executemany)"
    g = ctx.generated
    if g.get("cached"):
        meta = json.loads(ctx.large.with_suffix(".json").read_text())
        if "floor" not in meta:
            return [Row(figure, "cached (run with --regenerate)", "≤ 2× floor")]
        g = meta
        figure += " [cached run]"
    floor = g.get("floor")
    return [
        Row(
            figure,
            secs(g["seconds"]),
            "≤ 2× floor",
            secs(floor) if floor else "—",
            f"{g['seconds'] / floor:.2f}×" if floor else "—",
        )
    ]


def fig_open(ctx: Context) -> list[Row]:
    figure, target = "open the case to all panels drawn (offscreen)", "≤ 2 s; ≤ 2× floor"
    try:
        import caseboard.gui.app  # noqa: F401
    except ImportError as exc:
        return [na(figure, target, f"gui.app: {exc}")]
    floor = open_floor(ctx.large)
    _window, seconds = open_window(ctx, ctx.large, again=True)
    return [Row(figure, secs(seconds), target, secs(floor), f"{seconds / floor:.2f}×")]


def open_floor(path: Path) -> float:
    """The same rows the timeline and map read, selected into numpy, plus one bare pyqtgraph render."""
    import numpy as np
    import pyqtgraph as pg

    app()
    t0 = time.perf_counter()
    conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    arrays = {}
    for name, sql in (
        ("events", "SELECT id, date_start, date_end, shipment_id FROM events"),
        ("legs", "SELECT id, depart_start, arrive_end, mode, from_place_id, to_place_id FROM legs"),
        ("shipments", "SELECT id, date_start, date_end FROM shipments"),
        ("statements", "SELECT id, said_start, said_end, speaker_id FROM statements"),
        ("places", "SELECT id, lon, lat, name FROM places"),
    ):
        rows = conn.execute(sql).fetchall()
        cols = list(zip(*rows, strict=True)) if rows else []
        arrays[name] = [np.array(c) for c in cols]
    conn.close()
    start = np.sort(arrays["events"][1].astype(np.float64)) if arrays["events"] else np.zeros(1)
    plot = pg.PlotWidget()
    plot.resize(1200, 400)
    pi = plot.getPlotItem()
    pi.setDownsampling(auto=True, mode="peak")
    pi.setClipToView(True)
    pi.plot(start * 86400.0, np.arange(len(start)) % 7)
    plot.grab()
    return time.perf_counter() - t0


def fig_timeline(ctx: Context) -> list[Row]:
    target = "≤ 33 ms"
    names = ("timeline frame p95, full extent", "timeline frame p95, zoomed to one day")
    try:
        from caseboard.gui.panels.timeline import DAY
    except ImportError as exc:
        return [na(n, target, f"timeline: {exc}") for n in names]
    window, _ = open_window(ctx, ctx.large)
    tl = window.panels["timeline"]
    tl.zoom_to_fit()
    (x0, x1), _ = tl.vb.viewRange()
    width = x1 - x0
    full: list[float] = []
    full_cpu: list[float] = []
    for i in range(ctx.frames):  # pan back and forth by 2 % and zoom by ±5 %, as a drag and a wheel do
        dx = width * 0.02 * (1 if (i // 10) % 2 == 0 else -1)
        k = 1.0 + 0.05 * (1 if i % 2 else -1)

        def change(dx: float = dx, k: float = k) -> None:
            (a, b), _ = tl.vb.viewRange()
            mid = (a + b) / 2 + dx
            half = (b - a) / 2 * k
            tl.vb.setXRange(mid - half, mid + half, padding=0)

        full.append(frame(tl.plot, change, full_cpu))
    conn = sqlite3.connect(ctx.large.as_uri() + "?mode=ro", uri=True)
    busiest = conn.execute(
        "SELECT date_start FROM events WHERE date_start = date_end GROUP BY date_start ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    conn.close()
    day = float(busiest[0]) if busiest else 0.0
    tl.vb.setXRange(day * DAY, (day + 1) * DAY, padding=0)
    app().processEvents()
    zoomed: list[float] = []
    zoomed_cpu: list[float] = []
    for i in range(ctx.frames):
        dx = DAY * 0.05 * (1 if (i // 10) % 2 == 0 else -1)

        def change(dx: float = dx) -> None:
            (a, b), _ = tl.vb.viewRange()
            tl.vb.setXRange(a + dx, b + dx, padding=0)

        zoomed.append(frame(tl.plot, change, zoomed_cpu))
    return [
        Row(names[0], frames_ms(full, full_cpu), target),
        Row(names[1], frames_ms(zoomed, zoomed_cpu), target),
    ]


def fig_map(ctx: Context) -> list[Row]:
    figure, target = "map frame with all places and legs p95", "≤ 50 ms"
    try:
        import caseboard.gui.panels.map  # noqa: F401
    except ImportError as exc:
        return [na(figure, target, f"map: {exc}")]
    window, _ = open_window(ctx, ctx.large)
    mp = window.panels["map"]
    mp.zoom_to_fit()
    app().processEvents()
    times: list[float] = []
    cpu: list[float] = []
    for i in range(ctx.frames):
        k = 1.0 + 0.08 * (1 if i % 2 else -1)
        dx = 0.03 * (1 if (i // 10) % 2 == 0 else -1)

        def change(k: float = k, dx: float = dx) -> None:
            (a, b), (c, d) = mp.vb.viewRange()
            w, h = (b - a) * k, (d - c) * k
            mx, my = (a + b) / 2 + (b - a) * dx, (c + d) / 2
            mp.vb.setRange(xRange=(mx - w / 2, mx + w / 2), yRange=(my - h / 2, my + h / 2), padding=0)

        times.append(frame(mp.plot, change, cpu))
    return [Row(figure, frames_ms(times, cpu), target)]


def search_queries(conn: sqlite3.Connection, n: int) -> list[str]:
    """``n`` queries: the very common pairs first, then one or two words drawn from the statements themselves."""
    import random

    rnd = random.Random(SEED)
    sample = [r[0] for r in conn.execute("SELECT text FROM statements ORDER BY rowid LIMIT 2000")]
    words = sorted({w.strip(".,").lower() for t in sample for w in t.split() if len(w.strip(".,")) > 3})
    queries = list(COMMON_QUERIES)
    while len(queries) < n and words:
        k = 1 if rnd.random() < 0.5 else 2
        queries.append(" ".join(rnd.choice(words) for _ in range(k)))
    return queries[:n]


def fig_search(ctx: Context) -> list[Row]:
    figure, target = f"full-text search p95 ({SEARCH_QUERIES} queries, 2 of very common terms)", "≤ 50 ms"
    try:
        from caseboard.db.search import search_table
    except ImportError as exc:
        return [na(figure, target, f"search: {exc}")]
    try:
        from caseboard.gui.panels.quotes import SEARCH_LIMIT
    except ImportError:
        SEARCH_LIMIT = 500  # noqa: N806 - the panel's value when it cannot be imported
    conn = sqlite3.connect(ctx.large.as_uri() + "?mode=ro", uri=True)
    queries = search_queries(conn, SEARCH_QUERIES)
    search_table(conn, "statements", "warm up")
    times = []
    for q in queries:
        t = time.perf_counter()
        search_table(conn, "statements", q, SEARCH_LIMIT)
        times.append(time.perf_counter() - t)
    common = max(times[: len(COMMON_QUERIES)])
    # the bare bm25 query the issue warns about, for the notes under the table
    t = time.perf_counter()
    conn.execute(
        "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? ORDER BY rank LIMIT 50",
        ['"the" AND "and"'],
    ).fetchall()
    ctx.generated["bare_rank"] = time.perf_counter() - t
    conn.close()
    ctx.generated["common_search"] = common
    return [Row(figure, ms(p95(times)), target)]


def fig_select(ctx: Context) -> list[Row]:
    wanted = round(10_000 * ctx.scale)
    figure, target = f"select an actor with ~{wanted:,} related items, all panels updated", "≤ 200 ms"
    try:
        import caseboard.gui.app  # noqa: F401
    except ImportError as exc:
        return [na(figure, target, f"gui.app: {exc}")]
    window, _ = open_window(ctx, ctx.large)
    conn = sqlite3.connect(ctx.large.as_uri() + "?mode=ro", uri=True)
    actor, n = conn.execute(
        "SELECT actor_id, count(*) n FROM event_actors GROUP BY actor_id ORDER BY abs(count(*) - ?) LIMIT 1",
        [wanted],
    ).fetchone()
    conn.close()
    sel = window.selection
    times = []
    for _ in range(5):
        sel.clear()
        app().processEvents()
        window.grab()
        t = time.perf_counter()
        sel.select_item("actors", actor)
        sel.wait()  # the related items are read on a worker; the UI thread stays free meanwhile
        app().processEvents()
        window.grab()  # every dock repaints what the selection changed
        times.append(time.perf_counter() - t)
    rel = sel.related
    total = sum(rel.counts().values()) if rel is not None else n
    sel.clear()
    figure = f"select an actor with {total:,} related items, all panels updated (median of 5)"
    return [Row(figure, ms(statistics.median(times)), target)]


def fig_edit(ctx: Context) -> list[Row]:
    """One edit (and its undo) reflected in every panel: UI-thread time, and how many whole-case loads it caused.

    Three kinds of edit, each made and undone five times with the edited item selected (so the inspector shows
    it): re-dating an event (the timeline's biggest table), renaming the busiest speaker (a timeline lane, the
    navigator, the quotes) and moving the place with the most legs (the map). The time runs from the edit's
    call to the event loop going idle (every panel has applied the change set and repainted what changed).
    """
    figure, target = (
        "one edit reflected in every panel, UI-thread time (worst kind, median)",
        "≤ 50 ms; 0 loads",
    )
    try:
        import caseboard.gui.app  # noqa: F401
        from caseboard.db import actors, events, places
    except ImportError as exc:
        return [na(figure, target, f"gui.app: {exc}")]
    window, _ = open_window(ctx, ctx.large)
    conn = window.case.conn
    event_id, date = conn.execute(
        "SELECT id, date FROM events WHERE date_start IS NOT NULL AND date NOT LIKE '%/%' "
        "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM events)"
    ).fetchone()
    speaker_id, name = conn.execute(
        "SELECT a.id, a.name FROM actors a WHERE a.id = (SELECT speaker_id FROM statements "
        "GROUP BY speaker_id ORDER BY count(*) DESC LIMIT 1)"
    ).fetchone()
    place_id, lat, lon = conn.execute(
        "SELECT p.id, p.lat, p.lon FROM places p JOIN legs l ON l.from_place_id = p.id "
        "WHERE p.lat IS NOT NULL GROUP BY p.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    kinds: dict[str, tuple[str, str, Callable[[int], Callable[[Any], Any]]]] = {
        "re-date an event": (
            "events",
            event_id,
            lambda i: lambda c: events.update_event(c, event_id, date=f"2019-0{1 + i % 9}-1{i % 9}"),
        ),
        "rename a speaker": (
            "actors",
            speaker_id,
            lambda i: lambda c: actors.update_actor(c, speaker_id, name=f"{name} ({i})"),
        ),
        "move a place": (
            "places",
            place_id,
            lambda i: lambda c: places.move_place(c, place_id, lat + 0.1 * (i + 1), lon),
        ),
    }
    from caseboard.gui.workers import wait_for_all

    panels = [p for p in window.panels.values() if hasattr(p, "whole_loads")]
    rows: list[Row] = []
    worst = 0.0
    loads = 0
    for kind, (table, row_id, make) in kinds.items():
        window.selection.select_item(table, row_id)
        window.selection.wait()
        wait_until(lambda: False, timeout=0.2)  # let the selection settle and paint
        before = sum(p.whole_loads for p in panels)
        times, walls = [], []
        for i in range(5):
            for step in ("edit", "undo"):
                start = t = time.perf_counter()
                if step == "edit":
                    window.editor.run(f"Bench {kind}", make(i))
                else:
                    window.undo_stack.undo()
                ui = time.perf_counter() - t
                # the patches and the selection's lookup run on workers: wait for them without running the event
                # loop, then time only the UI thread's share (delivering the answers and repainting)
                while True:
                    wait_for_all(-1)
                    t = time.perf_counter()
                    app().processEvents()
                    ui += time.perf_counter() - t
                    if not window.selection.pending and not any(p.pending for p in panels):
                        break
                times.append(ui)
                walls.append(time.perf_counter() - start)
        n_loads = sum(p.whole_loads for p in panels) - before
        loads += n_loads
        median = statistics.median(times)
        worst = max(worst, median)
        rows.append(
            Row(f"  {kind} (and undo), median of 10", f"{ms(median)}, {n_loads} loads", "≤ 50 ms; 0 loads")
        )
    window.selection.clear()
    return [Row(figure, f"{ms(worst)}, {loads} whole-case loads", target), *rows]


def fig_pdf(ctx: Context) -> list[Row]:
    n = scaled(REPORT_CASE, ctx.scale)
    figure, target = (
        f"PDF export of {n['statements']:,} statements and {n['events']:,} events",
        "≤ 5 s",
    )
    try:
        from caseboard.gui.report.export import export_case
    except ImportError as exc:
        return [na(figure, target, f"report: {exc}")]
    from caseboard.db.case import open_case

    if ctx.window is not None:
        ctx.window.set_case(None)
    app()
    out = ctx.tmp / "report.pdf"
    with open_case(ctx.report_case, readonly=True) as case:
        t = time.perf_counter()
        result = export_case(case, out)
        seconds = time.perf_counter() - t
    figure += f" ({result.pages} pages)"
    return [Row(figure, secs(seconds), target)]


def fig_memory(ctx: Context) -> list[Row]:
    figure, target = "peak memory with the large case open (VmHWM of a fresh process)", "≤ 500 MB"
    try:
        import caseboard.gui.app  # noqa: F401
    except ImportError as exc:
        return [na(figure, target, f"gui.app: {exc}")]
    out = run_child(["memory", str(ctx.large)])
    kb = int(out.strip().splitlines()[-1])
    return [Row(figure, f"{kb / 1024:.0f} MB", target)]


def fig_startup(ctx: Context) -> list[Row]:
    figure, target = "start-up to first window, demo case (warm, median)", "≤ 1 s"
    try:
        import caseboard.gui.app  # noqa: F401
    except ImportError as exc:
        return [na(figure, target, f"gui.app: {exc}")]
    times = []
    for i in range(2 if ctx.quick else 4):  # the first run warms the disk cache and Python's bytecode cache
        t0 = time.time()
        out = run_child(["startup", str(ctx.demo)])
        shown = float(out.strip().splitlines()[-1])
        if i:
            times.append(shown - t0)
    return [Row(figure, secs(statistics.median(times)), target)]


def fig_links(ctx: Context) -> list[Row]:
    """The link chart on the large case: its busiest actor's neighbourhood (the generator gives one actor up to
    1,000 relationships), a 2,000-node neighbourhood laid out as the panel's worker does, and its frames."""
    names = FIGURE_NAMES[fig_links]
    try:
        from caseboard.db import links
        from caseboard.gui.plots.link_chart import LinkChartPlot, arrange, layout
    except ImportError as exc:
        return [na(names[0], names[1], f"link chart: {exc}")]
    app()
    conn = sqlite3.connect(f"file:{ctx.large}?mode=ro", uri=True)
    busiest = conn.execute(
        "SELECT from_actor_id, count(*) FROM relationships GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    if busiest is None:  # a cached case made before relationships existed (or copied in by hand)
        return [na(names[0], names[1], "the large case has no relationships: run with --regenerate")]
    hub, degree = busiest
    plot = LinkChartPlot()
    plot.resize(900, 700)
    plot.show()
    app().processEvents()
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        data = arrange(conn, links.neighbourhood(conn, [hub], 1), [hub])
        plot.set_data(data)
        app().processEvents()
        plot.grab()
        runs.append(time.perf_counter() - t)
    rows = [
        Row(
            f"link chart: neighbourhood of an actor with {degree:,} relationships ({len(data):,} nodes), "
            "read, laid out and drawn (median of 3)",
            ms(statistics.median(runs)),
            "≤ 300 ms",
        )
    ]
    big = links.neighbourhood(conn, [hub], 2, node_limit=2000)
    t = time.perf_counter()
    pos = layout(big, {})
    rows.append(Row(f"link chart: layout of {len(big.nodes):,} nodes (igraph, the worker's call)",
                    secs(time.perf_counter() - t), "≤ 2 s"))  # fmt: skip
    from caseboard.gui.plots.link_chart import chart_data

    plot.set_data(chart_data(big, pos, [hub]))
    app().processEvents()
    times = []
    for i in range(ctx.frames):
        k = 1.0 + 0.08 * (1 if i % 2 else -1)

        def change(k: float = k) -> None:
            plot.vb.scaleBy(x=k, y=k)

        times.append(frame(plot, change))
    rows.append(Row(f"link chart frame p95 ({len(big.nodes):,} nodes, {len(big.links):,} ties)",
                    ms(p95(times)), "≤ 33 ms"))  # fmt: skip
    plot.close()
    plot.deleteLater()
    conn.close()
    return rows


#: Where real reports lie (read there, never copied); the repository's extraction set otherwise.
REPORT_TEXTS = (Path("/work/shared/real-reports/texts"), ROOT / "bench" / "extraction_set" / "texts")


def report_text(size: int) -> str:
    """``size`` characters of report text: the reports concatenated (repeated as needed), cut at a line end."""
    folder = next((f for f in REPORT_TEXTS if f.is_dir() and any(f.glob("*.txt"))), None)
    if folder is None:
        raise FileNotFoundError("no report texts found")
    parts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]
    text = ""
    while len(text) < size:
        text += "\n\n".join(parts) + "\n\n"
    text = text[:size]
    return text[: text.rfind("\n") + 1]


def fig_ingest(ctx: Context) -> list[Row]:
    """Extraction throughput (read a report's text, suggest every kind of fact) at two sizes: linear means the
    same KB/s at both."""
    figure, target = FIGURE_NAMES[fig_ingest]
    try:
        from caseboard.ingest.suggest import suggest
    except ImportError as exc:
        return [na(figure, target, f"ingest: {exc}")]
    suggest(report_text(5_000))  # the gazetteer and rule tables load once, on first use: not per report
    rows = []
    for size in (50_000, 200_000 if ctx.quick else 2_000_000):
        text = report_text(size)
        t = time.perf_counter()
        suggest(text)
        seconds = time.perf_counter() - t
        rows.append(
            Row(
                f"ingest throughput, {size // 1000:,} KB of report text ({seconds:.1f} s)",
                f"{size / 1000 / seconds:.0f} KB/s",
                target,
            )
        )
    return rows


def fig_exchange(ctx: Context) -> list[Row]:
    """Exports and imports for other tools at 50,000 events: the XLSX link table, FtM out, and FtM back into a
    new case (all rows, history and search index), with their throughput."""
    from caseboard.db.case import create_case, open_case
    from caseboard.db.exchange.ftm_export import export_ftm
    from caseboard.db.exchange.ftm_import import apply_ftm, read_ftm
    from caseboard.db.exchange.links_table import export_links

    n = scaled(EXCHANGE_CASE, ctx.scale)
    path = ctx.cache / "exchange.case"
    ensure_case(path, n, compare=False)
    size = f"{n['events']:,} events"
    out: list[Row] = []
    with open_case(path, readonly=True) as case:
        t = time.perf_counter()
        links = export_links(case, ctx.tmp / "links.xlsx")
        seconds = time.perf_counter() - t
        out.append(
            Row(
                f"link table XLSX export, {size}",
                f"{secs(seconds)} ({links / seconds:,.0f} links/s)",
                "≤ 15 s",
            )
        )
        t = time.perf_counter()
        entities = export_ftm(case, ctx.tmp / "case.ftm.json")
        seconds = time.perf_counter() - t
        out.append(
            Row(f"FtM export, {size}", f"{secs(seconds)} ({entities / seconds:,.0f} entities/s)", "≤ 15 s")
        )
    new = create_case(ctx.tmp / "imported.case", title="Imported")
    try:
        t = time.perf_counter()
        plan = read_ftm(ctx.tmp / "case.ftm.json", new)
        with new.transaction(label="Import"):
            changes = apply_ftm(new, plan)
        seconds = time.perf_counter() - t
    finally:
        new.close()
    out.append(
        Row(
            f"FtM import into a new case, {size} ({len(changes):,} rows)",
            f"{secs(seconds)} ({len(changes) / seconds:,.0f} rows/s)",
            "≤ 30 s",
        )
    )
    return out


FIGURES: tuple[Callable[[Context], list[Row]], ...] = (
    fig_generator,
    fig_memory,
    fig_startup,
    fig_open,
    fig_timeline,
    fig_map,
    fig_search,
    fig_select,
    fig_edit,
    fig_pdf,
    fig_links,
    fig_ingest,
    fig_exchange,
)
#: One placeholder row per figure function, used when a figure fails outright.
FIGURE_NAMES = {
    fig_generator: ("generate the large case (vs plain executemany)", "≤ 2× floor"),
    fig_memory: ("peak memory with the large case open (VmHWM of a fresh process)", "≤ 500 MB"),
    fig_startup: ("start-up to first window, demo case (warm, median)", "≤ 1 s"),
    fig_open: ("open the case to all panels drawn (offscreen)", "≤ 2 s; ≤ 2× floor"),
    fig_timeline: ("timeline frame p95", "≤ 33 ms"),
    fig_map: ("map frame with all places and legs p95", "≤ 50 ms"),
    fig_search: (f"full-text search p95 ({SEARCH_QUERIES} queries, 2 of very common terms)", "≤ 50 ms"),
    fig_select: ("select an actor with ~10,000 related items, all panels updated", "≤ 200 ms"),
    fig_edit: ("one edit reflected in every panel, UI-thread time (worst kind, median)", "≤ 50 ms; 0 loads"),
    fig_pdf: ("PDF export of 1,000 statements and 5,000 events", "≤ 5 s"),
    fig_links: (
        "link chart: neighbourhood of an actor with 1,000 relationships, laid out and drawn",
        "≤ 300 ms",
    ),
    fig_ingest: ("ingest throughput (KB/s; 2 MB in ≤ 20 s)", "≥ 100 KB/s"),
    fig_exchange: ("link table XLSX export, FtM export and import at 50,000 events", "≤ 15 s; ≤ 30 s"),
}


# -- children ------------------------------------------------------------------------------------------------
def peak_rss_kib() -> int:
    """This process's own peak resident size in KiB.

    Not ``ru_maxrss``: Linux carries it across ``execve``, so a child started by a runner that once held a
    large case (or generated one) reports the runner's peak, not its own. ``VmHWM`` belongs to the memory map
    the child got at exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_memory(path: str) -> int:
    """Open the case in a window, draw every panel, print this process's peak resident size in KiB."""
    ctx = Context(False, FRAMES, 1.0, Path(), Path(path), Path(), Path(), Path(), {})
    open_window(ctx, Path(path))
    app().processEvents()
    print(peak_rss_kib())
    ctx.window.set_case(None)
    return 0


def child_startup(path: str) -> int:
    """Start Caseboard as ``caseboard CASE`` does and print the wall-clock time its first window was drawn."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    qapp = QApplication(["caseboard"])

    def shown() -> None:
        for w in qapp.topLevelWidgets():
            if w.isVisible() and w.inherits("QMainWindow"):
                w.grab()
                print(f"{time.time():.6f}", flush=True)
                for top in qapp.topLevelWidgets():
                    top.close()
                qapp.quit()
                return
        QTimer.singleShot(5, shown)

    QTimer.singleShot(0, shown)
    from caseboard.cli import main

    return main([path])


# -- main ----------------------------------------------------------------------------------------------------
def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "caseboard-bench"


def print_table(rows: list[Row]) -> None:
    head = Row("figure", "measured", "target", "floor", "ratio")
    cols = [
        max(len(getattr(r, f)) for r in [head, *rows])
        for f in ("figure", "measured", "target", "floor", "ratio")
    ]

    def line(r: Row) -> str:
        cells = (r.figure, r.measured, r.target, r.floor, r.ratio)
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, cols, strict=True)) + " |"

    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in cols) + "|")
    for r in rows:
        print(line(r))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="everything at 1/100 of the size (under a minute)")
    p.add_argument("--cache", type=Path, default=None, help=f"where generated cases live ({default_cache()})")
    p.add_argument("--regenerate", action="store_true", help="generate the cases again, timing the floor")
    p.add_argument(
        "--only", action="append", default=[], help="run only figures whose function name has this"
    )
    p.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        what, path = args.child
        return {"memory": child_memory, "startup": child_startup}[what](path)

    scale = 0.01 if args.quick else 1.0
    cache = (args.cache or default_cache()) / ("quick" if args.quick else "full")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="caseboard-bench-") as tmp:
        large = cache / "large.case"
        if args.regenerate:
            large.with_suffix(".json").unlink(missing_ok=True)
        t = time.perf_counter()
        generated = ensure_case(large, scaled(FULL, scale), compare=True)
        report_case = cache / "report.case"
        ensure_case(report_case, scaled(REPORT_CASE, scale), compare=False)
        demo = cache / "demo.case"
        if not demo.exists():
            from caseboard.db.demo import write_demo

            write_demo(demo, overwrite=True).close()
        prep = time.perf_counter() - t
        ctx = Context(
            args.quick,
            QUICK_FRAMES if args.quick else FRAMES,
            scale,
            cache,
            large,
            report_case,
            demo,
            Path(tmp),
            generated,
        )
        rows: list[Row] = []
        for fig in FIGURES:
            if args.only and not any(o in fig.__name__ for o in args.only):
                continue
            started = time.perf_counter()
            try:
                rows.extend(fig(ctx))
            except Exception as exc:  # one broken figure must not hide the others
                name, target = FIGURE_NAMES[fig]
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:90]
                rows.append(Row(name, f"error ({reason})", target))
            print(f"[{fig.__name__}: {time.perf_counter() - started:.1f} s]", file=sys.stderr, flush=True)
        if ctx.window is not None:
            ctx.window.set_case(None)
            ctx.window.close()
    n = scaled(FULL, scale)
    print(
        f"Caseboard benchmarks{' (--quick, 1/100 size)' if args.quick else ''}: {n['events']:,} events, "
        f"{n['statements']:,} statements, {n['actors']:,} actors, {n['places']:,} places, "
        f"{n['shipments']:,} shipments; case files in {cache} (prepared in {prep:.1f} s)"
    )
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end"
    )
    print_table(rows)
    if "bare_rank" in ctx.generated:
        print(
            f"note: bare FTS5 ORDER BY rank for two very common terms took {ms(ctx.generated['bare_rank'])}; "
            f"search_table on the same kind of query took {ms(ctx.generated['common_search'])}."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
