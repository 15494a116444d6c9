"""The library pane: a search field over a tree of collections and situations."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, Tree

from ...core.model import Library, Situation
from ...core.search import SearchIndex
from ..messages import SituationChosen
from ..safe import line


class LibraryTree(Tree[str]):
    """Collections → situations. Leaf data is a situation id, branch data a collection id."""

    BINDINGS = [
        Binding("slash", "app.search", show=False, id="tree.search"),
    ]


class SearchInput(Input):
    BINDINGS = [Binding("down", "app.focus_tree", show=False, id="search.down")]


class LibraryPane(Vertical):
    """Announces choices with `SituationChosen`; knows nothing of the other panes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.index: SearchIndex | None = None
        self.lang = "en"
        self.shown: list[Situation] = []

    def compose(self) -> ComposeResult:
        yield SearchInput(id="search", select_on_focus=False)
        tree = LibraryTree(line(""), id="library-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(id="library-status")

    def relabel(self) -> None:
        t = self.app.t  # type: ignore[attr-defined]
        self.border_title = t("library.title")
        key = self.app.key_for("search")  # type: ignore[attr-defined]
        self.query_one("#search", Input).placeholder = t("library.search_placeholder", key=key)

    def set_library(self, library: Library, index: SearchIndex, lang: str) -> None:
        self.library, self.index, self.lang = library, index, lang
        self.refilter()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.relabel()
        if self.library is not None:
            self.refilter()

    @on(Input.Changed, "#search")
    def refilter(self) -> None:
        if self.library is None or self.index is None:
            return
        query = self.query_one("#search", Input).value
        self.shown = self.index.search(query, self.library.shown(self.lang))
        self._rebuild(searching=bool(query.strip()))

    def _rebuild(self, searching: bool) -> None:
        assert self.library is not None
        t = self.app.t  # type: ignore[attr-defined]
        tree = self.query_one(LibraryTree)
        selected = tree.cursor_node.data if tree.cursor_node else None
        tree.clear()
        by_collection: dict[str, list[Situation]] = {}
        for situation in self.shown:
            by_collection.setdefault(situation.collection, []).append(situation)
        cursor_line = None
        for collection_id, collection in self.library.collections.items():
            members = sorted(by_collection.get(collection_id, []), key=lambda s: s.title.casefold())
            if searching and not members:
                continue
            # the count first: long collection titles are cut off at the right
            label = Text()
            label.append(f"{len(members):>2} ", style="dim")
            label.append_text(line(collection.title_in(self.lang)))
            branch = tree.root.add(label, data=collection_id, expand=True)
            for situation in members:
                leaf = branch.add_leaf(line(situation.title), data=situation.id)
                # after a language switch the cursor follows the translation
                if situation.id == selected or (
                    selected and selected in situation.translations.values()
                ):
                    cursor_line = leaf
        status = self.query_one("#library-status", Static)
        count = len(self.shown)
        if searching and count == 0:
            status.update(t("library.no_match"))
        else:
            status.update(t.plural("library.count", count))
        problems = len(self.library.problems)
        if problems:
            status.update(f"{status.content}  ·  {t.plural('library.problems_hint', problems)}")
        if cursor_line is not None:
            self.call_after_refresh(tree.move_cursor, cursor_line)

    def select_first(self) -> None:
        tree = self.query_one(LibraryTree)
        for branch in tree.root.children:
            if branch.children:
                tree.move_cursor(branch.children[0])
                break
        tree.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.select_first()

    @on(Tree.NodeSelected, "#library-tree")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data and not event.node.children and event.node.parent is not tree_root(
            event.node
        ):
            event.stop()
            self.post_message(SituationChosen(event.node.data, focus_reader=True))

    @on(Tree.NodeHighlighted, "#library-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data and event.node.parent is not tree_root(event.node):
            self.post_message(SituationChosen(event.node.data, focus_reader=False))


def tree_root(node):  # type: ignore[no-untyped-def]
    while node.parent is not None:
        node = node.parent
    return node
