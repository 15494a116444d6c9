"""The command palette: every entry keeps its name (a contract with users), in both languages."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import OptionList
from ui_helpers import WIDE, make_app, ready, wait_until

from goodwork_tui.core.i18n import Catalog

# the entries of 43770d0, by catalog key (cmd.<key>); names are kept verbatim
ENTRIES = ["search", "language", "problems", "help", "reload", "new_session", "open_session",
           "next_round", "previous_round", "toggle_timer", "add_minute", "reorder_rounds",
           "undo", "write_note", "close_session", "harvest", "export_harvest", "copy_harvest",
           "room_view", "start_reflection", "my_reflections", "new_situation",
           "edit_situation", "new_collection", "portraits_inbox", "archive_session",
           "pane.library", "pane.reader", "pane.session", "next_situation",
           "print_card", "reveal_next", "hide_last", "sync", "room_open", "room_close"]

# names the issues give as a contract, verbatim in the English palette
CONTRACT = ["Print dialogue card", "Sync with colleagues", "Open the room", "Close the room"]


def test_the_contract_names_are_the_english_catalog_entries() -> None:
    t = Catalog("en")
    names = {t(f"cmd.{key}") for key in ENTRIES}
    assert set(CONTRACT) <= names, set(CONTRACT) - names


async def test_the_palette_offers_every_entry_by_its_name_in_both_languages(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        for lang in ("en", "nl"):
            if app.lang != lang:
                await pilot.press("f6")
            t = Catalog(lang)
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
            options = app.screen.query_one(OptionList)
            await wait_until(pilot, lambda options=options: options.option_count > len(ENTRIES),
                             "its entries")
            titles = {str(o.prompt).split("\n")[0] for o in options.options}
            assert {t(f"cmd.{key}") for key in ENTRIES} <= titles
            assert all(not t(f"cmd.{key}").startswith("cmd.") for key in ENTRIES)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main, "the palette closed")
