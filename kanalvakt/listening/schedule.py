from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="listening_poll",
        task="kanalvakt.listening.tasks.listening_poll_all",
        cron="*/30 * * * *",
        description="Hämta omnämnanden från de källor som organisationerna bevakar.",
    ),
]
