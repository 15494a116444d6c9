"""The session pane, driven with Pilot: a whole session, timer, rounds, read-only, broken
files, a full disk, hostile notes, the palette and a narrow screen.

Every change is checked twice: on the widgets, and in the session file read back from
disk, because a note that is only on screen is a note that can be lost.
"""

from __future__ import annotations

import errno
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    Markdown,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from ui_helpers import (
    NARROW,
    WIDE,
    NotifySpy,
    choose,
    displayed,
    highlight,
    load,
    make_app,
    meta_of,
    notes_of,
    palette_run,
    palette_titles,
    press_keys,
    ready,
    session_files,
    text_of,
    type_text,
    wait_until,
)

from goodwork_tui.core import round_timer
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.app import GoodWorkApp
from goodwork_tui.ui.screens.new_session import NewSessionScreen
from goodwork_tui.ui.screens.pick import PickScreen, RoundsScreen
from goodwork_tui.ui.widgets.note_input import NoteList

GROUP_DIALOGUE = "group-dialogue-en"
GROUP_ROUNDS = ["Recognise", "Images of good work", "Shared issues", "Action options",
                "Values and norms", "Harvest"]


# ---------------------------------------------------------------- reading the file back


def timer_of(path: Path, round_index: int) -> dict[str, Any]:
    return meta_of(path)["timers"].get(str(round_index), {})


def leftovers(root: Path) -> list[str]:
    """Temp files of half-finished atomic writes."""
    return sorted(p.name for p in (root / "sessions").iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------- looking at the screen


def shown(app: GoodWorkApp, selector: str) -> str:
    return text_of(app.main.query_one(selector, Static))


def round_label(app: GoodWorkApp) -> str:
    return shown(app, "#round-title")


def saved_label(app: GoodWorkApp) -> str:
    return shown(app, "#session-saved")


def note_input(app: GoodWorkApp) -> Input:
    return app.main.query_one("#note-input", Input)


def note_list(app: GoodWorkApp) -> NoteList:
    return app.main.query_one("#notes", NoteList)


def listed_texts(app: GoodWorkApp) -> list[str]:
    """The text line of each note in the note list, as drawn (second line of the option)."""
    notes = note_list(app)
    return [str(notes.get_option_at_index(i).prompt).split("\n", 1)[1]
            for i in range(notes.option_count)]


def timer_row_overrun(app: GoodWorkApp) -> bool:
    return app.main.query_one("#timer-row").has_class("-overrun")


# ---------------------------------------------------------------- driving the app






async def choose_format(app: GoodWorkApp, pilot: Pilot, format_id: str,
                        always: bool = False) -> None:
    """Open the format Select with Enter and move to `format_id` with the arrow keys
    (unless it is chosen already and `always` is false)."""
    form = app.screen
    select = form.query_one("#new-format", Select)
    if select.value == format_id and not always:
        return
    await choose(app, pilot, select, format_id)


async def tick_at(pilot: Pilot, selection: SelectionList, index: int = 0) -> None:
    """Focus a SelectionList, move to `index` and tick it with space."""
    selection.focus()
    await pilot.pause()
    if selection.highlighted is None:
        await pilot.press("down")
    while selection.highlighted < index:
        await pilot.press("down")
    await pilot.press("space")


async def create_session(app: GoodWorkApp, pilot: Pilot, title: str = "Team day", *,
                         format_id: str = GROUP_DIALOGUE, participants: str = "Anna\nBram\n-",
                         consent: tuple[int, ...] = (0,), situation: bool = True,
                         open_form: bool = True, pick_format: bool = False) -> Path:
    """ctrl+n (unless the form is open already), fill the form the way a facilitator
    does, ctrl+s; return the new file."""
    before = set(session_files(app.workspace.root))
    if open_form:
        await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
    form = app.screen
    title_field = form.query_one("#new-title", Input)
    await wait_until(pilot, lambda: app.focused is title_field, "the title field focused")
    await type_text(pilot, title)
    assert form.query_one("#new-date", Input).value == date.today().isoformat()
    await choose_format(app, pilot, format_id, always=pick_format)
    if situation:
        await tick_at(pilot, form.query_one("#new-situations", SelectionList))
    area = form.query_one("#new-participants", TextArea)
    area.focus()
    await pilot.pause()
    await type_text(pilot, participants)  # Enter between the names
    assert area.text == participants
    consent_list = form.query_one("#new-consent", SelectionList)
    await wait_until(pilot, lambda: consent_list.option_count == len(participants.split("\n")),
                     "the consent list")
    for index in consent:
        await tick_at(pilot, consent_list, index)
    assert sorted(consent_list.selected) == sorted(consent)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: app.screen is app.main, "the form to close")
    await pilot.pause()
    new = [p for p in session_files(app.workspace.root) if p not in before]
    assert len(new) == 1, f"expected one new session file, found {new}"
    return new[0]


async def submit_note(pilot: Pilot, text: str) -> None:
    """Type a note and press Enter; when this returns, the app has handled the Enter."""
    await type_text(pilot, text, enter=True)


async def pick(app: GoodWorkApp, pilot: Pilot, predicate: Callable[[str], bool]) -> None:
    """In a PickScreen, move the highlight to the first option for which predicate(prompt)
    holds and press Enter."""
    await wait_until(pilot, lambda: isinstance(app.screen, PickScreen), "the picker")
    options = app.screen.query_one("#pick-list", OptionList)
    assert app.focused is options
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    target = next(i for i, prompt in enumerate(prompts) if predicate(prompt))
    await highlight(pilot, options, target)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.screen is app.main, "the picker to close")
    await pilot.pause()


async def highlight_note(pilot: Pilot, notes: NoteList, note_id: str) -> None:
    """Move the note list's highlight to the note with this id using the arrow keys."""
    ids = [notes.get_option_at_index(i).id for i in range(notes.option_count)]
    target = ids.index(note_id)
    await highlight(pilot, notes, target)
    assert notes.get_option_at_index(notes.highlighted).id == note_id


def make_session(root: Path, title: str = "Shared", notes: tuple[str, ...] = ("First note",),
                 ) -> Path:
    """A group-dialogue session written straight through the store (set-up, not under test)."""
    rounds = [{"title": t, "prompt": "", "minutes": 10, "kinds": ["experience"]}
              for t in GROUP_ROUNDS[:3]]
    with SessionStore.create(root / "sessions", title=title,
                             format={"id": "f", "title": "F", "rounds": rounds},
                             participants=[{"name": "Anna", "consent": True}]) as store:
        for text in notes:
            store.add_note(text, round=0, kind="experience")
        return store.path


# ---------------------------------------------------------------- 1. a whole session

ANNA, BRAM, ANONYMOUS = "p1", "p2", "p3"
NEXT = "next round"
# (keys pressed before typing, what is typed, what the note must be on disk)
WHOLE_SESSION: list[Any] = [
    # round 1, "Recognise": new notes default to its first kind, experience
    ((), "e: Last year the same thing happened to us",
     dict(text="Last year the same thing happened to us", kind="experience")),
    ((), "q: What would you want to know first?",
     dict(text="What would you want to know first?", kind="question")),
    ((), "@Anna I recognise the chafing",
     dict(text="I recognise the chafing", kind="experience", speaker=ANNA)),
    ((), "+1 It was professionally sound",
     dict(text="It was professionally sound", kind="experience", lens="excellent")),
    ((), "!room The director was wrong",
     dict(text="The director was wrong", kind="experience", room_only=True)),
    (("ctrl+t",), "Call the client first",
     dict(text="Call the client first", kind="action-option")),
    (("ctrl+l", "ctrl+l"), "Everyone was heard",
     dict(text="Everyone was heard", kind="action-option", lens="ethical")),
    NEXT,
    # round 2, "Images of good work": the kind starts again at the round's first kind
    ((), "a: +doet @B Ask the team before deciding",
     dict(text="Ask the team before deciding", kind="action-option", lens="ethical",
          speaker=BRAM)),
    ((), "i: Stories travel badly", dict(text="Stories travel badly", kind="insight")),
    ((), "v: Honesty over speed", dict(text="Honesty over speed", kind="value-norm")),
    ((), "s: The same boundary everywhere",
     dict(text="The same boundary everywhere", kind="shared-issue")),
    ((), "o: A list of options to try", dict(text="A list of options to try", kind="outcome")),
    ((), "@C I would wait a week",
     dict(text="I would wait a week", kind="experience", speaker=ANONYMOUS)),
    ((), "+voelt It gave the team energy",
     dict(text="It gave the team energy", kind="experience", lens="engaging")),
    ((), "!room +2 @anna q: Not for outside this room",
     dict(text="Not for outside this room", kind="question", lens="ethical", speaker=ANNA,
          room_only=True)),
    NEXT,
    # round 3, "Shared issues"
    ((), "Rules: they differ per team",
     dict(text="Rules: they differ per team", kind="shared-issue")),
    (("ctrl+t",), "Why do we hesitate", dict(text="Why do we hesitate", kind="insight")),
    (("ctrl+r",), "Names stay here", dict(text="Names stay here", kind="insight",
                                          room_only=True)),
    ((), "e: +3 @bram Energy came back",
     dict(text="Energy came back", kind="experience", lens="engaging", speaker=BRAM)),
    ((), "o: We try it next month", dict(text="We try it next month", kind="outcome")),
]
FIELDS = ("text", "round", "kind", "lens", "speaker", "room_only")


def expected_note(spec: dict[str, Any], round_index: int) -> dict[str, Any]:
    return {"text": spec["text"], "round": round_index, "kind": spec["kind"],
            "lens": spec.get("lens", ""), "speaker": spec.get("speaker", ""),
            "room_only": spec.get("room_only", False)}


def fields_of(note: dict[str, Any]) -> dict[str, Any]:
    return {key: note[key] for key in FIELDS}


async def test_a_whole_session_is_on_disk_after_every_key_and_survives_a_restart(
        workspace_dir):
    app = make_app(workspace_dir)
    expected: list[dict[str, Any]] = []
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Team day: trust & rules", pick_format=True)
        first_situation = app.library.shown("en")[0].id

        # the file is there, named after the date and the title, and holds the form
        assert path.name == f"{date.today().isoformat()}-team-day-trust-rules.json"
        meta = meta_of(path)
        assert meta["title"] == "Team day: trust & rules"
        assert meta["date"] == date.today().isoformat()
        assert meta["format"]["id"] == GROUP_DIALOGUE
        assert [r["title"] for r in meta["format"]["rounds"]] == GROUP_ROUNDS
        assert meta["round_order"] == [0, 1, 2, 3, 4, 5] and meta["current"] == 0
        assert meta["situations"] == [first_situation]
        assert meta["participants"] == [
            {"id": ANNA, "name": "Anna", "consent": True},
            {"id": BRAM, "name": "Bram", "consent": False},
            {"id": ANONYMOUS, "name": "", "consent": False},
        ]
        assert notes_of(path) == []
        # the pane shows it and the note input is ready
        assert app.focused is note_input(app)
        assert round_label(app) == "Round 1 of 6 · Recognise"
        assert "Team day: trust & rules" in shown(app, "#session-head")

        round_index = 0
        for step in WHOLE_SESSION:
            if step == NEXT:
                await pilot.press("f10")
                round_index += 1
                assert meta_of(path)["current"] == round_index
                assert round_label(app) == f"Round {round_index + 1} of 6 · " \
                                           f"{GROUP_ROUNDS[round_index]}"
                assert listed_texts(app) == []
                continue
            keys, typed, spec = step
            if keys:
                await pilot.press(*keys)
                flags = shown(app, "#note-flags")
                assert f"kind: {app.t('kind.' + spec['kind'])}" in flags
                if "ctrl+l" in keys:
                    assert f"lens: {app.t('lens.' + spec['lens'])}" in flags
                if "ctrl+r" in keys:
                    assert app.t("note.room_only") in flags
            await submit_note(pilot, typed)
            want = expected_note(spec, round_index)
            expected.append(want)
            # straight after Enter, before anything else happens: on disk
            on_disk = notes_of(path)
            assert len(on_disk) == len(expected), typed
            assert fields_of(on_disk[-1]) == want, typed
            assert note_input(app).value == ""
            assert listed_texts(app)[-1] == spec["text"]
            assert saved_label(app).startswith("✓ saved")
        assert [fields_of(n) for n in notes_of(path)] == expected
        assert len(expected) == 20
        ids = [n["id"] for n in notes_of(path)]

        # edit note 16 ("Rules: ..."), in the round shown now
        notes = note_list(app)
        await pilot.click("#notes")
        assert app.focused is notes
        await highlight_note(pilot, notes, ids[15])
        await pilot.press("e")
        assert app.focused is note_input(app)
        assert note_input(app).value == "Rules: they differ per team"
        assert "editing" in shown(app, "#note-flags")
        await pilot.press("ctrl+u")
        assert note_input(app).value == ""
        await submit_note(pilot, "Rules differ per team, and that is fine")
        expected[15]["text"] = "Rules differ per team, and that is fine"
        edited = notes_of(path)[15]
        assert edited["id"] == ids[15] and "updated" in edited
        assert [fields_of(n) for n in notes_of(path)] == expected
        assert "editing" not in shown(app, "#note-flags")
        assert listed_texts(app)[0] == "Rules differ per team, and that is fine"

        # delete the last note with d, bring it back with ctrl+z
        before_delete = notes_of(path)
        await pilot.click("#notes")
        await highlight_note(pilot, notes, ids[19])
        await pilot.press("d")
        assert [n["id"] for n in notes_of(path)] == ids[:19]
        assert "We try it next month" not in listed_texts(app)
        await pilot.press("ctrl+z")
        assert notes_of(path) == before_delete
        assert listed_texts(app)[-1] == "We try it next month"

        # move note 17 ("Why do we hesitate") to round 1
        await highlight_note(pilot, notes, ids[16])
        await pilot.press("m")
        await pick(app, pilot, lambda prompt: prompt == "1. Recognise")
        expected[16]["round"] = 0
        assert [fields_of(n) for n in notes_of(path)] == expected
        assert "Why do we hesitate" not in listed_texts(app)
        final_bytes = path.read_bytes()

    # the app is gone; a new one on the same workspace opens the session again
    assert [fields_of(n) for n in notes_of(path)] == expected
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        recent = app.main.query_one("#recent-sessions", OptionList)
        assert recent.option_count == 1
        entry = str(recent.get_option_at_index(0).prompt)
        assert "Team day: trust & rules" in entry and "(20 notes)" in entry
        await pilot.press("ctrl+o")
        await pick(app, pilot, lambda prompt: "Team day: trust & rules" in prompt)
        store = app.sessions.store
        assert store is not None and store.path == path and not store.read_only
        assert round_label(app) == "Round 3 of 6 · Shared issues"
        assert app.focused is note_input(app)
        assert [fields_of(n) for n in store.notes()] == expected
        assert [n["id"] for n in store.notes()] == ids
        assert listed_texts(app) == [e["text"] for e in expected if e["round"] == 2]
        await pilot.press("f9", "f9")
        assert round_label(app) == "Round 1 of 6 · Recognise"
        assert listed_texts(app) == [e["text"] for e in expected if e["round"] == 0]
        assert listed_texts(app)[-1] == "Why do we hesitate"
    assert [fields_of(n) for n in notes_of(path)] == expected
    assert [n["id"] for n in notes_of(path)] == ids
    assert load(path)["notes"] == json.loads(final_bytes)["notes"]


# ---------------------------------------------------------------- 2. the round timer


class FakeClock:
    """Stands in for the `time` module inside round_timer: wall clock plus a jump."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


async def test_timer_starts_pauses_adds_a_minute_and_records_an_overrun(workspace_dir,
                                                                         monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(round_timer, "time", SimpleNamespace(time=clock.time))
    app = make_app(workspace_dir)
    bells: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(True))
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Timer day")
        # round 1 of group dialogue has 15 minutes; nothing counted yet
        assert shown(app, "#timer-clock").startswith("15:00 left of 15:00")
        assert "paused" in shown(app, "#timer-clock")

        await pilot.press("f8")
        state = timer_of(path, 0)
        assert state["started_at"] == pytest.approx(time.time(), abs=5)
        assert "paused" not in shown(app, "#timer-clock")
        # the timer runs while notes are typed and saved
        assert app.focused is note_input(app)
        await submit_note(pilot, "Timing does not get in the way")
        assert [n["text"] for n in notes_of(path)] == ["Timing does not get in the way"]
        assert timer_of(path, 0)["started_at"] == state["started_at"]

        clock.offset = 3.0
        await pilot.press("f8")
        state = timer_of(path, 0)
        assert state["started_at"] is None
        assert state["counted"] >= 3.0
        assert state["added"] == 0 and state["overrun"] == 0
        assert "paused" in shown(app, "#timer-clock")

        await pilot.press("ctrl+g")
        assert timer_of(path, 0)["added"] == 1
        assert "of 16:00" in shown(app, "#timer-clock")
        assert not timer_row_overrun(app)

        # start again and let 17 minutes go by: one minute past the 16
        await pilot.press("f8")
        clock.offset = 17 * 60 + 3.0
        await wait_until(pilot, lambda: timer_row_overrun(app), "the -overrun class", tries=60)
        assert shown(app, "#timer-clock").startswith("+01:0")
        assert bells == [True], "one bell when the round runs over"
        # still typing notes while over time
        await submit_note(pilot, "q: Over time but still noting")
        assert notes_of(path)[-1]["text"] == "Over time but still noting"
        assert notes_of(path)[-1]["kind"] == "question"

        await pilot.press("f8")
        state = timer_of(path, 0)
        assert state["started_at"] is None
        assert state["counted"] > 16 * 60
        assert state["overrun"] == pytest.approx(state["counted"] - 16 * 60, abs=0.2)
        assert 60 <= state["overrun"] < 70
        assert timer_row_overrun(app)
        assert "paused" in shown(app, "#timer-clock")

        # a minute more ends the overrun on screen; the recorded overrun stays
        await pilot.press("ctrl+g", "ctrl+g")
        assert timer_of(path, 0)["added"] == 3
        assert not timer_row_overrun(app)
        assert timer_of(path, 0)["overrun"] == state["overrun"]


async def test_a_timer_saved_over_time_shows_the_overrun_when_opened(workspace_dir):
    with SessionStore.create(workspace_dir / "sessions", title="Late",
                             format={"id": "f", "title": "F", "rounds": [
                                 {"title": "Only", "prompt": "", "minutes": 10, "kinds": []}]},
                             ) as store:
        store.set_timer(0, {"counted": 11 * 60 + 30, "started_at": None, "added": 0,
                            "overrun": 0})
        path = store.path
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        assert round_label(app) == "Round 1 of 1 · Only"
        assert timer_row_overrun(app)
        assert shown(app, "#timer-clock").startswith("+01:30 over 10:00")
        await pilot.press("f8")  # start ...
        assert timer_of(path, 0)["started_at"] is not None
        await pilot.press("f8")  # ... and pause: the overrun is written down
        state = timer_of(path, 0)
        assert state["started_at"] is None
        assert state["overrun"] == pytest.approx(90, abs=2)
        await submit_note(pilot, "Still writable")
        assert notes_of(path)[-1]["text"] == "Still writable"


# ---------------------------------------------------------------- 3. rounds


async def test_previous_and_next_round_clamp_and_reorder_skips_a_round(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Rounds")
        assert round_label(app) == "Round 1 of 6 · Recognise"
        assert "Do you recognise this?" in shown(app, "#round-prompt")
        await pilot.press("f9")
        assert round_label(app) == "Round 1 of 6 · Recognise"
        assert meta_of(path)["current"] == 0
        for number in range(2, 7):
            await pilot.press("f10")
            assert round_label(app) == f"Round {number} of 6 · {GROUP_ROUNDS[number - 1]}"
            assert meta_of(path)["current"] == number - 1
        await pilot.press("f10")
        assert round_label(app) == "Round 6 of 6 · Harvest"
        assert meta_of(path)["current"] == 5
        assert "What do you take away" in shown(app, "#round-prompt")

        # skip "Images of good work" through the command palette
        await palette_run(app, pilot, "Reorder rounds", typed=True)
        assert isinstance(app.screen, RoundsScreen)
        rounds = app.screen.query_one("#rounds-list", SelectionList)
        assert app.focused is rounds
        assert [str(rounds.get_option_at_index(i).prompt) for i in range(6)] == GROUP_ROUNDS
        assert sorted(rounds.selected) == [0, 1, 2, 3, 4, 5]
        assert rounds.highlighted == 0
        await pilot.press("down", "space")
        assert sorted(rounds.selected) == [0, 2, 3, 4, 5]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.main, "the rounds screen to close")
        assert meta_of(path)["round_order"] == [0, 2, 3, 4, 5]
        # still on Harvest, which is now the fifth of five
        assert meta_of(path)["current"] == 4
        assert round_label(app) == "Round 5 of 5 · Harvest"
        await pilot.press("f10")
        assert round_label(app) == "Round 5 of 5 · Harvest"
        await pilot.press("f9", "f9", "f9")
        assert round_label(app) == "Round 2 of 5 · Shared issues"
        await pilot.press("f9", "f9")
        assert round_label(app) == "Round 1 of 5 · Recognise"
        assert meta_of(path)["current"] == 0

        # next round now jumps over the skipped one
        await pilot.press("f10")
        assert round_label(app) == "Round 2 of 5 · Shared issues"
        assert meta_of(path)["current"] == 1
        # a note typed now belongs to "Shared issues" (round index 2 of the format)
        await submit_note(pilot, "Skipped straight here")
        assert notes_of(path)[-1]["round"] == 2
        assert notes_of(path)[-1]["kind"] == "shared-issue"


async def test_next_round_at_the_end_leaves_the_running_timer_and_the_kind_alone(
        workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = make_session(workspace_dir, title="Clamp")
        app.sessions.open_file(path)
        await pilot.pause()
        await pilot.press("f10", "f10")
        assert round_label(app) == "Round 3 of 3 · Shared issues"
        await pilot.press("f8")
        started = timer_of(path, 2)["started_at"]
        assert started is not None
        await pilot.press("ctrl+t")  # the round starts at "experience"; now "action option"
        assert "kind: action option" in shown(app, "#note-flags")
        await pilot.press("f10")  # there is no next round: nothing should change
        assert round_label(app) == "Round 3 of 3 · Shared issues"
        assert timer_of(path, 2)["started_at"] == started, "the timer was paused"
        assert "paused" not in shown(app, "#timer-clock")
        assert "kind: action option" in shown(app, "#note-flags"), "the kind was reset"


# ---------------------------------------------------------------- 4. read-only


async def test_a_session_open_elsewhere_is_read_only_and_never_written(workspace_dir,
                                                                       monkeypatch):
    path = make_session(workspace_dir, notes=("First note", "Second note"))
    holder = SessionStore.open(path)  # "another window" holds the lock
    try:
        assert not holder.read_only
        before = path.read_bytes()
        app = make_app(workspace_dir)
        spy = NotifySpy(app)
        monkeypatch.setattr(app, "notify", spy)
        async with app.run_test(size=WIDE) as pilot:
            await ready(app, pilot)
            # open it from the recent sessions list with the mouse
            recent = app.main.query_one("#recent-sessions", OptionList)
            assert recent.option_count == 1 and not recent.get_option_at_index(0).disabled
            await pilot.click("#recent-sessions", offset=(2, 1))
            await wait_until(pilot, lambda: app.sessions.store is not None, "the session")
            store = app.sessions.store
            assert store.read_only
            assert spy.calls[-1][1]["severity"] == "warning"
            assert path.name in spy.messages[-1] and "read-only" in spy.messages[-1]
            assert saved_label(app) == "read-only"
            assert app.main.query_one("#session-saved").has_class("-error")
            assert note_input(app).disabled
            assert listed_texts(app) == ["First note", "Second note"]

            # typing goes nowhere; keys that change things change nothing on disk
            await pilot.click("#note-input")
            await type_text(pilot, "e: sneaky")
            await pilot.press("enter")
            assert note_input(app).value == ""
            await pilot.press("f8", "ctrl+g", "f10")  # looking at round 2 is allowed
            assert round_label(app) == "Round 2 of 3 · Images of good work"
            await pilot.press("f9")
            await pilot.click("#notes")
            assert app.focused is note_list(app)
            await pilot.press("d")
            assert spy.calls[-1][1]["severity"] == "warning"
            assert spy.messages[-1] == "This session is open read-only: nothing is changed."
            assert listed_texts(app) == ["First note", "Second note"]
            await pilot.press("e")
            assert app.focused is note_list(app) and note_input(app).value == ""
            await pilot.press("ctrl+z")
            assert path.read_bytes() == before
        assert path.read_bytes() == before  # closing the app wrote nothing either
        assert leftovers(workspace_dir) == []
    finally:
        holder.close()
    # once the other window is gone, the session opens for writing again
    with SessionStore.open(path) as store:
        assert not store.read_only


# ---------------------------------------------------------------- 5. a broken session file


async def test_a_corrupt_session_file_is_listed_disabled_and_refused_untouched(workspace_dir,
                                                                              monkeypatch):
    broken = workspace_dir / "sessions" / "2024-05-01-broken.json"
    broken.write_bytes(b'{"session": {"1": {"title": "half a fi')
    good = make_session(workspace_dir, title="Fine")
    before = broken.read_bytes()
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        recent = app.main.query_one("#recent-sessions", OptionList)
        entries = {Path(recent.get_option_at_index(i).id): recent.get_option_at_index(i)
                   for i in range(recent.option_count)}
        assert set(entries) == {broken, good}
        assert entries[broken].disabled and not entries[good].disabled
        assert "cannot be read" in str(entries[broken].prompt)
        assert "2024-05-01-broken" in str(entries[broken].prompt)

        # ctrl+o lists it too, disabled
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen), "the picker")
        picks = app.screen.query_one("#pick-list", OptionList)
        by_id = {Path(picks.get_option_at_index(i).id): picks.get_option_at_index(i)
                 for i in range(picks.option_count)}
        assert by_id[broken].disabled and not by_id[good].disabled
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main, "the picker to close")

        assert app.sessions.open_file(broken) is None
        await pilot.pause()
        message, options = spy.calls[-1]
        assert options["severity"] == "error"
        assert message.startswith("The session could not be opened")
        assert "2024-05-01-broken.json" in message
        assert app.sessions.store is None
        assert broken.read_bytes() == before

        # the app goes on: a new session can be started and written
        path = await create_session(app, pilot, "After the broken one")
        await submit_note(pilot, "Works")
        assert [n["text"] for n in notes_of(path)] == ["Works"]
        # and the good old one opens
        assert app.sessions.open_file(good) is not None
        await pilot.pause()
        assert listed_texts(app) == ["First note"]
    assert broken.read_bytes() == before


# a file that is valid JSON and has a session record, but a field of the wrong type, as a
# hand edit or a bad merge leaves it; the recent list even offers the second one as openable
WRONG_TYPES = {
    "format-is-a-string": {"session": {"1": {"schema": 1, "title": "Hand edited",
                                              "date": "2024-05-02", "format": "group-dialogue",
                                              "round_order": [0], "current": 0}}},
    "round-order-is-a-string": {"session": {"1": {"schema": 1, "title": "Hand edited",
                                                   "date": "2024-05-02", "round_order": "0,1",
                                                   "current": 0}}},
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
async def test_a_session_file_with_wrong_types_is_refused_not_fatal(workspace_dir, monkeypatch,
                                                                    case):
    path = workspace_dir / "sessions" / f"2024-05-02-{case}.json"
    path.write_text(json.dumps(WRONG_TYPES[case]), encoding="utf-8")
    before = path.read_bytes()
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert app.sessions.open_file(path) is None
        await pilot.pause()
        assert spy.calls[-1][1]["severity"] == "error"
        assert path.name in spy.messages[-1]
        assert app.sessions.store is None and app.is_running
    assert path.read_bytes() == before


# ---------------------------------------------------------------- 6. a full disk


async def test_a_full_disk_keeps_the_note_in_the_input_and_says_not_saved(workspace_dir,
                                                                          monkeypatch):
    app = make_app(workspace_dir)
    spy = NotifySpy(app)
    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Full disk")
        await submit_note(pilot, "Saved before the disk filled up")
        assert len(notes_of(path)) == 1
        before = path.read_bytes()

        attempts: list[str] = []

        def no_space(*args: Any) -> None:
            attempts.append(str(args[-1]))
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr("goodwork_tui.core.atomic.os.replace", no_space)
            await submit_note(pilot, "i: +doet This one must not be lost")
            assert attempts == [str(path)]
            assert note_input(app).value == "i: +doet This one must not be lost"
            assert app.focused is note_input(app)
            assert saved_label(app) == "✗ NOT SAVED: No space left on device"
            assert app.main.query_one("#session-saved").has_class("-error")
            message, options = spy.calls[-1]
            assert options["severity"] == "error"
            assert "No space left on device" in message
            assert path.read_bytes() == before
            assert leftovers(workspace_dir) == []
            assert listed_texts(app) == ["Saved before the disk filled up"]
            assert [n["text"] for n in app.sessions.store.notes()] == [
                "Saved before the disk filled up"]
            # the timer cannot be saved either: said, not crashed
            await pilot.press("f8")
            assert saved_label(app).startswith("✗ NOT SAVED")
            assert path.read_bytes() == before

        # space again: the same Enter saves the note that waited in the input
        await pilot.press("enter")
        notes = notes_of(path)
        assert [n["text"] for n in notes] == ["Saved before the disk filled up",
                                              "This one must not be lost"]
        assert notes[1]["kind"] == "insight" and notes[1]["lens"] == "ethical"
        assert notes[1]["seq"] == 2
        assert note_input(app).value == ""
        assert saved_label(app).startswith("✓ saved")
        assert not app.main.query_one("#session-saved").has_class("-error")
        assert listed_texts(app) == ["Saved before the disk filled up",
                                     "This one must not be lost"]

        # the disk fills up while the temp file is fsynced: the same story
        before = path.read_bytes()
        with monkeypatch.context() as patch:
            patch.setattr("goodwork_tui.core.atomic.os.fsync", no_space)
            await submit_note(pilot, "o: Another one")
            assert note_input(app).value == "o: Another one"
            assert saved_label(app) == "✗ NOT SAVED: No space left on device"
            assert path.read_bytes() == before
            assert leftovers(workspace_dir) == []
        await pilot.press("enter")
        assert notes_of(path)[-1]["text"] == "Another one"
        assert notes_of(path)[-1]["kind"] == "outcome"
        assert len(notes_of(path)) == 3
    assert leftovers(workspace_dir) == []


async def test_notes_typed_in_one_burst_stay_apart(workspace_dir):
    """Keys that all arrive before the first is handled (a fast typist; tmux send-keys;
    a key macro): each Enter ends its own note, nothing runs into the next one."""
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        path = await create_session(app, pilot, "Burst")
        typed = ["first note here", "+doet second note there", "  ", "third one", "half"]
        await press_keys(pilot, *"\n".join(typed))
        await wait_until(pilot, lambda: len(notes_of(path)) == 3, "three notes saved")
        await pilot.pause()
        notes = notes_of(path)
        assert [n["text"] for n in notes] == ["first note here", "second note there",
                                              "third one"]
        assert [n["lens"] for n in notes] == ["", "ethical", ""]
        assert listed_texts(app) == ["first note here", "second note there", "third one"]
        assert note_input(app).value == "half"  # a blank "note" is no note


# ---------------------------------------------------------------- 7. hostile text

TYPED_HOSTILE = ["[b]bold?[/b]", "[/]", "[@click=app.quit]x[/]", "a[/b] c", "# x", "---",
                 "<script>alert(1)</script>", "*not* _emphasis_ `code`"]
CONTROL_HOSTILE = {"\x1b[31mred": "␛[31mred", "a\x07b": "a␇b"}


async def test_hostile_notes_are_stored_exactly_and_shown_literally(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        title = "[b]Team[/] [@click=app.quit]x[/]"
        path = await create_session(app, pilot, title,
                                    participants="[/]\n[@click=app.quit]q[/]", consent=(0,))
        assert meta_of(path)["title"] == title
        assert meta_of(path)["participants"][1]["name"] == "[@click=app.quit]q[/]"
        assert title in shown(app, "#session-head")

        for text in TYPED_HOSTILE:
            await submit_note(pilot, text)
            assert notes_of(path)[-1]["text"] == text
        for text in CONTROL_HOSTILE:  # no key types these: they arrive by paste
            note_input(app).value = text
            await pilot.press("enter")
            assert notes_of(path)[-1]["text"] == text
        await submit_note(pilot, "@A [/] said it")
        assert notes_of(path)[-1]["speaker"] == "p1"
        assert notes_of(path)[-1]["text"] == "[/] said it"

        assert [n["text"] for n in notes_of(path)] == [
            *TYPED_HOSTILE, *CONTROL_HOSTILE, "[/] said it"]
        assert listed_texts(app) == [*TYPED_HOSTILE, *CONTROL_HOSTILE.values(), "[/] said it"]
        notes = note_list(app)
        assert " · [/]" in str(notes.get_option_at_index(notes.option_count - 1).prompt)

        # clicking the would-be link does nothing; the app is still here and writable
        notes.scroll_home(animate=False)
        await pilot.pause()
        content, region = notes.content_region, notes.region
        lines = [notes.render_line(y).text for y in range(content.height)]
        y = next(y for y, text in enumerate(lines) if "[@click=app.quit]x[/]" in text)
        x = lines[y].index("[@click=app.quit]x[/]") + 1
        await pilot.click("#notes", offset=(content.x - region.x + x, content.y - region.y + y))
        await pilot.pause()
        assert app.is_running and app.screen is app.main
        assert notes.get_option_at_index(notes.highlighted).id == notes_of(path)[2]["id"]
        note_input(app).focus()
        await submit_note(pilot, "still here")
        assert notes_of(path)[-1]["text"] == "still here"
    assert app.return_code in (None, 0)


# ---------------------------------------------------------------- 8. the command palette

SESSION_COMMANDS = ["New session", "Open session", "Next round", "Previous round",
                    "Start/pause timer", "Add a minute"]


async def test_session_commands_are_in_the_palette_by_name_and_work(workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        titles = await palette_titles(app, pilot)
        for name in SESSION_COMMANDS:
            assert titles.count(name) == 1, name
        # and each name finds its command: "New session" straight from this palette
        await type_text(pilot, "New session")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: str(options.get_option_at_index(0).prompt)
                         .split("\n")[0] == "New session", "New session offered first")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewSessionScreen), "the form")
        path = await create_session(app, pilot, "Palette", open_form=False)
        await palette_run(app, pilot, "Next round", typed=True)
        assert meta_of(path)["current"] == 1
        assert round_label(app).startswith("Round 2 of 6")
        await palette_run(app, pilot, "Previous round", typed=True)
        assert meta_of(path)["current"] == 0
        await palette_run(app, pilot, "Start/pause timer", typed=True)
        assert timer_of(path, 0)["started_at"] is not None
        await palette_run(app, pilot, "Add a minute", typed=True)
        assert timer_of(path, 0)["added"] == 1
        await palette_run(app, pilot, "Start/pause timer", typed=True)
        assert timer_of(path, 0)["started_at"] is None


@pytest.mark.parametrize(("lang", "kind_tip", "edit_tip"), [
    ("en", "Next note kind for this note", "Edit the selected note"),
    ("nl", "Volgende soort voor deze notitie", "Bewerk de gekozen notitie"),
])
async def test_help_lists_the_note_keys_before_any_session_is_open(workspace_dir, lang,
                                                                   kind_tip, edit_tip):
    # the note widgets are built when the first session opens; F1 lists their keys anyway
    app = make_app(workspace_dir, lang)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        assert app.sessions.store is None and not app.main.query(NoteList)
        await pilot.press("f1")
        await pilot.pause()
        source = app.screen.query_one(Markdown).source
        rows = [[cell.strip() for cell in row.strip("|").split("|")]
                for row in source.splitlines() if row.startswith("|")]
        assert ["`^t`", kind_tip] in rows and ["`e`", edit_tip] in rows


# ---------------------------------------------------------------- 9. a narrow terminal


async def test_narrow_screen_shows_the_session_pane_after_create_and_notes_work(
        workspace_dir):
    app = make_app(workspace_dir)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        assert app.main.narrow
        assert displayed(app) == {"library": True, "reader": False, "session": False}
        path = await create_session(app, pilot, "Small screen")
        assert app.main.current == "session"
        assert app.main.query_one("#session").has_class("-current")
        assert displayed(app) == {"library": False, "reader": False, "session": True}
        assert app.focused is note_input(app)
        assert note_input(app).region.height > 0
        assert app.main.query_one("#round-title").region.height > 0
        await submit_note(pilot, "i: +doet Small but working")
        note = notes_of(path)[-1]
        assert (note["text"], note["kind"], note["lens"]) == (
            "Small but working", "insight", "ethical")
        assert listed_texts(app) == ["Small but working"]
        assert note_input(app).value == ""
        # F2 goes to the library and F4 back, straight into the note input
        await pilot.press("f2")
        assert displayed(app)["library"] and not displayed(app)["session"]
        await pilot.press("f4")
        assert displayed(app)["session"] and app.focused is note_input(app)
        await submit_note(pilot, "second")
        assert [n["text"] for n in notes_of(path)] == ["Small but working", "second"]


# ---------------------------------------------------------------- editing: what Esc and d leave


async def test_cancelling_an_edit_does_not_pass_the_notes_tags_to_the_next_note(workspace_dir):
    path = make_session(workspace_dir, notes=())
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        await submit_note(pilot, "!room +doet q: only for this room")
        await submit_note(pilot, "plain")
        flags_before = shown(app, "#note-flags")
        assert "room only" not in flags_before
        await pilot.click("#notes")
        await highlight_note(pilot, note_list(app), notes_of(path)[0]["id"])
        await pilot.press("e")
        assert note_input(app).value == "only for this room"
        await pilot.press("escape")
        assert note_input(app).value == "" and "editing" not in shown(app, "#note-flags")
        await submit_note(pilot, "a new note for the harvest")
        new = notes_of(path)[-1]
        assert (new["kind"], new["lens"], new["room_only"]) == ("experience", "", False)
        assert shown(app, "#note-flags") == flags_before


async def test_an_edit_of_a_deleted_note_is_not_silently_lost(workspace_dir):
    path = make_session(workspace_dir, notes=("keep me", "change me"))
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        notes = note_list(app)
        target = notes_of(path)[1]["id"]
        await pilot.click("#notes")
        await highlight_note(pilot, notes, target)
        await pilot.press("e", "ctrl+u")
        await type_text(pilot, "changed, and these words matter")
        await pilot.click("#notes")
        await highlight_note(pilot, notes, target)
        await pilot.press("d")
        note_input(app).focus()
        await pilot.pause()
        await pilot.press("enter")
        texts = [n["text"] for n in notes_of(path)]
        typed_is_kept = note_input(app).value == "changed, and these words matter"
        assert "changed, and these words matter" in texts or (
            typed_is_kept and not saved_label(app).startswith("✓"))


# ---------------------------------------------------------------- speaker picker


async def test_ctrl_b_chooses_the_speaker_of_the_next_note_only(workspace_dir):
    path = make_session(workspace_dir, notes=())
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        assert app.focused is note_input(app)
        await pilot.press("ctrl+b")
        await pick(app, pilot, lambda prompt: prompt == "Anna")
        assert "Anna" in shown(app, "#note-flags")
        await submit_note(pilot, "Said by Anna")
        await submit_note(pilot, "Said by nobody in particular")
        notes = notes_of(path)
        assert [(n["text"], n["speaker"]) for n in notes] == [
            ("Said by Anna", "p1"), ("Said by nobody in particular", "")]
        assert "Anna" not in shown(app, "#note-flags")


# ---------------------------------------------------------------- question helper


async def test_a_question_being_typed_gets_gentle_hints_and_is_never_blocked(workspace_dir):
    rounds = [{"title": "Moral question", "prompt": "", "minutes": 10,
               "kinds": ["experience"], "helper": "moral-question"}]
    with SessionStore.create(workspace_dir / "sessions", title="Helper",
                             format={"id": "f", "title": "F", "rounds": rounds},
                             participants=[]) as store:
        path = store.path
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await ready(app, pilot)
        app.sessions.open_file(path)
        await pilot.pause()
        hints = app.main.query_one("#question-hints", Static)
        await type_text(pilot, "e: an experience")
        assert not hints.display  # only questions get hints
        note_input(app).value = ""
        await type_text(pilot, "q: How do we make sure, in the end, everyone is heard")
        await pilot.pause()
        assert hints.display
        shown_hints = text_of(hints)
        assert "‘How’ asks for a method" in shown_hints and "comma" in shown_hints
        await pilot.press("enter")  # hints never block: the question is saved as typed
        notes = notes_of(path)
        assert notes[-1]["kind"] == "question"
        assert notes[-1]["text"] == "How do we make sure, in the end, everyone is heard"
        await type_text(pilot, "q: May I keep quiet about what I know?")
        await pilot.pause()
        assert "✓" in text_of(hints)
