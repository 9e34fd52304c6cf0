-- Query: hypo_create (on demand, when validating index advice)
-- Purpose: a hypothetical index, visible to the planner of this session only; nothing is
--          written or built.
-- Privilege: any role (HypoPG must be created in the database).
-- Fills: (indexrelid, indexname)
-- Parameters: ddl (text, a CREATE INDEX statement).
SELECT h.indexrelid::int8 AS indexrelid, h.indexname
  FROM hypopg_create_index(%(ddl)s) h
