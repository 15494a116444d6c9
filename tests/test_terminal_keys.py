"""Keys that reach the app all at once in a real terminal (tmux send-keys in one call, a
key macro, a fast typist while the app is busy): each lands where it was typed. The app
runs in tmux, 80x24, as a facilitator starts it; the keys of a whole start (new session,
its form, ctrl+s, three notes) are sent in one go."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from child_process import child_env

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

KEYS = ["C-n", "Intervisie januari", "Tab", "Tab", "Samira", "Tab", "Team Oost", "Tab",
        "Intervisie team Oost 2027", "C-s",
        "first note here", "Enter", "+doet second note there", "Enter", "third", "Enter"]


def wait_for(check, what: str, timeout: float = 30.0):  # noqa: ANN001, ANN201
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_whole_start_typed_in_one_go_lands_where_it_was_typed(workspace_dir: Path,
                                                                tmp_path: Path) -> None:
    tmux = ["tmux", "-S", str(tmp_path / "tmux.sock")]
    command = shlex.join([sys.executable, "-m", "goodwork_tui", "--workspace",
                          str(workspace_dir)])
    env = child_env()
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24",
                    command], check=True, env=env)
    try:
        def screen() -> str:
            return subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True,
                                  text=True, env=env).stdout

        wait_for(lambda: "palette" in screen(), "the app to start")
        subprocess.run([*tmux, "send-keys", *KEYS], check=True, env=env)

        def session() -> dict | None:
            files = list((workspace_dir / "sessions").glob("*.json"))
            if len(files) != 1:
                return None
            try:
                data = json.loads(files[0].read_text(encoding="utf-8"))
            except ValueError:  # being written
                return None
            return data if len(data.get("notes", {})) == 3 else None

        data = wait_for(session, "the session with three notes")
        meta = data["session"]["1"]
        assert (meta["title"], meta["facilitator"], meta["group"], meta["series"]) == (
            "Intervisie januari", "Samira", "Team Oost", "Intervisie team Oost 2027")
        notes = sorted(data["notes"].values(), key=lambda note: note["seq"])
        assert [(n["text"], n["lens"]) for n in notes] == [
            ("first note here", ""), ("second note there", "ethical"), ("third", "")]
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, env=env)
