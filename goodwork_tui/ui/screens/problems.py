"""A panel listing every library problem as path:line: message."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Problem
from ..safe import line, plain
from ..typed_app import AppAware


class ProblemsScreen(AppAware, ModalScreen[None]):
    BINDINGS = [Binding("escape,f7,q", "dismiss", "Close", id="problems.close")]

    def __init__(self, problems: list[Problem], root: Path) -> None:
        super().__init__()
        self.problems = problems
        self.root = root

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="problems-box") as box:
            box.border_title = t("problems.title")
            box.border_subtitle = t("problems.close")
            if self.problems:
                yield Static(plain(t.plural("problems.intro", len(self.problems))))
                yield OptionList(
                    *(Option(line(p.format(self.root), 400)) for p in self.problems),
                    id="problems-list",
                )
            else:
                yield Static(plain(t("problems.none")))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
