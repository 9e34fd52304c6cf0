-- Probe: vacuum_progress (every tick)
-- Purpose: VACUUMs running now (manual and autovacuum), their phase and progress, and
--          whether an autovacuum runs to prevent wraparound.
-- Privilege: any role; other roles' vacuums show without their query.
-- Fills: VacuumProgress
-- Since 17: dead tuple storage is measured in bytes (dead_tuple_bytes, max_dead_tuple_bytes)
-- and num_dead_tuples became num_dead_item_ids.
SELECT p.pid,
       p.datname AS database,
       CASE WHEN p.datname = current_database() THEN p.relid::regclass::text
            ELSE 'oid ' || p.relid::text END AS relation,
       p.phase,
       p.heap_blks_total,
       p.heap_blks_scanned,
       p.heap_blks_vacuumed,
       p.index_vacuum_count,
       p.dead_tuple_bytes,
       p.max_dead_tuple_bytes,
       p.num_dead_item_ids AS dead_items,
       coalesce(a.query LIKE 'autovacuum:%(to prevent wraparound)', false) AS is_wraparound,
       extract(epoch FROM now() - a.xact_start)::float8 AS running_s
  FROM pg_stat_progress_vacuum p
  LEFT JOIN pg_stat_activity a ON a.pid = p.pid
 ORDER BY p.pid
