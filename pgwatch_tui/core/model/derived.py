"""A frozen model whose cached properties are forgotten by every copy.

pydantic's `model_copy` copies the instance `__dict__`, which is where `functools.cached_property`
keeps its values: a copy with new sessions would still report the old session counts."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from typing import Any, Self

from pydantic import BaseModel


@cache  # per class, once
def _cached_names(cls: type) -> frozenset[str]:
    return frozenset(
        name
        for klass in cls.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, cached_property)
    )


class DerivedModel(BaseModel):
    """Base for models with `cached_property` values worked out from their fields."""

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        for name in _cached_names(type(self)):
            copy.__dict__.pop(name, None)
        return copy
