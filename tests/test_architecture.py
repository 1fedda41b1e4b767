"""The layers the code promises (cli > gui > ingest > db; no Qt below gui; panels independent), checked."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "cli": "caseboard.cli",
    "gui": "caseboard.gui",
    "ingest": "caseboard.ingest",
    "db": "caseboard.db",
}


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed")
    r = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout and "0 broken" in r.stdout


def _imports() -> dict[str, set[str]]:
    """Every import of every module, including those inside functions (which import-linter also sees)."""
    mods: dict[str, Path] = {}
    for folder, ns in PACKAGES.items():
        for f in (ROOT / folder).rglob("*.py"):
            mods[
                ".".join([ns, *f.relative_to(ROOT / folder).with_suffix("").parts]).removesuffix(".__init__")
            ] = f
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        pkg = m if f.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = pkg.rsplit(".", node.level - 1)[0] if node.level > 1 else pkg
                    base = f"{parent}.{base}" if base else parent
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            for n in names:
                if n in mods and n != m:
                    edges[m].add(n)
    return edges


def test_no_import_circles() -> None:
    """Tarjan's strongly connected components over module imports; a package importing its own
    submodules from __init__ is not a circle unless a submodule imports the package back."""
    edges = _imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    assert circles == []


def test_sql_stays_in_db() -> None:
    """gui/ runs SQL only in the paging models that read a panel's own rows."""
    allowed = {"gui/panels/navigator.py", "gui/panels/quotes.py"}
    offenders = [
        str(f.relative_to(ROOT))
        for f in (ROOT / "gui").rglob("*.py")
        if ".execute(" in f.read_text(encoding="utf-8") and str(f.relative_to(ROOT)) not in allowed
    ]
    assert offenders == [], f"SQL in gui/ outside a panel's paging model: {offenders} (put the query in db/)"
