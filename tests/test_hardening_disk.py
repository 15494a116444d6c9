"""Hardening, the disk: ENOSPC and EIO on write (simulated), a REAL full disk and a REAL
read-only workspace (a small tmpfs, where the test may mount one; skipped elsewhere), the
sessions folder deleted while the app runs, and an export to a full disk.

Already proven elsewhere (not repeated here): ENOSPC/EACCES at write, fsync, replace and
mkstemp for every note change, and for session creation (tests/test_session_store.py:
test_a_failed_write_loses_nothing_and_claims_nothing, test_a_failed_create_leaves_no_file,
test_failing_fsync_of_the_folder_after_replace); the app keeping a note in the input on a
full disk (tests/test_ui_session.py: test_a_full_disk_keeps_the_note_in_the_input...).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from child_process import child_env
from textual.widgets import Input, OptionList, TextArea
from ui_helpers import WIDE, NotifySpy, make_app, ready, wait_until
from workspace_helpers import ROOT, STARTER

from goodwork_tui.core import atomic
from goodwork_tui.core.session_store import SessionError, SessionStore, summarize

FORMAT = {"id": "f", "title": "F", "rounds": [
    {"title": "One", "minutes": 5, "prompt": "p", "kinds": ["insight"]},
    {"title": "Two", "minutes": 5, "prompt": "p", "kinds": []}]}


def make_session(sessions: Path, title: str = "Disk", notes: int = 3) -> Path:
    with SessionStore.create(sessions, title=title, format=FORMAT,
                             participants=[{"name": "Anna", "consent": True}]) as store:
        for n in range(notes):
            store.add_note(f"kept {n}", round=0, kind="insight")
        theme = store.add_theme("kept theme")
        store.set_note_theme(store.notes()[0]["id"], theme)
        store.add_action("kept action", owner="Anna")
        store.set_takeaways("kept take-aways")
        return store.path


def notes_on_disk(path: Path) -> list[str]:
    data = json.loads(path.read_bytes())
    return [n["text"] for n in sorted(data.get("notes", {}).values(), key=lambda n: n["seq"])]


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def fail_with(code: int) -> Callable[..., Any]:
    def failing(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))
    return failing


class FailingFile:
    """A temp file whose writes fail with `code`."""

    def __init__(self, handle: Any, code: int) -> None:
        self._handle, self._code = handle, code

    def write(self, data: bytes) -> int:
        raise OSError(self._code, os.strerror(self._code))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def break_disk(patch: pytest.MonkeyPatch, where: str, code: int) -> None:
    if where == "write":
        real_fdopen = os.fdopen
        patch.setattr(atomic.os, "fdopen", lambda *a, **k: FailingFile(real_fdopen(*a, **k), code))
    elif where == "fsync":
        patch.setattr(atomic.os, "fsync", fail_with(code))
    else:
        patch.setattr(atomic.os, "replace", fail_with(code))


# ---------------------------------------------------------------- core: every harvest change

HARVEST_CHANGES: dict[str, Callable[[SessionStore], Any]] = {
    "add theme": lambda s: s.add_theme("lost?"),
    "rename theme": lambda s: s.rename_theme(s.meta["themes"][0]["id"], "lost?"),
    "delete theme": lambda s: s.delete_theme(s.meta["themes"][0]["id"]),
    "note to theme": lambda s: s.set_note_theme(s.notes()[1]["id"], s.meta["themes"][0]["id"]),
    "vote": lambda s: s.vote(s.notes()[0]["id"], 1),
    "star": lambda s: s.star_note(s.notes()[0]["id"], True),
    "take-aways": lambda s: s.set_takeaways("lost?"),
    "add action": lambda s: s.add_action("lost?"),
    "edit action": lambda s: s.update_action(s.meta["actions"][0]["id"], text="lost?"),
    "delete action": lambda s: s.delete_action(s.meta["actions"][0]["id"]),
    "archive": lambda s: s.update_meta(archived=True),
}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("where", ["write", "replace"])  # fsync: see test_session_store.py
@pytest.mark.parametrize("change", HARVEST_CHANGES, ids=list(HARVEST_CHANGES))
def test_a_failed_harvest_change_loses_nothing_and_claims_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, where: str,
        code: int) -> None:
    path = make_session(tmp_path)
    with SessionStore.open(path) as store:
        before_bytes, before_meta, before_notes = path.read_bytes(), store.meta, store.notes()
        with monkeypatch.context() as patch:
            break_disk(patch, where, code)
            with pytest.raises(OSError) as caught:
                HARVEST_CHANGES[change](store)
        assert caught.value.errno == code
        assert path.read_bytes() == before_bytes
        assert (store.meta, store.notes()) == (before_meta, before_notes)
        assert temp_files(tmp_path) == []
        HARVEST_CHANGES[change](store)  # the disk is back: the same change works
        after_meta, after_notes = store.meta, store.notes()
    with SessionStore.open(path) as again:
        assert (again.meta, again.notes()) == (after_meta, after_notes)


def test_eio_on_read_is_a_named_session_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_session(tmp_path)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(SessionError) as caught:
        SessionStore.open(path)
    assert str(path) in str(caught.value) and "Input/output error" in str(caught.value)
    assert summarize(path).problem == "unreadable"
    monkeypatch.undo()
    with SessionStore.open(path) as store:  # not left locked
        assert not store.read_only


# ---------------------------------------------------------------- the app, simulated EIO


async def submit(pilot: Any, text: str) -> Input:
    note_input = pilot.app.main.query_one("#note-input", Input)
    note_input.focus()
    note_input.value = text
    await pilot.press("enter")
    return note_input


async def test_eio_in_the_app_keeps_notes_and_harvest_edits_unclaimed(
        workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goodwork_tui.ui.screens.harvest import HarvestScreen

    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        before = path.read_bytes()
        with monkeypatch.context() as patch:
            break_disk(patch, "write", errno.EIO)
            note_input = await submit(pilot, "i: said during the I/O error")
            assert note_input.value == "i: said during the I/O error"
            assert "Input/output error" in spy.messages[-1]
            assert spy.calls[-1][1]["severity"] == "error"

            await pilot.press("f12")
            await wait_until(pilot, lambda: isinstance(app.screen, HarvestScreen), "harvest")
            harvest = app.screen
            await pilot.press("plus", "s")  # a dot vote and a star on the first note
            assert "Input/output error" in spy.messages[-1]
            table = harvest.query_one("#harvest-notes")
            assert str(table.get_row_at(0)[0]) == "" and str(table.get_row_at(0)[1]) == ""
            takeaways = harvest.query_one("#harvest-takeaways", TextArea)
            takeaways.focus()
            told = len(spy.messages)
            await pilot.press("end", "!")
            # the take-aways save 0.4 s after typing stops: the failed save is told
            await wait_until(pilot, lambda: len(spy.messages) > told, "the failed save")
            assert takeaways.text == "kept take-aways!"
            assert "Input/output error" in spy.messages[-1]
            assert path.read_bytes() == before
            assert app.is_running
        # the disk is back: leaving the harvest saves the take-aways, Enter saves the note
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main, "the main screen")
        note_input.focus()
        await pilot.press("enter")
        assert note_input.value == ""
    with SessionStore.open(path) as store:
        assert store.meta["takeaways"] == "kept take-aways!"
        assert [n["text"] for n in store.notes()][-1] == "said during the I/O error"
        assert all(not n.get("votes") and not n.get("starred") for n in store.notes())
    assert temp_files(workspace_dir) == []


# ---------------------------------------------------------------- a real small filesystem


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a small tmpfs (Linux, root): a disk that really fills up or is read-only."""
    mounted: list[Path] = []

    def mount(size: str = "1m") -> Path:
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        if not sys.platform.startswith("linux") or shutil.which("mount") is None:
            pytest.skip("mounting a tmpfs needs Linux")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755",
                               "tmpfs", str(point)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(folder: Path) -> Path:
    """Take every free byte of the filesystem holding `folder`."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * size)
    probe = folder / "probe"
    with pytest.raises(OSError) as caught, probe.open("wb", buffering=0) as handle:
        handle.write(b"\0" * 4096)
    assert caught.value.errno == errno.ENOSPC
    probe.unlink(missing_ok=True)
    return filler


def workspace_on(point: Path, tmp_path: Path) -> Path:
    """A workspace on `point`; its library is a link to a copy on the normal disk."""
    library = tmp_path / "library-copy"
    if not library.exists():
        shutil.copytree(STARTER, library)
    root = point / "ws"
    (root / "sessions").mkdir(parents=True)
    (root / "library").symlink_to(library)
    return root


async def test_a_really_full_disk_in_the_app(tmpfs: Callable[[str], Path], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace_on(tmpfs("1m"), tmp_path)
    path = make_session(root / "sessions")
    app = make_app(root)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        filler = fill(root)
        before = path.read_bytes()

        note_input = await submit(pilot, "o: typed on a full disk " + "x" * 5000)
        assert note_input.value.startswith("o: typed on a full disk")
        assert "No space left on device" in spy.messages[-1]
        assert path.read_bytes() == before and temp_files(root) == []

        # export to the full disk: a named message, no half-written harvest left behind
        app.sessions.write_export("md", False)
        await pilot.pause()
        assert spy.messages[-1].startswith("The harvest could not be written")
        assert "No space left on device" in spy.messages[-1]
        harvests = root / "sessions" / "harvests"
        assert not harvests.exists() or list(harvests.iterdir()) == []

        # a new session on the full disk: refused with a message, no file
        assert app.sessions.create({"title": "On a full disk"}) is None
        assert spy.messages[-1].startswith("The session could not be created")
        assert sorted(p.name for p in (root / "sessions").glob("*.json")) == [path.name]
        assert app.sessions.store is not None and app.sessions.store.path == path

        filler.unlink()  # space again: the same Enter saves the waiting note
        note_input.focus()
        await pilot.press("enter")
        assert note_input.value == ""
        app.sessions.write_export("md", False)
        await pilot.pause()
        assert spy.messages[-1].startswith("Harvest written")
    assert notes_on_disk(path)[-1].startswith("typed on a full disk")
    assert len(notes_on_disk(path)) == 4
    assert temp_files(root) == []


def test_goodwork_export_to_a_really_full_disk(tmpfs: Callable[[str], Path], tmp_path: Path,
                                               workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", notes=50)
    point = tmpfs("256k")
    filler = fill(point)
    target = point / "harvest.md"
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace",
                           str(workspace_dir), "export", path.stem, "-o", str(target)],
                          capture_output=True, text=True, env=child_env(), cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert "cannot write" in done.stderr and "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in point.iterdir()) == ["filler"]
    filler.unlink()
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace",
                           str(workspace_dir), "export", path.stem, "-o", str(target)],
                          capture_output=True, text=True, env=child_env(), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("---\n")


def test_goodwork_export_to_a_full_disk_simulated(workspace_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The same without a tmpfs (every platform): ENOSPC while the export is written."""
    from goodwork_tui.cli import main

    path = make_session(workspace_dir / "sessions")
    target = tmp_path / "out" / "harvest.md"
    target.parent.mkdir()
    break_disk(monkeypatch, "write", errno.ENOSPC)
    assert main(["--workspace", str(workspace_dir), "export", path.stem, "-o", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert list(target.parent.iterdir()) == []


async def test_a_really_read_only_workspace(tmpfs: Callable[[str], Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    point = tmpfs("2m")
    root = workspace_on(point, tmp_path)
    path = make_session(root / "sessions")
    done = subprocess.run(["mount", "-o", "remount,ro", str(point)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
    before = path.read_bytes()

    # the core: opens for reading, every change is refused with EROFS, nothing changes
    with SessionStore.open(path) as store:
        with pytest.raises(OSError) as caught:
            store.add_note("refused", round=0)
        assert caught.value.errno == errno.EROFS
        assert [n["text"] for n in store.notes()] == ["kept 0", "kept 1", "kept 2"]
    with pytest.raises(OSError):
        SessionStore.create(root / "sessions", title="refused")

    app = make_app(root)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert len(app.library.situations) > 0  # the library is read as usual
        recent = app.main.query_one("#recent-sessions", OptionList)
        assert recent.option_count == 1
        assert app.sessions.open_file(path) is not None
        await pilot.pause()
        # one clear message: the session is shown read-only, no write is offered
        assert spy.messages[-1] == f"{path.name} cannot be changed here (the folder or " \
                                   "file is read-only): shown read-only."
        assert app.sessions.read_only
        note_input = app.main.query_one("#note-input", Input)
        assert note_input.disabled
        await pilot.press("f8")  # the timer: refused, said, not fatal
        assert spy.messages[-1] == "This session is open read-only: nothing is changed."
        await pilot.press("f10")  # looking at the next round is allowed
        assert app.sessions.position == 1
        app.sessions.write_export("md", False)
        await pilot.pause()
        assert spy.messages[-1].startswith("The harvest could not be written")
        assert app.sessions.create({"title": "Another"}) is None
        assert spy.messages[-1].startswith("The session could not be created")
        app.open_situation("grenswerk-lauw-onthaal-en")
        await pilot.pause()
        assert app.current_id == "grenswerk-lauw-onthaal-en"
        assert app.is_running and app.return_code is None
    assert path.read_bytes() == before


# ---------------------------------------------------------------- sessions folder deleted


def test_the_next_note_after_the_folder_was_deleted_recreates_it(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    path = make_session(sessions)
    with SessionStore.open(path) as store:
        shutil.rmtree(sessions)
        store.add_note("after the folder went", round=0)
    assert notes_on_disk(path) == ["kept 0", "kept 1", "kept 2", "after the folder went"]


async def test_sessions_folder_deleted_while_the_app_runs(workspace_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The folder goes while a session is open: the next note makes it again and the
    whole session (kept in memory) is written; the screen and browsing carry on. With no
    session open the recent list just empties and ctrl+n starts afresh."""
    sessions = workspace_dir / "sessions"
    path = make_session(sessions)
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        shutil.rmtree(sessions)
        notes = app.main.query_one("#notes", OptionList)
        assert notes.option_count == 3  # what was saved before is still shown

        app.open_situation("grenswerk-lauw-onthaal-en")  # browsing goes on
        await pilot.pause()
        assert app.current_id == "grenswerk-lauw-onthaal-en"
        note_input = await submit(pilot, "said after the folder was deleted")
        assert note_input.value == ""
        assert not any(options.get("severity") == "error" for _, options in spy.calls)
        assert notes_on_disk(path) == ["kept 0", "kept 1", "kept 2",
                                       "said after the folder was deleted"]
        with SessionStore.open(path, read_only=True) as store:  # the harvest came back too
            assert store.meta["takeaways"] == "kept take-aways"
            assert [a["text"] for a in store.meta["actions"]] == ["kept action"]

        app.sessions.close()
        await pilot.pause()
        shutil.rmtree(sessions)
        app.main.query_one("#session").refresh_recent()
        await pilot.pause()
        assert app.main.query_one("#recent-sessions", OptionList).option_count == 0
        store = app.sessions.create({"title": "Fresh start"})
        assert store is not None and store.path.parent == sessions
        assert (await submit(pilot, "first")).value == ""
        assert notes_on_disk(store.path) == ["first"]
        assert app.is_running and app.return_code is None


def test_after_the_folder_came_back_a_second_opener_is_read_only(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    first = SessionStore.open(make_session(sessions, notes=1))
    try:
        shutil.rmtree(sessions)
        first.add_note("a1", round=0)  # makes the folder again
        with SessionStore.open(first.path) as second:
            if not second.read_only:
                second.add_note("b1", round=0)
            first.add_note("a2", round=0)
            assert second.read_only
    finally:
        first.close()
    assert notes_on_disk(first.path) == ["kept 0", "a1", "a2"]
