"""Second-screen latency: from a note saved by ANOTHER process to its appearance in
`goodwork room` (the RoomApp, headless, following the session file).

A writer process (tests/room_writer.py) saves N starred notes, a random 0.2-0.6 s apart,
and prints the moment each was on disk; the follower notes when each appears in its
harvest. Prints p50/p95/max against the target (p95 <= 1 s). Also for a session that
already holds many notes (the file read again on each change grows).

    python benchmarks/room_follow.py [--notes 40] [--sizes 0,2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from goodwork_tui.core.session_store import SessionStore  # noqa: E402
from goodwork_tui.core.workspace import Workspace  # noqa: E402

TARGET_P95_S = 1.0
FORMAT = {"id": "f", "title": "Rounds", "rounds": [{"title": "Round", "minutes": 20}]}


async def measure(folder: Path, notes: int, before: int) -> list[float]:
    from textual.widgets import Static

    from goodwork_tui.ui.room_app import RoomApp

    workspace = folder / "ws"
    shutil.copytree(ROOT / "library", workspace / "library")
    with SessionStore.create(workspace / "sessions", title="Bench", format=FORMAT,
                             situations=["grenswerk-lauw-onthaal-en"]) as store:
        for number in range(before):
            store.notes_table.insert({"id": f"old{number}", "seq": number + 1,
                                      "text": f"earlier note {number}", "round": 0,
                                      "starred": number % 10 == 0})
        path = store.path
    app = RoomApp(Workspace(workspace, "option"), folder / "open", "en", session=path)
    seen: dict[int, float] = {}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(0.5)
        writer = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "room_writer.py"), str(path), "notes",
             str(notes), "random"], stdout=subprocess.PIPE, text=True, env=env)
        harvest = app.query_one("#room-harvest-text", Static)
        deadline = time.monotonic() + notes * 1.5 + 10
        while len(seen) < notes and time.monotonic() < deadline:
            text = str(harvest.render())
            now = time.time()
            for number in range(notes):
                if number not in seen and f"• note {number}\n" in text + "\n":
                    seen[number] = now
            await pilot.pause(0.01)
        out, _ = writer.communicate(timeout=30)
    written = {int(n): float(t) for n, t in (line.split() for line in out.splitlines())}
    return [seen[n] - written[n] for n in sorted(written) if n in seen] + \
        [float("inf")] * (len(written) - len(seen))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=40)
    parser.add_argument("--sizes", default="0,2000",
                        help="notes already in the session, comma-separated")
    args = parser.parse_args()
    print(f"{'notes before':>12} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
    for before in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            delays = asyncio.run(measure(Path(folder), args.notes, before))
        ordered = sorted(delays)
        p50 = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        verdict = "ok" if p95 <= TARGET_P95_S else "OVER"
        print(f"{before:>12} {len(ordered):>4} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f} "
              f"{ordered[-1] * 1000:>8.0f}  p95 <= {TARGET_P95_S * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
