"""Greedy placement of chart labels that never overlap each other or the marks they sit among.

Shared by the timeline (labels beside events, legs and statements) and usable by any plot that labels marks in
device pixels. Candidates are tried in priority order; each offers a few positions (and, when a chart numbers its
marks, a short form), and the first position that is inside the view and free is taken. Obstacles and placed
labels are kept in a grid of cells, so a test looks only at its neighbours: a few thousand candidates cost a few
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

CELL = 48.0  # grid cell size in device pixels


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    owner: int = -1  # a label may cover its own mark (a label inside its bar)

    def hits(self, o: Box) -> bool:
        return self.x0 < o.x1 and o.x0 < self.x1 and self.y0 < o.y1 and o.y0 < self.y1


class Grid:
    """Boxes bucketed by the grid cells they touch."""

    def __init__(self, view: Box) -> None:
        self.view = view
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, b: Box) -> list[tuple[int, int]]:
        x0 = max(b.x0, self.view.x0 - CELL)
        x1 = min(b.x1, self.view.x1 + CELL)
        if x1 < x0:
            return []
        i0, i1 = int(x0 // CELL), int(x1 // CELL)
        j0, j1 = int(b.y0 // CELL), int(b.y1 // CELL)
        return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]

    def add(self, b: Box) -> None:
        for k in self._keys(b):
            self.cells.setdefault(k, []).append(b)

    def free(self, b: Box) -> bool:
        v = self.view
        if b.x0 < v.x0 or b.x1 > v.x1 or b.y0 < v.y0 or b.y1 > v.y1:
            return False
        for k in self._keys(b):
            for o in self.cells.get(k, ()):
                if b.hits(o) and (o.owner < 0 or o.owner != b.owner):
                    return False
        return True


@dataclass
class Candidate:
    """A mark that wants a label: its id (``owner``), the texts to try (long first) and positions per text."""

    owner: int
    texts: list[tuple[str, float]]  # (text, width)
    anchors: list[tuple[float, float, str]]  # (x, y centre, "right" | "left" | "inside:<room>")


def place(
    cands: list[Candidate], obstacles: list[Box], view: Box, height: float, reserved: list[Box] | None = None
) -> dict[int, tuple[Box, str]]:
    """owner -> (box, text) for the candidates that found room, in the order given (highest priority first)."""
    grid = Grid(view)
    for o in obstacles:
        grid.add(o)
    for r in reserved or ():
        grid.add(r)
    out: dict[int, tuple[Box, str]] = {}
    half = height / 2
    for c in cands:
        done = False
        for text, w in c.texts:
            for x, y, how in c.anchors:
                if how.startswith("inside"):
                    if w > float(how.split(":")[1]):
                        continue
                    b = Box(x, y - half, x + w, y + half, c.owner)
                elif how == "left":
                    b = Box(x - w, y - half, x, y + half, c.owner)
                else:
                    b = Box(x, y - half, x + w, y + half, c.owner)
                if grid.free(b):
                    grid.add(Box(b.x0, b.y0, b.x1, b.y1, -1))
                    out[c.owner] = (b, text)
                    done = True
                    break
            if done:
                break
    return out
