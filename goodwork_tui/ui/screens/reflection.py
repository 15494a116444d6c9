"""Solo reflection: one step at a time, every answer saved as it is written."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Label, Static, TextArea

from ...core import reflection
from ...core.model import LENSES
from ...core.question_hints import hints
from ...core.session_store import ReadOnlyError, SessionStore
from ...core.text import pasted
from ..safe import plain
from ..typed_app import AppAware
from ..widgets.safe_text_area import SafeTextArea


class ReflectionScreen(AppAware, Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="reflection.back", tooltip="Back (all is saved)"),
        Binding("f9", "step(-1)", "Previous", id="reflection.previous",
                tooltip="The previous step"),
        Binding("f10", "step(1)", "Next", id="reflection.next", tooltip="The next step"),
        Binding("f12", "to_library", "Add to library",
                id="reflection.library", tooltip="Add this reflection to the library"),
    ]

    def __init__(self, store: SessionStore, owned: bool) -> None:
        super().__init__()
        self.store = store
        self.owned = owned  # the screen opened the store, so it closes it
        self.step = 0
        self._pending: set[str] = set()
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        found = reflection.answers(self.store)
        with Vertical(id="reflection"):
            with Horizontal(id="reflection-top"):
                yield Static(plain(self.store.meta.get("title", "")), id="reflection-title")
                yield Static(id="reflection-saved")
            yield Static(id="reflection-step")
            yield Static(id="reflection-prompt")
            with VerticalScroll(id="reflection-answers"):
                for key in reflection.answer_keys():
                    if key.startswith("lenses."):
                        yield Label(t(f"reflection.lens.{key.split('.')[1]}"),
                                    id=f"label-{key.replace('.', '-')}", classes="lens-label")
                    area = SafeTextArea(pasted(found.get(key, "")),
                                    id=f"answer-{key.replace('.', '-')}",
                                    soft_wrap=True, show_line_numbers=False,
                                    read_only=self.store.read_only)
                    area.answer_key = key  # type: ignore[attr-defined]
                    yield area
                yield Static(id="reflection-hints")
            with Horizontal(id="reflection-buttons"):
                yield Button(t("reflection.previous"), id="previous")
                yield Button(t("reflection.next"), id="next", variant="primary")
                yield Button(t("reflection.to_library"), id="to-library")
        yield Footer()

    def on_mount(self) -> None:
        from ..bindings import translate_bindings

        translate_bindings(self, self.t)
        first_empty = next((i for i, step in enumerate(reflection.STEPS)
                            if not self._step_filled(step)), 0)
        self.show_step(first_empty)
        if self.store.read_only:
            self._saved(self.t("session.read_only"), ok=False)

    def _step_filled(self, step: str) -> bool:
        found = reflection.answers(self.store)
        keys = [f"lenses.{lens}" for lens in LENSES] if step == "lenses" else [step]
        return any(found.get(k, "").strip() for k in keys)

    # ----------------------------------------------------------------- steps

    def show_step(self, index: int) -> None:
        self.flush()
        self.step = max(0, min(index, len(reflection.STEPS) - 1))
        step = reflection.STEPS[self.step]
        t = self.t
        self.query_one("#reflection-step", Static).update(plain(
            t("reflection.step_of", number=self.step + 1, total=len(reflection.STEPS))
            + " · " + t(f"reflection.step.{step}")))
        self.query_one("#reflection-prompt", Static).update(plain(t(f"reflection.prompt.{step}")))
        for area in self.query(TextArea):
            key = area.answer_key  # type: ignore[attr-defined]
            visible = key.split(".")[0] == step
            area.display = visible
            label = self.query(f"#label-{key.replace('.', '-')}")
            for widget in label:
                widget.display = visible
        first = next(a for a in self.query(TextArea) if a.display)
        first.focus()
        last = self.step == len(reflection.STEPS) - 1
        self.query_one("#next", Button).label = t("reflection.done" if last else "reflection.next")
        self.query_one("#previous", Button).disabled = self.step == 0
        self._hints()

    def action_step(self, delta: int) -> None:
        self.show_step(self.step + delta)

    @on(Button.Pressed, "#previous")
    def _previous(self) -> None:
        self.action_step(-1)

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        if self.step == len(reflection.STEPS) - 1:
            self.action_close()
        else:
            self.action_step(1)

    @on(Button.Pressed, "#to-library")
    def _to_library(self) -> None:
        self.action_to_library()

    def action_to_library(self) -> None:
        self.gw.reflections.to_library()

    # ----------------------------------------------------------------- saving

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        key = getattr(event.text_area, "answer_key", None)
        if key is None or self.store.read_only:
            return
        self._pending.add(key)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.4, self.flush)
        if key == "question":
            self._hints()

    def flush(self) -> None:
        """Write every answer typed since the last save."""
        if not self._pending or self.store.read_only:
            return
        pending, self._pending = self._pending, set()
        for area in self.query(TextArea):
            key = area.answer_key  # type: ignore[attr-defined]
            if key not in pending:
                continue
            try:
                reflection.set_answer(self.store, key, area.text)
            except ReadOnlyError:
                self._saved(self.t("session.read_only"), ok=False)
                return
            except OSError as error:
                self._pending |= pending  # try again with the next change or step
                reason = error.strerror or str(error)
                self._saved(self.t("session.not_saved", reason=reason), ok=False)
                self.app.notify(self.t("session.not_saved_notice", reason=reason),
                                severity="error", markup=False, timeout=12)
                return
        self._saved(self.t("reflection.saved", time=time.strftime("%H:%M:%S")))

    def _saved(self, message: str, ok: bool = True) -> None:
        label = self.query_one("#reflection-saved", Static)
        label.update(plain(message))
        label.set_class(not ok, "-error")

    def _hints(self) -> None:
        box = self.query_one("#reflection-hints", Static)
        if reflection.STEPS[self.step] != "question":
            box.display = False
            return
        text = self.query_one("#answer-question", TextArea).text
        if not text.strip():
            box.display = False
            return
        found = hints(text, self.gw.lang)
        lines = [self.t(key) for key in found] or [self.t("question.ok")]
        box.update(plain("\n".join(f"· {line}" for line in lines)))
        box.set_class(not found, "-ok")
        box.display = True

    def on_screen_suspend(self) -> None:
        self.flush()

    def action_close(self) -> None:
        self.flush()
        if self.owned:
            self.store.close()
        self.dismiss(None)
