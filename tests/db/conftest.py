"""Fixtures for the db tests: a shipment with two legs between three places, carried by a vessel."""

from __future__ import annotations

import pytest

from caseboard.db import actors, places, shipments


@pytest.fixture
def shipment_with_legs(empty_case):
    """(shipment id, first leg, second leg, carrier vessel id, (place a, b, c)) in ``empty_case``."""
    return _shipment(empty_case)


def _shipment(case):
    a = places.add_place(case, name="A", lat=1, lon=1).row_id
    b = places.add_place(case, name="B", lat=2, lon=2).row_id
    c = places.add_place(case, name="C", lat=3, lon=3).row_id
    ship = actors.add_actor(case, name="Ship", kind="vessel").row_id
    sh = shipments.add_shipment(
        case, cargo="Rifles", quantity="2,116", unit="rifles", status="confirmed", quantity_qualifier=""
    ).row_id
    l1 = shipments.add_leg(
        case,
        shipment_id=sh,
        from_place_id=a,
        to_place_id=b,
        mode="sea",
        carrier_id=ship,
        depart="2023-09-08",
        arrive="12 Sept 2023",
    ).row_id
    l2 = shipments.add_leg(
        case, shipment_id=sh, from_place_id=b, to_place_id=c, mode="rail", arrive="Oct 2023"
    ).row_id
    return sh, l1, l2, ship, (a, b, c)
