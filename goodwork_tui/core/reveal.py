"""What the room has seen of a situation: the story first, then, one step at a time as the
facilitator reveals them, the dimensions, the reflection questions and each image of
good work. The room sees the puzzle before the answers.

The level is stored in the session record (`meta["reveal"]`: situation id -> number of
parts shown), so the facilitator's room view, a second screen following the session
(`goodwork room`) and the projector web page all show the same. A format round may say
what it reveals by default (`- reveal: story|dimensions|questions|images`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import Catalog
from .model import Situation

# What a round's `- reveal:` may say, in the order they come in
REVEAL_STEPS = ("story", "dimensions", "questions", "images")
DIMENSIONS = ("knowledge", "actions", "identity", "values", "relationships")


@dataclass(frozen=True, slots=True)
class Part:
    key: str  # story, dimensions, questions, image:N
    heading: str
    text: str  # Markdown as written in the library (shown as text, never as markup)


def parts(situation: Situation, lang: str | None = None) -> list[Part]:
    """Every part of a situation, in the order the room sees them."""
    t = Catalog(lang or situation.lang)
    found = [Part("story", situation.title, situation.story.strip())]
    dimensions = [(name, situation.dimensions.get(name, "").strip()) for name in DIMENSIONS]
    if any(text for _, text in dimensions):
        text = "\n\n".join(f"**{t(f'dimension.{name}').capitalize()}** — {body}"
                           for name, body in dimensions if body)
        found.append(Part("dimensions", t("card.dimensions"), text))
    if situation.questions:
        found.append(Part("questions", t("card.questions"),
                          "\n".join(f"- {' '.join(q.split())}" for q in situation.questions)))
    for number, image in enumerate(situation.images):
        lines = [image.did.strip(), image.considerations.strip()]
        for lens in ("excellent", "ethical", "engaging"):
            body = image.lenses.get(lens, "").strip()
            if body:
                lines.append(f"**{t(f'lens.{lens}').capitalize()}** — {body}")
        heading = t("reveal.image", who=image.who) if image.who else t("reveal.image_anonymous")
        found.append(Part(f"image:{number}", heading, "\n\n".join(x for x in lines if x)))
    return found


def default_level(situation: Situation, step: str | None) -> int:
    """How many parts a round's `reveal:` setting shows (the story at least)."""
    if not step or step not in REVEAL_STEPS:
        return 1
    wanted = REVEAL_STEPS.index(step)
    steps = {"story": 0, "dimensions": 1, "questions": 2, "image": 3}
    return max(1, sum(1 for part in parts(situation)
                      if steps[part.key.split(":")[0]] <= wanted))


def clamp(level: int, situation: Situation) -> int:
    return max(1, min(level, len(parts(situation))))


def stored_level(meta: dict, situation_id: str) -> int | None:
    reveal = meta.get("reveal")
    if isinstance(reveal, dict):
        level = reveal.get(situation_id)
        if isinstance(level, int) and not isinstance(level, bool):
            return level
    return None


def shown(situation: Situation, meta: dict, round_step: str | None = None) -> list[Part]:
    """The parts the room sees now: the stored level, else the round's default."""
    level = stored_level(meta, situation.id)
    if level is None:
        level = default_level(situation, round_step)
    return parts(situation)[: clamp(level, situation)]


class Unreadable(Exception):
    """The situation's file cannot be read into its parts; the message says why."""


_parsed: dict[tuple[str, int, int], Situation] = {}


def with_parts(situation: Situation) -> Situation:
    """`situation` with its story, dimensions, questions and images. The library the app
    reads holds only the front matter and body of each file (its sections are parsed
    when needed): here, from the file, kept while the file stays the same."""
    if situation.story.strip() or situation.images or situation.questions:
        return situation
    from .library import Skip, load_situation
    from .model import Problem

    try:
        stat = situation.path.stat()
    except OSError as error:
        raise Unreadable(f"{situation.path}: {error.strerror or error}") from None
    key = (str(situation.path), stat.st_mtime_ns, stat.st_size)
    found = _parsed.get(key)
    if found is None:
        problems: list[Problem] = []
        try:
            found = load_situation(situation.path, situation.collection, problems, {},
                                   full=True)
        except Skip:
            reason = problems[0].message if problems else "cannot be read"
            raise Unreadable(f"{situation.path.name}: {reason}") from None
        if len(_parsed) > 64:
            _parsed.clear()
        _parsed[key] = found
    return found
