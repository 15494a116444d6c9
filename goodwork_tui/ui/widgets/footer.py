"""Textual's footer, rebuilt for less: its keys are born in the footer's compact state,
and on a narrow screen they fit instead of running on under the palette key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from ..textual_private import FooterKey

# Keys that make room first when the footer is too narrow, in this order (binding ids; a
# tuple goes as one). Each stays reachable by its key, the help and the palette.
MAKE_ROOM = (
    ("language",), ("search",), ("pane.library", "pane.reader", "pane.session"),
    ("session.room", "harvest.room"), ("harvest.vote_down",), ("help",),
)


def key_width(key: FooterKey, compact: bool) -> int:
    """Cells a key takes in the footer (Textual's footer CSS: compact keys are
    'key description' and a margin; wide ones pad the key and the description)."""
    width = len(key.key_display) + (len(key.description) + 1 if key.description else 0)
    return width + 1 if compact else width + 2


class QuickFooter(Footer):
    """The footer rebuilds all its keys at start and whenever the keys in reach change
    (focus moves). Textual creates each key compact and only then binds it to the
    footer's `compact`: in a wide footer every key is restyled twice. Here a key starts
    as it will be shown, so it is styled once, when it is mounted.

    Compact, a key shows its short label (catalog `short.<binding id>`) when it has one;
    keys that still do not fit make room (MAKE_ROOM first, then from the right), so no
    label is ever cut."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        ids = {binding.action: binding.id
               for _node, binding, _enabled, _tip in self.screen.active_bindings.values()}
        keys = [w for w in widgets if isinstance(w, FooterKey)
                and not w.has_class("-command-palette") and not w.has_class("-grouped")]
        palette = [w for w in widgets if isinstance(w, FooterKey)
                   and w.has_class("-command-palette")]
        t = self.app.t  # type: ignore[attr-defined]
        if self.compact:
            for key in keys:
                binding_id = ids.get(key.action) or ""
                short = t(f"short.{binding_id}")
                if binding_id and short != f"short.{binding_id}":
                    key.description = short
        self._built_for = self.app.size.width
        room = self.app.size.width - sum(key_width(k, self.compact) + 1 for k in palette)
        dropped = self._make_room(keys, ids, room)
        for widget in widgets:
            if widget in dropped:
                continue
            # the command palette's key is not bound to `compact`: left as it is
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def _make_room(self, keys: list[FooterKey], ids: dict[str, str | None],
                   room: int) -> set[FooterKey]:
        """The keys left out so that the rest fits in `room` cells."""
        def width(chosen: list[FooterKey]) -> int:
            return sum(key_width(k, self.compact) for k in chosen)

        shown = list(keys)
        made_room: list[list[FooterKey]] = []
        for group in MAKE_ROOM:
            if width(shown) <= room:
                break
            made_room.append([k for k in shown if ids.get(k.action) in group])
            shown = [k for k in shown if ids.get(k.action) not in group]
        while shown and width(shown) > room:
            shown.pop()
        # a later group may have made more room than needed: take back what fits
        for group_keys in reversed(made_room):
            if group_keys and width(shown) + width(group_keys) <= room:
                shown = [k for k in keys if k in shown or k in group_keys]
        return set(keys) - set(shown)

    def on_resize(self) -> None:
        # what fits depends on the width: rebuild when it changes
        if self.size.width != getattr(self, "_built_for", self.size.width):
            self.call_after_refresh(self.recompose)
