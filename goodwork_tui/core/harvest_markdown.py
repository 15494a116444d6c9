"""The harvest as Markdown: the export itself (the HTML page is made from it).

Every piece of typed text goes through `markdown_safe`, so it stays text; the same
harvest gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .harvest import Harvest, HarvestNote, owner_label
from .i18n import Catalog
from .markdown_safe import inline, shown
from .model import NOTE_KINDS
from .session_schema import Participant, SessionMeta


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
    meta, session = harvest.meta, harvest.session
    data = {
        "title": shown(str(meta.get("title", ""))),
        "date": str(meta.get("date", "")),
        "group": shown(str(meta.get("group", ""))),
        "facilitator": shown(str(meta.get("facilitator", ""))),
        "format": shown(session.format_title),
        "situations": [shown(session.situation_title(s)) for s in session.situations],
        "counts": {
            "notes": len(harvest.notes),
            "rounds": len(harvest.rounds),
            "participants": len(session.participants),
            "themes": len(meta.get("themes", [])),
            "actions": len(meta.get("actions", [])),
        },
        "language": t.lang,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def to_markdown(harvest: Harvest, lang: str | None = None) -> str:
    meta, session = harvest.meta, harvest.session
    t = Catalog(lang or session.lang or "en")
    heading = t("harvest.title", title=shown(str(meta.get("title", ""))))
    out: list[str] = [_front_matter(harvest, t), _heading(1, heading), ""]
    note_line = _NoteLines(t)
    subtitle = [p for p in (session.date, session.group, session.format_title) if p]
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
                owner = owner_label(str(action["owner"]), session.participants,
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

    if session.situations:
        out += [_heading(2, t('harvest.situations')), ""]
        for situation_id in session.situations:
            title = session.situation_title(situation_id)
            kept = session.situation_titles.get(situation_id)
            summary = kept.summary if kept is not None else ""
            line = f"- **{inline(title)}**"
            if summary:
                line += f" — {inline(summary)}"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _lookback_owner(answer: dict[str, Any], owner: str,
                    participants: Sequence[Participant], names: bool, t: Catalog) -> str:
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
    participants = SessionMeta.of(meta).participants
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
