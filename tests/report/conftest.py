"""Report tests paint with Qt: offscreen, set before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def settled_selection(monkeypatch):
    """As in tests/gui: a selection's related items are looked up on a worker; the test waits for them."""
    from caseboard.gui.selection import SelectionModel

    lookup = SelectionModel._lookup

    def settled(self, sel):
        lookup(self, sel)
        self.wait()

    monkeypatch.setattr(SelectionModel, "_lookup", settled)
