"""The room's web server over real HTTP on 127.0.0.1: the code on every route, the
slow-down of guessers, size caps, duplicates, escaping, votes, the queue, the language."""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
import pytest
from room_helpers import HOSTILE, backend, participant, post_note, running, session

from goodwork_tui.room import pages, scripts
from goodwork_tui.room.backend import RoomRefused
from goodwork_tui.room.memory_backend import MemoryBackend
from goodwork_tui.room.security import FREE_TRIES, GLOBAL_TRIES, Throttle

PAGES = ["/", "/room", "/app.js", "/room.js"]
API_GET = ["/api/state", "/api/projector"]
API_POST = ["/api/notes", "/api/vote", "/api/unvote"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- open and closed


async def test_listens_only_while_open() -> None:
    server_backend = backend()
    async with running(server_backend) as server:
        address = server.join_address
        assert address.startswith("http://127.0.0.1:") and server.port > 0
        async with session() as client, client.get(address + "/") as response:
            assert response.status == 401
    assert not server.running
    async with session() as client:
        with pytest.raises(aiohttp.ClientConnectionError):
            await client.get(address + "/")


async def test_a_taken_port_is_an_oserror_and_nothing_is_left_open() -> None:
    async with running(backend()) as first:
        from goodwork_tui.room.server import RoomServer

        second = RoomServer(backend(), "127.0.0.1", first.port, "en")
        with pytest.raises(OSError):
            await second.start()
        assert not second.running


# ---------------------------------------------------------------- the code on every route


@pytest.mark.parametrize("path", PAGES + API_GET)
async def test_every_get_route_refuses_without_the_code(path: str) -> None:
    async with running(backend()) as server, session() as client, \
            client.get(server.join_address + path) as response:
        assert response.status == 401
        text = await response.text()
    if path.startswith("/api/"):
        assert json.loads(text) == {
            "error": "no_code",
            "message": "This page is only for the people in the room: "
                       "type the code shown on the screen."}
    elif path in ("/", "/room"):  # a first visit: the code form, without reproach
        assert '<form method="post" action="/join">' in text
        assert f'name="next" value="{path}"' in text
        assert 'role="alert"' not in text and "Type the code shown on the screen" in text
        assert "Care team day" not in text and "<script" not in text
    else:  # a script: the code form with the reason, never the script itself
        assert 'role="alert"' in text and "type the code shown on the screen" in text
        assert '<form method="post" action="/join">' in text
        assert "function" not in text


@pytest.mark.parametrize("path", API_POST)
async def test_every_post_route_refuses_without_the_code(path: str) -> None:
    room = backend(voting_open=True)
    await room.add_note("someone", "c1", "a note", "", "", None)
    async with running(room) as server, session() as client, \
            client.post(server.join_address + path,
                        json={"client_id": "c2", "text": "x", "note_id": "n1"}) as r:
        assert r.status == 401
        assert (await r.json())["error"] == "no_code"
    assert len(room.notes) == 1 and room.shown_notes()[0].votes == 0


@pytest.mark.parametrize("path", PAGES + API_GET)
async def test_a_wrong_code_cookie_is_refused_and_cleared(path: str) -> None:
    async with running(backend()) as server, participant(server) as client:
        client.cookie_jar.update_cookies({"gw_code": "WRONG1"},
                                         aiohttp.client.URL(server.join_address))
        async with client.get(server.join_address + path) as response:
            assert response.status == 401
            assert "gw_code" in response.cookies  # told to forget it
            assert response.cookies["gw_code"].value == ""
        async with client.get(server.join_address + path) as response:
            assert response.status == 401  # now without a code at all
    assert server.throttle.wait("127.0.0.1") == 0  # one wrong try is free


async def test_the_right_code_opens_every_route_with_security_headers() -> None:
    async with running(backend()) as server, session() as client:
        url = f"{server.join_address}/?code={server.code.lower()[:3]} {server.code.lower()[3:]}"
        async with client.get(url, allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/"  # the code leaves the address bar
            cookies = response.headers.getall("Set-Cookie")
        assert len(cookies) == 2
        for cookie in cookies:
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        for path in PAGES + API_GET:
            async with client.get(server.join_address + path) as response:
                assert response.status == 200, path
                headers = response.headers
                csp = headers["Content-Security-Policy"]
                assert "script-src 'self'" in csp and "unsafe-inline" not in csp
                assert "default-src 'none'" in csp
                assert headers["X-Content-Type-Options"] == "nosniff"
                assert headers["Cache-Control"] == "no-store"
                assert headers["Referrer-Policy"] in ("no-referrer", "same-origin")
                assert headers["X-Frame-Options"] == "DENY"


async def test_the_inline_style_matches_its_hash_and_no_inline_script_is_served() -> None:
    async with running(backend()) as server, participant(server) as client:
        for path in ("/", "/room"):
            async with client.get(server.join_address + path) as response:
                html = await response.text()
            scripts_in_page = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
            for attributes, body in scripts_in_page:
                # either a file of ours, or a data block that never runs
                assert ('src="/' in attributes and body == "") or \
                    'type="application/json"' in attributes
            assert f"<style>{pages.STYLE}</style>" in html
            assert pages.STYLE_HASH in response.headers["Content-Security-Policy"]


async def test_the_join_form_sets_the_cookie_and_a_forged_participant_is_refused() -> None:
    async with running(backend()) as server, session() as client:
        async with client.post(server.join_address + "/join",
                               data={"code": server.code, "next": "/room"},
                               allow_redirects=False) as response:
            assert response.status == 303 and response.headers["Location"] == "/room"
        async with client.get(server.join_address + "/api/state") as response:
            assert response.status == 200
        url = aiohttp.client.URL(server.join_address)
        client.cookie_jar.update_cookies({"gw_participant": "made-up.0123"}, url)
        async with client.get(server.join_address + "/api/state") as response:
            assert response.status == 401


async def test_a_post_from_another_site_is_refused() -> None:
    room = backend()
    async with running(room) as server, participant(server) as client:
        async with client.post(server.join_address + "/api/notes",
                               headers={"Origin": "http://evil.example"},
                               json={"client_id": "c1", "text": "x"}) as response:
            assert response.status == 403
            assert (await response.json())["error"] == "other_site"
        status, _ = await post_note(client, server, "ok", "c2")
        assert status == 200
    assert [n.text for n in room.notes] == ["ok"]


async def test_unknown_routes_and_methods_get_a_clear_page() -> None:
    async with running(backend()) as server, participant(server) as client:
        async with client.get(server.join_address + "/library/anything.md") as response:
            assert response.status == 404
            assert "There is nothing here" in await response.text()
        async with client.get(server.join_address + "/../pyproject.toml") as response:
            assert response.status == 404
        async with client.put(server.join_address + "/api/notes", data=b"x") as response:
            assert response.status == 405
            assert "cannot be used that way" in (await response.json())["message"]


# ---------------------------------------------------------------- guessing the code


async def test_wrong_codes_are_refused_then_slowed_down_per_address() -> None:
    clock = Clock()
    async with running(backend(), throttle=Throttle(clock=clock)) as server, \
            session() as client:
        for _ in range(FREE_TRIES - 1):
            async with client.get(server.join_address + "/?code=AAAAAA") as response:
                assert response.status == 403
                html = await response.text()
                assert "That code is not right" in html and 'role="alert"' in html
        async with client.get(server.join_address + "/?code=BBBBBB") as response:
            assert response.status == 403  # the try that crosses the line
        # from now on even the right code waits: a guesser cannot tell
        async with client.get(f"{server.join_address}/?code={server.code}",
                              allow_redirects=False) as response:
            assert response.status == 429
            assert int(response.headers["Retry-After"]) >= 1
            assert "Too many wrong codes. Wait" in await response.text()
        clock.now += 3
        async with client.get(f"{server.join_address}/?code={server.code}",
                              allow_redirects=False) as response:
            assert response.status == 303


def test_the_wait_grows_per_wrong_try_and_is_capped() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    waits = []
    for _ in range(FREE_TRIES + 12):
        throttle.wrong("10.0.0.9")
        waits.append(throttle.wait("10.0.0.9"))
    assert waits[: FREE_TRIES - 1] == [0.0] * (FREE_TRIES - 1)
    assert waits[FREE_TRIES - 1:FREE_TRIES + 2] == [2.0, 4.0, 8.0]
    assert max(waits) == 300.0
    assert throttle.wait("10.0.0.10") == 0  # another address is not slowed by it
    clock.now += 3600
    assert throttle.wait("10.0.0.9") == 0


async def test_many_addresses_guessing_close_the_door_but_not_for_those_inside() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    async with running(backend(), throttle=throttle) as server, \
            participant(server) as inside:
        for n in range(GLOBAL_TRIES):
            throttle.wrong(f"10.0.{n // 200}.{n % 200}")
        async with session() as newcomer, newcomer.get(
                f"{server.join_address}/?code={server.code}", allow_redirects=False) as response:
            assert response.status == 429
        status, ack = await post_note(inside, server, "still here", "c1")
        assert (status, ack["status"]) == (200, "saved")


# ---------------------------------------------------------------- notes


async def test_a_note_is_stored_exactly_as_typed_and_anonymous_by_default() -> None:
    room = backend()
    async with running(room) as server, participant(server) as client:
        for n, text in enumerate(HOSTILE):
            status, ack = await post_note(client, server, text, f"c{n}", kind="question",
                                          lens="ethical", name="Anna")  # no consent
            assert status == 200 and ack["status"] == "saved", ack
        status, ack = await post_note(client, server, "  spaced\n  out  ", "named",
                                      name="Bram", consent=True)
        assert status == 200
    assert [n.text for n in room.notes] == [*HOSTILE, "  spaced\n  out  "]
    assert {n.name for n in room.notes[:-1]} == {None}
    assert room.notes[-1].name == "Bram"
    assert {(n.kind, n.lens) for n in room.notes[:-1]} == {("question", "ethical")}
    assert len({n.participant for n in room.notes}) == 1


async def test_the_same_client_id_twice_creates_one_note() -> None:
    room = backend()
    async with running(room) as server, participant(server) as one, participant(server) as two:
        _, first = await post_note(one, server, "once", "same-id")
        _, again = await post_note(one, server, "once", "same-id")
        _, other = await post_note(two, server, "once", "same-id")  # another phone
    assert first == {"status": "saved", "note_id": "n1", "first": None}
    assert again == {"status": "duplicate", "note_id": "n1", "first": first}
    assert other["status"] == "saved" and other["note_id"] == "n2"
    assert [n.text for n in room.notes] == ["once", "once"]


async def test_a_resend_after_a_dropped_connection_creates_no_duplicate() -> None:
    room = backend()
    async with running(room) as server, participant(server) as client:
        url = server.join_address + "/api/notes"
        body = {"client_id": "phone-1", "text": "mid-post", "kind": "", "lens": ""}
        # the phone drops off the wifi before it reads the answer
        with pytest.raises(asyncio.TimeoutError):
            await client.post(url, json=body, timeout=aiohttp.ClientTimeout(total=1e-6))
        await asyncio.sleep(0.2)
        status, ack = await post_note(client, server, "mid-post", "phone-1")
    assert status == 200 and ack["status"] in ("saved", "duplicate")
    assert [n.text for n in room.notes] == ["mid-post"]


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"text": "x" * 1001}, 400, "too_long"),
    ({"text": "   \n "}, 400, "empty"),
    ({"text": 5}, 400, "bad_input"),
    ({"client_id": "has space"}, 400, "bad_input"),
    ({"client_id": "x" * 65}, 400, "bad_input"),
    ({"kind": "outcome"}, 400, "bad_choice"),  # not a kind this round asks for
    ({"lens": "pretty"}, 400, "bad_choice"),
    ({"name": "n" * 81, "consent": True}, 400, "name_too_long"),
])
async def test_bad_notes_are_refused_with_a_message(body: dict, status: int,
                                                    error: str) -> None:
    room = backend()
    note = {"client_id": "c1", "text": "ok", "kind": "", "lens": ""} | body
    async with running(room) as server, participant(server) as client, \
            client.post(server.join_address + "/api/notes", json=note) as response:
        assert response.status == status
        answer = await response.json()
    assert answer["error"] == error and answer["message"]
    assert room.notes == []


async def test_size_caps() -> None:
    room = backend()
    async with running(room) as server, participant(server) as client:
        # 1,000 characters fit, even of emoji as a browser sends them (4 bytes each)
        body = json.dumps({"client_id": "max", "text": "🙂" * 1000, "kind": "", "lens": "",
                           "name": "🙂" * 80, "consent": True}, ensure_ascii=False)
        async with client.post(server.join_address + "/api/notes", data=body.encode(),
                               headers={"Content-Type": "application/json"}) as response:
            assert response.status == 200 and (await response.json())["status"] == "saved"
        async with client.post(server.join_address + "/api/notes",
                               data=b"{" + b" " * 9000 + b"}",
                               headers={"Content-Type": "application/json"}) as response:
            assert response.status == 413
            assert "too much at once" in (await response.json())["message"]

        async def chunks():  # no Content-Length: the cap holds while reading
            for _ in range(10):
                yield b" " * 1000 + b"\n"

        async with client.post(server.join_address + "/api/notes", data=chunks(),
                               headers={"Content-Type": "application/json"}) as response:
            assert response.status == 413
        async with client.post(server.join_address + "/api/notes", data=b"not json",
                               headers={"Content-Type": "application/json"}) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "bad_input"
    assert [len(n.text) for n in room.notes] == [1000]


async def test_queued_notes_wait_and_are_never_read_back() -> None:
    room = backend(moderated=True, voting_open=True)
    async with running(room) as server, participant(server) as client:
        status, ack = await post_note(client, server, "secret until approved", "c1")
        assert (status, ack["status"]) == (200, "queued")
        _, again = await post_note(client, server, "secret until approved", "c1")
        assert again["status"] == "duplicate" and again["first"]["status"] == "queued"
        for path in ("/api/state", "/api/projector"):
            async with client.get(server.join_address + path) as response:
                assert "secret until approved" not in await response.text()
        room.approve(ack["note_id"])
        async with client.get(server.join_address + "/api/projector") as response:
            assert [n["text"] for n in (await response.json())["notes"]] == [
                "secret until approved"]
        room.hide(ack["note_id"])  # room only
        async with client.get(server.join_address + "/api/state") as response:
            assert (await response.json())["notes"] == []


async def test_the_participant_sees_the_rooms_notes_only_while_voting() -> None:
    room = backend()
    await room.add_note("other", "c1", "shown in the room", "", "", None)
    async with running(room) as server, participant(server) as client:
        async with client.get(server.join_address + "/api/state") as response:
            state = await response.json()
        assert state["notes"] == [] and state["voting_open"] is False
        assert (state["round_title"], state["kinds"]) == ("Round 1", ["experience", "question"])
        async with client.get(f"{server.join_address}/api/state?since={state['revision']}") \
                as response:
            assert await response.json() == {"unchanged": True, "revision": state["revision"]}
        room.update(voting_open=True)
        async with client.get(f"{server.join_address}/api/state?since={state['revision']}") \
                as response:
            state = await response.json()
        assert [n["text"] for n in state["notes"]] == ["shown in the room"]


async def test_a_refusing_backend_gives_a_clear_message() -> None:
    class Closed(MemoryBackend):
        async def add_note(self, *args: object) -> object:
            raise RoomRefused("closed")

    async with running(Closed(lang="nl")) as server, participant(server) as client:
        status, answer = await post_note(client, server, "x", "c1")
    assert status == 409 and answer["message"] == "De zaal neemt nu geen notities aan."


async def test_a_failing_backend_is_a_500_with_a_message_not_a_crash() -> None:
    class Broken(MemoryBackend):
        async def add_note(self, *args: object) -> object:
            raise RuntimeError("disk on fire")

    async with running(Broken()) as server, participant(server) as client:
        status, answer = await post_note(client, server, "x", "c1")
        assert status == 500 and "kept on this phone" in answer["message"]
        async with client.get(server.join_address + "/api/state") as response:
            assert response.status == 200  # the server lives on


# ---------------------------------------------------------------- votes


async def vote(client: aiohttp.ClientSession, server, note_id: str, add: bool = True) -> dict:
    path = "/api/vote" if add else "/api/unvote"
    async with client.post(server.join_address + path, json={"note_id": note_id}) as response:
        assert response.status == 200
        return await response.json()


async def test_votes_and_their_limit() -> None:
    room = backend(dots=2)
    for n in range(3):
        await room.add_note("writer", f"c{n}", f"note {n}", "", "", None)
    room.notes[2].status = "queued"  # not shown: cannot be voted on
    async with running(room) as server, participant(server) as one, participant(server) as two:
        closed = await vote(one, server, "n1")
        assert (closed["ok"], closed["reason"]) == (False, "voting_closed")
        assert closed["message"] == "Voting is closed."
        room.update(voting_open=True)
        assert (await vote(one, server, "n1"))["dots_left"] == 1
        assert (await vote(one, server, "n1"))["dots_left"] == 0
        full = await vote(one, server, "n2")
        assert (full["ok"], full["reason"]) == (False, "no_dots_left")
        assert "no dots left" in full["message"]
        hidden = await vote(one, server, "n3")
        assert (hidden["ok"], hidden["reason"]) == (False, "unknown_note")
        none = await vote(two, server, "n2", add=False)
        assert (none["ok"], none["reason"]) == (False, "no_dot_here")
        back = await vote(one, server, "n1", add=False)
        assert (back["ok"], back["votes"], back["dots_left"]) == (True, 1, 1)
        assert (await vote(two, server, "n1"))["votes"] == 2
        async with one.get(server.join_address + "/api/state") as response:
            state = await response.json()
        assert (state["dots"], state["dots_left"], state["mine"]) == (2, 1, {"n1": 1})
    assert [n.votes for n in room.shown_notes()] == [2, 0]


# ---------------------------------------------------------------- language and escaping


async def test_the_pages_speak_the_sessions_language() -> None:
    room = backend(lang="nl")
    async with running(room, lang="nl") as server, session() as client:
        async with client.get(server.join_address + "/") as response:
            join = await response.text()
        assert '<html lang="nl">' in join and "Meedoen" in join
        async with client.get(f"{server.join_address}/?code={server.code}") as response:
            page = await response.text()
        assert '<html lang="nl">' in page
        for text in ("Notitie versturen", "goed doet", "goed voelt", "goed is",
                     "Toon mijn naam bij mijn notities"):
            assert text in page
        status, answer = await post_note(client, server, "x" * 1001, "c1")
        assert answer["message"].startswith("Een notitie heeft hoogstens 1000 tekens")
    room = backend(lang="en")
    async with running(room) as server, participant(server) as client:
        async with client.get(server.join_address + "/") as response:
            page = await response.text()
        for text in ("excellent — good quality", "ethical — does right by", "engaging — ",
                     "Show my name with my notes", 'role="status"', 'aria-live="polite"',
                     '<label for="note-text">'):
            assert text in page


async def test_session_text_never_reaches_the_html_only_the_json() -> None:
    room = backend(session_title=HOSTILE[0], round_title=HOSTILE[2], round_prompt=HOSTILE[3])
    async with running(room) as server, participant(server) as client:
        await post_note(client, server, HOSTILE[0], "c1")
        for path in ("/", "/room"):
            async with client.get(server.join_address + path) as response:
                html = await response.text()
            assert "alert(1)" not in html and "[@click" not in html
        async with client.get(server.join_address + "/api/projector") as response:
            assert response.content_type == "application/json"
            view = await response.json()
    assert (view["session_title"], view["round_title"], view["round_prompt"]) == (
        HOSTILE[0], HOSTILE[2], HOSTILE[3])
    assert view["notes"][0]["text"] == HOSTILE[0]


def test_the_data_block_cannot_be_closed_by_its_text() -> None:
    html = pages._page("en", "t", "", strings={"x": "</script><script>alert(1)</script>"})
    block = html.split('id="gw-strings">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block) == {"x": "</script><script>alert(1)</script>"}
    assert "<" not in block


def test_the_scripts_put_text_on_the_page_only_as_text() -> None:
    for script in (scripts.APP_JS, scripts.ROOM_JS):
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                      "eval(", "new Function"):
            assert risky not in script
        assert "textContent" in script


async def test_garbage_on_the_wire_is_refused_and_the_room_keeps_serving() -> None:
    async with running(backend()) as server, participant(server) as client:
        await garbage_and_a_bug(server.port)
        async with client.get(server.join_address + "/api/state") as response:
            assert response.status == 200


async def garbage_and_a_bug(port: int) -> None:
    for garbage in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" * 20,  # TLS hello
                    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    b"NONSENSE\r\n\r\n", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n"):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(garbage)
        await writer.drain()
        await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()


SILENT = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from room_helpers import participant, post_note, running
from test_room_server import garbage_and_a_bug
from goodwork_tui.room.memory_backend import MemoryBackend

class Broken(MemoryBackend):
    async def add_note(self, *args):
        raise RuntimeError("a bug")

async def main():
    async with running(Broken()) as server, participant(server) as client:
        status, _ = await post_note(client, server, "x", "c1")
        assert status == 500
        await garbage_and_a_bug(server.port)

asyncio.run(main())
"""


def test_errors_never_print_to_the_terminal() -> None:
    """Inside the TUI a line on stderr garbles the screen: a bug and garbage stay quiet."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run([sys.executable, "-c", SILENT, str(Path(__file__).parent)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_participant_ids_last_with_a_key_kept_beside_the_settings(tmp_path) -> None:
    """The key that signs participant ids is derived per session from a secret in the
    settings folder (owner-only, never in the session file): a new room for the same
    session accepts the ids the last one handed out; another session's room does not."""
    import os
    import stat

    from goodwork_tui.room.security import KEY_FILE, Participants, lasting_key

    folder = tmp_path / "settings"
    key = lasting_key(folder, "2026-12-03-day.json")
    assert key is not None and lasting_key(folder, "2026-12-03-day.json") == key
    assert stat.S_IMODE(os.stat(folder / KEY_FILE).st_mode) == 0o600
    cookie = Participants(key).new()
    assert Participants(lasting_key(folder, "2026-12-03-day.json")).check(cookie)
    assert Participants(lasting_key(folder, "another.json")).check(cookie) is None
    assert Participants().check(cookie) is None
    (folder / KEY_FILE).write_text("not a key")  # damaged: a new secret, no crash
    assert lasting_key(folder, "2026-12-03-day.json") not in (None, key)
    blocked = tmp_path / "a file"
    blocked.write_text("")
    assert lasting_key(blocked / "settings", "x.json") is None  # none kept: a room's own
