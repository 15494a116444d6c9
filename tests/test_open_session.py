"""The open session, as a facilitator meets it (issue 13, items 3, 4 and 9):

- its situation is shown, several are switched between, and notes are linked to the
  situation being discussed;
- after a crash the next start reopens it where it was, the timer paused; a session
  closed normally, or open in another running app, is not reopened;
- in a read-only workspace it opens read-only, said once, with no writes offered.

Each is checked on the widgets and in the session file read back from disk.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from child_process import child_env
from test_ui_session import (
    create_session,
    meta_of,
    note_input,
    notes_of,
    pick,
    round_label,
    saved_label,
    shown,
    timer_of,
)
from textual.command import CommandPalette
from textual.widgets import Input, OptionList
from ui_helpers import WIDE, NotifySpy, make_app, reader_title, ready, type_text, wait_until
from workspace_helpers import ROOT

from goodwork_tui.core.session_store import SessionStore

FIRST, SECOND = "grenswerk-lauw-onthaal-en", "grenswerk-thuisfront-en"
FORMAT = {"id": "f", "title": "Two rounds",
          "rounds": [{"title": "Tell", "minutes": 5}, {"title": "Look", "minutes": 5}]}


def make_session(sessions: Path, situations: list[str], title: str = "Two situations") -> Path:
    with SessionStore.create(sessions, title=title, format=FORMAT, situations=situations) as store:
        return store.path


async def open_with_ctrl_o(app, pilot, title: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+o")
    await pick(app, pilot, lambda prompt: title in prompt)
    await wait_until(pilot, lambda: app.sessions.store is not None, "the session to open")


def title_of(app, situation_id: str) -> str:  # type: ignore[no-untyped-def]
    return app.library.situation(situation_id).title


# ---------------------------------------------------------------- 13.3 the session's situation


async def test_a_new_session_shows_its_situation_and_links_each_note_to_it(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Team day", situation=True)
        chosen = meta_of(path)["situations"]
        assert len(chosen) == 1
        assert app.current_id == chosen[0]
        assert reader_title(app) == title_of(app, chosen[0])
        assert app.focused is note_input(app)
        await type_text(pilot, "we met this last spring", enter=True)
        await wait_until(pilot, lambda: note_input(app).value == "", "the note to be saved")
    assert [(n["text"], n["situation"]) for n in notes_of(path)] == [
        ("we met this last spring", chosen[0])]

    # reopened with ctrl+o in a new app: the same situation is shown again
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert reader_title(app) != title_of(app, chosen[0])
        await open_with_ctrl_o(app, pilot, "Team day")
        assert app.current_id == chosen[0]
        assert reader_title(app) == title_of(app, chosen[0])


async def test_the_facilitator_switches_between_the_sessions_situations(workspace_dir):
    path = make_session(workspace_dir / "sessions", [FIRST, SECOND])
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await open_with_ctrl_o(app, pilot, "Two situations")
        assert reader_title(app) == title_of(app, FIRST)
        assert title_of(app, FIRST)[:20] in shown(app, "#note-flags")
        await type_text(pilot, "about the first", enter=True)
        await pilot.press("ctrl+s")  # the next situation of the session
        assert app.current_id == SECOND
        assert reader_title(app) == title_of(app, SECOND)
        assert title_of(app, SECOND)[:20] in shown(app, "#note-flags")
        assert app.focused is note_input(app)  # typing goes on
        await type_text(pilot, "about the second", enter=True)
        await wait_until(pilot, lambda: len(notes_of(path)) == 2, "the second note on disk")

        # the same from the palette, under its name; past the last it comes round again
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        app.screen.query_one(Input).value = "Next situation of the session"
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count and str(
            options.get_option_at_index(0).prompt).startswith("Next situation of the session"),
            "the palette entry")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_id == FIRST, "the first situation again")
        assert reader_title(app) == title_of(app, FIRST)
    assert [(n["text"], n["situation"]) for n in notes_of(path)] == [
        ("about the first", FIRST), ("about the second", SECOND)]


async def test_a_session_without_situations_says_so_when_switching(workspace_dir):
    make_session(workspace_dir / "sessions", [], title="No situations")
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await open_with_ctrl_o(app, pilot, "No situations")
        await pilot.press("ctrl+s")
        assert spy.messages[-1] == "This session has no situations to switch between."
        assert app.current_id is None


# ---------------------------------------------------------------- 13.4 back after a crash

# The whole app in a child process, driven by Pilot the way a facilitator does: ctrl+o,
# the session, f10 (round 2), f8 (the timer runs). Once the app has noted that it is still
# running with the timer on, the child says "ready" and the parent kills it.
APP_CHILD = """
import asyncio, os, sys, time
from pathlib import Path
from ui_helpers import make_app, ready, wait_until
from test_open_session import open_with_ctrl_o

async def main():
    app = make_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await open_with_ctrl_o(app, pilot, "Killed")
        await pilot.press("ctrl+s", "f10", "f8")  # the second situation, round 2, timer
        timer = app.sessions.timer
        assert timer.running
        marker = app.sessions.markers / f"{os.getpid()}.json"
        await wait_until(pilot, lambda: marker.stat().st_mtime >= timer.started_at + 1.0,
                         "the running app to be noted", tries=200)
        print("ready", timer.started_at, flush=True)
        await asyncio.sleep(600)

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
async def test_after_a_kill_the_next_start_reopens_the_session_where_it_was(workspace_dir):
    path = make_session(workspace_dir / "sessions", [FIRST, SECOND], title="Killed")
    child = subprocess.Popen([sys.executable, "-c", APP_CHILD, str(workspace_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
                             cwd=ROOT / "tests")
    assert child.stdout is not None
    first = child.stdout.readline().decode().split()
    if not first or first[0] != "ready":
        child.kill()
        _, stderr = child.communicate(timeout=60)
        raise AssertionError(f"the app child did not get ready: {stderr.decode()[-1500:]}")
    started_at = float(first[1])
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    killed_at = time.time()
    assert child.returncode == -signal.SIGKILL
    # on disk: round 2, its timer running (the app never got to pause it)
    assert meta_of(path)["current"] == 1
    assert timer_of(path, 1)["started_at"] == pytest.approx(started_at)

    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: app.sessions.store is not None, "the session reopened")
        store = app.sessions.store
        assert store.path == path and not store.read_only
        assert round_label(app) == "Round 2 of 2 · Look"
        timer = app.sessions.timer
        assert not timer.running
        assert 1.0 <= timer.elapsed() <= killed_at - started_at + 0.5
        assert "paused" in shown(app, "#timer-clock")
        reopened = [m for m in spy.messages if "still open" in m]
        assert reopened == [f"{path.name} was still open when Goed Werk stopped: reopened "
                            "at round 2, timer paused."]
        # the situation being discussed, not the session's first
        assert app.current_id == SECOND and reader_title(app) == title_of(app, SECOND)
        assert app.focused is note_input(app)
        # the paused timer is on disk at once: a second crash keeps it
        assert timer_of(path, 1)["started_at"] is None
        assert timer_of(path, 1)["counted"] == pytest.approx(timer.elapsed(), abs=0.01)
        await type_text(pilot, "after the crash", enter=True)
        await wait_until(pilot, lambda: note_input(app).value == "", "the note saved")
    assert [(n["text"], n["round"], n["situation"]) for n in notes_of(path)] == [
        ("after the crash", 1, SECOND)]

    # that app was closed normally: the next start does not reopen anything
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.pause()
        assert app.sessions.store is None
        assert app.main.query_one("#session-empty").display


async def test_a_session_closed_normally_is_not_reopened(workspace_dir):
    make_session(workspace_dir / "sessions", [FIRST], title="Closed")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await open_with_ctrl_o(app, pilot, "Closed")
        assert list(app.sessions.markers.glob("*.json"))  # open: noted
        app.main.action_close_session()
        assert not list(app.sessions.markers.glob("*.json"))  # closed: forgotten
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.pause()
        assert app.sessions.store is None


async def test_a_second_app_does_not_take_a_session_another_app_has_open(workspace_dir):
    path = make_session(workspace_dir / "sessions", [FIRST], title="Held")
    # a marker left by an app that is gone, for a session another app has open now
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    app = make_app(workspace_dir)
    markers = app.sessions.markers
    markers.mkdir(parents=True, exist_ok=True)
    marker = markers / f"{gone.pid}.json"
    marker.write_text(json.dumps({"session": str(path.resolve())}), encoding="utf-8")
    with SessionStore.open(path) as holder:  # the other app
        assert not holder.read_only
        async with app.run_test(size=WIDE) as pilot:
            await ready(app, pilot)
            await pilot.pause()
            assert app.sessions.store is None
        assert marker.exists()  # left for when that app ends
    assert not list(markers.glob(f"{os.getpid()}.json"))


# ---------------------------------------------------------------- 13.9 a read-only workspace


async def test_a_read_only_sessions_folder_opens_the_session_read_only_said_once(
        workspace_dir, monkeypatch):
    path = make_session(workspace_dir / "sessions", [FIRST], title="Read only")
    sessions = workspace_dir / "sessions"
    path.chmod(0o444)
    sessions.chmod(0o555)
    if os.geteuid() == 0:  # root may write anyway: let the check see what a user would
        real_access = os.access

        def as_a_user(target, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
            if mode & os.W_OK and Path(target).resolve().is_relative_to(sessions.resolve()):
                return bool(os.stat(target).st_mode & 0o200)
            return real_access(target, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", as_a_user)
    before = path.read_bytes()
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    app.notify = spy  # type: ignore[method-assign]
    try:
        async with app.run_test(size=WIDE) as pilot:
            await ready(app, pilot)
            told = len(spy.messages)
            await open_with_ctrl_o(app, pilot, "Read only")
            assert app.sessions.read_only
            assert spy.messages[told:] == [f"{path.name} cannot be changed here (the folder or "
                                           "file is read-only): shown read-only."]
            assert saved_label(app) == "read-only"
            assert note_input(app).disabled  # no note can be typed
            assert app.current_id == FIRST  # reading works as ever
            await pilot.press("f10")  # looking at the next round is allowed, not written
            assert round_label(app) == "Round 2 of 2 · Look"
            await pilot.press("f8")
            assert spy.messages[-1] == "This session is open read-only: nothing is changed."
            assert len(spy.messages) == told + 2
    finally:
        sessions.chmod(0o755)
        path.chmod(0o644)
    assert path.read_bytes() == before
    assert not list(app.sessions.markers.glob("*.json"))  # nothing to recover


# ---------------------------------------------------------------- every view follows the session


async def test_the_room_view_follows_the_session_at_once_without_polling(workspace_dir):
    path = make_session(workspace_dir / "sessions", [FIRST], title="Room")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await open_with_ctrl_o(app, pilot, "Room")
        await type_text(pilot, "seen by the room", enter=True)
        await pilot.press("f12")  # the harvest: star the note, so the room shows it
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HarvestScreen",
                         "the harvest")
        await pilot.press("s", "f11")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RoomScreen", "the room")
        room = app.screen
        assert "seen by the room" in str(room.query_one("#room-harvest-text").render())
        assert "Round 1 of 2" in str(room.query_one("#room-round-title").render())
        await pilot.press("f10")  # the next round: drawn now, not at the next poll
        assert "Round 2 of 2 · Look" in str(room.query_one("#room-round-title").render())
        await pilot.press("f8")  # the timer runs, on disk too
        assert app.sessions.timer.running
    assert meta_of(path)["current"] == 1
    assert timer_of(path, 1)["started_at"] is not None  # still running, as left
    assert notes_of(path)[0]["starred"] is True
