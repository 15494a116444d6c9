"""`goodwork library check`."""

from __future__ import annotations

import sys

from .common import plural, shown_path


def check(workspace_option: str | None) -> int:
    """`goodwork library check`: one line per problem, a summary, exit 1 on any problem."""
    from ..core.library import load_library
    from ..core.text import displayable
    from ..core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    library = load_library(workspace.library)
    for problem in library.problems:
        # a file's text may hold escape sequences: shown, never sent to the terminal
        line = f"{shown_path(problem.path)}:{problem.line}: {problem.message}"
        print(displayable(line).replace("\t", " ").replace("\n", " "))
    print(
        f"{plural(len(library.situations), 'situation', 'situations')} in "
        f"{plural(len(library.collections), 'collection', 'collections')}, "
        f"{plural(len(library.problems), 'problem', 'problems')}"
    )
    return 1 if library.problems else 0
