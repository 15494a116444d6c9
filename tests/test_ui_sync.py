"""The palette's "Sync with colleagues" with real git: a bare repository in a temp folder
is the shared one; a colleague's work comes in, and a conflict copy is listed (F7)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from textual.widgets import OptionList
from ui_helpers import NotifySpy, make_app, palette_run, ready, wait_until
from workspace_helpers import COLLECTION, situation_text, write

from goodwork_tui.core import sync
from goodwork_tui.ui import sync_action
from goodwork_tui.ui.screens.problems import ProblemsScreen

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the system git")


def workspace(root: Path) -> Path:
    write(root / "library" / "c" / "_collection.md", COLLECTION.format(id="c", title="C"))
    write(root / "library" / "c" / "een-nl.md", situation_text(id="c-one-nl"))
    (root / "sessions").mkdir()
    return root


async def test_sync_with_colleagues_receives_their_work_and_names_a_conflict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    anna = workspace(tmp_path / "anna")
    assert sync.init(anna, str(remote)).ok
    bram = tmp_path / "bram"
    assert sync.clone(str(remote), bram).ok
    # Bram adds a situation and edits the one Anna edits too
    write(bram / "library" / "c" / "twee-nl.md",
          situation_text(id="c-two-nl", title="Bram zijn situatie"))
    original = (anna / "library" / "c" / "een-nl.md").read_text()
    write(bram / "library" / "c" / "een-nl.md", original.replace("Een verhaal.", "Bram's."))
    assert sync.sync(bram).ok
    write(anna / "library" / "c" / "een-nl.md", original.replace("Een verhaal.", "Anna's."))

    shown: list[str] = []
    real_step = sync_action.show_step

    def step(app, name: str) -> None:  # type: ignore[no-untyped-def]
        real_step(app, name)
        shown.append(app.sub_title)

    monkeypatch.setattr(sync_action, "show_step", step)
    app = make_app(anna)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        spy = app.notify = NotifySpy(app)  # type: ignore[method-assign]
        await palette_run(app, pilot, "Sync with colleagues")
        await wait_until(pilot, lambda: any("from colleagues" in m for m in spy.messages),
                         "the sync's result", tries=400)
        result = next(m for m in spy.messages if "from colleagues" in m)
        assert "Shared 1 library file." in result and "changed on both sides" in result
        assert "\n" not in result
        assert [s.split(" · ")[-1] for s in shown] == [
            "Saving your changes…", "Saving your changes…", "Fetching colleagues’ work…",
            "Putting the two together…", "Sending your work…"]
        assert app.sub_title == app.t("app.subtitle")  # the step shown is gone
        await wait_until(pilot, lambda: app.library is not None
                         and app.library.situation("c-two-nl") is not None,
                         "the received situation after the reload", tries=200)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Anna's." in (anna / "library" / "c" / "een-nl.md").read_text()
        assert "Bram's." in (anna / "library" / "c" / "een-nl.conflict.md").read_text()
        assert [s.id for s in app.library.situations].count("c-one-nl") == 1
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "F7")
        listed = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any("een-nl.conflict.md" in p and "another version of een-nl.md" in p
                   and "merge by hand into een-nl.md" in p for p in listed), listed
        assert not any("duplicate" in p for p in listed), listed
