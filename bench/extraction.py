"""Score ``caseboard ingest --json`` output against hand annotations.

Usage: ``python -m bench.extraction TEXTS_DIR TRUTH_DIR``. Each NAME.txt in TEXTS_DIR is paired with
NAME.json in TRUTH_DIR (the issue's JSON shape). Matching is one-to-one per kind:
quotes by exact text (whitespace collapsed, a trailing comma ignored) and speaker (by name or alias), actors by any shared name or
alias (case-insensitive), places by name (or alias), dates by event date as a day range (first and last day). Prints precision, recall and F1;
``--verbose`` adds one line of counts per report, ``--errors`` one line per spurious (+) or missed (-) item.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from caseboard.ingest.dates import _unit_bounds
from caseboard.ingest.readers import read_text
from caseboard.ingest.suggest import suggest, to_json

KINDS = ("quotes", "actors", "places", "dates")


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").strip()).casefold()


def _quote_norm(s: str | None) -> str:
    """A quote's words for matching. A trailing comma is ignored: it stands for the speaker's full stop
    before the attribution, and annotators differ on keeping it (our sets drop it, ../shared keeps it)."""
    return _norm(s).rstrip(",").rstrip()


def _days(value: str | None) -> tuple[str, str] | None:
    """A date as its first and last day, so "2023-12/2025-01-08" and "2023-12-01/2025-01-08" (the same
    period, written at different precisions) are the same date; None for no date or an unreadable one."""
    if not value:
        return None
    first, _, last = value.partition("/")
    try:
        a = _unit_bounds(first)[0]
        b = _unit_bounds(last or first)[1]
    except (ValueError, TypeError):
        return None
    return a.isoformat(), b.isoformat()


def _same_date(p: str | None, t: str | None) -> bool:
    dp, dt_ = _days(p), _days(t)
    return dp is not None and dp == dt_


def _names(item: dict) -> set[str]:
    return {_norm(n) for n in [item.get("name"), *item.get("aliases", [])] if n}


def _alias_groups(*actor_lists: Iterable[dict]) -> list[set[str]]:
    return [_names(a) for actors in actor_lists for a in actors]


def _same_speaker(a: str | None, b: str | None, groups: list[set[str]]) -> bool:
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    return na == nb or any(na in g and nb in g for g in groups)


def _match(pred: list, truth: list, same: Callable[[object, object], bool]) -> int:
    """Greedy one-to-one matching; returns the number of matched pairs."""
    used: set[int] = set()
    hits = 0
    for p in pred:
        for i, t in enumerate(truth):
            if i not in used and same(p, t):
                used.add(i)
                hits += 1
                break
    return hits


def score_one(pred: dict, truth: dict) -> dict[str, tuple[int, int, int]]:
    """(matched, predicted, true) counts per kind for one report."""
    groups = _alias_groups(truth.get("actors", []), pred.get("actors", []))
    out = {}
    pq, tq = pred.get("quotes", []), truth.get("quotes", [])
    out["quotes"] = (
        _match(
            pq,
            tq,
            lambda p, t: (
                _quote_norm(p["text"]) == _quote_norm(t["text"])
                and _same_speaker(p.get("speaker"), t.get("speaker"), groups)
            ),
        ),
        len(pq),
        len(tq),
    )
    pa, ta = pred.get("actors", []), truth.get("actors", [])
    out["actors"] = (_match(pa, ta, lambda p, t: bool(_names(p) & _names(t))), len(pa), len(ta))
    pp, tp = pred.get("places", []), truth.get("places", [])
    out["places"] = (
        _match(
            pp, tp, lambda p, t: bool(({_norm(p["name"]), _norm(p.get("gazetteer_name"))} - {""}) & _names(t))
        ),
        len(pp),
        len(tp),
    )
    pe, te = pred.get("events", []), truth.get("events", [])
    out["dates"] = (_match(pe, te, lambda p, t: _same_date(p["date"], t["date"])), len(pe), len(te))
    return out


def _unmatched(pred: list, truth: list, same: Callable[[object, object], bool]) -> tuple[list, list]:
    """The predictions and truths left over by the same greedy matching as ``_match``."""
    used: set[int] = set()
    extra = []
    for p in pred:
        for i, t in enumerate(truth):
            if i not in used and same(p, t):
                used.add(i)
                break
        else:
            extra.append(p)
    return extra, [t for i, t in enumerate(truth) if i not in used]


def differences(pred: dict, truth: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Per kind, (spurious predictions, missed truths) as short strings: what --errors prints."""
    groups = _alias_groups(truth.get("actors", []), pred.get("actors", []))
    same_quote = lambda p, t: (  # noqa: E731
        _quote_norm(p["text"]) == _quote_norm(t["text"])
        and _same_speaker(p.get("speaker"), t.get("speaker"), groups)
    )
    same_place = lambda p, t: bool(  # noqa: E731
        ({_norm(p["name"]), _norm(p.get("gazetteer_name"))} - {""}) & _names(t)
    )
    rules = {
        "quotes": (same_quote, lambda q: f"{q.get('speaker')}: {q['text'][:90]}"),
        "actors": (
            lambda p, t: bool(_names(p) & _names(t)),
            lambda a: f"{a['name']} ({a['kind']}) {a.get('aliases', [])}",
        ),
        "places": (same_place, lambda p: p["name"]),
        "dates": (
            lambda p, t: _same_date(p["date"], t["date"]),
            lambda e: f"{e['date']} {e.get('what', '')[:60]}",
        ),
    }
    key = {"quotes": "quotes", "actors": "actors", "places": "places", "dates": "events"}
    out = {}
    for kind, (same, show) in rules.items():
        extra, missed = _unmatched(pred.get(key[kind], []), truth.get(key[kind], []), same)
        out[kind] = ([show(x) for x in extra], [show(x) for x in missed])
    return out


def _prf(m: int, p: int, t: int) -> tuple[float, float, float]:
    prec = m / p if p else (1.0 if not t else 0.0)
    rec = m / t if t else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def evaluate(
    texts: Path, truths: Path, errors: dict[str, dict] | None = None
) -> tuple[dict[str, tuple[int, int, int]], dict[str, dict]]:
    """Totals per kind over the set, and per-report counts; ``errors`` (if given) collects the differences."""
    totals = {k: (0, 0, 0) for k in KINDS}
    per: dict[str, dict] = {}
    for txt in sorted(texts.glob("*.txt")):
        truth_path = truths / f"{txt.stem}.json"
        if not truth_path.exists():
            continue
        doc = read_text(txt.read_text(encoding="utf-8"))
        pred = to_json(suggest(doc.text, published=doc.published))
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        counts = score_one(pred, truth)
        per[txt.stem] = counts
        if errors is not None:
            errors[txt.stem] = differences(pred, truth)
        for k in KINDS:
            totals[k] = tuple(a + b for a, b in zip(totals[k], counts[k], strict=True))
    return totals, per


def format_table(totals: dict[str, tuple[int, int, int]], reports: int) -> str:
    lines = [
        f"{reports} reports",
        f"{'kind':<8} {'matched':>7} {'pred':>5} {'true':>5} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for k in KINDS:
        m, p, t = totals[k]
        prec, rec, f1 = _prf(m, p, t)
        lines.append(f"{k:<8} {m:>7} {p:>5} {t:>5} {prec:>6.3f} {rec:>6.3f} {f1:>6.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] in ("-h", "--help"):
        print("usage: python -m bench.extraction TEXTS_DIR TRUTH_DIR [--verbose] [--errors]", file=sys.stderr)
        return 2
    texts, truths = Path(args[0]), Path(args[1])
    if not texts.is_dir() or not truths.is_dir():
        print(
            f"bench.extraction: {texts if not texts.is_dir() else truths} is not a directory", file=sys.stderr
        )
        return 2
    errors: dict[str, dict] | None = {} if "--errors" in args else None
    totals, per = evaluate(texts, truths, errors)
    if errors:
        for name, kinds in errors.items():
            for kind, (extra, missed) in kinds.items():
                for x in extra:
                    print(f"{name:<24} {kind:<6} + {x}")
                for x in missed:
                    print(f"{name:<24} {kind:<6} - {x}")
    if "--verbose" in args:
        for name, counts in per.items():
            cells = "  ".join(f"{k} {m}/{p}/{t}" for k, (m, p, t) in counts.items())
            print(f"{name:<24} {cells}")
    print(format_table(totals, len(per)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
