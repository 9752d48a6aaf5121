from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeEvent(models.TextChoices):
    CONNECTION_SET = "connection.set", _("anslutning sparad")
    CONNECTION_POLL_REQUESTED = "connection.poll_requested", _("hämtning begärd")
    CONNECTION_ALERT_RAISED = "connection.alert_raised", _("larm om anslutningen")
    CONNECTION_ALERT_CLEARED = "connection.alert_cleared", _("larm om anslutningen åtgärdat")
    OAUTH_STARTED = "connection.oauth_started", _("inloggning hos plattformen påbörjad")
    OAUTH_COMPLETED = "connection.oauth_completed", _("konto anslutet via plattformens inloggning")
    TOKEN_REFRESHED = "connection.token_refreshed", _("åtkomsttoken förnyad")
    IMPORT_STARTED = "import_job.started", _("import startad")
    IMPORT_RESUMED = "import_job.resumed", _("import återupptagen")
    IMPORT_FINISHED = "import_job.finished", _("import klar")
    IMPORT_FAILED = "import_job.failed", _("import avbruten av fel")
