"""The passphrase of an encrypted workspace, asked once at start (see docs/security.md).

Unlocking runs age's scrypt (about a second) in a thread, with "Unlocking…" shown. A
wrong passphrase only reads the key file: a message, nothing written, try again. Escape
goes on with the library only; the sessions stay locked (every session action says so).
Returns True when the sessions folder is unlocked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...core import vault
from ..safe import plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ..app import GoodWorkApp


def unlock_sessions(app: GoodWorkApp) -> None:
    """The sessions are encrypted: ask for the passphrase once, before any session is
    read (GOODWORK_PASSPHRASE, for scripts and tests, is tried without asking)."""
    app.run_worker(_ask(app), exclusive=True, group="passphrase")


async def _ask(app: GoodWorkApp) -> None:
    from ..widgets.session_pane import SessionPane

    unlocked = await app.push_screen_wait(
        PassphraseScreen(app.workspace.sessions, vault.passphrase_from_environment()))
    pane = app.main.query_one(SessionPane)
    if pane.is_mounted:
        pane.relabel()  # the recent sessions, now readable (or the locked notice)
    if unlocked:
        app.notify(app.t("vault.unlocked"), markup=False)
        app.sessions.reopen_after_crash()
    else:
        app.notify(app.t("vault.locked"), severity="warning", timeout=10, markup=False)


class PassphraseScreen(AppAware, ModalScreen[bool]):
    BINDINGS = [Binding("escape", "library_only", "Library only", id="vault.library_only")]

    def __init__(self, folder: Path, given: str | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.given = given  # from GOODWORK_PASSPHRASE: tried without asking
        self.busy = False

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="passphrase-box") as box:
            box.border_title = t("vault.title")
            box.border_subtitle = t("vault.hint")
            yield Static(plain(t("vault.explain")), id="passphrase-intro")
            yield Label(plain(t("vault.label")))
            yield Input(id="passphrase", password=True, max_length=1000)
            yield Static(id="passphrase-status")

    def on_mount(self) -> None:
        if self.given:
            self._start(self.given)
        else:
            self.query_one("#passphrase", Input).focus()

    def _status(self, key: str, error: bool = False, **values: str) -> None:
        status = self.query_one("#passphrase-status", Static)
        status.set_class(error, "-error")
        status.update(plain(self.t(key, **values)))

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        if not event.value:
            self._status("vault.empty", error=True)
            return
        self._start(event.value)

    def _start(self, passphrase: str) -> None:
        self.busy = True
        self.query_one("#passphrase", Input).disabled = True
        self._status("vault.unlocking")
        # after "Unlocking…" is on the screen: scrypt in pyrage keeps the GIL while it
        # runs (about a second), so the screen is not drawn again until it is done
        self.call_after_refresh(self._unlock, passphrase)

    @work(thread=True, exclusive=True, group="unlock")
    def _unlock(self, passphrase: str) -> None:
        try:
            vault.unlock_folder(self.folder, passphrase)
        except vault.WrongPassphrase:
            self.app.call_from_thread(self._refused, "vault.wrong")
        except vault.VaultError as error:
            self.app.call_from_thread(self._refused, "vault.failed", str(error))
        else:
            self.app.call_from_thread(self._unlocked)

    def _unlocked(self) -> None:
        self.dismiss(True)  # (not awaited: the answer goes to the waiting worker)

    def _refused(self, key: str, reason: str = "") -> None:
        if self.given and key == "vault.wrong":
            key = "vault.wrong_environment"
        self.given = None
        self.busy = False
        self._status(key, error=True, reason=reason)
        entry = self.query_one("#passphrase", Input)
        entry.disabled = False
        entry.value = ""
        entry.focus()

    def action_library_only(self) -> None:
        if not self.busy:
            self.dismiss(False)
