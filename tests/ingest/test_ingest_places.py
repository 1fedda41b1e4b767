"""Places: gazetteer coordinates, countries, context, unknown names."""

from __future__ import annotations

import pytest


def _places(s):
    return {p.name: p for p in s.places}


def test_ports_get_coordinates_and_country(run):
    p = _places(run("The containers were loaded at the port of Najin and unloaded at Dunay."))
    assert p["Najin"].country == "North Korea" and p["Najin"].lat == pytest.approx(42.256, abs=0.01)
    assert p["Dunay"].country == "Russia" and p["Dunay"].lon == pytest.approx(132.335, abs=0.01)


def test_countries_are_places_only_where_used_as_places(run):
    p = _places(
        run("North Korea shipped shells to Russia. The ambassador to Lebanon met officials in Syria.")
    )
    assert set(p) == {"Russia", "Syria"}
    assert p["Russia"].precision == "country" and p["Russia"].lat is not None


def test_context_disambiguates_same_named_places(run):
    lebanon = _places(run("Lebanon said the ship docked in Tripoli after a week at sea."))
    libya = _places(run("Libya said the ship docked in Tripoli after a week at sea."))
    assert lebanon["Tripoli"].country == "Lebanon"
    assert libya["Tripoli"].country == "Libya"


def test_unknown_place_is_suggested_without_coordinates(run):
    p = _places(run("The trucks waited near Zarkovo Junction for two days."))
    assert p["Zarkovo Junction"].lat is None and p["Zarkovo Junction"].precision == "unknown"


def test_seas_and_regions_are_approximate(run):
    p = _places(run("The ship crossed the Sea of Japan and reached the Russian Far East."))
    assert p["Sea of Japan"].precision == "approximate"
    assert p["Russian Far East"].country == "Russia"


def test_people_and_months_are_not_places(run):
    assert run("The letter went to Mr. Kirby in September and to the United Nations.").places == []


def test_coordinated_names_and_compass_cues(run):
    p = _places(
        run("The coal was delivered to Ningbo and Lianyungang. The boat was stopped 40 miles south of Malta.")
    )
    assert {"Ningbo", "Lianyungang", "Malta"} <= set(p)
    assert p["Lianyungang"].country == "China"


def test_base_named_after_a_service(run):
    p = _places(run("The aircraft was flying from RAF Lossiemouth."))
    assert p["Lossiemouth"].country == "United Kingdom"
