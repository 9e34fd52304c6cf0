"""Opening a connection to the monitored server with pgwatch's session settings.

The settings ride in the start-up packet (libpq `options`), so no SET statement is ever sent:
the session is read-only on the server, named, and capped by statement_timeout, lock_timeout
and idle_in_transaction_session_timeout from its first moment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row

from pgwatch_tui.core.collect.conninfo import ConnTarget, describe_target, explain_connect_error
from pgwatch_tui.core.settings import Settings

APPLICATION_NAME = "pgwatch"
Conn = psycopg.AsyncConnection[DictRow]


def first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag else None
    text = primary or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0]


def session_options(settings: Settings, existing: str | None) -> str:
    """The libpq `options` that make the monitoring session safe, after the user's own."""
    ours = (
        f"-c default_transaction_read_only=on -c statement_timeout={settings.statement_timeout_ms}"
        f" -c lock_timeout={settings.lock_timeout_ms}"
        f" -c idle_in_transaction_session_timeout={settings.idle_in_transaction_timeout_ms}"
        " -c jit=off"
    )
    return f"{existing} {ours}" if existing else ours


async def open_connection(
    target: ConnTarget,
    settings: Settings,
    *,
    options: str | None = None,
    application_name: str = APPLICATION_NAME,
    environ: Mapping[str, str] | None = None,
    dbname: str | None = None,
) -> Conn:
    """Connect like libpq would, with pgwatch's session settings; explain failures in a line."""
    env = os.environ if environ is None else environ
    params = conninfo_to_dict(target.conninfo)
    kwargs: dict[str, Any] = {"application_name": application_name}
    kwargs["options"] = (
        options
        if options is not None
        else session_options(settings, str(params["options"]) if params.get("options") else None)
    )
    if "connect_timeout" not in params and "PGCONNECT_TIMEOUT" not in env:
        kwargs["connect_timeout"] = settings.connect_timeout_s
    if target.password is not None:
        kwargs["password"] = target.password
    if dbname is not None:
        kwargs["dbname"] = dbname
    try:
        conn = await psycopg.AsyncConnection.connect(
            target.conninfo, row_factory=dict_row, prepare_threshold=2, **kwargs
        )
    except psycopg.Error as exc:
        user = params.get("user") or env.get("PGUSER")
        raise explain_connect_error(
            str(exc),
            target=describe_target(target.conninfo, env),
            user=str(user) if user else None,
            timeout_s=int(params.get("connect_timeout") or settings.connect_timeout_s),
            secrets=target.secrets(),
        ) from None
    return conn
