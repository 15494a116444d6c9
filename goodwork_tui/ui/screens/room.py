"""The room view, for the projector: the situation being read (as far as the facilitator
revealed it), the round, its prompt, the timer and the harvest so far.

It shows only what may be shown to the group: no room-only notes, no names without
consent, no input fields. `r` shows the room the next part of the situation, `h` hides
the last one again. Esc goes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from ...core import reveal
from ..typed_app import AppAware
from ..widgets.footer import QuickFooter
from ..widgets.room_view import RoomState, RoomView

if TYPE_CHECKING:
    from ..session import OpenSession


class RoomScreen(AppAware, Screen[None]):
    BINDINGS = [
        Binding("escape,f11", "app.pop_screen", "Back", id="room.back"),
        Binding("r", "reveal(1)", "Reveal", id="room.reveal",
                tooltip="Show the room the next part of the situation"),
        Binding("h", "reveal(-1)", "Hide", id="room.hide",
                tooltip="Hide the last part shown again"),
        Binding("f8", "toggle_timer", "Timer", id="room.timer"),
        Binding("f10", "step(1)", "Next round", id="room.next"),
        Binding("f9", "step(-1)", "Previous round", id="room.previous"),
    ]

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    def compose(self) -> ComposeResult:
        yield RoomView(id="room")
        yield QuickFooter(compact=self.app.size.width < 120)

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

    def action_reveal(self, step: int) -> None:
        self.session.reveal(step)

    def refresh_room(self) -> None:
        store = self.session.store
        if store is None:
            return
        state = RoomState(store.meta, store.notes(), self.session.round_index,
                          self.session.timer)
        situation_id = self.session.situation
        library = self.gw.library
        if situation_id and library is not None:  # (still being read: shown when it is)
            found = library.situation(situation_id)
            if found is None:
                state.problem = self.t("reveal.missing", id=situation_id)
            else:
                try:
                    state.situation = reveal.with_parts(found)
                except reveal.Unreadable as error:
                    state.problem = self.t("reveal.unreadable", reason=str(error))
        self.query_one(RoomView).show(state)

    def _tick(self) -> None:
        self.query_one(RoomView).tick(self.session.timer)
