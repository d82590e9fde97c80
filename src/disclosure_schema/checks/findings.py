"""What a check reports: a :class:`Finding` per rule application that did not pass."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

__all__ = ["Finding", "Severity"]

#: ``error``: a rule of the template is broken; ``warning``: a heuristic is off (real
#: reports often are); ``not_assessable``: a cell the rule needs is empty.
Severity: TypeAlias = Literal["error", "warning", "not_assessable"]

#: How to build a finding's two messages when they are first read: a function and its
#: arguments, returning ``(message_zh, message_en)``.
Texts: TypeAlias = tuple[Callable[..., tuple[str, str]], tuple[Any, ...]]

_MESSAGES: Final = ("message_zh", "message_en")


# slots=False: a finding made by the checks keeps its messages as a recipe in its
# __dict__ and builds them on first read (most findings of a batch run are counted,
# filtered or written by rule and cell, and never read as text)
@attrs.frozen(kw_only=True, slots=False)
class Finding:
    """One rule that a report (or a pair of reports) does not satisfy, or cannot be checked on.

    ``cells`` are full cell keys; ``expected`` is what the rule computes from the other
    cells, ``actual`` what the report states, ``difference`` is ``actual - expected``
    (``None`` when not assessable). ``subject`` names the report(s) concerned, e.g.
    ``"城关镇人民政府 2020"`` or ``"城关镇人民政府 2019→2020"`` for cross-year rules.
    Compliance rules (family C) name parts that are not cells by their section key
    (``problems``, ``other_matters``, ``overview``) or meta field (``meta.published``) and
    put a short ``quote`` of the text they judged.
    """

    rule: str
    severity: Severity
    cells: tuple[str, ...]
    expected: int | Decimal | None
    actual: int | Decimal | None
    difference: int | Decimal | None
    message_zh: str
    message_en: str
    subject: str | None = None
    quote: str | None = None

    @classmethod
    def _deferred(
        cls,
        texts: Texts,
        *,
        rule: str,
        severity: Severity,
        cells: tuple[str, ...],
        expected: int | Decimal | None,
        actual: int | Decimal | None,
        difference: int | Decimal | None,
        subject: str | None,
        quote: str | None = None,
    ) -> Finding:
        """A finding whose messages are built by ``texts`` when first read (equal, in
        every way a caller can see, to one built with the messages given)."""
        finding = object.__new__(cls)
        finding.__dict__.update(
            rule=rule,
            severity=severity,
            cells=cells,
            expected=expected,
            actual=actual,
            difference=difference,
            subject=subject,
            quote=quote,
            _texts=texts,
        )
        return finding

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # called only for an attribute not yet in __dict__: a deferred message
            state = self.__dict__
            texts = state.get("_texts")
            if name not in _MESSAGES or texts is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            function, arguments = texts
            state["message_zh"], state["message_en"] = function(*arguments)
            del state["_texts"]
            return state[name]

    def __getstate__(self) -> dict[str, Any]:
        # pickled (to another process) with its messages built: the recipe stays here
        return {name: getattr(self, name) for name in attrs.fields_dict(type(self))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
