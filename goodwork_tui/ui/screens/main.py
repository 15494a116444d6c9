"""The main screen: library | situation | session, or one at a time when narrow."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from ..bindings import translate_bindings
from ..focus import focus_now
from ..messages import SituationChosen
from ..widgets.footer import QuickFooter
from ..widgets.library_pane import LibraryPane
from ..widgets.session_pane import SessionPane
from ..widgets.situation_view import SituationView
from .session_actions import SessionActions

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Tab, Tabs

WIDE = 120  # columns from which the three panes stand side by side
PANES = ("library", "reader", "session")


class MainScreen(SessionActions, Screen[None]):
    BINDINGS = [
        Binding("f2", "show_pane('library')", "Library", id="pane.library",
                tooltip="Show the library"),
        Binding("f3", "show_pane('reader')", "Situation", id="pane.reader",
                tooltip="Show the situation being read"),
        Binding("f4", "show_pane('session')", "Session", id="pane.session",
                tooltip="Show the session"),
        Binding("escape", "back", "Back", show=False, id="pane.back"),
        Binding("ctrl+n", "new_session", "New session", id="session.new",
                tooltip="Start a new session"),
        Binding("ctrl+o", "open_session", "Open session", show=False, id="session.open",
                tooltip="Open a recent session"),
        Binding("f8", "toggle_timer", "Timer", id="session.timer",
                tooltip="Start or pause the round timer"),
        Binding("ctrl+g", "add_minute", "+1 min", show=False, id="session.minute",
                tooltip="Add a minute to this round"),
        Binding("f9", "previous_round", "Prev round", show=False, id="session.previous",
                tooltip="Go to the previous round"),
        Binding("f10", "next_round", "Next round", id="session.next",
                tooltip="Go to the next round"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="session.undo",
                tooltip="Undo the last delete"),
        Binding("f12", "harvest", "Harvest", id="session.harvest",
                tooltip="Stars, votes, themes, take-aways and actions"),
        Binding("f11", "room_view", "Room view", show=False, id="session.room",
                tooltip="The round, timer and harvest for the projector"),
        Binding("ctrl+s", "next_situation", "Next situation", show=False,
                id="session.situation", tooltip="Discuss the session's next situation"),
    ]

    # focus starts in the search field, without a detour through the first focusable
    AUTO_FOCUS = "#search"

    def __init__(self) -> None:
        super().__init__()
        self.current = "library"
        self._resumed_once = False
        # Key descriptions and layout classes are set before anything is styled:
        # changing them after mount restyles the whole screen at start-up.
        translate_bindings(self, self.t)
        self.set_class(self.app.size.width < WIDE, "-narrow", update=False)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        if self.narrow:
            yield self._pane_tabs()
        with Horizontal(id="panes"):
            for pane in (LibraryPane(id="library"), SituationView(id="reader"),
                         SessionPane(id="session")):
                pane.set_class(pane.id == self.current, "-current", update=False)
                # the search field (AUTO_FOCUS) will have the focus: styled so at once
                pane.set_class(pane.id == "library", "-has-focus", update=False)
                yield pane
        yield QuickFooter(compact=self.narrow)

    def _pane_tabs(self) -> Tabs:
        # Only a narrow screen shows them: mounted when it first is (eight widgets less
        # to build and style at start-up on a wide one), then hidden by the CSS when wide.
        from textual.widgets import Tab, Tabs

        t = self.t
        return Tabs(*(Tab(t(f"pane.{pane}"), id=f"tab-{pane}") for pane in PANES),
                    id="pane-tabs", active=f"tab-{self.current}")

    def on_mount(self) -> None:
        self.relabel()
        self.gw.sessions.changed.subscribe(self, self._session_changed, immediate=True)
        self.gw.loader.show_if_read()

    def watch_focused(self, focused: Widget | None) -> None:
        # The pane holding the focus gets an accent border. A class rather than
        # :focus-within, which has Textual restyle the library pane and all it holds
        # when the search field takes the focus at start-up (~2.5 ms of the first frame).
        for pane in self.query("#panes > *"):
            pane.set_class(focused is not None and (
                focused is pane or pane in focused.ancestors), "-has-focus")

    @on(ScreenResume)
    def _resumed(self, event: ScreenResume) -> None:
        # Every widget was styled a moment ago, as it was mounted: the first resume
        # need not style the whole screen again (later ones do, e.g. after a theme change).
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False

    def relabel(self) -> None:
        t = self.t
        for pane in PANES:
            for tab in cast("list[Tab]", list(self.query(f"#tab-{pane}"))):
                if tab.label.plain != t(f"pane.{pane}"):  # a new label moves the underline
                    tab.label = t(f"pane.{pane}")
        self.query_one(LibraryPane).relabel()
        self.query_one(SituationView).relabel()
        self.query_one(SessionPane).relabel()

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        narrow = width < WIDE
        if narrow != self.narrow:
            self.set_class(narrow, "-narrow")
            self.query_one(Footer).compact = narrow
        if narrow and not self.query("#pane-tabs"):
            self.mount(self._pane_tabs(), before="#panes")

    def _mark_current(self) -> None:
        for pane in PANES:
            self.query_one(f"#{pane}").set_class(pane == self.current, "-current")
        for tabs in cast("list[Tabs]", list(self.query("#pane-tabs"))):
            if tabs.active != f"tab-{self.current}":
                tabs.active = f"tab-{self.current}"

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def action_show_pane(self, pane: str) -> None:
        self.current = pane
        self._mark_current()
        if pane == "session":
            self.query_one(SessionPane).focus_input()
            return
        if pane == "library":
            self.query_one(LibraryPane).focus_list()
            return
        focus_now(self.query_one("#reader"))

    def action_back(self) -> None:
        if self.current != "library":
            self.action_show_pane("library")

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        # (a handler by name: Tabs is imported when the tabs are first mounted)
        if event.tabs.id != "pane-tabs":
            return
        pane = (event.tab.id or "tab-library").removeprefix("tab-")
        if pane != self.current:
            self.action_show_pane(pane)

    @on(SituationChosen)
    def _chosen(self, event: SituationChosen) -> None:
        self.gw.open_situation(event.situation_id)
        if event.focus_reader:
            self.action_show_pane("reader")

    def focus_search(self) -> None:
        if self.narrow:
            self.current = "library"
            self._mark_current()
        focus_now(self.query_one("#search", Input))

    def focus_tree(self) -> None:
        self.query_one(LibraryPane).focus_list()
