"""Ask for one or a few lines of text: a theme name, an action agreement."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..focus import focus_now
from ..safe import DRAW_SAFE, plain


class FieldsScreen(ModalScreen[list[str] | None]):
    """Labelled inputs; Enter in the last one (or ctrl+s) returns their values."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="fields.cancel"),
        Binding("ctrl+s", "done", "Done", id="fields.done"),
    ]

    def __init__(self, title: str, hint: str, labels: list[str], values: list[str] | None = None,
                 required: int = 1, need: str = "") -> None:
        super().__init__()
        self.title_text, self.hint, self.labels = title, hint, labels
        self.values = values or [""] * len(labels)
        self.required, self.need = required, need

    def compose(self) -> ComposeResult:
        with Vertical(id="fields-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = self.hint
            for index, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
                yield Label(plain(label))
                yield Input(value, id=f"field-{index}", max_length=2000, highlighter=DRAW_SAFE)
            yield Static(id="fields-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            focus_now(inputs[position + 1])  # the keys typed after Enter go there
        else:
            self.action_done()

    def action_done(self) -> None:
        values = [widget.value.strip() for widget in self.query(Input)]
        if any(not value for value in values[: self.required]):
            self.query_one("#fields-error", Static).update(plain(self.need))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
