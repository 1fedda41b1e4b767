"""Rules added after the held-out texts' first run: each on a small text of its own, with non-quote cases."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "bench" / "extraction_heldout"


def quotes_of(s) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in s.quotes]


def names(s, kind: str) -> set[str]:
    return {a.name for a in s.actors if a.kind == kind}


def test_partial_quote_after_was_is_speech(run):
    # "was" ends in "as", which once read as the naming cue "known as"
    text = "The Hellenic Coast Guard told us it was “aware of the reports” and had informed the Commission."
    assert quotes_of(run(text)) == [("Hellenic Coast Guard", "aware of the reports")]


def test_named_as_is_still_a_name_not_a_quote(run):
    text = "Officials described the consignment, known as “Blue Lantern”, as routine."
    assert run(text).quotes == []


def test_role_only_speaker_named_later(run):
    text = (
        "“I do not open those containers. I am told not to,” the director said on Wednesday.\n\n"
        "The director, Babiker Osman, has run the terminal since 2021."
    )
    assert quotes_of(run(text)) == [("Babiker Osman", "I do not open those containers. I am told not to")]


def test_role_in_words_beats_the_rank(run):
    text = (
        "The army's spokesman, Brig. Nabil Abdallah, denied it. “Everything that comes through the port is "
        "commercial,” the spokesman said."
    )
    assert quotes_of(run(text)) == [
        ("Nabil Abdallah", "Everything that comes through the port is commercial")
    ]


def test_title_keeps_its_role_when_the_apposition_names_another(run):
    text = (
        "Gen. Mark A. Milley, who stepped down as chairman of the Joint Chiefs, spoke on Monday. "
        "“I doubt that it would be decisive,” the general said."
    )
    assert quotes_of(run(text)) == [("Mark A. Milley", "I doubt that it would be decisive")]


def test_possessive_descriptor_with_name_in_apposition(run):
    text = "“We import irrigation equipment and nothing else,” its director, Karim Haddad, told the Associated Press."
    s = run(text)
    assert quotes_of(s) == [("Karim Haddad", "We import irrigation equipment and nothing else")]
    assert "Associated Press" in names(s, "organization")


def test_lowercase_role_before_the_name(run):
    text = "“The certificates were forged,” chief prosecutor Ioana Marinescu told reporters. “We have the printer.”"
    assert quotes_of(run(text)) == [
        ("Ioana Marinescu", "The certificates were forged"),
        ("Ioana Marinescu", "We have the printer."),
    ]


def test_according_to_an_organization_and_an_apposition(run):
    text = (
        'According to the Benghazi Port Authority, the vehicles were "driven straight off the ship". '
        'According to the charterer, Al-Fajr General Trading, the vehicles were "intended for a private firm".'
    )
    assert quotes_of(run(text)) == [
        ("Benghazi Port Authority", "driven straight off the ship"),
        ("Al-Fajr General Trading", "intended for a private firm"),
    ]


def test_informed_is_a_speech_verb(run):
    text = (
        "The vessel's registered owner, Bluewater Roro Inc., informed the Panel in a letter that the ship "
        '"was chartered in good faith to carry civilian trucks".'
    )
    assert quotes_of(run(text)) == [
        ("Bluewater Roro Inc.", "was chartered in good faith to carry civilian trucks")
    ]


def test_short_quote_with_its_own_attribution(run):
    text = "Gen. Oumar Traoré shrugged. “Ask the Russians,” he said."
    assert quotes_of(run(text)) == [("Oumar Traoré", "Ask the Russians")]


def test_short_titled_phrase_without_attribution_is_a_label(run):
    text = "The crates were marked “Spare Parts” and sent to the port of Uvira."
    assert run(text).quotes == []


def test_accented_names_are_names(run):
    s = run("Col. Aminata Keita met Gen. Oumar Traoré and the lawyer Dragoș Pavel in Bamako.")
    assert {"Aminata Keita", "Oumar Traoré"} <= names(s, "person")


def test_british_turns_and_an_unnamed_chair(run):
    text = (
        "Witnesses: Helen Achterberg, Director of Export Control, and Rupert Vance, Head of Enforcement\n\n"
        "THE CHAIR: Good morning. Ms Achterberg, shall we start with you?\n\n"
        "MS ACHTERBERG: Thank you, Chair. We refused 41 licences.\n\n"
        "MR VANCE: Two, and I can't say more about them."
    )
    s = run(text)
    assert quotes_of(s) == [
        ("Helen Achterberg", "Thank you, Chair. We refused 41 licences."),
        ("Rupert Vance", "Two, and I can't say more about them."),
    ]
    assert not any("Chair" in n for n in names(s, "person"))


def test_capitalised_role_is_not_a_first_name(run):
    text = (
        "Australian Border Force Commander Rachel Nguyen welcomed the judgment. "
        '"Export controls exist to keep technology out of the wrong hands," Commander Nguyen said.'
    )
    s = run(text)
    assert names(s, "person") == {"Rachel Nguyen"}
    assert quotes_of(s) == [
        ("Rachel Nguyen", "Export controls exist to keep technology out of the wrong hands")
    ]


def test_quoted_ship_name_in_apposition_is_a_vessel_not_a_quote(run):
    text = 'Readers will remember the "Lucky Star", the 2003-built Aframax that loitered off Ceuta.'
    s = run(text)
    assert "Lucky Star" in names(s, "vessel")
    assert s.quotes == []


def test_ship_named_like_a_bay_after_vessel(run):
    s = run("The cargo came aboard the roll-on/roll-off vessel Nordic Bay, which sailed from Aqaba.")
    assert "Nordic Bay" in names(s, "vessel")
    assert "Nordic Bay" not in {p.name for p in s.places}


def test_ships_list_apposition(run):
    s = run("One of the ships, the Jade Harmony, loaded its cargo at Kharg Island.")
    assert "Jade Harmony" in names(s, "vessel")


def test_org_short_forms_merge_and_possessive_is_dropped(run):
    text = (
        "The Treasury Department designated three firms. I'd refer you to Treasury. The tip came from the "
        "Department of Defence's export office. The company informed the Panel in April."
    )
    orgs = names(run(text), "organization")
    assert "Treasury" not in orgs and "Treasury Department" in orgs
    assert "Department of Defence" in orgs
    assert "Panel" in orgs


def test_places_entered_and_as_far_as(run):
    s = run("The wagons entered Georgia from Azerbaijan. Garrisons as far north as Kidal were supplied.")
    assert {"Georgia", "Azerbaijan", "Kidal"} <= {p.name for p in s.places}


def test_country_named_in_full_with_of_the(run):
    s = run("The trucks unloaded at a warehouse in Uvira, in the Democratic Republic of the Congo.")
    assert "Democratic Republic of the Congo" in {p.name for p in s.places}


def test_days_earlier_counts_back_from_the_dated_event(run):
    text = (
        "The coast guard boarded the tanker on Wednesday, 28 August. The fuel had been loaded from another "
        "tanker two days earlier."
    )
    dates = {e.date for e in run(text, published=dt.date(2024, 8, 30)).events}
    assert {"2024-08-28", "2024-08-26"} <= dates


def test_days_ago_still_counts_from_publication(run):
    dates = {e.date for e in run("The ship left port two days ago.", published=dt.date(2024, 8, 30)).events}
    assert dates == {"2024-08-28"}


def test_evaluator_runs_on_the_heldout_set_and_lists_errors():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.extraction",
            str(HELDOUT / "texts"),
            str(HELDOUT / "truth"),
            "--errors",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(list((HELDOUT / 'texts').glob('*.txt')))} reports" in done.stdout
    rows = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert {"quotes", "actors", "places", "dates"} <= rows
