"""pgwatch: a terminal dashboard for PostgreSQL health."""

__version__ = "0.1.0"
