"""Column and table statistics the advisor reasons with (filled from table_columns.sql)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnStats:
    """One column of the advised table, with what pg_stats knows of it."""

    name: str
    attnum: int
    data_type: str
    avg_width: int | None
    null_frac: float | None
    n_distinct: float | None
    align: str
    length: int
    dedup_capable: bool
    common_values: list[str] = field(default_factory=list)
    common_freqs: list[float] = field(default_factory=list)

    def distinct(self, rows: float) -> float | None:
        if self.n_distinct is None:
            return None
        return -self.n_distinct * rows if self.n_distinct < 0 else self.n_distinct

    def frequency(self, value: str) -> float | None:
        """Share of rows holding `value`: from the most common values, else the rest spread."""
        if value in self.common_values:
            return self.common_freqs[self.common_values.index(value)]
        if self.n_distinct is None:
            return None
        rest = max(1.0 - sum(self.common_freqs) - (self.null_frac or 0.0), 0.0)
        others = max(
            (self.n_distinct if self.n_distinct > 0 else 1000.0) - len(self.common_values), 1.0
        )
        return rest / others


@dataclass(frozen=True)
class TableStats:
    """The advised table: size, rows, write rates and its columns by name."""

    schema_name: str
    name: str
    reltuples: float
    relpages: int
    block_size: int
    inserts_per_s: float
    updates_per_s: float
    hot_updates_per_s: float
    deletes_per_s: float
    index_count: int
    columns: dict[str, ColumnStats]

    @property
    def qualified(self) -> str:
        return f"{self.schema_name}.{self.name}"
