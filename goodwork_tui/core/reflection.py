"""Solo reflection: one's own image of good work, step by step, and on into the library.

A reflection is a session (one file in sessions/, the same durable store) whose rounds
are the reflection's steps and whose notes are the answers: one per step, three (one per
lens) for the lenses step. So it autosaves, locks, lists and exports like any session.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from .i18n import Catalog
from .markdown_safe import inline, shown
from .model import LENSES, Situation
from .session_schema import SessionMeta
from .session_store import SessionStore

STEPS = ("where", "happened", "did", "weighed", "lenses", "next_time", "question")
STEP_KINDS = {"where": "experience", "happened": "experience", "did": "experience",
              "weighed": "value-norm", "lenses": "insight", "next_time": "action-option",
              "question": "question"}


def create(sessions_dir: Path, *, lang: str, situation: Situation | None = None,
           summary: str = "", own_title: str = "", on: date | None = None) -> SessionStore:
    """A new reflection on a library situation, or on a situation of one's own."""
    t = Catalog(lang)
    about = situation.title if situation is not None else (own_title or t("reflection.own"))
    rounds = [{"title": t(f"reflection.step.{step}"), "prompt": t(f"reflection.prompt.{step}"),
               "minutes": 0, "kinds": [STEP_KINDS[step]], "roles": []} for step in STEPS]
    return SessionStore.create(
        sessions_dir, title=t("reflection.title", about=about), on=on, lang=lang,
        format={"id": "reflection", "title": t("reflection.format"), "kind": "solo",
                "reflection": True, "steps": list(STEPS), "rounds": rounds},
        situations=[situation.id] if situation is not None else [],
        situation_titles={situation.id: {"title": situation.title, "summary": summary}}
        if situation is not None else {},
    )


def is_reflection(meta: dict[str, Any]) -> bool:
    return SessionMeta.of(meta).reflection


def answers(store: SessionStore) -> dict[str, str]:
    """step → answer; the lenses step as "lenses.excellent" etc."""
    found: dict[str, str] = {}
    for note in store.notes():
        index = note.get("round", -1)
        if not 0 <= index < len(STEPS):
            continue
        key = STEPS[index]
        if key == "lenses":
            key = f"lenses.{note.get('lens') or 'excellent'}"
        found[key] = note.get("text", "")
    return found


def set_answer(store: SessionStore, key: str, text: str) -> None:
    """Write one answer (replacing the earlier one); empty text removes it."""
    step, _, lens = key.partition(".")
    index = STEPS.index(step)
    existing = next((n for n in store.notes(index) if (n.get("lens") or "") == lens), None)
    if existing is None and not text.strip():
        return
    if existing is None:
        store.add_note(text, round=index, kind=STEP_KINDS[step], lens=lens)
    elif not text.strip():
        store.delete_note(existing["id"])
    elif existing.get("text") != text:
        store.update_note(existing["id"], text=text)


def answer_keys() -> list[str]:
    keys = []
    for step in STEPS:
        keys += [f"lenses.{lens}" for lens in LENSES] if step == "lenses" else [step]
    return keys


# ----------------------------------------------------------------- Markdown out


def _paragraphs(text: str) -> list[str]:
    """Typed text as safe Markdown paragraphs (blank lines separate paragraphs)."""
    return [inline(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def to_markdown(meta: dict[str, Any], notes: list[dict[str, Any]]) -> str:
    """One reflection as Markdown: a heading per step, the answers as written."""
    t = Catalog(meta.get("lang") or "en")
    by_key: dict[str, str] = {}
    for note in sorted(notes, key=lambda n: n.get("seq", 0)):
        index = note.get("round", -1)
        if 0 <= index < len(STEPS):
            step = STEPS[index]
            key = f"lenses.{note.get('lens') or 'excellent'}" if step == "lenses" else step
            by_key[key] = str(note.get("text", ""))
    out = [f"# {inline(' '.join(shown(str(meta.get('title', ''))).split()))}", ""]
    titles = meta.get("situation_titles", {})
    details = [str(meta.get("date", ""))]
    for situation_id in meta.get("situations", []):
        details.append(str(titles.get(situation_id, {}).get("title") or situation_id))
    out += [inline(" · ".join(d for d in details if d)), ""]
    for step in STEPS:
        keys = [f"lenses.{lens}" for lens in LENSES] if step == "lenses" else [step]
        if not any(by_key.get(k, "").strip() for k in keys):
            continue
        out += [f"## {inline(t(f'reflection.step.{step}'))}", ""]
        for key in keys:
            text = by_key.get(key, "")
            if not text.strip():
                continue
            if step == "lenses":
                out += [f"### {inline(t('lens.' + key.split('.')[1]))}", ""]
            out += [p + "\n" for p in _paragraphs(text)]
    return "\n".join(out).rstrip("\n") + "\n"


# ----------------------------------------------------------------- into the library

HEADINGS = {
    "nl": {"image": "Beeld van goed werk", "did": "Wat ik deed", "considerations": "Afwegingen",
           "excellent": "Goed is", "ethical": "Goed doet", "engaging": "Goed voelt",
           "story": "Situatie", "questions": "Reflectievragen"},
    "en": {"image": "Image of good work", "did": "What I did", "considerations":
           "Considerations", "excellent": "Excellent", "ethical": "Ethical",
           "engaging": "Engaging", "story": "Situation", "questions": "Reflection questions"},
}


# what a portrait from a reflection says about where it comes from, and the words the
# consent field takes in each language (the library check reads both)
OWN_SOURCE = {"nl": "eigen reflectie", "en": "own reflection"}
CONSENT_WORDS = {"nl": {"yes": "ja", "anonymous": "anoniem"},
                 "en": {"yes": "yes", "anonymous": "anonymous"}}
# the parts of a reflection that make its portrait, in order: the image of good work
# (what happened, what I did and weighed, the lenses); "next time" and the question stay
# in the reflection
PORTRAIT_PARTS = ("where", "happened", "did", "weighed",
                  *(f"lenses.{lens}" for lens in LENSES))


def portrait(found: dict[str, str], *, lang: str, who: str = "", about: str = "",
             tags: list[str] | tuple[str, ...] = (), on: date | None = None) -> str:
    """A reflection as a portrait for `_inbox/`: the first step of the method's order
    (portraits first, ordered into situation types later). Anonymous when `who` is empty;
    the person reflecting gave their consent by choosing to add it (the dialog asks)."""
    import yaml

    lang = lang if lang in OWN_SOURCE else "en"
    t = Catalog(lang)
    who = " ".join(shown(who).split())
    when = (on or date.today()).isoformat()
    about = " ".join(shown(about).split())
    source = f"{OWN_SOURCE[lang]}, {when}" + (f" ({about})" if about else "")
    data: dict[str, Any] = {}
    if who:
        data["who"] = who
    data["source"] = source
    data["consent"] = CONSENT_WORDS[lang]["yes" if who else "anonymous"]
    if tags:
        data["tags"] = list(tags)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    out = [f"---\n{front}---", ""]
    for key in PORTRAIT_PARTS:
        text = found.get(key, "")
        if not text.strip():
            continue
        paragraphs = _paragraphs(text)
        if key.startswith("lenses."):  # the lens named in front, as the person wrote it
            paragraphs[0] = f"{inline(t('lens.' + key.split('.')[1]).capitalize())}: " \
                            + paragraphs[0]
        out += [p + "\n" for p in paragraphs]
    return "\n".join(out).rstrip("\n") + "\n"


def portrait_name(who: str, about: str, taken: set[str], on: date | None = None) -> str:
    """A file name for a new portrait that no file in the inbox has yet."""
    from .slug import slugify

    named = who.strip() or about.strip()
    base = "portret-" + (slugify(named)[:40].strip("-") if named else "reflectie")
    base += "-" + (on or date.today()).isoformat()
    name, number = f"{base}.md", 2
    while name.lower() in taken:
        name, number = f"{base}-{number}.md", number + 1
    return name


def record_to_library(store: SessionStore, *, situation: str, title: str = "",
                      file: str = "", on: date | None = None) -> None:
    """Remember in the reflection that its image of good work went into the library (the
    situation it was added to or made as, the library file's name, the day), so the
    patterns across sessions can count the images a programme added. The UI calls this
    after the library file was written."""
    records = list(store.meta.get("to_library", []))
    records.append({"situation": situation, "title": title, "file": file,
                    "date": (on or date.today()).isoformat()})
    store.update_meta(to_library=records)
