"""Maps, timelines and link tables of the demo case, read back with real readers (fastkml, json, csv, openpyxl)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from caseboard.db.demo import demo_id
from caseboard.db.exchange.common import dated_facts, read_rows
from caseboard.db.exchange.geojson import export_geojson
from caseboard.db.exchange.kml import export_kml
from caseboard.db.exchange.links_table import export_links
from caseboard.db.exchange.timelinejs import COLUMNS, export_timelinejs
from caseboard.db.exchange.timesketch import export_timesketch

PLACES = {  # name -> (lon, lat) as the demo records them
    "Najin": (130.283, 42.256),
    "Dunay": (132.335, 42.879),
    "Ammunition depot near Tikhoretsk": (40.119, 45.853),
}


def _dated_facts_in_demo(case) -> int:
    """Counted straight from the tables, not through the exporters' own helper."""
    conn = case.conn
    n = conn.execute("SELECT count(*) FROM events WHERE date IS NOT NULL").fetchone()[0]
    n += conn.execute("SELECT count(*) FROM shipments WHERE date IS NOT NULL").fetchone()[0]
    n += conn.execute("SELECT count(*) FROM statements WHERE said IS NOT NULL").fetchone()[0]
    n += conn.execute("SELECT count(depart) + count(arrive) FROM legs").fetchone()[0]
    n += conn.execute("SELECT count(since) + count(until) FROM relationships").fetchone()[0]
    return n


def test_kml_opened_in_a_kml_reader_shows_the_ports_the_depot_and_both_legs(
    demo_case, tmp_path: Path
) -> None:
    fastkml = pytest.importorskip("fastkml")
    from fastkml.utils import find_all

    out = tmp_path / "demo.kml"
    export_kml(demo_case, out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fastkml warns that lxml is missing (pretty printing only)
        doc = fastkml.KML.parse(out)
    marks = {p.name: p for p in find_all(doc, of_type=fastkml.Placemark)}
    places = {p["name"]: p for p in read_rows(demo_case)["places"]}
    for name, place in places.items():  # every place is there, at its own coordinates, lon first
        shown = name if place["precision"] == "exact" else f"{name} ({place['precision']} position)"
        assert marks[shown].geometry.coords[0][:2] == (place["lon"], place["lat"])
    for name, lonlat in PLACES.items():
        assert any(m.startswith(name) and marks[m].geometry.coords[0][:2] == lonlat for m in marks)
    depot = marks["Ammunition depot near Tikhoretsk (approximate position)"]
    assert depot.style_url.url == "#place-approximate" and "not mark the exact spot" in depot.description
    sea = marks["Leg 1: Najin to Dunay (sea)"]
    rail = marks["Leg 2: Dunay to Ammunition depot near Tikhoretsk (rail)"]
    assert list(sea.geometry.coords) == [(*PLACES["Najin"], 0.0), (*PLACES["Dunay"], 0.0)]
    assert list(rail.geometry.coords) == [
        (*PLACES["Dunay"], 0.0),
        (*PLACES["Ammunition depot near Tikhoretsk"], 0.0),
    ]
    assert (sea.style_url.url, rail.style_url.url) == ("#leg-sea", "#leg-rail")
    # the time slider: the sea leg spans its possible departure to its arrival
    assert (str(sea.times.begin.dt), str(sea.times.end.dt)) == ("2023-09-08", "2023-09-12")
    assert str(marks["M/V Angara arrives at Dunay"].times.timestamp.dt) == "2023-09-12"


def test_geojson_is_rfc7946_with_longitude_first(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "demo.geojson"
    export_geojson(demo_case, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    by_id = {f["id"]: f for f in data["features"]}
    for key, name in (
        ("najin", "Najin"),
        ("dunay", "Dunay"),
        ("tikhoretsk", "Ammunition depot near Tikhoretsk"),
    ):
        f = by_id[demo_id(key)]
        assert f["geometry"] == {"type": "Point", "coordinates": list(PLACES[name])}
    for place in read_rows(demo_case)["places"]:  # every place, lon first
        assert by_id[place["id"]]["geometry"]["coordinates"] == [place["lon"], place["lat"]]
    assert by_id[demo_id("tikhoretsk")]["properties"]["approximate"] is True
    assert by_id[demo_id("najin")]["properties"]["approximate"] is False
    sea, rail = by_id[demo_id("leg_sea")], by_id[demo_id("leg_rail")]
    assert sea["geometry"]["coordinates"] == [list(PLACES["Najin"]), list(PLACES["Dunay"])]
    assert rail["geometry"]["coordinates"] == [
        list(PLACES["Dunay"]),
        list(PLACES["Ammunition depot near Tikhoretsk"]),
    ]
    assert (
        sea["properties"]["depart"] == "8–12 Sept 2023"
        and sea["properties"]["depart_edtf"] == "2023-09-08/2023-09-12"
    )
    for f in data["features"]:  # every position is a valid lon/lat pair
        coords = f["geometry"]["coordinates"]
        for lon, lat in [coords] if f["geometry"]["type"] == "Point" else coords:
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_timelinejs_sheet_has_a_row_per_dated_fact_at_honest_precision(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "timeline.csv"
    n = export_timelinejs(demo_case, out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == list(COLUMNS)
    assert n == len(rows) == _dated_facts_in_demo(demo_case)
    by_headline = {r["Headline"]: r for r in rows}
    staging = by_headline["About 300 containers staged at Najin"]
    assert [staging[c] for c in ("Year", "Month", "Day", "End Year", "End Month", "End Day")] == [
        "2023",
        "9",
        "7",
        "2023",
        "9",
        "8",
    ]
    assert staging["Display Date"] == "7–8 Sept 2023"
    remarks = by_headline["Milley tells reporters he doubts the rounds would be decisive"]
    assert [remarks[c] for c in ("Year", "Month", "Day", "End Year")] == [
        "2023",
        "9",
        "",
        "",
    ]  # a month, no day made up
    stepped = by_headline["Milley steps down as chairman of the Joint Chiefs of Staff"]
    assert stepped["Display Date"] == "about 29 Sept 2023" and stepped["Day"] == "29"
    assert "S2 (B2)" in staging["Text"]


def test_timelinejs_xlsx(demo_case, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "timeline.xlsx"
    n = export_timelinejs(demo_case, out)
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == list(COLUMNS) and ws.max_row == n + 1


def test_timesketch_lines_follow_the_partial_date_rule(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "sketch.jsonl"
    n = export_timesketch(demo_case, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(lines) == _dated_facts_in_demo(demo_case)
    for line in lines:
        assert {"message", "datetime", "timestamp_desc"} <= line.keys()
    month = next(x for x in lines if x["caseboard_id"] == demo_id("milley_remarks"))
    assert month["datetime"] == "2023-09-01T00:00:00+00:00" and month["date_precision"] == "month"
    assert month["date_last_day"] == "2023-09-30" and month["timestamp_desc"] == "Event"
    about = next(x for x in lines if x["caseboard_id"] == demo_id("milley_steps_down"))
    assert about["date_text"] == "about 29 Sept 2023" and about["date_approximate"] is True
    departs = [x for x in lines if x["caseboard_id"] == demo_id("leg_sea")]
    assert sorted(x["timestamp_desc"] for x in departs) == ["Arrival", "Departure"]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_link_table_csv_and_xlsx_have_a_row_per_dated_fact(demo_case, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    n = export_links(demo_case, tmp_path / "chart.csv")
    entities, links = _read_csv(tmp_path / "chart-entities.csv"), _read_csv(tmp_path / "chart-links.csv")
    assert len(links) == n
    ids = {e["id"] for e in entities}
    assert all(link["from id"] in ids and link["to id"] in ids for link in links)
    types = {e["label"]: e["type"] for e in entities}
    assert (
        types["M/V Angara"] == "Vessel" and types["John F. Kirby"] == "Person" and types["Najin"] == "Place"
    )
    facts = {f.id for f in dated_facts(read_rows(demo_case))}
    linked = {link["fact id"] for link in links if link["date"]}
    assert facts <= linked  # every dated fact has at least one dated row
    sea = next(
        link for link in links if link["fact id"] == demo_id("leg_sea") and link["link type"] == "sea leg"
    )
    assert (sea["from id"], sea["to id"]) == (demo_id("najin"), demo_id("dunay"))
    assert (sea["date"], sea["source"], sea["grade"], sea["credibility"]) == (
        "8–12 Sept 2023",
        "S2",
        "B",
        "2",
    )
    n2 = export_links(demo_case, tmp_path / "chart.xlsx")
    wb = load_workbook(tmp_path / "chart.xlsx")
    assert wb.sheetnames == ["Entities", "Links"] and n2 == n
    assert wb["Links"].max_row == n + 1 and wb["Entities"].max_row == len(entities) + 1
    header = [c.value for c in wb["Links"][1]]
    assert header[:10] == [
        "from id",
        "to id",
        "link type",
        "link label",
        "date",
        "date start",
        "date end",
        "source",
        "grade",
        "credibility",
    ]


def test_cli_writes_every_format_scoped_like_the_pdf(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "caseboard.cli", *args], capture_output=True, text=True, timeout=120
        )

    demo = tmp_path / "d.case"
    assert run("demo", str(demo)).returncode == 0
    outs = {
        "kml": "m.kml",
        "geojson": "m.geojson",
        "timelinejs": "t.csv",
        "timesketch": "t.jsonl",
        "links-xlsx": "l.xlsx",
        "links-csv": "l.csv",
    }
    for fmt, name in outs.items():
        done = run(
            "export",
            str(demo),
            "--format",
            fmt,
            "-o",
            str(tmp_path / name),
            "--from",
            "Sept 2023",
            "--to",
            "12 Sept 2023",
        )
        assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = {x["caseboard_id"] for x in lines}
    assert demo_id("staging") in kept and demo_id("leg_sea") in kept
    assert not any(x["caseboard_id"] == demo_id("disclosure") for x in lines)  # 13 October: out of range
    assert (tmp_path / "l-entities.csv").exists() and (tmp_path / "l-links.csv").exists()
    # the suffix picks the format; a wrong suffix for the format is one line and exit 2
    assert run("export", str(demo), "-o", str(tmp_path / "auto.kml")).returncode == 0
    assert (tmp_path / "auto.kml").read_text(encoding="utf-8").startswith("<?xml")
    bad = run("export", str(demo), "--format", "kml", "-o", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "should end in .kml" in bad.stderr


def test_case_text_is_shown_not_run_where_the_reader_renders_html(demo_case, tmp_path: Path) -> None:
    """Google Earth balloons and TimelineJS slides render HTML; a case from someone else must not inject any."""
    import xml.etree.ElementTree as ET

    from caseboard.db import events

    events.add_event(
        demo_case,
        title="<script>alert(1)</script> seen",
        description='<img src=x onerror="alert(2)">',
        date="2023-09-20",
        place_id=demo_id("dunay"),
    )
    export_kml(demo_case, tmp_path / "h.kml")
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = ET.parse(tmp_path / "h.kml").getroot().iterfind(".//k:Placemark", ns)
    shown = next(m for m in marks if "seen" in m.find("k:name", ns).text)
    description = shown.find("k:description", ns).text  # what Google Earth renders as HTML
    assert "<img" not in description and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in description
    export_timelinejs(demo_case, tmp_path / "h.csv")
    row = next(r for r in _read_csv(tmp_path / "h.csv") if "seen" in r["Headline"])
    assert row["Headline"] == "&lt;script&gt;alert(1)&lt;/script&gt; seen" and "<img" not in row["Text"]
