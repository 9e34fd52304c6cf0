-- Probe: server_settings (on connect, then every tables_interval_s; merged into the server row)
-- Purpose: the role's superuser flag and the settings shown or used by pgwatch. Read rarely:
--          pg_settings builds a row for every setting, which costs more than the rest of a
--          tick's identity probe together.
-- Privilege: any role.
-- Fills: ServerSettings
-- track_activity_query_size needs a restart to change, so a value read now stays exact for
-- the life of the connection; the sessions probe uses it to tell which query texts the
-- server cut short.
SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user), false)
           AS is_superuser,
       (SELECT s.setting::int FROM pg_settings s WHERE s.name = 'track_activity_query_size')
           AS activity_query_size,
       (SELECT jsonb_object_agg(s.name, s.setting || coalesce(s.unit, ''))
          FROM pg_settings s
         WHERE s.name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem',
                          'effective_cache_size', 'max_wal_size', 'random_page_cost',
                          'track_io_timing', 'track_activity_query_size', 'autovacuum',
                          'block_size', 'server_encoding', 'TimeZone')) AS settings
