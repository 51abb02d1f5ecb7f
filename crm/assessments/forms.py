"""Forms for assessing recommendations, one at a time or in bulk, and for exports."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm import dates
from crm.assessments.models import EvidenceSource
from crm.models import ImplementationStatus

STATUS_CHOICES = [(status.value, status.label) for status in ImplementationStatus]
SOURCE_CHOICES = [(source.value, source.label) for source in EvidenceSource]


def _today() -> date:
    return dates.today()


class StatusFields(FlaskForm):
    # validate_choice is off so that an unknown status reaches the service, which names the valid ones.
    status = SelectField(
        "Status",
        choices=STATUS_CHOICES,
        validate_choice=False,
        description="The traffic light for this date.",
    )
    assessed_on = DateField(
        "Assessed on",
        default=_today,
        validators=[DataRequired()],
        description="The day the judgement holds for.",
    )
    text = TextAreaField(
        "Assessment",
        validators=[Length(max=20000)],
        description="What changed (or did not) and why you judge it so; quote laws or cases by name.",
    )


class AssessmentForm(StatusFields):
    evidence_source = SelectField(
        "Evidence: source type",
        choices=SOURCE_CHOICES,
        validate_choice=False,
        description="What kind of material backs this assessment (ISHR's follow-up guide lists them).",
    )
    evidence_date = DateField(
        "Evidence: date", validators=[Optional()], description="When the source was published or recorded."
    )
    evidence_description = StringField(
        "Evidence: description",
        validators=[Length(max=500)],
        description="A title, e.g. the regulation's name and issuing body.",
    )
    evidence_url = StringField(
        "Evidence: link",
        validators=[Length(max=2000)],
        description="An http:// or https:// address. Leave empty when uploading a document.",
    )
    evidence_file = FileField(
        "Evidence: document",
        description="PDF, DOCX, XLSX, ODT or an image, up to 10 MB; only signed-in users can open it.",
    )


class BulkAssessmentForm(StatusFields):
    pass


class ExportForm(FlaskForm):
    format = SelectField(
        "Format",
        choices=[
            ("xlsx", "Excel (.xlsx)"),
            ("docx", "Word (.docx)"),
            ("csv", "CSV"),
            ("html", "Web page (.html)"),
            ("pdf", "PDF"),
        ],
        description="The OHCHR matrix with your traffic-light assessment, grouped by theme.",
    )


class FactsheetForm(FlaskForm):
    theme = SelectField("Theme", choices=[], validate_choice=False, description="One theme per factsheet.")
    format = SelectField("Format", choices=[("docx", "Word (.docx)"), ("pdf", "PDF")])
