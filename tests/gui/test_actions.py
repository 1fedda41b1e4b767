"""Every action a user can reach has a stable object name (tests, screenshots, accessibility tools use it)."""

from __future__ import annotations

from PySide6.QtGui import QAction


def _reachable(window) -> list[QAction]:
    """The window's own actions and everything in its menu bar, submenus included (opened once to fill them)."""
    seen: list[QAction] = []

    def walk(actions) -> None:
        for a in actions:
            seen.append(a)
            if a.menu() is not None:
                a.menu().aboutToShow.emit()
                walk(a.menu().actions())

    walk(window.menuBar().actions())
    walk(window.actions())
    return seen


def test_every_reachable_action_has_an_object_name(window) -> None:
    unnamed = [a.text() or "(separator)" for a in _reachable(window) if not a.objectName()]
    assert unnamed == []


def test_names_are_stable_and_unique_where_it_matters(window) -> None:
    names = [a.objectName() for a in window.actions() if not a.isSeparator()]
    assert len(names) == len(set(names))
    assert window.findChild(QAction, "action_new_case") is window.act_new
    assert window.act_undo.objectName() == "action_undo"
