"""`goodwork sync` with real git: a bare repository in a temp folder is the shared one, and
two or three workspaces cloned from it are colleagues."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from child_process import child_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the system git")

STARTER = Path(__file__).resolve().parent.parent / "library"
SITUATION = "library/toezicht/toezicht-advies-nl.md"


def goodwork(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          text=True, cwd=cwd, env=env or child_env(), timeout=timeout)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


def make_workspace(root: Path) -> Path:
    shutil.copytree(STARTER, root / "library")
    (root / "sessions").mkdir()
    return root


def session_file(root: Path, name: str, *, reflection: bool = False) -> Path:
    fmt = {"id": "reflection", "reflection": True} if reflection else {"id": "groepsdialoog-nl"}
    doc = {"_default": {"1": {"type": "meta", "title": name, "format": fmt}}}
    path = root / "sessions" / f"{name}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The shared repository and two colleagues' workspaces: Anna set it up, Bram cloned."""
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    anna = make_workspace(tmp_path / "anna")
    session_file(anna, "2026-11-01-team-oost")
    done = goodwork("--workspace", str(anna), "sync", "--init", str(remote))
    assert done.returncode == 0, done.stderr
    assert "now shared" in done.stdout
    bram = tmp_path / "bram"
    done = goodwork("sync", "--clone", str(remote), str(bram))
    assert done.returncode == 0, done.stderr
    return remote, anna, bram


def test_init_shares_the_library_but_not_the_raw_sessions(shared) -> None:
    remote, anna, bram = shared
    tracked = git(anna, "ls-files").split()
    assert SITUATION in tracked
    assert "goodwork.toml" in tracked and ".gitignore" in tracked
    assert not [p for p in tracked if p.startswith("sessions/") and p.endswith(".json")]
    # the colleague's clone has the library and the settings, ready to open
    assert (bram / SITUATION).read_bytes() == (anna / SITUATION).read_bytes()
    assert (bram / "sessions").is_dir()
    assert not list((bram / "sessions").glob("*.json"))
    assert "share_sessions = false" in (anna / "goodwork.toml").read_text()
    assert "/sessions/*.json" in (anna / ".gitignore").read_text()


def test_edits_of_different_situations_reach_both(shared) -> None:
    _, anna, bram = shared
    (anna / SITUATION).write_text((anna / SITUATION).read_text() + "\nAnna's line\n")
    other = "library/grenswerk/grenswerk-lauw-onthaal-nl.md"
    (bram / other).write_text((bram / other).read_text() + "\nBram's line\n")
    harvest = bram / "sessions" / "harvests" / "oogst.md"
    harvest.parent.mkdir()
    harvest.write_text("# Harvest\n")
    first = goodwork("--workspace", str(anna), "sync")
    assert first.returncode == 0, first.stderr
    assert "Shared 1 library file." in first.stdout
    second = goodwork("--workspace", str(bram), "sync")
    assert second.returncode == 0, second.stderr
    assert "1 harvest" in second.stdout and "from colleagues" in second.stdout
    assert goodwork("--workspace", str(anna), "sync").returncode == 0
    for ws in (anna, bram):
        assert "Anna's line" in (ws / SITUATION).read_text()
        assert "Bram's line" in (ws / other).read_text()
        assert (ws / "sessions" / "harvests" / "oogst.md").exists()
        assert not list(ws.rglob("*.conflict*"))
    again = goodwork("--workspace", str(anna), "sync")
    assert "Up to date" in again.stdout


def test_the_same_situation_edited_twice_keeps_both_versions(shared) -> None:
    _, anna, bram = shared
    original = (anna / SITUATION).read_text()
    (anna / SITUATION).write_text(original.replace("## Situatie", "## Situatie\n\nAnna was here."))
    (bram / SITUATION).write_text(original.replace("## Situatie", "## Situatie\n\nBram was here."))
    assert goodwork("--workspace", str(anna), "sync").returncode == 0
    done = goodwork("--workspace", str(bram), "sync")
    assert done.returncode == 0, done.stderr
    assert "changed on both sides" in done.stdout
    copy = bram / "library/toezicht/toezicht-advies-nl.conflict.md"
    assert "Bram was here." in (bram / SITUATION).read_text()  # ours stays in place
    assert "Anna was here." in copy.read_text()  # theirs beside it
    # never half merged: no conflict markers, no merge in progress, a clean tree
    assert "<<<<<<<" not in (bram / SITUATION).read_text()
    assert not (bram / ".git" / "MERGE_HEAD").exists()
    assert git(bram, "status", "--porcelain", "--", "library") == ""
    # Anna receives both versions too
    assert goodwork("--workspace", str(anna), "sync").returncode == 0
    assert "Bram was here." in (anna / SITUATION).read_text()
    copy = anna / "library/toezicht/toezicht-advies-nl.conflict.md"
    assert "Anna was here." in copy.read_text()


def test_shared_sessions_only_when_the_setting_says_so_and_never_reflections(shared) -> None:
    _, anna, bram = shared
    session_file(anna, "2026-11-02-reflectie", reflection=True)
    settings = anna / "goodwork.toml"
    settings.write_text(settings.read_text().replace("share_sessions = false",
                                                     "share_sessions = true"))
    done = goodwork("--workspace", str(anna), "sync")
    assert done.returncode == 0, done.stderr
    assert "raw session" in done.stdout
    tracked = git(anna, "ls-files", "sessions").split()
    assert "sessions/2026-11-01-team-oost.json" in tracked
    assert "sessions/2026-11-02-reflectie.json" not in tracked
    assert goodwork("--workspace", str(bram), "sync").returncode == 0
    assert (bram / "sessions" / "2026-11-01-team-oost.json").exists()
    assert not (bram / "sessions" / "2026-11-02-reflectie.json").exists()


def test_an_unreachable_remote_keeps_the_local_work_and_says_so(shared) -> None:
    remote, anna, _ = shared
    moved = remote.with_name("elsewhere.git")
    remote.rename(moved)
    (anna / SITUATION).write_text((anna / SITUATION).read_text() + "\nOffline line\n")
    done = goodwork("--workspace", str(anna), "sync")
    assert done.returncode == 1
    assert "not found" in done.stderr or "cannot be reached" in done.stderr
    assert "saved locally" in done.stderr
    assert "Offline line" in git(anna, "show", f"HEAD:{SITUATION}")  # committed, intact
    moved.rename(remote)
    done = goodwork("--workspace", str(anna), "sync")
    assert done.returncode == 0, done.stderr
    assert "Offline line" in git(remote, "show", f"main:{SITUATION}")


def test_a_network_remote_that_does_not_answer_is_a_clear_message(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    # a port on loopback where nothing listens: refused at once, no outside traffic
    done = goodwork("--workspace", str(ws), "sync", "--init", "http://127.0.0.1:9/shared.git")
    assert done.returncode == 1
    assert "cannot be reached" in done.stderr
    assert git(ws, "log", "--oneline").strip()  # the local work is committed


def test_a_rejected_push_is_a_clear_message(shared) -> None:
    remote, anna, _ = shared
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'closed for the holidays' >&2\nexit 1\n")
    hook.chmod(0o755)
    (anna / SITUATION).write_text((anna / SITUATION).read_text() + "\nRefused line\n")
    done = goodwork("--workspace", str(anna), "sync")
    assert done.returncode == 1
    assert "did not accept" in done.stderr
    assert "Refused line" in git(anna, "show", f"HEAD:{SITUATION}")


def test_not_a_shared_workspace_and_missing_git(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    done = goodwork("--workspace", str(ws), "sync")
    assert done.returncode == 1 and "sync --init" in done.stderr
    env = child_env()
    env["PATH"] = str(tmp_path / "empty")  # no git anywhere
    done = subprocess.run([sys.executable, "-m", "goodwork_tui", "--workspace", str(ws),
                           "sync"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "needs git" in done.stderr and "install" in done.stderr


def test_a_clone_into_a_folder_that_is_taken_is_refused(shared, tmp_path: Path) -> None:
    remote, _, bram = shared
    done = goodwork("sync", "--clone", str(remote), str(bram))
    assert done.returncode == 1 and "not empty" in done.stderr


def test_a_merge_left_half_done_is_undone_by_the_next_sync(shared) -> None:
    _, anna, bram = shared
    original = (anna / SITUATION).read_text()
    (anna / SITUATION).write_text(original + "\nfrom Anna\n")
    assert goodwork("--workspace", str(anna), "sync").returncode == 0
    (bram / SITUATION).write_text(original + "\nfrom Bram\n")
    git(bram, "-c", "user.name=B", "-c", "user.email=b@x", "commit", "-qam", "local")
    git(bram, "fetch", "-q")
    # a sync killed in the middle of its merge leaves this state behind
    subprocess.run(["git", "merge", "origin/main"], cwd=bram, capture_output=True)
    assert (bram / ".git" / "MERGE_HEAD").exists()
    done = goodwork("--workspace", str(bram), "sync")
    assert done.returncode == 0, done.stderr
    assert not (bram / ".git" / "MERGE_HEAD").exists()
    assert "from Bram" in (bram / SITUATION).read_text()
    assert "from Anna" in (bram / "library/toezicht/toezicht-advies-nl.conflict.md").read_text()


def test_syncs_killed_at_random_moments_lose_nothing(shared) -> None:
    """kill -9 a sync at random moments, many times; the next sync recovers, and every
    line written in either workspace reaches the shared repository."""
    remote, anna, bram = shared
    rng = random.Random(20261202)
    written: list[str] = []
    for round_number in range(8):
        for ws, name in ((anna, "anna"), (bram, "bram")):
            line = f"{name} {round_number}"
            target = ws / "library" / "toezicht" / f"log-{name}.md"
            target.write_text((target.read_text() if target.exists() else "") + line + "\n")
            written.append(line)
            child = subprocess.Popen([sys.executable, "-m", "goodwork_tui", "--workspace",
                                      str(ws), "sync"], env=child_env(),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 0.6))
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    for ws in (anna, bram, anna):
        done = goodwork("--workspace", str(ws), "sync")
        assert done.returncode == 0, done.stderr
    clone = remote.parent / "check"
    git(remote.parent, "clone", "-q", "-b", "main", str(remote), str(clone))
    shared_text = "".join(p.read_text() for p in (clone / "library" / "toezicht").glob("log-*"))
    assert [line for line in written if line not in shared_text] == []
    for ws in (anna, bram):
        assert git(ws, "status", "--porcelain", "--", "library") == ""
        assert not (ws / ".git" / "MERGE_HEAD").exists()
