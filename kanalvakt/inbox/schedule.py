from django.conf import settings

from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="items_sweep_unprocessed",
        task="kanalvakt.inbox.tasks.items_sweep_unprocessed",
        cron="* * * * *",
        description="Köa om meddelanden vars bearbetning avbröts.",
    ),
    Periodic(
        name="inbox_sweep",
        task="kanalvakt.inbox.tasks.inbox_sweep",
        cron="* * * * *",
        description="Påminn före och eskalera efter policyns svarstid.",
    ),
]

if settings.DEMO_TRAFFIC:
    # Only while the demo runs (`make demo` sets the variable).
    SCHEDULE.append(
        Periodic(
            name="demo_traffic",
            task="kanalvakt.inbox.tasks.demo_traffic",
            cron="* * * * *",
            description="Fyll demoorganisationernas inkorgar med realistiska meddelanden.",
        )
    )
