"""The application icon ships as SVG plus PNGs of the right sizes (no Qt needed)."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

ICONS = files("caseboard.resources") / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", SIZES)
def test_png_exists_with_right_size(size: int) -> None:
    png = ICONS / f"caseboard-{size}.png"
    assert png.is_file(), f"missing {png}"
    assert _png_size(png.read_bytes()) == (size, size)


def test_svg_parses_with_viewbox() -> None:
    root = ET.fromstring((ICONS / "caseboard.svg").read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
