"""Row labels, tooltips, picker searches and date text: decided once in db/labels.py."""

from __future__ import annotations

from caseboard.db import actors, labels, shipments
from caseboard.db.demo import demo_id


def test_a_shipment_without_a_title_is_named_by_its_cargo(demo_case) -> None:
    sh = shipments.add_shipment(demo_case, cargo="Artillery shells").row_id
    assert labels.name_of(demo_case.conn, "shipments", sh) == "Artillery shells"
    assert labels.tooltip(demo_case.conn, "shipments", sh).startswith("Shipment: Artillery shells\n")


def test_leg_tooltip_names_both_ends_mode_and_dates(demo_case) -> None:
    text = labels.tooltip(demo_case.conn, "legs", demo_id("leg_sea"))
    first, second = text.splitlines()
    assert "\u2192" in first and " by sea" in first
    assert second.startswith("departed ")


def test_date_text_is_honest_and_keeps_what_it_cannot_read() -> None:
    assert labels.date_text("2023-09") == "Sept 2023"
    assert labels.date_text(None) == "undated"
    assert labels.date_text("", "date unknown") == "date unknown"
    assert labels.date_text("not a date") == "not a date"


def test_choices_search_every_word_and_reach_past_the_first_screenful(empty_case) -> None:
    with empty_case.transaction():
        for i in range(labels.PICKER_LIMIT + 10):
            actors.add_actor(empty_case, name=f"Aardvark {i:03}", kind="organization")
        far = actors.add_actor(
            empty_case, name="Zulu Maritime", kind="organization", aliases=["ZM Lines"]
        ).row_id
    first = labels.choices(empty_case.conn, "actors")
    assert len(first) == labels.PICKER_LIMIT and far not in {i for i, _ in first}
    assert labels.choices(empty_case.conn, "actors", "zulu mar") == [(far, "Zulu Maritime (organization)")]
    assert [i for i, _ in labels.choices(empty_case.conn, "actors", "zm")] == [far]  # aliases are searched
    assert labels.choices(empty_case.conn, "actors", "100%") == []  # the user's % is literal
    assert labels.choice(empty_case.conn, "actors", far) == (far, "Zulu Maritime (organization)")


def test_names_of_many_rows_match_each_rows_name(demo_case) -> None:
    conn = demo_case.conn
    for table in labels.NAME_SQL:
        ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]  # noqa: S608 - fixed names
        got = labels.names_of(conn, table, [*ids, "no-such-id"])
        want = {i: labels.name_of(conn, table, i) for i in ids}
        assert got == {i: n for i, n in want.items() if n is not None}, table
