"""The look of the main screen, at 80x24 and 160x48 (pytest-textual-snapshot).

Regenerate after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from ui_helpers import ready, track_start_up

from goodwork_tui.core.config import Config
from goodwork_tui.core.workspace import Workspace
from goodwork_tui.ui.app import GoodWorkApp


def _app(root: Path, lang: str = "en") -> GoodWorkApp:
    app = GoodWorkApp(Workspace(root, "option"), config=Config.load(), lang=lang)
    track_start_up(app)
    return app


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await ready(app, pilot)  # the whole start-up, footer too: on conditions
    for widget in app.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def _open_first(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("enter")  # search → first situation in the tree
    await pilot.press("enter")  # open it in the reader
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_wide_with_a_situation(snap_compare, workspace_dir):
    assert snap_compare(_app(workspace_dir), terminal_size=(160, 48), run_before=_open_first)


def test_main_screen_narrow_library(snap_compare, workspace_dir):
    assert snap_compare(_app(workspace_dir), terminal_size=(80, 24), run_before=_settle)


def test_main_screen_narrow_reader_in_dutch(snap_compare, workspace_dir):
    assert snap_compare(_app(workspace_dir, "nl"), terminal_size=(80, 24),
                        run_before=_open_first)
