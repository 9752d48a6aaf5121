from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kanalvakt.audit"
    label = "audit"
    verbose_name = "Granskningslogg"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kanalvakt.audit.dbguard import install_sqlite_flush_permit

        connection_created.connect(install_sqlite_flush_permit, dispatch_uid="kanalvakt-flush")
