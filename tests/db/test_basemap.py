"""The bundled Natural Earth basemap loads, is sane lon/lat data, and clips (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseboard.resources.basemap import Basemap, clip, load_basemap

NAJIN = (130.283, 42.256)  # lon, lat
VLADIVOSTOK = (131.9, 43.1)
NK_RU_BORDER = (130.6, 42.4)


@pytest.fixture(scope="module")
def basemap() -> Basemap:
    return load_basemap()


def _finite(a: np.ndarray) -> np.ndarray:
    return a[np.isfinite(a).all(axis=1)]


def _nearest_deg(a: np.ndarray, lon: float, lat: float) -> float:
    """Distance in degrees (longitude scaled by cos(lat)) to the nearest vertex."""
    pts = _finite(a).astype(np.float64)
    dlon = (pts[:, 0] - lon) * math.cos(math.radians(lat))
    dlat = pts[:, 1] - lat
    return float(np.sqrt(dlon**2 + dlat**2).min())


def test_load_is_cached(basemap: Basemap) -> None:
    assert load_basemap() is basemap


@pytest.mark.parametrize("layer", ["coast", "borders", "land"])
def test_arrays_are_float32_pairs_with_nan_separators(basemap: Basemap, layer: str) -> None:
    a = getattr(basemap, layer)
    assert a.dtype == np.float32
    assert a.ndim == 2 and a.shape[1] == 2
    finite = np.isfinite(a).all(axis=1)
    gaps = np.isnan(a).all(axis=1)
    assert (finite | gaps).all(), "rows are either a vertex or a full NaN separator"
    assert gaps.sum() > 100, "many polylines, NaN-separated"
    assert finite.sum() > 10_000, "50 m detail, not 110 m"
    assert gaps[-1], "the last polyline is terminated too"
    assert not a.flags.writeable, "shared cached arrays are read-only"


@pytest.mark.parametrize("layer", ["coast", "borders", "land"])
def test_coordinates_are_lon_lat(basemap: Basemap, layer: str) -> None:
    pts = _finite(getattr(basemap, layer))
    assert pts[:, 0].min() >= -180 and pts[:, 0].max() <= 180
    assert pts[:, 1].min() >= -90 and pts[:, 1].max() <= 90


def test_coast_reaches_najin_and_vladivostok(basemap: Basemap) -> None:
    assert _nearest_deg(basemap.coast, *NAJIN) < 0.3
    assert _nearest_deg(basemap.coast, *VLADIVOSTOK) < 0.3


def test_north_korea_russia_border_present(basemap: Basemap) -> None:
    assert _nearest_deg(basemap.borders, *NK_RU_BORDER) < 0.3


def test_clip_keeps_only_vertices_in_box(basemap: Basemap) -> None:
    box = (129.0, 133.0, 41.0, 44.0)
    out = clip(basemap.coast, *box)
    assert out.dtype == np.float32 and out.ndim == 2 and out.shape[1] == 2
    pts = _finite(out)
    assert len(pts) > 20
    assert (pts[:, 0] >= box[0]).all() and (pts[:, 0] <= box[1]).all()
    assert (pts[:, 1] >= box[2]).all() and (pts[:, 1] <= box[3]).all()
    # every in-box vertex of the source survives
    src = _finite(basemap.coast)
    inside = (src[:, 0] >= box[0]) & (src[:, 0] <= box[1]) & (src[:, 1] >= box[2]) & (src[:, 1] <= box[3])
    assert len(pts) == int(inside.sum())
    assert np.isnan(out[-1]).all()
    assert _nearest_deg(out, *NAJIN) < 0.3


def test_clip_breaks_lines_that_leave_the_box() -> None:
    nan = np.nan
    lines = np.array(
        [[0, 0], [1, 1], [5, 5], [1.5, 1.5], [nan, nan], [0.5, 1.0], [0.6, 1.1], [nan, nan]],
        dtype=np.float32,
    )
    out = clip(lines, 0, 2, 0, 2)
    expected = np.array(
        [[0, 0], [1, 1], [nan, nan], [1.5, 1.5], [nan, nan], [0.5, 1.0], [0.6, 1.1], [nan, nan]],
        dtype=np.float32,
    )
    np.testing.assert_array_equal(out, expected)


def test_clip_outside_everything_is_empty(basemap: Basemap) -> None:
    out = clip(basemap.coast, 10.0, 10.1, -89.9, -89.8)  # inside Antarctica, far from any coast
    assert out.shape == (0, 2)
    assert clip(np.empty((0, 2), np.float32), 0, 1, 0, 1).shape == (0, 2)
