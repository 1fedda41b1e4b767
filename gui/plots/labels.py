"""Greedy placement of chart labels that never overlap each other or the marks they sit among.

Shared by the timeline (labels beside events, legs and statements) and usable by any plot that labels marks in
device pixels. Candidates are tried in priority order; each offers a few positions (and, when a chart numbers its
marks, a short form), and the first position that is inside the view and free is taken. Obstacles and placed
labels are kept in a grid of cells, so a test looks only at its neighbours. It runs on every frame of a pan, so
the tests are written out inline (no per-test lists or objects): a thousand candidates cost a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

CELL = 48.0  # grid cell size in device pixels
_ROW = 1 << 20  # cell key = column * _ROW + row (rows of a chart stay far below this)


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
        self.cells: dict[int, list[Box]] = {}

    def _span(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int] | None:
        x0 = max(x0, self.view.x0 - CELL)
        x1 = min(x1, self.view.x1 + CELL)
        if x1 < x0:
            return None
        return int(x0 // CELL), int(x1 // CELL), int(y0 // CELL), int(y1 // CELL)

    def add(self, b: Box) -> None:
        span = self._span(b.x0, b.y0, b.x1, b.y1)
        if span is None:
            return
        i0, i1, j0, j1 = span
        cells = self.cells
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                k = i * _ROW + j
                got = cells.get(k)
                if got is None:
                    cells[k] = [b]
                else:
                    got.append(b)

    def remove(self, b: Box) -> None:
        """Take out a box added before (the very object)."""
        span = self._span(b.x0, b.y0, b.x1, b.y1)
        if span is None:
            return
        i0, i1, j0, j1 = span
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                got = self.cells.get(i * _ROW + j)
                if got:
                    self.cells[i * _ROW + j] = [o for o in got if o is not b]

    def free_at(self, x0: float, y0: float, x1: float, y1: float, owner: int) -> bool:
        """Inside the view and clear of every box but the owner's own mark."""
        v = self.view
        if x0 < v.x0 or x1 > v.x1 or y0 < v.y0 or y1 > v.y1:
            return False
        cells = self.cells
        for i in range(int(x0 // CELL), int(x1 // CELL) + 1):
            for j in range(int(y0 // CELL), int(y1 // CELL) + 1):
                for o in cells.get(i * _ROW + j, ()):
                    if (
                        o.x0 < x1
                        and x0 < o.x1
                        and o.y0 < y1
                        and y0 < o.y1
                        and (o.owner < 0 or o.owner != owner)
                    ):
                        return False
        return True

    def free(self, b: Box) -> bool:
        return self.free_at(b.x0, b.y0, b.x1, b.y1, b.owner)


@dataclass
class Candidate:
    """A mark that wants a label: its id (``owner``), the texts to try (long first) and positions per text."""

    owner: int
    texts: list[tuple[str, float]]  # (text, width)
    anchors: list[tuple[float, float, str]]  # (x, y centre, "right" | "left" | "inside:<room>")


class Placer:
    """One placement: obstacles and reserved room first, then candidates by priority (``run``).

    ``reserve`` adds room after a run and moves out of it only the labels it covers, each to its next free
    position; a second whole run would give nearly the same picture at twice the cost.
    """

    def __init__(
        self, obstacles: list[Box], view: Box, height: float, reserved: list[Box] | None = None
    ) -> None:
        self.grid = Grid(view)
        self.half = height / 2
        for o in obstacles:
            self.grid.add(o)
        for r in reserved or ():
            self.grid.add(r)
        self.placed: dict[int, tuple[Box, str]] = {}

    def _try(self, c: Candidate) -> bool:
        half, free = self.half, self.grid.free_at
        owner = c.owner
        for text, w in c.texts:
            for x, y, how in c.anchors:
                if how == "right":
                    x0, x1 = x, x + w
                elif how == "left":
                    x0, x1 = x - w, x
                else:  # inside:<room>
                    if w > float(how[7:]):
                        continue
                    x0, x1 = x, x + w
                if free(x0, y - half, x1, y + half, owner):
                    b = Box(x0, y - half, x1, y + half, -1)
                    self.grid.add(b)
                    self.placed[owner] = (b, text)
                    return True
        return False

    def run(self, cands: list[Candidate]) -> dict[int, tuple[Box, str]]:
        for c in cands:
            self._try(c)
        return self.placed

    def reserve(self, boxes: list[Box], cands: list[Candidate]) -> dict[int, tuple[Box, str]]:
        """Keep ``boxes`` clear: labels placed on them move elsewhere or give way (in ``cands`` order)."""
        bumped = set()
        for owner, (b, _text) in list(self.placed.items()):
            if any(b.hits(r) for r in boxes):
                self.grid.remove(b)
                del self.placed[owner]
                bumped.add(owner)
        for r in boxes:
            self.grid.add(r)
        for c in cands:
            if c.owner in bumped:
                self._try(c)
        return self.placed


def place(
    cands: list[Candidate], obstacles: list[Box], view: Box, height: float, reserved: list[Box] | None = None
) -> dict[int, tuple[Box, str]]:
    """owner -> (box, text) for the candidates that found room, in the order given (highest priority first)."""
    return Placer(obstacles, view, height, reserved).run(cands)
