"""Statements: their position in the kept source text."""

from __future__ import annotations

import pytest

from caseboard.db import sources, statements
from caseboard.db.errors import ValidationError


def test_statement_with_position_in_source(empty_case) -> None:
    text = "He said: “We will not stop.” Then he left."
    src = sources.add_source(empty_case, title="Transcript", text=text).row_id
    start = text.index("We")
    end = text.index(".”") + 1
    st = statements.get_statement(
        empty_case, statements.statement_from_passage(empty_case, src, start, end, said="2023-10-13").row_id
    )
    assert st.text == "We will not stop." and (st.source_start, st.source_end) == (start, end)
    before, quote, after = statements.context_of(empty_case, st)
    assert before.endswith("“") and quote == st.text and after.startswith("”")
    with pytest.raises(ValidationError, match="does not match"):
        statements.add_statement(empty_case, text="Other words", source_id=src, source_start=0, source_end=5)
