"""Moving the focus at once.

Textual's `Widget.focus()` moves the focus a moment later (after the events already
queued), so a key typed right behind the one that moved it still goes to the widget
it left: "↓ Enter" typed in one go in the search field would submit the search instead
of opening the first match. Keys that move the focus use `focus_now`.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next queued event is handled (if it can be)."""
    if not widget.is_mounted:  # mounted a moment ago: Textual's way waits for that
        widget.focus()
        return
    try:
        widget.screen.set_focus(widget)
    except NoScreen:  # not on a screen (any more)
        widget.focus()
