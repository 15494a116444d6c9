"""What the room sees, drawn from plain data: the round, its prompt and timer, the
situation being read (as far as the facilitator revealed it) and the harvest so far.

Shared by the facilitator's room view (screens/room.py, F11) and the second screen
that follows a session from another terminal (ui/room_app.py, `goodwork room`): both
hand it the session record and notes; it never reads or writes a file itself.

Only what may be shown to the group: no room-only notes, no names without consent.
Library text is shown as text, never as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Static

from ...core.harvest import build
from ...core.i18n import Catalog
from ...core.model import Situation
from ...core.round_timer import TimerState, clock
from ...core.text import displayable, one_line
from ..safe import plain

# "**Knowledge** — text": the label reveal.parts() puts before a dimension or lens
_LABELLED = re.compile(r"^\*\*(.+?)\*\* — (.*)$")


@dataclass(slots=True)
class RoomState:
    """Everything the room view draws, read from one session record."""

    meta: dict[str, Any]
    notes: list[dict[str, Any]]
    round_index: int = -1
    timer: TimerState | None = None
    situation: Situation | None = None
    problem: str = ""  # why the situation cannot be shown ('' when it can)
    extra: list[str] = field(default_factory=list)


def round_of(meta: dict[str, Any], position: int | None = None) -> tuple[int, dict[str, Any]]:
    """The format's index of the round shown and its record ({} when none)."""
    order = meta.get("round_order", [])
    position = meta.get("current", 0) if position is None else position
    rounds = meta.get("format", {}).get("rounds", [])
    if not isinstance(order, list) or not isinstance(rounds, list):
        return -1, {}
    index = order[position] if isinstance(position, int) and 0 <= position < len(order) \
        else -1
    current = rounds[index] if isinstance(index, int) and 0 <= index < len(rounds) else {}
    return index, current if isinstance(current, dict) else {}


def situation_text(situation: Situation, meta: dict[str, Any], step: str | None,
                   t: Catalog) -> Text:
    """The parts of `situation` the room sees now, with a line saying what is still to
    come (so nothing is cut off without a sign)."""
    from ...core import reveal

    every = reveal.parts(situation)
    seen = reveal.shown(situation, meta, step)
    text = Text()
    for number, part in enumerate(seen):
        if number:
            text.append("\n\n")
        text.append(displayable(one_line(part.heading, 300)) + "\n\n",
                    style="bold" if number == 0 else "bold underline")
        for line in part.text.split("\n"):
            labelled = _LABELLED.match(line)
            if labelled:
                text.append(displayable(labelled.group(1)), style="bold")
                text.append(" — " + displayable(labelled.group(2)) + "\n")
            else:
                text.append(displayable(line) + "\n")
    hidden = len(every) - len(seen)
    if hidden:
        text.append("\n" + t.plural("reveal.still_hidden", hidden), style="dim italic")
    return text


class RoomView(Vertical):
    """The room's picture; `show(state)` draws it again."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-top"):
            with Vertical(id="room-round"):
                yield Static(id="room-round-title")
            yield Digits("00:00", id="room-timer")
        # a format's prompt can run to paragraphs: it scrolls with the rest, so on a small
        # screen it never pushes the situation out of sight
        with VerticalScroll(id="room-body"):
            yield Static(id="room-prompt")
            yield Static(id="room-situation")
            yield Static(id="room-harvest-text")

    @property
    def t(self) -> Catalog:
        return self.app.t  # type: ignore[attr-defined]  # (GoodWorkApp and RoomApp have one)

    def show(self, state: RoomState) -> None:
        t = self.t
        meta = state.meta
        order = meta.get("round_order", [])
        current = {}
        rounds = meta.get("format", {}).get("rounds", [])
        if 0 <= state.round_index < len(rounds):
            current = rounds[state.round_index]
        position = order.index(state.round_index) + 1 if state.round_index in order else 0
        title = t("session.round", number=position, total=len(order),
                  title=one_line(current.get("title", ""), 200)) if current else meta.get(
                      "title", "")
        self.query_one("#room-round-title", Static).update(plain(str(title)))
        self.query_one("#room-prompt", Static).update(plain(str(current.get("prompt", ""))))
        situation = self.query_one("#room-situation", Static)
        if state.problem:
            situation.update(Text(state.problem, style="italic"))
        elif state.situation is not None:
            step = current.get("reveal") if isinstance(current.get("reveal"), str) else None
            situation.update(situation_text(state.situation, meta, step, t))
        else:
            situation.update("")
        self.query_one("#room-harvest-text", Static).update(self._harvest(state))
        self.tick(state.timer)

    def _harvest(self, state: RoomState) -> Text:
        t = self.t
        harvest = build(state.meta, state.notes, names=True, lang=t.lang)
        text = Text()
        for theme in state.meta.get("themes", []):
            members = sorted((n for n in harvest.notes if n.theme == theme.get("id")),
                             key=lambda n: -n.votes)
            if not members:
                continue
            text.append(one_line(theme.get("name", ""), 200) + "\n", style="bold")
            for note in members:
                _note(text, note)
            text.append("\n")
        starred = [n for n in harvest.notes if n.starred and not n.theme]
        if starred:
            text.append(t("harvest.starred") + "\n", style="bold")
            for note in sorted(starred, key=lambda n: -n.votes):
                _note(text, note)
        if not text.plain:
            text.append(t("room.empty"), style="dim")
        return text

    def tick(self, timer: TimerState | None) -> None:
        digits = self.query_one("#room-timer", Digits)
        if timer is None:
            digits.update("")
            return
        remaining = timer.remaining()
        digits.update(("+" if remaining < 0 else "") + clock(remaining))
        digits.set_class(remaining < 0, "-overrun")


def _note(text: Text, note: Any) -> None:
    text.append("  • " + one_line(note.text, 1000))
    extra = []
    if note.votes:
        extra.append("●" * min(note.votes, 20))
    if note.speaker:
        extra.append(one_line(note.speaker, 60))
    if extra:
        text.append("  " + "  ".join(extra), style="dim")
    text.append("\n")
