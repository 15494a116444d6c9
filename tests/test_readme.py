"""README's two commands are the contract with a fresh machine; CI must run the same."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_commands = [b.strip() for b in _shell_blocks(readme) if "pytest" in b]
    assert len(test_commands) == 1, "README has one test command"
    ci_lines = [line.strip() for line in ci.splitlines() if line.strip() and
                not line.lstrip().startswith("#")]
    assert test_commands[0] in ci_lines


def test_readme_install_command_opens_the_app():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.strip() for b in _shell_blocks(readme)]
    assert any("pip install ." in b and b.endswith("goodwork") for b in blocks)
