"""The selection as a panel header shows it: the item and the time range, each with a way to clear it.

A place and a time range combine (what the panel shows is what both cover), which a bare count such as "0 of 7
statements" does not say; each panel puts one of these beside its count, so the combination is named where its
effect is seen: "Dunay × · 10–14 Sept 2023 ×: 0 of 7 statements".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from caseboard.db.dates import PartialDate, from_day_number
from caseboard.db.health import labels
from caseboard.gui.selection import Selection, SelectionModel


def range_text(lo: int, hi: int) -> str:
    """'10–14 Sept 2023' for a range of day numbers."""
    return PartialDate(from_day_number(lo), from_day_number(hi), "day").display()


class SelectionChips(QWidget):
    """The current item and time range as two buttons; clicking one clears that part of the selection."""

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.item_button = QToolButton(self)
        self.item_button.setToolTip("Clear the selected item (a time range stays)")
        self.item_button.clicked.connect(self._clear_item)
        self.range_button = QToolButton(self)
        self.range_button.setToolTip("Clear the time range (a selected item stays)")
        self.range_button.clicked.connect(lambda: self.selection.clear_range(None))
        self.both = QLabel("\u00b7", self)  # the two parts combine: what the panel shows is what both cover
        for b in (self.item_button, self.range_button):
            b.setAutoRaise(True)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.item_button)
        lay.addWidget(self.both)
        lay.addWidget(self.range_button)
        selection.changed.connect(lambda *_: self.update_text())
        self.update_text()

    def _clear_item(self) -> None:
        sel = self.selection.selection
        self.selection.set(Selection(time_range=sel.time_range), None)

    def item_text(self) -> str:
        sel = self.selection.selection
        case = self.selection.case
        if sel.row_id is None or sel.table is None or case is None:
            return ""
        name = labels(case.conn, sel.table, [sel.row_id]).get(sel.row_id) or sel.row_id
        return name if len(name) <= 40 else name[:39] + "\u2026"

    def text(self) -> str:
        """What the chips say, as one line ("Dunay · 10–14 Sept 2023"), for tests and status lines."""
        sel = self.selection.selection
        parts = [self.item_text()] if sel.row_id else []
        if sel.time_range is not None:
            parts.append(range_text(*sel.time_range))
        return " \u00b7 ".join(p for p in parts if p)

    def update_text(self) -> None:
        sel = self.selection.selection
        item = self.item_text()
        self.item_button.setText(f"{item} \u2715" if item else "")
        self.item_button.setVisible(bool(item))
        rng = range_text(*sel.time_range) if sel.time_range is not None else ""
        self.range_button.setText(f"{rng} \u2715" if rng else "")
        self.range_button.setVisible(bool(rng))
        self.both.setVisible(bool(item) and bool(rng))
        self.setVisible(bool(item) or bool(rng))
