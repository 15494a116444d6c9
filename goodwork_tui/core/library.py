"""Load a library folder: collections, situations, formats, and every problem found.

One bad file never hides the others: each file is read on its own, its problems are
collected, and a file is left out only when it cannot be understood at all (unreadable,
no front matter, a required field missing, a duplicate id).

This module parses one file at a time and checks across files; finding the files and
the cache of what was read from each are in `library_files`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from . import sections as names
from .library_files import (  # noqa: F401 - FileCache, Progress, Stamp: as before
    COLLECTION_FILE,
    FORMATS_DIR,
    NOT_SITUATIONS,
    TAGS_FILE,
    FileCache,
    Progress,
    Stamp,
    collection_folders,
    conflict_original,
    markdown_files,
    stamp_of,
    stamped_markdown_files,
)
from .markdown_file import (
    Document,
    FileError,
    Heading,
    body_of,
    load_yaml,
    parse,
    read,
    read_text,
    split_front_matter,
)
from .model import (
    CONSENT,
    NOTE_KINDS,
    ROLES,
    Collection,
    Format,
    Image,
    Library,
    Problem,
    Round,
    Situation,
    role_code,
)
from .reveal import REVEAL_STEPS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
INBOX_DIR = "_inbox"


class Skip(Exception):
    """The file cannot be used at all; its problem has been recorded."""


# ---------------------------------------------------------------- field helpers


class _Fields:
    """Front matter access that records a problem for each wrong field."""

    def __init__(self, path: Path, meta: dict[str, Any], problems: list[Problem],
                 text: str | None = None) -> None:
        self.path, self.meta, self.problems = path, meta, problems
        self.lines = _field_lines(path) if text is None else _field_lines_in(text.splitlines())

    def line(self, name: str) -> int:
        return self.lines.get(name, 2)

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(name), message))

    def text(self, name: str, *, required: bool = True, pattern: re.Pattern[str] | None = None,
             hint: str = "") -> str:
        value = self.meta.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(name, f"missing field '{name}'")
                raise Skip
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(name, f"field '{name}' must be text")
            if required:
                raise Skip
            return ""
        text = str(value).strip()
        if pattern is not None and not pattern.match(text):
            self.problem(name, f"field '{name}' is not valid: {text!r} {hint}".rstrip())
            if required:
                raise Skip
            return ""
        return text

    def localized(self, name: str, *, required: bool = False) -> dict[str, str]:
        value = self.meta.get(name)
        if value is None:
            if required:
                self.problem(name, f"missing field '{name}'")
                raise Skip
            return {}
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return {"": str(value).strip()}
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, (str, int, float)) for k, v in value.items()
        ):
            return {k: str(v).strip() for k, v in value.items()}
        self.problem(name, f"field '{name}' must be text or a mapping from language to text")
        if required:
            raise Skip
        return {}

    def mapping(self, name: str) -> dict[str, str]:
        value = self.meta.get(name)
        if value is None:
            return {}
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return {k: v.strip() for k, v in value.items()}
        self.problem(name, f"field '{name}' must map a language code to an id")
        return {}

    def words(self, name: str) -> tuple[str, ...]:
        value = self.meta.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [part for part in re.split(r"[,\s]+", value) if part]
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return tuple(str(v).strip() for v in value)
        self.problem(name, f"field '{name}' must be a list")
        return ()


def _field_lines(path: Path) -> dict[str, int]:
    """Line of each top-level front matter key, for messages. Cheap: reads the head only."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            head = [line for _, line in zip(range(402), handle, strict=False)]
    except OSError:
        return {}
    return _field_lines_in(head)


def _field_lines_in(head: list[str]) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, raw in enumerate(head[:401], start=1):
        if number > 1 and raw.rstrip() in ("---", "..."):
            break
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", raw)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = number
    return lines


def _localized_in(texts: dict[str, str]) -> dict[str, str]:
    # a bare string is in no particular language: it serves every language
    if "" in texts:
        return {"nl": texts[""], "en": texts[""]} | {k: v for k, v in texts.items() if k}
    return texts


# ---------------------------------------------------------------- one file


def _unknown_heading(problems: list[Problem], path: Path, heading: Heading, where: str) -> None:
    problems.append(Problem(path, heading.line, f"unknown {where} heading '{heading.text}'"))


def _stray(problems: list[Problem], path: Path, document: Document) -> None:
    for heading in document.stray_headings:
        if heading.level == 1:
            problems.append(Problem(path, heading.line,
                                    "level-1 heading: the title belongs in the front matter"))
        elif heading.level == 3:
            problems.append(Problem(path, heading.line,
                                    f"heading '{heading.text}' stands outside any section"))


def load_situation(path: Path, collection: str, problems: list[Problem],
                   tags: dict[str, dict[str, str]], *, full: bool = True,
                   text: str | None = None) -> Situation:
    """One situation file. `full=False` reads only the front matter and keeps the body
    as text (what the app needs to list, search and show); the sections are parsed and
    checked only with `full=True` (`goodwork library check`, the problems panel).
    `text` checks text that is not (yet) in the file: the editor, a new image."""
    try:
        if text is not None:
            document = parse(text.replace("\r\n", "\n").lstrip("\ufeff"))
            meta, body = document.meta, document.body
        elif full:
            document = read(path)
            meta, body = document.meta, document.body
        else:
            meta, lines, closing = split_front_matter(read_text(path))
            body = body_of(lines, closing)
    except FileError as error:
        problems.append(Problem(path, error.line, error.message))
        raise Skip from None
    fields = _Fields(path, meta, problems, text)
    situation_id = fields.text("id", pattern=ID_PATTERN, hint="(use a-z, 0-9 and -)")
    title = fields.text("title")
    in_collection = fields.text("collection")
    lang = fields.text("lang", pattern=LANG_PATTERN, hint="(a two-letter code such as nl or en)")
    if in_collection != collection:
        fields.problem("collection", f"collection '{in_collection}' does not match the folder's "
                                     f"collection '{collection}'")
    situation_tags = fields.words("tags")
    if tags:
        for tag in situation_tags:
            if tag not in tags:
                fields.problem("tags", f"unknown tag '{tag}' (see tags.yaml)")
    known = set(fields.meta) - {"id", "title", "collection", "lang", "tags", "translations"}
    for extra in sorted(known, key=str):
        fields.problem(str(extra), f"unknown field '{extra}'")

    situation = Situation(
        id=situation_id, title=title, collection=collection, lang=lang, path=path,
        body=body, tags=situation_tags, translations=fields.mapping("translations"),
    )
    if not full:
        return situation
    _stray(problems, path, document)
    if document.intro.strip():
        problems.append(Problem(path, document.body_line,
                                "text before the first section (start with '## Situatie')"))
    images: list[Image] = []
    for section in document.sections:
        who = names.image_who(section.text)
        kind = names.SITUATION_SECTIONS.get(names.key(section.text))
        if who is not None:
            images.append(_image(path, section, who, problems))
        elif kind == "story":
            situation.story = section.content
            _no_children(problems, path, section)
        elif kind == "questions":
            situation.questions = tuple(
                line.lstrip("-*+ ").strip()
                for line in section.content.splitlines()
                if line.strip()[:1] in "-*+" and line.strip()[1:].strip()
            )
            _no_children(problems, path, section)
        elif kind == "dimensions":
            for child in section.children:
                dimension = names.DIMENSION_HEADINGS.get(names.key(child.text))
                if dimension is None:
                    _unknown_heading(problems, path, child, "dimension")
                else:
                    situation.dimensions[dimension] = child.content
        else:
            _unknown_heading(problems, path, section, "section")
    situation.images = tuple(images)
    if not situation.story:
        problems.append(Problem(path, document.body_line,
                                "missing section '## Situatie' (or '## Situation')"))
    return situation


def _no_children(problems: list[Problem], path: Path, section: Heading) -> None:
    for child in section.children:
        problems.append(Problem(path, child.line,
                                f"unknown heading '{child.text}' in section '{section.text}'"))


def _image(path: Path, section: Heading, who: str, problems: list[Problem]) -> Image:
    image = Image(who=who)
    settings = _image_settings(section)
    name = f"image '{who}'" if who else "anonymous image"
    for setting, (value, line) in settings.items():
        if setting == "source":
            image.source = value
        else:
            image.consent = _consent(value, path, line, name, problems)
    _need_provenance(problems, path, section.line, name, image.source,
                     settings.get("consent", ("", 0))[0],
                     "'- source: …' or '- bron: …'", "'- consent: …' or '- toestemming: …'")
    for child in section.children:
        part = names.IMAGE_HEADINGS.get(names.key(child.text))
        if part is None:
            _unknown_heading(problems, path, child, "image")
        elif part == "did":
            image.did = child.content
        elif part == "considerations":
            image.considerations = child.content
        else:
            image.lenses[part] = child.content
    return image


def _image_settings(section: Heading) -> dict[str, tuple[str, int]]:
    """The '- source:' and '- consent:' lines at the start of an image, with their lines."""
    found: dict[str, tuple[str, int]] = {}
    for offset, line in enumerate(section.content.split("\n")):
        match = _ROUND_SETTING.match(line)
        setting = names.IMAGE_KEYS.get(match.group(1).lower()) if match else None
        if match and setting and setting not in found:
            found[setting] = (match.group(2), section.content_line + offset)
    return found


_CONSENT_HINT = "(yes/ja, anonymous/anoniem or fictional/verzonnen)"


def _consent(value: str, path: Path, line: int, name: str, problems: list[Problem]) -> str:
    """The consent code of `value`; an unknown value is a problem (an empty one is left to
    `_need_provenance`)."""
    code = CONSENT.get(" ".join(value.lower().split()), "")
    if value.strip() and not code:
        problems.append(Problem(path, line, f"{name}: unknown consent {value.strip()!r} "
                                            f"{_CONSENT_HINT}"))
    return code


def _need_provenance(problems: list[Problem], path: Path, line: int, name: str, source: str,
                     consent: str, source_how: str, consent_how: str) -> None:
    """Where an image or portrait comes from and whether it may be used, as the method
    asks: a story leaves the room only with consent. `consent` as written (an unknown
    value has been reported already)."""
    if not source.strip():
        problems.append(Problem(path, line, f"{name} has no source: add {source_how}"))
    if not consent.strip():
        problems.append(Problem(path, line, f"{name} has no consent: add {consent_how} "
                                            f"{_CONSENT_HINT}"))


def load_collection(folder: Path, problems: list[Problem]) -> Collection:
    path = folder / COLLECTION_FILE
    fallback = Collection(id=folder.name, path=path, title={"": folder.name})
    if not path.exists():
        problems.append(Problem(path, 1, f"missing {COLLECTION_FILE} (title, role, description)"))
        return fallback
    try:
        document = read(path)
    except FileError as error:
        problems.append(Problem(path, error.line, error.message))
        return fallback
    fields = _Fields(path, document.meta, problems)
    try:
        collection_id = fields.text("id", pattern=ID_PATTERN, hint="(use a-z, 0-9 and -)")
        title = fields.localized("title", required=True)
    except Skip:
        return fallback
    return Collection(
        id=collection_id, path=path, title=_localized_in(title),
        role=_localized_in(fields.localized("role")),
        description=_localized_in(fields.localized("description")),
    )


_ROUND_SETTING = re.compile(r"^\s*[-*+]\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")


def load_format(path: Path, problems: list[Problem]) -> Format:
    try:
        document = read(path)
    except FileError as error:
        problems.append(Problem(path, error.line, error.message))
        raise Skip from None
    fields = _Fields(path, document.meta, problems)
    format_id = fields.text("id", pattern=ID_PATTERN, hint="(use a-z, 0-9 and -)")
    title = fields.text("title")
    lang = fields.text("lang", pattern=LANG_PATTERN, hint="(a two-letter code such as nl or en)")
    kind = fields.text("kind")
    if kind not in ("group", "solo"):
        fields.problem("kind", f"kind must be 'group' or 'solo', not {kind!r}")
    minutes_text = fields.text("minutes")
    minutes = int(minutes_text) if minutes_text.isdigit() else 0
    if not minutes_text.isdigit():
        fields.problem("minutes", "minutes must be a whole number")
    order_text = fields.text("order", required=False)
    if order_text and not order_text.isdigit():
        fields.problem("order", "order must be a whole number")
    _stray(problems, path, document)
    rounds = [_round(path, section, problems) for section in document.sections]
    if not rounds:
        problems.append(Problem(path, document.body_line, "a format needs at least one round "
                                                          "(a '## ' heading)"))
    total = sum(r.minutes for r in rounds)
    if rounds and minutes and total != minutes:
        fields.problem("minutes", f"minutes is {minutes} but the rounds add up to {total}")
    return Format(id=format_id, title=title, lang=lang, kind=kind, minutes=minutes, path=path,
                  intro=document.intro, rounds=tuple(rounds),
                  translations=fields.mapping("translations"),
                  order=int(order_text) if order_text.isdigit() else 100)


def _round(path: Path, section: Heading, problems: list[Problem]) -> Round:
    settings: dict[str, str] = {}
    setting_lines: dict[str, int] = {}
    lines = section.content.split("\n")
    consumed = 0
    for offset, line in enumerate(lines):
        match = _ROUND_SETTING.match(line)
        if match and names.ROUND_KEYS.get(match.group(1).lower()):
            settings[names.ROUND_KEYS[match.group(1).lower()]] = match.group(2)
            setting_lines[names.ROUND_KEYS[match.group(1).lower()]] = (
                section.content_line + offset)
            consumed = offset + 1
        elif line.strip() or settings:
            break
        else:
            consumed = offset + 1
    prompt = "\n".join(lines[consumed:]).strip()
    minutes = settings.get("minutes", "")
    if not minutes.isdigit() or int(minutes) <= 0:
        problems.append(Problem(path, setting_lines.get("minutes", section.line),
                                f"round '{section.text}' needs '- minutes: N' "
                                "with a whole number above 0"))
    at = setting_lines.get("kinds", section.line)
    kinds = tuple(k for k in re.split(r"[,\s]+", settings.get("kinds", "")) if k)
    for kind in kinds:
        if kind not in NOTE_KINDS:
            problems.append(Problem(path, at, f"round '{section.text}': unknown note kind "
                                                f"'{kind}'"))
    roles = tuple(role_code(r) for r in re.split(r"[,\s]+", settings.get("roles", "")) if r)
    at = setting_lines.get("roles", section.line)
    for role in roles:
        if role not in ROLES:
            problems.append(Problem(path, at, f"round '{section.text}': unknown role '{role}'"))
    helper = settings.get("helper", "")
    if helper and helper.casefold() not in names.ROUND_HELPERS:
        known = ", ".join(sorted(set(names.ROUND_HELPERS.values())))
        problems.append(Problem(path, setting_lines["helper"],
                                f"round '{section.text}': unknown helper '{helper}' "
                                f"(known: {known})"))
    reveal = settings.get("reveal", "").strip().casefold()
    if reveal and reveal not in REVEAL_STEPS:
        problems.append(Problem(path, setting_lines["reveal"],
                                f"round '{section.text}': unknown reveal '{settings['reveal']}' "
                                f"(known: {', '.join(REVEAL_STEPS)})"))
    if not prompt:
        problems.append(Problem(path, section.line, f"round '{section.text}' has no prompt"))
    # level-3 headings inside a round are part of its prompt
    return Round(title=section.text, minutes=int(minutes) if minutes.isdigit() else 0,
                 prompt=section_text_with_children(section, prompt),
                 kinds=tuple(k for k in kinds if k in NOTE_KINDS),
                 roles=tuple(r for r in roles if r in ROLES),
                 helper=names.ROUND_HELPERS.get(helper.casefold(), ""),
                 reveal=reveal if reveal in REVEAL_STEPS else "")


def section_text_with_children(section: Heading, prompt: str) -> str:
    parts = [prompt] + [f"### {c.text}\n\n{c.content}" for c in section.children]
    return "\n\n".join(p for p in parts if p)


def check_portrait(path: Path, problems: list[Problem], text: str | None = None) -> None:
    """One portrait in `_inbox/`: it says where it comes from (`source`) and whether it
    may be used (`consent`), in its front matter. `text` checks text not (yet) written."""
    try:
        if text is None:
            text = read_text(path)
        meta: dict[str, Any] = {}
        if text.startswith("---"):
            meta, _lines, _closing = split_front_matter(text)
    except FileError as error:
        problems.append(Problem(path, error.line, error.message))
        return
    lines = _field_lines_in(text.splitlines())
    values = {}
    for name in ("source", "consent"):
        value = meta.get(name)
        if name == "consent" and isinstance(value, bool):  # YAML reads a bare yes/no so
            value = "yes" if value else "no"
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            problems.append(Problem(path, lines.get(name, 1), f"field '{name}' must be text"))
            value = None
        values[name] = "" if value is None else str(value)
    _consent(values["consent"], path, lines.get("consent", 1), "portrait", problems)
    _need_provenance(problems, path, 1, "portrait", values["source"], values["consent"],
                     "a field 'source:'", "a field 'consent:'")


# ---------------------------------------------------------------- the whole library


def load_tags(root: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    path = root / TAGS_FILE
    if not path.exists():
        return {}
    try:
        data = load_yaml(read_text(path), 1)
    except FileError as error:
        problems.append(Problem(path, error.line, error.message))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "tags.yaml must map each tag code to its labels"))
        return {}
    tags: dict[str, dict[str, str]] = {}
    for code, labels in data.items():
        if isinstance(labels, dict):
            tags[str(code)] = {str(k): str(v) for k, v in labels.items()}
        else:
            tags[str(code)] = {"": str(labels)}
    return tags


def _check_portrait_at(path: Path | str, found: list[Problem]) -> Any:
    return check_portrait(Path(path), found)


def _cached(cache: FileCache | None, path: Path | str, stamp: Stamp | None, variant: tuple,
            compute: Callable[[list[Problem]], Any]) -> tuple[Any, list[Problem]]:
    """compute(problems) for one file, through the cache when there is one."""
    def run() -> tuple[Any, list[Problem]]:
        found: list[Problem] = []
        try:
            value = compute(found)
        except Skip:
            value = None
        return value, found

    if cache is None:
        return run()
    return cache.get(str(path), stamp if stamp is not None else stamp_of(path), variant, run)


def load_library(root: Path, *, full: bool = True, cache: FileCache | None = None,
                 progress: Progress | None = None) -> Library:
    """Every collection, situation and format under `root`, and every problem found.

    `full=False` skips parsing the sections of situations (see `load_situation`); `cache`
    (path → stamp and result) lets unchanged files be reused; `progress(done, total)` is
    called while situation files are read.
    """
    library = Library(root=root)
    problems = library.problems
    try:
        if not root.is_dir():
            problems.append(Problem(root, 1, "the library folder does not exist"))
            return library
    except OSError as error:
        problems.append(Problem(root, 1, f"cannot open the library folder: {error}"))
        return library
    library.tags, found = _cached(cache, root / TAGS_FILE, None, ("tags",),
                                  lambda found: load_tags(root, found))
    problems.extend(found)
    conflicts: list[Path] = []
    for stray in markdown_files(root, conflicts):
        problems.append(Problem(stray, 1, "situation outside a collection folder"))

    seen: dict[str, Path] = {}
    work: list[tuple[Collection, list[tuple[str, Stamp]]]] = []
    for folder in collection_folders(root):
        collection, found = _cached(cache, folder / COLLECTION_FILE, None, ("collection",),
                                    partial(load_collection, folder))
        problems.extend(found)
        if collection.id in library.collections:
            problems.append(Problem(collection.path, 1,
                                    f"duplicate collection id '{collection.id}' (also in "
                                    f"{library.collections[collection.id].path.parent.name}/)"))
            continue
        library.collections[collection.id] = collection
        broken: list[Path] = []
        work.append((collection, stamped_markdown_files(folder, broken, conflicts)))
        for path in broken:
            problems.append(Problem(path, 1, "cannot read the file: a link that loops or "
                                             "leads nowhere"))
    total = sum(len(paths) for _, paths in work)
    done = 0
    for collection, paths in work:
        for name, stamp in paths:
            situation, found = _cached(
                cache, name, stamp, ("situation", collection.id, full),
                partial(load_situation, Path(name), collection.id, tags=library.tags,
                        full=full))
            problems.extend(found)
            done += 1
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
            if situation is not None and _unique(situation.id, situation.path, seen, "id",
                                                 root, problems):
                library.situations.append(situation)

    formats_dir = root / FORMATS_DIR
    format_ids: dict[str, Path] = {}
    for path in markdown_files(formats_dir, conflicts):
        loaded, found = _cached(cache, path, None, ("format",),
                                partial(load_format, path))
        problems.extend(found)
        if loaded is None:
            continue
        if _unique(loaded.id, path, format_ids, "format id", root, problems):
            library.formats.append(loaded)

    if full:  # the inbox is not part of the library the app browses: checked only
        for path in markdown_files(root / INBOX_DIR, conflicts):
            _value, found = _cached(cache, path, None, ("portrait",),
                                    partial(_check_portrait_at, path))
            problems.extend(found)

    problems.extend(conflict_problem(path) for path in conflicts)
    _check_translations(library.situations, problems)
    _check_translations(library.formats, problems)
    return library


def conflict_problem(path: Path) -> Problem:
    """A sync's conflict copy, named with both files and how to merge them by hand."""
    original = conflict_original(path.name) or path.name
    return Problem(path, 1, f"another version of {original} from a colleague's sync: "
                            f"compare the two, merge by hand into {original}, then delete "
                            f"this file ({path.name})")


def check_situation_text(text: str, path: Path, collection: str,
                         tags: dict[str, dict[str, str]], library: Library | None = None,
                         ) -> tuple[Situation | None, list[Problem]]:
    """Check text as `goodwork library check` would check it in `path` (not written).

    With `library`, also what only shows across files: an id another file has, and
    translation links to situations that do not exist or are in another language.
    """
    problems: list[Problem] = []
    try:
        situation = load_situation(path, collection, problems, tags, text=text)
    except Skip:
        situation = None
    if situation is not None and library is not None:
        lines = _field_lines_in(text.splitlines())
        other = library.situation(situation.id)
        if other is not None and other.path != path:
            problems.append(Problem(path, lines.get("id", 2),
                                    f"duplicate id '{situation.id}' (also in "
                                    f"{_relative(other.path, library.root)})"))
        for lang, other_id in situation.translations.items():
            target = library.situation(other_id)
            if target is None:
                message = f"broken translation link: no '{other_id}' in the library"
            elif target.lang != lang:
                message = f"translation link: '{other_id}' is in '{target.lang}', not '{lang}'"
            else:
                continue
            problems.append(Problem(path, lines.get("translations", 2), message))
    return situation, problems


def _unique(item_id: str, path: Path, seen: dict[str, Path], what: str, root: Path,
            problems: list[Problem]) -> bool:
    """Record `item_id` as seen; a second file with the same id is a problem, left out."""
    if item_id in seen:
        problems.append(Problem(path, _field_lines(path).get("id", 2),
                                f"duplicate {what} '{item_id}' (also in "
                                f"{_relative(seen[item_id], root)})"))
        return False
    seen[item_id] = path
    return True


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


_Linked = TypeVar("_Linked", Situation, Format)


def _check_translations(items: list[_Linked], problems: list[Problem]) -> None:
    """Report broken translation links and leave them out of the loaded items.

    Items may come from the per-file cache, so they are never changed in place: an item
    with a broken link is replaced in `items` by a copy without it.
    """
    by_id = {item.id: item for item in items}
    for position, item in enumerate(items):
        broken: list[str] = []
        for lang, other_id in item.translations.items():
            other = by_id.get(other_id)
            message = ""
            if other is None:
                message = f"broken translation link: no '{other_id}' in the library"
            elif other.lang != lang:
                message = f"translation link: '{other_id}' is in '{other.lang}', not '{lang}'"
            elif other.translations.get(item.lang) != item.id:
                message = f"translation link: '{other_id}' does not link back to '{item.id}'"
            elif lang == item.lang:
                message = f"translation link to the file's own language '{lang}'"
            if message:
                line = _field_lines(item.path).get("translations", 2)
                problems.append(Problem(item.path, line, message))
                broken.append(lang)
        if broken:
            kept = {k: v for k, v in item.translations.items() if k not in broken}
            items[position] = replace(item, translations=kept)
