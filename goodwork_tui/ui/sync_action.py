"""The palette's "Sync with colleagues": `goodwork sync` in a worker thread.

git runs only here, never at start-up (core/sync.py is imported on first use). The step
being done is shown in the header while the sync runs (its start also as a notice); the
one-line result is a notification. When colleagues' library files came in, the library
is read again (and its check names any conflict copy the sync kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.sync import SyncResult
    from .app import GoodWorkApp

GROUP = "sync"


def start(app: GoodWorkApp) -> None:
    if any(worker.group == GROUP and worker.is_running for worker in app.workers):
        app.notify(app.t("sync.running"), markup=False)
        return
    show_step(app, "commit")
    # (the header is hidden on a narrow screen: the start is said once as well)
    app.notify(app.t("sync.step.commit"), timeout=4, markup=False)
    app.run_worker(lambda: _run(app), thread=True, group=GROUP, name="sync",
                   exit_on_error=False)


def _run(app: GoodWorkApp) -> None:
    """In the worker thread: the whole sync; `sync` itself never raises for git."""
    from ..core import sync

    try:
        result = sync.sync(app.workspace.root,
                           progress=lambda step: app.call_from_thread(show_step, app, step))
    except Exception as error:  # noqa: BLE001 - a sync that fails is a message, never a crash
        result = sync.SyncResult(problem=sync.SyncError("failed", str(error)))
    app.call_from_thread(_done, app, result)


def show_step(app: GoodWorkApp, step: str) -> None:
    app.sub_title = f"{app.t('app.subtitle')} · {app.t(f'sync.step.{step}')}"


def _done(app: GoodWorkApp, result: SyncResult) -> None:
    from ..core.sync import describe

    app.sub_title = app.t("app.subtitle")
    calm = result.ok and not result.conflicts
    app.notify(describe(result, app.t), severity="information" if calm else "warning",
               timeout=15, markup=False)
    if any(path.startswith("library/") for path in result.received):
        app.loader.reload()  # the check runs after it: conflict copies are listed (F7)
