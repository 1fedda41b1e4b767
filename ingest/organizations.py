"""Organizations: runs of capitalised words ending in an organization word ("… Council", "… Shipping Co."),
"X of Y" names ("Office of Foreign Assets Control"), known names and acronyms, and names after a company noun.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import gazetteer
from .lexicon import (
    ACRONYM_ORGS,
    COMPANY_NOUNS,
    KNOWN_ORGS,
    ORG_HEADS,
    ORG_STARTS,
    STOPWORDS,
    TITLES,
)
from .mentions import ActorTable
from .model import Actor
from .people import NOT_NAMES, OFFICE_START

_CAPSEQ_RE = re.compile(
    r"(?:[A-Z][\w.’'&\-]*)(?:[ \t]+(?:(?:of|for|and|the|on|de|&)[ \t]+)*[A-Z][\w.’'&\-]*)*"
    r"(?:,? (?:Ltd\.|Inc\.|LLC))?(?:[ \t]+\d{1,4}\b)?"
)
_COMPANY_RE = re.compile(
    rf"\b(?:{COMPANY_NOUNS})(?:,?\s+|\s+[^.,;“”\"]{{0,40}}?\s+(?=called|named|known as))(?:called\s+|named\s+|known as\s+)?"
    r"([A-Z][\w’'&\-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w’'&.\-]*){0,4})"
)
_BARE_BODY_RE = re.compile(
    r"(?<=[a-z,;] )the[ \t]+(Panel|Commission|Committee|Council|Tribunal|Secretariat|Court|Board)\b"
    r"(?![ \t]+(?:of[ \t]+)?[A-Z])"
)
_TOLD_OUTLET_RE = re.compile(
    r"\b(?:told|in an interview with|speaking to)[ \t]+the[ \t]+([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){1,3})\b"
    r"(?![ \t]+[A-Z])"
)
# an organization described in apposition: "Ambrey, the maritime security firm, said"; "the ship's manager in
# Dubai, Blue Sky Management, confirmed"
_ORG_NOUNS = r"company|firm|group|agency|insurer|airline|exporter|importer|manufacturer|subsidiary|outfit|consortium|shipowner|charterer"
_APPOS_ORG_RE = re.compile(
    r"(?<![\w’'])([A-Z][\w’'&\-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w’'&\-]*){0,4}),[ \t]+(?:the|a|an)[ \t]+"
    rf"(?:[\w\-]+[ \t]+){{0,3}}?(?:{_ORG_NOUNS})\b(?![ \t]+(?:called|named))"
)
_ROLE_ORG_RE = re.compile(
    r"\b(?:ship|vessel|tanker|freighter|ferry|carrier)[’']s[ \t]+(?:registered[ \t]+)?(?:manager|operator|owner|charterer|insurer)"
    r"(?:[ \t]+in[ \t]+[A-Z][\w\-]+(?:[ \t]+[A-Z][\w\-]+)?)?,[ \t]+"
    r"([A-Z][\w’'&\-]*(?:[ \t]+[A-Z][\w’'&.\-]*){0,4}),"
)
# "the Iranian navy", "U.S. military", "Ukrainian armed forces": a country's forces named by description
_FORCES_RE = re.compile(
    r"(?<![\w.])((?P<adj>U\.S\.|US|[A-Z][a-z]+)[ \t]+(?:military|navy|army|air[ \t]+force|armed[ \t]+forces|"
    r"naval[ \t]+forces|security[ \t]+forces|coast[ \t]+guard|militia|national[ \t]+assembly))\b"
)
_DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|ic|i|an)")
_ABBREV_TOKENS = {"Co.", "Corp.", "Inc.", "Ltd.", "St.", "Bros.", "Dept.", "Intl."}


def _capseq_groups(m: re.Match[str]) -> list[tuple[int, list[str]]]:
    """Split "the White House National Security Council and the United Nations" into its two names."""
    toks = m.group(0).split()
    groups: list[tuple[int, list[str]]] = []
    pos, cur, cur_start = m.start(), [], m.start()
    text = m.string
    for i, t in enumerate(toks):
        at = text.find(t, pos)
        pos = at + len(t)
        rest = toks[i + 1 :]
        if (
            t == "and"
            and i > 1
            and (
                (
                    (toks[i - 1].rstrip(".,") in ORG_HEADS or toks[i - 1].rstrip(".,") in _UNIT_WORDS)
                    and any(r.rstrip(".,") in ORG_HEADS for r in rest)
                )
                or (
                    rest[:1] in (["the"], ["The"]) and len(rest) > 1
                )  # "the U.S. Department of State and the Coast Guard"
            )
        ):
            groups.append((cur_start, cur))
            cur, cur_start = [], -1
            continue
        if not cur:
            cur_start = at
        cur.append(t)
        if (
            t.endswith(".")
            and rest
            and t not in _ABBREV_TOKENS
            and t.rstrip(".") not in ORG_HEADS
            and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.", t)
        ):
            groups.append(
                (cur_start, cur)
            )  # "… in Alameda. The Coast Guard …": a sentence ends inside the run
            cur, cur_start = [], -1
    groups.append((cur_start, cur))
    return [(s, g) for s, g in groups if g]


def _org_name(text: str, s: int, toks: list[str]) -> tuple[int, str] | None:
    """The organization named by one run of capitalised words, if its words say it is one."""
    for i, t in enumerate(toks):
        if (
            t.endswith(".")
            and t not in _ABBREV_TOKENS
            and t not in ORG_HEADS
            and not re.fullmatch(r"(?:[A-Z]\.)+", t)
        ):
            toks = toks[: i + 1]  # "… Home Affairs. He added": a full stop ends the name
            break
    if len(toks) > 1 and re.search(r"[’']s$", toks[-1]):
        toks = [*toks[:-1], toks[-1][:-2]]  # "the Department of Defence's export office"
    while toks and (toks[0] in STOPWORDS or toks[0] in TITLES or toks[0].lower() in {"of", "and", "the"}):
        s = text.find(toks[1], s + len(toks[0])) if len(toks) > 1 else s
        toks = toks[1:]
    while toks and toks[-1].lower() in {"of", "for", "and", "the", "on", "de"}:
        toks = toks[:-1]
    if (
        len(toks) > 2
        and toks[1] == "of"
        and toks[0].endswith("s")
        and toks[0] not in ORG_HEADS
        and toks[0] not in ORG_STARTS
    ):
        k = 3 if toks[2] in ("the", "The") else 2  # "Agents of Harbour Investigations", "Crews of the …"
        if k < len(toks):
            s = text.find(toks[k], s)
            toks = toks[k:]
    if not toks:
        return None
    before_of = toks[: len(toks) - 1 - toks[::-1].index("of")] if "of" in toks else toks
    # "… Charge Derek W. Gordon of Homeland Security Investigations": a person (a middle initial) before "of"
    person_first = any(re.fullmatch(r"[A-Z]\.", t) for t in before_of) and not any(
        t in ORG_HEADS or t in ORG_STARTS for t in before_of
    )
    if toks[0] in OFFICE_START and "of" not in toks:
        return None  # "Assistant Secretary for Export Enforcement": an office, not an organization
    if "of" in toks and (toks[0] in OFFICE_START or person_first):
        # "Assistant Attorney General Jane Roe of the Justice Department’s Criminal Division": the office and
        # the person come first; the organization is what follows the last "of (the)"
        k = len(toks) - 1 - toks[::-1].index("of")
        rest = toks[k + 1 :]
        if rest and rest[0] == "the":
            rest = rest[1:]
        if not rest:
            return None
        s = text.find(rest[0], s)
        toks = rest
    if toks[-1] not in ORG_HEADS and toks[-1].endswith(".") and toks[-1].rstrip(".") in ORG_HEADS:
        toks[-1] = toks[-1].rstrip(".")  # "… Service." at the end of a sentence
    last = toks[-1].rstrip(",")
    if re.fullmatch(r"\d+", last) and len(toks) > 1:
        last = toks[-2]
    starts = any(
        t in ORG_STARTS and i + 1 < len(toks) and toks[i + 1] in ("of", "for") for i, t in enumerate(toks)
    )
    if re.search(r"[’']s$", toks[0]) and len(toks) > 2:
        s = text.find(toks[1], s + len(toks[0]))  # "Malta's Ministry for Home Affairs"
        toks = toks[1:]
    if "&" in toks and toks[0] != "&" and toks[-1] != "&":
        return s, " ".join(toks)  # "Lindgren & Hale": partners' names joined by "&" name a firm
    if last in _UNIT_WORDS and any(t in ORG_HEADS for t in toks[:-1]):
        # "Coast Guard Pacific Area", "11th Coast Guard District": a unit of the service, named by its area
        ordinal = re.search(r"\b(\d{1,3}(?:st|nd|rd|th))[ \t]+$", text[max(0, s - 8) : s])
        if ordinal:
            s -= len(text[max(0, s - 8) : s]) - ordinal.start(1)
            toks = [ordinal.group(1), *toks]
        return s, " ".join(toks)
    if last not in ORG_HEADS and not starts:
        # "Harbourline Shipmanagement Co. of Hong Kong", "Foreign Ministry Spokesperson …": cut after the head
        heads = [i for i, t in enumerate(toks) if t in ORG_HEADS]
        if not heads or heads[-1] < 1:
            return None
        h = heads[-1]
        named = toks[h + 1 : h + 3]
        if (
            toks[h - 1 : h + 1] == ["Task", "Force"]
            and named
            and all(
                t[:1].isupper()
                and t not in STOPWORDS
                and t not in OFFICE_START
                and t not in TITLES
                and t not in gazetteer.state_names()
                for t in named
            )
            and len(toks) - h - 1 <= 2
        ):
            # "Task Force KleptoCapture", "Joint Task Force Southern Spear": the force's own name
            h += len(named)
        toks = toks[: h + 1]
        last = toks[-1]
    if len(toks) == 1 and last not in {"Congress", "Treasury", "Pentagon", "Kremlin"}:
        return None
    name = " ".join(toks)
    if name.endswith(".") and last not in ORG_HEADS and not re.fullmatch(r"(?:[A-Z]\.)+", last):
        name = name[:-1]
    if name in gazetteer.state_names():
        return None  # "Russian Federation" is a state
    if name in _DESIGNATIONS:
        return None  # "a designated Foreign Terrorist Organization": a legal category, not a body that acts
    return s, name


#: Last words of a service's unit named by its area or number ("… Coast Guard District", "… Fleet")
_UNIT_WORDS = frozenset(
    {"District", "Area", "Sector", "Fleet", "Region", "Division", "Squadron", "Wing", "Station"}
)

#: Sanctions and terrorism designations: lists an actor is put on, written like organisations' names
_DESIGNATIONS = frozenset(
    {
        "Foreign Terrorist Organization",
        "Foreign Terrorist Organisation",
        "Specially Designated Global Terrorist",
        "Specially Designated National",
        "Specially Designated Nationals",
        "Transnational Criminal Organization",
    }
)


def find_organizations(text: str, table: ActorTable) -> None:
    found: list[tuple[int, int, str]] = []
    headlines = title_case_lines(text)
    heads_at = [a for a, _ in headlines]

    def in_headline(pos: int) -> bool:  # headlines are sorted and apart: the one starting last before pos
        i = bisect_right(heads_at, pos) - 1
        return i >= 0 and pos < headlines[i][1]

    for m in _CAPSEQ_RE.finditer(text):
        if in_headline(m.start()):
            continue  # a Title Case headline capitalises every word
        for s, toks in _capseq_groups(m):
            got = _org_name(text, s, toks)
            if got:
                found.append((got[0], got[0] + len(got[1]), got[1]))
    for m in _COMPANY_RE.finditer(text):
        toks = m.group(1).split()
        while toks and toks[-1] in NOT_NAMES:
            toks = toks[:-1]
        heads = [i for i, t in enumerate(toks) if t in ORG_HEADS]
        if heads and heads[-1] >= 1:
            toks = toks[: heads[-1] + 1]
        name = " ".join(toks).rstrip(",")
        if not name or name in gazetteer.state_names() or name in TITLES or name.split()[0] in TITLES:
            continue
        if name.endswith(".") and toks[-1] not in {"Co.", "Corp.", "Inc.", "Ltd."}:
            name = name[:-1]
        found.append((m.start(1), m.start(1) + len(name), name))
    for rx in (_APPOS_ORG_RE, _ROLE_ORG_RE):
        for m in rx.finditer(text):
            name = m.group(1)
            toks = name.split()
            if (
                toks[0] in STOPWORDS
                or toks[0] in TITLES
                or toks[0] in NOT_NAMES
                or name in gazetteer.state_names()
            ):
                continue
            if in_headline(m.start(1)) or gazetteer.lookup(name):
                continue
            found.append((m.start(1), m.end(1), name))
    # a body named by its head word alone in mid-sentence: "informed the Panel", "wrote to the Commission"
    for m in _BARE_BODY_RE.finditer(text):
        found.append((m.start(1), m.end(1), m.group(1)))
    # the news outlet someone spoke to: "told the Associated Press", "said in an interview with the Daily Star"
    for m in _TOLD_OUTLET_RE.finditer(text):
        toks = m.group(1).split()
        if toks[-1] in STOPWORDS or toks[0] in TITLES or m.group(1) in gazetteer.state_names():
            continue
        found.append((m.start(1), m.end(1), m.group(1)))
    aliases = {a for forms in KNOWN_ORGS.values() for a in forms if len(a) >= 4}  # "Hizballah", "Houthi"
    names = sorted(set(KNOWN_ORGS) | ACRONYM_ORGS | aliases, key=len, reverse=True)
    rx = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    for m in rx.finditer(text):
        if re.match(r"\s+\d{7}", text[m.end() :]):
            continue  # "IMO 9123457" is a ship's number, not the organization
        found.append((m.start(), m.end(), m.group(1)))
    for m in _FORCES_RE.finditer(text):
        if (
            m.group("adj") in gazetteer.state_names()
            or m.group("adj") in ("U.S.", "US")
            or _DEMONYM_RE.fullmatch(m.group("adj"))
        ):
            found.append((m.start(1), m.end(1), m.group(1)))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    reach = -1  # kept spans start at or before f: one holds f exactly when the furthest end reaches f's end
    for f in found:
        if reach >= f[1]:
            continue
        kept.append(f)
        reach = max(reach, f[1])
    for s, e, name in kept:
        actor = _org_for(table, name)
        table.add(actor, s, e, name)
        paren = re.match(r"\s*\(([A-Z][A-Z.&]{1,9})\)", text[e:])
        if paren:
            table.add(actor, e + paren.start(1), e + paren.end(1), paren.group(1))


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of headline-like lines: most longer words capitalised and no closing full stop."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", line) if len(w) > 3]
        if (
            len(words) >= 3
            and line.count(",") < 2  # a list of names and posts ("Witnesses: A, Director of …, and B, …")
            and not line.endswith((".", "”", '"'))
            and sum(w[0].isupper() for w in words) >= 0.75 * len(words)
        ):
            out.append((m.start(), m.end()))
    return out


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
            if (
                " " not in shorter
                and longer.startswith(shorter + " ")
                and (longer.split()[-1] in ORG_HEADS or longer.split()[1] == "of")
            ):
                # "Treasury" for the "Treasury Department", "the Panel" for the "Panel of Experts"
                if len(name) > len(a.name):
                    a.aliases.append(a.name)
                    a.name = name
                return a
            if " " in shorter and longer.endswith(" " + shorter) and shorter.split()[-1] in ORG_HEADS:
                if len(name) > len(a.name):
                    a.aliases.append(a.name)
                    a.name = name
                return a
            if name.isupper() and len(name) >= 3 and _initials(n) == name.replace(".", ""):
                return a
    return Actor(
        name=name_key, kind="organization", confidence=0.7, reason="an organisation's name or acronym"
    )
