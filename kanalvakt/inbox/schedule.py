from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="items_sweep_unprocessed",
        task="kanalvakt.inbox.tasks.items_sweep_unprocessed",
        cron="* * * * *",
        description="Köa om meddelanden vars bearbetning avbröts.",
    ),
]
