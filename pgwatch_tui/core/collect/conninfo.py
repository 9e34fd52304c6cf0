"""Connection strings, the libpq way: pgwatch composes, masks and explains, libpq resolves.

Host, port, user and database defaults, PG* variables, ~/.pgpass and pg_service.conf are all
libpq's business; pgwatch only layers command-line flags over the given connection string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from psycopg import ProgrammingError
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pgwatch_tui.core.errors import ConnectError, PasswordNeeded, UsageError

MASK = "********"
_URI_PREFIXES = ("postgresql://", "postgres://")


def looks_like_conninfo(text: str) -> bool:
    """psql treats a -d value with '=' or a URI scheme as a full connection string."""
    return "=" in text or text.startswith(_URI_PREFIXES)


@dataclass(frozen=True)
class ConnTarget:
    """What to connect to: the libpq conninfo (may hold a password) and its masked form."""

    conninfo: str
    password: str | None = field(default=None, repr=False)

    @property
    def masked(self) -> str:
        """The conninfo with any password hidden: the only form ever shown or logged."""
        return mask_conninfo(self.conninfo)

    def with_password(self, password: str) -> ConnTarget:
        return ConnTarget(self.conninfo, password)

    def secrets(self) -> list[str]:
        """Every password-like value this target knows, to scrub from messages."""
        return [p for p in (self.password, _password_in(self.conninfo)) if p]


def build_target(
    connstring: str | None,
    *,
    host: str | None = None,
    port: str | None = None,
    user: str | None = None,
    dbname: str | None = None,
    service: str | None = None,
) -> ConnTarget:
    """Layer -h/-p/-U/-d/--service over CONNSTRING, like psql; everything else stays libpq's."""
    base = connstring or ""
    if dbname and not base and looks_like_conninfo(dbname):
        # psql: `-d "host=x dbname=y"` is a whole connection string.
        base, dbname = dbname, None
    overrides = {
        k: v
        for k, v in {
            "host": host,
            "port": port,
            "user": user,
            "dbname": dbname,
            "service": service,
        }.items()
        if v
    }
    try:
        conninfo = make_conninfo(base, **overrides)
    except ProgrammingError as exc:
        raise UsageError(f"malformed connection string: {scrub(_first(exc), base)}") from None
    return ConnTarget(conninfo)


def _first(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _password_in(conninfo: str) -> str | None:
    try:
        value = conninfo_to_dict(conninfo).get("password")
    except ProgrammingError:
        return None
    return str(value) if value else None


def mask_conninfo(conninfo: str) -> str:
    """Hide the password of a conninfo; an unparseable one is reduced to its safe shape."""
    try:
        params = conninfo_to_dict(conninfo)
    except ProgrammingError:
        return scrub(conninfo, conninfo)
    if params.get("password"):
        params["password"] = MASK
    return make_conninfo("", **params)


_URI_USERINFO = re.compile(r"(postgres(?:ql)?://[^:@/\s]*):[^@/\s]*@")
_URI_PASSWORD = re.compile(r"postgres(?:ql)?://[^:@/\s]*:([^@/\s]+)@")


def scrub(message: str, *sources: str) -> str:
    """Remove passwords from a message: URI userinfo and any known password value."""
    cleaned = _URI_USERINFO.sub(rf"\1:{MASK}@", message)
    for source in sources:
        # The raw (still percent-encoded) password of a URI libpq could not parse, and the
        # decoded one of a string it could.
        raw = _URI_PASSWORD.search(source)
        for secret in (raw.group(1) if raw else None, _password_in(source)):
            if secret:
                cleaned = cleaned.replace(secret, MASK)
    return cleaned


def describe_target(conninfo: str, environ: Mapping[str, str]) -> str:
    """A best-effort `user@host:port/db` before connecting, for error messages."""
    try:
        params = conninfo_to_dict(conninfo)
    except ProgrammingError:
        params = {}

    def pick(key: str, env: str, default: str) -> str:
        value = params.get(key) or environ.get(env)
        return str(value) if value else default

    if params.get("service") or environ.get("PGSERVICE"):
        service = params.get("service") or environ.get("PGSERVICE")
        return f"service {service}"
    host = pick("host", "PGHOST", "local socket")
    port = pick("port", "PGPORT", "5432")
    return f"{host}:{port}"


# libpq message fragment -> human explanation. Checked in order; the first match wins.
_EXPLANATIONS: tuple[tuple[str, str], ...] = (
    ("servname not supported", "malformed connection string: the port is not a number"),
    ("password authentication failed", "wrong password for user {user}"),
    ("no password supplied", "the server wants a password and none was given"),
    ("does not exist", "{detail}"),
    ("could not translate host name", "unknown host name {host}"),
    ("name or service not known", "unknown host name {host}"),
    ("failed to resolve host", "unknown host name {host}"),
    ("timeout expired", "no answer within {timeout} s: host unreachable or port filtered"),
    ("connection refused", "connection refused: is PostgreSQL running and listening there?"),
    ("no such file or directory", "no server socket there: is PostgreSQL running locally?"),
    (
        "server does not support ssl, but ssl was required",
        "SSL is required (sslmode) but the server does not offer it",
    ),
    ("ssl connection is required", "the server requires SSL: use sslmode=require"),
    ("no pg_hba.conf entry", "refused by the server's pg_hba.conf for this user and database"),
    ("received invalid response to ssl negotiation", "that port does not speak PostgreSQL"),
    ("expected authentication request", "that port does not speak PostgreSQL"),
    ("server closed the connection unexpectedly", "the server closed the connection at start-up"),
    ("invalid integer value", "malformed connection string: {detail}"),
    ("invalid uri", "malformed connection string: {detail}"),
    ("invalid percent-encoded", "malformed connection string: {detail}"),
    ("invalid sslmode", "malformed connection string: {detail}"),
    ("invalid connection option", "malformed connection string: {detail}"),
    ("definition of service", "{detail}"),
    ("too many connections", "the server has no free connection slots for this role"),
    ("the database system is starting up", "the server is starting up; try again shortly"),
    ("the database system is shutting down", "the server is shutting down"),
    ("the database system is in recovery mode", "the server is recovering after a crash"),
)

_FAILED_PREFIX = re.compile(
    r"^(?:connection (?:failed|is bad):\s*)?(?:.*?(?:connection to server|could not connect)"
    r".*?failed:\s*)?",
    re.I,
)


def _libpq_reason(message: str) -> str:
    """The last meaningful line of a libpq message, without its `connection to ... failed:`."""
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    reasons = [_FAILED_PREFIX.sub("", ln) for ln in lines if not ln.startswith(("Is the", "\t"))]
    for reason in reversed(reasons):
        if reason and not reason.lower().startswith("hint"):
            return reason.rstrip(".")
    return lines[-1] if lines else "unknown error"


def explain_connect_error(
    message: str,
    *,
    target: str,
    user: str | None,
    timeout_s: int,
    secrets: list[str],
) -> ConnectError:
    """Turn a libpq connection failure into one human line, with no password in it."""
    reason = _libpq_reason(message)
    for secret in secrets:
        reason = reason.replace(secret, MASK)
    reason = scrub(reason)
    lowered = message.lower()
    host = target.rsplit(":", 1)[0]
    for needle, template in _EXPLANATIONS:
        if needle in lowered:
            text = template.format(
                user=repr(user) if user else "(default)",
                host=repr(host),
                timeout=timeout_s,
                detail=reason,
            )
            error_type = PasswordNeeded if needle == "no password supplied" else ConnectError
            return error_type(f"cannot connect to {target}: {text}")
    return ConnectError(f"cannot connect to {target}: {reason}")
