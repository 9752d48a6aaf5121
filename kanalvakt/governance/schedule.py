from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="governance_forwarded_matters",
        task="kanalvakt.governance.tasks.forwarded_matters_track",
        cron="*/15 * * * *",
        description=(
            "Följ upp ärenden som registratorn skickat till en handläggare: tidsgräns och "
            "påminnelse när den passerats (när policyn kräver det)."
        ),
    ),
]
