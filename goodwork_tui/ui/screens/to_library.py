"""From reflection to library: a preview of exactly what will be written, checked as
`goodwork library check` would check it; nothing is written while it has problems."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from ...core import reflection
from ...core.atomic import create_new, write_atomic
from ...core.authoring import new_id
from ...core.library import check_situation_text
from ...core.markdown_file import FileError, read_text
from ...core.model import Library, Situation
from ..safe import line, plain


class ToLibraryScreen(ModalScreen[Path | None]):
    """Returns the path written, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tolib.cancel")]

    def __init__(self, library: Library, answers: dict[str, str],
                 situation: Situation | None, own_title: str, lang: str) -> None:
        super().__init__()
        self.library, self.answers = library, answers
        self.situation, self.own_title, self.lang = situation, own_title, lang
        self.text = ""
        self.target: Path | None = None
        self.ok = False

    @property
    def t(self):  # type: ignore[no-untyped-def]
        return self.app.t  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="tolib-box") as box:
            box.border_title = t("tolib.title")
            box.border_subtitle = t("export.hint")
            if self.situation is not None:
                yield Static(plain(t("tolib.append", title=self.situation.title,
                                     path=self.situation.path.name)), id="tolib-intro")
            else:
                yield Static(plain(t("tolib.new")), id="tolib-intro")
                with Horizontal(classes="form-row"):
                    with Vertical(classes="form-cell"):
                        yield Label(t("tolib.collection"))
                        yield Select([(line(c.title_in(self.lang), 60), c.id)
                                      for c in self.library.collections.values()],
                                     allow_blank=False, id="tolib-collection")
                    with Vertical(classes="form-cell"):
                        yield Label(t("tolib.title_label"))
                        yield Input(self.own_title, id="tolib-title", max_length=200)
            yield Checkbox(t("tolib.anonymous"), True, id="tolib-anonymous")
            yield Input(placeholder=t("tolib.who"), id="tolib-who", disabled=True,
                        max_length=120)
            yield TextArea("", id="tolib-preview", read_only=True, soft_wrap=True,
                           show_line_numbers=True)
            yield Static(id="tolib-problems")
            with Horizontal(id="tolib-buttons"):
                yield Button(t("tolib.write"), id="write", variant="primary")
                yield Button(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.render_preview()

    @on(Checkbox.Changed, "#tolib-anonymous")
    def _anonymous(self, event: Checkbox.Changed) -> None:
        self.query_one("#tolib-who", Input).disabled = event.value
        self.render_preview()

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.render_preview()

    def _who(self) -> str:
        if self.query_one("#tolib-anonymous", Checkbox).value:
            return ""
        return self.query_one("#tolib-who", Input).value.strip()

    def render_preview(self) -> None:
        t = self.t
        if self.situation is not None:
            path = self.situation.path
            try:
                current = read_text(path)
            except FileError as error:
                self._show("", [f"{path.name}:{error.line}: {error.message}"])
                return
            section = reflection.image_section(self.answers, self.situation.lang, self._who())
            self.text = reflection.append_image(current, section)
            collection = self.situation.collection
        else:
            collection = str(self.query_one("#tolib-collection", Select).value)
            title = self.query_one("#tolib-title", Input).value.strip()
            if not title:
                self._show("", [t("tolib.need_title")])
                return
            taken = {s.id for s in self.library.situations}
            situation_id = new_id(collection, title, self.lang, taken)
            path = self.library.root / collection / f"{situation_id}.md"
            self.text = reflection.new_situation(self.answers, situation_id=situation_id,
                                                 title=title, collection=collection,
                                                 lang=self.lang, who=self._who())
        self.target = path
        _situation, problems = check_situation_text(self.text, path, collection,
                                                    self.library.tags, self.library)
        self._show(self.text, [f"{path.name}:{p.line}: {p.message}" for p in problems])

    def _show(self, text: str, problems: list[str]) -> None:
        self.query_one("#tolib-preview", TextArea).load_text(text)
        box = self.query_one("#tolib-problems", Static)
        self.ok = bool(text) and not problems
        if problems:
            box.update(Text("\n".join(problems)))
        else:
            box.update(plain(self.t("tolib.valid")))
        box.set_class(bool(problems), "-error")
        self.query_one("#write", Button).disabled = not self.ok

    @on(Button.Pressed, "#write")
    def _write(self) -> None:
        self.render_preview()  # the file may have changed since the preview
        if not self.ok or self.target is None:
            return
        data = self.text.encode("utf-8")
        try:
            if self.situation is not None:
                write_atomic(self.target, data)
            else:
                create_new(self.target, data, mode=0o644)
        except OSError as error:
            self.app.notify(self.t("tolib.failed", reason=error.strerror or str(error)),
                            severity="error", markup=False, timeout=12)
            return
        self.dismiss(self.target)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
