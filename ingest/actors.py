"""Actors: people with titles and roles, organizations, states and vessels.

Rules rather than a statistical model: a person is only suggested where the text gives a cue (a title, a
role in apposition, a speech verb, a transcript turn), which keeps the junk entities users complain about out.
Mentions of the same actor ("John F. Kirby", "Mr. Kirby", "Kirby") are merged into one actor with aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .lexicon import (
    ACRONYM_ORGS,
    KNOWN_ORGS,
    ORG_HEADS,
    ORG_STARTS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLES,
    VESSEL_NOUNS,
    VESSEL_PREFIX,
)
from .model import Actor

NAME_TOKEN = r"(?:[A-Z][a-z]*(?:[’'\-][A-Za-z]+)*[a-z]|[A-Z]\.|(?:Mc|Mac|O')[A-Z][a-z]+)"
NAME_SEQ = rf"{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,3}}"
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_TITLE_RE = re.compile(rf"(?<![\w.])({_TITLE_ALT})\s+({NAME_SEQ})")
_ROLE_BEFORE_RE = re.compile(rf"\b(?:{'|'.join(sorted(ROLE_NOUNS))})\s+({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,3}})")
_APPOSITION_RE = re.compile(
    rf"({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,3}}),\s+(?:the|a|an|who|its|his|her)\b([^,.;:“”\"]{{0,80}})"
)
_SAID_AFTER_RE = re.compile(rf"({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,3}}),?\s+(?:{SPEECH_VERBS})\b")
_SAID_BEFORE_RE = re.compile(rf"\b(?:said|says|added|according to)\s+({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,3}})")
_TURN_RE = re.compile(r"^[ \t]*((?:(?:MR|MS|MRS|DR|GEN|ADM|COL|CAPT|AMB|SEN|REP|SECRETARY|PRESIDENT)\.?\s+)?"
                      r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}):", re.M)
_CAPSEQ_RE = re.compile(r"(?:[A-Z][\w.’'&\-]*)(?:\s+(?:(?:of|for|and|the|on|de)\s+)*[A-Z][\w.’'&\-]*)*")
_VESSEL_NAME = r"[“\"]?((?:[A-Z][\w’'\-]*|[IVX]+|\d+)(?:\s+(?:[A-Z][\w’'\-]*|[IVX]+|\d+)){0,3})[”\"]?"
_VESSEL_PREFIX_RE = re.compile(rf"(?<![\w/])({VESSEL_PREFIX})\s+{_VESSEL_NAME}")
_VESSEL_NOUN_RE = re.compile(rf"\b({VESSEL_NOUNS})\s+(?:named\s+|called\s+)?{_VESSEL_NAME}")
_TURN_HONORIFICS = {"MR": "Mr.", "MS": "Ms.", "MRS": "Mrs.", "DR": "Dr.", "GEN": "Gen.", "ADM": "Adm.",
                    "COL": "Col.", "CAPT": "Capt.", "AMB": "Amb.", "SEN": "Sen.", "REP": "Rep."}
_NOT_NAMES = STOPWORDS | {"Sept.", "Oct.", "Nov.", "Dec.", "Jan.", "Feb.", "Aug.", "Monday", "Tuesday",
                          "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_MONTH_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"}


@dataclass
class Mention:
    """One place in the text where an actor is named or referred to."""

    start: int
    end: int
    actor: Actor
    form: str


class ActorTable:
    """Collects mentions and merges them into actors."""

    def __init__(self, blocked: list[tuple[int, int]] = ()) -> None:
        self.actors: list[Actor] = []
        self.mentions: list[Mention] = []
        self.blocked = list(blocked)  # spans of seas and regions ("Sea of Japan" names no state)

    def add(self, actor: Actor, start: int, end: int, form: str) -> Actor:
        if any(m.start == start and m.end == end for m in self.mentions):
            return actor
        if actor not in self.actors:
            self.actors.append(actor)
        if form != actor.name and form not in actor.aliases:
            actor.aliases.append(form)
        actor.spans.append((start, end))
        self.mentions.append(Mention(start, end, actor, form))
        return actor

    def find(self, kind: str, name: str) -> Actor | None:
        key = name.casefold()
        for a in self.actors:
            if a.kind == kind and key in (n.casefold() for n in a.names()):
                return a
        return None

    def person_by_short(self, short: str, before: int | None = None) -> Actor | None:
        """A person whose name contains ``short`` (a surname); the most recent one wins."""
        tokens = short.split()
        best = None
        best_pos = -1
        for m in self.mentions:
            a = m.actor
            if a.kind != "person" or (before is not None and m.start >= before):
                continue
            if all(t in a.name.split() for t in tokens) and m.start > best_pos:
                best, best_pos = a, m.start
        return best

    def covered(self, start: int, end: int) -> bool:
        if any(a <= start and end <= b for a, b in self.blocked):
            return True
        return any(m.start <= start and end <= m.end for m in self.mentions)


def _clean_name(name: str) -> str:
    toks = name.split()
    while toks and (toks[0] in _NOT_NAMES or toks[0] in TITLES):
        toks = toks[1:]
    while toks and (toks[-1] in _NOT_NAMES or toks[-1] in _MONTH_WORDS):
        toks = toks[:-1]
    return " ".join(toks)


def _is_non_person(name: str) -> bool:
    toks = name.split()
    if not toks:
        return True
    states = gazetteer.state_names()
    if name in states or name in gazetteer.capitals() or name in KNOWN_ORGS:
        return True
    if any(t in ORG_HEADS or t in _MONTH_WORDS for t in toks):
        return True
    if any(t in states for t in toks) or gazetteer.lookup(name):
        return True
    return all(len(t) <= 2 for t in toks)


def _add_person(table: ActorTable, text: str, name: str, start: int, title: str | None = None,
                role: str | None = None) -> Actor | None:
    name = _clean_name(name)
    if not name or _is_non_person(name):
        return None
    idx = text.find(name, start)
    if idx < 0:
        return None
    actor = table.find("person", name) or _person_by_parts(table, name)
    if actor is None:
        actor = Actor(name=name, kind="person", confidence=0.8)
    elif len(name.split()) > len(actor.name.split()):
        actor.aliases.append(actor.name)
        actor.name = name
        if name in actor.aliases:
            actor.aliases.remove(name)
    if title:
        actor.title = actor.title or title
        trole, gender = TITLES.get(title, ("", None))
        actor.gender = actor.gender or gender
        actor.role = actor.role or (trole or None)
    if role:
        actor.role = actor.role or role
    table.add(actor, idx, idx + len(name), name)
    return actor


def _person_by_parts(table: ActorTable, name: str) -> Actor | None:
    """Merge "John Kirby" with "John F. Kirby" and "Kirby" with either (same surname, compatible first name)."""
    toks = [t for t in name.split() if not re.fullmatch(r"[A-Z]\.", t)]
    for a in table.actors:
        if a.kind != "person":
            continue
        atoks = [t for t in a.name.split() if not re.fullmatch(r"[A-Z]\.", t)]
        if toks[-1] == atoks[-1] and (len(toks) == 1 or len(atoks) == 1 or toks[0] == atoks[0]):
            return a
    return None


def _role_word(phrase: str) -> str | None:
    for w in reversed(re.findall(r"[a-z]+", phrase)):
        if w in ROLE_NOUNS:
            return w
    return None


def _persons(text: str, table: ActorTable) -> None:
    for m in _TITLE_RE.finditer(text):
        _add_person(table, text, m.group(2), m.start(2), title=m.group(1))
    for m in _ROLE_BEFORE_RE.finditer(text):
        role = text[m.start() : m.start(1)].strip()
        _add_person(table, text, m.group(1), m.start(1), role=role)
    for m in _APPOSITION_RE.finditer(text):
        role = _role_word(m.group(2))
        if role:
            _add_person(table, text, m.group(1), m.start(1), role=role)
    for rx in (_SAID_AFTER_RE, _SAID_BEFORE_RE):
        for m in rx.finditer(text):
            _add_person(table, text, m.group(1), m.start(1))
    for m in _TURN_RE.finditer(text):
        _turn_speaker(table, text, m.group(1), m.start(1))
    # later bare-surname mentions ("Kirby said")
    for a in [a for a in table.actors if a.kind == "person"]:
        surname = a.name.split()[-1]
        if len(surname) < 3 or surname in _NOT_NAMES:
            continue
        for m in re.finditer(rf"(?<![\w.]){re.escape(surname)}\b", text):
            if not table.covered(m.start(), m.end()):
                pre = text[max(0, m.start() - 12) : m.start()]
                t = re.search(rf"({_TITLE_ALT})\s+$", pre)
                s = m.start() - (len(pre) - t.start()) if t else m.start()
                table.add(a, s, m.end(), text[s : m.end()])


def _turn_speaker(table: ActorTable, text: str, label: str, start: int) -> Actor | None:
    """Transcript turns such as "MR. KIRBY:" name a person already introduced, or a new one."""
    if label.strip(". ") in {"Q", "QUESTION", "MODERATOR", "OPERATOR", "NOTE", "SOURCE", "END", "UPDATE"}:
        return None
    parts = label.replace(".", ". ").split()
    honor = None
    if parts and parts[0].rstrip(".") in _TURN_HONORIFICS:
        honor = _TURN_HONORIFICS[parts[0].rstrip(".")]
        parts = parts[1:]
    words = [p.capitalize() if len(p) > 2 or not p.endswith(".") else p for p in parts if p]
    if not words:
        return None
    name = " ".join(w.title() if "-" in w else w for w in words)
    if name in gazetteer.state_names() or any(w in ORG_HEADS for w in words):
        return None
    actor = table.person_by_short(words[-1]) or table.find("person", name)
    if actor is None:
        actor = Actor(name=name, kind="person", confidence=0.7)
        if honor:
            actor.title = honor
            actor.gender = TITLES.get(honor, ("", None))[1]
    table.add(actor, start, start + len(label), label)
    return actor


def _orgs(text: str, table: ActorTable) -> None:
    found: list[tuple[int, int, str]] = []
    for m in _CAPSEQ_RE.finditer(text):
        toks = m.group(0).split()
        s = m.start()
        while toks and (toks[0] in STOPWORDS or toks[0] in TITLES or toks[0].lower() in {"of", "and", "the"}):
            s = text.find(toks[1], s + len(toks[0])) if len(toks) > 1 else s
            toks = toks[1:]
        while toks and toks[-1].lower() in {"of", "for", "and", "the", "on", "de"}:
            toks = toks[:-1]
        if not toks:
            continue
        last = toks[-1].rstrip(",")
        starts = any(t in ORG_STARTS and i + 1 < len(toks) and toks[i + 1] == "of" for i, t in enumerate(toks))
        if last in ORG_HEADS or starts:
            if len(toks) == 1 and last not in {"Congress", "Treasury", "Pentagon", "Kremlin"}:
                continue
            name = " ".join(toks)
            if name.endswith("."):
                name = name if last in {"Co.", "Corp.", "Inc.", "Ltd."} else name[:-1]
            found.append((s, s + len(name), name))
    names = sorted(set(KNOWN_ORGS) | ACRONYM_ORGS, key=len, reverse=True)
    rx = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    for m in rx.finditer(text):
        found.append((m.start(), m.end(), m.group(1)))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if any(k[0] <= f[0] and f[1] <= k[1] for k in kept):
            continue
        kept.append(f)
    for s, e, name in kept:
        actor = _org_for(table, name)
        table.add(actor, s, e, name)
        paren = re.match(r"\s*\(([A-Z][A-Z.&]{1,9})\)", text[e:])
        if paren:
            table.add(actor, e + paren.start(1), e + paren.end(1), paren.group(1))


def _initials(name: str) -> str:
    return "".join(t[0] for t in name.split() if t[0].isupper() and t not in {"The"})


def _org_for(table: ActorTable, name: str) -> Actor:
    canon_known = next((k for k, v in KNOWN_ORGS.items() if name in v), None)
    if canon_known:
        name_key = canon_known
    else:
        name_key = name
    for a in table.actors:
        if a.kind != "organization":
            continue
        for n in a.names():
            if n.casefold() == name.casefold() or n.casefold() == name_key.casefold():
                return a
            longer, shorter = (n, name) if len(n) > len(name) else (name, n)
            if " " in shorter and longer.endswith(" " + shorter) and shorter.split()[-1] in ORG_HEADS:
                if len(name) > len(a.name):
                    a.aliases.append(a.name)
                    a.name = name
                return a
            if name.isupper() and len(name) >= 3 and _initials(n) == name.replace(".", ""):
                return a
    return Actor(name=name_key, kind="organization", confidence=0.7)


def _states(text: str, table: ActorTable) -> None:
    forms = gazetteer.state_names()
    rx = re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w])")
    for m in rx.finditer(text):
        if table.covered(m.start(), m.end()):
            continue
        canon = forms[m.group(1)]
        actor = table.find("state", canon) or Actor(name=canon, kind="state", confidence=0.9)
        table.add(actor, m.start(), m.end(), m.group(1))
    caps = gazetteer.capitals()
    rx = re.compile(r"(?<![\w.])(" + "|".join(re.escape(c) for c in sorted(caps, key=len, reverse=True)) + r")(?![\w])")
    for m in rx.finditer(text):
        if table.covered(m.start(), m.end()) or capital_is_place(text, m.start(), m.end()):
            continue
        canon = caps[m.group(1)]
        actor = table.find("state", canon) or Actor(name=canon, kind="state", confidence=0.6)
        table.add(actor, m.start(), m.end(), m.group(1))


def capital_is_place(text: str, start: int, end: int) -> bool:
    """A capital after a locative word is a place ("in Moscow"); as a subject it stands for its state."""
    before = text[max(0, start - 25) : start]
    after = text[end : end + 20]
    if re.search(r"\b(?:in|at|to|from|near|into|via|through|across|outside|inside|toward|towards|visited|"
                 r"visit|reached|of|around|left)\s+(?:the\s+)?$", before):
        return True
    # "Washington Post", datelines
    return bool(re.match(r"\s+[A-Z][a-z]|[—–-]|\s*\(", after) or before.endswith("\n") or not before)


def _vessels(text: str, table: ActorTable) -> None:
    bad = set(gazetteer.state_names()) | _NOT_NAMES | _MONTH_WORDS
    for rx in (_VESSEL_PREFIX_RE, _VESSEL_NOUN_RE):
        for m in rx.finditer(text):
            name = m.group(2)
            toks = name.split()
            while toks and toks[-1] in bad:
                toks = toks[:-1]
            name = " ".join(toks)
            if not name or toks[0] in bad or table.covered(m.start(2), m.start(2) + len(name)):
                continue
            if rx is _VESSEL_NOUN_RE and (name in gazetteer.capitals() or name in KNOWN_ORGS):
                continue
            actor = table.find("vessel", name) or Actor(name=name, kind="vessel", confidence=0.85)
            form = text[m.start(1) : m.start(2) + len(name)].rstrip("”\"")
            if rx is _VESSEL_PREFIX_RE:
                table.add(actor, m.start(1), m.start(2) + len(name) + (1 if text[m.start(2)] in "“\"" else 0), form)
            else:
                s = m.start(2) + (1 if text[m.start(2)] in "“\"" else 0)
                table.add(actor, s, s + len(name), name)
    for a in [a for a in table.actors if a.kind == "vessel"]:
        for m in re.finditer(rf"(?<![\w]){re.escape(a.name)}(?![\w])", text):
            if not table.covered(m.start(), m.end()):
                table.add(a, m.start(), m.end(), a.name)


def extract_actors(text: str, known: list[tuple[str, list[str]]] = ()) -> tuple[list[Actor], list[Mention]]:
    """All actors in ``text`` with their mentions, in order of first mention."""
    extra = gazetteer.extra_names()
    rx = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(extra, key=len, reverse=True)) + r")(?![\w])")
    table = ActorTable([(m.start(), m.end()) for m in rx.finditer(text) if " " in m.group(1)])
    _orgs(text, table)
    _vessels(text, table)
    _states(text, table)
    _persons(text, table)
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
