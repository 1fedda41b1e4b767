"""Object names for actions and menus, made from their text once, so tests, screenshots and accessibility tools
find an action by a stable name ("action_new_case") rather than by its translated, ampersanded label."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def slug(text: str) -> str:
    """ "&New Case…" -> "new_case"."""
    return re.sub(r"[^a-z0-9]+", "_", text.replace("&", "").lower()).strip("_")


def named(action: QAction, prefix: str = "action") -> QAction:
    """Give ``action`` the name ``prefix_<slug of its text>`` unless it has one; returns it."""
    if not action.objectName():
        action.setObjectName(f"{prefix}_{slug(action.text())}")
    return action


def name_menu(menu: QMenu, prefix: str = "menu") -> QMenu:
    """Name a menu, its entry in the menu bar, and every action in it that has no name yet (separators too)."""
    key = slug(menu.title()) or "menu"
    if not menu.objectName():
        menu.setObjectName(f"{prefix}_{key}")
    menu.menuAction().setObjectName(f"{prefix}_{key}")
    for i, action in enumerate(menu.actions()):
        if action.isSeparator() and not action.objectName():
            action.setObjectName(f"{prefix}_{key}_separator_{i}")
        elif action.menu() is not None:
            name_menu(action.menu(), prefix)
        else:
            named(action)
    return menu
