-- Action: do_drop_index (on confirmation, never in read-only mode)
-- Purpose: remove an index (an invalid leftover of a failed concurrent build) without blocking
--          reads or writes of its table.
-- Privilege: owner of the index (or superuser).
-- Fills: nothing
-- Placeholders: {index} (psycopg.sql.Identifier(schema, name)).
DROP INDEX CONCURRENTLY IF EXISTS {index}
