"""Hardening, hostile text: Rich/Textual markup, ANSI and OSC escapes, C0/C1 controls, bidi
overrides, zero-width and combining characters, ZWJ emoji, a 100,000-character note and a
10,000-line note, in every field the app shows (session title, participants, notes, theme
names, take-aways, actions, situation titles and bodies, collection titles, tag labels,
format titles, round titles and prompts), pushed through every display path and the
exports.

The app is run once per module through a tour of every screen (the `tour` fixture); each
view is then its own test: nothing drawn may hold a character that is not text (C0/C1
controls, ESC, DEL, bidi overrides) and no drawn text may carry a clickable action
(`@click` in a style's meta) — checked on the compositor's strips, i.e. exactly what would
be written to the terminal. After the tour the app must still run with no return code.

Already proven elsewhere (not repeated): markup in notes and session titles shown
literally and a click on it doing nothing (tests/test_ui_session.py:
test_hostile_notes_are_stored_exactly_and_shown_literally); markup in library titles,
tags and problems (tests/test_ui_library.py: test_markup_in_library_text_...); hostile
text through `goodwork sessions list/show` (tests/test_cli_sessions.py); the export
structure under any text, by property test (tests/test_harvest_export.py).
"""

from __future__ import annotations

import asyncio
import html
import re
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from child_process import child_env
from hardening_helpers import (
    ALL,
    MANY_LINES,
    NOT_TEXT,
    ONE_LINE,
    SHORT,
    hostile_library,
    hostile_session,
    leaks,
    screen_strips,
)
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from textual import events
from textual.widgets import Input, OptionList, Select, TextArea
from ui_helpers import make_app, open_harvest, ready
from workspace_helpers import ROOT

from goodwork_tui.core.harvest import export
from goodwork_tui.core.markdown_safe import shown
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.textual_private import app_exception

SIZE = (160, 48)


@dataclass
class View:
    name: str
    leaks: list[str] = field(default_factory=list)
    error: str = ""
    screen: str = ""
    seconds: float = 0.0


@dataclass
class Tour:
    views: dict[str, View]
    running: bool = False
    return_code: int | None = None
    clicks: int = 0
    session: Path | None = None


# ---------------------------------------------------------------- the tour


async def back_to_main(app: Any, pilot: Any) -> None:
    for _ in range(6):
        if app.screen is app.main:
            break
        app.pop_screen()
        await pilot.pause()


def cell_positions(app: Any, needle: str) -> list[tuple[int, int]]:
    """Screen cells (x, y) where `needle` starts in the drawn text."""
    from rich.cells import cell_len

    found = []
    for y, line in enumerate(screen_strips(app)):
        text, cells = "", []
        for segment in line:
            for char in segment.text:
                cells.append(cell_len(text))
                text += char
        start = text.find(needle)
        if start >= 0:
            found.append((cells[start], y))
    return found


async def click_hostile_links(app: Any, pilot: Any, tour: Tour) -> None:
    """Click where '[@click=app.quit]' or '[link=file' is drawn: nothing may happen."""
    for needle in ("[@click=app.quit]", "[link=file"):
        for x, y in cell_positions(app, needle)[:1]:
            screen = app.screen
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            tour.clicks += 1
            if not app.is_running:
                return
            if app.screen is not screen:  # a click may open a picker's choice: go back
                await back_to_main(app, pilot) if screen is app.main else None


Step = Callable[[Any, Any], Awaitable[None]]


async def run_tour(root: Path, session: Path, only: set[str] | None = None,
                   clicks: set[str] | None = None) -> Tour:
    """Visit the views named in `only` (all when None), in the order of VIEW_NAMES; click
    the hostile markup in the views named in `clicks`."""
    from goodwork_tui.ui.screens.harvest import HarvestScreen
    from goodwork_tui.ui.screens.new_session import NewSessionScreen

    tour = Tour(views={}, session=session)
    app = make_app(root)
    hostile_name = next(p for p in (root / "sessions").glob("*.json") if "\x1b" in p.name)

    async def ensure_session() -> None:
        if app.sessions.store is None or app.sessions.store.path != session:
            assert app.sessions.open_file(session) is not None
            await pilot.pause()

    async def ensure_screen(kind: type, keys: str) -> None:
        """Pop modals and overlays until `kind` shows; press `keys` when it is not open."""
        for select in app.screen.query(Select):
            select.expanded = False
        while not isinstance(app.screen, kind) and app.screen is not app.main:
            app.pop_screen()
            await pilot.pause()
        if not isinstance(app.screen, kind):
            await pilot.press(keys)
            await pilot.pause()
        assert isinstance(app.screen, kind), type(app.screen).__name__

    async def main(app: Any, pilot: Any) -> None:
        app.open_situation("grenswerk-lauw-onthaal-en")  # a clean reader: only the tree

    async def reader_titles(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-a-en")

    async def reader_escape_title(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-c-en")

    async def reader_body(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-body-en")

    async def reader_long(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-long-en")

    async def recent(app: Any, pilot: Any) -> None:
        app.open_situation("grenswerk-lauw-onthaal-en")
        app.main.action_show_pane("session")

    async def open_picker(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+o")

    async def new_form(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-a-en")
        await pilot.pause()
        await ensure_screen(NewSessionScreen, "ctrl+n")

    async def new_form_formats(app: Any, pilot: Any) -> None:
        await ensure_screen(NewSessionScreen, "ctrl+n")
        app.screen.query_one("#new-format", Select).focus()
        await pilot.press("enter")

    async def new_form_pasted(app: Any, pilot: Any) -> None:
        await ensure_screen(NewSessionScreen, "ctrl+n")
        # a real paste: the terminal hands the app a Paste event for the focused field
        app.screen.query_one("#new-title", Input).focus()
        await pilot.pause()
        app.post_message(events.Paste(ONE_LINE))
        await pilot.pause()
        app.screen.query_one("#new-participants", TextArea).focus()
        await pilot.pause()
        app.post_message(events.Paste("\n".join(SHORT.values())))
        await pilot.pause()

    async def session_pane(app: Any, pilot: Any) -> None:
        app.open_situation("zz-hostile-b-en")  # the note flags name it
        await pilot.pause()
        await ensure_session()
        app.main.query_one("#notes", OptionList).focus()

    async def speaker_picker(app: Any, pilot: Any) -> None:
        await ensure_session()
        app.main.query_one("#note-input", Input).focus()
        await pilot.press("ctrl+b")

    async def move_picker(app: Any, pilot: Any) -> None:
        await ensure_session()
        app.main.query_one("#notes", OptionList).focus()
        await pilot.press("m")

    async def rounds_screen(app: Any, pilot: Any) -> None:
        await ensure_session()
        app.main.action_reorder_rounds()

    async def edit_note(app: Any, pilot: Any) -> None:
        await ensure_session()
        notes = app.main.query_one("#notes", OptionList)
        notes.focus()
        texts = [n["text"] for n in app.sessions.store.notes(app.sessions.round_index)]
        notes.highlighted = texts.index(ALL["all"])
        await pilot.press("e")

    async def end_edit(app: Any, pilot: Any) -> None:
        await ensure_session()
        app.main.query_one("#note-input", Input).focus()
        await pilot.press("escape")

    async def harvest(app: Any, pilot: Any) -> None:
        await ensure_session()
        await ensure_screen(HarvestScreen, "f12")

    async def harvest_filter(which: str) -> None:
        await harvest(app, pilot)
        app.screen.query_one(f"#filter-{which}", Select).focus()
        await pilot.press("enter")

    async def round_filter(app: Any, pilot: Any) -> None:
        await harvest_filter("round")

    async def situation_filter(app: Any, pilot: Any) -> None:
        await harvest_filter("situation")

    async def theme_picker(app: Any, pilot: Any) -> None:
        await harvest(app, pilot)
        app.screen.query_one("#harvest-notes").focus()
        await pilot.press("t")

    async def on_item(selector: str, items: str) -> None:
        await harvest(app, pilot)
        target = app.screen.query_one(selector, OptionList)
        target.focus()
        names = [item.get("name", item.get("text")) for item in app.sessions.store.meta[items]]
        target.highlighted = names.index(ONE_LINE) if ONE_LINE in names else len(names) - 1
        await pilot.press("enter")

    async def rename_theme(app: Any, pilot: Any) -> None:
        await on_item("#harvest-themes", "themes")

    async def edit_action(app: Any, pilot: Any) -> None:
        await on_item("#harvest-actions", "actions")

    async def export_preview(app: Any, pilot: Any) -> None:
        await harvest(app, pilot)
        await pilot.press("ctrl+e")

    async def room(app: Any, pilot: Any) -> None:
        await harvest(app, pilot)
        await pilot.press("f11")

    async def problems(app: Any, pilot: Any) -> None:
        await pilot.press("f7")

    async def help_screen(app: Any, pilot: Any) -> None:
        await pilot.press("f1")

    async def file_name_notices(app: Any, pilot: Any) -> None:
        app.clear_notifications()
        app.sessions.close()
        await pilot.pause()
        app.clear_notifications()
        holder = SessionStore.open(hostile_name)  # "another window": the notice names it
        try:
            app.sessions.open_file(hostile_name)
            await pilot.pause()
        finally:
            holder.close()
        app.sessions.close()
        await pilot.pause()
        app.sessions.open_file(hostile_name)
        app.sessions.write_export("md", False)

    # name -> (step, go back to the main screen afterwards); in the order of VIEW_NAMES
    steps: dict[str, tuple[Step, bool]] = {
        "library tree": (main, True),
        "reader: hostile title, tags, collection": (reader_titles, True),
        "reader: escape sequences in the title": (reader_escape_title, True),
        "reader: controls in the Markdown body": (reader_body, True),
        "reader: a body too long for Markdown": (reader_long, True),
        "recent sessions": (recent, True),
        "open-session picker": (open_picker, True),
        "new session form: library titles": (new_form, False),
        "new session form: format list": (new_form_formats, False),
        "new session form: pasted title and participants": (new_form_pasted, True),
        "session pane: head, round, prompt, notes, flags": (session_pane, True),
        "speaker picker": (speaker_picker, True),
        "move-to-round picker": (move_picker, True),
        "reorder rounds": (rounds_screen, True),
        "note input while editing a note": (edit_note, False),
        "session pane after the edit": (end_edit, True),
        "harvest: table, themes, actions, take-aways": (harvest, False),
        "harvest: round filter": (round_filter, False),
        "harvest: situation filter": (situation_filter, False),
        "harvest: theme picker": (theme_picker, False),
        "harvest: rename-theme form": (rename_theme, False),
        "harvest: edit-action form": (edit_action, False),
        "export preview": (export_preview, False),
        "room view": (room, True),
        "problems panel": (problems, True),
        "help": (help_screen, True),
        "notices naming a session file": (file_name_notices, True),
    }
    assert list(steps) == VIEW_NAMES
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(app, pilot)
        for name, (step, reset) in steps.items():
            if only is not None and name not in only:
                continue
            view = tour.views[name] = View(name)
            started = time.monotonic()
            try:
                await step(app, pilot)
                await pilot.pause()
                view.screen = type(app.screen).__name__
                view.leaks = leaks(app)
                if clicks is None or name in clicks:
                    await click_hostile_links(app, pilot, tour)
            except Exception as error:  # noqa: BLE001 - recorded, the tour goes on
                view.error = f"{type(error).__name__}: {error}"[:400]
            if not app.is_running:
                view.error = view.error or f"the app stopped: {app_exception(app)!r}"
                break
            app.clear_notifications()
            if reset or view.error:
                await back_to_main(app, pilot)
            view.seconds = time.monotonic() - started
        tour.running = app.is_running
    tour.return_code = app.return_code
    return tour


# The default run tours these views (every one a known leak shows in, and the main ones)
# and clicks the markup in three; `-m slow` tours and clicks every view.
QUICK_VIEWS = {
    "library tree", "reader: hostile title, tags, collection",
    "reader: controls in the Markdown body",
    "new session form: pasted title and participants",
    "session pane: head, round, prompt, notes, flags", "note input while editing a note",
    "harvest: table, themes, actions, take-aways", "harvest: rename-theme form",
    "export preview", "room view",
    "notices naming a session file",
}
QUICK_CLICKS = {"library tree", "session pane: head, round, prompt, notes, flags",
                "room view"}


def make_tour(factory: pytest.TempPathFactory, only: set[str] | None,
              clicks: set[str] | None) -> Tour:
    root = factory.mktemp("hostile") / "ws"
    home = factory.mktemp("hostile-home")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the autouse one is too late
        patch.setenv("GOODWORK_CONFIG", str(home / "config.toml"))
        patch.setenv("GOODWORK_CACHE", str(home / "cache"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        hostile_library(root)
        session = hostile_session(root / "sessions")
        named = hostile_session(root / "sessions", title="odd file name")
        named.rename(named.with_name("2026-03-13-\x1b]0;pwned\x07\x1b[2J.json"))
        return asyncio.run(run_tour(root, session, only, clicks))


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Tour:
    return make_tour(tmp_path_factory, QUICK_VIEWS, QUICK_CLICKS)


@pytest.fixture(scope="module")
def full_tour(tmp_path_factory: pytest.TempPathFactory) -> Tour:
    return make_tour(tmp_path_factory, None, None)


LEAKS: dict[str, str] = {}  # views that drew hostile text raw; all fixed

VIEW_NAMES = [
    "library tree", "reader: hostile title, tags, collection",
    "reader: escape sequences in the title", "reader: controls in the Markdown body",
    "reader: a body too long for Markdown", "recent sessions", "open-session picker",
    "new session form: library titles", "new session form: format list",
    "new session form: pasted title and participants",
    "session pane: head, round, prompt, notes, flags", "speaker picker",
    "move-to-round picker", "reorder rounds", "note input while editing a note",
    "session pane after the edit", "harvest: table, themes, actions, take-aways",
    "harvest: round filter", "harvest: situation filter", "harvest: theme picker",
    "harvest: rename-theme form", "harvest: edit-action form", "export preview",
    "room view", "problems panel", "help", "notices naming a session file",
]


def view_params() -> list[Any]:
    params = []
    for name in VIEW_NAMES:
        marks = [] if name in QUICK_VIEWS else [pytest.mark.slow]
        if name in LEAKS:
            marks.append(pytest.mark.xfail(strict=True, reason=LEAKS[name]))
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("name", view_params())
def test_every_view_draws_hostile_text_as_text(request: pytest.FixtureRequest,
                                               name: str) -> None:
    tour = request.getfixturevalue("tour" if name in QUICK_VIEWS else "full_tour")
    view = tour.views.get(name)
    assert view is not None, "the tour stopped before this view"
    assert view.error == ""
    assert view.leaks == [], "\n".join(view.leaks[:8])


def check_tour(tour: Tour, names: list[str], clicks: int) -> None:
    assert list(tour.views) == names
    assert [f"{v.name}: {v.error}" for v in tour.views.values() if v.error] == []
    assert tour.running and tour.return_code is None  # no click, key or text quit it
    assert tour.clicks >= clicks, "the hostile markup was not drawn where it could be clicked"
    shown_on = {v.name: v.screen for v in tour.views.values()}
    assert shown_on["harvest: table, themes, actions, take-aways"] == "HarvestScreen"
    assert shown_on["room view"] == "RoomScreen"
    assert shown_on["export preview"] == "ExportScreen"
    assert shown_on["harvest: rename-theme form"] == "FieldsScreen"
    total = sum(len(v.leaks) for v in tour.views.values())
    print(f"RELIABILITY hostile tour: {len(tour.views)} views, {tour.clicks} clicks on drawn "
          f"markup, {total} drawn pieces with controls in "
          f"{sum(1 for v in tour.views.values() if v.leaks)} views")


def test_the_tour_visited_its_views_and_the_app_survived(tour: Tour) -> None:
    check_tour(tour, [name for name in VIEW_NAMES if name in QUICK_VIEWS], 4)


@pytest.mark.slow
def test_the_full_tour_visited_every_view_and_the_app_survived(full_tour: Tour) -> None:
    check_tour(full_tour, VIEW_NAMES, 12)
    assert {v.screen for v in full_tour.views.values()} >= {
        "PickScreen", "RoundsScreen", "NewSessionScreen", "HelpScreen", "ProblemsScreen"}


def test_the_session_file_kept_every_hostile_text(tour: Tour) -> None:
    assert tour.session is not None
    with SessionStore.open(tour.session, read_only=True) as store:
        texts = [note["text"] for note in store.notes()]
        meta = store.meta
    assert texts == list(ALL.values())  # stored byte for byte, the tour changed nothing
    assert meta["title"] == ONE_LINE
    assert [p["name"] for p in meta["participants"]] == list(SHORT.values())


# ---------------------------------------------------------------- the exports

TOKENS = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)


def token_kinds(markdown: str) -> list[str]:
    kinds = []
    for token in TOKENS.parse(markdown):
        kinds.append(f"{token.type}:{token.tag}")
        kinds += [f"  {child.type}" for child in token.children or []
                  if child.type not in ("text", "softbreak", "hardbreak")]
    return kinds


def tame(text: str) -> str:
    """Plain words with as many shown lines as `text`."""
    return "\n".join(f"word{n}" for n in range(len(shown(text).split("\n"))))


def hostile_and_tame(tmp_path: Path) -> tuple[tuple[dict, list], tuple[dict, list]]:
    path = hostile_session(tmp_path)
    with SessionStore.open(path, read_only=True) as store:
        meta, notes = store.meta, store.notes()
    tame_meta = dict(meta, title="word", group="word", facilitator="word",
                     takeaways="\n\n".join(tame(p) for p in meta["takeaways"].split("\n\n")),
                     themes=[dict(t, name="word") for t in meta["themes"]],
                     actions=[dict(a, text=tame(a["text"]), owner="word" if a["owner"] else "",
                                   review="word") for a in meta["actions"]],
                     participants=[dict(p, name=f"word{n}") for n, p in
                                   enumerate(meta["participants"])],
                     situation_titles={k: {"title": "word", "summary": "word"}
                                       for k in meta["situation_titles"]})
    tame_meta["format"] = dict(meta["format"], title="word",
                               rounds=[dict(r, title=f"word{n}") for n, r in
                                       enumerate(meta["format"]["rounds"])])
    tame_notes = [dict(n, text=tame(n["text"])) for n in notes]
    return (meta, notes), (tame_meta, tame_notes)


@pytest.mark.parametrize("names", [False, True])
def test_the_export_of_a_hostile_session_keeps_its_structure(tmp_path: Path,
                                                             names: bool) -> None:
    (meta, notes), (tame_meta, tame_notes) = hostile_and_tame(tmp_path)
    markdown = export(meta, notes, names=names)
    assert token_kinds(markdown) == token_kinds(export(tame_meta, tame_notes, names=names))
    assert not NOT_TEXT.search(markdown.replace("\n", ""))
    front = yaml.safe_load(markdown.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["title"] == shown(ONE_LINE)
    assert front["counts"]["notes"] == len(ALL)
    # every note comes back as text: the rendered page holds what the note shows
    page = html.unescape(re.sub(r"<[^>]+>", "", TOKENS.render(markdown)))
    for text in ALL.values():
        if text != MANY_LINES:
            assert " ".join(shown(text).split()) in " ".join(page.split()), text[:40]
    assert "line 9999" in page and "line 0" in page


def test_the_html_export_of_a_hostile_session_is_one_safe_page(tmp_path: Path) -> None:
    (meta, notes), _ = hostile_and_tame(tmp_path)
    page = export(meta, notes, fmt="html", names=True)
    assert not NOT_TEXT.search(page.replace("\n", ""))
    lowered = page.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert lowered.count("<html") == lowered.count("</html>") == 1
    assert 'href="file:' not in lowered  # markup-like links stay text
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1)  # escaped: one text node
    assert html.unescape(title.group(1)) == shown(ONE_LINE)


def test_goodwork_export_prints_only_text(tmp_path: Path) -> None:
    from hardening_helpers import starter_workspace

    root = starter_workspace(tmp_path / "ws")
    path = hostile_session(root / "sessions")
    for fmt in ("md", "html"):
        done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace", str(root),
                               "export", path.stem, "--format", fmt, "--names"],
                              capture_output=True, env=child_env(), cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr.decode()[-500:]
        out = done.stdout.decode("utf-8")
        assert not NOT_TEXT.search(out.replace("\n", "")), fmt
        assert len(out) > 100_000


def test_goodwork_library_check_prints_only_text(tmp_path: Path) -> None:
    root = hostile_library(tmp_path / "ws")
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace", str(root),
                           "library", "check"], capture_output=True, env=child_env(), cwd=ROOT,
                          timeout=120)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1 and "unknown tag" in out
    assert not NOT_TEXT.search(out.replace("\n", "")), [
        line[:100] for line in out.split("\n") if NOT_TEXT.search(line)]


async def test_opening_the_harvest_changes_no_take_aways(tmp_path: Path) -> None:
    from hardening_helpers import starter_workspace

    root = starter_workspace(tmp_path / "ws")
    with SessionStore.create(root / "sessions", title="t",
                             format={"title": "f", "rounds": [{"title": "r", "minutes": 5}]}
                             ) as store:
        store.set_takeaways("pasted from a mail: \x1b[31mred\x1b[0m")
        path = store.path
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.sessions.open_file(path) is not None
        harvest = await open_harvest(app, pilot)
        harvest.flush()  # what a pending save would write, written now: nothing changed
        await pilot.press("escape")
        await pilot.pause()
    with SessionStore.open(path, read_only=True) as store:
        assert store.meta["takeaways"] == "pasted from a mail: \x1b[31mred\x1b[0m"
