"""The fast decoder fills each object through an unfrozen twin of its class and then
sets its ``__class__``: the objects it gives back must be exactly the model's."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

from disclosure_schema import from_dict, from_json, to_dict
from disclosure_schema.codec import _MODEL_CLASSES, _filler

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _objects(value: Any) -> list[Any]:
    found = []
    if attrs.has(type(value)):
        found.append(value)
        for field in attrs.fields(type(value)):
            found += _objects(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            found += _objects(item)
    return found


def test_every_model_class_has_a_filler() -> None:
    # not needed for correctness (without one, slots are set one descriptor call at a
    # time), but the decode speed depends on it
    assert [cls.__name__ for cls in _MODEL_CLASSES if _filler(cls) is None] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_decoded_objects_are_the_model_classes_and_frozen(path: Path) -> None:
    report = from_json(path.read_bytes())
    objects = _objects(report)
    assert len(objects) > 10
    for obj in objects:
        assert type(obj) in _MODEL_CLASSES
        assert not type(obj).__name__.endswith("Filling")
        field = attrs.fields(type(obj))[0]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(obj, field.name, getattr(obj, field.name))
    reference = from_dict(to_dict(report))
    assert report == reference
    assert hash(report) == hash(reference)
    assert pickle.loads(pickle.dumps(report)) == report
