"""Find the workspace: a folder holding library/ and sessions/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "GOODWORK_WORKSPACE"
APP_NAME = "goodwork"


class WorkspaceError(Exception):
    """A workspace that was asked for cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path
    origin: str  # "option", "environment", "found" or "user"

    @property
    def library(self) -> Path:
        return self.root / "library"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"


def _is_situation_file(path: Path) -> bool:
    return path.suffix.lower() == ".md" and path.name.lower() not in ("_collection.md",
                                                                      "readme.md")


def has_situations(library: Path) -> bool:
    """True when library/ holds at least one situation file inside a collection folder."""
    try:
        for folder in library.iterdir():
            if (
                folder.is_dir()
                and not folder.name.startswith((".", "_"))
                and folder.name != "formats"
                and any(_is_situation_file(p) for p in folder.iterdir())
            ):
                return True
    except OSError:
        return False
    return False


def starter_library() -> Path | None:
    """The library shipped with the program: inside the wheel, or beside the source tree."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "starter" / "library", package.parent / "library"):
        if has_situations(candidate):
            return candidate
    return None


def user_workspace_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "workspace"


def _explicit(path: str, origin: str) -> Workspace:
    root = Path(path).expanduser()
    if not root.is_dir():
        raise WorkspaceError(f"the workspace folder {root} does not exist")
    return Workspace(root.resolve(), origin)


def find_upwards(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if has_situations(folder / "library"):
            return folder
    return None


def seed_user_workspace(root: Path) -> None:
    """Create the per-user workspace with a copy of the starter library (first run)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sessions").mkdir(exist_ok=True)
    library = root / "library"
    if has_situations(library):
        return
    source = starter_library()
    if source is not None:
        shutil.copytree(source, library, dirs_exist_ok=True)
    else:
        library.mkdir(exist_ok=True)


def resolve(option: str | None = None, cwd: Path | None = None,
            environ: Mapping[str, str] | None = None) -> Workspace:
    """--workspace, then $GOODWORK_WORKSPACE, then upwards from cwd, then the user's own."""
    variables = os.environ if environ is None else environ
    if option:
        return _explicit(option, "option")
    if variables.get(ENV_VAR):
        return _explicit(variables[ENV_VAR], "environment")
    found = find_upwards((cwd or Path.cwd()).resolve())
    if found is not None:
        return Workspace(found, "found")
    root = user_workspace_dir()
    try:
        seed_user_workspace(root)
    except OSError as error:
        raise WorkspaceError(f"cannot create the workspace {root}: {error}") from None
    return Workspace(root, "user")
