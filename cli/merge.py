"""``caseboard merge CASE OTHER.case``: add another analyst's case file (not a copy of this one) to this case."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser(
        "merge", help="merge another case file into a case, matching actors, places and sources"
    )
    s.add_argument("case")
    s.add_argument("other", metavar="OTHER.case")
    answer = s.add_mutually_exclusive_group()
    answer.add_argument(
        "--accept-matches",
        action="store_true",
        help="treat every proposed match (IMO, name, alias) as the same",
    )
    answer.add_argument(
        "--keep-apart",
        action="store_true",
        help="add their actors, places and sources even where a match is proposed",
    )
    s.add_argument(
        "--dry-run", action="store_true", help="only list the proposed matches and what would be added"
    )
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db.case import open_case
    from caseboard.db.errors import CaseError
    from caseboard.db.merge_cases import apply_merge, plan_merge

    with open_case(args.case) as case:
        plan = plan_merge(case, args.other)
        added = ", ".join(f"{n} {t}" for t, n in plan.added.items()) or "nothing new"
        same = sum(1 for m in plan.matches if not m.needs_review)
        print(f"{args.other} (“{plan.other_title}”): adds {added}; {same} rows are the same by id")
        for m in plan.to_review:
            print(f"  proposed match: {m.describe()}")
        if args.dry_run:
            return 0
        if plan.to_review and not (args.accept_matches or args.keep_apart):
            raise CaseError(
                f"{len(plan.to_review)} proposed matches need an answer; nothing was merged. "
                "Give --accept-matches or --keep-apart."
            )
        plan.accept_all(bool(args.accept_matches))
        done = apply_merge(case, plan)
    print(f"Merged: {len(done)} rows written.")
    return 0
