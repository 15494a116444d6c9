"""The library outline: what a big library's first screen shows before it is read."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from workspace_helpers import STARTER

from goodwork_tui.core import library_cache


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(STARTER, root)
    return root


def test_no_outline_before_the_library_was_read(tmp_path):
    assert library_cache.outline(_copy(tmp_path)) is None


def test_the_outline_matches_the_library_it_was_written_from(tmp_path):
    root = _copy(tmp_path)
    library = library_cache.load(root)
    outline = library_cache.outline(root)
    assert outline is not None
    assert outline.situations == len(library.situations) == 148
    assert [cid for cid, _title in outline.collection_titles("en")] == list(library.collections)
    for lang in ("nl", "en"):
        titles = dict(outline.collection_titles(lang))
        for collection in library.collections.values():
            assert titles[collection.id] == collection.title_in(lang)
        assert outline.count(lang) == Counter(s.collection for s in library.shown(lang))


def test_the_outline_follows_changes_when_the_library_is_read_again(tmp_path):
    root = _copy(tmp_path)
    library_cache.load(root)
    before = library_cache.outline(root)
    victim = next(root.glob("ouderenzorg/*-nl.md"))
    victim.unlink()
    library_cache.load(root)
    after = library_cache.outline(root)
    assert before is not None and after is not None
    assert after.situations == before.situations - 1


def test_an_unreadable_outline_is_ignored(tmp_path):
    root = _copy(tmp_path)
    library_cache.load(root)
    path = library_cache.cache_file(root, "outline")
    path.write_bytes(b"\x80\x05 not a pickle")
    assert library_cache.outline(root) is None
    library_cache.load(root)  # and written afresh
    assert library_cache.outline(root) is not None


def test_an_outline_of_another_folder_is_not_used(tmp_path):
    root = _copy(tmp_path)
    library_cache.load(root)
    other = tmp_path / "other"
    shutil.copytree(root, other)
    shutil.copy(library_cache.cache_file(root, "outline"),
                library_cache.cache_file(other, "outline"))
    assert library_cache.outline(other) is None
