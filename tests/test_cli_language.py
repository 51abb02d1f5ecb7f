"""The ``upr`` command's help and click's own words in the language ``UPR_LANGUAGE`` names (issue 15)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from unicodedata import east_asian_width

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskCliRunner

from crm.i18n import TRANSLATIONS, catalogue
from upr.cli import cli
from upr.cli_language import commands_of, parameters_of

TRANSLATED = ("zh", "fr", "es")


def _cleaned(text: str) -> str:
    return inspect.cleandoc(text).partition("\f")[0].rstrip()


def _help_texts() -> dict[str, str]:
    """Every help text the command tree shows, by where it is shown."""
    texts = {}
    for command in commands_of(cli):
        if command.help:
            texts[f"{command.name}"] = _cleaned(command.help)
        for parameter in parameters_of(command):
            if parameter.help:
                texts[f"{command.name} {parameter.name}"] = _cleaned(parameter.help)
    return texts


def _flat(text: str) -> str:
    """Text as compared here: every run of spaces (wrapping, no-break spaces) one space."""
    return " ".join(text.split())


def _english_help(runner: FlaskCliRunner, *args: str) -> str:
    shown = runner.invoke(cli, [*args, "--help"], env={"UPR_LANGUAGE": "en"})
    assert shown.exit_code == 0, shown.output
    return shown.output


def test_every_help_text_of_the_command_is_in_the_catalogues() -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    texts = _help_texts()
    assert len(texts) > 100  # every command and option of the app, not a handful
    missing = {where: text for where, text in texts.items() if text not in template}
    assert missing == {}, "run scripts/translations.sh extract, then update and translate"
    for language in TRANSLATED:
        untranslated = [text for text in texts.values() if catalogue(language).gettext(text) == text]
        assert untranslated == [], language


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_command_list_speaks_the_language(runner: FlaskCliRunner, language: str) -> None:
    words = catalogue(language).gettext
    shown = runner.invoke(cli, ["--help"], env={"UPR_LANGUAGE": language})
    assert shown.exit_code == 0, shown.output
    output = _flat(shown.output)
    assert output.startswith(_flat(words("Usage:")))
    assert _flat(words(_cleaned(cli.help or ""))) in output
    for heading in ("Options", "Commands", "Show this message and exit."):
        assert _flat(words(heading)) in output  # French "Options" reads as the English does
    assert "Show this message and exit." not in output
    # Each command is listed with the start of its help in the language, never in English.
    for name, command in cli.commands.items():
        english = _cleaned(command.help or "")
        assert english.split(".")[0] not in output, name
        assert _flat(words(english))[:6] in output, name


def test_chinese_command_summaries_are_whole_sentences(runner: FlaskCliRunner) -> None:
    """Click shortens a summary at spaces, which Chinese does not have: it would show only "..."."""
    shown = runner.invoke(cli, ["db", "--help"], env={"UPR_LANGUAGE": "zh"})
    upgrade = catalogue("zh").gettext(_cleaned(cli.commands["db"].commands["upgrade"].help or ""))  # type: ignore[attr-defined]
    summary = upgrade.split("。")[0] + "。"
    assert summary in "".join(shown.output.split()), shown.output


@pytest.mark.parametrize("command", [[], ["import", "recommendations"], ["contacts", "merge"]])
def test_chinese_help_fits_the_terminal(runner: FlaskCliRunner, command: list[str]) -> None:
    """A Chinese character fills two columns: wrapped by characters, lines would run twice too long."""
    shown = runner.invoke(cli, [*command, "--help"], env={"UPR_LANGUAGE": "zh"}, terminal_width=72)
    assert shown.exit_code == 0, shown.output
    columns = [
        sum(2 if east_asian_width(c) in "WF" else 1 for c in line) for line in shown.output.splitlines()
    ]
    assert max(columns) <= 72, shown.output
    assert sum(1 for line in shown.output.splitlines() if any(east_asian_width(c) == "W" for c in line)) > 3


def test_options_and_defaults_in_french(runner: FlaskCliRunner) -> None:
    words = catalogue("fr").gettext
    shown = runner.invoke(cli, ["db", "upgrade", "--help"], env={"UPR_LANGUAGE": "fr"})
    output = _flat(shown.output)
    assert _flat(words("Alembic revision to upgrade to.")) in output
    assert _flat(words("default: {default}").format(default="head")) in output
    assert _flat(words("Create or migrate the database and load the reference list of states.")) in output
    user_create = runner.invoke(cli, ["user", "create", "--help"], env={"UPR_LANGUAGE": "fr"})
    assert f"[{words('required')}]" in user_create.output


def test_the_calendar_s_default_window_is_the_one_its_help_names() -> None:
    """The help is a literal so that it can be translated; it must still say the real default."""
    from upr_calendar.exports import PAST_DAYS

    calendar = next(command for command in commands_of(cli) if command.name == "calendar")
    past_days = next(parameter for parameter in calendar.params if parameter.name == "past_days")
    assert f"default {PAST_DAYS};" in (past_days.help or "")


def test_click_s_errors_in_spanish(runner: FlaskCliRunner) -> None:
    words = catalogue("es").gettext
    wrong = runner.invoke(cli, ["nosuch"], env={"UPR_LANGUAGE": "es"}, prog_name="upr")
    assert wrong.exit_code == 2
    assert words("No such command {name!r}.").format(name="nosuch") in wrong.output
    assert words("Try '{command} {option}' for help.").format(command="upr", option="--help") in wrong.output
    missing = runner.invoke(cli, ["db", "downgrade"], env={"UPR_LANGUAGE": "es"})
    assert words("Missing argument") in missing.output and "REVISION" in missing.output
    absent = runner.invoke(cli, ["import", "contacts", "/nowhere.csv"], env={"UPR_LANGUAGE": "es"})
    # Click names the kind of path it wanted ("File '/nowhere.csv' does not exist.") in the language too.
    kind = words("file").capitalize()
    assert (
        words("{name} {filename!r} does not exist.").format(name=kind, filename="/nowhere.csv")
        in absent.output
    )


def test_english_comes_back_after_a_run_in_another_language(runner: FlaskCliRunner) -> None:
    before = _english_help(runner, "contacts", "add")
    texts = _help_texts()
    runner.invoke(cli, ["contacts", "add", "--help"], env={"UPR_LANGUAGE": "zh"})
    assert _help_texts() == texts
    assert _english_help(runner, "contacts", "add") == before
    assert "Show this message and exit." in before


def test_the_shell_s_language_variable_does_not_choose_for_the_app(runner: FlaskCliRunner) -> None:
    """Desktops export LANGUAGE (fr:en); the app's words follow UPR_LANGUAGE alone."""
    shown = runner.invoke(cli, ["--help"], env={"UPR_LANGUAGE": "en", "LANGUAGE": "fr"})
    assert "Show this message and exit." in shown.output


def test_the_installed_command_prints_chinese_help() -> None:
    """The console script itself, as a user runs it, before any configuration is read."""
    upr = os.path.join(os.path.dirname(sys.executable), "upr")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("UPR_")}
    shown = subprocess.run(
        [upr, "import", "--help"],
        env={**environment, "UPR_LANGUAGE": "zh"},
        capture_output=True,
        text=True,
        check=False,
    )
    words = catalogue("zh").gettext
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(words("Usage:"))
    group = next(c for c in commands_of(cli) if c.name == "import")
    assert words(_cleaned(group.help or "")) in shown.stdout
