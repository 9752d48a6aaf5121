"""Who a person is at the organisation's identity provider, and which groups give which roles.

A person signs in with OpenID Connect (Microsoft Entra ID, Google Workspace,
Keycloak…). Their identity is the pair (issuer, subject), never the e-mail
address, which can be reassigned. The organisation's comms lead maps the
provider's group names (the groups claim) to Kanalvakt roles; at every sign-in
the person's roles from groups are brought in line with their groups.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Membership, Organisation, Role, User


class SsoIdentity(models.Model):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="sso_identity")
    issuer = models.CharField(_("utfärdare"), max_length=300)
    subject = models.CharField(_("identitet hos utfärdaren"), max_length=255)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("identitet i identitetstjänsten")
        verbose_name_plural = _("identiteter i identitetstjänsten")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"


class GroupRoleMapping(models.Model):
    """Members of `group` at the identity provider hold `role` in `organisation`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sso_mappings"
    )
    group = models.CharField(_("grupp i identitetstjänsten"), max_length=300)
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("koppling från grupp till roll")
        verbose_name_plural = _("kopplingar från grupp till roll")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group", "role"], name="sso_mapping_unique"
            ),
        ]
        ordering = ["group", "role"]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class GroupGrantedMembership(models.Model):
    """A role that came from a group: it goes again when the group goes.

    Roles the comms lead granted by hand have no row here and are never touched
    by a sign-in.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="granted_by_group"
    )

    def __str__(self) -> str:
        return str(self.membership)
