"""Kill -9 a process while it is adding notes: the file always loads, no acknowledged note is lost.

A child process opens (or creates) a session and adds notes in a loop, printing each note's
id only after `add_note` returned: that is the acknowledgement the app gives the user. The
parent kills it with SIGKILL at a random moment and then checks the file: it must load, and
its notes must be the attempted sequence cut off somewhere after the last acknowledged note
(at most one more: the note being written when the kill came).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from child_process import child_env
from workspace_helpers import ROOT

from goodwork_tui.core.session_store import SessionStore, list_sessions

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

NAME = "2024-05-01-crash.json"
PREFILLED = 25
SEED = 20240501

# Imports only the core: the child must be adding notes well within the kill window.
CHILD = """
import sys
from datetime import date
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

sessions, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "create":
    store = SessionStore.create(sessions, title="crash", on=date(2024, 5, 1),
                                format={"title": "f", "rounds": [{"title": "r"}] * 3})
else:
    store = SessionStore.open(sessions / "2024-05-01-crash.json")
    assert not store.read_only
print("ready", flush=True)
i = 0
while True:
    note = store.add_note(f"note {i}", round=i % 3, kind="insight", speaker="kill -9")
    print(note["id"], i, flush=True)
    i += 1
"""


@dataclass
class Outcome:
    run: int
    mode: str
    delay: float
    acked: list[str] = field(default_factory=list)
    stored: int = 0
    problem: str = ""


def prefill(sessions: Path) -> list[str]:
    with SessionStore.create(sessions, title="crash", on=date(2024, 5, 1),
                             format={"title": "f", "rounds": [{"title": "r"}] * 3}) as store:
        assert store.path.name == NAME
        return [store.add_note(f"before {i}", round=0)["id"] for i in range(PREFILLED)]


def kill_one(run: int, mode: str, delay: float, sessions: Path) -> Outcome:
    outcome = Outcome(run, mode, delay)
    before = prefill(sessions) if mode == "open" else []
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sessions), mode],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=child_env(), cwd=ROOT)
    # every other run counts the delay from "ready": on a loaded machine the start alone
    # can outlast the delay, and the kills must still come while notes are written
    first = child.stdout.readline() if run % 2 and child.stdout is not None else b""
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    stdout, stderr = child.communicate(timeout=30)
    stdout = first + stdout
    if child.returncode != -signal.SIGKILL:
        outcome.problem = f"child ended by itself ({child.returncode}): {stderr.decode()[-500:]}"
        return outcome

    # Only whole lines count: a line is printed (and flushed) after add_note returned.
    lines = stdout.decode().split("\n")[:-1]
    ready = bool(lines) and lines[0] == "ready"
    outcome.acked = [line.split()[0] for line in lines[1:]]
    assert [int(line.split()[1]) for line in lines[1:]] == list(range(len(outcome.acked)))

    path = sessions / NAME
    if not path.exists():
        if ready or outcome.acked or before:
            outcome.problem = "lost: the session file is gone"
        return outcome
    try:
        with path.open(encoding="utf-8") as handle:
            json.load(handle)
        with SessionStore.open(path) as store:
            writable = not store.read_only
            notes = store.notes()
    except Exception as error:  # noqa: BLE001 - counted, not raised
        outcome.problem = f"unreadable: {error}"
        return outcome
    if not writable:
        outcome.problem = "the killed process left the session locked"
        return outcome
    if [note["id"] for note in notes[: len(before)]] != before:
        outcome.problem = "lost: notes from before the child started"
        return outcome
    added = notes[len(before):]
    outcome.stored = len(added)
    if [note["text"] for note in added] != [f"note {i}" for i in range(len(added))]:
        outcome.problem = "not a prefix of the attempted notes"
    elif [note["id"] for note in added[: len(outcome.acked)]] != outcome.acked:
        outcome.problem = f"lost: {len(outcome.acked)} acknowledged, {len(added)} stored"
    elif len(added) > len(outcome.acked) + 1:
        outcome.problem = f"{len(added) - len(outcome.acked)} notes more than acknowledged"
    elif [note["seq"] for note in notes] != list(range(1, len(notes) + 1)):
        outcome.problem = "seq is not 1, 2, 3, ..."
    elif any(summary.problem for summary in list_sessions(sessions)):
        outcome.problem = "the sessions list shows a broken file"
    return outcome


def kill_many(runs: int, tmp_path: Path) -> list[Outcome]:
    rng = random.Random(SEED + runs)
    outcomes = []
    for run in range(runs):
        mode = "create" if run % 2 == 0 else "open"
        sessions = tmp_path / f"run-{run}" / "sessions"
        sessions.mkdir(parents=True)
        outcomes.append(kill_one(run, mode, rng.uniform(0.0, 0.3), sessions))
    return outcomes


def check(outcomes: list[Outcome]) -> None:
    unreadable = [o for o in outcomes if o.problem.startswith("unreadable")]
    lost = [o for o in outcomes if o.problem.startswith("lost")]
    other = [o for o in outcomes if o.problem and o not in unreadable and o not in lost]
    report = "\n".join(f"run {o.run} ({o.mode}, kill after {o.delay * 1000:.0f} ms, "
                       f"{len(o.acked)} acknowledged, {o.stored} stored): {o.problem}"
                       for o in outcomes if o.problem)
    assert (len(unreadable), len(lost), len(other)) == (0, 0, 0), report
    # the test means something only if most kills came while notes were being written
    busy = [o for o in outcomes if o.acked]
    assert len(busy) >= len(outcomes) // 2, f"only {len(busy)} runs acknowledged a note"
    assert sum(len(o.acked) for o in outcomes) >= 5 * len(outcomes)


def test_kill_during_add_note(tmp_path: Path) -> None:
    started = time.monotonic()
    check(kill_many(50, tmp_path))
    assert time.monotonic() - started < 60


@pytest.mark.slow
def test_kill_during_add_note_many_times(tmp_path: Path) -> None:
    check(kill_many(250, tmp_path))
