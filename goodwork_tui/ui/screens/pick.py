"""Small pickers: a session to open, a round to move a note to, the order of rounds."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from ...core.session_store import SessionSummary
from ..safe import line, plain


class PickScreen(ModalScreen[str | None]):
    """A titled list; Enter returns the option id, Escape returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, hint: str, options: list[Option], empty: str = "") -> None:
        super().__init__()
        self.title_text, self.hint, self.options, self.empty = title, hint, options, empty

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = self.hint
            if self.options:
                yield OptionList(*self.options, id="pick-list")
            else:
                yield Static(plain(self.empty), id="pick-empty")

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def session_options(summaries: list[SessionSummary], describe_problem: str,
                    archived_mark: str, notes_label) -> list[Option]:
    options = []
    for summary in summaries:
        if summary.problem:
            options.append(Option(line(f"{summary.path.name} — {describe_problem}: "
                                       f"{summary.problem}"), id=str(summary.path),
                                  disabled=True))
            continue
        mark = f" [{archived_mark}]" if summary.archived else ""
        options.append(Option(line(f"{summary.date}  {summary.title}{mark}  ·  "
                                   f"{summary.format_title}  ·  {notes_label(summary.notes)}"),
                              id=str(summary.path)))
    return options


class RoundsScreen(ModalScreen[list[int] | None]):
    """Tick the rounds to run; shift+up/down moves a round. Enter confirms."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="rounds.cancel"),
        Binding("shift+up", "move(-1)", "Up", id="rounds.up"),
        Binding("shift+down", "move(1)", "Down", id="rounds.down"),
        Binding("ctrl+s", "done", "Done", id="rounds.done"),
    ]

    def __init__(self, title: str, hint: str, rounds: list[str], order: list[int]) -> None:
        super().__init__()
        self.title_text, self.hint = title, hint
        self.rounds = rounds
        skipped = [i for i in range(len(rounds)) if i not in order]
        self.sequence = [*order, *skipped]
        self.active = set(order)

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = self.hint
            yield SelectionList[int](id="rounds-list")

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int) -> None:
        rounds = self.query_one("#rounds-list", SelectionList)
        rounds.clear_options()
        for index in self.sequence:
            rounds.add_option((line(self.rounds[index]), index, index in self.active))
        rounds.highlighted = highlight
        rounds.focus()

    @on(SelectionList.SelectedChanged, "#rounds-list")
    def _changed(self) -> None:
        self.active = set(self.query_one("#rounds-list", SelectionList).selected)

    def action_move(self, step: int) -> None:
        rounds = self.query_one("#rounds-list", SelectionList)
        position = rounds.highlighted
        if position is None:
            return
        target = position + step
        if 0 <= target < len(self.sequence):
            seq = self.sequence
            seq[position], seq[target] = seq[target], seq[position]
            self._fill(target)

    def action_done(self) -> None:
        order = [i for i in self.sequence if i in self.active]
        self.dismiss(order or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def path_of(option_id: str | None) -> Path | None:
    return Path(option_id) if option_id else None
