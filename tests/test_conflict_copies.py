"""A sync's conflict copies (NAME.conflict.md, NAME.conflict-2.md) are named by the library
check with both files and how to merge them, and never read as situations or formats."""

from __future__ import annotations

from pathlib import Path

from workspace_helpers import situation_text, write

from goodwork_tui.core.library import load_library
from goodwork_tui.core.library_files import conflict_original


def test_conflict_copy_names() -> None:
    assert conflict_original("a-nl.conflict.md") == "a-nl.md"
    assert conflict_original("a-nl.conflict-2.md") == "a-nl.md"
    assert conflict_original("a-nl.md") is None
    assert conflict_original("conflict.md") is None
    assert conflict_original("a.conflicted.md") is None


def test_conflict_copies_are_problems_not_situations(tmp_path: Path) -> None:
    root = tmp_path / "library"
    write(root / "c" / "_collection.md", "---\nid: c\ntitle:\n  nl: C\n  en: C\n---\n")
    write(root / "c" / "een-nl.md", situation_text(id="c-one-nl"))
    # the colleague's version: the same id, which would otherwise be a duplicate
    write(root / "c" / "een-nl.conflict.md", situation_text(id="c-one-nl", title="Anders"))
    write(root / "c" / "een-nl.conflict-2.md", situation_text(id="c-one-nl", title="Nog"))
    write(root / "formats" / "f-nl.conflict.md", "not even a format")
    library = load_library(root)
    assert [s.path.name for s in library.situations] == ["een-nl.md"]
    assert library.situations[0].title == "Een titel"
    messages = {p.path.name: p.message for p in library.problems}
    assert not any("duplicate" in m for m in messages.values()), messages
    assert set(messages) == {"een-nl.conflict.md", "een-nl.conflict-2.md", "f-nl.conflict.md"}
    message = messages["een-nl.conflict-2.md"]
    assert message == ("another version of een-nl.md from a colleague's sync: compare the "
                       "two, merge by hand into een-nl.md, then delete this file "
                       "(een-nl.conflict-2.md)")
