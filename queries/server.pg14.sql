-- Probe: server (every tick; runs first in the tick's transaction)
-- Purpose: identity, uptime and key settings of the monitored server. Its now() is the tick's
--          clock: every probe of the tick runs in one transaction and sees the same now().
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
       coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user), false)
           AS is_superuser,
       pg_backend_pid() AS backend_pid,
       (SELECT jsonb_object_agg(s.name, s.setting || coalesce(s.unit, ''))
          FROM pg_settings s
         WHERE s.name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem',
                          'effective_cache_size', 'max_wal_size', 'random_page_cost',
                          'track_io_timing', 'track_activity_query_size', 'autovacuum',
                          'block_size', 'server_encoding', 'TimeZone')) AS settings
