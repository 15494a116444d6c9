"""The session's actions on the main screen, where their keys are (see MainScreen).

Each changes the open session only through `app.sessions` (an `OpenSession`). A
dialog is a straight line: a worker pushes the screen and waits for its answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from ..typed_app import AppAware

if TYPE_CHECKING:
    from ..session import OpenSession


class SessionActions(AppAware):
    """Mixed into MainScreen: new, open, close, archive, rounds, timer, harvest, export."""

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    def _session_changed(self, what: str) -> None:
        if what in ("opened", "shown"):
            self.action_show_pane("session")  # type: ignore[attr-defined]

    def _needs_session(self) -> bool:
        if self.session.store is None:
            self.session.tell_no_session()
            return False
        return True

    # ----------------------------------------------------------------- lifecycle

    @work(exclusive=True, group="dialog")
    async def action_new_session(self, kind: str = "group") -> None:
        from .new_session import NewSessionScreen

        if self.session.refuse_if_locked():
            return
        gw = self.gw
        answer: dict[str, Any] | None = await gw.push_screen_wait(
            NewSessionScreen(gw.library, gw.lang, gw.current_id, kind))
        if answer:
            self.session.create(answer)

    @work(exclusive=True, group="dialog")
    async def action_open_session(self) -> None:
        from ...core import session_store
        from .pick import PickScreen, session_options

        if self.session.refuse_if_locked():
            return
        t = self.t
        summaries = session_store.list_sessions(self.gw.workspace.sessions)
        options = session_options(summaries, t("session.broken"), t("session.archived"),
                                  lambda n: t.plural("session.note_count", n))
        chosen = await self.gw.push_screen_wait(
            PickScreen(t("open.title"), t("open.hint"), options, t("open.none")))
        if chosen:
            self.session.open_file(chosen)

    def action_close_session(self) -> None:
        self.session.close()

    def action_archive_session(self) -> None:
        self.session.archive()

    # ----------------------------------------------------------------- running

    def action_next_round(self) -> None:
        self.session.step(1)

    def action_previous_round(self) -> None:
        self.session.step(-1)

    def action_toggle_timer(self) -> None:
        self.session.toggle_timer()

    def action_add_minute(self) -> None:
        self.session.add_minute()

    def action_undo(self) -> None:
        self.session.undo()

    def action_next_situation(self) -> None:
        self.session.next_situation()

    def action_write_note(self) -> None:
        self.action_show_pane("session")  # type: ignore[attr-defined]

    @work(exclusive=True, group="dialog")
    async def action_reorder_rounds(self) -> None:
        from .pick import RoundsScreen

        if not self._needs_session():
            return
        t = self.t
        meta = self.session.meta
        titles = [r["title"] for r in meta.get("format", {}).get("rounds", [])]
        order = await self.gw.push_screen_wait(
            RoundsScreen(t("rounds.title"), t("rounds.hint"), titles,
                         list(meta.get("round_order", []))))
        if order:
            self.session.set_round_order(order)

    # ----------------------------------------------------------------- harvest

    def action_harvest(self) -> None:
        from .harvest import HarvestScreen

        if self._needs_session() and not isinstance(self.gw.screen, HarvestScreen):
            self.gw.push_screen(HarvestScreen())

    def action_room_view(self) -> None:
        from .room import RoomScreen

        if self._needs_session() and not isinstance(self.gw.screen, RoomScreen):
            self.gw.push_screen(RoomScreen())

    @work(exclusive=True, group="dialog")
    async def action_export_harvest(self) -> None:
        from .export import ExportScreen

        if not self._needs_session():
            return
        answer: tuple[str, bool] | None = await self.gw.push_screen_wait(
            ExportScreen(self.session.markdown))
        if answer is None:
            return
        action, names = answer
        if action == "copy":
            self.session.copy(names)
        else:
            self.session.write_export(action, names)

    def action_copy_harvest(self) -> None:
        self.session.copy(names=False)

    # ----------------------------------------------------------------- the situation

    def action_reveal(self, step: int) -> None:
        self.session.reveal(step)

    @work(exclusive=True, group="dialog")
    async def action_print_card(self) -> None:
        """The situation being read as a one-page dialogue card (HTML, under a new name
        in sessions/harvests), then the offer to open it in the browser to print."""
        from ...core import reveal
        from ...core.dialogue_card import CardError, find, to_html
        from ...core.harvest import write_export
        from .confirm import ConfirmScreen

        gw, t = self.gw, self.t
        situation_id = gw.current_id
        if gw.library is None or not situation_id:
            self.session.notify("reveal.no_situation", severity="warning")
            return
        try:
            found = gw.library.situation(situation_id)
            if found is None:
                find(gw.library, situation_id)  # says it is not in the library
            assert found is not None
            # the app's library holds no parsed sections: they are read from the file
            situation = reveal.with_parts(found)
            if not situation.story.strip():
                raise CardError(f"{situation.path.name}: the situation has no story to print")
            text = to_html(situation, gw.library)
            path = write_export(gw.workspace.sessions / "harvests", f"{situation_id}-card",
                                text, "html")
        except (CardError, reveal.Unreadable) as error:
            self.session.notify("card.failed", severity="error", timeout=12, reason=str(error))
            return
        except OSError as error:
            self.session.notify("card.failed", severity="error", timeout=12,
                                reason=error.strerror or str(error))
            return
        self.session.notify("card.written", timeout=12, path=str(path))
        if await gw.push_screen_wait(ConfirmScreen(t("card.open_question"), str(path),
                                                   t("card.open"), t("common.cancel"))):
            gw.open_url(path.resolve().as_uri())
