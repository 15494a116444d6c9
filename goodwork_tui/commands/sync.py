"""`goodwork sync`: share the workspace with colleagues through git."""

from __future__ import annotations

import sys
from pathlib import Path


def run(workspace_option: str | None, *, lang: str | None, init: str | None = None,
        clone: list[str] | None = None) -> int:
    from ..core import sync
    from ..core.i18n import Catalog

    t = Catalog(lang or "en")

    def progress(step: str) -> None:
        if sys.stderr.isatty():
            print(t(f"sync.step.{step}"), file=sys.stderr, flush=True)

    if clone:
        remote, folder = clone
        result = sync.clone(remote, Path(folder).expanduser(), progress=progress)
        if result.ok:
            print(t("sync.cloned", folder=folder, count=len(result.received)))
            return 0
        print(sync.describe(result, t), file=sys.stderr)
        return 1
    from ..core.workspace import WorkspaceError, resolve

    try:
        workspace = resolve(workspace_option)
    except WorkspaceError as error:
        print(f"goodwork: {error}", file=sys.stderr)
        return 2
    if init:
        result = sync.init(workspace.root, init, progress=progress)
        if result.ok:
            print(t("sync.initialised", remote=init))
    else:
        result = sync.sync(workspace.root, progress=progress)
    line = sync.describe(result, t)
    print(line, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
