"""Patterns across sessions (core/patterns.py) and the report made from them."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from goodwork_tui.core import encryption, note_words, patterns, reflection, session_digest, vault
from goodwork_tui.core.library_cache import cache_file
from goodwork_tui.core.model import Collection, Library, Situation
from goodwork_tui.core.patterns import ANONYMOUS, collect, flat
from goodwork_tui.core.patterns_report import render
from goodwork_tui.core.session_store import SessionStore

FORMAT = {"id": "f", "title": "F", "rounds": [{"title": "Ronde"}]}
PEOPLE = [{"name": "Anouk de Vries", "consent": True}, {"name": "Bram", "consent": False}]
NAME = "Leernetwerk"


@pytest.fixture(autouse=True)
def no_vaults_left():
    yield
    vault.forget()


def session(folder: Path, day: date, notes: list[tuple[str, dict]], *, name: str = NAME,
            themes: tuple[str, ...] = (), lang: str = "nl", **extra: object) -> SessionStore:
    store = SessionStore.create(folder, title=f"Sessie {day}", on=day, series=name,
                                format=FORMAT, participants=PEOPLE, lang=lang,
                                facilitator="Mira Jansen", **extra)  # type: ignore[arg-type]
    theme_ids = [store.add_theme(theme) for theme in themes]
    for text, fields in notes:
        theme = fields.pop("theme", None)
        note = store.add_note(text, round=0, **fields)
        if theme is not None:
            store.set_note_theme(note["id"], theme_ids[theme])
    return store


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Four sessions of one series, one of another, one reflection sent to the library."""
    sessions = tmp_path / "sessions"
    with session(sessions, date(2027, 1, 10), [
        ("Het vertrouwen van de gemeente", {"lens": "ethical", "situation": "s-trust",
                                            "theme": 0}),
        ("Anouk zegt: mandaat is onduidelijk", {"lens": "excellent", "kind": "question"}),
        ("geheimzinnig vertrouwen alleen voor de zaal", {"room_only": True, "lens": "engaging"}),
    ], themes=("Vertrouwen",), situations=["s-trust"],
            situation_titles={"s-trust": {"title": "Vertrouwen winnen"}}) as first:
        first.add_action("Bel de gemeente", owner="Bram", review="2027-01-31")
        first.add_action("Agenda delen", owner="Anouk de Vries", review="2027-05-01")
        first.add_action("Zaal boeken", owner="het secretariaat")
    with session(sessions, date(2027, 2, 10), [
        ("Vertrouwen groeit langzaam", {"lens": "engaging", "theme": 0}),
        ("Wie heeft het mandaat?", {"kind": "question"}),
    ], themes=(" vertrouwen",)) as second:
        from goodwork_tui.core.series import open_agreements

        answers = dict(zip(("done", "carried", "dropped"),
                           open_agreements(sessions, second.meta, second.id), strict=True))
        for status, agreement in answers.items():
            second.set_lookback(**agreement.answer_fields(status, f"les {status}"))
    with session(sessions, date(2027, 3, 10), [
        ("Het mandaat van het team en vertrouwen", {"situation": "s-other"}),
        ("Mandaat, weer", {"kind": "question"}),
    ], themes=("VERTRÓUWEN",)):
        pass
    session(sessions, date(2027, 4, 10), [("Iets anders", {})]).close()
    session(sessions, date(2027, 3, 1), [("Vertrouwen mandaat elders", {})],
            name="Andere reeks", lang="en").close()
    with reflection.create(sessions, lang="nl", own_title="Mijn vertrouwen",
                           on=date(2027, 2, 20)) as mine:
        reflection.set_answer(mine, "happened", "Een geheim vertrouwen verhaal")
        reflection.record_to_library(mine, situation="c-mijn-nl", title="Mijn situatie",
                                     file="c-mijn-nl.md", on=date(2027, 2, 21))
    return sessions


def notes_of(folder: Path) -> dict[tuple[str, str], dict]:
    found = {}
    for path in folder.glob("*.json"):
        with SessionStore.open(path, read_only=True) as store:
            for note in store.notes():
                found[(store.id, note["id"])] = note
    return found


def test_every_item_leads_to_real_notes_and_room_only_notes_never_count(folder: Path) -> None:
    found = collect(folder)
    notes = notes_of(folder)
    items = [*found.situations, *found.lenses, *found.themes, *found.words, *found.questions]
    assert items
    for item in items:
        refs = flat(item.refs)
        assert len(refs) == item.notes
        for ref in refs:
            assert ref in notes and not notes[ref]["room_only"]
    assert found.notes == 8  # 9 notes in group sessions, one room-only
    assert "geheimzinnig" not in repr(patterns.as_dict(found))
    # nor does a reflection's content count: only that it went into the library
    assert "geheim" not in repr([*found.words, *found.themes])
    assert [(i.situation, i.title, i.date) for i in found.images] == [
        ("c-mijn-nl", "Mijn situatie", "2027-02-21")]
    assert flat(found.images[0].refs) and all(ref in notes for ref in flat(found.images[0].refs))


def test_a_series_counts_its_lenses_themes_situations_and_words(folder: Path) -> None:
    found = collect(folder, series="LEERNETWERK ")
    assert [s.date for s in found.sessions] == ["2027-01-10", "2027-02-10", "2027-03-10",
                                                 "2027-04-10"]
    assert (found.series, found.first, found.last, found.lang) == (
        NAME, "2027-01-10", "2027-04-10", "nl")
    assert [(i.key, i.notes, i.sessions) for i in found.lenses] == [
        ("excellent", 1, 1), ("ethical", 1, 1), ("engaging", 1, 1), ("", 4, 3)]
    # the groups' own theme names: one theme whatever the case, spacing and accents
    assert [(t.label, t.sessions, t.notes) for t in found.themes] == [("Vertrouwen", 3, 2)]
    assert [(s.key, s.label, s.sessions, s.notes) for s in found.situations] == [
        ("s-other", "s-other", 1, 1), ("s-trust", "Vertrouwen winnen", 1, 1)]
    # in >= max(3, 20% of 4) sessions: "vertrouwen" (3 sessions); "mandaat" (3);
    # never the facilitator's or a participant's name, never a stop word
    assert found.word_threshold == 3
    assert [(w.label, w.sessions) for w in found.words] == [("mandaat", 3), ("vertrouwen", 3)]
    assert [(w.label, w.sessions, w.notes) for w in found.questions] == [("mandaat", 3, 3)]
    assert found.problems == []


def test_agreements_per_owner_follow_consent(folder: Path) -> None:
    anonymous = collect(folder, series=NAME)
    shown = {o.owner: ([a.text for a in o.open], [(a.text, a.status, a.learned)
                                                 for a in o.finished])
             for o in anonymous.owners}
    assert shown == {
        "het secretariaat": ([], [("Zaal boeken", "dropped", "les dropped")]),
        ANONYMOUS: (["Agenda delen"], [("Bel de gemeente", "done", "les done")]),
    }
    assert (anonymous.agreements_open, anonymous.agreements_finished) == (1, 2)
    named = collect(folder, series=NAME, names=True)
    owners = {o.owner: o for o in named.owners}
    assert [a.text for a in owners["Anouk de Vries"].open] == ["Agenda delen"]
    assert [a.text for a in owners[ANONYMOUS].finished] == ["Bel de gemeente"]  # no consent
    assert "Bram" not in repr(patterns.as_dict(named))
    agenda = owners["Anouk de Vries"].open[0]
    assert agenda.status == "carried" and not agenda.overdue  # review 05-01 > last 04-10
    assert [s for s, _notes in agenda.refs] == [named.sessions[0].id, named.sessions[1].id]
    # the status as of the period's end: in January nothing was answered yet
    january = collect(folder, series=NAME, until="2027-01-31")
    assert january.agreements_open == 3 and january.agreements_finished == 0


def test_a_period_and_a_library(folder: Path, tmp_path: Path) -> None:
    library = Library(root=tmp_path, collections={"c": Collection(
        "c", tmp_path, {"nl": "Grenswerk", "en": "Boundary work"})},
        situations=[Situation("s-trust", "Trust", "c", "en", tmp_path, "", tags=("trust",))],
        tags={"trust": {"nl": "vertrouwen", "en": "trust"}})
    found = collect(folder, since=date(2027, 2, 1), until="2027-03-09", library=library)
    assert [s.date for s in found.sessions] == ["2027-02-10", "2027-03-01"]
    assert found.situations == [] and [i.situation for i in found.images] == ["c-mijn-nl"]
    assert [i.situation for i in collect(folder, until="2027-02-19").images] == []
    whole = collect(folder, library=library)
    trust = next(s for s in whole.situations if s.key == "s-trust")
    assert (trust.label, trust.detail) == ("Vertrouwen winnen", "Grenswerk")
    assert [(c.label, c.sessions, c.notes) for c in whole.collections] == [("Grenswerk", 1, 1)]
    assert [(t.label, t.sessions) for t in whole.tags] == [("vertrouwen", 1)]
    assert collect(folder, series="no such series").sessions == []


def test_a_damaged_or_foreign_file_is_named_and_never_hides_the_rest(folder: Path) -> None:
    (folder / "2027-05-01-cut.json").write_bytes(
        next(folder.glob("*.json")).read_bytes()[:200])
    (folder / "2027-05-02-foreign.json").write_text('{"hello": "world"}')
    (folder / "2027-05-03-list.json").write_text("[1, 2, 3]")
    (folder / "2027-05-04-newer.json").write_text('{"session": {"1": {"schema": 99}}}')
    (folder / "2027-05-05-odd.json").write_text(
        '{"session": {"1": {"schema": 1, "themes": "x", "actions": 5, "participants": [3]}},'
        ' "notes": {"1": {"text": 5, "lens": [], "seq": "x"}, "2": 7}}')
    found = collect(folder, series=NAME)
    assert [(p.path.name, p.reason) for p in found.problems] == [
        ("2027-05-01-cut.json", "not a readable session file"),
        ("2027-05-02-foreign.json", "not a readable session file"),
        ("2027-05-03-list.json", "not a readable session file"),
        ("2027-05-04-newer.json", "made by a newer version of Goed Werk"),
    ]
    assert len(found.sessions) == 4 and found.notes == 7
    assert "4 bestanden konden niet als sessie gelezen worden" in render(found)


def test_the_cache_is_used_and_a_changed_file_is_read_again(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = collect(folder)
    calls: list[Path] = []
    real = session_digest.digest

    def counting(path: Path) -> session_digest.Digest:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(session_digest, "digest", counting)
    assert patterns.as_dict(collect(folder)) == patterns.as_dict(first)
    assert calls == []
    path = sorted(folder.glob("*.json"))[0]
    with SessionStore.open(path) as store:
        store.add_note("Nieuw: vertrouwen", round=0, lens="engaging")
    again = collect(folder)
    assert calls == [path] and again.notes == first.notes + 1


def test_an_encrypted_workspace_keeps_its_cache_sealed(folder: Path, scrypt_once: None) -> None:
    plain = patterns.as_dict(collect(folder))
    encryption.encrypt(folder, "zeven ezels op een dijk")
    assert not cache_file(folder, "patterns").exists()  # the plain cache is gone
    assert patterns.as_dict(collect(folder)) == plain
    sealed = cache_file(folder, "patterns").read_bytes()
    assert vault.is_sealed(sealed) and b"mandaat" not in sealed
    vault.forget()  # locked: every file is named, nothing is read or cached in the clear
    locked = collect(folder)
    assert locked.sessions == [] and len(locked.problems) == 6
    assert all("unlock" in p.reason for p in locked.problems)
    assert cache_file(folder, "patterns").read_bytes() == sealed
    with pytest.raises(Exception):  # noqa: B017 - it is not a plain pickle
        pickle.loads(sealed)


def test_the_report_is_deterministic_in_the_sessions_language(folder: Path) -> None:
    found = collect(folder, series=NAME)
    text = render(found)
    assert text == render(collect(folder, series=NAME))
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["series"] == NAME and front["language"] == "nl"
    assert front["counts"]["sessions"] == 4 and front["counts"]["agreements_open"] == 1
    assert front["period"] == {"since": "", "until": "", "first_session": "2027-01-10",
                               "last_session": "2027-04-10"}
    assert "# Patronen over sessies: Leernetwerk" in text
    assert "- goed doet: 1 notitie (14%)\n" in text and "- geen lens: 4 notities (57%)" in text
    assert "- **mandaat** — sessies: 3 · notities: 4" in text
    assert "Bram" not in text and "Anouk" not in text
    assert "Anouk de Vries" in render(collect(folder, series=NAME, names=True))
    assert "4 sessies, 7 notities (notities alleen voor de zaal" in text
    english = render(found, lang="en")
    assert "# Patterns across sessions: Leernetwerk" in english
    one = render(collect(folder, series=NAME, until="2027-01-10"), lang="en")
    assert "1 session, " in one and "1 sessions" not in one
    page = render(found, fmt="html")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert page == render(collect(folder, series=NAME), fmt="html")


def test_typed_text_stays_text_in_the_report(tmp_path: Path) -> None:
    hostile = "[@click=app.quit]x[/] <script>alert(1)</script> # kop\n- lijst"
    with session(tmp_path, date(2027, 1, 1), [("x", {})], name=hostile,
                 themes=(hostile,)) as store:
        store.add_action(hostile, owner=hostile)
    session(tmp_path, date(2027, 1, 2), [], name=hostile, themes=(hostile,)).close()
    found = collect(tmp_path, series=hostile, names=True)
    page = render(found, fmt="html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    text = render(found)
    assert "\n# kop" not in text and "\n- lijst" not in text
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["series"] == hostile


def test_packed_words_find_each_word_and_only_whole_words() -> None:
    packed = note_words.Words({"abc": 1, "b": 2, "zed": 70000, "ab": 5})
    packed = pickle.loads(pickle.dumps(packed))
    assert sorted(packed.words()) == ["ab", "abc", "b", "zed"]
    assert {w: packed.count_of(w) for w in ("ab", "abc", "b", "zed", "ze", "zedd", "a")} \
        == {"ab": 5, "abc": 1, "b": 2, "zed": 70000, "ze": 0, "zedd": 0, "a": 0}
    assert packed.find(["zed", "nope", "ab"]) == [("zed", 70000), ("ab", 5)]
    assert note_words.Words().find(["x"]) == [] and len(note_words.Words()) == 0


def test_the_folders_word_counts_follow_its_files(folder: Path) -> None:
    def fresh_counts() -> dict:
        found = session_digest.load(folder)
        counted = {kind: Counter() for kind in session_digest.WORD_KINDS}
        for one in found.digests:
            if not one.reflection:
                for kind in counted:
                    counted[kind].update(getattr(one, kind).words())
        return counted

    assert session_digest.load(folder).counts == fresh_counts()
    assert session_digest.load(folder).counts["words"]["mandaat"] == 4  # from the cache
    with SessionStore.open(sorted(folder.glob("*.json"))[-1]) as store:
        store.add_note("mandaat, nu ook hier", round=0)
    assert session_digest.load(folder).counts["words"]["mandaat"] == 5
    assert [(w.label, w.sessions) for w in collect(folder).words][:1] == [("mandaat", 5)]


@pytest.mark.parametrize(("lang", "total", "counts"), [
    ("en", "1,800 notes", "sessions: 3 · notes: 1,800"),
    ("nl", "1.800 notities", "sessies: 3 · notities: 1.800")])
def test_large_counts_group_their_thousands_in_the_report(
        tmp_path: Path, lang: str, total: str, counts: str) -> None:
    folder = tmp_path / "sessions"
    for day in (date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1)):
        with SessionStore.create(folder, title=f"Sessie {day}", on=day, series=NAME,
                                 format=FORMAT, lang=lang) as store:
            store.add_notes([{"text": f"Het mandaat, keer {i}"} for i in range(600)])
    report = render(collect(folder, series=NAME))
    assert total in report
    assert f"**mandaat** — {counts}" in report
