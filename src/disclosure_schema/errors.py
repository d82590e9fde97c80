"""The library's exception family.

Every error a public function raises on bad input is a :class:`DisclosureSchemaError`.
Callers that want to tell kinds apart catch the subclasses; callers that only want to
know "this input is bad" catch the base.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AggregationError",
    "DisclosureSchemaError",
    "ExportError",
    "FieldValueError",
    "InputLimitError",
    "ParseError",
    "Problem",
    "ReportFormatError",
    "TemplateMismatchError",
]


class DisclosureSchemaError(Exception):
    """Base class of every exception this library raises on purpose: catch it to handle
    "this input is bad" in one place."""


class FieldValueError(DisclosureSchemaError, ValueError):
    """A single value broke an invariant of its field: a negative count, a bool where an
    int belongs, a 2021 table given to a 2019 report.

    Raised while constructing a model object; the message names the class and field.
    ``field`` is the field's path inside the object (e.g. ``"total"`` or
    ``"as_written[0].key"``) and ``problem`` the message without the place: the same
    words :func:`~disclosure_schema.from_json` uses for the same value.
    """

    def __init__(self, message: str, *, field: str = "", problem: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problem = message if problem is None else problem

    @classmethod
    def at(cls, instance: object, field: str, problem: str) -> FieldValueError:
        """The error for ``problem`` in ``field`` of ``instance``: "Class.field: problem"."""
        return cls(f"{type(instance).__name__}.{field}: {problem}", field=field, problem=problem)


@attrs.frozen
class Problem:
    """One thing wrong with a document: where (a dotted JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ReportFormatError(DisclosureSchemaError, ValueError):
    """A JSON document or dict is not a valid report (raised by ``from_json``,
    ``from_dict``, ``to_json``): a wrong type, an unknown or duplicated key, a value out
    of range, a key that is not a cell of the template.

    ``problems`` lists every problem found, each with its JSON path; the message
    lists them one per line.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"not a valid report ({count} problem{'s' if count != 1 else ''})"
        super().__init__("\n  ".join([head + ":", *map(str, self.problems)]))


class ParseError(DisclosureSchemaError, ValueError):
    """A page could not be read at all (for example undecodable bytes). Reserved for
    the parsers where nothing of a page can be used; the ``parse_*`` functions return a
    ``ParseResult`` with a ``no_report`` diagnostic instead of raising it.
    """


class InputLimitError(DisclosureSchemaError, ValueError):
    """An input is larger or deeper than the configured limit allows (raised by
    ``from_json``; the parsers report it as a diagnostic). The message names the
    ``Limits`` setting to raise."""


class ExportError(DisclosureSchemaError, ValueError):
    """Reports cannot be written in the requested export format (raised by the export
    functions: unknown extension, a value the format cannot hold exactly)."""


class AggregationError(DisclosureSchemaError, ValueError):
    """Reports cannot be summed (raised by ``summarize``): nothing to sum, or cells in
    different units."""


class TemplateMismatchError(AggregationError):
    """Reports of different templates were given where one template is required.

    ``templates`` maps each template to the names of the inputs that have it.
    """

    def __init__(self, templates: dict[str, list[str]]) -> None:
        self.templates = templates
        parts = "; ".join(
            f"template {template}: {', '.join(names)}" for template, names in templates.items()
        )
        super().__init__(f"cannot mix templates: {parts}")
