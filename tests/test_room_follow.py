"""`goodwork room`, the second screen (issue 15, item 2): it follows a session that ANOTHER
process writes (a note, a vote, a reveal, the timer, the round), follows the session a
facilitator's app has open and waits when there is none, and never writes or locks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from child_process import child_env
from filelock import FileLock
from textual.widgets import Digits, Static
from ui_helpers import NARROW, WIDE, wait_until
from workspace_helpers import ROOT

from goodwork_tui.core import open_marker
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.core.workspace import Workspace
from goodwork_tui.ui.room_app import RoomApp

SITUATION = "grenswerk-lauw-onthaal-en"
FORMAT = {"id": "f", "title": "Rounds", "rounds": [
    {"title": "Recognise", "minutes": 15, "reveal": "story"},
    {"title": "Look further", "minutes": 10}]}
WRITER = ROOT / "tests" / "room_writer.py"


def make_session(sessions: Path, title: str = "Projected") -> Path:
    with SessionStore.create(sessions, title=title, format=FORMAT,
                             situations=[SITUATION]) as store:
        return store.path


def write(path: Path, *args: str) -> str:
    """The change made by another process (as the facilitator's app would)."""
    done = subprocess.run([sys.executable, str(WRITER), str(path), *args], env=child_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def follower(workspace: Path, session: Path | None = None) -> RoomApp:
    app = RoomApp(Workspace(workspace, "option"), workspace / "open", "en", session=session)
    app.animation_level = "none"
    return app


def shown(app: RoomApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


def status(app: RoomApp) -> str:
    return shown(app, "#follow-status")


async def test_the_second_screen_follows_what_another_process_writes(workspace_dir: Path):
    path = make_session(workspace_dir / "sessions")
    app = follower(workspace_dir, session=path)
    async with app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: "A good idea nobody picks up" in shown(
            app, "#room-situation"), "the story on the second screen", tries=200)
        assert "Dimensions" not in shown(app, "#room-situation")
        assert "Round 1 of 2 · Recognise" in shown(app, "#room-round-title")
        assert status(app) == "Projected"  # the session's title

        note = write(path, "note", "[b]seen[/b] on the projector")
        await wait_until(pilot, lambda: "[b]seen[/b] on the projector" in shown(
            app, "#room-harvest-text"), "the note")  # how soon: benchmarks/room_follow.py
        write(path, "vote", note)
        await wait_until(pilot, lambda: "●" in shown(app, "#room-harvest-text"), "the vote")
        write(path, "reveal", SITUATION, "2")
        await wait_until(pilot, lambda: "Dimensions" in shown(app, "#room-situation"),
                         "the reveal")
        digits = app.query_one("#room-timer", Digits)
        assert digits.value == "15:00"
        write(path, "timer")
        await wait_until(pilot, lambda: digits.value.startswith("14:"), "the timer runs")
        write(path, "step", "1")
        await wait_until(pilot, lambda: "Round 2 of 2 · Look further" in shown(
            app, "#room-round-title"), "the round")
        reads = app.follower.reads
        await pilot.pause(1.0)  # nothing changed: the file is not read again
        assert app.follower.reads == reads


async def test_it_follows_the_session_the_app_has_open_and_waits_when_there_is_none(
        workspace_dir: Path):
    path = make_session(workspace_dir / "sessions")
    markers = workspace_dir / "open"
    app = follower(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await wait_until(pilot, lambda: "No session is open" in status(app), "the message")
        assert not app.query_one("#room").display
        # the facilitator's app opens the session (its marker names it and the situation)
        open_marker.mark(markers, path, SITUATION)
        await wait_until(pilot, lambda: app.query_one("#room").display, "the session")
        await wait_until(pilot, lambda: "A good idea" in shown(app, "#room-situation"),
                         "the situation being read")
        open_marker.unmark(markers)  # closed (or the app quit)
        await wait_until(pilot, lambda: "is closed. Waiting" in status(app), "it waits")
        assert path.name in status(app)
        open_marker.mark(markers, path, SITUATION)  # the app started again
        await wait_until(pilot, lambda: app.query_one("#room").display, "followed again")
        # a marker of an app that is no longer running is not followed
        open_marker.unmark(markers)
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout.strip()
        (markers / f"{dead}.json").write_text(f'{{"session": "{path.resolve()}"}}')
        await wait_until(pilot, lambda: "is closed. Waiting" in status(app), "not followed")


async def test_it_never_writes_the_session_and_never_takes_its_lock(workspace_dir: Path):
    path = make_session(workspace_dir / "sessions")
    write(path, "note", "before")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    listed = sorted(p.name for p in path.parent.iterdir())
    app = follower(workspace_dir, session=path)
    async with app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: "before" in shown(app, "#room-harvest-text"), "shown")
        lock = FileLock(str(path) + ".lock", timeout=0, is_singleton=False)
        lock.acquire()  # free while the second screen shows the session
        lock.release()
        await pilot.press("r", "h", "f8", "f10")  # no key of the facilitator's works here
        await pilot.pause(0.6)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in path.parent.iterdir()) == listed
    assert not (workspace_dir / "open").exists()


def test_goodwork_room_with_an_unknown_session_says_so(workspace_dir: Path):
    env = child_env()
    env["GOODWORK_ALLOW_NO_TTY"] = "1"
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace",
                           str(workspace_dir), "room", "--session", "nope"], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "no session 'nope'" in done.stderr
    assert "room" in subprocess.run([sys.executable, "-m", "goodwork_tui", "--help"], env=env,
                                    capture_output=True, text=True, timeout=60).stdout
    assert os.listdir(workspace_dir / "sessions") == []


def test_an_encrypted_workspace_is_followed_once_unlocked(workspace_dir: Path,
                                                          scrypt_once: None):
    from goodwork_tui.core import encryption, vault
    from goodwork_tui.core.room_follow import Follower

    sessions = workspace_dir / "sessions"
    path = make_session(sessions)
    write(path, "note", "a secret about Jip")
    encryption.encrypt(sessions, "zeven ezels op een dijk")
    vault.forget()
    try:
        assert b"Jip" not in path.read_bytes()
        follow = Follower(sessions, workspace_dir / "open", path)
        locked = follow.poll()
        assert locked is not None and locked.state == "unreadable"
        vault.unlock_folder(sessions, "zeven ezels op een dijk")  # as `goodwork room` asks
        followed = follow.poll()
        assert followed is not None and followed.state == "open"
        assert [n["text"] for n in followed.notes] == ["a secret about Jip"]
        assert follow.poll() is None  # unchanged: not read again
    finally:
        vault.forget()
