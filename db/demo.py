"""Build the built-in demo case from ``resources/demo_case.json``.

The data file uses short keys ("S1", "kirby") for cross-references; ids are derived from them with uuid5 so the
demo case has the same ids every time it is built (tests and bug reports can name them).
"""

from __future__ import annotations

import json
import os
import uuid
from importlib.resources import files
from typing import Any

from caseboard.db import actors, citations, events, places, relationships, shipments, sources, statements
from caseboard.db.case import Case, create_case

_NAMESPACE = uuid.UUID("6f1c2a57-8f0e-4b7e-9a47-3c1d2e5b9a10")


def demo_id(key: str) -> str:
    return uuid.uuid5(_NAMESPACE, key).hex


def demo_data() -> dict[str, Any]:
    return json.loads((files("caseboard.resources") / "demo_case.json").read_text(encoding="utf-8"))


def _cite(case: Case, table: str, key: str, cites: list[list[Any]]) -> None:
    for source_key, credibility in cites:
        citations.cite(
            case,
            table,
            demo_id(key),
            demo_id(source_key),
            credibility,
            id=demo_id(f"cite:{key}:{source_key}"),
        )


def _ref(key: str | None) -> str | None:
    return demo_id(key) if key else None


def fill_demo(case: Case) -> None:
    """Write every demo fact into ``case`` (an empty case) in one transaction."""
    data = demo_data()
    with case.transaction(label="Build demo case"):
        case.set_info("title", data["title"])
        case.set_info("summary", data["summary"])
        for s in data["sources"]:
            fields = {k: v for k, v in s.items() if k not in ("key", "via")}
            sources.add_source(case, id=demo_id(s["key"]), **fields)
        for s in data["sources"]:
            if s.get("via"):
                sources.update_source(case, demo_id(s["key"]), via_id=demo_id(s["via"]))
        for a in data["actors"]:
            fields = {k: v for k, v in a.items() if k not in ("key", "cite")}
            actors.add_actor(case, id=demo_id(a["key"]), **fields)
            _cite(case, "actors", a["key"], a.get("cite", []))
        for p in data["places"]:
            fields = {k: v for k, v in p.items() if k not in ("key", "cite")}
            places.add_place(case, id=demo_id(p["key"]), **fields)
            _cite(case, "places", p["key"], p.get("cite", []))
        for sh in data["shipments"]:
            fields = {k: v for k, v in sh.items() if k not in ("key", "cite", "legs", "shipper", "receiver")}
            shipments.add_shipment(
                case,
                id=demo_id(sh["key"]),
                shipper_id=_ref(sh.get("shipper")),
                receiver_id=_ref(sh.get("receiver")),
                **fields,
            )
            _cite(case, "shipments", sh["key"], sh.get("cite", []))
            for leg in sh["legs"]:
                shipments.add_leg(
                    case,
                    id=demo_id(leg["key"]),
                    shipment_id=demo_id(sh["key"]),
                    from_place_id=_ref(leg.get("from")),
                    to_place_id=_ref(leg.get("to")),
                    carrier_id=_ref(leg.get("carrier")),
                    mode=leg["mode"],
                    depart=leg.get("depart"),
                    arrive=leg.get("arrive"),
                    notes=leg.get("notes", ""),
                )
                _cite(case, "legs", leg["key"], leg.get("cite", []))
        for e in data["events"]:
            events.add_event(
                case,
                id=demo_id(e["key"]),
                title=e["title"],
                description=e.get("description", ""),
                date=e.get("date"),
                place_id=_ref(e.get("place")),
                shipment_id=_ref(e.get("shipment")),
                actors=[(demo_id(k), role) for k, role in e.get("actors", [])],
            )
            _cite(case, "events", e["key"], e.get("cite", []))
        for st in data["statements"]:
            statements.add_statement(
                case,
                id=demo_id(st["key"]),
                text=st["text"],
                kind=st["kind"],
                said=st.get("said"),
                speaker_id=_ref(st.get("speaker")),
                source_id=_ref(st.get("source")),
            )
            _cite(case, "statements", st["key"], st.get("cite", []))
        for r in data.get("relationships", []):
            fields = {k: v for k, v in r.items() if k not in ("key", "cite", "from", "to")}
            relationships.add_relationship(
                case,
                id=demo_id(r["key"]),
                from_actor_id=demo_id(r["from"]),
                to_actor_id=demo_id(r["to"]),
                **fields,
            )
            _cite(case, "relationships", r["key"], r.get("cite", []))


def write_demo(path: str | os.PathLike[str], *, overwrite: bool = False) -> Case:
    """Create a case file at ``path`` holding the demo case; returns it open."""
    case = create_case(path, title=demo_data()["title"], overwrite=overwrite)
    try:
        fill_demo(case)
    except BaseException:
        case.close()
        raise
    return case
