"""Quantities of cargo and the legs of their movement.

A shipment starts at a quantity of goods ("more than 1,000 containers of munitions"); movement sentences that
follow ("carried from Najin to Dunay aboard the M/V Angara, arriving on Sept. 12") become its legs.
"""

from __future__ import annotations

import re

from .mentions import ByStart, Mention
from .model import DateMention, Leg, Place, Shipment
from .text import Segment

_QUAL = r"(?P<qual>more than|over|about|around|roughly|approximately|nearly|almost|at least|some|up to|fewer than|an estimated|as many as)?\s*"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:million|thousand|hundred))?|a dozen|dozens|hundreds|thousands|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)"
_UNITS = (
    r"tons|tonnes|metric tons|barrels|kilograms|kg|pounds|liters|litres|gallons|cubic meters|TEU|"
    r"truckloads|wagonloads|carloads|railcars|pallets|crates|boxes|containers|shipping containers|cases|"
    r"bags|sacks|cartons|drums|cylinders|packages|units|pieces|sets"
)
_GOODS = (
    r"rounds|shells|rifles|guns|pistols|missiles|rockets|drones|launchers|grenades|mines|mortars|"
    r"vehicles|trucks|tanks|aircraft|helicopters|engines|machine guns|munitions|artillery|ammunition|"
    r"warheads|components|parts|chips|semiconductors|cars|tractors|generators|barrels|tons|tonnes"
)
_QTY_RE = re.compile(
    rf"(?<![\w\-.,$]){_QUAL}{_NUMBER}\s+(?P<rest>(?:[\w\-–./]+\s+){{0,4}}?(?:{_UNITS}|{_GOODS})\b(?:\s+of\s+[\w\-\s,]+?)?)"
    r"(?=\s+(?:from|to|for|and\s+(?:was|were|had|have)|was|were|had|have|that|which|bound|aboard|on|in|at|by|"
    r"across|into|via|through|headed|destined)\b|[.,;:)”\"]|$)",
    re.I,
)
_NOT_CARGO = re.compile(
    r"\b(?:people|citizens|civilians|killed|dead|soldiers|troops|miles|kilometers|km|years|"
    r"days|weeks|months|hours|percent|dollars|billion|million dollars)\b",
    re.I,
)
_MOVE_RE = re.compile(
    r"\b(?:continu\w*|travel\w*|routed|shipped|ship|shipping|transported|carried|carrying|loaded|delivered|sailed|moved|sent|"
    r"arrived|arriving|departed|departing|left|docked|transferred|trucked|flown|airlifted|"
    r"offloaded|unloaded|went|headed|taken|hauled|railed|transiting|transited|smuggled|"
    r"exported|imported|bound)\b",
    re.I,
)
_MODES = [
    ("rail", r"\b(?:rail|railway|train|trains|railcars|wagons)\b"),
    ("air", r"\b(?:air|aircraft|plane|planes|flight|flights|flown|airlifted|cargo jet|Ilyushin|Antonov)\b"),
    ("road", r"\b(?:truck|trucks|trucked|lorry|lorries|road|convoy|highway)\b"),
    ("sea", r"\b(?:sea|ship|ships|vessel|vessels|tanker|freighter|sailed|docked|port|aboard|barge|ferry)\b"),
]
_WORDNUM = {
    "a dozen": 12,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
}


def _value(num: str) -> float | None:
    n = num.lower()
    if n in _WORDNUM:
        return float(_WORDNUM[n])
    mult = 1.0
    for word, k in (("million", 1e6), ("thousand", 1e3), ("hundred", 1e2)):
        if n.endswith(word):
            mult, n = k, n[: -len(word)].strip()
    try:
        return float(n.replace(",", "")) * mult
    except ValueError:
        return None


def find_quantities(text: str, skip: tuple[int, int] = (0, 0)) -> list[Shipment]:
    """Cargo quantities, one shipment each, in text order."""
    out = []
    for m in _QTY_RE.finditer(text):
        if skip[0] <= m.start() < skip[1] or _NOT_CARGO.search(m.group("rest")):
            continue
        if re.match(r"\d{4}$", m.group("num")) and not m.group("qual"):
            continue  # a year, not a count
        before = text[max(0, m.start() - 2) : m.start()]
        if "$" in before:
            continue
        qual = (m.group("qual") or "").strip()
        quantity = f"{qual} {m.group('num')}".strip()
        cargo = m.group("rest").strip().rstrip(",")
        unit_m = re.match(rf"(?:[\w\-–./]+\s+){{0,4}}?({_UNITS})\b", cargo, re.I)
        out.append(
            Shipment(
                cargo=cargo,
                quantity=quantity,
                value=_value(m.group("num")),
                unit=unit_m.group(1).lower() if unit_m else None,
                approximate=bool(qual),
                spans=[(m.start(), m.end())],
                confidence=0.6,
                reason="a quantity with a cargo word",
            )
        )
    return out


def _place_at(places: list[Place] | ByStart[tuple[int, Place]], a: int, b: int) -> list[tuple[int, Place]]:
    if isinstance(places, ByStart):
        return places.within(a, b)
    return sorted((s, p) for p in places for s, e in p.spans if a <= s < b)


def place_starts(places: list[Place]) -> ByStart[tuple[int, Place]]:
    """Every place mention as (start, place), for ``_place_at`` on many sentences."""
    return ByStart(sorted(((s, p) for p in places for s, _e in p.spans), key=lambda x: x[0]), lambda x: x[0])


_FROM_CUE = re.compile(
    r"\b(?:from|left|leaving|departed|departing|staged (?:at|in)|loaded (?:at|in)|loading (?:at|in))\s+"
    r"(?:the\s+)?(?:port\s+of\s+)?$"
)
_TO_CUE = re.compile(
    r"\b(?:to|into|reached|reaching|toward|towards|for|docked (?:at|in)|arrived (?:at|in)|arriving (?:at|in)|"
    r"unloaded (?:at|in)|offloaded (?:at|in)|delivered to|moored (?:at|in))\s+(?:the\s+)?"
    r"(?:port\s+of\s+|an?\s+[\w\s]+?\s+(?:near|in|at)\s+)?$"
)
_ONWARD = re.compile(
    r"\b(?:from where|from there|then|onward|onwards|before (?:going|moving|continuing))\b", re.I
)


def _sentence_legs(
    text: str, sent: Segment, places: list[Place] | ByStart[tuple[int, Place]]
) -> list[tuple[str | None, str | None, int, int]]:
    """(from, to, start, end) of each movement in one sentence, reading its places in order."""
    legs: list[tuple[str | None, str | None, int, int]] = []
    cur_from: tuple[str, int] | None = None
    loose: list[tuple[str, int]] = []
    last_to_end = -1
    for s, p in _place_at(places, sent.start, sent.end):
        if p.feature == "sea":
            continue
        lead = text[max(sent.start, s - 40) : s].lower()
        if re.search(r"\b(?:registered|flagged|based|headquartered|incorporated)\s+in\s+(?:the\s+)?$", lead):
            continue  # a flag or a seat, not a point on the route
        if _FROM_CUE.search(lead):
            cur_from = (p.name, s)
        elif _TO_CUE.search(lead) or (legs and _ONWARD.search(text[last_to_end:s])):
            origin = cur_from or (loose[-1] if loose else None)
            if origin and origin[0] == p.name:
                continue
            legs.append((origin[0] if origin else None, p.name, origin[1] if origin else s, s))
            cur_from, loose, last_to_end = (p.name, s), [], s
        elif all(name != p.name for name, _ in loose):
            loose.append((p.name, s))
    if not legs:
        if cur_from and loose:
            legs.append((cur_from[0], loose[-1][0], cur_from[1], loose[-1][1]))
        elif len(loose) >= 2:
            legs.append((loose[0][0], loose[-1][0], loose[0][1], loose[-1][1]))
        elif cur_from:
            legs.append((cur_from[0], None, cur_from[1], cur_from[1]))
    return legs


def find_legs(
    text: str,
    sents: list[Segment],
    shipments: list[Shipment],
    places: list[Place],
    mentions: list[Mention],
    dates: list[DateMention],
) -> list[Shipment]:
    """Attach movement sentences to the latest shipment before them (or to a new cargo-less one)."""
    at_places = place_starts(places)
    by_mention = ByStart(mentions, lambda m: m.start)
    by_date = ByStart(dates, lambda d: d.span[0])
    for sent in sents:
        if not _MOVE_RE.search(sent.text):
            continue
        if not re.search(r"[.!?][”\")]*$", sent.text):
            continue  # a headline repeats what the story says
        legs = _sentence_legs(text, sent, at_places)
        for k, (origin, dest, _start, dest_at) in enumerate(legs):
            # the words that describe this leg: from the previous leg's destination to this one's (or the end)
            seg_start = legs[k - 1][3] if k else sent.start
            seg_end = dest_at + 1 if k + 1 < len(legs) else sent.end
            if origin is None and k == 0:
                origin = _subject_state(text, sent, by_mention.within(sent.start, sent.end), dest)
            seg = text[seg_start:seg_end]
            mode = next((name for name, rx in _MODES if re.search(rx, seg, re.I)), None)
            carrier = next(
                (m.actor.name for m in by_mention.within(seg_start, seg_end) if m.actor.kind == "vessel"),
                None,
            )
            if carrier:
                mode = mode or "sea"
            depart, arrive = _leg_dates(
                text, by_date.within(seg_start, seg_end), seg_start, seg_end, sent.text
            )
            target = next((sh for sh in reversed(shipments) if sh.spans[0][0] <= sent.end), None)
            if target is None:
                target = Shipment(
                    cargo=None,
                    quantity=None,
                    spans=[(sent.start, sent.end)],
                    confidence=0.3,
                    reason="movement words without a quantity",
                )
                shipments.append(target)
            if target.legs and origin is None:
                origin = target.legs[-1].destination
            if origin == dest:
                continue
            target.legs.append(Leg(origin, dest, mode, carrier, depart, arrive, span=(sent.start, sent.end)))
    shipments.sort(key=lambda s: s.spans[0])
    return _merge_cargo_later(shipments)


def _merge_cargo_later(shipments: list[Shipment]) -> list[Shipment]:
    """Legs told before their cargo ("the vessel sailed to Vostochny … it carried at least 180 containers")."""
    out: list[Shipment] = []
    for k, sh in enumerate(shipments):
        if sh.cargo is None and k + 1 < len(shipments):
            nxt = shipments[k + 1]
            if nxt.cargo and not nxt.legs and nxt.spans[0][0] - sh.spans[0][1] < 800:
                nxt.legs = sh.legs + nxt.legs
                nxt.spans = sh.spans + nxt.spans
                continue
        out.append(sh)
    return out


def _subject_state(text: str, sent: Segment, mentions: list[Mention], dest: str | None) -> str | None:
    """ "North Korea has sent … to Russia": a state named before the movement verb is where it came from."""
    verb = _MOVE_RE.search(sent.text)
    if not verb:
        return None
    for m in mentions:
        if (
            sent.start <= m.start < sent.start + verb.start()
            and m.actor.kind == "state"
            and m.actor.name != dest
        ):
            return m.actor.name
    return None


def _leg_dates(
    text: str, dates: list[DateMention], a: int, b: int, sentence: str
) -> tuple[str | None, str | None]:
    depart = arrive = None
    for d in dates:
        if not a <= d.span[0] < b:
            continue
        lead = text[max(a, d.span[0] - 40) : d.span[0]].lower()
        if re.search(r"\b(?:said|says|told|announced|disclosed|reported)\s+(?:on\s+)?$", lead):
            continue  # the date of the statement, not of the movement
        if re.search(r"\b(?:left|departed|departing|sailed|set off|staged|loaded)\b", lead):
            depart = depart or d.value
        elif re.search(r"\b(?:arriv\w*|docked|reached|delivered|unloaded|offloaded)\b", text[a:b]):
            arrive = d.value
        else:
            depart = depart or d.value
    return depart, arrive
