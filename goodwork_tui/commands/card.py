"""`goodwork card SITUATION_ID [--format html|md] [-o PATH] [--dimensions]`."""

from __future__ import annotations

import sys

from .common import emit


def run(workspace_option: str | None, situation_id: str, *, fmt: str = "html",
        output: str | None = None, dimensions: bool = False) -> int:
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
    return emit(text, output, "dialogue card")
