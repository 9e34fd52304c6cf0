-- Action: do_cancel_backend (on confirmation, never in read-only mode)
-- Purpose: cancel the query a session is running; the session stays connected.
-- Privilege: the session's role, a member of pg_signal_backend, or superuser.
-- Fills: (signalled bool)
-- Parameters: pid (int).
SELECT pg_cancel_backend(%(pid)s) AS signalled
