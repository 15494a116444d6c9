"""Paths and small library files for the tests: the plain helpers (fixtures are in
conftest.py, which pytest loads by itself; tests import from here, never from conftest)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "library"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


SITUATION = """---
id: {id}
title: {title}
collection: {collection}
lang: {lang}
tags: [trust]
{extra}---

## Situatie

{story}

## Dimensies

### Kennis
Wat je weet.

## Reflectievragen

- Herken je dit?

## Beeld van goed werk: Anouk

- bron: verzonnen voorbeeld
- toestemming: verzonnen

### Wat ik deed
Iets.

### Goed is
Goed.
"""

COLLECTION = """---
id: {id}
title:
  nl: {title}
  en: {title}
---
"""


def situation_text(id: str = "c-one-nl", title: str = "Een titel", collection: str = "c",
                   lang: str = "nl", story: str = "Een verhaal.", extra: str = "") -> str:
    return SITUATION.format(id=id, title=title, collection=collection, lang=lang, story=story,
                            extra=extra)
