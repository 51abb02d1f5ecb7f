"""The ``auth`` blueprint: signing in and out, my account (password, two-factor, sessions), the users list."""

from crm.auth.views import account, sign_in, users
from crm.auth.views.blueprint import bp

__all__ = ["account", "bp", "sign_in", "users"]
