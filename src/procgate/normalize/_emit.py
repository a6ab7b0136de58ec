"""Fast construction of Subjects and Owners (the GC pause is procgate/gcpause.py).

A 100k-component SBOM yields about half a million Subjects. Measured here (Python 3.11,
2 cores): the frozen dataclass ``__init__`` costs ~0.9 s for 600k Subjects with the
cyclic GC running, ~0.45 s without it, and filling the slots directly ~0.2 s. With the
GC running, the collections our allocations trigger also walk the whole loaded document
(millions of dicts) again and again: the full normalization took 1.6-2.3 s that way and
0.8 s paused. One young-generation pass over the new objects (~0.2 s for 600k) still
happens when the collector is re-enabled; only the caller can avoid it (gc.freeze()).
Subjects and Owners hold only strings and Owners, so they form no reference cycles and
pausing the collector loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from typing import Any

from procgate.model import Owner, Subject
from procgate.normalize.parse import domain_from_email, parse_actor

SubjectFactory = Callable[[str, str, str, Owner, str], Subject]
OwnerFactory = Callable[[str, str, str, str, str, str], Owner]


def _slot_factory(cls: type, names: tuple[str, ...]) -> Callable[..., Any] | None:
    """A positional constructor that fills `cls`'s slots directly, skipping the frozen
    dataclass ``__setattr__`` indirection. ``None`` if `cls` no longer has exactly these
    fields (model.py changed): the caller then falls back to the real constructor, so a
    new field can never be left unset."""
    if tuple(f.name for f in fields(cls)) != names or "__slots__" not in cls.__dict__:
        return None
    setters = [getattr(cls, name).__set__ for name in names]
    new = object.__new__
    if len(names) == 5:
        s0, s1, s2, s3, s4 = setters

        def make5(a: Any, b: Any, c: Any, d: Any, e: Any) -> Any:
            obj: Any = new(cls)
            s0(obj, a)
            s1(obj, b)
            s2(obj, c)
            s3(obj, d)
            s4(obj, e)
            return obj

        return make5
    if len(names) == 6:
        t0, t1, t2, t3, t4, t5 = setters

        def make6(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any) -> Any:
            obj: Any = new(cls)
            t0(obj, a)
            t1(obj, b)
            t2(obj, c)
            t3(obj, d)
            t4(obj, e)
            t5(obj, f)
            return obj

        return make6
    return None


# subject(role, value, pointer, owner, party) and owner(pointer, label, category, name,
# text, purl): all arguments positional and required, equal to the dataclass results.
subject: SubjectFactory = (
    _slot_factory(Subject, ("role", "value", "pointer", "owner", "party")) or Subject
)
owner: OwnerFactory = (
    _slot_factory(Owner, ("pointer", "label", "category", "name", "text", "purl")) or Owner
)


def text(value: Any) -> str | None:
    """A non-empty stripped string, or ``None``. Numbers become strings (YAML reads an
    all-digit CAGE or DUNS as an int); booleans, lists and dicts are not names."""
    if type(value) is str:
        value = value.strip()
        return value or None
    if type(value) is int or type(value) is float:
        return str(value)
    return None


@lru_cache(maxsize=4096)  # a package list repeats a few suppliers and authors
def actor_values(value: str, role: str) -> tuple[tuple[str, str, str], ...]:
    """(role, value, party) of the subjects of one SPDX actor string (also used by SPDX 3
    for ``Organization: X`` names). An organization gives its name and the domain of its
    e-mail. A person, or an actor without a prefix, gives its value with party ``unknown``
    and the e-mail kept in it (``Eugene <eugene@kaspersky.com>``): the matcher then matches
    a value that is evidently an organization (a legal form, a listed name) and reviews an
    address at a listed domain, but never matches a person's name against companies."""
    actor = parse_actor(value)
    if actor is None or actor.kind == "tool":
        return ()
    if actor.kind == "organization":
        host = domain_from_email(actor.email) if actor.email else None
        if host:
            return ((role, actor.name, "organization"), ("domain", host, "identifier"))
        return ((role, actor.name, "organization"),)
    name = actor.name
    if actor.kind == "person" and actor.email:
        name = f"{name} <{actor.email}>"
    return ((role, name, "unknown"),)
