"""Wires a command to its parts: the poller or demo cluster, and the printer or dashboard."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import TYPE_CHECKING

from pgwatch_tui.core.act.audit import AuditLog, default_audit_path
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.login import PasswordPrompt, open_poller, take_snapshot
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.diagnose.diagnosis import Diagnosis, statement_weights, statements_to_advise
from pgwatch_tui.core.monitor import Monitor
from pgwatch_tui.core.settings import Settings

if TYPE_CHECKING:
    from pgwatch_tui.ui.app import PgWatchApp

DEMO_WARM_UP_S = 3.0  # long enough for the demo's lock chain to form
# How long the screen waits for the first poll: beyond it, a slow server gets a screen saying
# so rather than a terminal that seems to hang.
FIRST_POLL_WAIT_S = 0.5
# What the first screen shows (the header and the Overview pane), so all the first poll reads,
# as later polls read only what is on screen. A UI test keeps it in step with the panes.
# The Overview's and the header's (an unused slot filling the disk is said at first sight).
FIRST_SCREEN_PROBES = frozenset(
    {"databases", "sessions", "vacuum_progress", "replication_slots", "archiver"}
)


def run(
    command: str,
    args: argparse.Namespace,
    settings: Settings,
    target: ConnTarget,
    *,
    prompt: PasswordPrompt | None,
) -> int:
    if command == "snapshot":
        return asyncio.run(_snapshot(args, settings, target, prompt))
    if command == "advise":
        return asyncio.run(_advise(args, settings, target, prompt))
    return _dashboard(settings, target, prompt, never_prompt=args.no_password)


def run_demo(command: str, args: argparse.Namespace, settings: Settings) -> int:
    from pgwatch_tui.sandbox.binaries import find_install
    from pgwatch_tui.sandbox.demo import Demo

    install = find_install(args.pg_bin)  # fail before promising anything
    print(
        f"pgwatch: starting a throwaway PostgreSQL {install.version} cluster with a demo workload…",
        file=sys.stderr,
    )
    on_standby = bool(getattr(args, "demo_standby", False))
    with Demo(install, replication=True) as demo:
        assert demo.cluster is not None
        target = demo.standby_target if on_standby else demo.target
        if command == "snapshot":
            time.sleep(DEMO_WARM_UP_S)
            return asyncio.run(_snapshot(args, settings, target, None))
        if command == "advise":
            time.sleep(DEMO_WARM_UP_S)
            return asyncio.run(_advise(args, settings, target, None))
        standby = demo.standby
        where = f"its standby on port {standby.port}" if on_standby and standby else "the primary"
        print(
            f"pgwatch: demo cluster PostgreSQL {demo.cluster.install.version} on "
            f"port {demo.cluster.port}, watching {where} ({target.masked})",
            file=sys.stderr,
        )
        return _dashboard(settings, target, None, never_prompt=True)


async def _snapshot(
    args: argparse.Namespace,
    settings: Settings,
    target: ConnTarget,
    prompt: PasswordPrompt | None,
) -> int:
    poller = await open_poller(target, settings, prompt=prompt, never_prompt=args.no_password)
    try:
        snapshot = await take_snapshot(poller, args.interval)
    finally:
        await poller.close()
    # The one-shot commands import their formatting here: the dashboard never needs it.
    from pgwatch_tui.core.record.export import build_document, document_json
    from pgwatch_tui.core.record.summary import render_summary

    if args.json:
        document = build_document(snapshot, target=poller.label, top=settings.top_statements)
        sys.stdout.write(document_json(document) + "\n")
    else:
        sys.stdout.write(
            render_summary(snapshot, target=poller.label, long_query_s=settings.long_query_s)
        )
    return 0


async def _advise(
    args: argparse.Namespace,
    settings: Settings,
    target: ConnTarget,
    prompt: PasswordPrompt | None,
) -> int:
    poller = await open_poller(target, settings, prompt=prompt, never_prompt=args.no_password)
    try:
        snapshot = await take_snapshot(poller, args.interval)
        chosen = statements_to_advise(snapshot, args.top, args.queryid)
        diagnosis = Diagnosis(poller, settings)
        results = [(s, await diagnosis.advise(s, snapshot)) for s in chosen]
    finally:
        await poller.close()
    from pgwatch_tui.core.diagnose.advisor.report import render_advice

    if args.json:
        document = [advice.model_dump(mode="json") for _, advice in results]
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif not results:
        sys.stdout.write("No statement to advise on (is pg_stat_statements collecting?).\n")
    else:
        here = snapshot.current_database
        weights = dict(statement_weights(snapshot, here.datid)) if here else {}
        for statement, advice in results:
            sys.stdout.write(render_advice(advice, weights.get(statement), statement.mean_exec_ms))
            sys.stdout.write("\n")
    return 0


def dashboard_app(poller: Poller, settings: Settings, monitor: Monitor | None = None) -> PgWatchApp:
    """The dashboard on a connected poller, with planning, advice and (unless read-only)
    actions."""
    from pgwatch_tui.ui.app import PgWatchApp

    # Read-only: no runner at all, so no action connection can ever be opened.
    actions = None
    if not settings.read_only:
        audit = AuditLog(default_audit_path())
        actions = ActionRunner(poller.target, settings, poller, audit)
    monitor = monitor or Monitor(poller, settings.refresh)
    return PgWatchApp(monitor, settings, Diagnosis(poller, settings), actions)


def _import_dashboard() -> None:
    import pgwatch_tui.ui.app  # noqa: F401  (Textual and every screen: the bulk of start-up)


async def _first_poll_while_importing(monitor: Monitor) -> None:
    """Poll the server while the dashboard's modules load in a thread: the poll mostly waits
    on the server, the imports mostly compute, so the two overlap."""
    monitor.start_first_poll(FIRST_SCREEN_PROBES)
    await asyncio.to_thread(_import_dashboard)
    await monitor.first_poll_done(within_s=FIRST_POLL_WAIT_S)


def _dashboard(
    settings: Settings,
    target: ConnTarget,
    prompt: PasswordPrompt | None,
    *,
    never_prompt: bool,
) -> int:
    app: PgWatchApp | None = None

    async def run_app() -> int | None:
        nonlocal app
        # Connect before the screen switches to the dashboard: a connection error is then a
        # plain one-line message on the terminal, exit code 2.
        poller = await open_poller(target, settings, prompt=prompt, never_prompt=never_prompt)
        monitor = Monitor(poller, settings.refresh)
        await _first_poll_while_importing(monitor)
        app = dashboard_app(poller, settings, monitor)
        try:
            await app.run_async()
        finally:
            app.exit_signals.disarm()
        return app.return_code

    code = asyncio.run(run_app())
    return code or 0
