-- Action: do_drop_index (on confirmation, never in read-only mode)
-- Purpose: remove an index (an invalid leftover of a failed concurrent build) without blocking
--          reads or writes of its table.
-- Privilege: owner of the index (or superuser).
-- Fills: nothing
-- Placeholders: index, a psycopg.sql.Identifier(schema, name) (never named in braces here:
--               a comment is formatted too, and a line break in a name would end it).
DROP INDEX CONCURRENTLY IF EXISTS {index}
