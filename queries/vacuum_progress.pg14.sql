-- Probe: vacuum_progress (every tick)
-- Purpose: VACUUMs running now (manual and autovacuum), their phase and progress, and
--          whether an autovacuum runs to prevent wraparound.
-- Privilege: any role; other roles' vacuums show without their query.
-- Fills: VacuumProgress
-- Before 17: dead tuples are counted (num_dead_tuples), not measured in bytes.
SELECT p.pid,
       p.datname AS database,
       CASE WHEN p.datname = current_database() THEN p.relid::regclass::text
            ELSE 'oid ' || p.relid::text END AS relation,
       p.phase,
       p.heap_blks_total,
       p.heap_blks_scanned,
       p.heap_blks_vacuumed,
       p.index_vacuum_count,
       NULL::int8 AS dead_tuple_bytes,
       NULL::int8 AS max_dead_tuple_bytes,
       p.num_dead_tuples AS dead_items,
       coalesce(a.query LIKE 'autovacuum:%(to prevent wraparound)', false) AS is_wraparound,
       extract(epoch FROM now() - a.xact_start)::float8 AS running_s
  FROM pg_stat_progress_vacuum p
  LEFT JOIN pg_stat_activity a ON a.pid = p.pid
 ORDER BY p.pid
