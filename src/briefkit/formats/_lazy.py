"""Small helpers the format packages share: names a package offers but imports on first use
(so that reading or checking a file never loads the writer's dependencies, and ``import
briefkit`` loads no format), and read-only mappings for frozen values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from types import MappingProxyType
from typing import Any

__all__ = ["lazy_names", "read_only"]


def read_only(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only copy of ``value``, so that a frozen value holds no mutable state."""
    return MappingProxyType(dict(value))


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` that imports each name in ``where`` from
    its submodule (``{"DocxExporter": "writer"}``) when it is first asked for."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
