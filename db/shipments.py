"""Shipments of cargo and their ordered legs."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud, rows
from caseboard.db.case import Case
from caseboard.db.errors import ValidationError
from caseboard.db.model import Leg, Shipment
from caseboard.db.rows import Change


def add_shipment(case: Case, *, cargo: str, **fields: Any) -> Change:
    return crud.add(case, "shipments", {"cargo": cargo, **fields})


def update_shipment(case: Case, shipment_id: str, **fields: Any) -> Change:
    return crud.update(case, "shipments", shipment_id, fields)


def delete_shipment(case: Case, shipment_id: str, *, cascade: bool = False) -> list[Change]:
    return crud.delete(case, "shipments", shipment_id, cascade=cascade)


def get_shipment(case: Case, shipment_id: str) -> Shipment:
    return crud.get(case, "shipments", shipment_id)


def list_shipments(case: Case, *, limit: int | None = None, offset: int = 0) -> list[Shipment]:
    return crud.select(
        case, "shipments", order="date_start IS NULL, date_start, rowid", limit=limit, offset=offset
    )


def add_leg(case: Case, *, shipment_id: str, **fields: Any) -> Change:
    """Append a leg (or insert it at ``seq``); departure must not come after arrival."""
    if fields.get("seq") is None:
        last = case.conn.execute("SELECT max(seq) FROM legs WHERE shipment_id = ?", [shipment_id]).fetchone()[
            0
        ]
        fields["seq"] = 1 if last is None else last + 1
    clean = {"shipment_id": shipment_id, **fields}
    _check_order(clean)
    return crud.add(case, "legs", clean)


def update_leg(case: Case, leg_id: str, **fields: Any) -> Change:
    if "depart" in fields or "arrive" in fields:
        leg = get_leg(case, leg_id)
        merged = {"depart": leg.depart, "arrive": leg.arrive, **fields}
        _check_order(merged)
    return crud.update(case, "legs", leg_id, fields)


def _check_order(values: dict[str, Any]) -> None:
    from caseboard.db.fields import clean

    dates = clean("legs", {k: values.get(k) for k in ("depart", "arrive")}, partial=True)
    if dates.get("depart_start") is not None and dates.get("arrive_end") is not None:
        if dates["depart_start"] > dates["arrive_end"]:
            raise ValidationError("arrive", "the leg arrives before it departs.")


def delete_leg(case: Case, leg_id: str) -> list[Change]:
    return crud.delete(case, "legs", leg_id, cascade=True)


def get_leg(case: Case, leg_id: str) -> Leg:
    return crud.get(case, "legs", leg_id)


def legs_of(case: Case, shipment_id: str) -> list[Leg]:
    return crud.select(case, "legs", "shipment_id = ?", [shipment_id], order="seq")


def reorder_legs(case: Case, shipment_id: str, leg_ids: list[str]) -> list[Change]:
    """Give the shipment's legs the order of ``leg_ids`` (all of them, each once) as seq 1..n."""
    current = {leg.id for leg in legs_of(case, shipment_id)}
    if set(leg_ids) != current or len(leg_ids) != len(current):
        raise ValidationError("legs", "the new order must list every leg of the shipment exactly once.")
    changes = []
    with case.transaction():
        for seq, leg_id in enumerate(leg_ids, start=1):
            change = rows.update(case, "legs", leg_id, {"seq": seq})
            if change.old != change.new:
                changes.append(change)
    return changes
