"""Baseline models for the codec benchmark: pydantic v2 and msgspec, same schema as ours.

They are built by walking the attrs classes of :mod:`disclosure_schema.model`, so every
class, field name, nesting and order matches the real model exactly (a hand copy would
drift). Strictness is as close to ours as each library allows:

- pydantic: ``strict=True, frozen=True, extra="forbid"``; counts ``int >= 0``, signed
  ``int``, amounts ``Decimal >= 0`` (read from JSON strings, written as strings), dates
  ISO strings, tuples for arrays, the two templates as a union discriminated by
  ``template``.
- msgspec: ``Struct(forbid_unknown_fields=True, frozen=True)`` with the same constraints;
  reports are tagged structs (``tag_field="template"``), which msgspec writes first.

These models live in bench/ only; they are not part of the package.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal

import attrs
import msgspec
import pydantic

from disclosure_schema import Report2019, Report2021
from disclosure_schema.model._values import cell_kind

_PYDANTIC_CONFIG = pydantic.ConfigDict(strict=True, frozen=True, extra="forbid")

_PYDANTIC_KINDS: dict[str, Any] = {
    "count": Annotated[int, pydantic.Field(ge=0)] | None,
    "signed": int | None,
    "amount": Annotated[Decimal, pydantic.Field(ge=0)] | None,
}
_MSGSPEC_KINDS: dict[str, Any] = {
    "count": Annotated[int, msgspec.Meta(ge=0)] | None,
    "signed": int | None,
    "amount": Decimal | None,
}


def _translate(type_: Any, model_of: Any) -> Any:
    """The same annotation with every attrs class replaced by its baseline model."""
    if isinstance(type_, type) and attrs.has(type_):
        return model_of(type_)
    origin = typing.get_origin(type_)
    if origin is None:
        return type_
    args = tuple(_translate(arg, model_of) for arg in typing.get_args(type_))
    if origin is tuple:
        return tuple[args]  # type: ignore[valid-type]
    result = args[0]
    for arg in args[1:]:
        result = result | arg
    return result


@cache
def pydantic_model(cls: type[Any]) -> type[pydantic.BaseModel]:
    fields: dict[str, Any] = {}
    if cls in (Report2019, Report2021):
        fields["template"] = (Literal[cls.template], cls.template)  # type: ignore[valid-type]
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = cell_kind(field)
        annotation = _PYDANTIC_KINDS[kind] if kind else _translate(field.type, pydantic_model)
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            sub = pydantic_model(field.default.factory)
            fields[field.name] = (annotation, pydantic.Field(default_factory=sub))
        elif field.default is attrs.NOTHING:
            fields[field.name] = (annotation, ...)
        else:
            fields[field.name] = (annotation, field.default)
    return pydantic.create_model(  # type: ignore[no-any-return, call-overload]
        f"P{cls.__name__}", __config__=_PYDANTIC_CONFIG, **fields
    )


@cache
def msgspec_model(cls: type[Any]) -> type[msgspec.Struct]:
    fields: list[tuple[str, Any, Any]] = []
    required: list[tuple[str, Any]] = []
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = cell_kind(field)
        annotation = _MSGSPEC_KINDS[kind] if kind else _translate(field.type, msgspec_model)
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            sub = msgspec_model(field.default.factory)
            fields.append((field.name, annotation, msgspec.field(default_factory=sub)))
        elif field.default is attrs.NOTHING:
            required.append((field.name, annotation))
        else:
            fields.append((field.name, annotation, field.default))
    options: dict[str, Any] = {}
    if cls in (Report2019, Report2021):
        options = {"tag_field": "template", "tag": cls.template}
    return msgspec.defstruct(
        f"M{cls.__name__}",
        [*required, *fields],
        forbid_unknown_fields=True,
        frozen=True,
        kw_only=True,
        **options,
    )


PydanticReport = pydantic.TypeAdapter(
    Annotated[
        pydantic_model(Report2019) | pydantic_model(Report2021),
        pydantic.Field(discriminator="template"),
    ]
)
MsgspecReport = msgspec_model(Report2019) | msgspec_model(Report2021)

msgspec_decoder = msgspec.json.Decoder(MsgspecReport)
msgspec_encoder = msgspec.json.Encoder(decimal_format="string")


def pydantic_decode(data: bytes) -> Any:
    return PydanticReport.validate_json(data)


# Writing with the report's own class, not the union: pydantic's fastest public way to
# bytes (the union adapter is about 1.7x slower, as it first picks the member).
_PYDANTIC_WRITERS = {
    model: pydantic.TypeAdapter(model)
    for model in (pydantic_model(Report2019), pydantic_model(Report2021))
}


def pydantic_encode(report: Any) -> bytes:
    return _PYDANTIC_WRITERS[type(report)].dump_json(report)


def msgspec_decode(data: bytes) -> Any:
    return msgspec_decoder.decode(data)


def msgspec_encode(report: Any) -> bytes:
    return msgspec_encoder.encode(report)


__all__ = [
    "MsgspecReport",
    "PydanticReport",
    "msgspec_decode",
    "msgspec_encode",
    "pydantic_decode",
    "pydantic_encode",
]
