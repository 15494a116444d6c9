"""The `goodwork` command. Only `goodwork` with no subcommand imports Textual."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    from .core.session_store import SessionStore


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", metavar="DIR", default=argparse.SUPPRESS,
                        help="the workspace folder (holds library/ and sessions/)")
    common.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS,
                        help="language of the interface (default: from settings, else locale)")

    parser = argparse.ArgumentParser(
        prog="goodwork", parents=[common],
        description="Goed Werk: a workshop companion for the 'beelden van goed werk' method. "
                    "Without a command it opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"goodwork {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    library = commands.add_parser("library", help="work with the situation library")
    library_commands = library.add_subparsers(dest="library_command", metavar="COMMAND",
                                              required=True)
    library_commands.add_parser("check", parents=[common],
                                help="validate every library file; exit 1 on any problem")

    sessions = commands.add_parser("sessions", help="list or show the sessions of the workspace")
    sessions_commands = sessions.add_subparsers(dest="sessions_command", metavar="COMMAND",
                                                required=True)
    sessions_commands.add_parser("list", parents=[common],
                                 help="one line per session; broken files are named")
    show = sessions_commands.add_parser("show", parents=[common],
                                        help="print one session as plain text")
    show.add_argument("ref", metavar="ID",
                      help="a session id (its file name without .json), a path to a .json "
                           "file, or 'latest'")
    return parser


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def library_check(workspace_option: str | None) -> int:
    from .core.library import load_library
    from .core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    library = load_library(workspace.library)
    for problem in library.problems:
        print(f"{_shown(problem.path)}:{problem.line}: {problem.message}")
    print(
        f"{_plural(len(library.situations), 'situation', 'situations')} in "
        f"{_plural(len(library.collections), 'collection', 'collections')}, "
        f"{_plural(len(library.problems), 'problem', 'problems')}"
    )
    return 1 if library.problems else 0


# ----------------------------------------------------------------- goodwork sessions
# Everything printed from a session file goes through `displayable`: a note cannot send
# escape sequences (colours, clear screen, title changes, bidi overrides) to the terminal.


def _sessions_dir(workspace_option: str | None) -> Path | None:
    from .core.workspace import WorkspaceError, resolve

    try:
        return resolve(workspace_option).sessions
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return None


def _tolerant_stdout() -> None:
    """A title in any script must not crash a terminal that cannot show it."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _inline(value: object) -> str:
    """One line of text from a session file: controls made visible, line breaks as spaces."""
    from .core.text import displayable

    return displayable(str(value)).replace("\t", " ").replace("\n", " ")


def sessions_list(workspace_option: str | None) -> int:
    from .core.session_store import list_sessions
    from .core.text import displayable

    sessions_dir = _sessions_dir(workspace_option)
    if sessions_dir is None:
        return 2
    _tolerant_stdout()
    summaries = list_sessions(sessions_dir)
    good = [s for s in summaries if s.problem is None]
    id_width = max((len(_inline(s.id)) for s in summaries), default=0)
    title_width = min(40, max((len(_inline(s.title)) for s in good), default=0))
    for summary in summaries:
        name = _inline(summary.id).ljust(id_width)
        if summary.problem is not None:
            print(f"{name}  BROKEN: {summary.problem} ({displayable(_shown(summary.path))})")
            continue
        mark = "  [archived]" if summary.archived else ""
        print(f"{name}  {_inline(summary.date):<10}  {_inline(summary.title):<{title_width}}  "
              f"{_plural(summary.notes, 'note', 'notes')}, "
              f"{_plural(summary.rounds, 'round', 'rounds')}{mark}")
    archived = sum(1 for s in good if s.archived)
    broken = len(summaries) - len(good)
    print(f"{_plural(len(good), 'session', 'sessions')} ({archived} archived), "
          f"{_plural(broken, 'broken file', 'broken files')} in "
          f"{displayable(_shown(sessions_dir))}")
    return 0


def _note_lines(number: int, note: dict[str, Any], round_title: str = "") -> list[str]:
    from .core.text import displayable

    text = displayable(str(note.get("text", ""))).split("\n")
    lines = [f"  {number}. {text[0]}"] + [f"     {line}" for line in text[1:]]
    tags = [f"{label}: {_inline(note[key])}"
            for key, label in (("kind", "kind"), ("lens", "lens"), ("speaker", "speaker"))
            if note.get(key)]
    if round_title:
        tags.append(f"round: {round_title}")
    if note.get("room_only"):
        tags.append("room only")
    if tags:
        lines.append("     (" + " · ".join(tags) + ")")
    return lines


def _session_lines(store: SessionStore) -> list[str]:
    meta = store.meta
    fmt = meta.get("format") or {}
    rounds = list(fmt.get("rounds") or [])
    order = [i for i in meta.get("round_order") or [] if isinstance(i, int)]
    current = store.current_round
    status = [word for word, flag in (("closed", meta.get("closed")),
                                      ("archived", meta.get("archived"))) if flag]
    lines = [f"Session:      {_inline(store.id)}",
             f"Title:        {_inline(meta.get('title', ''))}",
             f"Date:         {_inline(meta.get('date', ''))}",
             f"Group:        {_inline(meta.get('group', ''))}",
             f"Facilitator:  {_inline(meta.get('facilitator', ''))}",
             f"Format:       {_inline(fmt.get('title', ''))}"]
    if status:
        lines.append(f"Status:       {', '.join(status)}")
    participants = list(meta.get("participants") or [])
    lines.append("Participants:" + ("" if participants else " (none)"))
    for person in participants:
        consent = "yes" if person.get("consent") else "no"
        lines.append(f"  - {_inline(person.get('name', ''))} (consent: {consent})")

    notes = store.notes()
    shown: set[str] = set()

    def title_of(index: object) -> str:
        if isinstance(index, int) and 0 <= index < len(rounds):
            return _inline(rounds[index].get("title", ""))
        return ""

    for position, index in enumerate(order):
        here = [note for note in notes if note.get("round") == index]
        mark = "  (current)" if index == current else ""
        lines += ["", f"Round {position + 1} of {len(order)}: {title_of(index)}{mark}"]
        if not here:
            lines.append("  (no notes)")
        for number, note in enumerate(here, 1):
            lines += _note_lines(number, note)
            shown.add(note.get("id"))
    rest = [note for note in notes if note.get("id") not in shown]
    if rest:
        lines += ["", "Notes outside the session's rounds:" if order else "Notes:"]
        for number, note in enumerate(rest, 1):
            lines += _note_lines(number, note, title_of(note.get("round")))
    lines += ["", f"{_plural(len(notes), 'note', 'notes')}, "
                  f"{_plural(len(order), 'round', 'rounds')}"]
    return lines


def sessions_show(workspace_option: str | None, ref: str) -> int:
    from .core.session_store import SessionError, SessionStore, find_session
    from .core.text import displayable

    sessions_dir = _sessions_dir(workspace_option)
    if sessions_dir is None:
        return 2
    _tolerant_stdout()
    path = find_session(sessions_dir, ref)
    if path is None:
        where = displayable(_shown(sessions_dir))
        what = "no session to show" if ref == "latest" else f"no session {_inline(ref)!r}"
        print(f"goodwork: {what} in {where}; see 'goodwork sessions list'", file=sys.stderr)
        return 1
    try:
        store = SessionStore.open(path, read_only=True)
    except SessionError as error:
        print(f"goodwork: {displayable(str(error))}", file=sys.stderr)
        return 1
    try:
        lines = _session_lines(store)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        print(f"goodwork: {displayable(str(path))}: not a readable session file "
              f"({type(error).__name__})", file=sys.stderr)
        return 1
    finally:
        store.close()
    print("\n".join(lines))
    return 0


def run_app(workspace_option: str | None, lang: str | None) -> int:
    from .core.config import Config
    from .core.i18n import default_language
    from .core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    config = Config.load()
    language = lang or (config.lang if config.lang in ("nl", "en") else None)
    from .ui.app import GoodWorkApp

    app = GoodWorkApp(workspace, config=config, lang=language or default_language())
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    workspace = getattr(args, "workspace", None)
    if args.command == "library":
        return library_check(workspace)
    if args.command == "sessions":
        if args.sessions_command == "list":
            return sessions_list(workspace)
        return sessions_show(workspace, args.ref)
    if not sys.stdout.isatty() and os.environ.get("GOODWORK_ALLOW_NO_TTY") != "1":
        print("goodwork: the app needs a terminal; see 'goodwork --help' for the commands",
              file=sys.stderr)
        return 2
    return run_app(workspace, getattr(args, "lang", None))
