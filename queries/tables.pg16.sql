-- Probe: tables (slow cadence, or when a pane shows tables)
-- Purpose: activity, vacuum state, cache hits, sizes and freeze age of user tables.
-- Privilege: any role (statistics of tables in the connected database).
-- Fills: TableStats
-- Sizes come from pg_class.relpages (as of the last VACUUM, ANALYZE or index build), not from
-- pg_relation_size(): that takes an AccessShareLock on every table for the whole tick, which
-- queues behind DDL and can exhaust the lock table on schemas with thousands of tables.
-- Since 16: last_seq_scan (when the table was last read by a sequential scan).
SELECT t.relid::int8 AS relid,
       t.schemaname AS schema_name,
       t.relname AS name,
       t.seq_scan,
       t.seq_tup_read,
       t.idx_scan,
       t.idx_tup_fetch,
       t.n_tup_ins,
       t.n_tup_upd,
       t.n_tup_del,
       t.n_tup_hot_upd,
       t.n_live_tup,
       t.n_dead_tup,
       t.n_mod_since_analyze,
       t.last_vacuum,
       t.last_autovacuum,
       t.last_analyze,
       t.last_autoanalyze,
       t.last_seq_scan AS last_seq_scan,
       t.vacuum_count,
       t.autovacuum_count,
       io.heap_blks_read,
       io.heap_blks_hit,
       io.idx_blks_read,
       io.idx_blks_hit,
       c.relpages::int8 * current_setting('block_size')::int8 AS table_bytes,
       (c.relpages::int8
        + coalesce((SELECT tc.relpages FROM pg_class tc WHERE tc.oid = c.reltoastrelid), 0)
        + coalesce((SELECT sum(ic.relpages) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = c.oid), 0)::int8
       ) * current_setting('block_size')::int8 AS total_bytes,
       age(c.relfrozenxid)::int8 AS frozen_xid_age
  FROM pg_stat_user_tables t
  JOIN pg_statio_user_tables io ON io.relid = t.relid
  JOIN pg_class c ON c.oid = t.relid
 ORDER BY t.schemaname, t.relname
