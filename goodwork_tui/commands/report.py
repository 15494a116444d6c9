"""`goodwork report [--series NAME] [--since DATE] [--until DATE] [--format md|html]
[-o PATH|-] [--names]`: the patterns across sessions, to hand to a programme."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from .common import emit, sessions_dir, shown_path


def _day(value: str | None, option: str) -> date | None | bool:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        print(f"goodwork: {option} wants a date as YYYY-MM-DD, not {value!r}", file=sys.stderr)
        return False


def run(workspace_option: str | None, *, series: str | None = None, since: str | None = None,
        until: str | None = None, fmt: str = "md", output: str | None = None,
        names: bool = False, lang: str | None = None) -> int:
    from ..core.patterns import collect
    from ..core.patterns_report import render
    from ..core.series import series_key, series_of
    from ..core.session_digest import digests
    from ..core.text import displayable

    start, end = _day(since, "--since"), _day(until, "--until")
    if start is False or end is False:
        return 2
    if isinstance(start, date) and isinstance(end, date) and start > end:
        print("goodwork: --since is after --until", file=sys.stderr)
        return 2
    folder = sessions_dir(workspace_option)
    if folder is None:
        return 2
    patterns = collect(folder, series=series,
                       since=start if isinstance(start, date) else None,
                       until=end if isinstance(end, date) else None,
                       names=names, library=_library(workspace_option), lang=lang)
    if series is not None and not patterns.sessions:  # a typo, or only outside the period?
        known = series_of(digests(folder)[0])  # the digests are cached: a quick second look
        if not any(s.key == series_key(series) for s in known):
            names_known = ", ".join(repr(displayable(s.name)) for s in known) or "none"
            print(f"goodwork: no series {displayable(series)!r} in "
                  f"{displayable(shown_path(folder))} (series: {names_known})",
                  file=sys.stderr)
            return 1
    for problem in patterns.problems:  # named, left out, never hiding the rest
        print(f"goodwork: left out {displayable(shown_path(problem.path))}: "
              f"{displayable(problem.reason)}", file=sys.stderr)
    text = render(patterns, fmt=fmt, lang=lang)
    return emit(text, output, "patterns report")


def _library(workspace_option: str | None) -> Any:
    """The library, for collections and tags; the report goes on without it."""
    from ..core.library_cache import load
    from ..core.workspace import WorkspaceError, resolve

    try:
        return load(resolve(workspace_option).library)
    except (WorkspaceError, OSError):
        return None
