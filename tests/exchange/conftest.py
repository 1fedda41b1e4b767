"""A demo case with the things the demo lacks: a kept source text, a quote with offsets, an original file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def rich_demo(tmp_path: Path):
    from caseboard.db import citations, events, sources, statements
    from caseboard.db.demo import demo_id, write_demo

    case = write_demo(tmp_path / "rich.case")
    text = "Kirby said: “We condemn the D.P.R.K.” on Friday. Ships left Najin about 8 September."
    src = sources.add_source(
        case,
        title="Transcript",
        kind="transcript",
        text=text,
        url="https://example.org/t",
        accessed="2023-10-14",
        reliability="A",
    ).row_id
    sources.attach_original(case, src, text.encode("utf-8"), "transcript.txt")
    start = text.index("We condemn")
    st = statements.statement_from_passage(
        case,
        src,
        start,
        start + len("We condemn the D.P.R.K."),
        speaker_id=demo_id("kirby"),
        said="2023-10-13",
    ).row_id
    citations.cite(case, "statements", st, src, 1, locator="para 1", text_start=start, text_end=start + 10)
    events.add_event(case, title="Ships leave Najin", date="about 8 Sept 2023", place_id=demo_id("najin"))
    yield case
    case.close()
