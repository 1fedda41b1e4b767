"""An editing process killed with SIGKILL at random moments never leaves a damaged file or loses a reported edit.

Each round forks a child that opens the case and edits as fast as it can (adds, updates, cascading deletes, each
one transaction), writing the id of every edit the db layer reported done to a pipe. The parent kills it after a
random delay, then checks ``PRAGMA integrity_check`` and that every reported edit is in the file.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from caseboard.db.case import create_case, open_case

ROUNDS = 200
TIME_BUDGET_S = 120


def _child(path: Path, write_fd: int, seed: int) -> None:
    from caseboard.db import actors, events, statements

    rnd = random.Random(seed)
    case = open_case(path)
    out = os.fdopen(write_fd, "w", buffering=1)
    n = 0
    while True:
        n += 1
        op = rnd.random()
        if op < 0.5:
            ch = actors.add_actor(case, name=f"Actor {seed}-{n}", kind="person", aliases=[f"A{n}"])
            out.write(f"actor {ch.row_id} {ch.new['name']}\n")
        elif op < 0.8:
            ch = events.add_event(case, title=f"Event {seed}-{n}", date="2023-09-07/2023-09-08")[0]
            out.write(f"event {ch.row_id} {ch.new['title']}\n")
        elif op < 0.9:
            ch = statements.add_statement(case, text=f"Statement {seed}-{n} " + "word " * rnd.randint(1, 200))
            out.write(f"statement {ch.row_id} x\n")
        else:
            row = case.conn.execute("SELECT id FROM actors ORDER BY random() LIMIT 1").fetchone()
            if row:
                ch = actors.update_actor(case, row[0], description=f"edited {seed}-{n}")
                out.write(f"update {row[0]} edited {seed}-{n}\n")


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_sigkill_never_corrupts_or_loses_reported_edits(tmp_path: Path) -> None:
    path = tmp_path / "crash.case"
    create_case(path, title="Crash test").close()
    rnd = random.Random(20231013)
    started = time.monotonic()
    kills = 0
    reported: list[str] = []
    while kills < ROUNDS and time.monotonic() - started < TIME_BUDGET_S:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(r)
            try:
                _child(path, w, kills)
            finally:
                os._exit(0)
        os.close(w)
        time.sleep(rnd.uniform(0.005, 0.150))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(r) as fh:
            lines = fh.read().splitlines()
        # A line cut by the kill was not fully reported: only complete lines count.
        reported.extend(line for line in lines if line.count(" ") >= 2)
        kills += 1
        with open_case(path) as case:
            assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert not case.readonly, case.readonly_reason  # the dead child's lock is gone
    assert kills >= 50, f"only {kills} kills within the time budget"
    with open_case(path) as case:
        missing = []
        for line in reported:
            kind, row_id, value = line.split(" ", 2)
            if kind == "actor":
                got = case.conn.execute("SELECT name FROM actors WHERE id = ?", [row_id]).fetchone()
                ok = got is not None and got[0] == value
            elif kind == "event":
                got = case.conn.execute("SELECT title FROM events WHERE id = ?", [row_id]).fetchone()
                ok = got is not None and got[0] == value
            elif kind == "statement":
                ok = (
                    case.conn.execute("SELECT 1 FROM statements WHERE id = ?", [row_id]).fetchone()
                    is not None
                )
            else:
                got = case.conn.execute(
                    "SELECT 1 FROM history WHERE table_name='actors' AND row_id = ? AND new LIKE ?",
                    [row_id, f"%{value}%"],
                ).fetchone()
                ok = got is not None
            if not ok:
                missing.append(line)
        assert not missing, f"{len(missing)} reported edits lost, e.g. {missing[:3]}"
        assert len(reported) > kills  # the children really did edit between kills
