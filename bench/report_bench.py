"""Benchmark the case summary PDF: ``python -m bench.report_bench [--events N] [--statements N] [--repeat N]``.

Generates a case with 1,000 statements and 5,000 events (``caseboard.db.generate.generate_case``), times
``export_case`` on it, then times writing the same body text through a bare ``QTextDocument.print_`` onto a
``QPdfWriter`` (no figures, header, footer or pagination of our own), and prints both and their ratio. Each is
run ``--repeat`` times (after one warm-up export) and the medians are printed, as wall seconds and as CPU seconds
of this process (``time.process_time``), since the machine is often shared and wall time alone then misleads.
Target: the export in at most 5 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_S = 5.0


def make_case(path: Path, events: int, statements: int) -> None:
    """A synthetic case of the asked size."""
    from caseboard.db.generate import generate_case

    generate_case(
        path,
        events=events,
        statements=statements,
        actors=max(50, statements // 10),
        places=max(20, events // 50),
        shipments=max(10, events // 50),
        seed=7,
        overwrite=True,
    )


def _timed(fn, repeat: int) -> tuple[float, float, object]:  # noqa: ANN001
    """Median wall and CPU seconds (``time.process_time``: the machine may be shared) of ``repeat`` calls."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def run(events: int, statements: int, folder: Path, repeat: int = 3) -> dict[str, float]:
    from pypdf import PdfReader
    from PySide6.QtWidgets import QApplication

    from caseboard.db import report as data
    from caseboard.db.case import open_case
    from caseboard.gui.report import markup, pdf
    from caseboard.gui.report.export import export_case

    app = QApplication.instance() or QApplication([])  # noqa: F841 - painting needs an application
    case_path = folder / "bench.case"
    t0 = time.perf_counter()
    make_case(case_path, events, statements)
    gen_s = time.perf_counter() - t0
    with open_case(case_path, readonly=True) as case:
        counts = {
            t: case.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("events", "statements")
        }
        export_case(case, folder / "warmup.pdf")  # fonts, imports and panel set-up are paid once per process
        export_s, export_cpu, result = _timed(lambda: export_case(case, folder / "report.pdf"), repeat)
        t0 = time.perf_counter()
        report = data.gather(case)
        gather_s = time.perf_counter() - t0
    html = markup.body_html(report)
    bare_s, bare_cpu, _ = _timed(lambda: pdf.bare_print(html, folder / "bare.pdf"), repeat)
    bare_pages = len(PdfReader(folder / "bare.pdf").pages)  # print_ paginates a copy, so ask the file
    return {
        "events": counts["events"],
        "statements": counts["statements"],
        "generate_s": gen_s,
        "gather_s": gather_s,
        "export_s": export_s,
        "export_cpu": export_cpu,
        "pages": result.pages,
        "bare_s": bare_s,
        "bare_cpu": bare_cpu,
        "bare_pages": bare_pages,
        "size_mb": (folder / "report.pdf").stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=5_000)
    p.add_argument("--statements", type=int, default=1_000)
    p.add_argument("--repeat", type=int, default=3, help="time this many runs of each and print the medians")
    p.add_argument("--keep", type=Path, help="write the case and PDFs here instead of a temporary folder")
    args = p.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        r = run(args.events, args.statements, args.keep, args.repeat)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            r = run(args.events, args.statements, Path(tmp), args.repeat)
    ratio = r["export_s"] / r["bare_s"] if r["bare_s"] else float("nan")
    cpu_ratio = r["export_cpu"] / r["bare_cpu"] if r["bare_cpu"] else float("nan")
    verdict = "ok" if r["export_s"] <= TARGET_S else "OVER TARGET"
    print(
        f"case: {r['events']:,} events, {r['statements']:,} statements (generated in {r['generate_s']:.1f} s)"
    )
    print(
        f"export_case:                {r['export_s']:6.2f} s wall, {r['export_cpu']:6.2f} s CPU  "
        f"{r['pages']} pages, {r['size_mb']:.1f} MB  (target <= {TARGET_S:.0f} s: {verdict}); "
        f"gathering alone {r['gather_s']:.2f} s"
    )
    print(
        f"bare QTextDocument.print_:  {r['bare_s']:6.2f} s wall, {r['bare_cpu']:6.2f} s CPU  "
        f"{r['bare_pages']} pages (same body text, Qt paginating)"
    )
    print(f"ratio export / bare:        {ratio:6.2f} wall, {cpu_ratio:6.2f} CPU")
    return 0 if r["export_s"] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
