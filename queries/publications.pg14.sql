-- Probe: publications (every tables_interval_s)
-- Purpose: the publications of the current database: what they publish and how many tables.
-- Privilege: any role (pg_publication and pg_publication_tables are readable by all).
-- Fills: Publication
SELECT p.pubname::text AS name,
       p.puballtables AS all_tables,
       array_remove(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END,
                          CASE WHEN p.pubupdate THEN 'update' END,
                          CASE WHEN p.pubdelete THEN 'delete' END,
                          CASE WHEN p.pubtruncate THEN 'truncate' END], NULL) AS operations,
       (SELECT count(*) FROM pg_publication_tables t WHERE t.pubname = p.pubname)::int AS tables
  FROM pg_publication p
 ORDER BY p.pubname
