from django.contrib import admin

from kanalvakt.audit.models import AuditEvent
from kanalvakt.web.admin_site import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "created_at", "organisation", "actor_label", "event_type")
    list_filter = ("event_type",)
