"""Places: named locations resolved to coordinates with the offline gazetteer.

A capitalised name is taken as a place only where the sentence uses it as one (after "in", "near", "the port
of", …), so that people and organisations are not put on the map. Countries are places when they are the
origin, destination or location of something; elsewhere they are actors (states). A name the gazetteer does not
know is still suggested, without coordinates, when the cue is strong ("the port of X", "near X").
"""

from __future__ import annotations

import re

from . import gazetteer
from .actors import Mention
from .lexicon import MONTHS, STOPWORDS, TITLES, WEEKDAYS
from .model import Place

_NAME = r"[A-Z][\w’'\-]*(?:\.[A-Z]\.)?(?:\s+(?:(?:of|de|al|el|on|upon)\s+)?[A-Z][\w’'\-]*\.?){0,3}"
_STRONG = (r"port\s+of|port\s+city\s+of|city\s+of|town\s+of|village\s+of|harbou?r\s+of|province\s+of|"
           r"region\s+of|district\s+of|island\s+of|coast\s+of|outskirts\s+of|near|outside|off")
_WEAK = r"in|at|to|from|into|via|through|across|toward|towards|inside|within|reached|reaching|left|leaving|onto"
_CUE_RE = re.compile(rf"\b(?:(?P<strong>(?i:{_STRONG}))|(?P<weak>(?i:{_WEAK})))\s+(?:the\s+)?(?P<name>{_NAME})")
_SUFFIX_RE = re.compile(rf"(?P<name>{_NAME})\s+(?:port|harbou?r|oblast|krai|province|region|district)\b")
_PAIR_RE = re.compile(rf"(?P<name>{_NAME}),\s+(?P<country>{_NAME})")
_NOT_PLACES = {m.capitalize() for m in MONTHS} | {w.capitalize() for w in WEEKDAYS} | STOPWORDS | set(TITLES)


def _trim(name: str) -> str:
    toks = name.split()
    while toks and (toks[-1].rstrip(".") in _NOT_PLACES or toks[-1] in {"of", "de", "al", "el", "on", "upon"}):
        toks = toks[:-1]
    out = " ".join(toks)
    return out[:-1] if out.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", out) else out


def extract_places(text: str, mentions: list[Mention], skip: tuple[int, int] = (0, 0)) -> list[Place]:
    """Places in order of first mention, with coordinates where the gazetteer knows them."""
    states = gazetteer.state_names()
    capitals = gazetteer.capitals()
    context = {m.actor.name for m in mentions if m.actor.kind == "state"}
    found: list[tuple[int, int, str, bool, str | None]] = []  # start, end, name, strong cue, country hint

    def blocked(s: int, e: int) -> bool:
        if skip[0] <= s < skip[1]:
            return True
        for m in mentions:
            if m.start < e and s < m.end and m.actor.kind in ("person", "organization", "vessel"):
                return True
        return False

    extra = gazetteer.extra_names()
    rx = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(extra, key=len, reverse=True)) + r")(?![\w])")
    for m in rx.finditer(text):
        found.append((m.start(), m.end(), m.group(1), True, None))
    for m in _CUE_RE.finditer(text):
        name = _trim(m.group("name"))
        if name:
            found.append((m.start("name"), m.start("name") + len(name), name, bool(m.group("strong")), None))
    for m in _SUFFIX_RE.finditer(text):
        name = _trim(m.group("name"))
        if name:
            found.append((m.start("name"), m.start("name") + len(name), name, True, None))
    for m in _PAIR_RE.finditer(text):
        if m.group("country") in states and m.group("name") not in states:
            name = _trim(m.group("name"))
            found.append((m.start("name"), m.start("name") + len(name), name, False, states[m.group("country")]))

    places: dict[str, Place] = {}
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    taken: list[tuple[int, int]] = []
    for s, e, name, strong, hint in found:
        if any(a <= s < b for a, b in taken) or blocked(s, e) or name in _NOT_PLACES:
            continue
        place = _resolve(name, strong, hint, context, states, capitals)
        if place is None:
            continue
        key = place.gazetteer_name or place.name
        if key in places:
            places[key].spans.append((s, e))
        else:
            place.spans.append((s, e))
            places[key] = place
        taken.append((s, e))
        if place.country and place.feature != "country":
            context.add(place.country)
    return sorted(places.values(), key=lambda p: p.spans[0])


def _resolve(name: str, strong: bool, hint: str | None, context: set[str], states: dict[str, str],
             capitals: dict[str, str]) -> Place | None:
    if name in states:
        canon = states[name]
        pt = gazetteer.country_point(canon)
        return Place(canon, canon, pt.lat if pt else None, pt.lon if pt else None, gazetteer_name=canon,
                     feature="country", precision="country", confidence=0.6)
    hits = gazetteer.lookup(name)
    if hint:
        hits = [h for h in hits if h.country == hint] or hits
    if hits:
        best = sorted(hits, key=lambda h: (h.country not in context, h.name.casefold() != name.casefold(),
                                           -h.population))[0]
        if not strong and best.population < 15000 and best.country not in context and name not in capitals:
            return None  # a small town abroad after a bare "in" is more likely a misreading than a place
        precision = "approximate" if best.feature in ("sea", "region") else "exact"
        return Place(name, best.country, best.lat, best.lon, gazetteer_name=best.name, feature=best.feature,
                     precision=precision, confidence=0.8 if strong else 0.65)
    if strong and len(name) > 2 and not name.isupper():
        return Place(name, None, None, None, feature="place", precision="unknown", confidence=0.4)
    return None
