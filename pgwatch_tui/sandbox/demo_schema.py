"""The demo database: a small shop whose schema has the problems pgwatch is built to find.

* orders.customer_id is a foreign key with no index (a slow lookup and a missing FK index);
* orders.status is skewed (1 % 'pending'): a partial index is the right fix for its query;
* events has autovacuum off and was mass-updated and half deleted: real table and index bloat,
  including a low-cardinality btree (events_kind_idx) where deduplication matters;
* customers has an index nobody uses and two indexes where one would do.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

DEMO_DATABASE = "shop"

EXTENSIONS = ("pg_stat_statements", "hypopg", "pgstattuple", "pg_qualstats")

SCHEMA = """
CREATE TABLE customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    country     text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE TABLE products (
    id        int PRIMARY KEY,
    name      text NOT NULL,
    category  text NOT NULL,
    price     numeric(10, 2) NOT NULL
);
CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint NOT NULL,
    product_id   int NOT NULL,
    status       text NOT NULL,
    total        numeric(12, 2) NOT NULL,
    created_at   timestamptz NOT NULL,
    note         text
);
CREATE TABLE accounts (
    id       int PRIMARY KEY,
    owner    text NOT NULL,
    balance  numeric(14, 2) NOT NULL
);
CREATE TABLE events (
    id          bigint PRIMARY KEY,
    kind        text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL
) WITH (autovacuum_enabled = false);
"""

DATA = """
INSERT INTO customers (name, email, country, created_at)
SELECT 'customer ' || g,
       'c' || g || '@example.com',
       (ARRAY['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'GB', 'ES'])[1 + g % 8],
       now() - (g % 1000) * interval '1 day'
  FROM generate_series(1, 50000) g;

INSERT INTO products
SELECT g, 'product ' || g, (ARRAY['books', 'games', 'tools', 'food'])[1 + g % 4],
       (5 + g % 200)::numeric
  FROM generate_series(1, 2000) g;

INSERT INTO orders (customer_id, product_id, status, total, created_at, note)
SELECT 1 + (g::bigint * 7919) % 50000,
       1 + g % 2000,
       CASE WHEN g % 100 = 0 THEN 'pending'
            WHEN g % 100 < 4 THEN 'shipped'
            ELSE 'delivered' END,
       (g % 500) + 0.99,
       now() - (g % 720) * interval '1 hour',
       CASE WHEN g % 10 = 0 THEN 'gift wrap' END
  FROM generate_series(1, 400000) g;

-- Constraints after the load: one validating join instead of 400,000 trigger checks.
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id),
                   ADD FOREIGN KEY (product_id) REFERENCES products (id);

INSERT INTO accounts SELECT g, 'owner ' || g, 1000 FROM generate_series(1, 100) g;

INSERT INTO events
SELECT g, (ARRAY['click', 'view', 'buy'])[1 + g % 3],
       jsonb_build_object('n', g, 'tag', 'v1'),
       now() - g * interval '1 second'
  FROM generate_series(1, 150000) g;
"""

# Index problems on purpose: an unused one, an exact duplicate, a redundant prefix.
INDEXES = """
CREATE INDEX customers_created_at_idx ON customers (created_at);
CREATE INDEX customers_email_idx ON customers (email);
CREATE INDEX customers_email_name_idx ON customers (email, name);
CREATE INDEX customers_country_idx ON customers (country);
CREATE INDEX customers_country_idx1 ON customers (country);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_created_at_idx ON events (created_at);
"""

# Rewrite every event and delete most: the table and its indexes keep the space.
BLOAT = """
UPDATE events SET payload = payload || '{"tag": "v2"}';
DELETE FROM events WHERE id % 5 <> 0;
"""


def create_demo_database(admin_conninfo: str) -> None:
    """Create the demo database (from a connection to the maintenance database)."""
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DEMO_DATABASE)))


def load_demo_schema(conninfo: str, available_extensions: set[str]) -> None:
    """Create extensions, tables, data and the deliberate problems; then ANALYZE."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for extension in EXTENSIONS:
            if extension in available_extensions:
                conn.execute(
                    sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension))
                )
        with conn.transaction():
            conn.execute(SCHEMA)
            conn.execute(DATA)
            conn.execute(INDEXES)
        conn.execute(BLOAT)
        conn.execute("VACUUM events")
        conn.execute("ANALYZE")
        if "pg_stat_statements" in available_extensions:
            conn.execute("SELECT pg_stat_statements_reset()")
