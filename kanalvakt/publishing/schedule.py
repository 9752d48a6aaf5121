from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="posts_publish_due",
        task="kanalvakt.publishing.tasks.posts_publish_due",
        cron="* * * * *",
        description="Publicera schemalagda inlägg när deras tid har kommit.",
    ),
]
