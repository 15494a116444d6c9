"""`goodwork room`: the room view on a second screen (a projector on an extended desktop).

Its own small app: it follows the session the facilitator's app has open (or the one
named with --session) and draws it with the room view's own widget (widgets/room_view).
It never writes and never takes the session's lock: it only reads the file again when
its size or time changed (core/room_follow.py), four times a second at most.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from ..core.i18n import Catalog
from ..core.model import Library
from ..core.room_follow import Followed, Follower
from ..core.round_timer import TimerState
from ..core.workspace import Workspace
from .safe import plain
from .widgets.room_view import RoomState, RoomView, round_of

POLL_SECONDS = 0.25


class RoomApp(App[None]):
    CSS_PATH = [Path(__file__).with_name("screens.tcss")]
    DEFAULT_CSS = """
    #follow-status { padding: 0 2; color: $text-muted; height: auto; }
    #follow-status.-waiting { padding: 2 4; color: $text; text-style: bold; }
    """
    BINDINGS = [Binding("q,escape", "quit", "Quit", id="room.quit")]

    def __init__(self, workspace: Workspace, markers: Path, lang: str = "en",
                 session: Path | None = None, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = Catalog(lang)
        self.lang = self.t.lang
        self.follower = Follower(workspace.sessions, markers, session)
        self.library: Library | None = None
        self.poll_seconds = poll_seconds
        self.shown: Followed | None = None
        self.timer: TimerState | None = None
        self.title = self.t("room.follow.title")

    def compose(self) -> ComposeResult:
        yield Static(id="follow-status", markup=False)
        yield RoomView(id="room")
        yield Footer()

    def on_mount(self) -> None:
        from .bindings import translate_bindings

        translate_bindings(self, self.t)  # "Quit" in the interface language
        self.query_one(RoomView).display = False
        self.read_library()
        self.poll()
        self.set_interval(self.poll_seconds, self.poll)

    @work(thread=True, exclusive=True, group="library")
    def read_library(self) -> None:
        from ..core.library import load_library

        library = load_library(self.workspace.library, full=False)
        self.call_from_thread(self._library_read, library)

    def _library_read(self, library: Library) -> None:
        self.library = library
        if self.shown is not None:
            self.draw(self.shown)

    def poll(self) -> None:
        followed = self.follower.poll()
        if followed is not None:
            self.draw(followed)
        else:
            self.query_one(RoomView).tick(self.timer)

    def draw(self, followed: Followed) -> None:
        t = self.t
        self.shown = followed
        status = self.query_one("#follow-status", Static)
        room = self.query_one(RoomView)
        waiting = followed.state != "open"
        status.set_class(waiting, "-waiting")
        room.display = not waiting
        if followed.state == "none":
            status.update(plain(t("room.follow.none")))
            return
        if followed.state == "closed":
            status.update(plain(t("room.follow.closed", name=followed.name)))
            return
        if followed.state == "unreadable":
            status.update(plain(t("room.follow.unreadable", name=followed.name,
                                  reason=followed.reason)))
            return
        meta: dict[str, Any] = followed.meta
        title = meta.get("title")
        status.update(plain(title if isinstance(title, str) and title else followed.name))
        index, current = round_of(meta)
        timers = meta.get("timers", {})
        stored = timers.get(str(index), {}) if isinstance(timers, dict) else {}
        minutes = current.get("minutes", 0)
        try:
            self.timer = TimerState.from_dict(minutes if isinstance(minutes, int) else 0,
                                              stored if isinstance(stored, dict) else {})
        except (TypeError, ValueError):
            self.timer = None
        state = RoomState(meta, followed.notes, index, self.timer)
        if followed.situation and self.library is not None:
            from ..core import reveal

            found = self.library.situation(followed.situation)
            if found is None:
                state.problem = t("reveal.missing", id=followed.situation)
            else:
                try:
                    state.situation = reveal.with_parts(found)
                except reveal.Unreadable as error:
                    state.problem = t("reveal.unreadable", reason=str(error))
        try:
            room.show(state)
        except Exception as error:  # noqa: BLE001 - odd data must never end the projector
            status.update(plain(t("room.follow.unreadable", name=followed.name,
                                  reason=repr(error))))
