"""``caseboard generate PATH``: a large synthetic case for trying Caseboard at scale and for the benchmarks."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("generate", help="write a large synthetic case for testing and benchmarks")
    s.add_argument("path")
    s.add_argument("--events", type=int, default=100_000)
    s.add_argument("--statements", type=int, default=20_000)
    s.add_argument("--actors", type=int, default=2_000)
    s.add_argument("--places", type=int, default=1_000)
    s.add_argument("--shipments", type=int, default=2_000)
    s.add_argument(
        "--relationships",
        type=int,
        default=None,
        help="relationships between actors (default: twice --actors)",
    )
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--force", action="store_true")
    s.add_argument(
        "--compare", action="store_true", help="also time plain sqlite3 executemany for the same rows"
    )
    return s


#: Largest count accepted per kind: far past any benchmark, well short of running out of memory.
MAX_COUNT = 50_000_000


def run(args: argparse.Namespace) -> int:
    from caseboard.db.errors import CaseError
    from caseboard.db.generate import run_generate

    for name in ("events", "statements", "actors", "places", "shipments", "relationships"):
        n = getattr(args, name, None)
        if n is not None and not 0 <= n <= MAX_COUNT:
            raise CaseError(f"--{name} must be between 0 and {MAX_COUNT:,}, not {n:,}")
    if not 0 <= args.seed < 2**32:
        raise CaseError(f"--seed must be between 0 and {2**32 - 1:,}, not {args.seed:,}")
    return run_generate(args)
