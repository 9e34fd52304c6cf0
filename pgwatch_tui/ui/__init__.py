"""The Textual dashboard. Never imports psycopg: it only consumes snapshots and sends controls."""
