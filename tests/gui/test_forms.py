"""Edit forms validate as the user types, and the edit actions make one undo step each."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from caseboard.db import actors, events, places, sources, statements
from caseboard.db.demo import demo_id
from caseboard.gui import editing
from caseboard.gui.commands import Editor
from caseboard.gui.forms import EntityForm, EventForm


@pytest.fixture
def editor(qapp, demo_case):
    ed = Editor()
    ed.set_case(demo_case)
    return ed


def ok_enabled(form: EntityForm) -> bool:
    return form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_date_and_coordinates_validate_as_typed(qtbot, demo_case) -> None:
    form = EntityForm(demo_case, "places")
    qtbot.addWidget(form)
    assert "name" in form.errors()  # required, empty
    form.widget("name").setText("Vladivostok")
    form.widget("lat").setText("95")
    assert "between -90 and 90" in form.errors()["lat"] and not ok_enabled(form)
    form.widget("lat").setText("43.1")
    form.widget("lon").setText("131.9")
    assert form.errors() == {} and ok_enabled(form)

    ev = EventForm(demo_case)
    qtbot.addWidget(ev)
    ev.widget("title").setText("Port call")
    ev.widget("date").setText("Sept 31 2023")
    assert "September has 30 days" in ev.errors()["date"]
    ev.widget("date").setText("Sept. 7–8, 2023")
    assert ev.errors() == {}


def test_imo_check_digit_error_names_the_problem(qtbot, demo_case) -> None:
    form = EntityForm(demo_case, "actors")
    qtbot.addWidget(form)
    form.widget("imo").setText("9074728")
    assert "check digit" in form.errors()["imo"]


def _fill_and_accept(monkeypatch, fill) -> None:
    def fake_exec(self):
        fill(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EntityForm, "exec", fake_exec)


def test_add_event_with_actors_is_one_undo_step(editor, demo_case, monkeypatch) -> None:
    def fill(form):
        form.widget("title").setText("Second port call")
        form.widget("date").setText("about 20 Sept 2023")
        form.involvement.add_row(demo_id("angara"), "carrier")

    _fill_and_accept(monkeypatch, fill)
    changes = editing.add_entity(editor, "events")
    ev_id = changes[0].row_id
    ev = events.get_event(demo_case, ev_id)
    assert ev.date.display() == "about 20 Sept 2023"
    assert [(a.name, r) for a, r in events.actors_of(demo_case, ev_id)] == [("M/V Angara", "carrier")]
    assert editor.undo_stack.count() == 1 and editor.undo_stack.undoText() == "Add event"
    editor.undo_stack.undo()
    assert demo_case.conn.execute("SELECT count(*) FROM events WHERE id = ?", [ev_id]).fetchone()[0] == 0


def test_statement_with_new_speaker(editor, demo_case, monkeypatch) -> None:
    def fill(form):
        form.widget("speaker_id").setEditText("Antony Blinken")
        form.widget("text").setPlainText("We are watching closely.")
        form.widget("said").setText("2023-10-14")

    _fill_and_accept(monkeypatch, fill)
    changes = editing.add_entity(editor, "statements")
    st = statements.get_statement(demo_case, editing.made(changes, "statements"))
    assert actors.get_actor(demo_case, st.speaker_id).name == "Antony Blinken"
    editor.undo_stack.undo()
    assert actors.find_actor(demo_case, "Antony Blinken") is None


def test_delete_actor_asks_and_lists_what_goes(editor, demo_case, monkeypatch) -> None:
    asked = {}

    def question(parent, title, text, *a):
        asked["text"] = text
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    editing.delete_entity(editor, "actors", demo_id("milley"))
    assert "2 statements by this speaker" in asked["text"]
    assert actors.find_actor(demo_case, "Mark A. Milley") is None
    editor.undo_stack.undo()
    assert actors.get_actor(demo_case, demo_id("milley")).name == "Mark A. Milley"
    assert (
        demo_case.conn.execute(
            "SELECT count(*) FROM statements WHERE speaker_id = ?", [demo_id("milley")]
        ).fetchone()[0]
        == 2
    )


def test_statement_from_passage_keeps_position(editor, demo_case, monkeypatch) -> None:
    text = "At the briefing, Kirby said: “We are watching this very closely.” He declined to say more."
    src = sources.add_source(demo_case, title="Transcript", text=text).row_id
    start = text.index("We are")
    end = text.index("closely.") + len("closely.")

    def fill(form):
        form.widget("speaker_id").setCurrentIndex(form.widget("speaker_id").findData(demo_id("kirby")))

    _fill_and_accept(monkeypatch, fill)
    changes = editing.statement_from_passage(editor, src, start, end)
    st = statements.get_statement(demo_case, editing.made(changes, "statements"))
    assert st.text == "We are watching this very closely." and (st.source_start, st.source_end) == (
        start,
        end,
    )
    assert st.speaker_id == demo_id("kirby")


def test_move_place_and_reorder_legs(editor, demo_case) -> None:
    editing.move_place(editor, demo_id("dunay"), 42.9, 132.4)
    assert (places.get_place(demo_case, demo_id("dunay")).lat) == 42.9
    editing.move_leg(editor, demo_id("leg_rail"), -1)
    assert editor.undo_stack.undoText() == "Reorder legs"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert places.get_place(demo_case, demo_id("dunay")).lat == 42.879


def test_new_event_cites_the_source_chosen_in_its_form(editor, demo_case, monkeypatch) -> None:
    s2 = demo_id("S2")

    def fill(form):
        assert form.widget("cite_source_id").currentData() is not None  # starts on the source used last
        form.widget("title").setText("Containers photographed at Najin")
        form.widget("date").setText("8 Sept 2023")
        form.widget("cite_source_id").setCurrentIndex(form.widget("cite_source_id").findData(s2))
        form.widget("cite_credibility").setCurrentIndex(form.widget("cite_credibility").findData(2))
        form.widget("cite_locator").setText("released photos")

    _fill_and_accept(monkeypatch, fill)
    changes = editing.add_entity(editor, "events")
    ev_id = editing.made(changes, "events")
    rows = demo_case.conn.execute(
        "SELECT source_id, credibility, locator FROM citations WHERE subject_table = 'events' AND subject_id = ?",
        [ev_id],
    ).fetchall()
    assert rows == [(s2, 2, "released photos")]
    editor.undo_stack.undo()  # one step takes the event and its citation away together
    assert (
        demo_case.conn.execute("SELECT count(*) FROM citations WHERE subject_id = ?", [ev_id]).fetchone()[0]
        == 0
    )


def test_next_new_form_starts_on_the_source_used_last(qtbot, editor, demo_case, monkeypatch) -> None:
    s3 = demo_id("S3")

    def fill(form):
        form.widget("name").setText("Sevastopol")
        form.widget("cite_source_id").setCurrentIndex(form.widget("cite_source_id").findData(s3))
        form.widget("cite_credibility").setCurrentIndex(form.widget("cite_credibility").findData(3))

    _fill_and_accept(monkeypatch, fill)
    editing.add_entity(editor, "places")
    form = EntityForm(demo_case, "actors")
    qtbot.addWidget(form)
    assert form.citation() == (s3, 3, "")


def test_require_source_refuses_an_unsourced_fact_and_writes_nothing(editor, demo_case, monkeypatch) -> None:
    from caseboard.db import settings

    settings.set_require_source(demo_case, True)
    before = {
        t: demo_case.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("events", "citations", "history")
    }
    shown: list[str] = []
    calls = iter([QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])

    def fake_exec(self):
        self.widget("title").setText("Unsourced rumour")
        self.widget("cite_source_id").setCurrentIndex(0)  # — none —
        return next(calls)

    monkeypatch.setattr(EntityForm, "exec", fake_exec)
    monkeypatch.setattr(editing, "_show_error", lambda _parent, exc: shown.append(str(exc)))
    assert editing.add_entity(editor, "events") is None
    assert len(shown) == 1 and "requires a source for every new fact" in shown[0]
    after = {t: demo_case.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before and editor.undo_stack.count() == 0


def test_pickers_search_so_no_row_is_out_of_reach(qtbot, demo_case) -> None:
    from caseboard.db import actors, labels
    from caseboard.gui.forms import RefPicker

    with demo_case.transaction():
        for i in range(labels.PICKER_LIMIT + 50):
            actors.add_actor(demo_case, name=f"Aardvark Holdings {i:03}", kind="organization")
        far = actors.add_actor(demo_case, name="Zulu Maritime", kind="organization").row_id
    picker = RefPicker(demo_case, "actors")
    qtbot.addWidget(picker)
    listed = {picker.itemData(i) for i in range(picker.count())}
    assert far not in listed  # the first screenful is capped...
    qtbot.keyClicks(picker.lineEdit(), "zulu mar")
    qtbot.waitUntil(lambda: picker.findData(far) >= 0, timeout=3000)  # ...and typing finds it
    picker.setCurrentIndex(picker.findData(far))
    assert picker.chosen() == far
    picker.select(None)
    picker.select(far)  # an id chosen before (an edited event's actor) is shown even when not listed
    assert picker.chosen() == far
