from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="intake_poll_due",
        task="kanalvakt.intake.tasks.connections_poll_due",
        cron="* * * * *",
        description="Hämta nytt från anslutna konton vars hämtningsintervall har gått.",
    ),
    Periodic(
        name="intake_refresh_tokens",
        task="kanalvakt.intake.tasks.connections_refresh_tokens_task",
        cron="40 * * * *",
        description="Förnya åtkomsttoken med plattformens förnyelsetoken innan de går ut.",
    ),
    Periodic(
        name="intake_check_tokens",
        task="kanalvakt.intake.tasks.connections_check_tokens_task",
        cron="20 6 * * *",
        description="Larma kontoansvariga om åtkomsttoken som snart går ut eller har gått ut.",
    ),
]
