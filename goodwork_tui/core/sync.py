"""Share a workspace with colleagues through git: commit, fetch, integrate, push.

Git does the distributed work; this module only drives the system `git` safely for people
who do not know it. What it promises:

- Privacy by default: only the library and the exported harvests are staged. Raw session
  files (names, confidential and room-only notes) are staged only when the workspace
  setting `share_sessions = true` says so, and reflections only with `share_reflections`.
- Nothing is lost: local work is committed before anything is fetched; a merge that cannot
  finish is undone (`git merge --abort`); where two people changed the same file, the local
  version stays in place and the other one is kept beside it (`NAME.conflict.md`) for a
  person to merge by hand.
- A sync killed half way is finished off by the next one: a merge in progress is aborted
  (the local commit is already made), a lock file left by a killed git is removed.
- Never a prompt: no terminal questions for passwords (GIT_TERMINAL_PROMPT=0, BatchMode),
  so a wrong remote or missing credentials is a clear message, not a hang.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .i18n import Catalog

SETTINGS_FILE = "goodwork.toml"
SHARED_PATHS = ("library", "sessions/harvests", ".gitignore", SETTINGS_FILE)
CONFLICT_MARK = ".conflict"
GIT_TIMEOUT = 120  # seconds one git command may take (a slow network), then it is a failure
MAX_PUSH_TRIES = 3  # a colleague pushing at the same moment: integrate again, then push

_IGNORE_BEGIN = "# >>> goodwork: what stays on this laptop (managed by goodwork sync)"
_IGNORE_END = "# <<< goodwork"
_PRIVATE_IGNORES = ("/sessions/*.json", "/sessions/*.json.*")
_ALWAYS_IGNORES = ("/sessions/*.lock", "/sessions/.*", ".venv/", "__pycache__/")


class SyncError(Exception):
    """Sync cannot go on. `code` says what kind of problem (see `describe`), `detail`
    is git's own last words."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass
class SyncResult:
    committed: list[str] = field(default_factory=list)  # paths of this workspace committed now
    received: list[str] = field(default_factory=list)  # paths changed by colleagues' work
    conflicts: list[str] = field(default_factory=list)  # other versions kept beside ours
    pushed: bool = False
    problem: SyncError | None = None  # set when the sync stopped early (local work is safe)

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Settings:
    share_sessions: bool = False
    share_reflections: bool = False
    problem: str | None = None


# ---------------------------------------------------------------------------- git


def git_available() -> bool:
    return shutil.which("git") is not None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_TERMINAL_PROMPT": "0",  # never ask for a password on the terminal
        "GIT_SSH_COMMAND": env.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
        "LC_ALL": "C",  # git's messages are read to tell what went wrong
        "GIT_MERGE_AUTOEDIT": "no",
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


class Git:
    """The system git, run in one folder, with an identity when the user has none."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._env = _environment()
        self._identity: list[str] | None = None

    def run(self, *args: str, check: bool = True, identity: bool = False,
            timeout: float = GIT_TIMEOUT) -> subprocess.CompletedProcess[str]:
        command = ["git", *(self.identity() if identity else []), *args]
        try:
            done = subprocess.run(command, cwd=self.root, env=self._env, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace",
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise SyncError("no-git") from None
        except subprocess.TimeoutExpired:
            raise SyncError("timeout", " ".join(args[:2])) from None
        if check and done.returncode != 0:
            raise SyncError(classify(done.stderr), last_line(done.stderr))
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def identity(self) -> list[str]:
        """`-c user.name=… -c user.email=…` when git has no identity (a fresh laptop)."""
        if self._identity is None:
            name = self.run("config", "user.name", check=False).stdout.strip()
            email = self.run("config", "user.email", check=False).stdout.strip()
            extra: list[str] = []
            if not name:
                extra += ["-c", f"user.name={who()}"]
            if not email:
                extra += ["-c", f"user.email={_user()}@{_host()}"]
            self._identity = extra
        return self._identity

    @property
    def git_dir(self) -> Path:
        return self.root / ".git"


def _user() -> str:
    try:
        return getpass.getuser() or "someone"
    except (OSError, KeyError):
        return "someone"


def _host() -> str:
    return (socket.gethostname() or "laptop").split(".")[0] or "laptop"


def who() -> str:
    return f"{_user()} ({_host()})"


def last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    meaningful = [line for line in lines if line.lower().startswith(("fatal", "error", "!"))]
    return (meaningful or lines or [""])[-1][:300]


def classify(stderr: str) -> str:
    """What kind of failure git's words describe: the code picks the message to show."""
    text = stderr.lower()

    def has(*marks: str) -> bool:
        return any(mark in text for mark in marks)

    if has("does not appear to be a git repository", "repository not found",
           "no such file or directory", "not a git repository"):
        return "remote-missing"
    if has("authentication failed", "permission denied", "could not read username",
           "terminal prompts disabled", "returned error: 403", "returned error: 401"):
        return "auth"
    if has("could not resolve host", "unable to access", "connection refused",
           "connection timed out", "network is unreachable", "could not read from remote",
           "no route to host"):
        return "offline"
    if has("[rejected]", "failed to push", "non-fast-forward", "fetch first",
           "pre-receive hook declined", "[remote rejected]"):
        return "rejected"
    if has("index.lock", "another git process"):
        return "busy"
    return "failed"


# ---------------------------------------------------------------------------- settings


def read_settings(root: Path) -> Settings:
    """goodwork.toml at the workspace root; unreadable means the private default."""
    path = root / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        return Settings(problem=f"{path}: {error}")
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(problem=f"{path}: {error}")
    found = data.get("sync")
    sync: dict = found if isinstance(found, dict) else {}

    def flag(name: str) -> bool:
        value = data.get(name, sync.get(name, False))
        return value is True

    return Settings(share_sessions=flag("share_sessions"),
                    share_reflections=flag("share_reflections"))


SETTINGS_TEMPLATE = """\
# Goed Werk workspace settings, shared with everyone who syncs this workspace.
# Raw session files hold names, confidential and room-only notes: they stay on each
# laptop unless this says true (then `goodwork sync` shares them, reflections excepted).
share_sessions = false
# Solo reflections are private even when sessions are shared, unless this says true.
share_reflections = false
"""


def ignore_block(settings: Settings) -> str:
    lines = [_IGNORE_BEGIN]
    if not settings.share_sessions:
        lines.append("# raw sessions and reflections (share_sessions = false in goodwork.toml)")
        lines += _PRIVATE_IGNORES
    lines += _ALWAYS_IGNORES
    lines.append(_IGNORE_END)
    return "\n".join(lines) + "\n"


def write_ignore_file(root: Path, settings: Settings) -> bool:
    """Put the managed block into .gitignore (the user's own lines stay). True if changed."""
    from .atomic import write_atomic

    path = root / ".gitignore"
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    block = ignore_block(settings)
    if _IGNORE_BEGIN in old and _IGNORE_END in old:
        head, rest = old.split(_IGNORE_BEGIN, 1)
        tail = rest.split(_IGNORE_END, 1)[1].lstrip("\n")
        new = head + block + tail
    else:
        new = (old.rstrip("\n") + "\n\n" if old.strip() else "") + block
    if new == old:
        return False
    write_atomic(path, new.encode("utf-8"))
    return True


# ---------------------------------------------------------------------------- the sync


Progress = Callable[[str], None]


def _nothing(step: str) -> None:
    return None


def check_repository(root: Path) -> Git:
    """A Git for a workspace that can be synced, or SyncError saying what is missing."""
    if not git_available():
        raise SyncError("no-git")
    git = Git(root)
    done = git.run("rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise SyncError("not-repo")
    if Path(done.stdout.strip()).resolve() != root.resolve():
        raise SyncError("not-repo", done.stdout.strip())
    if not git.run("remote", check=False).stdout.split():
        raise SyncError("no-remote")
    return git


def recover(git: Git) -> list[str]:
    """Finish off a sync that was killed: what was done, for the result's message."""
    done: list[str] = []
    lock = git.git_dir / "index.lock"
    if lock.exists():
        # only one goodwork sync runs at a time (our own lock is held): a leftover index
        # lock is from a git killed with it
        lock.unlink(missing_ok=True)
        done.append("index-lock")
    if (git.git_dir / "MERGE_HEAD").exists():
        if git.run("merge", "--abort", check=False).returncode != 0:
            git.run("reset", "--merge", check=False)
        done.append("merge")
    if (git.git_dir / "rebase-merge").exists() or (git.git_dir / "rebase-apply").exists():
        git.run("rebase", "--abort", check=False)
        done.append("rebase")
    return done


def _session_files(root: Path, settings: Settings) -> list[str]:
    """The raw session files that may be shared under these settings."""
    if not settings.share_sessions:
        return []
    shared = []
    for path in sorted((root / "sessions").glob("*.json")):
        if not settings.share_reflections and _is_reflection(path):
            continue
        shared.append(f"sessions/{path.name}")
    return shared


def _is_reflection(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return True  # unreadable: private until it can be read
    for table in data.values() if isinstance(data, dict) else ():
        for doc in table.values() if isinstance(table, dict) else ():
            fmt = doc.get("format") if isinstance(doc, dict) else None
            if isinstance(fmt, dict) and fmt.get("reflection"):
                return True
    return False


def _exclude_reflections(git: Git, root: Path, settings: Settings) -> None:
    """With sessions shared, reflections are still kept out: listed in .git/info/exclude
    (this laptop only), so that a manual `git add -A` does not take them either."""
    if not settings.share_sessions or settings.share_reflections:
        return
    private = sorted(f"/sessions/{p.name}" for p in (root / "sessions").glob("*.json")
                     if _is_reflection(p))
    path = git.git_dir / "info" / "exclude"
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    missing = [line for line in private if line not in old.splitlines()]
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("" if old.endswith("\n") or not old else "\n")
                         + "\n".join(missing) + "\n")


def commit_local(git: Git, root: Path, settings: Settings, message: str) -> list[str]:
    """Stage what may be shared and commit it; the paths committed."""
    write_ignore_file(root, settings)
    _exclude_reflections(git, root, settings)
    paths = [p for p in SHARED_PATHS if (root / p).exists()]
    if paths:
        git.run("add", "-A", "--", *paths)
    sessions = _session_files(root, settings)
    if sessions:
        git.run("add", "-A", "--", *sessions)
    # a tracked file that was deleted inside the shared paths is staged by `add -A`
    staged = git.run("diff", "--cached", "--name-only", "-z").stdout.split("\0")
    staged = [p for p in staged if p]
    if not staged:
        return []
    git.run("commit", "--quiet", "--no-verify", "-m", message or commit_message(staged),
            identity=True)
    return staged


def commit_message(paths: list[str]) -> str:
    def count(prefix: str) -> int:
        return sum(1 for p in paths if p.startswith(prefix))

    parts = []
    situations = sum(1 for p in paths if p.startswith("library/")
                     and not p.startswith("library/formats/"))
    for number, one, many in ((situations, "library file", "library files"),
                              (count("library/formats/"), "format", "formats"),
                              (count("sessions/harvests/"), "harvest", "harvests")):
        if number:
            parts.append(f"{number} {one if number == 1 else many}")
    sessions = sum(1 for p in paths if p.startswith("sessions/")
                   and not p.startswith("sessions/harvests/"))
    if sessions:
        parts.append(f"{sessions} session{'s' if sessions != 1 else ''}")
    summary = ", ".join(parts) or f"{len(paths)} files"
    body = "\n".join(f"- {p}" for p in paths[:50])
    more = f"\n- … and {len(paths) - 50} more" if len(paths) > 50 else ""
    return f"goodwork sync by {who()}: {summary}\n\n{body}{more}\n"


def _branch(git: Git) -> str:
    name = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    return name or "main"


def _remote(git: Git) -> str:
    remotes = git.run("remote").stdout.split()
    return "origin" if "origin" in remotes else remotes[0]


def _remote_ref(git: Git, remote: str, branch: str) -> str | None:
    """The branch to integrate: our upstream, else remote/branch, else the remote's HEAD."""
    upstream = git.run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}",
                       check=False).stdout.strip()
    candidates = [upstream] if upstream else []
    candidates += [f"{remote}/{branch}", f"{remote}/HEAD", f"{remote}/main", f"{remote}/master"]
    for ref in candidates:
        if git.run("rev-parse", "--verify", "--quiet", ref + "^{commit}",
                   check=False).returncode == 0:
            return ref
    return None


def conflict_path(root: Path, relative: str) -> str:
    """Where the other version of `relative` is kept: NAME.conflict.md, .conflict-2.md …"""
    path = Path(relative)
    stem, suffix = path.stem, path.suffix
    for number in range(1, 1000):
        mark = CONFLICT_MARK if number == 1 else f"{CONFLICT_MARK}-{number}"
        candidate = path.with_name(f"{stem}{mark}{suffix}")
        if not (root / candidate).exists():
            return candidate.as_posix()
    raise SyncError("failed", f"too many conflict copies of {relative}")


def _stage_blob(git: Git, stage: int, path: str) -> bytes | None:
    done = subprocess.run(["git", "show", f":{stage}:{path}"], cwd=git.root,
                          env=_environment(), capture_output=True, timeout=GIT_TIMEOUT,
                          stdin=subprocess.DEVNULL)
    return done.stdout if done.returncode == 0 else None


def integrate(git: Git, root: Path, ref: str) -> tuple[list[str], list[str]]:
    """Merge `ref` into our branch; both versions of a conflicting file are kept.
    Returns (paths changed by the merge, conflict copies written). Undone on failure."""
    before = git.out("rev-parse", "HEAD")
    if git.run("merge-base", "--is-ancestor", ref, "HEAD", check=False).returncode == 0:
        return [], []  # nothing new from colleagues
    merge = git.run("merge", "--no-edit", "--no-verify", "--allow-unrelated-histories",
                    "-m", f"goodwork sync by {who()}: colleagues' work", ref,
                    check=False, identity=True)
    copies: list[str] = []
    if merge.returncode != 0:
        unmerged = [p for p in git.run("diff", "--name-only", "--diff-filter=U", "-z")
                    .stdout.split("\0") if p]
        if not unmerged:  # it failed for another reason (e.g. a file in the way): undo
            git.run("merge", "--abort", check=False)
            raise SyncError(classify(merge.stderr), last_line(merge.stderr or merge.stdout))
        try:
            copies = _keep_both(git, root, unmerged)
            git.run("commit", "--quiet", "--no-edit", "--no-verify", identity=True)
        except (SyncError, OSError) as error:
            git.run("merge", "--abort", check=False)
            if isinstance(error, SyncError):
                raise
            raise SyncError("failed", str(error)) from None
    changed = [p for p in git.run("diff", "--name-only", "-z", before, "HEAD")
               .stdout.split("\0") if p]
    return changed, copies


def _keep_both(git: Git, root: Path, unmerged: list[str]) -> list[str]:
    from .atomic import write_atomic

    copies: list[str] = []
    for relative in unmerged:
        ours, theirs = _stage_blob(git, 2, relative), _stage_blob(git, 3, relative)
        target = root / relative
        if ours is None and theirs is not None:
            # deleted here, changed there: their version comes back, nothing is lost
            write_atomic(target, theirs)
        elif ours is not None:
            write_atomic(target, ours)
            if theirs is not None and theirs != ours:
                copy = conflict_path(root, relative)
                write_atomic(root / copy, theirs)
                git.run("add", "--", copy)
                copies.append(copy)
        if target.exists():
            git.run("add", "--", relative)
        else:
            git.run("rm", "--quiet", "--cached", "--ignore-unmatch", "--", relative)
    return copies


def sync(root: Path, *, progress: Progress = _nothing, message: str = "") -> SyncResult:
    """Commit, fetch, integrate and push one workspace. Never raises SyncError: a problem
    is in `result.problem`, with what was done before it (the local commit) kept."""
    from filelock import FileLock, Timeout

    result = SyncResult()
    try:
        git = check_repository(root)
        lock = FileLock(str(git.git_dir / "goodwork-sync.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise SyncError("busy") from None
        try:
            _sync_locked(git, root, result, progress, message)
        finally:
            lock.release()
    except SyncError as problem:
        result.problem = problem
    except OSError as error:
        result.problem = SyncError("failed", str(error))
    return result


def _sync_locked(git: Git, root: Path, result: SyncResult, progress: Progress,
                 message: str) -> None:
    recover(git)
    settings = read_settings(root)
    progress("commit")
    result.committed = commit_local(git, root, settings, message)
    remote, branch = _remote(git), _branch(git)
    for _attempt in range(MAX_PUSH_TRIES):
        progress("fetch")
        git.run("fetch", "--quiet", "--prune", remote)
        ref = _remote_ref(git, remote, branch)
        if ref is not None:
            progress("integrate")
            changed, copies = integrate(git, root, ref)
            result.received += [p for p in changed if p not in result.received]
            result.conflicts += copies
            ahead = git.out("rev-list", "--count", f"{ref}..HEAD")
            if ahead == "0":
                return  # nothing of ours that the remote lacks
        progress("push")
        push = git.run("push", "--quiet", "--set-upstream", remote, f"HEAD:{branch}",
                       check=False)
        if push.returncode == 0:
            result.pushed = True
            return
        code = classify(push.stderr)
        if code != "rejected":
            raise SyncError(code, last_line(push.stderr))
    raise SyncError("rejected", "the shared workspace kept changing; try again")


# ---------------------------------------------------------------------------- set up


def init(root: Path, remote: str, *, progress: Progress = _nothing) -> SyncResult:
    """Make a workspace a shared one: a git repository with `remote`, private files ignored,
    everything shareable committed and pushed (or merged with what the remote holds)."""
    if not git_available():
        return SyncResult(problem=SyncError("no-git"))
    git = Git(root)
    try:
        top = git.run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            git.run("init", "--quiet", "-b", "main")
        if not (root / SETTINGS_FILE).exists():
            from .atomic import write_atomic

            write_atomic(root / SETTINGS_FILE, SETTINGS_TEMPLATE.encode("utf-8"))
        remotes = git.run("remote").stdout.split()
        if "origin" in remotes:
            git.run("remote", "set-url", "origin", remote)
        else:
            git.run("remote", "add", "origin", remote)
    except SyncError as problem:
        return SyncResult(problem=problem)
    return sync(root, progress=progress,
                message=f"goodwork sync --init by {who()}: the shared workspace begins\n")


def clone(remote: str, folder: Path, *, progress: Progress = _nothing) -> SyncResult:
    """A colleague's shared workspace into a new folder, ready to open."""
    if not git_available():
        return SyncResult(problem=SyncError("no-git"))
    if folder.exists() and any(folder.iterdir()):
        return SyncResult(problem=SyncError("folder-taken", str(folder)))
    progress("fetch")
    git = Git(folder.parent if folder.parent.exists() else Path.cwd())
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        git.run("clone", "--quiet", remote, str(folder))
    except SyncError as problem:
        return SyncResult(problem=problem)
    local = Git(folder)
    if local.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        # the shared repository's HEAD names a branch nobody pushed (a bare repository made
        # with another default branch): take the branch that is there
        branches = local.run("branch", "-r", "--format=%(refname:short)").stdout.split()
        branches = [b for b in branches if not b.endswith("/HEAD")]
        if branches:
            chosen = next((b for b in branches if b.endswith("/main")), branches[0])
            try:
                local.run("checkout", "--quiet", "-b", chosen.split("/", 1)[1], "--track",
                          chosen)
            except SyncError as problem:
                return SyncResult(problem=problem)
    (folder / "sessions").mkdir(exist_ok=True)
    (folder / "library").mkdir(exist_ok=True)
    received = [p for p in local.run("ls-files", "-z").stdout.split("\0") if p]
    return SyncResult(received=received)


# ---------------------------------------------------------------------------- telling


def describe(result: SyncResult, t: Catalog) -> str:
    """The one-line result, in the catalog's language."""
    if result.problem is not None:
        problem = result.problem
        text = t(f"sync.problem.{problem.code}", detail=problem.detail)
        if text == f"sync.problem.{problem.code}":
            text = t("sync.problem.failed", detail=problem.detail)
        if result.committed:
            text += " " + t("sync.kept_local", count=len(result.committed))
        return text
    parts = []
    if result.committed:
        parts.append(t("sync.shared", what=shared_summary(result.committed, t)))
    if result.received:
        parts.append(t.plural("sync.received", len(result.received)))
    if result.conflicts:
        parts.append(t.plural("sync.conflicts", len(result.conflicts),
                              files=", ".join(result.conflicts[:3])))
    return " ".join(parts) if parts else t("sync.nothing")


def shared_summary(paths: list[str], t: Catalog) -> str:
    situations = sum(1 for p in paths if p.startswith("library/")
                     and not p.startswith("library/formats/"))
    formats = sum(1 for p in paths if p.startswith("library/formats/"))
    harvests = sum(1 for p in paths if p.startswith("sessions/harvests/"))
    sessions = sum(1 for p in paths if p.startswith("sessions/")
                   and not p.startswith("sessions/harvests/"))
    parts = [t.plural(key, n) for key, n in (("sync.what.library", situations),
                                            ("sync.what.formats", formats),
                                            ("sync.what.harvests", harvests),
                                            ("sync.what.sessions", sessions)) if n]
    return ", ".join(parts) or t("sync.what.settings")
