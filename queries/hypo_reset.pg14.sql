-- Query: hypo_reset (on demand, after validating index advice)
-- Purpose: forget every hypothetical index of this session.
-- Privilege: any role.
-- Fills: nothing
SELECT hypopg_reset()
