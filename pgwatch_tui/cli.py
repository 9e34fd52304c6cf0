"""Command line: parse, build Settings and the connection target, hand over. No logic here.

pgwatch [OPTIONS] [CONNSTRING]                      the dashboard
pgwatch snapshot [--json] [--interval S] [...]      one snapshot, printed, then exit
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from pgwatch_tui import __version__
from pgwatch_tui.core import gc_policy
from pgwatch_tui.core.collect.conninfo import ConnTarget, build_target
from pgwatch_tui.core.errors import PgWatchError, UsageError
from pgwatch_tui.core.settings import Settings, build_settings

COMMANDS = ("snapshot", "advise")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see pgwatch --help)")


def _connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection (as psql; PG* variables and ~/.pgpass apply)")
    group.add_argument(
        "connstring",
        nargs="?",
        metavar="CONNSTRING",
        help="a postgresql:// URI or 'key=value ...' conninfo",
    )
    group.add_argument("-h", "--host", help="server host or socket directory")
    group.add_argument("-p", "--port", help="server port")
    group.add_argument("-U", "--username", help="role to connect as")
    group.add_argument("-d", "--dbname", help="database (or a whole connection string)")
    group.add_argument("--service", help="a service name from pg_service.conf")
    group.add_argument(
        "-W", "--password", action="store_true", help="ask for a password before connecting"
    )
    group.add_argument("-w", "--no-password", action="store_true", help="never ask for a password")


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--help", "-?", action="help", help="show this help and exit")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="TOML settings file (default: $XDG_CONFIG_HOME/pgwatch/config.toml)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a throwaway local PostgreSQL with a live workload and watch it",
    )
    parser.add_argument(
        "--demo-standby",
        action="store_true",
        help="with --demo: watch the demo's streaming standby instead of its primary",
    )
    parser.add_argument(
        "--pg-bin", type=Path, metavar="DIR", help="PostgreSQL server binaries for --demo"
    )


def build_parser() -> tuple[
    argparse.ArgumentParser, argparse.ArgumentParser, argparse.ArgumentParser
]:
    """The dashboard's parser, then the `snapshot` and `advise` commands'."""
    return _dashboard_parser(), _snapshot_parser(), _advise_parser()


def _dashboard_parser() -> argparse.ArgumentParser:
    main = _Parser(
        prog="pgwatch",
        add_help=False,
        description="A terminal dashboard for PostgreSQL health.",
        epilog="Commands: 'pgwatch snapshot --help' prints one snapshot and exits.",
    )
    _common_options(main)
    main.add_argument("--version", action="version", version=f"pgwatch {__version__}")
    main.add_argument(
        "--read-only",
        action="store_true",
        default=None,
        help="no actions at all; the server session is read-only",
    )
    main.add_argument(
        "--refresh",
        type=float,
        metavar="SECONDS",
        help="seconds between refreshes, 0.5 to 60 (default 2)",
    )
    _connection_options(main)
    return main


def _snapshot_parser() -> argparse.ArgumentParser:
    snap = _Parser(
        prog="pgwatch snapshot",
        add_help=False,
        description="Take two polls --interval apart and print one snapshot.",
    )
    _common_options(snap)
    snap.add_argument("--json", action="store_true", help="print the JSON document")
    snap.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds between the two polls (default 1)",
    )
    snap.add_argument("--top", type=int, metavar="N", help="statements to include (default 50)")
    _connection_options(snap)
    return snap


def _advise_parser() -> argparse.ArgumentParser:
    advise = _Parser(
        prog="pgwatch advise",
        add_help=False,
        description="Suggest indexes for the busiest statements (or one), validated "
        "with HypoPG when it is installed.",
    )
    _common_options(advise)
    advise.add_argument("--json", action="store_true", help="print JSON")
    advise.add_argument(
        "--top",
        type=int,
        default=5,
        metavar="N",
        help="advise on the N busiest statements (default 5)",
    )
    advise.add_argument("--queryid", type=int, metavar="ID", help="advise on this statement only")
    advise.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds between the two polls that measure the workload",
    )
    _connection_options(advise)
    return advise


def _prompt_password(label: str) -> str | None:
    if not (sys.stdin.isatty() and os.path.exists("/dev/tty")):
        return None
    return getpass.getpass(f"Password for {label}: ")


def _target(args: argparse.Namespace) -> ConnTarget:
    return build_target(
        args.connstring,
        host=args.host,
        port=args.port,
        user=args.username,
        dbname=args.dbname,
        service=args.service,
    )


def _settings(args: argparse.Namespace) -> Settings:
    cli = {
        "read_only": getattr(args, "read_only", None),
        "refresh": getattr(args, "refresh", None),
        # `pgwatch advise --top` counts statements to advise on, not a setting.
        "top_statements": None if hasattr(args, "queryid") else getattr(args, "top", None),
    }
    return build_settings(config_path=args.config, environ=os.environ, cli=cli)


@contextlib.contextmanager
def _exit_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (the SSH link dropped) end pgwatch like Ctrl-C: cleanly."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(argv: Sequence[str]) -> int:
    main_parser, snapshot_parser, advise_parser = build_parser()
    if argv and argv[0] in COMMANDS:
        command = argv[0]
        parser = snapshot_parser if command == "snapshot" else advise_parser
        args = parser.parse_args(argv[1:])
    else:
        args = main_parser.parse_args(argv)
        command = "dashboard"
    if command in COMMANDS and not 0.1 <= args.interval <= 60:
        raise UsageError(f"--interval must be between 0.1 and 60 seconds (got {args.interval})")
    settings = _settings(args)
    from pgwatch_tui import runner  # imported late: --help and --version stay instant

    with _exit_on_signals():
        if args.demo or args.demo_standby:
            return runner.run_demo(command, args, settings)
        target = _target(args)
        if args.password:
            password = _prompt_password(target.masked)
            if password is None:
                raise UsageError("-W needs a terminal to ask for the password on")
            target = target.with_password(password)
        return runner.run(command, args, settings, target, prompt=_prompt_password)


def main(argv: Sequence[str] | None = None) -> int:
    """The `pgwatch` command, once `launch.main` has paused the collector."""
    gc_policy.pause_for_start_up()
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except PgWatchError as exc:
        print(f"pgwatch: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    finally:
        gc_policy.resume()


if __name__ == "__main__":
    raise SystemExit(main())
