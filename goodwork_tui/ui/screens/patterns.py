"""Patterns across sessions: the overview of a series, or of all sessions in a period.

Computed by core/patterns.py `collect` in a thread (a cold folder takes a moment); the
screen shows one list, section by section. Every counted item leads to the notes behind
it (Enter: `NotesBehindScreen`, read from the session files by id, read-only). People
are anonymous unless "names" is ticked, and then only those who consented.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...core.text import one_line
from ..focus import focus_now
from ..safe import DRAW_SAFE, plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ...core.patterns import Patterns, Refs

ALL = "\x00all"  # the Select value for all sessions (a series name is never this)


def _line(*parts: str) -> str:
    return " · ".join(one_line(p, 300) for p in parts if p)


class PatternsScreen(AppAware, Screen[None]):
    """Choose a series or a period; read the overview; Enter on an item shows its notes."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="patterns.close"),
        Binding("ctrl+e", "export", "Export report", id="patterns.export"),
    ]

    def __init__(self, series: str = "") -> None:
        super().__init__()
        self.start_series = series
        self.patterns: Patterns | None = None
        self.refs: dict[str, Refs] = {}  # option id → the notes behind it
        self.asked: dict[str, Any] = {}  # the selection `patterns` was computed for

    def compose(self) -> ComposeResult:
        from ...core.series import list_series

        t = self.t
        names = [info.name for info in list_series(self.gw.workspace.sessions)]
        options = [(plain(t("patterns.all_sessions")), ALL)] + [(plain(n), n) for n in names]
        start = next((n for n in names if n == self.start_series), ALL)
        with Vertical(id="patterns-box") as box:
            box.border_title = t("patterns.title")
            box.border_subtitle = t("patterns.keys")
            with Horizontal(id="patterns-choice"):
                yield Select(options, value=start, allow_blank=False, id="patterns-series")
                yield Input(id="patterns-since", max_length=10,
                            placeholder=t("patterns.since.short"), highlighter=DRAW_SAFE,
                            tooltip=t("patterns.date.tip"))
                yield Input(id="patterns-until", max_length=10,
                            placeholder=t("patterns.until.short"), highlighter=DRAW_SAFE,
                            tooltip=t("patterns.date.tip"))
                with_names = Checkbox(t("patterns.names"), False, id="patterns-names")
                with_names.tooltip = t("export.names")
                yield with_names
            yield Static(id="patterns-status")
            yield OptionList(id="patterns-items")

    def on_mount(self) -> None:
        self.query_one("#patterns-items", OptionList).focus()
        self.recompute()

    # ----------------------------------------------------------------- choosing

    def selection(self) -> dict[str, Any] | None:
        """The series, period and names chosen; None (with a message) for a bad date."""
        dates = []
        for field in ("since", "until"):
            box = self.query_one(f"#patterns-{field}", Input)
            text = box.value.strip()
            try:
                dates.append(date.fromisoformat(text).isoformat() if text else "")
            except ValueError:
                self._status(self.t("patterns.bad_date", date=text), error=True)
                focus_now(box)
                return None
        if dates[0] and dates[1] and dates[0] > dates[1]:
            self._status(self.t("patterns.bad_period"), error=True)
            return None
        value = self.query_one("#patterns-series", Select).value
        return {"series": "" if value in (ALL, Select.BLANK) else str(value),
                "since": dates[0], "until": dates[1],
                "names": self.query_one("#patterns-names", Checkbox).value}

    @on(Select.Changed, "#patterns-series")
    @on(Checkbox.Changed, "#patterns-names")
    @on(Input.Submitted, "#patterns-since, #patterns-until")
    def recompute(self) -> None:
        asked = self.selection()
        if asked is None:
            return
        self._status(self.t("patterns.computing"))
        self._compute(asked)

    @work(thread=True, exclusive=True, group="patterns")
    def _compute(self, asked: dict[str, Any]) -> None:
        from ...core.patterns import collect

        try:
            found = collect(self.gw.workspace.sessions, series=asked["series"] or None,
                            since=asked["since"] or None, until=asked["until"] or None,
                            names=asked["names"], library=self.gw.library, lang=self.gw.lang)
        except OSError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._status, self.t(
                    "patterns.failed", reason=error.strerror or str(error)), True)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, found, asked)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#patterns-status", Static)
        status.update(plain(text))
        status.set_class(error, "-error")

    # ----------------------------------------------------------------- showing

    def show(self, patterns: Patterns, asked: dict[str, Any]) -> None:
        from ...core import patterns_report
        from ...core.patterns import ANONYMOUS

        self.patterns, self.asked = patterns, asked
        t = self.t
        self.query_one("#patterns-box").border_title = patterns_report.title(patterns, t)
        status = t("patterns.summary",
                   sessions=t.plural("patterns.session_count", len(patterns.sessions)),
                   notes=t.plural("session.note_count", patterns.notes))
        if patterns.first:  # "From … to …" has no stop of its own (it heads the report)
            status = f"{t('patterns.period', first=patterns.first, last=patterns.last)} · {status}"
        if patterns.problems:
            status += " " + t.plural("patterns.left_out", len(patterns.problems))
        self._status(status)

        rows: list[Option] = []
        self.refs = {}

        def heading(text: str) -> None:
            rows.append(Option(Text(one_line(text, 300), style="bold"), disabled=True))

        def note(text: str) -> None:
            rows.append(Option(Text(text, style="italic"), disabled=True))

        def item(text: str, refs: Refs | None) -> None:
            option_id = f"i{len(rows)}"
            if refs is not None:
                self.refs[option_id] = refs
            rows.append(Option(Text("  " + text), id=option_id))

        def counted(items: list[Any]) -> None:
            for one in items:
                item(_line(one.label, one.detail,
                           t("patterns.counts", sessions=t.number(one.sessions),
                             notes=t.number(one.notes))),
                     one.refs)
            if not items:
                note("  " + t("patterns.none"))

        if not patterns.sessions:
            note(t("patterns.empty"))
        heading(t("patterns.sessions"))
        for session in patterns.sessions:
            item(_line(session.date, session.title,
                       t.plural("session.note_count", session.notes)),
                 [(session.id, ())] if session.notes else None)
        heading(t("patterns.situations"))
        counted(patterns.situations)
        for key, items in (("patterns.collections", patterns.collections),
                           ("patterns.tags", patterns.tags)):
            if items:
                heading(t(key))
                counted(items)
        heading(t("patterns.lenses"))
        total = sum(i.notes for i in patterns.lenses)
        for lens in patterns.lenses:
            name = t(f"lens.{lens.key}") if lens.key else t("patterns.lens.none")
            share = round(100 * lens.notes / total) if total else 0
            item(f"{name}: {t.plural('patterns.lens.line', lens.notes, share=share)}",
                 lens.refs)
        heading(t("patterns.themes"))
        counted(patterns.themes)
        for key, items in (("patterns.words", patterns.words),
                           ("patterns.questions", patterns.questions)):
            heading(t(key))
            note("  " + t(f"{key}.how", threshold=patterns.word_threshold))
            counted(items)
        heading(t("patterns.agreements"))
        if not patterns.owners:
            note("  " + t("patterns.none"))
        for owner in patterns.owners:
            name = (t("patterns.owner.participants") if owner.owner == ANONYMOUS
                    else owner.owner or t("patterns.owner.none"))
            note(" " + one_line(name, 200) + "  — "
                 + t("patterns.open", count=len(owner.open)) + " · "
                 + t("patterns.finished", count=len(owner.finished)))
            for agreement in [*owner.open, *owner.finished]:
                details = [agreement.text, t(f"series.status.{agreement.status}")
                           if agreement.status in ("open", "done", "carried", "dropped")
                           else agreement.status,
                           t("patterns.made_in", title=agreement.source_title,
                             date=agreement.source_date)]
                if agreement.overdue:
                    details.append(t("series.overdue"))
                if agreement.learned.strip():
                    details.append(t("series.learned", text=agreement.learned))
                item(_line(*details), agreement.refs)
        heading(t("patterns.images"))
        for image in patterns.images:
            item(_line(image.title or image.situation, image.date, image.file), image.refs)
        if not patterns.images:
            note("  " + t("patterns.none"))

        listing = self.query_one("#patterns-items", OptionList)
        listing.clear_options()
        listing.add_options(rows)

    @on(OptionList.OptionSelected, "#patterns-items")
    def _open_item(self, event: OptionList.OptionSelected) -> None:
        refs = self.refs.get(event.option.id or "")
        if not refs:
            self.gw.notify(self.t("patterns.no_notes"), markup=False)
            return
        self.app.push_screen(NotesBehindScreen(notes_behind(self, refs)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        self.gw.main.action_export_patterns()


def notes_behind(screen: AppAware, refs: Refs) -> list[Text]:
    """The notes behind an item, read from the session files by id: one row each (the
    session's date and title, the note's text). A ref with no ids means all its notes."""
    from pathlib import Path

    from ...core.session_digest import META_TABLE, NOTES_TABLE, DigestProblem, load, read_session

    t = screen.t
    sessions_dir = screen.gw.workspace.sessions
    paths = {d.id: d.path for d in load(sessions_dir).digests}
    rows: list[Text] = []
    for session_id, note_ids in refs:
        path = paths.get(session_id)
        try:
            data = read_session(Path(path)) if path else None
        except DigestProblem:
            data = None
        if data is None:
            rows.append(Text(t("patterns.session_gone", id=session_id)))
            continue
        meta = next(iter(data[META_TABLE].values()))
        notes = [n for n in data.get(NOTES_TABLE, {}).values() if isinstance(n, dict)]
        wanted = set(note_ids)
        head = _line(str(meta.get("date", "")), str(meta.get("title", "")))
        for one in sorted(notes, key=lambda n: n.get("seq", 0) if isinstance(
                n.get("seq"), int) else 0):
            if (wanted and one.get("id") not in wanted) or (not wanted and one.get("room_only")):
                continue
            kind = str(one.get("kind", "") or "")
            text = str(one.get("text", ""))
            rows.append(Text(f"{head}\n  {kind + ': ' if kind else ''}{text}"))
    return rows


class NotesBehindScreen(AppAware, ModalScreen[None]):
    """The notes behind one item of the overview, read-only."""

    BINDINGS = [Binding("escape", "close", "Close", id="behind.close")]

    def __init__(self, rows: list[Text]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="behind-box") as box:
            box.border_title = self.t("patterns.notes_behind")
            box.border_subtitle = self.t("patterns.behind.keys")
            yield OptionList(*[Option(row) for row in self.rows], id="behind-list")

    def on_mount(self) -> None:
        self.query_one("#behind-list", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
