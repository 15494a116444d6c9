"""The harvest export: golden files, structure that holds whatever a note says, consent,
printable HTML and the `goodwork export` command.

The fixture session (tests/fixtures/harvest_session.json) is made through the
SessionStore API by `build_fixture`, then its random ids and clock times are replaced by
fixed ones, so the committed file, and the golden files exported from it, never drift.

    GOODWORK_UPDATE_GOLDEN=1 pytest tests/test_harvest_export.py

rewrites the fixture and the golden files; read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from child_process import child_env, without_textual
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from goodwork_tui.core.harvest import export, write_export
from goodwork_tui.core.i18n import Catalog
from goodwork_tui.core.markdown_safe import shown
from goodwork_tui.core.model import LENSES, NOTE_KINDS
from goodwork_tui.core.session_store import SessionStore

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "harvest_session.json"
GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("GOODWORK_UPDATE_GOLDEN") == "1"
SESSION_ID = "2026-03-14-teamdag-toezicht"

# ---------------------------------------------------------------- the fixture session

ANNA, BRAM, ANON = "p1", "p2", "p3"
PARTICIPANTS = [
    {"name": "Anna de Vries", "consent": True},   # p1: named, consented
    {"name": "Bram Bakker", "consent": False},    # p2: named, no consent
    {"name": "", "consent": False},               # p3: anonymous
]
# Every part of every participant's name, as it must never leak into an anonymous export.
NAME_PARTS = ["Anna de Vries", "Bram Bakker", "Anna", "Vries", "Bram", "Bakker"]
FORMAT = {
    "id": "groepsdialoog-nl",
    "title": "Groepsdialoog",
    "rounds": [
        {"title": "Herkennen", "prompt": "Herken je deze situatie? Waar kwam je haar tegen?",
         "minutes": 20, "kinds": ["experience", "question"]},
        {"title": "Beelden van goed werk", "prompt": "Wat deed je, en waarom?",
         "minutes": 30, "kinds": ["action-option", "value-norm"]},
        {"title": "Gedeelde vraagstukken", "prompt": "Wat komt in meer verhalen terug?",
         "minutes": 25, "kinds": ["shared-issue", "outcome"]},
    ],
}
SITUATIONS = ["toezicht-stille-informatie-nl", "toezicht-twee-oordelen-nl"]
SITUATION_TITLES = {
    "toezicht-stille-informatie-nl": {
        "title": "Wat je weet maar niet mag zeggen",
        "summary": "In een overleg heb je informatie die je niet zomaar mag delen."},
    "toezicht-twee-oordelen-nl": {
        "title": "Twee inspecteurs, twee oordelen",
        "summary": "Twee collega's komen bij dezelfde instelling tot een ander oordeel."},
}
MULTI_LINE = ("Eerste regel van een lang verhaal\nen een tweede regel\n\n"
              "    ingesprongen derde regel\n- geen lijst maar tekst")
LONG_LINE = ("Een heel lange regel zonder einde " * 7)[:199] + "."
ROOM_ONLY = "Alleen voor in de zaal: de directeur had ongelijk."
HOSTILE = {
    "heading": "# x",
    "rule": "---",
    "script": "<script>alert(1)</script>",
    "markup": "[@click=app.quit]x[/]",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "ordered": "1. item",
    "indented": "    code",
    "fence": "```",
    "stars": "* * *",
    "backslashes": "a\\\\",
    "entity": "&amp;",
    "long": LONG_LINE,
    "zwj": "Samen \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 verder",
    "rtl": "\u202eevil",
    "ansi": "\x1b[31mrood",
}
# (text, round, kind, lens, speaker, extra): extra holds starred/votes/theme/room_only;
# a theme is named by its place in THEMES.
NOTES: list[tuple[str, int, str, str, str, dict[str, Any]]] = [
    ("Vorig jaar gebeurde ons precies hetzelfde bij de fusie.", 0, "experience", "excellent",
     ANNA, {"starred": True, "votes": 3, "theme": 0}),
    ("Wat zou je als eerste willen weten?", 0, "question", "", BRAM, {}),
    (MULTI_LINE, 0, "experience", "ethical", ANON, {"votes": 2, "theme": 1}),
    (HOSTILE["heading"], 0, "", "", "", {}),
    (HOSTILE["rule"], 0, "insight", "", "", {}),
    (HOSTILE["script"], 0, "value-norm", "", "", {"starred": True}),
    (HOSTILE["markup"], 0, "question", "", "", {"votes": 1, "theme": 0}),
    (ROOM_ONLY, 0, "experience", "ethical", ANNA,
     {"room_only": True, "starred": True, "votes": 5, "theme": 0}),
    ("Eerst de cliënt bellen, dan pas het team.", 1, "action-option", "ethical", ANNA,
     {"starred": True, "votes": 4, "theme": 1}),
    (HOSTILE["table"], 1, "action-option", "", "", {}),
    (HOSTILE["ordered"], 1, "outcome", "", "", {}),
    (HOSTILE["indented"], 1, "insight", "engaging", "", {}),
    (HOSTILE["fence"], 1, "shared-issue", "", "", {}),
    ("Eerlijkheid gaat voor snelheid.", 1, "value-norm", "excellent", BRAM, {"votes": 1}),
    (HOSTILE["stars"], 1, "value-norm", "", "", {}),
    ("Het gaf het team energie.", 1, "experience", "engaging", ANON,
     {"votes": 2, "theme": 0}),
    (HOSTILE["backslashes"], 2, "shared-issue", "", "", {}),
    (HOSTILE["entity"], 2, "outcome", "", "", {}),
    (HOSTILE["long"], 2, "insight", "", "", {}),
    (HOSTILE["zwj"], 2, "experience", "", "", {"starred": True}),
    (HOSTILE["rtl"], 2, "question", "", "", {}),
    (HOSTILE["ansi"], 2, "", "", "", {}),
    ("Dezelfde grens in elk team.", 2, "shared-issue", "ethical", BRAM,
     {"starred": True, "votes": 3, "theme": 1}),
    ("We proberen het volgende maand.", 2, "outcome", "excellent", ANON, {}),
    ("Waarom aarzelen we?", 2, "insight", "", "", {}),
]
THEMES = ["Vertrouwen in het team", "Informatie delen"]
TAKEAWAYS = ("Verhalen reizen slecht, maar vragen reizen goed.\n"
             "Wie herkent, begint te vertellen.\n\n"
             "Volgende keer beginnen we met de gedeelde vraagstukken.")
ACTIONS = [  # (text, owner, review)
    ("Volgende maand samen een casus bespreken", "Bram Bakker", "2026-04-01"),
    ("Een informatieprotocol opstellen", "anna  de vries", "2026-05-01"),
]


def build_fixture(sessions_dir: Path) -> dict[str, Any]:
    """Make the fixture through the store API; return the file's data with fixed ids."""
    with SessionStore.create(
        sessions_dir, title="Teamdag toezicht", on=date(2026, 3, 14), group="Team Noord",
        facilitator="Eva Jansen", format=FORMAT, situations=SITUATIONS,
        participants=PARTICIPANTS, lang="nl", situation_titles=SITUATION_TITLES,
    ) as store:
        themes = [store.add_theme(name) for name in THEMES]
        for text, round_index, kind, lens, speaker, extra in NOTES:
            note = store.add_note(text, round=round_index, kind=kind, lens=lens,
                                  speaker=speaker, room_only=extra.get("room_only", False),
                                  situation=SITUATIONS[round_index % 2])
            if extra.get("starred"):
                store.star_note(note["id"], True)
            for _ in range(extra.get("votes", 0)):
                store.vote(note["id"], 1)
            if "theme" in extra:
                store.set_note_theme(note["id"], themes[extra["theme"]])
        store.set_takeaways(TAKEAWAYS)
        for text, owner, review in ACTIONS:
            store.add_action(text, owner, review)
        path = store.path
    data = json.loads(path.read_text(encoding="utf-8"))
    # fixed ids and times instead of random and clock ones
    meta = data["session"]["1"]
    meta["created"] = "2026-03-14T09:00:00+01:00"
    theme_ids = {theme["id"]: f"t{n}" for n, theme in enumerate(meta["themes"], start=1)}
    for theme in meta["themes"]:
        theme["id"] = theme_ids[theme["id"]]
    for n, action in enumerate(meta["actions"], start=1):
        action["id"] = f"a{n}"
    for note in data["notes"].values():
        seq = note["seq"]
        note["id"] = f"n{seq:02d}"
        note["created"] = f"2026-03-14T{9 + seq // 60:02d}:{seq % 60:02d}:00+01:00"
        if "updated" in note:
            note["updated"] = note["created"]
        if note.get("theme"):
            note["theme"] = theme_ids[note["theme"]]
    return data


def fixture_data() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def meta_notes(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    meta = next(iter(data["session"].values()))
    notes = sorted(data.get("notes", {}).values(), key=lambda n: n["seq"])
    return meta, notes


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def install(data: dict[str, Any], sessions_dir: Path, stem: str = SESSION_ID) -> Path:
    sessions_dir.mkdir(parents=True, exist_ok=True)
    path = sessions_dir / f"{stem}.json"
    path.write_text(dump(data), encoding="utf-8")
    return path


def note_by_text(notes: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return next(n for n in notes if n["text"] == text)


# ---------------------------------------------------------------- reading Markdown back

PARSER = MarkdownIt("commonmark").use(front_matter_plugin)
EM, STRONG, SOFT = "\x01", "\x02", "\x03"  # never in shown() text: controls become symbols
INLINE_KNOWN = {"text", "hardbreak", "softbreak", "em_open", "em_close", "strong_open",
                "strong_close"}


def inline_text(token: Any) -> str:
    """The text a reader gets from one inline token: escapes resolved, hard breaks as
    newlines; emphasis, strong and soft breaks as marks; anything else as <type>."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content if child.type == "text" else f"<code>{child.content}")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "softbreak":
            out.append(SOFT)
        elif child.type in ("em_open", "em_close"):
            out.append(EM)
        elif child.type in ("strong_open", "strong_close"):
            out.append(STRONG)
        else:
            out.append(f"<{child.type}>")
    return "".join(out)


def blocks(markdown: str) -> list[tuple[Any, ...]]:
    """The document as a flat list: ('fm',), ('h', level, text), ('p', text), ('ul',),
    ('li', text); any other block (rule, code, fence, html, quote, ordered list…) as
    (type,), so that it shows up in a comparison."""
    result: list[tuple[Any, ...]] = []
    tokens = PARSER.parse(markdown)
    in_item: list[str] | None = None
    heading: int | None = None
    for token in tokens:
        kind = token.type
        if kind == "front_matter":
            result.append(("fm",))
        elif kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = None
        elif kind == "bullet_list_open":
            result.append(("ul",))
        elif kind == "list_item_open":
            in_item = []
        elif kind == "list_item_close":
            assert in_item is not None
            result.append(("li", "".join(in_item)))
            in_item = None
        elif kind == "inline":
            text = inline_text(token)
            if heading is not None:
                result.append(("h", heading, text))
            elif in_item is not None:
                in_item.append(text)
            else:
                result.append(("p", text))
        elif kind in ("bullet_list_close", "paragraph_open", "paragraph_close"):
            continue
        else:
            result.append((kind,))
    return result


def token_types(markdown: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for token in PARSER.parse(markdown):
        counts[token.type] += 1
        for child in token.children or []:
            counts[f"inline:{child.type}"] += 1
    return counts


def front_matter(markdown: str) -> dict[str, Any]:
    tokens = PARSER.parse(markdown)
    assert tokens[0].type == "front_matter"
    assert sum(1 for token in tokens if token.type == "front_matter") == 1
    data = yaml.safe_load(tokens[0].content)
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------- what the reader must get


def expected_blocks(meta: dict[str, Any], notes: list[dict[str, Any]], *, names: bool = False,
                    lang: str | None = None) -> list[tuple[Any, ...]]:
    """The harvest as the rules say a reader must get it, written apart from the exporter."""
    t = Catalog(lang or meta.get("lang") or "en")
    participants = meta.get("participants", [])
    label = {}
    for index, person in enumerate(participants):
        named = names and person.get("consent") and str(person.get("name") or "").strip()
        label[person["id"]] = (str(person["name"]).strip() if named
                               else t("participant.anonymous", letter=chr(65 + index)))
    kept = [n for n in sorted(notes, key=lambda n: (n.get("seq", 0), n.get("id", "")))
            if not n.get("room_only")]

    def item(note: dict[str, Any], votes: bool) -> tuple[str, str]:
        marks = [t(f"kind.{note['kind']}")] if note.get("kind") in NOTE_KINDS else []
        marks += [t(f"lens.{note['lens']}")] if note.get("lens") in LENSES else []
        tail = [EM + " · ".join(marks) + EM] if marks else []
        if votes and note.get("votes"):
            tail.append(t.plural("harvest.votes", note["votes"]))
        if label.get(note.get("speaker", "")):
            tail.append(shown(label[note["speaker"]]))
        text = ("★ " if note.get("starred") else "") + shown(note["text"])
        return ("li", (text + (" — " + " · ".join(tail) if tail else "")).strip(" "))

    doc: list[tuple[Any, ...]] = [
        ("fm",), ("h", 1, shown(t("harvest.title", title=shown(meta["title"]))))]
    subtitle = [str(p) for p in (meta.get("date"), meta.get("group"),
                                 meta.get("format", {}).get("title")) if p]
    if subtitle:
        doc.append(("p", shown(" · ".join(subtitle))))
    paragraphs = [p for p in str(meta.get("takeaways", "")).split("\n\n") if p.strip()]
    if paragraphs:
        doc += [("h", 2, t("harvest.takeaways"))] + [("p", shown(p)) for p in paragraphs]
    if meta.get("themes"):
        doc.append(("h", 2, t("harvest.themes")))
        for theme in meta["themes"]:
            doc.append(("h", 3, shown(theme["name"])))
            members = sorted((n for n in kept if n.get("theme") == theme["id"]),
                             key=lambda n: -n.get("votes", 0))
            if members:
                doc += [("ul",)] + [item(n, votes=True) for n in members]
            else:
                doc.append(("p", t("harvest.empty_theme")))
    if meta.get("actions"):
        doc += [("h", 2, t("harvest.actions")), ("ul",)]
        for action in meta["actions"]:
            details = []
            owner = str(action.get("owner", ""))
            if owner:
                for index, person in enumerate(participants):
                    if (" ".join(str(person.get("name") or "").split()).casefold()
                            == " ".join(owner.split()).casefold() and owner.strip()
                            and not (names and person.get("consent"))):
                        owner = t("participant.anonymous", letter=chr(65 + index))
                        break
                details.append(t("harvest.owner", owner=shown(owner)))
            if action.get("review"):
                details.append(t("harvest.review", date=shown(action["review"])))
            text = shown(action["text"]) + (" — " + shown(" · ".join(details))
                                            if details else "")
            doc.append(("li", text.strip(" ")))
    starred = sorted((n for n in kept if n.get("starred")), key=lambda n: -n.get("votes", 0))
    if starred:
        doc += [("h", 2, t("harvest.starred")), ("ul",)] + [item(n, True) for n in starred]
    if kept:
        doc.append(("h", 2, t("harvest.rounds")))
        rounds = meta["format"]["rounds"]
        order = [i for i in meta.get("round_order", []) if 0 <= i < len(rounds)]
        order += [i for i in range(len(rounds)) if i not in order
                  and any(n["round"] == i for n in notes)]
        outside = [n for n in kept if n["round"] not in order]
        groups = [(i, [n for n in kept if n["round"] == i]) for i in order]
        groups.append((-1, outside))
        for number, (index, members) in enumerate(groups, start=1):
            if not members:
                continue
            # (a round without a title is labelled like the notes outside the rounds)
            title = (rounds[index]["title"] if index >= 0 else "") or t("harvest.no_round")
            doc.append(("h", 3, shown(t("harvest.round", number=number, title=shown(title)))))
            for kind in (*NOTE_KINDS, ""):
                group = [n for n in members if (n.get("kind") if n.get("kind") in NOTE_KINDS
                                                else "") == kind]
                if group:
                    heading = t(f"kind.{kind}") if kind else t("harvest.untagged")
                    doc += [("h", 4, heading), ("ul",)] + [item(n, False) for n in group]
    if meta.get("situations"):
        doc += [("h", 2, t("harvest.situations")), ("ul",)]
        for situation in meta["situations"]:
            info = meta.get("situation_titles", {}).get(situation, {})
            text = STRONG + shown(info.get("title") or situation) + STRONG
            if info.get("summary"):
                text += " — " + shown(info["summary"])
            doc.append(("li", text))
    # a heading is one line: line breaks in a name come back as spaces
    return [("h", b[1], b[2].replace("\n", " ")) if b[0] == "h" else b for b in doc]


def round_section(doc: list[tuple[Any, ...]], number_title: str, kind_heading: str
                  ) -> list[str]:
    """The list items under one round's h3 and one kind's h4 of the 'per round' part."""
    items, in_round, in_kind = [], False, False
    for block in doc:
        if block[0] == "h" and block[1] <= 3:
            in_round = block[1] == 3 and block[2] == number_title
            in_kind = False
        elif block[0] == "h" and block[1] == 4:
            in_kind = in_round and block[2] == kind_heading
        elif block[0] == "li" and in_kind:
            items.append(block[1])
    return items


# ---------------------------------------------------------------- 1. fixture and golden files


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with GOODWORK_UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    actual = text.encode("utf-8")
    if actual != expected:
        diff_at = next((i for i, (a, b) in enumerate(zip(actual, expected, strict=False))
                        if a != b), min(len(actual), len(expected)))
        pytest.fail(f"{name} differs from the golden file at byte {diff_at}: "
                    f"got {actual[diff_at - 40:diff_at + 40]!r}, "
                    f"golden {expected[diff_at - 40:diff_at + 40]!r} "
                    "(GOODWORK_UPDATE_GOLDEN=1 rewrites it)")


def test_the_fixture_file_is_what_the_store_api_makes(tmp_path: Path) -> None:
    built = build_fixture(tmp_path / "sessions")
    if UPDATE:
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(dump(built), encoding="utf-8")
    assert fixture_data() == built, "run with GOODWORK_UPDATE_GOLDEN=1 to rewrite the fixture"
    meta, notes = meta_notes(built)
    assert len(meta["format"]["rounds"]) == 3 and len(meta["themes"]) == 2
    assert {n["kind"] for n in notes} == {*NOTE_KINDS, ""}
    assert {n["lens"] for n in notes} == {*LENSES, ""}
    assert sum(1 for n in notes if n["room_only"]) == 1
    # the committed file opens as a session
    path = install(built, tmp_path / "other")
    with SessionStore.open(path, read_only=True) as store:
        assert store.notes() == notes


@pytest.mark.parametrize(("name", "kwargs"), [
    ("harvest.md", {}),
    ("harvest.html", {"fmt": "html"}),
    ("harvest-names.md", {"names": True}),
])
def test_export_matches_the_golden_file(name: str, kwargs: dict[str, Any]) -> None:
    meta, notes = meta_notes(fixture_data())
    check_golden(name, export(meta, notes, **kwargs))


@pytest.mark.parametrize("kwargs", [{}, {"fmt": "html"}, {"names": True},
                                    {"lang": "en", "fmt": "html", "names": True}])
def test_export_is_deterministic_and_ignores_the_order_in_the_file(
        tmp_path: Path, kwargs: dict[str, Any]) -> None:
    data = fixture_data()
    path = install(data, tmp_path / "sessions")
    with SessionStore.open(path, read_only=True) as store:
        first = export(store.meta, store.notes(), **kwargs)
        again = export(store.meta, store.notes(), **kwargs)
    assert first == again
    # the same notes stored in the opposite order, under other document numbers
    notes = list(data["notes"].values())
    data["notes"] = {str(100 + n): note for n, note in enumerate(reversed(notes))}
    reordered = install(data, tmp_path / "reordered")
    with SessionStore.open(reordered, read_only=True) as store:
        assert export(store.meta, store.notes(), **kwargs) == first
    meta, _ = meta_notes(data)
    assert export(meta, list(reversed(notes)), **kwargs) == first


# ---------------------------------------------------------------- 2. the structure holds


@pytest.mark.parametrize(("names", "lang"), [(False, None), (True, None), (False, "en")])
def test_the_export_reads_back_as_exactly_the_expected_document(names: bool,
                                                                lang: str | None) -> None:
    meta, notes = meta_notes(fixture_data())
    markdown = export(meta, notes, names=names, lang=lang)
    assert blocks(markdown) == expected_blocks(meta, notes, names=names, lang=lang)


def test_every_note_comes_back_exactly_once_under_its_round_and_kind() -> None:
    meta, notes = meta_notes(fixture_data())
    t = Catalog("nl")
    doc = blocks(export(meta, notes))
    rounds = meta["format"]["rounds"]
    for note in notes:
        if note["room_only"]:
            continue
        section = round_section(
            doc, t("harvest.round", number=note["round"] + 1,
                   title=rounds[note["round"]]["title"]),
            t(f"kind.{note['kind']}") if note["kind"] else t("harvest.untagged"))
        text = shown(note["text"])
        star = "★ " if note.get("starred") else ""
        found = [item for item in section
                 if item == star + text or item.startswith(f"{star}{text} — ")]
        assert len(found) == 1, (note["text"], section)
    # and the hostile ones read back as what was typed (controls made visible)
    section = round_section(doc, "Ronde 1: Herkennen", "Overige notities")
    assert section == ["# x"]
    assert round_section(doc, "Ronde 3: Gedeelde vraagstukken", "Overige notities") == [
        "␛[31mrood"]
    assert "a\\\\ — " + EM + "gedeeld vraagstuk" + EM in round_section(
        doc, "Ronde 3: Gedeelde vraagstukken", "gedeeld vraagstuk")


def benign(text: str) -> str:
    """Plain words with as many lines as `text` shows."""
    return "\n".join(f"woord{n}" for n in range(len(shown(text).split("\n"))))


@pytest.mark.parametrize("names", [False, True])
def test_hostile_notes_make_no_markdown_of_their_own(names: bool) -> None:
    """Same session with the hostile texts replaced by plain words: the same tokens."""
    meta, notes = meta_notes(fixture_data())
    hostile = set(HOSTILE.values()) | {MULTI_LINE}
    tame = [dict(n, text=benign(n["text"])) if n["text"] in hostile else n for n in notes]
    with_hostile = token_types(export(meta, notes, names=names))
    without = token_types(export(meta, tame, names=names))
    assert with_hostile == without
    for kind in ("fence", "code_block", "html_block", "hr", "blockquote_open",
                 "ordered_list_open", "inline:link_open", "inline:image", "inline:html_inline",
                 "inline:code_inline", "inline:softbreak", "table_open"):
        assert with_hostile[kind] == 0, kind
    assert with_hostile["front_matter"] == 1
    # emphasis only in the kind/lens marks, strong only around situation titles
    shown_notes = [n for n in notes if not n["room_only"]]
    themed = [n for n in shown_notes if n.get("theme")]
    starred = [n for n in shown_notes if n.get("starred")]
    marked = [n for n in shown_notes + themed + starred if n["kind"] or n["lens"]]
    assert with_hostile["inline:em_open"] == len(marked)
    assert with_hostile["inline:strong_open"] == len(SITUATIONS)


def test_the_front_matter_parses_and_says_what_the_harvest_holds() -> None:
    meta, notes = meta_notes(fixture_data())
    markdown = export(meta, notes)
    assert markdown.startswith("---\n")
    assert front_matter(markdown) == {
        "title": "Teamdag toezicht",
        "date": "2026-03-14",
        "group": "Team Noord",
        "facilitator": "Eva Jansen",
        "format": "Groepsdialoog",
        "situations": ["Wat je weet maar niet mag zeggen", "Twee inspecteurs, twee oordelen"],
        "counts": {"notes": len(notes) - 1, "rounds": 3, "participants": 3, "themes": 2,
                   "actions": 2},
        "language": "nl",
    }
    assert front_matter(export(meta, notes, lang="en"))["language"] == "en"


def test_a_hostile_session_title_and_group_stay_in_the_front_matter() -> None:
    meta, notes = meta_notes(fixture_data())
    meta = dict(meta, title="---\n...: [x] # {y} *z* \x1b]0;t\x07", group="---",
                facilitator="- a: b", situation_titles={}, situations=["x: ---"])
    markdown = export(meta, notes)
    data = front_matter(markdown)
    assert data["title"] == shown(meta["title"]) and data["group"] == "---"
    assert data["facilitator"] == "- a: b" and data["situations"] == ["x: ---"]
    assert token_types(markdown)["hr"] == 0


@pytest.mark.parametrize("field", ["theme", "title", "round"])
def test_a_multi_line_name_stays_one_heading(field: str) -> None:
    meta, notes = meta_notes(fixture_data())
    if field == "theme":
        meta["themes"][0]["name"] = "Eerste\nTweede"
    elif field == "title":
        meta["title"] = "Eerste\nTweede"
    else:
        meta["format"]["rounds"][0]["title"] = "Eerste\nTweede"
    markdown = export(meta, notes)
    assert blocks(markdown) == expected_blocks(meta, notes)


# ---------------------------------------------------------------- 2b. the property

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
MARKDOWNISH = st.from_regex(  # one line of Markdown-ish text; lists join several
    r"\A[ \t]{0,5}[#>*+=_`~|<!\[\]()\-:.\\&;0-9]{1,4}[ a-z/@=]{0,3}(\r\n|\n|\r|\n\n)?\Z")
SNIPPETS = st.sampled_from([
    "# ", "---", "***", "___", "```", "~~~", "    ", "> ", "- ", "+ ", "* ", "1. ", "1) ",
    "<script>", "<!--", "-->", "<div>", "&amp;", "&#35;", "[a](http://x)", "![i](x.png)",
    "<http://x>", "[x]: /u", "| a |", "==", "\\", "\\\n", "  \n", "\x1b[31m", "\u202e",
    "\x00", "\x85", "\u2028", "\ufeff", "\t", "\r", "`", "*a*", "_a_", "[@click=app.quit]x[/]",
    "\U0001f469\u200d\U0001f467", "[[link]]", "==mark==", "%%c%%", "$x$", "#tag", "~~s~~",
])
WILD = st.lists(st.one_of(TEXT, MARKDOWNISH, SNIPPETS), max_size=4).map("".join)
# Headings (session title, theme names, round titles) may hold line breaks too: they
# come back as spaces (see test_a_multi_line_name_stays_one_heading).
ONE_LINE = WILD


@st.composite
def sessions(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    themes = [{"id": f"t{n}", "name": draw(ONE_LINE)}
              for n in range(draw(st.integers(0, 2)))]
    people = [{"id": f"p{n}", "name": draw(WILD), "consent": draw(st.booleans())}
              for n in range(1, draw(st.integers(0, 3)) + 1)]
    rounds = [{"title": title} for title in draw(st.lists(ONE_LINE, min_size=1, max_size=3))]
    notes = []
    for seq in range(1, draw(st.integers(0, 6)) + 1):
        notes.append({
            "id": f"n{seq}", "seq": seq, "text": draw(WILD),
            "round": draw(st.sampled_from([*range(len(rounds)), 7])),
            "kind": draw(st.sampled_from([*NOTE_KINDS, ""])),
            "lens": draw(st.sampled_from([*LENSES, ""])),
            "speaker": draw(st.sampled_from(["", *(p["id"] for p in people)])),
            "starred": draw(st.booleans()), "votes": draw(st.integers(0, 3)),
            "theme": draw(st.sampled_from(["", *(th["id"] for th in themes)])),
            "room_only": draw(st.booleans()),
        })
    meta = {
        "schema": 1, "title": draw(ONE_LINE), "date": "2026-03-14", "group": draw(WILD),
        "facilitator": draw(WILD), "lang": draw(st.sampled_from(["nl", "en"])),
        "format": {"id": "f", "title": draw(WILD), "rounds": rounds},
        "round_order": draw(st.permutations(range(len(rounds)))),
        "situations": SITUATIONS, "situation_titles": SITUATION_TITLES,
        "themes": themes, "participants": people, "takeaways": draw(WILD),
        "actions": [{"id": f"a{n}", "text": draw(WILD), "owner": draw(
            st.one_of(WILD, st.sampled_from([p["name"] for p in people] or [""]))),
            "review": draw(WILD)} for n in range(draw(st.integers(0, 2)))],
    }
    return meta, notes


def check_structure(meta: dict[str, Any], notes: list[dict[str, Any]], names: bool) -> None:
    markdown = export(meta, notes, names=names)
    assert blocks(markdown) == expected_blocks(meta, notes, names=names)
    data = front_matter(markdown)
    assert data["title"] == shown(meta["title"]) and data["group"] == shown(meta["group"])
    assert data["counts"]["notes"] == sum(1 for n in notes if not n["room_only"])
    assert export(meta, list(reversed(notes)), names=names) == markdown
    html = export(meta, notes, names=names, fmt="html")
    assert_well_formed(html)
    assert "<script" not in html.lower().replace("&lt;script", "")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.booleans())
def test_property_any_text_keeps_the_structure(session: Any, names: bool) -> None:
    check_structure(*session, names)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.booleans())
def test_property_any_text_keeps_the_structure_long_run(session: Any, names: bool) -> None:
    check_structure(*session, names)


# ---------------------------------------------------------------- 3. consent


def all_exports(meta: dict[str, Any], notes: list[dict[str, Any]], **kwargs: Any
                ) -> dict[str, str]:
    return {fmt: export(meta, notes, fmt=fmt, **kwargs) for fmt in ("md", "html")}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_default_export_names_nobody(lang: str) -> None:
    meta, notes = meta_notes(fixture_data())
    for fmt, text in all_exports(meta, notes, lang=lang).items():
        for part in NAME_PARTS:
            assert part.casefold() not in text.casefold(), (fmt, part)
        word = "Deelnemer" if lang == "nl" else "Participant"
        # A = Anna (speaker and owner), B = Bram (speaker and owner), C = anonymous
        for letter in "ABC":
            assert f"{word} {letter}" in text, (fmt, letter)
        assert f"{word} D" not in text
    markdown = export(meta, notes, lang=lang)
    assert "eigenaar: Deelnemer B" in markdown or "owner: Participant B" in markdown
    assert "eigenaar: Deelnemer A" in markdown or "owner: Participant A" in markdown


def test_names_shows_only_those_who_consented() -> None:
    meta, notes = meta_notes(fixture_data())
    for fmt, text in all_exports(meta, notes, names=True).items():
        assert "Anna de Vries" in text, fmt
        for part in ("Bram", "Bakker"):
            assert part not in text, (fmt, part)
        assert "Deelnemer A" not in text  # Anna is named everywhere she appears
        assert "Deelnemer B" in text and "Deelnemer C" in text
    markdown = export(meta, notes, names=True)
    # an owner typed as a participant's name follows that participant's consent
    assert "eigenaar: anna de vries" in markdown
    assert "eigenaar: Deelnemer B" in markdown


def test_anonymous_letters_follow_the_participant_order_not_the_notes() -> None:
    meta, notes = meta_notes(fixture_data())
    only_anonymous = [n for n in notes if n["speaker"] == ANON]
    markdown = export(dict(meta, actions=[]), only_anonymous)
    assert "Deelnemer C" in markdown and "Deelnemer A" not in markdown
    # the same letters whatever the consent or the names option
    everyone = [dict(p, consent=True) for p in meta["participants"]]
    assert "Deelnemer C" in export(dict(meta, participants=everyone), notes, names=True)
    assert export(meta, notes, lang="en").count("Participant C") == export(
        meta, notes).count("Deelnemer C")


def test_room_only_notes_never_leave_the_app() -> None:
    meta, notes = meta_notes(fixture_data())
    assert note_by_text(notes, ROOM_ONLY)["starred"]  # starred, voted and themed: still out
    for names in (False, True):
        for lang in ("nl", "en"):
            for fmt, text in all_exports(meta, notes, names=names, lang=lang).items():
                assert "directeur" not in text, (names, lang, fmt)


# ---------------------------------------------------------------- 4. HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.urls: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "data", "poster"):
                self.urls.append(value or "")
            if tag == "html" and name == "lang":
                self.lang = value
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        if tag not in VOID:
            self.problems.append(f"<{tag} /> is not a void element")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.stack, f"unclosed: {checker.stack}"
    return checker


def test_the_html_is_one_printable_self_contained_page() -> None:
    meta, notes = meta_notes(fixture_data())
    html = export(meta, notes, fmt="html")
    checker = assert_well_formed(html)
    assert html.startswith("<!DOCTYPE html>\n")
    assert checker.lang == "nl"
    assert checker.urls == []  # no links, images, style sheets or scripts from anywhere
    assert checker.tags["script"] == 0 and checker.tags["link"] == 0
    assert checker.tags["img"] == 0 and checker.tags["a"] == 0
    assert checker.tags["html"] == checker.tags["head"] == checker.tags["body"] == 1
    assert checker.tags["style"] == 1 and checker.tags["title"] == 1
    assert "http" not in html
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert re.search(r"@media print\s*\{", css)
    assert re.search(r"(page-)?break-(before|after|inside)\s*:", css)
    # a note that says <script> is shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert checker.tags["h1"] == 1 and checker.tags["li"] > 30
    assert '<meta charset="utf-8">' in html
    assert 'lang="en"' in export(meta, notes, fmt="html", lang="en")


def test_write_export_never_overwrites_an_earlier_harvest(tmp_path: Path) -> None:
    folder = tmp_path / "harvests"
    paths = [write_export(folder, "s-harvest", f"versie {n}\n", "md") for n in (1, 2, 3)]
    paths.append(write_export(folder, "s-harvest", "<p>html</p>\n", "html"))
    assert [p.name for p in paths] == ["s-harvest.md", "s-harvest-2.md", "s-harvest-3.md",
                                       "s-harvest.html"]
    assert [p.read_text(encoding="utf-8") for p in paths[:3]] == [
        "versie 1\n", "versie 2\n", "versie 3\n"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)


def test_the_html_title_is_escaped() -> None:
    meta, notes = meta_notes(fixture_data())
    html = export(dict(meta, title="</title><script>x</script>"), notes, fmt="html")
    checker = assert_well_formed(html)
    assert checker.tags["script"] == 0
    assert "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>" in html


# The HTML export renders with a tuned parser: rules the export cannot use are off, one
# parser serves every export, and each distinct piece of a line (a note's text, its
# "— *kind · lens* · votes · speaker" tail) is rendered once. None of it may change a
# byte of what plain markdown-it makes of the exported Markdown.
REFERENCE = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)


def html_body(html: str) -> str:
    return html.split("<body>\n", 1)[1].rsplit("</body>", 1)[0]


def assert_html_is_plain_markdown_it(meta: dict[str, Any], notes: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
    markdown = export(meta, notes, **kwargs)
    assert html_body(export(meta, notes, fmt="html", **kwargs)) == REFERENCE.render(markdown)


@pytest.mark.parametrize("kwargs", [{}, {"names": True}, {"lang": "en"}])
def test_the_html_is_what_plain_markdown_it_makes_of_the_markdown(kwargs: dict[str, Any]
                                                                   ) -> None:
    assert_html_is_plain_markdown_it(*meta_notes(fixture_data()), **kwargs)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.booleans())
def test_property_the_html_is_what_plain_markdown_it_makes(session: Any, names: bool) -> None:
    assert_html_is_plain_markdown_it(*session, names=names)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions(), st.booleans())
def test_property_the_html_is_what_plain_markdown_it_makes_long_run(session: Any,
                                                                    names: bool) -> None:
    assert_html_is_plain_markdown_it(*session, names=names)


# Inline content far wilder than the export makes: separators, delimiters after any
# number of backslashes, breaks, spaces and entities on either side of the cut.
PIECE_PARTS = st.sampled_from([
    " — ", "—", " ", "  ", "\t", "\n", "\\\n", "  \n", "\u3000", "\xa0", "*", "**", "_", "__",
    "\\", "\\*", "\\\\*", "\\_", "&amp;", "&", ";", "#", "a", "b c", "é", "·", "★ ", "[", "]",
    "(", ")", "`", "<", ">", "!", ".", ",", "1.", "- ",
])
PIECE_CONTENT = st.lists(PIECE_PARTS, max_size=16).map("".join)


@settings(max_examples=3000, deadline=None)
@given(PIECE_CONTENT)
def test_property_pieces_render_as_the_whole_line(content: str) -> None:
    from goodwork_tui.core.harvest_html import _parser, _pieces

    parser = _parser()
    pieces = _pieces(content)
    assert "".join(pieces) == content
    # renderInline parses its text whole (it is how the pieces themselves are rendered)
    assert "".join(parser.renderInline(p) for p in pieces) == parser.renderInline(content)


@pytest.mark.parametrize(("content", "pieces"), [
    ("Text — *kind · lens* · 2 votes · Participant A",
     ("Text — ", "*kind · lens* · 2 votes · Participant A")),
    ("a — b — *c*", ("a — b — ", "*c*")),
    ("a \\* — b — *c*", ("a \\* — b — ", "*c*")),  # an escaped star is no delimiter
    ("a \\\\* — *c*", ("a \\\\* — *c*",)),  # after an escaped backslash it is
    ("a — \\*b — c", ("a — \\*b — c",)),  # no delimiter: one piece
    ("a — *b — c*", ("a — ", "*b — c*")),
    ("*a* — *b*", ("*a* — *b*",)),
    ("a —  *b*", ("a —  *b*",)),  # the tail would start with a space
    ("a — \n*b*", ("a — \n*b*",)),
])
def test_where_a_line_is_cut(content: str, pieces: tuple[str, ...]) -> None:
    from goodwork_tui.core.harvest_html import _pieces

    assert _pieces(content) == pieces


def test_exports_in_a_row_share_nothing_but_the_parser() -> None:
    meta, notes = meta_notes(fixture_data())
    first = export(meta, notes, fmt="html")
    other = dict(meta, themes=[], lang="en")
    export(other, [dict(n, kind="", lens="") for n in notes], fmt="html", names=True)
    assert export(meta, notes, fmt="html").encode() == first.encode() == golden("harvest.html")


class BrokenParser:
    def render(self, text: str, env: dict[str, Any]) -> str:
        raise RuntimeError("render failed")


@pytest.mark.parametrize("collecting", [True, False])
def test_the_html_export_leaves_the_garbage_collector_as_it_found_it(
        collecting: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from goodwork_tui.core import harvest_html

    meta, notes = meta_notes(fixture_data())
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        export(meta, notes, fmt="html")
        assert gc.isenabled() is collecting
        monkeypatch.setattr(harvest_html, "_parser", BrokenParser)
        with pytest.raises(RuntimeError):  # also when the render fails
            export(meta, notes, fmt="html")
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


# ---------------------------------------------------------------- 5. goodwork export


def goodwork(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          cwd=cwd, env=child_env(), stdin=subprocess.DEVNULL, timeout=60)


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


@pytest.fixture
def workspace(workspace_dir: Path) -> Path:
    """The fixture session and a later, smaller one."""
    install(fixture_data(), workspace_dir / "sessions")
    with SessionStore.create(workspace_dir / "sessions", title="Later sessie",
                             on=date(2026, 4, 2), lang="en",
                             participants=[{"name": "Bram Bakker"}]) as store:
        store.add_note("Een notitie van later", round=0, kind="insight", speaker="p1")
        store.add_note("Nooit naar buiten", round=0, room_only=True)
    return workspace_dir


def test_export_by_id_by_path_and_latest(workspace: Path, tmp_path: Path) -> None:
    sessions = workspace / "sessions"
    by_id = goodwork("export", SESSION_ID, "--workspace", str(workspace), cwd=tmp_path)
    assert by_id.returncode == 0, by_id.stderr.decode()
    assert by_id.stdout == golden("harvest.md")
    assert by_id.stderr == b""
    by_path = goodwork("export", str(sessions / f"{SESSION_ID}.json"), "--workspace",
                       str(workspace), cwd=tmp_path)
    assert by_path.returncode == 0 and by_path.stdout == golden("harvest.md")
    # from inside the workspace, no --workspace needed; a relative path works too
    relative = goodwork("export", f"sessions/{SESSION_ID}.json", cwd=workspace)
    assert relative.returncode == 0 and relative.stdout == golden("harvest.md")
    latest = goodwork("export", "latest", "--workspace", str(workspace), cwd=tmp_path)
    assert latest.returncode == 0, latest.stderr.decode()
    text = latest.stdout.decode("utf-8")
    assert front_matter(text)["title"] == "Later sessie"
    assert "Een notitie van later — *insight* · Participant A" in text
    assert "Nooit naar buiten" not in text and "Bram" not in text


def test_export_html_names_and_output_options(workspace: Path, tmp_path: Path) -> None:
    base = ("export", SESSION_ID, "--workspace", str(workspace))
    html = goodwork(*base, "--format", "html", cwd=tmp_path)
    assert html.returncode == 0 and html.stdout == golden("harvest.html")
    names = goodwork(*base, "--names", cwd=tmp_path)
    assert names.returncode == 0 and names.stdout == golden("harvest-names.md")
    for result in (html, names):
        assert b"directeur" not in result.stdout  # the room-only note
    dash = goodwork(*base, "-o", "-", cwd=tmp_path)
    assert dash.returncode == 0 and dash.stdout == golden("harvest.md")
    english = goodwork(*base, "--lang", "en", cwd=tmp_path)
    assert english.returncode == 0 and b"Participant A" in english.stdout
    assert english.stdout.decode() == export(*meta_notes(fixture_data()), lang="en")

    out = tmp_path / "out"
    out.mkdir()
    target = out / "oogst.html"
    target.write_text("an older, longer file " * 1000, encoding="utf-8")
    written = goodwork(*base, "--format", "html", "-o", str(target), cwd=tmp_path)
    assert written.returncode == 0, written.stderr.decode()
    assert written.stdout == b""
    assert "oogst.html" in written.stderr.decode()
    assert target.read_bytes() == html.stdout  # replaced whole, not written over
    assert sorted(p.name for p in out.iterdir()) == ["oogst.html"]  # no temp files left
    relative = goodwork(*base, "--names", "-o", "oogst.md", cwd=out)
    assert relative.returncode == 0
    assert (out / "oogst.md").read_bytes() == names.stdout


def test_export_of_an_unknown_session_exits_1_with_a_message(workspace: Path,
                                                             tmp_path: Path) -> None:
    result = goodwork("export", "no-such-session", "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    message = result.stderr.decode()
    assert "no-such-session" in message and "Traceback" not in message
    empty = tmp_path / "empty"
    (empty / "library").mkdir(parents=True)
    (empty / "sessions").mkdir()
    latest = goodwork("export", "latest", "--workspace", str(empty), cwd=tmp_path)
    assert latest.returncode == 1 and "no session to export" in latest.stderr.decode()


@pytest.mark.parametrize("content", [b'{"session": {"1": {"schema": 1, "tit', b"\x00\xff",
                                     b'{"session": []}', b"[]"])
def test_export_of_a_corrupt_session_exits_1_naming_the_file(workspace: Path, tmp_path: Path,
                                                             content: bytes) -> None:
    broken = workspace / "sessions" / "2026-01-01-kapot.json"
    broken.write_bytes(content)
    for ref in ("2026-01-01-kapot", str(broken)):
        result = goodwork("export", ref, "--workspace", str(workspace), cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        message = result.stderr.decode()
        assert "2026-01-01-kapot.json" in message and "Traceback" not in message
        assert result.stdout == b""
    assert broken.read_bytes() == content  # left as it was
    assert not (workspace / "sessions" / "2026-01-01-kapot.json.lock").exists()


def test_export_does_not_import_textual(workspace: Path, tmp_path: Path) -> None:
    control = without_textual("--import-textual", cwd=tmp_path)
    assert control.returncode != 0 and b"blocked: textual" in control.stderr
    for extra in ([], ["--format", "html", "--names"]):
        result = without_textual("export", SESSION_ID, "--workspace", str(workspace), *extra,
                                 cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        expected = (export(*meta_notes(fixture_data()), fmt="html", names=True) if extra
                    else golden("harvest.md").decode("utf-8"))
        assert result.stdout.decode("utf-8") == expected


def test_export_while_the_app_holds_the_session_and_writes_to_it(workspace: Path,
                                                                 tmp_path: Path) -> None:
    """The app's store holds the lock and keeps writing; every export is one whole
    version of the session, never a torn or half-read one."""
    path = workspace / "sessions" / f"{SESSION_ID}.json"
    holder = SessionStore.open(path)
    assert not holder.read_only and Path(f"{path}.lock").exists()
    before = len([n for n in holder.notes() if not n["room_only"]])
    stop = threading.Event()
    added: list[int] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            holder.add_note(f"Nieuwe notitie {n} # | * [x]", round=n % 3, kind="insight")
            added.append(n)
            time.sleep(0.002)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        outputs = [goodwork("export", SESSION_ID, "--workspace", str(workspace), cwd=tmp_path)
                   for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    try:
        assert added, "the writer never ran"
        counts = []
        for result in outputs:
            assert result.returncode == 0, result.stderr.decode()
            text = result.stdout.decode("utf-8")
            data = front_matter(text)
            doc = blocks(text)
            start = doc.index(("h", 2, "Per ronde"))
            end = doc.index(("h", 2, "Besproken situaties"))
            items = [b for b in doc[start:end] if b[0] == "li"]
            assert data["counts"]["notes"] == len(items)
            assert text.endswith("ander oordeel.\n")  # the whole document
            counts.append(len(items))
        assert counts == sorted(counts)
        assert before <= counts[0] and counts[-1] <= before + len(added)
        assert counts[-1] > before, "no export saw a note written meanwhile"
        final = goodwork("export", SESSION_ID, "--workspace", str(workspace), cwd=tmp_path)
        assert front_matter(final.stdout.decode())["counts"]["notes"] == before + len(added)
        assert not holder.read_only and Path(f"{path}.lock").exists()
    finally:
        holder.close()
