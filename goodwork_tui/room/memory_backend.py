"""A complete RoomBackend held in memory: for the tests, the load test and the demo.

It does what the open session's owner must do: one write path, an ack remembered per
(participant, client id), a queue when moderation is on, a revision that moves with
every change, and only shown notes in what the room sees.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .backend import Ack, Part, RoomNote, RoomRefused, RoomRound, RoomState, VoteResult

SHOWN, QUEUED, HIDDEN = "shown", "queued", "hidden"  # hidden: room only, or discarded


@dataclass(slots=True)
class StoredNote:
    id: str
    participant: str
    client_id: str
    text: str
    kind: str
    lens: str
    name: str | None
    status: str


@dataclass
class MemoryBackend:
    lang: str = "en"
    session_title: str = ""
    round_title: str = ""
    round_prompt: str = ""
    kinds: tuple[str, ...] = ()
    moderated: bool = False  # True: notes wait for approval before the room sees them
    voting_open: bool = False
    dots: int = 3
    accepting: bool = True  # False: add_note refuses with "closed"
    timer_seconds: int | None = None
    situation_title: str = ""
    parts: list[Part] = field(default_factory=list)
    notes: list[StoredNote] = field(default_factory=list)
    revision: int = 0
    _acks: dict[tuple[str, str], Ack] = field(default_factory=dict)
    _votes: dict[str, Counter[str]] = field(default_factory=dict)
    _totals: Counter[str] = field(default_factory=Counter)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # ------------------------------------------------------------ the contract
    async def state(self) -> RoomState:
        return RoomState(
            lang=self.lang, session_title=self.session_title, round_title=self.round_title,
            round_prompt=self.round_prompt, kinds=tuple(self.kinds),
            voting_open=self.voting_open, dots=self.dots, notes=self.shown_notes(),
            revision=self.revision)

    async def round(self) -> RoomRound:
        return RoomRound(
            lang=self.lang, session_title=self.session_title, round_title=self.round_title,
            round_prompt=self.round_prompt, kinds=tuple(self.kinds),
            voting_open=self.voting_open, dots=self.dots, revision=self.revision)

    async def add_note(self, participant: str, client_id: str, text: str, kind: str,
                       lens: str, name: str | None) -> Ack:
        first = self._acks.get((participant, client_id))
        if first is not None:
            return Ack("duplicate", first.note_id, first)
        if not self.accepting:
            raise RoomRefused("closed")
        note = StoredNote(f"n{next(self._ids)}", participant, client_id, text, kind, lens,
                          name, QUEUED if self.moderated else SHOWN)
        self.notes.append(note)
        ack = Ack("queued" if self.moderated else "saved", note.id)
        self._acks[(participant, client_id)] = ack
        self._changed()
        return ack

    async def vote(self, participant: str, note_id: str) -> VoteResult:
        mine = self._votes.setdefault(participant, Counter())
        left = self.dots - sum(mine.values())
        if not self.voting_open:
            return VoteResult(False, note_id, self._count(note_id), left, "voting_closed")
        if not self._is_shown(note_id):
            return VoteResult(False, note_id, 0, left, "unknown_note")
        if left <= 0:
            return VoteResult(False, note_id, self._count(note_id), 0, "no_dots_left")
        mine[note_id] += 1
        self._totals[note_id] += 1
        self._changed()
        return VoteResult(True, note_id, self._count(note_id), left - 1)

    async def unvote(self, participant: str, note_id: str) -> VoteResult:
        mine = self._votes.setdefault(participant, Counter())
        left = self.dots - sum(mine.values())
        if not self.voting_open:
            return VoteResult(False, note_id, self._count(note_id), left, "voting_closed")
        if mine[note_id] <= 0:
            return VoteResult(False, note_id, self._count(note_id), left, "no_dot_here")
        mine[note_id] -= 1
        self._totals[note_id] -= 1
        self._changed()
        return VoteResult(True, note_id, self._count(note_id), left + 1)

    async def my_votes(self, participant: str) -> dict[str, int]:
        return {k: v for k, v in self._votes.get(participant, Counter()).items() if v > 0}

    async def projector(self) -> dict[str, Any]:
        return {
            "session_title": self.session_title, "round_title": self.round_title,
            "round_prompt": self.round_prompt, "timer_seconds": self.timer_seconds,
            "situation_title": self.situation_title,
            "parts": [asdict(part) for part in self.parts],
            "notes": [asdict(note) for note in self.shown_notes()],
        }

    # ------------------------------------------------------------ the facilitator's side
    def approve(self, note_id: str, text: str | None = None) -> None:
        note = self._note(note_id)
        note.status = SHOWN
        if text is not None:
            note.text = text
        self._changed()

    def hide(self, note_id: str) -> None:
        """Room only or discarded: the room never sees it."""
        self._note(note_id).status = HIDDEN
        self._changed()

    def update(self, **values: Any) -> None:
        """Change the round, voting, dots, timer or revealed parts; bumps the revision."""
        for key, value in values.items():
            if not hasattr(self, key) or key.startswith("_"):
                raise AttributeError(key)
            setattr(self, key, value)
        self._changed()

    def shown_notes(self) -> tuple[RoomNote, ...]:
        return tuple(RoomNote(n.id, n.text, n.kind, n.lens, self._count(n.id), n.name)
                     for n in self.notes if n.status == SHOWN)

    # ------------------------------------------------------------ inside
    def _changed(self) -> None:
        self.revision += 1

    def _note(self, note_id: str) -> StoredNote:
        return next(n for n in self.notes if n.id == note_id)

    def _is_shown(self, note_id: str) -> bool:
        return any(n.id == note_id and n.status == SHOWN for n in self.notes)

    def _count(self, note_id: str) -> int:
        return self._totals[note_id]
