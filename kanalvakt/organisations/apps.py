from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kanalvakt.organisations"
    label = "organisations"
    verbose_name = "Organisationer"

    def ready(self) -> None:
        from django.core import checks

        from kanalvakt.organisations.twofactor_keys import relying_party_check

        checks.register(relying_party_check, checks.Tags.security)
