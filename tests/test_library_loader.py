"""The library loader: the starter library, every kind of bad file, and session formats."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from workspace_helpers import COLLECTION, STARTER, situation_text, write

from goodwork_tui.core.library import Library, load_library
from goodwork_tui.core.markdown_file import MAX_BYTES
from goodwork_tui.core.model import Problem

STARTER_COLLECTIONS = {
    "begeleidingskunde", "grenswerk", "jeugdzorg", "leerbegeleiding", "ouderenzorg",
    "procesbegeleiding", "toezicht", "werkend-leren",
}

TAGS = "trust: {nl: vertrouwen, en: trust}\nteam: {nl: team, en: team}\n"


# ---------------------------------------------------------------- helpers


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line that starts with `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(needle):
            return number
    raise AssertionError(f"{needle!r} not in the text")


def make_library(root: Path, files: dict[str, str | bytes], *, collection: bool = True,
                 tags: str | None = TAGS) -> Path:
    """A library with collection `c` (and tags.yaml) plus `files` (paths relative to it)."""
    if collection:
        write(root / "c" / "_collection.md", COLLECTION.format(id="c", title="Collectie"))
    if tags is not None:
        write(root / "tags.yaml", tags)
    for name, text in files.items():
        write(root / name, text)
    return root


def problems_of(library: Library, name: str) -> list[Problem]:
    return [p for p in library.problems if p.path.name == name]


def only_problem(library: Library, name: str) -> Problem:
    found = problems_of(library, name)
    assert len(found) == 1, [f"{p.path.name}:{p.line}: {p.message}" for p in library.problems]
    assert len(library.problems) == 1, [p.message for p in library.problems]
    return found[0]


def ids(library: Library) -> list[str]:
    return [s.id for s in library.situations]


@pytest.fixture(scope="module")
def starter() -> Library:
    return load_library(STARTER)


# ---------------------------------------------------------------- the starter library


def test_starter_library_has_no_problems(starter: Library) -> None:
    assert [p.format(STARTER) for p in starter.problems] == []


def test_starter_library_counts(starter: Library) -> None:
    assert set(starter.collections) == STARTER_COLLECTIONS
    assert len(starter.situations) == 148
    assert len({s.id for s in starter.situations}) == 148


def test_starter_library_at_least_eight_per_language_per_collection(starter: Library) -> None:
    counts = Counter((s.collection, s.lang) for s in starter.situations)
    assert {key for key in counts} == {(c, lang) for c in STARTER_COLLECTIONS
                                       for lang in ("nl", "en")}
    assert all(count >= 8 for count in counts.values()), counts
    assert all(counts[(c, "nl")] == counts[(c, "en")] for c in STARTER_COLLECTIONS)


def test_starter_situations_are_puzzles_with_contrasting_colleague_images(
        starter: Library) -> None:
    """Second edition: a story, five dimensions, 3-4 questions, at least two images, none
    told by the story's own protagonist (the first name opening the story)."""
    for situation in starter.situations:
        assert situation.story.strip(), situation.id
        assert set(situation.dimensions) == {"knowledge", "actions", "identity", "values",
                                             "relationships"}, situation.id
        assert 3 <= len(situation.questions) <= 4, situation.id
        assert len(situation.images) >= 2, situation.id
        speakers = [image.who.split(",")[0].strip() for image in situation.images]
        assert len(set(speakers)) == len(speakers), situation.id
        for image in situation.images:
            assert image.did.strip() and image.considerations.strip(), situation.id
            assert set(image.lenses) == {"excellent", "ethical", "engaging"}, situation.id


def test_starter_every_nl_situation_has_an_en_translation_that_links_back(
        starter: Library) -> None:
    dutch = [s for s in starter.situations if s.lang == "nl"]
    assert len(dutch) == 74
    for situation in dutch:
        other = starter.situation(situation.translations["en"])
        assert other is not None, situation.id
        assert other.lang == "en"
        assert other.collection == situation.collection
        assert other.translations == {"nl": situation.id}


def test_starter_situations_are_complete(starter: Library) -> None:
    for situation in starter.situations:
        assert situation.title.strip(), situation.id
        assert situation.story.strip(), situation.id
        assert situation.path.name == f"{situation.id}.md"
        assert situation.path.parent.name == situation.collection
        assert set(situation.tags) <= set(starter.tags), situation.id


def test_starter_collection_titles_in_both_languages(starter: Library) -> None:
    toezicht = starter.collections["toezicht"]
    assert toezicht.title_in("nl") == "Inspecteurs in het overheidstoezicht"
    assert toezicht.title_in("en") == "Inspectors in government supervision"
    assert toezicht.role == {"nl": "inspecteur", "en": "inspector"}


def test_starter_tag_labels(starter: Library) -> None:
    assert starter.tag_label("power", "nl") == "macht en hiërarchie"
    assert starter.tag_label("power", "en") == "power and hierarchy"
    assert starter.tag_label("power", "de") == "power and hierarchy"  # falls back to en
    assert starter.tag_label("no-such-tag", "nl") == "no-such-tag"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_shown_gives_one_situation_per_translation_group(starter: Library, lang: str) -> None:
    shown = starter.shown(lang)
    assert len(shown) == 74
    assert all(s.lang == lang for s in shown)
    groups = [frozenset({s.id, *s.translations.values()}) for s in shown]
    assert len(set(groups)) == 74
    assert set().union(*groups) == {s.id for s in starter.situations}


def test_in_language(starter: Library) -> None:
    nl = starter.situation("toezicht-stille-informatie-nl")
    en = starter.situation("toezicht-stille-informatie-en")
    assert nl is not None and en is not None
    assert starter.in_language(nl, "en") is en
    assert starter.in_language(en, "nl") is nl
    assert starter.in_language(nl, "nl") is nl
    assert starter.in_language(nl, "de") is nl  # no German: as written
    assert en.title == "What you know but may not say"


def test_shown_keeps_an_untranslated_situation_as_written(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path / "library", {
        "c/c-one-nl.md": situation_text(extra="translations:\n  en: c-one-en\n"),
        "c/c-one-en.md": situation_text(id="c-one-en", title="A title", lang="en",
                                        extra="translations:\n  nl: c-one-nl\n"),
        "c/c-alone-nl.md": situation_text(id="c-alone-nl", title="Alleen"),
    }))
    assert library.problems == []
    assert sorted(s.id for s in library.shown("en")) == ["c-alone-nl", "c-one-en"]
    assert sorted(s.id for s in library.shown("nl")) == ["c-alone-nl", "c-one-nl"]


def test_small_library_fixture_loads_clean(small_library: Path) -> None:
    library = load_library(small_library / "library")
    assert library.problems == []
    assert sorted(ids(library)) == ["c-one-en", "c-one-nl"]
    nl = library.situation("c-one-nl")
    assert nl is not None
    assert nl.story == "Een verhaal."
    assert nl.dimensions == {"knowledge": "Wat je weet."}
    assert nl.questions == ("Herken je dit?",)
    assert len(nl.images) == 1
    assert nl.images[0].who == "Anouk"
    assert nl.images[0].did == "Iets."
    assert nl.images[0].lenses == {"excellent": "Goed."}


# ---------------------------------------------------------------- bad files


def test_bad_yaml_reports_the_line_of_the_yaml_error(tmp_path: Path) -> None:
    text = situation_text().replace("title: Een titel", "title: a: b")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "title:") == 3
    assert problem.message.startswith("bad front matter:")
    assert library.situations == []


def test_bad_yaml_indentation_line(tmp_path: Path) -> None:
    text = situation_text().replace("lang: nl\n", "lang: nl\n  bad: indent\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "  bad: indent") == 6
    assert "bad front matter" in problem.message


def test_unclosed_front_matter_is_line_1(tmp_path: Path) -> None:
    text = "---\nid: c-one-nl\ntitle: T\n\n## Situatie\n\nVerhaal.\n"
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 1
    assert "never closed" in problem.message
    assert library.situations == []


def test_missing_front_matter(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path, {
        "c/c-one-nl.md": "## Situatie\n\nAlleen een verhaal.\n"}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 1
    assert "missing front matter" in problem.message
    assert library.situations == []


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path, {
        "c/c-one-nl.md": "---\n- id\n- title\n---\n\n## Situatie\n\nVerhaal.\n"}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 2
    assert "mapping" in problem.message


@pytest.mark.parametrize("name", ["id", "title", "collection", "lang"])
def test_missing_required_field_is_reported_at_the_start_of_the_front_matter(
        tmp_path: Path, name: str) -> None:
    # A missing field has no line of its own: it is reported on the first line of the
    # front matter (line 2, right after the opening '---').
    text = "\n".join(line for line in situation_text().split("\n")
                     if not line.startswith(f"{name}:"))
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.message == f"missing field '{name}'"
    assert problem.line == 2
    assert library.situations == []


def test_empty_required_field_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = situation_text().replace("title: Een titel", "title:")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.message == "missing field 'title'"
    assert problem.line == 3


def test_invalid_id_is_reported_at_the_id_line(tmp_path: Path) -> None:
    text = situation_text(id="C One")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 2
    assert "field 'id' is not valid: 'C One'" in problem.message
    assert library.situations == []


def test_unknown_section_reports_the_heading_line(tmp_path: Path) -> None:
    text = situation_text(story="Een verhaal.\n\n## Boodschappen\n\nMelk.")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "## Boodschappen")
    assert problem.message == "unknown section heading 'Boodschappen'"
    assert ids(library) == ["c-one-nl"]  # still loaded


def test_unknown_dimension_heading(tmp_path: Path) -> None:
    text = situation_text().replace("### Kennis\n", "### Smaak\nZoet.\n\n### Kennis\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "### Smaak")
    assert problem.message == "unknown dimension heading 'Smaak'"
    situation = library.situation("c-one-nl")
    assert situation is not None
    assert situation.dimensions == {"knowledge": "Wat je weet."}


def test_unknown_image_heading(tmp_path: Path) -> None:
    text = situation_text().replace("### Goed is\n", "### Achteraf\nNiets.\n\n### Goed is\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "### Achteraf")
    assert problem.message == "unknown image heading 'Achteraf'"


def test_level_1_heading(tmp_path: Path) -> None:
    text = situation_text(story="Een verhaal.\n\n# Grote titel\n\nMeer.")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "# Grote titel")
    assert "level-1 heading" in problem.message


def test_missing_story_section(tmp_path: Path) -> None:
    text = situation_text().replace("## Situatie\n\nEen verhaal.\n\n", "")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert "missing section '## Situatie'" in problem.message
    closing_fence = [n for n, line in enumerate(text.split("\n"), 1) if line == "---"][1]
    assert problem.line == closing_fence + 1 == 8  # where the body starts


def test_english_headings_in_a_dutch_file_are_accepted(tmp_path: Path) -> None:
    text = (situation_text()
            .replace("## Situatie", "## SITUATION")
            .replace("## Dimensies", "## Dimensions")
            .replace("### Kennis", "### Knowledge")
            .replace("## Reflectievragen", "## Reflection questions")
            .replace("## Beeld van goed werk: Anouk", "## Image of good work")
            .replace("### Wat ik deed", "### What I did"))
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    assert library.problems == []
    situation = library.situation("c-one-nl")
    assert situation is not None
    assert situation.story == "Een verhaal."
    assert situation.dimensions == {"knowledge": "Wat je weet."}
    assert situation.images[0].who == ""
    assert situation.images[0].did == "Iets."


def test_duplicate_id_reports_the_second_file_and_keeps_the_first(tmp_path: Path) -> None:
    first = situation_text(id="c-dup-nl", title="Eerste")
    second = situation_text(id="c-dup-nl", title="Tweede")
    library = load_library(make_library(tmp_path, {
        "c/c-a-nl.md": first, "c/c-b-nl.md": second}))
    problem = only_problem(library, "c-b-nl.md")
    assert problem.line == line_of(second, "id:") == 2
    assert problem.message == "duplicate id 'c-dup-nl' (also in c/c-a-nl.md)"
    assert ids(library) == ["c-dup-nl"]
    kept = library.situation("c-dup-nl")
    assert kept is not None and kept.title == "Eerste"


def test_duplicate_id_across_collections(tmp_path: Path) -> None:
    root = make_library(tmp_path, {
        "c/c-one-nl.md": situation_text(),
        "d/_collection.md": COLLECTION.format(id="d", title="D"),
        "d/d-one-nl.md": situation_text(collection="d"),
    })
    library = load_library(root)
    problem = only_problem(library, "d-one-nl.md")
    assert problem.message == "duplicate id 'c-one-nl' (also in c/c-one-nl.md)"
    assert [s.path.name for s in library.situations] == ["c-one-nl.md"]


def test_broken_translation_link_reports_the_translations_line(tmp_path: Path) -> None:
    text = situation_text(extra="translations:\n  en: c-nowhere-en\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "translations:") == 7
    assert problem.message == "broken translation link: no 'c-nowhere-en' in the library"
    situation = library.situation("c-one-nl")
    assert situation is not None
    assert situation.translations == {}  # the broken link is dropped


def test_translation_that_does_not_link_back(tmp_path: Path) -> None:
    text = situation_text(extra="translations:\n  en: c-one-en\n")
    library = load_library(make_library(tmp_path, {
        "c/c-one-nl.md": text,
        "c/c-one-en.md": situation_text(id="c-one-en", title="A title", lang="en"),
    }))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "translations:")
    assert problem.message == "translation link: 'c-one-en' does not link back to 'c-one-nl'"
    assert sorted(s.id for s in library.shown("en")) == ["c-one-en", "c-one-nl"]


def test_translation_in_the_wrong_language(tmp_path: Path) -> None:
    text = situation_text(extra="translations:\n  en: c-two-nl\n")
    library = load_library(make_library(tmp_path, {
        "c/c-one-nl.md": text,
        "c/c-two-nl.md": situation_text(id="c-two-nl", extra="translations:\n  en: c-one-nl\n"),
    }))
    messages = {(p.path.name, p.line, p.message) for p in library.problems}
    assert ("c-one-nl.md", 7, "translation link: 'c-two-nl' is in 'nl', not 'en'") in messages


def test_not_utf8_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    text = situation_text(story="Een verhaal over caf\x00.")
    data = text.encode("utf-8").replace(b"caf\x00", b"caf\xe9")  # Latin-1 e-acute
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "Een verhaal over") == 11
    assert "not UTF-8" in problem.message
    assert library.situations == []


def test_not_utf8_after_a_bom_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    text = situation_text(story="\x00 verhaal.")
    data = b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"\x00", b"\xe9")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    problem = only_problem(library, "c-one-nl.md")
    assert "not UTF-8" in problem.message
    assert problem.line == line_of(text, "\x00 verhaal.") == 11


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", "\ufeff".encode()])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": content}))
    problem = only_problem(library, "c-one-nl.md")
    assert (problem.line, problem.message) == (1, "empty file")


def test_binary_file(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    problem = only_problem(library, "c-one-nl.md")
    assert (problem.line, problem.message) == (1, "binary file, not Markdown text")


def test_utf16_file_counts_as_binary(tmp_path: Path) -> None:
    data = situation_text().encode("utf-16")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 1
    assert "binary" in problem.message


def _padded(size: int) -> bytes:
    base = situation_text().encode("utf-8")
    filler = b"\n" + b"woord " * ((size - len(base) - 1) // 6)
    data = base + filler
    data += b" " * (size - len(data))
    assert len(data) == size
    return data


def test_file_larger_than_512_kib(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": _padded(MAX_BYTES + 1)}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == 1
    assert "too large" in problem.message
    assert f"{MAX_BYTES + 1:,} bytes" in problem.message
    assert f"limit is {MAX_BYTES:,} bytes" in problem.message
    assert library.situations == []


def test_file_of_exactly_512_kib_is_accepted(tmp_path: Path) -> None:
    assert MAX_BYTES == 512 * 1024
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": _padded(MAX_BYTES)}))
    assert library.problems == []
    assert ids(library) == ["c-one-nl"]


def test_unknown_tag(tmp_path: Path) -> None:
    text = situation_text().replace("tags: [trust]", "tags: [trust, astrologie]")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "tags:") == 6
    assert problem.message == "unknown tag 'astrologie' (see tags.yaml)"
    situation = library.situation("c-one-nl")
    assert situation is not None  # still loaded


def test_any_tag_is_accepted_without_tags_yaml(tmp_path: Path) -> None:
    text = situation_text().replace("tags: [trust]", "tags: [astrologie]")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}, tags=None))
    assert library.problems == []
    assert library.situations[0].tags == ("astrologie",)


def test_collection_field_that_does_not_match_the_folder(tmp_path: Path) -> None:
    text = situation_text(collection="elders")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "collection:") == 4
    assert problem.message == ("collection 'elders' does not match the folder's "
                               "collection 'c'")
    assert [s.collection for s in library.situations] == ["c"]


def test_missing_collection_file(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"c/c-one-nl.md": situation_text()}, collection=False)
    library = load_library(root)
    problem = only_problem(library, "_collection.md")
    assert problem.path == root / "c" / "_collection.md"
    assert problem.line == 1
    assert "missing _collection.md" in problem.message
    assert list(library.collections) == ["c"]
    assert library.collections["c"].title_in("nl") == "c"
    assert ids(library) == ["c-one-nl"]


def test_unknown_field(tmp_path: Path) -> None:
    text = situation_text(extra="auteur: Anouk\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert (problem.line, problem.message) == (7, "unknown field 'auteur'")


def test_situation_outside_a_collection_folder(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"los-nl.md": situation_text(id="los-nl")})
    library = load_library(root)
    problem = only_problem(library, "los-nl.md")
    assert (problem.line, problem.message) == (1, "situation outside a collection folder")


def test_readme_hidden_files_and_other_extensions_are_ignored(tmp_path: Path) -> None:
    root = make_library(tmp_path, {
        "README.md": "# Not a situation\n",
        "c/README.md": "# Not a situation either\n",
        "c/.draft-nl.md": "garbage",
        "c/notes.txt": "garbage",
        ".hidden/x.md": "garbage",
        "c/c-one-nl.md": situation_text(),
    })
    library = load_library(root)
    assert library.problems == []
    assert ids(library) == ["c-one-nl"]
    assert list(library.collections) == ["c"]


# ---------------------------------------------------------------- accepted encodings


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_bom_and_crlf_are_accepted(tmp_path: Path, bom: bool, newline: str) -> None:
    text = situation_text(title="Een tïtel", story="Een verhaal,\nover twee regels.")
    data = (("\ufeff" if bom else "") + text.replace("\n", newline)).encode("utf-8")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    assert library.problems == []
    situation = library.situation("c-one-nl")
    assert situation is not None
    assert situation.title == "Een tïtel"
    assert situation.story == "Een verhaal,\nover twee regels."
    assert situation.dimensions == {"knowledge": "Wat je weet."}
    assert situation.questions == ("Herken je dit?",)
    assert "\r" not in situation.body


def test_bom_and_crlf_keep_line_numbers_right(tmp_path: Path) -> None:
    text = situation_text(story="Een verhaal.\n\n## Boodschappen\n\nMelk.")
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": data}))
    problem = only_problem(library, "c-one-nl.md")
    assert problem.line == line_of(text, "## Boodschappen")


# ---------------------------------------------------------------- isolation


def test_one_bad_file_never_hides_the_others(tmp_path: Path) -> None:
    root = make_library(tmp_path, {
        "c/c-a-bad-yaml-nl.md": situation_text(id="c-a-bad-yaml-nl").replace(
            "title: Een titel", "title: a: b"),
        "c/c-b-binary-nl.md": b"\x00\x01\x02",
        "c/c-c-empty-nl.md": "",
        "c/c-d-latin1-nl.md": situation_text(id="c-d-latin1-nl", story="caf\xe9").encode(
            "latin-1"),
        "c/c-e-no-front-matter-nl.md": "## Situatie\n\nVerhaal.\n",
        "c/c-f-good-nl.md": situation_text(id="c-f-good-nl", title="Goed"),
        "c/c-g-missing-id-nl.md": situation_text().replace("id: c-one-nl\n", ""),
        "c/c-h-unclosed-nl.md": "---\nid: c-h-unclosed-nl\n",
        "c/c-i-too-big-nl.md": _padded(MAX_BYTES + 10),
    })
    library = load_library(root)
    assert ids(library) == ["c-f-good-nl"]
    reported = sorted(p.path.name for p in library.problems)
    assert reported == [
        "c-a-bad-yaml-nl.md", "c-b-binary-nl.md", "c-c-empty-nl.md", "c-d-latin1-nl.md",
        "c-e-no-front-matter-nl.md", "c-g-missing-id-nl.md", "c-h-unclosed-nl.md",
        "c-i-too-big-nl.md",
    ]


def test_bad_collection_file_does_not_hide_its_situations(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"c/c-one-nl.md": situation_text()}, collection=False)
    write(root / "c" / "_collection.md", "---\ntitle: [\n---\n")
    library = load_library(root)
    assert [p.path.name for p in library.problems] == ["_collection.md"]
    assert ids(library) == ["c-one-nl"]


def test_missing_library_folder(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nowhere")
    assert [(p.line, p.message) for p in library.problems] == [
        (1, "the library folder does not exist")]
    assert library.situations == []


# ---------------------------------------------------------------- formats


def test_starter_formats(starter: Library) -> None:
    formats = {f.id: f for f in starter.formats}
    assert len(formats) == 14
    assert Counter(f.lang for f in formats.values()) == {"nl": 7, "en": 7}
    assert {f.kind for f in formats.values()} == {"group", "solo"}
    assert formats["solo-reflectie-nl"].kind == "solo"
    assert formats["solo-reflection-en"].kind == "solo"
    assert formats["groepsdialoog-nl"].kind == "group"
    for item in formats.values():
        assert item.rounds, item.id
        assert sum(r.minutes for r in item.rounds) == item.minutes, item.id
        assert all(r.minutes > 0 and r.prompt.strip() for r in item.rounds), item.id
        (lang, other_id), = item.translations.items()
        other = formats[other_id]
        assert other.lang == lang != item.lang
        assert other.translations == {item.lang: item.id}
        assert len(other.rounds) == len(item.rounds)
        assert [r.minutes for r in other.rounds] == [r.minutes for r in item.rounds]


def test_starter_group_dialogue_rounds(starter: Library) -> None:
    dialogue = next(f for f in starter.formats if f.id == "groepsdialoog-nl")
    assert dialogue.minutes == 95
    # the images round has room for trios (or 40 minutes for the whole group)
    assert [r.minutes for r in dialogue.rounds] == [15, 40, 10, 10, 10, 10]
    first = dialogue.rounds[0]
    assert first.title == "Herkennen"
    assert first.kinds == ("experience", "question")
    assert first.roles == ("facilitator", "timekeeper")
    assert first.prompt.startswith("Lees de situatie rustig")
    assert not first.prompt.startswith("- minutes")


FORMAT = """---
id: f-nl
title: Een werkvorm
lang: nl
kind: {kind}
minutes: {minutes}
---

Intro voor de begeleider.

## Een

- minutes: 10
- kinds: {kinds}
- roles: facilitator

Prompt een.

## Twee

{second}- soorten: insight

Prompt twee.
"""


def format_text(kind: str = "group", minutes: int = 15, kinds: str = "experience",
                second: str = "- minuten: 5\n") -> str:
    return FORMAT.format(kind=kind, minutes=minutes, kinds=kinds, second=second)


def test_a_good_format_with_dutch_keys(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": format_text()}))
    assert library.problems == []
    (loaded,) = library.formats
    assert (loaded.id, loaded.title, loaded.kind, loaded.minutes) == (
        "f-nl", "Een werkvorm", "group", 15)
    assert loaded.intro == "Intro voor de begeleider."
    assert [(r.title, r.minutes, r.kinds, r.roles, r.prompt) for r in loaded.rounds] == [
        ("Een", 10, ("experience",), ("facilitator",), "Prompt een."),
        ("Twee", 5, ("insight",), (), "Prompt twee."),
    ]


def test_format_minutes_mismatch(tmp_path: Path) -> None:
    text = format_text(minutes=20)
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "minutes:") == 6
    assert problem.message == "minutes is 20 but the rounds add up to 15"
    assert [f.id for f in library.formats] == ["f-nl"]


def test_format_unknown_note_kind(tmp_path: Path) -> None:
    text = format_text(kinds="experience, gossip")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.message == "round 'Een': unknown note kind 'gossip'"
    assert line_of(text, "## Een") <= problem.line <= line_of(text, "- kinds:")
    assert library.formats[0].rounds[0].kinds == ("experience",)


def test_format_round_without_minutes(tmp_path: Path) -> None:
    text = format_text(minutes=10, second="")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.message == "round 'Twee' needs '- minutes: N' with a whole number above 0"
    assert line_of(text, "## Twee") <= problem.line <= line_of(text, "- soorten:")
    assert [r.minutes for r in library.formats[0].rounds] == [10, 0]


def test_format_unknown_note_kind_points_at_the_kinds_line(tmp_path: Path) -> None:
    text = format_text(kinds="experience, gossip")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "- kinds:") == 14


def test_format_round_without_minutes_points_at_the_round_heading(tmp_path: Path) -> None:
    text = format_text(minutes=10, second="")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "## Twee") == 19


def test_format_unknown_kind_and_role(tmp_path: Path) -> None:
    text = format_text(kind="party").replace("roles: facilitator", "roles: facilitator, dj")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    kind_problem, role_problem = sorted(problems_of(library, "f-nl.md"), key=lambda p: p.line)
    assert len(library.problems) == 2
    assert (kind_problem.line, kind_problem.message) == (
        line_of(text, "kind:"), "kind must be 'group' or 'solo', not 'party'")
    assert role_problem.message == "round 'Een': unknown role 'dj'"
    assert line_of(text, "## Een") <= role_problem.line <= line_of(text, "- roles:")
    assert library.formats[0].rounds[0].roles == ("facilitator",)


def test_format_without_rounds(tmp_path: Path) -> None:
    text = format_text().split("## Een")[0]
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert "at least one round" in problem.message


def test_format_minutes_not_a_number(tmp_path: Path) -> None:
    text = format_text().replace("minutes: 15\n", "minutes: veel\n", 1)
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert (problem.line, problem.message) == (6, "minutes must be a whole number")


def test_format_broken_translation_link(tmp_path: Path) -> None:
    text = format_text().replace("minutes: 15\n", "minutes: 15\ntranslations:\n  en: f-en\n", 1)
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "translations:") == 7
    assert problem.message == "broken translation link: no 'f-en' in the library"


def test_duplicate_format_id(tmp_path: Path) -> None:
    library = load_library(make_library(tmp_path, {
        "formats/a.md": format_text(), "formats/b.md": format_text()}))
    problem = only_problem(library, "b.md")
    assert problem.message == "duplicate format id 'f-nl' (also in formats/a.md)"
    assert [f.path.name for f in library.formats] == ["a.md"]


def test_the_old_role_case_giver_is_read_as_case_presenter(tmp_path: Path) -> None:
    text = format_text().replace("roles: facilitator", "roles: case-giver, case-presenter")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    assert library.problems == []
    assert library.formats[0].rounds[0].roles == ("case-presenter", "case-presenter")


# ---------------------------------------------------------------- source and consent


IMAGE = "## Beeld van goed werk: Anouk\n\n"


def with_provenance(settings: str) -> str:
    """The test situation with `settings` in place of its image's source and consent."""
    text = situation_text()
    start = text.index(IMAGE) + len(IMAGE)
    end = text.index("### Wat ik deed")
    return text[:start] + settings + text[end:]


@pytest.mark.parametrize(("settings", "source", "consent"), [
    ("- bron: interview, maart\n- toestemming: ja\n\n", "interview, maart", "yes"),
    ("- source: a colleague\n- consent: anonymous\n\n", "a colleague", "anonymous"),
    ("- Bron: verzonnen\n- Toestemming: Verzonnen\n\n", "verzonnen", "fictional"),
    ("- consent: fictional\n- source: invented\n\n", "invented", "fictional"),
])
def test_an_image_carries_its_source_and_consent(tmp_path: Path, settings: str, source: str,
                                                 consent: str) -> None:
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": with_provenance(settings)}))
    assert library.problems == []
    (image,) = library.situations[0].images
    assert (image.source, image.consent) == (source, consent)
    assert image.did.strip() == "Iets."


def test_an_image_without_source_or_consent_is_reported_at_its_heading(tmp_path: Path) -> None:
    text = with_provenance("")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    heading = line_of(text, "## Beeld van goed werk")
    assert [(p.line, p.message) for p in problems_of(library, "c-one-nl.md")] == [
        (heading, "image 'Anouk' has no source: add '- source: …' or '- bron: …'"),
        (heading, "image 'Anouk' has no consent: add '- consent: …' or '- toestemming: …' "
                  "(yes/ja, anonymous/anoniem or fictional/verzonnen)"),
    ]
    assert len(library.situations) == 1  # reported, not left out


def test_an_unknown_consent_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = with_provenance("- bron: de kantine\n- toestemming: misschien\n\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    problem = only_problem(library, "c-one-nl.md")
    assert (problem.line, problem.message) == (
        line_of(text, "- toestemming:"),
        "image 'Anouk': unknown consent 'misschien' "
        "(yes/ja, anonymous/anoniem or fictional/verzonnen)")
    assert library.situations[0].images[0].consent == ""


def test_provenance_below_the_subsections_does_not_count(tmp_path: Path) -> None:
    text = with_provenance("").replace("### Goed is\nGoed.\n",
                                       "### Goed is\nGoed.\n\n- bron: x\n- toestemming: ja\n")
    library = load_library(make_library(tmp_path, {"c/c-one-nl.md": text}))
    assert len(problems_of(library, "c-one-nl.md")) == 2
    assert library.situations[0].images[0].source == ""


PORTRAIT = "---\nwho: Ans, wijkverpleegkundige\n{fields}---\n\nWat ze deed.\n"


def test_portraits_in_the_inbox_carry_source_and_consent(tmp_path: Path) -> None:
    root = make_library(tmp_path, {
        "_inbox/README.md": "# Inbox\n",
        "_inbox/goed.md": PORTRAIT.format(fields="source: interview\nconsent: anoniem\n"),
        "_inbox/zonder.md": PORTRAIT.format(fields=""),
        "_inbox/kaal.md": "Alleen tekst.\n",
        "_inbox/vreemd.md": PORTRAIT.format(fields="source: x\nconsent: later\n"),
        "_inbox/yaml-ja.md": PORTRAIT.format(fields="source: x\nconsent: yes\n"),
        "_inbox/yaml-nee.md": PORTRAIT.format(fields="source: x\nconsent: no\n"),
    })
    library = load_library(root)
    found = sorted((p.path.name, p.line, p.message) for p in library.problems)
    assert found == [
        ("kaal.md", 1, "portrait has no consent: add a field 'consent:' "
                       "(yes/ja, anonymous/anoniem or fictional/verzonnen)"),
        ("kaal.md", 1, "portrait has no source: add a field 'source:'"),
        ("vreemd.md", 4, "portrait: unknown consent 'later' "
                         "(yes/ja, anonymous/anoniem or fictional/verzonnen)"),
        ("yaml-nee.md", 4, "portrait: unknown consent 'no' "
                           "(yes/ja, anonymous/anoniem or fictional/verzonnen)"),
        ("zonder.md", 1, "portrait has no consent: add a field 'consent:' "
                         "(yes/ja, anonymous/anoniem or fictional/verzonnen)"),
        ("zonder.md", 1, "portrait has no source: add a field 'source:'"),
    ]
    assert library.collections.keys() == {"c"}  # still not a collection
    # a bare 'yes' (YAML reads it as true) is consent all the same
    from goodwork_tui.core.authoring import read_inbox

    consent = {p.path.name: p.consent for p in read_inbox(root)}
    assert (consent["yaml-ja.md"], consent["yaml-nee.md"], consent["goed.md"]) == (
        "yes", "", "anonymous")
    # the app's quick load does not read the inbox
    assert load_library(root, full=False).problems == []


def test_the_starter_portraits_have_source_and_consent(starter: Library) -> None:
    assert [p for p in starter.problems if "_inbox" in p.path.parts] == []


def test_starter_moral_case_deliberation_follows_the_ten_steps_in_order(starter: Library,
                                                                        ) -> None:
    formats = {f.id: f for f in starter.formats}
    assert [r.title for r in formats["moreel-beraad-nl"].rounds] == [
        "De casus", "Morele vraag en dilemma", "Perspectieven", "Waarden en normen",
        "Alternatieven", "Persoonlijke afweging", "Dialoog over overeenkomsten en verschillen",
        "Conclusies en acties", "Wat heb je nodig?", "Afronding"]
    assert [r.title for r in formats["moral-case-deliberation-en"].rounds][4:6] == [
        "Alternatives", "Personal weighing"]


def test_starter_formats_name_only_known_roles_and_never_the_old_case_giver() -> None:
    for path in sorted((STARTER / "formats").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "case-giver" not in text and "case giver" not in text, path.name
    incident = next(f for f in load_library(STARTER).formats if f.id == "incidentmethode-nl")
    assert incident.rounds[0].title == "Een incident kiezen"
    assert incident.rounds[1].roles == ("case-presenter", "timekeeper")
    assert incident.rounds[-2].title == "Bespreken en generaliseren"
def test_a_round_names_its_helper_in_english_or_dutch(tmp_path: Path) -> None:
    text = format_text(second="- minuten: 5\n- hulp: morele-vraag\n")
    text = text.replace("- roles: facilitator\n",
                        "- roles: facilitator\n- helper: moral-question\n")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    assert library.problems == []
    assert [r.helper for r in library.formats[0].rounds] == ["moral-question", "moral-question"]
    plain = load_library(make_library(tmp_path / "plain", {"formats/f-nl.md": format_text()}))
    assert [r.helper for r in plain.formats[0].rounds] == ["", ""]


def test_an_unknown_helper_is_a_problem_on_its_line(tmp_path: Path) -> None:
    text = format_text().replace("- roles: facilitator\n",
                                 "- roles: facilitator\n- helper: mind-reader\n")
    library = load_library(make_library(tmp_path, {"formats/f-nl.md": text}))
    problem = only_problem(library, "f-nl.md")
    assert problem.line == line_of(text, "- helper:") == 16
    assert problem.message == ("round 'Een': unknown helper 'mind-reader' "
                               "(known: moral-question)")
    assert library.formats[0].rounds[0].helper == ""


def test_the_moral_question_rounds_of_the_starter_formats_have_the_helper(
        starter: Library) -> None:
    for format_id in ("moreel-beraad-nl", "moral-case-deliberation-en"):
        chosen = next(f for f in starter.formats if f.id == format_id)
        assert [r.helper for r in chosen.rounds] == ["", "moral-question"] + [""] * 8
    others = [r.helper for f in starter.formats if "beraad" not in f.id
              and "deliberation" not in f.id for r in f.rounds]
    assert set(others) == {""}
