"""The join code, the LAN address, the QR code, and the room package without Textual."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import textwrap

from goodwork_tui.room.network import (
    CODE_ALPHABET,
    CODE_LENGTH,
    lan_address,
    new_join_code,
    normalise_code,
    qr_text,
)


def test_join_codes_are_short_unambiguous_and_different() -> None:
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) > 195
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set("01ILO") & set(CODE_ALPHABET)


def test_a_typed_code_is_normalised() -> None:
    assert normalise_code(" ab3-k7 m\t") == "AB3K7M"
    assert len(normalise_code("x" * 500)) == 32


def test_the_lan_address_is_an_ipv4_address() -> None:
    ip = ipaddress.ip_address(lan_address())
    assert ip.version == 4 and not ip.is_unspecified


def test_the_qr_code_is_square_half_blocks_with_a_quiet_zone() -> None:
    url = "http://192.168.100.200:8765/?code=ABCDEF"
    lines = qr_text(url).splitlines()
    width = len(lines[0])
    assert all(len(line) == width for line in lines)
    assert set("".join(lines)) <= set("█▀▄ ")
    assert len(lines) == (width + 1) // 2  # two module rows per line
    assert lines[0] == lines[1] == "█" * width  # the quiet zone is light, drawn as blocks
    assert all(line[:4] == "████" for line in lines[:2])
    assert 29 <= width <= 45  # fits 80 columns and is big on a projector


def test_the_qr_code_holds_the_url() -> None:
    import segno

    url = "http://10.0.0.5:8765/?code=XYZ234"
    expected = segno.make(url, error="m", boost_error=False)
    rows = [[not dark for dark in row] for row in expected.matrix_iter(scale=1, border=4)]
    rows.append([True] * len(rows[0]))
    drawn = qr_text(url).splitlines()
    for index, line in enumerate(drawn):
        for column, char in enumerate(line):
            top, bottom = rows[2 * index][column], rows[2 * index + 1][column]
            assert char == {(True, True): "█", (True, False): "▀",
                            (False, True): "▄", (False, False): " "}[(top, bottom)]


def test_the_room_imports_without_textual() -> None:
    code = textwrap.dedent("""
        import importlib.abc, sys

        class BlockTextual(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "textual" or name.startswith("textual."):
                    raise ImportError(name)

        sys.meta_path.insert(0, BlockTextual())
        import goodwork_tui.room.server, goodwork_tui.room.memory_backend
        import goodwork_tui.room.demo
        print(sorted(m for m in sys.modules if m.startswith("textual")))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


async def test_the_demo_room_serves_its_pages() -> None:
    import aiohttp

    from goodwork_tui.room.demo import demo_backend
    from goodwork_tui.room.server import RoomServer

    server = RoomServer(demo_backend("nl", moderated=True, voting=True), "127.0.0.1", 0, "nl")
    await server.start()
    try:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as client:
            async with client.get(f"{server.join_address}/room?code={server.code}") as page:
                assert page.status == 200 and '<html lang="nl">' in await page.text()
            async with client.get(server.join_address + "/api/projector") as response:
                view = await response.json()
    finally:
        await server.stop()
    assert view["parts"][0]["heading"] == "Situatie" and view["timer_seconds"] == 720
