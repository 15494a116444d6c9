"""Turn library and user text into widget content that is never read as markup."""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content
from textual.widgets import TextArea

from ..core.text import displayable, one_line


def plain(text: str) -> Content:
    """Any text, shown literally: no markup, control characters made visible."""
    return Content(displayable(text))


def line(text: str, limit: int = 200) -> Text:
    """One line for labels that take Rich text (Tree, OptionList)."""
    return Text(one_line(text, limit), no_wrap=True, overflow="ellipsis")


class DrawSafe(Highlighter):
    """For an Input: its value stays exactly as typed, what is drawn has controls and bidi
    overrides as visible symbols (one symbol per character, so the cursor stays put)."""

    def highlight(self, text: Text) -> None:
        shown = displayable(text.plain)
        if shown != text.plain:
            text.plain = shown


DRAW_SAFE = DrawSafe()


class SafeTextArea(TextArea):
    """A TextArea whose text stays exactly as typed, drawn with controls and bidi overrides
    as visible symbols (one symbol per character)."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        DRAW_SAFE.highlight(line)
        return line
