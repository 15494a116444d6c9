"""Hardening, paths: session titles and situation ids holding '../', '/', '\\', NUL,
Windows reserved names or 1,000 characters give safe, unique file names that never leave
the workspace — through SessionStore.create, through the New session form, through the
library loader (ids), and for exports (named after the session id).

Already proven elsewhere (not repeated): 13 hostile titles through SessionStore.create, two
sessions each (tests/test_session_store.py: test_file_names_are_safe_and_unique) and
`find_session` refusing '../' references (test_list_and_find_sessions).
"""

from __future__ import annotations

import errno
import re
from datetime import date
from pathlib import Path

import pytest
from hardening_helpers import starter_workspace
from textual import events
from textual.widgets import Input
from ui_helpers import WIDE, NotifySpy, make_app, ready, wait_until
from workspace_helpers import write

from goodwork_tui.core.harvest import write_export
from goodwork_tui.core.library import load_library
from goodwork_tui.core.session_store import SessionStore, find_session
from goodwork_tui.core.slug import RESERVED
from goodwork_tui.core.text import displayable

NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9-]+(-\d+)?\.json$")
WINDOWS_RESERVED = ["CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9", "con.json",
                    "Nul.txt", "aux.tar.gz", "CONIN$", "CONOUT$", "con ", " CON.", "com0"]
TITLES = [
    "../x", "../../../../etc/passwd", "/etc/passwd", "\\..\\..\\windows\\system32",
    "a/b\\c/../d", "x\x00y", "\x00", "\x00../\x00", ".", "..", "...", ".json", "a.json",
    "~", "~root/x", "$HOME", "%APPDATA%\\x", '*?<>|:"', "-rf", "--help", "\n\r\t",
    "\u202e\u2066", "\x1b]0;t\x07", "x" * 1000, "é" * 1000, "日本語のセッション", "🙂" * 300,
    "a" + "/" * 999, *WINDOWS_RESERVED,
]


def check_name(path: Path, sessions: Path) -> None:
    name = path.name
    assert NAME.match(name), name
    assert len(name.encode()) <= 80
    assert path.resolve().parent == sessions.resolve()
    first = name[len("2024-05-01-"):].split(".")[0].split("-")[0]
    assert first not in RESERVED, name
    assert not name[0].isspace() and not name.endswith((" ", "."))


@pytest.mark.parametrize("title", TITLES, ids=[repr(t)[:30] for t in TITLES])
def test_every_title_gives_a_safe_unique_name_inside_the_sessions_folder(
        tmp_path: Path, title: str) -> None:
    sessions = tmp_path / "ws" / "sessions"
    stores = [SessionStore.create(sessions, title=title, on=date(2024, 5, 1))
              for _ in range(3)]
    for store in stores:
        store.close()
        check_name(store.path, sessions)
        with SessionStore.open(store.path) as again:
            assert again.meta["title"] == title  # the title itself is kept as typed
    assert len({store.path for store in stores}) == 3
    everything = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.parts[:2] == ("ws", "sessions") for p in everything), everything


async def test_the_new_session_form_makes_safe_names(workspace_dir: Path) -> None:
    from goodwork_tui.ui.screens.new_session import NewSessionScreen

    sessions = workspace_dir / "sessions"
    titles = ["../../a/b\\CON.txt\x00", "n" * 1000]
    app = make_app(workspace_dir)
    made: list[tuple[str, Path]] = []
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        for title in titles:
            before = set(sessions.glob("*.json"))
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "form")
            await pilot.pause()
            title_input = app.screen.query_one("#new-title", Input)
            app.post_message(events.Paste(title))  # what a terminal paste sends
            await pilot.pause()
            typed = title_input.value
            # a paste longer than the field's 300 characters is refused whole: type it then
            if not typed and len(title) > 300:
                title_input.insert_text_at_cursor(title[:300])
                typed = title_input.value
            assert typed == displayable(title)[:300], typed  # controls pasted as symbols
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
            new = set(sessions.glob("*.json")) - before
            assert len(new) == 1, (title, new)
            made.append((typed, new.pop()))
            app.sessions.close()
            await pilot.pause()
        assert app.is_running and app.return_code is None
    today = date.today().isoformat()
    for title, path in made:
        check_name(path, sessions)
        assert path.name.startswith(today)
        with SessionStore.open(path) as store:
            assert store.meta["title"] == title.strip()
    outside = [p for p in workspace_dir.parent.rglob("*.json") if sessions not in p.parents]
    assert outside == []


BAD_IDS = ["../x", "/abs", "a/b", "..", "x\\\\y", "x\\0y", "CON", "Caps", "-x", "x_y",
           "x y", "é", "x.md", "", "x/"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_situation_and_format_ids_outside_the_pattern_are_refused(tmp_path: Path,
                                                                   bad: str) -> None:
    root = starter_workspace(tmp_path / "ws")
    lib = root / "library"
    quoted = '"' + bad + '"'
    write(lib / "grenswerk" / "zz-bad.md",
          f"---\nid: {quoted}\ntitle: Bad\ncollection: grenswerk\nlang: en\n---\n\n"
          "## Situation\n\nText.\n")
    write(lib / "formats" / "zz-bad-format.md",
          f"---\nid: {quoted}\ntitle: Bad\nlang: en\nkind: group\nminutes: 5\n---\n\n"
          "## Round\n\n- minutes: 5\n\nPrompt.\n")
    library = load_library(lib)
    names = {p.path.name: p.message for p in library.problems}
    assert set(names) == {"zz-bad.md", "zz-bad-format.md"}, names
    assert all(("not valid" in m or "missing field 'id'" in m) for m in names.values()), names
    starter = load_library(Path(__file__).resolve().parent.parent / "library")
    assert len(library.situations) == len(starter.situations)
    assert len(library.formats) == len(starter.formats)
    assert all(".." not in s.id and "/" not in s.id for s in library.situations)


def test_a_long_id_that_fits_the_pattern_is_only_an_id(tmp_path: Path) -> None:
    """Ids never become file names: a 1,000-character id loads and leaves no file."""
    root = starter_workspace(tmp_path / "ws")
    long_id = "a" * 1000
    write(root / "library" / "grenswerk" / "zz-long.md",
          f"---\nid: {long_id}\ntitle: Long\ncollection: grenswerk\nlang: en\n---\n\n"
          "## Situation\n\nText.\n")
    library = load_library(root / "library")
    assert library.situation(long_id) is not None
    with SessionStore.create(root / "sessions", title="uses it", situations=[long_id]) as store:
        assert store.meta["situations"] == [long_id]
        assert len(store.path.name) <= 80


HAND_NAMED = ["CON", "-rf", "a b", "x" * 240, "..x", "\x1b]0;t\x07"]
APP_HAND_NAMED = ["CON", "x" * 240, "..x"]


@pytest.mark.parametrize("stem", HAND_NAMED, ids=[repr(s)[:20] for s in HAND_NAMED])
def test_exports_are_named_after_the_session_id_inside_harvests(tmp_path: Path,
                                                                stem: str) -> None:
    folder = tmp_path / "ws" / "sessions" / "harvests"
    try:
        first = write_export(folder, f"{stem}-harvest", "# one\n", "md")
        second = write_export(folder, f"{stem}-harvest", "# two\n", "html")
        third = write_export(folder, f"{stem}-harvest", "# three\n", "md")
    except OSError as error:  # a name longer than the file system allows: said, no file
        assert error.errno == errno.ENAMETOOLONG and len(stem) > 200
        assert not folder.exists() or list(folder.iterdir()) == []
        return
    assert [p.parent for p in (first, second, third)] == [folder] * 3
    assert (first.name, second.name, third.name) == (
        f"{stem}-harvest.md", f"{stem}-harvest.html", f"{stem}-harvest-2.md")
    assert first.read_text() == "# one\n" and third.read_text() == "# three\n"


async def test_the_app_exports_a_hand_named_session_inside_harvests(
        workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = workspace_dir / "sessions"
    paths = []
    for stem in APP_HAND_NAMED:
        with SessionStore.create(sessions, title="hand named") as store:
            path = store.path
        paths.append(path.rename(sessions / f"{stem}.json"))
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        for path in paths:
            assert app.sessions.open_file(path) is not None
            app.sessions.write_export("md", False)
            await pilot.pause()
            message = spy.messages[-1]
            assert message.startswith(("Harvest written", "The harvest could not be written"))
            app.sessions.close()
            await pilot.pause()
        assert app.is_running
    written = list((sessions / "harvests").iterdir())
    assert all(p.parent == sessions / "harvests" for p in written)
    assert len(written) == len(APP_HAND_NAMED) - 1  # the 240-character name is too long
    assert any("File name too long" in m for m in spy.messages)


def test_find_session_never_leaves_the_sessions_folder(tmp_path: Path) -> None:
    sessions = tmp_path / "ws" / "sessions"
    with SessionStore.create(sessions, title="inside") as store:
        inside = store.path
    outside = tmp_path / "outside.json"
    outside.write_bytes(inside.read_bytes())
    for ref in ("../outside", "..\\outside", "/../outside", "inside/../../outside",
                "../../ws/sessions/" + inside.stem):
        assert find_session(sessions, ref) is None, ref
    assert find_session(sessions, inside.stem) == inside


