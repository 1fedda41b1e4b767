"""Sources: reliability grades and the kept text's hash."""

from __future__ import annotations

import pytest

from caseboard.db import sources
from caseboard.db.errors import ValidationError


def test_source_grade_and_text_hash(empty_case) -> None:
    s = sources.get_source(
        empty_case, sources.add_source(empty_case, title="Wire", reliability="b", text="Hello").row_id
    )
    assert s.reliability == "B" and len(s.text_sha256) == 64
    assert sources.find_source_by_text(empty_case, "Hello").id == s.id
    with pytest.raises(ValidationError, match="reliability"):
        sources.add_source(empty_case, title="X", reliability="G")
