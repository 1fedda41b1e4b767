"""Attribution rules added after the round-3 held-out run: mixed-case transcript turns, a speaker named in
apposition, organizations in apposition, and pronouns that skip names inside quotations. Texts are made up."""

from __future__ import annotations


def quotes_of(s) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in s.quotes]


def test_mixed_case_parliamentary_turns_with_constituency_and_bracketed_name(run):
    text = (
        "Oral Answers to Questions, 3 March 2024\n\n"
        "2. Tom Avery (Northfield) (Con): What assessment has been made of tanker insurance?\n\n"
        "The Parliamentary Under-Secretary of State (Nadia Kerr): We review it every month.\n\n"
        "Tom Avery: Will she publish the review?\n\n"
        "Nadia Kerr: Yes, in the spring.\n\n"
        "Madam Deputy Speaker: Order. We come now to questions to the Treasury.\n"
    )
    s = run(text)
    assert quotes_of(s) == [
        ("Tom Avery", "What assessment has been made of tanker insurance?"),
        ("Nadia Kerr", "We review it every month."),
        ("Tom Avery", "Will she publish the review?"),
        ("Nadia Kerr", "Yes, in the spring."),
    ]
    assert not any("Speaker" in a.name for a in s.actors)


def test_interview_turns_by_surname_and_questions_skipped(run):
    text = (
        "Captain Sam Ruiz ran the port for ten years.\n\n"
        "Q: What changed?\n\n"
        "Ruiz: The paperwork got better and the cargo got worse.\n\n"
        "Q: Why?\n\n"
        "Ruiz: Because someone paid for better paperwork.\n"
    )
    assert quotes_of(run(text)) == [
        ("Sam Ruiz", "The paperwork got better and the cargo got worse."),
        ("Sam Ruiz", "Because someone paid for better paperwork."),
    ]


def test_label_colons_in_prose_are_not_turns(run):
    text = (
        "Summary: exports rose.\n\nNote: the figures are provisional.\n\n"
        "“Prices will fall,” said Omar Haddad, a trader in Dubai.\n"
    )
    assert quotes_of(run(text)) == [("Omar Haddad", "Prices will fall")]


def test_named_speaker_keeps_the_name_over_an_organization_in_apposition(run):
    text = "“These parts fit a drone,” Elena Novak, an analyst at the Institute for Naval Studies, told reporters."
    assert quotes_of(run(text)) == [("Elena Novak", "These parts fit a drone")]


def test_role_then_name_after_said(run):
    text = "Prices rose. “Nobody saw it coming,” said the company’s chief executive, Jane Roe. She declined to say more."
    assert quotes_of(run(text)) == [("Jane Roe", "Nobody saw it coming")]


def test_person_described_by_an_indefinite_noun_phrase_is_the_pronoun_antecedent(run):
    text = (
        "“It was grain,” said Ali Kaya. Across town, Mert Demir, a customs broker who lost his licence, disagrees. "
        "“It was not grain,” he said.\n\n"
        "Kaya laughs. “Mert Demir never liked me,” he said."
    )
    assert quotes_of(run(text)) == [
        ("Ali Kaya", "It was grain"),
        ("Mert Demir", "It was not grain"),
        ("Ali Kaya", "Mert Demir never liked me"),
    ]


def test_company_in_apposition_answers_for_the_company(run):
    text = (
        "Ambrey, the maritime security firm, reported the fire. The ship's manager in Dubai, Blue Harbour "
        "Partners, confirmed it. “All crew are safe,” the company said."
    )
    s = run(text)
    names = {a.name: a.kind for a in s.actors}
    assert names.get("Ambrey") == "organization"
    assert names.get("Blue Harbour Partners") == "organization"
    assert quotes_of(s) == [("Blue Harbour Partners", "All crew are safe")]


def test_british_comma_outside_the_marks(run):
    text = "“We will not pay”, said Anna Berg, the owner’s lawyer."
    assert quotes_of(run(text)) == [("Anna Berg", "We will not pay")]


def test_place_and_name_do_not_run_over_a_blank_line(run):
    text = "Live: fire in the Strait of Hormuz\n\nUpdated at noon\n\nBy Lena Ortiz, Senior Fellow, and Omar Nasser, Analyst\n"
    s = run(text)
    assert "Strait of Hormuz" in [p.name for p in s.places]
    people = sorted(a.name for a in s.actors if a.kind == "person")
    assert people == ["Lena Ortiz", "Omar Nasser"]
