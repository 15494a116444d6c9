"""Following a session from a second screen (`goodwork room`), without ever writing it.

Which session: the one named with `--session`, else the one a running facilitator's app
has open (its marker beside the settings, see open_marker.py), with the situation being
read. Cheap: every poll looks at the markers (a few tiny files) and the session file's
size and modification time; the session is read again only when one of them changed.
It is opened read-only, so no lock is taken and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Followed:
    """What the second screen shows now. `state`: "none" (no session open), "closed"
    (the session followed is no longer open or gone), "unreadable" (`reason` says why),
    or "open" (`meta` and `notes` read from the file)."""

    state: str
    path: Path | None = None
    situation: str = ""
    reason: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else ""


def _alive(pid: int) -> bool:
    from .open_marker import process_alive

    # no cheap check off POSIX: a marker is trusted until it is removed
    return process_alive(pid, unknown=True)


def open_sessions(markers: Path, sessions: Path) -> list[tuple[Path, str]]:
    """(session file, situation) that running apps have open in `sessions`, newest first."""
    found: list[tuple[float, Path, str]] = []
    try:
        sessions = sessions.resolve()
        listed = list(markers.glob("*.json"))
    except OSError:
        return []
    for marker in listed:
        if not marker.stem.isdigit() or not _alive(int(marker.stem)):
            continue  # a killed app's: the next start of the app takes care of it
        try:
            data = json.loads(marker.read_bytes())
            name, situation = data["session"], data.get("situation") or ""
            when = marker.stat().st_mtime
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if isinstance(name, str) and name and Path(name).parent == sessions:
            found.append((when, Path(name), situation if isinstance(situation, str) else ""))
    found.sort(key=lambda item: -item[0])
    return [(path, situation) for _, path, situation in found]


class Follower:
    """`poll()` gives a new `Followed` when something changed, else None."""

    def __init__(self, sessions: Path, markers: Path, session: Path | None = None) -> None:
        self.sessions, self.markers, self.session = sessions, markers, session
        self._signature: object = None
        self.followed: Path | None = None  # the last session shown (to say it closed)
        self.reads = 0  # how often the session file was read (cheapness is tested)

    def _target(self) -> tuple[Path | None, str]:
        running = open_sessions(self.markers, self.sessions)
        if self.session is not None:
            situation = next((s for p, s in running if p == self.session.resolve()), "")
            return self.session, situation
        return running[0] if running else (None, "")

    def poll(self) -> Followed | None:
        path, situation = self._target()
        if path is None:
            signature: object = ("none",)
        else:
            try:
                stat = path.stat()
                signature = (path, situation, stat.st_mtime_ns, stat.st_size, stat.st_ino)
            except OSError:
                signature = (path, "gone")
        if signature == self._signature:
            return None
        self._signature = signature
        if path is None:
            return Followed("closed" if self.followed is not None else "none",
                            self.followed)
        if signature == (path, "gone"):
            return Followed("closed", path)
        return self._read(path, situation)

    def _read(self, path: Path, situation: str) -> Followed:
        from .session_store import SessionError, SessionStore

        self.reads += 1
        try:
            store = SessionStore.open(path, read_only=True)  # no lock, never written
        except (SessionError, OSError) as error:
            self._signature = None  # try again at the next poll
            return Followed("unreadable", path, reason=str(error))
        try:
            meta, notes = store.meta, store.notes()
        finally:
            store.close()
        self.followed = path
        if not situation:
            listed = meta.get("situations")
            first = listed[0] if isinstance(listed, list) and listed else ""
            situation = first if isinstance(first, str) else ""
        return Followed("open", path, situation, meta=meta, notes=notes)
