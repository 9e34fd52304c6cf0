-- Probe: indexes (slow cadence, or when a pane shows indexes)
-- Purpose: usage, cache hits, size, validity and definition of user indexes.
-- Privilege: any role (statistics of indexes in the connected database).
-- Fills: IndexStats (with what index health needs: method, key and INCLUDE columns,
--        operator classes, expressions, predicate, and the constraint it backs)
-- Sizes come from pg_class.relpages, for the same no-lock reason as the tables probe.
-- Since 16: last_idx_scan (when the index was last used).
SELECT i.indexrelid::int8 AS indexrelid,
       i.relid::int8 AS relid,
       i.schemaname AS schema_name,
       i.relname AS table_name,
       i.indexrelname AS name,
       i.idx_scan,
       i.idx_tup_read,
       i.idx_tup_fetch,
       i.last_idx_scan AS last_idx_scan,
       io.idx_blks_read,
       io.idx_blks_hit,
       c.relpages::int8 * current_setting('block_size')::int8 AS size_bytes,
       x.indisunique AS is_unique,
       x.indisprimary AS is_primary,
       x.indisvalid AS is_valid,
       x.indisready AS is_ready,
       am.amname AS method,
       -- int2vector/oidvector subscripts start at 0; these arrays are ordinary ones.
       ARRAY(SELECT x.indkey[k]::int FROM generate_series(0, x.indnkeyatts - 1) k)
           AS key_columns,
       ARRAY(SELECT x.indkey[k]::int FROM generate_series(x.indnkeyatts, x.indnatts - 1) k)
           AS include_columns,
       ARRAY(SELECT x.indclass[k]::int8 FROM generate_series(0, x.indnkeyatts - 1) k)
           AS opclasses,
       ARRAY(SELECT x.indcollation[k]::int8 FROM generate_series(0, x.indnkeyatts - 1) k)
           AS collations,
       ARRAY(SELECT x.indoption[k]::int FROM generate_series(0, x.indnkeyatts - 1) k)
           AS options,
       pg_get_expr(x.indexprs, x.indrelid) AS expressions,
       pg_get_expr(x.indpred, x.indrelid) AS predicate,
       (SELECT con.contype::text FROM pg_constraint con
         WHERE con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')
         LIMIT 1) AS constraint_type,
       pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_stat_user_indexes i
  JOIN pg_statio_user_indexes io ON io.indexrelid = i.indexrelid
  JOIN pg_index x ON x.indexrelid = i.indexrelid
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am am ON am.oid = c.relam
 ORDER BY i.schemaname, i.relname, i.indexrelname
