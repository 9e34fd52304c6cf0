-- Query: hypo_size (on demand, when validating index advice)
-- Purpose: HypoPG's own size estimate of a hypothetical index, shown beside pgwatch's
--          deduplication-aware one.
-- Privilege: any role.
-- Fills: (size_bytes)
-- Parameters: indexrelid (bigint).
SELECT hypopg_relation_size(%(indexrelid)s::oid)::int8 AS size_bytes
