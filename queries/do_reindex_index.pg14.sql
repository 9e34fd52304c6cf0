-- Action: do_reindex_index (on confirmation, never in read-only mode)
-- Purpose: rebuild a bloated or corrupt index without blocking writes. Cannot run inside a
--          transaction block; a failure or cancel leaves an INVALID <name>_ccnew index behind.
-- Privilege: owner of the table (or superuser).
-- Fills: nothing
-- Placeholders: index, a psycopg.sql.Identifier(schema, name) (never named in braces here:
--               a comment is formatted too, and a line break in a name would end it).
REINDEX INDEX CONCURRENTLY {index}
