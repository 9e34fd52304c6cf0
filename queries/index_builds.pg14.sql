-- Probe: index_builds (every tick, with the Indexes pane and during index actions)
-- Purpose: CREATE INDEX / REINDEX running now, with phase and progress; it also tells an
--          invalid index that is still being built from a leftover of a failed build.
-- Privilege: any role.
-- Fills: IndexBuild
SELECT p.pid,
       p.datname AS database,
       p.relid::int8 AS relid,
       p.index_relid::int8 AS index_relid,
       CASE WHEN p.datname = current_database() AND p.index_relid <> 0
            THEN p.index_relid::regclass::text END AS index_name,
       p.command,
       p.phase,
       p.lockers_total,
       p.lockers_done,
       nullif(p.current_locker_pid, 0) AS current_locker_pid,
       p.blocks_total,
       p.blocks_done,
       p.tuples_total,
       p.tuples_done,
       p.partitions_total,
       p.partitions_done
  FROM pg_stat_progress_create_index p
 ORDER BY p.pid
