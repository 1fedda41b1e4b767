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
from caseboard.gui.panels.style import plain_tooltip

COLUMNS = ("Item", "What happened", "Field", "Before", "Theirs", "Ours", "Keep")
_CHOICES = (("Choose…", None), ("Theirs", "theirs"), ("Ours", "ours"))


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
        summary = QLabel(
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
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        layout.addWidget(summary)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("mergeConflicts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
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

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
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
