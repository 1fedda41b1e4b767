"""Dates: relative forms against the publication date, honest precision, one event per date."""

from __future__ import annotations

import datetime as dt

import pytest

from caseboard.ingest.dates import find_dates

PUB = dt.date(2023, 10, 13)  # a Friday


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("The White House said on Friday that it knew.", "2023-10-13", False),
        ("The ship left on Tuesday.", "2023-10-10", False),
        ("Kim met Putin last month.", "2023-09", False),
        ("He stepped down two weeks ago.", "2023-09-29", True),
        ("Containers were staged on Sept. 7 and 8.", "2023-09-07/2023-09-08", False),
        ("Shipments have continued since July.", "2023-07/2023-10-13", False),
        ("More than 1,000 containers were sent in recent weeks.", "2023-09/2023-10", True),
        ("The ship arrived on Oct. 1.", "2023-10-01", False),
        ("It docked on 22 and 23 August 2023.", "2023-08-22/2023-08-23", False),
        ("The ship moved between October 2022 and February 2023.", "2022-10/2023-02", False),
        ("The talks happened yesterday.", "2023-10-12", False),
        ("The voyages started last autumn.", "2022-09/2022-11", True),
        ("The cable was cut over the weekend.", "2023-10-07/2023-10-08", False),
        ("It was loaded in December.", "2022-12", False),
        ("The vessel will sail in December.", "2023-12", False),
        ("Warnings were issued since 2022.", "2022/2023-10-13", False),
        ("It changed hands in early September.", "2023-09", True),
    ],
)
def test_expression_resolves(text, value, approximate):
    (d,) = find_dates(text, PUB)
    assert (d.value, d.approximate) == (value, approximate)
    assert text[d.span[0] : d.span[1]] == d.expression


def test_relative_dates_need_a_publication_date():
    assert find_dates("It happened last month.", None) == []
    assert [d.value for d in find_dates("It happened on 2 September 2023.", None)] == ["2023-09-02"]


def test_may_the_verb_is_no_month():
    assert find_dates("Officials may decide later. They may 5 times.", PUB) == []


def test_events_are_tied_to_their_sentence(run):
    text = "The containers arrived on Oct. 1. Kirby spoke to reporters on Friday."
    s = run(text)
    assert [(e.date, e.what) for e in s.events] == [
        ("2023-10-01", "The containers arrived on Oct. 1."),
        ("2023-10-13", "Kirby spoke to reporters on Friday."),
    ]
    assert text[slice(*s.events[0].date_span)] == "Oct. 1"


def test_dateline_and_header_are_not_events(run):
    text = "# source: https://x.example/a | Wire | 2023-10-13\nWASHINGTON, Oct. 13 (Wire) — The ship left on Sept. 12."
    s = run(text, published=None)
    assert s.published == PUB
    assert [e.date for e in s.events] == ["2023-09-12"]


def test_counted_from_the_date_before():
    text = "It loaded diesel on May 14 and went dark two days later near Crete."
    assert [d.value for d in find_dates(text, dt.date(2024, 6, 5))] == ["2024-05-14", "2024-05-16"]


def test_same_day_twice_is_one_event(run):
    s = run("Today, Treasury designated two firms. As a result of today's action, their property is blocked.")
    assert [e.date for e in s.events] == ["2023-10-13"]


def test_edtf_form_for_the_case_file(run):
    from caseboard.ingest.suggest import to_json

    data = to_json(run("Ships have sailed since July. He quit two weeks ago."))
    assert [e["edtf"] for e in data["events"]] == ["2023-07-01/2023-10-13", "2023-09-29~"]


def test_week_of_month_and_following_days():
    text = "In the first week of February the ship called at Nampo. It docked on Feb. 11 and unloaded over the following three days."
    got = [d.value for d in find_dates(text, dt.date(2024, 3, 28))]
    assert got == ["2024-02-01/2024-02-07", "2024-02-11", "2024-02-12/2024-02-14"]
