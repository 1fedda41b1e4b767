"""A case in and out of the tools investigators already use (no Qt here).

One module per format: FollowTheMoney entities (``ftm_export``, ``ftm_import``), link tables for i2 and Maltego
(``links_table``), maps (``kml``, ``geojson``), timelines (``timelinejs``, ``timesketch``) and spreadsheets in
(``spreadsheet_import``). Every exporter takes the case and ``kept`` (a ``db.related.Related`` naming the rows to
include, or None for the whole case) and writes its file through ``db.atomic_write``. docs/exchange.md gives each
format's field mapping.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseboard.db.case import Case
    from caseboard.db.related import Related


@dataclass(frozen=True)
class Format:
    """One export format: its command-line name, the module and function writing it, the suffixes it writes."""

    name: str
    label: str
    module: str
    function: str
    suffixes: tuple[str, ...]

    @property
    def suffix(self) -> str:
        """The suffix a new file gets."""
        return self.suffixes[0]

    def writer(self) -> Callable[[Case, str | os.PathLike[str], Related | None], int]:
        """``writer(case, out, kept)`` writes the file and returns how many entities, features or rows it holds."""
        return getattr(importlib.import_module(f"caseboard.db.exchange.{self.module}"), self.function)

    def accepts(self, out: str | os.PathLike[str]) -> bool:
        return str(out).lower().endswith(self.suffixes)

    def outputs(self, out: str | os.PathLike[str]) -> list[Path]:
        """The files an export to ``out`` writes (a CSV link table is two files beside ``out``)."""
        out = Path(out)
        if self.name == "links-csv":
            from caseboard.db.exchange.tables import csv_paths

            return csv_paths(out, [("Entities", (), ()), ("Links", (), ())])
        return [out]


#: Export formats besides the PDF summary, in menu order.
EXPORTS = (
    Format(
        "ftm", "FollowTheMoney entities", "ftm_export", "export_ftm", (".ftm.json", ".json", ".jsonl", ".ftm")
    ),
    Format("links-csv", "Link table for i2 / Maltego (CSV)", "links_table", "export_links", (".csv",)),
    Format("links-xlsx", "Link table for i2 / Maltego (XLSX)", "links_table", "export_links", (".xlsx",)),
    Format("kml", "KML for Google Earth", "kml", "export_kml", (".kml",)),
    Format("geojson", "GeoJSON map layer", "geojson", "export_geojson", (".geojson", ".json")),
    Format("timelinejs", "TimelineJS sheet", "timelinejs", "export_timelinejs", (".csv", ".xlsx")),
    Format("timesketch", "Timesketch JSON lines", "timesketch", "export_timesketch", (".jsonl", ".json")),
)
EXPORT_BY_NAME = {f.name: f for f in EXPORTS}
