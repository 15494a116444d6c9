"""The patterns report: a `Patterns` as Markdown (YAML front matter) or printable HTML.

The same sessions give the same bytes: no time of writing, every list in a fixed order.
The report is in the sessions' language (`Patterns.lang`) unless asked otherwise. It holds
counts, theme names, words and agreements, never the text of a note; names only as the
`Patterns` was collected (`names=True` and consent).
"""

from __future__ import annotations

import yaml

from .i18n import Catalog
from .markdown_safe import inline, shown
from .patterns import ANONYMOUS, AgreementItem, Item, Patterns


def _heading(level: int, text: str) -> str:
    return "#" * level + " " + inline(" ".join(shown(text).split()))


def title(patterns: Patterns, t: Catalog) -> str:
    if patterns.series:
        return t("patterns.title.series", series=" ".join(patterns.series.split()))
    return t("patterns.title")


def _front_matter(patterns: Patterns, t: Catalog) -> str:
    data = {
        "title": shown(title(patterns, t)),
        "series": shown(patterns.series),
        "period": {"since": patterns.since, "until": patterns.until,
                   "first_session": patterns.first, "last_session": patterns.last},
        "counts": {
            "sessions": len(patterns.sessions),
            "notes": patterns.notes,
            "situations": len(patterns.situations),
            "recurring_themes": len(patterns.themes),
            "recurring_words": len(patterns.words),
            "agreements_open": patterns.agreements_open,
            "agreements_finished": patterns.agreements_finished,
            "images_to_library": len(patterns.images),
            "files_left_out": len(patterns.problems),
        },
        "names": patterns.names,
        "language": t.lang,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def _counted(item: Item, t: Catalog) -> str:
    line = f"- **{inline(' '.join(shown(item.label).split()))}**"
    detail = [t("patterns.counts", sessions=t.number(item.sessions),
                notes=t.number(item.notes))]
    if item.detail:
        detail.insert(0, shown(item.detail))
    return f"{line} — {inline(' · '.join(detail))}"


def _agreement(item: AgreementItem, t: Catalog) -> list[str]:
    details = [t("patterns.made_in", title=" ".join(shown(item.source_title).split()),
                 date=item.source_date),
               t(f"series.status.{item.status}")]
    if item.review:
        details.append(t("series.review.overdue" if item.overdue else "harvest.review",
                         date=shown(item.review)))
    out = [f"- {inline(item.text, indent='  ')} — {inline(' · '.join(details))}"]
    if item.learned.strip():
        out.append("  " + inline(t("series.learned", text=shown(item.learned)), indent="  "))
    return out


def to_markdown(patterns: Patterns, lang: str | None = None) -> str:
    t = Catalog(lang or patterns.lang)
    out = [_front_matter(patterns, t), _heading(1, title(patterns, t)), ""]
    if patterns.first:
        out += [inline(t("patterns.period", first=patterns.first, last=patterns.last)), ""]
    out += [inline(t("patterns.summary",
                     sessions=t.plural("patterns.session_count", len(patterns.sessions)),
                     notes=t.plural("session.note_count", patterns.notes))), ""]
    if patterns.problems:
        out += [inline(t.plural("patterns.left_out", len(patterns.problems))), ""]

    out += [_heading(2, t("patterns.sessions")), ""]
    if not patterns.sessions:
        out += [inline(t("patterns.none")), ""]
    else:
        out += [f"- {inline(s.date)} · {inline(' '.join(shown(s.title).split()))}"
                for s in patterns.sessions] + [""]

    sections: list[tuple[str, list[Item], str]] = [
        ("patterns.situations", patterns.situations, ""),
        ("patterns.collections", patterns.collections, ""),
        ("patterns.tags", patterns.tags, ""),
    ]
    for key, items, _how in sections:
        if key != "patterns.situations" and not items:
            continue  # collections and tags only where the library was at hand
        out += [_heading(2, t(key)), ""]
        out += [_counted(i, t) for i in items] + [""] if items else \
            [inline(t("patterns.none")), ""]

    out += [_heading(2, t("patterns.lenses")), ""]
    total = sum(i.notes for i in patterns.lenses)
    for item in patterns.lenses:
        name = t(f"lens.{item.key}") if item.key else t("patterns.lens.none")
        share = round(100 * item.notes / total) if total else 0
        # catalog words and numbers only: nothing typed, nothing to escape
        out.append(f"- {name}: {t.plural('patterns.lens.line', item.notes, share=share)}")
    out.append("")

    out += [_heading(2, t("patterns.themes")), ""]
    out += [_counted(i, t) for i in patterns.themes] + [""] if patterns.themes else \
        [inline(t("patterns.none")), ""]

    for key, items in (("patterns.words", patterns.words),
                       ("patterns.questions", patterns.questions)):
        out += [_heading(2, t(key)), "",
                inline(t(f"{key}.how", threshold=patterns.word_threshold)), ""]
        out += [_counted(i, t) for i in items] + [""] if items else \
            [inline(t("patterns.none")), ""]

    out += [_heading(2, t("patterns.agreements")), ""]
    if not patterns.owners:
        out += [inline(t("patterns.none")), ""]
    for owner in patterns.owners:
        name = (t("patterns.owner.participants") if owner.owner == ANONYMOUS
                else owner.owner or t("patterns.owner.none"))
        out += [_heading(3, name), ""]
        for key, agreements in (("patterns.open", owner.open),
                                ("patterns.finished", owner.finished)):
            if agreements:
                out += [_heading(4, t(key, count=len(agreements))), ""]
                for agreement in agreements:
                    out += _agreement(agreement, t)
                out.append("")

    out += [_heading(2, t("patterns.images")), ""]
    if not patterns.images:
        out += [inline(t("patterns.none")), ""]
    for image in patterns.images:
        label = " ".join(shown(image.title or image.situation).split())
        out.append(f"- **{inline(label)}** — {inline(image.date)}")
    return "\n".join(out).rstrip("\n") + "\n"


def render(patterns: Patterns, *, fmt: str = "md", lang: str | None = None) -> str:
    """The report as Markdown (fmt='md') or one printable HTML page (fmt='html')."""
    text = to_markdown(patterns, lang)
    if fmt == "html":
        from .harvest_html import to_html

        language = Catalog(lang or patterns.lang).lang
        return to_html(text, title(patterns, Catalog(language)), language)
    return text
