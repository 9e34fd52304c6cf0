"""Connection strings: psql-style layering, password masking and one-line error messages."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from pgwatch_tui.core.collect.conninfo import (
    MASK,
    build_target,
    describe_target,
    explain_connect_error,
    mask_conninfo,
    scrub,
)
from pgwatch_tui.core.errors import PasswordNeeded, UsageError


def test_flags_layer_over_a_uri() -> None:
    target = build_target("postgresql://alice@db1:5432/app?sslmode=require", port="6432")
    params = conninfo_to_dict(target.conninfo)
    assert params == {
        "user": "alice",
        "host": "db1",
        "port": "6432",
        "dbname": "app",
        "sslmode": "require",
    }


def test_flags_alone_make_a_conninfo() -> None:
    target = build_target(None, host="h", port="5", user="u", dbname="d")
    assert conninfo_to_dict(target.conninfo) == {
        "host": "h",
        "port": "5",
        "user": "u",
        "dbname": "d",
    }


def test_service_name_is_passed_to_libpq() -> None:
    target = build_target(None, service="prod")
    assert conninfo_to_dict(target.conninfo) == {"service": "prod"}


def test_dbname_holding_a_connection_string_is_used_whole_like_psql() -> None:
    target = build_target(None, dbname="host=h dbname=d")
    assert conninfo_to_dict(target.conninfo) == {"host": "h", "dbname": "d"}


def test_nothing_given_leaves_everything_to_libpq_defaults() -> None:
    assert build_target(None).conninfo == ""


def test_malformed_conninfo_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="malformed connection string"):
        build_target("host=a port")


def test_malformed_uri_error_does_not_show_the_password() -> None:
    with pytest.raises(UsageError) as info:
        build_target("postgresql://bob:s3cr%zzet@h/db")
    assert "s3cr" not in info.value.message


def test_mask_hides_the_password_of_a_uri_and_a_conninfo() -> None:
    assert "hunter2" not in mask_conninfo("postgresql://u:hunter2@h/db")
    assert MASK in mask_conninfo("postgresql://u:hunter2@h/db")
    assert "hunter2" not in mask_conninfo("host=h password=hunter2")


def test_target_with_prompted_password_never_shows_it() -> None:
    target = build_target("host=h").with_password("typed-secret")
    assert "typed-secret" not in repr(target)
    assert "typed-secret" not in target.masked
    assert target.secrets() == ["typed-secret"]


def test_scrub_removes_uri_userinfo_and_known_passwords() -> None:
    assert scrub("bad: postgresql://u:pw@h/db") == f"bad: postgresql://u:{MASK}@h/db"
    assert scrub("failed near hunter2", "password=hunter2") == f"failed near {MASK}"


def test_describe_target_uses_env_defaults() -> None:
    assert describe_target("", {"PGHOST": "db9", "PGPORT": "6000"}) == "db9:6000"
    assert describe_target("host=a", {}) == "a:5432"
    assert describe_target("service=prod", {}) == "service prod"


LIBPQ_MESSAGES = [
    (
        'connection failed: connection to server at "10.0.0.1", port 5432 failed: timeout expired',
        "no answer within 5 s",
    ),
    (
        "failed to resolve host 'nohost.invalid': [Errno -2] Name or service not known",
        "unknown host",
    ),
    (
        'connection failed: connection to server at "h", port 5432 failed: FATAL:  password '
        'authentication failed for user "bob"',
        "wrong password for user 'bob'",
    ),
    (
        'connection failed: connection to server at "h", port 5432 failed: FATAL:  database '
        '"nope" does not exist',
        'database "nope" does not exist',
    ),
    (
        'connection failed: connection to server at "h", port 5432 failed: FATAL:  role "x" '
        "does not exist",
        'role "x" does not exist',
    ),
    (
        'connection failed: connection to server at "h", port 5432 failed: server does not '
        "support SSL, but SSL was required",
        "SSL is required",
    ),
    (
        'connection failed: connection to server at "h", port 80 failed: received invalid '
        "response to SSL negotiation: H",
        "does not speak PostgreSQL",
    ),
    (
        'connection failed: connection to server at "h", port 5432 failed: server closed the '
        "connection unexpectedly\n\tThis probably means the server terminated abnormally",
        "closed the connection at start-up",
    ),
    (
        'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused\n\tIs the server running on that host and accepting TCP/IP connections?",
        "connection refused",
    ),
    ('connection is bad: invalid sslmode value: "bogus"', "malformed connection string"),
]


@pytest.mark.parametrize(("libpq", "expected"), LIBPQ_MESSAGES)
def test_connect_errors_become_one_human_line(libpq: str, expected: str) -> None:
    error = explain_connect_error(
        libpq, target="h:5432", user="bob", timeout_s=5, secrets=["hunter2"]
    )
    assert expected in error.message
    assert error.message.startswith("cannot connect to h:5432: ")
    assert "\n" not in error.message
    assert error.exit_code == 2


def test_missing_password_is_its_own_error_type() -> None:
    error = explain_connect_error(
        'connection failed: connection to server at "h", port 5432 failed: fe_sendauth: no '
        "password supplied",
        target="h:5432",
        user=None,
        timeout_s=5,
        secrets=[],
    )
    assert isinstance(error, PasswordNeeded)


def test_connect_error_never_repeats_a_known_password() -> None:
    error = explain_connect_error(
        "weird failure mentioning hunter2",
        target="h:1",
        user=None,
        timeout_s=5,
        secrets=["hunter2"],
    )
    assert "hunter2" not in error.message
