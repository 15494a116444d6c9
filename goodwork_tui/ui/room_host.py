"""The room in the app: "Open the room" starts the web server on Textual's own loop,
"Close the room" stops it, and so does closing the session or the app.

The server and its pages live in goodwork_tui/room/ (no Textual there); this holds the
one running `RoomServer` and the backend on top of the open session (room_backend.py).
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..room.security import Participants
    from ..room.server import RoomServer
    from .app import GoodWorkApp
    from .room_backend import SessionRoomBackend


class RoomHost:
    """One per app (`app.room`). `host` is where the server listens: every address by
    default (phones on the wifi), 127.0.0.1 in tests; `port` None = `[room] port`."""

    def __init__(self, app: GoodWorkApp, host: str = "0.0.0.0", port: int | None = None) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.server: RoomServer | None = None
        self._backend: SessionRoomBackend | None = None
        self._watching = False

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def backend(self) -> SessionRoomBackend:
        if self._backend is None:
            from .room_backend import SessionRoomBackend

            self._backend = SessionRoomBackend(self.app.sessions)
        return self._backend

    async def open(self) -> bool:
        """Start the room (or show it again when it runs); False, with a message, when it
        cannot start."""
        sessions = self.app.sessions
        if not sessions.is_open:
            sessions.tell_no_session()
            return False
        if sessions.read_only:
            sessions.notify("session.read_only_notice", severity="warning")
            return False
        if not self.running:
            from ..room.server import RoomServer

            port = self.port if self.port is not None else self.app.config.room_port
            server = RoomServer(self.backend, host=self.host, port=port, lang=self.app.lang,
                                participants=self._participants())
            try:
                await server.start()
            except OSError as error:
                key = "room.open.port_in_use" if error.errno in (
                    errno.EADDRINUSE, errno.EACCES) else "room.open.failed"
                sessions.notify(key, severity="error", timeout=15, port=port,
                                reason=error.strerror or str(error))
                return False
            self.server = server
            if not self._watching:
                self._watching = True
                sessions.changed.subscribe(self.app, self._session_changed)
        self.show()
        return True

    def _participants(self) -> Participants:
        """Participant ids signed with a key that lasts for this session: a phone that
        joins again after "Close the room" or a restart of the app is the same
        participant (its dots used, its notes not sent twice)."""
        from ..room.security import Participants, lasting_key

        store = self.app.sessions.store
        name = store.path.name if store is not None else ""
        return Participants(lasting_key(self.app.config.path.parent, name) if name else None)

    def show(self) -> None:
        if self.server is None:
            return
        from .screens.room_join import RoomJoinScreen

        if not isinstance(self.app.screen, RoomJoinScreen):
            self.app.push_screen(RoomJoinScreen(self.server))

    async def stop(self) -> bool:
        """Stop listening (the app is quitting); True when the room was open."""
        server, self.server = self.server, None
        if server is None:
            return False
        await server.stop()
        return True

    async def close(self, say: bool = True) -> None:
        if not await self.stop():
            if say:
                self.app.sessions.notify("room.not_open")
            return
        from .screens.room_join import RoomJoinScreen

        for screen in list(self.app.screen_stack):
            if isinstance(screen, RoomJoinScreen) and screen is self.app.screen:
                self.app.pop_screen()
        if say:
            self.app.sessions.notify("room.closed")

    def _session_changed(self, what: str) -> None:
        # a closed session closes the room: no phone writes into the next one unseen
        if what == "closed" and self.server is not None:
            self.app.run_worker(self.close(), exclusive=True, group="room")
