"""Hardening, the terminal: 40x12, 80x24 and 250x80, every screen at each size, and
resizes in the middle of typing a note (the half-typed text stays in the input, Enter
saves all of it).

Already proven elsewhere (not repeated): the three-pane/one-pane switch at 120 columns
(tests/test_ui_library.py: test_resizing_switches_between_wide_and_narrow) and notes on an
80x24 screen (tests/test_ui_session.py: test_narrow_screen_shows_the_session_pane...).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input
from ui_helpers import make_app, ready

from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.textual_private import app_exception

SIZES = [(40, 12), (80, 24), (250, 80)]
FORMAT = {"id": "f", "title": "Group dialogue", "rounds": [
    {"title": "Recognise", "minutes": 15, "prompt": "Do you recognise this? " * 20,
     "kinds": ["experience"]},
    {"title": "Images of good work", "minutes": 25, "prompt": "What did you do?",
     "kinds": ["insight"]}]}


def make_session(sessions: Path) -> Path:
    with SessionStore.create(sessions, title="A session with a long title " * 4,
                             format=FORMAT, situations=["grenswerk-lauw-onthaal-en"],
                             participants=[{"name": "Anna", "consent": True}]) as store:
        for n in range(12):
            note = store.add_note(f"earlier note {n} " + "with words " * n, round=0)
            store.vote(note["id"], n % 3)
        theme = store.add_theme("A theme")
        store.set_note_theme(store.notes()[0]["id"], theme)
        store.add_action("Call the client", owner="Anna", review="2026-04-01")
        store.set_takeaways("Take-aways\n\nin two paragraphs")
        return store.path


def notes_on_disk(path: Path) -> list[str]:
    data = json.loads(path.read_bytes())
    return [n["text"] for n in sorted(data["notes"].values(), key=lambda n: n["seq"])]


async def type_keys(pilot: Any, text: str) -> None:
    """Key events for each character, as a terminal sends them (no idle wait per key)."""
    app = pilot.app
    for character in text:
        key = "space" if character == " " else character
        event = events.Key(key, character)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def open_session(app: Any, pilot: Any, path: Path) -> Input:
    await ready(app, pilot)
    assert app.sessions.open_file(path) is not None
    await pilot.pause()
    note_input = app.main.query_one("#note-input", Input)
    assert app.focused is note_input
    return note_input


@pytest.mark.parametrize("size", [
    SIZES[0], *(pytest.param(size, marks=pytest.mark.slow) for size in SIZES[1:])],
    ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_screen_at_this_size(workspace_dir: Path, size: tuple[int, int]) -> None:
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=size) as pilot:
        note_input = await open_session(app, pilot, path)
        await type_keys(pilot, "i: typed at this size")
        await pilot.press("enter")
        assert note_input.value == ""
        app.open_situation("grenswerk-lauw-onthaal-en")
        await pilot.pause()
        visited = []
        for keys in (["f2"], ["f3"], ["f4", "f7"], ["escape", "ctrl+n"], ["escape", "f12"],
                     ["ctrl+e"], ["escape", "f11"], ["escape", "escape", "ctrl+p"],
                     ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            visited.append(type(app.screen).__name__)
            assert app.is_running, (keys, app_exception(app))
        assert {"ProblemsScreen", "NewSessionScreen", "HarvestScreen", "ExportScreen",
                "RoomScreen", "CommandPalette"} <= set(visited)
        assert app.screen is app.main
        assert app.return_code is None
    assert notes_on_disk(path)[-1] == "typed at this size"


async def test_resizing_while_typing_keeps_the_half_typed_note(workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        note_input = await open_session(app, pilot, path)
        typed = ""
        for part, size in zip(["i: half a ", "note typed ", "while the ", "window ",
                               "changed"],
                              [(40, 12), (250, 80), (1, 1), (300, 100), (80, 24)], strict=True):
            await type_keys(pilot, part)
            typed += part
            await pilot.resize_terminal(*size)
            assert app.size == size and app.is_running
            assert note_input.value == typed  # nothing lost by the resize
            assert app.focused is note_input  # and typing goes on where it was
        await pilot.press("enter")
        assert note_input.value == ""
    assert notes_on_disk(path)[-1] == "half a note typed while the window changed"


async def rapid_resizes(workspace_dir: Path, count: int) -> None:
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    rng = random.Random(count)
    sizes = [(1, 1), (2, 2), (10, 4), (300, 100)] + [
        (rng.randint(5, 300), rng.randint(3, 100)) for _ in range(count)]
    async with app.run_test(size=(80, 24)) as pilot:
        note_input = await open_session(app, pilot, path)
        for number, size in enumerate(sizes):
            await type_keys(pilot, f"w{number} ")
            await pilot.resize_terminal(*size)
            assert app.is_running, (size, app_exception(app))
        await pilot.resize_terminal(80, 24)
        expected = "".join(f"w{number} " for number in range(len(sizes))).strip()
        assert note_input.value.strip() == expected
        await pilot.press("enter")
        assert note_input.value == ""
    assert notes_on_disk(path)[-1] == expected
    print(f"RELIABILITY resizes: {len(sizes)} resizes (1x1 to 300x100) while typing, "
          "the note came through whole")


@pytest.mark.slow
async def test_rapid_resizes_long_run(workspace_dir: Path) -> None:
    await rapid_resizes(workspace_dir, 150)
