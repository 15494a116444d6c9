"""The room in the running app (issue 17): "Open the room" starts the server on the app's
loop, phones post notes and dots with an HTTP client, and the notes arrive in the
session FILE and in the session pane; moderation keeps them in a queue until the
facilitator approves, edits, keeps them in the room or discards them; "Close the room"
(and closing the session) stops the server.
"""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest
from room_helpers import HOSTILE, participant, post_note
from test_ui_session import pick
from textual.widgets import OptionList
from ui_helpers import (
    WIDE,
    NotifySpy,
    make_app,
    meta_of,
    notes_of,
    palette_run,
    ready,
    wait_until,
)

from goodwork_tui.core.harvest import export
from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.ui.screens.room_join import RoomJoinScreen
from goodwork_tui.ui.widgets.room_queue import QueueList

FORMAT = {"id": "f", "title": "Two rounds",
          "rounds": [{"title": "Tell", "prompt": "What happened?", "minutes": 5,
                      "kinds": ["experience", "question"]},
                     {"title": "Harvest", "minutes": 5}]}


def make_session(sessions: Path, **meta: object) -> Path:
    with SessionStore.create(sessions, title="Room day", format=FORMAT) as store:
        if meta:
            store.update_meta(**meta)
        return store.path


async def open_session(app, pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    await ready(app, pilot)
    await pilot.press("ctrl+o")
    await pick(app, pilot, lambda prompt: "Room day" in prompt)
    await wait_until(pilot, lambda: app.sessions.store is not None, "the session to open")
    assert app.sessions.store.path == path


async def open_room(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.room.host, app.room.port = "127.0.0.1", 0  # loopback and a free port in tests
    await palette_run(app, pilot, "Open the room")
    await wait_until(pilot, lambda: isinstance(app.screen, RoomJoinScreen), "the join screen")


async def joined(app, pilot, path: Path, phone):  # type: ignore[no-untyped-def]
    """Open the session and the room; the phone joins with the code. The room's server."""
    await open_session(app, pilot, path)
    await open_room(app, pilot)
    server = app.room.server
    async with phone.get(f"{server.join_address}/?code={server.code}",
                         allow_redirects=False) as response:
        assert response.status == 303
    return server


def pane_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    notes = app.main.query_one("#notes", OptionList)
    return [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]


def queue_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    queue = app.main.query_one(QueueList)
    return [str(queue.get_option_at_index(i).prompt) for i in range(queue.option_count)]


async def test_notes_from_phones_reach_the_file_and_the_pane(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_room(app, pilot)
        server = app.room.server
        screen = app.screen
        assert server.code in str(screen.query_one("#room-join-code").render())
        assert server.join_address in str(screen.query_one("#room-join-address").render())
        qr = screen.query_one("#room-join-qr").render()
        assert "█" in str(qr)
        await pilot.press("escape")  # back to the session; the room stays open
        assert app.screen is app.main and app.room.running
        async with participant(server) as phone:
            status, ack = await post_note(phone, server, "Everyone was heard", "c1",
                                          kind="experience", lens="ethical")
            assert status == 200 and ack["status"] == "saved", ack
            for text in HOSTILE:
                status, _ = await post_note(phone, server, text, f"h{len(text)}")
                assert status == 200
            # a resend after a dropped wifi: the same answer, no second note
            status, again = await post_note(phone, server, "Everyone was heard", "c1")
            assert again["status"] == "duplicate" and again["note_id"] == ack["note_id"]
        on_disk = notes_of(path)
        texts = [n["text"] for n in on_disk]
        assert texts == ["Everyone was heard", *HOSTILE]  # stored exactly as typed
        first = on_disk[0]
        assert first["id"] == ack["note_id"] and first["kind"] == "experience"
        assert first["lens"] == "ethical" and first["from_room"] and not first["room_only"]
        await pilot.pause()
        assert any("Everyone was heard" in t for t in pane_texts(app))
        assert any("[@click=app.quit]x[/]" in t for t in pane_texts(app))


async def test_a_participants_name_is_kept_only_with_consent(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_room(app, pilot)
        server = app.room.server
        async with participant(server) as phone:
            await post_note(phone, server, "named", "n1", name="Anna", consent=True)
            await post_note(phone, server, "not named", "n2", name="Bert", consent=False)
        named, anonymous = notes_of(path)
        assert named["room_name"] == "Anna" and "room_name" not in anonymous
        state = await app.room.backend.state()
        assert [(n.text, n.name) for n in state.notes] == [("named", "Anna"),
                                                            ("not named", None)]
        # the export names only the session's consenting participants: never a phone's
        assert "Anna" not in export(app.sessions.meta, app.sessions.store.notes(), fmt="md",
                                    names=True)


async def test_moderation_queues_notes_until_approved_edited_kept_or_discarded(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await palette_run(app, pilot, "Room: approve notes first (on/off)")
        assert app.sessions.meta["room_moderation"] is True
        await open_room(app, pilot)
        await pilot.press("escape")
        server = app.room.server
        async with participant(server) as phone:
            for index, text in enumerate(("keep me", "fix me", "room only", "bin me")):
                status, ack = await post_note(phone, server, text, f"q{index}")
                assert status == 200 and ack["status"] == "queued", ack
            await pilot.pause()
            # durable, but nowhere to be seen: not in the pane, the room, the export
            assert all(n["queued"] and n["room_only"] for n in notes_of(path))
            assert not any("keep me" in t for t in pane_texts(app))
            assert (await app.room.backend.state()).notes == ()
            assert (await app.room.backend.projector())["notes"] == []
            assert "keep me" not in export(app.sessions.meta, app.sessions.store.notes(),
                                           fmt="md")
            assert len(queue_texts(app)) == 4
            queue = app.main.query_one(QueueList)
            queue.focus()
            await pilot.pause()
            await pilot.press("a")  # approve "keep me"
            await wait_until(pilot, lambda: len(queue_texts(app)) == 3, "the approval")
            await pilot.press("e")  # edit "fix me"
            edit = app.main.query_one("#room-queue-edit")
            await wait_until(pilot, lambda: app.focused is edit, "the edit box")
            edit.value = "fixed"
            await pilot.press("enter")
            await wait_until(pilot, lambda: len(queue_texts(app)) == 2, "the edit")
            await palette_run(app, pilot, "Room queue: room only")
            await wait_until(pilot, lambda: len(queue_texts(app)) == 1, "room only")
            app.main.query_one(QueueList).focus()
            await pilot.press("d")
            await wait_until(pilot, lambda: not queue_texts(app), "the discard")
        by_text = {n["text"]: n for n in notes_of(path)}
        assert set(by_text) == {"keep me", "fixed", "room only"}
        assert not by_text["keep me"]["queued"] and not by_text["keep me"]["room_only"]
        assert not by_text["fixed"]["queued"] and not by_text["fixed"]["room_only"]
        assert not by_text["room only"]["queued"] and by_text["room only"]["room_only"]
        shown = [n.text for n in (await app.room.backend.state()).notes]
        assert shown == ["keep me", "fixed"]
        # the projector shows what the room view shows: the starred, not the room-only
        for note_id in (by_text["fixed"]["id"], by_text["room only"]["id"]):
            app.sessions.write(app.sessions.store.star_note, note_id, True,
                               published="harvest")
        view = await app.room.backend.projector()
        assert [n["text"] for n in view["notes"]] == ["fixed"]
        assert view["parts"] == [] and view["round_title"] == "Tell"
        situation = app.library.situation(app.library.situations[0].id)
        app.open_situation(situation.id)  # the room sees its story first, nothing more
        view = await app.room.backend.projector()
        assert view["situation_title"] == situation.title
        assert [p["heading"] for p in view["parts"]] == [situation.title]
        assert any("fixed" in t for t in pane_texts(app))


async def test_dots_are_stored_as_note_votes_and_limited_per_participant(workspace_dir):
    path = make_session(workspace_dir / "sessions", room_dots=2)
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_room(app, pilot)
        server = app.room.server
        base = server.join_address
        async with participant(server) as phone:
            _, ack = await post_note(phone, server, "vote for me", "v1")
            note_id = ack["note_id"]
            async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as response:
                assert (await response.json())["reason"] == "voting_closed"
            await palette_run(app, pilot, "Room: dot voting (on/off)")
            for _ in range(2):
                async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as r:
                    assert (await r.json())["ok"] is True
            async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as response:
                body = await response.json()
                assert body["ok"] is False and body["reason"] == "no_dots_left"
            assert notes_of(path)[0]["votes"] == 2
            async with phone.post(f"{base}/api/unvote", json={"note_id": note_id}) as r:
                assert (await r.json())["dots_left"] == 1
            assert notes_of(path)[0]["votes"] == 1


async def test_close_the_room_stops_the_server_and_so_does_closing_the_session(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_room(app, pilot)
        address = app.room.server.join_address
        await palette_run(app, pilot, "Close the room")
        await wait_until(pilot, lambda: not app.room.running, "the room to close")
        with pytest.raises(aiohttp.ClientConnectionError):
            async with aiohttp.ClientSession() as client, client.get(address):
                pass
        await open_room(app, pilot)
        address = app.room.server.join_address
        await pilot.press("escape")
        await palette_run(app, pilot, "Close session")
        await wait_until(pilot, lambda: not app.room.running, "the room to close with it")
        await app.workers.wait_for_complete()
        with pytest.raises(aiohttp.ClientConnectionError):
            async with aiohttp.ClientSession() as client, client.get(address):
                pass
        await open_session(app, pilot, path)
        await open_room(app, pilot)  # and quit with the room open
        address = app.room.server.join_address
        async with aiohttp.ClientSession() as client, client.get(address) as response:
            assert response.status == 401  # listening: the code page
        await pilot.press("ctrl+q")
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as client, client.get(address):
            pass


async def test_a_port_in_use_is_a_clear_message_not_a_crash(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with app.run_test(size=WIDE) as pilot:
            await open_session(app, pilot, path)
            spy = NotifySpy(app)
            app.notify = spy  # type: ignore[method-assign]
            app.room.host, app.room.port = "127.0.0.1", port
            await palette_run(app, pilot, "Open the room")
            await wait_until(pilot, lambda: spy.messages, "a message")
            assert not app.room.running and app.screen is app.main
            assert f"port {port} is in use" in spy.messages[-1]


async def test_the_facilitator_sets_the_dots_per_participant(workspace_dir):
    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        spy = NotifySpy(app)
        app.notify = spy  # type: ignore[method-assign]
        await palette_run(app, pilot, "Room: dots per participant")
        field = app.screen.query_one("#field-0")
        await wait_until(pilot, lambda: app.focused is field, "the dots field")
        assert field.value == "3"
        field.value = "many"
        await pilot.press("enter")  # not a number: said, nothing changed
        await wait_until(pilot, lambda: spy.messages, "the message")
        assert "1 to 20" in spy.messages[-1]
        assert "room_dots" not in meta_of(path)
        await palette_run(app, pilot, "Room: dots per participant")
        field = app.screen.query_one("#field-0")
        await wait_until(pilot, lambda: app.focused is field, "the dots field")
        field.value = "5"
        await pilot.press("enter")
        await wait_until(pilot, lambda: meta_of(path).get("room_dots") == 5, "the dots saved")
        assert (await app.room.backend.round()).dots == 5


async def test_room_notes_are_written_once_per_tick_and_a_closed_session_takes_none(
        workspace_dir):
    """Under load the room's notes are gathered and written in ONE write per tick (each
    phone answered only once its note is on disk); notes still waiting when the session
    closes are refused (the phone may resend), never written into the next session."""
    import asyncio

    from goodwork_tui.room.backend import RoomRefused

    path = make_session(workspace_dir / "sessions")
    app = make_app(workspace_dir)
    async with app.run_test(size=WIDE) as pilot:
        await open_session(app, pilot, path)
        await open_room(app, pilot)
        await pilot.press("escape")
        backend = app.room.backend
        backend.flush_every = 0.3
        storage = app.sessions.store.db.storage
        writes: list[int] = []
        write = storage.write
        storage.write = lambda data: (writes.append(1), write(data))[1]
        first = await backend.add_note("p1", "c0", "alone: written at once", "", "", None)
        assert first.status == "saved" and len(writes) == 1

        async def post(number: int) -> object:
            return await backend.add_note("p1", f"c{number}", f"note {number}", "", "", None)
        acks = await asyncio.gather(*(post(n) for n in range(1, 6)))
        assert len(writes) == 2  # five notes, one write
        on_disk = {n["id"]: n["text"] for n in notes_of(path)}
        assert all(on_disk.get(ack.note_id) == f"note {n}"  # type: ignore[attr-defined]
                   for n, ack in enumerate(acks, 1))

        backend.flush_every = 60  # the next batch waits: the session closes first
        waiting = [asyncio.ensure_future(post(n)) for n in range(6, 9)]
        await pilot.pause()
        assert not any(task.done() for task in waiting)
        await palette_run(app, pilot, "Close session")
        await wait_until(pilot, lambda: all(task.done() for task in waiting), "the refusals")
        for task in waiting:
            with pytest.raises(RoomRefused):
                task.result()
        assert [n["text"] for n in notes_of(path)] == [
            "alone: written at once", *(f"note {n}" for n in range(1, 6))]
        other = make_session(workspace_dir / "sessions", title="Next day")
        app.sessions.open_file(other)
        await pilot.pause()
        await asyncio.sleep(0)
        assert notes_of(other) == []


async def test_dots_and_resends_survive_a_restart_of_the_app(workspace_dir):
    """A phone's dots used and the notes it sent are in the session file: after the app
    is restarted (and the room opened again, with a new code) the same phone is the same
    participant, a resent note is a duplicate and no dot goes beyond the limit."""
    from room_helpers import session

    path = make_session(workspace_dir / "sessions", room_dots=2, room_voting=True)
    async with session() as phone:  # one phone, its cookies kept across the restart
        app = make_app(workspace_dir)
        async with app.run_test(size=WIDE) as pilot:
            server = await joined(app, pilot, path, phone)
            base = server.join_address
            _, ack = await post_note(phone, server, "dots on me", "c1")
            note_id = ack["note_id"]
            for _ in range(2):
                async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as r:
                    assert (await r.json())["ok"] is True
            async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as r:
                assert (await r.json())["reason"] == "no_dots_left"
        (note,) = notes_of(path)
        assert note["votes"] == 2 and list(note["room_dots"].values()) == [2]
        assert note["room_client"] == "c1"

        app = make_app(workspace_dir)  # the restart: a new app on the same workspace
        async with app.run_test(size=WIDE) as pilot:
            server = await joined(app, pilot, path, phone)
            base = server.join_address
            # the answer to the first post was lost: the page resends it
            status, again = await post_note(phone, server, "dots on me", "c1")
            assert status == 200 and again["status"] == "duplicate"
            assert again["note_id"] == note_id
            async with phone.get(f"{base}/api/state") as r:
                state = await r.json()
            assert state["mine"] == {note_id: 2} and state["dots_left"] == 0
            async with phone.post(f"{base}/api/vote", json={"note_id": note_id}) as r:
                assert (await r.json())["reason"] == "no_dots_left"
            async with phone.post(f"{base}/api/unvote", json={"note_id": note_id}) as r:
                body = await r.json()
                assert body["ok"] is True and body["dots_left"] == 1
            # a new note from the same phone is a new note
            _, other = await post_note(phone, server, "after the restart", "c2")
            assert other["status"] == "saved"
        notes = notes_of(path)
        assert [n["text"] for n in notes] == ["dots on me", "after the restart"]
        assert notes[0]["votes"] == 1 and list(notes[0]["room_dots"].values()) == [1]
