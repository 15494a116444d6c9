"""Shared fixtures: every test runs with its own settings file and workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import textual._wait
from workspace_helpers import COLLECTION, STARTER, situation_text, write

# Pilot waits after every key (twice) and every pause until the process has been idle for
# one sleep of textual._wait.SLEEP_GRANULARITY: 20 ms in Textual, so 40 ms and more a key,
# about a quarter of the UI tests' time spent asleep. What a test needs done it waits for
# on conditions (ui_helpers.ready and wait_until, workers.wait_for_complete); the idle wait
# only has to let the event loop go round. 5 ms, idle = under 0.25 ms of CPU in it (the
# same 1/20 as Textual's). Textual is pinned exactly; a rename fails here, loudly.
assert hasattr(textual._wait, "SLEEP_GRANULARITY") and hasattr(textual._wait, "SLEEP_IDLE")
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = 0.005 / 20


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never read or write the real user's settings or workspace."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GOODWORK_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("GOODWORK_CACHE", str(home / "cache"))
    monkeypatch.delenv("GOODWORK_WORKSPACE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    return home


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """A fresh workspace holding a copy of the starter library and an empty sessions/."""
    root = tmp_path / "ws"
    shutil.copytree(STARTER, root / "library")
    (root / "sessions").mkdir()
    return root



@pytest.fixture
def small_library(tmp_path: Path) -> Path:
    """A minimal valid workspace: one collection, one situation in nl and en."""
    root = tmp_path / "small"
    lib = root / "library"
    write(lib / "c" / "_collection.md", COLLECTION.format(id="c", title="Collectie"))
    write(lib / "c" / "c-one-nl.md", situation_text(extra="translations:\n  en: c-one-en\n"))
    write(lib / "c" / "c-one-en.md", situation_text(
        id="c-one-en", title="A title", lang="en", story="A story.",
        extra="translations:\n  nl: c-one-nl\n"))
    (root / "sessions").mkdir()
    return root


@pytest.fixture
def scrypt_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Age's scrypt (1-3 s a call) paid once per test run, in this process: see
    tests/vault_helpers.py. For tests that need an encrypted workspace, not its cost."""
    from vault_helpers import install

    install(monkeypatch)
