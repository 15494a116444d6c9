"""Reading many session files at once (core/session_digest.py): helper processes read
the files with no cached digest; what they give is what one process gives, a damaged
file is still named and left out, and without helpers all is read here."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwork_tui.core import patterns, session_digest
from goodwork_tui.core.patterns import collect
from goodwork_tui.core.patterns_report import render
from goodwork_tui.core.session_store import SessionStore

MANY = session_digest.PARALLEL_FROM + 6
READ_HERE: list[str] = []
_READ = session_digest._digest_or_problem


def _read_here(path: Path) -> session_digest.Digest | str:
    READ_HERE.append(path.name)  # in a helper process this list is the helper's own
    return _READ(path)


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """MANY sessions (copies of two, so every word recurs) and one cut-off file."""
    sessions = tmp_path / "sessions"
    firsts = []
    for day, texts in ((date(2027, 1, 4), ["Het mandaat van het team", "Wie beslist?"]),
                       (date(2027, 1, 5), ["Vertrouwen in het mandaat", "Beïnvloeden"])):
        with SessionStore.create(sessions, title=f"Sessie {day}", on=day, series="Reeks",
                                 format={"id": "f", "title": "F", "rounds": [{"title": "R"}]},
                                 participants=[{"name": "Anouk", "consent": True}],
                                 lang="nl") as store:
            for text in texts:
                store.add_note(text, round=0, kind="question" if "?" in text else "",
                               lens="ethical")
            firsts.append(store.path)
    for i in range(MANY - 2):
        shutil.copy(firsts[i % 2], sessions / f"2027-02-{i:03d}-kopie.json")
    (sessions / "2027-03-01-cut.json").write_bytes(firsts[0].read_bytes()[:150])
    return sessions


def test_helper_processes_read_what_one_process_reads(
        many: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not session_digest._helpers():
        pytest.skip("no second core, or no fork, here")
    READ_HERE.clear()
    monkeypatch.setattr(session_digest, "_digest_or_problem", _read_here)
    together = collect(many)
    assert 0 < len(READ_HERE) < MANY + 1  # the helper's share was not read here
    monkeypatch.setenv("GOODWORK_CACHE", str(tmp_path / "other-cache"))
    monkeypatch.setattr(session_digest, "PARALLEL_FROM", 10**6)
    alone = collect(many)
    assert patterns.as_dict(together) == patterns.as_dict(alone)
    assert render(together) == render(alone)
    assert len(together.sessions) == MANY
    assert [(p.path.name, p.reason) for p in together.problems] == [
        ("2027-03-01-cut.json", "not a readable session file")]
    assert [(w.label, w.sessions, w.notes) for w in together.words] == [
        ("mandaat", MANY, MANY), ("beïnvloeden", MANY // 2, MANY // 2),
        ("beslist", MANY // 2, MANY // 2), ("team", MANY // 2, MANY // 2),
        ("vertrouwen", MANY // 2, MANY // 2)]


def test_without_helper_processes_all_is_read_here(
        many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def cannot(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", cannot)
    monkeypatch.setattr(session_digest, "_helpers", lambda: 1)
    found = collect(many)
    assert len(found.sessions) == MANY and len(found.problems) == 1
    assert patterns.flat(found.words[0].refs)  # the notes behind a word are found again


def test_the_sums_follow_a_few_changed_files_without_reading_all_again(many: Path) -> None:
    def state(sums: session_digest.Sums) -> tuple:
        return (sums.counts, sums.extra, sums.unformed, sums.spellings)

    session_digest.load(many)  # cached
    files = sorted(many.glob("*-kopie.json"))
    with SessionStore.open(files[0]) as store:  # a session saved in the app
        store.add_note("Beïnvloeden, béïnvloeden: nieuwwoord", round=0, kind="question")
    files[1].unlink()
    again = session_digest.load(many)
    made = session_digest.Sums()
    made.add(again.digests)
    assert state(again.sums) == state(made)
    assert again.sums.counts["words"]["nieuwwoord"] == 1
    assert again.sums.spellings["question_words"]["beinvloeden"] == Counter({"beïnvloeden": 1})
    # a cache whose sums do not add up is made again, not trusted
    cached = session_digest.load(many).sums
    cached.counts["words"].clear()
    assert not cached.remove(again.digests[:1])


# Session files are decoded by msgspec into typed notes where they are as Goed Werk writes
# them (core/session_decode.py), else read by json note by note: both must give one digest.
_ODD = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.floats(-1, 1),
                 st.sampled_from(["", "a\nb", [], [1], {}, {"text": "x"}]))
_FIELDS = {
    "id": st.text("ab\n", min_size=1, max_size=3), "seq": st.integers(0, 4),
    "text": st.sampled_from(["Het mandaat van Anouk", "Wie beslist? Mandaat", "", "ééé"]),
    "kind": st.sampled_from(["", "question", None]),
    "lens": st.sampled_from(["", "ethical", "craft", "other", None]),
    "situation": st.sampled_from(["", "s-1", "s-2", None]),
    "theme": st.sampled_from(["", "t-1", None]), "room_only": st.booleans(),
    "created": st.just("2027-01-04T10:00:00+01:00"),
}
_REQUIRED = ("id", "seq", "text")
# notes as Goed Werk writes them (some fields left out), and notes with a field of any
# other type or missing where the app always writes it, or no note at all
_WRITTEN = st.fixed_dictionaries(
    {key: _FIELDS[key] for key in _REQUIRED},
    optional={key: value for key, value in _FIELDS.items() if key not in _REQUIRED})
_NOTE = st.fixed_dictionaries({}, optional={
    key: st.one_of(value, _ODD) for key, value in _FIELDS.items()})
_NOTES = st.dictionaries(st.sampled_from("123456"), st.one_of(_WRITTEN, _WRITTEN, _NOTE, _ODD),
                         max_size=6)


def _plain(found: session_digest.Digest) -> dict:
    """A digest as plain values (its Words compared by what they hold)."""
    plain = {name: getattr(found, name) for name in session_digest.Digest.__slots__}
    for kind in session_digest.WORD_KINDS:
        plain[kind] = (plain[kind].text, plain[kind].counts)
    return plain


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_NOTES, reflection=st.booleans(),
       schema=st.sampled_from([1, 1, 1, 1, 2, 0, True, 1.0, "1", None]))
def test_decoded_and_json_read_files_give_the_same_digest(
        notes: dict, reflection: bool, schema: object,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from goodwork_tui.core import session_decode

    meta = {"schema": schema, "title": "T", "participants": [{"name": "Anouk"}],
            "themes": [{"id": "t-1", "name": "Mandaat"}],
            "format": {"reflection": True} if reflection else {}}
    path = tmp_path_factory.mktemp("odd") / "2027-01-04-odd.json"
    path.write_text(json.dumps({"session": {"1": meta}, "notes": notes}), "utf-8")
    decoded = session_digest._digest_or_problem(path)
    behind = {} if isinstance(decoded, str) else {
        kind: session_digest.word_notes(decoded, kind, ["mandaat", "beslist"])
        for kind in session_digest.WORD_KINDS}
    original = session_decode.decode
    session_decode.decode = lambda raw: None  # every file read by json, as before
    try:
        read = session_digest._digest_or_problem(path)
        behind_read = {} if isinstance(read, str) else {
            kind: session_digest.word_notes(read, kind, ["mandaat", "beslist"])
            for kind in session_digest.WORD_KINDS}
    finally:
        session_decode.decode = original
    assert isinstance(read, str) == isinstance(decoded, str)
    if isinstance(read, str):
        assert read == decoded
    else:
        assert not isinstance(decoded, str)
        assert _plain(decoded) == _plain(read)
        assert behind == behind_read


def test_files_as_goed_werk_writes_them_are_decoded_by_msgspec(many: Path) -> None:
    from goodwork_tui.core import session_decode

    path = sorted(many.glob("*.json"))[0]
    decoded = session_decode.decode(path.read_bytes())
    assert decoded is not None
    meta, notes, carried = decoded
    assert meta["title"] == "Sessie 2027-01-04" and [n.text for n in notes] == [
        "Het mandaat van het team", "Wie beslist?"]
    assert carried["words"].split("\n") == ["beslist", "mandaat", "team"]  # at close
    # damaged, foreign, null where a table should be: not decoded here (json says why)
    for raw in (path.read_bytes()[:150], b'{"_default": {"1": {}}}',
                b'{"session": {"1": {"schema": 1}}, "notes": null}'):
        assert session_decode.decode(raw) is None
