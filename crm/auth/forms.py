"""Sign-in, second-factor and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

# Long passphrases are welcome; a megabyte is not a password (argon2 would hash it all).
PASSWORD_MAX = 1000


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The six digits your authenticator app shows, or one of your recovery codes."),
    )


class PasswordForm(FlaskForm):
    """Asks for the current password before anything that weakens or changes sign-in."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )


class PasswordChangeForm(PasswordForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        description=_l("At least 10 characters; a phrase of unrelated words is easiest to remember."),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
    )
