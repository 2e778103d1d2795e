"""The accounts' public face: what its router, other domains and the entry points call
(`from app.accounts import service as accounts_service`). Nothing outside accounts imports its
other modules (an import-linter contract checks it).

The rules live in auth.py (registration, e-mail confirmation, login, tokens, passwords, e-mail
change), users.py (the user's own account and profile, admin user management, the first admin),
tokens.py and throttle.py (the limits on guessing); this module names what may be used.
"""

from app.accounts.auth import (
    access_token_expiry,
    authenticate,
    change_password,
    confirm_email,
    forgot_password,
    get_user_by_email,
    login,
    logout,
    normalise_email,
    refresh,
    register,
    request_email_change,
    resend_verification,
    reset_password,
    set_password,
    user_from_access_token,
)
from app.accounts.throttle import AccountLimits
from app.accounts.users import (
    ANONYMISED_DOMAIN,
    AccessChanged,
    admin_create_user,
    admin_exists,
    admin_update_user,
    create_admin_if_missing,
    delete_account,
    delete_profile,
    ensure_admin,
    get_profile,
    get_user,
    list_users,
    save_profile,
)

__all__ = [
    "ANONYMISED_DOMAIN",
    "AccessChanged",
    "AccountLimits",
    "access_token_expiry",
    "admin_create_user",
    "admin_exists",
    "admin_update_user",
    "authenticate",
    "change_password",
    "confirm_email",
    "create_admin_if_missing",
    "delete_account",
    "delete_profile",
    "ensure_admin",
    "forgot_password",
    "get_profile",
    "get_user",
    "get_user_by_email",
    "list_users",
    "login",
    "logout",
    "normalise_email",
    "refresh",
    "register",
    "request_email_change",
    "resend_verification",
    "reset_password",
    "save_profile",
    "set_password",
    "user_from_access_token",
]
