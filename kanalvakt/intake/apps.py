from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Connected accounts: tokens, polling, token alerts and archive imports (INB-1)."""

    name = "kanalvakt.intake"
    label = "intake"
    verbose_name = _("Anslutningar och import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from kanalvakt.inbox.connection import register_account_config
        from kanalvakt.intake.checks import check_bluesky_client_key, check_token_keys
        from kanalvakt.intake.services import connection_account_config

        checks.register(check_token_keys)
        checks.register(check_bluesky_client_key)
        # Intake feeds the inbox; the inbox asks through this hook, never importing intake.
        register_account_config(connection_account_config)
