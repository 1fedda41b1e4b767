"""Editing from the window: Edit menu actions, undo names in the menu, read-only disables with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from caseboard.db import actors, places, sources, statements
from caseboard.db.demo import demo_id
from caseboard.gui.edit_menu import PassageDialog
from caseboard.gui.forms import EntityForm


def _accept_with(monkeypatch, fill) -> None:
    def fake_exec(self):
        fill(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EntityForm, "exec", fake_exec)


def test_new_place_from_edit_menu_then_undo(window, monkeypatch) -> None:
    def fill(form):
        form.widget("name").setText("Vladivostok")
        form.widget("lat").setText("43.1")
        form.widget("lon").setText("131.9")

    _accept_with(monkeypatch, fill)
    window.edit_actions.new_actions["places"].trigger()
    place = places.find_place(window.case, "Vladivostok")
    assert place is not None and window.selection.selection.row_id == place.id
    assert "Add place" in window.act_undo.text()
    window.act_undo.trigger()
    assert places.find_place(window.case, "Vladivostok") is None
    window.act_redo.trigger()
    assert places.find_place(window.case, "Vladivostok").id == place.id


def test_edit_selected_and_history_in_inspector(window, monkeypatch, qtbot) -> None:
    window.selection.select_item("actors", demo_id("angara"))

    def fill(form):
        form.widget("imo").setText("9074729")

    _accept_with(monkeypatch, fill)
    window.edit_actions.act_edit.trigger()
    assert actors.get_actor(window.case, demo_id("angara")).imo == "9074729"
    text = window.panels["inspector"].text()
    assert "History" in text and "9074729" in text and "Edit actor" in text


def test_delete_selected_asks_and_undo_restores(window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.selection.select_item("actors", demo_id("milley"))
    window.edit_actions.act_delete.trigger()
    assert actors.find_actor(window.case, "Mark A. Milley") is None
    assert window.selection.selection.empty
    window.act_undo.trigger()
    assert actors.find_actor(window.case, "Mark A. Milley").id == demo_id("milley")
    assert len([s for s in statements.list_statements(window.case) if s.speaker_id == demo_id("milley")]) == 2


def test_statement_from_passage_via_dialog(window, monkeypatch) -> None:
    text = "Officials said: “The ship left at night.” No more was said."
    src = sources.add_source(window.case, title="Wire copy", text=text).row_id
    window.selection.select_item("sources", src)
    start, end = text.index("The ship"), text.index("night.") + len("night.")

    def fake_passage_exec(self):
        self.select(start, end)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PassageDialog, "exec", fake_passage_exec)
    _accept_with(monkeypatch, lambda form: form.widget("speaker_id").setEditText("Port official"))
    window.edit_actions.act_passage.trigger()
    st = statements.get_statement(window.case, window.selection.selection.row_id)
    assert st.text == "The ship left at night." and (st.source_start, st.source_end) == (start, end)


def test_passage_offsets_survive_astral_characters(qtbot) -> None:
    text = "Emoji 🚢 first. Then “the quote here.” End."
    dlg = PassageDialog(text, "t")
    qtbot.addWidget(dlg)
    s, e = text.index("the quote"), text.index("here.") + 5
    dlg.select(s, e)
    assert dlg.span() == (s, e)


def test_read_only_case_disables_edits_with_reason(make, demo_file) -> None:
    win = make(demo_file, readonly=True)
    win.selection.select_item("actors", demo_id("milley"))
    for action in win.edit_actions.all_actions():
        assert not action.isEnabled()
    assert "Read-only" in win.edit_actions.act_edit.toolTip()
    assert "read-only" in win.edit_actions.new_actions["actors"].toolTip().lower()


def test_second_window_on_same_file_is_read_only(make, demo_file) -> None:
    first = make(demo_file)
    second = make(demo_file)
    assert not first.case.readonly
    assert second.case.readonly and "another Caseboard window" in second.case.readonly_reason
    assert second.status_readonly.isVisibleTo(second) or not second.status_readonly.isHidden()
    assert not second.edit_actions.new_actions["places"].isEnabled()
    # The first window still edits; the second sees the edit on reload.
    places.add_place(first.case, name="Vladivostok", lat=43.1, lon=131.9)
    second.refresh()
    assert places.find_place(second.case, "Vladivostok") is not None


def test_hostile_text_in_history_is_escaped(window) -> None:
    actors.update_actor(window.case, demo_id("iran"), description="<img src=x onerror=alert(1)><b>bold</b>")
    window.selection.select_item("actors", demo_id("iran"))
    text = window.panels["inspector"].text()
    assert "<img src=x onerror=alert(1)>" in text and "<b>bold</b>" in text


def test_map_double_click_places_and_pin_drag_moves(window, monkeypatch) -> None:
    mp = window.panels["map"]
    assert mp.editable

    def fill(form):
        form.widget("name").setText("Vladivostok")

    _accept_with(monkeypatch, fill)
    mp.place_requested.emit(43.1, 131.9)
    vlad = places.find_place(window.case, "Vladivostok")
    assert (vlad.lat, vlad.lon) == (43.1, 131.9)
    mp.pin_moved.emit(demo_id("dunay"), 42.9, 132.4)
    assert places.get_place(window.case, demo_id("dunay")).lat == 42.9
    assert window.act_undo.text().endswith("Move place")
    window.act_undo.trigger()
    assert places.get_place(window.case, demo_id("dunay")).lat == 42.879


def test_read_only_map_is_not_editable(make, demo_file) -> None:
    win = make(demo_file, readonly=True)
    assert not win.panels["map"].editable


def test_read_only_case_disables_import_and_paste_report(make, demo_file) -> None:
    window = make(demo_file, readonly=True)
    assert not window.act_import.isEnabled() and not window.act_paste_report.isEnabled()
    assert "Read-only" in window.act_import.toolTip()
    window.set_case(None)
    assert window.open_path(demo_file) and not window.case.readonly
    assert window.act_import.isEnabled() and window.act_paste_report.isEnabled()
