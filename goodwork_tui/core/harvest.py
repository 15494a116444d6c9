"""The harvest of a session as Markdown (and printable HTML), consent-aware.

Rules that hold for every export:
- room-only notes never leave the app;
- a participant is named only with `names=True` AND their consent; everyone else is
  "Participant A/B…" (stable: the letter follows the participant's place in the session);
- every piece of typed text goes through `markdown_safe`, so it stays text;
- the same session gives the same bytes (no export time, stable ordering).
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .atomic import create_new
from .i18n import Catalog
from .markdown_safe import inline, shown
from .model import LENSES, NOTE_KINDS
from .note_input import letter

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore


@dataclass(slots=True)
class HarvestNote:
    id: str
    text: str
    kind: str
    lens: str
    round: int
    speaker: str  # as shown: a consented name or "Participant A"
    votes: int
    starred: bool
    theme: str
    situation: str


@dataclass(slots=True)
class Harvest:
    meta: dict[str, Any]
    notes: list[HarvestNote] = field(default_factory=list)
    rounds: list[tuple[int, str]] = field(default_factory=list)  # (index, title) in order
    names: bool = False  # consented names shown


def owner_label(owner: str, participants: list[dict[str, Any]], names: bool, t: Catalog) -> str:
    """An action owner typed as a participant's name follows that participant's consent."""
    wanted = " ".join(owner.split()).casefold()
    if not wanted:
        return owner
    full = [i for i, p in enumerate(participants)
            if " ".join(str(p.get("name") or "").split()).casefold() == wanted]
    # a first name alone counts when it names exactly one participant
    first = [i for i, p in enumerate(participants)
             if str(p.get("name") or "").split()[:1] == [owner.strip()]
             or " ".join(str(p.get("name") or "").split()[:1]).casefold() == wanted]
    matches = full or (first if len(first) == 1 else [])
    for index in matches:
        person = participants[index]
        if not (names and person.get("consent")):
            return t("participant.anonymous", letter=letter(index))
    return owner


def speaker_labels(participants: list[dict[str, Any]], names: bool, t: Catalog) -> dict[str, str]:
    labels = {}
    for index, person in enumerate(participants):
        name = str(person.get("name") or "").strip()
        if names and name and person.get("consent"):
            labels[person["id"]] = name
        else:
            labels[person["id"]] = t("participant.anonymous", letter=letter(index))
    return labels


def build(meta: dict[str, Any], notes: list[dict[str, Any]], *, names: bool = False,
          lang: str | None = None) -> Harvest:
    t = Catalog(lang or meta.get("lang") or "en")
    labels = speaker_labels(meta.get("participants", []), names, t)
    rounds_all = meta.get("format", {}).get("rounds", [])
    order = [i for i in meta.get("round_order", []) if 0 <= i < len(rounds_all)]
    # rounds skipped from the plan still show when they hold notes
    used = {n.get("round") for n in notes}
    order += [i for i in range(len(rounds_all)) if i not in order and i in used]
    harvest = Harvest(meta=meta, rounds=[(i, str(rounds_all[i].get("title", ""))) for i in order],
                      names=names)
    for note in sorted(notes, key=lambda n: (n.get("seq", 0), n.get("id", ""))):
        get = note.get
        if get("room_only"):
            continue
        kind, lens, index = get("kind"), get("lens"), get("round", -1)
        harvest.notes.append(HarvestNote(
            id=str(get("id", "")), text=str(get("text", "")),
            kind=kind if kind in NOTE_KINDS else "",
            lens=lens if lens in LENSES else "",
            round=index if isinstance(index, int) else -1,
            speaker=labels.get(get("speaker", ""), ""),
            votes=int(get("votes", 0) or 0), starred=bool(get("starred")),
            theme=str(get("theme", "") or ""), situation=str(get("situation", "")),
        ))
    return harvest


# ----------------------------------------------------------------- Markdown


def _heading(level: int, text: str) -> str:
    """A heading is one line: line breaks in a name become spaces."""
    return "#" * level + " " + inline(" ".join(shown(text).split("\n")))


def _note_tail(note: HarvestNote, t: Catalog, votes: bool) -> str:
    marks = []
    if note.kind:
        marks.append(t(f"kind.{note.kind}"))
    if note.lens:
        marks.append(t(f"lens.{note.lens}"))
    tail = []
    if marks:
        tail.append("*" + inline(" · ".join(marks)) + "*")
    if votes and note.votes:
        tail.append(inline(t.plural("harvest.votes", note.votes)))
    if note.speaker:
        tail.append(inline(note.speaker))
    return f" — {' · '.join(tail)}" if tail else ""


class _NoteLines:
    """The list lines of one harvest's notes. A note shows in up to three sections and
    its tail comes from few (kind, lens, votes, speaker) combinations, so the escaped
    text and tail are each made once."""

    def __init__(self, t: Catalog) -> None:
        self.t = t
        self.texts: dict[str, str] = {}
        self.tails: dict[tuple[str, str, int, str], str] = {}

    def __call__(self, note: HarvestNote, *, votes: bool = False) -> str:
        text = self.texts.get(note.text)
        if text is None:
            text = self.texts[note.text] = inline(note.text, indent="  ")
        key = (note.kind, note.lens, note.votes if votes else 0, note.speaker)
        tail = self.tails.get(key)
        if tail is None:
            tail = self.tails[key] = _note_tail(note, self.t, votes)
        return f"- {'★ ' if note.starred else ''}{text}{tail}"


def _front_matter(harvest: Harvest, t: Catalog) -> str:
    meta = harvest.meta
    titles = meta.get("situation_titles", {})
    data = {
        "title": shown(str(meta.get("title", ""))),
        "date": str(meta.get("date", "")),
        "group": shown(str(meta.get("group", ""))),
        "facilitator": shown(str(meta.get("facilitator", ""))),
        "format": shown(str(meta.get("format", {}).get("title", ""))),
        "situations": [shown(str(titles.get(s, {}).get("title") or s))
                       for s in meta.get("situations", [])],
        "counts": {
            "notes": len(harvest.notes),
            "rounds": len(harvest.rounds),
            "participants": len(meta.get("participants", [])),
            "themes": len(meta.get("themes", [])),
            "actions": len(meta.get("actions", [])),
        },
        "language": t.lang,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def to_markdown(harvest: Harvest, lang: str | None = None) -> str:
    meta = harvest.meta
    t = Catalog(lang or meta.get("lang") or "en")
    heading = t("harvest.title", title=shown(str(meta.get("title", ""))))
    out: list[str] = [_front_matter(harvest, t), _heading(1, heading), ""]
    note_line = _NoteLines(t)
    subtitle = [p for p in (meta.get("date", ""), meta.get("group", ""),
                            meta.get("format", {}).get("title", "")) if p]
    if subtitle:
        out += [inline(" · ".join(str(p) for p in subtitle)), ""]

    takeaways = str(meta.get("takeaways", "") or "")
    if takeaways.strip():
        out += [_heading(2, t('harvest.takeaways')), ""]
        for paragraph in [p for p in takeaways.split("\n\n") if p.strip()]:
            out += [inline(paragraph), ""]

    themes = meta.get("themes", [])
    if themes:
        out += [_heading(2, t('harvest.themes')), ""]
        for theme in themes:
            members = [n for n in harvest.notes if n.theme == theme.get("id")]
            members.sort(key=lambda n: -n.votes)  # stable: equal votes keep note order
            out += [_heading(3, str(theme.get('name', ''))), ""]
            if members:
                out += [note_line(n, votes=True) for n in members] + [""]
            else:
                out += [inline(t("harvest.empty_theme")), ""]

    actions = meta.get("actions", [])
    if actions:
        out += [_heading(2, t('harvest.actions')), ""]
        for action in actions:
            details = []
            if action.get("owner"):
                owner = owner_label(str(action["owner"]), meta.get("participants", []),
                                    harvest.names, t)
                details.append(t("harvest.owner", owner=shown(owner)))
            if action.get("review"):
                details.append(t("harvest.review", date=shown(str(action["review"]))))
            line = f"- {inline(str(action.get('text', '')), indent='  ')}"
            if details:
                line += f" — {inline(' · '.join(details))}"
            out.append(line)
        out.append("")

    out += lookback_section(meta, harvest.names, t)

    starred = [n for n in harvest.notes if n.starred]
    if starred:
        out += [_heading(2, t('harvest.starred')), ""]
        out += [note_line(n, votes=True) for n in sorted(starred, key=lambda n: -n.votes)]
        out.append("")

    if harvest.notes:
        out += [_heading(2, t('harvest.rounds')), ""]
        round_titles = dict(harvest.rounds)
        indexes = [i for i, _ in harvest.rounds]
        if any(n.round not in round_titles for n in harvest.notes):
            indexes.append(-1)
        for number, index in enumerate(indexes, start=1):
            in_round = [n for n in harvest.notes if n.round == index or
                        (index == -1 and n.round not in round_titles)]
            if not in_round:
                continue
            title = round_titles.get(index) or t("harvest.no_round")
            out += [_heading(3, t('harvest.round', number=number, title=shown(title))), ""]
            for kind in (*NOTE_KINDS, ""):
                group = [n for n in in_round if n.kind == kind]
                if not group:
                    continue
                heading = t(f"kind.{kind}") if kind else t("harvest.untagged")
                out += [_heading(4, heading), ""]
                out += [note_line(n) for n in group] + [""]

    situations = meta.get("situations", [])
    if situations:
        titles = meta.get("situation_titles", {})
        out += [_heading(2, t('harvest.situations')), ""]
        for situation_id in situations:
            info = titles.get(situation_id, {})
            title = str(info.get("title") or situation_id)
            summary = str(info.get("summary") or "")
            line = f"- **{inline(title)}**"
            if summary:
                line += f" — {inline(summary)}"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _lookback_owner(answer: dict[str, Any], owner: str, participants: list[dict[str, Any]],
                    names: bool, t: Catalog) -> str:
    if not answer.get("owner_person"):  # not a participant where it was made: as usual
        return owner_label(owner, participants, names, t)
    if names and answer.get("owner_named") and owner_label(owner, participants, True, t) == owner:
        return owner
    here = owner_label(owner, participants, False, t)
    return here if here != owner else t("series.owner.anonymous")


def lookback_section(meta: dict[str, Any], names: bool, t: Catalog) -> list[str]:
    """The look back at earlier sessions' agreements (series, issue 18): one line each,
    with the answer, what was learned, and the owner under the consent rules of both the
    session that made the agreement (`owner_named`) and this one (`owner_label`)."""
    answers = [a for a in meta.get("lookback", []) if isinstance(a, dict)]
    if not answers:
        return []
    out = [_heading(2, t("series.lookback")), ""]
    participants = meta.get("participants", [])
    for answer in answers:
        details = [t(f"series.status.{answer.get('status')}")]
        owner = str(answer.get("owner", "") or "")
        if owner:
            details.append(t("harvest.owner", owner=shown(_lookback_owner(answer, owner,
                                                                          participants,
                                                                          names, t))))
        review = str(answer.get("review", "") or "")
        if review:
            late = review < str(meta.get("date", "")) and len(review) == 10
            details.append(t("series.review.overdue" if late else "harvest.review",
                             date=shown(review)))
        line = f"- {inline(str(answer.get('text', '')), indent='  ')}"
        line += f" — {inline(' · '.join(details))}"
        out.append(line)
        learned = str(answer.get("learned", "") or "")
        if learned.strip():
            out.append("  " + inline(t("series.learned", text=shown(learned)), indent="  "))
    out.append("")
    return out


# ----------------------------------------------------------------- HTML

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


def to_html(markdown_text: str, title: str, lang: str) -> str:
    """One self-contained page: the Markdown rendered with raw HTML off, print CSS inline."""
    from html import escape

    parser = _parser()
    # The render makes some 50,000 tokens for 5,000 notes, all kept until it ends:
    # garbage collections meanwhile only rescan them (~10% of the render).
    collecting = gc.isenabled()
    gc.disable()
    try:
        body = parser.render(markdown_text, {})
    finally:
        if collecting:
            gc.enable()
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(shown(title))}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{PRINT_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def export(meta: dict[str, Any], notes: list[dict[str, Any]], *, fmt: str = "md",
           names: bool = False, lang: str | None = None) -> str:
    """The harvest of one session as Markdown (fmt='md') or HTML (fmt='html')."""
    language = lang or meta.get("lang") or "en"
    from .reflection import is_reflection
    from .reflection import to_markdown as reflection_markdown

    if is_reflection(meta):  # a reflection is one person's own words: no harvest, no names
        text = reflection_markdown(meta, notes)
    else:
        text = to_markdown(build(meta, notes, names=names, lang=language), language)
    if fmt == "html":
        return to_html(text, str(meta.get("title", "")), language)
    return text


SHARED_MODE = 0o644  # an export is made to be passed on, unlike the session file itself


def write_export(folder: Path, stem: str, text: str, fmt: str) -> Path:
    """Write an export under a new name (never over an earlier one): stem.md, stem-2.md …"""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".html" if fmt == "html" else ".md"
    for attempt in range(1, 10_000):
        path = folder / (f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}")
        try:
            create_new(path, text.encode("utf-8"), mode=SHARED_MODE)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free name for {stem}{suffix} in {folder}")
