"""The register of official accounts, who runs them and under what mandate (REG-1…REG-7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, Unit


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    BLOG = "blog", _("blogg")
    WORDPRESS = "wordpress", _("blogg (WordPress)")
    OTHER = "other", _("annan")


PACK_CHANNELS: dict[str, str] = {"wordpress": "blog"}
"""Platform kinds the policy packs name by their channel: a WordPress blog follows
the pack's rules for blogs ("Facebook och bloggar – inom en arbetsdag")."""


def pack_channel(platform: str) -> str:
    """The key a policy pack uses for `platform` (e.g. under `response_times.platforms`)."""
    return PACK_CHANNELS.get(platform, platform)


class AccountStatus(models.TextChoices):
    """Lifecycle of an account.

    requested → active (an opening request completes all its steps)
    active → closing (a closing request is submitted) → closed (it completes)
    closing → active (the closing request is rejected)
    requested → rejected (the opening request is rejected)
    """

    REQUESTED = "requested", _("begärt")
    ACTIVE = "active", _("aktivt")
    CLOSING = "closing", _("under avveckling")
    CLOSED = "closed", _("stängt")
    REJECTED = "rejected", _("avslaget")


class LoginEmailKind(models.TextChoices):
    WORK = "work", _("jobbadress")
    PERSONAL = "personal", _("privat adress")
    UNKNOWN = "unknown", _("okänt")


class Account(models.Model):
    """One official social-media account of an organisation (REG-1)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="accounts"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accounts")
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("kontonamn"), max_length=200)
    display_name = models.CharField(_("visningsnamn"), max_length=200)
    url = models.URLField(_("adress"), max_length=500)
    external_id = models.CharField(
        _("plattformens id för kontot"),
        max_length=200,
        blank=True,
        help_text=_("Sidans, kanalens eller användarens id hos plattformen."),
    )
    purpose = models.TextField(_("syfte"))
    audience = models.TextField(_("målgrupp"))
    purpose_fi = models.TextField(_("syfte på finska"), blank=True)
    audience_fi = models.TextField(_("målgrupp på finska"), blank=True)
    languages = models.JSONField(_("språk"), default=list)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontoansvarig"),
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    contact = models.CharField(_("kontaktuppgift"), max_length=200)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ersättare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitute_for",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.REQUESTED
    )
    opened_on = models.DateField(_("öppnat"), null=True, blank=True)
    closed_on = models.DateField(_("stängt"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("senast uppdaterat"), null=True, blank=True)
    # Credentials hygiene (REG-4, SEC-1): recorded here, never the secrets themselves.
    credentials_location = models.CharField(
        _("var inloggningsuppgifterna förvaras"), max_length=200, blank=True
    )
    two_factor_enabled = models.BooleanField(_("tvåstegsverifiering på"), default=False)
    password_changed_on = models.DateField(_("lösenord senast bytt"), null=True, blank=True)
    login_email_kind = models.CharField(
        _("inloggningsadress"),
        max_length=20,
        choices=LoginEmailKind.choices,
        default=LoginEmailKind.UNKNOWN,
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    register_changed_at = models.DateTimeField(
        _("uppgifterna i förteckningen ändrade"), null=True, blank=True
    )

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "platform", "handle"], name="account_handle_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "platform", "external_id"],
                condition=~Q(external_id=""),
                name="account_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="account_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="account_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"


class AccountAdmin(models.Model):
    """A person who can administer an account (REG-4)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="admins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_web_manager = models.BooleanField(_("webbansvarig"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("administratör")
        verbose_name_plural = _("administratörer")
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_admin_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Mandate(models.Model):
    """A recorded mandate to publish for one or more accounts (REG-3).

    Granted by a manager, anchored with the administration's management; valid
    from a date, optionally until one, and revocable. A publisher may publish
    only on accounts a valid mandate covers.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppdragstagare"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    accounts = models.ManyToManyField(Account, verbose_name=_("konton"), related_name="mandates")
    scope = models.TextField(_("uppdragets omfattning"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beviljat av"),
        on_delete=models.PROTECT,
        related_name="mandates_granted",
    )
    anchored_with = models.CharField(_("förankrat hos"), max_length=200, blank=True)
    anchored_on = models.DateField(_("förankrat"), null=True, blank=True)
    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates_revoked",
    )
    revoke_reason = models.CharField(_("skäl för återkallelse"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="mandate_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="mandate_revoked_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} ({self.valid_from})"


class RequestKind(models.TextChoices):
    OPEN = "open", _("öppna konto")
    CLOSE = "close", _("stänga konto")


class RequestStatus(models.TextChoices):
    """pending → completed (every step done) | rejected."""

    PENDING = "pending", _("pågår")
    COMPLETED = "completed", _("genomförd")
    REJECTED = "rejected", _("avslagen")


class AccountRequest(models.Model):
    """A request to open or close an account, carried through the policy's steps (REG-5)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("typ"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    need = models.TextField(_("behov"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    audience = models.TextField(_("målgrupp"), blank=True)
    content = models.TextField(_("innehåll"), blank=True)
    reason = models.TextField(_("skäl"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inlämnad"))
    decided_at = models.DateTimeField(_("avgjord"), null=True, blank=True)
    rejection_reason = models.TextField(_("skäl för avslag"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("begäran om konto")
        verbose_name_plural = _("begäranden om konton")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind"],
                condition=Q(status="pending"),
                name="account_request_one_pending_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.account}"


class RequestStep(models.Model):
    """One approval or notice the policy requires for a request, done or not."""

    request = models.ForeignKey(AccountRequest, on_delete=models.PROTECT, related_name="steps")
    key = models.CharField(_("steg"), max_length=40)
    position = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(_("klart"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="request_step_unique"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="request_step_done_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class ProfileCheck(models.Model):
    """Whether an account's profile meets one of the pack's profile requirements (REG-7)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="profile_checks")
    requirement = models.CharField(_("krav"), max_length=60)
    satisfied = models.BooleanField(_("uppfyllt"))
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("bedömt"))

    class Meta:
        verbose_name = _("profilkontroll")
        verbose_name_plural = _("profilkontroller")
        constraints = [
            models.UniqueConstraint(fields=["account", "requirement"], name="profile_check_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.requirement}"
