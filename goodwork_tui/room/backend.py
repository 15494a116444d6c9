"""What the room's web server asks of the open session: a small async contract.

The server never touches a session file. It talks to a `RoomBackend`; in the app that
is the open session's owner (every write goes through its single write path), in the
tests and the demo it is `MemoryBackend`. All methods are async so the owner can batch
writes and await the disk.

Who decides what: the backend decides which notes may be shown (never room-only, never
unapproved ones), whether a note waits for approval, and how many dots a participant
has. The server checks the join code, sizes, kinds and lenses before it calls in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

AckStatus = Literal["saved", "queued", "duplicate"]
VoteRefusal = Literal["voting_closed", "no_dots_left", "unknown_note", "no_dot_here"]


@dataclass(frozen=True, slots=True)
class RoomNote:
    """A note the room may see (on the projector and in the voting list)."""

    id: str
    text: str
    kind: str = ""  # one of model.NOTE_KINDS, or "" for none
    lens: str = ""  # one of model.LENSES, or "" for none
    votes: int = 0
    name: str | None = None  # only when its writer consented to show it


@dataclass(frozen=True, slots=True)
class RoomRound:
    """RoomState without the notes: cheap, asked on every post and every poll."""

    lang: str
    session_title: str
    round_title: str
    round_prompt: str
    kinds: tuple[str, ...]
    voting_open: bool
    dots: int
    revision: int


@dataclass(frozen=True, slots=True)
class RoomState:
    """What a participant's page shows; `revision` changes with every change."""

    lang: str  # "nl" or "en": the session's language
    session_title: str
    round_title: str
    round_prompt: str
    kinds: tuple[str, ...]  # the note kinds the round asks for (may be empty)
    voting_open: bool
    dots: int  # dots per participant while voting is open
    notes: tuple[RoomNote, ...]
    revision: int


@dataclass(frozen=True, slots=True)
class Ack:
    """The answer to a posted note.

    saved: the note is in the session. queued: it waits for the facilitator's approval.
    duplicate: this participant sent this client id before; nothing was created and
    `first` is the answer given then (so a resend after a dropped wifi is harmless).
    """

    status: AckStatus
    note_id: str
    first: Ack | None = None


@dataclass(frozen=True, slots=True)
class VoteResult:
    ok: bool
    note_id: str
    votes: int = 0  # the note's dots after this vote (0 when refused for an unknown note)
    dots_left: int = 0  # this participant's dots left
    reason: VoteRefusal | None = None  # why not, when ok is False


class RoomRefused(Exception):
    """The backend will not take a note now (e.g. no round is open, or the session closed).

    `reason` is a short key the server turns into a message (`room.web.refused.<reason>`);
    unknown reasons get a general message.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class TimerView:
    seconds_left: int  # negative when the round runs over


@dataclass(slots=True)
class Part:
    heading: str
    text: str


@dataclass(slots=True)
class ProjectorView:
    """The documented shape of `projector()`; the backend returns it as a plain dict.

    Keys: session_title, round_title, round_prompt (str); timer_seconds (int or None,
    negative = over time); situation_title (str); parts (list of {heading, text}, only the
    revealed ones); notes (list of RoomNote as dicts). The page renders what is there
    and hides what is missing or empty.
    """

    session_title: str = ""
    round_title: str = ""
    round_prompt: str = ""
    timer_seconds: int | None = None
    situation_title: str = ""
    parts: list[Part] = field(default_factory=list)
    notes: list[RoomNote] = field(default_factory=list)


class RoomBackend(Protocol):
    async def state(self) -> RoomState: ...

    async def round(self) -> RoomRound:
        """The same as state() without the notes; must be cheap (no list of notes)."""
        ...

    async def add_note(self, participant: str, client_id: str, text: str, kind: str,
                       lens: str, name: str | None) -> Ack:
        """Store (or queue) a note. Raises RoomRefused when no note can be taken now."""
        ...

    async def vote(self, participant: str, note_id: str) -> VoteResult: ...

    async def unvote(self, participant: str, note_id: str) -> VoteResult: ...

    async def my_votes(self, participant: str) -> dict[str, int]:
        """The dots this participant has put on each note (note id -> count)."""
        ...

    async def projector(self) -> dict[str, Any]:
        """What the room view shows, as a JSON-able dict (see ProjectorView)."""
        ...
