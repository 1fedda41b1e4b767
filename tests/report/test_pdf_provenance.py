"""A PDF whose every fact can be checked: citation or "unsourced" tag on each, [n] links, outline, outlets, URLs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseboard.cli import main
from caseboard.db import actors, citations, events, sources
from caseboard.db.case import open_case
from caseboard.db.demo import demo_data, write_demo

DEMO = demo_data()
REF = r"(?:\[\s*\d+\s*\]|\[unsourced\])"
#: Facts the demo report prints, each with a citation: events, shipments, legs, actors, places, statements, relationships.
FACTS = sum(
    len(DEMO[k]) for k in ("events", "shipments", "actors", "places", "statements", "relationships")
) + sum(len(sh["legs"]) for sh in DEMO["shipments"])
SECTIONS = [
    "Chronology",
    "Shipments",
    "Actors",
    "Relationships",
    "Places",
    "Statements",
    "Sources and citations",
    "Citations",
    "Appendix: case health",
]


def norm(text: str) -> str:
    text = text.replace("\u200b", "")
    text = re.sub("[\u2018\u2019]", "'", text)
    text = re.sub("[\u201c\u201d]", '"', text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder / "demo.case").close()
    assert main(["export", str(folder / "demo.case"), "-o", str(folder / "demo.pdf")]) == 0
    return folder / "demo.pdf"


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case plus an unsourced event and actor, and a source with an outlet and a web address."""
    folder = tmp_path_factory.mktemp("mixed")
    write_demo(folder / "mixed.case").close()
    with open_case(folder / "mixed.case") as case:
        events.add_event(case, title="Second convoy rumoured at Rajin", date="2023-09-20")
        actors.add_actor(case, name="Unnamed freight forwarder", kind="organization")
        src = sources.add_source(
            case,
            title="Port traffic note",
            label="S4",
            outlet="Harbour Gazette",
            url="https://example.org/port-note",
            archive_url="https://web.archive.org/web/2023/https://example.org/port-note",
            accessed="2023-10-20",
            reliability="C",
        ).row_id
        ship = actors.find_actor(case, "M/V Angara")
        citations.cite(case, "actors", ship.id, src, 3, locator="¶ 2: “The Angara … Dunay”")
    assert main(["export", str(folder / "mixed.case"), "-o", str(folder / "mixed.pdf")]) == 0
    return folder / "mixed.pdf"


def _figure_pages(reader: PdfReader) -> set[int]:
    return {
        reader.get_destination_page_number(o)
        for o in reader.outline
        if not isinstance(o, list) and o.title.startswith("Figure")
    }


def _text(path: Path) -> str:
    """Every page's text but the figures' (slow to read back, and no facts are printed there)."""
    reader = PdfReader(path)
    skip = _figure_pages(reader)
    return norm(" ".join(p.extract_text() or "" for i, p in enumerate(reader.pages) if i not in skip))


def _section(text: str, name: str) -> str:
    """The text of one body section (from its heading to the next)."""
    body = text[text.index("Chronology Every dated") :]
    starts = {"Chronology": 0}
    at = 0
    for heading in SECTIONS[1:7]:
        at = body.index(f"{heading} ", at + 1)
        starts[heading] = at
    order = list(starts)
    i = order.index(name)
    end = starts[order[i + 1]] if i + 1 < len(order) else len(body)
    return body[starts[name] : end]


def _assert_tagged(section: str, name: str, after: str = "") -> None:
    assert re.search(re.escape(norm(name)) + after + r"\s*" + REF, section), (
        f"{name!r} has neither [n] nor tag"
    )


@pytest.mark.parametrize("which", ["demo_pdf", "mixed_pdf"])
def test_every_fact_carries_a_citation_or_the_unsourced_tag(which: str, request) -> None:
    text = _text(request.getfixturevalue(which))
    chrono, ships = _section(text, "Chronology"), _section(text, "Shipments")
    people, said = _section(text, "Actors"), _section(text, "Statements")
    for e in DEMO["events"]:
        _assert_tagged(chrono, e["title"])
    for sh in DEMO["shipments"]:
        title = sh.get("title") or sh["cargo"]
        _assert_tagged(ships, title)
    legs = sum(len(sh["legs"]) for sh in DEMO["shipments"])
    assert len(re.findall(r"Leg \d+ [^\[]*?" + REF, ships)) == legs
    for a in DEMO["actors"]:
        _assert_tagged(people, a["name"])
    for st in DEMO["statements"]:
        _assert_tagged(said, st["text"], r'"?(?: \(PARAPHRASE\))?')
    if which == "demo_pdf":
        assert "[unsourced]" not in text
        assert f"Sourcing all {FACTS} facts in this report cite a source" in text
    else:
        assert re.search(r"Second convoy rumoured at Rajin \[unsourced\]", chrono)
        assert re.search(r"Unnamed freight forwarder \[unsourced\]", people)
        assert (
            f"Sourcing {FACTS} of {FACTS + 2} facts in this report cite a source; 2 are tagged [unsourced]"
            in text
        )


def test_outline_has_every_section(demo_pdf: Path) -> None:
    reader = PdfReader(demo_pdf)
    top = [o for o in reader.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    assert titles[:4] == ["Title page", "Figure 1. Timeline", "Figure 2. Map", "Figure 3. Link chart"]
    assert titles[4:] == SECTIONS
    pages = [reader.get_destination_page_number(o) for o in top]
    # the appendix is the last section; it may run on to one more page
    assert pages == sorted(pages) and pages[-1] in (len(reader.pages) - 1, len(reader.pages) - 2)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    for o in top[4:]:  # each bookmark opens the page its heading is printed on
        assert o.title in norm(reader.pages[reader.get_destination_page_number(o)].extract_text())


def _links(reader: PdfReader) -> list[tuple[int, dict]]:
    return [
        (i, a.get_object())
        for i, page in enumerate(reader.pages)
        for a in page.get("/Annots") or []
        if a.get_object().get("/Subtype") == "/Link"
    ]


def test_every_citation_mark_is_a_link_to_its_citation_and_each_citation_links_its_source(
    demo_pdf: Path,
) -> None:
    reader = PdfReader(demo_pdf)
    named = reader.named_destinations
    text = _text(demo_pdf)
    skip = _figure_pages(reader)
    page_text = {i: norm(p.extract_text()) for i, p in enumerate(reader.pages) if i not in skip}
    body = text[: text.index("Sources and citations Admiralty")]
    marks = re.findall(r"\[(\d+)\]", body)
    to_cites = [(i, a["/Dest"]) for i, a in _links(reader) if str(a.get("/Dest", "")).startswith("c")]
    assert len(to_cites) == len(marks) > 40
    assert sorted(int(d[1:]) for _i, d in to_cites) == sorted(map(int, marks))
    for _page, dest in to_cites:
        target = named[dest]
        assert f"[{dest[1:]}] " in page_text[reader.get_destination_page_number(target)]
    to_sources = [a["/Dest"] for _i, a in _links(reader) if str(a.get("/Dest", "")).startswith("s")]
    assert len(to_sources) == int(re.findall(r"(\d+) citations", text)[0])
    labels = {s["label"] for s in DEMO["sources"]}
    for dest in set(to_sources):
        landing = page_text[reader.get_destination_page_number(named[dest])]
        assert any(f"{label} — " in landing for label in labels)


def test_sources_show_outlet_address_and_access(mixed_pdf: Path) -> None:
    text = _text(mixed_pdf)
    sources_part = text[text.index("Sources and citations Admiralty") :]
    assert "Outlet: White House National Security Council" in sources_part
    assert "Outlet: not recorded" in sources_part  # S1: the demo's notes do not name it
    assert "Outlet: Harbour Gazette" in sources_part
    assert "Address: https://example.org/port-note" in sources_part
    assert "Accessed: 20 Oct 2023" in sources_part
    uris = {a["/A"]["/URI"] for _i, a in _links(PdfReader(mixed_pdf)) if "/A" in a}
    assert uris == {
        "https://example.org/port-note",
        "https://web.archive.org/web/2023/https://example.org/port-note",
    }


def test_pdf_opens_in_poppler(demo_pdf: Path) -> None:
    """Another reader than pypdf accepts the outline and links (pdfinfo is part of poppler-utils)."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils not installed")
    import subprocess

    out = subprocess.run(["pdfinfo", str(demo_pdf)], capture_output=True, text=True, check=True)
    assert "Pages:" in out.stdout and not out.stderr.strip()


def test_a_figure_with_nothing_to_draw_is_left_out_with_a_sentence(tmp_path: Path) -> None:
    write_demo(tmp_path / "demo.case").close()
    out = tmp_path / "iran.pdf"
    assert main(["export", str(tmp_path / "demo.case"), "-o", str(out), "--actor", "Iran"]) == 0
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    # Iran's one tie (drones shipped to Russia) is all there is to draw
    assert [t for t in titles if t.startswith("Figure")] == ["Figure 1. Link chart"]
    first = norm(reader.pages[0].extract_text())
    assert "The timeline is left out: nothing in this report has a date." in first
    assert "The map is left out: nothing in this report has a position." in first
    assert "Chronology" in norm(reader.pages[2].extract_text())  # the body follows the figure at once
