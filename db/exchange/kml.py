"""KML for Google Earth: places as placemarks, legs as lines styled by mode, events at their places, dated.

Dates become KML time primitives so Google Earth's time slider works: a single day, month or year is a
``TimeStamp`` (``2023-09-12``, ``2023-09``, ``2023``: KML accepts these partial forms), a range or a leg is a
``TimeSpan`` from the first to the last unit it covers. Approximate places get their own dashed-looking style
and say so in their name and description; "about" dates say so in the description. No date is invented: a place
has no time of its own, and an undated leg or event has no time element.
"""

from __future__ import annotations

import html
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from caseboard.db.atomic_write import atomic_output
from caseboard.db.case import Case
from caseboard.db.exchange.common import (
    CaseRows,
    citations_by_subject,
    cite_text,
    display,
    iso_ends,
    read_rows,
)
from caseboard.db.related import Related

NS = "http://www.opengis.net/kml/2.2"
#: Leg line colours by mode, KML's aabbggrr; the same hues as the map panel's legend.
MODE_COLOURS = {
    "sea": "ffc07a1f",
    "rail": "ff2d4fa5",
    "road": "ff2d8c3c",
    "air": "ff9c3c8e",
    "other": "ff7f7f7f",
}
PLACE_STYLES = {
    "exact": ("ff2d2dd6", 1.0),
    "approximate": ("b02d2dd6", 1.3),
    "region": ("802d2dd6", 1.6),
    "unknown": ("802d2dd6", 1.0),
}


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = str(text)
    return el


def _when(parent: ET.Element, edtf: str | None, last: str | None = None) -> None:
    """A TimeStamp for one unit, a TimeSpan for a range (or for ``edtf`` to ``last``)."""
    first, end = iso_ends(edtf) or (None, None)
    if last is not None:
        end = (iso_ends(last) or (None, None))[1]
    if first is None and end is None:
        return
    if first == end or end is None:
        _sub(_sub(parent, "TimeStamp"), "when", first)
        return
    span = _sub(parent, "TimeSpan")
    if first:
        _sub(span, "begin", first)
    _sub(span, "end", end)


def _styles(doc: ET.Element) -> None:
    for mode, colour in MODE_COLOURS.items():
        style = _sub(doc, "Style", id=f"leg-{mode}")
        line = _sub(style, "LineStyle")
        _sub(line, "color", colour)
        _sub(line, "width", 4 if mode == "sea" else 3)
    for precision, (colour, scale) in PLACE_STYLES.items():
        style = _sub(doc, "Style", id=f"place-{precision}")
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", colour)
        _sub(icon, "scale", scale)
        _sub(_sub(icon, "Icon"), "href", "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png")
    style = _sub(doc, "Style", id="event")
    icon = _sub(style, "IconStyle")
    _sub(_sub(icon, "Icon"), "href", "http://maps.google.com/mapfiles/kml/shapes/star.png")


def _html(lines: list[str]) -> str:
    """Google Earth shows a description as HTML: case text is escaped so it is shown, never run."""
    return "<br>".join(html.escape(x) for x in lines if x).replace("\n", "<br>")


def _data(pm: ET.Element, values: dict[str, Any]) -> None:
    ext = _sub(pm, "ExtendedData")
    for key, value in values.items():
        if value not in (None, ""):
            _sub(_sub(ext, "Data", name=key), "value", value)


def _point(lon: float, lat: float) -> str:
    return f"{lon:.6f},{lat:.6f},0"


def build(out: CaseRows) -> ET.Element:
    cites = citations_by_subject(out)
    kml = ET.Element("kml", xmlns=NS)
    doc = _sub(kml, "Document")
    _sub(doc, "name", "Caseboard case")
    _styles(doc)
    places = {p["id"]: p for p in out["places"]}
    actors = {a["id"]: a["name"] for a in out["actors"]}

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Places")
    for p in out["places"]:
        if p["lat"] is None:
            continue
        pm = _sub(folder, "Placemark", id=f"place-{p['id']}")
        marked = p["precision"] != "exact"
        _sub(pm, "name", f"{p['name']} ({p['precision']} position)" if marked else p["name"])
        lines = [f"{p['kind']}, {p['country']}".strip(", ")]
        if marked:
            lines.append(f"Position {p['precision']}: the pin does not mark the exact spot.")
        lines += [p["notes"], cite_text(cites.get(("places", p["id"]), []))]
        _sub(pm, "description", _html(lines))
        _sub(pm, "styleUrl", f"#place-{p['precision']}")
        _data(
            pm,
            {
                "caseboard_id": p["id"],
                "kind": p["kind"],
                "precision": p["precision"],
                "country": p["country"],
            },
        )
        _sub(_sub(pm, "Point"), "coordinates", _point(p["lon"], p["lat"]))

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Shipment legs")
    ships = out.by_id("shipments")
    for leg in out["legs"]:
        a, b = places.get(leg["from_place_id"] or ""), places.get(leg["to_place_id"] or "")
        if not a or not b or a["lat"] is None or b["lat"] is None:
            continue
        ship = ships.get(leg["shipment_id"], {})
        pm = _sub(folder, "Placemark", id=f"leg-{leg['id']}")
        _sub(pm, "name", f"Leg {leg['seq']}: {a['name']} to {b['name']} ({leg['mode']})")
        when = " – ".join(
            x
            for x in (
                display(leg["depart"]) and f"departs {display(leg['depart'])}",
                display(leg["arrive"]) and f"arrives {display(leg['arrive'])}",
            )
            if x
        )
        carrier = f"Carrier: {actors[leg['carrier_id']]}" if leg["carrier_id"] in actors else ""
        lines = [
            ship.get("title") or ship.get("cargo") or "",
            when,
            carrier,
            leg["notes"],
            cite_text(cites.get(("legs", leg["id"]), [])),
        ]
        _sub(pm, "description", _html(lines))
        if leg["depart"] or leg["arrive"]:
            _when(pm, leg["depart"] or leg["arrive"], leg["arrive"] or leg["depart"])
        _sub(pm, "styleUrl", f"#leg-{leg['mode']}")
        _data(
            pm,
            {
                "caseboard_id": leg["id"],
                "mode": leg["mode"],
                "seq": leg["seq"],
                "depart": leg["depart"],
                "arrive": leg["arrive"],
                "shipment": ship.get("title") or ship.get("cargo"),
            },
        )
        line = _sub(pm, "LineString")
        _sub(line, "tessellate", 1)
        _sub(line, "coordinates", f"{_point(a['lon'], a['lat'])} {_point(b['lon'], b['lat'])}")

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Events")
    for e in out["events"]:
        p = places.get(e["place_id"] or "")
        if not p or p["lat"] is None:
            continue
        pm = _sub(folder, "Placemark", id=f"event-{e['id']}")
        _sub(pm, "name", e["title"])
        lines = [
            display(e["date"]),
            f"At {p['name']}",
            e["description"],
            cite_text(cites.get(("events", e["id"]), [])),
        ]
        _sub(pm, "description", _html(lines))
        _when(pm, e["date"])
        _sub(pm, "styleUrl", "#event")
        _data(pm, {"caseboard_id": e["id"], "date": e["date"]})
        _sub(_sub(pm, "Point"), "coordinates", _point(p["lon"], p["lat"]))
    return kml


def export_kml(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the KML; returns the number of placemarks."""
    tree = build(read_rows(case, kept))
    ET.indent(tree)
    with atomic_output(Path(out), "wb") as fh:
        ET.ElementTree(tree).write(fh, encoding="utf-8", xml_declaration=True)
    return sum(1 for _ in tree.iter("Placemark"))
