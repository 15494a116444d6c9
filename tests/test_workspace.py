"""Finding the workspace: option, environment, upwards from cwd, else the per-user one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from workspace_helpers import COLLECTION, situation_text, write

from goodwork_tui.core.library import load_library
from goodwork_tui.core.workspace import (
    ENV_VAR,
    WorkspaceError,
    has_situations,
    resolve,
    user_workspace_dir,
)


def make_workspace(root: Path, *, situations: bool = True) -> Path:
    library = root / "library"
    library.mkdir(parents=True, exist_ok=True)
    if situations:
        write(library / "c" / "_collection.md", COLLECTION.format(id="c", title="C"))
        write(library / "c" / "c-one-nl.md", situation_text())
    return root


@pytest.fixture
def nowhere(tmp_path: Path) -> Path:
    """A folder with no workspace in it or above it."""
    folder = tmp_path / "nowhere" / "deeper"
    folder.mkdir(parents=True)
    assert not any(has_situations(p / "library") for p in (folder, *folder.parents))
    return folder


# ---------------------------------------------------------------- the order


def test_option_wins_over_environment_and_cwd(tmp_path: Path) -> None:
    by_option = make_workspace(tmp_path / "a")
    by_env = make_workspace(tmp_path / "b")
    by_cwd = make_workspace(tmp_path / "c")
    workspace = resolve(str(by_option), cwd=by_cwd, environ={ENV_VAR: str(by_env)})
    assert workspace.root == by_option.resolve()
    assert workspace.origin == "option"
    assert workspace.library == by_option.resolve() / "library"
    assert workspace.sessions == by_option.resolve() / "sessions"


def test_environment_wins_over_cwd(tmp_path: Path) -> None:
    by_env = make_workspace(tmp_path / "b")
    by_cwd = make_workspace(tmp_path / "c")
    workspace = resolve(None, cwd=by_cwd, environ={ENV_VAR: str(by_env)})
    assert (workspace.root, workspace.origin) == (by_env.resolve(), "environment")


def test_environment_is_read_from_os_environ(tmp_path: Path, nowhere: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    by_env = make_workspace(tmp_path / "b")
    monkeypatch.setenv(ENV_VAR, str(by_env))
    workspace = resolve(cwd=nowhere)
    assert (workspace.root, workspace.origin) == (by_env.resolve(), "environment")


def test_empty_environment_variable_is_ignored(tmp_path: Path) -> None:
    by_cwd = make_workspace(tmp_path / "c")
    workspace = resolve(None, cwd=by_cwd, environ={ENV_VAR: ""})
    assert (workspace.root, workspace.origin) == (by_cwd.resolve(), "found")


def test_option_relative_path_and_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_workspace(tmp_path / "home" / "ws")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    workspace = resolve("~/ws", environ={})
    assert workspace.root == (tmp_path / "home" / "ws").resolve()
    monkeypatch.chdir(tmp_path / "home")
    assert resolve("ws", environ={}).root == (tmp_path / "home" / "ws").resolve()


def test_cwd_with_a_library_is_the_workspace(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    workspace = resolve(None, cwd=root, environ={})
    assert (workspace.root, workspace.origin) == (root.resolve(), "found")


def test_nearest_parent_with_a_library(tmp_path: Path) -> None:
    outer = make_workspace(tmp_path / "outer")
    inner = make_workspace(outer / "projects" / "inner")
    deep = inner / "sessions" / "2024"
    deep.mkdir(parents=True)
    assert resolve(None, cwd=deep, environ={}).root == inner.resolve()
    assert resolve(None, cwd=outer / "projects", environ={}).root == outer.resolve()


def test_parent_with_an_empty_library_does_not_count(tmp_path: Path) -> None:
    outer = make_workspace(tmp_path / "outer")
    middle = make_workspace(outer / "middle", situations=False)  # library/ but empty
    (middle / "library" / "empty-collection").mkdir()
    cwd = middle / "work"
    cwd.mkdir()
    workspace = resolve(None, cwd=cwd, environ={})
    assert (workspace.root, workspace.origin) == (outer.resolve(), "found")


def test_workspace_dir_fixture_is_found(workspace_dir: Path) -> None:
    workspace = resolve(None, cwd=workspace_dir / "sessions", environ={})
    assert (workspace.root, workspace.origin) == (workspace_dir.resolve(), "found")


def test_has_situations() -> None:
    assert has_situations(Path(__file__).resolve().parent.parent / "library")


def test_has_situations_false_for_empty_or_missing(tmp_path: Path) -> None:
    assert not has_situations(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    assert not has_situations(tmp_path / "empty")
    write(tmp_path / "flat" / "loose.md", "x")  # not inside a collection folder
    assert not has_situations(tmp_path / "flat")
    write(tmp_path / "hidden" / ".git" / "x.md", "x")
    assert not has_situations(tmp_path / "hidden")


def test_library_without_situation_files_does_not_count(tmp_path: Path) -> None:
    write(tmp_path / "library" / "formats" / "groepsdialoog-nl.md", "---\n---\n")
    write(tmp_path / "library" / "c" / "_collection.md", COLLECTION.format(id="c", title="C"))
    assert not has_situations(tmp_path / "library")


# ---------------------------------------------------------------- the per-user workspace


def test_user_workspace_is_created_and_seeded_on_first_run(
        nowhere: Path, isolated_settings: Path) -> None:
    expected = user_workspace_dir()
    if sys.platform.startswith("linux"):
        assert expected == isolated_settings / "data" / "goodwork" / "workspace"
    assert not expected.exists()

    workspace = resolve(None, cwd=nowhere, environ={})

    assert (workspace.root, workspace.origin) == (expected, "user")
    assert workspace.sessions.is_dir()
    library = load_library(workspace.library)
    assert library.problems == []
    assert len(library.situations) == 148
    assert len(library.collections) == 8
    assert len(library.formats) == 14
    assert (workspace.library / "tags.yaml").is_file()


def test_user_workspace_is_reused_on_the_second_run(nowhere: Path) -> None:
    first = resolve(None, cwd=nowhere, environ={})
    story = first.library / "toezicht" / "toezicht-advies-nl.md"
    story.write_text("my own edit", encoding="utf-8")
    (first.library / "jeugdzorg" / "jeugdzorg-vrijdag-nl.md").unlink()
    marker = first.sessions / "mine.json"
    marker.write_text("{}", encoding="utf-8")

    second = resolve(None, cwd=nowhere, environ={})

    assert (second.root, second.origin) == (first.root, "user")
    assert story.read_text(encoding="utf-8") == "my own edit"  # not re-seeded
    assert not (second.library / "jeugdzorg" / "jeugdzorg-vrijdag-nl.md").exists()
    assert marker.read_text(encoding="utf-8") == "{}"


def test_user_workspace_that_cannot_be_created(nowhere: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_DATA_HOME is only honoured on Linux")
    with pytest.raises(WorkspaceError, match="cannot create the workspace"):
        resolve(None, cwd=nowhere, environ={})


# ---------------------------------------------------------------- errors


def test_nonexistent_workspace_option(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(WorkspaceError) as caught:
        resolve(str(missing), environ={})
    assert str(caught.value) == f"the workspace folder {missing} does not exist"
    assert not missing.exists()  # never created


def test_workspace_option_that_is_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "file.txt", "x")
    with pytest.raises(WorkspaceError, match="does not exist"):
        resolve(str(path), environ={})


def test_nonexistent_workspace_in_the_environment(tmp_path: Path, nowhere: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(WorkspaceError, match=str(missing)):
        resolve(None, cwd=nowhere, environ={ENV_VAR: str(missing)})
