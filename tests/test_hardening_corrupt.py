"""Hardening, corrupt input: session files truncated at every byte offset, random bytes,
valid JSON of the wrong shape (hand-written cases and a seeded structural fuzzer), a
future schema, a 50 MB file; library files of every broken kind plus symlink loops, all
in one library. Through the core, through the commands, and through the app (Pilot).

Already proven elsewhere (not repeated): 13 kinds of broken session file give a
SessionError and stay untouched (tests/test_session_store.py:
test_broken_files_give_a_session_error_and_stay_untouched); a broken file listed disabled
in the app (tests/test_ui_session.py: test_a_corrupt_session_file_is_listed_disabled...);
each broken library file kind on its own (tests/test_library_loader.py).
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from child_process import child_env
from hardening_helpers import starter_workspace
from textual.widgets import OptionList
from ui_helpers import WIDE, NotifySpy, make_app, ready
from workspace_helpers import ROOT, write

from goodwork_tui.commands.sessions import _session_lines
from goodwork_tui.core.harvest import export
from goodwork_tui.core.library import load_library
from goodwork_tui.core.session_store import SessionError, SessionStore, list_sessions, summarize
from goodwork_tui.ui.textual_private import app_exception

# the starter library loads whole beside the broken files
STARTER_SITUATIONS = len(load_library(ROOT / "library").situations)

EXAMPLE = ROOT / "sessions" / "2026-03-12-teamoverleg-teammanagers-zorggroep-de-linde.json"
SEED = 20260312


@pytest.fixture(scope="module")
def example() -> bytes:
    return EXAMPLE.read_bytes()


@pytest.fixture(scope="module")
def example_data(example: bytes) -> dict[str, Any]:
    return json.loads(example)


def usable(path: Path) -> str:
    """'' when the file is refused with a SessionError naming it, or opens and can be
    exported and shown; else what went wrong."""
    try:
        store = SessionStore.open(path)
    except SessionError as error:
        return "" if str(path) in str(error) else f"unnamed SessionError: {error}"
    except Exception as error:  # noqa: BLE001 - the finding itself
        return f"open: {type(error).__name__}: {error}"[:200]
    try:
        for fmt in ("md", "html"):
            for names in (False, True):
                export(store.meta, store.notes(), fmt=fmt, names=names)
        _session_lines(store)
    except Exception as error:  # noqa: BLE001
        return f"use: {type(error).__name__}: {error}"[:200]
    finally:
        store.close()
    return ""


# ---------------------------------------------------------------- truncation


def truncations(example: bytes, folder: Path, offsets: list[int]) -> dict[str, list[int]]:
    path = folder / EXAMPLE.name
    result: dict[str, list[int]] = {"refused": [], "opened": [], "wrong": []}
    for offset in offsets:
        data = example[:offset]
        path.write_bytes(data)
        problem = summarize(path).problem
        try:
            with SessionStore.open(path) as store:
                meta, count = store.meta, len(store.notes())
        except SessionError as error:
            ok = str(path) in str(error) and problem is not None
            result["refused" if ok else "wrong"].append(offset)
            continue
        except Exception:  # noqa: BLE001 - a crash is a wrong outcome
            result["wrong"].append(offset)
            continue
        # only a cut in the trailing whitespace still loads, and then it is the whole file
        whole = data.strip() == example.strip() and count == 35 and problem is None
        result["opened" if whole and meta["title"] else "wrong"].append(offset)
        if path.read_bytes() != data:
            result["wrong"].append(offset)
    return result


def check_truncations(example: bytes, tmp_path: Path, offsets: list[int]) -> None:
    result = truncations(example, tmp_path, offsets)
    print(f"RELIABILITY truncation: {len(offsets)} offsets, {len(result['refused'])} refused "
          f"with a named SessionError, {len(result['opened'])} loaded whole (cut in the "
          f"trailing newline), {len(result['wrong'])} wrong")
    assert result["wrong"] == []
    assert result["opened"] == [o for o in offsets if o >= len(example.rstrip())]


def test_truncated_at_sampled_byte_offsets(example: bytes, tmp_path: Path) -> None:
    head_tail = [*range(0, 200), *range(len(example) - 200, len(example) + 1)]
    offsets = sorted(set(head_tail) | set(range(0, len(example), 41)))
    check_truncations(example, tmp_path, offsets)


@pytest.mark.slow
def test_truncated_at_every_byte_offset(example: bytes, tmp_path: Path) -> None:
    check_truncations(example, tmp_path, list(range(len(example) + 1)))


# ---------------------------------------------------------------- random bytes


def random_files(count: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(SEED)
    for number in range(count):
        size = rng.choice([1, 2, 7, 100, 4096, 100_000])
        kind = number % 4
        if kind == 0:
            yield f"bytes{number}", rng.randbytes(size)
        elif kind == 1:  # valid UTF-8 text, no JSON
            yield f"text{number}", "".join(chr(rng.randrange(32, 0x2FFF))
                                           for _ in range(size)).encode("utf-8", "replace")
        elif kind == 2:  # a JSON-looking start and then noise
            yield f"json-noise{number}", b'{"session": {"1": {' + rng.randbytes(size)
        else:  # the example with a few random bytes overwritten
            data = bytearray(EXAMPLE.read_bytes())
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            yield f"flipped{number}", bytes(data)


def check_random(count: int, tmp_path: Path) -> None:
    wrong = []
    for name, data in random_files(count):
        path = tmp_path / f"2024-01-01-{name}.json"
        path.write_bytes(data)
        problem = usable(path)
        if problem:
            wrong.append(f"{name}: {problem}")
        path.unlink()
    print(f"RELIABILITY random bytes: {count} files, {len(wrong)} not refused or not usable")
    assert wrong == []


def test_random_bytes(tmp_path: Path) -> None:
    check_random(120, tmp_path)


@pytest.mark.slow
def test_random_bytes_long_run(tmp_path: Path) -> None:
    check_random(3000, tmp_path)


# ---------------------------------------------------------------- wrong shape: by hand


def meta_of(data: dict[str, Any]) -> dict[str, Any]:
    return data["session"]["1"]


def first_note(data: dict[str, Any]) -> dict[str, Any]:
    return next(iter(data["notes"].values()))


def drop(mapping: dict[str, Any], key: str) -> None:
    del mapping[key]


class Replace:
    """A WRONG case that replaces the whole document instead of changing it."""

    def __init__(self, make: Callable[[dict[str, Any]], Any]) -> None:
        self.make = make


WRONG: dict[str, Any] = {
    "top level is a string": Replace(lambda d: "text"),
    "notes table is a list": Replace(lambda d: dict(d, notes=[1, 2])),
    "meta is a list": Replace(lambda d: dict(d, session={"1": []})),
    "two session records": lambda d: d["session"].update({"2": dict(meta_of(d), title="2")}),
    "an extra table": lambda d: d.update({"other": {"1": {"x": 1}}}),
    "schema 0": lambda d: meta_of(d).update(schema=0),
    "schema -1": lambda d: meta_of(d).update(schema=-1),
    "schema a float": lambda d: meta_of(d).update(schema=1.0),
    "schema true": lambda d: meta_of(d).update(schema=True),
    "schema a string": lambda d: meta_of(d).update(schema="1"),
    "no schema": lambda d: drop(meta_of(d), "schema"),
    "future schema": lambda d: meta_of(d).update(schema=2),
    "far future schema": lambda d: meta_of(d).update(schema=10**30),
    "title missing": lambda d: drop(meta_of(d), "title"),
    "title a number": lambda d: meta_of(d).update(title=5),
    "format a list": lambda d: meta_of(d).update(format=[]),
    "rounds missing": lambda d: drop(meta_of(d)["format"], "rounds"),
    "round a string": lambda d: meta_of(d)["format"]["rounds"].append("x"),
    "round minutes a string": lambda d: meta_of(d)["format"]["rounds"][0].update(minutes="5"),
    "round without a title": lambda d: meta_of(d)["format"]["rounds"].append({"minutes": 5}),
    "round kinds not text": lambda d: meta_of(d)["format"]["rounds"][0].update(kinds=[1, None]),
    "round_order out of range": lambda d: meta_of(d).update(round_order=[0, 99]),
    "round_order negative": lambda d: meta_of(d).update(round_order=[-1]),
    "round_order repeats": lambda d: meta_of(d).update(round_order=[0, 0, 0]),
    "current huge": lambda d: meta_of(d).update(current=10**30),
    "current negative": lambda d: meta_of(d).update(current=-5),
    "current a bool": lambda d: meta_of(d).update(current=True),
    "participants a dict": lambda d: meta_of(d).update(participants={}),
    "participant a number": lambda d: meta_of(d)["participants"].append(3),
    "participant name a number": lambda d: meta_of(d)["participants"].append(
        {"id": "p9", "name": 5}),
    "participant name true": lambda d: meta_of(d)["participants"].append(
        {"id": "p9", "name": True}),
    "theme name true": lambda d: meta_of(d)["themes"].append({"id": "t9", "name": True}),
    "theme without a name": lambda d: meta_of(d)["themes"].append({"id": "t9"}),
    "action without text": lambda d: meta_of(d)["actions"].append({"id": "a9"}),
    "situations a string": lambda d: meta_of(d).update(situations="x"),
    "situation ids numbers": lambda d: meta_of(d).update(situations=[1, 2]),
    "unknown situation": lambda d: meta_of(d)["situations"].append("nowhere"),
    "timers a list": lambda d: meta_of(d).update(timers=[]),
    "timer not a dict": lambda d: meta_of(d).update(timers={"0": 5}),
    "timer of nonsense": lambda d: meta_of(d).update(
        timers={"0": {"elapsed": "x", "running": "yes", "started_at": [], "added": None}}),
    "timer for round 99": lambda d: meta_of(d).update(timers={"99": {"elapsed": 1}}),
    "takeaways a list": lambda d: meta_of(d).update(takeaways=[]),
    "note text a number": lambda d: first_note(d).update(text=5),
    "note text missing": lambda d: drop(first_note(d), "text"),
    "note round huge": lambda d: first_note(d).update(round=10**30),
    "note round negative": lambda d: first_note(d).update(round=-1),
    "note round a string": lambda d: first_note(d).update(round="0"),
    "note votes negative": lambda d: first_note(d).update(votes=-3),
    "note votes huge": lambda d: first_note(d).update(votes=10**30),
    "note votes NaN": lambda d: first_note(d).update(votes=float("nan")),
    "note kind unknown": lambda d: first_note(d).update(kind="nonsense"),
    "note speaker unknown": lambda d: first_note(d).update(speaker="p99"),
    "note theme unknown": lambda d: first_note(d).update(theme="t-gone"),
    "note a list": lambda d: d["notes"].update({"999": []}),
    "note key not a number": lambda d: d["notes"].update({"x": first_note(d)}),
    "a 4,000-digit integer": lambda d: meta_of(d).update(current=10**4000),
}


def wrong_bytes(data: dict[str, Any], case: str) -> bytes:
    copied: Any = copy.deepcopy(data)
    change = WRONG[case]
    if isinstance(change, Replace):
        copied = change.make(copied)
    else:
        change(copied)
    return json.dumps(copied, allow_nan=True).encode()


@pytest.mark.parametrize("case", list(WRONG))
def test_json_of_the_wrong_shape_is_refused_by_name_or_works(
        example_data: dict[str, Any], tmp_path: Path, case: str) -> None:
    path = tmp_path / "2024-01-01-wrong.json"
    path.write_bytes(wrong_bytes(example_data, case))
    before = path.read_bytes()
    assert usable(path) == ""
    assert path.read_bytes() == before
    summary = summarize(path)  # the sessions list: a line, never a crash
    assert summary.id == path.stem
    if "schema" in case and "future" in case:
        assert summary.problem == "made by a newer version of Goed Werk"
        with pytest.raises(SessionError, match="newer version"):
            SessionStore.open(path)


# Valid JSON that the store used to accept but that later code could not use (found by
# this suite, fixed in c6c66f4): one parameter per root cause; now each is refused on open
# with a SessionError naming the file (or works).
KNOWN_BAD: dict[str, Callable[[dict[str, Any]], Any]] = {
    "deeply nested": lambda d: None,
    "participant without an id": lambda d: meta_of(d)["participants"].append({"name": "x"}),
    "note seq null": lambda d: first_note(d).update(seq=None),
    "situation title not a mapping": lambda d: meta_of(d)["situation_titles"].update(
        {meta_of(d)["situations"][0]: "just text"}),
}
DEEP = b'{"session": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"


def known_bad_bytes(data: dict[str, Any], case: str) -> bytes:
    if case == "deeply nested":
        return DEEP
    copied = copy.deepcopy(data)
    KNOWN_BAD[case](copied)
    return json.dumps(copied).encode()


@pytest.mark.parametrize("case", list(KNOWN_BAD))
def test_json_the_store_accepts_but_cannot_use(example_data: dict[str, Any], tmp_path: Path,
                                               case: str) -> None:
    path = tmp_path / "2024-01-01-known-bad.json"
    path.write_bytes(known_bad_bytes(example_data, case))
    assert usable(path) == ""


@pytest.mark.parametrize("case", ["deeply nested", "participant without an id"])
def test_goodwork_export_names_a_file_it_cannot_use(example_data: dict[str, Any],
                                                    workspace_dir: Path, case: str) -> None:
    path = workspace_dir / "sessions" / "2024-01-01-known-bad.json"
    path.write_bytes(known_bad_bytes(example_data, case))
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace",
                           str(workspace_dir), "export", path.stem], capture_output=True,
                          text=True, env=child_env(), cwd=ROOT)
    assert "Traceback" not in done.stderr, done.stderr[-300:]
    assert done.returncode == 1 and path.name in done.stderr


# ---------------------------------------------------------------- wrong shape: fuzzed

FUZZ_VALUES: list[Any] = [None, True, False, 0, -1, 7, 10**20, 1.5, "", "x", "[/]",
                          "\x1b[2J", [], {}, [1], ["x"], {"a": 1}, {"id": "z"}]


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def fuzzed(data: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    data = copy.deepcopy(data)
    done: list[str] = []
    while len(done) < rng.randint(1, 3):
        path = rng.choice([p for p in _paths(data) if p])
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        roll = rng.random()
        if roll < 0.25 and isinstance(parent, dict):
            op, value = "delete", None
        elif roll < 0.35 and isinstance(parent, list):
            op, value = "duplicate", None
        else:
            op, value = "replace", copy.deepcopy(rng.choice(FUZZ_VALUES))
        if op == "delete":
            del parent[path[-1]]
        elif op == "duplicate":
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = value
        done.append(f"{op} {'/'.join(map(str, path))}" + (f" = {value!r}" if op == "replace"
                                                          else ""))
    return data, done


def check_fuzz(example_data: dict[str, Any], count: int, tmp_path: Path) -> list[Path]:
    rng = random.Random(SEED + count)
    wrong, opened = [], []
    for number in range(count):
        data, done = fuzzed(example_data, rng)
        path = tmp_path / f"2024-01-01-fuzz-{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        problem = usable(path)
        if problem:
            wrong.append(f"{done}: {problem}")
        try:
            SessionStore.open(path, read_only=True).close()
            opened.append(path)
        except SessionError:
            path.unlink()
    print(f"RELIABILITY structural fuzz: {count} files, {len(opened)} opened, "
          f"{count - len(opened)} refused by name, {len(wrong)} crashes")
    assert wrong == [], "\n".join(wrong[:20])
    return opened


def test_fuzzed_structure_is_refused_by_name_or_works(example_data: dict[str, Any],
                                                      tmp_path: Path) -> None:
    check_fuzz(example_data, 150, tmp_path)


@pytest.mark.slow
def test_fuzzed_structure_long_run(example_data: dict[str, Any], tmp_path: Path) -> None:
    check_fuzz(example_data, 5000, tmp_path)


# ---------------------------------------------------------------- through the app


async def visit_every_view(app: Any, pilot: Any, path: Path) -> None:
    """Open `path` and show it everywhere a session shows: pane, harvest, room view,
    export preview."""
    from goodwork_tui.ui.screens.export import ExportScreen
    from goodwork_tui.ui.screens.harvest import HarvestScreen
    from goodwork_tui.ui.screens.room import RoomScreen

    if app.sessions.open_file(path) is None:
        return
    await pilot.pause()
    main = app.main
    for screen, show in ((HarvestScreen, main.action_harvest), (RoomScreen, main.action_room_view),
                         (ExportScreen, main.action_export_harvest)):
        show()
        await pilot.pause()
        assert isinstance(app.screen, screen) or not app.is_running, screen
        app.screen.dismiss(None) if isinstance(app.screen, ExportScreen) else app.pop_screen()
        await pilot.pause()
    app.sessions.close()
    await pilot.pause()


def wrong_workspace(root: Path, example_data: dict[str, Any], example: bytes,
                    every: int = 1) -> list[Path]:
    """The broken and odd session files of this module (every `every`th of the hand-written
    ones) in one sessions folder."""
    starter_workspace(root)
    sessions = root / "sessions"
    files = []
    for number, case in enumerate(WRONG):
        if number % every:
            continue
        files.append(write(sessions / f"2024-02-{number % 28 + 1:02d}-wrong-{number}.json",
                           wrong_bytes(example_data, case)))
    for name, data in list(random_files(8 if every == 1 else 4)):
        files.append(write(sessions / f"2024-03-01-{name}.json", data))
    for offset in (0, 1, 100, len(example) // 2, len(example) - 2):
        files.append(write(sessions / f"2024-04-01-cut-{offset}.json", example[:offset]))
    if every == 1:  # the long run: a 50 MB file in the recent list too
        files.append(write(sessions / "2024-04-02-fifty-mb.json",
                           random.Random(SEED).randbytes(50_000_000)))
    good = write(sessions / EXAMPLE.name, example)
    return [*files, good]


async def open_every_file(root: Path, files: list[Path], views: int,
                          monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Open each file in one app run (and show the first `views` that open in every
    view); return (opened, refused). Refusals must name the file."""
    app = make_app(root)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    opened = refused = 0
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        summaries = [s for s in list_sessions(root / "sessions") if not s.archived]
        recent = app.main.query_one("#recent-sessions", OptionList)
        assert recent.option_count == min(15, len(summaries))
        for index in range(recent.option_count):  # broken files are listed, disabled
            option = recent.get_option_at_index(index)
            summary = next(s for s in summaries if str(s.path) == option.id)
            assert option.disabled == bool(summary.problem)
        for path in files:
            count = len(spy.calls)
            if opened < views:
                await visit_every_view(app, pilot, path)
            elif app.sessions.open_file(path) is not None:
                app.sessions.close()
            await pilot.pause()
            assert app.is_running, f"{path.name}: {app_exception(app)!r}"
            if any(options.get("severity") == "error" for _, options in spy.calls[count:]):
                refused += 1
                assert any(path.name in message for message in spy.messages[count:])
            else:
                opened += 1
        assert app.return_code is None
    return opened, refused


async def check_app_with_odd_files(root: Path, files: list[Path], views: int,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = {path: path.read_bytes() for path in files}
    opened, refused = await open_every_file(root, files, views, monkeypatch)
    print(f"RELIABILITY app: {len(files)} odd session files, {opened} opened "
          f"({min(views, opened)} shown in pane, harvest, room view and export preview), "
          f"{refused} refused with a message naming the file")
    assert refused > 10 and opened > 6
    changed = [path.name for path in files[:-1] if path.read_bytes() != before[path]]
    assert changed == []  # opening and closing an odd file never changes it


async def test_the_app_lists_opens_and_shows_every_odd_session_file(
        example_data: dict[str, Any], example: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    files = wrong_workspace(root, example_data, example, every=3)
    (tmp_path / "fuzz").mkdir()
    fuzz = check_fuzz(example_data, 10, tmp_path / "fuzz")  # and some fuzzed ones that open
    moved = [path.rename(root / "sessions" / f"2024-05-01-{path.name}") for path in fuzz]
    await check_app_with_odd_files(root, [*moved, *files], 1, monkeypatch)


@pytest.mark.slow
async def test_the_app_shows_every_odd_session_file_in_every_view(
        example_data: dict[str, Any], example: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    await check_app_with_odd_files(root, wrong_workspace(root, example_data, example), 1000,
                                   monkeypatch)


async def check_app_with_fuzz(example_data: dict[str, Any], tmp_path: Path, count: int,
                              views: int) -> None:
    root = starter_workspace(tmp_path / "ws")
    fuzz = tmp_path / "fuzz"
    fuzz.mkdir()
    opened = [path.rename(root / "sessions" / path.name)
              for path in check_fuzz(example_data, count, fuzz)]
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        for path in opened[:views]:
            await visit_every_view(app, pilot, path)
            assert app.is_running, f"{path.name}: {app_exception(app)!r}"
    print(f"RELIABILITY app with fuzzed files: {min(views, len(opened))} shown in every view")


@pytest.mark.slow
async def test_the_app_survives_fuzzed_session_files_long_run(example_data: dict[str, Any],
                                                              tmp_path: Path) -> None:
    await check_app_with_fuzz(example_data, tmp_path, 200, 60)


async def test_opening_and_closing_a_session_writes_nothing(
        example_data: dict[str, Any], tmp_path: Path) -> None:
    root = starter_workspace(tmp_path / "ws")
    data = copy.deepcopy(example_data)
    meta_of(data)["round_order"] = [0, 1]  # 'current' is 5: past the order
    paths = [write(root / "sessions" / "2024-01-01-odd.json", json.dumps(data))]
    for title, rounds in (("new session", [{"title": "r", "minutes": 5}]), ("no rounds", [])):
        with SessionStore.create(root / "sessions", title=title,
                                 format={"title": "f", "rounds": rounds}) as store:
            paths.append(store.path)
    before = {path: path.read_bytes() for path in paths}
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        for path in paths:
            assert app.sessions.open_file(path) is not None
            await pilot.pause()
            app.sessions.close()
            await pilot.pause()
    changed = [path.name for path in paths if path.read_bytes() != before[path]]
    assert changed == []


CRASHES_THE_HARVEST: dict[str, Callable[[dict[str, Any]], Any]] = {
    "theme without an id": lambda d: meta_of(d)["themes"].append({"name": "x"}),
    "action without an id": lambda d: meta_of(d)["actions"].append({"text": "x"}),
    "two themes with one id": lambda d: meta_of(d)["themes"].append(meta_of(d)["themes"][0]),
    "situation title not a mapping": KNOWN_BAD["situation title not a mapping"],
}


@pytest.mark.parametrize("case", [
    pytest.param(case, marks=[pytest.mark.slow] if index else [])
    for index, case in enumerate(CRASHES_THE_HARVEST)])
async def test_the_app_survives_opening_the_harvest_of_an_odd_file(
        example_data: dict[str, Any], tmp_path: Path, case: str) -> None:
    root = starter_workspace(tmp_path / "ws")
    data = copy.deepcopy(example_data)
    CRASHES_THE_HARVEST[case](data)
    path = write(root / "sessions" / "2024-01-01-odd.json", json.dumps(data))
    app = make_app(root)
    crashed = None
    try:
        async with app.run_test(size=WIDE) as pilot:
            await ready(app, pilot)
            # the store may refuse the file (with a message naming it) or open it; either
            # way the harvest must not bring the app down
            if app.sessions.open_file(path) is not None:
                await pilot.press("f12")
                await pilot.pause()
            assert app.is_running
    except Exception as error:  # noqa: BLE001 - the crash is what this test looks for
        crashed = error
    assert crashed is None, repr(crashed)


async def test_the_app_survives_opening_a_deeply_nested_file(tmp_path: Path) -> None:
    root = starter_workspace(tmp_path / "ws")
    path = write(root / "sessions" / "2024-01-01-deep.json", DEEP)
    app = make_app(root)
    crashed = None
    try:
        async with app.run_test(size=WIDE) as pilot:
            await ready(app, pilot)
            recent = app.main.query_one("#recent-sessions", OptionList)
            assert recent.get_option_at_index(0).disabled  # listed as broken: fine
            app.sessions.open_file(path)  # e.g. from `goodwork` with a path, or ctrl+o
            await pilot.pause()
            assert app.is_running
    except Exception as error:  # noqa: BLE001
        crashed = error
    assert crashed is None, repr(crashed)


# ---------------------------------------------------------------- big files


def big_session(path: Path, example_data: dict[str, Any], size: int) -> int:
    """A valid session of about `size` bytes (many notes); returns the note count."""
    data = copy.deepcopy(example_data)
    note = first_note(data)
    total, number = len(json.dumps(data)), 0
    while total < size:
        new = dict(note, id=f"big{number}", seq=1000 + number, text="y" * 400)
        data["notes"][str(1000 + number)] = new
        total += len(json.dumps(new)) + len(str(1000 + number)) + 6
        number += 1
    path.write_bytes(json.dumps(data).encode())
    return len(data["notes"])


def test_a_50_mb_file(example_data: dict[str, Any], tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    garbage = sessions / "2024-01-01-garbage.json"
    garbage.write_bytes(random.Random(SEED).randbytes(50_000_000))
    started = time.monotonic()
    with pytest.raises(SessionError, match="not a readable session file"):
        SessionStore.open(garbage)
    assert summarize(garbage).problem and time.monotonic() - started < 5
    padded = sessions / "2024-01-02-padded.json"  # 70 MB of spaces: over the 64 MiB cap
    with padded.open("wb") as handle:
        handle.truncate(70_000_000)
    with pytest.raises(SessionError, match="too large"):
        SessionStore.open(padded)
    assert summarize(padded).problem


@pytest.mark.slow
def test_a_valid_50_mb_session(example_data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01-big.json"
    count = big_session(path, example_data, 50_000_000)
    assert 45_000_000 < path.stat().st_size < 64 * 1024 * 1024
    timings = {}
    started = time.monotonic()
    summary = summarize(path)
    timings["summarize"] = time.monotonic() - started
    assert summary.notes == count
    started = time.monotonic()
    with SessionStore.open(path) as store:
        timings["open"] = time.monotonic() - started
        started = time.monotonic()
        store.add_note("one more", round=0)
        timings["add_note"] = time.monotonic() - started
    started = time.monotonic()
    markdown = export(*(lambda s: (s.meta, s.notes()))(SessionStore.open(path, read_only=True)))
    timings["export"] = time.monotonic() - started
    assert "one more" in markdown
    print("RELIABILITY 50 MB session (" + str(count) + " notes): " +
          ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))


@pytest.mark.slow
async def test_a_valid_50_mb_session_in_the_app(example_data: dict[str, Any],
                                                tmp_path: Path) -> None:
    from textual.widgets import Input

    root = starter_workspace(tmp_path / "ws")
    path = root / "sessions" / "2024-01-01-big.json"
    count = big_session(path, example_data, 50_000_000)
    timings = {}
    app = make_app(root)
    started = time.monotonic()
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        timings["start-up with it in the recent list"] = time.monotonic() - started
        started = time.monotonic()
        assert app.sessions.open_file(path) is not None
        await pilot.pause()
        timings["open"] = time.monotonic() - started
        note_input = app.main.query_one("#note-input", Input)
        note_input.value = "one more note"
        started = time.monotonic()
        await pilot.press("enter")
        timings["save one note"] = time.monotonic() - started
        assert note_input.value == ""
        started = time.monotonic()
        await pilot.press("f12")
        await pilot.pause()
        timings["open the harvest"] = time.monotonic() - started
        assert app.is_running
    assert len(json.loads(path.read_bytes())["notes"]) == count + 1
    print("RELIABILITY 50 MB session in the app: " +
          ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))


# ---------------------------------------------------------------- the library

SITUATION = ("---\nid: {id}\ntitle: {title}\ncollection: grenswerk\nlang: en\n---\n\n"
             "## Situation\n\nA story.\n")


def broken_library(root: Path) -> dict[str, str]:
    """The starter library plus one file of every broken kind, and symlink loops.
    Returns file (relative to library/) -> a word its problem message must hold."""
    starter_workspace(root)
    lib = root / "library"
    folder = lib / "grenswerk"
    good = SITUATION.format(id="zz-good-{n}", title="Good {n}")
    files: dict[str, tuple[bytes, str]] = {
        "zz-bad-yaml.md": (SITUATION.format(id="zz-bad-yaml", title="a: b").encode(),
                           "bad front matter"),
        "zz-unclosed.md": (b"---\nid: zz-unclosed\ntitle: T\n\n## Situation\n\nx\n",
                           "never closed"),
        "zz-not-utf8.md": (SITUATION.format(id="zz-not-utf8", title="caf\xe9").encode("latin-1"),
                           "not UTF-8"),
        "zz-binary.md": (bytes(range(256)) * 4, "binary"),
        "zz-five-mb.md": (SITUATION.format(id="zz-five-mb", title="big").encode()
                          + b"word " * 1_000_000, "too large"),
        "zz-duplicate.md": (SITUATION.format(id="grenswerk-lauw-onthaal-en", title="Twin")
                            .encode(), "duplicate id"),
        "zz-bad-id.md": (SITUATION.format(id="../x", title="Escape").encode(), "not valid"),
        "zz-empty.md": (b"", "empty"),
        "zz-no-front-matter.md": (b"## Situation\n\nJust text.\n", "missing front matter"),
        # good files in unusual encodings: they load, no problem
        "zz-good-bom.md": (b"\xef\xbb\xbf" + good.format(n="bom").encode(), ""),
        "zz-good-crlf.md": (good.format(n="crlf").replace("\n", "\r\n").encode(), ""),
        "zz-good-bom-crlf.md": (b"\xef\xbb\xbf" + good.format(n="both").replace(
            "\n", "\r\n").encode(), ""),
    }
    expected = {}
    for name, (data, word) in files.items():
        write(folder / name, data)
        if word:
            expected[f"grenswerk/{name}"] = word
    # a folder linked to itself inside library/, and a link to library/ itself
    (folder / "self").symlink_to(".")
    (lib / "loop").symlink_to(".")
    expected["loop/_collection.md"] = "missing _collection.md"
    return expected


LOOPING_FILES = {"zz-loop-self.md": "zz-loop-self.md", "zz-loop-a.md": "zz-loop-b.md",
                 "zz-loop-b.md": "zz-loop-a.md", "zz-dangling.md": "nowhere.md"}


def test_one_library_with_every_broken_kind(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    expected = broken_library(root)
    started = time.monotonic()
    library = load_library(root / "library")
    elapsed = time.monotonic() - started
    shown = {p.format(root / "library"): p for p in library.problems}
    for name, word in expected.items():
        found = [text for text in shown if text.startswith(f"{name}:")]
        assert found, f"no problem named for {name}; problems: {list(shown)}"
        assert any(word in text for text in found), (name, found)
    ids = {s.id for s in library.situations}
    assert len([i for i in ids if not i.startswith("zz-")]) == STARTER_SITUATIONS  # all of it
    assert {"zz-good-bom", "zz-good-crlf", "zz-good-both"} <= ids
    assert not any(i.startswith("zz-") and not i.startswith("zz-good") for i in ids)
    assert elapsed < 10
    print(f"RELIABILITY library: {len(expected)} broken files among {STARTER_SITUATIONS} "
          "good ones, "
          f"{len(library.problems)} problems named, {len(library.situations)} situations "
          f"loaded, {elapsed:.2f} s")


@pytest.mark.parametrize("name", list(LOOPING_FILES))
def test_a_looping_or_dangling_symlink_is_named(tmp_path: Path, name: str) -> None:
    root = starter_workspace(tmp_path / "ws")
    folder = root / "library" / "grenswerk"
    for link, target in LOOPING_FILES.items():
        (folder / link).symlink_to(target)
    library = load_library(root / "library")
    assert len(library.situations) == STARTER_SITUATIONS
    assert any(p.path.name == name for p in library.problems), [
        p.format(root) for p in library.problems]


def test_library_check_and_the_cache_survive_symlink_loops(tmp_path: Path) -> None:
    from goodwork_tui.core import library_cache

    root = tmp_path / "ws"
    broken_library(root)
    folder = root / "library" / "grenswerk"
    for link, target in LOOPING_FILES.items():
        (folder / link).symlink_to(target)
    (root / "library" / "up").symlink_to("..")  # the workspace, holding library/ again
    started = time.monotonic()
    first = library_cache.load(root / "library")
    second = library_cache.load(root / "library")  # from the cache
    assert len(first.situations) == len(second.situations) >= 51
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace", str(root),
                           "library", "check"], capture_output=True, text=True,
                          env=child_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "problems" in done.stdout.splitlines()[-1]
    assert time.monotonic() - started < 60


async def test_the_app_shows_every_library_problem_and_the_rest(tmp_path: Path) -> None:
    from goodwork_tui.ui.screens.problems import ProblemsScreen

    root = tmp_path / "ws"
    expected = broken_library(root)
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        tree = app.main.query_one("#library-tree")
        leaves = [leaf for branch in tree.root.children for leaf in branch.children]
        assert len(leaves) >= 24 + 3
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        for name, word in expected.items():
            assert any(p.startswith(f"library/{name}:") and word in p for p in prompts), name
        await pilot.press("escape")
        await pilot.pause()
        app.open_situation("grenswerk-lauw-onthaal-en")
        await pilot.pause()
        assert app.current_id == "grenswerk-lauw-onthaal-en"
        assert app.is_running and app.return_code is None
