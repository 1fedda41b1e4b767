"""Large synthetic case files for tests and benchmarks (``caseboard generate``).

The content is made up but shaped like a real sanctions-monitoring case: people, companies, states and vessels
(``M/V ...`` with a flag and a valid IMO number), ports and depots clustered around real port coordinates,
shipments with one to four legs, events with uncertain dates and quotes whose vocabulary runs from very common
words to rare ones. Everything is drawn from one numpy seed, so a seed always gives the same file.

Speed comes from three things: every random choice is drawn up front as numpy arrays; rows are built as plain
tuples in chunks and written with ``executemany`` inside one transaction, with journalling off while the new
file is still a scratch file; secondary indexes and the FTS5 indexes are built once at the end instead of being
kept up to date row by row. The finished file is renamed into place and then is an ordinary case file
(``open_case`` switches it to WAL).

``--compare`` measures the floor in the same run: the same rows, written with plain ``executemany`` in one
transaction into a scratch file with the same schema and default settings.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from caseboard.db import schema
from caseboard.db.case import _harden, create_case
from caseboard.db.dates import PartialDate, day_number
from caseboard.db.errors import CaseFileError

CHUNK = 50_000
FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)

# -- word tables ---------------------------------------------------------------------------------------------

#: Real ports (name, ISO country, lat, lon), typed in from memory; places cluster around them.
PORTS: tuple[tuple[str, str, float, float], ...] = (
    ("Najin", "KP", 42.24, 130.30),
    ("Chongjin", "KP", 41.78, 129.82),
    ("Nampo", "KP", 38.73, 125.40),
    ("Wonsan", "KP", 39.17, 127.45),
    ("Vladivostok", "RU", 43.11, 131.88),
    ("Nakhodka", "RU", 42.81, 132.88),
    ("Vostochny", "RU", 42.74, 133.07),
    ("Novorossiysk", "RU", 44.72, 37.79),
    ("Tuapse", "RU", 44.09, 39.07),
    ("Kavkaz", "RU", 45.33, 36.67),
    ("Ust-Luga", "RU", 59.68, 28.40),
    ("Primorsk", "RU", 60.35, 28.67),
    ("Busan", "KR", 35.10, 129.04),
    ("Yeosu", "KR", 34.74, 127.74),
    ("Shanghai", "CN", 31.23, 121.49),
    ("Ningbo", "CN", 29.87, 121.55),
    ("Qingdao", "CN", 36.07, 120.32),
    ("Dalian", "CN", 38.92, 121.64),
    ("Tianjin", "CN", 38.98, 117.75),
    ("Longkou", "CN", 37.65, 120.32),
    ("Hong Kong", "HK", 22.30, 114.17),
    ("Kaohsiung", "TW", 22.61, 120.28),
    ("Singapore", "SG", 1.26, 103.84),
    ("Port Klang", "MY", 3.00, 101.39),
    ("Tanjung Pelepas", "MY", 1.36, 103.55),
    ("Tanjung Priok", "ID", -6.10, 106.88),
    ("Manila", "PH", 14.59, 120.96),
    ("Haiphong", "VN", 20.86, 106.68),
    ("Yokohama", "JP", 35.45, 139.65),
    ("Kobe", "JP", 34.68, 135.19),
    ("Rotterdam", "NL", 51.95, 4.14),
    ("Antwerp", "BE", 51.26, 4.40),
    ("Hamburg", "DE", 53.54, 9.97),
    ("Gdansk", "PL", 54.40, 18.67),
    ("Piraeus", "GR", 37.94, 23.63),
    ("Ambarli", "TR", 40.97, 28.69),
    ("Mersin", "TR", 36.80, 34.63),
    ("Latakia", "SY", 35.52, 35.77),
    ("Port Said", "EG", 31.26, 32.30),
    ("Jebel Ali", "AE", 25.01, 55.06),
    ("Fujairah", "AE", 25.17, 56.36),
    ("Bandar Abbas", "IR", 27.14, 56.21),
    ("Karachi", "PK", 24.84, 66.98),
    ("Nhava Sheva", "IN", 18.95, 72.95),
    ("Colombo", "LK", 6.95, 79.84),
    ("Durban", "ZA", -29.87, 31.03),
    ("Apapa", "NG", 6.44, 3.37),
    ("Algeciras", "ES", 36.13, -5.44),
    ("Santos", "BR", -23.96, -46.31),
    ("Balboa", "PA", 8.95, -79.57),
)

STATES = (
    "Democratic People's Republic of Korea",
    "Russian Federation",
    "People's Republic of China",
    "Republic of Korea",
    "Japan",
    "Singapore",
    "Malaysia",
    "Panama",
    "Togo",
    "Sierra Leone",
    "Comoros",
    "Mongolia",
    "Cameroon",
    "Palau",
    "Tuvalu",
    "Belize",
    "Indonesia",
    "Viet Nam",
    "Philippines",
    "United Arab Emirates",
)
FLAGS = ("PA", "TG", "SL", "KM", "MN", "CM", "PW", "TV", "BZ", "KP", "RU", "CN", "SG", "MH", "LR", "MT")
COUNTRIES = tuple(sorted({p[1] for p in PORTS}))

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "len",
    "dor",
    "sa",
    "vi",
    "na",
    "to",
    "li",
    "be",
    "ran",
    "jo",
    "su",
    "mi",
    "ha",
    "el",
    "an",
    "ta",
    "ko",
    "ser",
    "gei",
    "yu",
    "min",
    "chol",
    "park",
    "ivan",
    "ova",
    "lin",
    "chen",
    "wei",
    "hao",
    "ling",
    "rao",
    "dar",
    "vek",
    "sun",
    "hye",
    "mar",
    "tin",
    "eli",
    "ora",
    "zan",
    "pet",
    "ros",
    "dan",
    "nik",
    "ol",
    "ga",
    "bor",
    "ya",
    "kim",
]
ORG_WORDS = [
    "Ocean",
    "Star",
    "Pacific",
    "Golden",
    "Eastern",
    "Northern",
    "Unity",
    "Bright",
    "Harbour",
    "Jade",
    "Amber",
    "Silver",
    "Orient",
    "Baltic",
    "Delta",
    "Coral",
    "Pioneer",
    "Sunrise",
    "Polar",
    "Victory",
    "Great",
    "Wave",
    "Lotus",
    "Crown",
    "Summit",
    "Blue",
    "Horizon",
    "Grand",
    "Liberty",
    "Noble",
]
ORG_KINDS = ("Trading", "Shipping", "Maritime", "Logistics", "Energy", "Holdings", "Import-Export", "Marine")
ORG_FORMS = ("Co., Ltd.", "LLC", "JSC", "Pte. Ltd.", "Ltd.", "S.A.", "Inc.", "Corp.", "Limited")
VESSEL_WORDS = [
    "KORAL",
    "STAR",
    "OCEAN",
    "PEARL",
    "ASIA",
    "HONOR",
    "JADE",
    "SKY",
    "WIND",
    "PHOENIX",
    "GLORY",
    "DRAGON",
    "BLUE",
    "SEA",
    "LUCKY",
    "NORTH",
    "FORTUNE",
    "SILVER",
    "BAY",
    "CRYSTAL",
    "DIAMOND",
    "RAINBOW",
    "SPRING",
    "ORIENT",
    "PRIDE",
    "ROYAL",
    "SUN",
    "MOON",
    "TIGER",
    "EAGLE",
    "GRACE",
]
PLACE_SUFFIX = {
    "depot": ("Depot", "Oil Depot", "Coal Yard", "Container Yard", "Warehouse"),
    "facility": ("Shipyard", "Terminal", "Bonded Warehouse", "Refinery", "Fuel Berth"),
    "sea": ("Anchorage", "Outer Roads", "Transfer Area", "Waiting Area"),
    "town": ("", "-dong", "-ri", "sk", "ovka"),
    "border crossing": ("Border Crossing", "Checkpoint", "Bridge Crossing"),
    "airport": ("Airport", "Airfield"),
}
CARGO = (
    ("refined petroleum products", "bbl"),
    ("coal", "t"),
    ("iron ore", "t"),
    ("crude oil", "bbl"),
    ("machine parts", "crates"),
    ("luxury vehicles", "units"),
    ("fertiliser", "t"),
    ("steel coils", "t"),
    ("seafood", "t"),
    ("textiles", "containers"),
    ("electronics", "containers"),
    ("diesel fuel", "t"),
    ("rice", "t"),
    ("timber", "m3"),
)
OUTLETS = (
    "Harbour Watch",
    "Maritime Monitor",
    "The Coastal Ledger",
    "Panel Report Series",
    "Port Authority Notices",
    "Shipping Intelligence Weekly",
    "Field Interview Notes",
    "AIS Track Exports",
)
SOURCE_KINDS = ("report", "interview", "news article", "port log", "AIS data", "court filing", "leak")

SUBJECTS = (
    "the captain",
    "the crew",
    "our agent",
    "the broker",
    "a port official",
    "the harbour master",
    "the owner",
    "my contact",
    "the buyer",
    "the company",
    "the ministry",
    "the customs officer",
    "the pilot",
    "the inspector",
    "the manager",
    "the driver",
    "his cousin",
    "a deckhand",
)
VERBS = (
    "loaded",
    "unloaded",
    "transferred",
    "declared",
    "hid",
    "moved",
    "paid for",
    "insured",
    "registered",
    "inspected",
    "delivered",
    "stored",
    "sold",
    "bought",
    "signed for",
    "repainted",
    "renamed",
    "refuelled",
    "cleared",
    "shipped",
    "weighed",
    "relabelled",
)
OBJECTS = (
    "the cargo",
    "the coal",
    "the oil",
    "the containers",
    "the crates",
    "the fuel",
    "the machinery",
    "the documents",
    "the manifest",
    "the vessel",
    "the shipment",
    "the drums",
    "the trucks",
    "the steel",
    "the fertiliser",
    "the seafood",
    "the tanker",
    "all of it",
)
WHEN = (
    "at night",
    "on a Sunday",
    "in the early morning",
    "before the inspection",
    "after the storm",
    "during the holiday",
    "last week",
    "two days later",
    "in the summer",
    "before dawn",
    "at the end of the month",
    "while the cameras were off",
)
FRAMES = (
    "I was told that ",
    "We all knew that ",
    "He said ",
    "To my knowledge ",
    "",
    "I saw that ",
    "It is true that ",
    "They admitted that ",
    "As I remember it, ",
    "",
    "Everyone at the port knew ",
    "She confirmed that ",
)
EXTRAS = (
    "and nobody asked any questions",
    "but the papers said it was {cargo}",
    "so that the transponder would not show it",
    "and the money went through {org}",
    "because the buyer was in a hurry",
    "without a proper manifest",
    "as far as I know",
    "which I saw with my own eyes",
    "according to the logbook",
    "and then they switched off the AIS",
    "for a fee of about {amount} dollars",
    "and the flag was changed soon after",
    "on orders from {person}",
    "using a second set of papers",
)
ROLES = ("subject", "counterparty", "witness")
EVENT_TEMPLATES = {
    "vessel": (
        "{a} arrived at {p}",
        "{a} departed {p}",
        "{a} AIS signal lost near {p}",
        "{a} ship-to-ship transfer near {p}",
        "{a} anchored off {p}",
        "{a} loading observed at {p}",
        "{a} renamed and reflagged",
        "{a} detained at {p}",
    ),
    "person": (
        "{a} travelled to {p}",
        "{a} met a broker in {p}",
        "{a} phone call intercepted",
        "{a} signed a charter contract",
        "{a} opened a bank account",
        "{a} seen at the port of {p}",
    ),
    "organization": (
        "{a} payment reported",
        "{a} registered a new subsidiary",
        "{a} chartered a tanker",
        "{a} invoice issued for cargo at {p}",
        "{a} office opened in {p}",
        "{a} added to a sanctions list",
    ),
    "state": (
        "{a} announced an inspection regime",
        "{a} port authority notice for {p}",
        "{a} diplomatic protest",
    ),
    "other": ("{a} mentioned in a report", "{a} linked to activity at {p}"),
}


# -- results -------------------------------------------------------------------------------------------------


@dataclass
class GenerateReport:
    """What ``generate_case`` wrote and how long it took."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    floor_seconds: float | None = None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def ratio(self) -> float | None:
        return None if not self.floor_seconds else self.seconds / self.floor_seconds


# -- helpers -------------------------------------------------------------------------------------------------


def imo_check_digit(six: str) -> int:
    """The seventh digit of an IMO number: the six digits weighted 7..2, summed, modulo 10."""
    return sum(int(d) * w for d, w in zip(six, range(7, 1, -1), strict=True)) % 10


def _hex_ids(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random 32-hex ids (the same shape as ``rows.new_id``), deterministic for the generator."""
    h = rng.bytes(16 * n).hex()
    return [h[i : i + 32] for i in range(0, 32 * n, 32)]


def _name(rng: np.random.Generator, lo: int, hi: int) -> str:
    k = int(rng.integers(lo, hi + 1))
    return "".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), k)).capitalize()


def _zipf_weights(rng: np.random.Generator, n: int, offset: float = 20.0) -> np.ndarray:
    """Heavy-tailed weights in random order: a few hubs, a long tail."""
    w = 1.0 / (np.arange(n) + offset)
    rng.shuffle(w)
    return w / w.sum()


class _DatePool:
    """Every PartialDate the generator can draw, built once; rows pick them by index."""

    RANGE_LENGTHS = 6  # ranges of 2..7 days

    def __init__(self) -> None:
        self.first = day_number(FIRST_DAY)
        self.n_days = day_number(LAST_DAY) - self.first + 1
        dates: list[PartialDate] = []
        days = [FIRST_DAY + datetime.timedelta(days=i) for i in range(self.n_days + self.RANGE_LENGTHS + 1)]
        for d in days[: self.n_days]:
            dates.append(PartialDate(d, d, "day"))
            dates.append(PartialDate(d, d, "day", approximate=True))
        self.range_base = len(dates)
        for i in range(self.n_days):
            for length in range(2, 2 + self.RANGE_LENGTHS):
                dates.append(PartialDate(days[i], days[i + length - 1], "day"))
        self.month_base = len(dates)
        self.months = []
        for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
            for month in range(1, 13):
                start = datetime.date(year, month, 1)
                nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
                end = nxt - datetime.timedelta(days=1)
                self.months.append(start)
                dates.append(PartialDate(start, end, "month"))
                dates.append(PartialDate(start, end, "month", approximate=True))
        self.year_base = len(dates)
        for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
            a, b = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            dates.append(PartialDate(a, b, "year"))
            dates.append(PartialDate(a, b, "year", approximate=True))
        self.dates = dates
        self.edtf = [d.edtf() for d in dates]
        self.start = np.array([d.start_day() for d in dates], dtype=np.int64)
        self.end = np.array([d.end_day() for d in dates], dtype=np.int64)
        self.start_list = self.start.tolist()
        self.end_list = self.end.tolist()
        # month index and year index of each day offset
        offs = [FIRST_DAY + datetime.timedelta(days=i) for i in range(self.n_days)]
        self.month_of = np.array([(d.year - FIRST_DAY.year) * 12 + d.month - 1 for d in offs])
        self.year_of = np.array([d.year - FIRST_DAY.year for d in offs])

    def draw_days(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Day offsets, denser in later years with a few busy weeks."""
        u = rng.random(n) ** 0.7  # more recent activity
        days = (u * self.n_days).astype(np.int64)
        bursts = rng.integers(0, self.n_days - 14, 12)
        pick = rng.random(n) < 0.15
        days[pick] = bursts[rng.integers(0, len(bursts), int(pick.sum()))] + rng.integers(
            0, 14, int(pick.sum())
        )
        return np.clip(days, 0, self.n_days - 1)

    def pick(
        self, rng: np.random.Generator, days: np.ndarray, p: tuple[float, float, float, float], approx: float
    ) -> np.ndarray:
        """Pool indices for day offsets: p = shares of (day, day range, month, year); ``approx`` hedged."""
        n = len(days)
        kind = rng.choice(4, size=n, p=np.array(p) / sum(p))
        a = (rng.random(n) < approx).astype(np.int64)
        length = rng.integers(0, self.RANGE_LENGTHS, n)
        idx = days * 2 + a
        idx = np.where(kind == 1, self.range_base + days * self.RANGE_LENGTHS + length, idx)
        idx = np.where(kind == 2, self.month_base + self.month_of[days] * 2 + a, idx)
        idx = np.where(kind == 3, self.year_base + self.year_of[days] * 2 + a, idx)
        return idx


# -- the plan: every row of the case, produced in chunks -----------------------------------------------------


@dataclass
class _Table:
    name: str
    columns: tuple[str, ...]

    @property
    def sql(self) -> str:
        return f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({', '.join('?' * len(self.columns))})"


T_SOURCES = _Table(
    "sources",
    ("id", "label", "title", "kind", "outlet", "author", "url", "published", "published_start",
     "published_end", "reliability"),
)  # fmt: skip
T_ACTORS = _Table("actors", ("id", "name", "kind", "aliases", "description", "country", "flag", "imo"))
T_PLACES = _Table("places", ("id", "name", "kind", "aliases", "country", "lat", "lon", "precision"))
T_SHIPMENTS = _Table(
    "shipments",
    ("id", "title", "cargo", "quantity", "quantity_qualifier", "unit", "shipper_id", "receiver_id", "status",
     "date", "date_start", "date_end"),
)  # fmt: skip
T_LEGS = _Table(
    "legs",
    ("id", "shipment_id", "seq", "from_place_id", "to_place_id", "mode", "carrier_id", "depart",
     "depart_start", "depart_end", "arrive", "arrive_start", "arrive_end"),
)  # fmt: skip
T_EVENTS = _Table(
    "events", ("id", "title", "description", "date", "date_start", "date_end", "place_id", "shipment_id")
)
T_EVENT_ACTORS = _Table("event_actors", ("event_id", "actor_id", "role"))
T_STATEMENTS = _Table(
    "statements",
    ("id", "speaker_id", "text", "kind", "said", "said_start", "said_end", "source_id"),
)
T_RELATIONSHIPS = _Table(
    "relationships",
    ("id", "from_actor_id", "to_actor_id", "kind", "label", "role", "since", "since_start", "since_end",
     "until", "until_start", "until_end"),
)  # fmt: skip
T_CITATIONS = _Table(
    "citations", ("id", "subject_table", "subject_id", "source_id", "credibility", "locator")
)

Chunk = tuple[_Table, list[tuple]]


class _Plan:
    """All random choices for one case, drawn up front; ``chunks()`` turns them into row tuples."""

    def __init__(
        self,
        *,
        events: int,
        statements: int,
        actors: int,
        places: int,
        shipments: int,
        seed: int,
        legs_per_shipment: float,
        relationships: int | None = None,
    ) -> None:
        self.n = {
            "events": max(0, events),
            "statements": max(0, statements),
            "actors": max(0, actors),
            "places": max(0, places),
            "shipments": max(0, shipments),
            "relationships": max(0, 2 * actors if relationships is None else relationships),
        }
        self.seed = seed
        self.legs_per_shipment = min(4.0, max(1.0, legs_per_shipment))
        self.pool = _DatePool()
        ss = np.random.SeedSequence(seed)
        # appended last, so the other tables come out as they did before relationships existed
        names = (
            "sources",
            "actors",
            "places",
            "shipments",
            "events",
            "statements",
            "citations",
            "relationships",
        )
        self.rng = dict(zip(names, (np.random.default_rng(s) for s in ss.spawn(len(names))), strict=True))
        self._actors()
        self._places()
        self._sources()

    # small tables, kept whole in memory ----------------------------------------------------------------
    def _actors(self) -> None:
        rng = self.rng["actors"]
        n = self.n["actors"]
        kinds = rng.choice(np.array(schema.ACTOR_KINDS), size=n, p=[0.45, 0.33, 0.02, 0.17, 0.03]).tolist()
        # at least one of the main kinds when there is room, so every template has someone to name
        for i, k in enumerate(("vessel", "person", "organization")[: min(n, 3)]):
            kinds[i] = k
        self.actor_ids = _hex_ids(rng, n)
        self.actor_kind = kinds
        rows: list[tuple] = []
        state_i = 0
        for i, kind in enumerate(kinds):
            aliases = "[]"
            country, flag, imo, desc = "", "", "", ""
            if kind == "person":
                name = f"{_name(rng, 2, 3)} {_name(rng, 1, 2)}"
                if rng.random() < 0.2:
                    aliases = f'["{name.split()[1]} {name.split()[0]}"]'
                country = COUNTRIES[int(rng.integers(0, len(COUNTRIES)))]
            elif kind == "organization":
                name = (
                    f"{ORG_WORDS[int(rng.integers(0, len(ORG_WORDS)))]} {_name(rng, 1, 2)} "
                    f"{ORG_KINDS[int(rng.integers(0, len(ORG_KINDS)))]} {ORG_FORMS[int(rng.integers(0, len(ORG_FORMS)))]}"
                )
                country = COUNTRIES[int(rng.integers(0, len(COUNTRIES)))]
                desc = "Registered agent; beneficial owner unclear." if rng.random() < 0.3 else ""
            elif kind == "state":
                name = STATES[state_i % len(STATES)]
                if state_i >= len(STATES):
                    name = f"{name} (office {state_i // len(STATES) + 1})"
                state_i += 1
            elif kind == "vessel":
                words = rng.integers(0, len(VESSEL_WORDS), 2)
                name = f"M/V {VESSEL_WORDS[int(words[0])]} {VESSEL_WORDS[int(words[1])]}"
                if rng.random() < 0.4:
                    name += f" {int(rng.integers(1, 30))}"
                six = f"{int(rng.integers(7, 10))}{int(rng.integers(0, 100000)):05d}"
                imo = six + str(imo_check_digit(six))
                flag = FLAGS[int(rng.integers(0, len(FLAGS)))]
                if rng.random() < 0.3:
                    old = VESSEL_WORDS[int(rng.integers(0, len(VESSEL_WORDS)))]
                    aliases = f'["{old} {VESSEL_WORDS[int(rng.integers(0, len(VESSEL_WORDS)))]}"]'
            else:
                name = f"Unidentified {('network', 'group', 'intermediary', 'buyer')[i % 4]} {i}"
            rows.append((self.actor_ids[i], name, kind, aliases, desc, country, flag, imo))
        self.actor_rows = rows
        self.actor_names = [r[1] for r in rows]
        self.actor_w = _zipf_weights(rng, n) if n else np.zeros(0)
        kind_arr = np.array(kinds) if n else np.zeros(0, dtype=str)
        self.by_kind = {k: np.flatnonzero(kind_arr == k) for k in schema.ACTOR_KINDS}

    def _places(self) -> None:
        rng = self.rng["places"]
        n = self.n["places"]
        self.place_ids = _hex_ids(rng, n)
        rows: list[tuple] = []
        n_ports = min(n, len(PORTS))
        port_w = _zipf_weights(rng, len(PORTS), offset=4.0)
        hub = rng.choice(len(PORTS), size=n, p=port_w)
        other_kinds = ("depot", "facility", "sea", "town", "border crossing", "airport")
        kind_pick = rng.choice(len(other_kinds), size=n, p=[0.35, 0.2, 0.15, 0.2, 0.05, 0.05])
        jitter = rng.normal(0.0, 0.25, size=(n, 2))
        for i in range(n):
            if i < n_ports:
                name, country, lat, lon = PORTS[i]
                rows.append((self.place_ids[i], name, "port", "[]", country, lat, lon, "exact"))
                continue
            base, country, lat, lon = PORTS[int(hub[i])]
            kind = other_kinds[int(kind_pick[i])]
            suffixes = PLACE_SUFFIX[kind]
            suffix = suffixes[int(rng.integers(0, len(suffixes)))]
            if kind == "town":
                name = _name(rng, 2, 3) + suffix
            else:
                name = f"{base} {suffix} {int(rng.integers(1, 40))}"
            spread = 0.4 if kind in ("sea", "town") else 0.12
            lat2 = float(np.clip(lat + jitter[i, 0] * spread * 4, -89, 89))
            lon2 = float(np.clip(lon + jitter[i, 1] * spread * 4, -179, 179))
            precision = "approximate" if kind == "sea" else "exact"
            rows.append(
                (self.place_ids[i], name, kind, "[]", country, round(lat2, 5), round(lon2, 5), precision)
            )
        self.place_rows = rows
        self.place_names = [r[1] for r in rows]
        self.place_w = _zipf_weights(rng, n, offset=10.0) if n else np.zeros(0)
        self.n_ports = n_ports

    def _sources(self) -> None:
        rng = self.rng["sources"]
        n = max(5, self.n["statements"] // 40) if self.n["statements"] or self.n["events"] else 0
        self.source_ids = _hex_ids(rng, n)
        rel = rng.choice(np.array(schema.RELIABILITY_GRADES), size=n, p=[0.05, 0.25, 0.35, 0.2, 0.1, 0.05])
        days = self.pool.draw_days(rng, n)
        rows = []
        for i in range(n):
            kind = SOURCE_KINDS[int(rng.integers(0, len(SOURCE_KINDS)))]
            outlet = OUTLETS[int(rng.integers(0, len(OUTLETS)))]
            topic = PORTS[int(rng.integers(0, len(PORTS)))][0]
            title = f"{kind.capitalize()} on activity at {topic} ({outlet})"
            author = f"{_name(rng, 1, 2)} {_name(rng, 2, 2)}"
            d = int(days[i]) * 2
            rows.append(
                (
                    self.source_ids[i],
                    f"S{i + 1}",
                    title,
                    kind,
                    outlet,
                    author,
                    f"https://example.org/sources/{i + 1}",
                    self.pool.edtf[d],
                    self.pool.start_list[d],
                    self.pool.end_list[d],
                    str(rel[i]),
                )
            )
        self.source_rows = rows

    # big tables, built chunk by chunk --------------------------------------------------------------------
    def _actor_draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(len(self.actor_ids), size=n, p=self.actor_w)

    def _kind_draw(self, rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
        pool = self.by_kind.get(kind, np.zeros(0, dtype=np.int64))
        if len(pool) == 0:
            pool = np.arange(len(self.actor_ids))
        w = self.actor_w[pool]
        return pool[rng.choice(len(pool), size=n, p=w / w.sum())]

    def _shipments(self) -> Iterator[Chunk]:
        rng = self.rng["shipments"]
        n = self.n["shipments"]
        pool = self.pool
        self.shipment_ids = _hex_ids(rng, n)
        if n == 0:
            return
        have_actors = len(self.actor_ids) > 0
        cargo = rng.integers(0, len(CARGO), n)
        qty = np.round(rng.lognormal(7.0, 1.3, n), -1)
        qual = rng.choice(np.array(["", "about", "at least", "up to"]), size=n, p=[0.6, 0.25, 0.1, 0.05])
        status = rng.choice(np.array(schema.SHIPMENT_STATUSES), size=n, p=[0.5, 0.25, 0.05, 0.2])
        shipper = self._kind_draw(rng, "organization", n) if have_actors else None
        receiver = self._kind_draw(rng, "organization", n) if have_actors else None
        days = np.minimum(pool.draw_days(rng, n), pool.n_days - 120)
        date_idx = pool.pick(rng, days, (0.5, 0.1, 0.35, 0.05), 0.15)
        rows = []
        for i in range(n):
            c, unit = CARGO[int(cargo[i])]
            d = int(date_idx[i])
            rows.append(
                (
                    self.shipment_ids[i],
                    f"{c.capitalize()} shipment {i + 1}",
                    c,
                    float(qty[i]) if qty[i] > 0 else None,
                    str(qual[i]),
                    unit,
                    self.actor_ids[int(shipper[i])] if shipper is not None else None,
                    self.actor_ids[int(receiver[i])] if receiver is not None else None,
                    str(status[i]),
                    pool.edtf[d],
                    pool.start_list[d],
                    pool.end_list[d],
                )
            )
        yield T_SHIPMENTS, rows
        if not self.place_ids:
            return
        p = (self.legs_per_shipment - 1.0) / 3.0
        n_legs = 1 + rng.binomial(3, p, n)
        total = int(n_legs.sum())
        ship_of = np.repeat(np.arange(n), n_legs)
        seq = np.arange(total) - np.repeat(np.cumsum(n_legs) - n_legs, n_legs)
        stops = rng.choice(len(self.place_ids), size=total + n, p=self.place_w)
        # stop k of shipment s is stops[s + leg index]; consecutive stops differ
        idx_from = ship_of + np.arange(total)
        frm, to = stops[idx_from], stops[idx_from + 1]
        same = frm == to
        to[same] = (to[same] + 1) % len(self.place_ids)
        mode = rng.choice(np.array(schema.LEG_MODES), size=total, p=[0.7, 0.12, 0.12, 0.03, 0.03])
        carrier_v = self._kind_draw(rng, "vessel", total) if have_actors else None
        carrier_o = self._kind_draw(rng, "organization", total) if have_actors else None
        transit = rng.integers(1, 25, total)
        wait = rng.integers(0, 6, total)
        start = days[ship_of]
        # departure day: shipment start plus all earlier legs' transit and waiting
        step = transit + wait
        cum = np.cumsum(step) - step
        first_cum = cum[np.cumsum(n_legs) - n_legs]
        depart = start + cum - np.repeat(first_cum, n_legs)
        arrive = depart + transit
        depart = np.minimum(depart, pool.n_days - 1)
        arrive = np.minimum(arrive, pool.n_days - 1)
        dep_idx = depart * 2 + (rng.random(total) < 0.1)
        arr_idx = arrive * 2 + (rng.random(total) < 0.2)
        no_arrive = rng.random(total) < 0.1
        leg_ids = _hex_ids(rng, total)
        self.leg_ids = leg_ids
        rows = []
        for j in range(total):
            m = str(mode[j])
            carrier = None
            if carrier_v is not None:
                carrier = self.actor_ids[int(carrier_v[j] if m == "sea" else carrier_o[j])]
            a = int(arr_idx[j])
            dp = int(dep_idx[j])
            arrive_cols = (
                (None, None, None) if no_arrive[j] else (pool.edtf[a], pool.start_list[a], pool.end_list[a])
            )
            rows.append(
                (
                    leg_ids[j],
                    self.shipment_ids[int(ship_of[j])],
                    int(seq[j]),
                    self.place_ids[int(frm[j])],
                    self.place_ids[int(to[j])],
                    m,
                    carrier,
                    pool.edtf[dp],
                    pool.start_list[dp],
                    pool.end_list[dp],
                    *arrive_cols,
                )
            )
        yield T_LEGS, rows

    def _events(self) -> Iterator[Chunk]:
        rng = self.rng["events"]
        n = self.n["events"]
        pool = self.pool
        self.event_ids = _hex_ids(rng, n)
        if n == 0 or not self.actor_ids:
            if n:
                raise CaseFileError("events need at least one actor")
            return
        days = pool.draw_days(rng, n)
        date_idx = pool.pick(rng, days, (0.8, 0.07, 0.1, 0.03), 0.08)
        order = np.argsort(pool.start[date_idx], kind="stable")  # rowid order follows time
        date_idx = date_idx[order]
        primary = self._actor_draw(rng, n)
        n_more = rng.choice(3, size=n, p=[0.55, 0.35, 0.10])
        second = self._actor_draw(rng, n)
        third = self._actor_draw(rng, n)
        na = len(self.actor_ids)
        second = np.where(second == primary, (second + 1) % na, second)
        third = np.where((third == primary) | (third == second), (third + 2) % na, third)
        has_place = rng.random(n) < 0.85
        place = rng.choice(len(self.place_ids), size=n, p=self.place_w) if self.place_ids else None
        ship = (
            np.where(rng.random(n) < 0.1, rng.integers(0, len(self.shipment_ids), n), -1)
            if self.shipment_ids
            else np.full(n, -1)
        )
        tmpl_pick = rng.integers(0, 1000, n)
        desc_pick = np.where(rng.random(n) < 0.25, rng.integers(0, 2000, n), -1)
        descriptions = [*self._sentences(rng, 2000, long=False), ""]  # index -1: no description
        # per actor, its templates with the name already filled in; the place goes in per row
        titles = [
            [t.replace("{a}", name) for t in EVENT_TEMPLATES[kind]]
            for name, kind in zip(self.actor_names, self.actor_kind, strict=True)
        ]
        p_idx = place if place is not None else np.full(n, -1)
        p_idx = np.where(has_place, p_idx, -1)
        pnames = [*self.place_names, "an unknown location"]
        pids: list[str | None] = [*self.place_ids, None]
        sids: list[str | None] = [*self.shipment_ids, None]
        ids = self.event_ids
        aid = self.actor_ids
        edtf, st, en = pool.edtf, pool.start_list, pool.end_list
        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            cols = zip(
                ids[lo:hi],
                primary[lo:hi].tolist(),
                tmpl_pick[lo:hi].tolist(),
                p_idx[lo:hi].tolist(),
                desc_pick[lo:hi].tolist(),
                date_idx[lo:hi].tolist(),
                ship[lo:hi].tolist(),
                strict=True,
            )
            rows = []
            for eid, a, t, p, dsc, d, s in cols:
                tl = titles[a]
                rows.append(
                    (eid, tl[t % len(tl)].replace("{p}", pnames[p]), descriptions[dsc], edtf[d], st[d], en[d],
                     pids[p], sids[s])
                )  # fmt: skip
            ev = ids[lo:hi]
            links = [(e, aid[a], "subject") for e, a in zip(ev, primary[lo:hi].tolist(), strict=True)]
            more = n_more[lo:hi]
            two = np.flatnonzero(more >= 1)
            links += [
                (ev[j], aid[a], "counterparty")
                for j, a in zip(two.tolist(), second[lo:hi][two].tolist(), strict=True)
            ]
            three = np.flatnonzero(more >= 2)
            links += [
                (ev[j], aid[a], "witness")
                for j, a in zip(three.tolist(), third[lo:hi][three].tolist(), strict=True)
            ]
            yield T_EVENTS, rows
            yield T_EVENT_ACTORS, links

    def _sentences(self, rng: np.random.Generator, n: int, *, long: bool) -> list[str]:
        """Quote-like sentences: common words everywhere, names, places and rarer words mixed in."""
        out: list[str] = []
        names = self.actor_names or ["someone"]
        places = self.place_names or ["the port"]
        picks = rng.integers(0, 1 << 30, size=(n, 12)).tolist()
        for i in range(n):
            r = picks[i]
            parts = []
            for j in range(0, 2 if long else 1):
                frame = FRAMES[r[j * 6] % len(FRAMES)]
                subject = SUBJECTS[r[j * 6 + 1] % len(SUBJECTS)]
                if not frame:
                    subject = subject[0].upper() + subject[1:]
                verb = VERBS[r[j * 6 + 2] % len(VERBS)]
                obj = OBJECTS[r[j * 6 + 3] % len(OBJECTS)]
                where = places[r[j * 6 + 4] % len(places)]
                tail = r[j * 6 + 5]
                if tail % 3 == 0:
                    extra = EXTRAS[tail % len(EXTRAS)].format(
                        cargo=CARGO[tail % len(CARGO)][0],
                        org=names[tail % len(names)],
                        amount=f"{(tail % 900 + 100) * 1000:,}",
                        person=names[(tail >> 7) % len(names)],
                    )
                    clause = f"{subject} {verb} {obj} at {where} {extra}"
                else:
                    clause = f"{subject} {verb} {obj} at {where} {WHEN[tail % len(WHEN)]}"
                sentence = f"{frame}{clause}."
                parts.append(sentence[0].upper() + sentence[1:])
                if not long or r[11] % 4 == 0:
                    break
            out.append(" ".join(parts))
        return out

    def _statements(self) -> Iterator[Chunk]:
        rng = self.rng["statements"]
        n = self.n["statements"]
        pool = self.pool
        self.statement_ids = _hex_ids(rng, n)
        if n == 0:
            return
        days = pool.draw_days(rng, n)
        date_idx = pool.pick(rng, days, (0.75, 0.1, 0.12, 0.03), 0.1)
        date_idx = date_idx[np.argsort(pool.start[date_idx], kind="stable")]
        speaker_kind = rng.choice(3, size=n, p=[0.75, 0.2, 0.05])
        have_actors = bool(self.actor_ids)
        spk = None
        if have_actors:
            spk = np.where(
                speaker_kind == 0,
                self._kind_draw(rng, "person", n),
                np.where(
                    speaker_kind == 1,
                    self._kind_draw(rng, "organization", n),
                    self._kind_draw(rng, "state", n),
                ),
            )
        src = rng.integers(0, len(self.source_ids), n)
        kind = rng.choice(np.array(schema.STATEMENT_KINDS), size=n, p=[0.7, 0.3])
        texts = self._sentences(rng, n, long=True)
        rows = []
        for i in range(n):
            d = int(date_idx[i])
            rows.append(
                (
                    self.statement_ids[i],
                    self.actor_ids[int(spk[i])] if spk is not None else None,
                    texts[i],
                    str(kind[i]),
                    pool.edtf[d],
                    pool.start_list[d],
                    pool.end_list[d],
                    self.source_ids[int(src[i])],
                )
            )
        self.statement_source = src
        yield T_STATEMENTS, rows

    def _relationships(self) -> Iterator[Chunk]:
        """Ties between actors: one busy hub (an owner of many ships, as fleets behind sanctioned trade are)
        with up to 1,000, the rest drawn by actor weight, with kinds that fit the two ends."""
        rng = self.rng["relationships"]
        n = self.n["relationships"]
        na = len(self.actor_ids)
        self.relationship_ids: list[str] = []
        if n == 0 or na < 2:
            return
        hub_n = min(1000, n // 4, na - 1)
        orgs = self.by_kind.get("organization", np.zeros(0, dtype=np.int64))
        hub = int(orgs[0]) if len(orgs) else 0
        others = np.array([i for i in range(na) if i != hub])
        a = np.empty(n, dtype=np.int64)
        b = np.empty(n, dtype=np.int64)
        a[:hub_n] = hub
        b[:hub_n] = rng.choice(others, size=hub_n, replace=False)
        rest = n - hub_n
        a[hub_n:] = self._actor_draw(rng, rest)
        b[hub_n:] = rng.integers(0, na, rest)
        b = np.where(a == b, (b + 1) % na, b)
        by_pair = {
            ("person", "organization"): ("employee of", "director of", "member of"),
            ("person", "person"): ("family of", "associate of"),
            ("organization", "vessel"): ("owner of", "operator of", "manager of"),
            ("state", "vessel"): ("flag state of",),
            ("organization", "organization"): ("owner of", "associate of", "paid by"),
            ("person", "state"): ("employee of", "member of"),
        }
        days = self.pool.draw_days(rng, n)
        since_idx = self.pool.pick(rng, days, (0.3, 0.0, 0.4, 0.3), 0.2)
        until_days = np.minimum(days + rng.integers(30, 900, n), self.pool.n_days - 1)
        until_idx = self.pool.pick(rng, until_days, (0.3, 0.0, 0.4, 0.3), 0.2)
        has_since = rng.random(n) < 0.7
        has_until = rng.random(n) < 0.3
        roles = ("", "", "registered owner", "beneficial owner", "ISM manager", "chairman", "agent", "crew")
        self.relationship_ids = ids = _hex_ids(rng, n)
        pick = rng.random(n)
        role_i = rng.integers(0, len(roles), n)
        pool = self.pool
        rows = []
        for i in range(n):
            ka, kb = self.actor_kind[int(a[i])], self.actor_kind[int(b[i])]
            kinds = by_pair.get((ka, kb), ("associate of", "other"))
            kind = kinds[int(pick[i] * len(kinds))]
            label = "business partner of" if kind == "other" else ""
            s = int(since_idx[i]) if has_since[i] else None
            u = int(until_idx[i]) if has_until[i] else None
            if s is not None and u is not None and pool.end_list[u] < pool.start_list[s]:
                u = None
            rows.append(
                (
                    ids[i],
                    self.actor_ids[int(a[i])],
                    self.actor_ids[int(b[i])],
                    kind,
                    label,
                    roles[int(role_i[i])],
                    None if s is None else pool.edtf[s],
                    None if s is None else pool.start_list[s],
                    None if s is None else pool.end_list[s],
                    None if u is None else pool.edtf[u],
                    None if u is None else pool.start_list[u],
                    None if u is None else pool.end_list[u],
                )
            )
        yield T_RELATIONSHIPS, rows

    def _citations(self) -> Iterator[Chunk]:
        rng = self.rng["citations"]
        if not self.source_ids:
            return
        ns = len(self.source_ids)
        subjects: list[tuple[str, list[str], np.ndarray | None]] = [
            ("statements", self.statement_ids, getattr(self, "statement_source", None)),
            ("shipments", self.shipment_ids, None),
            ("legs", [x for x in getattr(self, "leg_ids", []) if x[-1] in "02468ace"], None),
            ("events", [x for x in self.event_ids if x[-1] == "0" or x[-2:] == "1f"], None),
            ("actors", [x for x in self.actor_ids if x[-1] in "0123"], None),
            ("places", self.place_ids[: self.n_ports], None),
            ("relationships", [x for x in self.relationship_ids if x[-1] in "01234567"], None),
        ]
        for table, ids, given in subjects:
            m = len(ids)
            if not m:
                continue
            src = given if given is not None else rng.integers(0, ns, m)
            cred = rng.choice(6, size=m, p=[0.1, 0.3, 0.3, 0.15, 0.05, 0.1]) + 1
            page = rng.integers(1, 120, m)
            cids = _hex_ids(rng, m)
            sids = self.source_ids
            yield (
                T_CITATIONS,
                [
                    (cids[i], table, ids[i], sids[int(src[i])], int(cred[i]), f"p. {int(page[i])}")
                    for i in range(m)
                ],
            )

    def chunks(self) -> Iterator[Chunk]:
        """Every row of the case in insertion order (parents before children)."""
        yield T_SOURCES, self.source_rows
        yield T_ACTORS, self.actor_rows
        yield T_PLACES, self.place_rows
        yield from self._shipments()
        yield from self._events()
        yield from self._statements()
        yield from self._relationships()
        yield from self._citations()


# -- writing -------------------------------------------------------------------------------------------------


def _new_file(path: Path, title: str) -> sqlite3.Connection:
    """A fresh scratch file holding the empty schema, like ``create_case`` but not yet opened as a case."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    _harden(conn)
    schema.apply_migrations(Database(conn, execute_plugins=False))
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO case_info(key, value) VALUES (?, ?)",
        [
            ("title", title),
            ("summary", "Synthetic case written by caseboard generate (made-up names and events)."),
            ("created", now),
        ],
    )
    conn.execute("COMMIT")
    return conn


def _title(plan: _Plan) -> str:
    n = plan.n
    return f"Synthetic case: {n['events']:,} events, {n['statements']:,} statements (seed {plan.seed})"


def generate_case(
    path: str | os.PathLike[str],
    *,
    events: int,
    statements: int,
    actors: int,
    places: int,
    shipments: int,
    seed: int,
    legs_per_shipment: float = 2.5,
    overwrite: bool = False,
    relationships: int | None = None,
) -> GenerateReport:
    """Write a synthetic case to ``path`` (deterministic for ``seed``); see the module docstring."""
    t0 = time.perf_counter()
    path = Path(path).expanduser().absolute()
    if path.exists() and not overwrite:
        raise CaseFileError(f'"{path}" already exists; choose another name or pass --force.')
    if not path.parent.is_dir():
        raise CaseFileError(f'Cannot create "{path}": the folder does not exist.')
    plan = _Plan(
        events=events,
        statements=statements,
        actors=actors,
        places=places,
        shipments=shipments,
        seed=seed,
        legs_per_shipment=legs_per_shipment,
        relationships=relationships,
    )
    tmp = path.with_name(path.name + ".generating")
    conn = _new_file(tmp, _title(plan))
    counts: dict[str, int] = {}
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = OFF")  # rows are consistent by construction; checked in tests
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        conn.execute("BEGIN")
        for name, _sql in indexes:
            conn.execute(f"DROP INDEX {name}")
        for table, rows in plan.chunks():
            conn.executemany(table.sql, rows)
            counts[table.name] = counts.get(table.name, 0) + len(rows)
        for _idx, sql in indexes:
            conn.execute(sql)
        for fts, _table, _cols in schema.FTS:
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        conn.execute("COMMIT")
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)
    return GenerateReport(path=path, counts=counts, seconds=time.perf_counter() - t0)


def measure_floor(
    *,
    events: int,
    statements: int,
    actors: int,
    places: int,
    shipments: int,
    seed: int,
    legs_per_shipment: float = 2.5,
    directory: str | os.PathLike[str] | None = None,
) -> float:
    """Seconds plain sqlite3 ``executemany`` takes for the same rows, in one transaction, in a scratch file.

    The scratch file gets the same schema (with its indexes) through ``create_case`` and keeps SQLite's default
    settings; only the ``executemany`` calls and the commit are timed, not building the tuples.
    """
    plan = _Plan(
        events=events,
        statements=statements,
        actors=actors,
        places=places,
        shipments=shipments,
        seed=seed,
        legs_per_shipment=legs_per_shipment,
    )
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        scratch = Path(tmp) / "floor.case"
        create_case(scratch, title="floor").close()
        conn = sqlite3.connect(scratch, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        spent = 0.0
        t = time.perf_counter()
        conn.execute("BEGIN")
        spent += time.perf_counter() - t
        for table, rows in plan.chunks():
            t = time.perf_counter()
            conn.executemany(table.sql, rows)
            spent += time.perf_counter() - t
        t = time.perf_counter()
        conn.execute("COMMIT")
        spent += time.perf_counter() - t
        conn.close()
    return spent


def run_generate(args: argparse.Namespace) -> int:
    """The ``caseboard generate`` command: write the case, print one summary line."""
    sizes = {
        "events": args.events,
        "statements": args.statements,
        "actors": args.actors,
        "places": args.places,
        "shipments": args.shipments,
        "seed": args.seed,
    }
    relationships = getattr(args, "relationships", None)
    report = generate_case(args.path, overwrite=bool(args.force), relationships=relationships, **sizes)
    line = f"Wrote {report.rows:,} rows to {report.path} in {report.seconds:.2f} s"
    if getattr(args, "compare", False):
        report.floor_seconds = measure_floor(directory=report.path.parent, **sizes)
        line += (
            f"; floor (plain executemany, one transaction, same rows) {report.floor_seconds:.2f} s, "
            f"ratio {report.ratio:.2f}x (target <= 2x)"
        )
    print(line)
    return 0
