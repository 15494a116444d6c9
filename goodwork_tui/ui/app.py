"""The Goed Werk app: wiring of screens, settings, language and commands."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding

from ..core.config import Config
from ..core.i18n import LANGUAGES, Catalog
from ..core.model import Library
from ..core.search import SearchIndex
from ..core.text import displayable, is_typed_text, pasted
from ..core.workspace import Workspace
from . import collector
from .bindings import translate_all, translate_bindings
from .commands import GoodWorkCommands, key_for
from .screens.main import MainScreen
from .session import OpenSession
from .startup import LibraryLoader
from .textual_private import KeysInOrder
from .widgets.library_pane import LibraryPane
from .widgets.situation_view import SituationView

if TYPE_CHECKING:
    from .authoring_controller import AuthoringController
    from .reflection_controller import ReflectionController
    from .room_host import RoomHost

class GoodWorkApp(KeysInOrder, App[int]):
    # absolute, so subclasses defined elsewhere (benchmarks, tests) find it too
    CSS_PATH = Path(__file__).with_name("app.tcss")
    SCREENS_CSS = Path(__file__).with_name("screens.tcss")
    TITLE = "Goed Werk"
    COMMANDS = App.COMMANDS | {GoodWorkCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="Keys and how to work"),
        Binding("ctrl+f", "search", "Search", id="search", tooltip="Search the library"),
        Binding("f6", "switch_language", "Language", id="language",
                tooltip="Switch between Dutch and English"),
        Binding("f7", "problems", "Problems", id="problems", show=False,
                tooltip="Show library problems"),
        Binding("f5", "reload", "Reload", id="reload", show=False,
                tooltip="Read the library again from disk"),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, tooltip="Quit Goed Werk"),
    ]

    def __init__(self, workspace: Workspace, *, config: Config | None = None,
                 lang: str = "en") -> None:
        super().__init__()
        collector.pause()  # until the first screen is complete (see collector.py)
        self.workspace = workspace
        self.config = config or Config.load()
        self.t = Catalog(lang)
        self.library: Library | None = None
        self.index: SearchIndex | None = None
        self.current_id: str | None = None
        self.sessions = OpenSession(self)  # the open session's one owner
        # The library is read from now on, while Textual sets up the terminal.
        self.loader = LibraryLoader(self)

    @property
    def lang(self) -> str:
        return self.t.lang

    # reflection and authoring (with YAML and their stores) are loaded on first use
    @cached_property
    def reflections(self) -> ReflectionController:
        from .reflection_controller import ReflectionController

        return ReflectionController(self)

    @cached_property
    def authoring(self) -> AuthoringController:
        from .authoring_controller import AuthoringController

        return AuthoringController(self)

    @cached_property
    def room(self) -> RoomHost:
        """The room's web server ("Open the room"), started on this app's loop."""
        from .room_host import RoomHost

        return RoomHost(self)

    # ------------------------------------------------------------------ start-up

    def get_default_screen(self) -> MainScreen:
        # The main screen is the first screen itself (no empty default screen under it),
        # built with its theme, keys and texts in place so it is styled only once.
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.sub_title = self.t("app.subtitle")
        translate_bindings(self, self.t)
        self.loader.give_a_moment()
        return MainScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.config.problem:
            self.notify(self.t("config.unreadable", problem=self.config.problem),
                        severity="warning", markup=False, timeout=10)
        self.loader.start()
        self.set_interval(2.0, self.sessions.heartbeat)
        if self.sessions.locked:
            from .screens.passphrase import unlock_sessions

            unlock_sessions(self)  # before any session is read
        else:
            self.call_after_refresh(self.sessions.reopen_after_crash)

    async def on_unmount(self) -> None:
        if "room" in self.__dict__:  # the room was used: it stops listening with the app
            await self.room.stop()
        self.sessions.shutdown()
        collector.resume()

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def push_screen(self, screen, *args, **kwargs):
        self._add_screens_css()
        return super().push_screen(screen, *args, **kwargs)

    def _add_screens_css(self) -> None:
        # The other screens' styles are added when the first of them opens, not parsed
        # at start-up. Added as a source: Textual's per-screen CSS_PATH would parse every
        # stylesheet again and restyle every screen each time a new kind of screen opens.
        path = str(self.SCREENS_CSS)
        if not self.stylesheet.has_source(path):
            css = self.SCREENS_CSS.read_text(encoding="utf-8")
            self.stylesheet.add_source(css, read_from=(path, ""))

    # ------------------------------------------------------------------ situations

    def open_situation(self, situation_id: str) -> None:
        if self.library is None:
            self.current_id = situation_id  # opened when the library is read
            return
        situation = self.library.situation(situation_id)
        if situation is None:
            return
        situation = self.library.in_language(situation, self.lang)
        self.current_id = situation.id
        self.main.query_one(SituationView).show(situation, self.library, self.lang)
        self.sessions.situation_shown()

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        self.main.focus_search()

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        # messages carry file names and typed text: never markup, controls made visible
        super().notify(displayable(message), title=displayable(title), severity=severity,
                       timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste):
            # pasted text (a mail, a chat) is stored as pasted; only the escape sequences
            # and other controls it may hold are made visible, never sent to the terminal
            event.text = pasted(event.text)
        elif (isinstance(event, events.Key) and not event.is_forwarded
              and is_typed_text(event.character)):
            # a typed no-break space, joiner or direction mark is text, but Textual's inputs
            # insert only "printable" keys: hand it over as a one-character paste
            event = events.Paste(str(event.character))
        await super().on_event(event)

    async def action_quit(self) -> None:
        # text typed a moment ago (take-aways save shortly after typing stops) goes first
        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if callable(flush):
                flush()
        await super().action_quit()

    def action_focus_tree(self) -> None:
        self.main.focus_tree()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_problems(self) -> None:
        from .screens.problems import ProblemsScreen

        if self.library is not None and not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.library.problems, self.workspace.root))

    def action_reload(self) -> None:
        self.loader.reload()
        self.notify(self.t("library.reloading"), markup=False)

    def action_sync(self) -> None:
        from . import sync_action

        sync_action.start(self)

    def action_switch_language(self) -> None:
        self.set_language(LANGUAGES[(LANGUAGES.index(self.lang) + 1) % len(LANGUAGES)])

    def set_language(self, lang: str) -> None:
        self.t = Catalog(lang)
        self.config.lang = lang
        self._save_config()
        translate_all(self)
        if self.library is not None:
            self.main.query_one(LibraryPane).set_language(lang)
            if self.current_id:
                self.open_situation(self.current_id)
        elif self.loader.outline is not None:
            self.main.query_one(LibraryPane).show_outline(self.loader.outline, lang)
        self.notify(self.t("language.switched"), markup=False)

    def _theme_changed(self, theme: object) -> None:
        self.config.theme = self.theme
        self._save_config()

    def _save_config(self) -> None:
        try:
            self.config.save()
        except OSError as error:
            self.notify(self.t("config.unsaved", problem=str(error)), severity="warning",
                        markup=False)

    def key_for(self, binding_id: str, default: str = "ctrl+f") -> str:
        """How the key bound to `binding_id` is shown, after the user's keymap."""
        return key_for(self, binding_id, default)

