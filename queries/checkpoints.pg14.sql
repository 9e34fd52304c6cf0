-- Probe: checkpoints (every tick)
-- Purpose: checkpoint counters and timings, to tell timed from requested checkpoints.
-- Privilege: any role.
-- Fills: CheckpointStats
-- Before 17: the checkpointer's counters live in pg_stat_bgwriter.
SELECT b.checkpoints_timed,
       b.checkpoints_req AS checkpoints_requested,
       b.checkpoint_write_time AS write_time_ms,
       b.checkpoint_sync_time AS sync_time_ms,
       b.buffers_checkpoint AS buffers_written,
       b.stats_reset
  FROM pg_stat_bgwriter b
