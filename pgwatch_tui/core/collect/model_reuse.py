"""Row models built once and handed out again while their row does not change.

At scale most rows repeat tick after tick (idle statements, quiet tables, settled indexes).
Looking a row up by its values is far cheaper than building its model again, and handing out
the very same object lets the rates and the views recognise an unchanged row by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Values = tuple[Any, ...]


@dataclass(frozen=True)
class ExtraColumn:
    """A column given beside the rows rather than in them (the statements' query texts).

    Not part of a row's identity: a kept model is handed out again only while its value for
    this column is the very same object (the texts come from one cache, so it is)."""

    name: str
    values: Sequence[Any]  # one per row


class ModelReuse:
    """Per probe, last tick's models by row values; rows gone since are forgotten."""

    def __init__(self) -> None:
        self._by_probe: dict[str, dict[Values, Any]] = {}

    def models(
        self,
        probe: str,
        columns: Sequence[str],
        rows: Sequence[Values],
        build: Callable[[dict[str, Any]], Any],
        extra: ExtraColumn | None = None,
    ) -> list[Any]:
        """One model per row: last tick's when the row is identical, else `build(row)`."""
        before = self._by_probe.get(probe, {})
        kept: dict[Values, Any] = {}
        models = []
        for at, values in enumerate(rows):
            try:
                model = before.get(values)
                hashable = True
            except TypeError:  # an array or JSON value: built every time
                model, hashable = None, False
            if extra is not None:
                value = extra.values[at]
                if model is not None and getattr(model, extra.name) is not value:
                    model = None
            if model is None:
                fields = dict(zip(columns, values, strict=True))
                if extra is not None:
                    fields[extra.name] = value
                model = build(fields)
            if hashable:
                kept[values] = model
            models.append(model)
        self._by_probe[probe] = kept
        return models
