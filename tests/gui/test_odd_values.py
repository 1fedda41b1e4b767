"""One odd value in any column of the demo case never crashes the command line, the PDF or the window.

A file from elsewhere can pass SQLite's own checks and still hold a BLOB where text belongs, text in a day-number
column, an inverted EDTF range or a number out of range. The columns come from the schema itself, so tables that
later migrations add are covered without editing this test.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from caseboard.cli import main
from caseboard.db.case import open_case
from caseboard.db.errors import CaseError


def _columns(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%' AND name != '_sqlite_migrations'"
            )
        ]
        return [(t, r[1]) for t in tables for r in conn.execute(f'PRAGMA table_info("{t}")')]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    from caseboard.db.demo import write_demo

    path = tmp_path_factory.mktemp("odd") / "demo.case"
    write_demo(path).close()
    return path


ODD = st.one_of(
    st.none(),
    st.binary(min_size=1, max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2023-09-08/2023-09-07",  # an inverted EDTF range
            "2023-13-45",
            "<img src='/etc/hostname'><b>bold</b>",
            "[1, 2, {}]",
            "not json",
            "-1",
            " ",
        ]
    ),
)


def _write(src: Path, dst: Path, table: str, column: str, value: object, pick: int) -> None:
    """``value`` into one row of ``table`` (the file stays one SQLite accepts: CHECKs hold, else the example is
    dropped), with no side files left beside the copy."""
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        n = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if n == 0:
            reject()
        conn.execute(
            f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = (SELECT rowid FROM "{table}" LIMIT 1 OFFSET ?)',
            [value, pick % n],
        )
        conn.commit()
    except sqlite3.Error:
        conn.close()
        reject()
    conn.close()


def _one_line(err: str) -> None:
    assert err.count("\n") <= 1 and "Traceback" not in err, err


def _exercise_window(window, qtbot, path: Path) -> None:
    """Open the case and use every panel the way a reader would: lists, quotes search, each item selected."""
    from caseboard.gui.workers import wait_for_all

    assert window.open_path(path) or True
    case = window.case
    if case is None:
        return
    wait_for_all(5000)
    quotes = window.panels["quotes"]
    for term in ("a", "Kirby", "munitions"):
        quotes.search_edit.setText(term)
        qtbot.wait(5)
    wait_for_all(5000)
    from PySide6.QtCore import QModelIndex, Qt

    view = quotes.view
    for r in range(quotes.model.rowCount()):
        idx = quotes.model.index(r, 0)
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole + 1):
            quotes.model.data(idx, role)
        view.sizeHintForIndex(idx)
    view.viewport().grab()
    for table in ("actors", "places", "events", "statements", "sources", "shipments"):
        ids = [r[0] for r in case.conn.execute(f"SELECT id FROM {table} LIMIT 5")]
        for row_id in ids:
            if isinstance(row_id, str):
                window.selection.select_item(table, row_id)
    window.selection.clear()
    wait_for_all(5000)
    window.grab()
    assert quotes.model.rowCount(QModelIndex()) >= 0


_WINDOWS: dict[int, object] = {}


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
    ],
)
@given(data=st.data())
def test_one_odd_value_anywhere_never_crashes(
    demo_path: Path, tmp_path: Path, make, qtbot, capsys, data
) -> None:
    table, column = data.draw(st.sampled_from(_columns(demo_path)), label="column")
    value = data.draw(ODD, label="value")
    pick = data.draw(st.integers(min_value=0, max_value=50), label="row")
    odd = tmp_path / "odd.case"
    for side in ("-wal", "-shm", "-lock"):
        Path(f"{odd}{side}").unlink(missing_ok=True)
    _write(demo_path, odd, table, column, value, pick)
    try:
        open_case(odd, readonly=True).close()
    except CaseError:
        # SQLite's own checks refused the file: then every command says so in one line
        assert main(["info", str(odd)]) == 2
        _one_line(capsys.readouterr().err)
        return
    for argv in (
        ["info", str(odd)],
        ["info", str(odd), "--json"],
        ["search", str(odd), "Kirby"],
        ["search", str(odd), "munitions OR rail"],
        ["export", str(odd), "-o", str(tmp_path / "odd.pdf")],
    ):
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (0, 2), (argv, code, err)
        _one_line(err)
    window = _WINDOWS.get(id(make)) or _WINDOWS.setdefault(
        id(make), make(None)
    )  # one window for all examples
    _exercise_window(window, qtbot, odd)
    window.close_case()


def test_blob_statement_text_shows_unreadable_in_the_quotes(
    make, qtbot, demo_path: Path, tmp_path: Path
) -> None:
    """The reported crash: a statement whose text is a BLOB, and typing in the quotes search."""
    from caseboard.db.values import UNREADABLE
    from caseboard.gui.workers import wait_for_all

    odd = tmp_path / "blob.case"
    shutil.copyfile(demo_path, odd)
    conn = sqlite3.connect(odd)
    conn.execute("UPDATE statements SET text = X'41ff4210' WHERE rowid = 1")
    conn.commit()
    conn.close()
    window = make(odd)
    quotes = window.panels["quotes"]
    for term in ("K", "Ki", "Kirby", ""):
        quotes.search_edit.setText(term)
        qtbot.wait(20)
        wait_for_all(5000)
        for r in range(quotes.model.rowCount()):
            quotes.view.sizeHintForIndex(quotes.model.index(r, 0))
    texts = [quotes.model.row(r).text for r in range(quotes.model.rowCount())]
    assert UNREADABLE in texts
    assert main(["export", str(odd), "-o", str(tmp_path / "o.pdf")]) == 0
