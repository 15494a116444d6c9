"""`goodwork sessions list` and `goodwork sessions show`, run as a user would: a new process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from child_process import child_env, without_textual

from goodwork_tui.core.session_store import SessionStore
from goodwork_tui.core.text import displayable

FORMAT = {
    "id": "dialogue",
    "title": "Group dialogue",
    "rounds": [{"title": "Opening"}, {"title": "Stories"}, {"title": "Harvest"}],
}
HOSTILE = [
    "\x1b[31mred",
    "\x1b]0;new window title\x07",
    "\x1b[2J cleared?",
    "[@click=app.quit]x[/]",
    "[b]bold?[/b] a[/b] c",
    "\u202eevil",
    "nul\x00bell\x07del\x7f csi\x9b",
    "# not a heading",
]
RAW_CONTROLS = [b"\x1b", b"\x07", b"\x00", b"\x7f", b"\xc2\x9b", "\u202e".encode()]


def goodwork(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          cwd=cwd, env=child_env(), timeout=60)


def out(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8")


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8")


@pytest.fixture
def workspace(workspace_dir: Path) -> Path:
    """Two sessions (one archived), one corrupt file, hostile text everywhere."""
    sessions = workspace_dir / "sessions"
    with SessionStore.create(
        sessions, title="Team day [b]\x1b[31m", on=date(2024, 5, 1), group="North\x1b[2J",
        facilitator="Mira", format=FORMAT,
        participants=[{"name": "Anouk [b]", "consent": True},
                      {"name": "Bram\x1b]0;x\x07", "consent": False}],
    ) as store:
        store.add_note("We asked the partners first\nand then we waited", round=0,
                       kind="experience", lens="excellent", speaker="Anouk [b]")
        for text in HOSTILE:
            store.add_note(text, round=1, kind="insight", lens="ethical")
        store.add_note("Only for this room", round=1, kind="value-norm", room_only=True)
        store.add_note("A note in a skipped round", round=2, kind="question")
        store.set_round_order([1, 0])  # stories first; harvest skipped
    with SessionStore.create(sessions, title="Old day", on=date(2024, 6, 1)) as old:
        old.add_note("an old note", round=-1)
        old.update_meta(archived=True)
    (sessions / "2024-04-01-broken.json").write_bytes(b'{"session": {"1": {"schema": 1,')
    return workspace_dir


def no_raw_controls(data: bytes) -> None:
    for raw in RAW_CONTROLS:
        assert raw not in data, raw


# ---------------------------------------------------------------- list


def test_list_prints_one_line_per_session_and_a_summary(workspace: Path, tmp_path: Path) -> None:
    result = goodwork("sessions", "list", "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert err(result) == ""
    no_raw_controls(result.stdout)
    lines = out(result).splitlines()
    assert len(lines) == 4
    old, team, broken, summary = lines  # newest date first, broken files last
    assert old.startswith("2024-06-01-old-day ")
    assert "2024-06-01" in old and "Old day" in old
    assert "1 note, 0 rounds" in old and old.endswith("[archived]")
    assert team.startswith("2024-05-01-team-day-b-31m ")
    assert "Team day [b]␛[31m" in team
    assert "11 notes, 2 rounds" in team and "[archived]" not in team
    assert broken.startswith("2024-04-01-broken ")
    assert "BROKEN: not a readable session file" in broken
    assert "2024-04-01-broken.json" in broken
    assert summary.startswith("2 sessions (1 archived), 1 broken file in ")


def test_list_accepts_the_workspace_before_the_command(workspace: Path, tmp_path: Path) -> None:
    result = goodwork("--workspace", str(workspace), "sessions", "list", cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert out(result).splitlines()[-1].startswith("2 sessions (1 archived), 1 broken file")


def test_list_of_an_empty_workspace(workspace_dir: Path, tmp_path: Path) -> None:
    result = goodwork("sessions", "list", "--workspace", str(workspace_dir), cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert out(result).startswith("0 sessions (0 archived), 0 broken files in ")


def test_list_reports_every_kind_of_broken_file(workspace_dir: Path, tmp_path: Path) -> None:
    sessions = workspace_dir / "sessions"
    broken = {
        "2024-01-01-empty": b"",
        "2024-01-02-list": b"[1, 2]",
        "2024-01-03-number": b'{"session": 3}',
        "2024-01-04-no-record": b'{"session": {}}',
        "2024-01-05-bytes": bytes(range(256)),
        "2024-01-06-future": json.dumps({"session": {"1": {"schema": 99}}}).encode(),
        "2024-01-07-\x1b[31mescape": b"{",
    }
    for stem, data in broken.items():
        (sessions / f"{stem}.json").write_bytes(data)
    result = goodwork("sessions", "list", "--workspace", str(workspace_dir), cwd=tmp_path)
    assert result.returncode == 0, err(result)
    no_raw_controls(result.stdout)
    lines = out(result).splitlines()
    assert len(lines) == len(broken) + 1
    assert all(" BROKEN: " in line for line in lines[:-1])
    assert any("2024-01-06-future" in line and "newer version" in line for line in lines)
    assert any("2024-01-07-␛[31mescape" in line for line in lines)
    assert lines[-1].startswith("0 sessions (0 archived), 7 broken files")


# ---------------------------------------------------------------- show


def test_show_latest_prints_the_whole_session(workspace: Path, tmp_path: Path) -> None:
    result = goodwork("sessions", "show", "latest", "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert err(result) == ""
    no_raw_controls(result.stdout)
    text = out(result)
    lines = text.splitlines()
    # the archived session is newer, but 'latest' is the newest one still in use
    assert "Session:      2024-05-01-team-day-b-31m" in lines
    assert "Title:        Team day [b]␛[31m" in lines
    assert "Date:         2024-05-01" in lines
    assert "Group:        North␛[2J" in lines
    assert "Facilitator:  Mira" in lines
    assert "Format:       Group dialogue" in lines
    assert "  - Anouk [b] (consent: yes)" in lines
    assert "  - Bram␛]0;x␇ (consent: no)" in lines
    # rounds in the session's order: Stories, then Opening (current); Harvest was skipped
    stories = lines.index("Round 1 of 2: Stories")
    opening = lines.index("Round 2 of 2: Opening  (current)")
    outside = lines.index("Notes outside the session's rounds:")
    assert stories < opening < outside
    assert lines[opening + 1:opening + 4] == [
        "  1. We asked the partners first",
        "     and then we waited",
        "     (kind: experience · lens: excellent · speaker: Anouk [b])",
    ]
    story_block = "\n".join(lines[stories:opening])
    for text_typed in HOSTILE:
        assert displayable(text_typed) in story_block
    assert "[@click=app.quit]x[/]" in story_block  # printed as typed, not interpreted
    assert "␛[31mred" in story_block
    assert "\ufffdevil" in story_block
    assert "  9. Only for this room" in lines
    assert lines[lines.index("  9. Only for this room") + 1] == (
        "     (kind: value-norm · room only)")
    assert lines[outside + 1:outside + 3] == [
        "  1. A note in a skipped round",
        "     (kind: question · round: Harvest)",
    ]
    assert lines[-1] == "11 notes, 2 rounds"


def test_show_by_id_and_by_path_match_latest(workspace: Path, tmp_path: Path) -> None:
    stem = "2024-05-01-team-day-b-31m"
    latest = goodwork("sessions", "show", "latest", "--workspace", str(workspace), cwd=tmp_path)
    by_id = goodwork("sessions", "show", stem, "--workspace", str(workspace), cwd=tmp_path)
    path = workspace / "sessions" / f"{stem}.json"
    by_path = goodwork("sessions", "show", str(path), "--workspace", str(workspace), cwd=tmp_path)
    assert latest.returncode == by_id.returncode == by_path.returncode == 0
    assert latest.stdout == by_id.stdout == by_path.stdout


def test_show_an_archived_session_without_rounds(workspace: Path, tmp_path: Path) -> None:
    result = goodwork("sessions", "show", "2024-06-01-old-day", "--workspace", str(workspace),
                      cwd=tmp_path)
    assert result.returncode == 0, err(result)
    lines = out(result).splitlines()
    assert "Status:       archived" in lines
    assert "Participants: (none)" in lines
    assert lines[lines.index("Notes:") + 1] == "  1. an old note"
    assert lines[-1] == "1 note, 0 rounds"


def test_show_does_not_lock_or_change_the_session(workspace: Path, tmp_path: Path) -> None:
    path = workspace / "sessions" / "2024-05-01-team-day-b-31m.json"
    before = path.read_bytes()
    with SessionStore.open(path) as writer:  # the app has it open: show still works
        assert not writer.read_only
        result = goodwork("sessions", "show", "latest", "--workspace", str(workspace),
                          cwd=tmp_path)
        assert result.returncode == 0, err(result)
    assert path.read_bytes() == before


@pytest.mark.parametrize("ref", ["nope", "../sessions/2024-05-01-team-day-b-31m",
                                 "2024-05-01-team-day-b-31m.json", "missing.json"])
def test_show_an_unknown_session(workspace: Path, tmp_path: Path, ref: str) -> None:
    result = goodwork("sessions", "show", ref, "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert f"goodwork: no session '{ref}' in " in err(result)
    assert "Traceback" not in err(result)


def test_show_latest_without_sessions(workspace_dir: Path, tmp_path: Path) -> None:
    result = goodwork("sessions", "show", "latest", "--workspace", str(workspace_dir),
                      cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert "goodwork: no session to show in " in err(result)


@pytest.mark.parametrize("data", [
    b'{"session": {"1": {"schema": 1,',
    b"\x1b[31m\x00 not json",
    b"[]",
    b'{"session": {"1": {"schema": 99, "title": "from the future"}}}',
    b'{"session": {"1": {"schema": 1, "format": {"rounds": [3]}, "round_order": [0]}}}',
    b'{"session": {"1": {"schema": 1, "participants": ["x"]}}}',
], ids=["truncated", "escape bytes", "list", "future", "bad round", "bad participant"])
def test_show_a_corrupt_session(workspace: Path, tmp_path: Path, data: bytes) -> None:
    path = workspace / "sessions" / "2024-04-01-broken.json"
    path.write_bytes(data)
    for ref in ("2024-04-01-broken", str(path)):
        result = goodwork("sessions", "show", ref, "--workspace", str(workspace), cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout == b""
        message = err(result)
        assert message.startswith(f"goodwork: {path}: ")
        assert "Traceback" not in message
        no_raw_controls(result.stderr)
    assert path.read_bytes() == data


def test_a_missing_workspace(tmp_path: Path) -> None:
    result = goodwork("sessions", "list", "--workspace", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in err(result)


# ---------------------------------------------------------------- no Textual


def test_the_block_really_blocks_textual(tmp_path: Path) -> None:
    result = without_textual("--import-textual", cwd=tmp_path)
    assert result.returncode != 0
    assert "blocked: textual" in err(result)


@pytest.mark.parametrize("command", [["list"], ["show", "latest"]])
def test_sessions_commands_work_without_textual(workspace: Path, tmp_path: Path,
                                                command: list[str]) -> None:
    result = without_textual("sessions", *command, "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert "Team day [b]␛[31m" in out(result)
