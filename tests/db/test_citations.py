"""Citations: Admiralty credibility grades and what may be cited."""

from __future__ import annotations

import pytest

from caseboard.db import actors, citations, sources
from caseboard.db.errors import ValidationError


def test_citation_grades(empty_case) -> None:
    a = actors.add_actor(empty_case, name="A", kind="state").row_id
    s = sources.add_source(empty_case, title="S", reliability="B").row_id
    citations.cite(empty_case, "actors", a, s, 2, locator="para 3")
    cs = citations.citations_of(empty_case, "actors", a)
    assert [(c.source_id, c.credibility, c.locator) for c in cs] == [(s, 2, "para 3")]
    with pytest.raises(ValidationError, match="credibility"):
        citations.cite(empty_case, "actors", a, s, 7)
    with pytest.raises(ValidationError, match="not in this case"):
        citations.cite(empty_case, "events", "missing", s, 2)
