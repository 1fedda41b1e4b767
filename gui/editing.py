"""What the Edit menu, the inspector and the map do to change a case: forms in, undoable edits out.

Each function opens the right form, then runs the edit through the ``Editor`` as one undo step. Deleting asks
first and lists what goes with the item (``refs.dependents``); the undo of that delete restores all of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from caseboard.db import actors, citations, crud, events, places, refs, shipments, sources, statements
from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.db.rows import Change
from caseboard.db.schema import NOUN
from caseboard.gui.commands import Editor
from caseboard.gui.forms import NEW_PREFIX, EntityForm, EventForm
from caseboard.gui.panels.style import plain_message


def _resolve_new_speaker(case: Case, values: dict[str, Any], done: list[Change]) -> None:
    speaker = values.get("speaker_id")
    if isinstance(speaker, str) and speaker.startswith(NEW_PREFIX):
        ch = actors.add_actor(case, name=speaker[len(NEW_PREFIX) :], kind="person")
        done.append(ch)
        values["speaker_id"] = ch.row_id


Cite = tuple[str, int, str] | None


def made(changes: list[Change], table: str) -> str | None:
    """The id of the ``table`` row an add created (its citations and new speakers come with it)."""
    return next((c.row_id for c in changes if c.table == table and c.action == "insert"), None)


def _cite_new(case: Case, done: list[Change], table: str, cite: Cite) -> None:
    """The citation chosen in the form's Source section, made with the fact it belongs to."""
    fact = next((c for c in done if c.table == table and c.action == "insert"), None)
    if cite is not None and fact is not None:
        source_id, credibility, locator = cite
        done.append(citations.cite(case, table, fact.row_id, source_id, credibility, locator=locator))


def _cite_existing(case: Case, table: str, row_id: str, cite: Cite) -> list[Change]:
    """On edit: a chosen source is added to the fact's citations, or its grade and place updated."""
    if cite is None:
        return []
    source_id, credibility, locator = cite
    for c in citations.citations_of(case, table, row_id):
        if c.source_id == source_id:
            fields = {"credibility": credibility, **({"locator": locator} if locator else {})}
            return [citations.update_citation(case, c.id, **fields)]
    return [citations.cite(case, table, row_id, source_id, credibility, locator=locator)]


def _add(
    case: Case,
    table: str,
    values: dict[str, Any],
    involved: list[tuple[str, str]] = (),
    cite: Cite = None,
) -> list[Change]:
    done: list[Change] = []
    values = {k: v for k, v in values.items() if v not in ("", None) or k in ("aliases",)}
    own_source = values.get("source_id") if table == "statements" else None
    citations.check_source_given(case, table, (cite[0] if cite else None) or own_source)
    if table == "statements":
        _resolve_new_speaker(case, values, done)
        done.append(statements.add_statement(case, **values))
    elif table == "events":
        done.extend(events.add_event(case, actors=list(involved), **values))
    elif table == "legs":
        done.append(shipments.add_leg(case, **values))
    elif table == "sources":
        done.append(sources.add_source(case, **values))
    else:
        done.append(crud.add(case, table, values))
    _cite_new(case, done, table, cite)
    return done


def _update(
    case: Case,
    table: str,
    row_id: str,
    values: dict[str, Any],
    involved: list[tuple[str, str]] | None = None,
    cite: Cite = None,
) -> list[Change]:
    done: list[Change] = []
    if table == "statements":
        _resolve_new_speaker(case, values, done)
    if table == "legs":
        done.append(shipments.update_leg(case, row_id, **values))
    elif table == "sources":
        done.append(sources.update_source(case, row_id, **values))
    else:
        done.append(crud.update(case, table, row_id, values))
    if table == "events" and involved is not None:
        current = [(a.id, role) for a, role in events.actors_of(case, row_id)]
        for actor_id, role in current:
            if (actor_id, role) not in involved:
                done.append(events.uninvolve(case, row_id, actor_id, role))
        for actor_id, role in involved:
            if (actor_id, role) not in current:
                done.append(events.involve(case, row_id, actor_id, role))
    done.extend(_cite_existing(case, table, row_id, cite))
    return done


def _show_error(parent: QWidget | None, exc: Exception) -> None:
    """One dialog, shown as plain text: the message may quote a value from the file."""
    QMessageBox.warning(parent, "Caseboard", plain_message(str(exc)))


def add_entity(
    editor: Editor, table: str, parent: QWidget | None = None, initial: dict[str, Any] | None = None
) -> list[Change] | None:
    """Open an empty form (optionally prefilled) and add what the user enters as one undo step."""
    case = editor.case
    if case is None:
        return None
    form = (
        EventForm(case, initial, parent=parent)
        if table == "events"
        else EntityForm(case, table, initial, parent, title=f"New {NOUN[table]}")
    )
    while form.exec() == QDialog.DialogCode.Accepted:
        values = form.values()
        involved = form.involvement.rows() if isinstance(form, EventForm) else []
        cite = form.citation()
        try:
            return editor.run(f"Add {NOUN[table]}", lambda c: _add(c, table, values, involved, cite))
        except CaseError as exc:
            _show_error(form, exc)
    return None


def edit_entity(
    editor: Editor, table: str, row_id: str, parent: QWidget | None = None
) -> list[Change] | None:
    case = editor.case
    if case is None:
        return None
    row = crud.get(case, table, row_id)
    initial = dict(vars(row))
    if table == "events":
        involved = [(a.id, role) for a, role in events.actors_of(case, row_id)]
        form: EntityForm = EventForm(case, initial, involved, parent)
    else:
        form = EntityForm(case, table, initial, parent)
    while form.exec() == QDialog.DialogCode.Accepted:
        values = form.values()
        inv = form.involvement.rows() if isinstance(form, EventForm) else None
        cite = form.citation()
        try:
            return editor.run(f"Edit {NOUN[table]}", lambda c: _update(c, table, row_id, values, inv, cite))
        except CaseError as exc:
            _show_error(form, exc)
    return None


def delete_entity(
    editor: Editor, table: str, row_id: str, parent: QWidget | None = None, *, confirm: bool = True
) -> list[Change] | None:
    """Delete after asking; when other facts refer to the item, the question lists them and they go too."""
    case = editor.case
    if case is None:
        return None
    deps = refs.dependents(case, table, row_id)
    if confirm:
        text = f"Delete this {NOUN[table]}?"
        if deps:
            text += "\n\nThis also affects:\n" + "\n".join(f"  • {d}" for d in deps)
            text += "\n\nEdit > Undo restores all of it."
        answer = QMessageBox.question(parent, "Delete", text)
        if answer != QMessageBox.StandardButton.Yes:
            return None
    try:
        return editor.run(
            f"Delete {NOUN[table]}", lambda c: refs.delete_with_dependents(c, table, row_id, cascade=True)
        )
    except CaseError as exc:
        _show_error(parent, exc)
        return None


def move_place(editor: Editor, place_id: str, lat: float, lon: float) -> list[Change]:
    """A pin dragged on the map."""
    return editor.run("Move place", lambda c: places.move_place(c, place_id, round(lat, 5), round(lon, 5)))


def new_place_at(
    editor: Editor, lat: float, lon: float, parent: QWidget | None = None
) -> list[Change] | None:
    """A click on the map in 'add place' mode: the form opens with the coordinates filled in."""
    return add_entity(
        editor, "places", parent, {"lat": round(lat, 5), "lon": round(lon, 5), "precision": "exact"}
    )


def statement_from_passage(
    editor: Editor, source_id: str, start: int, end: int, parent: QWidget | None = None
) -> list[Change] | None:
    """Make a statement from a passage selected in a kept source text, keeping its position."""
    case = editor.case
    if case is None:
        return None
    src = sources.get_source(case, source_id)
    text = (src.text or "")[start:end]
    form = EntityForm(
        case,
        "statements",
        {"text": text, "source_id": source_id, "said": src.published},
        parent,
        title="New statement from passage",
    )
    form.widget("text").setReadOnly(True)  # the words are the source's; the position must stay true
    while form.exec() == QDialog.DialogCode.Accepted:
        values = {k: v for k, v in form.values().items() if k not in ("text", "source_id")}
        cite = form.citation()

        def run(c: Case) -> list[Change]:
            done: list[Change] = []
            _resolve_new_speaker(c, values, done)
            done.append(
                statements.statement_from_passage(
                    c, source_id, start, end, **{k: v for k, v in values.items() if v not in ("", None)}
                )
            )
            _cite_new(c, done, "statements", cite)
            return done

        try:
            return editor.run("Add statement from passage", run)
        except CaseError as exc:
            _show_error(form, exc)
    return None


def add_citation(
    editor: Editor, table: str, row_id: str, parent: QWidget | None = None
) -> list[Change] | None:
    case = editor.case
    if case is None:
        return None
    form = EntityForm(case, "citations", None, parent, title=f"Cite a source for this {NOUN[table]}")
    while form.exec() == QDialog.DialogCode.Accepted:
        v = form.values()
        try:
            return editor.run(
                "Add citation",
                lambda c: citations.cite(
                    c, table, row_id, v["source_id"], v["credibility"], locator=v["locator"], notes=v["notes"]
                ),
            )
        except CaseError as exc:
            _show_error(form, exc)
    return None


def attach_original(
    editor: Editor, source_id: str, path: str | Path, parent: QWidget | None = None
) -> list[Change] | None:
    """Keep the file at ``path`` in the case as the source's original (one undo step; the bytes stay stored)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        _show_error(parent, CaseError(f'"{path}" cannot be read: {exc.strerror}.'))
        return None
    try:
        return editor.run("Attach original", lambda c: sources.attach_original(c, source_id, data, path.name))
    except CaseError as exc:
        _show_error(parent, exc)
        return None


def move_leg(editor: Editor, leg_id: str, step: int) -> list[Change]:
    """Move a leg one place earlier (step -1) or later (+1) in its shipment."""
    case = editor.case
    if case is None:
        return []
    leg = shipments.get_leg(case, leg_id)
    order = [x.id for x in shipments.legs_of(case, leg.shipment_id)]
    i = order.index(leg_id)
    j = max(0, min(len(order) - 1, i + step))
    if i == j:
        return []
    order[i], order[j] = order[j], order[i]
    return editor.run("Reorder legs", lambda c: shipments.reorder_legs(c, leg.shipment_id, order))
