"""The review of a colleague's changes before they are merged: every conflict row by row, nothing written
until each has a choice.

The plan comes from ``db.changes.plan`` (it only reads); this dialog sets each conflict's ``choice`` and the
caller applies the plan as one undo step. Values are shown as plain text: they come from someone else's file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db.changes import Conflict, Plan
from caseboard.db.merge_cases import CaseMerge, Match
from caseboard.gui.panels.style import plain_tooltip

COLUMNS = ("Item", "What happened", "Field", "Before", "Theirs", "Ours", "Keep")
_CHOICES = (("Choose…", None), ("Theirs", "theirs"), ("Ours", "ours"))


def _text(text: str) -> QLabel:
    """Plain text (it quotes someone else's file), wrapped."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _table(parent: QWidget, name: str, rows: int, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(rows, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    return table


def _merge_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel, and Merge (enabled by the dialog once every question is answered)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    merge = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, merge


class MergeDialog(QDialog):
    """Shows what a changes file brings and asks for a choice on each conflict."""

    def __init__(self, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeDialog")
        self.plan = plan
        h = plan.changes.header
        self.setWindowTitle(f"Merge changes from {h.author}")
        self.resize(1100, 520)
        layout = QVBoxLayout(self)

        clean = len(plan.steps)
        summary = _text(
            f"Changes by {h.author}, {h.created.replace('T', ' ')[:16]}: {h.summary()}.\n"
            f"{clean} apply without question"
            + (f", {plan.already} are already here" if plan.already else "")
            + (
                f"; {len(plan.conflicts)} meet your own work and need a choice below. "
                "Nothing is written until every one has a choice."
                if plan.conflicts
                else "; nothing conflicts with your own work."
            )
        )
        layout.addWidget(summary)

        self.table = _table(self, "mergeConflicts", 0, COLUMNS)
        self.table.setWordWrap(True)
        head = self.table.horizontalHeader()
        for i in range(len(COLUMNS)):
            mode = (
                QHeaderView.ResizeMode.Stretch if i in (3, 4, 5) else QHeaderView.ResizeMode.ResizeToContents
            )
            head.setSectionResizeMode(i, mode)
        self.combos: list[QComboBox] = []
        for conflict in plan.conflicts:
            self._add(conflict)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(plan.conflicts))
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.all_theirs = QPushButton("Take &Theirs for All")
        self.all_ours = QPushButton("Keep &Ours for All")
        self.all_theirs.clicked.connect(lambda: self._set_all("theirs"))
        self.all_ours.clicked.connect(lambda: self._set_all("ours"))
        for b in (self.all_theirs, self.all_ours):
            b.setVisible(bool(plan.conflicts))
            row.addWidget(b)
        row.addStretch(1)
        self.remaining = QLabel()
        self.remaining.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        row.addWidget(self.remaining)
        layout.addLayout(row)

        self.buttons, self.apply_button = _merge_buttons(self)
        layout.addWidget(self.buttons)
        self._update()

    def _add(self, conflict: Conflict) -> None:
        cells = conflict.cells()
        first = self.table.rowCount()
        for i, (fname, old, theirs, ours) in enumerate(cells):
            r = self.table.rowCount()
            self.table.insertRow(r)
            texts = (
                (
                    f"{conflict.table[:-1] if conflict.table.endswith('s') else conflict.table} {conflict.label}"
                )
                if i == 0
                else "",
                conflict.describe().split(": ", 1)[-1] if i == 0 else "",
                fname,
                old,
                theirs,
                ours,
            )
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))
                self.table.setItem(r, c, item)
        if len(cells) > 1:
            for c in (0, 1, 6):
                self.table.setSpan(first, c, len(cells), 1)
        combo = QComboBox()
        for text, value in _CHOICES:
            if value == "theirs" and not conflict.can_take_theirs:
                continue
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(conflict.choice)) if conflict.choice else 0)
        combo.currentIndexChanged.connect(lambda _i, c=conflict, box=combo: self._chosen(c, box))
        if not conflict.can_take_theirs:
            combo.setToolTip("Their version cannot be applied here: what it needs is no longer in this case.")
        self.table.setCellWidget(first, 6, combo)
        self.combos.append(combo)

    def _chosen(self, conflict: Conflict, combo: QComboBox) -> None:
        conflict.choice = combo.currentData()
        self._update()

    def _set_all(self, choice: str) -> None:
        for conflict, combo in zip(self.plan.conflicts, self.combos, strict=True):
            i = combo.findData(choice)
            combo.setCurrentIndex(i if i >= 0 else combo.findData("ours"))
            conflict.choice = combo.currentData()
        self._update()

    def _update(self) -> None:
        left = len(self.plan.unresolved)
        self.apply_button.setEnabled(left == 0)
        self.remaining.setText(f"{left} conflicts still need a choice" if left else "")


class CaseMergeDialog(QDialog):
    """Merging another analyst's case file: the proposed matches (IMO, name, alias), each answered "same" or
    "keep apart" before anything is added."""

    def __init__(self, plan: CaseMerge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CaseMergeDialog")
        self.plan = plan
        self.setWindowTitle(f"Merge case file {plan.other_path.name}")
        self.resize(900, 460)
        layout = QVBoxLayout(self)
        added = ", ".join(f"{n} {t}" for t, n in plan.added.items()) or "nothing new"
        same = sum(1 for m in plan.matches if not m.needs_review)
        text = _text(
            f"“{plan.other_title}” adds {added}; {same} of its rows are already here (same id).\n"
            + (
                f"{len(plan.to_review)} of its actors, places and sources look like ones in this case. "
                "Say for each whether it is the same; nothing is added until every one is answered."
                if plan.to_review
                else "None of its actors, places or sources needs a decision."
            )
        )
        layout.addWidget(text)
        self.table = _table(
            self, "caseMatches", len(plan.to_review), ("Kind", "Theirs", "Ours", "Why", "Answer")
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.combos: list[QComboBox] = []
        for r, m in enumerate(plan.to_review):
            for c, value in enumerate((m.table[:-1], _row_name(m.theirs), _row_name(m.ours), _WHY[m.reason])):
                self.table.setItem(r, c, QTableWidgetItem(value))
            combo = QComboBox()
            for label, value in (("Choose…", None), ("Same", True), ("Keep apart", False)):
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(lambda _i, m=m, box=combo: self._answered(m, box))
            self.table.setCellWidget(r, 4, combo)
            self.combos.append(combo)
        self.table.setVisible(bool(plan.to_review))
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.all_same = QPushButton("All the &Same")
        self.all_apart = QPushButton("Keep All &Apart")
        self.all_same.clicked.connect(lambda: self._set_all(True))
        self.all_apart.clicked.connect(lambda: self._set_all(False))
        for b in (self.all_same, self.all_apart):
            b.setVisible(bool(plan.to_review))
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons, self.apply_button = _merge_buttons(self)
        layout.addWidget(self.buttons)
        self._update()

    def _answered(self, match: Match, combo: QComboBox) -> None:
        match.accepted = combo.currentData()
        self._update()

    def _set_all(self, same: bool) -> None:
        for combo in self.combos:
            combo.setCurrentIndex(combo.findData(same))

    def _update(self) -> None:
        self.apply_button.setEnabled(not self.plan.unresolved)


_WHY = {"id": "same row", "IMO": "same IMO number", "name": "same name", "alias": "name is an alias"}


def _row_name(row: dict) -> str:
    return str(row.get("name") or row.get("title") or row.get("id"))
