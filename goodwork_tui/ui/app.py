"""The Goed Werk app: wiring of screens, settings, language and commands."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core import library_cache
from ..core.config import Config
from ..core.i18n import LANGUAGES, Catalog
from ..core.model import Library
from ..core.search import SearchIndex
from ..core.workspace import Workspace
from .bindings import translate_bindings
from .screens.main import MainScreen
from .widgets.library_pane import LibraryPane
from .widgets.situation_view import SituationView

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
_LOADER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goodwork-library")


class GoodWorkApp(App[int]):
    # absolute, so subclasses defined elsewhere (benchmarks, tests) find it too
    CSS_PATH = Path(__file__).with_name("app.tcss")
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
        self.workspace = workspace
        self.config = config or Config.load()
        self.t = Catalog(lang)
        self.library: Library | None = None
        self.index: SearchIndex | None = None
        self.current_id: str | None = None
        # Start reading the library now, while Textual sets up the terminal and the
        # screen; on_mount picks up the result.
        self._first_load: Future[Library] = _LOADER.submit(library_cache.load, workspace.library)

    @property
    def lang(self) -> str:
        return self.t.lang

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.problem:
            self.notify(self.t("config.unreadable", problem=self.config.problem),
                        severity="warning", markup=False, timeout=10)
        self.push_screen(MainScreen())
        self._translate_all()
        self.load_library(self._first_load)

    @work(thread=True, exclusive=True, group="library")
    def load_library(self, started: Future[Library] | None = None) -> None:
        """Parse the library off the UI thread; the screen is usable meanwhile."""
        if started is not None:
            library = started.result()
        else:
            library = library_cache.load(self.workspace.library)
        index = SearchIndex(library.tags)
        index.add(library.situations)
        self.call_from_thread(self._library_ready, library, index)

    def _library_ready(self, library: Library, index: SearchIndex) -> None:
        self.library, self.index = library, index
        self.main.query_one(LibraryPane).set_library(library, index, self.lang)
        if self.current_id and library.situation(self.current_id):
            self.open_situation(self.current_id)
        if library.problems:
            self.notify(self.t("library.problems_notice", count=len(library.problems)),
                        severity="warning", markup=False)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

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
        self.notify(self.t("language.switched"), markup=False)

    def _translate_all(self) -> None:
        self.sub_title = self.t("app.subtitle")
        translate_bindings(self, self.t)
        for screen in self.screen_stack:
            translate_bindings(screen, self.t)
        main = self.main
        if main.is_mounted:
            main.relabel()
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

    def key_table(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding with an id, as remapped by the keymap."""
        rows: dict[str, str] = {}
        screen = self.main
        for node in (self, screen):
            for _key, bindings in node._bindings.key_to_bindings.items():  # noqa: SLF001
                for binding in bindings:
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
        main = self.main
        for pane in ("library", "reader", "session"):
            yield SystemCommand(t(f"cmd.pane.{pane}"), t(f"cmd.pane.{pane}.help"),
                                lambda pane=pane: main.action_show_pane(pane))


def run(workspace_root: Path, lang: str = "en") -> None:  # pragma: no cover - convenience
    GoodWorkApp(Workspace(workspace_root, "option"), lang=lang).run()
