"""The reading pane: one situation, rendered from Markdown with raw HTML off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalGroup, VerticalScroll
from textual.lazy import Lazy
from textual.widgets import Static

from ...core import reveal
from ...core.model import Library, Situation
from ...core.text import displayable
from ..safe import plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from textual.content import Content
    from textual.widgets import Markdown

# Textual's Markdown widget takes about a second for 14 KB here; bigger files are
# shown as plain text so a long file never freezes the room's screen.
RENDER_LIMIT = 24 * 1024


def safe_parser() -> MarkdownIt:
    """CommonMark with tables, and raw HTML off: HTML in a file shows as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def mark_unseen(body: str, situation: Situation, seen: set[str], label: str) -> str:
    """`body` with a line under each level-2 heading whose part the room has not seen yet
    (see core/reveal.py); the facilitator still reads everything."""
    from ...core import sections

    lines = body.split("\n")
    out: list[str] = []
    images = 0
    fence = False
    for line in lines:
        out.append(line)
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or not line.startswith("## "):
            continue
        heading = line[3:].strip()
        part = sections.SITUATION_SECTIONS.get(sections.key(heading), "")
        if not part and sections.image_who(heading) is not None:
            part = f"image:{images}"
            images += 1
        if part and part not in seen and any(
                p.key == part for p in _parts(situation)):
            out.append("")
            out.append(f"*({label})*")
    return "\n".join(out)


def _parts(situation: Situation) -> list[reveal.Part]:
    return reveal.parts(situation)


class SituationHeading(VerticalGroup):
    """The title and meta line of the situation shown, drawn from the view's state when
    mounted (lazily: after the first frame, which is for the library)."""

    def compose(self) -> ComposeResult:
        yield Static(id="situation-title")
        yield Static(id="situation-meta")

    def on_mount(self) -> None:
        for view in self.ancestors:
            if isinstance(view, SituationView):
                view.draw_heading()
                break


class SituationView(AppAware, VerticalScroll, can_focus=True):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.situation: Situation | None = None
        self._heading: tuple[Content, Content] | None = None  # title and meta line shown
        self._shown_with: tuple[Library, str] | None = None  # to draw again on a reveal

    def compose(self) -> ComposeResult:
        yield Lazy(SituationHeading(id="situation-head"))

    def on_mount(self) -> None:
        # what the room has seen changes the marks under the headings
        self.gw.sessions.changed.subscribe(self, self._session_changed)

    def _session_changed(self, what: str) -> None:
        if what in ("reveal", "round", "opened", "closed") and self.situation is not None \
                and self._shown_with is not None:
            self.show(self.situation, *self._shown_with)

    def _room_has_not_seen(self, situation: Situation, body: str) -> str:
        """While a session is open: the parts the room has not seen yet are marked."""
        sessions = self.gw.sessions
        if not sessions.is_open:
            return body
        step = sessions.current_round.get("reveal")
        try:
            situation = reveal.with_parts(situation)
        except reveal.Unreadable:
            return body
        seen = {p.key for p in reveal.shown(situation, sessions.meta,
                                            step if isinstance(step, str) else None)}
        return mark_unseen(body, situation, seen, self.t("reveal.not_in_room"))

    def draw_heading(self) -> None:
        """The title and meta line, when mounted (else when they are)."""
        title, meta = self._heading or (plain(self.t("reader.empty")), plain(""))
        for static in self.query("#situation-title").results(Static):
            static.update(title)
        for static in self.query("#situation-meta").results(Static):
            static.update(meta)

    def _render_markdown(self, body: str) -> None:
        # Mounted on first use: the Markdown widget and its parser cost start-up time.
        from textual.widgets import Markdown

        found = self.query(Markdown)
        if found:
            found.first().display = True
            found.first().update(body)
            return
        widget = Markdown(body, id="situation-body", parser_factory=safe_parser,
                          open_links=False)
        self.mount(widget)  # under the heading (or where it will be)

    def relabel(self) -> None:
        t = self.t
        self.border_title = t("reader.title")
        if self.situation is None:
            self.draw_heading()

    def show(self, situation: Situation, library: Library, lang: str) -> None:
        t = self.t
        same = self.situation is not None and self.situation.id == situation.id
        self.situation = situation
        self._shown_with = (library, lang)
        collection = library.collections.get(situation.collection)
        parts = [collection.title_in(lang) if collection else situation.collection]
        if situation.tags:
            parts.append(", ".join(library.tag_label(tag, lang) for tag in situation.tags))
        if situation.lang != lang:
            parts.append(t("reader.not_translated", lang=situation.lang))
        self._heading = (plain(situation.title), plain("  ·  ".join(parts)))
        self.draw_heading()
        # controls in a file's text are shown as symbols, never sent to the terminal
        body = displayable(library.body(situation))
        body = self._room_has_not_seen(situation, body)
        large = len(body.encode("utf-8")) > RENDER_LIMIT
        for fallback in self.query("#situation-plain").results(Static):
            fallback.display = large
            fallback.update(plain(body) if large else "")
        if large:
            if not self.query("#situation-plain"):
                self.mount(Static(plain(body), id="situation-plain", markup=False))
            for markdown in self.query("#situation-body"):
                markdown.display = False
        else:
            self._render_markdown(body)
        if not same:
            self.scroll_home(animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # links are never opened blindly: the app checks the scheme and asks first
        event.stop()
        from ..links import ask_to_open_link

        ask_to_open_link(self.gw, event.href)
