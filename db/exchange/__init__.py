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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseboard.db.case import Case
    from caseboard.db.related import Related


@dataclass(frozen=True)
class Format:
    """One export format: its command-line name, the module and function writing it, the usual file suffix."""

    name: str
    label: str
    module: str
    function: str
    suffix: str

    def writer(self) -> Callable[[Case, str | os.PathLike[str], Related | None], int]:
        """``writer(case, out, kept)`` writes the file and returns how many entities or rows it holds."""
        return getattr(importlib.import_module(f"caseboard.db.exchange.{self.module}"), self.function)


#: Export formats besides the PDF summary, in menu order.
EXPORTS = (
    Format("ftm", "FollowTheMoney entities (Aleph, OpenSanctions)", "ftm_export", "export_ftm", ".ftm.json"),
)
EXPORT_BY_NAME = {f.name: f for f in EXPORTS}
