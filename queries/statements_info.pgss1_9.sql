-- Probe: statements_info (every tick with statements)
-- Purpose: when pg_stat_statements was last reset as a whole, and how many entries it has
--          evicted; a reset makes every statement delta of that interval meaningless.
-- Privilege: any role.
-- Fills: StatementsInfo
-- Since 1.9: pg_stat_statements_info exists (earlier versions: probe unsupported).
SELECT i.dealloc, i.stats_reset
  FROM pg_stat_statements_info i
