"""The Goed Werk app: wiring of screens, settings, language and commands."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap
from textual.screen import Screen

from ..core import library_cache
from ..core.config import Config
from ..core.i18n import LANGUAGES, Catalog
from ..core.model import Library
from ..core.search import SearchIndex
from ..core.text import displayable, is_typed_text, pasted
from ..core.workspace import Workspace
from . import collector
from .bindings import translate_bindings, translated
from .screens.main import MainScreen
from .session_controller import SessionController
from .style_memory import RememberingStylesheet, memory_file
from .widgets.library_pane import LibraryPane
from .widgets.session_pane import SessionPane
from .widgets.situation_view import SituationView

if TYPE_CHECKING:
    from .authoring_controller import AuthoringController
    from .reflection_controller import ReflectionController

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
FIRST_FRAME_WAIT = 0.15  # seconds the first frame waits at most for the library
OUTLINE_FROM = 400  # situations from which the first frame shows the library's outline


class _Background:
    """Run one function in a thread now; `result()` waits for it (and re-raises)."""

    def __init__(self, function, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._value: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args, kwargs),
                                        name="goodwork-library", daemon=True)
        self._thread.start()

    def _run(self, function, args, kwargs) -> None:  # type: ignore[no-untyped-def]
        try:
            self._value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            self._error = error

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds; True when done without an error."""
        self._thread.join(timeout)
        return not self._thread.is_alive() and self._error is None

    def result(self):  # type: ignore[no-untyped-def]
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _read_library(root: Path, progress) -> tuple[Library, SearchIndex]:  # type: ignore[no-untyped-def]
    library = library_cache.load(root, progress=progress)
    index = SearchIndex(library.tags)
    index.add(library.situations)
    return library, index


class GoodWorkApp(App[int]):
    # absolute, so subclasses defined elsewhere (benchmarks, tests) find it too
    CSS_PATH = Path(__file__).with_name("app.tcss")
    SCREENS_CSS = Path(__file__).with_name("screens.tcss")
    TITLE = "Goed Werk"
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
        # styles parsed in an earlier run are not parsed again (see style_memory)
        self.stylesheet = RememberingStylesheet(
            variables=self.get_css_variables(),
            path=memory_file(library_cache.cache_dir()))
        self.workspace = workspace
        self.config = config or Config.load()
        self.t = Catalog(lang)
        self.library: Library | None = None
        self.index: SearchIndex | None = None
        self.current_id: str | None = None
        self.sessions = SessionController(self)
        # Start reading the library now, while Textual sets up the terminal; the main
        # screen picks up the result. Progress is polled from the UI thread.
        self._progress: tuple[int, int] | None = None
        self._started = time.monotonic()
        # A big library read before shows its outline (collections and counts, as last
        # read) in the first frame and is read after it: read beside the interface being
        # built, both would take several times longer, fighting over the GIL.
        self._outline = library_cache.outline(workspace.library)
        if self._outline is not None and self._outline.situations <= OUTLINE_FROM:
            self._outline = None
        self._first_load: _Background | None = None
        if self._outline is None:
            self._first_load = _Background(_read_library, workspace.library,
                                           self._note_progress)

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
        # Give the library reader a moment alone first: a small library is read in a few
        # ms then, and shown in the first frame. Running beside the interface being built,
        # both threads lose far more to the GIL (see show_library_if_read). A big library
        # goes on being read in the background, and the screen shows its progress.
        if self._first_load is not None:
            self._first_load.wait(FIRST_FRAME_WAIT)
        return MainScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.config.problem:
            self.notify(self.t("config.unreadable", problem=self.config.problem),
                        severity="warning", markup=False, timeout=10)
        self._progress_timer = self.set_interval(0.1, self._show_progress)
        if self._first_load is not None:
            self.load_library(self._first_load)
        else:
            self.call_after_refresh(self.load_library)  # the outline is on screen first

    def on_unmount(self) -> None:
        self.stylesheet.save()  # type: ignore[attr-defined]
        collector.resume()

    def _note_progress(self, done: int, total: int) -> None:
        self._progress = (done, total)  # read by _show_progress on the UI thread

    def _show_progress(self) -> None:
        if self._progress is None or self.library is not None:
            return
        if self._outline is not None and time.monotonic() - self._started < 1.0:
            return  # the outline is shown: a warm read is over before a bar would help
        self.main.query_one(LibraryPane).show_progress(*self._progress)

    @work(thread=True, exclusive=True, group="library")
    def load_library(self, started: _Background | None = None) -> None:
        """Parse the library off the UI thread; the screen is usable meanwhile."""
        if started is not None:
            library, index = started.result()
        else:
            library, index = _read_library(self.workspace.library, self._note_progress)
        self.call_from_thread(self._hand_over, library, index)

    def show_library_if_read(self) -> None:
        """The main screen is built: a library read by now, or within a moment, is shown
        in its first frame (not a frame later, which lays out the whole screen again).
        While the interface is built, the reader thread gets little done: each of its
        many file checks waits for the GIL. Waiting here, it runs at full speed."""
        if self.library is not None:
            return
        if self._outline is not None:
            self.main.query_one(LibraryPane).show_outline(self._outline, self.lang)
        elif self._first_load is not None and self._first_load.wait(FIRST_FRAME_WAIT):
            self._library_ready(*self._first_load.result())

    def _hand_over(self, library: Library, index: SearchIndex) -> None:
        if library is not self.library:  # else shown already, by show_library_if_read
            self._library_ready(library, index)

    def _library_ready(self, library: Library, index: SearchIndex) -> None:
        self.library, self.index = library, index
        # Ten thousand situations are long-lived objects: keep them out of the garbage
        # collector's passes, which otherwise stall typing for 100 ms and more. On a
        # reload the previous library is let go first, so it is not kept forever.
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        self._progress_timer.pause()
        self.main.query_one(LibraryPane).set_library(library, index, self.lang)
        if self.current_id and library.situation(self.current_id):
            self.open_situation(self.current_id)
        # after the frame that shows the library: the check's file reads (and, when
        # files changed, its parsing) would otherwise compete with drawing it
        self.call_after_refresh(self._library_shown)

    def _library_shown(self) -> None:
        self.check_library()
        # At start-up the screen is complete once the panes' insides are built (each
        # pane does so after the first frame; whichever comes first does it): the styles
        # it parsed are remembered now, not only at exit, which a killed terminal skips.
        main = self.main
        main.query_one(SituationView).build()
        main.query_one(SessionPane).build_resting()
        self.stylesheet.save()  # type: ignore[attr-defined]
        collector.resume()

    @work(thread=True, exclusive=True, group="check")
    def check_library(self) -> None:
        """Parse every section of every file (cached per file) for the problems panel."""
        checked = library_cache.check(self.workspace.library)
        self.call_from_thread(self._problems_ready, checked.problems)

    def _problems_ready(self, problems: list) -> None:
        if self.library is None:
            return
        self.library.problems = problems
        self.main.query_one(LibraryPane).problems_changed()
        if problems:
            self.notify(self.t.plural("library.problems_notice", len(problems)),
                        severity="warning", markup=False)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[no-untyped-def, override]
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
            return
        situation = self.library.situation(situation_id)
        if situation is None:
            return
        situation = self.library.in_language(situation, self.lang)
        self.current_id = situation.id
        self.main.query_one(SituationView).show(situation, self.library, self.lang)
        self.main.query_one(SessionPane).situation_changed()

    def ask_to_open_link(self, href: str) -> None:
        from .screens.confirm import ConfirmScreen

        if not href.lower().startswith(SAFE_LINK_SCHEMES):
            self.notify(self.t("link.refused", href=href), severity="warning", markup=False)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.open_url(href)

        self.push_screen(ConfirmScreen(self.t("link.question"), href, self.t("link.open"),
                                       self.t("common.cancel")), answer)

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        self.main.focus_search()

    def notify(self, message: str, *, title: str = "", severity="information",  # type: ignore[no-untyped-def, override]
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
        self.load_library()
        self.notify(self.t("library.reloading"), markup=False)

    # session actions: the keys live on MainScreen, the work in SessionController
    def action_new_session(self) -> None:
        self.sessions.new()

    def action_open_session(self) -> None:
        self.sessions.choose_and_open()

    def action_close_session(self) -> None:
        self.sessions.close()

    def action_archive_session(self) -> None:
        self.sessions.archive()

    def action_next_round(self) -> None:
        self.sessions.step(1)

    def action_previous_round(self) -> None:
        self.sessions.step(-1)

    def action_toggle_timer(self) -> None:
        self.sessions.toggle_timer()

    def action_add_minute(self) -> None:
        self.sessions.add_minute()

    def action_undo(self) -> None:
        self.sessions.undo()

    def action_reorder_rounds(self) -> None:
        self.sessions.reorder()

    def action_write_note(self) -> None:
        self.main.action_show_pane("session")

    def action_harvest(self) -> None:
        from .screens.harvest import HarvestScreen

        if self.sessions.store is None:
            self.sessions.tell_no_session()
        elif not isinstance(self.screen, HarvestScreen):
            self.push_screen(HarvestScreen())

    def action_room_view(self) -> None:
        from .screens.room import RoomScreen

        if self.sessions.store is None:
            self.sessions.tell_no_session()
        elif not isinstance(self.screen, RoomScreen):
            self.push_screen(RoomScreen())

    def action_export_harvest(self) -> None:
        self.sessions.export()

    def action_copy_harvest(self) -> None:
        self.sessions.copy_harvest()

    def action_start_reflection(self) -> None:
        self.reflections.start()

    def action_my_reflections(self) -> None:
        self.reflections.choose()

    def action_reflection_to_library(self) -> None:
        self.reflections.to_library()

    def action_new_situation(self) -> None:
        self.authoring.new_situation()

    def action_edit_situation(self) -> None:
        self.authoring.edit_situation()

    def action_new_collection(self) -> None:
        self.authoring.new_collection()

    def action_portraits_inbox(self) -> None:
        self.authoring.inbox()

    def open_session_file(self, path: str) -> None:
        self.sessions.open_file(path)

    def choose_round(self, note_id: str) -> None:
        self.sessions.choose_round_for(note_id)

    def action_switch_language(self) -> None:
        self.set_language(LANGUAGES[(LANGUAGES.index(self.lang) + 1) % len(LANGUAGES)])

    def set_language(self, lang: str) -> None:
        self.t = Catalog(lang)
        self.config.lang = lang
        self._save_config()
        self._translate_all()
        if self.library is not None:
            self.main.query_one(LibraryPane).set_language(lang)
            if self.current_id:
                self.open_situation(self.current_id)
        elif self._outline is not None:
            self.main.query_one(LibraryPane).show_outline(self._outline, lang)
        self.notify(self.t("language.switched"), markup=False)

    def _translate_all(self) -> None:
        self.sub_title = self.t("app.subtitle")
        translate_bindings(self, self.t)
        for screen in self.screen_stack:
            translate_bindings(screen, self.t)
            for widget in screen.walk_children():
                if widget._bindings.key_to_bindings:  # noqa: SLF001
                    translate_bindings(widget, self.t)
        if self.main.is_mounted:
            self.main.relabel()
        self.refresh_bindings()

    def _theme_changed(self, theme: object) -> None:
        self.config.theme = self.theme
        self._save_config()

    def _save_config(self) -> None:
        try:
            self.config.save()
        except OSError as error:
            self.notify(self.t("config.unsaved", problem=str(error)), severity="warning",
                        markup=False)

    # ------------------------------------------------------------------ help and commands

    def key_for(self, binding_id: str, default: str = "ctrl+f") -> str:
        """How the key bound to `binding_id` is shown, after the user's keymap."""
        keys = self._keymap.get(binding_id)
        if keys is None:
            keys = next((b.key for b in self.BINDINGS if isinstance(b, Binding)
                         and b.id == binding_id), default)
        return self.get_key_display(Binding(keys.split(",")[0].strip(), ""))

    def key_table(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding with an id, as remapped by the keymap."""
        from .widgets.note_input import NoteInput, NoteList

        rows: dict[str, str] = {}
        # the note keys from their classes: those widgets exist once a session is open
        maps = (self._bindings, self.main._bindings,  # noqa: SLF001
                BindingsMap(NoteInput.BINDINGS), BindingsMap(NoteList.BINDINGS))
        for bindings_map in maps:
            for bindings in bindings_map.key_to_bindings.values():
                for binding in (translated(b, self.t) for b in bindings):
                    if not binding.id or binding.id in rows:
                        continue
                    keys = self._keymap.get(binding.id, binding.key)
                    shown = ", ".join(
                        self.get_key_display(Binding(k.strip(), "")) for k in keys.split(",")
                    )
                    rows[binding.id] = f"{shown}\t{binding.tooltip or binding.description}"
        table = [tuple(row.split("\t", 1)) for row in rows.values()]
        table.append(("ctrl+p", self.t("help.palette")))
        return table  # type: ignore[return-value]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        t = self.t
        yield SystemCommand(t("cmd.search"), t("cmd.search.help"), self.action_search)
        yield SystemCommand(t("cmd.language"), t("cmd.language.help"),
                            self.action_switch_language)
        yield SystemCommand(t("cmd.problems"), t("cmd.problems.help"), self.action_problems)
        yield SystemCommand(t("cmd.help"), t("cmd.help.help"), self.action_help)
        yield SystemCommand(t("cmd.reload"), t("cmd.reload.help"), self.action_reload)
        for name, action in (
            ("new_session", self.action_new_session),
            ("open_session", self.action_open_session),
            ("next_round", self.action_next_round),
            ("previous_round", self.action_previous_round),
            ("toggle_timer", self.action_toggle_timer),
            ("add_minute", self.action_add_minute),
            ("reorder_rounds", self.action_reorder_rounds),
            ("undo", self.action_undo),
            ("write_note", self.action_write_note),
            ("close_session", self.action_close_session),
            ("harvest", self.action_harvest),
            ("export_harvest", self.action_export_harvest),
            ("copy_harvest", self.action_copy_harvest),
            ("room_view", self.action_room_view),
            ("start_reflection", self.action_start_reflection),
            ("my_reflections", self.action_my_reflections),
            ("new_situation", self.action_new_situation),
            ("edit_situation", self.action_edit_situation),
            ("new_collection", self.action_new_collection),
            ("portraits_inbox", self.action_portraits_inbox),
            ("archive_session", self.action_archive_session),
        ):
            yield SystemCommand(t(f"cmd.{name}"), t(f"cmd.{name}.help"), action)
        main = self.main
        for pane in ("library", "reader", "session"):
            yield SystemCommand(t(f"cmd.pane.{pane}"), t(f"cmd.pane.{pane}.help"),
                                lambda pane=pane: main.action_show_pane(pane))


def run(workspace_root: Path, lang: str = "en") -> None:  # pragma: no cover - convenience
    GoodWorkApp(Workspace(workspace_root, "option"), lang=lang).run()
