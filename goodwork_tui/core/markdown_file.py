"""Read one Markdown file with YAML front matter, safely, with line numbers for errors.

Every way a file can be wrong ends in a `FileError` naming the line; nothing here raises
anything else for bad content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_BYTES = 512 * 1024


class FileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based line of the heading
    content: str = ""  # the Markdown source up to the next heading of this level or higher
    content_line: int = 0  # file line where `content` starts
    children: list[Heading] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    meta: dict[str, Any]
    body: str  # Markdown after the front matter
    body_line: int  # file line where `body` starts
    intro: str  # text before the first level-2 heading
    sections: list[Heading]  # level-2 headings, with their level-3 children
    stray_headings: list[Heading]  # level-1 or level-4+ headings, and level-3 before any level 2


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark with raw HTML off, plus front matter; shared, it is stateless per parse."""
    # imported here: a warm start of the app never parses Markdown
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)


@lru_cache(maxsize=1)
def _safe_loader() -> type:
    import yaml

    try:  # the C loader is several times faster; fall back where libyaml is missing
        return yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on the build of PyYAML
        return yaml.SafeLoader


def read_text(path: Path) -> str:
    """Bytes → text: size, binary, encoding checked; BOM and CRLF accepted."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileError(1, f"file is too large ({size:,} bytes; the limit is "
                               f"{MAX_BYTES:,} bytes)")
        data = path.read_bytes()
    except OSError as error:
        raise FileError(1, f"cannot read the file: {error.strerror or error}") from None
    if b"\x00" in data[:8192]:
        raise FileError(1, "binary file, not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # the decoder counts from after a byte-order mark
        offset = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, offset) + 1
        raise FileError(line, "not UTF-8 text (save the file as UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FileError(1, "empty file")
    return text


def _front_matter_bounds(lines: list[str]) -> int | None:
    """Index of the closing fence line, None when there is no front matter at all."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    raise FileError(1, "front matter opened with '---' is never closed")


def load_yaml(source: str, first_line: int) -> Any:
    import yaml

    try:
        return yaml.load(source, Loader=_safe_loader())  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        reason = error.problem or "invalid YAML"
        raise FileError(line, f"bad front matter: {reason}") from None
    except yaml.YAMLError as error:
        raise FileError(first_line, f"bad front matter: {error}") from None


def split_front_matter(text: str) -> tuple[dict[str, Any], list[str], int]:
    """(fields, the file's lines, index of the closing '---' line). No Markdown parsing:
    this is all the library index needs, and many times faster than `parse`."""
    lines = text.split("\n")
    closing = _front_matter_bounds(lines)
    if closing is None:
        raise FileError(1, "missing front matter (the file must start with a '---' line)")
    meta = load_yaml("\n".join(lines[1:closing]), 2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FileError(2, "front matter must be a mapping of fields (key: value)")
    return meta, lines, closing


def body_of(lines: list[str], closing: int) -> str:
    return "\n".join(lines[closing + 1 :]).strip("\n")


def parse(text: str) -> Document:
    meta, lines, closing = split_front_matter(text)

    tokens = parser().parse(text)
    body_line = closing + 2
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            headings.append(Heading(int(token.tag[1:]), inline.content.strip(), token.map[0] + 1))

    def source(start: int, end: int) -> str:  # 1-based inclusive start, exclusive end
        return "\n".join(lines[start - 1 : end - 1]).strip("\n")

    def first_text_line(start: int, end: int) -> int:
        for number in range(start, end):
            if lines[number - 1].strip():
                return number
        return start

    end_of_file = len(lines) + 1
    sections: list[Heading] = []
    stray: list[Heading] = []
    for position, heading in enumerate(headings):
        following = headings[position + 1 :]
        stop = next((h.line for h in following if h.level <= heading.level), end_of_file)
        if heading.level in (2, 3):
            heading.content = source(heading.line + 1, stop)
            heading.content_line = first_text_line(heading.line + 1, stop)
            # the content of a level-2 heading is only what stands before its first child
            if heading.level == 2:
                child = next((h.line for h in following if h.level <= 3), end_of_file)
                heading.content = source(heading.line + 1, min(child, stop))
        if heading.level == 2:
            sections.append(heading)
        elif heading.level == 3 and sections and sections[-1].line < heading.line:
            sections[-1].children.append(heading)
        else:
            stray.append(heading)
    first_section = sections[0].line if sections else end_of_file
    intro = source(body_line, first_section)
    body = source(body_line, end_of_file)
    return Document(meta, body, body_line, intro, sections, stray)


def read(path: Path) -> Document:
    return parse(read_text(path))
