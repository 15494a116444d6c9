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
_ORDERED = re.compile(r"^(\d+)([.)])")


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group()  # a function is ~2x faster than a r"\\\1" template


def lines_of(text: str) -> list[str]:
    """The text as the export shows it: visible controls, no blank or indented lines."""
    if text.isprintable():  # most notes: no line break, control or format character
        line = " ".join(text.split())
        return [line] if line else []
    cleaned = displayable(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(line.split()) for line in cleaned.split("\n") if line.strip()]


def shown(text: str) -> str:
    """What a reader gets back from `inline(text)`: lines joined with newlines."""
    return "\n".join(lines_of(text))


def _escaped(line: str) -> str:
    line = _ANYWHERE.sub(_backslash, line)
    first = line[0]
    if first in "-+:":  # list marker, setext underline, definition
        return "\\" + line
    if first.isdecimal():  # str.isdecimal is exactly re's \d (Unicode Nd)
        return _ORDERED.sub(r"\1\\\2", line)
    return line


def inline(text: str, indent: str = "") -> str:
    """Escaped Markdown for `text`; continuation lines are indented by `indent`."""
    return ("\\\n" + indent).join([_escaped(line) for line in lines_of(text)])
