"""Shipments and their legs: round trip and reordering."""

from __future__ import annotations

import pytest

from caseboard.db import shipments
from caseboard.db.errors import ValidationError


def test_shipment_legs_round_trip_and_reorder(empty_case, shipment_with_legs) -> None:
    sh, l1, l2, ship, _ = shipment_with_legs
    s = shipments.get_shipment(empty_case, sh)
    assert s.quantity == 2116 and s.quantity_text == "2,116 rifles" and s.status == "confirmed"
    legs = shipments.legs_of(empty_case, sh)
    assert [leg.id for leg in legs] == [l1, l2] and [leg.seq for leg in legs] == [1, 2]
    assert legs[0].arrive.edtf() == "2023-09-12" and legs[1].arrive.precision == "month"
    shipments.reorder_legs(empty_case, sh, [l2, l1])
    assert [leg.id for leg in shipments.legs_of(empty_case, sh)] == [l2, l1]
    with pytest.raises(ValidationError, match="arrives before it departs"):
        shipments.add_leg(empty_case, shipment_id=sh, depart="2023-10-05", arrive="2023-10-01")
    with pytest.raises(ValidationError, match="status"):
        shipments.add_shipment(empty_case, cargo="X", status="rumoured")
    with pytest.raises(ValidationError, match="origin"):
        shipments.add_leg(empty_case, shipment_id=sh, from_place_id="nope")
