"""Row models built once and handed out again while their row does not change.

At scale most rows repeat tick after tick (idle statements, quiet tables, settled indexes).
Looking a row up by its values is far cheaper than building its model again, and handing out
the very same object lets the rates and the views recognise an unchanged row by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Values = tuple[Any, ...]


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
    ) -> list[Any]:
        """One model per row: last tick's when the row is identical, else `build(row)`."""
        before = self._by_probe.get(probe, {})
        kept: dict[Values, Any] = {}
        models = []
        for values in rows:
            try:
                model = before.get(values)
                hashable = True
            except TypeError:  # an array or JSON value: built every time
                model, hashable = None, False
            if model is None:
                model = build(dict(zip(columns, values, strict=True)))
            if hashable:
                kept[values] = model
            models.append(model)
        self._by_probe[probe] = kept
        return models
