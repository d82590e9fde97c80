"""Filling a model object without running its ``__init__``: for readers (the JSON decoder,
the page parser) whose values were already checked against the same rules the
validators apply. A class qualifies only when every validator and converter of it is
marked as mirrored (:func:`disclosure_schema.model._values.mirrored`) and it has no
init hooks; a new, unmarked rule makes the readers run ``__init__`` again."""

from __future__ import annotations

from typing import Any

import attrs

from disclosure_schema.model._values import MIRRORED

__all__ = ["filler", "fills_directly"]


def fills_directly(cls: type[Any]) -> bool:
    """Whether the mirror structs enforce every invariant of ``cls``, so its instances
    can be filled slot by slot without running ``__init__`` (and its validators) again:
    only when every validator and converter is marked as mirrored (see
    :func:`disclosure_schema.model._values.mirrored`); a new, unmarked rule makes the
    decoder run ``__init__``."""
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return False
    for field in attrs.fields(cls):
        if not hasattr(cls.__dict__.get(field.name), "__set__"):
            return False
        for check in (field.validator, field.converter):
            if check is not None and not getattr(check, MIRRORED, False):
                return False
    return True


_FILLERS: dict[type, type | None] = {}


def filler(cls: type[Any]) -> type[Any] | None:
    """An unfrozen subclass of ``cls`` with its very layout, so a decoder can fill an
    instance with plain attribute stores and then set its ``__class__`` to ``cls``
    (None when the interpreter refuses that for ``cls``: then its slots are set one
    descriptor call at a time). Made once per class."""
    if cls in _FILLERS:
        return _FILLERS[cls]
    try:
        twin = type(
            f"{cls.__name__}Filling",
            (cls,),
            {
                "__slots__": (),
                # both: the interpreter writes a slot directly only when neither is
                # overridden
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "__module__": __name__,
            },
        )
        probe: Any = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:  # pragma: no cover - a class the interpreter will not swap to
        _FILLERS[cls] = None
        return None
    _FILLERS[cls] = twin
    return twin
