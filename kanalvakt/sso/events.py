from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoEvent(models.TextChoices):
    SIGNED_IN = "sso.signed_in", _("inloggad via identitetstjänsten")
    USER_CREATED = "sso.user_created", _("användare skapad vid första inloggningen")
    MAPPING_ADDED = "sso.mapping_added", _("grupp kopplad till roll")
    MAPPING_REMOVED = "sso.mapping_removed", _("grupps koppling till roll borttagen")
    ROLE_GRANTED = "sso.role_granted", _("roll given från identitetstjänstens grupp")
    ROLE_REVOKED = "sso.role_revoked", _("roll återkallad: gruppen finns inte längre")
