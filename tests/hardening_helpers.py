"""Shared pieces of the hardening suite (tests/test_hardening_*.py).

Hostile strings, a hostile workspace (library and session), a scan of what the app
would send to the terminal, and a child-process environment for kill tests.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from workspace_helpers import STARTER, write

# ---------------------------------------------------------------- hostile text

MARKUP = ["[/]", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]x[/link]", "a[/b] c"]
ESCAPES = ["\x1b]0;title\x07", "\x1b[2J"]
C0 = "".join(chr(code) for code in range(0x20)) + "\x7f"
C1 = "".join(chr(code) for code in range(0x80, 0xA0))
RTL = "abc\u202edef\u202c ghi\u2067jkl\u2069"
ZERO_WIDTH = "a\u200bb\u200cc\u200dd\ufeffe\u2060f"
COMBINING = "Z" + "\u0336\u0301\u0300\u0308" * 25
ZWJ_EMOJI = ("\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 "
             "\U0001f9d1\U0001f3fd\u200d\U0001f4bb")
LONG = ("lorem ipsum dolor " * 5600)[:100_000]
MANY_LINES = "\n".join(f"line {number}" for number in range(10_000))

# every short hostile piece on one line, as one string
ONE_LINE = " ".join([*MARKUP, *ESCAPES, C0.replace("\n", ""), C1, RTL, ZERO_WIDTH, COMBINING,
                     ZWJ_EMOJI])
SHORT = {"markup": " ".join(MARKUP), "ansi-osc": " ".join(ESCAPES), "c0": C0, "c1": C1,
         "rtl": RTL, "zero-width": ZERO_WIDTH, "combining": COMBINING, "zwj": ZWJ_EMOJI,
         "all": ONE_LINE}
ALL = {**SHORT, "100k-chars": LONG, "10k-lines": MANY_LINES}

# What must never reach the terminal as a character of text: C0 and C1 controls (ESC
# starts every ANSI/OSC sequence), DEL, and the bidi overrides and isolates.
NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (YAML escapes for every control)."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or (
                0x2066 <= code <= 0x2069) or code == 0xFEFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# ---------------------------------------------------------------- the screen


def screen_strips(app: Any) -> list[list[Any]]:
    """The lines the compositor would send for a full repaint of the current screen (with
    the screens showing under a modal): the Rich segments of each line."""
    from goodwork_tui.ui.textual_private import repaint_lines

    return repaint_lines(app)


def _widget_at(app: Any, x: int, y: int) -> str:
    try:
        widget, _ = app.screen.get_widget_at(x, y)
    except Exception:  # noqa: BLE001 - only for naming the place in a message
        return "?"
    names = []
    node = widget
    while node is not None and node is not app.screen and len(names) < 3:
        names.append(f"{type(node).__name__}#{node.id}" if node.id else type(node).__name__)
        node = node.parent
    return " < ".join(names) or type(app.screen).__name__


def leaks(app: Any) -> list[str]:
    """Every piece of drawn text holding a character that is not text, and every
    clickable action that came from content (a `@click` in a style's meta), each named
    with the widget that drew it. What shows under a modal screen is left out (it is
    checked on its own screen)."""
    from rich.cells import cell_len

    found = []
    modal = app.screen.is_modal
    for y, line in enumerate(screen_strips(app)):
        x = 0
        for segment in line:
            width = cell_len(segment.text)
            problem = ""
            if segment.control:
                problem = f"control segment {segment.control!r}"
            elif NOT_TEXT.search(segment.text):
                problem = repr(segment.text.strip()[:60])
            style = segment.style
            if style is not None and style.meta and "@click" in style.meta:
                problem = f"clickable {style.meta['@click']!r} on {segment.text.strip()[:30]!r}"
            if problem:
                where = _widget_at(app, x, y)
                if not (modal and where == type(app.screen).__name__):
                    found.append(f"{where} (line {y}): {problem}")
            x += width
    return found


def screen_text(app: Any) -> str:
    return "\n".join("".join(segment.text for segment in line) for line in screen_strips(app))


# ---------------------------------------------------------------- workspaces


def starter_workspace(root: Path) -> Path:
    shutil.copytree(STARTER, root / "library")
    (root / "sessions").mkdir(parents=True, exist_ok=True)
    return root


# Markup and hostile words but no control characters: the body of the situations whose
# titles are under test (the reader's Markdown path is tested with HOSTILE_BODY).
MARKUP_BODY = """## Situation

{one_line}

[@click=app.quit]x[/] and [link=file:///etc/passwd]x[/link] and [a link](file:///etc/passwd)
and <script>alert(1)</script>, bidi-free, emoji {zwj}, combining {combining}.
"""

HOSTILE_BODY = """## Situation

{one_line}

Raw escapes in the body: \x1b]0;title\x07 and \x1b[2J and \x1b[31mred\x1b[0m, C1 \x9b2J,
bidi \u202eevil\u202c, zero width a\u200bb, combining {combining}, emoji {zwj}.

[@click=app.quit]x[/] and [link=file:///etc/passwd]x[/link] and [a link](file:///etc/passwd)
and <script>alert(1)</script>.

## Dimensions

### Knowledge

{one_line}

## Reflection questions

- {one_line}
"""


def hostile_library(root: Path) -> Path:
    """A workspace whose library carries hostile text in every field the app shows:
    collection title, situation titles and bodies, tag labels, format and round titles and
    round prompts. The starter library stays beside it."""
    starter_workspace(root)
    lib = root / "library"
    hostile_title = yaml_quoted(ONE_LINE)
    write(lib / "tags.yaml", (STARTER / "tags.yaml").read_text(encoding="utf-8")
          + f"hostile: {{nl: {yaml_quoted('tag ' + ONE_LINE)}, en: "
            f"{yaml_quoted('tag ' + ONE_LINE)}}}\n")
    write(lib / "zz-hostile" / "_collection.md",
          f"---\nid: zz-hostile\ntitle:\n  nl: {hostile_title}\n  en: {hostile_title}\n---\n")
    body = HOSTILE_BODY.format(one_line=ONE_LINE.replace("\x00", ""), combining=COMBINING,
                               zwj=ZWJ_EMOJI)
    clean = MARKUP_BODY.format(one_line=" ".join(MARKUP), combining=COMBINING, zwj=ZWJ_EMOJI)
    for name, title, text in (("zz-hostile-a-en", ONE_LINE, clean),
                              ("zz-hostile-b-en", " ".join(MARKUP), clean),
                              ("zz-hostile-c-en", "\x1b]0;title\x07\x1b[2J", clean),
                              ("zz-hostile-body-en", "Raw escapes in the body", body)):
        write(lib / "zz-hostile" / f"{name}.md",
              f"---\nid: {name}\ntitle: {yaml_quoted(title)}\ncollection: zz-hostile\n"
              f"lang: en\ntags: [hostile, trust]\n---\n\n" + text)
    # one big situation: more than the reader renders as Markdown (shown as plain text)
    write(lib / "zz-hostile" / "zz-hostile-long-en.md",
          "---\nid: zz-hostile-long-en\ntitle: long\ncollection: zz-hostile\nlang: en\n"
          "---\n\n## Situation\n\n" + "\n".join(
              f"{number} \x1b[2J {ONE_LINE.replace(chr(0), '')}" for number in range(300)))
    rounds = "\n".join(
        f"## {ONE_LINE.replace(chr(0), '').replace(chr(10), ' ').replace(chr(13), ' ')} {n}"
        f"\n\n- minutes: 5\n- kinds: experience, insight\n\n"
        f"{ONE_LINE.replace(chr(0), '')}\n\n\x1b]0;prompt\x07 \x1b[2J\n" for n in range(2))
    write(lib / "formats" / "zz-hostile-format-en.md",
          f"---\nid: zz-hostile-format-en\ntitle: {yaml_quoted('Format ' + ONE_LINE)}\n"
          f"lang: en\norder: 0\nkind: group\nminutes: 10\n---\n\nIntro.\n\n{rounds}")
    # problems whose messages quote hostile text (an unknown tag, an unknown heading)
    write(lib / "zz-hostile" / "zz-hostile-problem-en.md",
          "---\nid: zz-hostile-problem-en\ntitle: problem\ncollection: zz-hostile\nlang: en\n"
          f"tags: [{yaml_quoted(ONE_LINE)}]\n---\n\n## Situation\n\nText.\n\n"
          "## \x1b]0;heading\x07 [@click=app.quit]x[/]\n\nMore.\n")
    return root


HOSTILE_FORMAT = {
    "id": "zz-hostile-format-en",
    "title": "Format " + ONE_LINE,
    "kind": "group",
    "minutes": 10,
    "rounds": [
        {"title": f"Round {ONE_LINE} {n}", "minutes": 5, "prompt": f"Prompt {ONE_LINE}\n"
         f"{MANY_LINES[:2000]}", "kinds": ["experience", "insight"], "roles": []}
        for n in range(2)
    ],
}


def hostile_session(sessions: Path, title: str = ONE_LINE) -> Path:
    """A session with hostile text in every field: title, group, facilitator, participants,
    situation titles and summaries, notes (each hostile string, the 100,000-character note,
    the 10,000-line note), themes, take-aways, actions."""
    from goodwork_tui.core.session_store import SessionStore

    participants = [{"name": text, "consent": index % 2 == 0}
                    for index, text in enumerate(SHORT.values())]
    with SessionStore.create(
            sessions, title=title, on=date(2026, 3, 14), group=ONE_LINE, facilitator=ONE_LINE,
            format=HOSTILE_FORMAT, participants=participants,
            situations=["zz-hostile-a-en", "grenswerk-lauw-onthaal-en"],
            situation_titles={"zz-hostile-a-en": {"title": ONE_LINE, "summary": ONE_LINE},
                              "grenswerk-lauw-onthaal-en": {"title": "[/]", "summary": C1}},
    ) as store:
        themes = [store.add_theme(text) for text in SHORT.values()]
        ids = []
        for index, text in enumerate(ALL.values()):
            note = store.add_note(text, round=index % 2, kind="insight" if index % 3 else "",
                                  lens="ethical" if index % 2 else "",
                                  speaker=f"p{index % len(participants) + 1}",
                                  situation="zz-hostile-a-en" if index % 2 else "")
            ids.append(note["id"])
            store.set_note_theme(note["id"], themes[index % len(themes)])
            store.vote(note["id"], 1 + index % 3)
            if index % 2:
                store.star_note(note["id"], True)
        store.set_takeaways(ONE_LINE + "\n\n" + "\n".join(SHORT.values()))
        for text in SHORT.values():
            store.add_action(text, owner=text, review=text)
        store.add_action(ONE_LINE, owner=SHORT["c0"], review="2026-04-01")
        return store.path
