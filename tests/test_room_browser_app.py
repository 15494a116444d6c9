"""The room in a real browser against the RUNNING app (issue 17).

A GoodWorkApp runs under `App.run_test()` on a temporary workspace; the facilitator
creates a session and opens the room with keys and the palette, as a person would.
Debian's chromium (headless, selenium) joins with the code the app SHOWS, posts notes
with hostile text, votes, and reads the projector page; the test checks the session
pane, the session FILE read back from disk, and the page. Selenium blocks, so every
browser step runs in a thread (`asyncio.to_thread`) while the app's loop goes on.

Skipped like test_room_browser.py when chromium, chromedriver or selenium are missing.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable
from typing import Any

from room_helpers import HOSTILE
from test_harvest_ui import cursor_to
from test_room_browser import (  # noqa: F401 - fixtures, found by pytest by name
    browser,
    chromium,
    no_alert,
    send_note,
    text_of,
    wait_for,
)
from textual.widgets import Input, OptionList
from ui_helpers import (
    WIDE,
    make_app,
    notes_of,
    palette_run,
    press_keys,
    ready,
    session_files,
    type_text,
    wait_until,
)

from goodwork_tui.core.text import one_line
from goodwork_tui.ui.screens.harvest import HarvestScreen
from goodwork_tui.ui.screens.new_session import NewSessionScreen
from goodwork_tui.ui.screens.room_join import RoomJoinScreen
from goodwork_tui.ui.widgets.room_queue import QueueList

__all__ = ["browser"]  # the fixture, shared with test_room_browser.py

# only now: test_room_browser skipped this module already when selenium is missing
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

# markup, HTML, terminal escape sequences, a right-to-left override, as typed on a phone
TYPED = (*HOSTILE, "\x1b[2J\x1b]0;pwned\x07 cleared?",
         "[b]bold[/b] <img src=x onerror=alert(1)> \u202eevil\u202c")


def list_texts(browser: Any, list_id: str) -> list[str]:
    """The note texts of a list on the page, as the browser shows them (literally)."""
    return [p.get_attribute("textContent")
            for p in browser.find_elements(By.CSS_SELECTOR, f"#{list_id} li p.pre")]

async def in_browser(step: Callable[[], Any]) -> Any:
    """A selenium step in a thread: the app's loop keeps serving the page meanwhile."""
    return await asyncio.to_thread(step)


async def create_session(app: Any, pilot: Any, title: str) -> None:
    """ctrl+n, a title typed, ctrl+s: the session is open."""
    await ready(app, pilot)
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
    app.screen.query_one("#new-title", Input).focus()
    await pilot.pause()
    await type_text(pilot, title)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: app.screen is app.main and app.sessions.is_open,
                     "the new session")


async def open_the_room(app: Any, pilot: Any) -> tuple[str, str]:
    """"Open the room" from the palette; the address and code read off the join screen."""
    app.room.host, app.room.port = "127.0.0.1", 0  # loopback and a free port in tests
    await palette_run(app, pilot, "Open the room")
    await wait_until(pilot, lambda: isinstance(app.screen, RoomJoinScreen), "the join screen")
    address = str(app.screen.query_one("#room-join-address").render())
    code = str(app.screen.query_one("#room-join-code").render())
    shown_address = re.search(r"http://\S+", address)
    shown_code = re.search(r"Join code: (\w+)", code)
    assert shown_address and shown_code, (address, code)
    await pilot.press("escape")  # back to the session; the room stays open
    await wait_until(pilot, lambda: app.screen is app.main, "the session again")
    return shown_address.group(0), shown_code.group(1)


def join(driver: Any, address: str, code: str, path: str = "/") -> None:
    driver.get(address + path)
    driver.find_element(By.ID, "code").send_keys(code.lower()[:3] + " " + code.lower()[3:])
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def pane_texts(app: Any) -> list[str]:
    notes = app.main.query_one("#notes", OptionList)
    return [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]


def queue_size(app: Any) -> int:
    return int(app.main.query_one(QueueList).option_count)


def listening(address: str) -> bool:
    host, port = address.removeprefix("http://").rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return False
    return True


async def test_the_room_in_a_browser_against_the_running_app(browser: Any, workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await create_session(app, pilot, "Browser day")
        path = session_files(workspace_dir)[0]
        address, code = await open_the_room(app, pilot)
        round_title = app.sessions.current_round.get("title", "")

        await in_browser(lambda: join(browser, address, code))
        await in_browser(lambda: wait_for(
            browser, lambda: text_of(browser, "round-title") == round_title, "the round"))
        for count, text in enumerate(TYPED, start=1):
            await in_browser(lambda t=text: send_note(browser, t))
            await in_browser(lambda: wait_for(
                browser, lambda: text_of(browser, "status") == "Saved.", "saved"))
            await wait_until(pilot, lambda c=count: len(notes_of(path)) == c, f"note {count}")
        # in the session FILE, read back from disk: exactly as typed, from the room
        stored = notes_of(path)
        assert [n["text"] for n in stored] == list(TYPED)
        assert all(n["from_room"] and not n["room_only"] for n in stored)
        # in the session pane: every note, drawn as text (controls made visible)
        await pilot.pause()
        shown = pane_texts(app)
        for text in TYPED:
            assert any(one_line(text, 2000) in line for line in shown), text
        assert not any("\x1b" in line or "\u202e" in line for line in shown)

        # dot voting from the palette; the phone puts a dot on the first note
        await palette_run(app, pilot, "Room: dot voting (on/off)")
        await in_browser(lambda: wait_for(
            browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#vote-list li"))
            == len(TYPED), "the notes to vote on"))
        on_page = await in_browser(lambda: list_texts(browser, "vote-list"))
        assert on_page == list(TYPED)
        await in_browser(lambda: browser.find_elements(
            By.XPATH, "//ul[@id='vote-list']//button[.='Add a dot']")[0].click())
        await in_browser(lambda: wait_for(
            browser, lambda: text_of(browser, "dots-left") == "Dots left: 2 of 3", "a dot"))
        await wait_until(pilot, lambda: notes_of(path)[0].get("votes") == 1, "the dot on disk")

        # the facilitator stars the notes in the harvest: the projector page shows them
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, HarvestScreen), "the harvest")
        await pilot.pause()
        for note in stored:
            await cursor_to(app, pilot, note["id"])
            await press_keys(pilot, "s")
        assert all(n.get("starred") for n in notes_of(path))
        await pilot.press("escape")
        await in_browser(lambda: browser.get(address + "/room"))
        await in_browser(lambda: wait_for(
            browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#note-list li"))
            == len(TYPED), "the projector's notes"))
        projected = await in_browser(lambda: list_texts(browser, "note-list"))
        assert sorted(projected) == sorted(TYPED)  # the most dots first: the same texts
        assert projected[0] == TYPED[0]
        assert await in_browser(lambda: browser.find_elements(
            By.CSS_SELECTOR, "main script, main b, main img")) == []
        assert await in_browser(lambda: no_alert(browser))

        # "Close the room": the port no longer listens, the page gets no room
        await palette_run(app, pilot, "Close the room")
        await wait_until(pilot, lambda: not app.room.running, "the room to close")
        assert not listening(address)

        def reload() -> str:
            try:
                browser.get(address + "/room")
            except WebDriverException as error:
                return str(error)
            return str(browser.page_source)
        page = await in_browser(reload)
        assert "ERR_CONNECTION_REFUSED" in page
        assert TYPED[0] not in page
        assert [n["text"] for n in notes_of(path)] == list(TYPED)  # nothing lost on closing


async def test_a_moderated_note_waits_and_is_approved_from_the_keyboard(browser: Any,
                                                                        workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await create_session(app, pilot, "Moderated day")
        path = session_files(workspace_dir)[0]
        await palette_run(app, pilot, "Room: approve notes first (on/off)")
        await palette_run(app, pilot, "Room: dot voting (on/off)")
        address, code = await open_the_room(app, pilot)

        await in_browser(lambda: join(browser, address, code))
        await in_browser(lambda: wait_for(
            browser, lambda: browser.find_elements(By.ID, "note-text"), "the note form"))
        typed = "wait for me <b>[b]not bold[/b]</b>"
        await in_browser(lambda: send_note(browser, typed))
        await in_browser(lambda: wait_for(
            browser, lambda: "waiting for the facilitator" in text_of(browser, "status"),
            "the queued answer"))
        await wait_until(pilot, lambda: queue_size(app) == 1, "the queue")
        (note,) = notes_of(path)
        assert note["text"] == typed and note["queued"] and note["room_only"]
        assert not any("wait for me" in line for line in pane_texts(app))
        # the room sees nothing unapproved: no note to vote on yet
        assert await in_browser(lambda: browser.find_elements(
            By.CSS_SELECTOR, "#vote-list li")) == []

        queue = app.main.query_one(QueueList)
        queue.focus()
        await pilot.pause()
        await pilot.press("a")  # approve
        await wait_until(pilot, lambda: queue_size(app) == 0, "the approval")
        (note,) = notes_of(path)
        assert note["text"] == typed and not note["queued"] and not note["room_only"]
        assert any(one_line(typed) in line for line in pane_texts(app))
        await in_browser(lambda: wait_for(
            browser, lambda: list_texts(browser, "vote-list") == [typed],
            "the approved note on the phone"))
        assert await in_browser(lambda: browser.find_elements(
            By.CSS_SELECTOR, "#vote-list b")) == []
        await palette_run(app, pilot, "Close the room")
        await wait_until(pilot, lambda: not app.room.running, "the room to close")
        assert not listening(address)
