"""Quotations: attribution forms, speaker resolution, transcripts, and marks that are not speech."""

from __future__ import annotations


def quotes_of(s) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in s.quotes]


def test_broken_quote_keeps_speaker_and_drops_the_comma(run):
    text = (
        "Gen. Mark A. Milley spoke to reporters in September. “Would it have a huge difference? I’m skeptical "
        "of that,” the general said. “I doubt that it would be decisive.”"
    )
    assert quotes_of(run(text)) == [
        ("Mark A. Milley", "Would it have a huge difference? I’m skeptical of that"),
        ("Mark A. Milley", "I doubt that it would be decisive."),
    ]


def test_attribution_after_with_name_and_short_form(run):
    text = (
        "John F. Kirby, a spokesman for the National Security Council, spoke on Friday.\n\n"
        "“We are watching the port very closely every day,” Mr. Kirby said."
    )
    assert quotes_of(run(text)) == [("John F. Kirby", "We are watching the port very closely every day")]


def test_attribution_said_name_after_quote(run):
    text = "“The cargo left the port before dawn on both days,” said Helen Marsh, a customs analyst."
    assert quotes_of(run(text)) == [("Helen Marsh", "The cargo left the port before dawn on both days")]


def test_attribution_before_with_colon_and_told_reporters(run):
    text = 'Admiral Jane Cole told reporters: "The ship was never inspected by anyone at all."'
    assert quotes_of(run(text)) == [("Jane Cole", "The ship was never inspected by anyone at all.")]


def test_according_to(run):
    text = (
        "“Nothing on board matched the manifest we were shown,” according to Peter Lang, the port inspector."
    )
    assert quotes_of(run(text)) == [("Peter Lang", "Nothing on board matched the manifest we were shown")]


def test_pronoun_resolves_to_the_person_named_before(run):
    text = (
        "Ms. Olena Varga, the deputy minister, visited the port. “We counted the containers twice,” she said."
    )
    assert quotes_of(run(text)) == [("Olena Varga", "We counted the containers twice")]


def test_multi_paragraph_quote_is_one_quote(run):
    text = (
        "“We have asked them to stop accepting the grain,” Mr. Tom Reyes said. “They did not answer.\n\n"
        "“So far every request has been ignored.”"
    )
    got = quotes_of(run(text))
    assert got[-1] == ("Tom Reyes", "They did not answer. So far every request has been ignored.")
    assert len(got) == 2


def test_transcript_turns_are_quotes_of_the_named_speaker(run):
    text = (
        "Briefing by spokesman John Kirby\n\n"
        "MR. KIRBY: Good afternoon. We have new images to share today.\n\n"
        "Q: John, where were they taken?\n\n"
        "MR. KIRBY: At the port of Najin, over two days."
    )
    assert quotes_of(run(text)) == [
        ("John Kirby", "Good afternoon. We have new images to share today."),
        ("John Kirby", "At the port of Najin, over two days."),
    ]


def test_quote_spans_point_at_the_words(run):
    text = "“The ship sailed at night without lights,” Capt. Ana Ruiz said."
    s = run(text)
    (a, b) = s.quotes[0].spans[0]
    assert text[a:b] == s.quotes[0].text


def test_ship_names_nicknames_and_scare_quotes_are_not_quotes(run):
    text = (
        "The tanker “Sea Lantern” left Primorsk. Its crew calls the ship “the old lady,” and the owner "
        "describes the trips as “routine commercial activity.” The so-called “dark fleet” keeps growing, "
        "and the paperwork listed “medical supplies,” according to the manifest. "
        "The operation was named “Northern Shield” by the navy."
    )
    assert run(text).quotes == []


def test_titles_in_quotes_are_not_quotes(run):
    text = "The panel published “Annual Report on Maritime Sanctions Evasion” in March."
    assert run(text).quotes == []


def test_verbatim_record_turns_with_affiliation_and_chair(run):
    text = (
        "The President: I give the floor to the representative of Ukraine.\n\n"
        "Mr. Kovalenko (Ukraine): The missile struck a school in Kharkiv.\n\n"
        "The President: I give the floor to the next speaker.\n\n"
        "Ms. Laine (Finland): We share that concern."
    )
    assert quotes_of(run(text)) == [
        ("Kovalenko", "The missile struck a school in Kharkiv."),
        ("Laine", "We share that concern."),
    ]


def test_turn_label_with_the_full_name_in_brackets(run):
    text = "HOST (Sarah Kingsley): Welcome back to the show.\n\nDR. NAKAMURA: Thank you for having me."
    assert quotes_of(run(text)) == [
        ("Sarah Kingsley", "Welcome back to the show."),
        ("Nakamura", "Thank you for having me."),  # a turn label alone gives only the surname
    ]


def test_the_company_said_resolves_to_the_organization(run):
    text = (
        "The owner, Aegean Tide Shipping, welcomed the ruling. "
        "“Our crew has been treated with respect, and we are grateful,” the company said."
    )
    assert quotes_of(run(text)) == [
        ("Aegean Tide Shipping", "Our crew has been treated with respect, and we are grateful")
    ]


def test_unnamed_source_keeps_its_description(run):
    text = (
        "A European diplomat who tracks the trade was blunt. "
        "“Nobody inspects these ships at all, ever,” the diplomat said."
    )
    assert quotes_of(run(text)) == [("European diplomat", "Nobody inspects these ships at all, ever")]


def test_name_given_in_apposition_after_a_role(run):
    text = "“These parts end up in guided weapons,” a prosecutor, Ingrid de Vries, told reporters."
    assert quotes_of(run(text)) == [("Ingrid de Vries", "These parts end up in guided weapons")]


def test_one_word_end_of_a_broken_quote_but_not_a_nickname(run):
    text = (
        "Mr. Petrov’s lawyer, Anna Blum, disagreed. “Our client broke no law,” she said. “None.” "
        "The ship, which crews call “Old Rusty.”, sailed on."
    )
    assert quotes_of(run(text)) == [("Anna Blum", "Our client broke no law"), ("Anna Blum", "None.")]


def test_british_single_quotes_and_apostrophes(run):
    text = (
        "‘These seafarers have been let down badly,’ said Gwen Roberts, the agency’s chief surveyor. "
        "‘The ship stays until the workers’ wages are paid.’"
    )
    assert quotes_of(run(text)) == [
        ("Gwen Roberts", "These seafarers have been let down badly"),
        ("Gwen Roberts", "The ship stays until the workers’ wages are paid."),
    ]


def test_partial_quote_attributed_to_an_organization_in_apposition(run):
    text = (
        "The operator, Longkou Haitong Shipping Co., said in a reply that it “relies on the documents "
        "provided by charterers” and cannot check them."
    )
    assert quotes_of(run(text)) == [
        ("Longkou Haitong Shipping Co.", "relies on the documents provided by charterers")
    ]
