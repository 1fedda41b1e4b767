"""``caseboard search CASE QUERY``: full-text search of statements, with speaker, date and source."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("search", help="full-text search of a case's statements")
    s.add_argument("case")
    s.add_argument("query")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=50)
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db import crud, search
    from caseboard.db.case import open_case

    with open_case(args.case, readonly=True) as case:
        result = search.search_table(case.conn, "statements", args.query, limit=args.limit)
        rows = []
        for sid in result.ids:
            st = crud.get(case, "statements", sid)
            speaker = crud.get(case, "actors", st.speaker_id).name if st.speaker_id else ""
            src = crud.get(case, "sources", st.source_id) if st.source_id else None
            rows.append(
                {
                    "id": st.id,
                    "text": st.text,
                    "kind": st.kind,
                    "speaker": speaker,
                    "said": st.said.edtf() if st.said else None,
                    "said_display": st.said.display() if st.said else "undated",
                    "source": src.title if src else None,
                    "source_label": src.label if src else None,
                    "reliability": src.reliability if src else None,
                }
            )
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "total": result.total, "ranked": result.ranked, "statements": rows},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(f"No statements match {args.query!r}.")
        return 0
    for r in rows:
        mark = "\u201c" + r["text"] + "\u201d" if r["kind"] == "quote" else "(paraphrase) " + r["text"]
        print(mark)
        src = (
            f"{r['source_label'] + ' ' if r['source_label'] else ''}{r['source']} [{r['reliability']}]"
            if (r["source"])
            else "no source"
        )
        print(f"    \u2014 {r['speaker'] or 'unknown speaker'}, {r['said_display']}; source: {src}")
    if not result.ranked:
        print(f"(more than {search.RANK_CAP} matches: newest shown first; refine the query to rank them)")
    return 0
