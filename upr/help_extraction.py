"""Extracting the ``upr`` command's help texts into the catalogues, beside the code's gettext messages.

Click keeps a command's help in its docstring (or ``help=``) and an option's in ``help=``: plain strings
that no ``_()`` call marks, so pybabel's Python extractor never sees them. ``babel.cfg`` names
:func:`extract_python_and_help` for the app's modules instead: it yields what that extractor yields, plus
every such text, cleaned as click cleans it (``inspect.cleandoc``), which is the message id
``upr.cli_language`` looks up when it shows help in the user's language.

Click's own words ("Usage:", "Options", "No such command 'x'.") are in the catalogues too:
``python -m upr.help_extraction POT`` (run by ``scripts/translations.sh extract``) adds them from the
installed click's sources to the template pybabel wrote.
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import click
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po, write_po

# The click callables whose ``help=`` people read.
HELP_TAKERS = {"command", "group", "option", "argument", "password_option", "confirmation_option"}
DECORATORS = {"command", "group"}
COMMENT = "Help of a `upr` command or option (shown by --help)."
CLICK_COMMENT = "Written by click, the library the `upr` command is built on."
# How click marks its words (``from gettext import gettext as _``, ``ngettext``).
CLICK_KEYWORDS: dict[str, Any] = {"_": None, "ngettext": (1, 2)}
# Words click translates through a variable, which no extractor can see, and the code that does it.
CLICK_WORDS_IN_VARIABLES = {"required": ("core.py", '_(extra["required"])')}


def extract_python_and_help(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Any,  # babel's own options of its Python extractor, handed on as they are
) -> Iterator[tuple[Any, ...]]:
    """pybabel's Python extraction of ``fileobj``, then its click help texts (a babel extraction method)."""
    source = fileobj.read()
    named = io.BytesIO(source)
    named.name = getattr(fileobj, "name", "(unknown)")  # for pybabel's warnings
    yield from extract_python(named, keywords, comment_tags, options)
    for line, text in help_texts(ast.parse(source)):
        yield line, None, text, [COMMENT]


def help_texts(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each help text of a module as click will show it, with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name_of(node.func) in HELP_TAKERS:
            for keyword in node.keywords:
                if keyword.arg in {"help", "short_help", "epilog"} and _is_text(keyword.value):
                    yield keyword.value.lineno, inspect.cleandoc(keyword.value.value)  # type: ignore[attr-defined]
        elif isinstance(node, ast.FunctionDef) and _is_command(node):
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                # Click shows a docstring up to its first form feed.
                yield node.body[0].lineno, docstring.partition("\f")[0].rstrip()


def _is_command(function: ast.FunctionDef) -> bool:
    """Whether a decorator makes ``function`` a command whose docstring is its help (no ``help=``)."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and _name_of(decorator.func) in DECORATORS:
            return not any(keyword.arg == "help" for keyword in decorator.keywords)
    return False


def _name_of(function: ast.expr) -> str | None:
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def _is_text(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and isinstance(value.value, str) and bool(value.value.strip())


def add_click_words(template: Path) -> None:
    """Add click's own messages to the catalogue template ``template``."""
    with template.open("rb") as handle:
        catalogue = read_po(handle)
    folder = Path(click.__file__).parent
    for filename, line, message, _comments, context in extract_from_dir(
        folder, method_map=[("**.py", "python")], keywords=CLICK_KEYWORDS
    ):
        if (message[0] if isinstance(message, tuple) else message).strip():
            catalogue.add(
                message,
                locations=[(f"click/{filename}", line)],
                auto_comments=[CLICK_COMMENT],
                context=context,
                flags=["python-brace-format"] if "{" in str(message) else [],
            )
    for word, (filename, code) in CLICK_WORDS_IN_VARIABLES.items():
        lines = (folder / filename).read_text(encoding="utf-8").splitlines()
        found = [number for number, text in enumerate(lines, 1) if code in text]
        if not found:
            raise SystemExit(f"click/{filename} no longer has {code}: update CLICK_WORDS_IN_VARIABLES")
        catalogue.add(word, locations=[(f"click/{filename}", found[0])], auto_comments=[CLICK_COMMENT])
    with template.open("wb") as handle:
        write_po(handle, catalogue, sort_by_file=True)


if __name__ == "__main__":
    add_click_words(Path(sys.argv[1]))
