"""A small, bounded load on loopback: nothing acknowledged is lost, nothing is doubled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from room_load import run_load  # noqa: E402

from goodwork_tui.room.memory_backend import MemoryBackend  # noqa: E402


@pytest.mark.parametrize("moderated", [False, True])
async def test_many_participants_at_once_lose_nothing(moderated: bool) -> None:
    backend = MemoryBackend(round_title="Load", kinds=("experience",), moderated=moderated)
    result = await run_load(12, 8, time_limit=60, backend=backend)
    assert len(result.acked) == 12 * 8
    assert result.lost == [] and result.doubled == []
    assert len(backend.notes) == 12 * 8
    assert result.statuses == {"queued" if moderated else "saved": 12 * 8}
    assert len({n.participant for n in backend.notes}) == 12  # one id per phone
    assert len(result.latencies) == 12 * 8


async def test_resending_at_once_creates_no_duplicates() -> None:
    backend = MemoryBackend(round_title="Load", kinds=("experience",))
    result = await run_load(6, 5, time_limit=60, backend=backend, send_twice=True)
    assert len(backend.notes) == 6 * 5  # each note posted three times, stored once
    assert result.lost == [] and result.doubled == []
    assert sorted(n.client_id for n in backend.notes) == sorted(k[1] for k in result.acked)
