"""The room view, for the projector: round, prompt, timer and the harvest so far.

It shows only what may be shown to the group: no room-only notes, no names without
consent, no input fields. Esc goes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Static

from ...core.harvest import build
from ...core.round_timer import TimerState, clock
from ...core.text import one_line
from ..safe import plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ..session import OpenSession


class RoomScreen(AppAware, Screen[None]):
    BINDINGS = [
        Binding("escape,f11", "app.pop_screen", "Back", id="room.back"),
        Binding("f8", "toggle_timer", "Timer", id="room.timer"),
        Binding("f10", "step(1)", "Next round", id="room.next"),
        Binding("f9", "step(-1)", "Previous round", id="room.previous"),
    ]

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    def compose(self) -> ComposeResult:
        with Vertical(id="room"):
            with Horizontal(id="room-top"):
                with Vertical(id="room-round"):
                    yield Static(id="room-round-title")
                    yield Static(id="room-prompt")
                yield Digits("00:00", id="room-timer")
            with VerticalScroll(id="room-harvest"):
                yield Static(id="room-harvest-text")
            yield Static(plain(self.t("room.hint")), id="room-hint")

    def on_mount(self) -> None:
        self.refresh_room()
        self.set_interval(1.0, self._tick)
        # every change to the session, from any screen, redraws the room
        self.session.changed.subscribe(self, self._session_changed)

    def _session_changed(self, what: str) -> None:
        if what == "closed":
            return  # the last picture stays until Esc
        if what == "timer":
            self._tick()
        else:
            self.refresh_room()

    def action_toggle_timer(self) -> None:
        self.session.toggle_timer()

    def action_step(self, step: int) -> None:
        self.session.step(step)

    def refresh_room(self) -> None:
        store = self.session.store
        if store is None:
            return
        t = self.t
        meta = store.meta
        rounds = meta.get("format", {}).get("rounds", [])
        order = meta.get("round_order", [])
        index = self.session.round_index
        current = rounds[index] if 0 <= index < len(rounds) else {}
        position = order.index(index) + 1 if index in order else 0
        title = t("session.round", number=position, total=len(order),
                  title=one_line(current.get("title", ""), 200)) if current else meta.get(
                      "title", "")
        self.query_one("#room-round-title", Static).update(plain(title))
        self.query_one("#room-prompt", Static).update(plain(current.get("prompt", "")))
        harvest = build(meta, store.notes(), names=True, lang=self.gw.lang)
        text = Text()
        themes = meta.get("themes", [])
        for theme in themes:
            members = sorted((n for n in harvest.notes if n.theme == theme.get("id")),
                             key=lambda n: -n.votes)
            if not members:
                continue
            text.append(one_line(theme.get("name", ""), 200) + "\n", style="bold")
            for note in members:
                self._note(text, note)
            text.append("\n")
        starred = [n for n in harvest.notes if n.starred and not n.theme]
        if starred:
            text.append(t("harvest.starred") + "\n", style="bold")
            for note in sorted(starred, key=lambda n: -n.votes):
                self._note(text, note)
        if not text.plain:
            text.append(t("room.empty"), style="dim")
        self.query_one("#room-harvest-text", Static).update(text)
        self._tick()

    def _note(self, text: Text, note) -> None:
        text.append("  • " + one_line(note.text, 1000))
        extra = []
        if note.votes:
            extra.append("●" * min(note.votes, 20))
        if note.speaker:
            extra.append(one_line(note.speaker, 60))
        if extra:
            text.append("  " + "  ".join(extra), style="dim")
        text.append("\n")

    def _tick(self) -> None:
        timer: TimerState | None = self.session.timer
        digits = self.query_one("#room-timer", Digits)
        if timer is None:
            digits.update("")
            return
        remaining = timer.remaining()
        digits.update(("+" if remaining < 0 else "") + clock(remaining))
        digits.set_class(remaining < 0, "-overrun")
