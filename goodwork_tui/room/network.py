"""Where the room can be reached: the LAN address, the join code and its QR code."""

from __future__ import annotations

import ipaddress
import secrets
import socket

# No 0/O, 1/I/L: a code read off a projector is typed without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

# Private addresses to "connect" a UDP socket to: connect() on UDP sends nothing, it only
# makes the kernel choose the route and so the source address we would use.
_PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code: case, spaces and dashes do not matter."""
    return "".join(typed.split()).replace("-", "").upper()[:32]


def lan_address() -> str:
    """This machine's address on the local network, found without sending traffic."""
    for probe in _PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
        except OSError:
            continue
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not ip.is_loopback and not ip.is_unspecified:
            return address
    return "127.0.0.1"


def qr_text(data: str, *, border: int = 4) -> str:
    """The QR code of `data` as terminal text, two module rows per line (half blocks).

    Light modules (and the quiet zone) are drawn as blocks, dark ones as spaces: show it
    with a fixed light foreground on a dark background (e.g. "#ffffff on #000000") and a
    phone reads it on any theme and projector.
    """
    import segno  # only when a room is opened

    qr = segno.make(data, error="m", boost_error=False)
    rows = [[not dark for dark in row] for row in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append("".join(_HALF[(t, b)] for t, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)


_HALF = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
