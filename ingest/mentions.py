"""Mentions of actors and the table that merges them, shared by the people, organization and vessel rules."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .model import Actor

T = TypeVar("T")


@dataclass
class Mention:
    """One place in the text where an actor is named or referred to."""

    start: int
    end: int
    actor: Actor
    form: str


class SpanIndex:
    """Spans kept sorted by start, for "is this span inside one of them" and "which of them overlap it".

    Names are short, so only the spans starting within the longest span's length before a position can contain
    or overlap it: each query looks at a handful of spans, not all of them (all of them made extraction
    quadratic in the length of the report).
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._longest = max((e - s for s, e in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._longest = max(self._longest, end - start)

    def _near(self, start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect_left(self._spans, (start - self._longest, -1))
        hi = bisect_left(self._spans, (end, -1))
        return self._spans[lo:hi]

    def contains(self, start: int, end: int) -> bool:
        """Some span holds [start, end) whole."""
        return any(s <= start and end <= e for s, e in self._near(start, end))

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that share a character with [start, end)."""
        return [(s, e) for s, e in self._near(start, end) if s < end and start < e]


class ByStart(Generic[T]):
    """Items sorted (stably) by a start offset, to take those starting in [a, b) without scanning them all."""

    def __init__(self, items: Iterable[T], start: Callable[[T], int]) -> None:
        self.items = sorted(items, key=start)
        self.starts = [start(x) for x in self.items]

    def within(self, a: int, b: int) -> list[T]:
        return self.items[bisect_left(self.starts, a) : bisect_left(self.starts, b)]


class ActorTable:
    """Collects mentions and merges them into actors."""

    def __init__(self, blocked: list[tuple[int, int]] = ()) -> None:
        self._actors: list[Actor] = []
        self._actor_ids: set[int] = set()
        self._mentions: list[Mention] = []
        self._index = SpanIndex()
        self._at: set[tuple[int, int]] = set()
        self._by_span: dict[tuple[int, int], Actor] = {}
        self._latest: dict[int, tuple[int, Actor]] = {}  # id(actor) -> (start of its latest mention, actor)
        self.blocked = list(blocked)  # spans of seas and regions ("Sea of Japan" names no state)
        self._blocked = SpanIndex(self.blocked)

    @property
    def actors(self) -> list[Actor]:
        return self._actors

    @actors.setter
    def actors(self, value: list[Actor]) -> None:
        self._actors = value
        self._actor_ids = {id(a) for a in value}

    @property
    def mentions(self) -> list[Mention]:
        return self._mentions

    @mentions.setter
    def mentions(self, value: list[Mention]) -> None:
        self._mentions = value
        self._index = SpanIndex((m.start, m.end) for m in value)
        self._at = {(m.start, m.end) for m in value}
        self._by_span = {(m.start, m.end): m.actor for m in value}
        self._latest = {}
        for m in value:
            self._note(m)

    def _note(self, m: Mention) -> None:
        got = self._latest.get(id(m.actor))
        if got is None or m.start > got[0]:
            self._latest[id(m.actor)] = (m.start, m.actor)

    def add(self, actor: Actor, start: int, end: int, form: str) -> Actor:
        if (start, end) in self._at:
            return actor
        if id(actor) not in self._actor_ids:
            self._actors.append(actor)
            self._actor_ids.add(id(actor))
        if form != actor.name and form not in actor.aliases:
            actor.aliases.append(form)
        actor.spans.append((start, end))
        self._mentions.append(Mention(start, end, actor, form))
        self._note(self._mentions[-1])
        self._index.add(start, end)
        self._at.add((start, end))
        self._by_span[(start, end)] = actor
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
        if before is None:  # each actor's latest mention, kept as mentions are added
            for pos, a in self._latest.values():
                if a.kind == "person" and pos > best_pos and all(t in a.name.split() for t in tokens):
                    best, best_pos = a, pos
            return best
        for m in self.mentions:
            a = m.actor
            if a.kind != "person" or m.start >= before:
                continue
            if all(t in a.name.split() for t in tokens) and m.start > best_pos:
                best, best_pos = a, m.start
        return best

    def person_covering(self, start: int, end: int) -> Actor | None:
        """The person of a longer mention that holds [start, end) whole ("Robert" inside "Robert “Bob” Lane")."""
        for s, e in self._index.overlapping(start, end):
            if s <= start and end <= e and (s, e) != (start, end):
                actor = self._by_span.get((s, e))
                if actor is not None and actor.kind == "person":
                    return actor
        return None

    def mentioned_at(self, pos: int) -> bool:
        """Some mention holds the character at ``pos``."""
        return self._index.contains(pos, pos + 1)

    def later_mentions(
        self,
        text: str,
        actors: list[Actor],
        key: Callable[[Actor], str],
        head: str = r"(?<![\w.])",
        tail: str = r"\b",
    ) -> Iterator[tuple[Actor, re.Match[str]]]:
        """Each uncovered occurrence of ``key(actor)`` in ``text`` ("Kirby said" after "John Kirby"), with the actor.

        One pass over the text for all the actors (a pass per actor made long reports quadratic); where two
        actors share a key, the first in ``actors`` gets the mention, as when each actor had its own pass.
        """
        owner: dict[str, Actor] = {}
        for a in actors:
            k = key(a)
            if k:
                owner.setdefault(k, a)
        if not owner:
            return
        rx = re.compile(
            head + "(" + "|".join(re.escape(k) for k in sorted(owner, key=len, reverse=True)) + ")" + tail
        )
        for m in rx.finditer(text):
            if not self.covered(m.start(1), m.end(1)):
                yield owner[m.group(1)], m

    def add_later_mentions(
        self, text: str, actors: list[Actor], key: Callable[[Actor], str], head: str, tail: str
    ) -> None:
        for a, m in self.later_mentions(text, actors, key, head, tail):
            self.add(a, m.start(1), m.end(1), m.group(1))

    def covered(self, start: int, end: int) -> bool:
        return self._blocked.contains(start, end) or self._index.contains(start, end)
