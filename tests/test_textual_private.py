"""One test per assumption goodwork_tui/ui/textual_private.py makes about Textual's
private names. After a Textual upgrade, a failure here names the one function (or
class) in that module to rework; nothing else in the interface uses private names."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.widgets import Footer, Input, Markdown, Select, Static, Tree
from ui_helpers import wait_until

from goodwork_tui.ui import textual_private
from goodwork_tui.ui.textual_private import (
    FixedWidthInput,
    FooterKey,
    GrowingOptionList,
    KeysInOrder,
    QuietResizeTree,
    app_exception,
    bindings_of,
    character_to_key,
    keymap_of,
    markdown_block_content,
    repaint_lines,
    select_options,
    unicode_name_from_key,
    update_scrollbars,
)


class Keys(App[None]):
    BINDINGS = [Binding("f5", "bell", "Ring", id="test.ring")]

    def compose(self) -> ComposeResult:
        yield Footer()


async def test_bindings_of_is_the_map_the_footer_and_the_key_dispatch_read() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        bindings = bindings_of(app)
        assert isinstance(bindings, BindingsMap)
        bindings.key_to_bindings["f5"] = [replace(b, description="Bel")
                                          for b in bindings.key_to_bindings["f5"]]
        app.refresh_bindings()
        # the footer is built again once the app is idle: wait for that, not a pause
        await wait_until(pilot, lambda: "Bel" in [k.description for k in app.query(FooterKey)],
                         "the footer built again")
        labels = [key.description for key in app.query(FooterKey)]
        assert "Bel" in labels and "Ring" not in labels


async def test_keymap_of_holds_what_set_keymap_was_given() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)):
        app.set_keymap({"test.ring": "f6"})
        assert keymap_of(app) == {"test.ring": "f6"}


async def test_the_footer_is_made_of_footer_keys_with_a_compact_reactive() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await wait_until(pilot, lambda: app.query(FooterKey), "the footer's keys")
        keys = list(app.query(FooterKey))
        assert keys and all(isinstance(k, FooterKey) for k in keys)
        assert "compact" in FooterKey._reactives  # what QuickFooter sets on each key
        assert any(k.has_class("-command-palette") for k in keys)


def test_tree_handles_a_resize_in_its_own_on_resize_with_a_growable_line_cache() -> None:
    """QuietResizeTree replaces Tree's `_on_resize` (prevent_default stops the base
    class's handler) and grows `_line_cache` itself."""
    assert "_on_resize" in vars(Tree)
    tree: Tree[str] = Tree("root")
    assert hasattr(tree._line_cache, "grow")
    tree._line_cache.grow(5000)
    assert tree._line_cache.maxsize >= 5000


class TreeApp(App[None]):
    def compose(self) -> ComposeResult:
        tree = QuietResizeTree("root")
        for i in range(30):
            tree.root.add_leaf(f"leaf {i}")
        tree.root.expand()
        yield tree


async def test_a_quiet_resize_tree_draws_the_same_lines_after_a_resize() -> None:
    app = TreeApp()
    async with app.run_test(size=(40, 10)) as pilot:
        tree = app.query_one(QuietResizeTree)
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        assert tree.size.height == 30
        assert tree._line_cache.maxsize >= 30
        lines = ["".join(s.text for s in tree.render_line(y)) for y in range(tree.size.height)]
        assert "leaf 0" in lines[1] and "leaf 28" in lines[29]


class TreeAndText(TreeApp):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("x", id="text")


async def test_a_layout_elsewhere_leaves_the_trees_scrollbar_alone() -> None:
    """ScrollView's `_size_updated` updates the scrollbars at every layout because the
    virtual size the layout hands a Tree is not its own: QuietResizeTree skips that
    when nothing changed, and still follows a real change of size or of its lines."""
    assert "_size_updated" in vars(ScrollView)
    app = TreeAndText()
    async with app.run_test(size=(40, 10)) as pilot:
        tree = app.query_one(QuietResizeTree)
        await pilot.pause()
        assert tree.show_vertical_scrollbar
        refreshed: list[bool] = []
        scrollbar = tree.vertical_scrollbar
        original = scrollbar.refresh
        scrollbar.refresh = lambda *a, **k: (refreshed.append(True), original(*a, **k))[1]
        app.query_one("#text", Static).update("a longer text")  # a layout of the screen
        await pilot.pause()
        assert refreshed == []
        for i in range(30, 60):  # more lines: the scrollbar follows
            tree.root.add_leaf(f"leaf {i}")
        await pilot.pause()
        assert scrollbar.window_virtual_size == 61
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        assert scrollbar.window_size == tree.size.height


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield GrowingOptionList(*(f"option {i}" for i in range(5)))
        yield Static("below", id="below")


async def test_options_added_scroll_and_show_without_a_layout_of_the_screen() -> None:
    """GrowingOptionList relies on OptionList's `_update_lines` updating the scrollbars
    itself (`_scroll_update`) after it grows the virtual size: new options are shown,
    scrolled to and sized in the scrollbar with no layout of the screen."""
    app = ListApp()
    async with app.run_test(size=(30, 12)) as pilot:
        options = app.query_one(GrowingOptionList)
        options.styles.height = 6
        await wait_until(pilot, lambda: options.outer_size.height == 6, "the height of 6")
        await pilot.pause()  # the layout that gave it that height has finished
        layouts: list[bool] = []
        refresh_layout = app.screen._refresh_layout
        app.screen._refresh_layout = lambda *a, **k: (  # type: ignore[method-assign]
            layouts.append(True), refresh_layout(*a, **k))[1]
        options.add_options([f"option {i}" for i in range(5, 100)])
        options.highlighted = 99
        await pilot.pause()
        assert options.virtual_size.height == 100
        assert options.show_vertical_scrollbar
        assert options.vertical_scrollbar.window_virtual_size == 100
        assert options.scroll_y == options.max_scroll_y > 0
        shown = [options.render_line(y).text for y in range(options.size.height)]
        assert "option 99" in shown[-1]
        assert layouts == []
        assert app.query_one("#below").region.y == options.region.bottom


class InputApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changed: list[str] = []

    def compose(self) -> ComposeResult:
        yield FixedWidthInput(id="field")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.changed.append(event.value)


async def test_input_reacts_to_a_new_value_in_watch_value() -> None:
    """FixedWidthInput overrides Input's `_watch_value` and calls it: the value, the
    Changed message and the virtual size must all still follow the typing."""
    assert "_watch_value" in vars(Input)
    app = InputApp()
    async with app.run_test(size=(40, 5)) as pilot:
        field = app.query_one(FixedWidthInput)
        field.focus()
        await pilot.press("a", "b")
        await pilot.pause()
        assert field.value == "ab"
        assert app.changed[-1] == "ab"
        assert field.virtual_size == Size(field.content_width, 1)


class Scroller(ScrollView):
    pass


class ScrollApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Scroller()


async def test_scroll_update_shows_the_scrollbar_for_a_new_virtual_size() -> None:
    app = ScrollApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(Scroller)
        assert not view.show_vertical_scrollbar
        size = Size(0, 500)
        view.set_reactive(ScrollView.virtual_size, size)
        update_scrollbars(view, size)
        await pilot.pause()
        assert view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 500


def test_characters_and_key_names_convert_both_ways() -> None:
    assert character_to_key("a") == "a"
    assert character_to_key(" ") == "space"
    assert character_to_key("/") == "slash"
    # the tests turn a key name back into its character this way (ui_helpers.key_event)
    for character in "?!#&":
        name = unicode_name_from_key(character_to_key(character))
        assert unicodedata.lookup(name) == character, name


class Boom(App[None]):
    def on_mount(self) -> None:
        raise ValueError("boom")


async def test_app_exception_is_what_stopped_the_app() -> None:
    app = Boom()
    with pytest.raises(ValueError):
        async with app.run_test(size=(40, 5)) as pilot:
            await pilot.pause()
    assert isinstance(app_exception(app), ValueError)
    assert app_exception(Keys()) is None


class Showing(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([("One", 1), ("Two", 2)], allow_blank=False)
        yield Markdown("## A heading [b]as typed[/b]\n\nText.")
        yield Static("hello there")


async def test_select_options_markdown_content_and_repaint_lines() -> None:
    app = Showing()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert select_options(app.query_one(Select)) == [("One", 1), ("Two", 2)]
        heading = app.query_one(Markdown).query_one("MarkdownH2")
        content = markdown_block_content(heading)  # type: ignore[arg-type]
        assert isinstance(content, Content)
        assert str(content) == "A heading [b]as typed[/b]"
        lines = ["".join(s.text for s in line) for line in repaint_lines(app)]
        assert len(lines) == 20 and any("hello there" in line for line in lines)


def test_the_module_names_what_it_offers() -> None:
    for name in textual_private.__all__:
        assert hasattr(textual_private, name), name


class Form(Vertical):
    """Two fields; Enter saves the field's text and empties it (in a widget, as the
    session pane does with a note), Tab goes to the next field."""

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")

    @on(Input.Submitted)
    def _saved(self, event: Input.Submitted) -> None:
        self.app.saved.append(event.value)  # type: ignore[attr-defined]
        event.input.value = ""


class Typed(App[None]):
    BINDINGS = [Binding("ctrl+o", "other", "Other")]

    def __init__(self) -> None:
        super().__init__()
        self.saved: list[str] = []

    def compose(self) -> ComposeResult:
        yield Form()

    def action_other(self) -> None:
        self.query_one("#second", Input).focus()


class TypedInOrder(KeysInOrder, Typed):
    pass


def burst(app: App[None], keys: list[str]) -> None:
    """Keys that all arrive before the first is handled (tmux send-keys, a fast typist)."""
    for key in keys:
        event = events.Key(key, {"enter": "\r", "tab": "\t"}.get(key, key)
                           if len(key) == 1 or key in ("enter", "tab") else None)
        event.set_sender(app)
        app.post_message(event)


async def typed_at_once(app: App[None], keys: list[str]) -> tuple[list[str], str, str]:
    async with app.run_test() as pilot:
        app.query_one("#first", Input).focus()
        await pilot.pause()
        burst(app, keys)
        await pilot.pause(0.3)
        return (app.saved, app.query_one("#first", Input).value,  # type: ignore[attr-defined]
                app.query_one("#second", Input).value)


KEYS = [*"ab", "enter", *"cd", "enter", *"ef", "tab", *"gh", "ctrl+o", *"ij"]


async def test_textual_alone_handles_keys_that_arrive_together_out_of_order() -> None:
    # what KeysInOrder is for: Enter's binding runs after the keys typed behind it, the
    # text after Tab lands in the field before (should this pass no more, Textual keeps
    # keys in order by itself and KeysInOrder can go)
    saved, first, second = await typed_at_once(Typed(), KEYS)
    assert (saved, first, second) != (["ab", "cd"], "ef", "ghij")


async def test_keys_in_order_handles_each_key_before_the_next() -> None:
    saved, first, second = await typed_at_once(TypedInOrder(), KEYS)
    assert (saved, first, second) == (["ab", "cd"], "ef", "ghij")


async def test_a_key_sent_by_the_app_is_stopped_where_it_bubbles_back_to_it() -> None:
    # the reason KeysInOrder sends keys with no sender, and reads `_stop_propagation`
    app = Typed()
    async with app.run_test() as pilot:
        app.query_one("#first", Input).focus()
        await pilot.pause()
        first = app.query_one("#first", Input)
        key = events.Key("ctrl+o", None)
        key.set_sender(app)
        key._set_forwarded()  # noqa: SLF001 - as the app hands a key to the focused widget
        first.post_message(key)
        await pilot.pause()
        assert key._stop_propagation  # noqa: SLF001 - stopped, yet its binding ran:
        assert app.focused is app.query_one("#second", Input)
        loose = events.Key("f9", None)
        loose.set_sender(None)  # type: ignore[arg-type]
        loose._set_forwarded()  # noqa: SLF001
        first.post_message(loose)
        await pilot.pause()
        assert not loose._stop_propagation  # noqa: SLF001
        assert await app._check_bindings("ctrl+o") is True  # noqa: SLF001
        assert await app._check_bindings("f9") is False  # noqa: SLF001


class Ask(ModalScreen[str]):
    """A form a worker opens, its field focused once mounted (as the new-session form)."""

    BINDINGS = [Binding("ctrl+s", "done", "Done")]

    def compose(self) -> ComposeResult:
        yield Input(id="asked")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(Input).value)


class Opens(KeysInOrder, Typed):
    BINDINGS = [Binding("ctrl+n", "ask", "Ask")]
    HOLD_HEADLESS = True  # as in a terminal

    @work
    async def action_ask(self) -> None:
        answer = await self.push_screen_wait(Ask())
        self.saved.append(answer)
        self.query_one("#second", Input).focus()


async def test_keys_after_a_key_that_opens_a_form_wait_for_it() -> None:
    app = Opens()
    async with app.run_test() as pilot:
        app.query_one("#first", Input).focus()
        await pilot.pause()
        burst(app, ["ctrl+n", *"title", "ctrl+s", *"next"])
        await wait_until(pilot, lambda: app.query_one("#second", Input).value == "next",
                         "the text after the form in the field focused after it")
        assert app.saved == ["title"]
        assert app.query_one("#first", Input).value == ""
