-- Probe: capabilities (once per connection)
-- Purpose: what this server and role let pgwatch do: extensions (installed, created, where),
--          role memberships, and settings that change what the panes can show.
-- Privilege: any role.
-- Fills: CapabilityFacts
-- shared_preload_libraries is hidden from roles without pg_read_all_settings (NULL then);
-- the pg_stat_statements.max setting exists exactly when the library is loaded.
SELECT (SELECT s.setting FROM pg_settings s WHERE s.name = 'shared_preload_libraries')
           AS shared_preload_libraries,
       current_setting('pg_stat_statements.max', true) IS NOT NULL AS pgss_loaded,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'pg_stat_statements')
           AS pgss_version,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pg_stat_statements') AS pgss_schema,
       (SELECT a.default_version FROM pg_available_extensions a
         WHERE a.name = 'pg_stat_statements') AS pgss_available,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'hypopg') AS hypopg_version,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'hypopg') AS hypopg_schema,
       (SELECT a.default_version FROM pg_available_extensions a
         WHERE a.name = 'hypopg') AS hypopg_available,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'pgstattuple')
           AS pgstattuple_version,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pgstattuple') AS pgstattuple_schema,
       (SELECT a.default_version FROM pg_available_extensions a
         WHERE a.name = 'pgstattuple') AS pgstattuple_available,
       current_user AS role_name,
       current_database() AS database,
       coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user), false)
           AS is_superuser,
       pg_has_role(current_user, 'pg_monitor', 'USAGE') AS has_pg_monitor,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS has_read_all_stats,
       pg_has_role(current_user, 'pg_stat_scan_tables', 'USAGE') AS has_stat_scan_tables,
       pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS has_signal_backend,
       current_setting('track_io_timing') = 'on' AS track_io_timing,
       current_setting('track_activities') = 'on' AS track_activities,
       current_setting('track_counts') = 'on' AS track_counts,
       current_setting('compute_query_id') AS compute_query_id,
       pg_is_in_recovery() AS in_recovery,
       current_setting('server_version_num')::int AS version_num
