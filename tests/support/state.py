"""Comparing two aggregates attribute by attribute, types included.

``==`` is not enough: ``BodyKind.CONSULTATIVE_GROUP == "consultative_group"`` is true, so a snapshot that
restored an enum as a plain string (and broke every ``kind is BodyKind.X`` in the domain) would compare
equal. ``differences`` also requires each value to be of exactly the same type, all the way down.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any


def state_differences(left: Any, right: Any) -> list[str]:
    """Where two aggregates' states differ. The order of their attributes does not matter (a snapshot
    sets its id and version last); the order inside each attribute does (members are listed in the
    order they joined)."""
    mine, theirs = vars(left), vars(right)
    if sorted(mine) != sorted(theirs):
        return [f"attributes {sorted(mine)} != {sorted(theirs)}"]
    return [d for name in sorted(mine) for d in differences(mine[name], theirs[name], name)]


def differences(left: Any, right: Any, path: str = "") -> list[str]:
    """Every place where ``left`` and ``right`` differ in value or in type (empty when they are the same)."""
    if type(left) is not type(right):
        return [f"{path or '.'}: {type(left).__name__} {left!r} != {type(right).__name__} {right!r}"]
    if isinstance(left, dict):
        if list(left) != list(right):  # the same keys, in the same order
            return [f"{path}: keys {list(left)[:20]} != {list(right)[:20]}"]
        return [d for key in left for d in differences(left[key], right[key], f"{path}[{key!r}]")]
    if isinstance(left, (list, tuple)):
        if len(left) != len(right):
            return [f"{path}: {len(left)} items != {len(right)} items"]
        return [d for i, (a, b) in enumerate(zip(left, right, strict=True)) for d in differences(a, b, f"{path}[{i}]")]
    if isinstance(left, Enum):
        return [] if left is right else [f"{path}: {left!r} != {right!r}"]
    if isinstance(left, (set, frozenset)):
        return differences(_ordered(left), _ordered(right), path)
    if dataclasses.is_dataclass(left):
        return [
            d
            for f in dataclasses.fields(left)
            for d in differences(getattr(left, f.name), getattr(right, f.name), f"{path}.{f.name}")
        ]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


def _ordered(items: set[Any] | frozenset[Any]) -> list[Any]:
    return sorted(items, key=lambda item: (type(item).__name__, repr(item)))
