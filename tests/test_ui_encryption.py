"""An encrypted workspace in the app (issue 20): the passphrase is asked once at start,
before any session is read; a wrong one writes nothing; Escape goes on with the library
only; GOODWORK_PASSPHRASE unlocks without asking. Each unlock runs scrypt (~1-3 s): the
tests unlock as few times as they can. The first test unlocks at the real cost ("Unlocking…"
is shown while it runs); the others pay scrypt once in this process (`scrypt_once`, see
tests/vault_helpers.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static
from ui_helpers import NotifySpy, make_app, palette_run, ready, text_of, type_text, wait_until

from goodwork_tui.core import encryption, open_marker, vault
from goodwork_tui.core.config import Config
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.screens.export import ExportScreen
from goodwork_tui.ui.screens.new_session import NewSessionScreen
from goodwork_tui.ui.screens.passphrase import PassphraseScreen

PASS = "zeven ezels op een dijk"
FORMAT = {"title": "f", "rounds": [{"title": "Ronde een", "prompt": "Vertel"}] * 2}
LOCKED = "The sessions are encrypted: restart and give the passphrase."


@pytest.fixture(autouse=True)
def no_vaults_left(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(vault.ENV_VAR, raising=False)
    yield
    vault.forget()


def encrypted(root: Path) -> Path:
    """One session with a note, then the workspace encrypted (and locked again)."""
    sessions = root / "sessions"
    with SessionStore.create(sessions, title="Team oost", on=date(2026, 11, 2),
                             format=FORMAT) as store:
        store.add_note("Jip vertelde iets", round=0)
    encryption.encrypt(sessions, PASS)
    vault.forget()
    return next(sessions.glob("*.json"))


def left_open(path: Path) -> Path:
    """A marker as an app killed with `path` open leaves it (see core/open_marker.py)."""
    folder = Config.load().path.parent / "open"
    open_marker.mark(folder, path)
    return folder


def disk(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted((root / "sessions").rglob("*")) if p.is_file()}


async def test_wrong_then_right_passphrase_and_a_note_stored_encrypted(small_library) -> None:
    root = small_library
    path = encrypted(root)
    before = disk(root)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseScreen),
                         "the passphrase screen")
        entry = app.screen.query_one("#passphrase", Input)
        assert entry.password and app.focused is entry
        await type_text(pilot, "verkeerd", enter=True)
        status = app.screen.query_one("#passphrase-status", Static)
        await wait_until(pilot, lambda: "Wrong passphrase" in text_of(status),
                         "the wrong passphrase message", tries=200)
        assert isinstance(app.screen, PassphraseScreen) and not entry.disabled
        assert entry.value == ""
        assert vault.unlocked(root / "sessions") is None
        assert disk(root) == before  # nothing written, ever
        assert app.main.query_one("#recent-sessions", OptionList).option_count == 0
        await type_text(pilot, PASS, enter=True)
        assert "Unlocking" in text_of(status)
        await wait_until(pilot, lambda: not isinstance(app.screen, PassphraseScreen),
                         "the sessions to be unlocked", tries=200)
        await ready(app, pilot)
        recent = app.main.query_one("#recent-sessions", OptionList)
        await wait_until(pilot, lambda: recent.option_count == 1, "the recent session")
        assert "Team oost" in str(recent.get_option_at_index(0).prompt)
        recent.focus()
        recent.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.sessions.is_open, "the session to open")
        app.main.query_one("#note-input", Input).focus()
        await type_text(pilot, "Een geheim over Jip", enter=True)
        assert [n["text"] for n in app.sessions.store.notes()][-1] == "Een geheim over Jip"
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"geheim" not in data
    vault.forget()
    vault.unlock_folder(root / "sessions", PASS)
    with SessionStore.open(path, read_only=True) as store:
        assert [n["text"] for n in store.notes()] == ["Jip vertelde iets", "Een geheim over Jip"]


async def test_escape_goes_on_with_the_library_and_every_session_action_says_why(
        small_library, scrypt_once) -> None:
    root = small_library
    markers = left_open(encrypted(root))
    before = disk(root)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        spy = app.notify = NotifySpy(app)  # type: ignore[method-assign]
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseScreen),
                         "the passphrase screen")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PassphraseScreen),
                         "the screen to close")
        await ready(app, pilot)
        assert spy.messages[-1] == LOCKED
        assert LOCKED in text_of(app.main.query_one("#session-intro", Static))
        assert app.main.query_one("#recent-sessions", OptionList).option_count == 0
        for key in ("ctrl+n", "ctrl+o", "f10", "f12", "f8"):
            spy.calls.clear()
            await pilot.press(key)
            await pilot.pause()
            assert spy.messages == [LOCKED], key
            assert not isinstance(app.screen, NewSessionScreen)
        spy.calls.clear()
        await palette_run(app, pilot, "Start a reflection")
        assert spy.messages == [LOCKED]
        assert not app.sessions.is_open  # the session left open by a crash waits
    assert disk(root) == before
    assert list(markers.glob("*.json"))


async def test_the_environment_unlocks_reopens_after_a_crash_and_the_export_says_in_clear(
        small_library, scrypt_once, monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_library
    path = encrypted(root)
    left_open(path)
    monkeypatch.setenv(vault.ENV_VAR, PASS)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: vault.unlocked(root / "sessions") is not None
                         and not isinstance(app.screen, PassphraseScreen),
                         "the sessions unlocked from the environment", tries=200)
        await ready(app, pilot)
        # the session a killed app had open is reopened, once unlocked
        await wait_until(pilot, lambda: app.sessions.is_open, "the crash reopen")
        assert app.sessions.store.path == path
        await palette_run(app, pilot, "Export harvest")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")
        assert "written in clear, on purpose" in text_of(
            app.screen.query_one("#export-in-clear", Static))
        await pilot.press("escape")
