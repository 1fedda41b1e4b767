"""GUI test fixtures: offscreen Qt, a demo case file per test, and a window whose settings live in tmp_path."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

# Set before anything imports Qt: tests never need (or look for) a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A closed demo case file in the test's own folder."""
    from caseboard.db.demo import write_demo

    path = tmp_path / "demo.case"
    write_demo(path).close()
    return path


@pytest.fixture
def case(demo_file: Path):
    """The demo case, open for writing, for tests of one panel without a window."""
    from caseboard.db.case import open_case

    c = open_case(demo_file)
    yield c
    c.close()


@pytest.fixture
def selection(qapp, case):
    """A selection model on ``case``, as the window would give each panel."""
    from caseboard.gui.selection import SelectionModel

    sel = SelectionModel()
    sel.set_case(case)
    return sel


@pytest.fixture
def isolated_settings(qapp, tmp_path: Path):
    """QSettings that read and write only under tmp_path, under an organisation name of this test's own."""
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path / "settings"
    folder.mkdir(exist_ok=True)
    old = (QCoreApplication.organizationName(), QCoreApplication.applicationName(), QSettings.defaultFormat())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName(f"CaseboardTest-{uuid.uuid4().hex[:8]}")
    QCoreApplication.setApplicationName("Caseboard")
    yield folder
    QCoreApplication.setOrganizationName(old[0])
    QCoreApplication.setApplicationName(old[1])
    QSettings.setDefaultFormat(old[2])


@pytest.fixture
def make(qtbot, isolated_settings):
    """Build shown windows (several per test when needed); each is closed at the end of the test."""
    from caseboard.gui.app import make_window

    def build(path: Path | None = None, readonly: bool = False):
        window = make_window(path, readonly=readonly)
        qtbot.addWidget(window)
        # the offscreen screen is 800 pixels wide and a first start fits the window to it; the panels' tests
        # want a desktop-sized window (the fit itself is tested in test_window.py)
        if not window.settings.contains("window/geometry"):  # a saved geometry is restored as it was
            window.resize(1600, 1000)
            window.apply_default_sizes()
        window.show()
        qtbot.waitExposed(window)
        return window

    yield build
    from caseboard.gui.workers import wait_for_all

    wait_for_all(5000)


@pytest.fixture
def window(make, demo_file: Path):
    """The main window with the demo case open."""
    return make(demo_file)


@pytest.fixture(autouse=True)
def settled_selection(request, monkeypatch):
    """Tests assert what the panels show once a selection is made: each lookup still runs on its worker and
    arrives by the queued signal, but the test waits for it (``SelectionModel.wait``). Tests of the selection's
    own asynchrony (``tests/gui/test_selection.py``) mark themselves ``async_selection`` to skip this."""
    if request.node.get_closest_marker("async_selection"):
        yield
        return
    from caseboard.gui.selection import SelectionModel

    lookup = SelectionModel._lookup

    def settled(self, sel):
        lookup(self, sel)
        self.wait()

    monkeypatch.setattr(SelectionModel, "_lookup", settled)
    yield


@pytest.fixture(autouse=True)
def _collect_qt_garbage(request):
    """Free each test's Qt objects at its own teardown, in a known order, not in a later test's GC pass.

    Python's cyclic GC running at an arbitrary point in a later test can free wrappers of Qt objects whose C++
    side Qt already deleted; collecting here, after pending deleteLater() calls ran, keeps that deterministic.
    """
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        try:
            widget.close()
        except RuntimeError:  # its C++ side is gone already (an export's offscreen panels)
            pass
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
