"""The room under load against the REAL app: 40 phones x 25 notes into the open session.

A headless GoodWorkApp (run_test) opens a session and "Open the room" (on 127.0.0.1, a
free port); 40 simulated participants join with the code and post 25 notes each as fast
as they can, while the facilitator types a note every 50 ms in the session pane. Prints:

- post -> note in the session pane (the pane's note list shows it): p50/p95/max,
  target <= 150 ms p95;
- the facilitator's note input while the room posts (Enter -> note on disk, the input
  cleared): p50/p95/max, target <= 20 ms p95; and the same span in CPU time of the
  app's thread (what it would be if the app had a core to itself: the figure that does
  not move with what else the machine runs);
- whether every acknowledged note is in the session FILE (read back from disk), once.

    python benchmarks/room_app_load.py [--participants 40] [--notes 25] [--moderated]
                                       [--tick SECONDS]  (the room's batch tick)

The phones run in a process of their own (as other machines would), the app and its
room server on the app's loop; on a machine with few cores they still share the CPU,
so the figures are an upper bound. Exit status 0 when nothing was lost or
doubled, 1 otherwise (the targets are printed, not enforced).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from room_load import LoadResult, _post  # noqa: E402

from goodwork_tui.core.config import Config  # noqa: E402
from goodwork_tui.core.session_store import SessionStore  # noqa: E402
from goodwork_tui.core.workspace import Workspace  # noqa: E402
from goodwork_tui.ui.app import GoodWorkApp  # noqa: E402

FORMAT = {"id": "load", "title": "Load", "rounds": [
    {"title": "Tell", "prompt": "What happened?", "minutes": 30, "kinds": ["experience"]}]}
TARGET_PANE_MS, TARGET_INPUT_MS = 150.0, 20.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _phone(base: str, code: str, index: int, notes: int, result: LoadResult,
                 started: dict[str, float], acked: dict[str, str]) -> None:
    class Server:  # what room_load._post needs of a server
        join_address = base

    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar,
                                     connector=aiohttp.TCPConnector(limit=2)) as client:
        async with client.get(f"{base}/?code={code}", allow_redirects=False) as response:
            if response.status != 303:
                raise RuntimeError(f"participant {index} could not join: {response.status}")
        for number in range(notes):
            client_id = f"p{index}-{number}"
            body = {"client_id": client_id, "text": f"note {number} from p{index}",
                    "kind": "experience", "lens": ""}
            started[client_id] = time.perf_counter()
            ack = await _post(client, Server, body, result)  # type: ignore[arg-type]
            result.latencies.append(time.perf_counter() - started[client_id])
            result.statuses[ack["status"]] = result.statuses.get(ack["status"], 0) + 1
            result.acked[(f"p{index}", client_id)] = ack["note_id"]
            acked[client_id] = ack["note_id"]


def phones(base: str, code: str, participants: int, notes: int) -> dict[str, Any]:
    """In the phones' process: every participant at once; what they saw, for JSON."""
    result = LoadResult(participants, notes, 0.0)
    started: dict[str, float] = {}
    acked: dict[str, str] = {}

    async def everyone() -> None:
        await asyncio.gather(*(_phone(base, code, index, notes, result, started, acked)
                               for index in range(participants)))
    begun = time.perf_counter()
    asyncio.run(everyone())
    return {"started": started, "acked": acked, "latencies": result.latencies,
            "statuses": result.statuses, "seconds": time.perf_counter() - begun}


async def run(participants: int, notes: int, moderated: bool, folder: Path,
              tick: float | None = None) -> dict[str, Any]:
    shutil.copytree(ROOT / "library", folder / "library")
    (folder / "sessions").mkdir()
    with SessionStore.create(folder / "sessions", title="Room load", format=FORMAT) as store:
        store.update_meta(room_moderation=moderated)
        path = store.path
    app = GoodWorkApp(Workspace(folder, "option"), config=Config(folder / "config.toml"),
                      lang="en")
    app.animation_level = "none"
    in_pane: dict[str, float] = {}
    typed: list[float] = []
    typed_cpu: list[float] = []  # the app's thread's CPU time over the same span
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        app.sessions.open_file(path)
        await pilot.pause()
        app.room.host, app.room.port = "127.0.0.1", 0
        if tick is not None:
            app.room.backend.flush_every = tick
        assert await app.room.open(), "the room did not open"
        await pilot.press("escape")
        server = app.room.server
        assert server is not None
        pane = app.main.query_one("#session")
        note_list = pane.query_one("#notes")
        queue = pane.query_one("#room-queue-list")

        def watch(widget: Any, method: str) -> None:
            """Note when each note id is first drawn in `widget`."""
            original = getattr(widget, method)

            def drawn(*args: Any, **kwargs: Any) -> Any:
                value = original(*args, **kwargs)
                now = time.perf_counter()
                for option in reversed(widget.options):  # the new ones are at the end
                    if option.id in in_pane:
                        break
                    in_pane[option.id] = now
                return value
            setattr(widget, method, drawn)

        watch(note_list, "show_notes")
        watch(queue, "add_options")
        note_input = pane.query_one("#note-input")
        sessions = app.sessions
        add_note = sessions.add_note
        submitted: dict[str, tuple[float, float]] = {}

        def timed_add(text: str, **fields: Any) -> Any:
            outcome = add_note(text, **fields)
            if text in submitted:
                wall, cpu = submitted.pop(text)
                typed.append(time.perf_counter() - wall)
                typed_cpu.append(time.thread_time() - cpu)
            return outcome
        sessions.add_note = timed_add  # type: ignore[method-assign]

        stop = asyncio.Event()

        async def facilitator() -> None:
            count = 0
            while not stop.is_set():
                text = f"typed by the facilitator {count}"
                count += 1
                note_input.value = text
                submitted[text] = (time.perf_counter(), time.thread_time())
                await note_input.action_submit()
                await asyncio.sleep(0.05)

        typist = asyncio.create_task(facilitator())
        # the phones in a process of their own (they are other machines), not on the
        # app's loop; perf_counter is the system's monotonic clock, the same in both
        child = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--phones", server.join_address, server.code,
            "--participants", str(participants), "--notes", str(notes),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        out, err = await child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"the phones failed: {err.decode(errors='replace')}")
        seen = json.loads(out)
        started, acked = seen["started"], seen["acked"]
        result = LoadResult(participants, notes, seen["seconds"], seen["latencies"],
                            statuses=seen["statuses"])
        result.acked = {("", client_id): note_id for client_id, note_id in acked.items()}
        await pilot.pause()
        stop.set()
        await typist
        await app.room.close(say=False)
    on_disk = json.loads(path.read_text(encoding="utf-8")).get("notes", {}).values()
    ids = [n["id"] for n in on_disk]
    pane_ms = [(in_pane[note_id] - started[client_id]) * 1000
               for client_id, note_id in acked.items() if note_id in in_pane]
    return {"result": result, "lost": [i for i in acked.values() if i not in ids],
            "doubled": len(ids) - len(set(ids)), "pane_ms": pane_ms,
            "never_shown": len(acked) - len(pane_ms),
            "input_ms": [t * 1000 for t in typed],
            "input_cpu_ms": [t * 1000 for t in typed_cpu], "file_notes": len(ids)}


def report(found: dict[str, Any]) -> str:
    result: LoadResult = found["result"]
    rows = [("post -> note in pane", found["pane_ms"], TARGET_PANE_MS),
            ("post -> ack", [t * 1000 for t in result.latencies], None),
            ("note input while the room posts", found["input_ms"], TARGET_INPUT_MS),
            ("  the same, the app's CPU time", found["input_cpu_ms"], None)]
    lines = [f"room against the app: {result.participants} participants x "
             f"{result.notes_each} notes in {result.seconds:.2f} s; "
             f"{found['file_notes']} notes in the session file, "
             f"lost {len(found['lost'])}, doubled {found['doubled']}, "
             f"not in the pane {found['never_shown']}, statuses {result.statuses}",
             f"{'measure':<33} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
             f"{'target p95':>11}  result"]
    for name, values, target in rows:
        p95 = percentile(values, 95)
        verdict = "-" if target is None else ("ok" if p95 <= target else "TOO SLOW")
        lines.append(f"{name:<33} {len(values):>5} {statistics.median(values or [0]):>8.1f} "
                     f"{p95:>8.1f} {max(values, default=0):>8.1f} "
                     f"{'-' if target is None else f'<= {target:.0f}':>11}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--notes", type=int, default=25)
    parser.add_argument("--moderated", action="store_true", help="every note is queued")
    parser.add_argument("--tick", type=float, default=None,
                        help="seconds between the room's batches (default: the app's)")
    parser.add_argument("--json", action="store_true", help="the p95s as JSON")
    parser.add_argument("--phones", nargs=2, metavar=("ADDRESS", "CODE"),
                        help=argparse.SUPPRESS)  # the phones' own process
    args = parser.parse_args(argv)
    if args.phones:
        print(json.dumps(phones(*args.phones, args.participants, args.notes)))
        return 0
    with tempfile.TemporaryDirectory(prefix="goodwork-room-") as folder:
        found = asyncio.run(run(args.participants, args.notes, args.moderated, Path(folder),
                                args.tick))
    if args.json:  # for benchmarks/run.py
        print(json.dumps({"pane_p95": percentile(found["pane_ms"], 95),
                          "input_p95": percentile(found["input_ms"], 95),
                          "input_cpu_p95": percentile(found["input_cpu_ms"], 95),
                          "lost": len(found["lost"]) + found["doubled"]}))
    else:
        print(report(found))
    ok = not found["lost"] and not found["doubled"] and len(found["result"].acked) == \
        args.participants * args.notes
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
