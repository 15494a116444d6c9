"""The footer: its keys are there from the screen's first frame, and it is rebuilt only
when the keys it would draw change (not on every focus move)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer
from ui_helpers import NARROW, WIDE, footer_descriptions, make_app, ready, tree, wait_until

from goodwork_tui.ui.widgets.footer import QuickFooter


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many keys each build of a QuickFooter yielded, in order."""
    builds: list[int] = []
    original = QuickFooter.compose

    def counting(self: QuickFooter):
        widgets = list(original(self))
        builds.append(len(widgets))
        yield from widgets

    monkeypatch.setattr(QuickFooter, "compose", counting)
    return builds


async def test_the_keys_are_built_once_with_the_screen(small_library: Path,
                                                        composed: list[int]) -> None:
    app = make_app(small_library)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        # built as the screen was composed, keys and all (Textual's footer is first
        # built empty, then rebuilt once per change of the bindings)
        assert len(composed) == 1 and composed[0] > 3, composed
        keys = footer_descriptions(app)
        assert keys["f2"] == "Library" and keys["ctrl+p"] == "palette"
        # the focus moves from the search field to the tree: the same keys are shown,
        # so nothing is rebuilt and the very same key widgets stay
        before = list(app.main.query_one(Footer).children)
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is tree(app), "the tree has the focus")
        await pilot.pause()
        assert list(app.main.query_one(Footer).children) == before
        assert len(composed) == 1


async def test_a_new_language_or_width_rebuilds_the_keys(small_library: Path,
                                                         composed: list[int]) -> None:
    app = make_app(small_library)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press("f6")  # Dutch
        await wait_until(pilot, lambda: footer_descriptions(app).get("f2") == "Bibliotheek",
                         "the footer in Dutch")
        builds = len(composed)
        await pilot.resize_terminal(*NARROW)
        await wait_until(pilot, lambda: len(composed) > builds, "a rebuild for the width")
        await pilot.pause()
        footer = app.main.query_one(Footer)
        assert footer.compact
        # every key drawn fits in the narrow footer, the palette key included
        keys = list(footer.query("FooterKey"))
        assert keys and sum(key.outer_size.width for key in keys) <= NARROW[0]
        assert footer_descriptions(app)["ctrl+p"]
