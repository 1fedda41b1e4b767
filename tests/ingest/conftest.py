"""Shared helpers for the ingest tests: short texts are written in each test, next to what they check."""

from __future__ import annotations

import datetime as dt

import pytest

from caseboard.ingest.suggest import suggest

PUB = dt.date(2023, 10, 13)  # a Friday


@pytest.fixture
def run():
    def _run(text: str, published: dt.date | None = PUB, **kw):
        return suggest(text, published=published, **kw)

    return _run
