"""Words meant for people that are left outside gettext, in templates and in code.

Run ``python -m tests.i18n_lint [PATH ...]`` to list them (every template and module when no path is given);
``tests/test_i18n.py`` requires the list to be empty. A line that must stay as it is (a data format, a
column name that scripts read) says so with a ``# i18n: fixed`` comment and its reason.

Templates: text between tags and the attributes people read (``title``, ``placeholder``, ``aria-label``,
``alt``, a button's ``value``) must be inside ``{% trans %}`` or ``{{ _("...") }}``. Code: the first
argument of ``flash``, ``abort``, ``click.echo``, ``click.ClickException`` and the like, of any exception
raised for people, form labels, descriptions and validator messages, select choices, dashboard panel
titles, keyword values passed to ``render_template`` and the values of module-level ``*_LABELS`` tables.
"""

from __future__ import annotations

import ast
import html
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("crm", "calendar", "outreach", "upr")
# Briefing templates are written once per language by people; they are not the interface.
LANGUAGE_SPECIFIC_TEMPLATES = re.compile(r"templates/emails/briefing\.")
WORDS = re.compile(r"[^\W\d_]{2,}")
# Names and codes that read the same in every language of the app.
LANGUAGE_NEUTRAL = {
    "UPR Outreach", "CSV", "XLSX", "DOCX", "PDF", "HTML", "iCal", ".ics", "TOTP", "QR", "SMTP", "UTC", "ISO",
    "OHCHR", "UHRI", "UPR Info", "SDG", "SDGs", "HRC", "NGO", "UN", "ID", "URL", "XLS", "JSON", "vCard",
}  # fmt: skip
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
FIXED = "# i18n: fixed"
GETTEXT_CALLS = {
    "_", "gettext", "ngettext", "lazy_gettext", "_l", "lazy_ngettext",
    "pgettext", "npgettext", "lazy_pgettext", "gettext_outside_app",
}  # fmt: skip
MESSAGE_CALLS = {
    "flash", "abort", "echo", "secho", "ClickException", "UsageError", "BadParameter", "confirm",
    "Problem", "RowProblem",  # an import's problem with a row, in its report
}  # fmt: skip
# Calls whose message comes last: abort(404, "..."), Problem(row, "...").
LAST_ARGUMENT_CALLS = {"abort", "Problem", "RowProblem"}
INTERNAL_ERRORS = {"AssertionError", "RuntimeError", "TypeError", "NotImplementedError", "SystemExit"}
# Variables that hold a message on its way to a reader.
MESSAGE_VARIABLES = {"message", "text", "reason", "problem", "error_message"}
PHRASE = re.compile(r"[^\W\d_]{2,} [^\W\d_]{2,}")
LABEL_TABLE = re.compile(r"(LABELS|_HELP|MESSAGES|TITLES)$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _is_for_people(text: str) -> bool:
    text = " ".join(html.unescape(text).split())
    if not text or text in LANGUAGE_NEUTRAL or not WORDS.search(text):
        return False
    # Only codes and names that read the same in every language ("CSV · XLSX", "UN / OHCHR").
    remaining = text
    for neutral in sorted(LANGUAGE_NEUTRAL, key=len, reverse=True):
        remaining = remaining.replace(neutral, " ")
    return bool(WORDS.search(remaining))


# ---- templates ------------------------------------------------------------------------------------------

_MARK = "\ue000"  # stands for whatever Jinja writes there (a value, a translated message, a block)


def _template_skeleton(source: str) -> str:
    """The template's HTML with everything Jinja produces or translates replaced by a mark, line by line."""
    env = Environment(extensions=["jinja2.ext.i18n"])  # noqa: S701  # only lexed, never rendered
    pieces: list[str] = []
    in_trans = False
    block_opened = False
    for _lineno, token, value in env.lex(source):
        if token == "whitespace":  # inside a tag: "{% trans" lexes as block_begin, whitespace, name
            pieces.append("\n" * value.count("\n"))
            continue
        if token == "name" and block_opened:
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if token != "whitespace":  # "{% trans" lexes as block_begin, whitespace, name
            block_opened = token == "block_begin"
        if token == "data" and not in_trans:
            pieces.append(value)
        else:
            # A mark where Jinja writes (or translates) something; its line breaks stay, for line numbers.
            pieces.append(_MARK + "\n" * str(value).count("\n"))
    return "".join(pieces)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "code", "kbd", "pre"}:
            self._skip_depth += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in {"submit", "button", "reset"}
            )
            if readable and value:
                self._note(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "code", "kbd", "pre"} and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._note(data)

    def _note(self, text: str) -> None:
        for chunk in text.split(_MARK):
            if _is_for_people(chunk):
                self.found.append((self.getpos()[0], " ".join(chunk.split())))


def template_findings(path: Path) -> list[Finding]:
    finder = _TextFinder()
    finder.feed(_template_skeleton(path.read_text(encoding="utf-8")))
    finder.close()
    relative = str(path.relative_to(ROOT))
    return [Finding(relative, line, text) for line, text in finder.found]


# ---- code -----------------------------------------------------------------------------------------------


def _literal_text(node: ast.expr) -> str | None:
    """The words of a string literal or f-string (its literal parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return " ".join(p for p in parts if p) or None
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _CodeFinder(ast.NodeVisitor):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.found: list[tuple[int, str]] = []

    def _check(self, node: ast.expr | None) -> None:
        if node is None:
            return
        if isinstance(node, ast.IfExp):
            self._check(node.body)
            self._check(node.orelse)
            return
        text = _literal_text(node)
        if text is not None and _is_for_people(text) and FIXED not in self.lines[node.lineno - 1]:
            self.found.append((node.lineno, " ".join(text.split())))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in GETTEXT_CALLS or (
            isinstance(node.func, ast.Attribute)
            and name in {"debug", "info", "warning", "error", "exception"}
        ):
            return  # translated already, or a log line for operators
        if name in MESSAGE_CALLS and node.args:
            self._check(node.args[-1] if name in LAST_ARGUMENT_CALLS else node.args[0])
        if name.endswith("Field") and node.args:
            self._check(node.args[0])
        if name.endswith("Field") or name in {
            "Length",
            "DataRequired",
            "InputRequired",
            "Optional",
            "Email",
            "NumberRange",
            "Regexp",
            "AnyOf",
            "NoneOf",
            "URL",
        }:
            for keyword in node.keywords:
                if keyword.arg in {"description", "message", "label", "render_kw"}:
                    self._check(keyword.value)
                if keyword.arg == "choices" and isinstance(keyword.value, ast.List | ast.Tuple):
                    for choice in keyword.value.elts:
                        if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                            self._check(choice.elts[1])
        if name == "render_template":
            for keyword in node.keywords:
                self._check(keyword.value)
        if name == "Panel" and node.args:
            self._check(node.args[0])
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        error = node.exc
        if isinstance(error, ast.Call) and _call_name(error) not in INTERNAL_ERRORS and error.args:
            message = error.args[0]
            # A form's errors by field: {"team_id": "That team no longer exists..."}
            for part in message.values if isinstance(message, ast.Dict) else [message]:
                self._check(part)
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        # An f-string with a phrase in it, handed back, is a sentence someone will read (a reason, a
        # summary); one without (a key, a URL, a repr) is not.
        value = node.value
        if isinstance(value, ast.Call) and _call_name(value)[:1].isupper() and value.args:
            value = value.args[0]  # an error made here and raised by the caller
        if isinstance(value, ast.JoinedStr | ast.Constant) and PHRASE.search(_literal_text(value) or ""):
            self._check(value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id in MESSAGE_VARIABLES:
            self._check(node.value)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        named = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if any(name in MESSAGE_VARIABLES for name in named):
            self._check(node.value)
        if any(LABEL_TABLE.search(name) for name in named) and isinstance(node.value, ast.Dict):
            for value in node.value.values:
                self._check(value)
        self.generic_visit(node)


def code_findings(path: Path) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    finder = _CodeFinder(source.splitlines())
    finder.visit(ast.parse(source))
    relative = str(path.relative_to(ROOT))
    return [Finding(relative, line, text) for line, text in finder.found]


# ---- all of it ------------------------------------------------------------------------------------------


def templates() -> list[Path]:
    return sorted(
        path
        for path in (ROOT / "templates").rglob("*")
        if path.suffix in {".html", ".txt"} and not LANGUAGE_SPECIFIC_TEMPLATES.search(str(path))
    )


def modules() -> list[Path]:
    return sorted(path for folder in CODE_FOLDERS for path in (ROOT / folder).rglob("*.py"))


def findings(paths: list[Path] | None = None) -> Iterator[Finding]:
    for path in paths if paths else [*templates(), *modules()]:
        if path.suffix == ".py":
            yield from code_findings(path)
        elif not LANGUAGE_SPECIFIC_TEMPLATES.search(str(path)):
            yield from template_findings(path)


def main(arguments: list[str]) -> int:
    paths = [Path(a).resolve() for a in arguments]
    expanded = [p for a in paths for p in (sorted(a.rglob("*")) if a.is_dir() else [a])]
    found = list(findings([p for p in expanded if p.suffix in {".py", ".html", ".txt"}] or None))
    for finding in found:
        print(finding)
    print(f"{len(found)} untranslated", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
