"""One session, one TinyDB file, every change on disk before the caller goes on.

Durability: `AtomicStorage` writes each change as a whole new file (temp file in the
same folder, flush, fsync, os.replace, fsync the folder), so a crash at any moment
leaves the previous or the new version, never a torn file. The store holds a lock file
while it is open: a second opener gets a read-only view. Because the store holds the only
writer's lock, it keeps the data in memory and never re-reads what it wrote.
"""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB
from tinydb.storages import Storage

from .atomic import create_new, write_atomic
from .model import Round
from .session_list import (  # noqa: F401 - the listing's names are the store's too
    SessionSummary,
    find_session,
    list_sessions,
    session_files,
    summarize,
)
from .session_schema import (  # noqa: F401 - the schema's names are the store's too
    LOOKBACK_STATUSES,
    MAX_READ_BYTES,
    META_TABLE,
    NOTES_TABLE,
    SCHEMA,
    SUFFIX,
    SessionError,
    SessionMeta,
    check_shape,
    wrong_field,
)
from .slug import session_stem
from .word_counts import TABLE as WORDS_TABLE

if TYPE_CHECKING:
    from filelock import BaseFileLock


class ReadOnlyError(SessionError):
    """The session is open elsewhere (or was opened read-only): nothing may be written."""


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _dumps(data: dict[str, Any], lines: dict[tuple[str, str], tuple[Any, str]] | None = None
           ) -> bytes:
    """One document (the session's meta, a note) per line, in the order they were made,
    so that a session shared through git shows each added or changed note as its own line
    in a diff (the separating comma leads the next line). The whole file is still one
    JSON object: old files (one long line) read the same way.

    No indent: json's C encoder only runs without one (indent=1 cost ~45 ms per write at
    5,000 notes); a line per document costs about a third more than one long line.

    `lines` (kept by the storage between writes) remembers each document's line with the
    value it decodes to: a document equal to that value is not encoded again. Every write
    encodes only what changed (a note added in a session of 1,000 notes: 0.5 ms, not 4)."""
    tables = []
    known = {} if lines is None else lines
    kept: dict[tuple[str, str], tuple[Any, str]] = {}
    for name, docs in data.items():
        if isinstance(docs, dict) and docs:
            parts = []
            for key, doc in docs.items():
                remembered = known.get((name, key))
                if remembered is not None and remembered[0] == doc:
                    line = remembered[1]
                else:
                    encoded = _encode(doc)
                    line = f"{_encode(str(key))}: {encoded}"
                    remembered = (json.loads(encoded), line)
                kept[(name, key)] = remembered
                parts.append(line)
            # the comma leads the next line, so adding a note adds one line and changes none
            body = "\n,".join(parts)
            tables.append(f"{_encode(str(name))}: {{\n{body}\n}}")
        else:
            tables.append(f"{_encode(str(name))}: {_encode(docs)}")
    if lines is not None:
        lines.clear()
        lines.update(kept)
    return ("{" + ",\n".join(tables) + "}\n").encode("utf-8")


def _parse(raw: bytes | None) -> dict[str, Any]:
    return json.loads(raw.decode("utf-8")) if raw and raw.strip() else {}


class AtomicStorage(Storage):
    """TinyDB storage: atomic whole-file writes, data kept in memory between writes."""

    def __init__(self, path: str | Path, read_only: bool = False, create: bool = False,
                 initial: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._data: dict[str, Any] | None = None
        self.on_recreate: Callable[[], None] | None = None  # set by the store: re-lock
        self._written: bytes | None = None
        self._lines: dict[tuple[str, str], tuple[Any, str]] = {}  # see _dumps
        self.changed = create  # written since opened (the word counts are then redone)
        if create:
            if read_only:
                raise ReadOnlyError(f"{self.path}: cannot create a session read-only")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = _dumps(initial or {})
            create_new(self.path, _conceal(self.path, payload))  # one file, one creator
            self._data = _parse(payload)
            self._written = payload
        else:
            self._data = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            size = self.path.stat().st_size
            if size > MAX_READ_BYTES:
                raise SessionError(f"{self.path}: too large to be a session ({size} bytes)")
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise SessionError(f"{self.path}: the session file does not exist") from None
        except OSError as error:
            raise SessionError(f"{self.path}: cannot read: {error.strerror or error}") from None
        raw = _reveal(self.path, raw)
        try:
            data = _parse(raw)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            reason = "nested too deeply" if isinstance(error, RecursionError) else error
            raise SessionError(f"{self.path}: not a readable session file ({reason})") from None
        if isinstance(data, dict):
            # the word counts are for readers across sessions, made again at close: never
            # held here, and never the reason a session does not open
            data.pop(WORDS_TABLE, None)
        check_shape(self.path, data)
        self._written = raw
        return data

    def read(self) -> dict[str, Any] | None:
        return self._data

    def write(self, data: dict[str, Any], *, counted: bool = False) -> None:
        """Write the whole file. The word counts it carries (core/word_counts.py) go with
        any change: they are written again, `counted`, when the session closes, so a
        note deleted is not left behind in them meanwhile."""
        if not counted:
            data.pop(WORDS_TABLE, None)
        try:
            if self.read_only:
                raise ReadOnlyError(f"{self.path}: the session is open read-only")
            payload = _dumps(data, self._lines)
            stored = _conceal(self.path, payload)
            try:
                write_atomic(self.path, stored)
            except FileNotFoundError:
                # the sessions folder was removed while the session was open: the whole
                # session is in memory, so make the folder again (and the lock file with
                # it, so a second window still gets a read-only view) and write it all
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.on_recreate is not None:
                    self.on_recreate()
                write_atomic(self.path, stored)
        except BaseException:
            # TinyDB changed our dict in place before calling write: whatever stopped the
            # write (read-only, full disk, text that cannot be encoded), put back what is
            # really on disk, so memory never claims what the file does not hold.
            self._data = _parse(self._written)
            raise
        self._data = data
        self._written = payload
        self.changed = True

    def close(self) -> None:
        pass


def _reveal(path: Path, raw: bytes) -> bytes:
    """The plain bytes of a session file, which may be encrypted (see vault.py)."""
    if not raw.startswith(b"age-"):
        return raw  # plain: the encryption code is not even imported
    from . import vault

    try:
        return vault.reveal(path, raw)
    except vault.VaultError as error:
        raise SessionError(str(error)) from None


def _conceal(path: Path, payload: bytes) -> bytes:
    """What to write: ciphertext in an encrypted workspace; refused when it is locked."""
    from . import vault

    try:
        return vault.conceal(path, payload)
    except vault.Locked as error:
        raise ReadOnlyError(str(error)) from None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class SessionStore:
    """Open with `SessionStore.create(...)` or `SessionStore.open(path)`; close when done."""

    def __init__(self, path: Path, *, read_only: bool = False, create: bool = False,
                 initial: dict[str, Any] | None = None) -> None:
        self.path = path
        self.id = path.stem
        self._lock: BaseFileLock | None = None
        # Highest seq this store has deleted: a note added before an undo never reuses it.
        self._seq_floor = 0
        self.read_only = read_only
        if not read_only:
            self.read_only = not self._take_lock()
        if create and self.read_only:  # another process is creating this very name
            raise FileExistsError(f"{path}: being created elsewhere")
        try:
            self.db = TinyDB(path, storage=AtomicStorage, read_only=self.read_only,
                             create=create, initial=initial)
        except BaseException:
            self._release_lock()
            raise
        self.db.storage.on_recreate = self._relock  # type: ignore[attr-defined]
        self.meta_table = self.db.table(META_TABLE)
        self.notes_table = self.db.table(NOTES_TABLE)
        if not create:
            try:
                self._check_schema()
            except BaseException:
                self.close()  # a file we cannot use must not stay locked
                raise

    # ----------------------------------------------------------------- lifecycle

    def _take_lock(self) -> bool:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path) + ".lock", timeout=0, is_singleton=False)
        try:
            lock.acquire()
        except Timeout:
            return False
        except OSError:
            return True  # a folder where no lock can be made (read-only): writes will fail
        self._lock = lock
        return True

    def _relock(self) -> None:
        """The folder came back empty: take the lock again in the new lock file."""
        if self._lock is not None:
            with contextlib.suppress(Exception):
                self._lock.release()
            self._lock = None
            self._take_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        try:
            self._write_word_counts()
        finally:
            self.db.close()
            self._release_lock()

    def _write_word_counts(self) -> None:
        """A session changed since it was opened carries its notes' word counts
        (core/word_counts.py: the views across sessions then need not count them), written
        once, when it closes: not on every note. Never in the way of closing: counts that
        cannot be written are counted again by whoever reads the file."""
        storage = self.db.storage
        if self.read_only or not isinstance(storage, AtomicStorage) or not storage.changed:
            return
        from .session_digest import words_document

        with contextlib.suppress(Exception):
            data = storage.read()
            document = words_document(data) if data is not None else None
            if data is not None and document is not None:
                storage.write({**data, WORDS_TABLE: {"1": document}}, counted=True)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_schema(self) -> None:
        meta = self.meta
        if not meta:
            raise SessionError(f"{self.path}: not a session file (no session record)")
        schema = meta.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
            raise SessionError(f"{self.path}: not a session file (no valid schema number)")
        wrong = wrong_field(meta, [dict(doc) for doc in self.notes_table.all()])
        if wrong is not None and schema <= SCHEMA:
            raise SessionError(f"{self.path}: not a readable session file (the field "
                               f"'{wrong}' has an unexpected value)")
        if schema > SCHEMA:
            raise SessionError(f"{self.path}: made by a newer version of Goed Werk "
                               f"(schema {schema}); update the app to open it")

    @classmethod
    def create(cls, sessions_dir: Path, *, title: str, on: date | None = None,
               group: str = "", facilitator: str = "", format: dict[str, Any] | None = None,
               situations: list[str] | None = None,
               participants: list[dict[str, Any]] | None = None, lang: str = "en",
               situation_titles: dict[str, dict[str, str]] | None = None,
               series: str = "") -> SessionStore:
        on = on or date.today()
        stem = session_stem(title, on)
        rounds = list((format or {}).get("rounds", []))
        meta = {
            "schema": SCHEMA,
            "title": title,
            "date": on.isoformat(),
            "group": group,
            "facilitator": facilitator,
            "lang": lang,
            "format": format or {"id": "", "title": "", "rounds": []},
            "round_order": list(range(len(rounds))),
            "current": 0,
            "situations": list(situations or []),
            # title and one line per situation, so the harvest reads well without the library
            "situation_titles": dict(situation_titles or {}),
            "themes": [],
            "takeaways": "",
            "actions": [],
            "participants": [
                {"id": p.get("id") or f"p{i + 1}", "name": p.get("name", ""),
                 "consent": bool(p.get("consent"))}
                for i, p in enumerate(participants or [])
            ],
            "timers": {},
            "created": _now(),
            "closed": False,
            "archived": False,
        }
        if series:  # only when given: a session in no series is written as before
            meta["series"] = series
        # The session record is in the file from its first byte: a crash or a full disk
        # during create leaves no file, or a complete one.
        initial = {META_TABLE: {"1": meta}}
        sessions_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, 10_000):
            name = stem if attempt == 1 else f"{stem}-{attempt}"
            path = sessions_dir / f"{name}{SUFFIX}"
            if path.exists():
                continue
            try:
                return cls(path, create=True, initial=initial)
            except FileExistsError:
                continue
        raise SessionError("no free file name for this session")  # pragma: no cover

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> SessionStore:
        return cls(path, read_only=read_only)

    # ----------------------------------------------------------------- session record

    @property
    def meta(self) -> dict[str, Any]:
        """A copy: changing it never changes the store without a write."""
        docs = self.meta_table.all()
        return copy.deepcopy(dict(docs[0])) if docs else {}

    def update_meta(self, **fields: Any) -> None:
        doc_ids = [doc.doc_id for doc in self.meta_table.all()]
        self.meta_table.update(fields, doc_ids=doc_ids[:1])

    @property
    def session(self) -> SessionMeta:
        """The session record, typed (read-only: write with `update_meta`)."""
        docs = self.meta_table.all()
        return SessionMeta.of(docs[0] if docs else {})

    @property
    def rounds(self) -> list[Round]:
        """The rounds to run, in their order."""
        return self.session.planned

    def round_title(self, index: int) -> str:
        return self.session.round_title(index)

    @property
    def current_round(self) -> int:
        """Index into the format's rounds (not into the order)."""
        return self.session.current_round

    def go_to_position(self, position: int) -> None:
        order = self.meta.get("round_order", [])
        if order:
            self.update_meta(current=max(0, min(position, len(order) - 1)))

    def step_round(self, step: int) -> None:
        self.go_to_position(self.meta.get("current", 0) + step)

    def set_round_order(self, order: list[int]) -> None:
        """Reorder or skip rounds: `order` lists the format's round indexes to run."""
        current = self.current_round
        position = order.index(current) if current in order else 0
        self.update_meta(round_order=list(order), current=position)

    def timer(self, round_index: int) -> dict[str, Any]:
        timers = self.meta.get("timers", {})
        return dict(timers.get(str(round_index), {}))

    def set_timer(self, round_index: int, state: dict[str, Any]) -> None:
        timers = dict(self.meta.get("timers", {}))
        timers[str(round_index)] = state
        self.update_meta(timers=timers)

    def set_reveal(self, situation_id: str, level: int) -> None:
        """How many parts of a situation the room has seen (core/reveal.py); one write."""
        if not situation_id or isinstance(level, bool) or not isinstance(level, int) \
                or level < 1:
            raise ValueError("a reveal level is a whole number of at least 1")
        reveal = dict(self.meta.get("reveal", {}))
        reveal[situation_id] = level
        self.update_meta(reveal=reveal)

    # ----------------------------------------------------------------- notes

    def add_note(self, text: str, *, round: int, kind: str = "", lens: str = "",
                 speaker: str = "", situation: str = "", room_only: bool = False
                 ) -> dict[str, Any]:
        """Store a note; when this returns, the note is on disk."""
        note = {
            "id": uuid.uuid4().hex[:12],
            "seq": self._next_seq(),
            "text": text,
            "round": round,
            "kind": kind,
            "lens": lens,
            "speaker": speaker,
            "situation": situation,
            "room_only": room_only,
            "created": _now(),
        }
        self.notes_table.insert(note)
        return note

    def add_notes(self, notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store several notes in ONE write (the room's batch); each dict holds add_note's
        fields plus any extra ones (e.g. `queued`). When this returns, all are on disk."""
        seq = self._next_seq()
        stored = []
        for offset, fields in enumerate(notes):
            note = {"id": uuid.uuid4().hex[:12], "seq": seq + offset, "text": "", "round": 0,
                    "kind": "", "lens": "", "speaker": "", "situation": "",
                    "room_only": False, "created": _now()}
            note.update(fields)
            stored.append(note)
        self.notes_table.insert_multiple(stored)
        return stored

    def _next_seq(self) -> int:
        # the raw table, not notes_table.all(): no Document copy of every note per add
        raw = (self.db.storage.read() or {}).get(NOTES_TABLE, {})
        highest = max((doc.get("seq", 0) for doc in raw.values()), default=0)
        return max(highest, self._seq_floor) + 1

    def notes(self, round: int | None = None) -> list[dict[str, Any]]:
        docs = [dict(doc) for doc in self.notes_table.all()]
        if round is not None:
            docs = [doc for doc in docs if doc.get("round") == round]
        return sorted(docs, key=lambda d: d.get("seq", 0))

    def note(self, note_id: str) -> dict[str, Any] | None:
        from tinydb import Query

        found = self.notes_table.get(Query().id == note_id)
        return dict(found) if found else None

    def update_note(self, note_id: str, **fields: Any) -> None:
        from tinydb import Query

        fields["updated"] = _now()
        self.notes_table.update(fields, Query().id == note_id)

    def delete_note(self, note_id: str) -> dict[str, Any] | None:
        """Remove a note and return it, so the caller can offer undo."""
        from tinydb import Query

        note = self.note(note_id)
        if note is not None:
            self.notes_table.remove(Query().id == note_id)
            self._seq_floor = max(self._seq_floor, note.get("seq", 0))
        return note

    def restore_note(self, note: dict[str, Any]) -> None:
        self.notes_table.insert(copy.deepcopy(note))

    def move_note(self, note_id: str, round: int) -> None:
        self.update_note(note_id, round=round)

    # ----------------------------------------------------------------- harvest

    def star_note(self, note_id: str, starred: bool) -> None:
        self.update_note(note_id, starred=starred)

    def vote(self, note_id: str, delta: int, by: str = "") -> int:
        """Change a note's dot-vote count (never below 0); returns the new count.

        `by`: the room's participant who put (or took back) the dot; their dots on the
        note are kept in the note (`room_dots`, participant id -> dots) in the same
        write, so a restarted app still knows how many dots each has used."""
        note = self.note(note_id)
        if note is None:
            return 0
        votes = max(0, int(note.get("votes", 0) or 0) + delta)
        fields: dict[str, Any] = {"votes": votes}
        if by:
            dots = dict(note.get("room_dots") or {})
            dots[by] = max(0, int(dots.get(by, 0)) + delta)
            fields["room_dots"] = {k: v for k, v in dots.items() if v > 0}
        self.update_note(note_id, **fields)
        return votes

    def add_theme(self, name: str) -> str:
        themes = list(self.meta.get("themes", []))
        theme_id = f"t{uuid.uuid4().hex[:8]}"
        themes.append({"id": theme_id, "name": name})
        self.update_meta(themes=themes)
        return theme_id

    def rename_theme(self, theme_id: str, name: str) -> None:
        themes = [dict(t, name=name) if t.get("id") == theme_id else t
                  for t in self.meta.get("themes", [])]
        self.update_meta(themes=themes)

    def delete_theme(self, theme_id: str) -> None:
        from tinydb import Query

        self.update_meta(themes=[t for t in self.meta.get("themes", [])
                                 if t.get("id") != theme_id])
        self.notes_table.update({"theme": ""}, Query().theme == theme_id)

    def set_note_theme(self, note_id: str, theme_id: str) -> None:
        self.update_note(note_id, theme=theme_id)

    def set_takeaways(self, text: str) -> None:
        self.update_meta(takeaways=text)

    def add_action(self, text: str, owner: str = "", review: str = "") -> str:
        actions = list(self.meta.get("actions", []))
        action_id = f"a{uuid.uuid4().hex[:8]}"
        actions.append({"id": action_id, "text": text, "owner": owner, "review": review})
        self.update_meta(actions=actions)
        return action_id

    def update_action(self, action_id: str, **fields: Any) -> None:
        actions = [dict(a, **fields) if a.get("id") == action_id else a
                   for a in self.meta.get("actions", [])]
        self.update_meta(actions=actions)

    def delete_action(self, action_id: str) -> None:
        self.update_meta(actions=[a for a in self.meta.get("actions", [])
                                  if a.get("id") != action_id])


    # ----------------------------------------------------------------- series

    def set_series(self, name: str) -> None:
        """Put the session in a series (stored as typed; '' takes it out of any)."""
        self.update_meta(series=name)

    def set_lookback(self, *, action: str, source: str, status: str, learned: str = "",
                     text: str = "", owner: str = "", review: str = "",
                     owner_person: bool = False, owner_named: bool = False) -> None:
        """Answer one agreement of an earlier session (`source` is that session's id):
        done, carried (on: it stays open for the next session) or dropped, and a line on
        what was learned. A second answer to the same agreement replaces the first.
        `owner_person`: the owner was a participant of the earlier session, and
        `owner_named`: one who consented there (see series.Agreement); the harvest names
        such an owner only when both sessions' consent allows it."""
        if status not in LOOKBACK_STATUSES:
            raise ValueError(f"status must be one of {', '.join(LOOKBACK_STATUSES)}")
        answer = {"action": action, "from": source, "text": text, "owner": owner,
                  "review": review, "status": status, "learned": learned,
                  "owner_person": owner_person, "owner_named": owner_named}
        answers = [a for a in self.meta.get("lookback", [])
                   if (a.get("action"), a.get("from")) != (action, source)]
        self.update_meta(lookback=[*answers, answer])

    def clear_lookback(self, *, action: str, source: str) -> None:
        """Take an answer back (the agreement is open again)."""
        self.update_meta(lookback=[a for a in self.meta.get("lookback", [])
                                   if (a.get("action"), a.get("from")) != (action, source)])

