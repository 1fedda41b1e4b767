"""A ViewBox that offers left-button drags to its owner first (moving a pin or a node, drawing a link).

The map and the link chart both need this; the owner passes a callback instead of the view box knowing panels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg


class DragViewBox(pg.ViewBox):
    """``on_drag(event) -> bool`` takes the drag when it returns True; otherwise the view pans as usual."""

    def __init__(self, on_drag: Callable[[Any], bool] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.on_drag = on_drag

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: ANN001, N802 - pyqtgraph API
        if self.on_drag is not None and self.on_drag(ev):
            return
        super().mouseDragEvent(ev, axis)
