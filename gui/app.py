"""Starting the window: the QApplication, its identity (for QSettings), the icon, and the first case.

``caseboard`` (cli/window.py) calls ``run``; tests call ``make_window`` with their own QApplication from pytest-qt.
A case that cannot be opened is reported in a message box and the window falls back to the demo case, so a
double-clicked broken file never leaves the user with nothing at all.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from caseboard.gui.main_window import MainWindow
from caseboard.gui.panels import style

APP_NAME = "Caseboard"
ORG_NAME = "Caseboard"
ORG_DOMAIN = "caseboard.invalid"


def app_icon() -> QIcon:
    """The bundled icon (SVG plus rendered PNGs for platforms without the SVG plugin), or an empty icon."""
    icon = QIcon()
    try:
        folder = files("caseboard.resources") / "icons"
        svg = folder / "caseboard.svg"
        if svg.is_file():
            icon.addFile(str(svg))
        for size in (16, 32, 48, 64, 128, 256):
            png = folder / f"caseboard-{size}.png"
            if png.is_file():
                icon.addFile(str(png))
    except (ModuleNotFoundError, OSError):
        pass
    return icon


def _identify() -> None:
    """Names QSettings uses for where the layout and recent files live."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setOrganizationDomain(ORG_DOMAIN)


def dark_palette() -> QPalette:
    """A dark Fusion palette, for ``CASEBOARD_THEME=dark`` (desktops without a dark Qt theme of their own)."""
    pal = QPalette()
    for role, hexc in (
        (QPalette.ColorRole.Window, "#202427"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#1a1d20"),
        (QPalette.ColorRole.AlternateBase, "#24292d"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#2b3034"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.ToolTipBase, "#2b3034"),
        (QPalette.ColorRole.ToolTipText, "#e8eaed"),
        (QPalette.ColorRole.PlaceholderText, "#8a9197"),
        (QPalette.ColorRole.Highlight, "#3d8bfd"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.Link, "#8ab4f8"),
    ):
        pal.setColor(role, QColor(hexc))
    return pal


def apply_theme(app: QApplication) -> None:
    """Follow the application palette in the plots; ``CASEBOARD_THEME=dark`` or ``light`` overrides it."""
    theme = os.environ.get("CASEBOARD_THEME", "").lower()
    if theme == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    elif theme == "light":
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    style.use_palette(app.palette())


def make_window(
    path: str | Path | None = None,
    readonly: bool = False,
    settings: QSettings | None = None,
    *,
    defer_plots: bool = False,
) -> MainWindow:
    """A window, with ``path`` opened if given; needs a QApplication to exist already."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        style.use_palette(app.palette())
    if not QCoreApplication.organizationName():
        _identify()
    window = MainWindow(settings=settings, defer_plots=defer_plots)
    icon = app_icon()
    if not icon.isNull():
        window.setWindowIcon(icon)
    if path is not None:
        window.open_path(path, readonly=readonly)
    return window


def _fallback(window: MainWindow, failed: Path | None) -> None:
    """After a failed open, show the demo case (unless it was the demo that failed) rather than nothing."""
    try:
        from caseboard.db.appinfo import ensure_demo

        demo = ensure_demo()
    except Exception:  # no writable data folder: an empty window still lets the user open a file
        return
    if failed is None or demo.resolve() != failed.resolve():
        window.open_path(demo)


def run(path: Path | None, readonly: bool = False) -> int:
    """Show the window on ``path`` and run the event loop; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _identify()
    apply_theme(app)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("io.github.caseboard.Caseboard")  # matches packaging/*.desktop
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    window = make_window(defer_plots=True)
    if path is None or not window.open_path(path, readonly=readonly):
        _fallback(window, path)
    window.show()
    QTimer.singleShot(0, window.build_deferred_panels)  # the window paints first, then the plots arrive
    quit_ms = os.environ.get("CASEBOARD_SMOKE_QUIT_MS", "")
    if quit_ms.isdigit():  # packaging smoke tests: prove the window comes up, then leave cleanly
        QTimer.singleShot(int(quit_ms), app.quit)
    return app.exec()
