"""The situation in the room, revealed step by step (issue 15, items 1, 3 and 4):

- a format round says what the room sees by default (`- reveal:`), checked by the library;
- the room view (F11) shows the situation being read: the story first, then one part
  more with `r`, one less with `h` (or the palette), stored in the session file;
- the facilitator's reader keeps everything and marks what the room has not seen;
- "Print dialogue card" writes the card of the situation being read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_library_loader import format_text, line_of, make_library, only_problem
from textual.containers import VerticalScroll
from textual.widgets import Static
from ui_helpers import (
    NARROW,
    WIDE,
    NotifySpy,
    make_app,
    meta_of,
    palette_run,
    reader_markdown,
    ready,
    text_of,
    wait_until,
)
from workspace_helpers import STARTER, situation_text, write

from goodwork_tui.core.library import load_library
from goodwork_tui.core.reveal import with_parts
from goodwork_tui.core.session_store import SessionStore

SITUATION = "grenswerk-lauw-onthaal-en"  # story, dimensions, questions, Carla, Bart


def make_session(sessions: Path, situations: list[str], rounds: list[dict] | None = None,
                 ) -> Path:
    fmt = {"id": "f", "title": "Rounds", "rounds": rounds or [
        {"title": "Tell", "minutes": 5}, {"title": "Look", "minutes": 5}]}
    with SessionStore.create(sessions, title="Room", format=fmt, situations=situations) as s:
        return s.path


def room_text(app) -> str:  # type: ignore[no-untyped-def]
    return text_of(app.screen.query_one("#room-situation", Static))


async def open_room(app, pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    await ready(app, pilot)
    assert app.sessions.open_file(path) is not None
    await pilot.pause()
    await pilot.press("f11")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "RoomScreen", "the room")
    await pilot.pause()


# ---------------------------------------------------------------- the format setting


def test_a_round_says_what_it_reveals_in_english_or_dutch(tmp_path: Path) -> None:
    text = format_text(second="- minuten: 5\n- onthullen: images\n")
    text = text.replace("- roles: facilitator\n", "- roles: facilitator\n- reveal: Story\n")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    assert library.problems == []
    assert [r.reveal for r in library.formats[0].rounds] == ["story", "images"]
    plain = load_library(make_library(tmp_path / "plain", {"formats/f-nl.md": format_text()}))
    assert [r.reveal for r in plain.formats[0].rounds] == ["", ""]


def test_an_unknown_reveal_is_a_problem_on_its_line(tmp_path: Path) -> None:
    text = format_text().replace("- roles: facilitator\n",
                                 "- roles: facilitator\n- reveal: everything\n")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "- reveal:")
    assert problem.message == ("round 'Een': unknown reveal 'everything' "
                               "(known: story, dimensions, questions, images)")
    assert library.formats[0].rounds[0].reveal == ""


def test_the_starter_group_dialogue_reveals_the_story_first_and_the_images_after() -> None:
    formats = {f.id: f for f in load_library(STARTER).formats}
    for format_id in ("group-dialogue-en", "groepsdialoog-nl"):
        assert [r.reveal for r in formats[format_id].rounds] == [
            "story", "questions", "images", "", "", ""]
    assert "| `reveal` | `onthullen` |" in (STARTER / "README.md").read_text(encoding="utf-8")


def test_the_store_keeps_a_reveal_level_per_situation(tmp_path: Path) -> None:
    path = make_session(tmp_path, [SITUATION])
    with SessionStore.open(path) as store:
        store.set_reveal(SITUATION, 3)
        store.set_reveal("other", 1)
        with pytest.raises(ValueError):
            store.set_reveal(SITUATION, 0)
        with pytest.raises(ValueError):
            store.set_reveal(SITUATION, True)
    assert meta_of(path)["reveal"] == {SITUATION: 3, "other": 1}
    with SessionStore.open(path) as store:  # the schema check accepts it
        assert store.meta["reveal"][SITUATION] == 3


# ---------------------------------------------------------------- the room view


async def test_the_room_sees_the_story_then_one_part_more_per_key(workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", [SITUATION])
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_room(app, pilot, path)
        story = with_parts(app.library.situation(SITUATION)).story.split()[:6]
        assert len(story) == 6
        shown = room_text(app)
        assert " ".join(story) in " ".join(shown.split())
        assert "Dimensions" not in shown and "Carla" not in shown and "Bart" not in shown
        assert "4 more parts of this situation are not shown yet" in shown
        assert "reveal" not in meta_of(path)  # looking changes nothing

        await pilot.press("r")
        assert "Dimensions" in room_text(app) and "Knowledge" in room_text(app)
        assert "Questions for the conversation" not in room_text(app)
        assert meta_of(path)["reveal"] == {SITUATION: 2}
        await pilot.press("r", "r")
        assert "Carla" in room_text(app) and "Bart" not in room_text(app)  # one image at a time
        await pilot.press("r")
        assert "Bart" in room_text(app) and "not shown yet" not in room_text(app)
        assert meta_of(path)["reveal"] == {SITUATION: 5}
        spy = NotifySpy(app)
        app.notify = spy  # type: ignore[method-assign]
        await pilot.press("r")  # nothing more: said, nothing written
        assert spy.messages == ["The room already sees the whole situation."]
        assert meta_of(path)["reveal"] == {SITUATION: 5}
        await pilot.press("h")
        assert "Bart" not in room_text(app) and "Carla" in room_text(app)
        assert meta_of(path)["reveal"] == {SITUATION: 4}
        footer = {b.id for _, b, _, _ in app.screen.active_bindings.values()}
        assert {"room.reveal", "room.hide"} <= footer

        await pilot.press("escape")  # the palette, from the main screen
        await wait_until(pilot, lambda: app.screen is app.main, "the main screen")
        await palette_run(app, pilot, "Hide last part")
        assert meta_of(path)["reveal"] == {SITUATION: 3}
        await palette_run(app, pilot, "Reveal next part")
        assert meta_of(path)["reveal"] == {SITUATION: 4}


async def test_a_round_with_a_reveal_default_shows_it_until_the_facilitator_chooses(
        workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", [SITUATION], rounds=[
        {"title": "Recognise", "minutes": 5, "reveal": "story"},
        {"title": "Own images", "minutes": 5, "reveal": "questions"},
        {"title": "After", "minutes": 5, "reveal": "images"}])
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_room(app, pilot, path)
        assert "Dimensions" not in room_text(app)
        await pilot.press("f10")
        assert "Questions for the conversation" in room_text(app)
        assert "Carla" not in room_text(app)
        await pilot.press("f10")
        assert "Carla" in room_text(app) and "Bart" in room_text(app)
        await pilot.press("h")  # chosen by hand: the round's default no longer counts
        await pilot.press("f9", "f10")
        assert "Carla" in room_text(app) and "Bart" not in room_text(app)
    assert meta_of(path)["reveal"] == {SITUATION: 4}


async def test_hostile_library_text_shows_literally_and_a_missing_situation_is_said(
        workspace_dir: Path) -> None:
    hostile = "[@click=app.quit]x[/] [bold]not bold[/bold] \x1b[31m <script>"
    write(workspace_dir / "library" / "grenswerk" / "grenswerk-hostile-nl.md",
          situation_text(id="grenswerk-hostile-nl", title='"[b]Titel[/b]"',
                         collection="grenswerk", story=hostile))
    path = make_session(workspace_dir / "sessions", ["grenswerk-hostile-nl", "gone-nl"])
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_room(app, pilot, path)
        shown = room_text(app)
        assert "[@click=app.quit]x[/] [bold]not bold[/bold]" in shown
        assert "[b]Titel[/b]" in shown and "<script>" in shown and "\x1b" not in shown
        await pilot.press("r", "r", "r")
        assert "Anouk" in room_text(app)
        # the file broken while the session runs: a message in the room, not a crash
        write(workspace_dir / "library" / "grenswerk" / "grenswerk-hostile-nl.md",
              "---\nid: [broken\n---\n## Situatie\n")
        await pilot.press("h")
        assert "The situation cannot be shown here: grenswerk-hostile-nl.md" in room_text(app)
        assert app.is_running
        app.open_situation("gone-nl")  # not in the library: nothing opens, nothing breaks
        app.current_id = "gone-nl"
        app.sessions.situation_shown()
        await pilot.pause()
        assert "The situation gone-nl cannot be shown here" in room_text(app)
        assert app.is_running


async def test_at_80x24_the_room_scrolls_and_says_what_is_still_hidden(
        workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", [SITUATION])
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await open_room(app, pilot, path)
        body = app.screen.query_one("#room-body", VerticalScroll)
        await pilot.press("r", "r", "r")
        await pilot.pause()
        assert body.max_scroll_y > 0  # more than fits: a scrollbar, nothing cut
        assert body.show_vertical_scrollbar
        assert room_text(app).rstrip().endswith("1 more part of this situation is not shown yet")
        body.scroll_end(animate=False)
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y


async def test_at_250x80_the_story_fits_without_scrolling(workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", [SITUATION])
    app = make_app(workspace_dir)
    async with app.run_test(size=(250, 80)) as pilot:
        await open_room(app, pilot, path)
        body = app.screen.query_one("#room-body", VerticalScroll)
        assert body.max_scroll_y == 0  # the story and the sign of what is to come, all in view
        assert "4 more parts" in room_text(app)
        situation = app.screen.query_one("#room-situation", Static)
        assert 80 <= situation.size.width <= 120  # readable lines, not 250 columns


# ---------------------------------------------------------------- the facilitator's reader


async def test_the_reader_keeps_everything_and_marks_what_the_room_has_not_seen(
        workspace_dir: Path) -> None:
    path = make_session(workspace_dir / "sessions", [SITUATION])
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.open_situation(SITUATION)
        await pilot.pause()
        before = reader_markdown(app).source
        assert "not shown in the room yet" not in before  # no session: no marks
        assert app.sessions.open_file(path) is not None
        await pilot.pause()
        source = reader_markdown(app).source
        assert source.count("*(not shown in the room yet)*") == 4  # all but the story
        assert "Carla" in source and "Bart" in source  # the reader keeps everything
        app.sessions.reveal(1)
        await pilot.pause()
        source = reader_markdown(app).source
        assert source.count("*(not shown in the room yet)*") == 3
        marked = source.split("## Dimensions", 1)[1].split("##", 1)[0]
        assert "not shown in the room yet" not in marked


# ---------------------------------------------------------------- the dialogue card


async def test_print_dialogue_card_writes_the_card_and_offers_the_browser(
        workspace_dir: Path) -> None:
    app = make_app(workspace_dir)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.open_situation(SITUATION)
        await pilot.pause()
        await palette_run(app, pilot, "Print dialogue card")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen",
                         "the offer to open it")
        cards = sorted((workspace_dir / "sessions" / "harvests").glob("*-card*.html"))
        assert [c.name for c in cards] == [f"{SITUATION}-card.html"]
        html = cards[0].read_text(encoding="utf-8")
        story = with_parts(app.library.situation(SITUATION)).story.split()[:5]
        assert len(story) == 5
        assert " ".join(story) in " ".join(html.split())
        assert "Carla" not in html and "Bart" not in html  # no images
        await pilot.press("shift+tab", "enter")  # "No" has the focus: to "Open", Enter
        await wait_until(pilot, lambda: opened, "the browser")
        assert opened == [cards[0].resolve().as_uri()]
        await palette_run(app, pilot, "Print dialogue card")  # never over the first
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen",
                         "the second offer")
        await pilot.press("escape")
    assert len(list((workspace_dir / "sessions" / "harvests").glob("*-card*.html"))) == 2
    assert len(opened) == 1
