"""A text area whose text is stored exactly as typed and drawn safely."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from ..safe import DRAW_SAFE


class SafeTextArea(TextArea):
    """A TextArea whose text stays exactly as typed, drawn with controls and bidi overrides
    as visible symbols (one symbol per character)."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        DRAW_SAFE.highlight(line)
        return line
