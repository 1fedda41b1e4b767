"""Direct quotations and who said them.

A quotation is the words between a pair of marks (typographic or straight), possibly running over several
paragraphs or broken by its attribution ("…,” he said. “…”). Marks around a ship's name, a nickname or a scare
quote are not speech: short, title-cased or attribution-less quoted phrases are dropped.
Transcript turns ("MR. KIRBY: …") are speech without marks: each paragraph of a turn is one quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import ROLE_NOUNS, SPEECH_VERB_RE, SPEECH_VERBS, TITLES
from .mentions import ActorTable, ByStart, Mention
from .model import Actor, Quote, Span
from .people import NAME_SEQ, TITLE_ALT, find_turns, role_turn_speaker, turn_speaker
from .text import Segment, paragraphs, sentence_at, sentences, speech_paragraphs

_OPEN = '“"'
_NAMING_CUE = re.compile(
    r"\b(?:named|called|dubbed|nicknamed|known as|so-called|the term|the word|the words|the phrase|titled|"
    r"entitled|label(?:l)?ed|branded|codenamed|code-named|M/V|MV|tanker|vessel|ship|freighter|operation|"
    r"Operation|as|boat|dhow|barge|yacht|plane|aircraft|calls|call)\s+(?:the\s+)?$|\b(?:named|called|dubbed|nicknamed)\s*$"
)
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)"
_DESCRIPTOR = (
    r"(?:(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w.’'\-]+\s+){0,5}"
    rf"(?:{'|'.join(sorted(ROLE_NOUNS))}|officials|ministry|council|panel|department|agency|"
    r"statement|report|company|owner|embassy|government|source|sources|authority|charterer|firm|"
    r"coast guard|police|prosecutors|regulator|registry|exporter|insurer)(?![’'\w]))"  # not "the company’s chief"
)
_ROLE_THEN_NAME = rf"(?<![\w’'])(?:[a-z][\w\-]*\s+){{0,2}}?(?:{'|'.join(sorted(ROLE_NOUNS))})\s+{NAME_SEQ}"  # "chief prosecutor Ioana Marinescu"
_WHO = rf"(?:(?:{TITLE_ALT})\s+{NAME_SEQ}|(?:the\s+)?{NAME_SEQ}|{_ROLE_THEN_NAME}|{_DESCRIPTOR}|{_PRONOUN})"
_AFTER_RE = re.compile(
    rf"^[\s,]*(?:(?P<verb1>{SPEECH_VERBS})\s+(?P<who1>{_WHO})(?:,\s+(?P<appos3>(?:(?:{TITLE_ALT})\s+)?{NAME_SEQ})(?=[,.;]))?|(?P<who2>{_WHO})(?:,\s+(?P<appos>[^,“”\"]{{2,60}}),(?:\s+\d{{1,3}},)?)?"
    rf"\s+(?:(?:also|later|then|had)\s+)?"
    rf"(?:{SPEECH_VERBS})\b|according\s+to\s+(?P<who3>{_WHO}))"
)
_BEFORE_RE = re.compile(
    rf"(?:(?P<who1>{_WHO})(?P<ofpart>\s+of\s+(?:the\s+)?(?:[\w’'.\-]+\s+){{0,5}}?[\w’'.\-]+)?"  # "Jane Roe of the port police says"
    rf"(?:,\s+(?P<appos>[^,“”\"]{{2,60}}),)?\s*,?\s+(?:(?:also|later|then|had)\s+)?"
    rf"(?:{SPEECH_VERBS})\b[^“”\"]{{0,60}}?"
    rf"|[Aa]ccording\s+to\s+(?P<who2>{_WHO})(?:,\s+(?P<appos2>[^,“”\"]{{2,60}}),)?[^“”\"]{{0,30}}?|(?P<who3>{_WHO})\s+(?:wrote|writes|posted)\b[^“”\"]{{0,60}}?)"
    r"[:,]?\s*$"
)


_ORG_WORDS = {
    "company",
    "firm",
    "owner",
    "operator",
    "manager",
    "ministry",
    "agency",
    "department",
    "group",
    "government",
    "organization",
    "organisation",
    "council",
    "panel",
    "office",
    "embassy",
    "charterer",
    "exporter",
    "insurer",
}


@dataclass
class RawQuote:
    """Quoted segments before classification: inner spans (without the marks)."""

    segments: list[Span] = field(default_factory=list)
    open_at: int = 0
    close_at: int = 0  # offset just after the closing mark (or end of last segment)


def _find_marked(text: str) -> list[RawQuote]:
    out: list[RawQuote] = []
    paras = paragraphs(text)
    pending: RawQuote | None = None
    for para in paras:
        i = para.start
        end = para.end
        if pending is not None and text[i] not in _OPEN:
            out.append(pending)  # an unclosed quote that does not continue: keep what we have
            pending = None
        while i < end:
            ch = text[i]
            if ch == "‘" and (i == para.start or not text[i - 1].isalnum()):
                j = _close_single(text, i + 1, end)
                if j > i:
                    out.append(RawQuote(segments=[(i + 1, j)], open_at=i, close_at=j + 1))
                    i = j + 1
                    continue
            if ch in _OPEN and (ch == "“" or i == para.start or not text[i - 1].isalnum()):
                close = "”" if ch == "“" else '"'
                j = text.find(close, i + 1, end)
                if ch == '"':  # copied text mixes marks ("…,” said X): whichever closing mark comes first
                    k = text.find("”", i + 1, end)
                    j = k if k >= 0 and (j < 0 or k < j) else j
                if ch == "“":
                    nested = text.find("“", i + 1, end)
                    if 0 <= nested < j or j < 0:
                        j = j if j >= 0 and (nested < 0 or nested > j) else -1
                rq = pending or RawQuote(open_at=i)
                if j < 0:
                    rq.segments.append((i + 1, end))
                    rq.close_at = end
                    pending = rq
                    i = end
                    continue
                rq.segments.append((i + 1, j))
                rq.close_at = j + 1
                out.append(rq)
                pending = None
                i = j + 1
                continue
            i += 1
    if pending is not None:
        out.append(pending)
    return out


def _close_single(text: str, start: int, end: int) -> int:
    """The ’ that closes a ‘quote’ (British style), telling it from apostrophes ("agency’s", "workers’ union")."""
    fallback = -1
    for k in range(start, end):
        if text[k] != "’" or (k + 1 < end and text[k + 1].isalpha()):
            continue
        if text[k - 1] in ".,?!;:…":
            return k
        if fallback < 0 and not (text[k - 1] == "s" and re.match(r"\s+[a-z]", text[k + 1 : k + 4])):
            fallback = k
    return fallback


def _clean_segments(text: str, segs: list[Span]) -> list[Span]:
    out = []
    for k, (a, b) in enumerate(segs):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if k == len(segs) - 1 and b > a and text[b - 1] == ",":
            b -= 1  # the comma before the attribution stands for the speaker's full stop
        if b > a:
            out.append((a, b))
    return out


def _quote_text(text: str, segs: list[Span]) -> str:
    return " ".join(re.sub(r"\s+", " ", text[a:b]) for a, b in segs)


@dataclass
class _Ctx:
    text: str
    mentions: list[Mention]
    actors: list[Actor]
    sents: list[Segment]
    # (open, close) of every quotation: a name inside one is not a speaker
    quoted: list[Span] = field(default_factory=list)

    by_start: ByStart[Mention] | None = None

    def outside(self, m: Mention) -> bool:
        return not any(a < m.start < b for a, b in self.quoted)

    def starting(self, a: int, b: int) -> list[Mention]:
        """Mentions that start in [a, b), found by bisection (the text may be long)."""
        if self.by_start is None:
            self.by_start = ByStart(self.mentions, lambda m: m.start)
        return self.by_start.within(a, b)


def _resolve(ctx: _Ctx, who: str, pos: int, at: int) -> tuple[str | None, float]:
    """Turn an attribution phrase into a speaker name; ``at`` is where the phrase starts in the text."""
    who = who.strip()
    # a named actor whose mention covers the phrase
    for m in ctx.mentions:
        if m.start <= at < m.end or at <= m.start < at + len(who):
            if m.actor.kind in ("person", "organization", "state"):
                return m.actor.name, 0.9
    low = who.lower()
    before = [
        m
        for m in ctx.mentions
        if m.start < pos
        and m.actor.kind == "person"
        and ctx.outside(m)
        and not _ON_BEHALF_RE.search(ctx.text[max(0, m.start - 60) : m.start])  # "X, on behalf of Y, said"
    ]
    role_speaker = role_speaker_before(ctx.text, pos)
    if role := ROLE_SPEAKER_RE.fullmatch(who):
        return role_name(role), 0.75
    if re.fullmatch(_PRONOUN, who):
        if low in ("he", "she"):
            want = "m" if low == "he" else "f"
            for m in reversed(before):
                if role_speaker and role_speaker[0] > m.start:
                    break  # "the representative of Chile said …, he added": the role came last
                if m.actor.gender in (None, want):
                    return m.actor.name, 0.7
            if role_speaker:
                return role_speaker[1], 0.65
        if low in ("it", "they"):
            orgs = [m for m in ctx.mentions if m.start < pos and m.actor.kind in ("organization", "state")]
            if orgs:
                return orgs[-1].actor.name, 0.5
        return None, 0.2
    role = re.match(r"(?:the|this)\s+([a-z]+)$", low) or re.match(
        rf"(?:the|its|his|her|their)\s+.*?\b({'|'.join(sorted(ROLE_NOUNS))})$", low
    )
    if role:
        word = role.group(1)
        for m in reversed(before):
            a = m.actor
            if word in _role_words(a) or word in (a.role or "").lower():
                return a.name, 0.75
        # introduced by role only and named just after: "“…,” the director said. … The director, Babiker Osman,"
        after = [m for m in ctx.mentions if pos <= m.start < pos + 1500 and m.actor.kind == "person"]
        for m in after:
            a = m.actor
            if word in _role_words(a):
                return a.name, 0.65
        orgs = [m for m in ctx.mentions if m.start < pos and m.actor.kind == "organization"]
        for m in reversed(orgs):
            if word in m.actor.name.lower():
                return m.actor.name, 0.6
        if word in _ORG_WORDS and orgs:
            return orgs[-1].actor.name, 0.5  # "the company said": the organization named last
        # an unnamed source introduced earlier: "A European diplomat who tracks the trade …"
        intro = list(
            re.finditer(
                rf"\b(?:[Aa]n?|[Oo]ne)\s+((?:[A-Z][\w.\-]*\s+|[a-z][\w\-]*\s+){{0,3}}?{word})\b",
                ctx.text[max(0, pos - 1500) : pos],
            )
        )
        if intro:
            return intro[-1].group(1), 0.5
    bare = re.sub(rf"^(?:{TITLE_ALT})\s+", "", who)
    if bare and bare[0].isupper():
        for m in reversed(before):
            if all(t in m.actor.name.split() for t in bare.split()):
                return m.actor.name, 0.8
        return bare, 0.6
    return re.sub(r"^(?:the|a|an|one|another)\s+", "", who, flags=re.I), 0.4


# "the representative of the United States", "Chile’s delegate": a speaker meeting coverage names by role
ROLE_SPEAKER_RE = re.compile(
    r"(?:[Tt]he\s+)?(?P<role>representative|delegate|speaker|ambassador|envoy|observer)\s+(?:of|for)\s+"
    r"(?P<of>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w’'\-]*){0,5})"
    r"|(?P<of2>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3})[’']s?\s+(?P<role2>representative|delegate)"
)


def role_name(m: re.Match[str]) -> str:
    """The speaker's name as the coverage gives it: "representative of the United States"."""
    if m.group("role"):
        return f"{m.group('role').lower()} of {m.group('of')}"
    return f"{m.group('role2').lower()} of {m.group('of2')}"


# "with the representative of Chile underlining that …": coverage reports a speaker with a participle too
_REPORTING_ING_RE = re.compile(
    r"\s+(?:underlining|stressing|noting|warning|emphasizing|emphasising|saying|adding|expressing|"
    r"pointing|urging|recalling|cautioning|insisting|arguing|highlighting|reiterating|calling)\b"
)


def role_speaker_before(text: str, pos: int, window: int = 1500) -> tuple[int, str] | None:
    """The last role-named speaker ("the representative of Chile said") before ``pos``, for "he"/"she"."""
    last = None
    for m in ROLE_SPEAKER_RE.finditer(text, max(0, pos - window), pos):
        if SPEECH_VERB_RE.search(text, m.end(), min(pos, m.end() + 40)) or _REPORTING_ING_RE.match(
            text, m.end()
        ):
            last = (m.start(), role_name(m))
    return last


def _role_words(a: Actor) -> set[str]:
    """What "the X" can stand for: the role said in words, the title, and the title's role ("Gen." -> general)."""
    title = a.title or ""
    return {(a.role or "").lower(), title.lower().rstrip("."), TITLES.get(title, ("", None))[0]} - {""}


def _appos_actor(ctx: _Ctx, m: re.Match[str], off: int) -> str | None:
    """The person or organization named in an attribution's apposition, if any."""
    for g in ("appos", "appos2", "appos3"):
        if g not in m.re.groupindex or not m.group(g):
            continue
        at = off + m.start(g)
        for x in ctx.mentions:
            if at <= x.start < at + len(m.group(g)) and x.actor.kind in ("person", "organization"):
                return x.actor.name
    return None


def _descriptive(who: str) -> bool:
    """A speaker given by description ("a prosecutor", "its director"), whose name the apposition then gives;
    a speaker given by name ("Elena Markou, an analyst at the Centre …") keeps the name."""
    return not who[:1].isupper() or bool(re.match(r"(?:The|A|An|One|Its|His|Her|Their)\s", who))


_OFFICE_GAP = re.compile(
    r"(?:[A-Z][\w.’'&\-]*,?|of|for|the|and|in|on|at|to)(?:\s+(?:[A-Z][\w.’'&\-]*,?|of|for|the|and|in|on|at|to))*\s+$"
)


def _office_mention(ctx: _Ctx, at: int, end: int) -> Mention | None:
    """The person named after an office ("said Deputy Secretary of Commerce Don Graves"): the first person
    mention in the attribution that only capitalised office words and connectors stand before."""
    best = None
    for m in ctx.starting(at, end):
        if m.actor.kind != "person":
            continue
        gap = ctx.text[at : m.start]
        if (not gap.strip() or _OFFICE_GAP.fullmatch(gap)) and (best is None or m.start < best.start):
            best = m
    return best


def _office_person(ctx: _Ctx, at: int, end: int) -> str | None:
    m = _office_mention(ctx, at, end)
    return m.actor.name if m else None


def _capital(who: str) -> bool:
    """An attribution that may be an office before a name: capitalised, perhaps after "the"."""
    return re.sub(r"^the\s+", "", who)[:1].isupper()


def _past_the(who: str, at: int) -> tuple[int]:
    """Where an office starts: after a leading "the" ("the Harbour Board's Ivo Lind")."""
    lead = re.match(r"the\s+", who)
    return (at + (lead.end() if lead else 0),)


def _line_end(text: str, at: int, limit: int = 250) -> int:
    """Where an attribution after a quote can end: the line's end or the next quotation mark."""
    stop = min(len(text), at + limit)
    for ch in ("\n", "“", '"'):
        k = text.find(ch, at, stop)
        if k >= 0:
            stop = k
    return stop


def _attribution(ctx: _Ctx, rq: RawQuote) -> tuple[str | None, float, Span | None]:
    text = ctx.text
    first = rq.segments[0][0]
    sent = sentence_at(ctx.sents, rq.open_at) or sentence_at(ctx.sents, first)
    s_end = sent.end if sent else min(len(text), rq.close_at + 200)
    after = text[rq.close_at : s_end]
    lead = re.match(r"[\s,]*", text[rq.close_at :])
    at0 = rq.close_at + (lead.end() if lead else 0)
    office = _office_mention(ctx, at0, _line_end(text, at0))
    verb = rf"[\s,]*(?:(?:also|later|then|had)\s+)?(?:{SPEECH_VERBS})\b"
    intro = re.search(
        rf"(?:{SPEECH_VERBS})\b[^“”\"\n]{{0,40}}:\s*$", text[max(0, rq.open_at - 80) : rq.open_at]
    )
    follow = (
        re.match(verb + r"(?P<colon>[^“”\"\n.]{0,40}:)?", text[office.end : office.end + 80])
        if office
        else None
    )
    if office and office.start > at0 and follow and not follow.group("colon") and not intro:
        # "…,” U.S. Special Representative for Iran Jane Roe told reporters
        return office.actor.name, 0.9, (at0, office.end)
    m = _AFTER_RE.match(after)
    if m:
        g = next(k for k in ("who1", "who2", "who3") if m.group(k))
        named = _appos_actor(ctx, m, rq.close_at) if _descriptive(m.group(g)) else None
        if named:  # "a prosecutor, Ingrid de Vries, told reporters": the name is in the apposition
            return named, 0.85, (rq.close_at + m.start(), rq.close_at + m.end())
        at = rq.close_at + m.start(g)
        office = (
            _office_person(ctx, *_past_the(m.group(g), at), _line_end(text, at))
            if _capital(m.group(g))
            else None
        )
        if office:
            return office, 0.9, (rq.close_at + m.start(), rq.close_at + m.end())
        name, conf = _resolve(ctx, m.group(g), rq.open_at, at)
        return name, conf, (rq.close_at + m.start(), rq.close_at + m.end())
    v = re.match(rf"[\s,]*(?:{SPEECH_VERBS})\s+", after)
    if v:  # "said HSI Washington, D.C. Special Agent in Charge …": an office no name pattern reads
        at = rq.close_at + v.end()
        office = _office_person(ctx, at, _line_end(text, at))
        if office:
            return office, 0.85, (rq.close_at + v.start(), rq.close_at + v.end())
    s_start = sent.start if sent else max(0, rq.open_at - 200)
    before = text[s_start : rq.open_at]
    before = before[max(before.rfind("”"), before.rfind('"')) + 1 :]
    off = rq.open_at - len(before)
    m = _BEFORE_RE.search(before)
    if m:
        g = next(k for k in ("who1", "who2", "who3") if m.group(k))
        who = m.group(g)
        if g == "who1" and m.group("ofpart") and _descriptive(who):
            who += m.group("ofpart")  # "the representative of Peru said", "the head of the agency said"
        if role := ROLE_SPEAKER_RE.fullmatch(who):
            return role_name(role), 0.75, (off + m.start(), off + m.end())
        named = _appos_actor(ctx, m, off) if _descriptive(who) else None
        if named:
            return named, 0.85, (off + m.start(), off + m.end())
        at = off + m.start(g)
        office = _office_person(ctx, *_past_the(who, at), rq.open_at) if _capital(who) else None
        if office:
            return office, 0.9, (off + m.start(), off + m.end())
        name, conf = _resolve(ctx, who, rq.open_at, at)
        return name, conf, (off + m.start(), off + m.end())
    return None, 0.0, None


_LABEL_LEAD_RE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s*$")


def _is_speech(text: str, rq: RawQuote, segs: list[Span], attributed: bool, in_speech_sentence: bool) -> bool:
    words = re.findall(r"[\w’'\-]+", _quote_text(text, segs))
    if not words:
        return False
    lead = text[max(0, rq.open_at - 30) : rq.open_at]
    if _NAMING_CUE.search(lead) and len(words) < 8:
        return False
    if len(words) <= 3 and _LABEL_LEAD_RE.search(lead):
        return False  # "intercepted a “fully loaded” boat": a label inside a noun phrase, not speech
    inner = text[rq.segments[-1][0] : rq.segments[-1][1]].rstrip()
    punct = inner[-1:] in {".", "?", "!", ","} or inner.endswith(("…", "...")) or len(rq.segments) > 1
    titled = all(w[0].isupper() or not w[0].isalpha() for w in words if len(w) > 3)
    if len(words) <= 3:
        after = text[rq.close_at : rq.close_at + 40]
        told = re.match(
            rf"\s*(?:{SPEECH_VERBS})\s+(?:he|she|they|the\s+[a-z]+)\b|\s*(?:he|she|they)\s+(?:{SPEECH_VERBS})\b",
            after,
        )
        if attributed and inner[-1:] in {",", "?", "!"} and told:
            return True  # “Ask the Russians,” he said.
        if titled or inner[-1:] not in {".", "?", "!", ","}:
            return False  # "Night Heron," and "medical supplies" are names and labels, not speech
        return attributed and not re.match(r"\s*according to", after)
    if titled and not punct and len(words) < 8:
        return False
    if attributed:
        return True
    return (len(words) >= 6 and punct) or (len(words) >= 4 and in_speech_sentence)


def _turns(ctx: _Ctx, table_actors: list[Actor]) -> tuple[list[Quote], list[Span]]:
    """Transcript turns: each paragraph of a named speaker's turn is one quotation."""

    text = ctx.text
    table = ActorTable()
    table.actors = list(table_actors)
    table.mentions = list(ctx.mentions)
    quotes: list[Quote] = []
    covered: list[Span] = []
    turns = find_turns(text)
    if not turns:
        return quotes, covered
    _given_names(text, table, turns)
    for k, t in enumerate(turns):
        nxt = text.rfind("\n", 0, turns[k + 1].start) + 1 if k + 1 < len(turns) else len(text)
        line = text.rfind("\n", 0, t.start) + 1
        speaker = None
        if not t.procedural:
            speaker = turn_speaker(table, text, t.label, t.start, t.full) or role_turn_speaker(
                table, text, t, nxt
            )
        body_start = t.body
        covered.append((line, nxt))
        if speaker is None:
            continue
        for p in speech_paragraphs(text, body_start, nxt):
            a, b = p.start, p.end
            seg = text[a:b].strip()
            if not seg or (seg.startswith(("(", "[")) and seg.endswith((")", "]"))):
                continue
            quotes.append(
                Quote(
                    text=re.sub(r"\s+", " ", seg),
                    speaker=speaker.name,
                    spans=[(a, a + len(seg))],
                    attribution_span=(t.start, t.end),
                    confidence=0.85,
                    reason="a paragraph of a transcript turn headed by the speaker's name",
                )
            )
    return quotes, covered


_THANKS_RE = re.compile(
    r"[ \t]*(?:Thanks|Thank[ \t]+you)(?:[ \t]+(?:so[ \t]+much|very[ \t]+much))?,[ \t]+(?P<given>[A-Z][a-z]+)\b[.,!]"
)


def _given_names(text: str, table: ActorTable, turns: list) -> None:
    """A briefer labelled by surname only ("MS ORTAGUS:") whom the next questioner thanks by given name
    ("QUESTION: Thanks, Morgan.") is that person: the name becomes "Morgan Ortagus" (the surname stays an alias)."""
    for k in range(len(turns) - 1):
        t, nxt = turns[k], turns[k + 1]
        if t.procedural or not re.fullmatch(
            r"Q|QUESTION|QUESTIONS?|REPORTER", nxt.label.strip(" .:").upper()
        ):
            continue
        thanks = _THANKS_RE.match(text, nxt.body)
        speaker = turn_speaker(table, text, t.label, t.start, t.full) if thanks else None
        if speaker is None or " " in speaker.name or speaker.kind != "person":
            continue
        given = thanks.group("given")
        if given.casefold() == speaker.name.casefold():
            continue
        speaker.aliases.append(speaker.name)
        speaker.name = f"{given} {speaker.name}"


_REMARKS_RE = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:(?:Prepared|Opening|Closing|Keynote)[ \t]+)?(?:Remarks|Statement|Testimony|Speech|Address)"
    r"(?:[ \t]+as[ \t]+(?:Prepared|Delivered)(?:[ \t]+for[ \t]+Delivery)?)?[ \t]+(?:by|of|from)[ \t]+(?P<who>[^\n]{3,250})$",
    re.M,
)


_DELIVERS_RE = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?P<who>[^\n]{3,200}?)[ \t]+(?:Delivers|Gives|Delivered)[ \t]+(?:(?:Opening|Closing|Keynote)[ \t]+)?"
    r"(?:Remarks|Statement|Address|Speech|Testimony)\b[^\n]*$",
    re.M,
)
_AS_DELIVERED_RE = re.compile(
    r"^[ \t]*(?:Remarks[ \t]+)?(?:As[ \t]+Delivered|As[ \t]+Prepared(?:[ \t]+for[ \t]+Delivery)?)[ \t]*$",
    re.M | re.I,
)


def _remarks(ctx: _Ctx) -> tuple[list[Quote], list[Span]]:
    """Remarks, a statement or testimony published under the speaker's name ("Remarks by Ambassador Jane
    Roe, …", "Jane Roe Delivers Remarks on …"): each paragraph of the body is a quotation by that speaker,
    though no marks surround it. The body starts after an "As Delivered" line where there is one."""
    text = ctx.text
    head = min(len(text), 800)
    m = _REMARKS_RE.search(text, 0, head) or _DELIVERS_RE.search(text, 0, head)
    if not m:
        return [], []
    body = _AS_DELIVERED_RE.search(text, m.end(), head + 400)
    start = body.end() if body else m.end()
    body_marked = body is not None  # after "As Delivered" even "Good morning." is the speaker's
    who = next(
        (
            x.actor
            for x in ctx.mentions
            if m.start("who") <= x.start < m.end("who") and x.actor.kind == "person"
        ),
        None,
    )
    if who is None:
        return [], []
    quotes = []
    for p in speech_paragraphs(text, start + 1):
        body = p.text
        if len(body.split()) < (1 if body_marked else 5) or body[-1:] not in '.?!”"’:':
            continue  # the place, the date, "AS DELIVERED": the header, not the speech
        quotes.append(
            Quote(
                text=re.sub(r"\s+", " ", body),
                speaker=who.name,
                spans=[(p.start, p.end)],
                attribution_span=(m.start(), m.end()),
                confidence=0.8,
                reason="a paragraph of remarks published under the speaker's name",
            )
        )
    return quotes, [(m.end(), len(text))] if quotes else []


def extract_quotes(text: str, actors: list[Actor], mentions: list[Mention]) -> list[Quote]:
    """Quotations with speakers resolved to actors where possible."""
    ctx = _Ctx(text, mentions, actors, sentences(text))
    ctx.quoted = [(rq.open_at, rq.close_at) for rq in _find_marked(text)]
    quotes, turn_spans = _turns(ctx, actors)
    if not quotes:
        quotes, turn_spans = _remarks(ctx)
    prev: Quote | None = None
    prev_para_end = -1
    paras = paragraphs(text)
    for rq in _find_marked(text):
        if any(a <= rq.open_at < b for a, b in turn_spans):
            continue
        segs = _clean_segments(text, rq.segments)
        if not segs:
            continue
        speaker, conf, attr = _attribution(ctx, rq)
        sent = sentence_at(ctx.sents, rq.open_at)
        outside = ""
        if sent:
            outside = text[sent.start : rq.open_at] + text[rq.close_at : sent.end]
        in_speech = bool(SPEECH_VERB_RE.search(outside) or "according to" in outside.lower())
        para = next((p for p in paras if p.start <= rq.open_at < p.end), None)
        reason = "a speech verb next to the quote names the speaker" if speaker else ""
        if speaker is None and prev is not None and prev.speaker and para is not None:
            # the second half of a broken quote, or a quote paragraph following an attributed one
            if prev_para_end >= para.start or _only_quotes(text, para):
                speaker, conf = prev.speaker, 0.7
                reason = "continues the previous quote by the same speaker"
        accused = None if speaker is not None else _accuser(ctx, rq, sent)
        if accused is not None:  # "X accused Y of “harassment”": X's words, however short
            speaker, conf, attr = accused
            reason = "a quoted phrase after 'accused', 'denounced' or 'condemned'; the subject said it"
        elif not _is_speech(text, rq, segs, speaker is not None and attr is not None, in_speech):
            same_speaker = bool(speaker and prev and prev.speaker == speaker)
            ends_sentence = text[segs[-1][1] - 1] in ".?!"
            lead = text[max(0, rq.open_at - 30) : rq.open_at]
            short = len(_quote_text(text, segs).split()) <= 3
            named = bool(_NAMING_CUE.search(lead) or (short and _LABEL_LEAD_RE.search(lead)))
            continued = (
                same_speaker
                and not named
                and para is not None
                and prev_para_end >= para.start
                and ends_sentence
            )
            if named or not ((same_speaker and len(_quote_text(text, segs).split()) > 3) or continued):
                continue  # a short quoted phrase without its own attribution is a label, unless it ends a broken quote
        confidence = round(0.5 + conf / 2, 2)
        if speaker is None:
            speaker, conf = _nearest_person(ctx, rq.open_at)
            confidence = 0.4 if speaker else 0.3
            reason = (
                "no attribution: the speaker is the person named last before it"
                if speaker
                else "no attribution and no person named before it"
            )
        elif conf < 0.6:
            reason += "; the speaker is a pronoun or role resolved from earlier text"
        q = Quote(
            text=_quote_text(text, segs),
            speaker=speaker,
            spans=segs,
            attribution_span=attr,
            confidence=confidence,
            reason=reason,
        )
        quotes.append(q)
        prev = q
        last_para = next((p for p in paras if p.start <= segs[-1][0] < p.end), para)
        prev_para_end = last_para.end if last_para else -1
    quotes.sort(key=lambda q: q.spans[0][0])
    return quotes


_ACCUSE_RE = re.compile(
    r"\b(?:accused|accuses|accusing|denounced|denounces|condemned|condemns)\b[^“”\"\n.]{0,80}$"
)


def _accuser(ctx: _Ctx, rq: RawQuote, sent: Segment | None) -> tuple[str, float, Span] | None:
    """The subject of "accused … of", "condemned … as" before a quoted phrase: the actor named
    last before the verb in the same sentence (or before an earlier quote of the same sentence)."""
    if sent is None:
        return None
    lead = ctx.text[sent.start : rq.open_at]
    m = _ACCUSE_RE.search(re.sub(r"“[^”]*”|\"[^\"]*\"", lambda x: " " * len(x.group(0)), lead))
    if not m:
        return None
    verb_at = sent.start + m.start()
    subjects = [
        x for x in ctx.starting(sent.start, verb_at) if x.actor.kind in ("person", "organization", "state")
    ]
    if not subjects:
        return None
    return subjects[-1].actor.name, 0.7, (subjects[-1].start, verb_at + len(m.group(0).split()[0]))


def _only_quotes(text: str, para: Segment) -> bool:
    """A paragraph made of quotation alone continues the previous speaker."""
    body = re.sub(r"“[^”]*”?|\"[^\"]*\"?", "", text[para.start : para.end]).strip(" .,;")
    return len(body) < 3


_ON_BEHALF_RE = re.compile(r"\bon\s+behalf\s+of\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){0,3}$")


def _nearest_person(ctx: _Ctx, pos: int) -> tuple[str | None, float]:
    """The person named last before an unattributed quote, leaving out one the speaker acts "on behalf of"."""
    before = [
        m
        for m in ctx.starting(max(0, pos - 700), pos)
        if m.end <= pos
        and pos - m.end < 600
        and m.actor.kind == "person"
        and ctx.outside(m)
        and not _ON_BEHALF_RE.search(ctx.text[max(0, m.start - 60) : m.start])
    ]
    if before:
        return before[-1].actor.name, 0.3
    return None, 0.0
