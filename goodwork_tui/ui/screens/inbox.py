"""The portraits inbox: images of good work from interviews, side by side, to be
ordered into a new situation type (how every collection of the method was made)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, SelectionList, Static

from ...core.authoring import Portrait, read_inbox, shared
from ...core.model import Library
from ..safe import line, plain
from ..typed_app import AppAware

SIDE_BY_SIDE = 4


class InboxScreen(AppAware, Screen[list[Portrait] | None]):
    """Returns the portraits chosen to make a situation from, or None."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="inbox.back", tooltip="Back to the library"),
        Binding("ctrl+s", "make", "Make situation", id="inbox.make",
                tooltip="Make a new situation from the chosen portraits"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.portraits = read_inbox(library.root)

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(plain(t("inbox.title")), id="inbox-title")
        with Horizontal(id="inbox-body"):
            with Vertical(id="inbox-left"):
                yield Label(t("inbox.choose"))
                yield SelectionList[int](
                    *((line(p.problem or p.label, 80), i, False)
                      for i, p in enumerate(self.portraits)), id="inbox-list")
                if not self.portraits:
                    yield Static(plain(t("inbox.empty", folder="library/_inbox/")))
            yield Horizontal(id="inbox-compare")
        yield Static(id="inbox-shared")
        with Horizontal(id="inbox-buttons"):
            yield Button(t("inbox.make"), id="make", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        from ..bindings import translate_bindings

        translate_bindings(self, self.t)
        selection = self.query_one("#inbox-list", SelectionList)
        for index, portrait in enumerate(self.portraits):
            if portrait.problem:
                selection.disable_option_at_index(index)
        selection.focus()

    def chosen(self) -> list[Portrait]:
        return [self.portraits[i] for i in self.query_one("#inbox-list", SelectionList).selected]

    @on(SelectionList.SelectedChanged, "#inbox-list")
    async def _compare(self) -> None:
        t = self.t
        chosen = self.chosen()
        compare = self.query_one("#inbox-compare", Horizontal)
        await compare.remove_children()
        columns = []
        for portrait in chosen[:SIDE_BY_SIDE]:
            column = VerticalScroll(classes="inbox-column")
            column.border_title = portrait.who or portrait.path.name
            columns.append((column, portrait))
        await compare.mount_all([c for c, _ in columns])
        for column, portrait in columns:
            await column.mount(Static(plain(portrait.text)))
        common = shared(chosen)
        text = Text()
        if len(chosen) > 1:
            tags = ", ".join(self.library.tag_label(tag, self.gw.lang)
                             for tag in common.tags) or "—"
            dims = ", ".join(t(f"dimension.{d}") for d in common.dimensions) or "—"
            text.append(t("inbox.shared", tags=tags, dimensions=dims))
        if len(chosen) > SIDE_BY_SIDE:
            text.append("  " + t("inbox.more", count=len(chosen) - SIDE_BY_SIDE))
        self.query_one("#inbox-shared", Static).update(text)
        self.query_one("#make", Button).disabled = not chosen

    @on(Button.Pressed, "#make")
    def action_make(self) -> None:
        if self.chosen():
            self.dismiss(self.chosen())

    def action_close(self) -> None:
        self.dismiss(None)
