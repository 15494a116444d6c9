"""The `goodwork` command, run as a real process, and the core without Textual."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from workspace_helpers import ROOT, situation_text, write

from goodwork_tui import __version__

PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<message>.+)$")


def run(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("GOODWORK_ALLOW_NO_TTY", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )


def goodwork(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run("-m", "goodwork_tui", *args, cwd=cwd)


# ---------------------------------------------------------------- library check


def test_library_check_on_the_starter_workspace(workspace_dir: Path, tmp_path: Path) -> None:
    result = goodwork("library", "check", "--workspace", str(workspace_dir), cwd=tmp_path)
    assert result.stdout == "148 situations in 8 collections, 0 problems\n"
    assert result.stderr == ""
    assert result.returncode == 0


def test_library_check_workspace_option_before_the_command(workspace_dir: Path,
                                                           tmp_path: Path) -> None:
    result = goodwork("--workspace", str(workspace_dir), "library", "check", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "148 situations in 8 collections, 0 problems"


def test_library_check_reports_each_problem_with_path_and_line(small_library: Path) -> None:
    library = small_library / "library"
    write(library / "c" / "c-bad-yaml-nl.md",
          situation_text(id="c-bad-yaml-nl").replace("title: Een titel", "title: a: b"))
    write(library / "c" / "c-empty-nl.md", "")
    write(library / "c" / "c-section-nl.md",
          situation_text(id="c-section-nl", story="Verhaal.\n\n## Boodschappen\n\nMelk."))

    result = goodwork("library", "check", "--workspace", str(small_library), cwd=small_library)

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 situations in 1 collection, 3 problems"
    problems = lines[:-1]
    assert all(PROBLEM_LINE.match(line) for line in problems), problems
    assert sorted(problems) == [
        "library/c/c-bad-yaml-nl.md:3: bad front matter: mapping values are not allowed "
        "in this context",
        "library/c/c-empty-nl.md:1: empty file",
        "library/c/c-section-nl.md:13: unknown section heading 'Boodschappen'",
    ]


def test_library_check_single_problem_wording(small_library: Path) -> None:
    (small_library / "library" / "c" / "c-one-en.md").unlink()
    result = goodwork("library", "check", "--workspace", str(small_library), cwd=small_library)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "library/c/c-one-nl.md:7: broken translation link: no 'c-one-en' in the library",
        "1 situation in 1 collection, 1 problem",
    ]


def test_library_check_paths_outside_cwd_are_shown_in_full(small_library: Path,
                                                           tmp_path: Path) -> None:
    write(small_library / "library" / "c" / "c-empty-nl.md", "")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = goodwork("library", "check", "--workspace", str(small_library), cwd=elsewhere)
    assert result.returncode == 1
    expected = small_library.resolve() / "library" / "c" / "c-empty-nl.md"
    assert result.stdout.splitlines()[0] == f"{expected}:1: empty file"


def test_library_check_nonexistent_workspace(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = goodwork("library", "check", "--workspace", str(missing), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"goodwork: the workspace folder {missing} does not exist\n"


def test_library_without_a_subcommand_is_a_usage_error(tmp_path: Path) -> None:
    result = goodwork("library", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr


# ---------------------------------------------------------------- version, help, no terminal


def test_version(tmp_path: Path) -> None:
    result = goodwork("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"goodwork {__version__}\n"


def test_help(tmp_path: Path) -> None:
    result = goodwork("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: goodwork")
    assert "--workspace DIR" in result.stdout
    assert "library" in result.stdout
    check = goodwork("library", "check", "--help", cwd=tmp_path)
    assert check.returncode == 0
    assert "--workspace DIR" in check.stdout


def test_app_without_a_terminal_exits_2_instead_of_hanging(workspace_dir: Path) -> None:
    result = goodwork(cwd=workspace_dir)  # stdout is a pipe, not a tty
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("goodwork: the app needs a terminal; see 'goodwork --help' for "
                             "the commands\n")


# ---------------------------------------------------------------- the core without Textual

BLOCK_TEXTUAL = textwrap.dedent("""
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    class BlockTextual(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual."):
                raise ImportError(f"textual is blocked: {name}")
            return None

    sys.meta_path.insert(0, BlockTextual())
    try:
        import textual  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the blocker does not work")

    import goodwork_tui.core

    names = sorted(m.name for m in pkgutil.walk_packages(goodwork_tui.core.__path__,
                                                        "goodwork_tui.core."))
    for name in names:
        importlib.import_module(name)
    import goodwork_tui.cli

    code = goodwork_tui.cli.main(["library", "check", "--workspace", sys.argv[1]])
    assert code == 0, code
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    assert loaded == [], loaded
    print("imported:", " ".join(names))
""")


def test_core_and_cli_work_with_textual_blocked(workspace_dir: Path, tmp_path: Path) -> None:
    script = write(tmp_path / "blocked.py", BLOCK_TEXTUAL)
    result = run(str(script), str(workspace_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "148 situations in 8 collections, 0 problems" in out
    imported = out[-1].removeprefix("imported: ").split()
    for module in ("goodwork_tui.core.library", "goodwork_tui.core.workspace",
                   "goodwork_tui.core.search", "goodwork_tui.core.config",
                   "goodwork_tui.core.i18n", "goodwork_tui.core.catalogs.nl",
                   "goodwork_tui.core.catalogs.en", "goodwork_tui.core.markdown_file"):
        assert module in imported


@pytest.mark.parametrize("args", [["--version"], ["library", "check"]])
def test_cli_commands_do_not_import_textual(args: list[str], workspace_dir: Path) -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['goodwork', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('goodwork_tui', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('textual' in sys.modules, exit.code)\n"
    )
    result = run("-c", code, *args, cwd=workspace_dir)
    assert result.stdout.splitlines()[-1] in ("False 0", "False None")
