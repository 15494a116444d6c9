"""Turn library and user text into widget content that is never read as markup.

(The text area that does the same is in widgets/safe_text_area.py: Textual's TextArea is
only imported when a screen with one opens, not at start-up.)"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content

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
