"""Edit a situation file: the text, a live preview, and the check's messages by line.

Nothing is written until ctrl+s; text with problems is never written over a file
without a clear yes.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown, Static, TextArea

from ...core.atomic import create_new, write_atomic
from ...core.library import check_situation_text
from ...core.markdown_file import body_of, split_front_matter
from ...core.model import Library
from ...core.text import displayable
from ..safe import plain
from ..typed_app import AppAware
from ..widgets.situation_view import safe_parser


class EditorScreen(AppAware, Screen[Path | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Write the file"),
        Binding("escape", "close", "Back", id="editor.back", tooltip="Back to the library"),
    ]

    def __init__(self, library: Library, path: Path, text: str, collection: str,
                 new: bool) -> None:
        super().__init__()
        self.library, self.path, self.collection, self.new = library, path, collection, new
        self.original = "" if new else text
        self.start_text = text
        self.problems: list[str] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(plain(t("editor.title", path=str(self.path.relative_to(
            self.library.root)) if self.path.is_relative_to(self.library.root)
            else str(self.path))), id="editor-title")
        with Horizontal(id="editor-body"):
            yield TextArea(displayable(self.start_text), id="editor-text", show_line_numbers=True,
                           soft_wrap=True)
            with VerticalScroll(id="editor-preview-box"):
                yield Markdown("", id="editor-preview", parser_factory=safe_parser,
                               open_links=False)
        with Vertical(id="editor-problems-box"):
            yield Static(id="editor-problems")
        yield Footer()

    def on_mount(self) -> None:
        from ..bindings import translate_bindings

        translate_bindings(self, self.t)
        self.query_one("#editor-text", TextArea).focus()
        self.check()

    @on(TextArea.Changed, "#editor-text")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.4, self.check)

    @property
    def text(self) -> str:
        return self.query_one("#editor-text", TextArea).text

    def check(self) -> None:
        """Validate and preview the text as it stands (not written)."""
        text = self.text
        _situation, problems = check_situation_text(text, self.path, self.collection,
                                                    self.library.tags, self.library)
        self.problems = [f"{p.line}: {p.message}" for p in problems]
        box = self.query_one("#editor-problems", Static)
        if self.problems:
            box.update(Text(self.t.plural("editor.problems", len(self.problems)) + "\n" +
                            "\n".join(self.problems)))
        else:
            box.update(plain(self.t("tolib.valid")))
        box.set_class(bool(self.problems), "-error")
        try:
            _meta, lines, closing = split_front_matter(text)
            body = body_of(lines, closing)
        except Exception:  # noqa: BLE001 - a broken front matter still previews the text
            body = text
        self.query_one("#editor-preview", Markdown).update(displayable(body[:24_000]))

    def action_save(self) -> None:
        from .confirm import ConfirmScreen

        self.check()
        if not self.problems:
            self._write()
            return
        t = self.t
        question = t.plural("editor.invalid_new" if self.new else "editor.invalid_over",
                            len(self.problems))

        def answered(yes: bool | None) -> None:
            if yes:
                self._write()

        self.app.push_screen(ConfirmScreen(question, self.problems[0], t("editor.write_anyway"),
                                           t("common.cancel")), answered)

    def _write(self) -> None:
        data = self.text.encode("utf-8")
        try:
            if self.new:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                create_new(self.path, data, mode=0o644)
                self.new = False
            else:
                write_atomic(self.path, data)
        except FileExistsError:
            self.app.notify(self.t("editor.exists", path=self.path.name), severity="error",
                            markup=False, timeout=12)
            return
        except OSError as error:
            self.app.notify(self.t("tolib.failed", reason=error.strerror or str(error)),
                            severity="error", markup=False, timeout=12)
            return
        self.original = self.text
        self.app.notify(self.t("editor.saved", path=self.path.name), markup=False)
        self.gw.loader.reload()

    def action_close(self) -> None:
        from .confirm import ConfirmScreen

        if self.text == self.original or (self.new and self.text == self.start_text):
            self.dismiss(None if self.new else self.path)
            return
        t = self.t

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("editor.discard"), self.path.name,
                                           t("editor.discard_yes"), t("common.cancel")),
                             answered)
