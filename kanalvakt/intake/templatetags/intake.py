"""`{% load intake %}{% connection_alert account %}`: the account's connection alert, if any."""

from __future__ import annotations

from typing import Any

from django import template

from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.register.models import Account

register = template.Library()


@register.inclusion_tag("intake/_connection_alert.html")
def connection_alert(account: Account) -> dict[str, Any]:
    connection = AccountConnection.objects.filter(account=account).first()
    return {
        "account": account,
        "connection": connection,
        "alert": connection is not None and connection.alert != AlertState.NONE,
    }
