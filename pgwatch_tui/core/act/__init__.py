"""Actions: the only code that changes anything on the server, on its own connection."""
