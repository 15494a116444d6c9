"""Series in the session record, agreements that come back, and the look back in the harvest."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from goodwork_tui.core import series
from goodwork_tui.core.harvest import build, export
from goodwork_tui.core.harvest_markdown import to_markdown
from goodwork_tui.core.session_store import SessionError, SessionStore

FORMAT = {"id": "intervisie", "title": "Intervisie",
          "rounds": [{"title": "Inbreng"}, {"title": "Vragen"}]}
PEOPLE = [{"name": "Anouk de Vries", "consent": True}, {"name": "Bram", "consent": False}]
NAME = "Intervisie team Oost 2027"


def make(folder: Path, day: date, name: str = NAME, **extra: object) -> SessionStore:
    options = {"group": "Team Oost", "facilitator": "Mira", "format": FORMAT,
               "participants": PEOPLE, "lang": "nl", **extra}
    return SessionStore.create(folder, title=f"Intervisie {day:%B}", on=day, series=name,
                               **options)  # type: ignore[arg-type]


def on_disk(store: SessionStore) -> dict:
    data = json.loads(store.path.read_bytes())
    return next(iter(data["session"].values()))


# ----------------------------------------------------------------- series in the record


def test_a_session_keeps_its_series_and_can_change_it(tmp_path: Path) -> None:
    with make(tmp_path, date(2027, 1, 10)) as store:
        assert on_disk(store)["series"] == NAME
        store.set_series("  Andere reeks ")
        assert on_disk(store)["series"] == "  Andere reeks "  # stored exactly as typed
        store.set_series("")
        assert on_disk(store)["series"] == ""


def test_a_session_without_a_series_is_written_as_before_and_old_files_open(
        tmp_path: Path) -> None:
    with SessionStore.create(tmp_path, title="Los", on=date(2027, 1, 1)) as store:
        meta = on_disk(store)
        assert "series" not in meta and "lookback" not in meta
    with SessionStore.open(store.path) as again:
        again.set_series(NAME)
    assert series.sessions_of(tmp_path, NAME)[0].id == store.id


@pytest.mark.parametrize("field, value", [
    ("series", 3),
    ("lookback", [{"action": "a1", "from": "x", "status": "maybe"}]),
    ("lookback", [{"action": "a1", "status": "done"}]),
    ("lookback", {"a1": "done"}),
    ("to_library", [{"title": "no situation"}]),
])
def test_a_series_field_of_the_wrong_shape_is_named(tmp_path: Path, field: str,
                                                    value: object) -> None:
    with make(tmp_path, date(2027, 1, 10)) as store:
        store.update_meta(**{field: value})
    with pytest.raises(SessionError, match=field):
        SessionStore.open(store.path)


def test_series_names_are_one_series_whatever_the_case_spacing_or_accents(
        tmp_path: Path) -> None:
    make(tmp_path, date(2027, 2, 10), "intervisie  TEAM oost 2027").close()
    make(tmp_path, date(2027, 1, 10)).close()
    make(tmp_path, date(2027, 3, 1), "Café Oost").close()
    make(tmp_path, date(2027, 3, 2), "cafe oost").close()
    SessionStore.create(tmp_path, title="Los", on=date(2027, 1, 5)).close()
    found = series.list_series(tmp_path)
    assert [(s.name, s.sessions, s.first, s.last) for s in found] == [
        ("cafe oost", 2, "2027-03-01", "2027-03-02"),
        ("intervisie  TEAM oost 2027", 2, "2027-01-10", "2027-02-10"),
    ]
    assert [d.date for d in series.sessions_of(tmp_path, " Intervisie team oost 2027")] == [
        "2027-01-10", "2027-02-10"]
    assert series.sessions_of(tmp_path, "") == []


def test_a_new_session_in_the_series_takes_the_last_ones_setup_and_asks_consent_again(
        tmp_path: Path) -> None:
    make(tmp_path, date(2027, 1, 10), facilitator="Old").close()
    make(tmp_path, date(2027, 2, 10)).close()
    defaults = series.next_session_defaults(tmp_path, NAME.upper())
    assert defaults == {
        "series": NAME, "group": "Team Oost", "facilitator": "Mira", "format": FORMAT,
        "lang": "nl",
        "participants": [{"id": "p1", "name": "Anouk de Vries", "consent": False},
                         {"id": "p2", "name": "Bram", "consent": False}],
    }
    assert series.next_session_defaults(tmp_path, "no such series") is None
    # the defaults are what create takes
    with SessionStore.create(tmp_path, title="Maart", on=date(2027, 3, 10),
                             **defaults) as store:
        assert store.meta["series"] == NAME
        assert not any(p["consent"] for p in store.meta["participants"])


# ----------------------------------------------------------------- agreements come back


def test_open_agreements_come_back_with_their_history(tmp_path: Path) -> None:
    with make(tmp_path, date(2027, 1, 10)) as january:
        call = january.add_action("Bel de gemeente", owner="Bram", review="2027-01-31")
        agenda = january.add_action("Agenda delen", owner="Anouk de Vries",
                                    review="2027-03-01")
        january.add_action("Later", owner="het team", review="volgende keer")
    make(tmp_path, date(2027, 1, 12), "another series").close()

    with make(tmp_path, date(2027, 2, 10)) as february:
        found = series.open_agreements(tmp_path, february.meta, february.id)
        assert [(a.text, a.source, a.overdue, a.status) for a in found] == [
            ("Bel de gemeente", january.id, True, "open"),
            ("Agenda delen", january.id, False, "open"),
            ("Later", january.id, False, "open"),
        ]
        assert (found[0].owner_person, found[0].owner_named) == (True, False)
        assert (found[1].owner_person, found[1].owner_named) == (True, True)
        assert (found[2].owner_person, found[2].owner_named) == (False, False)
        february.set_lookback(**found[0].answer_fields("done", "Bellen werkt beter"))
        february.set_lookback(**found[1].answer_fields("dropped"))
        february.set_lookback(**found[1].answer_fields("carried", "Nog niet gelukt"))  # replaces
        february.set_lookback(**found[2].answer_fields("dropped"))
        february.clear_lookback(action=found[2].action, source=january.id)  # taken back
        written = on_disk(february)["lookback"]  # on disk when set_lookback returns
        assert [(a["action"], a["status"], a["learned"]) for a in written] == [
            (call, "done", "Bellen werkt beter"), (agenda, "carried", "Nog niet gelukt")]
        again = series.open_agreements(tmp_path, february.meta, february.id)
        assert [a.answer["status"] if a.answer else None for a in again] == [
            "done", "carried", None]
        with pytest.raises(ValueError):
            february.set_lookback(action=call, source=january.id, status="maybe")

    with make(tmp_path, date(2027, 3, 10)) as march:
        march.add_action("Nieuw in maart")
        found = series.open_agreements(tmp_path, march.meta, march.id)
        # done closed the call; carried on keeps the agenda open, with its history
        assert [a.text for a in found] == ["Agenda delen", "Later"]
        agenda_now = found[0]
        assert [(h.session, h.status, h.learned) for h in agenda_now.history] == [
            (february.id, "carried", "Nog niet gelukt")]
        assert agenda_now.status == "carried" and agenda_now.overdue  # 03-01 < 03-10

    # a session sees only the agreements of sessions before it, never its own or later ones
    with SessionStore.open(january.path) as first:
        assert series.open_agreements(tmp_path, first.meta, first.id) == []
    loose = {"date": "2027-04-01", "series": ""}
    assert series.open_agreements(tmp_path, loose, "x") == []


# ----------------------------------------------------------------- look back in the harvest


def lookback_harvest(tmp_path: Path, names: bool, participants: list[dict]) -> str:
    with make(tmp_path, date(2027, 1, 10)) as january:
        january.add_action("Bel [de] *gemeente*", owner="Bram", review="2027-01-31")
        january.add_action("Agenda delen", owner="Anouk de Vries", review="2027-03-01")
        january.add_action("Zaal boeken", owner="het secretariaat")
    with make(tmp_path, date(2027, 2, 10), participants=participants) as february:
        for agreement, status in zip(
                series.open_agreements(tmp_path, february.meta, february.id),
                ("done", "carried", "dropped"), strict=True):
            february.set_lookback(**agreement.answer_fields(status, "# geen kop\n- geen lijst"))
        return export(february.meta, february.notes(), names=names)


def test_the_harvest_shows_the_look_back_under_both_sessions_consent(tmp_path: Path) -> None:
    text = lookback_harvest(tmp_path / "a", names=True, participants=PEOPLE)
    section = text.split("## Terugblik\n\n")[1].split("\n## ")[0]
    assert section.splitlines() == [
        r"- Bel \[de\] \*gemeente\* — gedaan · eigenaar: Deelnemer B · "
        "terugblik: 2027-01-31 (over tijd)",
        "  Geleerd: \\# geen kop\\",
        r"  \- geen lijst",
        "- Agenda delen — loopt door · eigenaar: Anouk de Vries · terugblik: 2027-03-01",
        "  Geleerd: \\# geen kop\\",
        r"  \- geen lijst",
        "- Zaal boeken — vervallen · eigenaar: het secretariaat",
        "  Geleerd: \\# geen kop\\",
        r"  \- geen lijst",
    ]
    # without --names nobody who is a participant is named
    anonymous = lookback_harvest(tmp_path / "b", names=False, participants=PEOPLE)
    assert "Anouk" not in anonymous.split("## Terugblik")[1]
    assert "eigenaar: Deelnemer A" in anonymous
    # Anouk consented in January but is not in February's session: she is still a
    # participant whose name only consent allows; Bram did not consent in January, and a
    # consent in February does not name him for January's agreement
    changed = lookback_harvest(tmp_path / "c", names=True, participants=[
        {"name": "Bram", "consent": True}])
    section = changed.split("## Terugblik")[1]
    assert "Bram" not in section and "Deelnemer A" in section
    assert "Anouk de Vries" in section  # consented where the agreement was made
    without = lookback_harvest(tmp_path / "d", names=False, participants=[])
    assert "eigenaar: een deelnemer" in without and "Anouk" not in without.split("## Terugblik")[1]


def test_a_harvest_without_a_look_back_is_unchanged(tmp_path: Path) -> None:
    with make(tmp_path, date(2027, 1, 10)) as store:
        store.add_action("Iets")
        harvest = build(store.meta, store.notes())
        assert "Terugblik" not in to_markdown(harvest)


def test_series_come_from_the_session_list_even_with_a_cache_from_before_series(
        tmp_path: Path) -> None:
    import pickle

    from goodwork_tui.core.library_cache import cache_file
    from goodwork_tui.core.session_list import SessionSummary, list_sessions

    with make(tmp_path, date(2027, 1, 10)) as store:
        pass
    summary = list_sessions(tmp_path)[0]
    assert summary.series == NAME
    old = SessionSummary.__new__(SessionSummary)  # as pickled by the version before series
    for name in SessionSummary.__slots__:
        if name != "series":
            setattr(old, name, getattr(summary, name))
    stat = store.path.stat()
    cache_file(tmp_path, "sessions").write_bytes(pickle.dumps(
        {str(store.path): (stat.st_size, stat.st_mtime_ns, old)}))
    assert [s.name for s in series.list_series(tmp_path)] == [NAME]
    # and a broken file in the folder is no series and stops nothing
    (tmp_path / "2027-02-01-broken.json").write_text("{")
    assert [s.sessions for s in series.list_series(tmp_path)] == [1]
    assert [d.id for d in series.sessions_of(tmp_path, NAME)] == [store.id]
