-- Query: index_leftovers (after a concurrent build failed or was cancelled)
-- Purpose: INVALID indexes a failed REINDEX CONCURRENTLY (<name>_ccnew, <name>_ccold) or
--          CREATE INDEX CONCURRENTLY (<name>) left on the table, that nobody is building now.
-- Privilege: any role.
-- Fills: LeftoverIndex
-- Parameters: schema_name (text), table_name (text), name (text).
SELECT n.nspname AS schema_name,
       ic.relname AS name,
       ic.relpages::int8 * current_setting('block_size')::int8 AS size_bytes
  FROM pg_index x
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_class tc ON tc.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
 WHERE n.nspname = %(schema_name)s
   AND tc.relname = %(table_name)s
   AND NOT x.indisvalid
   AND (ic.relname = %(name)s
        OR ic.relname ~ ('^' || regexp_replace(%(name)s, '([.^$*+?()[\]{}|\\-])', '\\\1', 'g')
                         || '_cc(new|old)[0-9]*$'))
   AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p
                    WHERE p.index_relid = x.indexrelid)
 ORDER BY ic.relname
