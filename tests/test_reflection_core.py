"""Issue 5 in the core: reflection answers in the session store, the reflection as Markdown,
images and new situations for the library, templates, and the portraits inbox.

Every text meant for the library is checked the way `goodwork library check` checks a
file (check_situation_text) and parsed back to see exactly which sections it holds.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from workspace_helpers import STARTER, write

from goodwork_tui.core import authoring, reflection
from goodwork_tui.core.harvest import export
from goodwork_tui.core.i18n import Catalog
from goodwork_tui.core.library import ID_PATTERN, check_situation_text, load_library
from goodwork_tui.core.markdown_file import parse
from goodwork_tui.core.model import LENSES, Problem
from goodwork_tui.core.session_store import SessionStore

ALL_ANSWERS = {
    "where": "At the regional table, last March.",
    "happened": "The partners asked what we knew.\n\nI knew more than I could say.",
    "did": "I said the file was in good hands.",
    "weighed": "Confidentiality against trust.",
    "lenses.excellent": "Lawful and careful.",
    "lenses.ethical": "The neighbours waited too long.",
    "lenses.engaging": "Heavy, then lighter.",
    "next_time": "Say earlier what I cannot say.",
    "question": "May I keep quiet to protect the talks?",
}
HEADINGS = {
    "nl": {"story": "Situatie", "questions": "Reflectievragen", "image": "Beeld van goed werk",
           "did": "Wat ik deed", "considerations": "Afwegingen", "excellent": "Goed is",
           "ethical": "Goed doet", "engaging": "Goed voelt"},
    "en": {"story": "Situation", "questions": "Reflection questions",
           "image": "Image of good work", "did": "What I did",
           "considerations": "Considerations", "excellent": "Excellent", "ethical": "Ethical",
           "engaging": "Engaging"},
}
HOSTILE = "## kop\n---\n<b>vet</b>\n### Goed is\n# x\n```\n- item\n1. een\n> quote\n===\n[l](x)"


@pytest.fixture(scope="module")
def starter():
    """The starter library, loaded once (read only)."""
    return load_library(STARTER)


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    return folder


def sections(text: str) -> list[tuple[str, list[str]]]:
    """(level-2 heading, [its level-3 headings]) as the library's parser finds them."""
    document = parse(text)
    assert document.stray_headings == []
    return [(s.text, [c.text for c in s.children]) for s in document.sections]


def check(text: str, path: Path, collection: str, tags) -> list[Problem]:  # type: ignore[no-untyped-def]
    _situation, problems = check_situation_text(text, path, collection, tags)
    return problems


def shown_text(markdown: str) -> list[str]:
    """What a reader sees: each paragraph's text, hard breaks as newlines."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    found = []
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open":
            continue
        parts = []
        for child in tokens[index + 1].children or []:
            assert child.type in ("text", "hardbreak", "softbreak"), child
            parts.append("\n" if child.type != "text" else child.content)
        found.append("".join(parts))
    return found


# ---------------------------------------------------------------- answers in the store


def test_create_makes_a_reflection_session_with_seven_steps(sessions, starter):
    situation = starter.situation("toezicht-stille-informatie-nl")
    store = reflection.create(sessions, lang="nl", situation=situation, summary="Kort.",
                              on=date(2026, 3, 14))
    meta = store.meta
    assert reflection.is_reflection(meta)
    assert meta["title"] == f"Reflectie: {situation.title}"
    assert meta["situations"] == [situation.id]
    assert meta["situation_titles"] == {situation.id: {"title": situation.title,
                                                       "summary": "Kort."}}
    rounds = meta["format"]["rounds"]
    assert [r["kinds"] for r in rounds] == [["experience"], ["experience"], ["experience"],
                                           ["value-norm"], ["insight"], ["action-option"],
                                           ["question"]]
    nl = Catalog("nl")
    assert [r["title"] for r in rounds] == [nl(f"reflection.step.{step}")
                                            for step in reflection.STEPS]
    assert rounds[0]["prompt"] == nl("reflection.prompt.where")
    assert meta["format"]["steps"] == list(reflection.STEPS)
    store.close()

    own = reflection.create(sessions, lang="en", own_title="Late calls")
    assert own.meta["title"] == "Reflection: Late calls"
    assert own.meta["situations"] == [] and own.meta["situation_titles"] == {}
    assert not reflection.is_reflection({"format": {"id": "group-dialogue-en"}})
    own.close()


def test_answers_round_trip_through_the_file(sessions):
    assert reflection.answer_keys() == [
        "where", "happened", "did", "weighed", "lenses.excellent", "lenses.ethical",
        "lenses.engaging", "next_time", "question"]
    store = reflection.create(sessions, lang="en", own_title="Round trip")
    for key, text in ALL_ANSWERS.items():
        reflection.set_answer(store, key, text)
    assert reflection.answers(store) == ALL_ANSWERS
    notes = store.notes()
    assert len(notes) == len(ALL_ANSWERS)
    assert {(n["round"], n["lens"]) for n in notes if n["round"] == 4} == {
        (4, lens) for lens in LENSES}
    path = store.path
    store.close()

    again = SessionStore.open(path)
    assert reflection.answers(again) == ALL_ANSWERS
    # writing an answer again replaces it: still one note for the step
    reflection.set_answer(again, "did", "I said less.")
    reflection.set_answer(again, "lenses.ethical", "Fairer than I thought.")
    reflection.set_answer(again, "did", "I said less.")  # the same text: no new write
    assert len(again.notes()) == len(ALL_ANSWERS)
    again.close()
    with SessionStore.open(path, read_only=True) as reread:
        found = reflection.answers(reread)
    assert found == {**ALL_ANSWERS, "did": "I said less.",
                     "lenses.ethical": "Fairer than I thought."}


def test_an_empty_answer_removes_the_note(sessions):
    store = reflection.create(sessions, lang="en", own_title="Removing")
    reflection.set_answer(store, "where", "Somewhere.")
    reflection.set_answer(store, "lenses.engaging", "Good.")
    reflection.set_answer(store, "question", "   \n ")  # nothing to remove, nothing added
    assert len(store.notes()) == 2
    reflection.set_answer(store, "where", "")
    reflection.set_answer(store, "lenses.engaging", " \n\t ")
    assert store.notes() == []
    assert reflection.answers(store) == {}
    path = store.path
    store.close()
    with SessionStore.open(path, read_only=True) as reread:
        assert reread.notes() == []


def test_the_reflection_exports_as_markdown_with_hostile_text_as_text(sessions):
    store = reflection.create(sessions, lang="en", own_title="## not a [heading](x)",
                              on=date(2026, 3, 14))
    answers = {"where": HOSTILE, "lenses.ethical": "<script>alert(1)</script>",
               "question": "May I?"}
    for key, text in answers.items():
        reflection.set_answer(store, key, text)
    text = export(store.meta, store.notes())
    assert text == reflection.to_markdown(store.meta, store.notes())
    store.close()
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens)
                if t.type == "heading_open"]
    assert [(tag, MarkdownIt("commonmark").renderInline(content)) for tag, content in
            headings] == [("h1", "Reflection: ## not a [heading](x)"),
                          ("h2", "Where did I come across this?"),
                          ("h2", "Through the three lenses"),
                          ("h3", "ethical"), ("h2", "My question for a group")]
    assert not [t for t in tokens if t.type in ("html_block", "hr", "fence", "code_block",
                                                 "bullet_list_open", "ordered_list_open",
                                                 "blockquote_open")]
    assert shown_text(text) == ["2026-03-14", HOSTILE, "<script>alert(1)</script>", "May I?"]


# ---------------------------------------------------------------- into the inbox


def inbox_problems(tmp_path: Path, name: str, text: str) -> list[str]:
    """What `goodwork library check` says about `text` as a portrait in an inbox."""
    root = tmp_path / "library"
    write(root / "_inbox" / name, text)
    return [f"{p.line}: {p.message}" for p in load_library(root).problems]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("who", ["", "Sam, inspecteur"])
def test_a_reflection_becomes_a_portrait_that_passes_the_check(tmp_path, lang, who):
    text = reflection.portrait(ALL_ANSWERS, lang=lang, who=who, about="Stille informatie",
                               tags=["trust"], on=date(2026, 12, 2))
    assert inbox_problems(tmp_path, "p.md", text) == []
    [portrait] = authoring.read_inbox(tmp_path / "library")
    own = {"nl": "eigen reflectie", "en": "own reflection"}[lang]
    assert portrait.source == f"{own}, 2026-12-02 (Stille informatie)"
    assert portrait.consent == ("yes" if who else "anonymous")
    assert portrait.who == who and portrait.tags == ("trust",)
    assert portrait.problem == ""
    # the image of good work, in the reflection's order; next time and the question stay
    lens = {"nl": ("Goed is", "Goed doet", "Goed voelt"),
            "en": ("Excellent", "Ethical", "Engaging")}[lang]
    assert shown_text(portrait.text) == [
        ALL_ANSWERS["where"], "The partners asked what we knew.",
        "I knew more than I could say.", ALL_ANSWERS["did"], ALL_ANSWERS["weighed"],
        f"{lens[0]}: Lawful and careful.", f"{lens[1]}: The neighbours waited too long.",
        f"{lens[2]}: Heavy, then lighter."]
    assert ALL_ANSWERS["question"] not in text and ALL_ANSWERS["next_time"] not in text
    if not who:
        assert "who:" not in text


def test_a_portrait_names_no_one_unless_asked(tmp_path):
    text = reflection.portrait({"did": "Iets."}, lang="nl", on=date(2026, 1, 5))
    assert text == ("---\nsource: eigen reflectie, 2026-01-05\nconsent: anoniem\n---\n\n"
                    "Iets.\n")


def test_portrait_names_are_new_and_safe():
    on = date(2026, 12, 2)
    assert reflection.portrait_name("", "", set(), on) == "portret-reflectie-2026-12-02.md"
    taken = {"portret-sam-2026-12-02.md", "portret-sam-2026-12-02-2.md"}
    assert reflection.portrait_name("Sam", "x", taken, on) == "portret-sam-2026-12-02-3.md"
    made = reflection.portrait_name("../../etc/CON", "", set(), on)
    assert "/" not in made and made.startswith("portret-") and made.endswith(".md")


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("key", ["where", "happened", "did", "weighed", "lenses.excellent",
                                 "lenses.ethical", "lenses.engaging"])
def test_hostile_answers_stay_text_in_the_portrait(tmp_path, lang, key):
    answers = {**ALL_ANSWERS, key: HOSTILE}
    text = reflection.portrait(answers, lang=lang, who="<b>x</b> ## y\n---",
                               about="## Kop\n---")
    assert inbox_problems(tmp_path, "p.md", text) == []
    assert parse(text).sections == [] and parse(text).stray_headings == []
    [portrait] = authoring.read_inbox(tmp_path / "library")
    assert portrait.who == "<b>x</b> ## y ---"
    assert any(HOSTILE in part for part in shown_text(portrait.text))


ANSWER_TEXT = st.text(
    alphabet=st.sampled_from(list("ab #-=*_`<>[]()!|~:.1)\\&\t\n\r ") + ["\u00a0", "é"]),
    max_size=40)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.fixed_dictionaries({key: ANSWER_TEXT for key in reflection.answer_keys()}),
       lang=st.sampled_from(["nl", "en"]), who=ANSWER_TEXT)
def test_any_answers_give_a_portrait_without_headings(answers, lang, who):
    """Whatever is typed, the portrait is front matter and paragraphs: no heading, no
    second front matter, and its fields are exactly those written."""
    text = reflection.portrait(answers, lang=lang, who=who, about=who)
    document = parse(text)
    assert document.sections == [] and document.stray_headings == []
    assert set(document.meta) <= {"who", "source", "consent"}
    assert document.meta["consent"] in ("ja", "anoniem", "yes", "anonymous")


# ---------------------------------------------------------------- templates and ids


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_situation_template_passes_the_check_once_consent_is_chosen(starter, tmp_path,
                                                                          lang):
    text = authoring.situation_template(situation_id=f"grenswerk-nieuw-{lang}",
                                        title="Nieuw: met 'quotes'", collection="grenswerk",
                                        lang=lang, tags=["trust", "mandate"])
    path = tmp_path / "grenswerk" / f"grenswerk-nieuw-{lang}.md"
    # a new image asks where it comes from and whether it may be used: the consent line
    # holds the three choices, and the check names it until one is chosen
    consent = {"nl": "- toestemming: ja, anoniem of verzonnen",
               "en": "- consent: yes, anonymous or fictional"}[lang]
    assert consent in text
    [problem] = check(text, path, "grenswerk", starter.tags)
    assert problem.line == text.split("\n").index(consent) + 1
    assert "unknown consent" in problem.message
    chosen = {"nl": "- toestemming: verzonnen", "en": "- consent: fictional"}[lang]
    text = text.replace(consent, chosen)
    assert check(text, path, "grenswerk", starter.tags) == []
    found, _ = check_situation_text(text, path, "grenswerk", starter.tags)
    assert found.title == "Nieuw: met 'quotes'" and found.tags == ("trust", "mandate")
    assert set(found.dimensions) == {"knowledge", "actions", "identity", "values",
                                     "relationships"}
    h = HEADINGS[lang]
    assert [name for name, _children in sections(text)] == [
        h["story"], {"nl": "Dimensies", "en": "Dimensions"}[lang], h["questions"], h["image"]]
    assert len(found.images) == 1 and found.images[0].who == ""


def test_the_template_with_portraits_has_one_image_each(starter, tmp_path):
    portraits = authoring.read_inbox(STARTER)
    text = authoring.situation_template(situation_id="ouderenzorg-nieuw-nl", title="Nieuw",
                                        collection="ouderenzorg", lang="nl",
                                        tags=authoring.shared(portraits).tags,
                                        images=portraits)
    path = tmp_path / "ouderenzorg" / "ouderenzorg-nieuw-nl.md"
    assert check(text, path, "ouderenzorg", starter.tags) == []
    found, _ = check_situation_text(text, path, "ouderenzorg", starter.tags)
    assert found.tags == ("family",)
    assert [image.who for image in found.images] == [p.who for p in portraits]
    assert [image.did.strip() for image in found.images] == [p.text.strip() for p in portraits]
    # each image keeps its portrait's source and consent
    assert [(i.source, i.consent) for i in found.images] == [
        ("verzonnen voorbeeld voor de startbibliotheek", "fictional")] * 3


def test_new_id_is_valid_and_never_taken():
    taken = {"toezicht-stil-en", "toezicht-stil-2-en"}
    assert authoring.new_id("toezicht", "Stil!", "en", taken) == "toezicht-stil-3-en"
    assert authoring.new_id("toezicht", "Stil", "nl", taken) == "toezicht-stil-nl"
    for title in ("Één vraag", "???", "../../etc", "x" * 200, "CON"):
        made = authoring.new_id("toezicht", title, "en", set())
        assert ID_PATTERN.match(made) and made.endswith("-en") and "/" not in made


def test_collection_text_loads_with_no_problem(tmp_path):
    root = tmp_path / "library"
    shutil.copytree(STARTER, root)
    text = authoring.collection_text("mentoren", {"nl": "Mentoren: mbo", "en": ""},
                                     {"nl": "mentor", "en": ""}, {"nl": ""})
    write(root / "mentoren" / "_collection.md", text)
    library = load_library(root)
    assert library.problems == []
    collection = library.collections["mentoren"]
    assert collection.title == {"nl": "Mentoren: mbo"}
    assert collection.role == {"nl": "mentor"} and collection.description == {}


# ---------------------------------------------------------------- the portraits inbox


def test_read_inbox_reads_the_three_samples():
    portraits = authoring.read_inbox(STARTER)
    assert [p.path.name for p in portraits] == ["portret-fatima.md", "portret-kees.md",
                                                "portret-noor.md"]
    assert [p.problem for p in portraits] == ["", "", ""]
    noor = portraits[2]
    assert noor.who == "Noor, wijkverpleegkundige"
    assert noor.tags == ("family", "boundaries")
    assert noor.dimensions == ("values", "relationships")
    assert noor.text.startswith("Een zoon belde me") and "---" not in noor.text
    assert noor.label.startswith("Noor, wijkverpleegkundige — Een zoon belde")


def test_a_broken_portrait_is_reported_without_hiding_the_others(tmp_path):
    root = tmp_path / "library"
    shutil.copytree(STARTER / "_inbox", root / "_inbox")
    write(root / "_inbox" / "portret-kapot.md", "---\nwho: [Ans\ntags: x\n---\n\nTekst.\n")
    write(root / "_inbox" / "portret-binair.md", b"\x00\x01\x02")
    write(root / "_inbox" / "portret-latin1.md", "Caf\xe9 en zo.\n".encode("latin-1"))
    write(root / "_inbox" / "portret-lijst.md", "---\n- a\n- b\n---\n\nTekst.\n")
    write(root / "_inbox" / "portret-kaal.md", "Alleen tekst, geen kop.\n")
    write(root / "_inbox" / "portret-tekst-tags.md",
          "---\nwho: Ans\ntags: family, trust\ndimensions: values\n---\n\nTekst.\n")
    write(root / "_inbox" / ".verborgen.md", "---\nwho: niet\n---\nx\n")
    write(root / "_inbox" / "notities.txt", "geen portret\n")
    portraits = authoring.read_inbox(root)
    by_name = {p.path.name: p for p in portraits}
    assert sorted(by_name) == sorted([
        "portret-binair.md", "portret-fatima.md", "portret-kaal.md", "portret-kapot.md",
        "portret-kees.md", "portret-latin1.md", "portret-lijst.md", "portret-noor.md",
        "portret-tekst-tags.md"])
    broken = {name: p.problem for name, p in by_name.items() if p.problem}
    assert sorted(broken) == ["portret-binair.md", "portret-kapot.md", "portret-latin1.md",
                              "portret-lijst.md"]
    for name, problem in broken.items():
        assert problem.startswith(f"{name}:"), problem
        assert problem.split(":")[1].isdigit(), problem  # file:line: message
    assert "binary" in broken["portret-binair.md"]
    assert "UTF-8" in broken["portret-latin1.md"]
    for name in ("portret-fatima.md", "portret-kees.md", "portret-noor.md"):
        assert by_name[name].problem == "" and by_name[name].who
    kaal = by_name["portret-kaal.md"]
    assert (kaal.problem, kaal.who, kaal.tags, kaal.text) == (
        "", "", (), "Alleen tekst, geen kop.\n")
    assert kaal.label == "Alleen tekst, geen kop."
    tekst = by_name["portret-tekst-tags.md"]
    assert (tekst.tags, tekst.dimensions) == (("family", "trust"), ("values",))


def test_read_inbox_without_an_inbox_is_empty(tmp_path):
    assert authoring.read_inbox(tmp_path) == []
    (tmp_path / "_inbox").mkdir()
    write(tmp_path / "_inbox" / "README.md", "# Inbox\n")
    assert authoring.read_inbox(tmp_path) == []


def test_the_inbox_folder_is_never_a_collection(tmp_path):
    root = tmp_path / "library"
    shutil.copytree(STARTER, root)
    write(root / "_inbox" / "portret-extra.md",
          "---\nid: x\nsource: s\nconsent: ja\n---\nGeen situatie.\n")
    library = load_library(root)
    assert sorted(library.collections) == ["begeleidingskunde", "grenswerk", "jeugdzorg",
                                           "leerbegeleiding", "ouderenzorg",
                                           "procesbegeleiding", "toezicht", "werkend-leren"]
    assert library.problems == []
    assert not [s for s in library.situations if "_inbox" in s.path.parts]


def portrait(name: str, tags: tuple[str, ...], dimensions: tuple[str, ...]) -> authoring.Portrait:
    return authoring.Portrait(Path(name), name, "text", tags, dimensions)


def test_shared_is_the_intersection_in_a_stable_order():
    fatima, kees, noor = authoring.read_inbox(STARTER)
    both = authoring.shared([fatima, noor])
    assert (both.tags, both.dimensions) == (["family"], ["values", "relationships"])
    pair = authoring.shared([kees, noor])
    assert (pair.tags, pair.dimensions) == (["family", "boundaries"], ["relationships"])
    three = authoring.shared([fatima, kees, noor])
    assert (three.tags, three.dimensions) == (["family"], ["relationships"])
    one = authoring.shared([kees])
    assert (one.tags, one.dimensions) == (["family", "team", "boundaries"],
                                          ["identity", "relationships"])
    assert authoring.shared([]) == authoring.Shared([], [])
    apart = authoring.shared([portrait("a", ("x",), ("values",)),
                              portrait("b", ("y",), ("identity",))])
    assert (apart.tags, apart.dimensions) == ([], [])
    # dimensions come in the method's order, whatever order the portraits list them in
    ordered = authoring.shared([portrait("a", ("z", "y"), ("relationships", "knowledge")),
                                portrait("b", ("y", "z"), ("knowledge", "relationships"))])
    assert (ordered.tags, ordered.dimensions) == (["z", "y"], ["knowledge", "relationships"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_reflection_portrait_becomes_an_image_with_its_lenses_in_place(starter, tmp_path,
                                                                         lang):
    text = reflection.portrait(ALL_ANSWERS, lang=lang, who="Sam", on=date(2026, 12, 2))
    write(tmp_path / "library" / "_inbox" / "p.md", text)
    [portrait] = authoring.read_inbox(tmp_path / "library")
    made = authoring.situation_template(situation_id=f"toezicht-nieuw-{lang}", title="Nieuw",
                                        collection="toezicht", lang=lang, images=[portrait])
    path = tmp_path / "toezicht" / f"toezicht-nieuw-{lang}.md"
    assert check(made, path, "toezicht", starter.tags) == []
    found, _ = check_situation_text(made, path, "toezicht", starter.tags)
    [image] = found.images
    assert (image.who, image.consent) == ("Sam", "yes")
    assert image.source == {"nl": "eigen reflectie", "en": "own reflection"}[lang] + \
        ", 2026-12-02"
    assert {lens: shown_text(image.lenses[lens]) for lens in LENSES} == {
        lens: [ALL_ANSWERS[f"lenses.{lens}"]] for lens in LENSES}
    assert shown_text(image.did) == [
        ALL_ANSWERS["where"], "The partners asked what we knew.",
        "I knew more than I could say.", ALL_ANSWERS["did"], ALL_ANSWERS["weighed"]]
