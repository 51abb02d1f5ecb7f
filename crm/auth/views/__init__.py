"""The ``auth`` blueprint: signing in and out, my account (password, two-factor, sessions,
language), the users list."""

from crm.auth.views import account, language, sign_in, users
from crm.auth.views.blueprint import bp

__all__ = ["account", "bp", "language", "sign_in", "users"]
