"""Parsed styles kept between runs.

Textual parses every stylesheet at each start: ours and the default CSS of each kind of
widget on screen, some 15 ms of the first frame, for text that changes only with an
update. A `RememberingStylesheet` keeps the parsed rules in one pickle in the user cache
folder, keyed by the CSS text, where it was read from and the theme's variables (which
parsing fills in), for the installed Textual's CSS code (sizes and dates of its files:
asking Textual its version costs 11 ms of package metadata). A change of any of these
parses afresh; a file that cannot be read is ignored and written again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

import textual.css
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

KEEP_THEMES = 4  # sets of theme variables remembered (a theme switch changes them)

_Rules = dict[tuple, list[RuleSet]]


def memory_file(folder: Path) -> Path:
    return folder / "styles.pickle"


def _textual_stamp() -> tuple:
    """What identifies the installed Textual's CSS parser and rule classes."""
    try:
        with os.scandir(Path(textual.css.__file__).parent) as entries:
            return tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                                for entry in entries if entry.name.endswith(".py")))
    except OSError:
        return ()


class RememberingStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str], path: Path) -> None:
        super().__init__(variables=variables)
        self._path = path
        self._stamp = _textual_stamp()
        self._memory: dict[tuple, _Rules] = _load(path, self._stamp) if self._stamp else {}
        self._used: dict[tuple, _Rules] = {}  # what this run parsed or took from memory
        self._unsaved = False
        self._theme: tuple | None = None  # the variables as a key, made once per change

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme = None

    def _parse_rules(self, css: str, read_from: tuple[str, str],  # type: ignore[override]
                     is_default_rules: bool = False, tie_breaker: int = 0,
                     scope: str = "") -> list[RuleSet]:
        if self._theme is None:
            self._theme = tuple(sorted(self._variables.items()))
        theme = self._theme
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        rules = self._memory.get(theme, {}).get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._unsaved = True
        self._used.setdefault(theme, {})[key] = rules
        return rules

    def reparse(self) -> None:
        # Textual parses into a fresh, plain stylesheet here (a theme change), which
        # would not remember. Parsing itself only replaces the rules when all is well.
        self._require_parse = True
        self._rules_map = None
        self.parse()

    def save(self) -> None:
        """Write what this run parsed, if anything was new. Best effort: a cache."""
        if not self._unsaved or not self._stamp:
            return
        memory = {theme: rules for theme, rules in self._memory.items()
                  if theme not in self._used}
        for theme, used in self._used.items():  # the themes used now last: kept longest
            # a run parses only what it shows: keep what earlier runs parsed too, but
            # not an earlier version of a stylesheet read now
            sources = {key[1:] for key in used}
            kept = {key: rules for key, rules in self._memory.get(theme, {}).items()
                    if key[1:] not in sources}
            memory[theme] = kept | used
        memory = dict(list(memory.items())[-KEEP_THEMES:])
        with contextlib.suppress(Exception):  # unpicklable, full disk, read-only folder
            data = pickle.dumps((self._stamp, memory), protocol=pickle.HIGHEST_PROTOCOL)
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{self._path.name}.", dir=self._path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temp, self._path)  # whole or not at all; no fsync: a cache
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            self._memory, self._unsaved = memory, False


def _load(path: Path, stamp: tuple) -> dict[tuple, _Rules]:
    try:
        with path.open("rb") as handle:
            stored_stamp, memory = pickle.load(handle)  # noqa: S301 - written by us only
    except Exception:  # noqa: BLE001 - missing, torn or from another version: parse
        return {}
    if stored_stamp != stamp or not isinstance(memory, dict) or not all(
            isinstance(theme, tuple) and isinstance(rules, dict)
            for theme, rules in memory.items()):
        return {}
    return memory
