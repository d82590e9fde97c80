"""Serialization: the one place where cattrs is configured.

Reports become plain dicts and JSON (``to_dict``/``to_json``) and come back strictly
(``from_dict``/``from_json``): a string, float or bool in a count cell, an unknown key,
a negative count or an unknown template tag is a :class:`ReportFormatError` that lists
every problem with its JSON path.

Two converters are built by the same configuration function: a fast one without
detailed validation for the common case, and a detailed one that runs only when the fast
one has failed, to say where and why. Both use the same hooks, so they accept exactly
the same documents; they are the reference for what is accepted and what the problems say.

Every value check comes from the template spec: a cell's
:class:`~disclosure_schema.template.ValueKind` reads and writes its JSON, gives the
msgspec type and the JSON Schema fragment, and words its problems as the model
constructor does. So anything the constructor accepts is written and read back exactly,
and anything it refuses ``from_json`` refuses with the same words at the same path.

JSON text takes a faster road first: msgspec reads it into structs generated from the
model with the same rules, and generated functions copy those into the attrs classes.
A document msgspec refuses (or one it cannot prove free of duplicated keys, which
msgspec would silently collapse) is re-read by the reference path, so its answers and
messages are the reference's. Writing uses generated functions that build the same dicts
as the converter. Everything is generated once, at import, for the official templates;
a template registered later takes the reference path. The generated source is
registered in :mod:`linecache`, so tracebacks through it show their lines.
"""

from __future__ import annotations

import datetime as _dt
import json
import linecache
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

import attrs
import cattrs
import msgspec
import orjson
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.orjson import make_converter

from disclosure_schema.errors import FieldValueError, Problem, ReportFormatError
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.model import ExtraRow, Meta, Report, WrittenValue
from disclosure_schema.model._filling import filler as _filler
from disclosure_schema.model._filling import fills_directly as _fills_directly
from disclosure_schema.model._values import (
    ARTICLE_20_ITEMS,
    MAX_YEAR,
    MIN_YEAR,
    _check_written_values,
    extra_value_problem,
    item_problem,
    text_problem,
    value_kind,
    year_problem,
)
from disclosure_schema.template._kinds import (
    AMOUNT,
    AMOUNT_PATTERN,
    MAX_INTEGER,
    SIGNED,
    AmountKind,
    CountKind,
    HugeInteger,
    KindProblem,
    SignedKind,
    describe,
)
from disclosure_schema.template._spec import template_spec, template_tags

__all__ = [
    "DECIMAL_PATTERN",
    "from_dict",
    "from_json",
    "json_schema",
    "to_dict",
    "to_json",
    "to_json_bytes",
]

#: How an amount (a :class:`~decimal.Decimal`) is written in JSON: a string of digits,
#: so no float rounding can touch it in any language (the amount kind's pattern).
DECIMAL_PATTERN: Final = AMOUNT_PATTERN
_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_REPORT_CLASSES: Final = tuple(
    template_spec(tag).report_class for tag in template_tags(official=True)
)
_EXTRA_VALUES: Final = tuple[int | Decimal | None, ...]

# A value hook's complaint; its text becomes the problem message as is.
_ValueProblem = KindProblem
_describe = describe


def _is_report_class(type_: Any) -> bool:
    return isinstance(type_, type) and attrs.has(type_) and "template" in type_.__dict__


# --- value hooks: strict, one per kind of value (the checks are the model's) -------------


def _problem_hook(problem: Callable[[object], str | None]) -> Callable[[object, object], object]:
    def structure(value: object, _: object) -> object:
        message = problem(value)
        if message is not None:
            raise KindProblem(message)
        return value

    return structure


def _kind_hook(field: attrs.Attribute[Any]) -> Callable[[object, object], object] | None:
    kind = value_kind(field)
    if kind is None:
        return None
    read = kind.from_json
    return lambda value, _: read(value)


def _structure_extra_value(value: object, _: object) -> int | Decimal | None:
    if type(value) is str:
        number: Decimal = AMOUNT.from_json(value)  # type: ignore[assignment]
        return number
    problem = extra_value_problem(value)
    if problem is not None:
        raise KindProblem(problem)
    return value  # type: ignore[return-value]


def _structure_str(value: object, _: object) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise KindProblem(problem)
    return value  # type: ignore[return-value]


def _structure_int(value: object, _: object) -> int:
    if type(value) is not int:
        raise KindProblem(f"expected an integer, got {describe(value)}")
    return value


def _structure_date(value: object, _: object) -> _dt.date:
    if type(value) is not str or not _DATE_RE.match(value):
        raise KindProblem(f'expected a date "YYYY-MM-DD", got {describe(value)}')
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise KindProblem(f"not a calendar date: {value}") from None


def _unstructure_decimal(value: Decimal) -> str:
    return format(value, "f")


def _unstructure_extra_value(value: int | Decimal | None) -> int | str | None:
    return _unstructure_decimal(value) if isinstance(value, Decimal) else value


_FIELD_HOOKS: Final[dict[tuple[type, str], Callable[[object, object], object]]] = {
    (Meta, "year"): _problem_hook(year_problem),
    (ExtraRow, "item"): _problem_hook(item_problem),
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
                raise KindProblem(f"expected an array, got {describe(value)}")
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
            hook = _kind_hook(field) or _FIELD_HOOKS.get((cls, field.name))
            if hook is not None:
                overrides[field.name] = override(struct_hook=hook)
        generated = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]

        def structure_class(value: object, _: object) -> object:
            if type(value) is not dict:
                raise KindProblem(f"expected an object, got {describe(value)}")
            return generated(value, cls)

        return structure_class

    converter.register_structure_hook_factory(attrs.has, class_structure_factory)

    def report_unstructure_factory(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        fields_only = make_dict_unstructure_fn(cls, converter)
        template = cls.template

        def unstructure_report(report: Any) -> dict[str, Any]:
            return {"template": template, **fields_only(report)}

        return unstructure_report

    converter.register_unstructure_hook_factory(_is_report_class, report_unstructure_factory)
    return converter


_FAST: Final = _make_converter(detailed=False)
_DETAILED: Final = _make_converter(detailed=True)


# --- the fast paths: generated once at import, no per-call configuration -----------------
#
# Decoding JSON: msgspec reads the bytes straight into "mirror" structs generated from
# the model classes with the same strictness as the hooks above (exact types, bounds,
# patterns, unknown keys forbidden), and generated functions copy the structs into the
# attrs classes. Anything msgspec refuses is handed to the cattrs converters, which stay
# the authority: they decide the problems and their messages.
#
# Encoding: one generated function per class builds the plain dict in a single dict
# display, the shape ``_FAST.unstructure`` gives (the tests hold them equal).

# Every integer a field accepts fits in 2**53 - 1, so msgspec's int64 bounds hold them;
# a larger integer is refused here and explained by the reference path, which reads
# integers exactly.
_JSONInt = Annotated[int, msgspec.Meta(ge=-MAX_INTEGER, le=MAX_INTEGER)]
_JSONDecimal = Annotated[str, msgspec.Meta(pattern=AMOUNT_PATTERN)]
# msgspec reads "YYYY-MM-DD" into a date and refuses a day that is not in the calendar
_JSONDate = _dt.date
_MIRROR_FIELDS: Final[dict[tuple[type, str], Any]] = {
    (Meta, "year"): Annotated[int, msgspec.Meta(ge=MIN_YEAR, le=MAX_YEAR)] | None,
    (ExtraRow, "item"): Literal[ARTICLE_20_ITEMS],
}


def _model_classes() -> list[type[Any]]:
    """Every attrs class a report is made of, children before parents."""
    found: list[type[Any]] = []

    def visit(type_: Any) -> None:
        for arg in typing.get_args(type_):
            visit(arg)
        if isinstance(type_, type) and attrs.has(type_) and type_ not in found:
            for field in attrs.fields(attrs.resolve_types(type_)):
                visit(field.type)
            found.append(type_)

    for cls in _REPORT_CLASSES:
        visit(cls)
    return found


_MODEL_CLASSES: Final = _model_classes()


def _mirror_type(type_: Any, mirrors: Mapping[type, Any]) -> Any:
    inner = _optional_of(type_)
    if inner is not None:
        return _mirror_type(inner, mirrors) | None
    if type_ is str:
        return str
    if type_ is int:
        return _JSONInt
    if type_ is _dt.date:
        return _JSONDate
    if type_ == _EXTRA_VALUES:
        return tuple[_JSONInt | _JSONDecimal | None, ...]
    if _is_tuple_type(type_):
        return tuple[_mirror_type(typing.get_args(type_)[0], mirrors), ...]  # type: ignore[misc]
    return mirrors[type_]  # pragma: no cover - every model type is handled above or here


def _mirror_structs() -> dict[type, Any]:
    mirrors: dict[type, Any] = {}
    for cls in _MODEL_CLASSES:
        # In the model's order: msgspec writes fields in this order, and the JSON must
        # list them as the model does.
        fields: list[tuple[str, Any]] = []
        for field in attrs.fields(cls):
            kind = value_kind(field)
            special = _MIRROR_FIELDS.get((cls, field.name))
            if kind is not None:
                type_ = kind.msgspec_type()
            elif special is not None:
                type_ = special
            elif isinstance(field.type, type) and attrs.has(field.type):
                type_ = mirrors[field.type]
            elif field.validator is _check_written_values:
                type_ = tuple[_written_values_mirror(cls, mirrors), ...]  # type: ignore[misc]
            else:
                type_ = _mirror_type(field.type, mirrors)
            # Every field required: a document that leaves a key out takes the reference
            # path, so a document taken fast has every key, and the duplicate-key check
            # (written exactly as we write it) holds.
            fields.append((field.name, type_))
        tag = {"tag_field": "template", "tag": cls.template} if cls in _REPORT_CLASSES else {}
        mirrors[cls] = msgspec.defstruct(
            f"{cls.__name__}JSON", fields, forbid_unknown_fields=True, gc=False, **tag
        )
    return mirrors


def _written_values_mirror(cls: type[Any], mirrors: Mapping[type, Any]) -> Any:
    """The mirror of a report's ``as_written`` items: the shared one, with ``key`` a
    Literal of the template's cell keys (what the report's validator checks)."""
    shared = mirrors[WrittenValue]
    keys = tuple(template_spec(cls.template).cell_kinds())
    fields = [
        (name, Literal[keys] if name == "key" else shared.__annotations__[name])
        for name in shared.__struct_fields__
    ]
    return msgspec.defstruct(
        f"WrittenValue{cls.template}JSON", fields, forbid_unknown_fields=True, gc=False
    )


def _carries_strings(type_: Any) -> bool:
    """Whether values of a msgspec type are JSON strings (an amount is; a count is not)."""
    inner = _optional_of(type_)
    if inner is not None:
        return _carries_strings(inner)
    if typing.get_origin(type_) is Annotated:
        return _carries_strings(typing.get_args(type_)[0])
    return type_ is str


def _decimal_or_int(value: int | str | None) -> int | Decimal | None:
    return Decimal(value) if isinstance(value, str) else value


def _amount_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _amount_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _date_text(value: _dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _list_item_classes() -> list[type[Any]]:
    """The model classes that appear as items of a tuple field (rows, parts, values)."""
    found = []
    for cls in _MODEL_CLASSES:
        for field in attrs.fields(cls):
            if _is_tuple_type(field.type):
                item = typing.get_args(field.type)[0]
                if isinstance(item, type) and attrs.has(item) and item not in found:
                    found.append(item)
    return found


class _Generator:
    """Writes the source of the load (mirror struct → model object) and dump (model
    object → plain dict) function of every model class.

    Nested parts are inlined into their parent's function, so a whole report is loaded
    or dumped by one call (plus one per item of a list); every helper the source refers
    to is in ``namespace``.
    """

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "_new": object.__new__,
            "_decimal_or_int": _decimal_or_int,
            "_amount_or_none": _amount_or_none,
            "_amount_text": _amount_text,
            "_date_text": _date_text,
            "_extra_text": _unstructure_extra_value,
        }
        self.lines: list[str] = []
        self._names = 0

    def _fresh(self, prefix: str) -> str:
        self._names += 1
        return f"{prefix}{self._names}"

    @staticmethod
    def _part_class(type_: Any) -> type[Any] | None:
        return type_ if isinstance(type_, type) and attrs.has(type_) else None

    @staticmethod
    def _function_name(model_class: type[Any]) -> str:
        return f"{model_class.__name__}_{_MODEL_CLASSES.index(model_class)}"

    def _leaf(
        self, field: attrs.Attribute[Any], value_in: str, value_out: str, writer: str = "dump"
    ) -> tuple[str, str]:
        """How a field that is not a nested part is read in and written out."""
        kind = value_kind(field)
        type_ = field.type
        plain = _optional_of(type_) or type_
        if kind is not None and type(kind) in (CountKind, SignedKind):
            return value_in, value_out  # the msgspec type checked it; JSON is the int
        if kind is not None and type(kind) is AmountKind:
            # inlined AmountKind.from_json / to_json for strings the pattern admitted
            return f"_amount_or_none({value_in})", f"_amount_text({value_out})"
        if kind is not None:  # any other kind: its own methods
            name = f"kind_{self._fresh('k')}"
            self.namespace[name] = kind
            return (
                f"{name}.from_json({value_in})",
                f"{name}.to_json({value_out})",
            )
        if plain in (str, int):
            return value_in, value_out
        if plain is _dt.date:
            return value_in, f"_date_text({value_out})"
        if type_ == _EXTRA_VALUES:
            return (
                f"tuple([_decimal_or_int(x) for x in {value_in}])",
                f"[_extra_text(x) for x in {value_out}]",
            )
        (item, _ellipsis) = typing.get_args(type_)
        if item is str:  # msgspec writes a tuple as an array; orjson is given a list
            return value_in, value_out if writer == "encode" else f"list({value_out})"
        name = self._function_name(item)
        return (
            f"tuple([load_{name}(x) for x in {value_in}])",
            f"[{writer}_{name}(x) for x in {value_out}]",
        )

    def _load(self, cls: type[Any], mirror: str, body: list[str]) -> str:
        """Append statements building a ``cls`` from the struct in ``mirror``; its variable."""
        values: list[tuple[str, str]] = []
        for field in attrs.fields(cls):
            part = self._part_class(field.type)
            if part is not None:
                sub_mirror = self._fresh("m")
                body.append(f"    {sub_mirror} = {mirror}.{field.name}")
                values.append((field.name, self._load(part, sub_mirror, body)))
            else:
                values.append((field.name, self._leaf(field, f"{mirror}.{field.name}", "")[0]))
        target = self._fresh("o")
        class_name = f"cls_{self._function_name(cls)}"
        self.namespace[class_name] = cls
        filler = _filler(cls) if _fills_directly(cls) else None
        if filler is not None:
            # plain attribute stores on the unfrozen twin (the interpreter's fastest
            # write of a slot), then the object becomes what it is
            filler_name = f"fill_{self._function_name(cls)}"
            self.namespace[filler_name] = filler
            body.append(f"    {target} = _new({filler_name})")
            for name, value in values:
                body.append(f"    {target}.{name} = {value}")
            body.append(f"    {target}.__class__ = {class_name}")
        elif _fills_directly(cls):
            body.append(f"    {target} = _new({class_name})")
            for name, value in values:
                setter = f"set_{self._function_name(cls)}_{name}"
                self.namespace[setter] = cls.__dict__[name].__set__
                body.append(f"    {setter}({target}, {value})")
        else:
            arguments = ", ".join(f"{name}={value}" for name, value in values)
            body.append(f"    {target} = {class_name}({arguments})")
        return target

    def _dump(self, cls: type[Any], obj: str, body: list[str], *, struct: bool = False) -> str:
        """Append statements reading the parts of ``obj``; the expression writing it:
        a dict display, or with ``struct`` a call making its mirror struct."""
        writer = "encode" if struct else "dump"
        values: list[tuple[str, str]] = []
        for field in attrs.fields(cls):
            part = self._part_class(field.type)
            if part is not None:
                sub = self._fresh("v")
                body.append(f"    {sub} = {obj}.{field.name}")
                values.append((field.name, self._dump(part, sub, body, struct=struct)))
            else:
                access = f"{obj}.{field.name}"
                values.append((field.name, self._leaf(field, "", access, writer)[1]))
        if struct:
            mirror = _MIRRORS[cls]
            mirror_name = f"mirror_{self._function_name(cls)}"
            self.namespace[mirror_name] = mirror
            return f"{mirror_name}(" + ", ".join(v for _, v in values) + ")"
        entries = [f'"template": "{cls.template}"'] if cls in _REPORT_CLASSES else []
        entries += [f'"{name}": {value}' for name, value in values]
        return "{" + ", ".join(entries) + "}"

    def _tokens(self, cls: type[Any], mirror: str, terms: list[str]) -> int:
        """Append to ``terms`` the expressions counting the variable string tokens of the
        struct in ``mirror``; return its fixed count (every key, and the strings that are
        always there). See :func:`_from_json_fast` for why."""
        fixed = 2 if _is_report_class(cls) else 0  # "template": "2021"
        for field in attrs.fields(cls):
            fixed += 1  # the key
            value = f"{mirror}.{field.name}"
            part = self._part_class(field.type)
            kind = value_kind(field)
            plain = _optional_of(field.type) or field.type
            if part is not None:
                fixed += self._tokens(part, value, terms)
            elif kind is not None:
                if kind.msgspec_type() is not None and _carries_strings(kind.msgspec_type()):
                    terms.append(f"({value} is not None)")
            elif plain in (str, _dt.date):
                if plain is field.type:
                    fixed += 1
                else:
                    terms.append(f"({value} is not None)")
            elif plain is int:
                pass  # year, item: numbers
            elif field.type == _EXTRA_VALUES:
                each = self._fresh("x")
                terms.append(f"len([{each} for {each} in {value} if {each}.__class__ is str])")
            elif _is_tuple_type(field.type):
                (item, _ellipsis) = typing.get_args(field.type)
                if item is str:
                    terms.append(f"len({value})")
                    continue
                # the item's count inlined (no call per item; nothing for an empty list)
                each = self._fresh("x")
                item_terms: list[str] = []
                item_fixed = self._tokens(item, each, item_terms)
                if not item_terms:
                    terms.append(f"{item_fixed} * len({value})")
                else:
                    per_item = " + ".join([str(item_fixed), *item_terms])
                    terms.append(f"(sum([{per_item} for {each} in {value}]) if {value} else 0)")
        return fixed

    def add(self, cls: type[Any]) -> None:
        name = self._function_name(cls)
        terms: list[str] = []
        fixed = self._tokens(cls, "m", terms)
        self.lines += [f"def tokens_{name}(m):", f"    return {' + '.join([str(fixed), *terms])}"]
        body: list[str] = []
        result = self._load(cls, "m", body)
        self.lines += [f"def load_{name}(m):", *body, f"    return {result}"]
        body = []
        display = self._dump(cls, "o", body)
        self.lines += [f"def dump_{name}(o):", *body, f"    return {display}"]
        body = []
        call = self._dump(cls, "o", body, struct=True)
        self.lines += [f"def encode_{name}(o):", *body, f"    return {call}"]

    def functions(
        self,
    ) -> tuple[dict[type, Any], dict[type, Any], dict[type, Any], dict[type, Any]]:
        """Mirror struct class → load function; model class → dump function; model
        class → function making its mirror struct (for msgspec to write).

        Only for reports and list items: every other class is inlined into them (and
        compiling functions nobody calls would slow the import down).
        """
        wanted = [*_REPORT_CLASSES, *_list_item_classes()]
        for cls in wanted:
            self.add(cls)
        source = "\n".join(self.lines) + "\n"
        filename = "<disclosure_schema.codec generated>"
        # in linecache, so a traceback through the generated functions shows their lines
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.namespace)
        loads, dumps, encodes, tokens = {}, {}, {}, {}
        for cls in wanted:
            tokens[_MIRRORS[cls]] = self.namespace[f"tokens_{self._function_name(cls)}"]
            loads[_MIRRORS[cls]] = self.namespace[f"load_{self._function_name(cls)}"]
            dumps[cls] = self.namespace[f"dump_{self._function_name(cls)}"]
            encodes[cls] = self.namespace[f"encode_{self._function_name(cls)}"]
        return loads, dumps, encodes, tokens


_MIRRORS: Final = _mirror_structs()
_FROM_MIRROR, _TO_DICT, _TO_MIRROR, _STRING_TOKENS = _Generator().functions()
_JSON_ENCODER: Final = msgspec.json.Encoder()
_JSON_DECODER: Final = msgspec.json.Decoder(
    typing.Union[tuple(_MIRRORS[cls] for cls in _REPORT_CLASSES)]  # noqa: UP007 - built at run time
)


class _NotAsWeWriteIt(Exception):
    """The document decoded, but the fast path cannot prove it names every key once
    (e.g. a string holds an escaped quote)."""


def _from_json_fast(text: str | bytes | bytearray) -> Report:
    """The report in ``text`` if it passes msgspec's checks and provably names no key
    twice; raises ``msgspec.DecodeError``, ``FieldValueError`` or ``_NotAsWeWriteIt``
    otherwise (the reference path then decides and explains).

    msgspec keeps the last of duplicated keys, so this counts instead. A ``"`` in JSON
    text is either half of a string token or escaped inside a string, so the text has
    ``2 × tokens + escaped`` of them. The mirror structs require every key, so the text
    has at least the keys of what was decoded, and at least its string values. When the
    text's ``"`` count is exactly twice the decoded keys plus string values, there is no
    room for a second key anywhere: no duplicate, whatever the whitespace.
    """
    if isinstance(text, str) and not text.isascii():
        # msgspec would make (and cache on the str) its UTF-8 form itself, more slowly
        # than encode; a lone surrogate raises UnicodeEncodeError here as it would there
        text = text.encode("utf-8")
    mirrored = _JSON_DECODER.decode(text)
    quotes = text.count('"') if isinstance(text, str) else text.count(b'"')
    if quotes != 2 * _STRING_TOKENS[type(mirrored)](mirrored):
        raise _NotAsWeWriteIt
    report: Report = _FROM_MIRROR[type(mirrored)](mirrored)
    return report


# --- the reference reading of JSON: exact integers, duplicated keys found ---------------


class _Duplicated(dict[str, Any]):
    """A JSON object that named a key more than once (``duplicated``: key → times)."""

    duplicated: dict[str, int]


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    found = _Duplicated(data)
    times: dict[str, int] = {}
    for key, _value in pairs:
        times[key] = times.get(key, 0) + 1
    found.duplicated = {key: n for key, n in times.items() if n > 1}
    return found


def _exact_int(text: str) -> object:
    # beyond Python's int_max_str_digits an int cannot be made from text: any integer
    # that long is refused anyway, and named by its length
    return int(text) if len(text) <= 4000 else HugeInteger(len(text.lstrip("-")))


def _not_json_constant(name: str) -> object:
    # Python's reader takes NaN and Infinity; JSON has no such values
    raise ReportFormatError([Problem("", f"not valid JSON: {name} is not a JSON value")])


def _duplicates(data: object, path: str) -> Iterator[Problem]:
    if isinstance(data, dict):
        if isinstance(data, _Duplicated):
            for key, times in data.duplicated.items():
                message = f"duplicate key (the object names it {times} times)"
                yield Problem(_join(path, key), message)
        for key, value in data.items():
            yield from _duplicates(value, _join(path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _duplicates(value, _join(path, index))


def _load_json_exactly(text: str | bytes | bytearray) -> Any:
    """The JSON value of ``text``, integers exact; :class:`ReportFormatError` for text
    that is not JSON (orjson's verdict) or an object with a duplicated key."""
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as error:
        # orjson cannot hold a number beyond a double (a 400-digit integer is still
        # JSON): only that is left to the exact reader below
        if "parsed as double" not in str(error):
            raise ReportFormatError([Problem("", f"not valid JSON: {error}")]) from None
    data = json.loads(
        text,
        object_pairs_hook=_object_pairs,
        parse_int=_exact_int,
        parse_constant=_not_json_constant,
    )
    duplicates = list(_duplicates(data, ""))
    if duplicates:
        raise ReportFormatError(duplicates)
    return data


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
    elif isinstance(error, FieldValueError):  # a rule of __init__, e.g. an as_written key
        yield Problem(_join(path, error.field) if error.field else path, error.problem)
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
    dump = _TO_DICT.get(type(report))
    if dump is None:  # not a report: let the converter say what it makes of it
        unstructured: dict[str, Any] = _FAST.unstructure(report, unstructure_as=type(report))
        return unstructured
    data: dict[str, Any] = dump(report)
    return data


def from_dict(data: Mapping[str, Any]) -> Report:
    """Build a report from plain data, strictly.

    Raises :class:`ReportFormatError` listing every problem with its path.
    """
    if not isinstance(data, Mapping):
        raise ReportFormatError([Problem("", f"expected an object, got {_describe(data)}")])
    template = data.get("template")
    tags = template_tags()
    if template not in tags:
        expected = " or ".join(f'"{tag}"' for tag in tags)
        message = (
            "required key is missing"
            if "template" not in data
            else f"expected {expected}, got {_describe(template)}"
        )
        raise ReportFormatError([Problem("template", message)])
    cls = template_spec(template).report_class
    body = {key: value for key, value in data.items() if key != "template"}
    try:
        report: Report = _FAST.structure(body, cls)
        return report
    except Exception:  # noqa: BLE001 - any failure is re-run in detail below, which
        # explains it; should the detailed converter accept, the two disagree: a bug,
        # raised below, never hidden
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
    return to_json_bytes(report, pretty=pretty).decode("utf-8")


def to_json_bytes(report: Report, *, pretty: bool = True) -> bytes:
    """:func:`to_json` as UTF-8 bytes, for files and sockets: skips decoding the text
    into a ``str`` (a sizeable part of the time for reports in Chinese).

    >>> from disclosure_schema import Report2021, to_json, to_json_bytes
    >>> to_json_bytes(Report2021()) == to_json(Report2021()).encode("utf-8")
    True
    """
    to_mirror = _TO_MIRROR.get(type(report))
    try:
        if to_mirror is not None and not pretty:
            return _JSON_ENCODER.encode(to_mirror(report))
        # indented: orjson's indenting writer is faster than msgspec's formatter
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE if pretty else 0
        return orjson.dumps(to_dict(report), option=option)
    except (msgspec.EncodeError, orjson.JSONEncodeError, UnicodeEncodeError) as error:
        # only an object built around the constructor (its texts are checked) gets here
        raise ReportFormatError([Problem("", f"cannot be written as JSON: {error}")]) from None


def from_json(text: str | bytes | bytearray, *, limits: Limits = DEFAULT_LIMITS) -> Report:
    """Load a report from JSON text or bytes, strictly (see :func:`from_dict`).

    A document over ``limits.max_json_bytes`` raises :class:`InputLimitError` unread.
    """
    if not isinstance(text, str | bytes | bytearray):
        raise ReportFormatError(
            [Problem("", f"expected JSON as str or bytes, got {type(text).__name__}")]
        )
    check_size(len(text), limits.max_json_bytes, "the JSON document", "max_json_bytes")
    try:
        return _from_json_fast(text)
    except (msgspec.DecodeError, FieldValueError, _NotAsWeWriteIt, UnicodeEncodeError):
        # refused (a str with a lone surrogate is not UTF-8: UnicodeEncodeError), or not
        # provably exact: the reference path decides and explains
        pass
    return from_dict(_load_json_exactly(text))


# --- JSON Schema ---------------------------------------------------------------------

_SCHEMA_ID: Final = "https://disclosure-schema.example/report.schema.json"


def _field_schema(cls: type[Any], field: attrs.Attribute[Any], defs: dict[str, Any]) -> Any:
    kind = value_kind(field)
    if kind is not None:
        return kind.schema()
    if (cls, field.name) == (Meta, "year"):
        return {"type": ["integer", "null"], "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    if (cls, field.name) == (ExtraRow, "item"):
        return {"type": "integer", "enum": list(ARTICLE_20_ITEMS)}
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
        signed = SIGNED.schema()
        return {
            "anyOf": [
                {"type": "integer", "minimum": signed["minimum"], "maximum": signed["maximum"]},
                {"type": "string", "pattern": AMOUNT_PATTERN},
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
    if _is_report_class(cls):
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


def json_schema(templates: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report, generated from the template spec.

    The document's ``template`` chooses the schema of its template (``if``/``then``), so
    a validator reports only the document's own errors, each once, in any language.

    Parameters
    ----------
    templates:
        The template tags to cover; every registered template by default.

    Returns
    -------
    dict
        The schema, ready for ``json.dumps``.
    """
    tags = template_tags() if templates is None else tuple(templates)
    classes = [template_spec(tag).report_class for tag in tags]
    defs: dict[str, Any] = {}
    for cls in classes:
        _class_schema(cls, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "Government information disclosure annual report (政府信息公开工作年度报告)",
        "description": (
            "One annual report on an official template ("
            + " or ".join(tags)
            + "); keys are the cell keys of disclosure_schema. Empty cells are null, amounts"
            " are decimal strings. The template key chooses the schema of the rest."
        ),
        "type": "object",
        "required": ["template"],
        "properties": {"template": {"enum": list(tags)}},
        "allOf": [
            {
                "if": {"properties": {"template": {"const": cls.template}}},
                "then": {"$ref": f"#/$defs/{cls.__name__}"},
            }
            for cls in classes
        ],
        "$defs": dict(sorted(defs.items())),
    }
