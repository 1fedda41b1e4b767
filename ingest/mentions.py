"""Mentions of actors and the table that merges them, shared by the people, organization and vessel rules."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Actor


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
