"""Actors: fields round-trip, aliases, validation that names the field."""

from __future__ import annotations

import pytest

from caseboard.db import actors
from caseboard.db.errors import ValidationError


def test_actor_round_trip_and_aliases(empty_case) -> None:
    ch = actors.add_actor(
        empty_case,
        name="  M/V Sea Swallow ",
        kind="vessel",
        aliases="Sea Swallow; SEA SWALLOW; Swallow",
        flag="Panama",
        imo="IMO 9074729",
    )
    a = actors.get_actor(empty_case, ch.row_id)
    assert (a.name, a.kind, a.flag, a.imo) == ("M/V Sea Swallow", "vessel", "Panama", "9074729")
    assert a.aliases == ["Sea Swallow", "Swallow"]  # duplicates (any case) dropped
    assert ch.action == "insert" and ch.new["name"] == "M/V Sea Swallow"
    assert actors.find_actor(empty_case, "swallow").id == a.id
    up = actors.update_actor(empty_case, a.id, description="Bulk carrier")
    assert up.changed_fields == ["description"] and up.old["description"] == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "kind": "person"}, "name"),
        ({"name": "X", "kind": "alien"}, "kind"),
        ({"name": "X", "kind": "vessel", "imo": "1234568"}, "imo"),
        ({"name": "X", "kind": "vessel", "imo": "12345"}, "imo"),
    ],
)
def test_actor_validation_names_the_field(empty_case, fields, field) -> None:
    with pytest.raises(ValidationError) as err:
        actors.add_actor(empty_case, **fields)
    assert err.value.field == field
    assert actors.list_actors(empty_case) == []
