"""Writes to the account register, by concern: accounts (register entry, admins,
substitute, profile checks), mandates, and open/close requests with their steps."""

from kanalvakt.register.services.accounts import (
    ACCOUNT_EDITABLE_FIELDS,
    REGISTER_FIELDS,
    account_admin_add,
    account_admin_remove,
    account_create,
    account_record_publication,
    account_register_update,
    account_set_substitute,
    account_update,
    may_edit_register,
    profile_check_record,
)
from kanalvakt.register.services.mandates import (
    mandate_anchoring_required,
    mandate_grant,
    mandate_revoke,
)
from kanalvakt.register.services.requests import (
    account_request_close,
    account_request_open,
    account_request_reject,
    request_step_complete,
    step_allowed,
)

__all__ = [
    "ACCOUNT_EDITABLE_FIELDS",
    "REGISTER_FIELDS",
    "account_admin_add",
    "account_admin_remove",
    "account_create",
    "account_record_publication",
    "account_register_update",
    "account_request_close",
    "account_request_open",
    "account_request_reject",
    "account_set_substitute",
    "account_update",
    "mandate_anchoring_required",
    "mandate_grant",
    "mandate_revoke",
    "may_edit_register",
    "profile_check_record",
    "request_step_complete",
    "step_allowed",
]
