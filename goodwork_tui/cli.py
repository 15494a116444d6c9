"""The `goodwork` command. Only `goodwork` with no subcommand imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
    if not sys.stdout.isatty() and os.environ.get("GOODWORK_ALLOW_NO_TTY") != "1":
        print("goodwork: the app needs a terminal; see 'goodwork --help' for the commands",
              file=sys.stderr)
        return 2
    return run_app(workspace, getattr(args, "lang", None))
