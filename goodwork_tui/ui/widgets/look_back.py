"""Looking back: the first step of a session in a series.

The open agreements of the series' earlier sessions (core/series.py `open_agreements`),
one row each: its text, owner, review date (overdue ones marked), the session that made
it, the answers later sessions gave (its history) and this session's answer. Keyboard
first: d (done), c (carried on) or x (dropped) on a row asks for one line on what was
learned in the input below; Enter stores the answer through the open session's write
path (`store.set_lookback`), Escape in the input leaves the row as it was. Escape on the
list puts the step away (the palette's "Looking back" brings it back).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.text import one_line as one_line_text
from ..bindings import translate_bindings
from ..focus import focus_now
from ..safe import DRAW_SAFE, plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ...core.series import Agreement
    from ..session import OpenSession


class LookBackList(OptionList):
    BINDINGS = [
        Binding("d", "answer('done')", "Done", id="lookback.done"),
        Binding("c", "answer('carried')", "Carried on", id="lookback.carried"),
        Binding("x", "answer('dropped')", "Dropped", id="lookback.dropped"),
        Binding("escape", "put_away", "Put away", id="lookback.away"),
    ]

    def action_answer(self, status: str) -> None:
        look_back = self.parent
        if isinstance(look_back, LookBack):
            look_back.ask(status)

    def action_put_away(self) -> None:
        look_back = self.parent
        if isinstance(look_back, LookBack):
            look_back.put_away()


class LearnedInput(Input):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="lookback.cancel")]

    def action_cancel(self) -> None:
        look_back = self.parent
        if isinstance(look_back, LookBack):
            look_back.cancel()


class LookBack(AppAware, Vertical):
    """Mounted in the session pane above the notes; shown while the open session has
    agreements from earlier sessions to look back on, until put away."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agreements: list[Agreement] = []
        self.pending: str = ""  # the status being answered ("" = none)
        self.put_away_for: set[Path] = set()  # sessions whose look back was put away
        self.display = False  # until a session with agreements to look back on is shown

    @property
    def session(self) -> OpenSession:
        return self.gw.sessions

    def compose(self) -> ComposeResult:
        yield Static(id="look-back-hint")
        yield LookBackList(id="look-back-list")
        yield LearnedInput(id="look-back-learned", max_length=500, highlighter=DRAW_SAFE)

    def on_mount(self) -> None:
        translate_bindings(self.query_one(LookBackList), self.t)
        translate_bindings(self.query_one(LearnedInput), self.t)
        self.query_one(LearnedInput).display = False
        self.session.changed.subscribe(self, self._session_changed)
        if self.session.is_open:  # mounted with the first session shown
            self._session_changed("opened")

    def _session_changed(self, what: str) -> None:
        if what in ("opened", "closed"):
            self.reload()
            if self.display:  # after the pane has put the focus on the note input
                self.call_after_refresh(self.take_focus)

    # ----------------------------------------------------------------- showing

    def reload(self, keep: int | None = None) -> None:
        """Read the agreements anew (from the session record and its series' digests)."""
        from ...core.series import open_agreements

        store = self.session.store
        self.pending = ""
        self.remove_class("-asking")
        self.query_one(LearnedInput).display = False
        if store is None:
            self.agreements = []
            self.display = False
            return
        try:
            self.agreements = open_agreements(self.gw.workspace.sessions, store.meta, store.id)
        except Exception:  # noqa: BLE001 - a damaged series never keeps a session from opening
            self.agreements = []
        self.display = bool(self.agreements) and store.path not in self.put_away_for
        if not self.agreements:
            return
        t = self.t
        self.border_title = t("series.lookback")
        self.tooltip = t("series.lookback.help")
        self.query_one("#look-back-hint", Static).update(plain(t("lookback.keys")))
        rows = self.query_one(LookBackList)
        rows.clear_options()
        rows.add_options([Option(self._row(a), id=str(i)) for i, a in enumerate(self.agreements)])
        if rows.option_count:
            rows.highlighted = min(keep or 0, rows.option_count - 1)

    def _row(self, agreement: Agreement) -> Text:
        t = self.t
        head = [agreement.text]
        if agreement.owner:
            head.append(agreement.owner if agreement.owner_named or not agreement.owner_person
                        else t("series.owner.anonymous"))
        if agreement.review:
            head.append(t("series.review.overdue", date=agreement.review) if agreement.overdue
                        else t("lookback.review", date=agreement.review))
        lines = [" · ".join(one_line_text(h) for h in head),
                 "  " + t("series.made_in", title=one_line_text(agreement.source_title),
                          date=agreement.source_date)]
        for answer in agreement.history:
            lines.append("  " + t("lookback.history", date=answer.date,
                                  title=one_line_text(answer.title),
                                  status=t(f"series.status.{answer.status}")
                                  if answer.status in ("done", "carried", "dropped")
                                  else answer.status,
                                  learned=one_line_text(answer.learned)))
        if agreement.answer is not None:
            status = str(agreement.answer.get("status", ""))
            lines.append("  → " + t("lookback.answer", status=t(f"series.status.{status}")
                                    if status in ("done", "carried", "dropped") else status,
                                    learned=one_line_text(str(agreement.answer.get("learned",
                                                                                   "")))))
        else:
            lines.append("  → " + t("series.status.open"))
        text = Text("\n".join(lines))
        if agreement.overdue and agreement.answer is None:
            text.stylize("bold", 0, len(lines[0]))
        return text

    def take_focus(self) -> bool:
        """While shown, the look back is the first step: its list takes the keys."""
        if not (self.display and self.agreements and self.is_mounted):
            return False
        focus_now(self.query_one(LookBackList))
        return True

    def show_again(self) -> None:
        store = self.session.store
        if store is not None:
            self.put_away_for.discard(store.path)
        self.reload()
        if not self.agreements:
            self.session.notify("series.lookback.empty")
            return
        self.query_one(LookBackList).focus()

    def put_away(self) -> None:
        store = self.session.store
        if store is not None:
            self.put_away_for.add(store.path)
        self.display = False
        self.pending = ""
        with_input = self.screen.query("#note-input")
        if with_input:
            focus_now(with_input.first())

    # ----------------------------------------------------------------- answering

    def _current(self) -> Agreement | None:
        index = self.query_one(LookBackList).highlighted
        return self.agreements[index] if index is not None and \
            0 <= index < len(self.agreements) else None

    def ask(self, status: str) -> None:
        agreement = self._current()
        if agreement is None:
            return
        self.pending = status
        learned = self.query_one(LearnedInput)
        before = agreement.answer.get("learned", "") if agreement.answer else ""
        learned.value = str(before)
        learned.placeholder = self.t("lookback.ask", status=self.t(f"series.status.{status}"))
        learned.display = True
        self.add_class("-asking")  # room for the input on a small screen
        focus_now(learned)

    def cancel(self) -> None:
        self.pending = ""
        self.remove_class("-asking")
        self.query_one(LearnedInput).display = False
        focus_now(self.query_one(LookBackList))

    @on(Input.Submitted, "#look-back-learned")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        agreement = self._current()
        if agreement is None or not self.pending:
            return
        index = self.query_one(LookBackList).highlighted
        if self.session.change("meta", "set_lookback",
                               **agreement.answer_fields(self.pending, event.value)):
            self.reload(keep=index)
            focus_now(self.query_one(LookBackList))
        # on failure the line stays in the input (the write path said why)
