"""The garbage collector pauses while the interface starts and always comes back; what
lives as long as the library is frozen out of its passes once the library is loaded."""

from __future__ import annotations

import gc
import subprocess
import sys
import time

import pytest
from child_process import child_env
from ui_helpers import WIDE, make_app, ready

from goodwork_tui.ui import collector


@pytest.fixture
def collecting():
    """Start from a running collector and leave one behind, whatever the test did."""
    collector.resume()
    gc.enable()
    yield
    collector.resume()
    gc.enable()


def test_a_pause_ends_by_itself_after_the_limit(collecting, monkeypatch):
    monkeypatch.setattr(collector, "PAUSE_LIMIT", 0.2)
    collector.pause()
    assert not gc.isenabled()
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_is_left_to_them(collecting):
    gc.disable()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()  # not ours to turn back on


async def test_the_app_collects_again_once_its_first_screen_is_complete(collecting,
                                                                        workspace_dir):
    app = make_app(workspace_dir)
    assert not gc.isenabled()  # paused while the screen is built
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # the library is out of the collector's passes


def test_freezing_a_new_library_lets_the_previous_one_go(collecting) -> None:
    class Held:
        pass

    first = [Held() for _ in range(1000)]
    collector.freeze_library()
    assert gc.get_freeze_count() >= 1000
    del first  # a reload: the previous library is no longer referenced ...
    collector.freeze_library()
    # ... and is collected, not kept frozen forever
    assert not any(isinstance(o, Held) for o in gc.get_objects())


def test_freeze_more_keeps_what_is_frozen(collecting) -> None:
    collector.freeze_library()
    before = gc.get_freeze_count()
    kept = [[] for _ in range(100)]  # containers: the collector tracks those
    collector.freeze_more()
    assert gc.get_freeze_count() >= before + len(kept)


IMPORT_ONLY = """
import gc
import goodwork_tui.ui.app
print(gc.isenabled())
"""

COMMANDS_ONLY = """
import gc, sys
from goodwork_tui.cli import main
assert gc.isenabled()
code = main(sys.argv[1:])
print(gc.isenabled(), "goodwork_tui.ui" in sys.modules)
"""


def test_importing_the_interface_leaves_the_collector_alone():
    done = subprocess.run([sys.executable, "-c", IMPORT_ONLY], capture_output=True,
                          text=True, env=child_env(), timeout=60, check=True)
    assert done.stdout.split() == ["True"]


def test_commands_without_the_interface_never_pause_it(workspace_dir):
    done = subprocess.run([sys.executable, "-c", COMMANDS_ONLY, "--workspace",
                           str(workspace_dir), "sessions", "list"], capture_output=True,
                          text=True, env=child_env(), timeout=60, check=True)
    assert done.stdout.split()[-2:] == ["True", "False"]
