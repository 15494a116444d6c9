"""The room's pages in a real browser: Debian's chromium, headless, driven by selenium.

A person joins with the code, posts notes (hostile text too), votes, and watches the
projector page; the test checks the backend got exactly that and the page shows the
text literally. Skipped when chromium, chromedriver or selenium are missing (CI installs
them with apt: chromium chromium-driver).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from room_helpers import HOSTILE, backend

from goodwork_tui.room.memory_backend import MemoryBackend
from goodwork_tui.room.server import RoomServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
    pytest.skip("chromium and chromedriver are not installed (apt: chromium chromium-driver)",
                allow_module_level=True)

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 15  # seconds: the machine is shared and slow


class RoomThread:
    """The server on its own loop in a thread, as the app runs it on Textual's loop."""

    def __init__(self, room: MemoryBackend, lang: str = "en") -> None:
        self.backend = room
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = RoomServer(room, "127.0.0.1", 0, lang)
        self.run(self.server.start())

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=WAIT)

    def call(self, function: Callable[[], Any]) -> Any:
        """Run `function` on the server's loop: the backend is only touched there."""
        future: Future = Future()

        def step() -> None:
            try:
                future.set_result(function())
            except Exception as error:  # pragma: no cover - shows in the test
                future.set_exception(error)

        self.loop.call_soon_threadsafe(step)
        return future.result(timeout=WAIT)

    def close(self) -> None:
        self.run(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=WAIT)
        self.loop.close()

    def notes(self) -> list[Any]:
        return self.call(lambda: list(self.backend.notes))


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless chromium for the module: each start costs seconds."""
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager never goes online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=320,900",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=DRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def forget_everything(driver: Any) -> None:
    """As a fresh browser: no page, cookies, storage, cache, network or screen emulation
    left by a test (each test's room is on a new port, a new origin, too)."""
    if not no_alert(driver):
        driver.switch_to.alert.dismiss()
    origin = driver.execute_script("return location.origin")
    driver.get("about:blank")
    if origin and origin.startswith("http"):
        driver.execute_cdp_cmd("Storage.clearDataForOrigin",
                               {"origin": origin, "storageTypes": "all"})
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.execute_cdp_cmd("Network.disable", {})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The module's chromium as a fresh one: nothing kept from the test before."""
    forget_everything(chromium)
    assert chromium.get_cookies() == []
    try:
        yield chromium
    finally:
        forget_everything(chromium)


@pytest.fixture
def room() -> Iterator[RoomThread]:
    thread = RoomThread(backend(dots=2))
    try:
        yield thread
    finally:
        thread.close()


def wait_for(driver: Any, condition: Callable[[], Any], message: str = "") -> Any:
    return WebDriverWait(driver, WAIT, poll_frequency=0.1).until(
        lambda _: condition(), message)


def text_of(driver: Any, ident: str) -> str:
    return driver.find_element(By.ID, ident).text


def join(driver: Any, room: RoomThread, path: str = "/") -> None:
    driver.get(room.server.join_address + path)
    box = driver.find_element(By.ID, "code")
    code = room.server.code.lower()
    box.send_keys(code[:3] + " " + code[3:])  # as a person types it off the screen
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def send_note(driver: Any, text: str, *, kind: str = "", lens: str = "") -> None:
    area = driver.find_element(By.ID, "note-text")
    driver.execute_script("arguments[0].value = arguments[1];", area, text)
    if kind:
        driver.find_element(By.ID, f"kind-{kind}").click()
    if lens:
        driver.find_element(By.ID, f"lens-{lens}").click()
    driver.find_element(By.ID, "send").click()


def no_alert(driver: Any) -> bool:
    try:
        _ = driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_a_wrong_code_is_refused_with_a_message(browser: Any, room: RoomThread) -> None:
    browser.get(room.server.join_address + "/")
    browser.find_element(By.ID, "code").send_keys("WRONG7")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda: "That code is not right" in text_of(browser, "message"))
    assert browser.find_element(By.ID, "message").get_attribute("role") == "alert"
    assert browser.find_elements(By.ID, "note-text") == []


def test_join_post_hostile_notes_vote_and_see_them_literally(browser: Any,
                                                             room: RoomThread) -> None:
    join(browser, room)
    wait_for(browser, lambda: text_of(browser, "round-title") == "Round 1")
    assert text_of(browser, "round-prompt") == "What would you do?"
    assert browser.execute_script("return document.documentElement.lang") == "en"
    # readable at 320 px: nothing wider than the screen
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    assert browser.execute_script("return window.innerWidth") == 320
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")
    # every field has a label a screen reader reads out
    unlabelled = browser.execute_script(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]),textarea'))"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.id)")
    assert unlabelled == []

    for count, text in enumerate(HOSTILE, start=1):
        send_note(browser, text, kind="question", lens="ethical")
        wait_for(browser, lambda c=count: len(room.notes()) == c, f"note {count} arrives")
        wait_for(browser, lambda: text_of(browser, "status") == "Saved.")
    # a name goes only with consent
    browser.find_element(By.ID, "name").send_keys("Anna <b>")
    send_note(browser, "without consent " + "x" * 200)
    wait_for(browser, lambda: len(room.notes()) == len(HOSTILE) + 1)
    browser.find_element(By.ID, "consent").click()
    send_note(browser, "with consent")
    wait_for(browser, lambda: len(room.notes()) == len(HOSTILE) + 2)

    notes = room.notes()
    assert [n.text for n in notes] == [*HOSTILE, "without consent " + "x" * 200,
                                       "with consent"]
    assert {(n.kind, n.lens) for n in notes[: len(HOSTILE)]} == {("question", "ethical")}
    assert [n.name for n in notes[-2:]] == [None, "Anna <b>"]
    assert len({n.participant for n in notes}) == 1
    # the page forgets a note once its acknowledgement is read, a moment after the server
    # stored it: wait for that, never a fixed pause
    wait_for(browser, lambda: browser.execute_script(
        "return localStorage.getItem('gw-room-pending')") == "[]", "nothing left to resend")

    # voting opens: the room's notes appear with dot buttons, the text exactly as typed
    room.call(lambda: room.backend.update(voting_open=True))
    wait_for(browser, lambda: browser.find_element(By.ID, "voting").is_displayed())
    wait_for(browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#vote-list li"))
             == len(notes))
    shown = [p.get_attribute("textContent")
             for p in browser.find_elements(By.CSS_SELECTOR, "#vote-list li p.pre")]
    assert shown == [n.text for n in notes]
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main b") == []
    assert no_alert(browser)
    assert "Anna <b>" in browser.find_element(By.ID, "vote-list").get_attribute("textContent")
    assert text_of(browser, "dots-left") == "Dots left: 2 of 2"
    assert browser.execute_script(  # the notes, even a long word, fit 320 px too
        "return document.documentElement.scrollWidth <= window.innerWidth")

    buttons = browser.find_elements(By.XPATH, "//ul[@id='vote-list']//button[.='Add a dot']")
    buttons[0].click()
    wait_for(browser, lambda: text_of(browser, "dots-left") == "Dots left: 1 of 2")
    buttons[2].click()
    wait_for(browser, lambda: text_of(browser, "dots-left") == "Dots left: 0 of 2")
    wait_for(browser, lambda: not buttons[1].is_enabled())  # no dots left
    votes = room.call(lambda: [n.votes for n in room.backend.shown_notes()])
    assert votes[:3] == [1, 0, 1] and sum(votes) == 2

    # the projector page shows the same notes literally, in big type
    browser.get(room.server.join_address + "/room")
    wait_for(browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#note-list li"))
             == len(notes))
    shown = [p.get_attribute("textContent")
             for p in browser.find_elements(By.CSS_SELECTOR, "#note-list li p.pre")]
    assert shown == [n.text for n in notes]
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main b") == []
    assert no_alert(browser)


def test_a_queued_note_says_so_and_the_projector_waits(browser: Any,
                                                       room: RoomThread) -> None:
    room.call(lambda: room.backend.update(moderated=True, timer_seconds=-75))
    join(browser, room)
    wait_for(browser, lambda: text_of(browser, "round-title") == "Round 1")
    send_note(browser, "wait for me")
    wait_for(browser, lambda: "waiting for the facilitator" in text_of(browser, "status"))
    browser.get(room.server.join_address + "/room")
    wait_for(browser, lambda: text_of(browser, "timer") == "Over time 1:15")
    assert browser.find_element(By.ID, "notes").is_displayed() is False
    note_id = room.notes()[0].id
    room.call(lambda: room.backend.approve(note_id))
    wait_for(browser, lambda: text_of(browser, "note-list") == "wait for me")


def test_a_dropped_connection_keeps_the_note_and_resends_it_once(browser: Any,
                                                                 room: RoomThread) -> None:
    join(browser, room)
    wait_for(browser, lambda: text_of(browser, "round-title") == "Round 1")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    send_note(browser, "sent in the lift")
    wait_for(browser, lambda: text_of(browser, "status").startswith("Not sent yet"))
    pending = browser.execute_script("return localStorage.getItem('gw-room-pending')")
    assert "sent in the lift" in pending
    assert room.notes() == []
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    wait_for(browser, lambda: text_of(browser, "status") == "Saved.")
    assert [n.text for n in room.notes()] == ["sent in the lift"]
    wait_for(browser, lambda: browser.execute_script(
        "return localStorage.getItem('gw-room-pending')") == "[]", "nothing left to resend")


def test_an_answer_lost_after_the_write_is_resent_without_a_duplicate(browser: Any) -> None:
    class LosesTheFirstAnswer(MemoryBackend):
        lost = False

        async def add_note(self, *args: Any) -> Any:
            ack = await super().add_note(*args)
            if not self.lost:  # stored, but the answer never reaches the phone
                self.lost = True
                raise ConnectionResetError("the wifi dropped")
            return ack

    room = RoomThread(LosesTheFirstAnswer(round_title="Round 1"))
    try:
        join(browser, room)
        wait_for(browser, lambda: text_of(browser, "round-title") == "Round 1")
        send_note(browser, "only once")
        wait_for(browser, lambda: "Something went wrong" in text_of(browser, "status"))
        wait_for(browser, lambda: text_of(browser, "status") == "Saved.")  # the resend
        assert [n.text for n in room.notes()] == ["only once"]
    finally:
        room.close()


def test_the_dutch_page(browser: Any) -> None:
    room = RoomThread(backend(lang="nl", round_title="Ronde 1"), lang="nl")
    try:
        join(browser, room)
        wait_for(browser, lambda: text_of(browser, "round-title") == "Ronde 1")
        assert browser.execute_script("return document.documentElement.lang") == "nl"
        labels = browser.find_element(By.ID, "note-form").text
        for text in ("goed is", "goed doet", "goed voelt", "Notitie versturen"):
            assert text in labels
        send_note(browser, "een notitie", lens="engaging")
        wait_for(browser, lambda: text_of(browser, "status") == "Opgeslagen.")
        assert [(n.text, n.lens) for n in room.notes()] == [("een notitie", "engaging")]
    finally:
        room.close()
