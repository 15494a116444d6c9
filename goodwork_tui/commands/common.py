"""Helpers shared by the plain-text commands. No Textual here."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where possible."""
    # abspath, not resolve: a path may be a link that loops
    try:
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute, os.getcwd())
    except (ValueError, OSError):
        return str(path)
    return absolute if relative.startswith("..") else relative


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def sessions_dir(workspace_option: str | None) -> Path | None:
    from ..core.workspace import WorkspaceError, resolve

    try:
        return resolve(workspace_option).sessions
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return None


def tolerant_stdout() -> None:
    """A title in any script must not crash a terminal that cannot show it."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def inline(value: object) -> str:
    """One line of text from a session file: controls made visible, line breaks as spaces."""
    from ..core.text import displayable

    return displayable(str(value)).replace("\t", " ").replace("\n", " ")
