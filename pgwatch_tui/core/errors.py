"""Errors pgwatch reports to people: each carries one human line, never a traceback or secret."""

from __future__ import annotations


class PgWatchError(Exception):
    """Base for errors with a one-line message meant for the user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PgWatchError):
    """Bad command line, option value or config file."""


class ConnectError(PgWatchError):
    """The monitored server could not be reached or refused us."""


class PasswordNeeded(ConnectError):
    """The server asked for a password that was not supplied."""


class SandboxError(PgWatchError):
    """The throwaway demo/test cluster could not be made or started."""


class DiagnosisError(PgWatchError):
    """A measurement or plan that could not be made, with the reason and the fix."""
