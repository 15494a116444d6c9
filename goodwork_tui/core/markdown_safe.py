"""Put any text into Markdown so that it stays text.

Characters that can start inline markup (CommonMark, GFM tables and strikethrough,
Obsidian tags, highlights, comments and math) are backslash-escaped wherever they stand;
characters that only matter at the start of a line (list markers, setext underlines)
are escaped there. Lines lose their indentation and are joined with hard breaks, and
control characters become visible symbols. Whatever a note contains, it cannot open a
heading, list, table, code block, HTML block, link, emphasis or front-matter fence —
and ordinary prose ("2026-03-14", "well-known.") stays readable in any editor.
"""

from __future__ import annotations

import re

from .text import displayable

_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~$%=#])")
_LINE_START = re.compile(r"^([-+:])")
_ORDERED = re.compile(r"^(\d+)([.)])")


def lines_of(text: str) -> list[str]:
    """The text as the export shows it: visible controls, no blank or indented lines."""
    cleaned = displayable(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(line.split()) for line in cleaned.split("\n") if line.strip()]


def shown(text: str) -> str:
    """What a reader gets back from `inline(text)`: lines joined with newlines."""
    return "\n".join(lines_of(text))


def inline(text: str, indent: str = "") -> str:
    """Escaped Markdown for `text`; continuation lines are indented by `indent`."""
    escaped = []
    for line in lines_of(text):
        line = _ANYWHERE.sub(r"\\\1", line)
        line = _LINE_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        escaped.append(line)
    return ("\\\n" + indent).join(escaped)
