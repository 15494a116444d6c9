"""A real room server on 127.0.0.1 (ephemeral port) with the memory backend, and clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from goodwork_tui.room.memory_backend import MemoryBackend
from goodwork_tui.room.security import Throttle
from goodwork_tui.room.server import RoomServer

HOSTILE = (
    "<script>alert(1)</script>",
    "[/]",
    "[@click=app.quit]x[/]",
    "\u202egnp.exe <b>bold</b> & \"quotes\" 'single'",
)


def backend(**values: Any) -> MemoryBackend:
    defaults: dict[str, Any] = dict(
        lang="en", session_title="Care team day", round_title="Round 1",
        round_prompt="What would you do?", kinds=("experience", "question"))
    defaults.update(values)
    return MemoryBackend(**defaults)


@asynccontextmanager
async def running(room_backend: MemoryBackend, *, lang: str = "en",
                  throttle: Throttle | None = None) -> AsyncIterator[RoomServer]:
    server = RoomServer(room_backend, "127.0.0.1", 0, lang, throttle=throttle)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def session() -> aiohttp.ClientSession:
    # unsafe=True: the jar keeps cookies of an IP address (the room is reached by IP)
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@asynccontextmanager
async def participant(server: RoomServer) -> AsyncIterator[aiohttp.ClientSession]:
    """A client that joined with the code."""
    async with session() as client:
        async with client.get(f"{server.join_address}/?code={server.code}",
                              allow_redirects=False) as response:
            assert response.status == 303, await response.text()
        yield client


async def post_note(client: aiohttp.ClientSession, server: RoomServer, text: str,
                    client_id: str, **values: Any) -> tuple[int, dict[str, Any]]:
    body = {"client_id": client_id, "text": text, "kind": "", "lens": ""}
    body.update(values)
    async with client.post(f"{server.join_address}/api/notes", json=body) as response:
        return response.status, await response.json()
