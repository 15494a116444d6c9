"""`goodwork card SITUATION_ID [--format html|md] [-o PATH] [--dimensions]`."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import shown_path


def run(workspace_option: str | None, situation_id: str, *, fmt: str = "html",
        output: str | None = None, dimensions: bool = False) -> int:
    from ..core.atomic import write_atomic
    from ..core.dialogue_card import CardError, card
    from ..core.library import load_library
    from ..core.text import displayable
    from ..core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    library = load_library(workspace.library)
    try:
        text = card(library, situation_id, fmt=fmt, dimensions=dimensions)
    except CardError as error:
        print(f"goodwork: {displayable(str(error))}", file=sys.stderr)
        return 1
    if output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    target = Path(output)
    try:
        write_atomic(target, text.encode("utf-8"), mode=None if target.exists() else 0o644)
    except OSError as error:
        print(f"goodwork: cannot write {displayable(str(target))}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 1
    print(f"goodwork: dialogue card written to {displayable(shown_path(target))}",
          file=sys.stderr)
    return 0
