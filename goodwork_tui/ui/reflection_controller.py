"""Starting, listing and opening reflections, and taking one into the library.

Each dialog flow runs as a worker that waits for each screen's answer in turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.widgets.option_list import Option

from ..core import reflection
from ..core.model import one_line_summary
from ..core.session_store import SessionError, SessionStore, list_sessions
from .safe import line

if TYPE_CHECKING:
    from .app import GoodWorkApp


class ReflectionController:
    def __init__(self, app: GoodWorkApp) -> None:
        self.app = app

    def _flow(self, flow) -> None:
        self.app.run_worker(flow, group="dialog", exclusive=True)

    def start(self) -> None:
        """Pick a library situation (the one being read first) or one's own."""
        if not self.app.sessions.refuse_if_locked():
            self._flow(self._start())

    async def _start(self) -> None:
        from .screens.pick import PickScreen
        from .screens.prompt import FieldsScreen

        t = self.app.t
        library = self.app.library
        options = [Option(line(t("reflection.pick_own")), id="-")]
        if library is not None:
            shown = library.shown(self.app.lang)
            current = self.app.current_id
            shown.sort(key=lambda s: (s.id != current, s.title.casefold()))
            options += [Option(line(s.title), id=s.id) for s in shown]
        choice = await self.app.push_screen_wait(
            PickScreen(t("reflection.pick_title"), t("open.hint"), options))
        if choice is None:
            return
        if choice != "-":
            self._create(situation_id=choice)
            return
        values = await self.app.push_screen_wait(
            FieldsScreen(t("reflection.pick_own"), t("fields.hint"), [t("reflection.own_title")],
                         need=t("fields.need")))
        if values:
            self._create(own_title=values[0])

    def _create(self, situation_id: str = "", own_title: str = "") -> None:
        library = self.app.library
        situation = library.situation(situation_id) if library and situation_id else None
        summary = one_line_summary(situation, body=library.body(situation)) \
            if library and situation else ""
        try:
            store = reflection.create(self.app.workspace.sessions, lang=self.app.lang,
                                      situation=situation, summary=summary,
                                      own_title=own_title)
        except (OSError, SessionError) as error:
            self.app.notify(self.app.t("session.create_failed", reason=str(error)),
                            severity="error", markup=False, timeout=12)
            return
        self.show(store, owned=True)

    def show(self, store: SessionStore, owned: bool) -> None:
        from .screens.reflection import ReflectionScreen

        self.app.push_screen(ReflectionScreen(store, owned))

    def choose(self) -> None:
        if not self.app.sessions.refuse_if_locked():
            self._flow(self._choose())

    async def _choose(self) -> None:
        from .screens.pick import PickScreen, session_options

        t = self.app.t
        summaries = [s for s in list_sessions(self.app.workspace.sessions) if s.reflection]
        options = session_options(summaries, t("session.broken"), t("session.archived"),
                                  lambda n: t.plural("session.note_count", n))
        chosen = await self.app.push_screen_wait(
            PickScreen(t("reflection.list_title"), t("open.hint"), options, t("reflection.none")))
        if chosen:
            self.open_file(Path(chosen))

    def open_file(self, path: Path) -> None:
        current = self.app.sessions.store
        if current is not None and current.path == path:
            self.show(current, owned=False)  # already open in the session pane
            return
        try:
            store = SessionStore.open(path)
        except (SessionError, OSError) as error:
            self.app.notify(self.app.t("session.open_failed", reason=str(error)),
                            severity="error", markup=False, timeout=12)
            return
        if store.read_only:
            self.app.notify(self.app.t("session.locked", name=path.name), severity="warning",
                            markup=False, timeout=12)
        self.show(store, owned=True)

    def to_library(self) -> None:
        self._flow(self._to_library())

    async def _to_library(self) -> None:
        from .screens.reflection import ReflectionScreen
        from .screens.to_library import ToLibraryScreen

        screen = self.app.screen
        if not isinstance(screen, ReflectionScreen):
            self.app.notify(self.app.t("tolib.from_reflection"), markup=False)
            return
        if self.app.library is None:
            self.app.notify(self.app.t("tolib.no_library"), markup=False)
            return
        screen.flush()
        store = screen.store
        meta = store.meta
        library = self.app.library
        situation = next((library.situation(s) for s in meta.get("situations", [])
                          if library.situation(s)), None)
        own_title = "" if situation else _own_title(meta, self.app.t)

        # the portrait is in the language the reflection was written in
        lang = str(meta.get("lang") or self.app.lang)
        path = await self.app.push_screen_wait(ToLibraryScreen(
            library, reflection.answers(store), situation, own_title, lang))
        if path is not None:
            # a portrait in the inbox: the situations are unchanged, nothing to reload
            self.app.notify(self.app.t("tolib.written", path=str(path)), markup=False, timeout=12)
            # remembered in the reflection, so the patterns across sessions count it
            self._record(store, situation.id if situation else path.stem,
                         situation.title if situation else own_title, path.name)

    def _record(self, store: SessionStore, situation: str, title: str, file: str) -> None:
        """The store write of `reflection.record_to_library`; a failure is said, the
        portrait stays written."""
        from ..core.session_store import ReadOnlyError

        try:
            reflection.record_to_library(store, situation=situation, title=title, file=file)
        except ReadOnlyError:
            self.app.notify(self.app.t("session.read_only_notice"), severity="warning",
                            markup=False)
        except OSError as error:
            self.app.notify(self.app.t("session.not_saved_notice",
                                       reason=error.strerror or str(error)),
                            severity="error", markup=False, timeout=12)


def _own_title(meta: dict, t) -> str:
    """The title the user gave their own situation, from 'Reflection: <title>'."""
    title = str(meta.get("title", ""))
    prefix = t("reflection.title", about="")
    return title[len(prefix):] if title.startswith(prefix) else title

