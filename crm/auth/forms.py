"""Sign-in, second-factor and account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

# Long passphrases are welcome; a megabyte is not a password (argon2 would hash it all).
PASSWORD_MAX = 1000


class SignInForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[DataRequired(), Length(max=40)],
        description="The six digits your authenticator app shows, or one of your recovery codes.",
    )


class PasswordForm(FlaskForm):
    """Asks for the current password before anything that weakens or changes sign-in."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )


class PasswordChangeForm(PasswordForm):
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        description="At least 10 characters; a phrase of unrelated words is easiest to remember.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
    )
