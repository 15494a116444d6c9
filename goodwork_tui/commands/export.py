"""`goodwork export SESSION [--format md|html] [-o PATH|-] [--names]`."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import sessions_dir, shown_path


def run(workspace_option: str | None, ref: str, *, fmt: str = "md", output: str | None = None,
        names: bool = False, lang: str | None = None) -> int:
    from ..core.atomic import write_atomic
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
    if output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    target = Path(output)
    try:
        # a new file is made to be shared (0o644); an existing one keeps its mode
        write_atomic(target, text.encode("utf-8"),
                     mode=None if target.exists() else 0o644)
    except OSError as error:
        print(f"goodwork: cannot write {displayable(str(target))}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 1
    print(f"goodwork: harvest written to {displayable(shown_path(target))}", file=sys.stderr)
    return 0
