"""People: names with a cue (a title, a role in apposition, a speech verb, a byline, a transcript turn).

A capitalised pair of words is not enough to suggest a person: without a cue the rule stays silent, which keeps
places and organizations out of the people list. "John F. Kirby", "Mr. Kirby" and "Kirby" merge into one actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseboard.db.dates import MONTH_NAMES

from . import gazetteer
from .lexicon import (
    KNOWN_ORGS,
    NICKNAMES,
    ORG_HEADS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLES,
)
from .mentions import ActorTable
from .model import Actor

# Latin letters with diacritics count as letters of a name ("Oumar Traoré", "Łukasz Żak").
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĠĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŹŻŽȘȚ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēėęěğġģīįıķĺļľłńņňōőœŕŗřśŝşšţťūůűųźżžșț"
NAME_TOKEN = (
    rf"(?<![\w’'\-])(?:[{UPPER}][{LOWER}]*(?:[’'\-][{UPPER}{LOWER}]+)*[{LOWER}]|[A-Z]\.|(?:Mc|Mac|O')[A-Z][{LOWER}]+"
    rf"|(?:al|el|ad|as|ash|abu|bin|ibn|ben)-[{UPPER}][{LOWER}]+(?:-[{UPPER}{LOWER}]+)*)"  # "Abdullah al-Mansouri"
)
_PARTICLES = r"(?:de|van|der|von|den|da|di|du|del|della|dos|das|le|la|al|bin|ibn|ter|ten)"
_SEP = rf"[ \t]+(?:{_PARTICLES}[ \t]+)*"  # a name never runs over a line break  # "Ingrid de Vries", "Ludwig van der Berg"
NAME_SEQ = rf"(?:{_PARTICLES}\s+)?{NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{0,3}}"
TITLE_ALT = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_TITLE_RE = re.compile(rf"(?<![\w.\-])({TITLE_ALT})\s+({NAME_SEQ})")  # not "Under-Secretary-General Delivers"
_ROLE_BEFORE_RE = re.compile(
    rf"\b(?i:{'|'.join(sorted(ROLE_NOUNS))})[ \t]+({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}})"
)
_APPOSITION_RE = re.compile(
    rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),\s+(?:the|a|an|who|its|his|her)\b([^,.;:“”\"]{{0,80}})"
)
_CAP_ROLE_RE = (
    re.compile(  # "Helen Achterberg, Director of Export Control"; "Rupert Vance, Head of Enforcement"
        rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),\s+(?:(?:Deputy|Chief|Senior|Acting|Assistant)\s+)?"
        rf"({'|'.join(sorted(r.capitalize() for r in ROLE_NOUNS))})\s+(?:of|for|at)\b"
    )
)
_WHO_RE = re.compile(rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),\s+(?:who|whose)\b")
# "Deniz Polat, a customs broker who …", "Rauf Aliyev, a freight broker in Baku,": a full name described by an
# indefinite noun phrase whose head is a word for a person (an agent noun), not a firm, place or ship
_APPOS_INDEF_RE = re.compile(
    rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),\s+(?:a|an)\s+((?:[a-z][\w\-]*\s+){{0,4}}?([a-z][\w\-]*))"
    r"(?=\s+(?:who|whose|at|in|of|for|with|from|based|on)\b|,)"
)
_NOT_PERSON_HEADS = {
    "company",
    "firm",
    "group",
    "agency",
    "carrier",
    "freighter",
    "tanker",
    "container",
    "trawler",
    "feeder",
    "coaster",
    "reefer",
    "charterer",
    "exporter",
    "importer",
    "manufacturer",
    "supplier",
    "forwarder",
    "insurer",
    "operator",
    "owner",
    "manager",
    "shipper",
    "contractor",
    "subsidiary",
    "register",
    "river",
    "border",
    "harbour",
    "harbor",
    "center",
    "centre",
    "quarter",
    "corner",
    "tower",
    "order",
    "letter",
    "paper",
    "number",
    "water",
}
_ROLE_APPOSED_RE = re.compile(
    rf"(?:\b[Aa]n?|\b[Tt]he|\b[Ii]ts|\b[Tt]heir|\b[Hh]is|\b[Hh]er|[’']s|s[’'])\s+(?:[\w\-]+\s+){{0,3}}?"
    rf"({'|'.join(sorted(ROLE_NOUNS))})(?:\s+(?:of|for)\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+)?)?,\s+"
    rf"(?:(?:{TITLE_ALT})\s+)?({NAME_SEQ})(?:,|\.(?=\s+[A-Z“\"]|\s*$))"  # "… said the firm's chief executive, Jane Roe."
)
# An office before a name: "Deputy Secretary of Commerce Don Graves", "Special Agent in Charge Derek W. Gordon",
# "Assistant Attorney General for the National Security Division John C. Demers". The office starts with an
# office word and runs over capitalised words and small connectors; the name is the last given name (with a
# middle initial) and surname, followed by punctuation, a speech verb or the end of the line.
OFFICE_WORDS = (
    "Secretary|Deputy|Assistant|Under|Attorney|Director|Administrator|Agent|Special|Ambassador|Representative|"
    "Commissioner|Commander|Chief|Acting|Spokesman|Spokeswoman|Spokesperson|Coordinator|Counsel|Envoy|Adviser|"
    "Advisor|Officer|Inspector|Prosecutor|Minister|Chair|Chairman|Chairwoman|Senior|Principal|Associate|"
    "Executive|Head|Governor|Vice|Magistrate"
)
#: Words that start an office ("Assistant Attorney General …"), for the organization rules too
OFFICE_START = frozenset(OFFICE_WORDS.split("|")) | {
    "Co-Director",
    "Co-Directors",
    "Co-Chair",
    "Charge",
}  # "… in Charge of"
#: Words of an office that may stand inside it but do not start one ("U.S. Export Controls" is no office)
_OFFICE_TOKENS = frozenset(OFFICE_WORDS.split("|")) | {
    "Lead",
    "Press",
    "Communications",
    "National",
    "Permanent",
}
_OFFICE_PART = r"(?:[A-Z][\w.’'&\-]*|of|for|the|and|in|on|at|to)"
# words of an office are never a given name or a surname ("Assistant Attorney General …")
_NOT_GIVEN = (
    "(?:"
    + "|".join(
        sorted(
            {w.rstrip(".") for t in TITLES for w in t.split()}
            | {w for w in OFFICE_WORDS.split("|")}
            | {r.capitalize() for r in ROLE_NOUNS}
            | {
                "General",
                "Division",
                "Department",
                "Office",
                "Security",
                "National",
                "State",
                "Force",
                "Command",
            },
            key=len,
            reverse=True,
        )
    )
    + ")"
)
OFFICE_NAME_RE = re.compile(
    rf"(?<![\w.])(?P<office>(?:Co-)?(?:{OFFICE_WORDS})(?:[ \t]+{_OFFICE_PART}){{0,12}}?)(?P<comma>,)?[ \t]+"
    rf"(?P<name>(?!{_NOT_GIVEN}\b)[{UPPER}][{LOWER}]+(?:-[{UPPER}{LOWER}][{LOWER}]+)?(?:[ \t]+[A-Z]\.)?[ \t]+"
    rf"(?!{_NOT_GIVEN}\b)[{UPPER}][{LOWER}]+(?:[’'\-][{UPPER}{LOWER}]+)*(?:,?[ \t]+Jr\.)?)"
    rf"(?=[,.;:)]|[ \t]+[a-z]{{2,}}\b|[ \t]*$)",
    re.M,
)
# "Jane Roe, Principal Deputy Spokesperson" on a line of its own (a transcript's or statement's header)
_NAME_THEN_OFFICE_RE = re.compile(
    rf"^[ \t]*((?:(?:[A-Z]\.){{2,3}}[ \t]+)?{NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{0,3}}),[ \t]+((?:[A-Z][\w\-]*[ \t]+){{0,4}}(?:{OFFICE_WORDS})"
    r"(?:[ \t]+(?:of|for|to|the|in|and|on|[A-Z][\w.\-]*))*)[ \t]*$",
    re.M,
)
# 'Adm. Robert "Bob" Lane': a nickname in quotation marks inside a name
_NICKNAME_RE = re.compile(
    rf"(?<![\w’'\-])({NAME_TOKEN}(?:{_SEP}[A-Z]\.)?)[ \t]+[“\"‘']({NAME_TOKEN})[”\"’'][ \t]+({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN})?)\b"
)
# "Jane Roe (Norway) said": meeting coverage names a speaker with their country in brackets
_NAME_COUNTRY_RE = re.compile(rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}})[ \t]+\(([A-Z][^()\n]{{2,40}})\)")
# "Jane Roe, 43, a resident of …": a full name with an age in commas
_AGE_RE = re.compile(rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),[ \t]+\d{{1,3}},")
# "Four are Cuban nationals: A, B and C": the names of a list after a word for people and a colon
_PEOPLE_LIST_RE = re.compile(
    r"\b(?:nationals|citizens|defendants|crew ?members|suspects|individuals|smugglers|passengers|men|women)"
    r"(?:[ \t]+(?:are|were))?:[ \t]+([^\n.;]{3,400})"
)
# "Ruritania’s Jane Roe": a full name after a country's possessive (not an organization's words)
_STATE_POSSESSIVE_RE = re.compile(
    rf"([A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)[’']s[ \t]+({NAME_TOKEN}{_SEP}{NAME_TOKEN})(?![\w’'\-])(?![ \t]+[A-Z])"
)
# "two suspects, identified as Jane Roe and John Doe": the names after "identified as"
_IDENTIFIED_RE = re.compile(
    rf"\b(?:identified|named)[ \t]+as[ \t]+({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}})"
    rf"(?:(?:,[ \t]+|,?[ \t]+and[ \t]+)({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}))?"
    rf"(?:,?[ \t]+and[ \t]+({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}))?"
)
_SAID_AFTER_RE = re.compile(rf"({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}),?[ \t]+(?:{SPEECH_VERBS})\b")
_SAID_BEFORE_RE = re.compile(
    rf"\b(?:said|says|added|according to)[ \t]+({NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}})"
)
TURN_RE = re.compile(
    r"^[ \t]*((?:(?:MR|MS|MRS|DR|GEN|ADM|COL|CAPT|AMB|SEN|REP|SECRETARY|PRESIDENT)\.?\s+)?"
    r"(?:Q|[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3})"
    r"|(?:Mr|Ms|Mrs|Dr|Sir|Dame|Lord|Lady)\.?\s+[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?"
    r"|The\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)"
    r"(?:\s+\(([^)\n]{2,60})\))?:",
    re.M,
)
# A generic turn label at the start of a line: "Sarah Quinlan (Dover) (Lab):", "The Minister of State, Foreign
# Office (Andrew Pell):", "Okafor:", "1. Jane Doe:". Which of these are speaker turns is decided in find_turns.
_LABEL_RE = re.compile(
    r"^[ \t]*(?:\d{1,3}\.[ \t]+)?(?P<label>[A-Z][^\n:()“”\"]{0,70}?)(?P<paren>(?:[ \t]*\([^)\n]{1,60}\))*)[ \t]*:(?=[ \t]|$)",
    re.M,
)
_HONOR_RE = r"(?:Mr|Ms|Mrs|Miss|Dr|Sir|Dame|Lord|Lady|Madam|Madame|Prof|Professor|Judge|Justice|Senator|Sen|Rep|Gen|Adm|Col|Capt)\.?"
# "Mr Speaker:", "Madam Deputy Speaker:", "The Chair:": the presiding officer, named nowhere in the turn
_PRESIDING = re.compile(
    rf"(?:(?:{_HONOR_RE}|The)\s+)?(?:(?:Deputy|Vice|Acting)[\s-]+)?(?:Speaker|Chair|Chairman|Chairwoman|Chairperson|"
    r"President|Presiding Officer|Moderator|Host|Interviewer|Question|Questioner|Reporter|Audience|Q)",
    re.I,
)
_CASE_LABEL_RE = re.compile(rf"(?:(?P<honor>{_HONOR_RE})\s+)?(?P<name>{NAME_SEQ})")


@dataclass
class Turn:
    """One speaker turn: where its label is, the label, a name given in brackets, where the words start."""

    start: int
    end: int
    label: str
    full: str | None
    body: int
    procedural: bool  # the chair or a questioner: the words are nobody's quotation


def _paren_name(paren: str) -> str | None:
    """A person's full name among the bracketed parts of a label: "(Andrew Pell)" but not "(Lab)"."""
    for part in re.findall(r"\(([^)]*)\)", paren or ""):
        part = part.strip()
        if re.fullmatch(NAME_SEQ, part) and len(part.split()) >= 2 and not _is_non_person(part):
            return part
    return None


def find_turns(text: str) -> list[Turn]:
    """Transcript turns, upper case ("MR. KIRBY:", "MS ACHTERBERG:") or mixed case ("Sarah Quinlan:",
    "Okafor:", "The Minister (Andrew Pell):"). Mixed-case labels count only in a text that has several turns and
    only when the label is a name, a title and a name, or carries a full name in brackets."""
    cands: list[Turn] = []
    for m in _LABEL_RE.finditer(text):
        label = m.group("label").strip()
        paren = m.group("paren") or ""
        start = m.start("label")
        old = TURN_RE.match(text, m.start())
        procedural = bool(_PRESIDING.fullmatch(label))
        named = _paren_name(paren)
        if old and old.end() == m.end():
            full = old.group(2)
            cands.append(Turn(old.start(1), old.end(1), old.group(1), full, m.end(), False))
            continue
        if procedural:
            cands.append(Turn(start, start + len(label), label, None, m.end(), True))
            continue
        if named:
            cands.append(Turn(start, start + len(label), label, named, m.end(), False))
            continue
        lm = _CASE_LABEL_RE.fullmatch(label)
        if not lm or len(label.split()) > 5:
            continue
        name = lm.group("name")
        if not all(t[0].isupper() for t in name.split() if t not in ("de", "van", "der", "von", "al", "bin")):
            continue
        # a surname label is checked against the text below, not against the gazetteer
        one_word = len(name.split()) == 1
        if any(t in NOT_NAMES or t in MONTH_WORDS or t in ORG_HEADS for t in name.split()) or _is_non_person(
            name, titled=one_word
        ):
            continue
        cands.append(Turn(start, start + len(label), label, None, m.end(), False))
    # a single-word mixed-case label ("Okafor:") must come back as a label, or be the surname of a full name
    # given elsewhere in the text, to count as a turn
    out = []
    for t in cands:
        one = not t.procedural and not t.full and not t.label.isupper() and len(t.label.split()) == 1
        if one:
            again = sum(1 for u in cands if u.label == t.label) >= 2
            fuller = re.search(rf"\b[{UPPER}][{LOWER}]+\s+{re.escape(t.label)}\b", text)
            if not (again or fuller):
                continue
        out.append(t)
    if len(out) == 1:
        t = out[0]
        # a transcript excerpt with one turn: "BRIGADIER GENERAL JANE ROE:" opening the text still heads
        # a turn when it is an upper-case label of a rank or title and a name
        strong = t.label.isupper() and len(t.label.split()) >= 2 and not t.procedural and t.start < 600
        return out if strong else []
    return out


_BYLINE_RE = re.compile(
    rf"^[ \t]*(?:By|Posted by|Written by|Reporting by|Words by)\s+({NAME_SEQ})(?:,[ \t]+[A-Z][^,\n]{{0,40}})?"
    rf"(?:,?[ \t]+and[ \t]+({NAME_SEQ})(?:,[ \t]+[A-Z][^,\n]{{0,40}})?)?[ \t]*$",
    re.M,
)
_TURN_HONORIFICS = {
    "MR": "Mr.",
    "MS": "Ms.",
    "MRS": "Mrs.",
    "DR": "Dr.",
    "GEN": "Gen.",
    "ADM": "Adm.",
    "COL": "Col.",
    "CAPT": "Capt.",
    "AMB": "Amb.",
    "SEN": "Sen.",
    "REP": "Rep.",
}
NOT_NAMES = STOPWORDS | {
    "Maj",  # rank abbreviations written without their full stop ("Press Secretary Maj. Gen. …")
    "Gen",
    "Col",
    "Capt",
    "Lt",
    "Sgt",
    "Adm",
    "Cmdr",
    "Brig",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}
_TITLE_PREFIXES = {
    "Assistant",
    "Deputy",
    "Under",
    "Vice",
    "Acting",
    "Former",
    "Chief",
    "Senior",
    "Interior",
    "Foreign",
    "Defense",
    "Defence",
    "Finance",
    "Trade",
    "Justice",
    "Economy",
    "Transport",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Press",
    "Secretary-General",
    "Leader",
}
MONTH_WORDS = frozenset(MONTH_NAMES)
#: Verbs a title-case headline puts right after a name ("… Jane Roe Holds a Press Briefing")
HEADLINE_VERBS = frozenset(
    [
        "Holds",
        "Delivers",
        "Says",
        "Announces",
        "Meets",
        "Visits",
        "Speaks",
        "Briefs",
        "Hosts",
        "Testifies",
        "Calls",
        "Urges",
        "Warns",
        "Joins",
        "Signs",
        "Travels",
        "Remarks",
        "Addresses",
        "Discusses",
        "Welcomes",
        "Condemns",
        "Issues",
        "Releases",
        "Statement",
        "Interview",
        "Briefing",
    ]
)


def _clean_name(name: str) -> str:
    toks = name.split()
    # "Commander Nguyen said": a capitalised role before a surname is a title, not a first name
    title_words = (
        {w for t in TITLES for w in t.split()}
        | _TITLE_PREFIXES
        | {r.capitalize() for r in ROLE_NOUNS}
        | _OFFICE_TOKENS
    )
    cut = max((i + 1 for i, t in enumerate(toks[:-1]) if t in title_words), default=0)
    toks = toks[cut:]
    while toks and (toks[0] in NOT_NAMES or toks[0] in TITLES):
        toks = toks[1:]
    while toks and (toks[-1] in NOT_NAMES or toks[-1] in MONTH_WORDS or toks[-1] in HEADLINE_VERBS):
        toks = toks[:-1]
    if toks:
        toks[-1] = re.sub(r"[’']s$", "", toks[-1])  # "Mr. Petrov’s lawyer"
    return " ".join(toks)


def _is_non_person(name: str, titled: bool = False) -> bool:
    """Names that are places, states or organizations; a title ("Captain Lee") outweighs a town called Lee."""
    toks = name.split()
    if not toks:
        return True
    states = gazetteer.state_names()
    if name in states or name in gazetteer.capitals() or name in KNOWN_ORGS:
        return True
    if any(t in ORG_HEADS or t in MONTH_WORDS for t in toks):
        return True
    if any(t in states for t in toks) or (not titled and gazetteer.lookup(name)):
        return True
    return all(len(t) <= 2 for t in toks)


def _add_person(
    table: ActorTable,
    text: str,
    name: str,
    start: int,
    title: str | None = None,
    role: str | None = None,
    min_tokens: int = 1,
) -> Actor | None:
    name = _clean_name(name)
    if not name or _is_non_person(name, titled=bool(title or role)) or len(name.split()) < min_tokens:
        return None
    if re.fullmatch(r"[A-Z]\.", name.split()[-1]):
        return None  # "Merrick B." is a name cut short by a limit on its length, never a name
    if _PRESIDING.fullmatch(name):  # "Mr Speaker", "Madam Chair": an office, not a name
        return None
    if re.search(r"-(?:flagged|based|owned|registered|made|backed|led|linked|born)$", name):
        return None
    idx = text.find(name, start)
    if idx < 0:
        return None
    inside = table.person_covering(idx, idx + len(name))
    if inside is not None:
        return inside  # "Adm. Robert" inside "Adm. Robert “Bob” Lane": the longer name's person
    tail = next(
        (
            a
            for a in table.actors
            if a.kind == "person"
            # a given name and a surname, not "de Vries"
            and sum(t[:1].isupper() for t in a.name.split()) >= 2
            and name.endswith(" " + a.name)
        ),
        None,
    )
    if tail is not None:  # "Harbour Board Ivo Lind" after "Ivo Lind" was read: words of an office before it
        table.add(tail, idx + len(name) - len(tail.name), idx + len(name), tail.name)
        return tail
    actor = table.find("person", name) or _person_by_parts(table, name)
    if actor is None:
        actor = Actor(name=name, kind="person", confidence=0.8, reason="a capitalised full name")
    elif NICKNAMES.get(actor.name.split()[0]) == name.split()[0] or len(name.split()) > len(
        actor.name.split()
    ):
        # the fuller name wins, and the formal given name over its familiar form ("William" over "Bill")
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
        from_title = actor.title and actor.role == TITLES.get(actor.title, ("", None))[0]
        # "The army's spokesman, Brig. Nabil Abdallah": the role said in words beats the rank's role
        actor.role = role if (not actor.role or from_title) else actor.role
    table.add(actor, idx, idx + len(name), name)
    if title and f"{title} {name}" not in actor.aliases:
        actor.aliases.append(f"{title} {name}")  # "Ms. de Vries" is how the text refers to her
    return actor


def _person_by_parts(table: ActorTable, name: str) -> Actor | None:
    """Merge "John Kirby" with "John F. Kirby" and "Kirby" with either (same surname, compatible first name)."""
    toks = [t for t in name.split() if not re.fullmatch(r"[A-Z]\.", t) and t[0].isupper()]
    if not toks:
        return None
    for a in table.actors:
        if a.kind != "person":
            continue
        atoks = [t for t in a.name.split() if not re.fullmatch(r"[A-Z]\.", t) and t[0].isupper()]
        if toks[-1] == atoks[-1] and (len(toks) == 1 or len(atoks) == 1 or same_given(toks[0], atoks[0])):
            return a
    return None


def same_given(a: str, b: str) -> bool:
    """ "Bill" and "William", "Bob" and "Robert": the same given name, one of them its familiar form."""
    return a == b or NICKNAMES.get(a) == b or NICKNAMES.get(b) == a


def _role_word(phrase: str) -> str | None:
    for w in reversed(re.findall(r"[a-z]+", phrase)):
        if w in ROLE_NOUNS:
            return w
    return None


def find_people(text: str, table: ActorTable) -> None:
    for m in _NICKNAME_RE.finditer(text):
        given, nick, surname = m.group(1), m.group(2), m.group(3)
        name = f"{given} {surname}"
        if _is_non_person(name, titled=True) or given in TITLES or given.rstrip(".") in NOT_NAMES:
            continue
        actor = table.find("person", name) or Actor(
            name=name, kind="person", confidence=0.8, reason="a name with a nickname in quotation marks"
        )
        table.add(actor, m.start(1), m.end(3), m.group(0))
        for alias in (f"{nick} {surname}", m.group(0)):
            if alias not in actor.aliases:
                actor.aliases.append(alias)
    for m in _NAME_COUNTRY_RE.finditer(text):
        if m.group(2) in gazetteer.state_names():
            _add_person(table, text, m.group(1), m.start(1), min_tokens=2)
    for m in _AGE_RE.finditer(text):
        _add_person(table, text, m.group(1), m.start(1), min_tokens=2)
    for m in _PEOPLE_LIST_RE.finditer(text):
        for n in re.finditer(rf"{NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,3}}", m.group(1)):
            _add_person(table, text, n.group(0), m.start(1) + n.start(), min_tokens=2)
    states = gazetteer.state_names()
    for m in _STATE_POSSESSIVE_RE.finditer(text):
        if (
            m.group(1) in states
            and not any(t in ORG_HEADS for t in m.group(2).split())
            and not table.covered(m.start(2), m.end(2))
        ):
            _add_person(table, text, m.group(2), m.start(2), min_tokens=2)
    for m in _IDENTIFIED_RE.finditer(text):
        for g in (1, 2, 3):
            if m.group(g):
                _add_person(table, text, m.group(g), m.start(g), min_tokens=2)
    for m in _NAME_THEN_OFFICE_RE.finditer(text):
        _add_person(table, text, m.group(1), m.start(1), role=m.group(2), min_tokens=2)
    for m in OFFICE_NAME_RE.finditer(text):
        office = m.group("office")
        if office.split()[-1] in ("the", "and", "of", "for", "in", "on", "at", "to"):
            continue
        if m.group("comma") and office.split()[-1] not in _OFFICE_TOKENS:
            continue  # "National Security Advisor, Jake Sullivan,": a comma only after the office's own word
        actor = _add_person(table, text, m.group("name"), m.start("name"), role=office)
        if actor is not None and len(office.split()) <= 8 and f"{office} {actor.name}" not in actor.aliases:
            actor.aliases.append(f"{office} {m.group('name')}")
    for m in _TITLE_RE.finditer(text):
        _add_person(table, text, m.group(2), m.start(2), title=m.group(1))
    for m in _ROLE_BEFORE_RE.finditer(text):
        role = text[m.start() : m.start(1)].strip()
        _add_person(table, text, m.group(1), m.start(1), role=role)
    for m in _APPOSITION_RE.finditer(text):
        role = _role_word(m.group(2))
        if role:
            _add_person(table, text, m.group(1), m.start(1), role=role)
    for m in _CAP_ROLE_RE.finditer(text):
        _add_person(table, text, m.group(1), m.start(1), role=m.group(2).lower())
    for m in _ROLE_APPOSED_RE.finditer(text):
        _add_person(table, text, m.group(2), m.start(2), role=m.group(1))
    for m in _APPOS_INDEF_RE.finditer(text):
        head = m.group(3)
        if head in ROLE_NOUNS or (
            re.search(r"(?:er|or|ist|ian|ant|ent|eer)$", head) and head not in _NOT_PERSON_HEADS
        ):
            _add_person(table, text, m.group(1), m.start(1), role=head, min_tokens=2)
    for m in _WHO_RE.finditer(text):
        _add_person(table, text, m.group(1), m.start(1), min_tokens=2)
    for rx in (_SAID_AFTER_RE, _SAID_BEFORE_RE):
        for m in rx.finditer(text):
            _add_person(table, text, m.group(1), m.start(1), min_tokens=2)
    turns = find_turns(text)
    for k, t in enumerate(turns):
        if not t.procedural:
            nxt = turns[k + 1].start if k + 1 < len(turns) else len(text)
            turn_speaker(table, text, t.label, t.start, t.full) or role_turn_speaker(table, text, t, nxt)
    for m in _BYLINE_RE.finditer(text):
        for g in (1, 2):
            if m.group(g):
                _add_person(table, text, m.group(g), m.start(g), role="author")

    # later bare-surname mentions ("Kirby said")
    def surname(a: Actor) -> str:
        last = a.name.split()[-1]
        return "" if len(last) < 3 or last in NOT_NAMES else last

    people = [a for a in table.actors if a.kind == "person"]
    for a, m in table.later_mentions(text, people, surname):
        pre = text[max(0, m.start() - 12) : m.start()]
        t = re.search(rf"({TITLE_ALT})\s+$", pre)
        s = m.start() - (len(pre) - t.start()) if t else m.start()
        table.add(a, s, m.end(), text[s : m.end()])


_LABEL_RANKS = {
    "Brigadier",
    "General",
    "Major",
    "Captain",
    "Colonel",
    "Lieutenant",
    "Commander",
    "Admiral",
    "Vice",
    "Rear",
    "Sergeant",
    "Ambassador",
    "Secretary",
    "Deputy",
    "Assistant",
    "Under",
    "Acting",
    "Senator",
    "Representative",
    "Minister",
    "President",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Governor",
    "Chief",
}
#: Turn labels that name a role, not a person: the words are the role-holder's (the annotation names them by
#: the role unless they introduce themselves).
ROLE_LABELS = {"MODERATOR", "STAFF", "OPERATOR", "HOST", "PRESS OFFICER", "SPOKESPERSON"}
_RANKS = r"(?:Major|Maj\.|Captain|Capt\.|Colonel|Col\.|Lieutenant|Lt\.|Commander|Cmdr\.|General|Gen\.|Admiral|Adm\.|Sergeant|Sgt\.)"
_SELF_INTRO_RE = re.compile(
    rf"\b(?:I['’]m|I am|[Tt]his is|[Mm]y name is)\s+(?:(?P<title>{TITLE_ALT}|{_RANKS})\s+)?"
    rf"(?P<name>{NAME_TOKEN}(?:{_SEP}{NAME_TOKEN}){{1,2}})"
)


def role_turn_speaker(table: ActorTable, text: str, turn: Turn, end: int) -> Actor | None:
    """ "STAFF: … I'm Major Rob Lodewick …": a role-labelled turn is the person who introduces themselves in
    it, else the role itself ("Moderator"), so the words are still attributed."""
    key = turn.label.strip(". ").upper()
    if key not in ROLE_LABELS:
        return None
    intro = _SELF_INTRO_RE.search(text, turn.body, min(end, turn.body + 400))
    if intro:
        actor = _add_person(table, text, intro.group("name"), intro.start("name"), title=intro.group("title"))
        if actor is not None:
            table.add(actor, turn.start, turn.end, turn.label)
            return actor
    name = key.title()
    actor = table.find("person", name) or Actor(
        name=name, kind="person", confidence=0.6, reason="a transcript turn labelled by role, not by name"
    )
    table.add(actor, turn.start, turn.end, turn.label)
    return actor


def turn_speaker(
    table: ActorTable, text: str, label: str, start: int, full: str | None = None
) -> Actor | None:
    """Transcript turns such as "MR. KIRBY:" or "Mr. Kovalenko (Ukraine):" name a person, known or new."""
    affiliation = full and (
        full.strip() in gazetteer.state_names() or any(w in ORG_HEADS for w in full.split())
    )
    if full and not affiliation and re.fullmatch(NAME_SEQ, full.strip()):
        actor = _add_person(table, text, full.strip(), start)
        if actor is not None:
            table.add(actor, start, start + len(label), label)
            return actor
    if label.strip(". ") in {
        "Q",
        "QUESTION",
        "MODERATOR",
        "OPERATOR",
        "NOTE",
        "SOURCE",
        "END",
        "UPDATE",
        "HOST",
        "REPORTER",
        "AUDIENCE",
        "CORRECTION",
        "EDITOR'S NOTE",
        "TRANSCRIPT",
    }:
        return None
    if label.startswith("The ") or label.upper().startswith(("THE ", "CHAIR")):
        return None  # "The President:" chairs the meeting; the record does not name them here
    if label.strip(". ") == "Q" or _PRESIDING.fullmatch(label):
        return None
    lm = _CASE_LABEL_RE.fullmatch(label)
    if not label.isupper() and lm and not lm.group("honor"):
        # "Sarah Quinlan:" names the person; "Okafor:" is the surname of someone named in full elsewhere
        name = lm.group("name")
        actor = table.person_by_short(name) or _person_by_parts(table, name)
        if actor is None:
            actor = _add_person(table, text, name, start)
        if actor is not None:
            table.add(actor, start, start + len(label), label)
        return actor
    if not label.isupper():
        honor, _, name = label.partition(" ")
        honor = honor if honor.endswith(".") else honor + "."
        actor = table.person_by_short(name) or _person_by_parts(table, name)
        if actor is None:
            actor = Actor(name=name, kind="person", title=honor, gender=TITLES.get(honor, ("", None))[1])
        table.add(actor, start, start + len(label), label)
        return actor
    parts = label.replace(".", ". ").split()
    honor = None
    if parts and parts[0].rstrip(".") in _TURN_HONORIFICS:
        honor = _TURN_HONORIFICS[parts[0].rstrip(".")]
        parts = parts[1:]
    words = [p.capitalize() if len(p) > 2 or not p.endswith(".") else p for p in parts if p]
    rank = []
    while len(words) > 1 and (words[0] in _LABEL_RANKS or words[0] in TITLES):
        rank.append(words.pop(0))  # "BRIGADIER GENERAL PAT RYDER": the rank is no part of the name
    if not words:
        return None
    name = " ".join(w.title() if "-" in w else w for w in words)
    if name in gazetteer.state_names() or any(w in ORG_HEADS for w in words):
        return None
    actor = table.person_by_short(words[-1]) or table.find("person", name)
    if actor is not None and len(words) >= 2 and name not in actor.names():
        actor.aliases.append(name)  # "CAPTAIN WILLIAM URBAN" for the "Bill Urban" of the header
    if actor is None:
        actor = Actor(name=name, kind="person", confidence=0.7, reason="a transcript speaker's label")
        if rank and not honor:
            honor = " ".join(rank)
        if honor:
            actor.title = honor
            actor.gender = TITLES.get(honor, ("", None))[1]
    table.add(actor, start, start + len(label), label)
    return actor
