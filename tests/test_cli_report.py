"""`goodwork report`, run as a user would: a new process, on a real workspace."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from child_process import child_env, without_textual

from goodwork_tui.core import vault
from goodwork_tui.core.series import open_agreements
from goodwork_tui.core.session_store import SessionStore

PASS = "zeven ezels op een dijk"
SITUATION = "grenswerk-laatste-handtekening-en"
PEOPLE = [{"name": "Anouk de Vries", "consent": True}, {"name": "Bram", "consent": False}]
FORMAT = {"id": "f", "title": "F", "rounds": [{"title": "Ronde"}]}


def goodwork(*args: str, cwd: Path, passphrase: str | None = None
             ) -> subprocess.CompletedProcess[bytes]:
    env = child_env()
    env.pop(vault.ENV_VAR, None)
    if passphrase is not None:
        env[vault.ENV_VAR] = passphrase
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          cwd=cwd, env=env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def workspace(workspace_dir: Path) -> Path:
    sessions = workspace_dir / "sessions"
    for month, lang in ((1, "en"), (2, "en"), (3, "nl")):
        with SessionStore.create(sessions, title=f"Intervision {month}", on=date(2027, month, 5),
                                 series="Intervisie Oost", participants=PEOPLE, lang=lang,
                                 format=FORMAT, situations=[SITUATION]) as store:
            store.add_note("Trust in the municipality", round=0, lens="engaging",
                           situation=SITUATION)
            store.add_note("a secret for the room only", round=0, room_only=True)
            if month == 1:
                store.add_action("Call the municipality", owner="Anouk de Vries",
                                 review="2027-01-20")
                store.add_action("Share the agenda", owner="Bram")
            if month == 2:
                for agreement in open_agreements(sessions, store.meta, store.id):
                    store.set_lookback(**agreement.answer_fields("done", "calling works"))
    with SessionStore.create(sessions, title="Loose", on=date(2026, 12, 1)) as store:
        store.add_note("Trust elsewhere", round=0)
    (sessions / "2027-06-01-broken.json").write_bytes(b'{"session": {"1": {"sch')
    return workspace_dir


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_report_of_a_series_to_standard_output(workspace: Path) -> None:
    done = goodwork("report", "--series", "intervisie oost", cwd=workspace)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    data = front(text)
    assert data["series"] == "Intervisie Oost" and data["language"] == "en"  # 2 of 3 in en
    assert data["counts"]["sessions"] == 3 and data["counts"]["notes"] == 3
    assert data["counts"]["agreements_finished"] == 2 and data["counts"]["files_left_out"] == 1
    # the library gives the situation's collection and tags
    assert ("- **Waiting for the last signature** — Boundary workers in cross-government "
            "collaboration · sessions: 3 · notes: 3") in text
    assert "- **urgency** — sessions: 3 · notes: 3" in text  # a tag of the situation
    assert "room only" not in text and "secret" not in text
    assert "Anouk" not in text and "Bram" not in text
    # the damaged file is named on stderr and hides nothing
    assert "2027-06-01-broken.json" in done.stderr.decode("utf-8")
    again = goodwork("report", "--series", "intervisie oost", cwd=workspace)
    assert again.stdout == done.stdout  # deterministic


def test_report_options_period_names_language_html_and_file(workspace: Path) -> None:
    named = goodwork("--workspace", str(workspace), "report", "--names", "--since",
                     "2027-01-01", "--until", "2027-02-28", "--lang", "nl",
                     cwd=workspace.parent)
    assert named.returncode == 0, named.stderr
    text = named.stdout.decode("utf-8")
    assert front(text)["counts"]["sessions"] == 2 and "# Patronen over sessies" in text
    assert "### Anouk de Vries" in text and "Bram" not in text
    target = workspace / "out" / "report.html"
    target.parent.mkdir()
    written = goodwork("report", "--format", "html", "-o", str(target), cwd=workspace)
    assert written.returncode == 0, written.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h1>Patterns across sessions</h1>" in page
    assert "patterns report written to" in written.stderr.decode("utf-8")
    first = target.read_bytes()
    target.unlink()
    assert goodwork("report", "--format", "html", "-o", str(target),
                    cwd=workspace).returncode == 0
    assert target.read_bytes() == first


@pytest.mark.parametrize("args, code, message", [
    (("--series", "nothing like it"), 1, "no series 'nothing like it'"),
    (("--since", "last week"), 2, "--since wants a date as YYYY-MM-DD"),
    (("--since", "2027-03-01", "--until", "2027-01-01"), 2, "--since is after --until"),
    (("--format", "pdf"), 2, "invalid choice"),
    (("-o", "/no/such/folder/report.md"), 1, "cannot write"),
])
def test_report_says_what_is_wrong(workspace: Path, args: tuple[str, ...], code: int,
                                   message: str) -> None:
    done = goodwork("report", *args, cwd=workspace)
    assert done.returncode == code and message in done.stderr.decode("utf-8")
    assert b"Traceback" not in done.stderr


def test_report_needs_no_textual(workspace: Path) -> None:
    done = without_textual("report", cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert front(done.stdout.decode("utf-8"))["counts"]["sessions"] == 4


def test_report_on_an_encrypted_workspace(workspace: Path) -> None:
    assert goodwork("encrypt", cwd=workspace, passphrase=PASS).returncode == 0
    done = goodwork("report", "--series", "Intervisie Oost", cwd=workspace, passphrase=PASS)
    assert done.returncode == 0, done.stderr
    assert front(done.stdout.decode("utf-8"))["counts"]["sessions"] == 3
    locked = goodwork("report", cwd=workspace)
    assert locked.returncode == 2 and b"GOODWORK_PASSPHRASE" in locked.stderr
