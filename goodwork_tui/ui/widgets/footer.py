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
    """Textual's footer draws no key until the screen has published its bindings (after
    the first frame and a focus change), then rebuilds all its keys, and again on every
    change of the bindings (focus moves, a widget mounts), even when the keys in reach
    stay the same. Here the keys are built from the bindings in reach when the footer is
    composed, so they are in the screen's first frame, and a rebuild that would draw the
    same keys is skipped. A key starts as it will be shown (compact or not), so it is
    styled once, when it is mounted.

    Compact, a key shows its short label (catalog `short.<binding id>`) when it has one;
    keys that still do not fit make room (MAKE_ROOM first, then from the right), so no
    label is ever cut. (Our bindings use no binding groups: every key stands alone.)"""

    _drawn: tuple | None = None  # what the keys on screen were built from

    def _in_reach(self) -> tuple:
        """What the footer's keys are built from: the keys shown with their texts and
        states, and the footer's style and width."""
        return (self.compact, self.app.size.width, self.app.t.lang,  # type: ignore[attr-defined]
                tuple((key, binding.action, binding.description, enabled, tooltip)
                      for key, (_node, binding, enabled, tooltip)
                      in self.screen.active_bindings.items()
                      if binding.show or key == self.app.COMMAND_PALETTE_BINDING))

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # a rebuild asked for just before the footer's screen closed
        if self._drawn is not None and self._in_reach() == self._drawn:
            return  # the same keys would be drawn again
        await super().recompose()

    def compose(self) -> ComposeResult:
        self._drawn = self._in_reach()
        active = self.screen.active_bindings
        app = self.app
        keys: list[FooterKey] = []
        actions: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue  # one key per action, as Textual's footer shows it
            actions.add(binding.action)
            keys.append(FooterKey(binding.key, app.get_key_display(binding),
                                  binding.description, binding.action,
                                  disabled=not enabled, tooltip=tooltip))
        palette: list[FooterKey] = []
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette.append(FooterKey(binding.key, app.get_key_display(binding),
                                         binding.description, binding.action,
                                         classes="-command-palette", disabled=not enabled,
                                         tooltip=tooltip or binding.description))
        self.styles.grid_size_columns = len(keys)
        ids = {binding.action: binding.id for _node, binding, _enabled, _tip in active.values()}
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
        for key in keys:
            if key in dropped:
                continue
            key.set_reactive(FooterKey.compact, self.compact)
            key.set_class(self.compact, "-compact", update=False)
            yield key.data_bind(compact=Footer.compact)
        # the command palette's key is not bound to `compact`: left as it is
        yield from palette

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
