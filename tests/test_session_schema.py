"""The session record, typed: `SessionMeta` reads what the store wrote, and what older
versions wrote, without changing a byte on disk."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from goodwork_tui.core.model import Round
from goodwork_tui.core.session_schema import (
    Participant,
    SessionError,
    SessionMeta,
    SituationTitle,
    check_shape,
    wrong_field,
)
from goodwork_tui.core.session_store import SessionStore

FORMAT = {
    "id": "dialogue", "title": "Group dialogue",
    "rounds": [
        {"title": "Opening", "minutes": 10, "prompt": "Who is here?", "kinds": ["experience"]},
        {"title": "Stories", "minutes": 20, "roles": ["facilitator"]},
        {"title": "Harvest"},
    ],
}


def test_a_new_session_reads_back_typed(tmp_path: Path) -> None:
    with SessionStore.create(tmp_path, title="Team day", on=date(2024, 5, 1), group="Zorg",
                             format=FORMAT, situations=["s1", "s2"],
                             situation_titles={"s1": {"title": "Late", "summary": "One."}},
                             participants=[{"name": "Anouk", "consent": True},
                                           {"name": "Bram"}]) as store:
        store.set_round_order([2, 0])
        store.step_round(1)
        session = store.session
    assert session.title == "Team day" and session.date == "2024-05-01"
    assert session.group == "Zorg" and session.format_title == "Group dialogue"
    assert session.rounds == (Round("Opening", 10, "Who is here?", ("experience",)),
                              Round("Stories", 20, "", (), ("facilitator",)),
                              Round("Harvest", 0, ""))
    assert session.round_order == (2, 0)
    assert [r.title for r in session.planned] == ["Harvest", "Opening"]
    assert session.current_round == 0 and session.round_title(0) == "Opening"
    assert session.participants == (Participant("p1", "Anouk", True),
                                    Participant("p2", "Bram", False))
    assert session.situations == ("s1", "s2")
    assert session.situation_titles == {"s1": SituationTitle("Late", "One.")}
    assert session.situation_title("s1") == "Late"
    assert session.situation_title("s2") == "s2"  # no title kept: the id
    assert not session.reflection and not session.closed and not session.archived


def test_an_old_file_with_few_fields_opens_and_stays_as_it_was(tmp_path: Path) -> None:
    """A record of an early version: no participants, no situations, no order."""
    path = tmp_path / "old.json"
    raw = json.dumps({"session": {"1": {"schema": 1, "title": "Old",
                                        "format": {"rounds": [{"title": "Only"}]}}},
                      "notes": {}}).encode()
    path.write_bytes(raw)
    with SessionStore.open(path) as store:
        session = store.session
        assert store.rounds == [] and store.current_round == -1
    assert session.title == "Old" and session.format_title == ""
    assert session.rounds == (Round("Only", 0, ""),) and session.round_order == ()
    assert session.participants == () and session.situations == ()
    assert path.read_bytes() == raw  # reading never writes


def test_fields_of_another_type_read_as_empty() -> None:
    session = SessionMeta.of({"format": "not a dict", "round_order": "12",
                              "participants": [1, {"name": "A"}], "current": True})
    assert session.rounds == () and session.round_order == () and session.current == 0
    assert session.participants == (Participant("", "A", False),)
    assert session.current_round == -1 and session.round_title(0) == ""


@pytest.mark.parametrize(("meta", "field"), [
    ({"format": {"rounds": [{"minutes": "ten"}]}}, "format.rounds"),
    ({"format": {"rounds": []}, "round_order": [0]}, "round_order"),
    ({"participants": [{"id": "p1"}, {"id": "p1"}]}, "participants (the same id twice)"),
    ({"situations": [3]}, "situations"),
    ({"current": True}, "current"),
])
def test_wrong_field_names_the_first_field_the_app_cannot_use(meta: dict, field: str) -> None:
    assert wrong_field(meta, []) == field


def test_check_shape_wants_tables_of_numbered_documents(tmp_path: Path) -> None:
    check_shape(tmp_path, {"session": {"1": {}}, "notes": {}})
    for data in ([], {"session": []}, {"session": {"x": {}}}, {"session": {"1": 2}}):
        with pytest.raises(SessionError):
            check_shape(tmp_path, data)


def test_the_rooms_fields_of_a_note_are_checked() -> None:
    note = {"id": "n1", "seq": 1, "text": "x", "round": 0, "room_participant": "p",
            "room_client": "c1", "room_dots": {"p": 2}}
    assert wrong_field({}, [note]) is None
    assert wrong_field({}, [dict(note, room_dots={"p": "2"})]) == "notes.room_dots"
    assert wrong_field({}, [dict(note, room_dots=[2])]) == "notes.room_dots"
    assert wrong_field({}, [dict(note, room_client=7)]) == "notes.room_client"
