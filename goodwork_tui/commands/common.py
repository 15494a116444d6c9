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
    """The workspace's sessions folder, unlocked when it is encrypted; None (with the
    reason printed) when it cannot be used."""
    from ..core.workspace import WorkspaceError, resolve

    try:
        folder = resolve(workspace_option).sessions
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return None
    return folder if unlock_sessions(folder) else None


def ask_passphrase(prompt: str = "Passphrase: ") -> str | None:
    """$GOODWORK_PASSPHRASE for scripts, else asked (not echoed) on a terminal."""
    from ..core.vault import passphrase_from_environment

    passphrase = passphrase_from_environment()
    if passphrase is None and sys.stdin.isatty():
        import getpass

        try:
            passphrase = getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return None
    return passphrase


def unlock_sessions(folder: Path) -> bool:
    """Unlock an encrypted sessions folder for this command; False (said why) if not."""
    from ..core import vault

    if not vault.is_encrypted(folder) or vault.unlocked(folder) is not None:
        return True
    passphrase = ask_passphrase("Passphrase of the encrypted sessions: ")
    if passphrase is None:
        print("goodwork: the sessions are encrypted: set GOODWORK_PASSPHRASE or run this "
              "in a terminal to be asked for the passphrase", file=sys.stderr)
        return False
    try:
        vault.unlock_folder(folder, passphrase)
    except vault.WrongPassphrase:
        print("goodwork: wrong passphrase; nothing was read or written", file=sys.stderr)
        return False
    except vault.VaultError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return False
    return True


def tolerant_stdout() -> None:
    """A title in any script must not crash a terminal that cannot show it."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def inline(value: object) -> str:
    """One line of text from a session file: controls made visible, line breaks as spaces."""
    from ..core.text import displayable

    return displayable(str(value)).replace("\t", " ").replace("\n", " ")


def emit(text: str, output: str | None, what: str) -> int:
    """Write a command's result to standard output ('-' or no -o) or to a file, atomically;
    a new file is made to be shared (0o644), an existing one keeps its mode."""
    from ..core.atomic import write_atomic
    from ..core.text import displayable

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
    print(f"goodwork: {what} written to {displayable(shown_path(target))}", file=sys.stderr)
    return 0

