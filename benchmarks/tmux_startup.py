"""Start-up as a user sees it: a real terminal (tmux, 120x40), from launch until the
footer is on the screen, Goed Werk against a bare Textual app (Header + Footer) in the
same interpreter. The two alternate, run for run, so that other load on the machine hits
both alike; the figure is the ratio of the medians.

Each run starts a new tmux session on a tmux server of its own (`-L`), then reads the
pane (`capture-pane`) every few milliseconds until the footer's text is there. The
reading costs a little CPU, the same for both apps.

    python benchmarks/tmux_startup.py [--runs 9] [--workspace DIR]

Without --workspace, the starter library is copied into a temporary workspace. Caches,
settings and byte-code go into a temporary folder, never into the user's or the source
tree's; one warm-up run of each app fills them first, so every measured run starts from
byte-code, as an installed program does (PYTHONDONTWRITEBYTECODE is unset for it).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SIZE = (120, 40)
FOOTER_TEXT = "palette"  # the command palette's key, at the right of both footers
TIMEOUT = 30.0  # seconds: a start that never draws its footer fails the run

BARE = """\
from textual.app import App
from textual.widgets import Footer, Header


class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()


Bare().run()
"""


class Terminal:
    """A tmux server of our own; each `start_time` runs one command in a fresh window."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.name = name
        self.runs = 0
        # a window that stays open keeps the server running between runs: otherwise each
        # run would also time the start of a tmux server
        self.tmux("new-session", "-d", "-s", f"{name}-keep", "-x", str(SIZE[0]),
                  "-y", str(SIZE[1]), "sleep 3600")

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=check)
        return done.stdout

    def start_time(self, command: str, env: dict[str, str]) -> float:
        """Seconds from launching `command` until the footer shows in the pane."""
        self.runs += 1
        session = f"{self.name}-{self.runs}"
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", session, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                  f"env -u PYTHONDONTWRITEBYTECODE {assignments} {command}")
        try:
            while time.perf_counter() - started < TIMEOUT:
                screen = self.tmux("capture-pane", "-p", "-t", session, check=False)
                lines = screen.rstrip("\n").splitlines()
                if lines and FOOTER_TEXT in lines[-1]:
                    return time.perf_counter() - started
                time.sleep(0.004)
            raise RuntimeError(f"no footer after {TIMEOUT} s:\n{screen}")
        finally:
            self.tmux("kill-session", "-t", session, check=False)

    def close(self) -> None:
        self.tmux("kill-server", check=False)


def measure(workspace: Path, runs: int, scratch: Path,
            name: str = f"gw-startup-{os.getpid()}") -> tuple[list[float], list[float]]:
    """(bare app seconds, Goed Werk seconds), `runs` each, alternating."""
    bare_file = scratch / "bare_app.py"
    bare_file.write_text(BARE, encoding="utf-8")
    env = {"GOODWORK_CACHE": str(scratch / "cache"),
           "GOODWORK_CONFIG": str(scratch / "settings.toml"),
           "PYTHONPYCACHEPREFIX": str(scratch / "pycache"),
           "PYTHONPATH": str(ROOT)}
    bare_cmd = f"{shlex.quote(PY)} {shlex.quote(str(bare_file))}"
    ours_cmd = (f"{shlex.quote(PY)} -m goodwork_tui --workspace {shlex.quote(str(workspace))}"
                " --lang en")
    terminal = Terminal(name)
    try:
        for command in (bare_cmd, ours_cmd):  # warm: byte-code, library cache
            terminal.start_time(command, env)
        bare, ours = [], []
        for _ in range(runs):
            bare.append(terminal.start_time(bare_cmd, env))
            ours.append(terminal.start_time(ours_cmd, env))
        return bare, ours
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--workspace", help="default: a copy of the starter library")
    parser.add_argument("--name", default=f"gw-startup-{os.getpid()}",
                        help="tmux server and session name prefix")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    with tempfile.TemporaryDirectory(prefix="goodwork-tmux-") as tmp:
        scratch = Path(tmp)
        workspace = Path(args.workspace) if args.workspace else scratch / "workspace"
        if not args.workspace:
            shutil.copytree(ROOT / "library", workspace / "library")
        bare, ours = measure(workspace, args.runs, scratch, args.name)
    print(f"tmux {SIZE[0]}x{SIZE[1]}, launch → footer drawn, {args.runs} runs each, "
          "alternating, seconds")
    for label, values in (("bare Textual app", bare), ("goodwork", ours)):
        print(f"  {label:<18} min {min(values):.3f}  median {statistics.median(values):.3f}"
              f"  max {max(values):.3f}")
    print(f"  ratio of medians: {statistics.median(ours) / statistics.median(bare):.2f}×")


if __name__ == "__main__":
    main()
