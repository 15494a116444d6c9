"""Preview the harvest before it leaves the app: with or without consented names."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static, TextArea

from ...core import vault
from ..safe import plain
from ..typed_app import AppAware


class ExportScreen(AppAware, ModalScreen[tuple[str, bool] | None]):
    """Shows the Markdown as it will be written. Returns (action, names): action is
    'md', 'html' or 'copy'."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "done('md')", "Write Markdown", id="export.md"),
    ]

    def __init__(self, render, names: bool = False,
                 title: str = "") -> None:
        super().__init__()
        self.title_text = title  # the harvest's unless given (the patterns report)
        self.render_harvest = render  # names: bool -> Markdown text
        self.names = names

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="export-box") as box:
            box.border_title = self.title_text or t("export.title")
            box.border_subtitle = t("export.hint")
            yield Static(plain(t("export.intro")), id="export-intro")
            if vault.is_encrypted(self.gw.workspace.sessions):  # said, as it leaves the vault
                yield Static(plain(t("export.in_clear")), id="export-in-clear")
            yield Checkbox(t("export.names"), self.names, id="export-names")
            yield TextArea(self.render_harvest(self.names), id="export-preview", read_only=True,
                           soft_wrap=True, show_line_numbers=False)
            with Horizontal(id="export-buttons"):
                yield Button(t("export.write_md"), id="md", variant="primary")
                yield Button(t("export.write_html"), id="html")
                yield Button(t("export.copy"), id="copy")
                yield Button(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#md", Button).focus()

    @on(Checkbox.Changed, "#export-names")
    def _names(self, event: Checkbox.Changed) -> None:
        self.names = event.value
        self.query_one("#export-preview", TextArea).load_text(self.render_harvest(self.names))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.action_done(event.button.id or "md")

    def action_done(self, action: str) -> None:
        self.dismiss((action, self.names))

    def action_cancel(self) -> None:
        self.dismiss(None)
