"""Sentence and paragraph splitting that keeps character offsets.

Extractors work on slices of the original text, never on a cleaned copy, so that
every suggestion can point back to its exact place in the report.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cmdr",
    "adm",
    "sgt",
    "sen",
    "rep",
    "gov",
    "amb",
    "pres",
    "prof",
    "st",
    "jr",
    "sr",
    "co",
    "corp",
    "inc",
    "ltd",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.u",
    "d.p.r.k",
    "u.s.s.r",
    "a.m",
    "p.m",
    "e.g",
    "i.e",
    "approx",
    "est",
    "mt",
    "ft",
    "dept",
    "gov't",
}

_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True)
class Segment:
    """A slice of the text with its offsets."""

    start: int
    end: int
    text: str


def segment_at(segs: list[Segment], pos: int, starts: list[int] | None = None) -> int | None:
    """The index of the segment of ``segs`` (sorted, apart) holding ``pos``, by bisection; ``starts`` may be
    passed precomputed (``[s.start for s in segs]``) when asking many times."""
    starts = [s.start for s in segs] if starts is None else starts
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and pos < segs[i].end else None


def paragraphs(text: str) -> list[Segment]:
    """Blank-line separated blocks (single newlines in wrapped text stay inside)."""
    out = []
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        chunk = m.group(0)
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if body:
            s = m.start() + lead
            out.append(Segment(s, s + len(body), body))
    return out


@lru_cache(maxsize=4)
def _paragraph_index(text: str) -> tuple[tuple[Segment, ...], list[int]]:
    """The text's paragraphs and their starts, once per text: transcripts ask for them turn by turn."""
    paras = tuple(paragraphs(text))
    return paras, [p.start for p in paras]


def speech_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Paragraphs of a transcript or of remarks between ``start`` and ``end``. A web page copied as text
    often has one paragraph per line with no blank line between: a line break after a sentence's end is a
    paragraph break there, while a line wrapped mid-sentence still continues its paragraph."""
    end = len(text) if end is None else end
    out: list[Segment] = []
    paras, starts = _paragraph_index(text)
    first = max(0, bisect_right(starts, start) - 1)  # paragraphs are sorted and apart
    for p in paras[first : bisect_left(starts, end)]:
        a, b = max(p.start, start), min(p.end, end)
        if a >= b:
            continue
        seg_start = a
        for m in re.finditer(r"\n", text[a:b]):
            cut = a + m.start()
            if text[seg_start:cut].rstrip()[-1:] in '.?!:”")’' and text[seg_start:cut].strip():
                body = text[seg_start:cut].strip()
                s0 = seg_start + len(text[seg_start:cut]) - len(text[seg_start:cut].lstrip())
                out.append(Segment(s0, s0 + len(body), body))
                seg_start = cut + 1
        body = text[seg_start:b].strip()
        if body:
            s0 = seg_start + len(text[seg_start:b]) - len(text[seg_start:b].lstrip())
            out.append(Segment(s0, s0 + len(body), body))
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".'/"):
        j -= 1
    word = text[j:dot].lower()
    if not word:
        return False
    if word in ABBREVIATIONS or word.replace("m/v", "") == "":
        return True
    return len(word) == 1 and text[j].isupper()  # an initial such as "F."


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Split ``text[start:end]`` into sentences, keeping absolute offsets."""
    end = len(text) if end is None else end
    out: list[Segment] = []
    for para in paragraphs(text[start:end]):
        p0 = start + para.start
        cur = p0
        chunk = text[p0 : start + para.end]
        inside = quoted_ranges(chunk)
        for m in _BOUNDARY.finditer(chunk):
            if _is_abbreviation(text, p0 + m.start()) and "\n" not in m.group(0):
                # "U.S." may also end a sentence; treating it as inside one costs less
                continue
            if any(a < m.start() and m.end() <= b for a, b in inside):
                continue  # a full stop inside a quotation does not end the reporting sentence
            stop = p0 + m.end()
            _append(out, text, cur, stop)
            cur = stop
        _append(out, text, cur, start + para.end)
    return out


def quoted_ranges(chunk: str) -> list[tuple[int, int]]:
    """(open, close) offsets of balanced quotation marks within one paragraph."""
    out = []
    for m in re.finditer(r"“[^“”]*”|(?<![\w])\"[^\"\n]*\"", chunk):
        out.append((m.start(), m.end() - 1))
    return out


def _append(out: list[Segment], text: str, a: int, b: int) -> None:
    piece = text[a:b]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    if body:
        out.append(Segment(a + lead, a + lead + len(body), body))


def sentence_at(sents: list[Segment], offset: int) -> Segment | None:
    """The sentence that contains ``offset``."""
    for s in sents:
        if s.start <= offset < s.end:
            return s
    return None
