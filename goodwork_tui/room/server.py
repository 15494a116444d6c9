"""The room's web server: runs on the app's own asyncio loop, listens only while open.

Every request is checked against the join code (an HttpOnly, SameSite=Strict cookie set
once the code was typed, compared in constant time) except the code page itself.
Participants post notes and dots; they never read notes back except those the room sees.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from goodwork_tui.core.i18n import Catalog
from goodwork_tui.core.model import LENSES

from . import pages, scripts
from .backend import RoomBackend, RoomRefused, RoomRound
from .network import lan_address, new_join_code, normalise_code, qr_text
from .security import (
    CODE_COOKIE,
    MAX_BODY,
    MAX_NAME,
    MAX_NOTE,
    PARTICIPANT_COOKIE,
    Participants,
    Throttle,
    same_code,
    security_headers,
    valid_client_id,
)

DEFAULT_PORT = 8765
log = logging.getLogger(__name__)
# Inside a full-screen terminal app a stray line on stderr garbles the screen: without a
# handler of the app's own, our and aiohttp's records go nowhere (not to "last resort").
for _name in (__name__, "aiohttp"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RoomServer:
    """`await start()` opens the room on (host, port); `await stop()` closes it.

    port 0 picks a free port (tests). `start()` raises OSError when the port is taken.
    """

    def __init__(self, backend: RoomBackend, host: str = "0.0.0.0", port: int = DEFAULT_PORT,
                 lang: str = "en", *, code: str | None = None,
                 throttle: Throttle | None = None,
                 participants: Participants | None = None) -> None:
        self.backend = backend
        self.host = host
        self.port = port
        self.lang = lang
        self.code = code or new_join_code()
        self.throttle = throttle or Throttle()
        self.participants = participants or Participants()
        self._runner: web.AppRunner | None = None
        self._headers = security_headers(pages.STYLE_HASH)

    # ------------------------------------------------------------ open and close
    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        sockets = getattr(site._server, "sockets", None) or []  # the port chosen for port 0
        if sockets:
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def join_address(self) -> str:
        """http://<LAN address>:<port> — what to type into a phone's browser."""
        host = self.host if self.host not in ("", "0.0.0.0", "::") else lan_address()
        return f"http://{host}:{self.port}"

    @property
    def join_url(self) -> str:
        return f"{self.join_address}/?code={self.code}"

    def qr_text(self) -> str:
        return qr_text(self.join_url)

    # ------------------------------------------------------------ the web app
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.on_response_prepare.append(self._add_headers)
        add = app.router.add_route
        add("GET", "/", self._participant_page)
        add("GET", "/room", self._projector_page)
        add("POST", "/join", self._join)
        add("GET", "/app.js", self._script(scripts.APP_JS))
        add("GET", "/room.js", self._script(scripts.ROOM_JS))
        add("GET", "/api/state", self._state)
        add("POST", "/api/notes", self._add_note)
        add("POST", "/api/vote", self._vote(add_dot=True))
        add("POST", "/api/unvote", self._vote(add_dot=False))
        add("GET", "/api/projector", self._projector)
        return app

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(self._headers)

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refusals as clear messages; no exception ever reaches the app's terminal."""
        t = Catalog(self.lang)
        try:
            if request.method == "POST" and not self._same_origin(request):
                return self._refuse(request, 403, "other_site", t("room.web.other_site"))
            if request.content_length is not None and request.content_length > MAX_BODY:
                return self._refuse(request, 413, "too_big", t("room.web.too_big"))
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(request, 413, "too_big", t("room.web.too_big"))
        except web.HTTPNotFound:
            return self._refuse(request, 404, "not_found", t("room.web.not_found"))
        except web.HTTPMethodNotAllowed:
            return self._refuse(request, 405, "not_allowed", t("room.web.not_allowed"))
        except Exception:  # a bug must not take the room (or the app) down
            log.exception("room request failed")
            return self._refuse(request, 500, "server_error", t("room.web.server_error"))

    @staticmethod
    def _same_origin(request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None or origin == "null" and request.path == "/join":
            return True
        return urlsplit(origin).netloc == request.host

    def _refuse(self, request: web.Request, status: int, key: str, message: str,
                headers: dict[str, str] | None = None) -> web.Response:
        if request.path.startswith("/api/"):
            return web.json_response({"error": key, "message": message}, status=status,
                                     headers=headers)
        if key in ("no_code", "wrong_code", "slow_down"):
            next_path = "/room" if request.path.startswith("/room") else "/"
            body = pages.join_page(Catalog(self.lang), message, next_path=next_path)
        else:
            body = pages.message_page(Catalog(self.lang), message)
        return web.Response(text=body, status=status, content_type="text/html",
                            headers=headers)

    # ------------------------------------------------------------ the code
    def _address(self, request: web.Request) -> str:
        return request.remote or "?"

    def _check(self, request: web.Request) -> str | web.Response:
        """The participant id of a request that holds the code, or the refusal.

        Someone who joined (a participant id we signed and the right code) is never slowed
        down by others' wrong guesses; everyone else waits while their address, or the
        room as a whole, is being slowed down.
        """
        t = Catalog(self.lang)
        given = request.cookies.get(CODE_COOKIE)
        if given is None:
            return self._refuse(request, 401, "no_code", t("room.web.no_code"))
        participant = self.participants.check(request.cookies.get(PARTICIPANT_COOKIE))
        if participant is not None and same_code(given, self.code):
            return participant
        address = self._address(request)
        wait = self.throttle.wait(address)
        if wait > 0:
            return self._slow_down(request, wait)
        if same_code(given, self.code):  # the code, but no participant id of ours
            return self._refuse(request, 401, "no_code", t("room.web.no_code"))
        self.throttle.wrong(address)
        response = self._refuse(request, 401, "wrong_code", t("room.web.rejoin"))
        response.del_cookie(CODE_COOKIE, path="/")  # so a stale cookie is not retried
        return response

    def _slow_down(self, request: web.Request, wait: float) -> web.Response:
        seconds = max(1, round(wait))
        message = Catalog(self.lang)("room.web.slow_down", seconds=seconds)
        return self._refuse(request, 429, "slow_down", message,
                            headers={"Retry-After": str(seconds)})

    def _try_code(self, request: web.Request, typed: str, next_path: str) -> web.Response:
        address = self._address(request)
        wait = self.throttle.wait(address)
        if wait > 0:
            return self._slow_down(request, wait)
        if not same_code(normalise_code(typed), self.code):
            self.throttle.wrong(address)
            return self._refuse(request, 403, "wrong_code",
                                Catalog(self.lang)("room.web.wrong_code"))
        self.throttle.right(address)
        # a redirect, so the code leaves the address bar (and the history)
        response = web.Response(status=303, headers={"Location": next_path})
        response.set_cookie(CODE_COOKIE, self.code, httponly=True, samesite="Strict", path="/")
        if self.participants.check(request.cookies.get(PARTICIPANT_COOKIE)) is None:
            response.set_cookie(PARTICIPANT_COOKIE, self.participants.new(), httponly=True,
                                samesite="Strict", path="/", max_age=24 * 3600)
        return response

    async def _join(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        code = form.get("code")
        next_path = "/room" if form.get("next") == "/room" else "/"
        return self._try_code(request, code if isinstance(code, str) else "", next_path)

    async def _page(self, request: web.Request, render: Callable[[Catalog], str],
                    path: str) -> web.StreamResponse:
        if "code" in request.query:
            return self._try_code(request, request.query["code"], path)
        if CODE_COOKIE not in request.cookies:  # a first visit: the code form, no reproach
            body = pages.join_page(Catalog(self.lang), next_path=path)
            return web.Response(text=body, status=401, content_type="text/html")
        checked = self._check(request)
        if isinstance(checked, web.Response):
            return checked
        state = await self.backend.round()
        return web.Response(text=render(self._catalog(state)), content_type="text/html")

    async def _participant_page(self, request: web.Request) -> web.StreamResponse:
        return await self._page(request, pages.participant_page, "/")

    async def _projector_page(self, request: web.Request) -> web.StreamResponse:
        return await self._page(request, pages.projector_page, "/room")

    def _script(self, text: str) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            checked = self._check(request)
            if isinstance(checked, web.Response):
                return checked
            return web.Response(text=text, content_type="text/javascript")
        return handler

    def _catalog(self, state: RoomRound) -> Catalog:
        return Catalog(state.lang if state.lang in ("nl", "en") else self.lang)

    # ------------------------------------------------------------ the API
    async def _state(self, request: web.Request) -> web.StreamResponse:
        checked = self._check(request)
        if isinstance(checked, web.Response):
            return checked
        state = await self.backend.round()
        if request.query.get("since") == str(state.revision):
            return web.json_response({"unchanged": True, "revision": state.revision})
        notes: list[dict[str, Any]] = []
        mine: dict[str, int] = {}
        if state.voting_open:  # the room's notes only while voting: those the projector shows
            full = await self.backend.state()
            notes = [asdict(note) for note in full.notes]
            state = full  # type: ignore[assignment]  # a RoomState is a RoomRound and more
            mine = await self.backend.my_votes(checked)
        body: dict[str, Any] = {
            "revision": state.revision, "lang": state.lang,
            "session_title": state.session_title, "round_title": state.round_title,
            "round_prompt": state.round_prompt, "kinds": list(state.kinds),
            "voting_open": state.voting_open, "dots": state.dots,
            "dots_left": max(0, state.dots - sum(mine.values())),
            "notes": notes, "mine": mine,
        }
        return web.json_response(body)

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        t = Catalog(self.lang)
        try:
            data = json.loads(await request.read())
        except web.HTTPRequestEntityTooLarge:
            raise
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            return self._refuse(request, 400, "bad_input", t("room.web.bad_input"))
        return data

    async def _add_note(self, request: web.Request) -> web.StreamResponse:
        checked = self._check(request)
        if isinstance(checked, web.Response):
            return checked
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        state = await self.backend.round()
        t = self._catalog(state)
        text, kind, lens = data.get("text"), data.get("kind") or "", data.get("lens") or ""
        name = data.get("name") if data.get("consent") is True else None
        client_id = data.get("client_id")

        def bad(key: str, message: str) -> web.Response:
            return self._refuse(request, 400, key, message)

        if not valid_client_id(client_id) or not isinstance(text, str):
            return bad("bad_input", t("room.web.bad_input"))
        if not text.strip():
            return bad("empty", t("room.web.empty"))
        if len(text) > MAX_NOTE:
            return bad("too_long", t("room.web.too_long", limit=MAX_NOTE, count=len(text)))
        if not isinstance(kind, str) or not isinstance(lens, str) or (
                kind and kind not in state.kinds) or (lens and lens not in LENSES):
            return bad("bad_choice", t("room.web.bad_choice"))
        if name is not None and not isinstance(name, str):
            return bad("bad_input", t("room.web.bad_input"))
        if name is not None and len(name) > MAX_NAME:
            return bad("name_too_long", t("room.web.name_too_long", limit=MAX_NAME))
        if name is not None and not name.strip():
            name = None
        try:
            ack = await self.backend.add_note(checked, str(client_id), text, kind, lens, name)
        except RoomRefused as refused:
            key = f"room.web.refused.{refused.reason}"
            message = t(key) if t(key) != key else t("room.web.refused")
            return self._refuse(request, 409, "refused", message)
        return web.json_response(asdict(ack))

    def _vote(self, *, add_dot: bool) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            checked = self._check(request)
            if isinstance(checked, web.Response):
                return checked
            data = await self._body(request)
            if isinstance(data, web.Response):
                return data
            note_id = data.get("note_id")
            if not isinstance(note_id, str) or not 0 < len(note_id) <= 100:
                return self._refuse(request, 400, "bad_input",
                                    Catalog(self.lang)("room.web.bad_input"))
            call = self.backend.vote if add_dot else self.backend.unvote
            result = await call(checked, note_id)
            body = asdict(result)
            if result.reason:
                t = self._catalog(await self.backend.round())
                body["message"] = t(f"room.web.vote.{result.reason}")
            return web.json_response(body)
        return handler

    async def _projector(self, request: web.Request) -> web.StreamResponse:
        checked = self._check(request)
        if isinstance(checked, web.Response):
            return checked
        view = await self.backend.projector()
        return web.Response(text=json.dumps(view, ensure_ascii=False, default=str),
                            content_type="application/json")


async def serve_forever(server: RoomServer) -> None:
    """For the demo: run until cancelled."""
    await server.start()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
