"""The library pane: a search field over a tree of collections and situations.

Built to stay quick with ten thousand situations: a big library starts with its
collections folded and fills a branch when it is opened; a search shows at most
`MAX_RESULTS` matches (refine to see others) and, while the query only grows, searches
within the previous matches.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static, Tree
from textual.widgets.tree import TreeNode

from ...core.model import Library, Situation
from ...core.search import SearchIndex
from ...core.text import fold
from ..messages import SituationChosen
from ..safe import line

UNFOLD_ALL = 400  # up to this many situations every collection starts open
MAX_RESULTS = 150  # matches shown for a search: a few screens, and a quick rebuild
SEARCH_PAUSE = 0.05  # seconds of typing pause before searching a big library
BIG = 2000  # from this many situations a search waits for a pause in typing


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
        self.shown: list[Situation] = []  # every match of the current search, in order
        self._all: list[Situation] = []  # the library in the interface language
        self._members: dict[str, list[Situation]] = {}  # collection → shown situations
        self._last_query = ""
        self._search_timer = None

    def compose(self) -> ComposeResult:
        yield SearchInput(id="search", select_on_focus=False)
        tree = LibraryTree(line(""), id="library-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield ProgressBar(id="library-progress", show_eta=False)
        yield Static(id="library-status")

    def relabel(self) -> None:
        t = self.app.t  # type: ignore[attr-defined]
        self.border_title = t("library.title")
        key = self.app.key_for("search")  # type: ignore[attr-defined]
        self.query_one("#search", Input).placeholder = t("library.search_placeholder", key=key)
        if self.library is None:
            self.query_one("#library-status", Static).update(t("library.loading"))

    def show_progress(self, done: int, total: int) -> None:
        """Reading a big library for the first time: how far it is."""
        bar = self.query_one("#library-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        t = self.app.t  # type: ignore[attr-defined]
        self.query_one("#library-status", Static).update(
            t("library.reading", done=done, total=total))

    def set_library(self, library: Library, index: SearchIndex, lang: str) -> None:
        self.library, self.index = library, index
        self.query_one("#library-progress", ProgressBar).display = False
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.relabel()
        if self.library is not None:
            self._all = self.library.shown(lang)
            self._last_query = ""
            self.refilter()

    def problems_changed(self) -> None:
        self._status(searching=bool(self._last_query.strip()))

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        # A big library is searched when typing pauses, so a keystroke only has to echo.
        if self.library is not None and len(self._all) >= BIG:
            if self._search_timer is not None:
                self._search_timer.stop()
            self._search_timer = self.set_timer(SEARCH_PAUSE, self.refilter)
        else:
            self.refilter()

    def refilter(self) -> None:
        if self.library is None or self.index is None:
            return
        query = self.query_one("#search", Input).value
        folded = fold(query)
        # typing on only narrows: search within what matched before
        narrowing = self._last_query and folded.startswith(self._last_query) and (
            len(folded.split()) == len(self._last_query.split()))
        pool = self.shown if narrowing else self._all
        self.shown = self.index.search(query, pool)
        self._last_query = folded
        self._rebuild(searching=bool(folded.strip()))

    def _rebuild(self, searching: bool) -> None:
        assert self.library is not None
        tree = self.query_one(LibraryTree)
        selected = tree.cursor_node.data if tree.cursor_node else None
        tree.clear()
        visible = self.shown[:MAX_RESULTS] if searching else self.shown
        self._members = {}
        for situation in visible:
            self._members.setdefault(situation.collection, []).append(situation)
        for members in self._members.values():
            members.sort(key=lambda s: s.title.casefold())
        unfold = searching or len(visible) <= UNFOLD_ALL
        cursor_line = None
        for collection_id, collection in self.library.collections.items():
            members = self._members.get(collection_id, [])
            if searching and not members:
                continue
            label = Text()
            label.append(f"{len(members):>2} ", style="dim")
            label.append_text(line(collection.title_in(self.lang)))
            branch = tree.root.add(label, data=collection_id, expand=unfold,
                                   allow_expand=bool(members))
            if unfold:
                found = self._fill(branch, selected)
                cursor_line = cursor_line or found
        self._status(searching)
        if cursor_line is not None:
            self.call_after_refresh(tree.move_cursor, cursor_line)

    def _fill(self, branch: TreeNode[str], selected: str | None) -> TreeNode[str] | None:
        """Add the situations of one collection; the leaf of `selected`, if there."""
        found = None
        for situation in self._members.get(branch.data or "", []):
            leaf = branch.add_leaf(line(situation.title), data=situation.id)
            # after a language switch the cursor follows the translation
            if selected and (situation.id == selected or
                             selected in situation.translations.values()):
                found = leaf
        return found

    @on(Tree.NodeExpanded, "#library-tree")
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.parent is event.node.tree.root and not event.node.children:
            self._fill(event.node, None)

    def _status(self, searching: bool) -> None:
        if self.library is None:
            return
        t = self.app.t  # type: ignore[attr-defined]
        count = len(self.shown)
        if searching and count == 0:
            text = t("library.no_match")
        elif searching and count > MAX_RESULTS:
            text = t("library.first_matches", shown=MAX_RESULTS, count=count)
        else:
            text = t.plural("library.count", count)
        problems = len(self.library.problems)
        if problems:
            text = f"{text}  ·  {t.plural('library.problems_hint', problems)}"
        self.query_one("#library-status", Static).update(text)

    def select_first(self) -> None:
        tree = self.query_one(LibraryTree)
        for branch in tree.root.children:
            if not branch.children and branch.allow_expand:
                branch.expand()
                self._fill(branch, None)
            if branch.children:
                tree.move_cursor(branch.children[0])
                break
        tree.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.select_first()

    @on(Tree.NodeSelected, "#library-tree")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data and event.node.parent is not event.node.tree.root:
            event.stop()
            self.post_message(SituationChosen(event.node.data, focus_reader=True))

    @on(Tree.NodeHighlighted, "#library-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data and event.node.parent is not event.node.tree.root:
            self.post_message(SituationChosen(event.node.data, focus_reader=False))
