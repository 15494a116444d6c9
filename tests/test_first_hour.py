"""Issue 13: what a facilitator meets in the first hour, driven the way a person does."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Footer, Input, Markdown, SelectionList, Static, TextArea
from ui_helpers import (
    NARROW,
    WIDE,
    make_app,
    meta_of,
    notes_of,
    open_harvest,
    open_session,
    ready,
    session_files,
    text_of,
    track_start_up,
    type_text,
    wait_until,
)

from goodwork_tui import cli
from goodwork_tui.core.i18n import CATALOGS
from goodwork_tui.core.library import load_library
from goodwork_tui.core.model import LENSES
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.app import GoodWorkApp
from goodwork_tui.ui.screens.export import ExportScreen
from goodwork_tui.ui.screens.new_session import NewSessionScreen, format_snapshot
from goodwork_tui.ui.widgets.note_input import NoteList

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
        await type_text(pilot, " de\u00a0Vries")  # a no-break space, as a Dutch name has
        await pilot.pause()
        assert sorted(consent.selected) == [0, 1]
        assert consent.highlighted == 1
        assert str(consent.get_option_at_index(0).prompt) == "Anna de Vries"  # one line
        form.query_one("#new-title", Input).focus()
        await type_text(pilot, "Team\u00a0day \U0001f468\u200d\U0001f469\u200d\U0001f467")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
        await pilot.pause()
    meta = meta_of(session_files(workspace_dir)[0])
    assert [(p["name"], p["consent"]) for p in meta["participants"]] == [
        ("Anna de\u00a0Vries", True), ("Bram", True), ("Cees", False)]
    assert meta["title"] == "Team\u00a0day \U0001f468\u200d\U0001f469\u200d\U0001f467"


# ---------------------------------------------------------------- 2. typed text stays as typed

# What a word processor or a chat app puts into text: a no-break space, a family emoji (three
# people held together by zero-width joiners), a zero-width non-joiner, direction marks, an
# override and an isolate, a byte order mark.
WILD_BITS = ["nbsp\u00a0here", "family \U0001f468\u200d\U0001f469\u200d\U0001f467",
             "zw\u200cnj", "\u200eLRM \u200fRLM", "\u202eoverride\u202c",
             "\u2067isolate\u2069", "\ufeffbom"]
TYPED = " ".join(WILD_BITS)


def note_session(root: Path) -> Path:
    rounds = [{"title": "Questions", "prompt": "", "minutes": 10, "kinds": ["experience"]}]
    with SessionStore.create(root / "sessions", title="Typed", participants=[],
                             format={"id": "f", "title": "F", "rounds": rounds}) as store:
        return store.path


def drawn(widget: Input) -> str:
    return widget.render_line(0).text


async def test_typed_and_pasted_notes_are_stored_exactly_and_drawn_safe(workspace_dir):
    path = note_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        entry = app.main.query_one("#note-input", Input)
        entry.focus()
        await pilot.pause()
        await type_text(pilot, TYPED)
        assert entry.value == TYPED, "the input dropped characters"
        shown = drawn(entry)
        assert "\u202e" not in shown and "\u2067" not in shown, "a bidi override is drawn raw"
        await pilot.press("enter")
        await pilot.pause()
        # pasted from a mail: the same characters, and an escape sequence
        app.post_message(events.Paste(TYPED + " \x1b[31mred"))
        await pilot.pause()
        assert entry.value == TYPED + " \u241b[31mred"
        await pilot.press("enter")
        await pilot.pause()
        stored = [note["text"] for note in notes_of(path)]
        assert stored == [TYPED, TYPED + " \u241b[31mred"]
        # editing the note and saving it unchanged keeps the original characters
        notes = app.main.query_one("#notes", NoteList)
        notes.focus()
        await pilot.pause()
        while notes.highlighted != 0:
            await pilot.press("up")
        await pilot.press("e")
        await pilot.pause()
        assert app.focused is entry and entry.value == TYPED
        await pilot.press("end")
        await type_text(pilot, "!")
        assert entry.value == TYPED + "!"
        await pilot.press("enter")
        await pilot.pause()
    assert [note["text"] for note in notes_of(path)] == [TYPED + "!", TYPED + " \u241b[31mred"]


# ---------------------------------------------------------------- 8. the question helper


async def test_the_question_helper_speaks_only_in_the_moral_question_round(workspace_dir):
    library = load_library(workspace_dir / "library")
    chosen = next(f for f in library.formats if f.id == "moral-case-deliberation-en")
    with SessionStore.create(workspace_dir / "sessions", title="Deliberation",
                             format=format_snapshot(chosen), participants=[]) as store:
        path = store.path
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        hints = app.main.query_one("#question-hints", Static)
        entry = app.main.query_one("#note-input", Input)
        entry.focus()
        # round 1, the case: the group asks clarifying questions; the helper is quiet
        await type_text(pilot, "q: What did the director say, and when")
        assert not hints.display
        await pilot.press("enter")
        await pilot.press("f10")
        await pilot.pause()
        assert meta_of(path)["current"] == 1
        # round 2, the moral question: now it helps
        await type_text(pilot, "q: How do I keep everyone, including me, on board")
        assert hints.display
        assert "‘How’ asks for a method" in text_of(hints)
        await pilot.press("enter")
        # ... but not against a clarifying question, a dilemma's comma, or "toch"
        for question in ("q: Wie wist ervan?", "q: Moet ik A doen, of B?",
                         "q: Moet ik toch ingrijpen?"):
            await type_text(pilot, question)
            assert hints.display and text_of(hints) == "· ✓ a question the group can weigh", (
                question, text_of(hints))
            await pilot.press("enter")
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "q: How do we see it")
        assert not hints.display
    assert [n["kind"] for n in notes_of(path)] == ["question"] * 5


# ---------------------------------------------------------------- 7. one name per lens

DUTCH_LENS_WORDS = ("goed is", "goed doet", "goed voelt", "+is", "+doet", "+voelt")


def test_the_english_catalog_names_the_lenses_in_english_only():
    english = CATALOGS["en"]
    for key, value in english.items():
        lowered = value.casefold()
        assert not any(word in lowered for word in DUTCH_LENS_WORDS), (key, value)
    assert [english[f"lens.{lens}"] for lens in LENSES] == ["excellent", "ethical", "engaging"]
    assert [CATALOGS["nl"][f"lens.{lens}"] for lens in LENSES] == [
        "goed is", "goed doet", "goed voelt"]


async def test_an_english_session_shows_english_lens_names_and_still_takes_plus_doet(
        workspace_dir):
    path = note_session(workspace_dir)
    app = make_app(workspace_dir, lang="en")
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        entry = app.main.query_one("#note-input", Input)
        assert "+ethical" in entry.placeholder and "doet" not in entry.placeholder
        entry.focus()
        await type_text(pilot, "i: +doet Everyone was heard", enter=True)
        await pilot.pause()
        notes = app.main.query_one("#notes", NoteList)
        drawn_note = str(notes.get_option_at_index(0).prompt)
        assert "ethical" in drawn_note and "doet" not in drawn_note
        await pilot.press("f1")
        await pilot.pause()
        shown = " ".join(str(m.source) for m in app.screen.query(Markdown))
        assert "`+ethical`" in shown and "doet" not in shown
    assert notes_of(path)[0]["lens"] == "ethical"


# ---------------------------------------------------------------- 5. the harvest shows the notes

LONG_NOTE = ("We called the client first and only then the team, because the client had "
             "heard rumours already and deserved to hear it from us before anyone else did")


def harvest_session(root: Path) -> Path:
    rounds = [{"title": "Images of good work", "prompt": "", "minutes": 10,
               "kinds": ["action-option"]}]
    with SessionStore.create(root / "sessions", title="Harvest", participants=[],
                             format={"id": "f", "title": "F", "rounds": rounds}) as store:
        note = store.add_note(LONG_NOTE, round=0, kind="action-option", lens="ethical")
        store.add_note("Short one", round=0, kind="insight")
        theme = store.add_theme("Trust before speed")
        store.set_note_theme(note["id"], theme)
        return store.path


def drawn_lines(widget: DataTable) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_the_harvest_table_shows_the_whole_note(workspace_dir, size):
    path = harvest_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=size) as pilot:
        await open_session(app, pilot, path)
        await open_harvest(app, pilot)
        table = app.screen.query_one("#harvest-notes", DataTable)
        widths = {str(c.key.value): c.width for c in table.ordered_columns}
        others = sum(w for key, w in widths.items() if key != "text")
        assert widths["text"] > others, widths  # the note gets the room
        if size == WIDE:  # each tag its own column, as wide as its content needs
            assert widths["kind"] == len("action option") and widths["lens"] == len("ethical")
            assert widths["theme"] == len("Trust before speed")
        drawn = " ".join(" ".join(drawn_lines(table)).split())
        for word in LONG_NOTE.split():
            assert word in drawn, f"{word!r} is not shown at {size}"
        assert "ethical" in drawn and "Trust before speed" in drawn


# ---------------------------------------------------------------- 6. the footer fits


def footer_fits(app) -> list[str]:
    """The keys the footer shows, after checking that none runs under the palette key
    or off the screen (a key that does is drawn cut, as 'f10 Vo')."""
    footer = app.screen.query_one(Footer)
    keys = [k for k in footer.query("FooterKey") if not k.has_class("-command-palette")]
    palette = footer.query_one("FooterKey.-command-palette")
    assert palette.region.right <= app.size.width
    for key in keys:
        assert key.region.width >= len(key.key_display) + len(key.description) + 1, key
        assert key.region.right <= palette.region.x, (
            f"{key.key_display} {key.description} runs under the palette key")
    return [f"{k.key_display} {k.description}" for k in keys]


async def footer_with(app, pilot, prefix: str) -> list[str]:  # noqa: ANN001
    """footer_fits, once the footer (built again when the app is idle after a change)
    shows a key starting with `prefix` and is laid out."""
    def shown() -> bool:
        keys = list(app.screen.query_one(Footer).query("FooterKey"))
        return bool(keys) and all(k.region.width for k in keys) and any(
            f"{k.key_display} {k.description}".startswith(prefix) for k in keys)

    await wait_until(pilot, shown, f"the footer to show {prefix!r}")
    return footer_fits(app)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_the_footer_shows_whole_keys_only(workspace_dir, size, lang):
    path = harvest_session(workspace_dir)
    app = make_app(workspace_dir, lang=lang)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        no_session = await footer_with(app, pilot, "^n ")
        assert any(shown.startswith("^n ") for shown in no_session)
        assert app.sessions.open_file(path) is not None
        await pilot.pause()
        with_session = await footer_with(app, pilot, "f10 ")
        assert any(shown.startswith("f10 ") for shown in with_session)
        app.main.query_one("#notes", NoteList).focus()  # its own keys join in
        await pilot.pause()
        in_notes = await footer_with(app, pilot, "e ")
        assert any(shown.startswith("e ") for shown in in_notes)
        await open_harvest(app, pilot)
        harvest = await footer_with(app, pilot, "^e ")
        assert any(shown.startswith("^e ") for shown in harvest)
        if size == WIDE:  # room for every key with its full label
            assert len(no_session) == 10 and "f10 " + app.t("key.session.next") in no_session


# ---------------------------------------------------------------- 9. what a kill leaves behind


def test_a_start_removes_the_temp_files_a_kill_left_and_only_those(workspace_dir, monkeypatch):
    sessions = workspace_dir / "sessions"
    path = note_session(workspace_dir)
    stale = sessions / f".{path.name}.k1ll3d_x.tmp"       # ours, five minutes old
    writing = sessions / f".{path.name}.wr1t1ng0.tmp"     # ours, being written right now
    others = [sessions / "minutes.tmp", sessions / ".hidden.tmp",  # not ours: other names
              sessions / f".{path.name}.NOT-OURS.tmp"]
    for temp in (stale, writing, *others):
        temp.write_text("{half a sess", encoding="utf-8")
    five_minutes_ago = time.time() - 300
    for temp in (stale, *others):
        os.utime(temp, (five_minutes_ago, five_minutes_ago))
    (sessions / f".{path.name}.d1rector.tmp").mkdir()  # a folder is never ours
    os.utime(sessions / f".{path.name}.d1rector.tmp", (five_minutes_ago, five_minutes_ago))
    seen: dict[str, bool] = {}

    async def person(pilot) -> None:  # noqa: ANN001 - Textual's Pilot
        await ready(pilot.app, pilot)
        await wait_until(pilot, lambda: not stale.exists(), "the stale temp file to go")
        seen["started"] = True
        pilot.app.exit()

    start = GoodWorkApp.run

    def run(self, **_kwargs):  # noqa: ANN001, ANN202 - as `goodwork` starts it, headless
        self.animation_level = "none"
        track_start_up(self)  # for `ready`
        return start(self, headless=True, size=NARROW, auto_pilot=person)

    monkeypatch.setattr(GoodWorkApp, "run", run)
    monkeypatch.setenv("GOODWORK_ALLOW_NO_TTY", "1")
    assert cli.main(["--workspace", str(workspace_dir), "--lang", "en"]) == 0
    assert seen == {"started": True}
    assert not stale.exists()
    assert writing.exists() and all(temp.exists() for temp in others)
    assert (sessions / f".{path.name}.d1rector.tmp").is_dir()
    assert path.exists() and notes_of(path) == []


async def test_ctrl_e_exports_from_the_take_aways_field_with_what_was_just_typed(
        workspace_dir):
    path = harvest_session(workspace_dir)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_harvest(app, pilot)
        takeaways = app.screen.query_one("#harvest-takeaways", TextArea)
        takeaways.focus()
        await pilot.pause()
        await type_text(pilot, "Ask before deciding")
        await pilot.press("ctrl+e")  # at once: the take-aways have not been saved yet
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        preview = app.screen.query_one("#export-preview", TextArea).text
        assert "Ask before deciding" in preview
        assert takeaways.text == "Ask before deciding"  # ctrl+e did not move the cursor
    assert meta_of(path)["takeaways"] == "Ask before deciding"


async def test_a_theme_an_action_and_take_aways_keep_what_was_typed(workspace_dir):
    path = harvest_session(workspace_dir)
    theme, owner = "Trust\u00a0first \u200eok", "Anna \U0001f469\u200d\U0001f4bb"
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        harvest = await open_harvest(app, pilot)
        await pilot.press("n")  # a new theme
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "the theme form")
        await type_text(pilot, theme, enter=True)
        await wait_until(pilot, lambda: app.screen is harvest, "the form to close")
        await pilot.press("a")  # an action agreement: text, owner, review
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "the action form")
        await type_text(pilot, "Call\u00a0first", enter=True)
        await type_text(pilot, owner, enter=True)
        await type_text(pilot, "\u202emonday\u202c", enter=True)
        await wait_until(pilot, lambda: app.screen is harvest, "the form to close")
        takeaways = harvest.query_one("#harvest-takeaways", TextArea)
        takeaways.focus()
        await pilot.pause()
        await type_text(pilot, "We\u00a0ask \u2067first\u2069")
        shown = " ".join(takeaways.render_line(y).text for y in range(takeaways.size.height))
        assert "\u2067" not in shown and "We ask" in shown.replace("\u00a0", " ")
        harvest.flush()
    meta = meta_of(path)
    assert [t["name"] for t in meta["themes"]] == ["Trust before speed", theme]
    assert [(a["text"], a["owner"], a["review"]) for a in meta["actions"]] == [
        ("Call\u00a0first", owner, "\u202emonday\u202c")]
    assert meta["takeaways"] == "We\u00a0ask \u2067first\u2069"
