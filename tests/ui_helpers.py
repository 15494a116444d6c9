"""Small helpers for driving GoodWorkApp with Pilot in the UI tests."""

from __future__ import annotations

import json
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import events
from textual.command import CommandPalette
from textual.keys import REPLACED_KEYS
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Markdown, OptionList, Select, Static, Tree
from textual.widgets.tree import TreeNode

from goodwork_tui.core.config import Config
from goodwork_tui.core.workspace import Workspace
from goodwork_tui.ui.app import GoodWorkApp
from goodwork_tui.ui.screens.harvest import HarvestScreen
from goodwork_tui.ui.textual_private import (
    character_to_key,
    select_options,
    unicode_name_from_key,
)
from goodwork_tui.ui.widgets.result_list import ResultList

WIDE = (160, 48)
NARROW = (80, 24)
PANES = ("library", "reader", "session")


# ---------------------------------------------------------------- files on disk


def session_files(root: Path) -> list[Path]:
    return sorted((root / "sessions").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def meta_of(path: Path) -> dict[str, Any]:
    return next(iter(load(path)["session"].values()))


def notes_of(path: Path) -> list[dict[str, Any]]:
    return sorted(load(path).get("notes", {}).values(), key=lambda n: n["seq"])


# ---------------------------------------------------------------- the app


_TRACKED: weakref.WeakSet[GoodWorkApp] = weakref.WeakSet()  # apps `ready` can wait for
_CHECKED: weakref.WeakSet[GoodWorkApp] = weakref.WeakSet()  # ... whose library check answered


def track_start_up(app: GoodWorkApp) -> None:
    """Note when the app's library check has answered (for `ready`); nothing else."""
    answered = app.loader.problems_ready

    def problems_ready(problems: list[Any]) -> None:
        answered(problems)
        _CHECKED.add(app)

    app.loader.problems_ready = problems_ready  # type: ignore[method-assign]
    _TRACKED.add(app)


def make_app(root: Path, lang: str = "en") -> GoodWorkApp:
    app = GoodWorkApp(Workspace(root, "option"), config=Config.load(), lang=lang)
    # Pilot waits for every animation after each key (the tab underline, the palette,
    # scrolling); with animations off the same steps run without the waits.
    app.animation_level = "none"
    track_start_up(app)
    return app


async def ready(app: GoodWorkApp, pilot: Pilot) -> None:
    """Wait until start-up is over: the library read and on screen, its check answered
    (the problems count and notice), the panes' insides built and the footer's keys in
    place. On those conditions, not on a pause being long enough."""
    assert app in _TRACKED, "an app made without make_app: call track_start_up(app) first"
    await wait_until(pilot, lambda: app.library is not None and app in _CHECKED
                     and app.main.query("#recent-sessions") and app.main.query("FooterKey")
                     and app.main.query("#situation-title"),  # the reader's Lazy heading
                     "the start-up (library read and checked, panes and footer built)",
                     tries=400)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.library is not None, "the library was never loaded"


async def wait_until(pilot: Pilot, predicate: Callable[[], Any], what: str,
                     tries: int = 60) -> None:
    """Pause until `predicate()` is true (for work Textual does in its own workers)."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (no markup interpretation)."""
    return str(widget.render())


def tree(app: GoodWorkApp) -> Tree[str]:
    return app.main.query_one("#library-tree", Tree)


def results(app: GoodWorkApp) -> ResultList:
    return app.main.query_one("#library-results", ResultList)


def searching(app: GoodWorkApp) -> bool:
    """Are search results shown (the list is mounted with the first search)?"""
    return any(found.display for found in app.main.query("#library-results"))


@dataclass
class Shown:
    """A line of the search results, read like a tree node: data and label."""

    data: str
    label: str
    children: list[Shown] = field(default_factory=list)


def branches(app: GoodWorkApp) -> list[TreeNode[str]] | list[Shown]:
    """The collections shown: tree branches, or the headings of the search results."""
    if not searching(app):
        return list(tree(app).root.children)
    shown: list[Shown] = []
    for situation_id, label, _count, collection in results(app).rows:
        if situation_id:
            shown[-1].children.append(Shown(situation_id, label))
        else:
            shown.append(Shown(collection, label))
    return shown


def leaves(app: GoodWorkApp) -> list[TreeNode[str]] | list[Shown]:
    return [leaf for branch in branches(app) for leaf in branch.children]


def library_list(app: GoodWorkApp) -> Tree[str] | ResultList:
    """What lists the situations now: the tree, or the search results."""
    return results(app) if searching(app) else tree(app)


def leaf_ids(app: GoodWorkApp) -> set[str]:
    return {str(leaf.data) for leaf in leaves(app)}


def leaf_labels(app: GoodWorkApp) -> list[str]:
    return [str(leaf.label) for leaf in leaves(app)]


def status(app: GoodWorkApp) -> str:
    return text_of(app.main.query_one("#library-status", Static))


def reader_title(app: GoodWorkApp) -> str:
    return text_of(app.main.query_one("#situation-title", Static))


def reader_meta(app: GoodWorkApp) -> str:
    return text_of(app.main.query_one("#situation-meta", Static))


def reader_markdown(app: GoodWorkApp) -> Markdown:
    return app.main.query_one("#situation-body", Markdown)


def search_input(app: GoodWorkApp) -> Input:
    return app.main.query_one("#search", Input)


def displayed(app: GoodWorkApp) -> dict[str, bool]:
    """Which of the three panes is actually laid out on screen."""
    result = {}
    for pane in PANES:
        widget = app.main.query_one(f"#{pane}")
        result[pane] = bool(widget.display and widget.region.width > 0)
    return result


def border_titles(app: GoodWorkApp) -> list[str]:
    return [str(app.main.query_one(f"#{pane}").border_title) for pane in PANES]


def footer_descriptions(app: GoodWorkApp) -> dict[str, str]:
    """key -> description of the keys shown in the main screen's footer."""
    footer = app.main.query_one(Footer)
    return {str(key.key): str(key.description) for key in footer.query("FooterKey")}


async def press_down_to_first_leaf(app: GoodWorkApp, pilot: Pilot,
                                   limit: int = 5) -> TreeNode[str]:
    """Press "down" (from wherever the focus is) until a situation is highlighted."""
    library_tree = tree(app)
    for _ in range(limit):
        await pilot.press("down")
        node = library_tree.cursor_node
        if node is not None and node.parent is not None and node.parent.parent is not None:
            return node
    raise AssertionError(f"no situation highlighted after {limit} presses of down")


class NotifySpy:
    """Wraps app.notify: records every message and still shows it."""

    def __init__(self, app: GoodWorkApp) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._original = app.notify

    def __call__(self, message: str, **kwargs: Any) -> None:
        self.calls.append((message, kwargs))
        self._original(message, **kwargs)

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.calls]


# ---------------------------------------------------------------- typing like a user


def key_event(key: str) -> events.Key:
    """The Key event a terminal sends for one typed character or a key name ("up",
    "ctrl+e"), as Pilot.press builds it."""
    if key == "\n":
        return events.Key("enter", "\r")
    if len(key) == 1 and key != "\t":
        # as the terminal's parser does: the key is named after the character (a no-break
        # space, a joiner, an emoji too) and keeps the character itself
        return events.Key(key if key.isalnum() else character_to_key(key), key)
    try:
        char: str | None = unicodedata.lookup(
            unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press_keys(pilot: Pilot, *keys: str) -> None:
    """Press keys (names or characters) through the app's normal dispatch, as Pilot.press
    does, but with one idle-wait at the end instead of one per key (~60 ms each, 0.2 s
    on a wide screen), so long typing stays well under the time budget."""
    app = pilot.app
    for event in [key_event(key) for key in keys]:
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def type_text(pilot: Pilot, text: str, *, enter: bool = False) -> None:
    """Type text key by key, as a user would, and press Enter if asked."""
    await press_keys(pilot, *text, *(["\n"] if enter else []))


async def palette_run(app: GoodWorkApp, pilot: Pilot, command: str, *,
                      typed: bool = False) -> None:
    """ctrl+p, the command's exact name, wait until it is offered first, Enter, wait
    until the palette has closed.

    The name goes into the palette's input in one go unless `typed`: typed key by key,
    the palette searches again after every key, which costs ~0.1 s a key."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    if typed:
        await type_text(pilot, command)
    else:
        app.screen.query_one(Input).value = command
    options = app.screen.query_one(OptionList)
    await wait_until(
        pilot,
        lambda: options.option_count
        and str(options.get_option_at_index(0).prompt).split("\n")[0] == command,
        f"palette entry {command!r}",
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette),
                     "the palette to close")
    await pilot.pause()


# ---------------------------------------------------------------- screens a test goes through


async def open_session(app: GoodWorkApp, pilot: Pilot, path: Path) -> None:
    """Wait for the library, open the session file as ctrl+o would."""
    await ready(app, pilot)
    assert app.sessions.open_file(path) is not None
    await pilot.pause()


async def open_harvest(app: GoodWorkApp, pilot: Pilot) -> HarvestScreen:
    """f12, and wait for the harvest screen."""
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(app.screen, HarvestScreen), "the harvest")
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


async def choose(app: GoodWorkApp, pilot: Pilot, select: Select, value: str) -> None:
    """Open a Select with Enter and move to `value` with the arrow keys."""
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(pilot, lambda: select.expanded, "the list to open")
    values = [v for _prompt, v in select_options(select)]
    overlay = app.focused
    assert isinstance(overlay, OptionList)
    target = values.index(value)
    for _ in range(len(values) + 1):
        if overlay.highlighted == target:
            break
        await pilot.press("down" if (overlay.highlighted or 0) < target else "up")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not select.expanded, "the list to close")
    await pilot.pause()
    assert select.value == value




async def highlight(pilot: Pilot, options: OptionList, target: int) -> None:
    """Move a list's highlight to row `target` with the arrow keys."""
    if options.highlighted is None:
        await pilot.press("down")
    while options.highlighted < target:
        await pilot.press("down")
    while options.highlighted > target:
        await pilot.press("up")


async def palette_titles(app: GoodWorkApp, pilot: Pilot) -> list[str]:
    """ctrl+p, and the names of the commands it offers (the palette stays open)."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    options = app.screen.query_one(OptionList)
    await wait_until(pilot, lambda: options.option_count > 10, "the palette's commands")
    return [str(o.prompt).split("\n")[0] for o in options.options]
