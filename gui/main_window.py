"""The Caseboard window: panels in docks around one shared selection, menus, status bar, layout memory.

The window owns the open ``Case`` and the one ``SelectionModel``; panels only ever talk to the selection, never to
each other or to the window. Every panel is a dock (movable, closable, restorable from the View menu) so an
analyst can give the timeline or the map the whole screen; the layout and the window geometry are kept in
QSettings between runs and View > Reset Layout puts the default back.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db.case import SUFFIX, Case, create_case, open_case
from caseboard.db.changeset import ChangeSet
from caseboard.db.errors import CaseError
from caseboard.db.info import count_rows
from caseboard.gui import editing
from caseboard.gui.commands import Editor, deliver
from caseboard.gui.edit_menu import EditActions
from caseboard.gui.naming import name_menu, named
from caseboard.gui.panels.health import HealthPanel
from caseboard.gui.panels.inspector import InspectorPanel
from caseboard.gui.panels.navigator import NavigatorPanel
from caseboard.gui.panels.quotes import QuotesPanel
from caseboard.gui.panels.style import plain_tooltip
from caseboard.gui.selection import SelectionModel
from caseboard.gui.workers import Worker, wait_for_all

#: Bump when the set or names of docks change, so an old saved layout is not forced onto new docks.
LAYOUT_VERSION = 3
MAX_RECENT = 8
DEFAULT_SIZE = (1600, 1000)
FILE_FILTER = "Caseboard cases (*.case);;All files (*)"

#: Default column widths at 1600 px: navigator | timeline | map | quotes over inspector.
DEFAULT_WIDTHS = {"navigator": 240, "timeline": 520, "map": 420, "quotes": 420}
#: The right-hand column splits its height between the quotes and the inspector.
DEFAULT_HEIGHTS = {"quotes": 560, "inspector": 380}
DOCK_ORDER = ("navigator", "timeline", "map", "quotes", "inspector", "health", "links")
DOCK_TITLES = {"timeline": "Timeline", "map": "Map sketch", "links": "Link chart"}
#: Plot panels, built just after the window first paints when deferred (pyqtgraph's import is slow).
PLOT_PANELS = ("timeline", "map", "links")


class Panel(Protocol):
    def set_case(self, case: Case | None) -> None: ...
    def refresh(self) -> None: ...


def _plot_panel_class(key: str) -> type:
    """A plot panel's class; imported on demand because pyqtgraph's import is most of the start-up time."""
    if key == "timeline":
        from caseboard.gui.panels.timeline import TimelinePanel

        return TimelinePanel
    if key == "links":
        from caseboard.gui.panels.links import LinkChartPanel

        return LinkChartPanel
    from caseboard.gui.panels.map import MapPanel

    return MapPanel


class PlaceholderPanel(QLabel):
    """Holds a plot panel's place in its dock until the panel is built just after the window first shows."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Loading the {name}…", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)

    def set_case(self, case: Case | None) -> None:
        pass

    def refresh(self) -> None:
        pass


class MainWindow(QMainWindow):
    """One window, one case (or none)."""

    def __init__(
        self, settings: QSettings | None = None, parent: QWidget | None = None, *, defer_plots: bool = False
    ) -> None:
        """``defer_plots`` shows the window first and builds the timeline and map right after (faster start)."""
        super().__init__(parent)
        self._defer_plots = defer_plots
        self.settings = settings if settings is not None else QSettings()
        self.case: Case | None = None
        self.selection = SelectionModel(self)
        self.editor = Editor(self)
        self.undo_stack: QUndoStack = self.editor.undo_stack
        self.editor.changed.connect(self._after_edit)
        self.editor.failed.connect(lambda text: self.show_error("Edit", text))
        self.panels: dict[str, Any] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.counts: dict[str, int] = {}
        self.setObjectName("CaseboardMainWindow")
        self.setWindowTitle("Caseboard")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )

        self._build_panels()
        self._build_actions()
        self.edit_actions = EditActions(self, self.editor, self.selection)
        self._build_menus()
        self._build_status_bar()
        self._counter = Worker(self)
        self._counter.finished.connect(self._show_counts)
        self._shown_once = False
        self.apply_default_layout()
        self._restored = self.restore_layout()
        self._update_title()
        self._update_status()

    # -- construction ---------------------------------------------------------------------------------------
    def _build_panels(self) -> None:
        def plot(key: str) -> Callable[[], QWidget]:
            if self._defer_plots:
                return lambda: PlaceholderPanel(DOCK_TITLES[key].lower(), self)
            return lambda: _plot_panel_class(key)(self.selection, self)

        specs: list[tuple[str, str, Callable[[], QWidget]]] = [
            ("navigator", "Navigator", lambda: NavigatorPanel(self.selection, self)),
            ("timeline", DOCK_TITLES["timeline"], plot("timeline")),
            ("map", DOCK_TITLES["map"], plot("map")),
            ("quotes", "Source quotes", lambda: QuotesPanel(self.selection, self)),
            ("inspector", "Inspector", lambda: InspectorPanel(self.selection, self)),
            ("health", "Case health", lambda: HealthPanel(self.selection, self)),
            ("links", DOCK_TITLES["links"], plot("links")),
        ]
        # The docks fill the window between them; a central widget would only take space from them.
        central = QWidget(self)
        central.setMaximumSize(0, 0)
        central.hide()
        self.setCentralWidget(central)
        for key, title, make in specs:
            panel = make()
            # An explicit minimum overrides the panel's own hint, so five docks still fit a 1366 px laptop.
            panel.setMinimumSize(120, 80)
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")  # saveState/restoreState find docks by object name
            dock.setWidget(panel)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            dock.setMinimumWidth(140)
            self.panels[key] = panel
            self.docks[key] = dock
        self._connect_map()

    def build_deferred_panels(self) -> None:
        """Put the real timeline and map into their docks (after the first paint, when deferred)."""
        if not self._defer_plots:
            return
        self._defer_plots = False
        for key in PLOT_PANELS:
            panel = _plot_panel_class(key)(self.selection, self)
            panel.setMinimumSize(120, 80)
            old = self.panels[key]
            self.docks[key].setWidget(panel)
            old.deleteLater()
            self.panels[key] = panel
            panel.set_case(self.case)
        self._connect_map()
        self._update_map_editable()
        QTimer.singleShot(60, self.zoom_to_fit)

    def _connect_map(self) -> None:
        """Map edits: a double-click (or "Add place" mode) makes a place there; dragging a pin moves it."""
        panel = self.panels.get("map")
        if panel is None or not hasattr(panel, "place_requested"):
            return
        panel.place_requested.connect(self._place_requested)
        panel.pin_moved.connect(self._pin_moved)
        chart = self.panels.get("links")
        if chart is not None and hasattr(chart, "link_requested"):
            chart.link_requested.connect(self._link_requested)

    def _update_map_editable(self) -> None:
        for key in ("map", "links"):
            panel = self.panels.get(key)
            if panel is not None and hasattr(panel, "editable"):
                panel.editable = self.editor.can_edit()[0]

    def _link_requested(self, from_actor_id: str, to_actor_id: str) -> None:
        """A line drawn on the link chart from one actor to another: the relationship form, both ends filled."""
        ok, why = self.editor.can_edit()
        if not ok:
            self.statusBar().showMessage(why, 6000)
            return
        initial = {"from_actor_id": from_actor_id, "to_actor_id": to_actor_id}
        changes = editing.add_entity(self.editor, "relationships", self, initial)
        if changes:
            made = editing.made(changes, "relationships")
            if made:
                self.selection.select_item("relationships", made)

    def _place_requested(self, lat: float, lon: float) -> None:
        ok, why = self.editor.can_edit()
        if not ok:
            self.statusBar().showMessage(why, 6000)
            return
        changes = editing.new_place_at(self.editor, lat, lon, self)
        if changes:
            self.selection.select_item("places", editing.made(changes, "places") or changes[-1].row_id)

    def _pin_moved(self, place_id: str, lat: float, lon: float) -> None:
        ok, why = self.editor.can_edit()
        if not ok:
            self.statusBar().showMessage(why, 6000)
            self.panels["map"].refresh()
            return
        try:
            editing.move_place(self.editor, place_id, lat, lon)
        except CaseError as exc:
            self.show_error("Cannot move the place", str(exc))
            self.panels["map"].refresh()

    def _action(
        self,
        text: str,
        slot: Callable[..., Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        named(action)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        Key = QKeySequence.StandardKey
        self.act_new = self._action("&New Case…", self.choose_new, Key.New, "Create an empty case file")
        self.act_open = self._action("&Open…", self.choose_open, Key.Open, "Open a case file")
        self.act_save_copy = self._action(
            "Save a &Copy…", self.choose_save_copy, Key.SaveAs, "Write a copy of the case to another file"
        )
        self.act_export = self._action(
            "&Export Case Summary…", self.export_summary, Key.Print, "Write a PDF summary a reader can check"
        )
        self.act_import = self._action(
            "&Import Report…", self.choose_import, "Ctrl+I", "Read a report and review its suggested facts"
        )
        self.act_paste_report = self._action(
            "Paste &Report", self.paste_report, "Ctrl+Shift+V", "Review the facts in text on the clipboard"
        )
        self.act_share = self._action(
            "S&hare Changes…",
            self.share_changes,
            None,
            "Write your work since the shared baseline for colleagues",
        )
        self.act_merge = self._action(
            "&Merge Changes…", self.merge_changes, None, "Review and merge a colleague's changes file"
        )
        self.act_merge_case = self._action(
            "Merge Case &File…", self.merge_case_file, None, "Add another analyst's case file to this one"
        )
        self.act_close = self._action("&Close Case", self.close_case, Key.Close, "Close the case file")
        self.act_quit = self._action("&Quit", self.close, Key.Quit, "Quit Caseboard")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        if self.act_quit.shortcut().isEmpty():
            self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setObjectName("action_undo")
        self.act_undo.setShortcut(QKeySequence(Key.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setObjectName("action_redo")
        self.act_redo.setShortcut(QKeySequence(Key.Redo))
        self.act_find = self._action(
            "&Find in Quotes", self.focus_search, Key.Find, "Search the statements (full text)"
        )
        self.act_clear = self._action(
            "Clear &Selection", self.clear_selection, QKeySequence(Qt.Key.Key_Escape), "Select nothing"
        )
        self.act_clear.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        self.act_health = self._action(
            "Show Case &Health", self.show_health, "Ctrl+Alt+H", "Bring the case-health panel to the front"
        )
        self.act_fit = self._action(
            "&Zoom to Fit", self.zoom_to_fit, "Ctrl+0", "Show the whole case on the timeline and the map"
        )
        self.act_reset = self._action(
            "&Reset Layout", self.reset_layout, None, "Put every panel back where it starts"
        )
        self.act_refresh = self._action("Re&load", self.refresh, Key.Refresh, "Read the case file again")
        self.act_fullscreen = self._action(
            "&Full Screen", self._toggle_full_screen, Key.FullScreen, "Use the whole screen"
        )
        self.act_about = self._action("&About Caseboard", self.show_about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_shortcuts = self._action(
            "&Keyboard Shortcuts", self.show_shortcuts, Key.HelpContents, "List the keyboard shortcuts"
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addAction(self.act_new)
        m.addAction(self.act_open)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addMenu(self.recent_menu)
        m.addSeparator()
        from caseboard.gui import exchange

        m.addMenu(exchange.import_menu(self))  # a report, FtM entities, a spreadsheet
        m.addSeparator()
        m.addAction(self.act_save_copy)
        m.addMenu(exchange.export_menu(self))  # the PDF summary and the other tools' formats
        m.addAction(self.act_share)
        m.addAction(self.act_merge)
        m.addAction(self.act_merge_case)
        m.addAction(self.act_close)
        m.addSeparator()
        m.addAction(self.act_quit)

        m = bar.addMenu("&Edit")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        self.edit_actions.fill_menu(m)
        m.addSeparator()
        m.addAction(self.act_paste_report)
        m.addSeparator()
        m.addAction(self.act_find)
        m.addAction(self.act_clear)

        m = bar.addMenu("&View")
        self.panel_actions: dict[str, QAction] = {}
        for i, (key, dock) in enumerate(self.docks.items(), start=1):
            action = dock.toggleViewAction()
            action.setObjectName(f"action_show_{key}")
            action.setShortcut(QKeySequence(f"Alt+{i}"))
            action.setStatusTip(f"Show or hide the {dock.windowTitle().lower()} panel")
            self.panel_actions[key] = action
            m.addAction(action)
        m.addSeparator()
        m.addAction(self.act_health)
        m.addAction(self.act_fit)
        m.addAction(self.act_refresh)
        m.addAction(self.act_fullscreen)
        m.addSeparator()
        m.addAction(self.act_reset)

        m = bar.addMenu("&Help")
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_about)
        self._fill_recent_menu()
        for menu in bar.findChildren(QMenu):
            name_menu(menu)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_title = QLabel(self)
        self.status_title.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status_path = QLabel(self)
        self.status_path.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status_counts = QLabel(self)
        self.status_counts.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status_health = QLabel(self)
        self.status_health.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status_health.setObjectName("status_health")
        self.status_health.setToolTip(
            "Facts citing at least one source; View > Show Case Health (Ctrl+Alt+H) lists the rest"
        )
        self.status_readonly = QLabel(self)
        self.status_readonly.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        for label in (
            self.status_title,
            self.status_path,
            self.status_counts,
            self.status_health,
            self.status_readonly,
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)  # titles and paths come from files: never rich text
        self.status_title.setStyleSheet("font-weight: bold; padding: 0 6px;")
        self.status_path.setStyleSheet("color: #555; padding: 0 6px;")
        self.status_readonly.setStyleSheet(
            "background: #b3261e; color: white; font-weight: bold; padding: 1px 8px; border-radius: 3px;"
        )
        self.status_readonly.hide()
        bar.addWidget(self.status_title)
        bar.addWidget(self.status_path, 1)
        bar.addPermanentWidget(self.status_counts)
        bar.addPermanentWidget(self.status_health)
        bar.addPermanentWidget(self.status_readonly)
        self.panels["health"].score_changed.connect(self.status_health.setText)
        self.panels["health"].shown = False  # a tab behind the inspector until chosen
        self.docks["health"].visibilityChanged.connect(self.panels["health"].set_shown)

    # -- layout ---------------------------------------------------------------------------------------------
    def apply_default_layout(self) -> None:
        """Navigator | timeline | map | quotes above the inspector: the three views side by side."""
        for key in DOCK_ORDER:
            dock = self.docks[key]
            dock.setFloating(False)
            self.removeDockWidget(dock)
        columns = list(DEFAULT_WIDTHS)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.docks[columns[0]])
        for left, right in zip(columns, columns[1:], strict=False):
            self.splitDockWidget(self.docks[left], self.docks[right], Qt.Orientation.Horizontal)
        self.splitDockWidget(self.docks["quotes"], self.docks["inspector"], Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.docks["inspector"], self.docks["health"])
        self.tabifyDockWidget(self.docks["map"], self.docks["links"])
        for key in DOCK_ORDER:
            self.docks[key].show()
        self.docks["inspector"].raise_()
        self.docks["map"].raise_()
        self.apply_default_sizes()

    def apply_default_sizes(self) -> None:
        """Share the window out as DEFAULT_WIDTHS and DEFAULT_HEIGHTS say, among the docks showing."""

        def showing(key: str) -> bool:
            return self.docks[key].isVisible() and not self.docks[key].isFloating()

        for sizes, orientation, total in (
            (DEFAULT_WIDTHS, Qt.Orientation.Horizontal, max(self.width(), 800)),
            (DEFAULT_HEIGHTS, Qt.Orientation.Vertical, max(self.height() - 80, 400)),
        ):
            keys = [k for k in sizes if showing(k)]
            if keys:
                scale = total / sum(sizes.values())
                self.resizeDocks(
                    [self.docks[k] for k in keys], [int(sizes[k] * scale) for k in keys], orientation
                )

    def fit_to_screen(self) -> None:
        """Size the window to the screen's available area (what panels and taskbars leave), centred on it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        # the frame (title bar, borders) comes on top of the size; leave it room
        frame_w = max(0, self.frameGeometry().width() - self.width())
        frame_h = max(0, self.frameGeometry().height() - self.height())
        w = area.width() - frame_w
        h = area.height() - frame_h
        self.resize(w, h)
        self.move(
            area.left() + (area.width() - w - frame_w) // 2, area.top() + (area.height() - h - frame_h) // 2
        )

    def clamp_to_screen(self) -> None:
        """Bring a restored window back onto the screen it is on, no larger than its available area."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        g = self.frameGeometry()
        if area.contains(g):
            return
        w, h = min(g.width(), area.width()), min(g.height(), area.height())
        x = min(max(g.left(), area.left()), area.right() - w + 1)
        y = min(max(g.top(), area.top()), area.bottom() - h + 1)
        frame_w, frame_h = g.width() - self.width(), g.height() - self.height()
        self.resize(max(200, w - frame_w), max(200, h - frame_h))
        self.move(x, y)

    def reset_layout(self) -> None:
        if not self.isMaximized() and not self.isFullScreen():
            self.fit_to_screen()
        self.apply_default_layout()
        # The dock sizes only settle once the window has its new size; share them out again then.
        QTimer.singleShot(0, self.apply_default_sizes)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def restore_layout(self) -> bool:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            self.clamp_to_screen()  # saved on a larger screen, or on one no longer attached
        else:
            self.fit_to_screen()
            self.apply_default_layout()
        if isinstance(state, QByteArray) and not state.isEmpty():
            return self.restoreState(state, LAYOUT_VERSION)
        return False

    # -- case lifecycle -------------------------------------------------------------------------------------
    def open_path(self, path: str | Path, readonly: bool = False) -> bool:
        """Open a case file; a file that is not a usable case gives a message, never a crash."""
        path = Path(path).expanduser()
        try:
            case = open_case(path, readonly=readonly)
        except CaseError as exc:
            self.show_error("Cannot open the case", str(exc))
            return False
        except OSError as exc:
            self.show_error("Cannot open the case", f'"{path}" cannot be opened: {exc.strerror or exc}.')
            return False
        self.set_case(case)
        self._remember_recent(case.path)
        if self.isVisible():
            QTimer.singleShot(60, self.zoom_to_fit)
        return True

    def new_case(self, path: str | Path, title: str) -> bool:
        """Create an empty case file and open it."""
        try:
            case = create_case(Path(path), title=title)
        except CaseError as exc:
            self.show_error("Cannot create the case", str(exc))
            return False
        except OSError as exc:
            self.show_error("Cannot create the case", f'"{path}" cannot be created: {exc.strerror or exc}.')
            return False
        self.set_case(case)
        self._remember_recent(case.path)
        return True

    def set_case(self, case: Case | None) -> None:
        """Show ``case`` in every panel (None: an empty window) and close the one shown before."""
        old = self.case
        self._counter.cancel()
        self.editor.set_case(case)  # undo steps of one case make no sense in another
        self.case = case
        self.selection.set_case(case)
        for panel in self.panels.values():
            panel.set_case(case)
        if old is not None and old is not case:
            wait_for_all(3000)  # readers of the old file finish before it closes
            old.close()
        self.counts = {}
        self.edit_actions.update_enabled()
        self._update_map_editable()
        self._update_title()
        self._update_status()
        if case is not None:
            self._counter.submit(case, count_rows)

    def close_case(self) -> None:
        self.set_case(None)

    def save_copy(self, target: str | Path) -> bool:
        if self.case is None:
            return False
        try:
            written = self.case.backup_to(target)
        except (OSError, CaseError) as exc:
            self.show_error("Cannot save a copy", f'"{target}" could not be written: {exc}.')
            return False
        except Exception as exc:  # sqlite3.Error from the backup API
            self.show_error("Cannot save a copy", f'"{target}" could not be written: {exc}.')
            return False
        self.statusBar().showMessage(f"Saved a copy to {written}", 5000)
        return True

    def share_changes(self) -> None:
        from caseboard.gui import sharing

        sharing.share_changes(self)

    def merge_changes(self) -> None:
        from caseboard.gui import sharing

        sharing.merge_changes(self)

    def merge_case_file(self) -> None:
        from caseboard.gui import sharing

        sharing.merge_case_file(self)

    def export_summary(self) -> None:
        """File > Export Case Summary: options, then a PDF written off the UI thread with progress."""
        if self.case is None:
            return
        from caseboard.gui.report.dialog import ExportDialog

        self._export_dialog = ExportDialog(self.case, self.selection, self)
        self._export_dialog.finished_export.connect(
            lambda r: self.statusBar().showMessage(f"Wrote {r.path} ({r.pages} pages)", 8000)
        )
        self._export_dialog.open()

    def _after_edit(self, changes: ChangeSet) -> None:
        """An edit (or its undo or redo) was written: each panel updates what it draws of it, and only that.

        The selection first (a deleted item leaves it), then every panel that declares ``draws`` and
        ``apply_changes`` (``gui.commands.deliver``); the status bar's counts move by the rows added or removed.
        """
        self.selection.apply_changes(changes)
        for panel in self.panels.values():
            deliver(panel, changes)
        if changes.structural() and self.counts:
            self.counts = {t: n + changes.count_delta(t) for t, n in self.counts.items()}
            self._update_status()
        self.edit_actions.update_enabled()

    def refresh(self) -> None:
        """Re-read everything from the file (after an edit or when another program changed it)."""
        if self.case is None:
            return
        self.selection.refresh()
        for panel in self.panels.values():
            panel.refresh()
        self._counter.submit(self.case, count_rows)

    # -- dialogs --------------------------------------------------------------------------------------------
    def _start_dir(self) -> str:
        if self.case is not None:
            return str(self.case.path.parent)
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def choose_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a case", self._start_dir(), FILE_FILTER)
        if path:
            self.open_path(path)

    def choose_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New case file", self._start_dir(), FILE_FILTER)
        if not path:
            return
        if not path.endswith(SUFFIX):
            path += SUFFIX
        title, ok = QInputDialog.getText(self, "New case", "Title of the case:", text=Path(path).stem)
        if ok and title.strip():
            self.new_case(path, title.strip())

    def choose_save_copy(self) -> None:
        if self.case is None:
            return
        default = str(self.case.path.with_name(self.case.path.stem + " copy" + SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy of the case", default, FILE_FILTER)
        if path:
            if not path.endswith(SUFFIX):
                path += SUFFIX
            self.save_copy(path)

    def choose_import(self) -> None:
        """File > Import Report…: pick a report, then the source dialog and the review."""
        if self.case is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a report",
            self._start_dir(),
            "Reports (*.txt *.md *.markdown *.html *.htm *.pdf);;All files (*)",
        )
        if path:
            self.import_report(path)

    def import_report(self, path: str | Path | None = None, text: str | None = None) -> Any:
        """Start importing a report file (or pasted ``text``) into the open case; returns the source dialog."""
        from caseboard.gui.import_report import start_import

        return start_import(self, path, text)

    def paste_report(self) -> None:
        """Edit > Paste Report: the clipboard's text is the report (a copied web page or e-mail)."""
        from PySide6.QtWidgets import QApplication

        text = QApplication.clipboard().text()
        if not text.strip():
            self.statusBar().showMessage("The clipboard holds no text to import.", 5000)
            return
        self.import_report(text=text)

    def show_error(self, title: str, text: str) -> None:
        """A plain-text message box: messages quote file names, which must not be read as markup."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def show_about(self) -> None:
        from caseboard.db.appinfo import app_version

        box = QMessageBox(self)
        box.setWindowTitle("About Caseboard")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>Caseboard {html.escape(app_version())}</h3>"
            "<p>Case files for investigators: a linked timeline, map sketch and source quotes, "
            "each case in one SQLite file.</p>"
            "<p>Basemap: Natural Earth (public domain).</p>"
        )
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.exec()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, keys) for every action with a shortcut, read from the actions so the list cannot drift."""
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        actions = [*self.actions(), self.act_undo, self.act_redo, *self.panel_actions.values()]
        for action in actions:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            name = action.text().replace("&", "").rstrip("…")
            if keys and name not in seen:
                seen.add(name)
                rows.append((name, keys))
        rows.append(("Select a range on the timeline", "Drag"))
        rows.append(("Zoom the timeline or map", "Mouse wheel"))
        return rows

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard Shortcuts")
        table = QTableWidget(0, 2, dialog)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for name, keys in self.shortcut_rows():
            row = table.rowCount()
            table.insertRow(row)
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(440, 480)
        dialog.exec()

    # -- view actions ---------------------------------------------------------------------------------------
    def show_health(self) -> None:
        """The case-health panel in front (it shares a tab group with the inspector by default)."""
        dock = self.docks["health"]
        dock.show()
        dock.raise_()

    def zoom_to_fit(self) -> None:
        for key in PLOT_PANELS:
            fit = getattr(self.panels.get(key), "zoom_to_fit", None)
            if callable(fit):
                fit()

    def clear_selection(self) -> None:
        self.selection.clear(self)

    def focus_search(self) -> None:
        quotes = self.panels["quotes"]
        self.docks["quotes"].show()
        self.docks["quotes"].raise_()
        quotes.search_edit.setFocus()
        quotes.search_edit.selectAll()

    def _toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # -- recent files ---------------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent/files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path) -> None:
        text = str(Path(path).absolute())
        files = [text, *(f for f in self.recent_files() if f != text)][:MAX_RECENT]
        self.settings.setValue("recent/files", files)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, f in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(f).name}")
            action.setObjectName(f"action_recent_{i}")
            action.setToolTip(plain_tooltip(f))
            action.setStatusTip(f)
            action.triggered.connect(lambda _checked=False, f=f: self.open_path(f))
        if files:
            self.recent_menu.addSeparator().setObjectName("menu_recent_separator")
            named(self.recent_menu.addAction("Clear the List", lambda: self.settings.remove("recent/files")))
        else:
            empty = named(self.recent_menu.addAction("No recent cases"))
            empty.setEnabled(False)

    # -- status ---------------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        if self.case is None:
            self.setWindowTitle("Caseboard")
            return
        mark = " [read-only]" if self.case.readonly else ""
        self.setWindowTitle(f"{self.case.title}{mark} — Caseboard")
        self.setWindowFilePath(str(self.case.path))

    def _update_status(self) -> None:
        case = self.case
        has_case = case is not None
        for action in (
            self.act_save_copy,
            self.act_export,
            self.act_close,
            self.act_fit,
            self.act_refresh,
            self.act_find,
        ):
            action.setEnabled(has_case)
        for action in (
            self.act_share,
            self.act_merge,
            self.act_merge_case,
            self.act_import,
            self.act_paste_report,
        ):
            action.setEnabled(has_case and not case.readonly)
        for action in (self.act_import, self.act_paste_report):  # importing writes into the case
            action.setToolTip(
                plain_tooltip(f"Read-only: {case.readonly_reason}") if has_case and case.readonly else ""
            )
        if case is None:
            self.status_title.setText("No case open")
            self.status_path.setText("File > Open or drop a .case file here")
            self.status_counts.clear()
            self.status_readonly.hide()
            return
        self.status_title.setText(case.title)
        self.status_path.setText(str(case.path))
        self.status_path.setToolTip(plain_tooltip(case.path))
        if self.counts:
            shown = ("actors", "places", "shipments", "events", "statements", "sources")
            self.status_counts.setText(" · ".join(f"{self.counts.get(t, 0):,} {t}" for t in shown))
        else:
            self.status_counts.setText("counting…")
        if case.readonly:
            self.status_readonly.setText(f"Read-only: {case.readonly_reason.rstrip('.')}")
            self.status_readonly.setToolTip(plain_tooltip(case.readonly_reason))
            self.status_readonly.show()
        else:
            self.status_readonly.hide()

    def _show_counts(self, counts: object) -> None:
        assert isinstance(counts, dict)
        self.counts = counts
        self._update_status()

    # -- events ---------------------------------------------------------------------------------------------
    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if isinstance(url, QUrl) and url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        from caseboard.gui.import_report import REPORT_SUFFIXES

        # Act after the drop returns: a message box inside a drop handler blocks the source application.
        if path.suffix.lower() in REPORT_SUFFIXES:
            QTimer.singleShot(0, lambda: self.import_report(path))
        else:
            QTimer.singleShot(0, lambda: self.open_path(path))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_layout()
        with contextlib.suppress(Exception):
            self.set_case(None)  # panels let go of the case, readers finish, then the file is closed
        event.accept()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._restored:
                # Dock sizes only take once the window has its real size.
                QTimer.singleShot(0, self.apply_default_sizes)
            # The plots fitted the case to whatever size they had before showing; fit again at the real size.
            QTimer.singleShot(60, self.zoom_to_fit)
