"""How rows are named and described to a person, decided once: labels, tooltips, picker choices, date text.

Every panel, form and report used to spell these queries itself (the shipment label seven times, the leg
tooltip twice, the stored-date-to-text helper five times); a change to how a shipment is named now happens here.
No Qt here.
"""

from __future__ import annotations

import sqlite3

from caseboard.db.dates import PartialDate


def shipment_label_sql(alias: str = "") -> str:
    """SQL naming a shipment: its title, or its cargo when it has none. ``alias`` is the table's alias."""
    p = f"{alias}." if alias else ""
    return f"coalesce(nullif({p}title, ''), {p}cargo)"


def date_text(edtf: object, unknown: str = "undated") -> str:
    """A stored EDTF date as a person reads it ("Sept 2023", "about 29 Sept 2023"); ``unknown`` when empty.

    Text that is not a valid stored date is shown as it is, never dropped.
    """
    if not edtf:
        return unknown
    try:
        return PartialDate.from_edtf(str(edtf)).display()
    except ValueError:
        return str(edtf)


def short(text: object, limit: int) -> str:
    """One line of at most ``limit`` characters, cut with an ellipsis."""
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "\u2026"


#: SQL giving one row's name, per table (the id is the only parameter).
NAME_SQL = {
    "actors": "SELECT name FROM actors WHERE id = ?",
    "places": "SELECT name FROM places WHERE id = ?",
    "shipments": f"SELECT {shipment_label_sql()} FROM shipments WHERE id = ?",
    "events": "SELECT title FROM events WHERE id = ?",
    "sources": "SELECT trim(label || ' ' || title) FROM sources WHERE id = ?",
    "statements": "SELECT text FROM statements WHERE id = ?",
    "relationships": (
        "SELECT coalesce(f.name, '?') || ' ' || CASE WHEN r.kind = 'other' THEN r.label ELSE r.kind END "
        "|| ' ' || coalesce(t.name, '?') FROM relationships r LEFT JOIN actors f ON f.id = r.from_actor_id "
        "LEFT JOIN actors t ON t.id = r.to_actor_id WHERE r.id = ?"
    ),
    "legs": (
        "SELECT coalesce(f.name, '?') || ' \u2192 ' || coalesce(t.name, '?') || ' (' || l.mode || ')' "
        "FROM legs l LEFT JOIN places f ON f.id = l.from_place_id "
        "LEFT JOIN places t ON t.id = l.to_place_id WHERE l.id = ?"
    ),
}


def name_of(conn: sqlite3.Connection, table: str, row_id: str) -> str | None:
    """A row's name (a statement's whole text), or None when the row is missing."""
    row = conn.execute(NAME_SQL[table], [row_id]).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def names_of(conn: sqlite3.Connection, table: str, row_ids: list[str]) -> dict[str, str]:
    """The names of many rows of ``table`` in one query (``name_of`` each; missing rows and null names left out).

    A page listing forty related items of each kind would otherwise ask once per item, on every edit it shows.
    """
    if not row_ids:
        return {}
    head, _, key = NAME_SQL[table].rpartition(" WHERE ")
    col = key.removesuffix(" = ?")
    got: dict[str, str] = {}
    for k in range(0, len(row_ids), 500):  # well under SQLite's limit on parameters
        chunk = row_ids[k : k + 500]
        sql = (
            head.replace("SELECT ", f"SELECT {col}, ", 1) + f" WHERE {col} IN ({','.join('?' * len(chunk))})"
        )
        got.update((i, str(n)) for i, n in conn.execute(sql, chunk) if n is not None)
    return got


def _leg(conn: sqlite3.Connection, row_id: str) -> str:
    row = conn.execute(
        "SELECT coalesce(f.name, '?'), coalesce(t.name, '?'), l.mode, l.depart, l.arrive FROM legs l "
        "LEFT JOIN places f ON f.id = l.from_place_id LEFT JOIN places t ON t.id = l.to_place_id "
        "WHERE l.id = ?",
        [row_id],
    ).fetchone()
    if not row:
        return ""
    return (
        f"{row[0]} \u2192 {row[1]} by {row[2]}\n"
        f"departed {date_text(row[3], 'date unknown')}, arrived {date_text(row[4], 'date unknown')}"
    )


def tooltip(conn: sqlite3.Connection, table: str, row_id: str) -> str:
    """The few lines a plot shows when the pointer rests on an item ("" when it is gone)."""
    try:
        if table == "places":
            row = conn.execute(
                "SELECT name, kind, country, precision FROM places WHERE id = ?", [row_id]
            ).fetchone()
            if not row:
                return ""
            where = f", {row[2]}" if row[2] else ""
            exact = "" if row[3] == "exact" else f"\nposition {row[3]}"
            return f"{row[0]} ({row[1]}{where}){exact}"
        if table == "legs":
            return _leg(conn, row_id)
        if table == "events":
            row = conn.execute("SELECT title, date FROM events WHERE id = ?", [row_id]).fetchone()
            return f"{row[0]}\n{date_text(row[1], 'date unknown')}" if row else ""
        if table == "statements":
            row = conn.execute(
                "SELECT coalesce(a.name, 'Unknown speaker'), t.text, t.said, t.kind FROM statements t "
                "LEFT JOIN actors a ON a.id = t.speaker_id WHERE t.id = ?",
                [row_id],
            ).fetchone()
            if not row:
                return ""
            quoted = f"\u201c{short(row[1], 120)}\u201d" if row[3] == "quote" else short(row[1], 120)
            return f"{row[0]}, {date_text(row[2], 'date unknown')}:\n{quoted}"
        if table == "shipments":
            row = conn.execute(
                f"SELECT {shipment_label_sql()}, date FROM shipments WHERE id = ?", [row_id]
            ).fetchone()
            return f"Shipment: {row[0]}\n{date_text(row[1], 'date unknown')}" if row else ""
    except sqlite3.Error:
        return ""
    return ""


# -- pickers -----------------------------------------------------------------------------------------------------
#: Per table: (label SQL, order, searched columns) for the choices a form offers.
_CHOICES = {
    "actors": ("name || ' (' || kind || ')'", "name COLLATE NOCASE, rowid", ("name", "aliases")),
    "places": (
        "name || CASE WHEN country != '' THEN ', ' || country ELSE '' END",
        "name COLLATE NOCASE, rowid",
        ("name", "aliases", "country"),
    ),
    "sources": (
        "CASE WHEN label != '' THEN label || ' ' ELSE '' END || title || ' [' || reliability || ']'",
        "label, title COLLATE NOCASE, rowid",
        ("label", "title"),
    ),
    "shipments": (shipment_label_sql(), "rowid", ("title", "cargo")),
}
#: How many choices a picker lists at once; typing narrows them, so nothing is out of reach.
PICKER_LIMIT = 200


def choices(
    conn: sqlite3.Connection, table: str, text: str = "", limit: int = PICKER_LIMIT
) -> list[tuple[str, str]]:
    """(id, label) of the rows whose searched columns hold every word of ``text``, at most ``limit``."""
    label, order, searched = _CHOICES[table]
    where, params = [], []
    for word in text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in searched) + ")")
        params.extend([pattern] * len(searched))
    sql = f"SELECT id, {label} FROM {table} WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT ?"
    return [(r[0], r[1]) for r in conn.execute(sql, [*params, limit])]


def choice(conn: sqlite3.Connection, table: str, row_id: str) -> tuple[str, str] | None:
    """(id, label) of one row, as ``choices`` lists it; None when it is gone."""
    label = _CHOICES[table][0]
    row = conn.execute(f"SELECT id, {label} FROM {table} WHERE id = ?", [row_id]).fetchone()
    return None if row is None else (row[0], row[1])
