"""Hardening, concurrency: one writer per session across processes and app instances,
`goodwork export` while the app writes notes, readers while a writer writes.

Already proven elsewhere (not repeated): two SessionStore objects in one process (the
second is read-only until the first closes) and a lock held by another process
(tests/test_session_store.py: test_second_open_is_read_only_until_the_first_closes,
test_explicit_read_only_open_does_not_block_a_writer,
test_lock_held_by_another_process_gives_read_only); the app read-only beside another
holder in the same process (tests/test_ui_session.py:
test_a_session_open_elsewhere_is_read_only_and_never_written).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from child_process import child_env
from hardening_helpers import starter_workspace
from textual.widgets import Input
from ui_helpers import WIDE, make_app, ready
from workspace_helpers import ROOT

from goodwork_tui.core.harvest import export
from goodwork_tui.core.session_store import ReadOnlyError, SessionError, SessionStore

FORMAT = {"id": "f", "title": "F", "rounds": [{"title": "One", "minutes": 5, "prompt": "p",
                                                "kinds": ["insight"]}]}


def make_session(sessions: Path, notes: int = 2) -> Path:
    with SessionStore.create(sessions, title="Shared", format=FORMAT,
                             participants=[{"name": "Anna", "consent": True}]) as store:
        for n in range(notes):
            store.add_note(f"before {n}", round=0)
        return store.path


def notes_on_disk(path: Path) -> list[str]:
    data = json.loads(path.read_bytes())
    return [n["text"] for n in sorted(data.get("notes", {}).values(), key=lambda n: n["seq"])]


# ---------------------------------------------------------------- many processes, one file

RACER = """
import os, sys
from pathlib import Path
from goodwork_tui.core.session_store import ReadOnlyError, SessionStore

path, go, done, me = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print("ready", flush=True)
os.read(go, 1)  # the barrier: returns for all at once when the parent closes the pipe
store = SessionStore.open(path)
print("writable" if not store.read_only else "read-only", flush=True)
written = refused = 0
for n in range(25):
    try:
        store.add_note(f"{me} {n}", round=0)
        written += 1
    except ReadOnlyError:
        refused += 1
os.read(done, 1)  # hold the lock until every racer has opened the file
store.close()
print(written, refused, flush=True)
"""


class Barrier:
    """Releases child processes at one moment: each waits in a read on a pipe it was
    given; closing the write end wakes them all at once. `fds` go on each child's command
    line and in Popen's pass_fds."""

    def __init__(self) -> None:
        self.read, self.write = os.pipe()

    @property
    def fd(self) -> int:
        return self.read

    def started(self) -> None:
        os.close(self.read)  # the children have their copies

    def release(self) -> None:
        os.close(self.write)


def start_children(script: str, args_of, count: int,  # noqa: ANN001 - args_of(i) -> list
                   barriers: list[Barrier]) -> list[subprocess.Popen]:
    """Start `count` children of `script` and wait until each has said "ready" (imports
    done, waiting at the first barrier)."""
    children = [subprocess.Popen([sys.executable, "-c", script, *args_of(i)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=child_env(), cwd=ROOT,
                                 pass_fds=tuple(b.fd for b in barriers))
                for i in range(count)]
    for barrier in barriers:
        barrier.started()
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "ready\n", (line, child.stderr.read() if child.stderr else "")
    return children


def race_once(folder: Path, processes: int) -> tuple[int, list[str]]:
    path = make_session(folder)
    go, done = Barrier(), Barrier()
    children = start_children(RACER, lambda i: [str(path), str(go.fd), str(done.fd), f"c{i}"],
                              processes, [go, done])
    go.release()  # all race for the lock now
    modes = []
    for child in children:
        assert child.stdout is not None
        modes.append(child.stdout.readline().strip())
    done.release()  # everyone has opened: the writer may let go
    results = []
    for child, mode in zip(children, modes, strict=True):
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err[-800:]
        written, refused = map(int, out.split("\n")[0].split())
        results.append((mode, written, refused))
    writers = [r for r in results if r[0] == "writable"]
    texts = notes_on_disk(path)
    problems = []
    if len(writers) > 1:
        problems.append(f"{len(writers)} writers at once")
    stored = len(texts) - 2
    if stored != sum(r[1] for r in results):
        problems.append(f"{sum(r[1] for r in results)} acknowledged, {stored} stored")
    if texts[:2] != ["before 0", "before 1"]:
        problems.append("lost the notes from before")
    return len(writers), problems


def check_race(rounds: int, processes: int, tmp_path: Path) -> None:
    outcomes = [race_once(tmp_path / f"r{n}", processes) for n in range(rounds)]
    problems = [p for _, ps in outcomes for p in ps]
    lone = sum(1 for writers, _ in outcomes if writers == 1)
    print(f"RELIABILITY lock race: {rounds} rounds of {processes} processes opening one "
          f"session at once, {lone} with exactly one writer, {len(problems)} problems")
    assert problems == []
    # usually one of them wins; zero writers would mean a lock nobody got (never seen)
    assert lone == rounds


def test_processes_racing_for_one_session_get_one_writer(tmp_path: Path) -> None:
    check_race(2, 5, tmp_path)


@pytest.mark.slow
def test_processes_racing_for_one_session_many_times(tmp_path: Path) -> None:
    check_race(40, 8, tmp_path)


CREATOR = """
import os, sys
from datetime import date
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

folder, go, me = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
print("ready", flush=True)
os.read(go, 1)  # the barrier: all start together
for n in range(int(sys.argv[4])):
    with SessionStore.create(folder, title="Same title", on=date(2024, 5, 1)) as store:
        store.add_note(f"{me} {n}", round=0)
        print(store.path.name, flush=True)
"""


def test_processes_creating_sessions_with_one_title_never_share_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    go = Barrier()
    children = start_children(CREATOR, lambda i: [str(folder), str(go.fd), f"c{i}", "8"], 5,
                              [go])
    go.release()
    names = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err[-800:]
        names += out.split()
    assert len(names) == len(set(names)) == 40
    owners = {}
    for name in names:
        texts = notes_on_disk(folder / name)
        assert len(texts) == 1, (name, texts)
        owners[name] = texts[0]
    assert len(set(owners.values())) == 40
    print("RELIABILITY concurrent creation: 5 processes x 8 sessions with one title, "
          "40 distinct files, each with its own note")


# ---------------------------------------------------------------- the app and another process

SECOND_APP = """
import asyncio, sys
from pathlib import Path
from textual.widgets import Input
from ui_helpers import make_app, ready

async def main():
    app = make_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        store = app.sessions.open_file(Path(sys.argv[2]))
        await pilot.pause()
        note_input = app.main.query_one("#note-input", Input)
        note_input.value = "from the second app"
        await pilot.press("enter")
        await pilot.press("f10", "f8")
        print("read-only" if store.read_only else "writable", note_input.disabled,
              app.is_running, flush=True)

asyncio.run(main())
"""

OTHER_PROCESS = """
import sys
from pathlib import Path
from goodwork_tui.core.session_store import ReadOnlyError, SessionStore

with SessionStore.open(Path(sys.argv[1])) as store:
    try:
        store.add_note("from another process", round=0)
        print("written")
    except ReadOnlyError:
        print("refused", len(store.notes()))
"""


async def test_a_second_app_and_another_process_get_the_session_read_only(
        workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        store = app.sessions.open_file(path)
        assert store is not None and not store.read_only
        note_input = app.main.query_one("#note-input", Input)
        note_input.value = "from the first app"
        await pilot.press("enter")
        before = path.read_bytes()

        other = subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path)],
                               capture_output=True, text=True, env=child_env(), cwd=ROOT,
                               timeout=120)
        assert other.stdout.split() == ["refused", "3"], other.stderr[-800:]
        second = subprocess.run([sys.executable, "-c", SECOND_APP, str(workspace_dir),
                                 str(path)], capture_output=True, text=True, env=child_env(),
                                cwd=ROOT, timeout=120)
        assert second.stdout.split() == ["read-only", "True", "True"], second.stderr[-1500:]
        assert path.read_bytes() == before  # neither wrote a byte

        note_input.value = "the first app goes on"
        await pilot.press("enter")
    assert notes_on_disk(path) == ["before 0", "before 1", "from the first app",
                                   "the first app goes on"]


# ---------------------------------------------------------------- export while writing


@dataclass
class Exports:
    runs: int = 0
    torn: list[str] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)


def count_notes(path: Path) -> int:
    for _ in range(100):  # the file is replaced atomically: a read never sees half
        try:
            return len(json.loads(path.read_bytes()).get("notes", {}))
        except FileNotFoundError:
            time.sleep(0.001)
    raise AssertionError("the session file kept disappearing")


def markdown_notes(text: str) -> int:
    """The note count the export states, checked against the notes it lists per round."""
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    counts = yaml.safe_load(front)["counts"]
    per_round = body.split("\n## ", 2)
    listed = sum(1 for line in body.split("\n") if line.startswith("- "))
    assert listed == counts["notes"], (listed, counts, len(per_round))
    return counts["notes"]


def export_loop(workspace: Path, path: Path, stop: threading.Event, result: Exports,
                limit: int) -> None:
    while not stop.is_set() and result.runs < limit:
        before = count_notes(path)
        done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace",
                               str(workspace), "export", path.stem, "-o", "-"],
                              capture_output=True, env=child_env(), cwd=ROOT, timeout=120)
        after = count_notes(path)
        result.runs += 1
        try:
            assert done.returncode == 0, done.stderr.decode()[-300:]
            exported = markdown_notes(done.stdout.decode("utf-8"))
        except Exception as error:  # noqa: BLE001 - collected for the report
            result.torn.append(repr(error)[:300])
            continue
        if not before <= exported <= after:
            result.out_of_range.append(f"{before} <= {exported} <= {after}")


async def run_export_while_writing(workspace: Path, exports: int) -> Exports:
    path = make_session(workspace / "sessions", notes=0)
    result = Exports()
    stop = threading.Event()
    app = make_app(workspace)
    written = 0
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        note_input = app.main.query_one("#note-input", Input)
        worker = threading.Thread(target=export_loop,
                                  args=(workspace, path, stop, result, exports))
        worker.start()
        try:
            while worker.is_alive():
                note_input.value = f"note {written} [/] x" + "x" * (written % 200)
                await pilot.press("enter")
                assert note_input.value == "", "a note was not saved"
                written += 1
        finally:
            stop.set()
            worker.join(timeout=120)
    texts = notes_on_disk(path)
    assert texts == [f"note {n} [/] x" + "x" * (n % 200) for n in range(written)], \
        "a write was lost"
    print(f"RELIABILITY export while writing: {result.runs} `goodwork export` runs while the "
          f"app saved {written} notes, {len(result.torn)} torn or failed exports, "
          f"{len(result.out_of_range)} counts outside before/after")
    return result


async def test_goodwork_export_while_the_app_writes_notes(workspace_dir: Path) -> None:
    result = await run_export_while_writing(workspace_dir, 5)
    assert result.torn == [] and result.out_of_range == []


@pytest.mark.slow
async def test_goodwork_export_while_the_app_writes_notes_long_run(workspace_dir: Path) -> None:
    result = await run_export_while_writing(workspace_dir, 150)
    assert result.torn == [] and result.out_of_range == []


WRITER = """
import sys
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

store = SessionStore.open(Path(sys.argv[1]))
print("ready", flush=True)
for n in range(int(sys.argv[2])):
    store.add_note(f"fast {n}", round=0, kind="insight")
    store.vote(store.notes()[-1]["id"], 1)
store.close()
"""


def reads_while_a_process_writes(tmp_path: Path, notes: int) -> dict[str, Any]:
    path = make_session(tmp_path, notes=0)
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(notes)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=child_env(), cwd=ROOT)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    reads, failures, previous = 0, [], 0
    while child.poll() is None:
        try:
            with SessionStore.open(path, read_only=True) as store:
                meta, notes_now = store.meta, store.notes()
            count = markdown_notes(export(meta, notes_now))
            if count < previous:
                failures.append(f"went back from {previous} to {count}")
            previous = count
        except (SessionError, ReadOnlyError, AssertionError, ValueError) as error:
            failures.append(repr(error)[:200])
        reads += 1
    assert child.wait() == 0, child.stderr.read() if child.stderr else ""
    assert len(notes_on_disk(path)) == notes
    return {"reads": reads, "failures": failures}


def test_readers_never_see_a_torn_file(tmp_path: Path) -> None:
    result = reads_while_a_process_writes(tmp_path, 150)
    print(f"RELIABILITY reads while writing: {result['reads']} reads + exports while another "
          f"process wrote 300 changes, {len(result['failures'])} torn or going back")
    assert result["failures"] == []
    assert result["reads"] > 20


@pytest.mark.slow
def test_readers_never_see_a_torn_file_long_run(tmp_path: Path) -> None:
    result = reads_while_a_process_writes(tmp_path, 3000)
    print(f"RELIABILITY reads while writing (slow): {result['reads']} reads + exports while "
          f"another process wrote 6000 changes, {len(result['failures'])} torn or going back")
    assert result["failures"] == []


def test_starter_workspace_helper_is_usable(tmp_path: Path) -> None:
    root = starter_workspace(tmp_path / "ws")
    assert (root / "library" / "tags.yaml").is_file() and (root / "sessions").is_dir()
