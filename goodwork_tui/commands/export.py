"""`goodwork export SESSION [--format md|html] [-o PATH|-] [--names]`."""

from __future__ import annotations

import sys

from .common import emit, sessions_dir, shown_path


def run(workspace_option: str | None, ref: str, *, fmt: str = "md", output: str | None = None,
        names: bool = False, lang: str | None = None) -> int:
    from ..core.harvest import export
    from ..core.session_store import SessionError, SessionStore, find_session
    from ..core.text import displayable

    folder = sessions_dir(workspace_option)
    if folder is None:
        return 2
    path = find_session(folder, ref)
    if path is None:
        what = "no session to export" if ref == "latest" else f"no session {displayable(ref)!r}"
        print(f"goodwork: {what} in {displayable(shown_path(folder))}; "
              "see 'goodwork sessions list'", file=sys.stderr)
        return 1
    try:
        # read-only: never takes the lock, so an export works while the app has it open
        with SessionStore.open(path, read_only=True) as store:
            text = export(store.meta, store.notes(), fmt=fmt, names=names, lang=lang)
    except SessionError as error:
        print(f"goodwork: {displayable(str(error))}", file=sys.stderr)
        return 1
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError):
        # a file the store let through but that is not shaped as a session: a message,
        # never a traceback
        print(f"goodwork: {displayable(str(path))}: not a readable session file",
              file=sys.stderr)
        return 1
    return emit(text, output, "harvest")
