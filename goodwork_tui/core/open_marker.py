"""Which session an app has open, kept on disk so a crash can be recovered from.

While a session is open for writing, the app keeps a small marker file beside its
settings (`open/<pid>.json`, naming the session file; not in the workspace, which may
be shared). Closing the session or quitting removes it; a killed app leaves it
behind, and the next start reopens that session. The marker's modification time is
refreshed while the round timer runs, so the timer can be paused where it was when
the app stopped.

A second app running at the same time never takes over: the session file's lock is
held by the first, and a marker whose session is locked is left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomic


def _marker(folder: Path, pid: int | None = None) -> Path:
    return folder / f"{os.getpid() if pid is None else pid}.json"


def mark(folder: Path, session: Path, situation: str = "") -> None:
    """Note that this process has `session` open, discussing `situation` (best effort:
    never fails)."""
    data = json.dumps({"session": str(session.resolve()), "situation": situation}
                      ).encode("utf-8")
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(_marker(folder), data)


def unmark(folder: Path) -> None:
    """This process closed its session normally."""
    with contextlib.suppress(OSError):
        _marker(folder).unlink()


def touch(folder: Path) -> None:
    """Still open now (the time a recovered timer is paused at)."""
    with contextlib.suppress(OSError):
        os.utime(_marker(folder))


@dataclass(frozen=True, slots=True)
class LeftOpen:
    marker: Path
    session: Path
    last_seen: float  # seconds since the epoch: when the app was last known running
    situation: str = ""  # the situation being discussed then

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.marker.unlink()


def process_alive(pid: int, *, unknown: bool) -> bool:
    """Whether process `pid` runs; `unknown` where that cannot be asked cheaply (not POSIX)."""
    if os.name != "posix":
        return unknown
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a marker of ours from before a restart with the same pid
    return process_alive(pid, unknown=False)  # elsewhere the session's lock decides


def left_open(folder: Path, sessions: Path) -> list[LeftOpen]:
    """Sessions in `sessions` that an app no longer running had open, newest first."""
    found = []
    try:
        markers = list(folder.glob("*.json"))
        sessions = sessions.resolve()
    except OSError:
        return []
    for marker in markers:
        pid_text = marker.stem
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            name, situation = data["session"], data.get("situation") or ""
            last_seen = marker.stat().st_mtime
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if not isinstance(name, str) or not name or Path(name).parent != sessions:
            continue  # another workspace's
        found.append(LeftOpen(marker, Path(name), last_seen,
                              situation if isinstance(situation, str) else ""))
    found.sort(key=lambda item: -item.last_seen)
    return found
