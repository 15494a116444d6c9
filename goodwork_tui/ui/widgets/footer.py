"""Textual's footer, rebuilt for less: its keys are born in the footer's compact state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from ..textual_private import FooterKey


class QuickFooter(Footer):
    """The footer rebuilds all its keys at start and whenever the keys in reach change
    (focus moves). Textual creates each key compact and only then binds it to the
    footer's `compact`: in a wide footer every key is restyled twice. Here a key starts
    as it will be shown, so it is styled once, when it is mounted."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # the command palette's key is not bound to `compact`: left as it is
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
