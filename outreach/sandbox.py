"""The sandbox briefing templates run in, bounded in size and time.

Jinja2's ``SandboxedEnvironment`` stops a template from reaching Python's internals, but not from asking
for ``{{ 'a' * 100000000 }}`` (100 MB) or looping for ever. Templates are written by coordinators, whose
accounts can be stolen, and a preview runs inside a web worker; so here every render has a budget:

- no value the template builds (by ``*``, by a width, precision or count given to a method, a filter or
  a format string, by ``replace`` or ``join``) may exceed ``MAX_VALUE`` characters or items, and no
  power may be huge;
- loops get ``MAX_ITERATIONS`` turns in all and every call, loop turn and piece of output checks the
  clock (``MAX_SECONDS``), so nested loops and recursive macros stop;
- the output of a part is at most ``MAX_OUTPUT`` characters.

Going over any of them raises :class:`RenderLimit`, which the renderer reports as a template error.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from itertools import islice
from typing import Any

from flask_babel import gettext as _
from jinja2 import Template, nodes
from jinja2.sandbox import SandboxedEnvironment

from crm.dates import format_number

MAX_VALUE = 100_000
MAX_OUTPUT = 200_000
MAX_ITERATIONS = 1_000_000
MAX_SECONDS = 2.0
MAX_EXPONENT = 64
_NUMBER = re.compile(r"\d+")
# Filters that take a width or a count, or whose result can be far larger than their input.
_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice", "replace", "join")


class RenderLimit(Exception):
    """A template asked for more than a briefing could need; the message says which limit."""


class _Budget(threading.local):
    deadline: float = 0.0
    turns: int = 0
    ticks: int = 0

    def check(self) -> None:
        """Count one step of the render; every 64th reads the clock (reading it each time costs)."""
        self.ticks += 1
        if self.ticks & 63 == 0 and self.deadline and time.monotonic() > self.deadline:
            raise RenderLimit(
                _("it took longer than %(seconds)s seconds", seconds=format_number(MAX_SECONDS))
            )


_budget = _Budget()


def _check_size(size: int) -> None:
    if size > MAX_VALUE:
        raise RenderLimit(
            _(
                "it builds a value of %(size)s characters or items (at most %(limit)s)",
                size=format_number(size),
                limit=format_number(MAX_VALUE),
            )
        )


def _check_arguments(args: Iterable[Any]) -> None:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool):
            _check_size(abs(value))


def _check_format(spec: str) -> None:
    """Refuse a format string with a huge width or precision ("%100000000s", "{:>100000000}")."""
    for number in _NUMBER.findall(spec):
        _check_size(int(number))


def _materialised(items: Any) -> list[Any]:
    """``items`` as a list, refused when it is longer than any briefing could need."""
    listed = list(islice(items, MAX_VALUE + 1))
    _check_size(len(listed))
    return listed


def _estimate(name: str, target: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Refuse a string method whose result would be too large, before it is built; returns its arguments
    (a joined iterable read into a list, so that it can be measured and still be joined)."""
    if not isinstance(target, str):
        return args
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = target.count(old) if old else len(target) + 1
        _check_size(len(target) + count * max(len(new) - len(old), 0))
    elif name == "join" and args:
        items = _materialised(args[0])
        _check_size(len(target) * max(len(items) - 1, 0) + sum(len(str(i)) for i in items))
        return (items, *args[1:])
    return args


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)  # keeps Jinja's pass_context/pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _budget.check()
        # The filtered value comes first, after the context or eval context some filters are passed.
        first = 1 if args and hasattr(args[0], "environment") else 0
        head, value, rest = list(args[:first]), args[first] if len(args) > first else None, args[first + 1 :]
        _check_arguments([*rest, *kwargs.values()])
        if name == "replace":
            _estimate("replace", str(value), tuple(rest))
        elif name == "format":
            _check_format(str(value))
        elif name == "join" and value is not None:
            (value,) = _estimate("join", str(rest[0] if rest else kwargs.get("d", "")), (value,))
        return function(*head, value, *rest, **kwargs)

    return bounded


def bounded_iteration(iterable: Any) -> Iterator[Any]:
    """What a template's ``{% for %}`` loops over: counted against the render's turns and its clock."""
    for item in iterable:
        _budget.turns += 1
        if _budget.turns > MAX_ITERATIONS:
            raise RenderLimit(
                _("its loops went round more than %(count)s times", count=format_number(MAX_ITERATIONS))
            )
        _budget.check()
        yield item


class BoundedSandbox(SandboxedEnvironment):
    """A ``SandboxedEnvironment`` whose renders keep to the module's limits."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in _SIZED_FILTERS:
            self.filters[name] = _bounded_filter(name, self.filters[name])
        self.filters["__bounded_iteration"] = bounded_iteration
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs before anything can count them

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget.check()
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, str | list | tuple) and isinstance(times, int):
                    _check_size(len(sized) * times)
            return left * right
        if operator == "%":
            if isinstance(left, str):
                _check_format(left)
            return left % right
        if isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise RenderLimit(_("it raises to a power above %(limit)s", limit=format_number(MAX_EXPONENT)))
        return left**right

    # Jinja's own signature: the double underscores keep "self" and "context" free as keyword names.
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget.check()
        _check_arguments([*args, *kwargs.values()])
        args = _estimate(getattr(__obj, "__name__", ""), getattr(__obj, "__self__", None), args)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # str.format reaches templates through here (Jinja wraps it when the attribute is read).
        target = getattr(value, "__self__", None)
        if isinstance(target, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(target)
        return super().wrap_str_format(value)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "__bounded_iteration", [], [], None, None, lineno=loop.lineno)
        return tree


def render_bounded(template: Template, context: dict[str, Any]) -> str:
    """Render ``template`` within the limits (raises :class:`RenderLimit`)."""
    _budget.deadline, _budget.turns, _budget.ticks = time.monotonic() + MAX_SECONDS, 0, 0
    pieces: list[str] = []
    size = 0
    try:
        # What Template.render does, one piece at a time so that the output can be measured as it grows.
        for count, piece in enumerate(template.root_render_func(template.new_context(context)), start=1):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise RenderLimit(
                    _("its output is longer than %(count)s characters", count=format_number(MAX_OUTPUT))
                )
            pieces.append(piece)
            if count & 255 == 0 and time.monotonic() > _budget.deadline:
                raise RenderLimit(
                    _("it took longer than %(seconds)s seconds", seconds=format_number(MAX_SECONDS))
                )
    finally:
        _budget.deadline = 0.0
    return "".join(pieces)
