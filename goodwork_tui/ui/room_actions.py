"""What the room's palette entries do ("Open the room", "Close the room", moderation,
voting, and the queue's approve / edit / room only / discard)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import GoodWorkApp


def run(app: GoodWorkApp, what: str) -> None:
    sessions = app.sessions
    if what == "open":
        app.run_worker(app.room.open(), exclusive=True, group="room")
    elif what == "close":
        app.run_worker(app.room.close(), exclusive=True, group="room")
    elif not sessions.is_open:
        sessions.tell_no_session()
    elif what in ("moderation", "voting"):
        toggle(app, f"room_{what}")
    else:
        from .widgets.room_queue import RoomQueue

        found = app.main.query(RoomQueue)
        if not found:
            sessions.notify("room.queue.empty")
            return
        found.first().act(what)


def toggle(app: GoodWorkApp, field: str) -> None:
    """Switch a room setting of the session (stored in the session record) and say so."""
    sessions = app.sessions
    value = not sessions.meta.get(field)
    if sessions.change("meta", "update_meta", **{field: value}):
        sessions.notify(f"room.{field}.{'on' if value else 'off'}")
