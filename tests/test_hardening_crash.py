"""Hardening, crashes: SIGKILL at random moments during harvest edits, during session
creation, and while the real app (driven by Pilot in a child process) saves notes.

Kills during `add_note` through the store are tests/test_crash.py (50 in the default run,
250 with -m slow). Every run here checks the same two numbers: files that no longer load
(must be 0) and acknowledged changes that are not in the file (must be 0). A change is
acknowledged when the child has printed it, which it does only after the store returned.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from child_process import child_env
from workspace_helpers import ROOT

from goodwork_tui.core.session_store import SessionStore, list_sessions

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SEED = 20260314
NOTES = 6


@dataclass
class Run:
    number: int
    delay: float
    acked: int = 0
    stored: int = -1  # the step the file holds, -1 when unknown
    problem: str = ""
    extra: dict = field(default_factory=dict)


def summary(name: str, runs: list[Run]) -> str:
    unreadable = sum(1 for r in runs if r.problem.startswith("unreadable"))
    lost = sum(1 for r in runs if r.problem.startswith("lost"))
    other = sum(1 for r in runs if r.problem and not r.problem.startswith(("unreadable", "lost")))
    busy = sum(1 for r in runs if r.acked)
    acked = sum(r.acked for r in runs)
    line = (f"RELIABILITY {name}: {len(runs)} kills, {busy} while changes were being "
            f"acknowledged, {acked} changes acknowledged, {unreadable} unreadable files, "
            f"{lost} runs lost an acknowledged change, {other} other problems")
    print(line)
    return line


def check(name: str, runs: list[Run], *, min_busy: float = 0.5) -> None:
    line = summary(name, runs)
    report = "\n".join(f"run {r.number} (kill after {r.delay * 1000:.0f} ms, {r.acked} acked, "
                       f"file at step {r.stored}): {r.problem}" for r in runs if r.problem)
    assert not report, f"{line}\n{report}"
    busy = sum(1 for r in runs if r.acked)
    assert busy >= len(runs) * min_busy, f"only {busy} of {len(runs)} kills came while busy"


def kill(child: subprocess.Popen, delay: float, *, from_ready: bool = False) -> list[str]:
    """Kill -9 after `delay` seconds; the whole lines the child printed before dying.

    With `from_ready`, the delay counts from the child's "ready" line, so that the kill
    comes while it works however long its start took (a loaded machine); without, from
    the start, so that kills also come during the start itself."""
    first = b""
    if from_ready:
        assert child.stdout is not None
        first = child.stdout.readline()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    stdout, stderr = child.communicate(timeout=60)
    if child.returncode != -signal.SIGKILL:
        raise AssertionError(f"child ended by itself ({child.returncode}): "
                             f"{stderr.decode(errors='replace')[-800:]}")
    return (first + stdout).decode().split("\n")[:-1]


# ---------------------------------------------------------------- harvest edits

# Step i of the child's loop (one store call each); `harvest_after(n)` is the harvest
# after the first n steps.
HARVEST_CHILD = """
import sys
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

store = SessionStore.open(Path(sys.argv[1]))
assert not store.read_only
ids = [note["id"] for note in store.notes()]
themes, actions = [], []
print("ready", flush=True)
i = 0
while True:
    step = i % 7
    note = ids[i % len(ids)]
    if step == 0:
        themes.append(store.add_theme(f"theme {i}"))
    elif step == 1:
        store.vote(note, 1)
    elif step == 2:
        store.set_note_theme(note, themes[-1])
    elif step == 3:
        store.set_takeaways(f"take-aways after step {i}\\n\\n" + "x" * (i % 50))
    elif step == 4:
        actions.append(store.add_action(f"action {i}", owner="Anna", review="2026-04-01"))
    elif step == 5:
        store.star_note(note, (i // 7) % 2 == 0)
    else:
        store.update_action(actions[-1], text=f"action {i - 2} edited at {i}")
    print(i, flush=True)
    i += 1
"""


def harvest_after(steps: int) -> dict:
    """What the file must say after the first `steps` steps of HARVEST_CHILD."""
    themes, votes, themed, starred = [], [0] * NOTES, [""] * NOTES, [False] * NOTES
    takeaways, actions = "", []
    for i in range(steps):
        step, note = i % 7, i % NOTES
        if step == 0:
            themes.append(f"theme {i}")
        elif step == 1:
            votes[note] += 1
        elif step == 2:
            themed[note] = themes[-1]
        elif step == 3:
            takeaways = f"take-aways after step {i}\n\n" + "x" * (i % 50)
        elif step == 4:
            actions.append(f"action {i}")
        elif step == 5:
            starred[note] = (i // 7) % 2 == 0
        else:
            actions[-1] = f"action {i - 2} edited at {i}"
    return {"themes": themes, "votes": votes, "themed": themed, "starred": starred,
            "takeaways": takeaways, "actions": actions}


def harvest_in(path: Path) -> dict:
    with SessionStore.open(path) as store:
        assert not store.read_only, "the killed process left the session locked"
        meta, notes = store.meta, store.notes()
    names = {theme["id"]: theme["name"] for theme in meta["themes"]}
    return {"themes": [theme["name"] for theme in meta["themes"]],
            "votes": [note.get("votes", 0) for note in notes],
            "themed": [names.get(note.get("theme", ""), "") for note in notes],
            "starred": [bool(note.get("starred")) for note in notes],
            "takeaways": meta["takeaways"], "actions": [a["text"] for a in meta["actions"]]}


def kill_harvest_once(number: int, delay: float, folder: Path) -> Run:
    run = Run(number, delay)
    with SessionStore.create(folder, title="harvest kill",
                             format={"title": "f", "rounds": [{"title": "r"}]}) as store:
        for n in range(NOTES):
            store.add_note(f"note {n}", round=0)
        path = store.path
    child = subprocess.Popen([sys.executable, "-c", HARVEST_CHILD, str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
                             cwd=ROOT)
    lines = kill(child, delay, from_ready=number % 2 == 1)
    run.acked = max(0, len(lines) - 1)
    assert [int(line) for line in lines[1:]] == list(range(run.acked))
    try:
        json.loads(path.read_bytes())
        state = harvest_in(path)
    except Exception as error:  # noqa: BLE001 - counted, not raised
        run.problem = f"unreadable: {error!r}"
        return run
    for steps in (run.acked, run.acked + 1):  # the step under way may or may not be in
        if state == harvest_after(steps):
            run.stored = steps
            return run
    earlier = [n for n in range(run.acked) if state == harvest_after(n)]
    run.problem = (f"lost: the file is at step {earlier[-1]}" if earlier
                   else "the file matches no step of the child's edits")
    return run


def kill_harvest(runs: int, tmp_path: Path) -> list[Run]:
    rng = random.Random(SEED + runs)
    return [kill_harvest_once(n, rng.uniform(0.05, 0.45), tmp_path / f"h{n}")
            for n in range(runs)]


def test_expected_harvest_model_matches_the_store(tmp_path: Path) -> None:
    """The model the kill test compares with is right: run the child's steps in-process."""
    with SessionStore.create(tmp_path, title="model", format={"rounds": []}) as store:
        ids = [store.add_note(f"note {n}", round=0)["id"] for n in range(NOTES)]
        themes, actions = [], []
        for i in range(40):
            step, note = i % 7, ids[i % NOTES]
            if step == 0:
                themes.append(store.add_theme(f"theme {i}"))
            elif step == 1:
                store.vote(note, 1)
            elif step == 2:
                store.set_note_theme(note, themes[-1])
            elif step == 3:
                store.set_takeaways(f"take-aways after step {i}\n\n" + "x" * (i % 50))
            elif step == 4:
                actions.append(store.add_action(f"action {i}", owner="Anna", review="x"))
            elif step == 5:
                store.star_note(note, (i // 7) % 2 == 0)
            else:
                store.update_action(actions[-1], text=f"action {i - 2} edited at {i}")
        path = store.path
    assert harvest_in(path) == harvest_after(40)
    assert harvest_after(39) != harvest_after(40)


def test_kill_during_harvest_edits(tmp_path: Path) -> None:
    check("kill -9 during harvest edits", kill_harvest(6, tmp_path))


@pytest.mark.slow
def test_kill_during_harvest_edits_many_times(tmp_path: Path) -> None:
    check("kill -9 during harvest edits (slow)", kill_harvest(200, tmp_path))


# ---------------------------------------------------------------- session creation

CREATE_CHILD = """
import sys
from datetime import date
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

folder = Path(sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    # every third title repeats: creating "-2", "-3" names races with nothing but the kill
    title = "same title" if i % 3 == 0 else f"session {i}"
    store = SessionStore.create(folder, title=title, on=date(2024, 5, 1),
                                format={"title": "f", "rounds": [{"title": "r"}]},
                                participants=[{"name": f"p{i}", "consent": True}])
    store.add_note(f"first note of {i}", round=0)
    store.close()
    print(store.path.name, i, flush=True)
    i += 1
"""


def kill_create_once(number: int, delay: float, folder: Path) -> Run:
    run = Run(number, delay)
    folder.mkdir(parents=True)
    child = subprocess.Popen([sys.executable, "-c", CREATE_CHILD, str(folder)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
                             cwd=ROOT)
    lines = kill(child, delay, from_ready=number % 2 == 1)
    acked = {line.split()[0]: int(line.split()[1]) for line in lines[1:]}
    run.acked = len(acked)
    files = sorted(folder.glob("*.json"))
    run.extra["leftover temp files"] = len(list(folder.glob(".*.tmp")))
    problems = []
    found = {}
    for path in files:
        try:
            json.loads(path.read_bytes())
            with SessionStore.open(path) as store:
                if store.read_only:
                    problems.append(f"{path.name} stayed locked")
                found[path.name] = (store.meta["participants"][0]["name"],
                                    [note["text"] for note in store.notes()])
        except Exception as error:  # noqa: BLE001 - counted, not raised
            problems.append(f"unreadable: {path.name}: {error!r}")
    for summary_ in list_sessions(folder):
        if summary_.problem:
            problems.append(f"unreadable: the sessions list calls {summary_.id} broken")
    for name, i in acked.items():
        if name not in found:
            problems.append(f"lost: acknowledged session {name} is gone")
        elif found[name] != (f"p{i}", [f"first note of {i}"]):
            problems.append(f"lost: acknowledged session {name} holds {found[name]}")
    unacked = [name for name in found if name not in acked]
    # the session being made when the kill came may exist, with or without its note
    if len(unacked) > 1:
        problems.append(f"{len(unacked)} sessions that were never acknowledged: {unacked}")
    run.stored = len(found)
    run.problem = "; ".join(sorted(problems, key=lambda p: not p.startswith("unreadable")))
    return run


def kill_create(runs: int, tmp_path: Path) -> list[Run]:
    rng = random.Random(SEED * 2 + runs)
    return [kill_create_once(n, rng.uniform(0.05, 0.45), tmp_path / f"c{n}" / "sessions")
            for n in range(runs)]


def test_kill_during_session_creation(tmp_path: Path) -> None:
    runs = kill_create(5, tmp_path)
    check("kill -9 during session creation", runs)
    print("RELIABILITY leftover hidden temp files after kills during creation:",
          sum(r.extra["leftover temp files"] for r in runs))


@pytest.mark.slow
def test_kill_during_session_creation_many_times(tmp_path: Path) -> None:
    runs = kill_create(200, tmp_path)
    check("kill -9 during session creation (slow)", runs)
    print("RELIABILITY leftover hidden temp files after kills during creation (slow):",
          sum(r.extra["leftover temp files"] for r in runs))


# ---------------------------------------------------------------- the real app

# The whole app in a child process, headless, driven by Pilot: it types notes into the
# note input and presses Enter. A note is acknowledged when the input is empty again
# (the app clears it only after the store returned) and the note list shows it.
APP_CHILD = """
import asyncio, sys
from pathlib import Path
from textual.widgets import Input
from ui_helpers import make_app, ready

async def main():
    app = make_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(Path(sys.argv[2]))
        await pilot.pause()
        note_input = app.main.query_one("#note-input", Input)
        print("ready", flush=True)
        i = 0
        while True:
            note_input.value = f"i: +doet app note {i}"
            await pilot.press("enter")
            assert note_input.value == "", note_input.value
            print(i, flush=True)
            i += 1

asyncio.run(main())
"""


def kill_app_once(number: int, delay: float, root: Path) -> Run:
    from hardening_helpers import starter_workspace

    run = Run(number, delay)
    starter_workspace(root)
    with SessionStore.create(root / "sessions", title="app kill",
                             format={"title": "f", "rounds": [{"title": "r", "minutes": 5}]}
                             ) as store:
        store.add_note("before the app", round=0)
        path = store.path
    child = subprocess.Popen([sys.executable, "-c", APP_CHILD, str(root), str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
                             cwd=ROOT)
    # wait for "ready" (start-up takes a while), then kill at a random moment
    started = time.monotonic()
    assert child.stdout is not None
    first = child.stdout.readline().decode().strip()
    if first != "ready":
        child.kill()
        _, stderr = child.communicate(timeout=60)
        raise AssertionError(f"the app child did not start: {stderr.decode()[-800:]}")
    run.extra["start-up"] = time.monotonic() - started
    lines = kill(child, delay)  # "ready" is read already
    run.acked = len(lines)
    assert [int(line) for line in lines] == list(range(run.acked))
    try:
        json.loads(path.read_bytes())
        with SessionStore.open(path) as store:
            assert not store.read_only, "the killed app left the session locked"
            texts = [note["text"] for note in store.notes()]
            kinds = {note["kind"] for note in store.notes()[1:]}
    except Exception as error:  # noqa: BLE001 - counted, not raised
        run.problem = f"unreadable: {error!r}"
        return run
    added = texts[1:]
    run.stored = len(added)
    if texts[:1] != ["before the app"]:
        run.problem = "lost: the note from before the app"
    elif added[: run.acked] != [f"app note {i}" for i in range(run.acked)]:
        run.problem = f"lost: {run.acked} acknowledged, {len(added)} stored"
    elif len(added) > run.acked + 1 or added != [f"app note {i}" for i in range(len(added))]:
        run.problem = f"{len(added)} stored for {run.acked} acknowledged"
    elif kinds - {"insight"}:
        run.problem = f"tags lost: {kinds}"
    return run


def kill_app(runs: int, tmp_path: Path) -> list[Run]:
    rng = random.Random(SEED * 3 + runs)
    return [kill_app_once(n, rng.uniform(0.8, 1.5), tmp_path / f"a{n}") for n in range(runs)]


def test_kill_the_app_while_it_saves_notes(tmp_path: Path) -> None:
    check("kill -9 of the app while it saves notes", kill_app(1, tmp_path), min_busy=1.0)


@pytest.mark.slow
def test_kill_the_app_while_it_saves_notes_many_times(tmp_path: Path) -> None:
    check("kill -9 of the app while it saves notes (slow)", kill_app(40, tmp_path),
          min_busy=0.5)
