"""The garbage collector runs as in any Python program; what lives as long as the
library is frozen out of its passes once the library is loaded."""

from __future__ import annotations

import gc
import subprocess
import sys

from goodwork_tui.ui import collector
from tests.child_process import child_env
from tests.ui_helpers import WIDE, make_app, ready


def test_freezing_a_new_library_lets_the_previous_one_go() -> None:
    class Held:
        pass

    first = [Held() for _ in range(1000)]
    collector.freeze_library()
    assert gc.get_freeze_count() >= 1000
    del first  # a reload: the previous library is no longer referenced ...
    collector.freeze_library()
    # ... and is collected, not kept frozen forever
    assert not any(isinstance(o, Held) for o in gc.get_objects())


def test_freeze_more_keeps_what_is_frozen() -> None:
    collector.freeze_library()
    before = gc.get_freeze_count()
    kept = [[] for _ in range(100)]  # containers: the collector tracks those
    collector.freeze_more()
    assert gc.get_freeze_count() >= before + len(kept)


async def test_the_app_never_stops_the_collector_and_freezes_the_library(workspace_dir):
    gc.unfreeze()
    assert gc.isenabled()
    app = make_app(workspace_dir)
    assert gc.isenabled()  # making the app changes nothing
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert app.library is not None


COMMANDS_ONLY = """
import gc, sys
from goodwork_tui.cli import main
assert gc.isenabled()
code = main(sys.argv[1:])
print(gc.isenabled(), "goodwork_tui.ui" in sys.modules)
"""


def test_commands_load_no_interface_and_leave_the_collector_alone(workspace_dir):
    done = subprocess.run([sys.executable, "-c", COMMANDS_ONLY, "--workspace",
                           str(workspace_dir), "sessions", "list"], capture_output=True,
                          text=True, env=child_env(), timeout=60, check=True)
    assert done.stdout.split()[-2:] == ["True", "False"]
