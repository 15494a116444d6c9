"""New situation, Edit situation, New collection and the portraits inbox.

Each is a dialog flow run as a worker: it pushes a screen, waits for the answer, and
goes on (`push_screen_wait`), so a flow reads from top to bottom.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widgets.option_list import Option

from ..core import authoring
from ..core.atomic import create_new
from ..core.markdown_file import FileError, read_text
from .safe import line

if TYPE_CHECKING:
    from .app import GoodWorkApp

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class AuthoringController:
    def __init__(self, app: GoodWorkApp) -> None:
        self.app = app

    def _library(self):
        if self.app.library is None:
            self.app.notify(self.app.t("tolib.no_library"), markup=False)
        return self.app.library

    def _edit(self, path: Path, text: str, collection: str, new: bool) -> None:
        from .screens.editor import EditorScreen

        library = self.app.library
        assert library is not None  # every flow that edits checked it (see _library)
        self.app.push_screen(EditorScreen(library, path, text, collection, new))

    def _flow(self, flow) -> None:
        self.app.run_worker(flow, group="dialog", exclusive=True)

    # ----------------------------------------------------------------- new and edit

    def new_situation(self, portraits: list[authoring.Portrait] | None = None) -> None:
        """Choose a collection, give a title: the template opens in the editor."""
        self._flow(self._new_situation(portraits))

    async def _new_situation(self, portraits: list[authoring.Portrait] | None) -> None:
        from .screens.pick import PickScreen
        from .screens.prompt import FieldsScreen

        library = self._library()
        if library is None:
            return
        t = self.app.t
        options = [Option(line(c.title_in(self.app.lang)), id=c.id)
                   for c in library.collections.values()]

        collection = await self.app.push_screen_wait(
            PickScreen(t("tolib.collection"), t("open.hint"), options,
                       t("authoring.no_collections")))
        if not collection:
            return
        values = await self.app.push_screen_wait(
            FieldsScreen(t("cmd.new_situation"), t("fields.hint"), [t("tolib.title_label")],
                         need=t("fields.need")))
        if values:
            title = values[0]
            taken = {s.id for s in library.situations}
            situation_id = authoring.new_id(collection, title, self.app.lang, taken)
            path = library.root / collection / f"{situation_id}.md"
            tags = authoring.shared(portraits).tags if portraits else []
            text = authoring.situation_template(situation_id=situation_id, title=title,
                                                collection=collection, lang=self.app.lang,
                                                tags=tags, images=portraits)
            self._edit(path, text, collection, new=True)

    def edit_situation(self) -> None:
        library = self._library()
        if library is None:
            return
        situation = library.situation(self.app.current_id or "")
        if situation is None:
            self.app.notify(self.app.t("authoring.open_first"), markup=False)
            return
        try:
            text = read_text(situation.path)
        except FileError as error:
            self.app.notify(f"{situation.path.name}:{error.line}: {error.message}",
                            severity="error", markup=False)
            return
        self._edit(situation.path, text, situation.collection, new=False)

    def new_collection(self) -> None:
        self._flow(self._new_collection())

    async def _new_collection(self) -> None:
        from .screens.prompt import FieldsScreen

        library = self._library()
        if library is None:
            return
        t = self.app.t

        values = await self.app.push_screen_wait(FieldsScreen(
            t("cmd.new_collection"), t("fields.hint"),
            [t("authoring.collection_id"), t("authoring.title_nl"), t("authoring.title_en"),
             t("authoring.role_nl"), t("authoring.role_en"), t("authoring.description")],
            required=2, need=t("authoring.need_id_title")))
        if values:
            collection_id, title_nl, title_en, role_nl, role_en, about = values
            if not ID.match(collection_id) or collection_id.startswith("_") or \
                    collection_id == "formats":
                self.app.notify(t("authoring.bad_id"), severity="error", markup=False)
                return
            folder = library.root / collection_id
            text = authoring.collection_text(
                collection_id, {"nl": title_nl, "en": title_en or title_nl},
                {"nl": role_nl, "en": role_en}, {self.app.lang: about})
            try:
                folder.mkdir(parents=False, exist_ok=False)
                create_new(folder / "_collection.md", text.encode("utf-8"), mode=0o644)
            except FileExistsError:
                self.app.notify(t("authoring.collection_exists", id=collection_id),
                                severity="error", markup=False)
                return
            except OSError as error:
                self.app.notify(t("tolib.failed", reason=error.strerror or str(error)),
                                severity="error", markup=False)
                return
            self.app.notify(t("authoring.collection_made", id=collection_id), markup=False)
            self.app.loader.reload()

    # ----------------------------------------------------------------- inbox

    def inbox(self) -> None:
        self._flow(self._inbox())

    async def _inbox(self) -> None:
        from .screens.inbox import InboxScreen

        library = self._library()
        if library is None:
            return
        portraits = await self.app.push_screen_wait(InboxScreen(library))
        if portraits:
            await self._new_situation(portraits)
