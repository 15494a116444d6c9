"""The word counts a session file carries (core/word_counts.py): written by the store when
a session it changed closes, used by the views across sessions only where they were counted
from exactly the notes and names in the file, and never the reason a file reads otherwise."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_session_digest import _NOTES

from goodwork_tui.core import session_digest, session_list, word_counts
from goodwork_tui.core.patterns import collect
from goodwork_tui.core.patterns_report import render
from goodwork_tui.core.session_store import SessionStore

NOTES = [
    ("Anouk zegt dat het mandaat van het team onduidelijk is", ""),
    ("Wie beslist over het mandaat als de teamleider er niet is?", "question"),
    ("Beïnvloeden we de planning, of beinvloeden we alleen elkaar?", "question"),
    ("Piet: het café-overleg gaf vertrouwen; naïef misschien", ""),
    ("L’équipe ‘zelfsturend’ — vertrouwen moet groeien", ""),
    ("", ""),
]


def _session(sessions: Path, *, reflection: bool = False, title: str = "Sessie") -> Path:
    fmt: dict[str, Any] = {"id": "f", "title": "F", "rounds": [{"title": "R"}]}
    if reflection:
        fmt["reflection"] = True
    with SessionStore.create(sessions, title=title, on=date(2027, 1, 4), series="Reeks",
                             format=fmt, facilitator="Piet Bakker",
                             participants=[{"name": "Anouk de Vries", "consent": True}],
                             lang="nl") as store:
        for text, kind in NOTES:
            store.add_note(text, round=0, kind=kind, lens="ethical")
        store.add_note("alleen in de zaal: geheim mandaat", round=0, room_only=True)
        return store.path


def _plain(found: session_digest.Digest) -> dict:
    """A digest as plain values, its words as a dict (their order is not kept)."""
    plain = {name: getattr(found, name) for name in session_digest.Digest.__slots__}
    for kind in session_digest.WORD_KINDS:
        plain[kind] = dict(zip(plain[kind].words(), plain[kind].counts, strict=True))
    return plain


def _tables(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def _counted_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> session_digest.Digest:
    """The digest of `path` with the counts it carries left unused."""
    with monkeypatch.context() as patch:
        patch.setattr(word_counts, "carried", lambda *args: None)
        return session_digest.digest(path)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets an entry each time a session's words are counted."""
    counted: list[int] = []
    count = word_counts.count

    def counting(*args: Any) -> Any:
        counted.append(1)
        return count(*args)

    monkeypatch.setattr(word_counts, "count", counting)
    return counted


def test_a_closed_session_carries_its_counts_and_they_read_as_counting_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _session(tmp_path / "sessions")
    carried = _tables(path)["words"]["1"]
    assert carried["format"] == word_counts.WORDS_FORMAT
    assert carried["words"].split("\n") == sorted(carried["words"].split("\n"))
    words = dict(zip(carried["words"].split("\n"), carried["counts"], strict=True))
    assert words["mandaat"] == 2 and words["vertrouwen"] == 2
    # names, stop words and room-only notes are not in it
    assert not {"anouk", "piet", "het", "geheim", "zaal"} & words.keys()
    assert carried["forms"]["beinvloeden"] == "beïnvloeden"
    assert set(carried["question_words"].split("\n")) >= {"mandaat", "beslist", "planning"}
    counted = _counting(monkeypatch)
    used = session_digest.digest(path)
    assert counted == []  # taken from the file, not counted
    assert _plain(used) == _plain(_counted_again(path, monkeypatch))


def test_a_session_only_looked_at_is_not_written(tmp_path: Path) -> None:
    path = _session(tmp_path / "sessions")
    tables = _tables(path)
    del tables["words"]  # as an older version left it
    path.write_text(json.dumps(tables), "utf-8")
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = path.read_bytes()
    SessionStore.open(path).close()
    with SessionStore.open(path) as first:
        SessionStore.open(path).close()  # a second copy of the app: read-only
        assert first.notes()
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_700_000_000_000_000_000
    with SessionStore.open(path) as store:  # changed: it carries its counts again
        store.update_meta(title="Sessie, herzien")
    assert "words" in _tables(path)


def test_a_reflection_carries_no_counts(tmp_path: Path) -> None:
    path = _session(tmp_path / "sessions", reflection=True)
    assert "words" not in _tables(path)


def _edit(path: Path, change: str) -> None:
    tables = _tables(path)
    notes = tables["notes"]
    first = notes[min(notes, key=int)]
    if change == "text":
        first["text"] = "Een heel ander verhaal over vertrouwen"
    elif change == "added":
        notes["99"] = dict(first, id="extra", seq=99, text="Nieuw: loyaliteit")
    elif change == "question":
        first["kind"] = "question"
    elif change == "room-only":
        first["room_only"] = True
    elif change == "name":
        tables["session"]["1"]["participants"][0]["name"] = "Mandaat Jansen"
    elif change == "format":
        tables["words"]["1"]["format"] = word_counts.WORDS_FORMAT + 1
    elif change == "short counts":
        tables["words"]["1"]["counts"].pop()
    elif change == "count too high":
        tables["words"]["1"]["counts"][0] = 10_000
    elif change == "odd counts":
        tables["words"]["1"]["counts"][0] = "many"
    elif change == "odd forms":
        tables["words"]["1"]["forms"] = ["x"]
    elif change == "odd document":
        tables["words"]["1"] = "not counts"
    elif change == "odd table":
        tables["words"] = ["not a table"]
    path.write_text(json.dumps(tables), "utf-8")


CHANGES = ["text", "added", "question", "room-only", "name", "format", "short counts",
           "count too high", "odd counts", "odd forms", "odd document", "odd table"]


@pytest.mark.parametrize("change", CHANGES)
def test_counts_that_do_not_fit_the_file_are_counted_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    path = _session(tmp_path / "sessions")
    _edit(path, change)
    counted = _counting(monkeypatch)
    found = session_digest._digest_or_problem(path)
    assert isinstance(found, session_digest.Digest), found  # never a problem for that
    assert counted  # counted again
    assert _plain(found) == _plain(_counted_again(path, monkeypatch))
    if change == "name":
        assert found.words.count_of("mandaat") == 0  # a name now: never counted
    if change == "added":
        assert found.words.count_of("loyaliteit") == 1


def test_counts_go_with_the_first_change_and_come_back_at_close(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _session(tmp_path / "sessions")
    store = SessionStore.open(path)
    try:
        deleted = store.notes()[0]
        store.delete_note(deleted["id"])
        # the deleted note's words are not left behind in the file (nor are counts that
        # no longer fit, should the app stop here)
        assert "words" not in _tables(path)
        assert "onduidelijk" not in path.read_text("utf-8")
        store.add_note("Vakmanschap vraagt tijd", round=0)
        found = session_digest.digest(path)
        assert found.words.count_of("vakmanschap") == 1
        assert _plain(found) == _plain(_counted_again(path, monkeypatch))
    finally:
        store.close()
    counted = _counting(monkeypatch)
    assert session_digest.digest(path).words.count_of("vakmanschap") == 1
    assert counted == []  # closed: counted once more and carried


def test_the_report_is_the_same_with_or_without_the_counts(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    for i in range(3):
        _session(sessions, title=f"Sessie {i}")
    with_counts = render(collect(sessions), fmt="md")
    for path in sessions.glob("*.json"):
        tables = _tables(path)
        assert tables.pop("words")
        path.write_text(json.dumps(tables), "utf-8")
    assert render(collect(sessions), fmt="md") == with_counts
    assert "mandaat" in with_counts


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_NOTES, other=_NOTES, reflection=st.booleans())
def test_carried_counts_give_the_digest_counting_gives(
        notes: dict, other: dict, reflection: bool,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any notes (odd ones too), carrying the counts of these notes or of others: the
    digest is the one of counting them."""
    meta = {"schema": 1, "title": "T", "participants": [{"name": "Anouk"}],
            "themes": [{"id": "t-1", "name": "Mandaat"}],
            "format": {"reflection": True} if reflection else {}}
    folder = tmp_path_factory.mktemp("carried")
    plain = folder / "2027-01-04-plain.json"
    plain.write_text(json.dumps({"session": {"1": meta}, "notes": notes}), "utf-8")
    expected = session_digest._digest_or_problem(plain)
    for source in (notes, other):
        document = session_digest.words_document({"session": {"1": meta}, "notes": source})
        path = folder / "2027-01-04-carried.json"
        path.write_text(json.dumps({"session": {"1": meta}, "notes": notes,
                                    "words": {"1": document}}), "utf-8")
        found = session_digest._digest_or_problem(path)
        if isinstance(expected, str):
            assert found == expected
        else:
            assert not isinstance(found, str)
            assert _plain(found) | {"id": "", "path": ""} == \
                _plain(expected) | {"id": "", "path": ""}


@pytest.mark.parametrize("table", [["not a table"], {"1": "not counts"}, {"x": {}}, None])
def test_damaged_counts_never_keep_a_session_from_opening(tmp_path: Path, table: Any) -> None:
    path = _session(tmp_path / "sessions")
    tables = _tables(path)
    tables["words"] = table
    path.write_text(json.dumps(tables), "utf-8")
    with SessionStore.open(path) as store:
        assert [n["text"] for n in store.notes()][:2] == [text for text, _kind in NOTES[:2]]
        store.add_note("Moed", round=0)
    carried = _tables(path)["words"]["1"]  # made again at close
    assert "moed" in carried["words"].split("\n")
    path.write_text(json.dumps({**_tables(path), "words": table}), "utf-8")
    listed = session_list.summarize(path)
    assert listed.problem is None and listed.notes == len(NOTES) + 2
