"""Organisations, their units, the people in them and the roles they hold."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin


class User(AbstractUser):
    """A person who logs in. What they may do depends on their memberships."""

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Country(models.TextChoices):
    SWEDEN = "SE", _("Sverige")
    FINLAND = "FI", _("Finland")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("kommun")
    MUNICIPAL_COMPANY = "municipal_company", _("kommunalt bolag")
    AGENCY = "agency", _("myndighet")
    OTHER = "other", _("annan organisation")


class Organisation(models.Model):
    """A public body that runs official accounts under one policy."""

    name = models.CharField(_("namn"), max_length=200)
    name_fi = models.CharField(_("namn på finska"), max_length=200, blank=True)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    kind = models.CharField(_("typ"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=20, blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    switchboard = models.CharField(_("växelnummer"), max_length=40, blank=True)
    public_languages = models.JSONField(
        _("språk på den publika förteckningen"), default=list, blank=True
    )
    two_factor_roles = models.JSONField(
        _("roller som kräver tvåstegsverifiering"), default=list, blank=True
    )
    policy_version = models.ForeignKey(
        "policies.PolicyVersion",
        verbose_name=_("gällande policy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    ADMINISTRATION = "administration", _("förvaltning")
    COMPANY = "company", _("bolag")
    SERVICE_AREA = "service_area", _("serviceområde")
    DEPARTMENT = "department", _("enhet")


class Unit(models.Model):
    """A part of an organisation that owns accounts: förvaltning, bolag, serviceområde."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("namn"), max_length=200)
    name_fi = models.CharField(_("namn på finska"), max_length=200, blank=True)
    kind = models.CharField(_("typ"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The roles of DESIGN.md. The public has no membership at all."""

    COMMS_LEAD = "comms_lead", _("kommunikationschef")
    ACCOUNT_OWNER = "account_owner", _("kontoansvarig")
    SUBSTITUTE = "substitute", _("ersättare")
    PUBLISHER = "publisher", _("publicist")
    MANAGER = "manager", _("chef")
    REGISTRAR = "registrar", _("registrator")
    CASE_OFFICER = "case_officer", _("handläggare")
    WEB_MANAGER = "web_manager", _("webbansvarig")


class Membership(models.Model):
    """One role a person holds in one organisation. A person may hold several."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    title = models.CharField(_("befattning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("roll i organisationen")
        verbose_name_plural = _("roller i organisationen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class Absence(models.Model):
    """A period a person is away; their accounts go to the substitute meanwhile."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="absences")
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till och med"))
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_on}–{self.ends_on}"


class ApiToken(models.Model):
    """A key a machine (a records system, a script) uses for the organisation's API.

    Only the SHA-256 of the key is stored; the key is shown once when created.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("skapad"))
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class SecurityKey(TimestampMixin, Device):  # type: ignore[misc]  # django-otp has no types
    """A security key or passkey (WebAuthn) a person signs in with as the second step.

    A django-otp device, so a session verified with it counts like one verified with an
    authenticator app (kanalvakt/organisations/twofactor_keys.py).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, <= 1023 bytes
    public_key = models.BinaryField()  # COSE
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("säkerhetsnyckel")
        verbose_name_plural = _("säkerhetsnycklar")
