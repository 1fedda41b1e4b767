"""Date expressions resolved against the publication date, with honest precision.

"Sept. 7 and 8" is a day range, "last month" a month, "two weeks ago" an approximate day, "in recent weeks"
a month range. Each expression becomes an event tied to the sentence that contains it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .lexicon import MONTHS, WEEKDAYS
from .mentions import SpanIndex
from .model import DateMention, Event
from .text import Segment, segment_at, sentences

_MONTH = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![\w])"
)
_NUMWORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a few": 3,
    "several": 3,
    "a couple of": 2,
}
_ORD = r"(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d{1,2}|a few|a couple of|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month_range",
        re.compile(
            rf"\b(?i:between|from)\s+{_MONTH.format(g='m1')}(?:\s+(?P<y1>\d{{4}}))?\s+"
            rf"(?:and|to|until|through)\s+{_MONTH.format(g='m2')}(?:,?\s+(?P<y>\d{{4}}))?(?!\s*\d)"
        ),
    ),
    (
        "md_range2",
        re.compile(
            rf"\b{_MONTH.format(g='m1')}\s+(?P<d1>\d{{1,2}}){_ORD}\s*(?:-|–|to|through|until|and)\s*"
            rf"{_MONTH.format(g='m2')}\s+(?P<d2>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "md_range",
        re.compile(
            rf"\b{_MONTH.format(g='m')}\s+(?P<d1>\d{{1,2}}){_ORD}\s*(?:and|-|–|to|through)\s*"
            rf"(?P<d2>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "dm_range2",
        re.compile(
            rf"\b(?i:between|from)\s+(?P<d1>\d{{1,2}}){_ORD}\s+{_MONTH.format(g='m1')}(?:\s+(?P<y1>\d{{4}}))?\s+"
            rf"(?:and|to|until|through|-|–)\s+(?P<d2>\d{{1,2}}){_ORD}\s+{_MONTH.format(g='m2')}(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "dm_range",
        re.compile(
            rf"\b(?P<d1>\d{{1,2}}){_ORD}\s*(?:and|-|–|to)\s*(?P<d2>\d{{1,2}}){_ORD}\s+"
            rf"{_MONTH.format(g='m')}(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "md",
        re.compile(rf"\b{_MONTH.format(g='m')}\s+(?P<d>\d{{1,2}}){_ORD}\b(?!,\d)(?:,?\s+(?P<y>\d{{4}}))?"),
    ),
    (
        "dm",
        re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH.format(g='m')}(?:,?\s+(?P<y>\d{{4}}))?"),
    ),
    (
        "week_of",
        re.compile(
            rf"\b(?:the\s+)?(?P<w>first|second|third|fourth|last|final)\s+week\s+of\s+{_MONTH.format(g='m')}"
            rf"(?:,?\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "since_rel",
        re.compile(r"\b(?i:since)\s+(?P<rel>last|early last|late last)\s+(?P<u>week|month|year)\b"),
    ),
    (
        "season",
        re.compile(
            r"\b(?P<since>(?i:since)\s+)?(?:(?P<rel>last|this|next)\s+|(?:in|during|over)\s+the\s+|"
            r"the\s+)(?P<s>spring|summer|autumn|fall|winter)(?:\s+of\s+(?P<y>\d{4}))?\b"
        ),
    ),
    ("weekend", re.compile(r"\b(?:over|during|at|on)?\s*(?P<rel>the|last|this|next)\s+weekend\b")),
    (
        "since_month",
        re.compile(
            rf"\b(?i:since)\s+(?:(?P<q>early|mid|late|mid-)\s*)?{_MONTH.format(g='m')}(?:\s+(?P<y>\d{{4}}))?"
        ),
    ),
    (
        "short_year",
        re.compile(rf"\b{_MONTH.format(g='m')}(?:\s+of)?\s+[’'](?P<yy>\d{{2}})\b"),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<q>[Ee]arly|[Mm]id|[Ll]ate|[Mm]id-)\s*)?{_MONTH.format(g='m')}(?:,?\s+(?P<y>\d{{4}}))?"
            rf"(?!\s+\d)"
        ),
    ),
    (
        "since_start",
        re.compile(
            r"\b(?i:since)\s+(?:the\s+)?(?:beginning|start|outset|first\s+months?)\s+of\s+(?P<y>(?:19|20)\d{2})\b"
            r"|\b(?i:since)\s+(?:early|the\s+start\s+of)\s+(?P<y2>(?:19|20)\d{2})\b"
        ),
    ),
    (
        "past_n",
        re.compile(
            r"\b(?:in|over|during|for|within|throughout)\s+the\s+(?:past|last|previous|preceding)\s+"
            r"(?:(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)?"
            r"(?P<u>day|week|month|year)s?\b",
            re.I,
        ),
    ),
    ("since_year", re.compile(r"\b(?i:since)\s+(?P<y>(?:19|20)\d{2})\b")),
    (
        "year",
        re.compile(
            r"\b(?:in|during|of|by|until|early|late|mid-|throughout)\s+(?P<y>(?:19|20)\d{2})\b(?![-/]\d)"
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next|on|on\s+the\s+following)\s+)?{_WEEKDAY}\b")),
    (
        "dayword",
        re.compile(
            r"\b(?P<w>yesterday|today|tomorrow|last\s+night|last\s+evening|this\s+morning|tonight)\b", re.I
        ),
    ),
    (
        "ago",
        re.compile(
            rf"\b(?P<about>about\s+|some\s+|roughly\s+|nearly\s+|more than\s+)?{_NUM}\s+"
            r"(?P<u>day|week|month|year)s?\s+(?:ago|earlier|before)\b",
            re.I,
        ),
    ),
    (
        "recent",
        re.compile(
            r"\b(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+|several\s+)?"
            r"(?P<u>day|week|month)s\b",
            re.I,
        ),
    ),
    (
        "relunit",
        re.compile(
            r"\b(?P<rel>last|this|next|earlier this|later this|early this|late last|earlier last|"
            r"early last|late this)\s+(?P<u>week|month|year)\b",
            re.I,
        ),
    ),
]


_WEEKDAY_THEN_DATE = re.compile(
    rf",?\s+(?:{_MONTH.format(g='m')}\.?\s+\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH.format(g='m2')})"
)
_DATE_LINE_RE = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH.format(g='m')}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH.format(g='m2')}\s+\d{{4}})"
    r"(?:\s*[|,–—-]?\s*\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?"
)


def _page_date(text: str, m: re.Match[str]) -> bool:
    """A date standing alone on a line near the top (a page's posting date), or opening a header line glued to
    other page furniture, is metadata rather than something the report says happened."""
    if m.start() > 800:
        return False
    a = text.rfind("\n", 0, m.start()) + 1
    b = text.find("\n", m.end())
    line = text[a : b if b >= 0 else len(text)]
    if _DATE_LINE_RE.fullmatch(line.strip()):
        return True
    glued = m.start() == a and re.match(r"[A-Z]", text[m.end() : m.end() + 1] or " ") is not None
    return glued and len(line) < 200


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _past_year(month: int, day: int | None, pub: dt.date, future: bool) -> int:
    """The year that puts a month (and day) on the right side of the publication date."""
    y = pub.year
    cand = dt.date(y, month, min(day or 1, calendar.monthrange(y, month)[1]))
    if future:
        return y + 1 if cand < pub.replace(day=1) else y
    return y - 1 if (cand > pub if day else (month > pub.month)) else y


def _future(sentence: str) -> bool:
    return bool(
        re.search(
            r"\b(?:will|would be|next|scheduled|expected to|due to|plans? to|is to|are to|was to be|were to be|could take|"
            r"until the end of|by the end of|could last|might|is set to|are set to)\b",
            sentence,
        )
    )


_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _month_add(d: dt.date, k: int) -> tuple[int, int]:
    m = d.month - 1 + k
    return d.year + m // 12, m % 12 + 1


def resolve(kind: str, m: re.Match[str], pub: dt.date | None, sentence: str) -> tuple[str, str, bool] | None:
    """(value, precision, approximate) for one matched expression, or None when it cannot be placed."""
    g = m.groupdict()
    fut = _future(sentence)
    y = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        return f"{g['y']}-{g['m']}-{g['d']}", "day", False
    if kind in ("md_range", "dm_range", "md_range2", "dm_range2"):
        m1 = _month(g.get("m1") or g["m"])
        m2 = _month(g.get("m2") or g["m"])
        d1, d2 = int(g["d1"]), int(g["d2"])
        if m1 == m2 and d2 <= d1:
            return None  # "September 12 and 5 ministers": a day and a count, not a range
        if y is None and g.get("y1"):
            y = int(g["y1"])
        if y is None:
            if pub is None:
                return None
            y = _past_year(m1, d1, pub, fut)
        try:
            if g.get("y"):  # a written year belongs to the end: "Dec. 30 – Jan. 2, 2024"
                y1 = int(g["y1"]) if g.get("y1") else (y if m2 >= m1 else y - 1)
                y2 = y
            else:  # a year worked out from the start's month
                y1, y2 = y, (y if m2 >= m1 else y + 1)
            a, b = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
        except ValueError:
            return None
        return f"{_iso(a)}/{_iso(b)}", "range", False
    if kind == "month_range":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = y if y is not None else (_past_year(m2, None, pub, fut) if pub else None)
        if y2 is None:
            return None
        y1 = int(g["y1"]) if g.get("y1") else (y2 if m1 <= m2 else y2 - 1)
        return f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range", False
    if kind == "week_of":
        mo = _month(g["m"])
        if y is None:
            if pub is None:
                return None
            y = _past_year(mo, None, pub, fut)
        last_day = calendar.monthrange(y, mo)[1]
        first = {"first": 1, "second": 8, "third": 15, "fourth": 22}.get(g["w"], last_day - 6)
        a, b = dt.date(y, mo, first), dt.date(y, mo, min(first + 6, last_day))
        return f"{_iso(a)}/{_iso(b)}", "range", False
    if kind in ("md", "dm"):
        mo, d = _month(g["m"]), int(g["d"])
        if y is None:
            if pub is None:
                return None
            y = _past_year(mo, d, pub, fut)
        try:
            return _iso(dt.date(y, mo, d)), "day", False
        except ValueError:
            return None
    if kind in ("month", "since_month"):
        mo = _month(g["m"])
        if y is None:
            if pub is None:
                return None
            y = _past_year(mo, None, pub, fut and kind == "month")  # "since July" always looks back
        approx = bool(g.get("q"))
        if kind == "since_month":
            end = _iso(pub) if pub else ".."
            return f"{y:04d}-{mo:02d}/{end}", "range", approx
        return f"{y:04d}-{mo:02d}", "month", approx
    if kind == "short_year":  # "August of ’23"
        return f"20{g['yy']}-{_month(g['m']):02d}", "month", False
    if kind == "since_start":
        year = g.get("y") or g.get("y2")
        if pub is None or int(year) > pub.year:
            return None
        return f"{year}-01-01/{_iso(pub)}", "range", bool(g.get("y2"))
    if kind == "since_year":
        if pub is not None and int(g["y"]) > pub.year:
            return g["y"], "year", False  # "in force since 2025" in an older text: the year, not a range
        return f"{g['y']}/{_iso(pub) if pub else '..'}", "range", False
    if kind == "year":
        return g["y"], "year", False
    if pub is None:
        return None
    if kind == "since_rel":
        inner = resolve("relunit", m, pub, sentence)
        return (f"{inner[0].partition('/')[0]}/{_iso(pub)}", "range", True) if inner else None
    if kind == "season":
        first, last = _SEASONS[g["s"].lower()]
        rel = (g.get("rel") or "").lower()

        def span(y: int) -> tuple[dt.date, dt.date]:
            ey = y + 1 if last < first else y
            return dt.date(y, first, 1), dt.date(ey, last, calendar.monthrange(ey, last)[1])

        if g.get("y"):
            year = int(g["y"])
        elif rel == "next" or (fut and not g.get("since") and rel != "last"):
            year = next(y for y in range(pub.year, pub.year + 2) if span(y)[0] > pub)
        elif rel == "last":
            year = next(y for y in range(pub.year, pub.year - 3, -1) if span(y)[1] < pub)
        else:  # "this spring", "in the spring", "since the spring": the latest one that has begun
            year = next(y for y in range(pub.year, pub.year - 3, -1) if span(y)[0] <= pub)
        end_year = year + 1 if last < first else year
        if g.get("since"):
            return f"{year:04d}-{first:02d}/{_iso(pub)}", "range", True
        return f"{year:04d}-{first:02d}/{end_year:04d}-{last:02d}", "range", True
    if kind == "weekend":
        rel = g["rel"].lower()
        sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        if rel == "next" or (fut and rel != "last"):
            sat = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7)
        elif rel == "last" and pub.weekday() >= 5:
            sat -= dt.timedelta(days=7)
        return f"{_iso(sat)}/{_iso(sat + dt.timedelta(days=1))}", "range", False
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if rel == "next" or (fut and rel != "last"):
            delta = (wd - pub.weekday()) % 7 or (
                7 if rel == "next" else 0
            )  # "scheduled … Monday", said on a Monday: that day
            return _iso(pub + dt.timedelta(days=delta)), "day", False
        delta = (pub.weekday() - wd) % 7
        if rel == "last" and delta == 0:
            delta = 7
        return _iso(pub - dt.timedelta(days=delta)), "day", False
    if kind == "dayword":
        word = re.sub(r"\s+", " ", g["w"].lower())
        off = {"yesterday": -1, "today": 0, "tomorrow": 1, "last night": -1, "last evening": -1}.get(word, 0)
        return _iso(pub + dt.timedelta(days=off)), "day", False
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUMWORDS[g["n"].lower()]
        u = g["u"].lower()
        approx = (
            bool(g.get("about"))
            or u != "day"
            or not g["n"].isdigit()
            and g["n"].lower() in ("a few", "several")
        )
        if u == "day":
            return _iso(pub - dt.timedelta(days=n)), "day", approx
        if u == "week":
            return _iso(pub - dt.timedelta(days=7 * n)), "day", True
        if u == "month":
            yy, mm = _month_add(pub, -n)
            return f"{yy:04d}-{mm:02d}", "month", True
        return f"{pub.year - n:04d}", "year", True
    if kind == "past_n":  # "over the past year", "for the past two years": back from the publication date
        n = 1 if not g.get("n") else (int(g["n"]) if g["n"].isdigit() else _NUMWORDS[g["n"].lower()])
        u = g["u"].lower()
        if u == "year":
            try:
                start = pub.replace(year=pub.year - n)
            except ValueError:  # 29 February
                start = pub.replace(year=pub.year - n, day=28)
        elif u == "month":
            yy, mm = _month_add(pub, -n)
            start = dt.date(yy, mm, min(pub.day, calendar.monthrange(yy, mm)[1]))
        else:
            start = pub - dt.timedelta(days=n * (7 if u == "week" else 1))
        return f"{_iso(start)}/{_iso(pub)}", "range", False
    if kind == "recent":
        u = g["u"].lower()
        if u == "day":
            return f"{_iso(pub - dt.timedelta(days=7))}/{_iso(pub)}", "range", True
        back = 1 if u == "week" else 3
        yy, mm = _month_add(pub, -back)
        return f"{yy:04d}-{mm:02d}/{pub.year:04d}-{pub.month:02d}", "range", True
    if kind == "relunit":
        rel, u = g["rel"].lower(), g["u"].lower()
        step = -1 if "last" in rel else (1 if rel == "next" else 0)
        approx = rel.startswith(("earlier", "later", "early", "late"))
        if u == "year":
            y = pub.year + step
            if rel.split()[0] in (
                "early",
                "late",
            ):  # "early this year": its first months, "late last year": its last
                first, last = (1, 4) if rel.startswith("early") else (9, 12)
                if y == pub.year and first > pub.month:
                    return f"{y:04d}", "year", True
                last = min(last, pub.month) if y == pub.year else last
                return f"{y:04d}-{first:02d}/{y:04d}-{last:02d}", "range", True
            return f"{y:04d}", "year", approx
        if u == "month":
            yy, mm = _month_add(pub, step)
            return f"{yy:04d}-{mm:02d}", "month", approx
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=7 * step)
        end = monday + dt.timedelta(days=6)
        if step == 0:
            end = pub if not rel.startswith("later") else end
        return f"{_iso(monday)}/{_iso(end)}", "range", approx
    return None


def find_dates(text: str, pub: dt.date | None, start: int = 0) -> list[DateMention]:
    """Every date expression in ``text[start:]`` that can be placed in time."""
    out: list[DateMention] = []
    taken = SpanIndex()
    sents = sentences(text, start)
    sent_starts = [s.start for s in sents]
    for kind, rx in PATTERNS:
        for m in rx.finditer(text, start):
            if taken.overlapping(m.start(), m.end()):
                continue
            if kind == "month" and m.group("m") in ("May", "March") and not m.group("y") and not m.group("q"):
                before = text[max(0, m.start() - 6) : m.start()]
                if not re.search(r"\b(?:in|since|of|until|by|early|late|mid)\s+$", before, re.I):
                    continue  # "May" the verb, "March" the walk
            if re.search(r"\b[Nn]ot\s+$", text[max(0, m.start() - 5) : m.start()]):
                continue  # "Not this month": no event is placed there
            if kind == "year" and re.search(
                r"\b(?:Act|Law|Code|Convention|Protocol)\s+$", text[max(0, m.start() - 12) : m.start()]
            ):
                continue  # "the Sanctions Act of 2016" names a law, not a time
            k = segment_at(sents, m.start(), sent_starts)
            sent = None if k is None else sents[k]
            if kind == "weekday" and _WEEKDAY_THEN_DATE.match(text, m.end()):
                continue  # "Tuesday, February 3rd": the date that follows says the day
            if _page_date(text, m):
                continue  # "Saturday, November 2, 2024" on a line of its own: when the page was posted, no event
            res = resolve(kind, m, pub, sent.text if sent else "")
            if res is None or not well_ordered(res[0]):
                continue  # an expression that reads as an inverted range is no date at all
            taken.add(m.start(), m.end())
            value, precision, approx = res
            expr_start = m.start()
            out.append(DateMention(value, m.group(0), (expr_start, m.end()), precision, approx))
    out.sort(key=lambda d: d.span)
    return _anchored(text, out, taken, start)


_LATER_RE = re.compile(
    rf"\b(?:{_NUM}\s+(?P<u>day|week)s?\s+(?:later|afterwards|after that)|(?:the\s+)?(?P<next>next|following)\s+day"
    r"|(?:over|during|in)\s+the\s+(?:next|following)\s+(?P<span>\d{1,2}|two|three|four|five|six|seven|ten)\s+days)\b",
    re.I,
)


_EARLIER_RE = re.compile(rf"\b{_NUM}\s+(?P<u>day|week)s?\s+(?:earlier|before)\b", re.I)


def _anchored(text: str, found: list[DateMention], taken: SpanIndex, start: int) -> list[DateMention]:
    """ "two days later", "the next day": counted from the last day-precise date before them."""
    out = list(found)
    for m in _LATER_RE.finditer(text, start):
        if taken.overlapping(m.start(), m.end()):
            continue
        prior = [d for d in out if d.span[1] <= m.start() and m.start() - d.span[1] < 400]
        prior = [d for d in prior if d.precision in ("day", "range")]
        if not prior:
            continue
        last = prior[-1].value.split("/")[-1]
        if last == "..":
            continue
        base = _unit_bounds(last)[1]  # the last day of "Sept. 7-8" or of a month range
        if m.group("span"):  # "over the following three days": the days after the anchor
            k = int(m.group("span")) if m.group("span").isdigit() else _NUMWORDS[m.group("span").lower()]
            value = f"{_iso(base + dt.timedelta(days=1))}/{_iso(base + dt.timedelta(days=k))}"
            out.append(DateMention(value, m.group(0), (m.start(), m.end()), "range"))
            continue
        n = (
            1
            if m.group("next")
            else (int(m.group("n")) if m.group("n").isdigit() else _NUMWORDS[m.group("n").lower()])
        )
        days = n * (7 if (m.group("u") or "day").lower() == "week" else 1)
        out.append(DateMention(_iso(base + dt.timedelta(days=days)), m.group(0), (m.start(), m.end()), "day"))
    # "two days earlier" after a dated event counts back from that day, not from the publication date
    for m in _EARLIER_RE.finditer(text, start):
        prior = [d for d in out if d.span[1] <= m.start() and m.start() - d.span[1] < 400]
        prior = [d for d in prior if d.precision == "day" and not (d.span[0] <= m.start() < d.span[1])]
        mine = [d for d in out if d.span[0] <= m.start() < d.span[1]]
        if not prior or not mine:
            continue
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMWORDS[m.group("n").lower()]
        days = n * (7 if m.group("u").lower() == "week" else 1)
        base = _unit_bounds(prior[-1].value)[0]
        i = out.index(mine[0])
        out[i] = DateMention(_iso(base - dt.timedelta(days=days)), mine[0].expression, mine[0].span, "day")
    out.sort(key=lambda d: d.span)
    return out


def well_ordered(value: str) -> bool:
    """Whether a suggested value names real days and does not end before it starts.

    Every resolved expression passes here, so no single odd phrase ("from July 2023 to October 2022") can
    reach the case file's date type, which refuses inverted ranges.
    """
    first, _, last = value.partition("/")
    if last in ("", ".."):
        last = first
    try:
        return _unit_bounds(first)[0] <= _unit_bounds(last)[1]
    except (ValueError, TypeError):
        return False


def _bounds(value: str) -> tuple[str, str]:
    a, _, b = value.partition("/")
    return a, b or a


def _contains(outer: str, inner: str) -> bool:
    oa, ob = _bounds(outer)
    ia, ib = _bounds(inner)
    return outer != inner and ia.startswith(oa[: len(ia)]) and oa <= ia and ib[: len(ob)] <= ob


def events_from_dates(
    text: str, dates: list[DateMention], sents: list[Segment], skip: tuple[int, int] = (0, 0)
) -> list[Event]:
    """One event per date expression, described by its sentence; a vaguer date of the same sentence yields."""
    events: list[Event] = []
    by_sent: dict[int, list[DateMention]] = {}
    sent_starts = [s.start for s in sents]
    for d in dates:
        if skip[0] <= d.span[0] < skip[1]:
            continue
        s = segment_at(sents, d.span[0], sent_starts)
        if s is not None:
            by_sent.setdefault(s, []).append(d)
    for k, ds in sorted(by_sent.items()):
        sent = sents[k]
        for d in ds:
            near = [o for o in ds if o is not d and abs(o.span[0] - d.span[1]) < 25]
            if any(_contains(d.value, o.value) for o in near):
                continue  # "in September, on the 12th": the vaguer of two adjacent expressions yields
            if any(e.date == d.value for e in events):
                continue  # the same day said twice ("today", "today's action") is one event
            what = re.sub(r"\s+", " ", sent.text)
            events.append(
                Event(
                    date=d.value,
                    what=what[:280],
                    span=(sent.start, sent.end),
                    date_span=d.span,
                    expression=d.expression,
                    approximate=d.approximate,
                    confidence=0.5 if d.approximate else 0.7,
                    reason=_date_reason(d),
                )
            )
    return events


def _date_reason(d: DateMention) -> str:
    """Why a date is as sure as it is: written out in full, or worked out from the publication date."""
    absolute = re.search(r"\b(?:19|20)\d{2}\b", d.expression)
    how = "written with its year" if absolute else "resolved against the publication date"
    return f"“{d.expression}”, {how}" + (", approximate" if d.approximate else "")


def _unit_bounds(text: str) -> tuple[dt.date, dt.date, str]:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        d = dt.date(*parts)
        return d, d, "day"
    if len(parts) == 2:
        y, m = parts
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month"
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), "year"


def partial_date(value: str, approximate: bool = False):  # noqa: ANN201 - PartialDate when the db layer is there
    """The case file's date type (``caseboard.db.dates.PartialDate``) for a suggested date, or None.

    A range whose ends differ in precision ("since July" = 2023-07/2023-10-13) becomes a day range, since a
    PartialDate keeps one precision for both ends.
    """
    try:
        from caseboard.db.dates import PartialDate
    except ImportError:  # pragma: no cover - the db layer ships with the app
        return None
    if not well_ordered(value):
        return None
    first, _, last = value.partition("/")
    s1, e1, p1 = _unit_bounds(first)
    s2, e2, p2 = _unit_bounds(last if last not in ("", "..") else first)
    precision = p1 if p1 == p2 else "day"
    try:
        return PartialDate(s1, e2, precision, approximate)
    except ValueError:  # outside the years the case file keeps
        return None
