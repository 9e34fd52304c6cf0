-- Query: action_index_target (before an index action is confirmed)
-- Purpose: what a REINDEX or DROP of an index must know first: its table, its size, whether it
--          is a system catalog index, whether it backs an exclusion constraint (which
--          REINDEX CONCURRENTLY cannot rebuild), whether it is valid, and whether this server is
--          a standby.
-- Privilege: any role.
-- Fills: index facts
-- Parameters: schema_name (text), name (text).
SELECT n.nspname AS schema_name,
       ic.relname AS name,
       tc.relname AS table_name,
       ic.relpages::int8 * current_setting('block_size')::int8 AS size_bytes,
       n.nspname IN ('pg_catalog', 'pg_toast', 'information_schema')
           OR n.nspname LIKE 'pg_toast%%' AS is_system,
       EXISTS (SELECT 1 FROM pg_constraint c
                WHERE c.conindid = x.indexrelid AND c.contype = 'x') AS is_exclusion,
       (SELECT c.conname FROM pg_constraint c
         WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint_name,
       x.indisvalid AS is_valid,
       pg_is_in_recovery() AS in_recovery,
       current_setting('server_version_num')::int AS version_num
  FROM pg_class ic
  JOIN pg_namespace n ON n.oid = ic.relnamespace
  JOIN pg_index x ON x.indexrelid = ic.oid
  JOIN pg_class tc ON tc.oid = x.indrelid
 WHERE n.nspname = %(schema_name)s
   AND ic.relname = %(name)s
