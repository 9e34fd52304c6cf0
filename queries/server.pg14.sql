-- Probe: server (every tick; runs first in the tick's transaction)
-- Purpose: identity and uptime of the monitored server. Its now() is the tick's clock: every
--          probe of the tick runs in one transaction and sees the same now(). Nothing here
--          reads pg_settings, which builds every setting's row: server_settings does that, rarely.
-- Privilege: any role.
-- Fills: ServerInfo
SELECT now() AS now,
       current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       pg_postmaster_start_time() AS started_at,
       current_setting('server_version_num')::int / 10000 AS major,
       extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS uptime_s,
       pg_is_in_recovery() AS in_recovery,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved_connections,
       current_database() AS database,
       current_user AS "current_user",
       pg_backend_pid() AS backend_pid
