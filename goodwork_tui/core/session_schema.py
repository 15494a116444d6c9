"""What a session file holds, checked and typed in one place.

A session file is TinyDB's JSON: tables of documents keyed by number. The session
record (table `session`, one document) and the notes stay plain dicts on disk and in
the store, exactly as older versions wrote them; `SessionMeta.of(meta)` gives a typed,
read-only view of the record for code that reads it. The checks here decide whether a
file can be opened at all: `check_shape` (the tables) and `wrong_field` (the types of
the fields the app works with).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Round

SCHEMA = 1
SUFFIX = ".json"
META_TABLE = "session"
NOTES_TABLE = "notes"
WORDS_TABLE = "words"  # the notes' word counts (core/word_counts.py): checked where used
MAX_READ_BYTES = 64 * 1024 * 1024


class SessionError(Exception):
    """A session file that cannot be used; the message names the file and the reason."""


# ----------------------------------------------------------------- checks


def check_shape(path: Path, data: Any) -> None:
    """Tables of documents keyed by number, as TinyDB needs them; else a SessionError."""
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(
            key.isascii() and key.isdigit() and isinstance(doc, dict)
            for key, doc in table.items())
        for name, table in data.items() if name != WORDS_TABLE
    ):
        raise SessionError(f"{path}: not a session file (unexpected structure)")


META_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str, "date": str, "group": str, "facilitator": str, "lang": str,
    "format": dict, "round_order": list, "current": int, "situations": list,
    "situation_titles": dict, "participants": list, "timers": dict, "themes": list,
    "takeaways": str, "actions": list, "closed": bool, "archived": bool,
    # series (issue 18): optional, so files made before them open as they were
    "series": str, "lookback": list, "to_library": list,
    # what the room has seen of each situation (core/reveal.py)
    "reveal": dict,
    # the room (issue 17): notes from the room wait for approval; dots per participant
    "room_moderation": bool, "room_voting": bool, "room_dots": int,
}
NOTE_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str, "seq": int, "text": str, "round": int, "kind": str, "lens": str,
    "speaker": str, "situation": str, "room_only": bool, "votes": int, "starred": bool,
    "theme": str,
    # the room (issue 17): a queued note is also room_only, so every view that leaves
    # room-only notes out leaves it out too; room_name only when its writer consented
    "queued": bool, "room_name": str, "from_room": bool,
    # who sent it from the room (a participant id the room handed out) and the page's
    # own id for it: a resend, even after a restart, creates no second note
    "room_participant": str, "room_client": str,
    # the room's dots on it per participant id (their sum is at most `votes`)
    "room_dots": dict,
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def wrong_field(meta: dict[str, Any], notes: list[dict[str, Any]]) -> str | None:
    """The first field whose type the app could not work with, or None."""
    for name, kind in META_TYPES.items():
        if name in meta and (not isinstance(meta[name], kind) or
                             (kind is int and isinstance(meta[name], bool))):
            return name
    rounds = meta.get("format", {}).get("rounds", [])
    if not isinstance(rounds, list) or not all(
        isinstance(r, dict) and isinstance(r.get("title", ""), str)
        and isinstance(r.get("prompt", ""), str)
        and isinstance(r.get("minutes", 0), int) and isinstance(r.get("kinds", []), list)
        for r in rounds
    ):
        return "format.rounds"
    if not all(_is_int(i) and 0 <= i < len(rounds) for i in meta.get("round_order", [])):
        return "round_order"
    for name in ("participants", "themes", "actions"):
        items = meta.get(name, [])
        if not all(isinstance(item, dict) and isinstance(item.get("id"), str)
                   and all(isinstance(v, (str, bool)) for v in item.values()) for item in items):
            return name
        if len({item["id"] for item in items}) != len(items):
            return f"{name} (the same id twice)"
    wrong = _wrong_series_field(meta)
    if wrong is not None:
        return wrong
    if not all(_is_int(level) for level in meta.get("reveal", {}).values()):
        return "reveal"
    if not all(isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
               for v in meta.get("situation_titles", {}).values()):
        return "situation_titles"
    if not all(isinstance(s, str) for s in meta.get("situations", [])):
        return "situations"
    if not all(isinstance(v, dict) for v in meta.get("timers", {}).values()):
        return "timers"
    for note in notes:
        dots = note.get("room_dots", {})
        if not isinstance(dots, dict) or not all(_is_int(v) for v in dots.values()):
            return "notes.room_dots"
        for name, kind in NOTE_TYPES.items():
            if name not in note and name not in ("id", "seq", "text", "round"):
                continue  # optional fields may be missing; the core ones may not
            value = note.get(name)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                return f"notes.{name}"
    return None


# ----------------------------------------------------------------- the typed record


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    name: str = ""
    consent: bool = False


@dataclass(frozen=True, slots=True)
class SituationTitle:
    """A chosen situation's title and one line, kept so the harvest reads well without
    the library."""

    title: str = ""
    summary: str = ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _str(value: Any) -> str:
    """A field no check covers, shown as the code before this module showed it."""
    return "" if value is None else str(value)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _round(data: dict[str, Any]) -> Round:
    minutes = data.get("minutes", 0)
    return Round(title=_text(data.get("title")), minutes=minutes if _is_int(minutes) else 0,
                 prompt=_text(data.get("prompt")), kinds=_strings(data.get("kinds")),
                 roles=_strings(data.get("roles")), reveal=_text(data.get("reveal")))


@dataclass(frozen=True, slots=True)
class SessionMeta:
    """The session record, typed. Built from a record `wrong_field` accepted (the store
    opens no other); a field that is missing or of another type reads as empty."""

    title: str = ""
    date: str = ""
    group: str = ""
    facilitator: str = ""
    lang: str = ""
    format_id: str = ""
    format_title: str = ""
    reflection: bool = False  # a solo reflection, not a workshop
    rounds: tuple[Round, ...] = ()  # the format's rounds, as the format lists them
    round_order: tuple[int, ...] = ()  # indexes into `rounds`: the rounds to run, in order
    current: int = 0  # position in `round_order`
    situations: tuple[str, ...] = ()
    situation_titles: dict[str, SituationTitle] = field(default_factory=dict)
    participants: tuple[Participant, ...] = ()
    closed: bool = False
    archived: bool = False
    created: str = ""

    @classmethod
    def of(cls, meta: dict[str, Any]) -> SessionMeta:
        fmt = meta.get("format")
        fmt = fmt if isinstance(fmt, dict) else {}
        rounds = fmt.get("rounds")
        rounds = tuple(_round(r) for r in rounds if isinstance(r, dict)) \
            if isinstance(rounds, list) else ()
        order = meta.get("round_order")
        current = meta.get("current", 0)
        titles = meta.get("situation_titles")
        people = meta.get("participants")
        return cls(
            title=_text(meta.get("title")), date=_text(meta.get("date")),
            group=_text(meta.get("group")), facilitator=_text(meta.get("facilitator")),
            lang=_text(meta.get("lang")),
            format_id=_str(fmt.get("id")), format_title=_str(fmt.get("title")),
            reflection=bool(fmt.get("reflection")), rounds=rounds,
            round_order=tuple(i for i in order if _is_int(i))
            if isinstance(order, list) else (),
            current=current if _is_int(current) else 0,
            situations=_strings(meta.get("situations")),
            situation_titles={
                key: SituationTitle(_text(value.get("title")), _text(value.get("summary")))
                for key, value in titles.items() if isinstance(value, dict)
            } if isinstance(titles, dict) else {},
            participants=tuple(
                Participant(_text(p.get("id")), _text(p.get("name")), bool(p.get("consent")))
                for p in people if isinstance(p, dict)
            ) if isinstance(people, list) else (),
            closed=bool(meta.get("closed")), archived=bool(meta.get("archived")),
            created=_str(meta.get("created")),
        )

    @property
    def planned(self) -> list[Round]:
        """The rounds to run, in their order (skipped rounds left out)."""
        return [self.rounds[i] for i in self.round_order if 0 <= i < len(self.rounds)]

    @property
    def current_round(self) -> int:
        """Index into the format's rounds (not into the order); -1 when none."""
        order = self.round_order
        return order[self.current] if 0 <= self.current < len(order) else -1

    def round_title(self, index: int) -> str:
        return self.rounds[index].title if 0 <= index < len(self.rounds) else ""

    def situation_title(self, situation_id: str) -> str:
        """The title kept for a chosen situation, else its id."""
        kept = self.situation_titles.get(situation_id)
        return (kept.title if kept is not None else "") or situation_id


LOOKBACK_STATUSES = ("done", "carried", "dropped")


def _wrong_series_field(meta: dict[str, Any]) -> str | None:
    """The shape of the look back and of the library records: lists of flat records."""
    for name, required in (("lookback", ("action", "from", "status")),
                           ("to_library", ("situation",))):
        items = meta.get(name, [])
        if not all(isinstance(item, dict) and all(isinstance(item.get(key), str)
                                                  for key in required)
                   and all(isinstance(v, (str, bool)) for v in item.values())
                   for item in items):
            return name
    if not all(item["status"] in LOOKBACK_STATUSES for item in meta.get("lookback", [])):
        return "lookback.status"
    return None
