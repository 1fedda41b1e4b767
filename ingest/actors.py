"""Actors: people, organizations, states and vessels, each merged over its mentions.

Rules rather than a statistical model: a name is only suggested where the text gives a cue, which keeps out the
junk entities users complain about. This module runs the rules in order (organizations, vessels, states,
people: longer names claim their words first) and holds the state rules: names, aliases ("D.P.R.K."), and
capitals standing for their state ("Moscow denied"). Known case actors are matched for a proposed merge.
"""

from __future__ import annotations

import re

from . import gazetteer
from .lexicon import (
    ORG_HEADS,
    ORG_METONYMS,
    WATER_BODY_RE,
)
from .mentions import ActorTable, Mention
from .model import Actor
from .organizations import find_organizations
from .people import find_people
from .vessels import find_vessels

__all__ = ["ActorTable", "Mention", "capital_is_place", "extract_actors"]


def _states(text: str, table: ActorTable) -> None:
    forms = gazetteer.state_names()
    rx = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w])"
    )
    for m in rx.finditer(text):
        if table.covered(m.start(), m.end()) or _inside_place_name(text, m.start(), m.group(1)):
            continue
        canon = forms[m.group(1)]
        actor = table.find("state", canon) or Actor(
            name=canon, kind="state", confidence=0.9, reason="a country's name"
        )
        table.add(actor, m.start(), m.end(), m.group(1))
    caps = {**gazetteer.capitals(), **ORG_METONYMS}
    rx = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(c) for c in sorted(caps, key=len, reverse=True)) + r")(?![\w])"
    )
    for m in rx.finditer(text):
        if table.covered(m.start(), m.end()) or capital_is_place(text, m.start(), m.end()):
            continue
        canon = caps[m.group(1)]
        kind = "organization" if m.group(1) in ORG_METONYMS else "state"
        actor = table.find(kind, canon) or Actor(
            name=canon, kind=kind, confidence=0.6, reason="a capital's name standing for its government"
        )
        table.add(actor, m.start(), m.end(), m.group(1))


def _inside_place_name(text: str, start: int, name: str) -> bool:
    """ "Port Sudan", "Gulf of Finland": the state's name is part of a place's name."""
    prev = re.search(r"([A-Z][\w’'\-]*)(\s+of(?:\s+the)?)?\s+$", text[max(0, start - 30) : start])
    if not prev:
        return False
    return bool(gazetteer.lookup(f"{prev.group(1)}{prev.group(2) or ''} {name}"))


def capital_is_place(text: str, start: int, end: int) -> bool:
    """A capital after a locative word is a place ("in Moscow"); as a subject it stands for its state."""
    before = text[max(0, start - 25) : start]
    after = text[end : end + 20]
    if re.search(
        r"\b(?:in|at|to|from|near|into|via|through|across|outside|inside|toward|towards|visited|"
        r"visit|reached|of|around|left)\s+(?:the\s+)?$",
        before,
    ):
        return True
    # "Washington Post", datelines
    return bool(re.match(r"\s+[A-Z][a-z]|[—–-]|\s*\(", after))


def _bare_heads(table: ActorTable) -> None:
    """ "the Council" after "the Security Council", "the Committee" in a report on one committee: a bare
    organisation word is a short form of the one organisation named in full with it as its last word."""
    orgs = [a for a in table.actors if a.kind == "organization"]
    for bare in [a for a in orgs if " " not in a.name and a.name in ORG_HEADS]:
        full = [a for a in orgs if a is not bare and a.name.split()[-1] == bare.name]
        if len(full) != 1:
            continue
        target = full[0]
        target.aliases.append(bare.name)
        target.spans.extend(bare.spans)
        for m in table.mentions:
            if m.actor is bare:
                m.actor = target
        table.actors = [a for a in table.actors if a is not bare]
        table.mentions = list(table.mentions)  # rebuilds the table's indices


def extract_actors(text: str, known: list[tuple[str, list[str]]] = ()) -> tuple[list[Actor], list[Mention]]:
    """All actors in ``text`` with their mentions, in order of first mention."""
    extra = gazetteer.extra_names()
    rx = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(extra, key=len, reverse=True)) + r")(?![\w])"
    )
    blocked = [(m.start(), m.end()) for m in rx.finditer(text) if " " in m.group(1)]
    blocked += [(m.start(), m.end()) for m in re.finditer(WATER_BODY_RE, text)]
    table = ActorTable(blocked)
    find_organizations(text, table)
    find_vessels(text, table)
    _states(text, table)
    find_people(text, table)
    _bare_heads(table)
    for a in table.actors:
        a.aliases = [x for x in dict.fromkeys(a.aliases) if x != a.name]
        a.spans.sort()
        for kname, kaliases in known:
            keys = {n.casefold() for n in (kname, *kaliases)}
            if any(n.casefold() in keys for n in a.names()):
                a.merge_with = kname
                break
    table.actors.sort(key=lambda a: a.spans[0] if a.spans else (0, 0))
    table.mentions.sort(key=lambda m: m.start)
    return table.actors, table.mentions
