"""Keeping the room to the people in it: code checks, slowing down guessers, headers.

The threat model is in docs/security.md ("The room on the local network").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from goodwork_tui.core.atomic import write_atomic

MAX_BODY = 8 * 1024  # bytes of a request body: a 1,000-character note of emoji (4 bytes each) fits
MAX_NOTE = 1000  # characters of a note
MAX_NAME = 80  # characters of a name
MAX_CLIENT_ID = 64

CODE_COOKIE = "gw_code"
PARTICIPANT_COOKIE = "gw_participant"

FREE_TRIES = 5  # wrong codes per client address before it is slowed down
WINDOW = 600.0  # seconds a wrong try is remembered
MAX_WAIT = 300.0  # the longest one address is made to wait
GLOBAL_TRIES = 60  # wrong codes from all addresses together ...
GLOBAL_WINDOW = 60.0  # ... per this many seconds, before every try is refused for a while

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def same_code(given: str, code: str) -> bool:
    """Constant time: how much of a guess was right never shows in the timing."""
    return hmac.compare_digest(given.encode("utf-8"), code.encode("utf-8"))


def valid_client_id(value: object) -> bool:
    return isinstance(value, str) and bool(_CLIENT_ID.match(value))


@dataclass
class Throttle:
    """Wrong join codes: a few are free, then each address waits longer; a global cap.

    `wait(address)` says how many seconds that address must wait before its next try
    (0: it may try now). `clock` is injectable for the tests.
    """

    clock: Callable[[], float] = time.monotonic
    _wrong: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    _blocked_until: dict[str, float] = field(default_factory=dict)
    _global_until: float = 0.0

    def wait(self, address: str) -> float:
        now = self.clock()
        waits = [self._global_until - now, self._blocked_until.get(address, 0.0) - now]
        return max(0.0, *waits)

    def wrong(self, address: str) -> None:
        now = self.clock()
        tries = self._wrong.setdefault(address, deque())
        tries.append(now)
        while tries and tries[0] < now - WINDOW:
            tries.popleft()
        if len(tries) >= FREE_TRIES:
            delay = min(MAX_WAIT, 2.0 ** (len(tries) - FREE_TRIES + 1))
            self._blocked_until[address] = now + delay
        self._all.append(now)
        while self._all and self._all[0] < now - GLOBAL_WINDOW:
            self._all.popleft()
        if len(self._all) >= GLOBAL_TRIES:
            self._global_until = now + GLOBAL_WINDOW
        if len(self._wrong) > 10_000:  # a flood of addresses: forget the oldest
            self._wrong.pop(next(iter(self._wrong)))
        if len(self._blocked_until) > 10_000:
            self._blocked_until = {a: t for a, t in self._blocked_until.items() if t > now}

    def right(self, address: str) -> None:
        self._wrong.pop(address, None)
        self._blocked_until.pop(address, None)


class Participants:
    """Participant ids handed out after the code: random, and signed so none is made up.

    `key` signs them; the app gives one that lasts (see `lasting_key`), so a phone keeps
    its participant id (its dots, its resends) when the room or the app is restarted."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def new(self) -> str:
        ident = secrets.token_urlsafe(12)
        return f"{ident}.{self._sign(ident)}"

    def check(self, cookie: str | None) -> str | None:
        """The participant id in a cookie we signed, or None."""
        if not cookie or len(cookie) > 100 or "." not in cookie:
            return None
        ident, _, signature = cookie.partition(".")
        return ident if hmac.compare_digest(signature, self._sign(ident)) else None

    def _sign(self, ident: str) -> str:
        return hmac.new(self._key, ident.encode(), hashlib.sha256).hexdigest()[:32]


KEY_FILE = "room.key"


def lasting_key(folder: Path, name: str) -> bytes | None:
    """The key that signs the participant ids of one session (`name`): derived from a
    secret kept in `folder` (the app's settings, never in the session file, which may
    be shared), made once and readable by its owner only. None when the folder cannot
    keep it: the ids then last as long as the room."""
    path = folder / KEY_FILE
    try:
        secret = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        secret = ""
    except (OSError, UnicodeDecodeError):
        return None
    if not re.fullmatch(r"[0-9a-f]{64}", secret):
        secret = secrets.token_hex(32)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, secret.encode("ascii"), mode=0o600)
        except OSError:
            return None
    return hmac.new(bytes.fromhex(secret), name.encode("utf-8"), hashlib.sha256).digest()


def security_headers(style_hash: str) -> dict[str, str]:
    """Headers on every answer. No inline script; the one stylesheet by its hash."""
    csp = ("default-src 'none'; script-src 'self'; connect-src 'self'; "
           f"style-src '{style_hash}'; img-src 'self'; form-action 'self'; "
           "base-uri 'none'; frame-ancestors 'none'")
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
