"""Actors: people with titles and roles, organizations, states with aliases and metonyms, vessels."""

from __future__ import annotations


def _by_name(s):
    return {a.name: a for a in s.actors}


def test_person_mentions_merge_into_one_actor_with_aliases(run):
    s = run("John F. Kirby, the spokesman, spoke. Mr. Kirby said it was clear. Kirby left.")
    kirby = _by_name(s)["John F. Kirby"]
    assert kirby.kind == "person"
    assert "Mr. Kirby" in kirby.aliases
    assert kirby.role == "spokesman"
    assert len(kirby.spans) == 3


def test_titles_are_not_part_of_the_name(run):
    s = run("Interior Minister Anna Korhonen and President Vladimir V. Putin met Gen. Mark A. Milley.")
    names = {a.name for a in s.actors if a.kind == "person"}
    assert names == {"Anna Korhonen", "Vladimir V. Putin", "Mark A. Milley"}


def test_organizations_and_acronyms(run):
    s = run(
        "The Office of Foreign Assets Control (OFAC) acted with the White House National Security Council "
        "and the United Nations. Later OFAC said more."
    )
    orgs = {a.name: a for a in s.actors if a.kind == "organization"}
    assert "OFAC" in orgs["Office of Foreign Assets Control"].aliases
    assert "White House National Security Council" in orgs
    assert "United Nations" in orgs


def test_state_aliases_and_capital_metonyms(run):
    s = run(
        "The D.P.R.K. shipped shells. Moscow denied it, but North Korea did not. The ship docked in Moscow."
    )
    states = {a.name: a for a in s.actors if a.kind == "state"}
    assert set(states["North Korea"].aliases) == {"D.P.R.K."}
    russia = states["Russia"]
    assert russia.aliases == ["Moscow"] and len(russia.spans) == 1  # "in Moscow" is a place


def test_vessels_in_every_form(run):
    s = run(
        "The M/V Angara, the MV Lady Sparrow, the tanker Eagle Wren and the vessel “Night Heron” sailed. "
        "Later the Angara returned."
    )
    vessels = {a.name: a for a in s.actors if a.kind == "vessel"}
    assert set(vessels) == {"Angara", "Lady Sparrow", "Eagle Wren", "Night Heron"}
    assert "M/V Angara" in vessels["Angara"].aliases
    assert len(vessels["Angara"].spans) == 2


def test_known_actors_are_proposed_for_merge(run):
    s = run("The D.P.R.K. sent the containers.", known_actors=[("North Korea", ["DPRK", "D.P.R.K."])])
    assert s.actors[0].merge_with == "North Korea"


def test_unnamed_people_and_demonyms_are_not_actors(run):
    s = run("Ukrainian officials said a senior official had seen Russian ships.")
    assert s.actors == []


def test_vessel_lists_and_navy_prefixes(run):
    s = run(
        "HMS Kingfisher escorted two cargo ships, the Baltic Crane and the Ursa Minor. Treasury named the "
        "vessels Hua Feng 8, Sunrise Pearl and Kumsong 3."
    )
    vessels = {a.name for a in s.actors if a.kind == "vessel"}
    assert vessels == {"Kingfisher", "Baltic Crane", "Ursa Minor", "Hua Feng 8", "Sunrise Pearl", "Kumsong 3"}


def test_companies_named_after_a_company_noun(run):
    s = run(
        "The flights were run by a company called Sky Falcon Air Cargo. According to grid operator Baltgrid, "
        "repairs will take weeks. Its owner is a company in the Seychelles called Tidewater Holdings."
    )
    orgs = {a.name for a in s.actors if a.kind == "organization"}
    assert orgs == {"Sky Falcon Air Cargo", "Baltgrid", "Tidewater Holdings"}


def test_bylines_and_name_particles(run):
    s = run(
        "Posted by Leo Marchetti\n\nMs. Ingrid de Vries, who leads the case, spoke. Later Ms. de Vries left."
    )
    people = {a.name: a for a in s.actors if a.kind == "person"}
    assert set(people) == {"Leo Marchetti", "Ingrid de Vries"}
    assert "Ms. de Vries" in people["Ingrid de Vries"].aliases


def test_territories_are_not_states_and_place_names_hide_states(run):
    s = run("The manager is based in Hong Kong. The tanker was bound for Port Sudan.")
    assert [a for a in s.actors if a.kind == "state"] == []
