"""A demo room on 127.0.0.1 with the memory backend, to look at the pages.

    python -m goodwork_tui.room.demo [--port 8765] [--lang nl] [--moderated] [--voting]

Prints the join address, the code and the QR code; Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .backend import Part
from .memory_backend import MemoryBackend
from .server import DEFAULT_PORT, RoomServer


def demo_backend(lang: str, *, moderated: bool, voting: bool) -> MemoryBackend:
    nl = lang == "nl"
    backend = MemoryBackend(
        lang=lang,
        session_title="Teamdag zorg" if nl else "Care team day",
        round_title="Ronde 2: handelingsmogelijkheden" if nl else "Round 2: action options",
        round_prompt=("Wat zou jij doen? Wat weeg je af?" if nl
                      else "What would you do? What do you weigh?"),
        kinds=("action-option", "value-norm", "question"), moderated=moderated,
        voting_open=voting, dots=3, timer_seconds=12 * 60,
        situation_title="De fusie" if nl else "The merger",
        parts=[Part("Situatie" if nl else "Situation",
                    ("Na de fusie wil de cliënt één werkwijze; de teams verschillen." if nl
                     else "After the merger the client wants one way of working; "
                          "the teams differ."))])
    return backend


async def main(port: int, lang: str, moderated: bool, voting: bool) -> None:
    backend = demo_backend(lang, moderated=moderated, voting=voting)
    server = RoomServer(backend, "127.0.0.1", port, lang)
    await server.start()
    print(f"{server.join_address}  code {server.code}")
    print(f"projector: {server.join_address}/room?code={server.code}")
    print(server.qr_text())
    try:
        while True:  # the projector's timer runs down
            await asyncio.sleep(1)
            if backend.timer_seconds is not None:
                backend.timer_seconds -= 1
    finally:
        await server.stop()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--lang", choices=("nl", "en"), default="en")
    parser.add_argument("--moderated", action="store_true")
    parser.add_argument("--voting", action="store_true")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(args.port, args.lang, args.moderated, args.voting))


if __name__ == "__main__":
    cli()
