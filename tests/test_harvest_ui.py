"""The harvest screen, the export preview and the room view, driven with Pilot.

After every step the session file is read back from disk: a star, a vote or a theme that
is only on screen is one the harvest can lose.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    OptionList,
    Select,
    Static,
    TextArea,
)
from ui_helpers import (
    WIDE,
    NotifySpy,
    make_app,
    meta_of,
    notes_of,
    open_harvest,
    open_session,
    palette_run,
    palette_titles,
    press_keys,
    ready,
    text_of,
    type_text,
    wait_until,
)

from goodwork_tui.core.harvest import export
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.app import GoodWorkApp
from goodwork_tui.ui.screens.export import ExportScreen
from goodwork_tui.ui.screens.harvest import HarvestScreen
from goodwork_tui.ui.screens.pick import PickScreen
from goodwork_tui.ui.screens.prompt import FieldsScreen
from goodwork_tui.ui.screens.room import RoomScreen

ROUNDS = [
    {"title": "Recognise", "prompt": "Do you recognise this? Where did you meet it?",
     "minutes": 10, "kinds": ["experience"]},
    {"title": "Images of good work", "prompt": "What did you do, and why?", "minutes": 10,
     "kinds": ["action-option"]},
    {"title": "Shared issues", "prompt": "What comes back in more stories?", "minutes": 10,
     "kinds": ["shared-issue"]},
]
ROOM_ONLY = "The director was wrong"
# (text, round, kind, lens, speaker, room_only)
NOTES = [
    ("Call the client first", 0, "action-option", "ethical", "p1", False),
    ("Honesty over speed", 0, "value-norm", "excellent", "p2", False),
    (ROOM_ONLY, 0, "experience", "", "p1", True),
    ("[@click=app.quit]x[/]", 1, "question", "", "", False),
    ("Energy came back", 1, "experience", "engaging", "p3", False),
    ("We try it next month", 2, "outcome", "", "p2", False),
]
PALETTE_NAMES = ["Export harvest", "Copy harvest", "Room view", "Harvest"]


def make_session(root: Path) -> Path:
    """A session written straight through the store (set-up, not under test)."""
    with SessionStore.create(
        root / "sessions", title="Harvest day", on=date(2026, 3, 14), group="Team North",
        format={"id": "f", "title": "Group dialogue", "rounds": ROUNDS},
        participants=[{"name": "Anna Smit", "consent": True},
                      {"name": "Bram Bakker", "consent": False}, {"name": ""}],
    ) as store:
        for text, round_index, kind, lens, speaker, room_only in NOTES:
            note = store.add_note(text, round=round_index, kind=kind, lens=lens,
                                  speaker=speaker, room_only=room_only)
            if room_only:  # starred, voted and themed: still never shown to the room
                store.star_note(note["id"], True)
                store.vote(note["id"], 3)
                store.set_note_theme(note["id"], store.add_theme("Hidden theme"))
        return store.path


def note_of(path: Path, text: str) -> dict[str, Any]:
    return next(n for n in notes_of(path) if n["text"] == text)


def anonymous_markdown(path: Path, names: bool = False) -> str:
    with SessionStore.open(path, read_only=True) as store:
        return export(store.meta, store.notes(), names=names, lang="en")


def table(app: GoodWorkApp) -> DataTable:
    return app.screen.query_one("#harvest-notes", DataTable)


def row_keys(app: GoodWorkApp) -> list[str]:
    notes = table(app)
    return [str(notes.coordinate_to_cell_key((row, 0)).row_key.value)
            for row in range(notes.row_count)]


async def cursor_to(app: GoodWorkApp, pilot: Pilot, note_id: str) -> None:
    """Move the table's cursor to the note with the arrow keys."""
    target = row_keys(app).index(note_id)
    notes = table(app)
    assert app.focused is notes
    while notes.cursor_row < target:
        await press_keys(pilot, "down")
    while notes.cursor_row > target:
        await press_keys(pilot, "up")


async def pick(app: GoodWorkApp, pilot: Pilot, prompt: str) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, PickScreen), "the picker")
    options = app.screen.query_one("#pick-list", OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    target = prompts.index(prompt)
    if options.highlighted is None:
        await press_keys(pilot, "down")
    while options.highlighted < target:
        await press_keys(pilot, "down")
    while options.highlighted > target:
        await press_keys(pilot, "up")
    await press_keys(pilot, "enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen), "the picker")
    await pilot.pause()


async def fill_fields(app: GoodWorkApp, pilot: Pilot, values: list[str]) -> None:
    """Type each value into the form's fields, Enter after each (the last one submits),
    all in one go, as a fast typist: Enter moves on before the next value's keys."""
    await wait_until(pilot, lambda: isinstance(app.screen, FieldsScreen), "the form")
    await pilot.pause()
    form = app.screen
    assert len(form.query(Input)) == len(values)
    assert isinstance(app.focused, Input)
    await press_keys(pilot, *"\n".join(values), "\n")
    await wait_until(pilot, lambda: app.screen is not form, "the form to close")
    await pilot.pause()


# ---------------------------------------------------------------- stars, votes, themes, actions


async def test_stars_votes_themes_actions_and_takeaways_are_on_disk_at_once(workspace_dir):
    path = make_session(workspace_dir)
    first, second = (note_of(path, NOTES[i][0])["id"] for i in (0, 1))
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_harvest(app, pilot)
        assert app.focused is table(app)
        assert row_keys(app) == [n["id"] for n in notes_of(path)]
        await cursor_to(app, pilot, first)

        await press_keys(pilot, "s")
        assert note_of(path, NOTES[0][0])["starred"] is True
        await press_keys(pilot, "s")
        assert note_of(path, NOTES[0][0])["starred"] is False
        await press_keys(pilot, "s")
        assert note_of(path, NOTES[0][0])["starred"] is True

        await press_keys(pilot, "plus", "plus", "plus")
        assert note_of(path, NOTES[0][0])["votes"] == 3
        await press_keys(pilot, "minus")
        assert note_of(path, NOTES[0][0])["votes"] == 2
        await cursor_to(app, pilot, second)
        await press_keys(pilot, "minus")  # never below zero
        assert note_of(path, NOTES[1][0]).get("votes", 0) == 0
        await press_keys(pilot, "plus")
        assert note_of(path, NOTES[1][0])["votes"] == 1

        # t: the theme picker, "New theme…", then the name form
        await cursor_to(app, pilot, first)
        await press_keys(pilot, "t")
        await pick(app, pilot, "New theme…")
        await fill_fields(app, pilot, ["Trust in the team"])
        themes = meta_of(path)["themes"]
        assert [t["name"] for t in themes] == ["Hidden theme", "Trust in the team"]
        trust = themes[1]["id"]
        assert note_of(path, NOTES[0][0])["theme"] == trust
        # the second note into the same theme, chosen from the picker
        await cursor_to(app, pilot, second)
        await press_keys(pilot, "t")
        await pick(app, pilot, "Trust in the team")
        assert note_of(path, NOTES[1][0])["theme"] == trust
        assert len(meta_of(path)["themes"]) == 2
        # and out of it again
        await press_keys(pilot, "t")
        await pick(app, pilot, "(no theme)")
        assert note_of(path, NOTES[1][0])["theme"] == ""

        # a: an action agreement, three fields
        await press_keys(pilot, "a")
        await fill_fields(app, pilot, ["Call the client first", "Bram Bakker", "2026-04-01"])
        actions = meta_of(path)["actions"]
        assert [(a["text"], a["owner"], a["review"]) for a in actions] == [
            ("Call the client first", "Bram Bakker", "2026-04-01")]

        # take-aways: typed, saved once typing pauses
        area = app.screen.query_one("#harvest-takeaways", TextArea)
        area.focus()
        await pilot.pause()
        await type_text(pilot, "Stories travel")
        await press_keys(pilot, "enter", "enter")
        await type_text(pilot, "Questions too")
        await wait_until(  # saved 0.4 s after the last key, without a key or a flush
            pilot, lambda: meta_of(path)["takeaways"] == "Stories travel\n\nQuestions too",
            "the take-aways on disk")
        # and what the harvest screen did shows in the export
        markdown = anonymous_markdown(path)
        assert "### Trust in the team" in markdown
        assert "owner: Participant B" in markdown and "Bram" not in markdown
        assert "Stories travel\n\nQuestions too" in markdown


async def test_filters_reduce_the_rows(workspace_dir):
    path = make_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        screen = await open_harvest(app, pilot)
        everything = row_keys(app)
        assert len(everything) == len(NOTES)

        async def choose(what: str, value: str) -> list[str]:
            screen.query_one(f"#filter-{what}", Select).value = value
            await pilot.pause()
            return [note["text"] for note in notes_of(path) if note["id"] in row_keys(app)]

        assert await choose("kind", "experience") == [ROOM_ONLY, "Energy came back"]
        assert await choose("lens", "engaging") == ["Energy came back"]
        assert await choose("round", "0") == []
        assert await choose("lens", "*") == [ROOM_ONLY]
        assert await choose("kind", "*") == [text for text, r, *_ in NOTES if r == 0]
        assert await choose("round", "2") == ["We try it next month"]
        assert await choose("round", "*") == [text for text, *_ in NOTES]


# ---------------------------------------------------------------- export, copy


def harvest_files(root: Path) -> list[str]:
    folder = root / "sessions" / "harvests"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def test_export_writes_new_files_and_never_overwrites(workspace_dir, monkeypatch):
    path = make_session(workspace_dir)
    stem = f"{path.stem}-harvest"
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_harvest(app, pilot)
        expected = anonymous_markdown(path)

        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")
        await pilot.pause()
        preview = app.screen.query_one("#export-preview", TextArea)
        assert preview.text == expected and preview.read_only
        assert ROOM_ONLY not in preview.text and "Bram" not in preview.text
        button = app.screen.query_one("#md", Button)
        assert str(button.label) == "Write Markdown"
        await pilot.click("#md")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), "closing")
        first = workspace_dir / "sessions" / "harvests" / f"{stem}.md"
        assert harvest_files(workspace_dir) == [f"{stem}.md"]
        assert first.read_text(encoding="utf-8") == expected
        assert any(str(first) in message for message in spy.messages), spy.messages

        # a second export through the palette gets a new name; the first stays as it was
        await palette_run(app, pilot, "Export harvest")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")
        await pilot.pause()
        await pilot.click("#md")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), "closing")
        second = first.with_name(f"{stem}-2.md")
        assert harvest_files(workspace_dir) == [f"{stem}-2.md", f"{stem}.md"]
        assert second.read_text(encoding="utf-8") == expected
        assert first.read_text(encoding="utf-8") == expected
        assert any(str(second) in message for message in spy.messages), spy.messages

        # with the names of those who consented, as HTML
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")
        await pilot.pause()
        await pilot.click("#export-names")
        await pilot.pause()
        assert app.screen.query_one("#export-names", Checkbox).value
        preview = app.screen.query_one("#export-preview", TextArea)
        assert "Anna Smit" in preview.text and "Bram" not in preview.text
        await pilot.click("#html")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), "closing")
        html = (workspace_dir / "sessions" / "harvests" / f"{stem}.html").read_text("utf-8")
        assert "Anna Smit" in html and "Bram" not in html and ROOM_ONLY not in html


async def test_copy_harvest_puts_the_anonymous_markdown_on_the_clipboard(workspace_dir,
                                                                          monkeypatch):
    path = make_session(workspace_dir)
    app = make_app(workspace_dir)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await palette_run(app, pilot, "Copy harvest")
        assert copied == [anonymous_markdown(path)]
        assert "Anna" not in copied[0] and ROOM_ONLY not in copied[0]
        # the preview's Copy button copies what the preview shows
        await palette_run(app, pilot, "Export harvest")  # from the main screen
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")
        await pilot.pause()
        await pilot.click("#copy")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), "closing")
        assert copied[1] == copied[0]
        assert harvest_files(workspace_dir) == []


# ---------------------------------------------------------------- room view


def room_text(app: GoodWorkApp) -> str:
    return "\n".join(text_of(widget) for widget in app.screen.query(Static))


async def test_the_room_view_shows_only_what_the_room_may_see(workspace_dir):
    path = make_session(workspace_dir)
    with SessionStore.open(path) as store:
        notes = {n["text"]: n["id"] for n in store.notes()}
        store.star_note(notes["Honesty over speed"], True)  # by Bram, who did not consent
        theme = store.add_theme("Trust")
        store.set_note_theme(notes["Call the client first"], theme)  # by Anna, consented
        store.vote(notes["Call the client first"], 2)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, RoomScreen), "the room view")
        await pilot.pause()
        shown = room_text(app)
        assert "Round 1 of 3" in shown and "Recognise" in shown
        assert ROUNDS[0]["prompt"] in shown
        assert "Trust" in shown and "Call the client first" in shown and "Anna Smit" in shown
        assert "Honesty over speed" in shown and "Participant B" in shown
        assert ROOM_ONLY not in shown and "Hidden theme" not in shown
        assert "Bram" not in shown and "Bakker" not in shown
        assert not app.screen.query(Input) and not app.screen.query(TextArea)
        assert not app.screen.query(Select)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main, "back to the main screen")

        # from the palette, and after the next round, it follows the round
        await pilot.press("f10")
        await palette_run(app, pilot, "Room view")
        assert isinstance(app.screen, RoomScreen)
        shown = room_text(app)
        assert "Round 2 of 3" in shown and "Images of good work" in shown
        assert ROOM_ONLY not in shown and "Bram" not in shown


# ---------------------------------------------------------------- the palette


async def test_the_harvest_commands_are_in_the_palette_and_need_a_session(workspace_dir,
                                                                          monkeypatch):
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        titles = await palette_titles(app, pilot)
        for name in PALETTE_NAMES:
            assert titles.count(name) == 1, (name, titles)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "closed")
        # without a session each one says so, and nothing opens or is copied
        for name in PALETTE_NAMES:
            spy.calls.clear()
            await palette_run(app, pilot, name)
            assert app.screen is app.main, name
            assert spy.messages == ["No session is open. ctrl+n starts one, ctrl+o opens one."]
        assert copied == [] and harvest_files(workspace_dir) == []
        # with one, "Harvest" opens the harvest screen
        app.sessions.open_file(make_session(workspace_dir))
        await pilot.pause()
        await palette_run(app, pilot, "Harvest")
        assert isinstance(app.screen, HarvestScreen)


async def test_takeaways_typed_just_before_quitting_are_saved(workspace_dir):
    path = make_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_harvest(app, pilot)
        app.screen.query_one("#harvest-takeaways", TextArea).focus()
        await pilot.pause()
        await type_text(pilot, "Last words")
        await pilot.press("ctrl+q")
    assert meta_of(path)["takeaways"] == "Last words"
