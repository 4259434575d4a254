"""The refusal sentences of accounts: logging in, passwords and managing users (merged into
refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.locale import N_

ACCOUNT_REFUSAL = {
    "login-throttled": N_("Too many failed logins. Try again in %(seconds)s seconds."),
    "login-busy": N_("Many logins are being checked at once. Try again in %(seconds)s seconds."),
    "users-not-permitted": N_(
        "Your account may not manage the users of %(organisation)s: only its administrators, "
        "its coordination body's administrators and the platform operator do."
    ),
    "user-unknown": N_("There is no user %(username)s."),
    "user-exists": N_("The username %(username)s is taken already; choose another."),
    "username-invalid": N_(
        "A username is 2 to 64 lower-case letters, digits, dots, hyphens or underscores."
    ),
    "user-last-admin": N_(
        "You are the last administrator of %(organisation)s; make another user an "
        "administrator before disabling yourself."
    ),
    "password-current-wrong": N_("The current password is wrong."),
    "role-unknown": N_("Choose a role from the list."),
    "password-too-short": N_("The password must be at least %(min_length)s characters long."),
    "password-repeated": N_("The password is one character repeated; choose another."),
    "password-common": N_("The password is one of the most common passwords; choose another."),
}
