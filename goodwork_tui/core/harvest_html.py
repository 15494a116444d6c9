"""The harvest as one printable HTML page: its Markdown rendered with raw HTML off.

markdown-it is imported only here, so a Markdown export never loads it.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from .markdown_safe import shown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45;
       color: #000; background: #fff; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 20pt; border-bottom: 2px solid #000; padding-bottom: .2em; }
h2 { font-size: 15pt; margin-top: 1.6em; border-bottom: 1px solid #777; }
h3 { font-size: 12.5pt; margin-top: 1.2em; }
h4 { font-size: 11pt; margin: .8em 0 .2em; text-transform: uppercase; letter-spacing: .04em; }
li { margin: .25em 0; }
em { color: #333; }
@media print {
  body { margin: 0; max-width: none; }
  h2 { break-before: page; }
  h1 + p + h2, h1 + h2 { break-before: avoid; }
  h2, h3, h4 { break-after: avoid; }
  li { break-inside: avoid; }
}
"""


_DELIMITERS = re.compile(r"[*_]")
_SEPARATOR = " — "


def _pieces(content: str) -> tuple[str, ...]:
    """An inline's content cut where rendering the parts apart gives the same HTML.

    A note line is `text — *kind · lens* · votes · speaker`: its tail repeats across
    notes and its text across sections, so each is worth rendering only once. The cut
    comes after the last separator before the first emphasis delimiter: the head holds
    no delimiter and ends in a space, the tail starts with a non-space, so no inline
    rule (emphasis, escape, entity, newline) reaches across it. (A `*` or `_` after an
    odd number of backslashes is escaped text: cutting before it would be exact too,
    only less often shared.)
    """
    found = _DELIMITERS.search(content)
    while found is not None:
        first = before = found.start()
        while before and content[before - 1] == "\\":
            before -= 1
        if (first - before) % 2 == 0:  # not escaped
            break
        found = _DELIMITERS.search(content, first + 1)
    else:
        return (content,)
    cut = content.rfind(_SEPARATOR, 0, first)
    if cut < 0:
        return (content,)
    cut += len(_SEPARATOR)
    if content[cut].isspace():
        return (content,)
    return content[:cut], content[cut:]


@cache
def _parser() -> MarkdownIt:
    """One parser for every export (building it and its rule chains costs time)."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import inline as parse_inline
    from markdown_it.token import Token
    from mdit_py_plugins.front_matter import front_matter_plugin

    def inline_by_pieces(state: StateCore) -> None:
        """markdown-it's `inline` core rule, rendering each distinct piece once per export.

        A 5,000-note harvest repeats the same tails thousands of times and each note
        text in up to three sections; markdown-it still renders every distinct piece.
        """
        if state.inlineMode:  # a piece, from the loop below: parse it as markdown-it does
            parse_inline(state)
            return
        rendered: dict[str, str] = state.env.setdefault("harvest_pieces", {})
        for token in state.tokens:
            if token.type != "inline":
                continue
            html = []
            for piece in _pieces(token.content):
                done = rendered.get(piece)
                if done is None:
                    done = rendered[piece] = parser.renderInline(piece)
                html.append(done)
            token.children = [Token("harvest_html", "", 0, content="".join(html))]

    parser = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)
    # The export only ever holds front matter, headings, paragraphs, lists, emphasis,
    # escapes and hard breaks (everything typed is escaped), so the other rules can only
    # cost time: ~20% of the render of a 5,000-note harvest.
    parser.disable(["code", "fence", "blockquote", "hr", "html_block", "lheading",
                    "reference", "table", "autolink", "html_inline", "link", "image",
                    "backticks", "strikethrough"], ignoreInvalid=True)
    parser.core.ruler.at("inline", inline_by_pieces)
    parser.add_render_rule("harvest_html", lambda self, tokens, idx, options, env:
                           tokens[idx].content)
    return parser


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The render makes some 50,000 tokens for 5,000 notes, all kept until it ends:
    garbage collections meanwhile only rescan them (~10% of the render). The collector
    is left as it was found, also when the render fails. (The interface's own handling
    of the collector is in ui/collector.py; the core does not import the interface.)"""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def to_html(markdown_text: str, title: str, lang: str) -> str:
    """One self-contained page: the Markdown rendered with raw HTML off, print CSS inline."""
    from html import escape

    parser = _parser()
    with _no_collection():
        body = parser.render(markdown_text, {})
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(shown(title))}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{PRINT_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
