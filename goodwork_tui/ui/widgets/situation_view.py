"""The reading pane: one situation, rendered from Markdown with raw HTML off."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from ...core.library import Library
from ...core.model import Situation
from ..safe import plain

# Textual's Markdown widget takes about a second for 14 KB here; bigger files are
# shown as plain text so a long file never freezes the room's screen.
RENDER_LIMIT = 24 * 1024


def safe_parser() -> MarkdownIt:
    """CommonMark with tables, and raw HTML off: HTML in a file shows as text."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


class SituationView(VerticalScroll, can_focus=True):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.situation: Situation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="situation-title")
        yield Static(id="situation-meta")
        yield Markdown(id="situation-body", parser_factory=safe_parser, open_links=False)
        yield Static(id="situation-plain", markup=False)

    def relabel(self) -> None:
        t = self.app.t  # type: ignore[attr-defined]
        self.border_title = t("reader.title")
        if self.situation is None:
            self.query_one("#situation-title", Static).update(t("reader.empty"))
            self.query_one("#situation-meta", Static).update("")

    def show(self, situation: Situation, library: Library, lang: str) -> None:
        t = self.app.t  # type: ignore[attr-defined]
        same = self.situation is not None and self.situation.id == situation.id
        self.situation = situation
        self.query_one("#situation-title", Static).update(plain(situation.title))
        collection = library.collections.get(situation.collection)
        parts = [collection.title_in(lang) if collection else situation.collection]
        if situation.tags:
            parts.append(", ".join(library.tag_label(tag, lang) for tag in situation.tags))
        if situation.lang != lang:
            parts.append(t("reader.not_translated", lang=situation.lang))
        self.query_one("#situation-meta", Static).update(plain("  ·  ".join(parts)))
        markdown = self.query_one("#situation-body", Markdown)
        fallback = self.query_one("#situation-plain", Static)
        large = len(situation.body.encode("utf-8")) > RENDER_LIMIT
        markdown.display = not large
        fallback.display = large
        if large:
            fallback.update(plain(situation.body))
            markdown.update("")
        else:
            fallback.update("")
            markdown.update(situation.body)
        if not same:
            self.scroll_home(animate=False)

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.app.ask_to_open_link(event.href)  # type: ignore[attr-defined]
