"""Where the shipped policies, ban lists and schemas live (wheel or source checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[2]


def _root(name: str) -> Path:
    packaged = _PACKAGED / name
    return packaged if packaged.is_dir() else _CHECKOUT / name


def policies_dir() -> Path:
    """Shipped Rego and Python policies."""
    return _root("policies")


def data_dir() -> Path:
    """Shipped ban lists (policies/data)."""
    return policies_dir() / "data"


def schema_path(name: str) -> Path:
    """A JSON Schema of procgate's own formats, e.g. 'purchase-request'."""
    return _root("schemas") / f"{name}.schema.json"
