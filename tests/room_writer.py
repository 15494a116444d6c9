"""Another process that changes a session, as the facilitator's app would (for the tests
and the benchmark of `goodwork room`): `python room_writer.py SESSION ACTION [ARGS]`.

note TEXT          a note, starred (the room shows starred notes); prints its id
reveal ID LEVEL    the room sees LEVEL parts of situation ID
step N             N rounds on
vote NOTE_ID       one dot more
timer              the round's timer runs
notes COUNT PAUSE  COUNT starred notes "note N", PAUSE seconds apart (or "random":
                   0.2-0.6 s); prints
                   "N <time.time() when it was on disk>" for each
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from goodwork_tui.core.session_store import SessionStore


def main(argv: list[str]) -> None:
    path, action, args = Path(argv[0]), argv[1], argv[2:]
    with SessionStore.open(path) as store:
        assert not store.read_only, "the session is locked"
        if action == "note":
            note = store.add_note(args[0], round=store.current_round)
            store.star_note(note["id"], True)
            print(note["id"])
        elif action == "reveal":
            store.set_reveal(args[0], int(args[1]))
        elif action == "step":
            store.step_round(int(args[0]))
        elif action == "vote":
            store.vote(args[0], 1)
        elif action == "timer":
            store.set_timer(store.current_round, {"counted": 0.0, "started_at": time.time(),
                                                  "added": 0, "overrun": 0.0})
        elif action == "notes":
            for number in range(int(args[0])):
                time.sleep(random.uniform(0.2, 0.6) if args[1] == "random"
                           else float(args[1]))
                note = store.add_note(f"note {number}", round=store.current_round)
                store.star_note(note["id"], True)
                print(number, repr(time.time()), flush=True)
        else:
            raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main(sys.argv[1:])
