"""The ``auth`` blueprint: signing in and out, and my account (password, two-factor, sessions)."""

from crm.auth.views import account, sign_in
from crm.auth.views.blueprint import bp

__all__ = ["account", "bp", "sign_in"]
