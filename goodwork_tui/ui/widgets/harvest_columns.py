"""The harvest table's columns: the note text gets the room, wrapped; the other columns take
only what their content needs. When the table is too narrow for that (80 columns, with the
side panel), kind, lens, round and theme fold into a dim line under the note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from ...core.text import one_line

NOTE_MIN = 36  # narrower than this, the tags fold under the note
CAPS = {"kind": 24, "lens": 12, "round": 4, "theme": 20}
FOLDED_CAP = 60  # folded, a tag may take most of a line: the line wraps anyway
TAGS = ("kind", "lens", "round", "theme")
PADDING = 2  # a DataTable cell has one column of padding on each side


@dataclass(frozen=True, slots=True)
class Row:
    """One note as the table shows it: plain strings, made safe when drawn."""

    key: str
    star: str
    votes: str
    text: str
    tags: dict[str, str]  # kind, lens, round (its number), theme labels ('' when none)
    round_title: str = ""  # "2. Images of good work": shown when the tags fold


@dataclass(frozen=True, slots=True)
class Layout:
    folded: bool
    widths: dict[str, int]  # column key -> width, in the order the columns are shown


def layout(rows: list[Row], headers: dict[str, str], width: int) -> Layout:
    """Widths for a table `width` cells wide (inside its border and scrollbar)."""
    def need(key: str, values: list[str]) -> int:
        longest = max((len(v) for v in values), default=0)
        return max(len(headers[key]), min(longest, CAPS.get(key, longest)))

    fixed = {"star": 1, "votes": need("votes", [r.votes for r in rows])}
    tags = {key: need(key, [r.tags[key] for r in rows]) for key in TAGS}
    used = sum(w + PADDING for w in fixed.values()) + PADDING
    text = width - used - sum(w + PADDING for w in tags.values())
    if text >= NOTE_MIN:
        return Layout(False, {**fixed, "text": text, **tags})
    return Layout(True, {**fixed, "text": max(width - used, 10)})


def text_cell(row: Row, folded: bool) -> Text:
    """The note, whole (it wraps); folded: its tags on a dim line below."""
    cell = Text(one_line(row.text, 4000))
    if folded:
        shown = {**row.tags, "round": row.round_title or row.tags["round"]}
        tags = " · ".join(one_line(shown[key], FOLDED_CAP) for key in TAGS if shown[key])
        if tags:
            cell.append("\n" + tags, style="dim")
    return cell


def tag_cell(row: Row, key: str) -> Text:
    return Text(one_line(row.tags[key], CAPS[key]), no_wrap=True, overflow="ellipsis")
