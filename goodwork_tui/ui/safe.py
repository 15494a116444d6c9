"""Turn library and user text into widget content that is never read as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ..core.text import displayable, one_line


def plain(text: str) -> Content:
    """Any text, shown literally: no markup, control characters made visible."""
    return Content(displayable(text))


def line(text: str, limit: int = 200) -> Text:
    """One line for labels that take Rich text (Tree, OptionList)."""
    return Text(one_line(text, limit), no_wrap=True, overflow="ellipsis")
