"""How to join the room, for the projector: the address, the join code and a QR code.

The QR code is drawn as plain text in fixed white on black (never markup, never the
theme's colours), so a phone reads it on any theme and any projector. Esc goes back;
the room stays open until "Close the room".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..safe import plain
from ..typed_app import AppAware

if TYPE_CHECKING:
    from ...room.server import RoomServer

QR_STYLE = "#ffffff on #000000"


class RoomJoinScreen(AppAware, Screen[None]):
    DEFAULT_CSS = """
    RoomJoinScreen { align: center middle; }
    RoomJoinScreen #room-join-scroll { width: auto; height: auto; max-height: 100%; }
    RoomJoinScreen #room-join { width: auto; height: auto; }
    RoomJoinScreen #room-join-address { text-style: bold; width: auto; }
    RoomJoinScreen #room-join-code { text-style: bold; width: auto; padding: 0 0 1 0; }
    RoomJoinScreen #room-join-qr { width: auto; height: auto; }
    RoomJoinScreen #room-join-hint { color: $text-muted; width: auto; padding: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="room_join.back")]

    def __init__(self, server: RoomServer) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(id="room-join-scroll"), Vertical(id="room-join"):
            yield Static(plain(t("room.join.address", address=self.server.join_address)),
                         id="room-join-address")
            yield Static(plain(t("room.join.code", code=self.server.code)),
                         id="room-join-code")
            yield Static(id="room-join-qr")
            yield Static(plain(t("room.join.hint")), id="room-join-hint")

    def on_mount(self) -> None:
        self._draw_qr()

    def on_resize(self) -> None:
        self._draw_qr()

    def _draw_qr(self) -> None:
        """Twice the size when the terminal has room for it: read from across the room."""
        small = self.server.qr_text()
        big = doubled(small)
        lines = big.splitlines()
        fits = self.size.width >= len(lines[0]) + 2 and self.size.height >= len(lines) + 6
        self.query_one("#room-join-qr", Static).update(
            Text(big if fits else small, style=QR_STYLE, no_wrap=True))


# a half-block cell: (top light, bottom light)
_CELLS = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}


def doubled(qr: str) -> str:
    """The half-block QR text at twice the size: each module two cells wide, one line
    high (still square on a terminal's cells)."""
    out = []
    for row in qr.splitlines():
        cells = [_CELLS.get(char, (False, False)) for char in row]
        for half in (0, 1):
            out.append("".join("██" if cell[half] else "  " for cell in cells))
    return "\n".join(out)
