"""The room under load on loopback: many participants posting notes as fast as they can.

40 simulated participants (each its own client, cookies and participant id) join with
the code and each post 25 notes back to back, all at once, against the room server with
the memory backend. Bounded in count and in time. Checks that nothing is lost (every
acknowledged note is in the backend) and nothing is doubled, and prints p50/p95/max
from post to acknowledgement.

    python benchmarks/room_load.py [--participants 40] [--notes 25] [--time-limit 60]

Server and clients share one process and one loop (as the app's loop would also be
busy): the figures include the clients' own work, so they are an upper bound for the
server. Exit status 0 when nothing was lost or doubled, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goodwork_tui.room.memory_backend import MemoryBackend  # noqa: E402
from goodwork_tui.room.server import RoomServer  # noqa: E402


@dataclass
class LoadResult:
    participants: int
    notes_each: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, post to ack
    acked: dict[tuple[str, str], str] = field(default_factory=dict)  # (who, client id) -> id
    statuses: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    retries: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged but not in the backend
    doubled: list[tuple[str, str]] = field(default_factory=list)  # one client id, two notes

    def percentile(self, p: float) -> float:
        values = sorted(self.latencies)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]

    def report(self) -> str:
        ms = 1000.0
        total = self.participants * self.notes_each
        return "\n".join([
            f"room load: {self.participants} participants x {self.notes_each} notes "
            f"= {total} posts in {self.seconds:.2f} s "
            f"({len(self.latencies) / max(self.seconds, 1e-9):.0f} acks/s)",
            f"  post -> ack: p50 {self.percentile(50) * ms:.1f} ms, "
            f"p95 {self.percentile(95) * ms:.1f} ms, "
            f"max {max(self.latencies, default=0) * ms:.1f} ms, "
            f"mean {statistics.fmean(self.latencies or [0]) * ms:.1f} ms",
            f"  acknowledged {len(self.acked)} ({self.statuses}), refused {self.refused}, "
            f"resent {self.retries}, lost {len(self.lost)}, doubled {len(self.doubled)}",
        ])


async def _participant(server: RoomServer, index: int, notes: int, result: LoadResult,
                       *, send_twice: bool) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(limit=2)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector) as client:
        async with client.get(f"{server.join_address}/?code={server.code}",
                              allow_redirects=False) as response:
            if response.status != 303:
                raise RuntimeError(f"participant {index} could not join: {response.status}")
        who = f"p{index}"
        for number in range(notes):
            client_id = f"{who}-{number}"
            body = {"client_id": client_id, "text": f"note {number} from {who}",
                    "kind": "experience", "lens": ""}
            started = time.perf_counter()
            ack = await _post(client, server, body, result)
            if send_twice:  # the same note again at once, as a phone that resends
                again = await asyncio.gather(*(_post(client, server, body, result)
                                               for _ in range(2)))
                assert all(a["note_id"] == ack["note_id"] for a in again), (ack, again)
            result.latencies.append(time.perf_counter() - started)
            status = ack["status"]
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.acked[(who, client_id)] = ack["note_id"]


async def _post(client: aiohttp.ClientSession, server: RoomServer, body: dict,
                result: LoadResult) -> dict:
    """Post until acknowledged; a dropped connection is resent with the same client id."""
    for attempt in range(5):
        try:
            async with client.post(f"{server.join_address}/api/notes", json=body) as response:
                data = await response.json()
                if response.status == 200:
                    return data
                result.refused += 1
                raise RuntimeError(f"refused: {response.status} {data}")
        except (TimeoutError, aiohttp.ClientConnectionError):
            result.retries += 1
            await asyncio.sleep(0.05 * (attempt + 1))
    raise RuntimeError("no acknowledgement after 5 tries")


async def run_load(participants: int = 40, notes: int = 25, *, time_limit: float = 60.0,
                   backend: MemoryBackend | None = None,
                   send_twice: bool = False) -> LoadResult:
    room = backend or MemoryBackend(round_title="Load", kinds=("experience",))
    server = RoomServer(room, "127.0.0.1", 0, "en")
    await server.start()
    result = LoadResult(participants, notes, 0.0)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*(
            _participant(server, index, notes, result, send_twice=send_twice)
            for index in range(participants))), timeout=time_limit)
    finally:
        result.seconds = time.perf_counter() - started
        await server.stop()
    stored: dict[tuple[str, str], list[str]] = {}
    by_id = {}
    for note in room.notes:
        by_id[note.id] = note
        stored.setdefault((note.client_id, note.text), []).append(note.id)
    result.lost = [note_id for note_id in result.acked.values() if note_id not in by_id]
    result.doubled = [key for key, ids in stored.items() if len(ids) > 1]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--notes", type=int, default=25)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--moderated", action="store_true", help="every note is queued")
    args = parser.parse_args(argv)
    backend = MemoryBackend(round_title="Load", kinds=("experience",),
                            moderated=args.moderated)
    result = asyncio.run(run_load(args.participants, args.notes, time_limit=args.time_limit,
                                  backend=backend))
    print(result.report())
    complete = len(result.acked) == args.participants * args.notes
    return 0 if complete and not result.lost and not result.doubled else 1


if __name__ == "__main__":
    raise SystemExit(main())
