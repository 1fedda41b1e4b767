"""Rules learnt from real public reports, each checked on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from caseboard.ingest.suggest import to_json

PUB = dt.date(2023, 10, 13)  # conftest.run resolves against it


def _speakers(s) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in s.quotes]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("“The ring is closed,” said Deputy Secretary of Agriculture Lena Voss.", "Lena Voss"),
        ("“The ring is closed,” said Attorney General Tomas R. Ekdahl.", "Tomas R. Ekdahl"),
        (
            "“The ring is closed,” said Field Office Special Agent in Charge Ruth K. Amsel of the Port Unit.",
            "Ruth K. Amsel",
        ),
        ("“The ring is closed,” said Assistant Secretary of State for Arms Control Jane Roe.", "Jane Roe"),
        ("Co-Director of the Joint Cell Bram Osei said: “The ring is closed.”", "Bram Osei"),
    ],
)
def test_an_office_before_a_name_is_not_the_speaker(run, sentence: str, name: str) -> None:
    s = run(sentence)
    assert [q.speaker for q in s.quotes] == [name]
    person = next(a for a in s.actors if a.name == name)
    assert person.kind == "person" and not any(
        a.name.startswith(("Deputy", "Special", "Assistant")) for a in s.actors
    )


def test_a_name_is_never_cut_at_its_middle_initial(run) -> None:
    s = run("“We are done,” said Attorney General Tomas R. Ekdahl. “The rest is for the courts.”")
    assert {a.name for a in s.actors if a.kind == "person"} == {"Tomas R. Ekdahl"}


def test_office_and_name_after_the_quote_before_the_verb(run) -> None:
    s = run("“The fleet is rented, not owned,” U.S. Special Envoy for Fisheries Carla Mendt told reporters.")
    assert _speakers(s) == [("Carla Mendt", "The fleet is rented, not owned")]


def test_a_colon_introduction_wins_over_the_next_speaker(run) -> None:
    s = run(
        "Prosecutor Ana Ruiz said: “The papers were forged.” Chief Inspector of the Harbour Board Ivo Lind "
        "said: “We will audit every manifest.”"
    )
    assert _speakers(s) == [
        ("Ana Ruiz", "The papers were forged."),
        ("Ivo Lind", "We will audit every manifest."),
    ]


def test_transcript_with_one_paragraph_per_line(run) -> None:
    text = (
        "Press briefing on the harbour closure\n"
        "MODERATOR: Welcome, everyone. The admiral will speak first and then take questions.\n"
        "REAR ADMIRAL HANNA BELL: Thank you. We closed the harbour at dawn on Monday.\n"
        "The closure will last until the divers finish their survey of the wreck.\n"
    )
    s = run(text)
    assert _speakers(s) == [
        ("Moderator", "Welcome, everyone. The admiral will speak first and then take questions."),
        ("Hanna Bell", "Thank you. We closed the harbour at dawn on Monday."),
        ("Hanna Bell", "The closure will last until the divers finish their survey of the wreck."),
    ]
    assert {"Moderator", "Hanna Bell"} <= {a.name for a in s.actors}


def test_a_staff_turn_is_the_person_who_introduces_themselves(run) -> None:
    text = (
        "STAFF: Good morning. I'm Major Ellis Varn, and I will run this call today.\n\n"
        "CAPTAIN ORLA FENN: Thank you, Major. Two dhows were stopped last week.\n\n"
        "STAFF: Thank you, ma'am. We will now take your questions.\n"
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["Ellis Varn", "Orla Fenn", "Ellis Varn"]


def test_one_turn_opening_an_excerpt_is_still_a_turn(run) -> None:
    text = (
        "Briefing by the port authority\n\n"
        "LIEUTENANT COLONEL MARA QUELL: Good afternoon. The tanker left the anchorage overnight.\n"
        "Its crew is safe and the cargo is still aboard.\n"
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["Mara Quell", "Mara Quell"]
    assert not any("Lieutenant" in a.name for a in s.actors)


def test_remarks_published_under_a_name_are_that_person_s_quotes(run) -> None:
    text = (
        "Remarks by Ambassador Ines Holt, Deputy Envoy to the Maritime Forum\n\n"
        "June 3, 2024\n\nAS DELIVERED\n\n"
        "Thank you, Madam Chair, and thank you to the panel for its report.\n\n"
        "Three cargo ships changed their names this year to hide where they had been.\n"
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["Ines Holt", "Ines Holt"]
    assert s.quotes[1].text.startswith("Three cargo ships")


def test_meeting_coverage_names_speakers_by_role(run) -> None:
    text = (
        "The representative of Norway said the inspections had found nothing. Later he added, stressing: "
        "“No flag should shelter a smuggler, and no port should look away.”"
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["representative of Norway"]
    assert any(a.name == "representative of Norway" for a in s.actors)


def test_headline_verbs_are_no_part_of_a_name(run) -> None:
    s = run("Port Director Maj. Gen. Oskar Tamm Holds a Press Conference\n\nThe port reopened today.")
    assert "Oskar Tamm" in {a.name for a in s.actors}
    assert not any("Holds" in a.name for a in s.actors)


def test_a_title_inside_a_hyphenated_office_is_not_a_title(run) -> None:
    s = run("Under-Secretary-General Delivers Briefing on the Embargo\n\nThe council met at noon.")
    assert not [a for a in s.actors if a.kind == "person"]


def test_quote_speakers_are_suggested_as_actors(run) -> None:
    data = to_json(run("The representative of Peru said: “The registry was falsified twice this year.”"))
    names = {a["name"] for a in data["actors"]}
    assert all(q["speaker"] in names for q in data["quotes"])


def _places(s) -> dict[str, object]:
    return {p.name: p for p in s.places}


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("NORFOLK, Va. – The cutter returned to its pier on Friday.", "NORFOLK, Va.", "United States"),
        ("LONDON — Two brokers were charged on Tuesday.", "LONDON", "United Kingdom"),
        ("TAMPA, Fla. (Wire) — The destroyer left port.", "TAMPA, Fla.", "United States"),
    ],
)
def test_datelines_are_places(run, text: str, name: str, country: str) -> None:
    place = _places(run(text))[name]
    assert place.country == country and place.lat is not None and "dateline" in place.reason


def test_a_town_with_its_us_state_is_in_the_us(run) -> None:
    s = run("The crates were trucked to Newark, New Jersey, and stored there.")
    place = _places(s)["Newark, New Jersey"]
    assert place.country == "United States" and place.gazetteer_name == "Newark"
    assert "New Jersey" not in _places(s)


def test_us_states_and_dc_are_regions(run) -> None:
    s = run("The drones were assembled in Ohio and flown back here to D.C. last week.")
    ohio = _places(s)["Ohio"]
    assert ohio.country == "United States" and ohio.precision == "country"
    assert _places(s)["D.C."].gazetteer_name == "District of Columbia"


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("The parts came from DOD inventories.", "DOD"),
        (
            "New Sanctions to Restrict Norway’s Fish Exports Announced Today\n\nNothing else.",
            "Restrict Norway’s Fish Exports",
        ),
        ("Crews moved into Rebel-controlled towns.", "Rebel-controlled"),
        ("The U.S. Attorney for the Northern District of Ohio filed it.", "Ohio"),
        ("The Panel is now a hostage to Oslo, the envoy said.", "Oslo"),
        ("The trucks reached the Red Sea. Upwards of forty boats waited.", "Red Sea. Upwards"),
        ("Ukrainian and Western officials said so in Kyiv.", "Western"),
        ("It travelled across the U.S. government in weeks.", "United States"),
    ],
)
def test_names_that_are_never_places(run, text: str, not_a_place: str) -> None:
    assert not_a_place not in _places(run(text))


def test_every_name_of_a_list_after_a_place_word(run) -> None:
    s = run("It bought drone engines from suppliers in Austria, Poland, and Chile.")
    assert {"Austria", "Poland", "Chile"} <= set(_places(s))
    s = run("The tanker was bound for Port Said, Egypt, according to tracking data.")
    assert "Egypt" not in _places(s)


def test_a_named_base_is_one_place(run) -> None:
    s = run("The briefing came from Fort Test Air Force Base in the desert.")
    assert "Fort Test Air Force Base" in _places(s)
    assert "Base" not in _places(s)


def test_countries_are_places_at_region_precision(run) -> None:
    s = run("The rifles were shipped to Peru in March.")
    peru = _places(s)["Peru"]
    assert peru.precision == "country" and "region precision" in peru.reason


@pytest.mark.parametrize(
    ("sentence", "published", "date"),
    [
        ("Over the past year the yard built four hulls.", "2024-03-28", "2023-03-28/2024-03-28"),
        ("For the past two years the channel stayed shut.", "2025-01-08", "2023-01-08/2025-01-08"),
        ("Since the beginning of 2022 the fleet has doubled.", "2025-01-08", "2022-01-01/2025-01-08"),
        ("The leaders first met in August of ’23 at a lodge.", "2024-10-25", "2023-08"),
        ("The frigate docked last night at the naval pier.", "2023-11-27", "2023-11-26"),
        ("The warrant was obtained early this year by the court.", "2023-09-08", "2023-01/2023-04"),
    ],
)
def test_relative_periods(run, sentence: str, published: str, date: str) -> None:
    import datetime as dt

    s = run(sentence, published=dt.date.fromisoformat(published))
    assert [e.date for e in s.events] == [date]


def test_a_law_s_year_is_no_event(run) -> None:
    s = run("The listing is consistent with the Harbour Safety Act of 2016 and later rules.")
    assert not s.events


def _actors(s) -> dict[str, object]:
    return {a.name: a for a in s.actors}


@pytest.mark.parametrize(
    ("sentence", "vessel", "alias"),
    [
        ("Marines boarded Motor Vessel Quiet Heron at dawn.", "Quiet Heron", "Motor Vessel Quiet Heron"),
        ("The court seized the Motor Yacht Belle Isle.", "Belle Isle", "Motor Yacht Belle Isle"),
        ("The destroyer USS Example (DDG 00) escorted it.", "Example", "USS Example (DDG 00)"),
        ("The cutter USCGC Stone Harbor returned.", "Stone Harbor", "USCGC Stone Harbor"),
    ],
)
def test_vessel_prefixes_and_hull_numbers(run, sentence: str, vessel: str, alias: str) -> None:
    ship = _actors(run(sentence))[vessel]
    assert ship.kind == "vessel" and alias in ship.aliases


def test_flag_and_owner_adjectives_before_a_ship_s_name(run) -> None:
    s = run("Gunboats stopped the Togo-flagged Sea Wren and then the Greek-owned oil tanker Arda.")
    assert _actors(s)["Sea Wren"].kind == "vessel" and _actors(s)["Arda"].kind == "vessel"


def test_a_comma_after_an_office_before_the_name(run) -> None:
    s = run(
        "Our National Security Advisor, Ola Brenn, met his counterpart, the Deputy Envoy, Kai Moss, on Friday."
    )
    assert {"Ola Brenn", "Kai Moss"} <= set(_actors(s))


def test_an_office_and_person_are_not_part_of_an_organization(run) -> None:
    s = run(
        "“We act,” said Assistant Attorney General Rhea P. Lund of the Justice Department’s Export Division."
    )
    names = set(_actors(s))
    assert "Rhea P. Lund" in names
    assert not any(n.startswith("Assistant") for n in names)


def test_two_organizations_joined_by_and_the(run) -> None:
    s = run("The advisory was issued by the Harbour Safety Board and the Coastal Patrol Service on Monday.")
    names = set(_actors(s))
    assert "Harbour Safety Board" in names and "Coastal Patrol Service" in names


def test_a_country_only_in_an_office_title_is_no_actor(run) -> None:
    s = run("The Special Envoy for Chile and Peru Ana Sol spoke at length.")
    assert "Chile" not in _actors(s) and "Ana Sol" in _actors(s)


def test_headline_words_after_an_abbreviation_are_no_person(run) -> None:
    s = run("Exporter Pleads Guilty to Dodging U.S. Export Controls\n\nThe plea came on Monday.")
    assert not [a for a in s.actors if a.kind == "person"]


def test_a_name_then_its_office_on_a_header_line(run) -> None:
    s = run("B.K. Varga, Special Agent in Charge\n\nMS VARGA: Good morning. We seized the boat at dawn.\n")
    assert "B.K. Varga" in _actors(s)
    assert [q.speaker for q in s.quotes] == ["B.K. Varga"]


def test_people_identified_as_in_a_list(run) -> None:
    s = run("Two crew, identified as Omar Bello-Ruiz and Ines Carta, were detained.")
    assert {"Omar Bello-Ruiz", "Ines Carta"} <= set(_actors(s))


def test_cutters_in_a_list_and_a_ship_called_by_name(run) -> None:
    s = run("The Coast Guard Cutters Osprey and Mary Ann Lee Jr. met the tanker, called Dawn Lark, offshore.")
    names = {n for n, a in _actors(s).items() if a.kind == "vessel"}
    assert {"Osprey", "Mary Ann Lee Jr.", "Dawn Lark"} <= names


def test_delivers_remarks_title_and_as_delivered_body(run) -> None:
    text = (
        "Harbour Master Ida Rask Delivers Remarks on the Port Closure\n\n"
        "Remarks as Delivered\n\nGood morning.\n\nThe port stays closed until the divers are done.\n"
    )
    s = run(text)
    assert [(q.speaker, q.text) for q in s.quotes] == [
        ("Ida Rask", "Good morning."),
        ("Ida Rask", "The port stays closed until the divers are done."),
    ]


def test_scheduled_on_the_publication_weekday_is_that_day(run) -> None:
    import datetime as dt

    s = run("The crew is scheduled to unload the bales Monday.", published=dt.date(2013, 7, 1))
    assert [e.date for e in s.events] == ["2013-07-01"]


def test_a_base_named_after_its_kind_is_one_place(run) -> None:
    s = run("The bales were moved to Coast Guard Base Port Alder on Friday.")
    assert "Coast Guard Base Port Alder" in _places(s)


def test_a_role_before_a_name(run) -> None:
    s = run("The court charged Ruritanian oligarch Pavel Grozny with evading the sanctions.")
    assert _actors(s)["Pavel Grozny"].kind == "person"


def test_a_nickname_in_quotation_marks_inside_a_name(run) -> None:
    s = run("“We will keep the lanes open,” said Adm. Robert “Bob” Lane, the fleet commander.")
    lane = _actors(s)["Robert Lane"]
    assert "Bob Lane" in lane.aliases and [q.speaker for q in s.quotes] == ["Robert Lane"]
    assert "Robert" not in _actors(s)


def test_a_familiar_given_name_is_the_same_person(run) -> None:
    s = run(
        "Capt. William Orr commands the cutter.\n\nLater, Spokesman Captain Bill Orr said the crew was safe."
    )
    assert [a.name for a in s.actors if a.kind == "person"] == ["William Orr"]


def test_people_by_age_by_list_and_after_a_country_s_possessive(run) -> None:
    s = run(
        "Ivo Marsh, 52, a resident of the port, was charged. Three are Ruritanian nationals: Ana Belo, "
        "Rui Costa-Lima and Teo Vaz. The fuel helped Syria’s Omar Haddad stay in power."
    )
    assert {"Ivo Marsh", "Ana Belo", "Rui Costa-Lima", "Teo Vaz", "Omar Haddad"} <= set(_actors(s))


def test_an_office_alone_is_not_an_organization(run) -> None:
    s = run(
        "“We act,” said Assistant Secretary for Port Enforcement Lia M. Stone. Agents of Harbour Investigations "
        "helped, said Special Agent in Charge Ned K. Orr of Harbour Investigations."
    )
    names = set(_actors(s))
    assert {"Lia M. Stone", "Ned K. Orr", "Harbour Investigations"} <= names
    assert not any(n.startswith(("Assistant", "Charge")) for n in names)


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("Flights ran between 25 September and 24 November 2014 over the gulf.", "2014-09-25/2014-11-24"),
        ("The audit ran from 30 December 2013 to 3 January 2014 at the port.", "2013-12-30/2014-01-03"),
        ("Talks were held Dec. 30 – Jan. 2, 2014 in the capital.", "2013-12-30/2014-01-02"),
    ],
)
def test_day_month_ranges(run, sentence: str, date: str) -> None:
    assert [e.date for e in run(sentence).events] == [date]


def test_a_posting_date_on_its_own_line_is_no_event(run) -> None:
    import datetime as dt

    s = run(
        "Harbour Agency\nSaturday, March 2, 2024\n\nThe agency seized a boat on Friday.",
        published=dt.date(2024, 3, 2),
    )
    assert [e.date for e in s.events] == ["2024-03-01"]


def test_a_region_as_written_and_named_camps(run) -> None:
    s = run(
        "Ships crossed the Indo-Pacific region. The leaders met at Camp Linden on Friday. Boats idled at "
        "Coast Guard Base Port Alder Thursday."
    )
    names = set(_places(s))
    assert {"Indo-Pacific region", "Camp Linden", "Coast Guard Base Port Alder"} <= names
    assert _places(s)["Indo-Pacific region"].gazetteer_name == "Indo-Pacific"


def test_an_accusation_s_quoted_phrase_is_the_accuser_s(run) -> None:
    s = run("Then Norway accused the crew of “smuggling” and “reckless disregard for the law of the sea.”")
    assert [(q.speaker, q.text) for q in s.quotes] == [
        ("Norway", "smuggling"),
        ("Norway", "reckless disregard for the law of the sea."),
    ]


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "On Sept. 12, 2023, the harbour police, who had waited for weeks, seized the barge Lotte, which had "
            "sailed from a northern port under a false flag and a forged manifest listing farm machinery.",
            "The harbour police, who had waited for weeks, seized the barge Lotte",
        ),
        (
            "The customs office said that its officers boarded the trawler Moss on or about May 3, 2024, while "
            "it was moored at the fish quay.",
            "Its officers boarded the trawler Moss",
        ),
    ],
)
def test_event_titles_are_not_whole_sentences(run, sentence: str, title: str) -> None:
    from caseboard.ingest.accept import event_title

    s = run(sentence)
    assert event_title(s.events[0]) == title
    assert s.events[0].what.startswith(sentence[:20])  # the sentence stays the description


def test_a_country_only_as_a_location_is_a_place_not_an_actor(run) -> None:
    s = run("The rifles were shipped to Peru in March. Chile protested.")
    assert "Peru" in _places(s)
    assert [a.kind for a in s.actors if a.name == "Peru"] == []
    assert [a.kind for a in s.actors if a.name == "Chile"] == ["state"]


def test_a_federal_district_is_a_region_of_its_state_never_a_town(run) -> None:
    s = run("He was arrested in Ohio and appeared in the Northern District of Ohio today.")
    district = _places(s)["Northern District of Ohio"]
    assert district.country == "United States" and district.precision == "country"
    assert "district" in district.reason and "Ohio" in _places(s)
    s = run("The complaint was filed in the District of Columbia on Monday.")
    assert _places(s)["District of Columbia"].country == "United States"


def test_known_groups_by_other_spellings_and_forces_by_description(run) -> None:
    s = run("It funds Hizballah; the Ruritanian navy and the U.S. military watched the Houthi boats.")
    names = set(_actors(s))
    assert {"Hezbollah", "Houthis", "Ruritanian navy", "U.S. military"} <= names
    assert "Hizballah" in _actors(s)["Hezbollah"].aliases


def test_a_speaker_on_behalf_of_another_and_a_name_with_its_country(run) -> None:
    text = (
        "Ana Kivi (Estonia), on behalf of Chair Tomas Berg, presented the report. “The panel met six times "
        "and heard every flag State,” she said."
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["Ana Kivi"]


def test_a_task_force_keeps_its_own_name_but_not_an_office_after_it(run) -> None:
    s = run("Task Force Seawall seized the yacht. Present was Seawall Task Force Director Hale, who spoke.")
    names = set(_actors(s))
    assert "Task Force Seawall" in names
    assert not any("Director" in n for n in names if _actors(s)[n].kind == "organization")


def test_a_weekday_before_its_date_is_not_a_second_date(run) -> None:
    import datetime as dt

    s = run("On Tuesday, February 3rd, agents boarded the boat.", published=dt.date(2015, 3, 10))
    assert [e.date for e in s.events] == ["2015-02-03"]


def test_puerto_rico_towns_and_a_base_named_after_its_town(run) -> None:
    s = run(
        "SAN JUAN, Puerto Rico — Crews handed the bales to agents at Coast Guard Base San Juan Thursday, after a "
        "chase.\n\nThe boat was detected approximately 200 nautical miles south of the Dominican Republic."
    )  # the dateline's country ranks the base's town above the Dominican Republic's San Juan
    dateline = _places(s)["SAN JUAN, Puerto Rico"]
    base = _places(s)["Coast Guard Base San Juan"]
    assert dateline.country == "Puerto Rico" and 18 < dateline.lat < 19
    assert base.precision == "approximate" and (base.lat, base.lon) == (dateline.lat, dateline.lon)


def test_a_transcript_is_an_event_on_its_publication_day(run) -> None:
    text = (
        "Press call with the harbour master on the grain convoy\n"
        "MODERATOR: Good afternoon. The harbour master has a short statement.\n"
        "MS. ORBAN: Thank you. The convoy left the roads without an escort.\n"
    )
    s = run(text)
    occasion = [e for e in s.events if e.date == PUB.isoformat()]
    assert [e.what for e in occasion] == ["Press call with the harbour master on the grain convoy"]
    assert "publication day" in occasion[0].reason


def test_the_occasion_is_not_added_when_the_text_dates_it_or_is_no_transcript(run) -> None:
    dated = "Council debate, 11 October 2023\nMODERATOR: We begin.\nMR. DALE: The convoy left without an escort.\n"
    assert PUB.isoformat() not in {e.date for e in run(dated).events}
    news = "KOTKA, Finland — Customs officers on Tuesday seized a tanker. “It was empty,” said Ari Lind."
    assert PUB.isoformat() not in {e.date for e in run(news).events}


def test_news_agency_layouts_keep_their_speakers(run) -> None:
    text = (
        "HALIFAX, N.S. (Reuters) — Port police held a trawler overnight.\n"
        '"We found nothing on board,” said Lt. Dana Kerr, the harbour officer.\n'
        '"The crew was calm and the papers were in order," she added.\n'
        "Inspector Paul Ewing of the port police says the “search will resume at dawn.”\n"
        'Kerr said the crew had stopped a "fully loaded." skiff before.\n'
    )
    assert _speakers(run(text)) == [
        ("Dana Kerr", "We found nothing on board"),
        ("Dana Kerr", "The crew was calm and the papers were in order"),
        ("Paul Ewing", "search will resume at dawn."),
    ]


def test_a_possessive_role_reported_with_a_participle_is_the_he_that_follows(run) -> None:
    text = (
        "The representative of Chile said the vote showed resolve. Others objected, with Peru’s representative "
        "warning that the inspections were rare. “They must stop the flights first,” he said."
    )
    assert _speakers(run(text))[-1] == ("representative of Peru", "They must stop the flights first")


def test_offices_designations_and_bare_heads_are_no_new_actors_or_places(run) -> None:
    s = run(
        "“We will act,” said Ruth Amsel, Special Agent in Charge of Homeland Security Investigations, Denver. "
        "Agents from the Departments of Defense, Energy and Homeland Security joined. The Ruritanian Front, a "
        "designated Foreign Terrorist Organization (FTO), denied it. The Security Council met on Tuesday; the "
        "Council then adjourned."
    )
    actors = _actors(s)
    assert "Homeland Security Investigations" in actors
    assert not {
        "Charge of Homeland Security Investigations",
        "Foreign Terrorist Organization",
        "Council",
    } & set(actors)
    assert "Council" in actors["Security Council"].aliases
    assert not {"Denver", "Energy", "Homeland Security"} & set(_places(s))


def test_coasts_cutters_and_planned_weekdays(run) -> None:
    s = run(
        "Patrols off the coasts of Peru and Chile found two boats. The cutter Marlin and the frigate Osprey "
        "escorted them. The cargo was to be unloaded Monday morning."
    )
    assert {"Peru", "Chile"} <= set(_places(s)) and not {"Peru", "Chile"} & set(_actors(s))
    assert _actors(s)["Marlin"].kind == "vessel" and _actors(s)["Osprey"].kind == "vessel"
    assert [e.date for e in s.events if "unloaded" in e.what] == ["2023-10-16"]  # the Monday after PUB


def test_a_briefer_thanked_by_given_name_gets_the_full_name(run) -> None:
    text = (
        "Press briefing\n\nMS ORBAN: The convoy left without an escort.\n\n"
        "QUESTION: Thanks, Lena. Who paid for it?\n\nMS ORBAN: The owners did.\n"
    )
    s = run(text)
    assert [q.speaker for q in s.quotes] == ["Lena Orban", "Lena Orban"]
    assert "Orban" in _actors(s)["Lena Orban"].aliases


def test_a_country_only_as_a_modifier_is_no_actor(run) -> None:
    s = run("U.S. Attorney Jane Roe said the firm broke U.S. sanctions twice. The U.K. protested.")
    assert "United States" not in _actors(s) and _actors(s)["United Kingdom"].kind == "state"


def test_service_units_named_by_area_or_number_are_organisations(run) -> None:
    s = run(
        "The patrol came under the 9th Coast Guard District, based in Cleveland. The Coast Guard Northeast "
        "District and crews of the U.S. Coast Guard Atlantic Area helped."
    )
    assert {
        "9th Coast Guard District",
        "Coast Guard Northeast District",
        "U.S. Coast Guard Atlantic Area",
    } <= set(_actors(s))


def test_one_unnamed_carrier_is_a_vessel_by_its_kind_but_not_a_fleet(run) -> None:
    s = run("The crew stopped a 30-foot go-fast vessel and later a stateless dhow. Fishing vessels watched.")
    vessels = {a.name for a in s.actors if a.kind == "vessel"}
    assert vessels == {"go-fast vessel", "stateless dhow"}
