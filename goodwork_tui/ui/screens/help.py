"""F1: the keys (as remapped by the user's keymap) and how to work with the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ..commands import key_table
from ..typed_app import AppAware
from ..widgets.situation_view import safe_parser


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


class HelpScreen(AppAware, ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        t = self.t
        rows = [f"| {t('help.key')} | {t('help.action')} |", "|---|---|"]
        for keys, description in key_table(self.gw):
            rows.append(f"| `{_cell(keys)}` | {_cell(description)} |")
        text = "\n".join([f"# {t('help.title')}", "", t("help.intro"), "", *rows, "",
                          t("help.more"), "", t("help.prefixes")])
        with VerticalScroll(id="help-box") as box:
            box.border_subtitle = t("problems.close")
            yield Markdown(text, parser_factory=safe_parser, open_links=False)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
