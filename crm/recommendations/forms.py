"""Forms for importing a file through the web and for a person's choice of action category."""

from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from crm.recommendations.classify import CATEGORY_LABELS
from crm.recommendations.layouts import FIELDS, FORMAT_CHOICES, FORMATS
from crm.state_names import LANGUAGES as UN_LANGUAGES

MAX_UPLOAD_MB = 50
FORMAT_LABELS = [("auto", _l("Recognise it from the header row"))] + [
    (name, FORMATS[name].label) for name in FORMAT_CHOICES if name != "auto"
]
STORED_UPLOAD = Regexp(r"^[0-9a-f]{32}\.(csv|xlsx|xls|docx)$")
# Each language by its own name, as a person who reads it looks for it ("中文 (zh)", "français (fr)").
UN_LANGUAGE_CHOICES = [
    (code, f"{Locale.parse(code).get_display_name(code)} ({code})") for code in UN_LANGUAGES
]
REVIEW_CODE = Regexp(
    r"^\s*[A-Za-z]{3}-\d{1,2}\s*$", message=_l("Write the review as CHN-4: alpha-3 code, cycle.")
)


class ImportFields(FlaskForm):
    review = StringField(
        _l("Review"),
        validators=[Optional(), REVIEW_CODE],
        description=_l(
            "The State under Review and the cycle, e.g. CHN-4. Leave it empty to import every "
            "State under Review of a UPR Info or UHRI export, each into its review (e.g. CUB-1); reviews not "
            "yet in the app are created only when you confirm the import."
        ),
    )
    file_format = SelectField(
        _l("Format"),
        choices=FORMAT_LABELS,
        default="auto",
        description=_l("UPR Info and UHRI exports and OHCHR's matrix are recognised from their header row."),
    )
    mapping = TextAreaField(
        _l("Column mapping"),
        validators=[Length(max=2000)],
        description=_l(
            "For any other table: one line per column, COLUMN=FIELD (like --map on the command "
            "line). Fields: %(fields)s.",
            fields=", ".join(FIELDS),
        ),
    )


def _file_field(description: str) -> FileField:
    return FileField(
        _l("File"), validators=[FileRequired(_l("Choose the file to import."))], description=description
    )


class ImportForm(ImportFields):
    file = _file_field(
        _l(
            "CSV (UTF-8, UTF-16 or Windows-1252), XLSX, XLS or DOCX, at most %(size)s MB. "
            "Nothing is written until you have seen the preview and confirmed.",
            size=MAX_UPLOAD_MB,
        )
    )


class ConfirmImportForm(ImportFields):
    upload = HiddenField(validators=[DataRequired(), STORED_UPLOAD])
    file_name = HiddenField(validators=[Length(max=255)])
    rows = IntegerField(default=0)
    skip_invalid = BooleanField(
        _l("Skip the invalid rows"),
        description=_l("Import the valid rows; the invalid ones are listed as skipped."),
    )


class TranslationsForm(FlaskForm):
    file = _file_field(
        _l(
            "A UHRI export (XLSX or CSV, at most %(size)s MB) downloaded in another UN language. Nothing is "
            "written until you have seen the preview and confirmed.",
            size=MAX_UPLOAD_MB,
        )
    )
    language = SelectField(
        _l("Language of the file"),
        choices=UN_LANGUAGE_CHOICES,
        default="fr",
        description=_l("The language UHRI's recommendations are written in, in this file."),
    )


class ConfirmTranslationsForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired(), STORED_UPLOAD])
    file_name = HiddenField(validators=[Length(max=255)])
    language = HiddenField(validators=[DataRequired(), AnyOf(UN_LANGUAGES)])


class CategoryForm(FlaskForm):
    category = SelectField(
        _l("Action category"),
        choices=[("auto", _l("Computed from the wording"))]
        + [(str(number), label) for number, label in CATEGORY_LABELS.items()],
        description=_l("A category set here is kept by every later import of the same recommendation."),
    )
    next = HiddenField()
