"""A printable dialogue card for one situation: the story and the reflection questions
(the dimensions on request), never the images of good work — the room works on the
puzzle, not on colleagues' answers. One A4 page of HTML with print CSS, or Markdown,
in the situation's own language."""

from __future__ import annotations

from html import escape

from .i18n import Catalog
from .markdown_safe import inline, shown
from .model import Library, Situation
from .text import displayable

DIMENSIONS = ("knowledge", "actions", "identity", "values", "relationships")

CARD_CSS = """
@page { size: A4; margin: 16mm 18mm; }
html { background: #fff; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11.5pt; line-height: 1.45;
       color: #000; max-width: 44em; margin: 2em auto; padding: 0 1em; }
header { border-bottom: 2px solid #000; margin-bottom: .8em; }
header p { margin: 0 0 .3em; font-size: 9.5pt; letter-spacing: .06em; text-transform: uppercase; }
h1 { font-size: 19pt; margin: .1em 0 .3em; }
h2 { font-size: 13pt; margin: 1.1em 0 .3em; border-bottom: 1px solid #777; }
h3 { font-size: 11pt; margin: .7em 0 .1em; }
p { margin: .35em 0; }
ol { padding-left: 1.4em; }
li { margin: .45em 0; }
footer { margin-top: 1.4em; border-top: 1px solid #777; font-size: 8.5pt; color: #333; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  li, p { break-inside: avoid; }
}
"""


class CardError(Exception):
    """The card cannot be made; the message says why."""


def find(library: Library, situation_id: str) -> Situation:
    situation = library.situation(situation_id)
    if situation is None:
        raise CardError(f"no situation {situation_id!r} in the library "
                        "(see the ids in 'goodwork library check' or the app)")
    if not situation.story.strip():
        raise CardError(f"{situation.path}: the situation has no story to print")
    return situation


def to_markdown(situation: Situation, library: Library, *, dimensions: bool = False) -> str:
    t = Catalog(situation.lang)
    collection = library.collections.get(situation.collection)
    lines = [f"# {inline(situation.title)}", ""]
    if collection is not None:
        label = collection.title.get(situation.lang) or next(iter(collection.title.values()), "")
        lines += [f"*{inline(t('card.kicker', collection=label))}*", ""]
    lines += [f"## {t('card.story')}", "", displayable(situation.story.strip()), ""]
    if dimensions and situation.dimensions:
        lines += [f"## {t('card.dimensions')}", ""]
        for name in DIMENSIONS:
            text = situation.dimensions.get(name, "").strip()
            if text:
                lines += [f"### {t(f'dimension.{name}').capitalize()}", "", displayable(text),
                          ""]
    if situation.questions:
        lines += [f"## {t('card.questions')}", ""]
        lines += [f"{number}. {' '.join(displayable(question).split())}"
                  for number, question in enumerate(situation.questions, 1)]
        lines.append("")
    lines += ["---", "", f"*{inline(t('card.footer', id=situation.id))}*", ""]
    return "\n".join(lines)


def _render(text: str) -> str:
    """Library Markdown as HTML: raw HTML off (shown as text), links checked by
    markdown-it (no javascript: or data:), nothing else of the file interpreted."""
    from markdown_it import MarkdownIt

    # controls (an escape sequence in a file) are shown as symbols, never passed on
    return MarkdownIt("commonmark", {"html": False}).render(displayable(text))


def to_html(situation: Situation, library: Library, *, dimensions: bool = False) -> str:
    t = Catalog(situation.lang)
    collection = library.collections.get(situation.collection)
    kicker = ""
    if collection is not None:
        label = collection.title.get(situation.lang) or next(iter(collection.title.values()), "")
        kicker = f"<p>{escape(t('card.kicker', collection=label))}</p>\n"
    parts = [f"<header>\n{kicker}<h1>{escape(shown(situation.title))}</h1>\n</header>\n",
             f"<h2>{escape(t('card.story'))}</h2>\n", _render(situation.story.strip())]
    if dimensions and situation.dimensions:
        parts.append(f"<h2>{escape(t('card.dimensions'))}</h2>\n")
        for name in DIMENSIONS:
            text = situation.dimensions.get(name, "").strip()
            if text:
                parts.append(f"<h3>{escape(t(f'dimension.{name}').capitalize())}</h3>\n")
                parts.append(_render(text))
    if situation.questions:
        parts.append(f"<h2>{escape(t('card.questions'))}</h2>\n<ol>\n")
        for question in situation.questions:
            inner = _render(" ".join(question.split())).strip()
            if inner.startswith("<p>") and inner.endswith("</p>"):
                inner = inner[3:-4]
            parts.append(f"<li>{inner}</li>\n")
        parts.append("</ol>\n")
    parts.append(f"<footer>{escape(t('card.footer', id=situation.id))}</footer>\n")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(situation.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(shown(situation.title))}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{CARD_CSS}</style>\n</head>\n<body>\n{''.join(parts)}</body>\n</html>\n"
    )


def card(library: Library, situation_id: str, *, fmt: str = "html",
         dimensions: bool = False) -> str:
    situation = find(library, situation_id)
    if fmt == "md":
        return to_markdown(situation, library, dimensions=dimensions)
    return to_html(situation, library, dimensions=dimensions)
