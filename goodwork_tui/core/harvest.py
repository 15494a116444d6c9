"""The harvest of a session: what goes in it and under which name, consent-aware.

The renderings live one per module, as exporters: `harvest_markdown` (the Markdown,
which is the export) and `harvest_html` (that Markdown as one printable page).

Rules that hold for every export:
- room-only notes never leave the app;
- a participant is named only with `names=True` AND their consent; everyone else is
  "Participant A/B…" (stable: the letter follows the participant's place in the session);
- every piece of typed text goes through `markdown_safe`, so it stays text;
- the same session gives the same bytes (no export time, stable ordering).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import create_new
from .i18n import Catalog
from .model import LENSES, NOTE_KINDS
from .note_input import letter
from .session_schema import Participant, SessionMeta


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
    meta: dict[str, Any]  # the record as stored: themes, actions and takeaways
    session: SessionMeta  # the same record, typed
    notes: list[HarvestNote] = field(default_factory=list)
    rounds: list[tuple[int, str]] = field(default_factory=list)  # (index, title) in order
    names: bool = False  # consented names shown


def owner_label(owner: str, participants: Sequence[Participant], names: bool,
                t: Catalog) -> str:
    """An action owner typed as a participant's name follows that participant's consent."""
    wanted = " ".join(owner.split()).casefold()
    if not wanted:
        return owner
    full = [i for i, p in enumerate(participants)
            if " ".join(p.name.split()).casefold() == wanted]
    # a first name alone counts when it names exactly one participant
    first = [i for i, p in enumerate(participants)
             if p.name.split()[:1] == [owner.strip()]
             or " ".join(p.name.split()[:1]).casefold() == wanted]
    matches = full or (first if len(first) == 1 else [])
    for index in matches:
        if not (names and participants[index].consent):
            return t("participant.anonymous", letter=letter(index))
    return owner


def speaker_labels(participants: Sequence[Participant], names: bool,
                   t: Catalog) -> dict[str, str]:
    labels = {}
    for index, person in enumerate(participants):
        name = person.name.strip()
        if names and name and person.consent:
            labels[person.id] = name
        else:
            labels[person.id] = t("participant.anonymous", letter=letter(index))
    return labels


def build(meta: dict[str, Any], notes: list[dict[str, Any]], *, names: bool = False,
          lang: str | None = None) -> Harvest:
    session = SessionMeta.of(meta)
    t = Catalog(lang or session.lang or "en")
    labels = speaker_labels(session.participants, names, t)
    rounds_all = session.rounds
    order = [i for i in session.round_order if 0 <= i < len(rounds_all)]
    # rounds skipped from the plan still show when they hold notes
    used = {n.get("round") for n in notes}
    order += [i for i in range(len(rounds_all)) if i not in order and i in used]
    harvest = Harvest(meta=meta, session=session,
                      rounds=[(i, rounds_all[i].title) for i in order], names=names)
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


def export(meta: dict[str, Any], notes: list[dict[str, Any]], *, fmt: str = "md",
           names: bool = False, lang: str | None = None) -> str:
    """The harvest of one session as Markdown (fmt='md') or HTML (fmt='html')."""
    # the exporters are imported here: each needs this module's model, and the HTML one
    # brings markdown-it, which only an HTML export needs
    from .harvest_markdown import to_markdown
    from .reflection import is_reflection
    from .reflection import to_markdown as reflection_markdown

    language = lang or meta.get("lang") or "en"
    if is_reflection(meta):  # a reflection is one person's own words: no harvest, no names
        text = reflection_markdown(meta, notes)
    else:
        text = to_markdown(build(meta, notes, names=names, lang=language), language)
    if fmt == "html":
        from .harvest_html import to_html

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
