"""Quantities of cargo and shipment legs from movement sentences."""

from __future__ import annotations


def test_quantities(run):
    s = run(
        "North Korea sent more than 1,000 containers of military equipment to Russia. "
        "The navy seized 2,116 AK-47 assault rifles. At least 27 citizens were killed; the aid was $24 billion."
    )
    got = [(sh.quantity, sh.cargo, sh.value, sh.approximate) for sh in s.shipments]
    assert got == [
        ("more than 1,000", "containers of military equipment", 1000.0, True),
        ("2,116", "AK-47 assault rifles", 2116.0, False),
    ]


def test_legs_from_movement_sentences(run):
    s = run(
        "About 300 containers were staged at the port of Najin on Sept. 7 and 8, then carried aboard the "
        "M/V Angara, which docked at Dunay on Sept. 12. From Dunay the containers went by rail to Tikhoretsk, "
        "arriving on Oct. 1."
    )
    (sh,) = s.shipments
    legs = [(lg.origin, lg.destination, lg.mode, lg.carrier, lg.depart, lg.arrive) for lg in sh.legs]
    assert legs == [
        ("Najin", "Dunay", "sea", "Angara", "2023-09-07/2023-09-08", "2023-09-12"),
        ("Dunay", "Tikhoretsk", "rail", None, None, "2023-10-01"),
    ]
