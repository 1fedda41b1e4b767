"""Places: named locations resolved to coordinates with the offline gazetteer.

A capitalised name is taken as a place only where the sentence uses it as one (after "in", "near", "the port
of", …), so that people and organisations are not put on the map. Countries are places when they are the
location, origin or destination of something; elsewhere they are actors (states). A name the gazetteer does
not know is still suggested, without coordinates, when the cue is strong ("the port of X", "near X", a ship
"loaded at X"). Among same-named places, the one in a country the report mentions, near the report's other
places, wins.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import gazetteer
from .lexicon import MONTHS, ORG_HEADS, STOPWORDS, TITLES, US_STATE_FORMS, US_STATES, WATER_BODY_RE, WEEKDAYS
from .mentions import Mention, SpanIndex
from .model import Place

_NAME = r"[A-Z][\w’'\-]*(?:\.[A-Z]\.)?(?:[ \t]+(?:(?:of(?:[ \t]+the)?|de|al|el|on|upon|es)[ \t]+)?[A-Z][\w’'\-]*\.?){0,3}"
_ADJ = (
    r"(?:(?:northern|southern|eastern|western|central|north-eastern|north-western|south-eastern|south-western|"
    r"northeastern|northwestern|southeastern|southwestern|occupied|coastal|rural|remote)\s+)?"
)
_STRONG = (
    r"port\s+of|port\s+city\s+of|city\s+of|town\s+of|village\s+of|harbou?r\s+of|province\s+of|"
    r"region\s+of|district\s+of|island\s+of|coasts?\s+of|outskirts\s+of|near|outside|off|"
    r"(?:bound|headed|heading|destined|sailing|sail)\s+for|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:-\w+)?\s+of|"
    r"(?:war|invasion|aggression|attacks?|offensive)\s+(?:against|on|of)|invaded|"
    r"(?:parts?|areas?|territory)\s+of|as\s+far(?:\s+(?:north|south|east|west|inland|afield|away))?\s+as|entered|entering|crossed\s+into"
)
_WEAK = r"in|at|to|from|into|via|through|across|toward|towards|inside|within|reached|reaching|left|leaving|onto|between"
_CUE_RE = re.compile(
    rf"\b(?:(?P<strong>(?i:{_STRONG}))|(?P<weak>(?i:{_WEAK})))\s+(?:the\s+)?{_ADJ}(?P<name>{_NAME})"
)
_SUFFIX_RE = re.compile(rf"(?P<name>{_NAME})\s+(?:port|harbou?r|oblast|krai|province|region|district)\b")
_PAIR_RE = re.compile(rf"(?P<name>{_NAME}),\s+(?P<country>{_NAME})")
_IN_REGION_RE = re.compile(rf"(?P<name>{_NAME}),\s+(?:in|on)\s+(?:the\s+)?(?P<region>{_NAME})")
_LIST_RE = re.compile(rf"^,[ \t]+(?P<name>{_NAME})(?=,|[ \t]+(?:and|or)\b)")
_AND_RE = re.compile(rf"^,?\s+(?:and|or)\s+(?:to\s+|in\s+|at\s+)?(?P<name>{_NAME})")
_MOVE_RE = re.compile(
    r"\b(?:load\w*|unload\w*|offload\w*|dock\w*|moor\w*|anchor\w*|arriv\w*|sail\w*|call\w* at|"
    r"ship\w*|sent|send\w*|deploy\w*|dispatch\w*|deliver\w*|carr\w+|mov\w+|transport\w*|transit\w*|flew|flown|fly\w*|land\w*|"
    r"export\w*|import\w*|smuggl\w*|transfer\w*|head\w*|bound|depart\w*|left|leave|stag\w*|"
    r"went|berth\w*|routed|cross\w*|divert\w*|seiz\w*|board\w*|intercept\w*|detain\w*)\b",
    re.I,
)
_RELATIONAL = re.compile(
    r"\b(?:ambassador|envoy|mission|delegation|embassy|visit|trip|letter|wrote|"
    r"apology|threat|aid|support|message|appeal)s?\s+(?:\w+\s+)?to\s+(?:the\s+)?$",
    re.I,
)
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|ic|ii|i)$")
_NOT_PLACES = (
    {m.capitalize() for m in MONTHS}
    | {w.capitalize() for w in WEEKDAYS}
    | STOPWORDS
    | set(TITLES)
    | {"Western", "Eastern", "Northern", "Southern", "Central"}
)


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    strong: bool
    hint: str | None = None  # a country named beside it ("Tartus, Syria")
    cue: str = ""
    lookup: str | None = None  # the name to look up when it differs from the name shown ("Newark, N.J.")


def _trim(name: str) -> str:
    toks = name.split()
    while toks and (
        toks[-1].rstrip(".") in _NOT_PLACES or toks[-1] in {"of", "de", "al", "el", "on", "upon"}
    ):
        toks = toks[:-1]
    out = " ".join(toks)
    out = re.sub(r"[’']s$", "", out)
    return out[:-1] if out.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", out) else out


# two-letter postal codes read as words ("IN", "OR", "ME") are left out, except DC
_US_FORMS = "|".join(
    re.escape(f) for f in sorted(US_STATE_FORMS, key=len, reverse=True) if len(f) > 2 or f == "DC"
)
_US_PAIR_RE = re.compile(rf"(?P<name>{_NAME}),[ \t]+(?P<state>{_US_FORMS})(?![\w])")
_US_DISTRICT_RE = re.compile(
    rf"\b(?:in|at|to|from)[ \t]+the[ \t]+(?P<name>(?:(?:Northern|Southern|Eastern|Western|Middle|Central)[ \t]+)?District[ \t]+of[ \t]+"
    rf"(?P<state>{_US_FORMS}))(?![\w])"
)
_FACILITY_RE = re.compile(
    r"(?<![\w])(?P<name>(?:(?:Coast[ \t]+Guard|Naval|Air[ \t]+Force|Army)[ \t]+)?Base(?:[ \t]+[A-Z][\w’'\-]*){1,3}|"
    r"Camp[ \t]+[A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'\-]+)?|"
    r"(?:[A-Z][\w’'\-]*[ \t]+){1,3}(?:Air[ \t]+Force[ \t]+Base|Air[ \t]+Base|Naval[ \t]+Base|"
    r"Naval[ \t]+Station|Air[ \t]+Station|Army[ \t]+Base|Marine[ \t]+Corps[ \t]+Base|Airport|Air[ \t]+Field|Airfield))\b"
)
_OFFICE_DISTRICT_RE = re.compile(
    r"\b(?:for|of)[ \t]+the[ \t]+(?:(?:Northern|Southern|Eastern|Western|Middle|Central)[ \t]+)?District[ \t]+of[ \t]+$"
)
# "Special Agent in Charge of Homeland Security Investigations, Denver": the seat of the office in its title
_OFFICE_SEAT_RE = re.compile(
    r"\b(?:in[ \t]+Charge|Director|Administrator|Commander|Chief|Head)[ \t]+of[ \t]+(?:the[ \t]+)?"
    r"(?:[A-Z][\w.’'&\-]*[ \t]+(?:(?:of|for|and)[ \t]+)?){0,6}[A-Z][\w.’'&\-]*,[ \t]*$"
)
_HYPHEN_ADJ_RE = re.compile(
    r"-(?:controlled|held|occupied|flagged|based|owned|led|backed|linked|registered|made)$"
)


def _headline(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a title-case line (a headline), where capitals say nothing about names."""
    a = text.rfind("\n", max(0, pos - 200), pos)
    b = text.find("\n", pos, pos + 200)
    if (a < 0 and pos > 200) or b < 0:
        return False  # a line longer than a headline (bounded look, so long texts stay linear)
    words = re.findall(r"[A-Za-z][\w’'\-]*", text[a + 1 : b])
    long = [w for w in words if len(w) > 3]
    return len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _junk(text: str, c: _Cand) -> bool:
    """Names that are never places: acronyms ("DOD"), possessive phrases ("Russia’s War Machine"),
    hyphenated adjectives ("Houthi-controlled"), the district of an office's title ("U.S. Attorney for the
    Southern District of New York"), and unknown capitalised phrases in a headline."""
    name = c.name
    if name in gazetteer.state_names():
        return False
    if name.isupper() and len(name.replace(".", "")) <= 5 and name not in gazetteer.state_names():
        return name not in US_STATE_FORMS or (len(name) <= 2 and name != "DC")
    if re.search(r"[’']s\s", name) or _HYPHEN_ADJ_RE.search(name) or _PRONOUN_RE.fullmatch(name):
        return True
    if _OFFICE_DISTRICT_RE.search(text[max(0, c.start - 60) : c.start]):
        return True
    if _OFFICE_SEAT_RE.search(text[max(0, c.start - 100) : c.start]):
        return True
    return _headline(text, c.start) and not gazetteer.lookup(c.lookup or name)


def _sentence_cut(name: str) -> str:
    """ "Red Sea. Upwards": a name ends where a sentence ends, unless the period closes an abbreviation."""
    m = re.search(r"(?<!\b[A-Z])(?<!\bSt)(?<!\bMt)(?<!\bFt)\.\s+[A-Z]", name)
    return name[: m.start()] if m else name


_PRONOUN_RE = re.compile(r"(?:I|We|You|He|She|It|They)(?:['’]\w+)?")


def _candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    extra = gazetteer.extra_names()
    rx = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(extra, key=len, reverse=True)) + r")(?![\w])"
    )
    for m in rx.finditer(text):
        out.append(_Cand(m.start(), m.end(), m.group(1), True))
    for m in re.finditer(WATER_BODY_RE, text):
        out.append(_Cand(m.start(), m.end(), m.group(0), True))
    for m in _CUE_RE.finditer(text):
        name = _trim(_sentence_cut(m.group("name")))
        if not name:
            continue
        cue = (m.group("strong") or m.group("weak")).lower()
        sent_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), 0)
        moving = bool(_MOVE_RE.search(text[max(sent_start, m.start() - 60) : m.start()]))
        strong = bool(m.group("strong")) or (
            moving and cue in ("at", "in", "from", "to", "into", "between", "via")
        )
        out.append(_Cand(m.start("name"), m.start("name") + len(name), name, strong, cue=cue))
    for m in _SUFFIX_RE.finditer(text):
        name = _trim(m.group("name"))
        if name:
            out.append(_Cand(m.start("name"), m.start("name") + len(name), name, True))
    for m in _US_DISTRICT_RE.finditer(text):
        # "appeared in the Southern District of Florida": a federal court district, a region of its state (never a
        # town of the same name elsewhere); in an office's title ("U.S. Attorney for the …") it is no place
        if not _OFFICE_DISTRICT_RE.search(
            text[max(0, m.start() - 60) : m.start() + len(m.group(0)) - len(m.group("state"))]
        ):
            name = m.group("name")
            out.append(
                _Cand(
                    m.start("name"), m.end("name"), name, True, "United States", "district", m.group("state")
                )
            )
    for m in _FACILITY_RE.finditer(text):
        name = _trim(m.group("name"))  # "Coast Guard Base San Juan Thursday": the weekday is not the base's
        if name:
            out.append(_Cand(m.start("name"), m.start("name") + len(name), name, True, cue="facility"))
    for m in _US_PAIR_RE.finditer(text):
        city = _trim(_sentence_cut(m.group("name")))
        start = m.start("name")
        while " " in city and not gazetteer.lookup(city):  # "HSI Washington, D.C.": the town is the end
            head, _, city = city.partition(" ")
            start += len(head) + 1
        if city and city not in US_STATE_FORMS:
            # "Newark, New Jersey", "NORFOLK, Va.": shown as written, looked up as the town, in the US
            shown = text[start : m.end()]
            hint = _us_country(m.group("state"))
            out.append(_Cand(start, m.end(), shown, True, hint, cue="us-state", lookup=city))
    states = gazetteer.state_names()
    for m in _PAIR_RE.finditer(text):
        if m.group("country") in states and m.group("name") not in states:
            name = _trim(m.group("name"))
            out.append(
                _Cand(m.start("name"), m.start("name") + len(name), name, False, states[m.group("country")])
            )
    for m in _IN_REGION_RE.finditer(text):
        if gazetteer.lookup(_trim(m.group("region"))):
            name = _trim(m.group("name"))
            out.append(_Cand(m.start("name"), m.start("name") + len(name), name, True))
    return out


_DATELINE_PLACE_RE = re.compile(
    r"[ \t]*(?P<city>[A-Z][A-Z'’\-]+(?:[ \t]+[A-Z][A-Z'’\-]+){0,3})(?:,[ \t]*(?P<region>[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?))?"
)


def _us_country(form: str) -> str:
    """The gazetteer's country for a US state or territory: Puerto Rico's towns are listed under Puerto Rico."""
    return "Puerto Rico" if US_STATE_FORMS.get(form) == "Puerto Rico" else "United States"


def dateline_place(text: str, start: int, end: int) -> Place | None:
    """The place of a dateline ("WASHINGTON —", "NORFOLK, Va. –", "LONDON, Oct. 13 —"), named as written;
    a US state or a country after the comma says which of same-named towns it is."""
    m = _DATELINE_PLACE_RE.match(text, start, end)
    if not m:
        return None
    city = m.group("city")
    region = m.group("region") or ""
    hint = None
    shown_end = m.end("city")
    if region in US_STATE_FORMS:
        hint, shown_end = _us_country(region), m.end("region")
    elif region in gazetteer.state_names():
        hint, shown_end = gazetteer.state_names()[region], m.end("region")
    lookup = city.title()
    if lookup in gazetteer.state_names():
        hint = hint or gazetteer.state_names()[lookup]
    c = _Cand(m.start("city"), shown_end, text[m.start("city") : shown_end], True, hint, "dateline", lookup)
    place = _resolve(c, {hint} if hint else set(), gazetteer.state_names(), [])
    if place is None or place.lat is None:
        return None  # "PRESS RELEASE —": a dateline's words the gazetteer does not know are no place
    place.spans.append((c.start, c.end))
    place.confidence = max(place.confidence, 0.8)
    place.reason = "the report's dateline; " + place.reason
    return place


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def extract_places(
    text: str, mentions: list[Mention], skip: tuple[int, int] = (0, 0), named: Iterable[str] = ()
) -> list[Place]:
    """Places in order of first mention, with coordinates where the gazetteer knows them. ``named`` are countries
    the text names elsewhere (its dateline's), which rank same-named places like the states it mentions."""
    states = gazetteer.state_names()
    context = {m.actor.name for m in mentions if m.actor.kind == "state"} | set(named)

    named = SpanIndex(
        (m.start, m.end) for m in mentions if m.actor.kind in ("person", "organization", "vessel")
    )

    def blocked(s: int, e: int) -> bool:
        if skip[0] <= s < skip[1]:
            return True
        return bool(named.overlapping(s, e))

    cands = sorted(_candidates(text), key=lambda c: (c.start, -(c.end - c.start)))
    # follow coordinated names: "to Ningbo and Lianyungang"
    more = []
    for c in cands:
        if (c.cue == "between" and c.name in states) or blocked(c.start, c.end) or _junk(text, c):
            continue
        if any(
            w in ORG_HEADS or w.rstrip("s") in ORG_HEADS or w[:-3] + "y" in ORG_HEADS for w in c.name.split()
        ):
            continue  # "the Departments of Defense, Justice and Homeland Security": offices, not a list of places
        end = c.end
        chain: list[_Cand] = []
        for _ in range(8):  # "in Russia, China, and Iran": each name of a list after the cue
            m = _AND_RE.match(text[end:])
            listed = None if m else _LIST_RE.match(text[end:])
            if not (m or listed):
                chain = []  # "Port Said, Egypt, according to": no "and" closes it, so no list
                break
            name = _trim(_sentence_cut((m or listed).group("name")))
            if not name or _DEMONYM.match(name) and name not in states:
                chain = [] if listed else chain  # "Ukrainian and Western officials": adjectives
                break
            s = end + (m or listed).start("name")
            chain.append(
                _Cand(s, s + len(name), name, c.strong or c.cue in ("to", "from", "between"), cue=c.cue)
            )
            end = s + len(name)
            if m:
                break
        more.extend(chain)
    cands = sorted(cands + more, key=lambda c: (c.start, -(c.end - c.start)))
    # anchors: names with a single reading, used to choose among same-named places
    anchors: list[tuple[float, float]] = []
    for c in cands:
        hits = gazetteer.lookup(c.name)
        if len(hits) == 1 or (hits and hits[0].feature in ("sea", "region")):
            anchors.append((hits[0].lat, hits[0].lon))

    anchors = list(dict.fromkeys(anchors))  # the same coordinates once: near() looks at each anchor
    places: dict[str, Place] = {}
    taken = SpanIndex()
    facilities = SpanIndex((c.start, c.end) for c in cands if c.cue == "facility")
    for c in cands:
        if c.cue != "facility" and facilities.contains(c.start, c.end):
            continue  # "at MacDill Air Force Base": the named base is the place, not a word of it
        while c.cue != "facility" and blocked(c.start, c.start + 1) and " " in c.name:
            head, _, rest = c.name.partition(" ")  # "RAF Lossiemouth": the base's name after the service's
            c = _Cand(c.start + len(head) + 1, c.end, rest, c.strong, c.hint, c.cue)
        facility = c.cue == "facility"
        if taken.contains(c.start, c.start + 1) or (blocked(c.start, c.end) and not facility):
            continue
        if c.name in _NOT_PLACES or _junk(text, c):
            continue
        nxt = text[c.end : c.end + 2]
        exact = any(h.name == c.name for h in gazetteer.lookup(c.name))
        if _DEMONYM.match(c.name) and not exact and c.name not in states and re.match(r"\s[a-z]", nxt):
            continue  # "the Syrian port", "Indian officials"
        if (c.name in states or c.name in gazetteer.capitals()) and not _country_is_place(text, c):
            continue  # "hostage to Washington", "across the U.S. government": the state, not a place
        place = _resolve(c, context, states, anchors)
        if place is None:
            continue
        written = (place.gazetteer_name or "").casefold() == place.name.casefold()
        if written and re.match(r"[ \t]+region\b", text[c.end : c.end + 8]):
            place.name = f"{place.name} region"  # "the Indo-Pacific region", as written; looked up without it
        if c.cue == "district":
            place.reason = "a US federal court district: shown at its state, region precision"
        key = (
            place.name if c.cue == "district" else (place.gazetteer_name or place.name)
        )  # a district is not its state
        if key in places:
            places[key].spans.append((c.start, c.end))
        else:
            place.spans.append((c.start, c.end))
            places[key] = place
        taken.add(c.start, c.end)
        if place.country and place.feature != "country":
            context.add(place.country)
    return sorted(places.values(), key=lambda p: p.spans[0])


def _country_is_place(text: str, c: _Cand) -> bool:
    """ "shipped to Russia", "in Syria" yes; "ambassador to Lebanon", "talks between X and Y" no."""
    if not c.cue or c.cue == "between":
        return c.name not in gazetteer.state_names()  # a capital needs no cue to be a place; a state does
    if re.match(r"[ \t]+[a-z]", text[c.end : c.end + 3]) and "." in c.name:
        return False  # "the U.S. government": an adjective
    lead = text[max(0, c.start - 40) : c.start]
    if _RELATIONAL.search(lead):
        return False
    if c.cue in ("to", "toward", "towards"):
        sent_start = max(text.rfind(". ", 0, c.start), text.rfind("\n", 0, c.start), 0)
        return bool(_MOVE_RE.search(text[sent_start : c.start]))
    return True


def _gazetteer_reason(
    hits: list[gazetteer.Entry], best: gazetteer.Entry, context: set[str], strong: bool
) -> str:
    """ "gazetteer: 3 candidates, chose the one in a country the text names" and the like."""
    n = len(hits)
    head = "gazetteer: 1 candidate" if n == 1 else f"gazetteer: {n} candidates"
    if n > 1:
        why = "in a country the text names" if best.country in context else "the most populous"
        head += f", chose the one {why}"
    return head + ("" if strong else "; no place word before it")


def _resolve(
    c: _Cand, context: set[str], states: dict[str, str], anchors: list[tuple[float, float]]
) -> Place | None:
    name = c.lookup or c.name
    if name in US_STATE_FORMS and (len(name) > 2 or name == "DC") and name not in states:
        name = US_STATE_FORMS[name]  # "D.C.", "N.J."
    if name in US_STATES and name not in states:
        _, lat, lon = US_STATES[name]
        return Place(
            c.name,
            "United States",
            lat,
            lon,
            gazetteer_name=name,
            feature="region",
            precision="country",
            confidence=0.75,
            reason="a US state: shown at region precision",
        )
    if name in states:
        canon = states[name]
        pt = gazetteer.country_point(canon)
        return Place(
            canon,
            canon,
            pt.lat if pt else None,
            pt.lon if pt else None,
            gazetteer_name=canon,
            feature="country",
            precision="country",
            confidence=0.6,
            reason="a country's name: shown at region precision",
        )
    hits = gazetteer.lookup(name)
    town = re.search(r"\b(?:Base|Station)[ \t]+(.+)$", name) if c.cue == "facility" and not hits else None
    if town:  # "Coast Guard Base San Juan": a base named after its town stands at the town, approximately
        near_town = sorted(
            gazetteer.lookup(town.group(1)), key=lambda h: (h.country not in context, -h.population)
        )
        if near_town:
            t = near_town[0]
            return Place(
                c.name,
                t.country,
                t.lat,
                t.lon,
                gazetteer_name=None,
                feature="place",
                precision="approximate",
                confidence=0.7,
                reason=f"a base named after its town: placed at {t.name}, approximately",
            )
    if c.hint:
        hits = [h for h in hits if h.country == c.hint] or hits
    if hits:

        def near(h: gazetteer.Entry) -> float:
            others = [a for a in anchors if (a[0], a[1]) != (h.lat, h.lon)]
            return min((_km((h.lat, h.lon), a) for a in others), default=0.0)

        best = sorted(
            hits,
            key=lambda h: (
                h.country not in context,
                h.name.casefold() != name.casefold(),
                near(h) > 1500,
                -h.population,
            ),
        )[0]
        if not c.strong and best.population < 15000 and best.country not in context:
            return None  # a small town abroad after a bare "in" is more likely a misreading than a place
        precision = "approximate" if best.feature in ("sea", "region") else "exact"
        return Place(
            c.name,
            best.country,
            best.lat,
            best.lon,
            gazetteer_name=best.name,
            feature=best.feature,
            precision=precision,
            confidence=0.8 if c.strong else 0.65,
            reason=_gazetteer_reason(hits, best, context, c.strong),
        )
    if c.strong and len(name) > 2 and not name.isupper() and name not in gazetteer.capitals():
        return Place(
            c.name,
            None,
            None,
            None,
            feature="place",
            precision="unknown",
            confidence=0.4,
            reason="after a place word, but not in the gazetteer: no coordinates",
        )
    return None
