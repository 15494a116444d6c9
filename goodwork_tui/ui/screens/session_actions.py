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
        await self._new_session(kind)

    async def _new_session(self, kind: str = "group",
                           defaults: dict[str, Any] | None = None) -> None:
        from ...core.series import list_series
        from .new_session import NewSessionScreen

        if self.session.refuse_if_locked():
            return
        gw = self.gw
        names = [info.name for info in list_series(gw.workspace.sessions)]
        answer: dict[str, Any] | None = await gw.push_screen_wait(
            NewSessionScreen(gw.library, gw.lang, gw.current_id, kind, series=names,
                             defaults=defaults))
        if answer:
            self.session.create(answer)

    async def _choose_series(self) -> str | None:
        """The open session's series, or one the user picks (None: none chosen)."""
        from textual.widgets.option_list import Option

        from ...core.series import list_series
        from ..safe import line
        from .pick import PickScreen

        name = str(self.session.meta.get("series", "") or "")
        if name.strip():
            return name
        t = self.t
        options = [Option(line(f"{info.name}  ({info.first} – {info.last}, "
                               f"{t.plural('series.sessions', info.sessions)})"), id=info.name)
                   for info in list_series(self.gw.workspace.sessions)]
        return await self.gw.push_screen_wait(
            PickScreen(t("series.pick"), t("series.pick.hint"), options, t("series.none")))

    @work(exclusive=True, group="dialog")
    async def action_new_in_series(self) -> None:
        """New session prefilled from the last session of the series (consent asked
        again: every tick starts empty)."""
        from ...core.series import next_session_defaults

        name = await self._choose_series()
        if not name:
            return
        defaults = next_session_defaults(self.gw.workspace.sessions, name)
        if defaults is None:
            self.session.notify("series.none", severity="warning")
            return
        defaults.pop("lang", None)  # the session is made in the app's language
        await self._new_session(str(defaults.get("format", {}).get("kind") or "group"),
                                defaults)

    @work(exclusive=True, group="dialog")
    async def action_change_series(self) -> None:
        from ...core.series import list_series
        from .prompt import FieldsScreen

        if not self._needs_session():
            return
        t = self.t
        answer = await self.gw.push_screen_wait(FieldsScreen(
            t("cmd.change_series"), t("series.change.hint"), [t("series.field")],
            [str(self.session.meta.get("series", "") or "")], required=0))
        if answer is None:
            return
        known = {info.name.casefold(): info.name
                 for info in list_series(self.gw.workspace.sessions)}
        name = known.get(answer[0].casefold(), answer[0])  # an existing one's spelling
        self.session.change("meta", "set_series", name)

    def action_look_back(self) -> None:
        from ..widgets.look_back import LookBack

        if self._needs_session():
            self.action_show_pane("session")  # type: ignore[attr-defined]
            self.gw.main.query_one(LookBack).show_again()

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

    # ----------------------------------------------------------------- across sessions

    def action_patterns(self) -> None:
        from .patterns import PatternsScreen

        if not isinstance(self.gw.screen, PatternsScreen):
            self.gw.push_screen(PatternsScreen(str(self.session.meta.get("series", "") or "")))

    @work(exclusive=True, group="dialog")
    async def action_export_patterns(self) -> None:
        """The report of the overview's selection (the open session's series, or all
        sessions, when the overview is not open), after a preview, to sessions/harvests."""
        from datetime import date

        from ...core import patterns_report
        from ...core.harvest import write_export
        from ...core.patterns import collect
        from ...core.slug import slugify
        from .export import ExportScreen
        from .patterns import PatternsScreen

        gw = self.gw
        overview = next((s for s in reversed(gw.screen_stack)
                         if isinstance(s, PatternsScreen) and s.patterns is not None), None)
        asked: dict[str, Any] = dict(overview.asked) if overview is not None else {
            "series": str(self.session.meta.get("series", "") or ""), "since": "",
            "until": "", "names": False}
        sessions = gw.workspace.sessions

        def render(names: bool, fmt: str = "md") -> str:
            found = collect(sessions, series=asked["series"] or None,
                            since=asked["since"] or None, until=asked["until"] or None,
                            names=names, library=gw.library)
            return patterns_report.render(found, fmt=fmt)

        answer: tuple[str, bool] | None = await gw.push_screen_wait(
            ExportScreen(render, names=asked["names"], title=self.t("cmd.export_patterns")))
        if answer is None:
            return
        action, names = answer
        if action == "copy":
            gw.copy_to_clipboard(render(names))
            self.session.notify("export.copied")
            return
        stem = f"patterns-{slugify(asked['series']) if asked['series'] else 'all'}-" \
               f"{date.today().isoformat()}"
        try:
            path = write_export(sessions / "harvests", stem, render(names, action), action)
        except OSError as error:
            self.session.notify("export.failed", severity="error", timeout=12,
                                reason=error.strerror or str(error))
            return
        self.session.notify("patterns.written", timeout=12, path=str(path))
