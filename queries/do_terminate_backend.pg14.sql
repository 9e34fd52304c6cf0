-- Action: do_terminate_backend (on confirmation, never in read-only mode)
-- Purpose: end a session (rolling back its transaction and releasing its locks).
-- Privilege: the session's role, a member of pg_signal_backend, or superuser.
-- Fills: (signalled bool)
-- Parameters: pid (int).
SELECT pg_terminate_backend(%(pid)s) AS signalled
