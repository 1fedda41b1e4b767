"""``export_case``: one call from the command line or the window to write a case summary PDF."""

from __future__ import annotations

import getpass
import os
import time
from dataclasses import dataclass
from pathlib import Path

from caseboard.db import report as data
from caseboard.db.case import Case
from caseboard.db.report import Report, Scope
from caseboard.gui.panels import style
from caseboard.gui.report import figures, pdf
from caseboard.gui.report.pdf import Cancelled, ExportCancelled, Progress


@dataclass
class ExportResult:
    """What an export did: where, how many pages, how long, or that it was cancelled."""

    path: Path
    pages: int
    seconds: float
    cancelled: bool = False
    report: Report | None = None


def generator_name() -> str:
    from caseboard.db.appinfo import app_version

    return f"Caseboard {app_version()}"


def report_author(case: Case) -> str:
    """The case's recorded author, else the user running the export."""
    author = case.get_info("author")
    if author:
        return author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "Caseboard user"


def export_case(
    case: Case,
    out_path: str | os.PathLike[str],
    *,
    scope: Scope | None = None,
    paper: str = "a4",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Gather, draw and write the case summary PDF in this (GUI) thread.

    ``progress(done, total, message)`` is called as pages are written; ``cancelled()`` is checked between pages,
    and a cancelled export leaves no file behind (``ExportResult.cancelled`` is then True).
    """
    started = time.perf_counter()
    out = Path(out_path).expanduser().absolute()
    pdf.check_output(out)
    say = progress or (lambda _d, _t, _m: None)
    say(0, 1, "Reading the case")
    report = data.gather(case, scope)
    with style.printing():  # paper is white, whatever the window's theme
        figs = figures.make_figures(figures.gather_figure_data(case, report))
        try:
            return write_report(
                report,
                out,
                figs,
                paper=paper,
                author=report_author(case),
                progress=progress,
                cancelled=cancelled,
                started=started,
            )
        finally:
            figures.release_plots()


def write_report(
    report: data.Report,
    out: Path,
    figs: list,
    *,
    paper: str,
    author: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    started: float | None = None,
) -> ExportResult:
    """Write gathered content and drawn figures to ``out``; a cancelled export leaves no file behind."""
    started = time.perf_counter() if started is None else started
    try:
        pages = pdf.write_pdf(
            report,
            out,
            figs,
            paper=paper,
            author=author,
            generator=generator_name(),
            progress=progress,
            cancelled=cancelled,
        )
    except ExportCancelled:
        return ExportResult(out, 0, time.perf_counter() - started, cancelled=True, report=report)
    return ExportResult(out, pages, time.perf_counter() - started, report=report)
