"""Wires a command to its parts: the poller or demo cluster, and the printer or dashboard."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from pgwatch_tui.core.conninfo import ConnTarget
from pgwatch_tui.core.export import build_document, document_json
from pgwatch_tui.core.monitor import Monitor
from pgwatch_tui.core.session import PasswordPrompt, open_poller, take_snapshot
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.summary import render_summary

DEMO_WARM_UP_S = 3.0  # long enough for the demo's lock chain to form


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
    return _dashboard(settings, target, prompt, never_prompt=args.no_password)


def run_demo(command: str, args: argparse.Namespace, settings: Settings) -> int:
    from pgwatch_tui.sandbox.binaries import find_install
    from pgwatch_tui.sandbox.demo import Demo

    install = find_install(args.pg_bin)  # fail before promising anything
    print(
        f"pgwatch: starting a throwaway PostgreSQL {install.version} cluster with a demo workload…",
        file=sys.stderr,
    )
    with Demo(install) as demo:
        assert demo.cluster is not None
        if command == "snapshot":
            time.sleep(DEMO_WARM_UP_S)
            return asyncio.run(_snapshot(args, settings, demo.target, None))
        print(
            f"pgwatch: demo cluster PostgreSQL {demo.cluster.install.version} on "
            f"port {demo.cluster.port} ({demo.target.masked})",
            file=sys.stderr,
        )
        return _dashboard(settings, demo.target, None, never_prompt=True)


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
    if args.json:
        document = build_document(snapshot, target=poller.label, top=settings.top_statements)
        sys.stdout.write(document_json(document) + "\n")
    else:
        sys.stdout.write(
            render_summary(snapshot, target=poller.label, long_query_s=settings.long_query_s)
        )
    return 0


def _dashboard(
    settings: Settings,
    target: ConnTarget,
    prompt: PasswordPrompt | None,
    *,
    never_prompt: bool,
) -> int:
    from pgwatch_tui.ui.app import PgWatchApp

    app: PgWatchApp | None = None

    async def run_app() -> int | None:
        nonlocal app
        # Connect before the screen switches to the dashboard: a connection error is then a
        # plain one-line message on the terminal, exit code 2.
        poller = await open_poller(target, settings, prompt=prompt, never_prompt=never_prompt)
        app = PgWatchApp(Monitor(poller, settings.refresh), settings)
        return await app.run_async()

    code = asyncio.run(run_app())
    return code or 0
