"""The ``upr`` command in its user's language: its help texts and click's own words, from the catalogues.

Click stores help texts once, in English, when the commands are defined; the language is known only when
the command runs (``UPR_LANGUAGE``). :func:`speaking` therefore swaps the texts of the whole command tree
for their translations while a command runs, and puts the English back afterwards, so that one process
(the tests, a shell completion) can run commands in several languages in turn.

Click writes its own words ("Usage:", "Options", "No such command 'x'.") with the standard library's
``gettext.gettext``, which reads the ``messages`` domain in the language the ``LANGUAGE`` environment
variable names. The catalogues hold those words too (``scripts/translations.sh extract`` reads click's
sources), so binding the domain to ``translations/`` and naming the language is all they need.
"""

from __future__ import annotations

import gettext
import inspect
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click
from click.formatting import measure_table

from crm.i18n import SOURCE_LANGUAGE, TRANSLATIONS, CatalogueNotCompiled, catalogue

DOMAIN = "messages"  # the standard library's default domain, which click's words are looked up in
# Sentence ends of the scripts written without spaces, where click's shortening (by words) cannot cut.
UNSPACED_SENTENCE_ENDS = ("。", "！", "？")
# Chinese closing punctuation, which never starts a line.
NO_LINE_START = "，。：；、！？）》」』】"
# The command trees a ``speaking`` block has translated, so that a block inside it leaves them be.
_SPEAKING: set[click.Command] = set()


# Where click keeps a text people read: the object and its attribute (a command's help, an option's...).
_Place = tuple[object, str]


def commands_of(root: click.Command) -> Iterator[click.Command]:
    """``root`` and every command below it."""
    yield root
    if isinstance(root, click.Group):
        for command in root.commands.values():
            yield from commands_of(command)


def parameters_of(command: click.Command) -> list[click.Parameter]:
    """The parameters a command's help lists, its ``--help`` option included."""
    help_option = command.get_help_option(click.Context(command))
    return [*command.params, *([help_option] if help_option else [])]


@contextmanager
def speaking(root: click.Command, language: str) -> Iterator[None]:
    """Within the block, ``root``'s help and click's words are in ``language`` (English if it has none).

    A block inside another for the same tree changes nothing (``upr.cli.main`` speaks around the whole run,
    its errors included; the group's own ``main``, which tests call, speaks too).
    """
    if root in _SPEAKING:
        yield
        return
    _SPEAKING.add(root)
    previous = os.environ.get("LANGUAGE")
    # Whatever the shell's LANGUAGE says, click's words follow the app's language.
    os.environ["LANGUAGE"] = SOURCE_LANGUAGE
    gettext.bindtextdomain(DOMAIN, str(TRANSLATIONS))
    english = _english_texts(root)
    try:
        translations = catalogue(language)
    except CatalogueNotCompiled:
        language, translations = SOURCE_LANGUAGE, gettext.NullTranslations()
    try:
        if language != SOURCE_LANGUAGE:
            os.environ["LANGUAGE"] = language
            _translate(english, translations.gettext)
        yield
    finally:
        for (thing, attribute), text in english.items():
            setattr(thing, attribute, text)
        if previous is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = previous
        _SPEAKING.discard(root)


def _english_texts(root: click.Command) -> dict[_Place, str | None]:
    texts: dict[_Place, str | None] = {}
    for command in commands_of(root):
        texts[command, "help"], texts[command, "short_help"] = command.help, command.short_help
        for parameter in parameters_of(command):
            texts[parameter, "help"] = parameter.help
            if isinstance(parameter.type, click.Path):
                # "file", "directory" or "path", named in click's errors ("File 'x' does not exist.").
                texts[parameter.type, "name"] = parameter.type.name
    return texts


def _translate(english: dict[_Place, str | None], translate: Callable[[str], str]) -> None:
    for (thing, attribute), text in english.items():
        if text:
            # Click cleans a docstring when it shows it; the catalogue's message is the cleaned text.
            setattr(thing, attribute, translate(inspect.cleandoc(text).partition("\f")[0].rstrip()))
    # Click shortens a command's help into its summary at spaces, which Chinese does not have.
    for (thing, attribute), text in english.items():
        if attribute != "short_help" or text or not isinstance(thing, click.Command):
            continue  # a summary of its own, translated above
        if thing.help and _is_unspaced(thing.help):
            thing.short_help = _first_sentence(thing.help)


def _is_unspaced(text: str) -> bool:
    return any(end in text for end in UNSPACED_SENTENCE_ENDS)


def _first_sentence(text: str) -> str:
    """The first sentence of a text in a script without spaces (click's shortening cuts at spaces)."""
    paragraph = text.split("\n\n", maxsplit=1)[0]
    ends = [paragraph.find(end) for end in UNSPACED_SENTENCE_ENDS if end in paragraph]
    return paragraph[: min(ends) + 1] if ends else paragraph


class ColumnsHelpFormatter(click.HelpFormatter):
    """Click wraps help at a number of characters, but a Chinese character fills two columns of a terminal.

    Text holding such characters is wrapped here by the columns it fills, and handed to click as a block
    (a paragraph after a ``\\b`` line) that click indents but does not wrap again.
    """

    def write_text(self, text: str) -> None:
        super().write_text(_wrapped_by_columns(text, self.width - self.current_indent))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if rows:
            # The width click gives the second column (click.HelpFormatter.write_dl).
            first_column = min(measure_table(rows)[0], col_max) + col_spacing
            width = max(self.width - first_column - 2, 10)
            rows = [(term, _wrapped_by_columns(text, width)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class ColumnsContext(click.Context):
    formatter_class = ColumnsHelpFormatter


def wrap_help_by_columns(root: click.Command) -> None:
    """``root`` and every command below it write their help with :class:`ColumnsHelpFormatter`."""
    for command in commands_of(root):
        command.context_class = ColumnsContext


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _columns(text: str) -> int:
    return sum(2 if _is_wide(char) else 1 for char in text)


def _tokens(paragraph: str) -> list[str]:
    """The pieces a line may break between: each wide character alone, each run of others with the
    spaces after it."""
    tokens: list[str] = []
    for char in paragraph:
        last = tokens[-1][-1] if tokens else ""
        if not last or _is_wide(char) or _is_wide(last) or (last.isspace() and not char.isspace()):
            tokens.append(char)
        else:
            tokens[-1] += char
    return tokens


def _wrapped_by_columns(text: str, width: int) -> str:
    if _columns(text) == len(text):
        return text  # click's own wrapping is right for it
    paragraphs = [" ".join(paragraph.split()) for paragraph in text.split("\n\n")]
    return "\n\n".join("\b\n" + "\n".join(_lines(paragraph, width)) for paragraph in paragraphs)


def _lines(paragraph: str, width: int) -> list[str]:
    """``paragraph`` in lines of at most ``width`` columns, breaking between wide characters or at spaces:
    never inside a word of Latin letters, and never before closing punctuation (the character before it
    moves down with it, as Chinese typesetting does)."""
    lines: list[list[str]] = []
    line: list[str] = []
    for token in _tokens(paragraph):
        if line and _columns("".join(line) + token.rstrip()) > width:
            carried = [line.pop()] if token[0] in NO_LINE_START and len(line) > 1 else []
            lines.append(line)
            line = carried
        line.append(token)
    texts = ["".join(tokens).strip() for tokens in [*lines, line]]
    return [text for text in texts if text]
