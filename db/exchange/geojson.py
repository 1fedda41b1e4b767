"""GeoJSON (RFC 7946): places as Points, legs as LineStrings, events at their places; longitude first, WGS 84.

Each feature's properties say what it is (``caseboard_table``, ``id``), its honest date text and the stored EDTF,
and, for places, the precision (``approximate`` true when the position is not exact). QGIS, kepler.gl and
geojson.io read it as is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from caseboard.db.atomic_write import atomic_output
from caseboard.db.case import Case
from caseboard.db.exchange.common import (
    CaseRows,
    citations_by_subject,
    cite_text,
    display,
    partial,
    read_rows,
)
from caseboard.db.related import Related


def _lonlat(p: dict[str, Any]) -> list[float]:
    return [round(p["lon"], 6), round(p["lat"], 6)]


def _date_props(prefix: str, edtf: str | None) -> dict[str, Any]:
    d = partial(edtf)
    if d is None:
        return {}
    return {
        f"{prefix}": display(edtf),
        f"{prefix}_edtf": edtf,
        f"{prefix}_first_day": d.start.isoformat(),
        f"{prefix}_last_day": d.end.isoformat(),
    }


def features(out: CaseRows) -> list[dict[str, Any]]:
    cites = citations_by_subject(out)
    places = {p["id"]: p for p in out["places"] if p["lat"] is not None}
    actors = {a["id"]: a["name"] for a in out["actors"]}
    ships = out.by_id("shipments")
    feats: list[dict[str, Any]] = []
    for p in places.values():
        props = {
            "caseboard_table": "places",
            "id": p["id"],
            "name": p["name"],
            "kind": p["kind"],
            "country": p["country"],
            "precision": p["precision"],
            "approximate": p["precision"] != "exact",
            "notes": p["notes"],
            "sources": cite_text(cites.get(("places", p["id"]), [])),
        }
        feats.append(
            {
                "type": "Feature",
                "id": p["id"],
                "geometry": {"type": "Point", "coordinates": _lonlat(p)},
                "properties": props,
            }
        )
    for leg in out["legs"]:
        a, b = places.get(leg["from_place_id"] or ""), places.get(leg["to_place_id"] or "")
        if not a or not b:
            continue
        ship = ships.get(leg["shipment_id"], {})
        props = {
            "caseboard_table": "legs",
            "id": leg["id"],
            "name": f"Leg {leg['seq']}: {a['name']} to {b['name']} ({leg['mode']})",
            "mode": leg["mode"],
            "seq": leg["seq"],
            "shipment": ship.get("title") or ship.get("cargo"),
            "shipment_id": leg["shipment_id"],
            "from": a["name"],
            "to": b["name"],
            "carrier": actors.get(leg["carrier_id"] or ""),
            **_date_props("depart", leg["depart"]),
            **_date_props("arrive", leg["arrive"]),
            "notes": leg["notes"],
            "sources": cite_text(cites.get(("legs", leg["id"]), [])),
        }
        geometry = {"type": "LineString", "coordinates": [_lonlat(a), _lonlat(b)]}
        feats.append({"type": "Feature", "id": leg["id"], "geometry": geometry, "properties": props})
    for e in out["events"]:
        p = places.get(e["place_id"] or "")
        if not p:
            continue
        props = {
            "caseboard_table": "events",
            "id": e["id"],
            "name": e["title"],
            "place": p["name"],
            **_date_props("date", e["date"]),
            "description": e["description"],
            "sources": cite_text(cites.get(("events", e["id"]), [])),
        }
        feats.append(
            {
                "type": "Feature",
                "id": e["id"],
                "geometry": {"type": "Point", "coordinates": _lonlat(p)},
                "properties": props,
            }
        )
    return feats


def export_geojson(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the FeatureCollection; returns the number of features."""
    feats = features(read_rows(case, kept))
    with atomic_output(Path(out), "w", newline="\n") as fh:
        # one feature a line: readable, and json's C encoder (indent= would use the slow Python one)
        fh.write('{"type": "FeatureCollection", "features": [\n')
        fh.write(",\n".join(json.dumps(f, ensure_ascii=False) for f in feats))
        fh.write("\n]}\n")
    return len(feats)
