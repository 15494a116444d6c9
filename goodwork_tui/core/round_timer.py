"""The countdown of a round, as plain data that survives a restart.

State per round: seconds already counted, the wall-clock time the timer was started
(None when paused), and minutes added. Remaining time is derived, never stored, so a
crash or a restart resumes the timer where it really is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(slots=True)
class TimerState:
    planned: int  # seconds, from the format
    counted: float = 0.0
    started_at: float | None = None
    added: int = 0  # extra minutes
    overrun: float = 0.0  # the largest overrun recorded, in seconds

    @classmethod
    def from_dict(cls, planned_minutes: int, data: dict) -> TimerState:
        return cls(
            planned=int(planned_minutes) * 60,
            counted=float(data.get("counted", 0.0)),
            started_at=data.get("started_at"),
            added=int(data.get("added", 0)),
            overrun=float(data.get("overrun", 0.0)),
        )

    def to_dict(self) -> dict:
        return {"counted": round(self.counted, 3), "started_at": self.started_at,
                "added": self.added, "overrun": round(self.overrun, 1)}

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self, now: float | None = None) -> float:
        now = time.time() if now is None else now
        running = max(0.0, now - self.started_at) if self.started_at is not None else 0.0
        return self.counted + running

    @property
    def total(self) -> int:
        return self.planned + self.added * 60

    def remaining(self, now: float | None = None) -> float:
        return self.total - self.elapsed(now)

    def start(self, now: float | None = None) -> None:
        if self.started_at is None:
            self.started_at = time.time() if now is None else now

    def pause(self, now: float | None = None) -> None:
        if self.started_at is not None:
            self.counted = self.elapsed(now)
            self.started_at = None
            self.record_overrun(now)

    def toggle(self, now: float | None = None) -> None:
        if self.running:
            self.pause(now)
        else:
            self.start(now)

    def add_minute(self) -> None:
        self.added += 1

    def record_overrun(self, now: float | None = None) -> None:
        self.overrun = max(self.overrun, -self.remaining(now), 0.0)


def clock(seconds: float) -> str:
    """12:05, or 1:02:05 past the hour; the sign is shown by the caller."""
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
