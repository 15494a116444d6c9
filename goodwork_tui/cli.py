"""The `goodwork` command. Only `goodwork` with no subcommand imports Textual."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from . import __version__


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
    export = commands.add_parser(
        "export", parents=[common],
        help="write the harvest of a session as Markdown or HTML (anonymous by default)")
    export.add_argument("ref", metavar="SESSION",
                        help="a session id, a path to a session file, or 'latest'")
    export.add_argument("--format", choices=("md", "html"), default="md",
                        help="Markdown (default) or printable HTML")
    export.add_argument("-o", "--output", metavar="PATH",
                        help="where to write; '-' for standard output (the default)")
    export.add_argument("--names", action="store_true",
                        help="name the participants who consented (others stay anonymous)")
    sync = commands.add_parser(
        "sync", parents=[common],
        help="share the workspace with colleagues through git: commit, fetch, integrate, push "
             "(the library and exported harvests; raw sessions only if share_sessions = true)")
    how = sync.add_mutually_exclusive_group()
    how.add_argument("--init", metavar="REMOTE",
                     help="make this workspace a shared one, with REMOTE as the shared repository")
    how.add_argument("--clone", nargs=2, metavar=("REMOTE", "DIR"),
                     help="copy a shared workspace into the new folder DIR")
    card = commands.add_parser(
        "card", parents=[common],
        help="a printable dialogue card for one situation: the story and the reflection "
             "questions, no images (one A4 page of HTML, or Markdown)")
    card.add_argument("situation", metavar="SITUATION_ID", help="the situation's id")
    card.add_argument("--format", choices=("html", "md"), default="html",
                      help="printable HTML (default) or Markdown")
    card.add_argument("-o", "--output", metavar="PATH",
                      help="where to write; '-' for standard output (the default)")
    card.add_argument("--dimensions", action="store_true",
                      help="print the five dimensions too (they tend to list the options)")
    report = commands.add_parser(
        "report", parents=[common],
        help="the patterns across sessions (a series, or all sessions in a period) as "
             "Markdown or printable HTML, to hand to a programme (anonymous by default)")
    report.add_argument("--series", metavar="NAME", help="only the sessions of this series")
    report.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD)")
    report.add_argument("--until", metavar="DATE", help="up to and including this day")
    report.add_argument("--format", choices=("md", "html"), default="md",
                        help="Markdown (default) or printable HTML")
    report.add_argument("-o", "--output", metavar="PATH",
                        help="where to write; '-' for standard output (the default)")
    report.add_argument("--names", action="store_true",
                        help="name the agreements' owners who consented (others stay anonymous)")
    commands.add_parser(
        "encrypt", parents=[common],
        help="encrypt the workspace's sessions and reflections with a passphrase "
             "(asked, or $GOODWORK_PASSPHRASE); the library and exports stay plain")
    commands.add_parser("decrypt", parents=[common],
                        help="turn an encrypted workspace's sessions back into plain files")
    room = commands.add_parser(
        "room", parents=[common],
        help="the room view on a second screen (a projector): follows the session the "
             "app has open, read-only; opens a terminal interface")
    room.add_argument("--session", metavar="ID",
                      help="follow this session (its id or file name) instead")
    return parser


def run_room(workspace_option: str | None, lang: str | None, session: str | None) -> int:
    """`goodwork room [--session ID]`: a read-only second screen (see ui/room_app.py)."""
    from .commands.common import unlock_sessions
    from .core.config import Config
    from .core.i18n import default_language
    from .core.session_store import find_session
    from .core.text import displayable
    from .core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    if not unlock_sessions(workspace.sessions):  # an encrypted workspace: the passphrase
        return 2
    path = None
    if session is not None:
        path = find_session(workspace.sessions, session)
        if path is None:
            print(f"goodwork: no session {displayable(session)!r} in "
                  f"{displayable(str(workspace.sessions))}; see 'goodwork sessions list'",
                  file=sys.stderr)
            return 1
    config = Config.load()
    language = lang or (config.lang if config.lang in ("nl", "en") else None)
    from .ui.room_app import RoomApp

    app = RoomApp(workspace, config.path.parent / "open", language or default_language(),
                  session=path)
    app.run()
    return app.return_code or 0


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
    from .ui import collector

    collector.pause()  # Textual's import and the first screen: see collector.py
    # temp files of a write cut short by a kill: cleared beside the start, not before it
    import threading

    from .core.atomic import remove_stale_temps

    threading.Thread(target=remove_stale_temps, args=(workspace.sessions,), daemon=True,
                     name="stale-temps").start()
    from .ui.app import GoodWorkApp

    app = GoodWorkApp(workspace, config=config, lang=language or default_language())
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # `goodwork sessions list | head`: the reader left; that is not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    workspace = getattr(args, "workspace", None)
    if args.command == "library":
        from .commands import library

        return library.check(workspace)
    if args.command == "sessions":
        from .commands import sessions

        if args.sessions_command == "list":
            return sessions.list_sessions_command(workspace)
        return sessions.show(workspace, args.ref)
    if args.command == "export":
        from .commands import export

        return export.run(workspace, args.ref, fmt=args.format, output=args.output,
                          names=args.names, lang=getattr(args, "lang", None))
    if args.command == "card":
        from .commands import card

        return card.run(workspace, args.situation, fmt=args.format, output=args.output,
                        dimensions=args.dimensions)
    if args.command == "report":
        from .commands import report

        return report.run(workspace, series=args.series, since=args.since, until=args.until,
                          fmt=args.format, output=args.output, names=args.names,
                          lang=getattr(args, "lang", None))
    if args.command in ("encrypt", "decrypt"):
        from .commands import crypt

        return crypt.run(workspace, encrypting=args.command == "encrypt")
    if args.command == "sync":
        from .commands import sync

        return sync.run(workspace, lang=getattr(args, "lang", None), init=args.init,
                        clone=args.clone)
    if not sys.stdout.isatty() and os.environ.get("GOODWORK_ALLOW_NO_TTY") != "1":
        print("goodwork: the app needs a terminal; see 'goodwork --help' for the commands",
              file=sys.stderr)
        return 2
    if args.command == "room":
        return run_room(workspace, getattr(args, "lang", None), args.session)
    return run_app(workspace, getattr(args, "lang", None))
