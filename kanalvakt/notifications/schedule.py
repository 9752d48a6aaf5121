from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="notifications_digest",
        task="kanalvakt.notifications.tasks.notifications_digest",
        cron="0 7 * * *",
        description="Skicka dagens sammanfattning av aviseringar till dem som valt det.",
    ),
]
