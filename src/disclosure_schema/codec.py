"""Serialization: the one place where cattrs is configured.

Reports become plain dicts and JSON (``to_dict``/``to_json``) and come back strictly
(``from_dict``/``from_json``): a string, float or bool in a count cell, an unknown key,
a negative count or an unknown template tag is a :class:`ReportFormatError` that lists
every problem with its JSON path.

Two converters are built by the same configuration function: a fast one without
detailed validation for the common case, and a detailed one that runs only when the fast
one has failed, to say where and why. Both use the same hooks, so they accept exactly
the same documents.
"""

from __future__ import annotations

import datetime as _dt
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs
import cattrs
import orjson
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.orjson import make_converter

from disclosure_schema.errors import Problem, ReportFormatError
from disclosure_schema.model import (
    ExtraRow,
    Meta,
    Report,
    Report2019,
    Report2021,
    report_class,
)
from disclosure_schema.model._values import cell_kind

__all__ = [
    "DECIMAL_PATTERN",
    "from_dict",
    "from_json",
    "json_schema",
    "to_dict",
    "to_json",
]

#: How an amount (a :class:`~decimal.Decimal`) is written in JSON: a string of digits,
#: so no float rounding can touch it in any language.
DECIMAL_PATTERN: Final = r"^[0-9]+(\.[0-9]+)?$"
_DECIMAL_RE: Final = re.compile(DECIMAL_PATTERN)
_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MAX_DECIMAL_CHARS: Final = 40
_ARTICLE_20_ITEMS: Final = (1, 5, 6, 8, 9)
_REPORT_CLASSES: Final = (Report2019, Report2021)
_EXTRA_VALUES: Final = tuple[int | Decimal | None, ...]


class _ValueProblem(ValueError):
    """A value hook's complaint; its text becomes the problem message as is."""


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f'string "{shown}"'
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


# --- value hooks: strict, one per kind of value -------------------------------------


def _structure_count(value: object, _: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise _ValueProblem(f"expected a non-negative integer or null, got {_describe(value)}")
    if value < 0:
        raise _ValueProblem(f"a count cannot be negative, got {value}")
    return value


def _structure_signed(value: object, _: object) -> int | None:
    if value is None or type(value) is int:
        return value
    raise _ValueProblem(f"expected an integer or null, got {_describe(value)}")


def _parse_decimal(value: object) -> Decimal:
    if type(value) is not str:
        raise _ValueProblem(
            f'expected a decimal written as a string (e.g. "9.63"), got {_describe(value)}'
        )
    if value.startswith("-") and _DECIMAL_RE.match(value[1:]):
        raise _ValueProblem(f"an amount cannot be negative, got {value}")
    if len(value) > _MAX_DECIMAL_CHARS or not _DECIMAL_RE.match(value):
        raise _ValueProblem(f'expected a decimal string like "9.63", got {_describe(value)}')
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _ValueProblem(f"not a decimal: {_describe(value)}") from None


def _structure_amount(value: object, _: object) -> Decimal | None:
    return None if value is None else _parse_decimal(value)


def _structure_extra_value(value: object, _: object) -> int | Decimal | None:
    if value is None or type(value) is int:
        return value
    if type(value) is str:
        return _parse_decimal(value)
    raise _ValueProblem(f"expected an integer, a decimal string or null, got {_describe(value)}")


def _structure_str(value: object, _: object) -> str:
    if type(value) is not str:
        raise _ValueProblem(f"expected a string, got {_describe(value)}")
    return value


def _structure_int(value: object, _: object) -> int:
    if type(value) is not int:
        raise _ValueProblem(f"expected an integer, got {_describe(value)}")
    return value


def _structure_year(value: object, _: object) -> int | None:
    if value is None:
        return None
    year = _structure_int(value, None)
    if year < 1900:
        raise _ValueProblem(f"a report year must be 1900 or later, got {year}")
    return year


def _structure_item(value: object, _: object) -> int:
    item = _structure_int(value, None)
    if item not in _ARTICLE_20_ITEMS:
        raise _ValueProblem(f"expected an article 20 item (1, 5, 6, 8 or 9), got {item}")
    return item


def _structure_date(value: object, _: object) -> _dt.date:
    if type(value) is not str or not _DATE_RE.match(value):
        raise _ValueProblem(f'expected a date "YYYY-MM-DD", got {_describe(value)}')
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise _ValueProblem(f"not a calendar date: {value}") from None


def _unstructure_decimal(value: Decimal) -> str:
    return format(value, "f")


def _unstructure_extra_value(value: int | Decimal | None) -> int | str | None:
    return _unstructure_decimal(value) if isinstance(value, Decimal) else value


_KIND_HOOKS: Final[dict[str, Callable[[object, object], object]]] = {
    "count": _structure_count,
    "signed": _structure_signed,
    "amount": _structure_amount,
}
_FIELD_HOOKS: Final[dict[tuple[type, str], Callable[[object, object], object]]] = {
    (Meta, "year"): _structure_year,
    (ExtraRow, "item"): _structure_item,
}


def _is_tuple_type(type_: Any) -> bool:
    return typing.get_origin(type_) is tuple


def _optional_of(type_: Any) -> Any | None:
    """``X`` for ``X | None``, else ``None``."""
    if typing.get_origin(type_) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(type_) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(type_)) == 2:
            return args[0]
    return None


def _make_converter(*, detailed: bool) -> cattrs.Converter:
    converter = make_converter(forbid_extra_keys=True, detailed_validation=detailed)

    # cattrs' defaults coerce ("12" → 12, True → 1, "ab" → ("a", "b")): replace them.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(_dt.date, _structure_date)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_unstructure_hook(_dt.date, _dt.date.isoformat)

    def optional_factory(type_: Any) -> Callable[[object, object], object]:
        inner_hook = converter.get_structure_hook(_optional_of(type_))

        def structure_optional(value: object, _: object) -> object:
            return None if value is None else inner_hook(value, None)

        return structure_optional

    converter.register_structure_hook_factory(
        lambda t: _optional_of(t) in (str, int, _dt.date), optional_factory
    )

    def tuple_factory(type_: Any) -> Callable[[object, object], tuple[object, ...]]:
        (item_type, _ellipsis) = typing.get_args(type_)
        item_hook = (
            _structure_extra_value
            if type_ == _EXTRA_VALUES
            else converter.get_structure_hook(item_type)
        )

        def structure_tuple(value: object, _: object) -> tuple[object, ...]:
            if type(value) is not list:
                raise _ValueProblem(f"expected an array, got {_describe(value)}")
            if not detailed:
                return tuple(item_hook(item, None) for item in value)
            items: list[object] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    items.append(item_hook(item, None))
                except Exception as error:  # noqa: BLE001 - collected with its index
                    error.__notes__ = [
                        *getattr(error, "__notes__", ()),
                        IterableValidationNote(f"item {index}", index, item_type),
                    ]
                    errors.append(error)
            if errors:
                raise IterableValidationError("invalid items", errors, type_)
            return tuple(items)

        return structure_tuple

    converter.register_structure_hook_factory(_is_tuple_type, tuple_factory)
    converter.register_unstructure_hook_func(
        lambda t: t == _EXTRA_VALUES,
        lambda values: [_unstructure_extra_value(v) for v in values],
    )

    def class_structure_factory(cls: type[Any]) -> Callable[[object, object], object]:
        overrides = {}
        for field in attrs.fields(attrs.resolve_types(cls)):
            kind = cell_kind(field)
            hook = _KIND_HOOKS[kind] if kind else _FIELD_HOOKS.get((cls, field.name))
            if hook is not None:
                overrides[field.name] = override(struct_hook=hook)
        generated = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]

        def structure_class(value: object, _: object) -> object:
            if type(value) is not dict:
                raise _ValueProblem(f"expected an object, got {_describe(value)}")
            return generated(value, cls)

        return structure_class

    converter.register_structure_hook_factory(attrs.has, class_structure_factory)

    def report_unstructure_factory(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        fields_only = make_dict_unstructure_fn(cls, converter)
        template = cls.template

        def unstructure_report(report: Any) -> dict[str, Any]:
            return {"template": template, **fields_only(report)}

        return unstructure_report

    converter.register_unstructure_hook_factory(
        lambda t: t in _REPORT_CLASSES, report_unstructure_factory
    )
    return converter


_FAST: Final = _make_converter(detailed=False)
_DETAILED: Final = _make_converter(detailed=True)


# --- problems with paths -------------------------------------------------------------


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def _problems(error: BaseException, path: str) -> Iterator[Problem]:
    if isinstance(error, ClassValidationError):
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            yield from _problems(sub, _join(path, note.name))
        for sub in without:
            yield from _problems(sub, path)
    elif isinstance(error, IterableValidationError):
        with_notes_i, without_i = error.group_exceptions()
        for sub, inote in with_notes_i:
            yield from _problems(sub, _join(path, inote.index))
        for sub in without_i:
            yield from _problems(sub, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields):
            yield Problem(_join(path, key), "unknown key")
    elif isinstance(error, KeyError):
        yield Problem(path, "required key is missing")
    elif isinstance(error, _ValueProblem):
        yield Problem(path, str(error))
    else:
        yield Problem(path, f"{type(error).__name__}: {error}")


# --- public functions ----------------------------------------------------------------


def to_dict(report: Report) -> dict[str, Any]:
    """A report as plain JSON-ready data: every cell key present, ``None`` when empty.

    Amounts (``Decimal``) become digit strings so no float can round them; dates become
    ISO strings.

    >>> from disclosure_schema import Report2021, to_dict
    >>> to_dict(Report2021())["requests"]["received"]["total"] is None
    True
    """
    data: dict[str, Any] = _FAST.unstructure(report, unstructure_as=type(report))
    return data


def from_dict(data: Mapping[str, Any]) -> Report:
    """Build a report from plain data, strictly.

    Raises :class:`ReportFormatError` listing every problem with its path.
    """
    if not isinstance(data, Mapping):
        raise ReportFormatError([Problem("", f"expected an object, got {_describe(data)}")])
    template = data.get("template")
    if template not in ("2019", "2021"):
        message = (
            "required key is missing"
            if "template" not in data
            else f'expected "2019" or "2021", got {_describe(template)}'
        )
        raise ReportFormatError([Problem("template", message)])
    cls = report_class(template)
    body = {key: value for key, value in data.items() if key != "template"}
    try:
        report: Report = _FAST.structure(body, cls)
        return report
    except Exception:  # noqa: BLE001 - any failure is re-run in detail below
        pass
    try:
        _DETAILED.structure(body, cls)
    except Exception as error:  # noqa: BLE001 - turned into our error with paths
        raise ReportFormatError(list(_problems(error, ""))) from None
    raise AssertionError("fast and detailed converters disagree")  # pragma: no cover


def to_json(report: Report, *, pretty: bool = True) -> str:
    """A report as JSON text: UTF-8 safe, Chinese not escaped, keys in template order.

    ``pretty`` (the default) indents by two spaces and ends with a newline; otherwise
    the JSON is compact.
    """
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE if pretty else 0
    try:
        return orjson.dumps(to_dict(report), option=option).decode("utf-8")
    except orjson.JSONEncodeError as error:  # e.g. a lone surrogate in a text field
        raise ReportFormatError([Problem("", f"cannot be written as JSON: {error}")]) from None


def from_json(text: str | bytes | bytearray) -> Report:
    """Load a report from JSON text or bytes, strictly (see :func:`from_dict`)."""
    if not isinstance(text, str | bytes | bytearray):
        raise ReportFormatError(
            [Problem("", f"expected JSON as str or bytes, got {type(text).__name__}")]
        )
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ReportFormatError([Problem("", f"not valid JSON: {error}")]) from None
    return from_dict(data)


# --- JSON Schema ---------------------------------------------------------------------

_SCHEMA_ID: Final = "https://disclosure-schema.example/report.schema.json"


def _field_schema(cls: type[Any], field: attrs.Attribute[Any], defs: dict[str, Any]) -> Any:
    kind = cell_kind(field)
    if kind == "count":
        return {"type": ["integer", "null"], "minimum": 0}
    if kind == "signed":
        return {"type": ["integer", "null"]}
    if kind == "amount":
        return {"type": ["string", "null"], "pattern": DECIMAL_PATTERN}
    if (cls, field.name) == (Meta, "year"):
        return {"type": ["integer", "null"], "minimum": 1900}
    if (cls, field.name) == (ExtraRow, "item"):
        return {"type": "integer", "enum": list(_ARTICLE_20_ITEMS)}
    return _type_schema(field.type, defs)


def _type_schema(type_: Any, defs: dict[str, Any]) -> Any:
    inner = _optional_of(type_)
    if inner is not None:
        schema = _type_schema(inner, defs)
        if "type" in schema and isinstance(schema["type"], str):
            return {**schema, "type": [schema["type"], "null"]}
        return {"anyOf": [schema, {"type": "null"}]}
    if type_ is str:
        return {"type": "string"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is _dt.date:
        return {"type": "string", "format": "date"}
    if type_ == (int | Decimal | None):
        return {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": DECIMAL_PATTERN},
                {"type": "null"},
            ]
        }
    if _is_tuple_type(type_):
        return {"type": "array", "items": _type_schema(typing.get_args(type_)[0], defs)}
    if isinstance(type_, type) and attrs.has(type_):
        _class_schema(type_, defs)
        return {"$ref": f"#/$defs/{type_.__name__}"}
    raise TypeError(f"no JSON Schema for {type_!r}")  # pragma: no cover


def _class_schema(cls: type[Any], defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # reserve the name first: classes refer to shared rows
    properties: dict[str, Any] = {}
    required: list[str] = []
    if cls in _REPORT_CLASSES:
        properties["template"] = {"const": cls.template}
        required.append("template")
    for field in attrs.fields(attrs.resolve_types(cls)):
        properties[field.name] = _field_schema(cls, field, defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    defs[cls.__name__] = schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report, generated from the model classes."""
    defs: dict[str, Any] = {}
    for cls in _REPORT_CLASSES:
        _class_schema(cls, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "Government information disclosure annual report (政府信息公开工作年度报告)",
        "description": (
            "One annual report on the 2019 or 2021 official template; keys are the cell"
            " keys of disclosure_schema. Empty cells are null, amounts are decimal strings."
        ),
        "oneOf": [{"$ref": f"#/$defs/{cls.__name__}"} for cls in _REPORT_CLASSES],
        "$defs": dict(sorted(defs.items())),
    }
