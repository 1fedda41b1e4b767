"""Vessels: "M/V Angara", "HMS Kingfisher", "the tanker Eagle Wren", the vessel “Night Heron”, lists of ships."""

from __future__ import annotations

import re

from . import gazetteer
from .lexicon import (
    KNOWN_ORGS,
    VESSEL_NOUNS,
    VESSEL_PREFIX,
)
from .mentions import ActorTable
from .model import Actor
from .people import MONTH_WORDS, NOT_NAMES

_VNAME = r"(?:[A-Z][\w’'\-]*|[IVX]+)(?:[ \t]+(?:Jr\.|[A-Z]\.(?=[ \t]+[A-Z])|[A-Z][\w’'\-]*|[IVX]+|\d+)){0,4}"
_VESSEL_NAME = rf"[“\"]?({_VNAME})[”\"]?"
_VESSEL_LIST_RE = re.compile(
    rf"\b(?:vessels|ships|tankers|freighters|carriers|[Cc]utters),?\s+((?:the\s+)?(?:{_VNAME})(?:,\s+(?:the\s+)?(?:{_VNAME}))*"
    rf",?\s+and\s+(?:the\s+)?(?:{_VNAME}))"
)
_VESSEL_APPOSED_RE = (
    re.compile(  # "one of the ships, the Jade Harmony,"; "the “Lucky Star”, the 2003-built Aframax"
        rf"\b(?:ships|vessels|tankers|freighters),[ \t]+the[ \t]+({_VNAME})\b"
        rf"|[“\"]({_VNAME})[”\"],?[ \t]+(?:the|a|an)[ \t]+(?:[\w\-/]+[ \t]+){{0,3}}?(?:{VESSEL_NOUNS})\b"
    )
)
_VESSEL_PREFIX_RE = re.compile(rf"(?<![\w/])({VESSEL_PREFIX})[ \t]+{_VESSEL_NAME}")
# "the Marshall Islands-flagged Advantage Sweet", "the Greek-owned oil tanker Niovi": a flag or owner adjective
# before a name marks a ship
_FLAGGED_RE = re.compile(
    r"\b(?:the|a|an)[ \t]+[A-Z][\w’']*(?:[ \t]+[A-Z][\w’']*)?-(?:flagged|owned|registered|operated|managed)[ \t]+"
    rf"(?:(?:oil|crude|chemical|product|gas|LPG|LNG|cargo|container|fishing)[ \t]+)?(?:{VESSEL_NOUNS}[ \t]+)?"
    r"((?:[A-Z][\w’'\-]*|[IVX]+)(?:[ \t]+(?:[A-Z][\w’'\-]*|[IVX]+|\d+)){0,3})"
)
_HULL_RE = re.compile(r"[ \t]*\((?:[A-Z]{1,5}[- ]?\d{1,4}|WMSL[- ]?\d{1,4})\)")
_VESSEL_NOUN_RE = re.compile(
    rf"\b({VESSEL_NOUNS})(?:[ \t]+(?:named[ \t]+|called[ \t]+|the[ \t]+(?=[“\"]))?|,[ \t]+the[ \t]+|,[ \t]+(?:named|called)[ \t]+){_VESSEL_NAME}"
)


# "a 25-foot go-fast vessel", "the stateless dhow": one unnamed carrier, named by the kind of boat it is (the
# singular article and the kind word keep out "the vessel" that refers back to a named ship, and fleets)
_UNNAMED_CARRIER_RE = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Oo]ne)[ \t]+(?:[\w\-]+[ \t]+){0,3}?"
    r"(?P<kind>go-fast|stateless|semi-submersible|low-profile|delivery|fishing)[ \t]+"
    r"(?P<noun>vessel|boat|dhow|skiff|panga|sub|submarine)\b(?![ \t]*(?:crews?|owners?|operators?)\b)"
)


def find_vessels(text: str, table: ActorTable) -> None:
    bad = (
        set(gazetteer.state_names())
        | MONTH_WORDS
        | {"The", "A", "An", "In", "On", "At", "From", "To", "And"}
        | {d for d in NOT_NAMES if d.endswith("day")}
    )
    for rx in (_VESSEL_PREFIX_RE, _VESSEL_NOUN_RE):
        for m in rx.finditer(text):
            name = re.sub(r"[’']s$", "", m.group(2))  # "Cutter Hamilton's crew": the ship is Hamilton
            toks = name.split()
            while toks and toks[-1] in bad:
                toks = toks[:-1]
            name = " ".join(toks)
            s2 = m.start(2) + (1 if text[m.start(2)] in '“"' else 0)
            # a water-body-like name right after "vessel"/"M/V" is the ship's ("the vessel Nordic Bay")
            if not name or toks[0] in bad or table.mentioned_at(s2):
                continue
            if rx is _VESSEL_NOUN_RE and (name in gazetteer.capitals() or name in KNOWN_ORGS):
                continue
            actor = table.find("vessel", name) or Actor(
                name=name, kind="vessel", confidence=0.85, reason="a name after a ship prefix or vessel noun"
            )
            form = text[m.start(1) : m.start(2) + len(name)].rstrip('”"')
            if rx is _VESSEL_PREFIX_RE:
                table.add(
                    actor, m.start(1), m.start(2) + len(name) + (1 if text[m.start(2)] in '“"' else 0), form
                )
            else:
                s = m.start(2) + (1 if text[m.start(2)] in '“"' else 0)
                table.add(actor, s, s + len(name), name)
    for m in _FLAGGED_RE.finditer(text):
        name = " ".join(t for t in m.group(1).split() if t not in bad)
        if not name or name.split()[0] in bad or table.covered(m.start(1), m.start(1) + len(name)):
            continue
        actor = table.find("vessel", name) or Actor(
            name=name, kind="vessel", confidence=0.75, reason="a name after a flag or owner adjective"
        )
        table.add(actor, m.start(1), m.start(1) + len(name), name)
    for a in [a for a in table.actors if a.kind == "vessel"]:
        for at, end in list(a.spans):
            hull = _HULL_RE.match(text, end)
            if hull:  # "USS Example (DDG 00)": the hull number is part of how the ship is named
                form = text[at : hull.end()].strip()
                if form not in a.aliases:
                    a.aliases.append(form)
    for m in _VESSEL_APPOSED_RE.finditer(text):
        g = 1 if m.group(1) else 2
        name = m.group(g)
        if name.split()[0] in bad or name in bad or table.covered(m.start(g), m.end(g)):
            continue
        actor = table.find("vessel", name) or Actor(
            name=name, kind="vessel", confidence=0.75, reason="a name in apposition to a vessel"
        )
        table.add(actor, m.start(g), m.end(g), name)
    for m in _VESSEL_LIST_RE.finditer(text):
        for n in re.finditer(_VNAME, m.group(1)):
            name = n.group(0)
            if name in bad or name in ("and",):
                continue
            s = m.start(1) + n.start()
            if not table.covered(s, s + len(name)):
                actor = table.find("vessel", name) or Actor(
                    name=name, kind="vessel", confidence=0.7, reason="one of a list of vessels"
                )
                table.add(actor, s, s + len(name), name)
    for m in _UNNAMED_CARRIER_RE.finditer(text):
        name = f"{m.group('kind')} {m.group('noun')}"
        if table.covered(m.start("kind"), m.end("noun")):
            continue
        actor = table.find("vessel", name) or Actor(
            name=name,
            kind="vessel",
            confidence=0.55,
            reason="an unnamed carrier described by its kind: one boat, no name",
        )
        table.add(actor, m.start("kind"), m.end("noun"), name)
    vessels = [a for a in table.actors if a.kind == "vessel"]
    table.add_later_mentions(text, vessels, lambda a: a.name, r"(?<![\w])", r"(?![\w])")
