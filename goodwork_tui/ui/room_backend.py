"""The room's backend in the app: `RoomBackend` (room/backend.py) on top of `OpenSession`.

Everything the room asks is read from the open session; every note and dot goes through
its one write path (`OpenSession.write`), so the pane, the room view and the disk agree.

- A post is remembered per (participant, client id) BEFORE the first await, so a resend
  that arrives while the first is still being written gets the same answer.
- Posts are gathered and written in ONE store write (one file write, one fsync) per
  tick: a lone post is written at the next loop turn, but under load at most one batch
  per `FLUSH_EVERY`, so a room full of phones costs ten writes (and ten redraws of the
  pane) a second, not one per note, and the facilitator's typing stays responsive.
  Each phone is answered only once its note is on disk.
- Both outlive the app: a note keeps who sent it from the room and the page's id for
  it (`room_participant`, `room_client`), and each participant's dots on it
  (`room_dots`), written in the same store write as the note or the dot. After a
  restart (and the participant ids last: room/security.py `lasting_key`) a resend is
  still a duplicate and a phone still has only the dots it had left.
- With moderation on (`room_moderation` in the session record) a note is stored
  `queued` AND `room_only`: every view that leaves room-only notes out (the harvest, the
  export, the room view, the digest) leaves it out too, until the facilitator approves.
- The revision moves with every `changed` signal of the open session.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..core.model import NOTE_KINDS
from ..room.backend import Ack, RoomNote, RoomRefused, RoomRound, RoomState, VoteResult

if TYPE_CHECKING:
    from ..core.model import Situation
    from .session import OpenSession

DEFAULT_DOTS = 3
FLUSH_EVERY = 0.1  # seconds: at most one batch of room notes written (and drawn) per tick


def shown_in_room(note: dict[str, Any]) -> bool:
    """May the room see this note? Never a room-only or queued one."""
    return not note.get("room_only") and not note.get("queued")


class SessionRoomBackend:
    """The open session as the room sees it. One per app; it follows whatever session
    is open (a closed session refuses notes with "closed")."""

    def __init__(self, session: OpenSession) -> None:
        self.session = session
        self.revision = 0
        self._acks: dict[tuple[str, str], asyncio.Future[Ack]] = {}
        self._pending: list[tuple[dict[str, Any], asyncio.Future[Ack]]] = []
        self._flush_handle: asyncio.Handle | None = None
        self._last_flush = float("-inf")  # loop time of the last batch written
        self.flush_every = FLUSH_EVERY
        # participant -> note id -> dots; None: read again from the notes when asked
        self._dots: dict[str, Counter[str]] | None = None
        self._sent: dict[tuple[str, str], Ack] | None = None  # what the file says was sent
        self._meta: tuple[int, dict[str, Any]] = (-1, {})
        self._store_path = session.store.path if session.store is not None else None
        # immediate: the revision has moved before the change's caller goes on
        session.changed.subscribe(session.app, self._changed, immediate=True)

    def _changed(self, what: str) -> None:
        self.revision += 1
        store = self.session.store
        path = store.path if store is not None else None
        if path != self._store_path:  # another session: its own acks and dots
            self._store_path = path
            self._refuse_pending("closed")  # never written into the next session
            self._acks.clear()
            self._dots = self._sent = None
        elif what in ("notes", "opened"):  # a note deleted, brought back or changed
            self._dots = None

    def _refuse_pending(self, reason: str) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        batch, self._pending = self._pending, []
        for _fields, future in batch:
            if not future.done():
                future.set_exception(RoomRefused(reason))
                future.exception()  # retrieved here: a dropped client must not log it

    # ------------------------------------------------------------ reading
    @property
    def meta(self) -> dict[str, Any]:
        """The session record, read once per revision (the store hands out a deep copy:
        per post and per poll that would cost more than the post itself)."""
        if self._meta[0] != self.revision or not self.session.is_open:
            self._meta = (self.revision, self.session.meta)
        return self._meta[1]

    def _round(self) -> RoomRound:
        session = self.session
        meta = self.meta
        current = session.current_round
        kinds = tuple(k for k in current.get("kinds", []) if k in NOTE_KINDS)
        lang = meta.get("lang") or session.app.lang
        return RoomRound(
            lang=lang if lang in ("nl", "en") else "en",
            session_title=str(meta.get("title", "")),
            round_title=str(current.get("title", "")),
            round_prompt=str(current.get("prompt", "")), kinds=kinds,
            voting_open=self.voting_open, dots=self.dots, revision=self.revision)

    @property
    def voting_open(self) -> bool:
        return self.session.is_open and bool(self.meta.get("room_voting"))

    @property
    def dots(self) -> int:
        dots = self.meta.get("room_dots", DEFAULT_DOTS)
        return dots if isinstance(dots, int) and dots > 0 else DEFAULT_DOTS

    @property
    def moderated(self) -> bool:
        return bool(self.meta.get("room_moderation"))

    def _names(self) -> dict[str, str]:
        """Participant id -> name, only for those who consented."""
        people = self.meta.get("participants", [])
        return {p["id"]: p["name"].strip() for p in people
                if isinstance(p, dict) and p.get("consent") and isinstance(p.get("id"), str)
                and isinstance(p.get("name"), str) and p["name"].strip()}

    def room_notes(self, notes: list[dict[str, Any]] | None = None) -> tuple[RoomNote, ...]:
        store = self.session.store
        if store is None:
            return ()
        names = self._names()
        found = []
        for note in store.notes() if notes is None else notes:
            if not shown_in_room(note):
                continue
            name = note.get("room_name") or names.get(note.get("speaker", "")) or None
            found.append(RoomNote(
                id=str(note.get("id", "")), text=str(note.get("text", "")),
                kind=str(note.get("kind", "") or ""), lens=str(note.get("lens", "") or ""),
                votes=int(note.get("votes", 0) or 0), name=name))
        return tuple(found)

    async def round(self) -> RoomRound:
        return self._round()

    async def state(self) -> RoomState:
        r = self._round()
        return RoomState(lang=r.lang, session_title=r.session_title, round_title=r.round_title,
                         round_prompt=r.round_prompt, kinds=r.kinds, voting_open=r.voting_open,
                         dots=r.dots, notes=self.room_notes(), revision=r.revision)

    async def projector(self) -> dict[str, Any]:
        """What the room view shows: the round, the timer, the parts of the situation
        revealed so far (core/reveal.py) and the harvest (themed and starred notes)."""
        r = self._round()
        session = self.session
        store = session.store
        notes: list[dict[str, Any]] = store.notes() if store is not None else []
        chosen = [n for n in notes if n.get("theme") or n.get("starred")]
        chosen.sort(key=lambda n: -int(n.get("votes", 0) or 0))
        timer = session.timer
        situation = self._situation()
        parts: list[dict[str, str]] = []
        if situation is not None:
            from ..core.reveal import shown

            step = session.current_round.get("reveal")
            parts = [{"heading": part.heading, "text": part.text} for part in
                     shown(situation, self.meta, step if isinstance(step, str) else None)]
        return {
            "session_title": r.session_title, "round_title": r.round_title,
            "round_prompt": r.round_prompt,
            "timer_seconds": round(timer.remaining()) if timer is not None else None,
            "situation_title": situation.title if situation is not None else "",
            "parts": parts,
            "notes": [_as_dict(n) for n in self.room_notes(chosen)],
        }

    def _situation(self) -> Situation | None:
        app = self.session.app
        library, current = app.library, app.current_id
        return library.situation(current) if library and current else None

    # ------------------------------------------------------------ notes
    async def add_note(self, participant: str, client_id: str, text: str, kind: str,
                       lens: str, name: str | None) -> Ack:
        key = (participant, client_id)
        first = self._acks.get(key)
        if first is not None:  # a resend: the same answer, nothing created
            ack = await asyncio.shield(first)
            return Ack("duplicate", ack.note_id, ack)
        store = self.session.store
        if store is None:
            raise RoomRefused("closed")
        stored = self._sent_before().get(key)
        if stored is not None:  # sent before the app was restarted: in the file already
            return Ack("duplicate", stored.note_id, stored)
        if store.read_only:
            raise RoomRefused("read_only")
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._acks[key] = future  # before any await: a resend finds it
        queued = self.moderated
        fields: dict[str, Any] = {
            "text": text, "kind": kind, "lens": lens,
            "situation": self.session.situation, "room_only": queued, "from_room": True,
            "room_participant": participant, "room_client": client_id}
        if queued:
            fields["queued"] = True
        if name:
            fields["room_name"] = name
        self._pending.append((fields, future))
        if self._flush_handle is None:
            loop = asyncio.get_running_loop()
            wait = self._last_flush + self.flush_every - loop.time()
            self._flush_handle = loop.call_soon(self._flush) if wait <= 0 else \
                loop.call_later(wait, self._flush)
        try:
            return await asyncio.shield(future)
        except RoomRefused:
            if self._acks.get(key) is future:
                del self._acks[key]  # not saved: a resend may try again
            raise

    def _sent_before(self) -> dict[tuple[str, str], Ack]:
        """(participant, client id) -> the answer its note got, for the notes in the
        file when it was opened (the ones written since are in `_acks`)."""
        if self._sent is None:
            store = self.session.store
            self._sent = {
                (n["room_participant"], n["room_client"]):
                    Ack("queued" if n.get("queued") else "saved", str(n.get("id", "")))
                for n in (store.notes() if store is not None else [])
                if isinstance(n.get("room_participant"), str)
                and isinstance(n.get("room_client"), str)}
        return self._sent

    def _flush(self) -> None:
        """Write every note posted since the last flush in one store write."""
        self._flush_handle = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        self._last_flush = asyncio.get_running_loop().time()
        store = self.session.store
        outcome = None
        if store is not None:
            current = store.current_round  # the round being run, as a typed note gets
            notes = [{**fields, "round": current} for fields, _ in batch]
            outcome = self.session.write(store.add_notes, notes, published="note-added")
        for index, (fields, future) in enumerate(batch):
            if future.done():
                continue
            if outcome:
                note = outcome.value[index]
                future.set_result(Ack("queued" if fields.get("queued") else "saved",
                                      note["id"]))
            else:
                future.set_exception(RoomRefused("not_saved"))
                future.exception()  # retrieved here: a dropped client must not log it

    # ------------------------------------------------------------ dots
    def _note_shown(self, note_id: str) -> dict[str, Any] | None:
        store = self.session.store
        note = store.note(note_id) if store is not None else None
        return note if note is not None and shown_in_room(note) else None

    async def vote(self, participant: str, note_id: str) -> VoteResult:
        return self._vote(participant, note_id, +1)

    async def unvote(self, participant: str, note_id: str) -> VoteResult:
        return self._vote(participant, note_id, -1)

    def _vote(self, participant: str, note_id: str, delta: int) -> VoteResult:
        mine = self._all_dots().setdefault(participant, Counter())
        left = self.dots - sum(mine.values())
        note = self._note_shown(note_id)
        votes = int(note.get("votes", 0) or 0) if note is not None else 0
        if not self.voting_open:
            return VoteResult(False, note_id, votes, left, "voting_closed")
        if note is None:
            return VoteResult(False, note_id, 0, left, "unknown_note")
        if delta > 0 and left <= 0:
            return VoteResult(False, note_id, votes, 0, "no_dots_left")
        if delta < 0 and mine[note_id] <= 0:
            return VoteResult(False, note_id, votes, left, "no_dot_here")
        store = self.session.store
        assert store is not None
        outcome = self.session.write(store.vote, note_id, delta, by=participant,
                                     published="harvest")
        if not outcome:
            return VoteResult(False, note_id, votes, left, "voting_closed")
        if self._dots is not None:  # (else read again from the notes when next asked)
            self._dots.setdefault(participant, Counter())[note_id] += delta
        return VoteResult(True, note_id, int(outcome.value), left - delta)

    async def my_votes(self, participant: str) -> dict[str, int]:
        return {k: v for k, v in self._all_dots().get(participant, Counter()).items() if v > 0}

    def _all_dots(self) -> dict[str, Counter[str]]:
        """Every participant's dots, as the notes keep them (`room_dots`)."""
        if self._dots is None:
            store = self.session.store
            dots: dict[str, Counter[str]] = {}
            for note in store.notes() if store is not None else []:
                for who, count in (note.get("room_dots") or {}).items():
                    dots.setdefault(who, Counter())[str(note.get("id", ""))] += count
            self._dots = dots
        return self._dots


def _as_dict(note: RoomNote) -> dict[str, Any]:
    return {"id": note.id, "text": note.text, "kind": note.kind, "lens": note.lens,
            "votes": note.votes, "name": note.name}
