"""The Django admin, for superusers only, read-only for domain data.

Every change to domain data goes through a service so that it is audited;
the admin is a window for the operator, not a second way to write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Kanalvakt – drift"
    site_title = "Kanalvakt"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class KanalvaktAdminConfig(AdminConfig):
    default_site = "kanalvakt.web.admin_site.SuperuserAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
