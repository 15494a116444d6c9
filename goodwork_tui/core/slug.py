"""Safe, unique file names for sessions: never outside the folder, valid on every OS."""

from __future__ import annotations

import re
from datetime import date

from .text import fold

MAX_SLUG = 60
# Windows refuses these names whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}


def slugify(title: str) -> str:
    """Lowercase ASCII letters, digits and single dashes; never empty or reserved."""
    ascii_text = fold(title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG].strip("-")
    if not slug:
        slug = "session"
    if slug in RESERVED or slug.split("-")[0] in RESERVED:
        slug = f"session-{slug}"
    return slug


def session_stem(title: str, on: date) -> str:
    return f"{on.isoformat()}-{slugify(title)}"
