"""A session file as the views across sessions read it: its session record and, of each
note, only the fields they count, decoded by msgspec straight into typed notes.

Reading 1,000 session files is most of the cost of a report with no cache, and `json.loads`
of a whole file (every note a dict of all its fields) was a third of it; decoding only these
fields takes about a quarter of that time. Only files as Goed Werk writes them pass: a note
field of another type than here, or any other shape, and `decode` gives None, so the
caller reads the file as before (session_digest.read_session), which names and leaves out
a damaged or foreign file, and reads an odd one note by note, exactly as it always did.
Imported only when session files are read (msgspec takes ~20 ms to import).
"""

from __future__ import annotations

from typing import Any

import msgspec

from .session_schema import META_TABLE, NOTES_TABLE, SCHEMA
from .word_counts import TABLE as WORDS_TABLE


class Note(msgspec.Struct, gc=False):
    """The fields of a note the digest reads; any other field is skipped unread. A
    missing or null `kind`, `lens`, `situation`, `theme`, `room_only` is None, as a
    dict's `.get` gives."""

    id: str
    seq: int
    text: str
    kind: str | None = None
    lens: str | None = None
    situation: str | None = None
    theme: str | None = None
    room_only: bool | None = None


class Tables(msgspec.Struct):
    """The TinyDB tables of a session file (tables → document id → document)."""

    session: dict[str, Any] = msgspec.field(name=META_TABLE)
    notes: dict[str, Note] = msgspec.field(default_factory=dict, name=NOTES_TABLE)
    # the word counts the file carries (core/word_counts.py): checked where used
    words: dict[str, Any] = msgspec.field(default_factory=dict, name=WORDS_TABLE)


_DECODER = msgspec.json.Decoder(Tables)


def decode(raw: bytes) -> tuple[dict[str, Any], list[Note], Any] | None:
    """The session record, the notes and the word counts document (None if none) of a
    session file's bytes; None for anything not exactly as Goed Werk writes it (then read
    it the way that handles every file)."""
    try:
        tables = _DECODER.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return None
    meta = next(iter(tables.session.values()), None)
    if not isinstance(meta, dict):
        return None
    schema = meta.get("schema")
    if type(schema) is not int or not 1 <= schema <= SCHEMA:
        return None
    return meta, list(tables.notes.values()), next(iter(tables.words.values()), None)
