-- Probe: checkpoints (every tick)
-- Purpose: checkpoint counters and timings, to tell timed from requested checkpoints.
-- Privilege: any role.
-- Fills: CheckpointStats
-- Since 17: the counters moved to pg_stat_checkpointer, with new names.
SELECT c.num_timed AS checkpoints_timed,
       c.num_requested AS checkpoints_requested,
       c.write_time AS write_time_ms,
       c.sync_time AS sync_time_ms,
       c.buffers_written,
       c.stats_reset
  FROM pg_stat_checkpointer c
