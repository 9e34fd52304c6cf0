-- Query: advice_table (on demand, when advising on a table)
-- Purpose: the table's rows, pages and write rates (since its statistics began), and how many
--          indexes every non-HOT update already has to maintain.
-- Privilege: any role.
-- Fills: TableStats (advisor)
-- Parameters: table (text, resolved through the statement's search_path).
SELECT now() AS now,
       n.nspname AS schema_name,
       c.relname AS name,
       c.reltuples::float8 AS reltuples,
       c.relpages::int8 AS relpages,
       current_setting('block_size')::int AS block_size,
       coalesce(s.n_tup_ins, 0)::float8 AS inserts,
       coalesce(s.n_tup_upd, 0)::float8 AS updates,
       coalesce(s.n_tup_hot_upd, 0)::float8 AS hot_updates,
       coalesce(s.n_tup_del, 0)::float8 AS deletes,
       -- Counters run since the statistics reset (or the server start): seconds since then.
       greatest(extract(epoch FROM now() - coalesce(
           (SELECT d.stats_reset FROM pg_stat_database d WHERE d.datname = current_database()),
           pg_postmaster_start_time())), 1)::float8 AS seconds,
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)::int AS index_count
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.oid = to_regclass(%(table)s)
