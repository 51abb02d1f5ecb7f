"""Forms for assessing recommendations, one at a time or in bulk, and for exports."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
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
        _l("Status"),
        choices=STATUS_CHOICES,
        validate_choice=False,
        description=_l("The traffic light for this date."),
    )
    assessed_on = DateField(
        _l("Assessed on"),
        default=_today,
        validators=[DataRequired()],
        description=_l("The day the judgement holds for."),
    )
    text = TextAreaField(
        _l("Assessment"),
        validators=[Length(max=20000)],
        description=_l("What changed (or did not) and why you judge it so; quote laws or cases by name."),
    )


class AssessmentForm(StatusFields):
    evidence_source = SelectField(
        _l("Evidence: source type"),
        choices=SOURCE_CHOICES,
        validate_choice=False,
        description=_l("What kind of material backs this assessment (ISHR's follow-up guide lists them)."),
    )
    evidence_date = DateField(
        _l("Evidence: date"),
        validators=[Optional()],
        description=_l("When the source was published or recorded."),
    )
    evidence_description = StringField(
        _l("Evidence: description"),
        validators=[Length(max=500)],
        description=_l("A title, e.g. the regulation's name and issuing body."),
    )
    evidence_url = StringField(
        _l("Evidence: link"),
        validators=[Length(max=2000)],
        description=_l("An http:// or https:// address. Leave empty when uploading a document."),
    )
    evidence_file = FileField(
        _l("Evidence: document"),
        description=_l("PDF, DOCX, XLSX, ODT or an image, up to 10 MB; only signed-in users can open it."),
    )


class BulkAssessmentForm(StatusFields):
    pass


class ExportForm(FlaskForm):
    format = SelectField(
        _l("Format"),
        choices=[
            ("xlsx", _l("Excel (.xlsx)")),
            ("docx", _l("Word (.docx)")),
            ("csv", "CSV"),
            ("html", _l("Web page (.html)")),
            ("pdf", "PDF"),
        ],
        description=_l("The OHCHR matrix with your traffic-light assessment, grouped by theme."),
    )


class FactsheetForm(FlaskForm):
    theme = SelectField(
        _l("Theme"), choices=[], validate_choice=False, description=_l("One theme per factsheet.")
    )
    format = SelectField(_l("Format"), choices=[("docx", _l("Word (.docx)")), ("pdf", "PDF")])
