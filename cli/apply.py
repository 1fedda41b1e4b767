"""``caseboard apply CASE WORK.changes``: merge a colleague's changes into a case, refusing on conflicts unless
told which side wins."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("apply", help="merge a colleague's changes file into a case")
    s.add_argument("case")
    s.add_argument("changes", metavar="WORK.changes")
    side = s.add_mutually_exclusive_group()
    side.add_argument(
        "--theirs", action="store_true", help="resolve every conflict with the colleague's version"
    )
    side.add_argument(
        "--ours", action="store_true", help="resolve every conflict by keeping this case's version"
    )
    s.add_argument("--dry-run", action="store_true", help="only list what would change and the conflicts")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db import changes
    from caseboard.db.case import open_case
    from caseboard.db.errors import CaseError

    incoming = changes.read_changes(args.changes)
    policy = "theirs" if args.theirs else "ours" if args.ours else None
    h = incoming.header
    with open_case(args.case) as case:
        p = changes.plan(case, incoming)
        print(f"{args.changes}: {h.summary()} by {h.author} on {h.created}")
        for c in p.conflicts:
            extra = c.values_text()
            print(f"  conflict: {c.describe()}" + (f" ({extra})" if extra else ""))
        if args.dry_run:
            print(
                f"{len(p.steps)} changes would apply, {p.already} already here, {_n(len(p.conflicts), 'conflict')}."
            )
            return 0
        if p.conflicts and policy is None:
            raise CaseError(
                f"{_n(len(p.conflicts), 'conflict')}; nothing was applied. Review them in the window "
                "(File > Merge Changes…) or choose a side for all with --theirs or --ours."
            )
        if policy is not None:
            p.resolve_all(policy)  # type: ignore[arg-type]
        done = changes.apply_plan(case, p)
        changes.record_in_baseline(case, incoming)
    kept = sum(1 for c in p.conflicts if c.choice == "ours")
    print(
        f"Applied: {len(done)} rows written, {p.already} already here; "
        f"{_n(len(p.conflicts) - kept, 'conflict')} took theirs, {kept} kept ours."
    )
    return 0


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
