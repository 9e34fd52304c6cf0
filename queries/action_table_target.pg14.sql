-- Query: action_table_target (before CREATE INDEX is confirmed)
-- Purpose: the table an index would be built on: its size (the build reads it all), whether it
--          is a system catalog, and whether this server is a standby.
-- Privilege: any role.
-- Fills: table facts
-- Parameters: schema_name (text), name (text).
SELECT c.relpages::int8 * current_setting('block_size')::int8 AS size_bytes,
       n.nspname IN ('pg_catalog', 'pg_toast', 'information_schema') AS is_system,
       pg_is_in_recovery() AS in_recovery,
       current_setting('server_version_num')::int AS version_num
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema_name)s
   AND c.relname = %(name)s
