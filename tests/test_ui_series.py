"""Issue 18 in the interface: a series in New session, "New session in this series",
Looking back on the agreements of earlier sessions, "Patterns across sessions" and
"Export patterns report"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, TextArea
from ui_helpers import (
    NARROW,
    WIDE,
    NotifySpy,
    make_app,
    meta_of,
    open_session,
    palette_run,
    ready,
    session_files,
    type_text,
    wait_until,
)

from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.screens.export import ExportScreen
from goodwork_tui.ui.screens.new_session import NewSessionScreen
from goodwork_tui.ui.screens.patterns import NotesBehindScreen, PatternsScreen
from goodwork_tui.ui.widgets.look_back import LookBack

SERIES = "Intervisie team Oost"
FORMAT = {"id": "own-format", "title": "Our own round", "kind": "group",
          "rounds": [{"id": "r1", "title": "Round one", "minutes": 10}]}


def earlier_session(root: Path, *, on: date = date(2026, 1, 10), series: str = SERIES,
                    title: str = "January") -> SessionStore:
    """A session of the series on disk, with two agreements and a few notes."""
    store = SessionStore.create(
        root / "sessions", title=title, on=on, group="Team Oost", facilitator="Fee",
        format=FORMAT, series=series, lang="en",
        participants=[{"name": "Anna", "consent": True}, {"name": "Bram", "consent": False}])
    store.add_action("Call the [b]inspector[/b]", owner="Anna", review="2026-01-20")
    store.add_action("Write the letter", owner="the team", review="2026-12-31")
    store.add_note("The partners asked what we knew", round=0, kind="question",
                   lens="engaging")
    store.add_note("Quiet [red]trust[/red] matters", round=0, lens="ethical")
    return store


async def test_new_session_stores_the_series_typed_and_it_can_be_changed(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
        await type_text(pilot, "February")
        for _ in range(4):  # title → date → facilitator → group → series
            await pilot.press("tab")
        assert app.focused is app.screen.query_one("#new-series", Input)
        await type_text(pilot, SERIES)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
        [path] = session_files(workspace_dir)
        assert meta_of(path)["series"] == SERIES

        # a second session: the series is offered as soon as its start is typed
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
        await type_text(pilot, "March")
        for _ in range(4):
            await pilot.press("tab")
        await type_text(pilot, "interv")
        series = app.screen.query_one("#new-series", Input)
        await wait_until(pilot, lambda: str(series.render_line(0).text).find("team Oost") > 0,
                         "the suggestion")
        await pilot.press("right")  # takes the suggestion
        assert series.value == SERIES
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main, "the form to close")

        # changed later from the palette; an empty field takes it out of the series
        await palette_run(app, pilot, "Change series")
        field = app.screen.query_one("#field-0", Input)
        assert field.value == SERIES
        field.value = ""
        await type_text(pilot, "Programme 2027", enter=True)
        await wait_until(pilot, lambda: app.screen is app.main, "the dialog to close")
        assert meta_of(path)["series"] == "Programme 2027"


async def test_new_session_in_this_series_copies_the_last_one_and_asks_consent_again(
        workspace_dir):
    earlier_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        # no session open: which series?
        await palette_run(app, pilot, "New session in this series")
        await wait_until(pilot, lambda: len(app.screen.query("#pick-list")) == 1, "the picker")
        options = app.screen.query_one("#pick-list", OptionList)
        assert str(options.get_option_at_index(0).prompt).startswith(SERIES)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
        form = app.screen
        await pilot.pause()
        assert form.query_one("#new-series", Input).value == SERIES
        assert form.query_one("#new-group", Input).value == "Team Oost"
        assert form.query_one("#new-facilitator", Input).value == "Fee"
        assert form.query_one("#new-participants", TextArea).text == "Anna\nBram"
        consent = form.query_one("#new-consent")
        await wait_until(pilot, lambda: consent.option_count == 2, "the consent rows")
        assert list(consent.selected) == []  # asked again
        await type_text(pilot, "February")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
    new = [p for p in session_files(workspace_dir) if meta_of(p)["title"] == "February"]
    assert len(new) == 1
    meta = meta_of(new[0])
    assert meta["series"] == SERIES and meta["group"] == "Team Oost"
    assert meta["format"]["id"] == "own-format" and meta["format"]["rounds"][0]["title"] \
        == "Round one"
    assert [(p["name"], p["consent"]) for p in meta["participants"]] == [
        ("Anna", False), ("Bram", False)]


async def test_looking_back_answers_each_agreement_through_the_write_path(workspace_dir):
    earlier = earlier_session(workspace_dir)
    january_id = earlier.id
    earlier.close()
    later = SessionStore.create(workspace_dir / "sessions", title="February",
                                on=date(2026, 2, 10), format=FORMAT, series=SERIES, lang="en")
    later_path = later.path
    later.close()
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await open_session(app, pilot, later_path)
        look_back = app.main.query_one(LookBack)
        await wait_until(pilot, lambda: look_back.display and look_back.agreements,
                         "the look back")
        rows = look_back.query_one("#look-back-list", OptionList)
        assert rows.option_count == 2
        first = rows.get_option_at_index(0).prompt.plain
        # text as typed (no markup), owner, overdue review, where it was made
        assert "Call the [b]inspector[/b]" in first and "Anna" in first
        assert "review: 2026-01-20 (overdue)" in first
        assert "Made in January (2026-01-10)" in first
        assert "review: 2026-12-31 ·" not in first
        rows.focus()
        await pilot.pause()
        await pilot.press("d")
        learned = look_back.query_one("#look-back-learned", Input)
        assert app.focused is learned
        await type_text(pilot, "Ask sooner", enter=True)
        await pilot.pause()
        await pilot.press("down", "x")
        await type_text(pilot, "Not ours to write", enter=True)
        await pilot.pause()
        answers = meta_of(later_path)["lookback"]
        assert [(a["from"], a["status"], a["learned"]) for a in answers] == [
            (january_id, "done", "Ask sooner"), (january_id, "dropped", "Not ours to write")]
        assert "this session: done — Ask sooner" in rows.get_option_at_index(0).prompt.plain
        # put away; the palette brings it back
        rows.focus()
        await pilot.press("escape")
        assert not look_back.display
        await palette_run(app, pilot, "Looking back")
        assert look_back.display and app.focused is rows


async def test_patterns_overview_leads_to_the_notes_and_exports_the_report(workspace_dir):
    earlier_session(workspace_dir).close()
    earlier_session(workspace_dir, on=date(2026, 2, 10), title="February").close()
    earlier_session(workspace_dir, on=date(2026, 3, 10), series="Other",
                    title="Elsewhere").close()
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        await palette_run(app, pilot, "Patterns across sessions")
        await wait_until(pilot, lambda: isinstance(app.screen, PatternsScreen), "the overview")
        screen = app.screen
        await wait_until(pilot, lambda: screen.patterns is not None, "the patterns")
        assert len(screen.patterns.sessions) == 3  # all sessions at first

        # the period: from February on
        since = screen.query_one("#patterns-since", Input)
        since.focus()
        await type_text(pilot, "2026-13-01", enter=True)
        assert "not a date" in str(screen.query_one("#patterns-status").render())
        since.value = ""
        await type_text(pilot, "2026-02-01", enter=True)
        await wait_until(pilot, lambda: screen.asked.get("since") == "2026-02-01",
                         "the period's patterns")
        assert [s.title for s in screen.patterns.sessions] == ["February", "Elsewhere"]
        status = str(screen.query_one("#patterns-status").render())
        assert status.startswith("From 2026-02-10 to 2026-03-10 · 2 sessions, ")
        rows = screen.query_one("#patterns-items", OptionList)
        prompts = [rows.get_option_at_index(i).prompt.plain for i in range(rows.option_count)]
        engaging = next(i for i, p in enumerate(prompts) if p.strip().startswith("engaging"))
        assert "2 notes" in prompts[engaging]
        assert any("Call the [b]inspector[/b]" in p for p in prompts)  # text, not markup
        rows.focus()
        await pilot.pause()
        while rows.highlighted != engaging:
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesBehindScreen), "the notes")
        behind = app.screen.query_one("#behind-list", OptionList)
        texts = [behind.get_option_at_index(i).prompt.plain
                 for i in range(behind.option_count)]
        assert len(texts) == 2 and all("The partners asked what we knew" in t for t in texts)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the overview")

        spy = NotifySpy(app)
        app.notify = spy  # type: ignore[method-assign]
        await palette_run(app, pilot, "Export patterns report")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the choice")
        preview = app.screen.query_one("#export-preview", TextArea).text
        assert "February" in preview and "January" not in preview  # the overview's period
        assert app.focused is app.screen.query_one("#md", Button)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the choice to close")
    [report] = list((workspace_dir / "sessions" / "harvests").glob("patterns-*.md"))
    assert report.read_text(encoding="utf-8") == preview
    assert any(str(report) in message for message in spy.messages)


async def test_patterns_screen_fits_both_sizes(workspace_dir):
    earlier_session(workspace_dir).close()
    for size in (NARROW, WIDE):
        app = make_app(workspace_dir)
        async with app.run_test(size=size) as pilot:
            await ready(app, pilot)
            await palette_run(app, pilot, "Patterns across sessions")
            screen = app.screen
            assert isinstance(screen, PatternsScreen)
            await wait_until(pilot, lambda s=screen: s.patterns is not None, "the patterns")
            rows = screen.query_one("#patterns-items", OptionList)
            assert rows.region.height >= 5 and rows.region.right <= size[0]
            assert screen.query_one("#patterns-names").region.right <= size[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_the_period_fields_show_their_whole_hint_at_80_columns(workspace_dir, lang):
    app = make_app(workspace_dir, lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        await palette_run(app, pilot, app.t("cmd.patterns"))
        await wait_until(pilot, lambda: isinstance(app.screen, PatternsScreen), "the overview")
        for field in app.screen.query("#patterns-since, #patterns-until").results(Input):
            assert field.content_region.width >= len(field.placeholder), field.placeholder
