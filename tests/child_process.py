"""Running goodwork in a child process from the tests: its environment, and a run in
which importing Textual fails (the CLI promises not to need it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workspace_helpers import ROOT


def child_env() -> dict[str, str]:
    env = dict(os.environ)  # the isolation fixture's settings, home and language
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"),
                                         env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


NO_TEXTUAL = """
import sys

class NoTextual:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError(f"blocked: {name}")
        return None

sys.meta_path.insert(0, NoTextual())
if sys.argv[1] == "--import-textual":
    import textual  # the control case: the block works
from goodwork_tui.cli import main

code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
if loaded:
    print("textual was imported:", loaded, file=sys.stderr)
    code = 3
sys.exit(code)
"""


def without_textual(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`goodwork ARGS` in a child process that cannot import Textual."""
    return subprocess.run([sys.executable, "-c", NO_TEXTUAL, *args], capture_output=True,
                          cwd=cwd, env=child_env(), timeout=60)
