"""`goodwork encrypt` and `goodwork decrypt`: a workspace's sessions at rest."""

from __future__ import annotations

import sys

from .common import ask_passphrase, plural, shown_path


def run(workspace_option: str | None, *, encrypting: bool) -> int:
    from ..core import encryption, vault
    from ..core.workspace import WorkspaceError, resolve

    try:
        folder = resolve(workspace_option).sessions
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    if not encrypting and not vault.is_encrypted(folder):
        print("goodwork: the sessions of this workspace are not encrypted", file=sys.stderr)
        return 1
    new = encrypting and not vault.is_encrypted(folder)
    passphrase = ask_passphrase("New passphrase: " if new else "Passphrase: ")
    if passphrase is None:
        print(f"goodwork: a passphrase is needed: set {vault.ENV_VAR} or run this in a "
              "terminal", file=sys.stderr)
        return 2
    if new and vault.passphrase_from_environment() is None:
        again = ask_passphrase("The same passphrase again: ")
        if again != passphrase:
            print("goodwork: the two passphrases differ; nothing was changed", file=sys.stderr)
            return 2
    convert = encryption.encrypt if encrypting else encryption.decrypt
    try:
        result = convert(folder, passphrase)
    except vault.WrongPassphrase:
        print("goodwork: wrong passphrase; nothing was changed", file=sys.stderr)
        return 2
    except (vault.VaultError, OSError) as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 1
    done = "encrypted" if encrypting else "decrypted"
    count = plural(len(result.converted), "session file", "session files")
    already = f" ({result.already} already were)" if result.already else ""
    print(f"goodwork: {count} {done} in {shown_path(folder)}{already}.")
    if encrypting:
        print("goodwork: keep the passphrase safe: without it the sessions cannot be read. "
              "Exported harvests stay readable (they are meant to be shared); the library "
              "is not encrypted.")
    return 0
