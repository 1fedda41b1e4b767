"""The background-operation API alone: newest answer only, interrupted reads, failures and progress."""

from __future__ import annotations

import threading

import pytest

from caseboard.gui.workers import Worker, wait_for_all

#: A read SQLite would take minutes over: only an interrupt ends it early.
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.fixture
def worker(qapp):
    w = Worker()
    yield w
    w.cancel()
    wait_for_all(10000)


def _settle(qtbot) -> None:
    assert wait_for_all(10000)
    qtbot.wait(20)  # deliver the queued answers


def test_only_the_newest_answer_is_delivered(worker, qtbot) -> None:
    got, failed = [], []
    worker.finished.connect(got.append)
    worker.failed.connect(failed.append)
    release, running = threading.Event(), threading.Event()

    def old(job):
        running.set()
        release.wait(10)
        return "old"

    worker.start(old)
    assert running.wait(10)  # still running when replaced: it finishes, and its answer is dropped
    worker.start(lambda job: "new")
    release.set()
    _settle(qtbot)
    assert got == ["new"] and failed == []
    assert worker.started == 2 and worker.dropped == 1
    assert not worker.busy


def test_a_replaced_read_is_interrupted(worker, case, qtbot) -> None:
    got, failed = [], []
    worker.finished.connect(got.append)
    worker.failed.connect(failed.append)
    worker.submit(case, lambda conn: conn.execute(ENDLESS).fetchone())
    qtbot.waitUntil(lambda: worker._conn is not None, timeout=5000)  # the query is running
    worker.submit(case, lambda conn: conn.execute("SELECT count(*) FROM actors").fetchone()[0])
    _settle(qtbot)  # returns only because the endless read was interrupted
    assert got == [18] and failed == []


def test_cancel_stops_a_read_and_delivers_nothing(worker, case, qtbot) -> None:
    got, failed = [], []
    worker.finished.connect(got.append)
    worker.failed.connect(failed.append)
    worker.submit(case, lambda conn: conn.execute(ENDLESS).fetchone())
    qtbot.waitUntil(lambda: worker._conn is not None, timeout=5000)
    worker.cancel()
    _settle(qtbot)
    assert got == [] and failed == [] and not worker.busy


def test_failures_reach_the_callback_with_their_message(qapp, qtbot) -> None:
    messages = []
    w = Worker(on_failure=messages.append)

    def broken(job):
        raise ValueError("no such shipment")

    w.start(broken)
    _settle(qtbot)
    assert messages and messages[0].splitlines()[0] == "no such shipment"


def test_progress_of_the_current_run_and_cooperative_cancel(qapp, qtbot) -> None:
    steps, results = [], []
    w = Worker(on_result=results.append, on_progress=lambda d, t, m: steps.append((d, t, m)))
    seen_cancel = threading.Event()
    go_on = threading.Event()

    def long(job):
        job.progress(1, 3, "first")
        go_on.wait(10)
        if job.cancelled():
            seen_cancel.set()
            return "stale"
        return "done"

    w.start(long)
    qtbot.waitUntil(lambda: steps == [(1, 3, "first")], timeout=5000)
    w.start(lambda job: "second")
    go_on.set()
    _settle(qtbot)
    assert seen_cancel.is_set()
    assert results == ["second"]
