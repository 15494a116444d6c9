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
    elif what == "dots":
        app.run_worker(ask_dots(app), exclusive=True, group="dialog")
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


MAX_DOTS = 20


async def ask_dots(app: GoodWorkApp) -> None:
    """How many dots each participant may put on the room's notes (1 to 20)."""
    from .room_backend import DEFAULT_DOTS
    from .screens.prompt import FieldsScreen

    sessions, t = app.sessions, app.t
    current = sessions.meta.get("room_dots", DEFAULT_DOTS)
    answer = await app.push_screen_wait(FieldsScreen(
        t("cmd.room_dots"), t("room.dots.hint", limit=MAX_DOTS), [t("room.dots.label")],
        [str(current)], need=t("room.dots.bad", limit=MAX_DOTS)))
    if answer is None:
        return
    typed = answer[0]
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_DOTS:
        sessions.notify("room.dots.bad", severity="warning", limit=MAX_DOTS)
        return
    if sessions.change("meta", "update_meta", room_dots=int(typed)):
        sessions.notify("room.dots.set", count=int(typed))
