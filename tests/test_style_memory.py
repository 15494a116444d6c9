"""Parsed styles kept between runs: a second start parses no CSS, and looks the same."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
import textual.css.stylesheet as textual_stylesheet
from child_process import child_env
from textual.widgets import Static
from ui_helpers import WIDE, make_app, ready

from goodwork_tui.core import library_cache
from goodwork_tui.ui.style_memory import memory_file


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where each CSS text Textual parses was read from."""
    seen: list[str] = []
    real = textual_stylesheet.parse

    def counting(scope, css, read_from, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(read_from))
        return real(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return seen


async def _start(root, *, theme: str | None = None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Start the app, return the whole stylesheet and the screen's background."""
    app = make_app(root)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        if theme:
            app.theme = theme
            await pilot.pause()
        css = "\n".join(f"{rule.selectors} {sorted(rule.styles.get_rules().items())!r}"
                        for rule in app.stylesheet.rules)
        background = str(app.main.styles.background)
    return css, background


async def test_a_second_start_parses_no_css_and_styles_alike(workspace_dir, parses):
    first = await _start(workspace_dir)
    assert any("app.tcss" in where for where in parses)
    assert memory_file(library_cache.cache_dir()).is_file()
    parses.clear()
    second = await _start(workspace_dir)
    assert parses == []
    assert second == first


async def test_an_unreadable_memory_is_ignored_and_written_again(workspace_dir, parses):
    path = memory_file(library_cache.cache_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x80\x05not a pickle at all")
    first = await _start(workspace_dir)
    assert any("app.tcss" in where for where in parses)
    with path.open("rb") as handle:
        stamp, memory = pickle.load(handle)
    assert stamp and isinstance(memory, dict)
    path.write_bytes(pickle.dumps((stamp, ["a list, not the expected mapping"])))
    assert await _start(workspace_dir) == first
    # rules parsed by another Textual (another stamp) are not used
    path.write_bytes(pickle.dumps(((("model.py", 1, 2),), memory)))
    parses.clear()
    assert await _start(workspace_dir) == first
    assert any("app.tcss" in where for where in parses)


async def test_another_theme_is_parsed_with_its_own_colours(workspace_dir, parses):
    dark = await _start(workspace_dir)
    parses.clear()
    light = await _start(workspace_dir, theme="textual-light")
    assert any("app.tcss" in where for where in parses)  # new variables: parsed afresh
    assert light[1] != dark[1]
    # both themes are remembered now (a switch may still meet a widget's CSS for the
    # first time under a theme; the screen's own stylesheets are known)
    parses.clear()
    assert await _start(workspace_dir, theme="textual-light") == light
    assert await _start(workspace_dir, theme="textual-dark") == dark  # (the theme is a setting)
    assert not [where for where in parses if "app.tcss" in where or "Tree" in where]


async def test_changed_css_is_parsed_again_and_replaces_the_old(workspace_dir, parses,
                                                                 monkeypatch):
    await _start(workspace_dir)
    monkeypatch.setattr(Static, "DEFAULT_CSS", Static.DEFAULT_CSS + "\nStatic { }\n")
    parses.clear()
    await _start(workspace_dir)
    assert len(parses) == 1 and "Static.DEFAULT_CSS" in parses[0]
    with memory_file(library_cache.cache_dir()).open("rb") as handle:
        (remembered,) = pickle.load(handle)[1].values()
    assert [key[0] for key in remembered if "Static.DEFAULT_CSS" in str(key[1])] == [
        Static.DEFAULT_CSS]


async def test_a_read_only_cache_folder_does_not_stop_the_app(workspace_dir, parses, tmp_path,
                                                             monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("GOODWORK_CACHE", str(blocked))
    css, _ = await _start(workspace_dir)
    assert "#library-tree" in css


KILLED_AT_FIRST_SCREEN = """
import os, sys
from pathlib import Path
import textual.css.stylesheet as stylesheet
from goodwork_tui.core.config import Config
from goodwork_tui.core.workspace import Workspace
from goodwork_tui.ui.app import GoodWorkApp

parsed = []
real = stylesheet.parse
stylesheet.parse = lambda *args, **kwargs: parsed.append(1) or real(*args, **kwargs)

class Killed(GoodWorkApp):
    def _library_ready(self, library, index):
        super()._library_ready(library, index)
        self.call_after_refresh(self.gone)

    def gone(self):  # no exit, no unmount: as when the terminal is closed
        print(len(parsed), flush=True)
        os._exit(0)

Killed(Workspace(Path(sys.argv[1]), "option"), config=Config.load(),
       lang="en").run(headless=True, size=(160, 48))
"""


def test_styles_are_remembered_by_a_start_that_never_exits(workspace_dir):
    def parsed_in_a_start() -> int:
        done = subprocess.run([sys.executable, "-c", KILLED_AT_FIRST_SCREEN,
                               str(workspace_dir)], capture_output=True, text=True,
                              env=child_env(), timeout=120, check=True)
        return int(done.stdout.split()[-1])

    assert parsed_in_a_start() > 10  # the first start parses every stylesheet it shows
    assert memory_file(library_cache.cache_dir()).is_file()
    assert parsed_in_a_start() == 0
