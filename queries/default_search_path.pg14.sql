-- Query: default_search_path (on demand, before planning a statement)
-- Purpose: make unqualified names in a statement resolve as they did for the application: the
--          monitoring session pins its own search_path, so restore the session default for the
--          current transaction only.
-- Privilege: any role.
-- Fills: nothing (set_config returns the new value)
SELECT pg_catalog.set_config('search_path', s.reset_val, true) AS search_path
  FROM pg_catalog.pg_settings s
 WHERE s.name = 'search_path'
