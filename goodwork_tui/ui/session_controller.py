"""Starting, opening, closing and steering sessions: the app's session actions.

Kept apart from app.py so the app only wires things together. Every failure ends in
a message naming what went wrong; nothing here lets an exception reach the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.session_store import SessionStore
    from .app import GoodWorkApp
    from .widgets.session_pane import SessionPane


class SessionController:
    def __init__(self, app: GoodWorkApp) -> None:
        self.app = app

    @property
    def pane(self) -> SessionPane:
        from .widgets.session_pane import SessionPane

        return self.app.main.query_one(SessionPane)

    @property
    def store(self) -> SessionStore | None:
        return self.pane.store

    def write(self, change, *args, **kwargs):  # type: ignore[no-untyped-def]
        """One store change with the pane's saved state and error messages."""
        return self.pane._write(change, *args, **kwargs)  # noqa: SLF001

    def _show_pane(self) -> None:
        self.app.main.action_show_pane("session")
        self.pane.focus_input()

    # ----------------------------------------------------------------- lifecycle

    def new(self, kind: str = "group") -> None:
        from .screens.new_session import NewSessionScreen

        def created(answer: dict[str, Any] | None) -> None:
            if answer:
                self.create(answer)

        self.app.push_screen(NewSessionScreen(self.app.library, self.app.lang,
                                              self.app.current_id, kind), created)

    def create(self, answer: dict[str, Any]) -> SessionStore | None:
        from ..core import session_store  # tinydb and json: not needed for the first frame

        t = self.app.t
        try:
            store = session_store.SessionStore.create(self.app.workspace.sessions,
                                                      lang=self.app.lang, **answer)
        except (OSError, session_store.SessionError) as error:
            self.app.notify(t("session.create_failed", reason=_reason(error)), severity="error",
                            markup=False, timeout=12)
            return None
        if not self.pane.attach(store):
            return None
        self._show_pane()
        self.app.notify(t("session.created", name=store.path.name), markup=False)
        return store

    def choose_and_open(self) -> None:
        from ..core import session_store
        from .screens.pick import PickScreen, session_options

        t = self.app.t
        summaries = session_store.list_sessions(self.app.workspace.sessions)
        options = session_options(summaries, t("session.broken"), t("session.archived"),
                                  lambda n: t.plural("session.note_count", n))
        self.app.push_screen(
            PickScreen(t("open.title"), t("open.hint"), options, t("open.none")),
            lambda chosen: self.open_file(chosen) if chosen else None,
        )

    def open_file(self, path: str | Path) -> SessionStore | None:
        t = self.app.t
        path = Path(path)
        if self.store is not None and self.store.path == path:
            self._show_pane()
            return self.store
        from ..core import session_store

        # a reflection opens step by step, not as rounds
        if session_store.summarize(path).reflection:
            self.app.reflections.open_file(path)
            return None
        try:
            store = session_store.SessionStore.open(path)
        except session_store.SessionError as error:
            self.app.notify(t("session.open_failed", reason=str(error)), severity="error",
                            markup=False, timeout=12)
            return None
        except OSError as error:
            self.app.notify(t("session.open_failed", reason=f"{path}: {_reason(error)}"),
                            severity="error", markup=False, timeout=12)
            return None
        if not self.pane.attach(store):
            return None
        self._show_pane()
        if store.read_only:
            self.app.notify(t("session.locked", name=path.name), severity="warning",
                            markup=False, timeout=12)
        return store

    def close(self) -> None:
        if self.store is not None:
            self.pane.detach()
            self.app.notify(self.app.t("session.closed"), markup=False)

    def archive(self) -> None:
        store = self.store
        if store is None:
            self._no_session()
            return
        if self.write(store.update_meta, archived=True):
            self.pane.detach()
            self.app.notify(self.app.t("session.archived_notice"), markup=False)

    def tell_no_session(self) -> None:
        self._no_session()

    # ----------------------------------------------------------------- harvest out

    def _markdown(self, names: bool) -> str:
        from ..core.harvest import export

        store = self.store
        assert store is not None
        # in the session's language, like `goodwork export`: the same session, the same bytes
        return export(store.meta, store.notes(), fmt="md", names=names)

    def export(self) -> None:
        from .screens.export import ExportScreen

        if self.store is None:
            self._no_session()
            return

        def chosen(answer: tuple[str, bool] | None) -> None:
            if answer is None:
                return
            action, names = answer
            if action == "copy":
                self._copy(names)
            else:
                self._write_export(action, names)

        self.app.push_screen(ExportScreen(self._markdown), chosen)

    def _write_export(self, fmt: str, names: bool) -> None:
        from ..core.harvest import export, write_export

        store = self.store
        assert store is not None
        text = export(store.meta, store.notes(), fmt=fmt, names=names)
        folder = self.app.workspace.sessions / "harvests"
        try:
            path = write_export(folder, f"{store.id}-harvest", text, fmt)
        except OSError as error:
            self.app.notify(self.app.t("export.failed", reason=_reason(error)),
                            severity="error", markup=False, timeout=12)
            return
        self.app.notify(self.app.t("export.written", path=str(path)), markup=False, timeout=12)

    def copy_harvest(self) -> None:
        if self.store is None:
            self._no_session()
            return
        self._copy(names=False)

    def _copy(self, names: bool) -> None:
        self.app.copy_to_clipboard(self._markdown(names))
        self.app.notify(self.app.t("export.copied"), markup=False)

    def _no_session(self) -> None:
        self.app.notify(self.app.t("session.none_open"), severity="warning", markup=False)

    # ----------------------------------------------------------------- running

    def step(self, step: int) -> None:
        if self.store is None:
            self._no_session()
            return
        self.pane.step_round(step)

    def toggle_timer(self) -> None:
        if self.store is None:
            self._no_session()
            return
        self.pane.toggle_timer()

    def add_minute(self) -> None:
        if self.store is None:
            self._no_session()
            return
        self.pane.add_minute()

    def undo(self) -> None:
        if not self.pane.undo_delete():
            self.app.notify(self.app.t("note.nothing_to_undo"), markup=False)

    def choose_round_for(self, note_id: str) -> None:
        from textual.widgets.option_list import Option

        from .safe import line
        from .screens.pick import PickScreen

        store = self.store
        if store is None:
            return
        t = self.app.t
        meta = store.meta
        rounds = meta.get("format", {}).get("rounds", [])
        options = [Option(line(f"{n + 1}. {rounds[i]['title']}"), id=str(i))
                   for n, i in enumerate(meta.get("round_order", [])) if i < len(rounds)]
        self.app.push_screen(
            PickScreen(t("move.title"), t("open.hint"), options),
            lambda chosen: self.pane.move_note(note_id, int(chosen)) if chosen else None,
        )

    def reorder(self) -> None:
        from .screens.pick import RoundsScreen

        store = self.store
        if store is None:
            self._no_session()
            return
        t = self.app.t
        meta = store.meta
        titles = [r["title"] for r in meta.get("format", {}).get("rounds", [])]
        self.app.push_screen(
            RoundsScreen(t("rounds.title"), t("rounds.hint"), titles,
                         list(meta.get("round_order", []))),
            lambda order: self.pane.set_round_order(order) if order else None,
        )


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
