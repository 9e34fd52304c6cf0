-- Query: hypo_drop (on demand, when validating index advice)
-- Purpose: forget one hypothetical index of this session.
-- Privilege: any role.
-- Fills: (dropped)
-- Parameters: indexrelid (bigint).
SELECT hypopg_drop_index(%(indexrelid)s::oid) AS dropped
