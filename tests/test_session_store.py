"""The session store: notes are on disk when add_note returns, and nothing is ever lost.

Every test reopens the file (or reads it with json.load) instead of trusting memory:
what counts is what a fresh process would find.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from child_process import child_env
from filelock import FileLock, Timeout
from workspace_helpers import ROOT

from goodwork_tui.core import atomic
from goodwork_tui.core.session_store import (
    SCHEMA,
    ReadOnlyError,
    SessionError,
    SessionStore,
    find_session,
    list_sessions,
    summarize,
)

DAY = date(2024, 5, 1)
FORMAT = {
    "id": "dialogue",
    "title": "Group dialogue",
    "rounds": [
        {"title": "Opening", "minutes": 10},
        {"title": "Stories", "minutes": 20},
        {"title": "Shared issues", "minutes": 15},
        {"title": "Harvest", "minutes": 10},
    ],
}
PARTICIPANTS = [{"name": "Anouk", "consent": True}, {"name": "Bram"}]

HOSTILE = [
    "[b]",
    "[/]",
    "a[/b] c",
    "[@click=app.quit]x[/]",
    "# x",
    "---",
    "<script>alert(1)</script>",
    "\x1b[31mred",
    "\x00\x07",
    "\u202eevil",
    "👩\u200d👩\u200d👧 family",
    "line one\nline two\r\n\ttabbed",
    "\\u0000 and \" quotes '",
    "  leading and trailing spaces  ",
]

NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9-]+(-\d+)?\.json$")


@pytest.fixture
def sessions(workspace_dir: Path) -> Path:
    return workspace_dir / "sessions"


def make(sessions: Path, title: str = "Team day", **kwargs: Any) -> SessionStore:
    kwargs.setdefault("on", DAY)
    kwargs.setdefault("format", FORMAT)
    kwargs.setdefault("participants", PARTICIPANTS)
    return SessionStore.create(sessions, title=title, **kwargs)


def on_disk(path: Path) -> dict[str, Any]:
    """The file as any JSON reader sees it."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def disk_notes(path: Path) -> list[dict[str, Any]]:
    return sorted(on_disk(path).get("notes", {}).values(), key=lambda note: note["seq"])


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def texts(notes: list[dict[str, Any]]) -> list[str]:
    return [note["text"] for note in notes]


# ---------------------------------------------------------------- create, add, reopen


def test_notes_survive_close_and_reopen_in_order(sessions: Path) -> None:
    store = make(sessions, group="Team north", facilitator="Mira", situations=["s-one"])
    added = [
        store.add_note("We asked the partners first", round=0, kind="experience",
                       lens="excellent", speaker="Anouk"),
        store.add_note("Share only with consent", round=1, kind="value-norm", lens="ethical"),
        store.add_note("What if nobody comes?", round=1, kind="question", room_only=True),
        store.add_note("Energy came back", round=2, kind="insight", lens="engaging",
                       speaker="Bram", situation="s-one"),
        store.add_note("untagged", round=0),
    ]
    path = store.path
    store.close()

    with SessionStore.open(path) as again:
        assert not again.read_only
        assert again.notes() == added
        assert [note["seq"] for note in again.notes()] == [1, 2, 3, 4, 5]
        assert texts(again.notes(round=1)) == ["Share only with consent", "What if nobody comes?"]
        assert again.notes(round=3) == []
        assert again.note(added[3]["id"]) == added[3]
        assert again.note("no-such-id") is None
        meta = again.meta
    assert meta["schema"] == SCHEMA
    assert (meta["title"], meta["date"], meta["group"], meta["facilitator"]) == (
        "Team day", "2024-05-01", "Team north", "Mira")
    assert meta["format"] == FORMAT
    assert meta["situations"] == ["s-one"]
    assert meta["participants"] == [
        {"id": "p1", "name": "Anouk", "consent": True},
        {"id": "p2", "name": "Bram", "consent": False},
    ]
    assert disk_notes(path) == added  # plain JSON, readable without the app
    assert len({note["id"] for note in added}) == len(added)


def test_add_note_is_on_disk_before_it_returns(sessions: Path) -> None:
    with make(sessions) as store:
        for i in range(5):
            note = store.add_note(f"note {i}", round=0)
            assert disk_notes(store.path)[-1] == note  # no close, no flush needed


def test_update_note_changes_only_that_note(sessions: Path) -> None:
    with make(sessions) as store:
        first = store.add_note("first", round=0, kind="experience")
        second = store.add_note("second", round=0)
        store.update_note(first["id"], text="first, edited", lens="ethical", room_only=True)
        path = store.path
    with SessionStore.open(path) as store:
        edited, untouched = store.notes()
    assert edited["text"] == "first, edited"
    assert (edited["lens"], edited["room_only"], edited["kind"]) == ("ethical", True, "experience")
    assert edited["seq"] == first["seq"] and edited["id"] == first["id"]
    assert "updated" in edited
    assert untouched == second


def test_delete_then_restore_puts_the_note_back_in_its_place(sessions: Path) -> None:
    with make(sessions) as store:
        notes = [store.add_note(f"note {i}", round=0) for i in range(3)]
        deleted = store.delete_note(notes[1]["id"])
        assert deleted == notes[1]
        assert store.delete_note(notes[1]["id"]) is None
        path = store.path
    assert texts(disk_notes(path)) == ["note 0", "note 2"]
    with SessionStore.open(path) as store:
        store.restore_note(deleted)
    with SessionStore.open(path) as store:
        assert store.notes() == notes


def test_undo_after_a_newer_note_keeps_order_and_unique_seq(sessions: Path) -> None:
    """Delete the last note, type another one, then undo the delete."""
    with make(sessions) as store:
        store.add_note("A", round=0)
        b = store.add_note("B", round=0)
        deleted = store.delete_note(b["id"])
        store.add_note("C", round=0)
        store.restore_note(deleted)
        path = store.path
    with SessionStore.open(path) as store:
        notes = store.notes()
    assert texts(notes) == ["A", "B", "C"]
    assert len({note["seq"] for note in notes}) == 3


def test_move_note_to_another_round(sessions: Path) -> None:
    with make(sessions) as store:
        note = store.add_note("belongs later", round=0)
        store.add_note("stays", round=0)
        store.move_note(note["id"], 2)
        path = store.path
    with SessionStore.open(path) as store:
        assert texts(store.notes(round=0)) == ["stays"]
        assert texts(store.notes(round=2)) == ["belongs later"]
        assert store.note(note["id"])["seq"] == note["seq"]


# ---------------------------------------------------------------- rounds and timers


def test_step_round_clamps_at_both_ends(sessions: Path) -> None:
    with make(sessions) as store:
        assert store.current_round == 0
        store.step_round(-1)
        assert store.current_round == 0
        store.step_round(1)
        store.step_round(1)
        assert store.current_round == 2
        store.step_round(10)
        assert store.current_round == 3
        store.step_round(1)
        assert store.current_round == 3
        store.go_to_position(-5)
        assert store.current_round == 0
        store.go_to_position(1)
        path = store.path
    with SessionStore.open(path) as store:
        assert store.current_round == 1
        assert store.round_title(store.current_round) == "Stories"
        assert store.round_title(99) == ""


def test_set_round_order_skips_reorders_and_keeps_the_current_round(sessions: Path) -> None:
    with make(sessions) as store:
        assert [r.title for r in store.rounds] == [
            "Opening", "Stories", "Shared issues", "Harvest"]
        store.step_round(1)  # at "Stories"
        store.set_round_order([3, 1, 0])  # skip "Shared issues", harvest first
        assert store.current_round == 1
        assert store.meta["current"] == 1
        assert [r.title for r in store.rounds] == ["Harvest", "Stories", "Opening"]
        store.step_round(1)
        assert store.current_round == 0
        store.step_round(1)
        assert store.current_round == 0  # "Opening" is now the last round
        path = store.path
    with SessionStore.open(path) as store:
        assert store.meta["round_order"] == [3, 1, 0]
        assert store.current_round == 0
        store.set_round_order([2, 3])  # the current round is dropped: start at the top
        assert store.current_round == 2
        assert [r.title for r in store.rounds] == ["Shared issues", "Harvest"]


def test_session_without_rounds(sessions: Path) -> None:
    with SessionStore.create(sessions, title="solo", on=DAY) as store:
        assert store.rounds == []
        assert store.current_round == -1
        store.step_round(1)
        assert store.current_round == -1
        store.add_note("a thought", round=store.current_round)
        assert texts(store.notes(round=-1)) == ["a thought"]


def test_timers_round_trip(sessions: Path) -> None:
    state = {"minutes": 20, "elapsed": 312.5, "running": False, "started": None}
    with make(sessions) as store:
        assert store.timer(1) == {}
        store.set_timer(1, state)
        store.set_timer(2, {"minutes": 5, "elapsed": 0.0, "running": True})
        path = store.path
    with SessionStore.open(path) as store:
        assert store.timer(1) == state
        assert store.timer(2)["running"] is True
        assert store.timer(0) == {}


# ---------------------------------------------------------------- text exactly as typed


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_exactly_as_typed(sessions: Path, text: str) -> None:
    with make(sessions, title=text, group=text, participants=[{"name": text}]) as store:
        note = store.add_note(text, round=1, speaker=text, kind="insight")
        store.add_note("after", round=1)
        path = store.path
    with SessionStore.open(path) as store:
        stored = store.note(note["id"])
        meta = store.meta
    assert stored["text"].encode("utf-8") == text.encode("utf-8")
    assert stored["speaker"] == text
    assert (meta["title"], meta["group"], meta["participants"][0]["name"]) == (text, text, text)
    from_json = disk_notes(path)
    assert from_json[0]["text"].encode("utf-8") == text.encode("utf-8")
    assert from_json[1]["text"] == "after"
    assert on_disk(path)["session"]["1"]["title"] == text


def test_all_hostile_texts_in_one_session(sessions: Path) -> None:
    with make(sessions) as store:
        for text in HOSTILE:
            store.add_note(text, round=0)
        path = store.path
    assert texts(disk_notes(path)) == HOSTILE
    with SessionStore.open(path) as store:
        assert texts(store.notes()) == HOSTILE
    summary = summarize(path)
    assert (summary.problem, summary.notes) == (None, len(HOSTILE))


def test_text_that_cannot_be_encoded_does_not_poison_the_store(sessions: Path) -> None:
    """A lone surrogate cannot be written as UTF-8: that note fails, the next ones work."""
    with make(sessions) as store:
        store.add_note("before", round=0)
        before = store.path.read_bytes()
        with pytest.raises(ValueError):
            store.add_note("broken \ud800 text", round=0)
        assert store.path.read_bytes() == before
        assert texts(store.notes()) == ["before"]
        store.add_note("after", round=0)
        path = store.path
    assert texts(disk_notes(path)) == ["before", "after"]
    assert temp_files(path.parent) == []


# ---------------------------------------------------------------- file names


TITLES = ["../../x", "CON", "aux.txt", "a/b\\c", "nul\x00", "x" * 300, "", "...",
          "  ", "Één dag — groep Noord/Zuid!", "COM1", "lpt9.log", "\u202e\x1b[31m"]


@pytest.mark.parametrize("title", TITLES)
def test_file_names_are_safe_and_unique(sessions: Path, title: str) -> None:
    first = make(sessions, title=title)
    second = make(sessions, title=title)
    first.close()
    second.close()
    assert first.path != second.path
    for store in (first, second):
        name = store.path.name
        assert NAME.match(name), name
        assert name.startswith("2024-05-01-")
        assert len(name) <= 80
        assert store.path.parent.resolve() == sessions.resolve()
        assert store.path.resolve().parent == sessions.resolve()
        assert store.id == store.path.stem
        assert name.split("-")[3].split(".")[0] not in {"con", "aux", "nul", "com1", "lpt9"}
        with SessionStore.open(store.path) as again:
            assert again.meta["title"] == title  # the title itself is kept as typed
    assert sorted(p.name for p in sessions.glob("*.json")) == sorted(
        [first.path.name, second.path.name])
    assert list(sessions.parent.glob("*.json")) == []
    assert temp_files(sessions) == []


def test_many_sessions_with_one_title_on_one_day(sessions: Path) -> None:
    stores = [make(sessions, title="Same") for _ in range(12)]
    for store in stores:
        store.close()
    names = [store.path.name for store in stores]
    assert len(set(names)) == 12
    assert names[:3] == ["2024-05-01-same.json", "2024-05-01-same-2.json",
                         "2024-05-01-same-3.json"]
    assert all(NAME.match(name) for name in names)


# ---------------------------------------------------------------- one writer


def test_second_open_is_read_only_until_the_first_closes(sessions: Path) -> None:
    first = make(sessions)
    first.add_note("from the writer", round=0)
    path = first.path
    before = path.read_bytes()

    second = SessionStore.open(path)
    assert second.read_only
    assert texts(second.notes()) == ["from the writer"]
    with pytest.raises(ReadOnlyError):
        second.add_note("from the reader", round=0)
    with pytest.raises(ReadOnlyError):
        second.delete_note(second.notes()[0]["id"])
    with pytest.raises(ReadOnlyError):
        second.step_round(1)
    # a refused change is not kept in memory either
    assert texts(second.notes()) == ["from the writer"]
    assert second.current_round == 0
    assert path.read_bytes() == before
    second.close()

    first.add_note("writer goes on", round=0)  # the reader never took the writer's lock
    first.close()

    third = SessionStore.open(path)
    try:
        assert not third.read_only
        third.add_note("new writer", round=0)
    finally:
        third.close()
    assert texts(disk_notes(path)) == ["from the writer", "writer goes on", "new writer"]


def test_explicit_read_only_open_does_not_block_a_writer(sessions: Path) -> None:
    with make(sessions) as store:
        path = store.path
    reader = SessionStore.open(path, read_only=True)
    try:
        assert reader.read_only
        with SessionStore.open(path) as writer:
            assert not writer.read_only
            writer.add_note("written", round=0)
        with pytest.raises(ReadOnlyError):
            reader.add_note("x", round=0)
    finally:
        reader.close()
    assert texts(disk_notes(path)) == ["written"]


HOLDER = """
import sys
from pathlib import Path
from goodwork_tui.core.session_store import SessionStore

store = SessionStore.open(Path(sys.argv[1]))
print("writable" if not store.read_only else "read-only", flush=True)
sys.stdin.readline()
store.add_note("from the other process", round=0)
store.close()
print("closed", flush=True)
"""


def test_lock_held_by_another_process_gives_read_only(sessions: Path) -> None:
    with make(sessions) as store:
        store.add_note("first", round=0)
        path = store.path
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=child_env(), cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "writable", child.stderr.read()
        with SessionStore.open(path) as here:
            assert here.read_only
            with pytest.raises(ReadOnlyError):
                here.add_note("refused", round=0)
        out, err = child.communicate("go\n", timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert out.strip() == "closed"
    with SessionStore.open(path) as here:
        assert not here.read_only
        here.add_note("mine again", round=0)
    assert texts(disk_notes(path)) == ["first", "from the other process", "mine again"]


# ---------------------------------------------------------------- broken files


def valid_session_bytes(sessions: Path) -> bytes:
    with make(sessions, title="donor") as store:
        store.add_note("a note", round=0)
        path = store.path
    data = path.read_bytes()
    path.unlink()
    return data


def future_schema(data: bytes) -> bytes:
    parsed = json.loads(data)
    parsed["session"]["1"]["schema"] = 99
    return json.dumps(parsed).encode()


CORRUPT = {
    "truncated": lambda data: data[: len(data) // 2],
    "random bytes": lambda data: random.Random(7).randbytes(700),
    "empty file": lambda data: b"",
    "null": lambda data: b"null",
    "a list": lambda data: b"[1, 2, 3]",
    "session is a number": lambda data: b'{"session": 3}',
    "empty session table": lambda data: b'{"session": {}, "notes": {}}',
    "no session table": lambda data: b'{"notes": {}}',
    "session record not an object": lambda data: b'{"session": {"1": 3}}',
    "bad document id": lambda data: b'{"session": {"one": {"schema": 1}}}',
    "note not an object": lambda data: (
        b'{"session": {"1": {"schema": 1, "title": "t"}}, "notes": {"1": "text"}}'),
    "future schema": future_schema,
    "not utf-8": lambda data: data.replace(b'"a note"', b'"a \xff note"'),
}


@pytest.mark.parametrize("damage", CORRUPT, ids=list(CORRUPT))
@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
def test_broken_files_give_a_session_error_and_stay_untouched(
        sessions: Path, damage: str, read_only: bool) -> None:
    path = sessions / "2024-05-01-broken.json"
    path.write_bytes(CORRUPT[damage](valid_session_bytes(sessions)))
    before = path.read_bytes()

    with pytest.raises(SessionError) as caught:
        SessionStore.open(path, read_only=read_only)
    assert str(path) in str(caught.value)
    if damage == "future schema":
        assert "newer version" in str(caught.value)
    # the failed open let go of the lock (even while the error is still around)
    lock = FileLock(str(path) + ".lock", timeout=0, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        pytest.fail("a failed open kept the session locked")
    lock.release()
    assert path.read_bytes() == before
    assert temp_files(sessions) == []

    summary = summarize(path)  # the sessions list shows it as broken, never crashes
    assert summary.problem, summary
    assert summary.id == path.stem
    assert find_session(sessions, "latest") is None


def test_a_missing_file_is_a_session_error(sessions: Path) -> None:
    with pytest.raises(SessionError, match="does not exist"):
        SessionStore.open(sessions / "2024-05-01-nothing.json")


# ---------------------------------------------------------------- full disk, read-only folder


def enospc(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class FullDiskFile:
    """A temp file whose writes fail like a full disk."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> FullDiskFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def break_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(atomic.os, "fdopen",
                            lambda *a, **k: FullDiskFile(real_fdopen(*a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", enospc)
    elif where == "replace":
        monkeypatch.setattr(atomic.os, "replace", enospc)
    elif where == "link":  # the name cannot be made at all; os.replace as the fallback
        monkeypatch.setattr(atomic.os, "link", enospc)
        monkeypatch.setattr(atomic.os, "replace", enospc)
    elif where == "mkstemp":
        def refused(*args: Any, **kwargs: Any) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")
        monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)


CHANGES = {
    "add": lambda store, ids: store.add_note("lost?", round=0),
    "update": lambda store, ids: store.update_note(ids[0], text="changed?"),
    "delete": lambda store, ids: store.delete_note(ids[1]),
    "restore": lambda store, ids: store.restore_note({"id": "r", "seq": 9, "text": "back?"}),
    "move": lambda store, ids: store.move_note(ids[0], 3),
    "step round": lambda store, ids: store.step_round(1),
    "timer": lambda store, ids: store.set_timer(0, {"elapsed": 5}),
    "round order": lambda store, ids: store.set_round_order([2, 1]),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
@pytest.mark.parametrize("where", ["write", "fsync", "replace", "mkstemp"])
def test_a_failed_write_loses_nothing_and_claims_nothing(
        sessions: Path, monkeypatch: pytest.MonkeyPatch, where: str, change: str) -> None:
    store = make(sessions)
    ids = [store.add_note(f"kept {i}", round=0)["id"] for i in range(3)]
    before_bytes = store.path.read_bytes()
    before_notes, before_meta = store.notes(), store.meta

    with monkeypatch.context() as patch:
        break_disk(patch, where)
        with pytest.raises(OSError) as caught:
            CHANGES[change](store, ids)
    expected = errno.EACCES if where == "mkstemp" else errno.ENOSPC
    assert caught.value.errno == expected

    assert store.path.read_bytes() == before_bytes
    assert store.notes() == before_notes  # memory holds only what the file holds
    assert store.meta == before_meta
    assert temp_files(sessions) == []

    store.add_note("after the disk came back", round=0)
    path = store.path
    store.close()
    expected_texts = ["kept 0", "kept 1", "kept 2", "after the disk came back"]
    assert texts(disk_notes(path)) == expected_texts
    with SessionStore.open(path) as again:
        assert texts(again.notes()) == expected_texts
        assert again.meta == before_meta


def test_repeated_failures_then_success(sessions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with make(sessions) as store:
        store.add_note("one", round=0)
        with monkeypatch.context() as patch:
            patch.setattr(atomic.os, "replace", enospc)
            for _ in range(5):
                with pytest.raises(OSError):
                    store.add_note("never", round=0)
        second = store.add_note("two", round=0)
        path = store.path
    assert texts(disk_notes(path)) == ["one", "two"]
    assert second["seq"] == 2
    assert temp_files(sessions) == []


@pytest.mark.parametrize("where", ["write", "fsync", "mkstemp", "link"])
def test_a_failed_create_leaves_no_file(sessions: Path, monkeypatch: pytest.MonkeyPatch,
                                        where: str) -> None:
    with monkeypatch.context() as patch:
        break_disk(patch, where)
        with pytest.raises(OSError):
            make(sessions)
    assert list(sessions.glob("*.json")) == []
    assert temp_files(sessions) == []
    with make(sessions) as store:  # the name was not left taken or locked
        assert store.path.name == "2024-05-01-team-day.json"
        assert not store.read_only


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="root (and Windows) ignore folder permissions")
def test_read_only_folder(sessions: Path) -> None:
    store = make(sessions)
    store.add_note("kept", round=0)
    before = store.path.read_bytes()
    os.chmod(sessions, 0o555)
    try:
        with pytest.raises(OSError):
            store.add_note("refused", round=0)
        assert texts(store.notes()) == ["kept"]
        assert store.path.read_bytes() == before
    finally:
        os.chmod(sessions, 0o755)
    store.add_note("after", round=0)
    store.close()
    assert texts(disk_notes(store.path)) == ["kept", "after"]
    assert temp_files(sessions) == []


def test_failing_fsync_of_the_folder_after_replace(sessions: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is replaced but the folder fsync fails: the caller hears of it, and the next
    write still starts from a file that loads."""
    with make(sessions) as store:
        store.add_note("one", round=0)
        with monkeypatch.context() as patch:
            patch.setattr(atomic, "fsync_dir", enospc)
            with pytest.raises(OSError):
                store.add_note("maybe", round=0)
        store.add_note("two", round=0)
        path = store.path
    assert texts(disk_notes(path))[0] == "one" and texts(disk_notes(path))[-1] == "two"
    SessionStore.open(path, read_only=True).close()


# ---------------------------------------------------------------- the sessions folder


def test_list_and_find_sessions(sessions: Path) -> None:
    with make(sessions, title="Older", on=date(2024, 4, 1)) as older:
        older.add_note("n", round=0)
    with make(sessions, title="Archived", on=date(2024, 6, 1)) as archived:
        archived.update_meta(archived=True)
    with make(sessions, title="Newest", on=DAY) as newest:
        newest.add_note("n1", round=0)
        newest.add_note("n2", round=1)
    (sessions / "2024-07-01-broken.json").write_bytes(b"{nope")
    (sessions / ".hidden.json").write_text("{}")
    (sessions / "notes.md").write_text("# harvest")

    summaries = list_sessions(sessions)
    by_id = {s.id: s for s in summaries}
    assert set(by_id) == {older.id, archived.id, newest.id, "2024-07-01-broken"}
    assert by_id[newest.id].notes == 2 and by_id[newest.id].rounds == 4
    assert by_id[newest.id].format_title == "Group dialogue"
    assert by_id[archived.id].archived
    assert by_id["2024-07-01-broken"].problem

    assert find_session(sessions, "latest") == newest.path
    assert find_session(sessions, newest.id) == newest.path
    assert find_session(sessions, str(older.path)) == older.path
    assert find_session(sessions, "nope") is None
    assert find_session(sessions, "../sessions/" + newest.id) is None
    assert find_session(sessions / "missing", "latest") is None


def test_latest_of_two_sessions_on_one_day_is_the_last_created(sessions: Path) -> None:
    with make(sessions, title="Zeta morning") as morning:
        morning.update_meta(created="2024-05-01T09:00:00+02:00")
    with make(sessions, title="Alpha afternoon") as afternoon:
        afternoon.update_meta(created="2024-05-01T14:00:00+02:00")
    assert find_session(sessions, "latest") == afternoon.path
    assert [s.id for s in list_sessions(sessions)] == [afternoon.id, morning.id]


def test_a_session_file_holds_one_note_per_line_and_an_added_note_is_one_added_line(
        tmp_path: Path) -> None:
    import difflib

    store = SessionStore.create(tmp_path, title="Lines", lang="en")
    for number in range(3):
        store.add_note(f"note {number}", round=0)
    before = store.path.read_text(encoding="utf-8").splitlines()
    store.add_note("one more, with a line\nbreak and a \u00a0no-break space", round=0)
    after = store.path.read_text(encoding="utf-8").splitlines()
    store.close()
    notes = [line for line in after if '"text"' in line]
    assert len(notes) == 4  # each note on a line of its own
    changed = [line for line in difflib.ndiff(before, after) if line[:2] in ("- ", "+ ")]
    assert len(changed) == 1 and changed[0].startswith("+ ") and "one more" in changed[0]
    reopened = SessionStore.open(store.path, read_only=True)
    assert [n["text"] for n in reopened.notes()][-1].endswith("\u00a0no-break space")
    reopened.close()


def test_lines_remembered_between_writes_never_hide_a_change(tmp_path: Path) -> None:
    """Each write encodes only the documents that changed (the others' lines are
    remembered): a note or the session record changed in place, even deep inside, is
    written anew, and the file is always what encoding everything afresh gives."""
    from goodwork_tui.core.session_store import _dumps

    store = SessionStore.create(tmp_path, title="Remembered", lang="en", format=FORMAT)
    first = store.add_note("first", round=0)
    store.add_notes([{"text": f"room {n}", "round": 0, "queued": True} for n in range(3)])

    def fresh() -> bytes:
        return _dumps(store.db.storage.read() or {})  # no lines remembered

    assert store.path.read_bytes() == fresh()
    store.update_note(first["id"], text="first, changed", room_only=True)
    store.set_timer(0, {"running": True, "elapsed": 12.5})
    store.set_timer(0, {"running": True, "elapsed": 13.5})  # nested, changed in place
    store.update_meta(participants=[{"id": "p1", "name": "Ann", "consent": True}])
    assert store.path.read_bytes() == fresh()
    notes = disk_notes(store.path)
    assert notes[0]["text"] == "first, changed" and notes[0]["room_only"] is True
    assert on_disk(store.path)["session"]["1"]["timers"]["0"]["elapsed"] == 13.5
    store.close()
