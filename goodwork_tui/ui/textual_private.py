"""Every use of a name Textual does not make public, in one place.

Textual is pinned exactly (pyproject.toml), and each assumption made here has a test
in tests/test_textual_private.py that fails when an upgrade breaks it: upgrading
Textual means running that file and reading this one, nothing else. Everything else in
the interface uses Textual's public API only; a private name used outside this module
is a defect.

What is used, and why:
- a node's `_bindings` (its BindingsMap): Textual has no public way to change the
  description of a binding once made (the footer and help show the catalog's words);
- the app's `_keymap`: the user's keymap as set with `set_keymap`, to show which key a
  binding ends up on (help, hints);
- `widgets._footer.FooterKey`: the footer's key widget is not exported;
- Tree's `_on_resize` and `_line_cache`: Tree redraws every line on each resize;
- ScrollView's `_size_updated`: a Tree's scrollbar is repainted at every layout;
- Input's `_watch_value`: Input asks for a layout of the whole screen on each key;
- Widget's `_scroll_update`: updates the scrollbars for a new virtual size without a
  layout pass (OptionList's `_update_lines` calls it after growing its virtual size,
  which `GrowingOptionList` relies on);
- for `KeysInOrder`: a message's `_stop_propagation` (taken on its way up?), the app's
  `_check_bindings` and `_dispatch_key.dispatch_key` (what the app does with a key that
  reached it), to handle keys that arrive together in the order they were typed;
- `keys._character_to_key` / `_get_unicode_name_from_key`: how Textual turns a typed
  character into a key name and back (the tests type as a terminal does);
- for the tests only: the app's `_exception` (what stopped it), a Select's `_options`,
  a Markdown block's `_content`, and the screen's `_compositor` with the app's
  `_background_screens` (the lines a full repaint would send).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import BindingsMap
from textual.geometry import Size
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.reactive import Reactive
from textual.widgets import Input, OptionList, Tree
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from rich.segment import Segment
    from textual.app import App
    from textual.content import Content
    from textual.dom import DOMNode
    from textual.widget import Widget
    from textual.widgets import Select
    from textual.widgets.markdown import MarkdownBlock

__all__ = ["FooterKey", "FixedWidthInput", "GrowingOptionList", "KeysInOrder",
           "QuietResizeTree",
           "app_exception", "bindings_of", "character_to_key", "keymap_of",
           "markdown_block_content", "repaint_lines",
           "select_options", "unicode_name_from_key", "update_scrollbars"]


def bindings_of(node: DOMNode) -> BindingsMap:
    """The bindings `node` uses, to be changed in place (their texts, not their keys)."""
    return node._bindings  # noqa: SLF001


def keymap_of(app: App[Any]) -> dict[str, str]:
    """binding id → keys, as given to `App.set_keymap` (keys in Textual's long form)."""
    return dict(app._keymap)  # noqa: SLF001


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Show, hide and size the scrollbars for `virtual_size`, without asking for a layout
    of the screen (setting `virtual_size` would). Call after `set_reactive` of the size."""
    widget._scroll_update(virtual_size)  # noqa: SLF001


class QuietResizeTree(Tree[str]):
    """A Tree that keeps its drawn lines on a resize.

    Tree drops every drawn line on a resize and lays the screen out again. A drawn
    line is kept per width already, a resize changes no line's content, and a new size
    marks the widget for repainting by itself: only make room in the line cache. (Saves
    drawing the whole tree twice at start-up.)"""

    def _on_resize(self, event: events.Resize) -> None:
        event.prevent_default()  # Tree's own handler (grow, then invalidate) does not run
        self._line_cache.grow(event.size.height)  # noqa: SLF001

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        """A ScrollView compares the virtual size the screen's layout hands it with its
        own, which is never the same for a Tree (its lines, not its region): so every
        layout of the screen, anywhere, updated and repainted the tree's scrollbar (and
        made the repainted strip reach over the reader). Skip that when neither the
        size, the tree's own virtual size nor the container size changed."""
        seen = (size, self.virtual_size, container_size)
        if seen == getattr(self, "_sizes_seen", None):
            return False
        self._sizes_seen = seen
        return super()._size_updated(size, virtual_size, container_size, layout)


class GrowingOptionList(OptionList):
    """An OptionList whose new options need no layout of the whole screen.

    Its size is set by its container (never `auto`); adding options only grows its
    virtual size, which Widget declares as a reactive that asks for a layout of the
    screen (every widget arranged again, ~5 ms). OptionList updates its scrollbars for
    the new virtual size itself (in `_update_lines`, with `_scroll_update`), so here
    the virtual size only asks for a repaint."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=True, layout=False)


class FixedWidthInput(Input):
    """An Input whose size is set by its container, never by its text.

    Input sets its virtual width on every keystroke, and that asks for a layout of the
    whole screen (~3 ms, and every widget repainted). Here the new width is set without
    one; the rest of Input's reaction to a new value (suggestion, Changed) stays."""

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)


class KeysInOrder:
    """For the App: each key is handled to its end before the next one is looked at.

    Textual hands a key to the focused widget and goes on to the next key at once. A
    key the widget does not take itself (Enter, Tab, Backspace, ctrl+s: every binding,
    the widget's own ones too) travels up to the screen and then back into the app's
    queue, behind the keys that came after it, and only there its binding runs. Keys that
    arrive together (a fast typist while the app is busy, tmux send-keys, a key macro)
    were therefore handled out of order: the text typed after Enter ran into the note
    before it, the text after Tab landed in the field before, the title typed right
    after ctrl+n went nowhere (the form was not open yet).

    Here, after handing a key (or a paste) over, the app waits until each widget on its
    way up has handled it: taken (stopped) by one of them, or it reached the app, whose
    bindings then run at once, in order (the copy still on its way does nothing); then
    what the binding set off on the way up (an input's Submitted). A key that opened or
    closed a screen or started or ended a worker sets off more than that (a form opened
    by a worker, focused a moment later; a session opened when its form closes): the
    keys after it are held until screen, focus and workers have stayed put for SETTLE,
    then handled in the order they came (in a terminal; see HOLD_HEADLESS). Waiting is
    bounded (KEY_WAIT a key, HOLD_WAIT for a screen to settle): a handler that takes long
    holds the keys behind it no longer than that."""

    KEY_WAIT = 1.0  # seconds, at most, per key
    HOLD_WAIT = 3.0  # seconds, at most, keys wait for a screen to settle (a first form
    # on a slow machine: modules imported and compiled while it opens)
    SETTLE = 0.06  # seconds the screen, focus and workers stay put after a key moved them
    # Pilot (tests) waits until the app is idle after each key, and keys it sends while
    # a screen settles are not meant to wait for it: held only in a terminal, by default
    HOLD_HEADLESS = False
    _keys_held: list[events.Event] | None = None  # keys that came while a key settled
    _keys_settling: Any = None  # the task that hands them on

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if self._keys_held is not None:
            self._keys_held.append(event)  # after the key before has settled
            return
        import asyncio

        from textual._dispatch_key import dispatch_key

        app: Any = self
        target = app.focused or app.screen
        before = (app.screen, self._keys_busy_workers())
        # sent by the app, a key is stopped where it bubbles back to the app (so that a
        # message never returns to its sender): with no sender, "stopped" on the way up
        # means taken by a widget, and a key that was not still reaches the app
        event.set_sender(None)  # type: ignore[arg-type]
        await super().on_event(event)  # type: ignore[misc]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.KEY_WAIT
        if event.is_forwarded:  # not taken by a priority binding
            if not (await self._keys_through(target, deadline, event)
                    and isinstance(event, events.Key)):
                return  # taken by a widget (typed text): nothing set off
            # it reached the app, in the queue behind later keys: its bindings now
            event.prevent_default()  # the queued copy then runs no handler
            if not await app._check_bindings(event.key):  # noqa: SLF001
                await dispatch_key(app, event)
        await self._keys_through(target, deadline)  # an input's Submitted, on its way up
        after = self._keys_busy_workers()
        if (app.screen, after) != before and (self.HOLD_HEADLESS or not app.is_headless):
            self._keys_held = []
            self._keys_settling = loop.create_task(
                self._keys_hand_on(loop.time() + self.HOLD_WAIT, before[1] | after))

    def _keys_busy_workers(self, among: frozenset[Any] | None = None) -> frozenset[Any]:
        app: Any = self
        return frozenset(worker for worker in (app.workers if among is None else among)
                         if not worker.is_finished)

    async def _keys_hand_on(self, deadline: float, workers: frozenset[Any]) -> None:
        """Once screen, focus and `workers` (those busy when the key came or started by
        it) have stayed put for SETTLE (or at the deadline), hand the keys held meanwhile
        on, in the order they came."""
        import asyncio

        app: Any = self
        loop = asyncio.get_running_loop()
        try:
            seen = (app.screen, app.focused, self._keys_busy_workers(workers))
            since = loop.time()
            while loop.time() < deadline:
                asleep = loop.time()
                await asyncio.sleep(0.005)
                woke = loop.time()
                now = (app.screen, app.focused, self._keys_busy_workers(workers))
                # settled: nothing changed while the loop was free (a long wake-up means
                # the app was busy building something), and something has the focus
                # (a screen without any focus gets the longer wait)
                if now != seen or woke - asleep > 0.025:
                    seen, since = now, woke
                elif woke - since >= (self.SETTLE if app.focused is not None
                                      else 5 * self.SETTLE):
                    break
        finally:
            held, self._keys_held = self._keys_held or [], None
            for event in held:
                app.post_message(event)

    async def _keys_through(self, node: Any, deadline: float,
                       event: events.Event | None = None) -> bool:
        """Wait until `node` and each widget above it up to the screen has handled what
        it holds now (and `event`, passed up); False if `event` was taken on the way (or
        waiting is over: a widget gone, or the deadline passed)."""
        import asyncio

        loop = asyncio.get_running_loop()
        while node is not None and node is not self:
            handled = loop.create_future()

            def done(future: asyncio.Future[None] = handled) -> None:
                if not future.done():
                    future.set_result(None)

            if not node.call_later(done):
                return False  # the widget is gone: nothing to keep in order
            try:
                await asyncio.wait_for(asyncio.shield(handled), deadline - loop.time())
            except TimeoutError:
                return False  # a slow handler: Textual's own order from here
            if event is not None and event._stop_propagation:  # noqa: SLF001
                return False  # taken on its way up
            node = node.parent
        return node is self


def character_to_key(character: str) -> str:
    """The key name Textual gives a typed character ("a" → "a", " " → "space")."""
    return _character_to_key(character)


def unicode_name_from_key(key: str) -> str:
    """The Unicode name of the character a key name stands for (the inverse)."""
    return _get_unicode_name_from_key(key)


# ----------------------------------------------------------------- for the tests


def app_exception(app: App[Any]) -> BaseException | None:
    """The exception that stopped the app, if one did."""
    return app._exception  # noqa: SLF001


def select_options(select: Select[Any]) -> list[tuple[Any, Any]]:
    """(prompt, value) of each option of a Select, in order (the blank one included)."""
    return list(select._options)  # noqa: SLF001


def markdown_block_content(block: MarkdownBlock) -> Content:
    """The text a Markdown block (a heading, a paragraph) shows."""
    return block._content  # noqa: SLF001


def repaint_lines(app: App[Any]) -> list[list[Segment]]:
    """The lines the compositor would send for a full repaint of the current screen (with
    the screens showing under a modal): the Rich segments of each line."""
    update = app.screen._compositor.render_update(  # noqa: SLF001
        full=True, screen_stack=app._background_screens)  # noqa: SLF001
    strips = update.strips  # type: ignore[union-attr]  # a full update has its strips
    return [[segment for strip in line for segment in strip] for line in strips]
