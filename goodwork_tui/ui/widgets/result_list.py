"""Search results: every match, grouped by collection, drawn only where visible.

A Tree with thousands of nodes costs tens of milliseconds per keystroke to rebuild and
lay out; this list keeps the matches in a Python list and draws the lines on screen
from it, so a new search costs the same for five matches or eight thousand.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from operator import attrgetter
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Library, Situation
from ..safe import line
from ..textual_private import update_scrollbars

# (situation id or "" for a collection heading, label, matches under a heading, collection)
Row = tuple[str, str, int, str]


class ResultList(ScrollView, can_focus=True):
    """Collection headings and the matching situations below them; a cursor on one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False, id="results.up"),
        Binding("down", "cursor(1)", show=False, id="results.down"),
        Binding("pageup", "page(-1)", show=False, id="results.page_up"),
        Binding("pagedown", "page(1)", show=False, id="results.page_down"),
        Binding("home", "edge(-1)", show=False, id="results.first"),
        Binding("end", "edge(1)", show=False, id="results.last"),
        Binding("enter", "select", show=False, id="results.open"),
        Binding("slash", "app.search", show=False, id="results.search"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--heading", "result-list--cursor",
    }

    DEFAULT_CSS = """
    ResultList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .result-list--heading { text-style: bold; }
        & > .result-list--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .result-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Highlighted(Message):
        """The cursor was moved onto a situation by the user."""

        def __init__(self, situation_id: str) -> None:
            super().__init__()
            self.situation_id = situation_id

    class Selected(Message):
        """A situation was chosen (Enter or a click)."""

        def __init__(self, situation_id: str) -> None:
            super().__init__()
            self.situation_id = situation_id

    class Left(Message):
        """Up was pressed on the first match: back to the search field."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: _Rows | list[Row] = []
        self.cursor = -1  # index into rows of a situation, or -1
        self._strips: dict[tuple[Row, int, bool, bool], Strip] = {}
        # base, count, heading, cursor
        self._styles: tuple[Style, ...] | None = None

    # ------------------------------------------------------------------ content

    def show(self, matches: list[Situation], library: Library, lang: str,
             keep: str | None = None) -> None:
        """Show `matches` (in display order: by collection, then title). The cursor
        stays on `keep` when it is among them, else goes to the first match."""
        self.rows = _Rows(matches, library, lang)
        cursor = -1
        if keep is not None:
            cursor = self.rows.row_of(keep)
        self.cursor = cursor if cursor >= 0 else (1 if matches else -1)
        size = Size(0, len(self.rows))
        if size != self.virtual_size:
            # No layout pass for a new length (a plain `virtual_size =` asks for one and
            # that costs a reflow of the whole screen per keystroke); the scrollbar is
            # updated here and only its appearing or going asks for a layout.
            self.set_reactive(ResultList.virtual_size, size)
            update_scrollbars(self, size)
        self.scroll_to(y=max(0, self.cursor - 2) if cursor >= 0 else 0, animate=False,
                       immediate=True)
        self.refresh()

    @property
    def situation_id(self) -> str | None:
        """The situation under the cursor."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor][0] or None
        return None

    def situation_ids(self) -> list[str]:
        return [row[0] for row in self.rows if row[0]]

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        # Keyed by what the line shows, not where: while typing narrows the matches
        # most lines on screen were drawn a keystroke ago.
        key = (row, width, index == self.cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, width, index == self.cursor)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def _render_row(self, row: Row, width: int, cursor: bool) -> Strip:
        if self._styles is None:  # looked up once, not per line: each lookup walks the DOM
            self._styles = (self.rich_style, Style(dim=True), *(  # dim count, as the tree
                self.get_component_rich_style(f"result-list--{name}", partial=True)
                for name in ("heading", "cursor")))
        base, count_style, heading_style, cursor_style = self._styles
        situation_id, label, count, _collection = row
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if situation_id:
            text.append("   ")  # under the heading's title, past its count
            text.append_text(line(label))
        else:
            text.append(f"{count:>2} ", style=count_style)
            title = line(label)
            title.stylize(heading_style)
            text.append_text(title)
        text.truncate(width, overflow="ellipsis", pad=True)  # the cursor spans the line
        if cursor:
            text.stylize(cursor_style)
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).apply_style(base)

    def _refresh_rows(self, *indexes: int) -> None:
        for index in indexes:
            self.refresh_line(index)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles = None

    def on_focus(self, event: events.Focus) -> None:
        self._styles = None
        self.refresh()
        if self.cursor < 0:
            self._move_to(self._next_item(-1, 1), announce=True)
        elif self.situation_id:  # the reader follows the cursor, as it does in the tree
            self.post_message(self.Highlighted(self.situation_id))

    def first(self) -> None:
        """Cursor on the first match, announced even if it was there already."""
        index = self._next_item(-1, 1)
        if index >= 0:
            self._move_to(index, announce=False)
            self.post_message(self.Highlighted(self.rows[index][0]))

    def on_blur(self, event: events.Blur) -> None:
        self._styles = None
        self.refresh()

    # ------------------------------------------------------------------ moving

    def _next_item(self, start: int, step: int) -> int:
        """The first situation row from `start` (exclusive) in direction `step`, or -1."""
        index = start + step
        while 0 <= index < len(self.rows):
            if self.rows[index][0]:
                return index
            index += step
        return -1

    def _move_to(self, index: int, *, announce: bool) -> None:
        if index < 0 or index == self.cursor:
            return
        previous, self.cursor = self.cursor, index
        self._refresh_rows(previous, index)
        self._scroll_to_row(index)
        if announce:
            self.post_message(self.Highlighted(self.rows[index][0]))

    def _scroll_to_row(self, index: int) -> None:
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if index < top:
            # keep the collection heading in view above its first match
            heading = index - 1 if index and not self.rows[index - 1][0] else index
            self.scroll_to(y=heading, animate=False, immediate=True)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        target = self._next_item(self.cursor, step)
        if target < 0 and step < 0:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.post_message(self.Left())
            return
        self._move_to(target, announce=True)

    def action_page(self, step: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        target = min(max(self.cursor + step * height, 0), len(self.rows) - 1)
        found = self._next_item(target - step, step)
        if found < 0:
            found = self._next_item(target + step, -step)
        self._move_to(found, announce=True)

    def action_edge(self, step: int) -> None:
        start = -1 if step < 0 else len(self.rows)
        self._move_to(self._next_item(start, -step), announce=True)

    def action_select(self) -> None:
        situation_id = self.situation_id
        if situation_id:
            self.post_message(self.Selected(situation_id))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows) and self.rows[index][0]:
            event.stop()
            self._move_to(index, announce=False)
            self.post_message(self.Selected(self.rows[index][0]))


class _Rows:
    """The lines of the list, made when asked for: a heading per collection, then its
    matches. Building all of them per keystroke would cost ~2 ms for 8,000 matches."""

    def __init__(self, matches: list[Situation], library: Library, lang: str) -> None:
        self._matches = matches
        counts = Counter(map(attrgetter("collection"), matches))  # in display order
        self._starts: list[int] = []  # row of each heading
        self._groups: list[tuple[str, str, int, int]] = []  # (id, title, count, 1st match)
        row = match = 0
        for collection_id, count in counts.items():
            collection = library.collections.get(collection_id)
            title = collection.title_in(lang) if collection else collection_id
            self._starts.append(row)
            self._groups.append((collection_id, title, count, match))
            row += count + 1
            match += count
        self._length = row

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> Row:
        if not 0 <= index < self._length:
            raise IndexError(index)
        group = bisect_right(self._starts, index) - 1
        collection_id, title, count, first = self._groups[group]
        offset = index - self._starts[group]
        if offset == 0:
            return ("", title, count, collection_id)
        situation = self._matches[first + offset - 1]
        return (situation.id, situation.title, 0, collection_id)

    def __iter__(self) -> Iterator[Row]:
        return (self[index] for index in range(self._length))

    def row_of(self, situation_id: str) -> int:
        """The row showing `situation_id`, or -1."""
        for number, situation in enumerate(self._matches):
            if situation.id == situation_id:
                group = bisect_right([g[3] for g in self._groups], number) - 1
                return number + group + 1
        return -1
