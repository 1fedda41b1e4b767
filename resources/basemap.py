"""Bundled offline basemap: Natural Earth 1:50m coastlines and land borders.

The data lives in ``basemap/basemap.npz`` beside this module (built once by
``basemap/build_basemap.py``).  Every array is float32 of shape (N, 2) holding
(longitude, latitude) in degrees; polylines follow one another, each ended by a
row of NaN, so an array can be handed straight to pyqtgraph with
``connect="finite"``.

No Qt here: the map panel decides how to draw.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np

__all__ = ["Basemap", "clip", "load_basemap"]

_EMPTY = np.empty((0, 2), dtype=np.float32)


def _empty() -> np.ndarray:
    return _EMPTY


@dataclass(frozen=True, eq=False)
class Basemap:
    """Natural Earth line work in lon/lat degrees (arrays are read-only and shared)."""

    coast: np.ndarray  # (N, 2) float32, NaN rows separate polylines
    borders: np.ndarray  # (M, 2) float32, land boundaries between countries
    # (K, 2) float32 land polygon rings, NaN-separated; fill each ring as a closed
    # subpath with the odd-even rule (islands in lakes, lakes in land).
    land: np.ndarray = field(default_factory=_empty)
    source: str = ""


def _read_only(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=np.float32).reshape(-1, 2)
    a.setflags(write=False)
    return a


@functools.cache
def load_basemap() -> Basemap:
    """Load the bundled basemap (read once, then cached)."""
    ref = files("caseboard.resources") / "basemap" / "basemap.npz"
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
        return Basemap(
            coast=_read_only(npz["coast"]),
            borders=_read_only(npz["borders"]),
            land=_read_only(npz["land"]) if "land" in npz.files else _EMPTY,
            source=str(npz["source"]) if "source" in npz.files else "",
        )


def clip(lines: np.ndarray, lon_min: float, lon_max: float, lat_min: float, lat_max: float) -> np.ndarray:
    """Keep only the vertices of ``lines`` inside the box, still NaN-separated.

    Each run of consecutive in-box vertices becomes its own polyline, ended by a
    NaN row, so a line that leaves the box and comes back is not joined by a
    chord.  Segments crossing the box edge are dropped, so pass a box a little
    larger than the visible area (say 10 % each side) to draw lines out to the
    edge.  Returns a new float32 (n, 2) array; (0, 2) when nothing is inside.
    """
    pts = np.asarray(lines)
    if pts.size == 0:
        return np.empty((0, 2), dtype=np.float32)
    lon = pts[:, 0]
    lat = pts[:, 1]
    with np.errstate(invalid="ignore"):
        inside = (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)
    idx = np.flatnonzero(inside)
    if idx.size == 0:
        return np.empty((0, 2), dtype=np.float32)
    kept = pts[idx].astype(np.float32, copy=False)
    # A run ends wherever the next kept vertex is not the next input vertex,
    # and at the very end.
    run_ends = np.flatnonzero(np.diff(idx) != 1) + 1
    out = np.insert(kept, np.append(run_ends, idx.size), np.nan, axis=0)
    return out
