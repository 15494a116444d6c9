"""The library pane: a search field over a tree of collections and situations.

Built to stay quick with ten thousand situations: a big library starts with its
collections folded and fills a branch when it is opened; a search shows its matches
in a `ResultList` (drawn only where visible) instead of rebuilding the tree, and once a
word index of the library is built (in a thread) a keystroke looks words up instead of
scanning all the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from ...core.library_cache import Outline
from ...core.model import Library, Situation
from ...core.search import SearchIndex, WordIndex
from ...core.text import fold
from .. import collector
from ..focus import focus_now
from ..messages import SituationChosen
from ..safe import line
from ..textual_private import FixedWidthInput, QuietResizeTree

if TYPE_CHECKING:
    from .result_list import ResultList

UNFOLD_ALL = 400  # up to this many situations every collection starts open
SEARCH_PAUSE = 0.05  # seconds of typing pause before scanning a big library
BIG = 2000  # from this many situations a scan waits for a pause in typing
WORD_INDEX_FROM = 500  # from this many situations searches use a word index


class LibraryTree(QuietResizeTree):
    """Collections → situations. Leaf data is a situation id, branch data a collection id."""

    BINDINGS = [
        Binding("slash", "app.search", show=False, id="tree.search"),
    ]



class SearchInput(FixedWidthInput):
    BINDINGS = [Binding("down", "app.focus_tree", show=False, id="search.down")]


class LibraryPane(Vertical):
    """Announces choices with `SituationChosen`; knows nothing of the other panes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.index: SearchIndex | None = None
        self.lang = "en"
        self.shown: list[Situation] = []  # the matches of the current search, in order
        self._all: list[Situation] = []  # the library in the interface language, in order
        self._words: WordIndex | None = None  # for `_all`, once built
        self._members: dict[str, list[Situation]] = {}  # collection → its situations
        self._last_query = ""
        self._searching = False
        self._current: str | None = None  # the situation last highlighted or chosen here
        self._search_timer: Timer | None = None
        # the matches of a search; made and mounted with the first search, not at start-up
        self._results_list: ResultList | None = None

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
        if self.library is None:
            self.query_one("#library-status", Static).update(t("library.loading"))

    def show_progress(self, done: int, total: int) -> None:
        """Reading a big library for the first time: how far it is."""
        from textual.widgets import ProgressBar  # imported, too, only when needed

        found = self.query("#library-progress")
        if found:
            bar = found.first(ProgressBar)
        else:  # mounted only for a slow first read: it costs start-up time
            bar = ProgressBar(id="library-progress", show_eta=False)
            self.mount(bar, before="#library-status")
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        t = self.app.t  # type: ignore[attr-defined]
        self.query_one("#library-status", Static).update(
            t("library.reading", done=done, total=total))

    def show_outline(self, outline: Outline, lang: str) -> None:
        """A big library's collections as they were when it was last read, shown while
        it is read again (searching and opening wait for that)."""
        if self.library is not None:
            return
        tree = self.query_one(LibraryTree)
        tree.clear()
        counts = outline.count(lang)
        for collection_id, title in outline.collection_titles(lang):
            tree.root.add(_branch_label(counts.get(collection_id, 0), title),
                          data=collection_id, expand=False,
                          allow_expand=bool(counts.get(collection_id)))
        t = self.app.t  # type: ignore[attr-defined]
        self.query_one("#library-status", Static).update(
            t.plural("library.count", sum(counts.values())))

    def set_library(self, library: Library, index: SearchIndex, lang: str) -> None:
        self.library, self.index = library, index
        for bar in self.query("#library-progress"):
            bar.display = False
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.relabel()
        if self.library is None:
            return
        # display order: collections as the library lists them, titles alphabetically
        order = {collection: n for n, collection in enumerate(self.library.collections)}
        self._all = sorted(self.library.shown(lang),
                           key=lambda s: (order.get(s.collection, len(order)), s.title.casefold()))
        self._members = {}
        for situation in self._all:
            self._members.setdefault(situation.collection, []).append(situation)
        self._words = None
        if len(self._all) >= WORD_INDEX_FROM and self.index is not None:
            self._build_words(self.index, self._all)
        if self._current and self.library.situation(self._current):
            # after a language switch the cursor follows the translation
            self._current = self.library.in_language(
                self.library.situation(self._current), lang).id  # type: ignore[arg-type]
        self._build_tree()
        self._last_query = ""
        self.refilter()

    @work(thread=True, exclusive=True, group="words")
    def _build_words(self, index: SearchIndex, pool: list[Situation]) -> None:
        words = WordIndex(pool, index.haystacks(pool))
        self.app.call_from_thread(self._words_ready, words)

    def _words_ready(self, words: WordIndex) -> None:
        if words.pool is self._all:  # not a list replaced since (reload, language)
            self._words = words
            collector.freeze_more()  # long-lived, like the library

    def problems_changed(self) -> None:
        self._status()

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        # Without the word index a big library is scanned when typing pauses, so a
        # keystroke only has to echo.
        if self.library is not None and self._words is None and len(self._all) >= BIG:
            if self._search_timer is not None:
                self._search_timer.stop()
            self._search_timer = self.set_timer(SEARCH_PAUSE, self.refilter)
        else:
            self.refilter()

    def refilter(self) -> None:
        if self.library is None or self.index is None:
            return
        folded = fold(self.query_one("#search", Input).value)
        searching = bool(folded.split())
        if not searching:
            self.shown = self._all
            self._last_query = ""
            self._show_tree()
            return
        if self._words is not None:
            self.shown = self.index.matches(folded, self._all, self._words)
        else:
            # typing on only narrows: scan what matched before
            narrowing = self._last_query and folded.startswith(self._last_query) and (
                len(folded.split()) == len(self._last_query.split()))
            pool = self.shown if narrowing else self._all
            self.shown = self.index.matches(folded, pool)
        self._last_query = folded
        results = self._results
        if results.parent is None:
            self.mount(results, before="#library-status")
        results.show(self.shown, self.library, self.lang, keep=self._current)
        if not self._searching:
            self._searching = True
            results.display = True
            tree = self.query_one(LibraryTree)
            tree.display = False
            if tree.has_focus:  # typed before the library was in, then moved down
                focus_now(results)
        self._status()

    # ------------------------------------------------------------------ the tree

    def _show_tree(self) -> None:
        if not self._searching:
            self._status()
            return
        self._searching = False
        results = self._results
        tree = self.query_one(LibraryTree)
        focus = results.has_focus
        results.display = False
        tree.display = True
        self._status()
        self._tree_cursor_to(self._current)
        if focus:
            focus_now(tree)

    def _build_tree(self) -> None:
        assert self.library is not None
        tree = self.query_one(LibraryTree)
        # collections opened meanwhile (in the outline, or before a reload) stay open
        opened = {branch.data for branch in tree.root.children if branch.is_expanded}
        tree.clear()
        unfold = len(self._all) <= UNFOLD_ALL
        for collection_id, collection in self.library.collections.items():
            members = self._members.get(collection_id, [])
            label = _branch_label(len(members), collection.title_in(self.lang))
            branch = tree.root.add(label, data=collection_id, expand=unfold,
                                   allow_expand=bool(members))
            if unfold or (members and collection_id in opened):
                self._fill(branch)
                branch.expand()
        self._tree_cursor_to(self._current)

    def _fill(self, branch: TreeNode[str]) -> None:
        """Add the situations of one collection."""
        for situation in self._members.get(branch.data or "", []):
            branch.add_leaf(line(situation.title), data=situation.id)

    def _tree_cursor_to(self, situation_id: str | None) -> None:
        """Put the tree's cursor on a situation, opening its collection if folded."""
        if not situation_id or self.library is None:
            return
        situation = self.library.situation(situation_id)
        tree = self.query_one(LibraryTree)
        for branch in tree.root.children:
            if situation is None or branch.data != situation.collection:
                continue
            if not branch.children and branch.allow_expand:
                self._fill(branch)
            branch.expand()
            for leaf in branch.children:
                if leaf.data == situation_id:
                    self.call_after_refresh(tree.move_cursor, leaf)
            return

    @on(Tree.NodeExpanded, "#library-tree")
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.parent is event.node.tree.root and not event.node.children:
            self._fill(event.node)

    def _status(self) -> None:
        if self.library is None:
            return
        t = self.app.t  # type: ignore[attr-defined]
        count = len(self.shown)
        if self._searching and count == 0:
            text = t("library.no_match")
        else:
            text = t.plural("library.count", count)
        problems = len(self.library.problems)
        if problems:
            text = f"{text}  ·  {t.plural('library.problems_hint', problems)}"
        # one line, always: no layout pass for a new count
        self.query_one("#library-status", Static).update(text, layout=False)

    # ------------------------------------------------------------------ choosing

    @property
    def _results(self) -> ResultList:
        if self._results_list is None:
            from .result_list import ResultList

            self._results_list = ResultList(id="library-results")
        return self._results_list

    def focus_list(self) -> None:
        """Focus what lists the situations: the matches while searching, else the tree."""
        if self._searching:
            focus_now(self._results)
        else:
            focus_now(self.query_one(LibraryTree))

    def select_first(self) -> None:
        if self._searching:
            results = self._results
            if results.situation_ids():
                results.first()
                focus_now(results)
            return
        tree = self.query_one(LibraryTree)
        for branch in tree.root.children:
            if not branch.children and branch.allow_expand:
                branch.expand()
                self._fill(branch)
            if branch.children:
                tree.move_cursor(branch.children[0])
                break
        focus_now(tree)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.select_first()

    @on(Tree.NodeSelected, "#library-tree")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data and event.node.parent is not event.node.tree.root:
            event.stop()
            self._current = event.node.data
            self.post_message(SituationChosen(event.node.data, focus_reader=True))

    @on(Tree.NodeHighlighted, "#library-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data and event.node.parent is not event.node.tree.root:
            if event.node.data == self._current == self.app.current_id:  # type: ignore[attr-defined]
                return  # the cursor came back to what is open (a search was cleared)
            self._current = event.node.data
            self.post_message(SituationChosen(event.node.data, focus_reader=False))

    # (handlers by name: ResultList is imported with the first search)
    def on_result_list_highlighted(self, event: ResultList.Highlighted) -> None:
        event.stop()
        if event.situation_id == self._current == self.app.current_id:  # type: ignore[attr-defined]
            return  # already open
        self._current = event.situation_id
        self.post_message(SituationChosen(event.situation_id, focus_reader=False))

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        event.stop()
        self._current = event.situation_id
        self.post_message(SituationChosen(event.situation_id, focus_reader=True))

    def on_result_list_left(self, event: ResultList.Left) -> None:
        event.stop()
        focus_now(self.query_one("#search", Input))


def _branch_label(count: int, title: str) -> Text:
    """A collection in the tree: how many situations it shows, then its title."""
    label = Text()
    label.append(f"{count:>2} ", style="dim")
    label.append_text(line(title))
    return label
