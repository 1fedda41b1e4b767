"""The case summary PDF, read back the way a reader's tools would: pypdf text, page boxes, metadata."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseboard.cli import main
from caseboard.db import actors, statements
from caseboard.db.case import open_case
from caseboard.db.demo import demo_data, demo_id, write_demo

DEMO = demo_data()
QUOTES = [s["text"] for s in DEMO["statements"] if s["kind"] == "quote"]
MILLEY_QUOTES = [s["text"] for s in DEMO["statements"] if s["speaker"] == "milley"]
KIRBY_TEXTS = [s["text"] for s in DEMO["statements"] if s["speaker"] == "kirby"]
LONG_WORD = "Z" + "x" * 498 + "Q"
ARABIC = "مرحبا بالعالم"
CHINESE = "你好世界，这是一个测试"
HOSTILE = f"<script>alert('pwned')</script> <b>not bold</b> {LONG_WORD} {ARABIC} {CHINESE} end."


def norm(text: str) -> str:
    """Whitespace collapsed, typographic quotes and apostrophes made plain, zero-width characters dropped."""
    text = text.replace("\u200b", "").replace("\u00ad", "")
    text = re.sub("[\u2018\u2019\u02bc]", "'", text)
    text = re.sub("[\u201c\u201d]", '"', text)
    return " ".join(text.split())


FIGURE_PAGES = (1, 2, 3)  # page indexes of the timeline, the map and the link chart, after the title page


def figure_pages(reader: PdfReader) -> set[int]:
    """Page indexes of the figures, from the outline (a figure with nothing to draw is left out)."""
    return {
        reader.get_destination_page_number(o)
        for o in reader.outline
        if not isinstance(o, list) and o.title.startswith("Figure")
    }


def pdf_text(path: Path, *, figures: bool = True) -> str:
    """The text of every page (or only the text pages: figures are slow to read back and hold no prose)."""
    reader = PdfReader(path)
    skip = set() if figures else figure_pages(reader)
    return norm("\n".join(p.extract_text() or "" for i, p in enumerate(reader.pages) if i not in skip))


def export(*argv: str) -> int:
    return main(["export", *argv])


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.case"
    write_demo(path).close()
    return path


@pytest.fixture(scope="module")
def whole(demo_case: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "summary.pdf"
    assert export(str(demo_case), "-o", str(out)) == 0
    return out


@pytest.fixture(scope="module")
def whole_pages(whole: Path) -> list[str]:
    return [norm(page.extract_text() or "") for page in PdfReader(whole).pages]


@pytest.fixture(scope="module")
def whole_text(whole_pages: list[str]) -> str:
    return " ".join(whole_pages)


def split_sections(text: str) -> tuple[str, str]:
    """(everything before the sources section, the sources section)."""
    marker = "Sources and citations Admiralty grading"
    assert marker in text
    at = text.rindex(marker)
    return text[:at], text[at:]


# -- the whole demo case -----------------------------------------------------------------------------------------
def test_every_actor_is_named(whole_text: str) -> None:
    names = [a["name"] for a in DEMO["actors"]]
    assert len(names) == 18
    missing = [n for n in names if norm(n) not in whole_text]
    assert not missing


def test_direct_quotations_word_for_word(whole_text: str) -> None:
    assert len(QUOTES) == 4
    for quote in QUOTES:
        assert norm(quote) in whole_text


def test_places_and_the_angara_with_both_legs(whole_text: str) -> None:
    for word in ("Najin", "Dunay", "Tikhoretsk", "M/V Angara"):
        assert word in whole_text
    assert "M/V Angara leaves Najin for Dunay by sea" in whole_text
    assert "arrives at Dunay from Najin by sea" in whole_text
    assert "leaves Dunay for Ammunition depot near Tikhoretsk by rail" in whole_text
    assert "arrives at Ammunition depot near Tikhoretsk from Dunay by rail" in whole_text


def test_dates_are_shown_with_their_precision(whole_text: str) -> None:
    for shown in ("Sept 2023", "7\u20138 Sept 2023", "about 29 Sept 2023", "12 Sept \u2013 1 Oct 2023"):
        assert shown in whole_text


def test_three_sources_with_reliability_grades(whole_text: str) -> None:
    _body, sources = split_sections(whole_text)
    for s in DEMO["sources"]:
        assert norm(f"{s['label']} \u2014 {s['title']}") in sources
    assert len(re.findall(r"Reliability: B \(usually reliable\)", sources)) == 3


def test_citation_numbers_point_to_existing_sources(whole_text: str) -> None:
    body, sources = split_sections(whole_text)
    labels = {s["label"] for s in DEMO["sources"]}
    entries = dict(re.findall(r"\[(\d+)\] (S\d+) [A-F][1-6]? ", sources))
    assert entries, "no citation entries found"
    assert set(entries.values()) <= labels
    refs = {n for group in re.findall(r"((?:\[\d+\])+)", body) for n in re.findall(r"\d+", group)}
    assert refs, "no citation marks in the body"
    assert refs <= set(entries), f"marks without an entry: {sorted(refs - set(entries), key=int)}"
    assert sorted(map(int, entries)) == list(range(1, len(entries) + 1))


def test_statement_lines_carry_speaker_date_and_citation(whole_text: str) -> None:
    quote = norm(QUOTES[3])
    assert re.search(re.escape(quote) + r'" \[\d+\] \u2014 Mark A\. Milley, Sept 2023', whole_text)


def test_metadata_and_page_size(whole: Path) -> None:
    reader = PdfReader(whole)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"Case summary: {DEMO['title']}"
    assert (meta.creator or "").startswith("Caseboard")
    assert meta.author
    assert meta.creation_date is not None
    xmp = reader.xmp_metadata
    assert xmp is not None and "The whole case" in (xmp.dc_description or {}).get("x-default", "")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) >= 5


def test_fonts_are_embedded(whole: Path) -> None:
    reader = PdfReader(whole)
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_page_numbers_and_running_header(whole_pages: list[str]) -> None:
    n = len(whole_pages)
    for i, text in enumerate(whole_pages, start=1):
        assert f"Page {i} of {n}" in text
        if i > 1:
            assert norm(DEMO["title"]) in text


def test_figure_pages_hold_vector_legend_text(whole: Path, whole_pages: list[str]) -> None:
    reader = PdfReader(whole)
    timeline, map_page, _links = (whole_pages[i].lower() for i in FIGURE_PAGES)
    assert "figure 1. timeline" in timeline and "statement" in timeline and "sea" in timeline
    assert "figure 2. map" in map_page and "sea" in map_page and "najin" in map_page
    for i in FIGURE_PAGES:  # drawn, not pasted: no raster images on the figure pages
        assert not list(reader.pages[i].images)


# -- scope ---------------------------------------------------------------------------------------------------------
def test_scoped_to_milley_has_only_his_statements(demo_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "milley.pdf"
    assert export(str(demo_case), "-o", str(out), "--actor", "Mark A. Milley") == 0
    text = pdf_text(out, figures=False)
    for quote in MILLEY_QUOTES:
        assert norm(quote) in text
    for kirby in KIRBY_TEXTS:
        assert norm(kirby)[:60] not in text
    assert "Only what concerns Mark A. Milley" in text
    assert "John F. Kirby" not in text


def test_actor_alias_is_accepted(demo_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "kirby.pdf"
    assert export(str(demo_case), "-o", str(out), "--actor", "kirby") == 0
    assert norm(KIRBY_TEXTS[0]) in pdf_text(out, figures=False)


def test_date_range_filters_the_chronology(demo_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "october.pdf"
    assert export(str(demo_case), "-o", str(out), "--from", "1 Oct 2023", "--to", "2023-10-10") == 0
    text = pdf_text(out, figures=False)
    assert "Hamas attack on Israel" in text
    assert "Containers arrive at the ammunition depot near Tikhoretsk" in text
    assert "Kim Jong-un meets Vladimir Putin" not in text
    assert "About 300 containers staged at Najin" not in text
    assert norm(QUOTES[0]) not in text  # said on 13 Oct


# -- mistakes ------------------------------------------------------------------------------------------------------
def test_unknown_actor_is_one_line_exit_2(
    demo_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "x.pdf"
    assert export(str(demo_case), "-o", str(out), "--actor", "Mark Miley") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "no actor named 'Mark Miley'" in err and "Mark A. Milley" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "31 Sept 2023"], "--from"),
        (["--from", "2023-10-10", "--to", "2023-10-01"], "comes before"),
    ],
)
def test_bad_dates_exit_2(
    demo_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], words: str
) -> None:
    assert export(str(demo_case), "-o", str(tmp_path / "x.pdf"), *args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err


def test_unwritable_output_exit_2(demo_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert export(str(demo_case), "-o", str(tmp_path / "no" / "such" / "x.pdf")) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "does not exist" in err


# -- paper ---------------------------------------------------------------------------------------------------------
def test_letter_paper(demo_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    assert export(str(demo_case), "-o", str(out), "--paper", "letter") == 0
    for page in PdfReader(out).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


# -- hostile text --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_pdf(demo_case: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.case"
    shutil.copy(demo_case, path)
    with open_case(path) as case:
        speaker = actors.add_actor(case, name=f"<i>{ARABIC}</i> {CHINESE}", kind="person").row_id
        statements.add_statement(case, text=HOSTILE, kind="quote", said="2023-10-02", speaker_id=speaker)
        statements.add_statement(
            case,
            text="Кирби: поставки продолжаются " + "ж" * 300,
            kind="paraphrase",
            said="2023-10-03",
            speaker_id=demo_id("kirby"),
        )
    out = folder / "hostile.pdf"
    assert export(str(path), "-o", str(out)) == 0
    return out


def _arabic_found(text: str, arabic: str) -> bool:
    """Arabic comes back from the PDF as presentation forms, possibly in visual (reversed) order."""
    plain = unicodedata.normalize("NFKC", text)
    return arabic in plain or arabic in plain[::-1]


def test_hostile_text_is_printed_literally(hostile_pdf: Path) -> None:
    text = pdf_text(hostile_pdf, figures=False)
    assert "<script>alert('pwned')</script>" in text
    assert "<b>not bold</b>" in text
    assert f"<i>{ARABIC}</i>" in text or _arabic_found(text, ARABIC)
    assert CHINESE in text.replace(" ", "")
    assert LONG_WORD in text.replace(" ", "")
    assert "ж" * 300 in text.replace(" ", "")
    assert _arabic_found(text, ARABIC)


def _text_positions(page) -> list[tuple[float, float, str]]:  # noqa: ANN001 - pypdf page
    out: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if not text.strip():
            return
        a, b, c, d, e, f = cm
        x = tm[4] * a + tm[5] * c + e
        y = tm[4] * b + tm[5] * d + f
        out.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return out


def test_no_text_runs_off_the_page(hostile_pdf: Path) -> None:
    reader = PdfReader(hostile_pdf)
    for n, page in enumerate(reader.pages, start=1):
        if n - 1 in FIGURE_PAGES:  # figures clip to their frame; their glyph boxes are checked below
            continue
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        for x, y, text in _text_positions(page):
            assert 0 <= x <= w and 0 <= y <= h, f"page {n}: {text[:30]!r} at ({x:.0f}, {y:.0f})"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: glyph boxes not checked")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(hostile_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert len(pages) == len(reader.pages)
    words = 0
    for n, (w, h, body) in enumerate(pages, start=1):
        # text pages keep the side margins (with slack for italic overhang); figures stay on the page
        right = float(w) if n - 1 in FIGURE_PAGES else float(w) - 30
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', body
        ):
            words += 1
            assert float(x0) >= 0 and float(y0) >= 0, f"page {n}: {word[:30]!r}"
            assert float(x1) <= right, f"page {n}: {word[:30]!r} ends at {x1} of {w}"
            assert float(y1) <= float(h), f"page {n}: {word[:30]!r}"
    assert words > 500


# -- the API the window uses ---------------------------------------------------------------------------------------
def test_export_case_reports_progress_and_can_be_cancelled(demo_case: Path, tmp_path: Path) -> None:
    from caseboard.cli.export import ensure_app
    from caseboard.gui.report.export import export_case

    ensure_app()
    seen: list[tuple[int, int, str]] = []
    with open_case(demo_case, readonly=True) as case:
        done = export_case(case, tmp_path / "a.pdf", progress=lambda d, t, m: seen.append((d, t, m)))
        assert done.pages == len(PdfReader(tmp_path / "a.pdf").pages)
        assert seen[-1][0] == seen[-1][1] == done.pages
        calls = []

        def cancel_on_third() -> bool:
            calls.append(1)
            return len(calls) >= 3

        stopped = export_case(case, tmp_path / "b.pdf", cancelled=cancel_on_third)
    assert stopped.cancelled
    assert not (tmp_path / "b.pdf").exists()
    assert not list(tmp_path.glob("*.part"))


def test_report_data_citations_are_consistent(demo_case: Path) -> None:
    from caseboard.db.report import gather, make_scope

    with open_case(demo_case, readonly=True) as case:
        report = gather(case)
        scoped = gather(case, make_scope(case, ["Milley"]))
    source_ids = {s.id for s in report.sources}
    assert [c.number for c in report.citations] == list(range(1, len(report.citations) + 1))
    assert all(c.source_id in source_ids for c in report.citations)
    assert report.counts["actors"] == 18 and report.counts["statements"] == 7
    assert {s.speaker for s in scoped.statements} == {"Mark A. Milley"}
    assert all(c.source_id in {s.id for s in scoped.sources} for c in scoped.citations)


def test_figure_1_names_every_dated_event_by_label_or_chronology_number(demo_case: Path, whole_pages) -> None:
    """A reader goes from any mark of Figure 1 to its chronology entry: the mark carries the entry's number."""
    from caseboard.db.report import gather

    case = open_case(demo_case, readonly=True)
    try:
        report = gather(case, None)
    finally:
        case.close()
    figure = whole_pages[FIGURE_PAGES[0]]
    assert "2023" in figure  # the year, under the day ticks
    tokens = set(re.findall(r"\d+(?:\u2013\d+)?", figure))
    events = [(n, e) for n, e in enumerate(report.chronology, start=1) if e.kind == "event"]
    assert len(events) == 9
    for n, e in events:
        assert str(n) in tokens or e.text[:12] in figure, (n, e.text)
    # and the chronology shows the same number beside the entry
    body = "\n".join(whole_pages[FIGURE_PAGES[-1] + 1 :])
    for n, e in events:
        assert re.search(rf"\b{n}\.\s*{re.escape(norm(e.text)[:20])}", body), (n, e.text)


def test_figure_2_has_its_inset_coordinates_scale_and_credits(whole_pages) -> None:
    figure = whole_pages[FIGURE_PAGES[1]]
    assert "Detail: " in figure  # the inset's own title
    assert {"130°E", "131°E", "43°N"} <= set(re.findall(r"\d+°[NSEW]", figure))  # and its own coordinates
    assert re.search(r"\d[\d,]* km", figure)  # the scale bar
    assert "Natural Earth" in figure and "GeoNames" in figure  # demo places sit where GeoNames puts them


def test_report_map_draws_the_inset_in_a_frame_with_its_extent(demo_case: Path, qtbot) -> None:
    from caseboard.db.report import gather
    from caseboard.gui.plots.map_plot import MapPlot
    from caseboard.gui.report import figures

    case = open_case(demo_case, readonly=True)
    try:
        report = gather(case, None)
        figs = figures.make_figures(figures.gather_figure_data(case, report))
        plot = next(p for p in figures._PLOTS if isinstance(p, MapPlot))
        plot.resize(900, 720)
        plot.zoom_to_fit()
        assert (
            [f.title for f in figs] == ["Timeline", "Map", "Link chart"]
            and plot.inset_visible()
            and plot.inset_marker.isVisible()
        )
        frame = plot.inset_frame()
        for place_id in plot.data.place_ids.tolist():
            assert not frame.contains(plot.place_scene_pos(place_id))
    finally:
        figures.release_plots()
        case.close()


# -- relationships -------------------------------------------------------------------------------------------------
def _demo_relationships() -> list[tuple[str, str, str]]:
    """(from name, what, to name) of every relationship in the demo data."""
    names = {a["key"]: a["name"] for a in DEMO["actors"]}
    return [(names[r["from"]], r.get("label") or r["kind"], names[r["to"]]) for r in DEMO["relationships"]]


def test_link_chart_figure_labels_every_relationship(whole: Path, whole_pages: list[str]) -> None:
    page = whole_pages[3]
    assert "Figure 3. Link chart" in page
    for source, what, target in _demo_relationships():
        assert what in page, what
        assert source in page and target in page
    assert "stated relationship" in page and "implied by the case" in page  # the legend, as vector text
    assert not list(PdfReader(whole).pages[3].images)


def test_relationships_section_cites_each_one(whole_text: str) -> None:
    body, sources_part = split_sections(whole_text)
    section = body[body.index("Relationships Russia") :]
    for source, what, target in _demo_relationships():
        found = re.search(re.escape(f"{source} {what} {target}") + r" ((?:\[\d+\])+)", section)
        assert found, (source, what, target)
        for number in re.findall(r"\d+", found.group(1)):
            # the numbered citation names the relationship and a source of the case
            entry = re.search(rf"\[{number}\] (S\d) .*?Relationship: {re.escape(source)}", sources_part)
            assert entry, number
    assert "until about 29 Sept 2023" in section  # Milley's span, as uncertain as the source says


def test_scoped_report_charts_the_neighbourhood(demo_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "milley.pdf"
    assert export(str(demo_case), "-o", str(out), "--actor", "Mark A. Milley") == 0
    pages = [norm(p.extract_text() or "") for p in PdfReader(out).pages]
    chart = next(p for p in pages if re.search(r"Figure \d\. Link chart", p))
    assert "Mark A. Milley" in chart and "United States" in chart and "employee of" in chart
    assert "Kim Jong-un" not in chart  # not a neighbour of Milley
    text = pdf_text(out, figures=False)
    assert "Mark A. Milley employee of United States" in text
    assert "Russia flag state of" not in text
