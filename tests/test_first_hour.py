"""Issue 13: what a facilitator meets in the first hour, driven the way a person does."""

from __future__ import annotations

from textual.widgets import Input, SelectionList, TextArea
from ui_helpers import WIDE, make_app, meta_of, ready, session_files, type_text, wait_until

from goodwork_tui.ui.screens.new_session import NewSessionScreen

# ---------------------------------------------------------------- 1. consent ticks


async def test_space_on_a_freshly_focused_consent_list_ticks_the_first_row(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
        form = app.screen
        area = form.query_one("#new-participants", TextArea)
        consent = form.query_one("#new-consent", SelectionList)
        area.focus()
        await pilot.pause()
        await type_text(pilot, "Anna\nBram")
        await wait_until(pilot, lambda: consent.option_count == 2, "the consent list")
        await pilot.press("tab")
        assert app.focused is consent
        assert consent.highlighted == 0, "the focused list shows no current row"
        await pilot.press("space")
        await pilot.pause()
        assert consent.selected == [0]
        assert consent.highlighted == 0
        # back to the participants box: a third name keeps Anna's tick and the highlight
        await pilot.press("shift+tab")
        assert app.focused is area
        await pilot.press("end")
        await type_text(pilot, "\nCees")
        await wait_until(pilot, lambda: consent.option_count == 3, "the third name")
        assert consent.selected == [0]
        assert consent.highlighted == 0
        await pilot.press("tab", "down", "space")
        assert sorted(consent.selected) == [0, 1]
        # a name edited in place keeps the ticks too
        await pilot.press("shift+tab", "up", "up", "end")
        await type_text(pilot, " de Vries")
        await pilot.pause()
        assert sorted(consent.selected) == [0, 1]
        assert consent.highlighted == 1
        assert str(consent.get_option_at_index(0).prompt) == "Anna de Vries"
        form.query_one("#new-title", Input).value = "Team day"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
        await pilot.pause()
    people = meta_of(session_files(workspace_dir)[0])["participants"]
    assert [(p["name"], p["consent"]) for p in people] == [
        ("Anna de Vries", True), ("Bram", True), ("Cees", False)]
