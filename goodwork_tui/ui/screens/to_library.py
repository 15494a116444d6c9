"""From reflection to library, in the method's order: the reflection becomes a portrait
in the inbox (`library/_inbox/`), and portraits are ordered into situation types from
there. A preview of exactly what will be written, checked as `goodwork library check`
checks a portrait; nothing is written without consent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static, TextArea

from ...core import reflection
from ...core.atomic import create_new
from ...core.authoring import INBOX
from ...core.library import check_portrait
from ...core.model import Library, Problem, Situation
from ..safe import plain


class ToLibraryScreen(ModalScreen[Path | None]):
    """Returns the path of the portrait written, or None."""

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
    def t(self):
        return self.app.t  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="tolib-box") as box:
            box.border_title = t("tolib.title")
            box.border_subtitle = t("export.hint")
            yield Static(plain(t("tolib.portrait", folder=f"library/{INBOX}/")),
                         id="tolib-intro")
            yield Checkbox(t("tolib.anonymous"), True, id="tolib-anonymous")
            yield Input(placeholder=t("tolib.who"), id="tolib-who", disabled=True,
                        max_length=120)
            yield Checkbox(t("tolib.consent"), False, id="tolib-consent")
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

    @on(Checkbox.Changed, "#tolib-consent")
    @on(Input.Changed)
    def _changed(self) -> None:
        self.render_preview()

    def _who(self) -> str:
        if self.query_one("#tolib-anonymous", Checkbox).value:
            return ""
        return self.query_one("#tolib-who", Input).value.strip()

    def render_preview(self) -> None:
        about = self.situation.title if self.situation is not None else self.own_title
        tags = self.situation.tags if self.situation is not None else ()
        today = date.today()
        who = self._who()
        self.text = reflection.portrait(self.answers, lang=self.lang, who=who, about=about,
                                        tags=tags, on=today)
        folder = self.library.root / INBOX
        try:
            taken = {p.name.lower() for p in folder.iterdir()}
        except OSError:
            taken = set()
        path = folder / reflection.portrait_name(who, about, taken, today)
        self.target = path
        found: list[Problem] = []
        check_portrait(path, found, self.text)
        problems = [f"{path.name}:{p.line}: {p.message}" for p in found]
        if not self.query_one("#tolib-consent", Checkbox).value:
            problems.append(self.t("tolib.need_consent"))
        self._show(self.text, problems)

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
        self.render_preview()  # the inbox may have changed since the preview
        if not self.ok or self.target is None:
            return
        try:
            self.target.parent.mkdir(exist_ok=True)
            create_new(self.target, self.text.encode("utf-8"), mode=0o644)
        except OSError as error:
            self.app.notify(self.t("tolib.failed", reason=error.strerror or str(error)),
                            severity="error", markup=False, timeout=12)
            return
        self.dismiss(self.target)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
